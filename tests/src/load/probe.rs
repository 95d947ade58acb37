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

/// What one of a process's threads had used so far, from
/// `/proc/PID/task/TID/schedstat`: time run, time runnable but waiting for a
/// core, and times scheduled onto one.
#[derive(Clone, Copy, Default)]
pub(super) struct ThreadTicks {
    ran_ns: u64,
    waited_ns: u64,
    scheduled: u64,
}

/// Every thread of a process so far, by thread name (threads of one name,
/// such as tokio's workers, added up), with how many bear it.
pub(super) type ThreadsByName = std::collections::BTreeMap<String, (usize, ThreadTicks)>;

/// Reads the threads of process `pid` (Linux; `None` elsewhere).
pub(super) fn server_threads(pid: u32) -> Option<ThreadsByName> {
    threads_in(std::path::Path::new(&format!("/proc/{pid}/task")))
}

/// Reads every thread under a `/proc/PID/task` directory. A thread that
/// ends while it is read is left out.
fn threads_in(tasks: &std::path::Path) -> Option<ThreadsByName> {
    let mut threads = ThreadsByName::new();
    for task in std::fs::read_dir(tasks).ok()?.flatten() {
        let (Ok(name), Ok(schedstat)) = (
            std::fs::read_to_string(task.path().join("comm")),
            std::fs::read_to_string(task.path().join("schedstat")),
        ) else {
            continue;
        };
        let fields: Vec<u64> = schedstat
            .split_whitespace()
            .filter_map(|field| field.parse().ok())
            .collect();
        let [ran_ns, waited_ns, scheduled] = fields[..] else {
            continue;
        };
        let entry = threads.entry(name.trim().to_owned()).or_default();
        entry.0 += 1;
        entry.1.ran_ns += ran_ns;
        entry.1.waited_ns += waited_ns;
        entry.1.scheduled += scheduled;
    }
    Some(threads)
}

/// How a process's threads of one name spent a phase of `seconds`.
#[derive(Clone, Debug, serde::Serialize)]
pub struct ThreadShare {
    /// The threads' name (`tokio-rt-worker`, `moot-store`, …).
    pub name: String,
    /// How many threads bear it (at the phase's end).
    pub threads: usize,
    /// Time run, as a share of one core.
    pub ran: f64,
    /// Time runnable but waiting for a core, as a share of one core: the
    /// queueing that two cores shared by several busy threads add to
    /// every hop of an action.
    pub waited: f64,
    /// Times scheduled onto a core, per second.
    pub scheduled_per_second: f64,
    /// The mean wait for a core each time, in microseconds.
    pub wait_per_schedule_us: f64,
}

/// What each name's threads did between two readings, busiest first;
/// names that barely ran (under 0.5 % of a core) are left out.
pub(super) fn thread_shares(
    before: &ThreadsByName,
    after: &ThreadsByName,
    seconds: f64,
) -> Vec<ThreadShare> {
    let mut shares: Vec<ThreadShare> = after
        .iter()
        .map(|(name, (threads, later))| {
            let earlier = before
                .get(name)
                .map(|(_, ticks)| *ticks)
                .unwrap_or_default();
            let waited_ns = later.waited_ns.saturating_sub(earlier.waited_ns);
            let scheduled = later.scheduled.saturating_sub(earlier.scheduled);
            let share = |ns: u64| ns as f64 / 1e9 / seconds.max(1e-9);
            ThreadShare {
                name: name.clone(),
                threads: *threads,
                ran: share(later.ran_ns.saturating_sub(earlier.ran_ns)),
                waited: share(waited_ns),
                scheduled_per_second: scheduled as f64 / seconds.max(1e-9),
                wait_per_schedule_us: waited_ns as f64 / 1e3 / scheduled.max(1) as f64,
            }
        })
        .filter(|share| share.ran >= 0.005)
        .collect();
    shares.sort_by(|a, b| b.ran.total_cmp(&a.ran));
    shares
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write_thread(tasks: &std::path::Path, tid: u32, name: &str, schedstat: &str) {
        let dir = tasks.join(tid.to_string());
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("comm"), format!("{name}\n")).unwrap();
        std::fs::write(dir.join("schedstat"), format!("{schedstat}\n")).unwrap();
    }

    #[test]
    fn threads_of_one_name_add_up_and_the_idle_ones_are_left_out() {
        let dir = std::env::temp_dir().join(format!("moot-threads-{}", std::process::id()));
        let before_dir = dir.join("before");
        let after_dir = dir.join("after");
        // Two seconds apart: the workers ran 0.6 s and 0.4 s and waited
        // 0.5 s in all over 2,000 times; the store ran 0.2 s and waited
        // 0.1 s over 1,000; the checkpointer ran 1 ms; one thread's
        // figures are unreadable.
        let threads = [
            (
                &before_dir,
                1,
                "tokio-rt-worker",
                "1000000000 500000000 1000",
            ),
            (&before_dir, 2, "tokio-rt-worker", "2000000000 0 1000"),
            (&before_dir, 3, "moot-store", "0 0 0"),
            (&before_dir, 4, "moot-checkpoint", "0 0 0"),
            (
                &after_dir,
                1,
                "tokio-rt-worker",
                "1600000000 700000000 2500",
            ),
            (
                &after_dir,
                2,
                "tokio-rt-worker",
                "2400000000 300000000 1500",
            ),
            (&after_dir, 3, "moot-store", "200000000 100000000 1000"),
            (&after_dir, 4, "moot-checkpoint", "1000000 0 10"),
            (&after_dir, 5, "broken", "not numbers"),
        ];
        for (tasks, tid, name, schedstat) in threads {
            write_thread(tasks, tid, name, schedstat);
        }
        let before = threads_in(&before_dir).unwrap();
        let after = threads_in(&after_dir).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        let shares = thread_shares(&before, &after, 2.0);
        let names: Vec<&str> = shares.iter().map(|share| share.name.as_str()).collect();
        assert_eq!(names, ["tokio-rt-worker", "moot-store"]);
        let workers = &shares[0];
        assert_eq!(workers.threads, 2);
        assert!((workers.ran - 0.5).abs() < 1e-9, "{workers:?}");
        assert!((workers.waited - 0.25).abs() < 1e-9, "{workers:?}");
        assert!((workers.scheduled_per_second - 1000.0).abs() < 1e-9);
        assert!((workers.wait_per_schedule_us - 250.0).abs() < 1e-9);
        let store = &shares[1];
        assert!((store.ran - 0.1).abs() < 1e-9 && (store.waited - 0.05).abs() < 1e-9);
        assert!((store.wait_per_schedule_us - 100.0).abs() < 1e-9);
    }
}
