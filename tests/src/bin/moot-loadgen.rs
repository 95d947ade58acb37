//! `moot-loadgen`: opens many meetups of real WebSocket clients against a moot
//! server, drives a realistic mix of actions and reports what it measured.
//! See BENCHMARKS.md for how the published numbers were made.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anyhow::Context as _;
use clap::Parser;
use moot_tests::load::{self, LoadConfig};

/// Load generator for moot.
#[derive(Parser, Debug)]
#[command(name = "moot-loadgen", version)]
struct Flags {
    /// A running server to load, e.g. 127.0.0.1:8080. Without it, the load
    /// generator starts `--moot` itself on a free port and a fresh data directory.
    #[arg(long)]
    server: Option<SocketAddr>,
    /// The moot binary to start when no --server is given.
    #[arg(long, default_value = "target/release/moot")]
    moot: PathBuf,
    /// Storage durability for a started server: full or normal.
    #[arg(long, default_value = "full")]
    sync: String,
    /// The running server's process id, to read its memory and CPU (found by
    /// itself for a started server).
    #[arg(long)]
    server_pid: Option<u32>,
    /// Meetups.
    #[arg(long, default_value_t = 250)]
    rooms: usize,
    /// Participants per meetup.
    #[arg(long, default_value_t = 8)]
    participants: usize,
    /// New connections per second.
    #[arg(long, default_value_t = 2000)]
    connect_rate: u32,
    /// Seconds everyone idles, connected, before actions start.
    #[arg(long, default_value_t = 5)]
    idle_seconds: u64,
    /// Milliseconds between two actions of one room.
    #[arg(long, default_value_t = 2000)]
    action_interval_ms: u64,
    /// Seconds of actions.
    #[arg(long, default_value_t = 30)]
    seconds: u64,
    /// Spread client sockets over 127.0.0.1 … 127.0.0.N.
    #[arg(long, default_value_t = 8)]
    source_addresses: u8,
    /// Also write the report, the per-second timeline included, as JSON to
    /// this file.
    #[arg(long)]
    json: Option<PathBuf>,
    /// The running server's metrics listener (its --metrics-bind), to report
    /// its store's commit times (a started server gets one by itself).
    #[arg(long)]
    metrics: Option<SocketAddr>,
}

/// A server this program started, stopped on drop.
struct Started(Child);

impl Drop for Started {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn raise_open_file_limit() {
    // Each connection is a file on both ends; use all the hard limit allows.
    if let Ok((_, hard)) = rlimit::Resource::NOFILE.get() {
        let _ = rlimit::Resource::NOFILE.set(hard, hard);
    }
    if let Ok((soft, _)) = rlimit::Resource::NOFILE.get() {
        eprintln!("moot-loadgen: open-file limit {soft}");
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let flags = Flags::parse();
    raise_open_file_limit();
    let mut started = None;
    let (server, server_pid, metrics) = match flags.server {
        Some(server) => (server, flags.server_pid, flags.metrics),
        None => {
            let free_port = || -> std::io::Result<u16> {
                Ok(std::net::TcpListener::bind("127.0.0.1:0")?
                    .local_addr()?
                    .port())
            };
            let port = free_port()?;
            let metrics = SocketAddr::from(([127, 0, 0, 1], free_port()?));
            let data_dir = std::env::temp_dir()
                .join(format!("moot-loadgen-{}", uuid::Uuid::new_v4().simple()));
            let child = Command::new(&flags.moot)
                .args([
                    "--bind",
                    "127.0.0.1",
                    "--port",
                    &port.to_string(),
                    "--log",
                    "warn",
                ])
                .arg("--data-dir")
                .arg(&data_dir)
                .args([
                    "--sync",
                    &flags.sync,
                    "--openings-per-minute",
                    "1000000",
                    "--max-rooms",
                    "100000",
                    // Every simulated phone connects from a few loopback addresses.
                    "--max-connections-per-address",
                    "0",
                    "--metrics-bind",
                    &metrics.to_string(),
                ])
                .stdout(Stdio::null())
                .spawn()
                .with_context(|| {
                    format!(
                        "cannot start {}; build it with cargo build --release -p moot-server",
                        flags.moot.display()
                    )
                })?;
            let pid = child.id();
            started = Some(Started(child));
            (
                SocketAddr::from(([127, 0, 0, 1], port)),
                Some(pid),
                Some(metrics),
            )
        }
    };
    load::wait_healthy(server, Duration::from_secs(30)).await?;
    let config = LoadConfig {
        server,
        rooms: flags.rooms,
        participants: flags.participants,
        connect_rate: flags.connect_rate,
        idle: Duration::from_secs(flags.idle_seconds),
        action_interval: Duration::from_millis(flags.action_interval_ms),
        duration: Duration::from_secs(flags.seconds),
        source_addresses: flags.source_addresses,
        server_pid,
        metrics,
    };
    eprintln!(
        "moot-loadgen: {} rooms × {} participants, one action per room every {} ms for {} s",
        flags.rooms, flags.participants, flags.action_interval_ms, flags.seconds
    );
    let report = load::run(config).await?;
    print!("{report}");
    if let Some(path) = &flags.json {
        let json = serde_json::to_string_pretty(&report)?;
        std::fs::write(path, json).with_context(|| format!("cannot write {}", path.display()))?;
    }
    drop(started);
    let clean = report.lost == 0
        && report.duplicated == 0
        && report.connect_failures == 0
        && report.dropped == 0;
    std::process::exit(if clean { 0 } else { 1 });
}
