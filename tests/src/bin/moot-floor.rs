//! `moot-floor`: the least a room broadcast costs on this machine, served
//! for `moot-loadgen` to measure beside moot (see `moot_tests::floor` and
//! BENCHMARKS.md, "The tail, eighth look").
//!
//! It takes the flags `moot-loadgen` starts a server with, so it can stand
//! in for `--moot`; those it has no use for are accepted and ignored. The
//! mode comes from `MOOT_FLOOR_MODE` (`relay`, `durable` or `inline`) for
//! the same reason, and probes as moot's from `MOOT_FLOOR_PROBES=true`.

use std::net::IpAddr;
use std::path::PathBuf;

use anyhow::Context as _;
use clap::Parser;
use moot_tests::floor::{self, Mode};

/// A bare relay in moot's protocol, to measure moot against.
#[derive(Parser, Debug)]
#[command(name = "moot-floor", version)]
struct Flags {
    /// relay: events shown at once; durable: synced to a log by a thread
    /// first; inline: synced by the worker that read the command first.
    #[arg(long, env = "MOOT_FLOOR_MODE", default_value = "relay")]
    mode: Mode,
    /// Probe every connection as moot does (every 10 s on shared slots).
    #[arg(long, env = "MOOT_FLOOR_PROBES")]
    probes: bool,
    #[arg(long, default_value = "127.0.0.1")]
    bind: IpAddr,
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Where the durable mode's log goes.
    #[arg(long, default_value = "moot-floor-data")]
    data_dir: PathBuf,
    // moot's flags that `moot-loadgen` passes and the floor has no use for.
    #[arg(long, hide = true)]
    log: Option<String>,
    #[arg(long, hide = true)]
    sync: Option<String>,
    #[arg(long, hide = true)]
    openings_per_minute: Option<String>,
    #[arg(long, hide = true)]
    max_rooms: Option<String>,
    #[arg(long, hide = true)]
    max_connections_per_address: Option<String>,
    #[arg(long, hide = true)]
    metrics_bind: Option<String>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let flags = Flags::parse();
    let listener = tokio::net::TcpListener::bind((flags.bind, flags.port))
        .await
        .with_context(|| format!("cannot listen on {}:{}", flags.bind, flags.port))?;
    let probing = if flags.probes { " with probes" } else { "" };
    eprintln!(
        "moot-floor: {:?}{probing} on {}",
        flags.mode,
        listener.local_addr()?
    );
    floor::serve(listener, flags.mode, flags.probes, &flags.data_dir).await?;
    Ok(())
}
