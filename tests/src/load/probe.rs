//! What the load generator reads from outside itself: the server's
//! memory and CPU time and the machine's (from /proc), and the server's
//! latency histograms (from its metrics), once or every second of the
//! action phase.

use std::net::SocketAddr;

use tokio::time::Instant;

use super::report::Timings;
use crate::http;

/// What the load generator read every second of the action phase.
#[derive(Default)]
pub(super) struct BySecond {
    /// The server's commits in each second (none without its metrics).
    pub(super) commits: Vec<Timings>,
    /// The server's log syncs in each second (none without its metrics).
    pub(super) syncs: Vec<Timings>,
    /// The server's part of the commands whose frames were queued in each
    /// second (none without its metrics).
    pub(super) commands: Vec<Timings>,
    /// How busy the machine was in each second, and how much of its time
    /// the hypervisor took (`None` where /proc/stat could not be read).
    pub(super) machine: Vec<Option<MachineShares>>,
}

/// Reads the machine's CPU time and the server's latency histograms (when
/// `metrics` is given) every second until `stop`: so a slow second can be
/// matched to a slow commit, sync or command in the server, or to a second
/// the hypervisor gave the machine's cores to someone else.
pub(super) async fn by_second(
    metrics: Option<SocketAddr>,
    mut stop: tokio::sync::oneshot::Receiver<()>,
) -> BySecond {
    let mut sampled = BySecond::default();
    let mut histograms_before = match metrics {
        Some(metrics) => server_histograms(metrics).await,
        None => None,
    };
    let mut machine_before = machine_cpu_ticks();
    let second = std::time::Duration::from_secs(1);
    let mut ticks = tokio::time::interval_at(Instant::now() + second, second);
    loop {
        tokio::select! {
            _ = ticks.tick() => {}
            _ = &mut stop => break,
        }
        let machine_after = machine_cpu_ticks();
        sampled.machine.push(
            machine_before
                .zip(machine_after)
                .and_then(|(before, after)| MachineShares::between(before, after)),
        );
        machine_before = machine_after;
        // A server whose metrics stop answering keeps the seconds read so far.
        if let (Some(metrics), Some(before)) = (metrics, histograms_before.as_ref()) {
            let after = server_histograms(metrics).await;
            if let Some(after) = &after {
                sampled
                    .commits
                    .push(Timings::between(&before.commit, &after.commit));
                sampled
                    .syncs
                    .push(Timings::between(&before.sync, &after.sync));
                sampled
                    .commands
                    .push(Timings::between(&before.command, &after.command));
            }
            histograms_before = after;
        }
    }
    sampled
}

/// The server's cumulative latency histograms, as read from its metrics:
/// `(upper bound in seconds, count)` pairs, in order.
pub(super) struct ServerHistograms {
    /// `moot_store_commit_seconds`.
    pub commit: Vec<(f64, u64)>,
    /// `moot_store_sync_seconds` (empty from a server without it).
    pub sync: Vec<(f64, u64)>,
    /// `moot_command_seconds` (empty from a server without it).
    pub command: Vec<(f64, u64)>,
}

/// Reads the server's cumulative latency histograms from its metrics.
pub(super) async fn server_histograms(metrics: SocketAddr) -> Option<ServerHistograms> {
    let response = http::request(metrics, "GET", "/metrics", &[], "")
        .await
        .ok()?;
    let mut histograms = ServerHistograms {
        commit: Vec::new(),
        sync: Vec::new(),
        command: Vec::new(),
    };
    for line in response.body.lines() {
        let Some((name, rest)) = line.split_once("_seconds_bucket{le=\"") else {
            continue;
        };
        let buckets = match name {
            "moot_store_commit" => &mut histograms.commit,
            "moot_store_sync" => &mut histograms.sync,
            "moot_command" => &mut histograms.command,
            _ => continue,
        };
        let (le, count) = rest.split_once("\"} ")?;
        let le = if le == "+Inf" {
            f64::INFINITY
        } else {
            le.parse().ok()?
        };
        buckets.push((le, count.trim().parse::<f64>().ok()? as u64));
    }
    (!histograms.commit.is_empty()).then_some(histograms)
}

/// The machine's CPU time so far, in clock ticks (the first line of
/// /proc/stat).
#[derive(Clone, Copy)]
pub(super) struct MachineTicks {
    /// All of it.
    total: u64,
    /// Idle, waiting for the disk included.
    idle: u64,
    /// Handling software interrupts: on this benchmark mostly the kernel's
    /// loopback network stack, which no process's CPU time counts.
    softirq: u64,
    /// Given by the hypervisor to other virtual machines.
    steal: u64,
}

/// Reads the machine's CPU time so far.
pub(super) fn machine_cpu_ticks() -> Option<MachineTicks> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let ticks: Vec<u64> = stat
        .lines()
        .next()?
        .split_whitespace()
        .skip(1)
        .filter_map(|field| field.parse().ok())
        .collect();
    // user nice system idle iowait irq softirq steal (guest time is
    // already counted in user).
    Some(MachineTicks {
        total: ticks.iter().take(8).sum(),
        idle: ticks.get(3)? + ticks.get(4)?,
        softirq: *ticks.get(6)?,
        steal: *ticks.get(7)?,
    })
}

/// How the machine's CPU time went between two readings: shares of it.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct MachineShares {
    /// Not idle (steal included).
    pub busy: f64,
    /// Software interrupts (the network stack).
    pub softirq: f64,
    /// Stolen by the hypervisor.
    pub steal: f64,
}

impl MachineShares {
    pub(super) fn between(before: MachineTicks, after: MachineTicks) -> Option<MachineShares> {
        let total = after.total.checked_sub(before.total)?;
        let share = |earlier: u64, later: u64| later.saturating_sub(earlier) as f64 / total as f64;
        (total > 0).then(|| MachineShares {
            busy: 1.0 - share(before.idle, after.idle),
            softirq: share(before.softirq, after.softirq),
            steal: share(before.steal, after.steal),
        })
    }
}

/// Reads a process's resident memory, in KiB.
pub fn resident_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|line| line.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Reads a process's CPU time (user + system), in seconds. Assumes the usual
/// 100 clock ticks per second of Linux.
pub fn cpu_seconds(pid: Option<u32>) -> Option<f64> {
    let path = pid.map_or_else(
        || "/proc/self/stat".to_owned(),
        |pid| format!("/proc/{pid}/stat"),
    );
    let stat = std::fs::read_to_string(path).ok()?;
    // Fields after the parenthesised command name; utime and stime are the 12th and 13th.
    let after_name = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(ticks as f64 / 100.0)
}
