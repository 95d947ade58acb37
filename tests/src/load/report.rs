//! What a load run measured and how it is reported: latency percentiles
//! and per-second timelines, the server's memory, CPU and store commits
//! (read by [`super::probe`]), and the text and JSON reports made of them.

use tokio::time::Instant;

use super::probe::{MachineShares, ThreadShare};

/// Latency percentiles, in microseconds.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Latency {
    /// Samples (one per member per action).
    pub samples: usize,
    /// Median.
    pub p50: u64,
    /// 90th percentile.
    pub p90: u64,
    /// 99th percentile.
    pub p99: u64,
    /// The slowest.
    pub max: u64,
}

impl Latency {
    /// The percentiles of `samples`, which must be sorted.
    pub(super) fn of(sorted: &[u32]) -> Latency {
        Latency {
            samples: sorted.len(),
            p50: percentile(sorted, 0.50),
            p90: percentile(sorted, 0.90),
            p99: percentile(sorted, 0.99),
            max: sorted.last().copied().map_or(0, u64::from),
        }
    }

    /// One line: p50, p90, p99 and max in milliseconds, and the sample count.
    fn line(&self) -> String {
        format!(
            "p50 {:.2} ms  p90 {:.2} ms  p99 {:.2} ms  max {:.2} ms  ({} samples)",
            ms(self.p50),
            ms(self.p90),
            ms(self.p99),
            ms(self.max),
            self.samples
        )
    }
}

/// Microseconds as milliseconds.
fn ms(micros: u64) -> f64 {
    micros as f64 / 1000.0
}

/// Room-complete latency of the actions sent in one second of the action phase.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Second {
    /// Seconds since the action phase began (0 is the first second).
    pub second: u64,
    /// The actions sent in this second whose event reached the whole room,
    /// and their percentiles.
    pub latency: Latency,
}

/// What a run measured.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Report {
    /// Connections that completed their handshake.
    pub connected: u64,
    /// Connections that failed to connect or were refused.
    pub connect_failures: u64,
    /// Connections that closed during the run.
    pub dropped: u64,
    /// Actions sent.
    pub actions: u64,
    /// Actions acknowledged.
    pub acked: u64,
    /// Actions or messages rejected.
    pub rejected: u64,
    /// Events a member never received (gaps in its sequence numbers).
    pub lost: u64,
    /// Events a member received twice.
    pub duplicated: u64,
    /// Action-to-every-member latency: one sample per member per action.
    pub latency: Latency,
    /// Room-complete latency: one sample per action, from sending it to its
    /// event at the last member of its room.
    pub room_complete: Latency,
    /// Room-complete latency per second of the action phase.
    pub timeline: Vec<Second>,
    /// Join latency: one sample per connection that was welcomed, from
    /// opening its TCP connection to its `welcome` (what a phone waits for
    /// between tapping "join" and seeing the room).
    pub join: Latency,
    /// Join latency per second of the connecting phase (by when each
    /// connection began).
    pub join_timeline: Vec<Second>,
    /// From the first connection's start to the last `welcome`, in seconds.
    pub connect_seconds: f64,
    /// CPU seconds the server used while the members connected.
    pub server_cpu_connect_seconds: Option<f64>,
    /// Actions sent, by command type.
    pub mix: std::collections::BTreeMap<String, u64>,
    /// The server's resident memory before any meetup was opened, in KiB.
    pub server_rss_start_kib: Option<u64>,
    /// Meetups opened (each by the facilitator's `POST`, before anyone connects).
    pub meetups: u64,
    /// The server's resident memory before connecting, in KiB.
    pub server_rss_before_kib: Option<u64>,
    /// The server's resident memory with everyone connected and idle, in KiB.
    pub server_rss_connected_kib: Option<u64>,
    /// CPU seconds the server used during the action phase.
    pub server_cpu_seconds: Option<f64>,
    /// How the server's threads spent the action phase, by thread name,
    /// busiest first (when its process id is known; Linux).
    pub server_threads: Vec<ThreadShare>,
    /// CPU seconds this load generator used during the action phase.
    pub loadgen_cpu_seconds: Option<f64>,
    /// Length of the action phase, in seconds.
    pub action_seconds: f64,
    /// The server's store commits during the action phase (from its
    /// metrics, when their listener is known).
    pub store_commits: Option<Timings>,
    /// The same, second by second of the action phase (read every
    /// second), so a slow second can be matched to a slow commit.
    pub commit_timeline: Vec<Timings>,
    /// The server's syncs of its store's log during the action phase (SQLite
    /// at `--sync full` syncs beside its commits; none otherwise): with the
    /// commits, the split of the store's time into the database's work and
    /// the disk's.
    pub store_syncs: Option<Timings>,
    /// The same, second by second, beside `commit_timeline`.
    pub sync_timeline: Vec<Timings>,
    /// The server's part of every action that changed a room, from the
    /// command's arrival on its connection to its frames queued for the
    /// room (from its metrics): what of room-complete latency is the
    /// server's, the rest being the sockets, the network stack and this
    /// load generator waiting for a core.
    pub server_commands: Option<Timings>,
    /// The same, second by second.
    pub command_timeline: Vec<Timings>,
    /// How busy the machine was, and the hypervisor's steal, second by
    /// second beside the latency timeline (read from /proc/stat; `None` for
    /// a second it could not be read).
    pub machine_timeline: Vec<Option<MachineShares>>,
    /// Share of the machine's CPU time the hypervisor gave to other
    /// virtual machines during the action phase (`steal` in /proc/stat).
    pub steal_share: Option<f64>,
    /// How busy the whole machine was during the action phase: at high
    /// rates the two processes' own CPU times leave out the kernel's
    /// network stack (software interrupts), which this counts.
    pub machine: Option<MachineShares>,
}

/// What one of the server's latency histograms counted between two
/// readings: its store's commits (one batch of writes each,
/// `moot_store_commit_seconds`), the syncs of its log
/// (`moot_store_sync_seconds`), or its participants' commands from arrival
/// to their frames queued (`moot_command_seconds`: the server's whole part
/// of an action's latency, the store's included).
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Timings {
    /// How many were timed.
    pub count: u64,
    /// The upper bound of the histogram bucket holding the median, in ms.
    pub p50_at_most_ms: f64,
    /// The same for the 99th percentile.
    pub p99_at_most_ms: f64,
    /// How many took longer than 4 ms.
    pub over_4_ms: u64,
    /// The upper bound of the bucket holding the slowest, in ms.
    pub slowest_at_most_ms: f64,
}

impl Timings {
    /// What was timed between two readings of the cumulative histogram
    /// (`(upper bound in seconds, count)` pairs, in order).
    pub(super) fn between(before: &[(f64, u64)], after: &[(f64, u64)]) -> Timings {
        let buckets: Vec<(f64, u64)> = after
            .iter()
            .map(|(le, count)| {
                let earlier = before
                    .iter()
                    .find(|(bound, _)| bound == le)
                    .map_or(0, |(_, count)| *count);
                (*le, count.saturating_sub(earlier))
            })
            .collect();
        let timed = buckets.last().map_or(0, |(_, count)| *count);
        let at_most = |share: f64| {
            buckets
                .iter()
                .find(|(_, count)| *count as f64 >= share * timed as f64)
                .map_or(f64::INFINITY, |(le, _)| le * 1000.0)
        };
        let within_4_ms = buckets
            .iter()
            .rev()
            .find(|(le, _)| *le <= 0.004 + 1e-9)
            .map_or(0, |(_, count)| *count);
        Timings {
            count: timed,
            p50_at_most_ms: at_most(0.5),
            p99_at_most_ms: at_most(0.99),
            over_4_ms: timed.saturating_sub(within_4_ms),
            slowest_at_most_ms: at_most(1.0),
        }
    }
}

impl Report {
    /// Server memory per opened meetup, in bytes, from the resident size
    /// before opening them and before anyone connected: what a meetup costs
    /// by itself (its room task, state and stored opening), its
    /// participants excluded.
    pub fn bytes_per_meetup(&self) -> Option<f64> {
        let (start, before) = (self.server_rss_start_kib?, self.server_rss_before_kib?);
        (self.meetups > 0)
            .then(|| (before.saturating_sub(start) * 1024) as f64 / self.meetups as f64)
    }

    /// Server memory per connection, in bytes, from the resident size before
    /// and after connecting.
    pub fn bytes_per_connection(&self) -> Option<f64> {
        let (before, after) = (self.server_rss_before_kib?, self.server_rss_connected_kib?);
        (self.connected > 0)
            .then(|| (after.saturating_sub(before) * 1024) as f64 / self.connected as f64)
    }
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "connections held     {} (failed {}, dropped {})",
            self.connected, self.connect_failures, self.dropped
        )?;
        writeln!(
            f,
            "actions              {} sent, {} acked, {} rejected",
            self.actions, self.acked, self.rejected
        )?;
        let mix: Vec<String> = self
            .mix
            .iter()
            .map(|(kind, count)| format!("{kind} {count}"))
            .collect();
        writeln!(f, "action mix           {}", mix.join(", "))?;
        writeln!(f, "events lost          {}", self.lost)?;
        writeln!(f, "events duplicated    {}", self.duplicated)?;
        writeln!(f, "fan-out latency      {}", self.latency.line())?;
        writeln!(f, "room-complete        {}", self.room_complete.line())?;
        writeln!(
            f,
            "joins                {}\n                     {:.0} a second over {:.1} s",
            self.join.line(),
            self.join.samples as f64 / self.connect_seconds.max(0.001),
            self.connect_seconds
        )?;
        let slowest_join: Vec<String> = self
            .join_timeline
            .iter()
            .map(|second| format!("{:.0}", ms(second.latency.max)))
            .collect();
        writeln!(f, "slowest join by second (ms): {}", slowest_join.join(" "))?;
        if let Some(bytes) = self.bytes_per_meetup() {
            writeln!(
                f,
                "server memory        {:.1} KiB per meetup ({} KiB before opening {})",
                bytes / 1024.0,
                self.server_rss_start_kib.unwrap_or(0),
                self.meetups
            )?;
        }
        if let Some(bytes) = self.bytes_per_connection() {
            writeln!(
                f,
                "server memory        {:.1} KiB per connection ({} KiB before, {} KiB connected)",
                bytes / 1024.0,
                self.server_rss_before_kib.unwrap_or(0),
                self.server_rss_connected_kib.unwrap_or(0)
            )?;
        }
        let share =
            |seconds: Option<f64>| seconds.map(|cpu| 100.0 * cpu / self.action_seconds.max(0.001));
        if let Some(cpu) = self.server_cpu_connect_seconds {
            writeln!(
                f,
                "server CPU           {:.0}% of one core while connecting",
                100.0 * cpu / self.connect_seconds.max(0.001)
            )?;
        }
        if let Some(server) = share(self.server_cpu_seconds) {
            writeln!(
                f,
                "server CPU           {server:.0}% of one core during actions"
            )?;
        }
        for thread in &self.server_threads {
            writeln!(
                f,
                "  thread {:<20} ×{}  ran {:>3.0}%, waited for a core {:>3.0}%, scheduled {:>6.0}/s, {:>4.0} µs a wait",
                thread.name,
                thread.threads,
                thread.ran * 100.0,
                thread.waited * 100.0,
                thread.scheduled_per_second,
                thread.wait_per_schedule_us
            )?;
        }
        if let Some(loadgen) = share(self.loadgen_cpu_seconds) {
            writeln!(
                f,
                "load generator CPU   {loadgen:.0}% of one core during actions"
            )?;
        }
        if let Some(commits) = &self.store_commits {
            writeln!(
                f,
                "store commits        {} (p50 ≤ {} ms, p99 ≤ {} ms, {} over 4 ms, slowest ≤ {} ms; from the server's metrics)",
                commits.count,
                commits.p50_at_most_ms,
                commits.p99_at_most_ms,
                commits.over_4_ms,
                commits.slowest_at_most_ms
            )?;
        }
        if let Some(syncs) = self.store_syncs.as_ref().filter(|syncs| syncs.count > 0) {
            writeln!(
                f,
                "store log syncs      {} (p50 ≤ {} ms, p99 ≤ {} ms, {} over 4 ms, slowest ≤ {} ms; each covers the commits before it)",
                syncs.count,
                syncs.p50_at_most_ms,
                syncs.p99_at_most_ms,
                syncs.over_4_ms,
                syncs.slowest_at_most_ms
            )?;
        }
        if let Some(commands) = self
            .server_commands
            .as_ref()
            .filter(|commands| commands.count > 0)
        {
            writeln!(
                f,
                "server's part        {} commands (p50 ≤ {} ms, p99 ≤ {} ms, {} over 4 ms, slowest ≤ {} ms; arrival to frames queued, store included)",
                commands.count,
                commands.p50_at_most_ms,
                commands.p99_at_most_ms,
                commands.over_4_ms,
                commands.slowest_at_most_ms
            )?;
        }
        if let Some(machine) = &self.machine {
            writeln!(
                f,
                "machine CPU          {:.0}% busy during actions ({:.0}% in software interrupts, the network stack)",
                machine.busy * 100.0,
                machine.softirq * 100.0
            )?;
        }
        if let Some(steal) = self.steal_share {
            writeln!(
                f,
                "hypervisor steal     {:.1}% of the machine's CPU time during actions",
                steal * 100.0
            )?;
        }
        writeln!(
            f,
            "room-complete latency by second (of sending), the server's slowest commit, log sync and command (its part: arrival to frames queued) in that second, and how busy the machine was (steal: the hypervisor's share):\n  second  actions   p50 ms   p99 ms   max ms   slowest commit ≤ ms   slowest sync ≤ ms   slowest command ≤ ms   busy %   steal %"
        )?;
        let slowest_in = |timeline: &[Timings], second: u64| {
            in_second(timeline, second)
                .filter(|commits| commits.count > 0)
                .map_or_else(
                    || "-".to_owned(),
                    |commits| commits.slowest_at_most_ms.to_string(),
                )
        };
        let machine_in = |second: u64| {
            in_second(&self.machine_timeline, second)
                .and_then(Option::as_ref)
                .map_or_else(
                    || ("-".to_owned(), "-".to_owned()),
                    |shares| {
                        (
                            format!("{:.0}", shares.busy * 100.0),
                            format!("{:.1}", shares.steal * 100.0),
                        )
                    },
                )
        };
        for second in &self.timeline {
            let latency = &second.latency;
            let (busy, steal) = machine_in(second.second);
            writeln!(
                f,
                "  {:>6}  {:>7}  {:>7.2}  {:>7.2}  {:>7.2}  {:>8}              {:>8}           {:>8}               {:>6}   {:>7}",
                second.second,
                latency.samples,
                ms(latency.p50),
                ms(latency.p99),
                ms(latency.max),
                slowest_in(&self.commit_timeline, second.second),
                slowest_in(&self.sync_timeline, second.second),
                slowest_in(&self.command_timeline, second.second),
                busy,
                steal
            )?;
        }
        Ok(())
    }
}

/// A per-second timeline's entry for `second` of the action phase.
fn in_second<T>(timeline: &[T], second: u64) -> Option<&T> {
    timeline.get(usize::try_from(second).ok()?)
}

fn percentile(sorted: &[u32], fraction: f64) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    let index = ((sorted.len() as f64 - 1.0) * fraction).round() as usize;
    u64::from(sorted[index.min(sorted.len() - 1)])
}

/// Latencies by the second (since `started`) their action was sent or
/// their connection began in.
pub(super) fn timeline(started: Instant, samples: &[(Instant, u32)]) -> Vec<Second> {
    let mut by_second: std::collections::BTreeMap<u64, Vec<u32>> = Default::default();
    for (sent, micros) in samples {
        let second = sent.saturating_duration_since(started).as_secs();
        by_second.entry(second).or_default().push(*micros);
    }
    by_second
        .into_iter()
        .map(|(second, mut samples)| {
            samples.sort_unstable();
            Second {
                second,
                latency: Latency::of(&samples),
            }
        })
        .collect()
}
