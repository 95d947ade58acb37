//! `moot`: serves meetups and the web app from one binary.

use std::net::{IpAddr, Ipv4Addr, SocketAddr, UdpSocket};
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use moot_server::store::Durability;
use moot_server::{AppState, Config, serve};
use tokio::net::TcpListener;

/// moot runs facilitated peer meetups: people join from their phones with a
/// link, QR code or short code, and the room shows up on a shared screen.
///
/// Without a command, moot serves. With one, it works on the data
/// directory's database and exits.
#[derive(Parser, Debug)]
#[command(name = "moot", version)]
struct Flags {
    #[command(subcommand)]
    task: Option<Task>,
    /// Address to listen on (0.0.0.0 for every network interface).
    #[arg(long, env = "MOOT_BIND", default_value = "0.0.0.0")]
    bind: IpAddr,
    /// Port to listen on.
    #[arg(long, env = "MOOT_PORT", default_value_t = 8080)]
    port: u16,
    /// The URL people use to reach moot, e.g. https://moot.example.org, when it
    /// runs behind a reverse proxy. Join links and QR codes use it. Without it,
    /// links use the address each request came in on.
    #[arg(long, env = "MOOT_PUBLIC_URL")]
    public_url: Option<String>,
    /// Another web origin allowed to open WebSockets (repeatable, or
    /// comma-separated in the environment). The server's own origin and the
    /// public URL are always allowed.
    #[arg(
        long = "allowed-origin",
        env = "MOOT_ALLOWED_ORIGINS",
        value_delimiter = ','
    )]
    allowed_origins: Vec<String>,
    /// Take client addresses from X-Forwarded-For (and the scheme from
    /// X-Forwarded-Proto). Only behind a reverse proxy that sets them.
    #[arg(long, env = "MOOT_TRUST_FORWARDED_FOR")]
    trust_forwarded_for: bool,
    /// Where meetups are stored (one SQLite file, moot.sqlite3, inside).
    /// Default: $XDG_DATA_HOME/moot, else ~/.local/share/moot.
    #[arg(long, env = "MOOT_DATA_DIR", global = true)]
    data_dir: Option<PathBuf>,
    /// full: every acknowledged action is on disk and survives a power loss.
    /// normal: faster; survives a crash of moot but the last actions before a
    /// power loss may be lost.
    #[arg(long, env = "MOOT_SYNC", value_enum, default_value = "full")]
    sync: Durability,
    /// A PostgreSQL database to share with other moot nodes, as
    /// postgres://user:password@host:port/database, in place of the SQLite
    /// file in the data directory. Run several nodes on one database behind
    /// a proxy that routes by join code (see deploy/haproxy.cfg).
    #[arg(long, env = "MOOT_STORE", value_name = "URL")]
    store: Option<String>,
    /// With --store: the address other nodes tell clients this node serves
    /// at, e.g. http://10.0.0.11:8080. Default: http://BIND:PORT (this
    /// machine's network address when BIND is 0.0.0.0).
    #[arg(long, env = "MOOT_NODE_URL", value_name = "URL")]
    node_url: Option<String>,
    /// With --store: seconds a node's claim on a meetup lasts without
    /// renewal (renewed every third of it); after a node dies, its meetups
    /// move to other nodes once this has passed.
    #[arg(long, env = "MOOT_LEASE_SECS", default_value_t = 5.0)]
    lease_secs: f64,
    /// Days an ended meetup is kept (for its minutes) before it is deleted.
    #[arg(long, env = "MOOT_RETENTION_DAYS", default_value_t = 30)]
    retention_days: u64,
    /// Meetups one client address may open per minute (raise it for load tests).
    #[arg(long, env = "MOOT_OPENINGS_PER_MINUTE", default_value_t = 30)]
    openings_per_minute: u32,
    /// The most meetups the server holds at once.
    #[arg(long, env = "MOOT_MAX_ROOMS", default_value_t = 10_000)]
    max_rooms: usize,
    /// Open connections (HTTP and WebSocket) one client address may hold;
    /// 0 for no cap. IPv6 addresses count by /64. Not applied with
    /// --trust-forwarded-for (then every connection is the proxy's).
    #[arg(long, env = "MOOT_MAX_CONNECTIONS_PER_ADDRESS", default_value_t = 256)]
    max_connections_per_address: usize,
    /// Seconds a client has to send a request's headers; also how long an
    /// idle keep-alive connection stays open. 0 turns it off.
    #[arg(long, env = "MOOT_HTTP_HEADER_TIMEOUT_SECS", default_value_t = 10)]
    http_header_timeout_secs: u64,
    /// Seconds one HTTP request may take, body included, before it is
    /// answered 408.
    #[arg(long, env = "MOOT_HTTP_REQUEST_TIMEOUT_SECS", default_value_t = 10)]
    http_request_timeout_secs: u64,
    /// Serve Prometheus metrics at http://ADDR/metrics, e.g. 127.0.0.1:9100.
    /// Off unless given; never on the main address, so metrics are not
    /// public by accident. Keep ADDR on a private interface.
    #[arg(long, env = "MOOT_METRICS_BIND", value_name = "ADDR")]
    metrics_bind: Option<SocketAddr>,
    /// Log filter, e.g. "info" or "moot_server=debug".
    #[arg(long, env = "MOOT_LOG", default_value = "info")]
    log: String,
}

/// What to do instead of serving.
#[derive(Subcommand, Debug)]
enum Task {
    /// Copy the database to PATH (a new file), consistently, while moot
    /// runs; then check the copy as moot checks its database at start.
    Backup {
        /// The backup file to make, e.g. /backups/moot-2026-11-30.sqlite3.
        path: PathBuf,
    },
    /// Check the backup at PATH and put it in place of the data
    /// directory's database, which is kept beside it. Refused while a moot
    /// server runs on the data directory: stop it first.
    Restore {
        /// A file made by `moot backup`.
        path: PathBuf,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let flags = Flags::parse();
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(&flags.log))
        .init();
    let data_dir = flags
        .data_dir
        .clone()
        .unwrap_or_else(moot_server::store::default_data_dir);
    match &flags.task {
        None => serve_meetups(flags, data_dir).await,
        Some(Task::Backup { path }) => {
            let contents = moot_server::backup::backup(&data_dir, path)
                .with_context(|| format!("backing up {} failed", data_dir.display()))?;
            println!(
                "backed up {} meetups ({} events) to {}",
                contents.meetups,
                contents.events,
                path.display()
            );
            Ok(())
        }
        Some(Task::Restore { path }) => {
            let restored = moot_server::backup::restore(&data_dir, path)
                .with_context(|| format!("restoring {} failed", path.display()))?;
            println!(
                "restored {} meetups ({} events) from {} into {}",
                restored.contents.meetups,
                restored.contents.events,
                path.display(),
                data_dir.join(moot_server::store::DATABASE_FILE).display()
            );
            if let Some(replaced) = restored.replaced {
                println!("the database it replaced is now {}", replaced.display());
            }
            Ok(())
        }
    }
}

/// Serves meetups until Ctrl-C or SIGTERM.
async fn serve_meetups(flags: Flags, data_dir: PathBuf) -> anyhow::Result<()> {
    let shared_store = flags
        .store
        .as_ref()
        .map(|url| shared_store(&flags, url))
        .transpose()?;
    let config = Config {
        data_dir,
        sync: flags.sync,
        shared_store,
        retention: Duration::from_secs(flags.retention_days.saturating_mul(24 * 60 * 60)),
        public_url: flags.public_url.clone(),
        allowed_origins: flags.allowed_origins.clone(),
        trust_forwarded_for: flags.trust_forwarded_for,
        max_rooms: flags.max_rooms,
        openings_per_minute: flags.openings_per_minute,
        max_connections_per_address: flags.max_connections_per_address,
        http_header_timeout: Duration::from_secs(flags.http_header_timeout_secs),
        http_request_timeout: Duration::from_secs(flags.http_request_timeout_secs),
        ..Config::default()
    };
    // A mistyped origin would otherwise only show up as refused browsers.
    moot_server::site::Site::new(config.public_url.as_deref(), &config.allowed_origins)
        .context("check --public-url and --allowed-origin")?;
    raise_open_file_limit(config.max_connections_per_address);
    let data_dir = config.data_dir.clone();
    let database = config
        .shared_store
        .as_ref()
        .map(|settings| moot_server::store::postgres::target(&settings.url));
    // Open storage before listening: a bad data directory or an unreachable
    // database stops moot with a clear message instead of serving without
    // the stored meetups.
    let state = AppState::open(config).with_context(|| match &database {
        Some(database) => format!("cannot open the store in PostgreSQL database {database}"),
        None => format!("cannot open the data in {}", data_dir.display()),
    })?;
    match &database {
        Some(database) => tracing::info!(%database, "shared storage open"),
        None => tracing::info!(data_dir = %data_dir.display(), "storage open"),
    }
    let address = SocketAddr::new(flags.bind, flags.port);
    let listener = TcpListener::bind(address)
        .await
        .with_context(|| format!("cannot listen on {address}"))?;
    let bound = listener.local_addr()?;
    if let Some(address) = flags.metrics_bind {
        let metrics = TcpListener::bind(address)
            .await
            .with_context(|| format!("cannot listen for metrics on {address}"))?;
        tracing::info!("metrics at http://{}/metrics", metrics.local_addr()?);
        let state = state.clone();
        tokio::spawn(async move {
            if let Err(error) = moot_server::metrics::serve(metrics, state).await {
                tracing::error!(%error, "the metrics listener failed");
            }
        });
    }
    if !moot_server::assets::web_app_built() {
        tracing::warn!("this binary has no web app built in; use `cargo xtask serve`");
    }
    announce(&flags, bound);
    serve(listener, state.clone(), shutdown_signal())
        .await
        .context("server failed")?;
    state.shut_down().await;
    tracing::info!("stopped");
    Ok(())
}

/// The settings of a shared PostgreSQL store from `--store` and the flags
/// that go with it.
fn shared_store(
    flags: &Flags,
    url: &str,
) -> anyhow::Result<moot_server::store::postgres::Settings> {
    if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
        anyhow::bail!(
            "--store takes a postgres:// URL (without it, moot uses SQLite in --data-dir)"
        );
    }
    if !(flags.lease_secs.is_finite() && (0.5..=600.0).contains(&flags.lease_secs)) {
        anyhow::bail!("--lease-secs must be between 0.5 and 600");
    }
    let node_url = flags.node_url.clone().unwrap_or_else(|| {
        let host = if flags.bind.is_unspecified() {
            lan_address().unwrap_or(Ipv4Addr::LOCALHOST.into())
        } else {
            flags.bind
        };
        format!("http://{}", SocketAddr::new(host, flags.port))
    });
    Ok(moot_server::store::postgres::Settings {
        url: url.to_owned(),
        node_url,
        lease: Duration::from_secs_f64(flags.lease_secs),
    })
}

/// Raises this process's limit on open files to the most it may have: every
/// connection is a file, and the common default of 1,024 is a few busy
/// addresses' worth. Warns when the limit stays so low that a few addresses
/// at their connection cap could exhaust it.
fn raise_open_file_limit(per_address: usize) {
    let limit = match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => limit,
        Err(error) => {
            tracing::warn!(%error, "could not read or raise the open file limit");
            return;
        }
    };
    tracing::debug!(limit, "open file limit");
    let per_address = u64::try_from(per_address).unwrap_or(u64::MAX);
    if per_address > 0 && limit < per_address.saturating_mul(8) {
        tracing::warn!(
            limit,
            per_address,
            "the open file limit is low for this connection cap; raise it (ulimit -n) \
             or lower --max-connections-per-address"
        );
    }
}

/// Prints where to open moot, with a QR code people can scan from the terminal.
fn announce(flags: &Flags, bound: SocketAddr) {
    let url = match &flags.public_url {
        Some(url) => url.trim_end_matches('/').to_owned(),
        None => {
            let host = if bound.ip().is_unspecified() {
                lan_address().unwrap_or(Ipv4Addr::LOCALHOST.into())
            } else {
                bound.ip()
            };
            format!("http://{}", SocketAddr::new(host, bound.port()))
        }
    };
    println!("\nmoot is running. Open {url} on this laptop to start a meetup;");
    println!("people on the same network join at {url} (or scan):\n");
    if let Ok(code) = qrcode::QrCode::new(url.as_bytes()) {
        println!(
            "{}",
            code.render::<qrcode::render::unicode::Dense1x2>()
                .quiet_zone(true)
                .build()
        );
    }
    println!("Press Ctrl-C to stop.\n");
}

/// This machine's address on the local network: the source address the
/// kernel would pick for an outside destination. Connecting a UDP socket
/// sends no packet; it only consults the routing table.
fn lan_address() -> Option<IpAddr> {
    let socket = UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 0)).ok()?;
    socket.connect((Ipv4Addr::new(192, 0, 2, 1), 9)).ok()?;
    let local = socket.local_addr().ok()?.ip();
    (!local.is_unspecified()).then_some(local)
}

/// Completes on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
