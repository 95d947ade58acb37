//! The load generator: many meetups of real WebSocket clients speaking moot's
//! protocol, a realistic mix of actions, and honest measurements.
//!
//! Each room is one task that owns its participants' sockets. After every
//! room is connected (at a controlled rate) and the server has idled, each
//! room sends one action every `action_interval` from a rotating member. Every
//! member records when each event arrives; the sender learns the event's
//! sequence number from the `ack`, so the fan-out latency is the time from
//! sending the action to its event reaching each member of the room. Gaps and
//! repeats in each member's sequence numbers count as lost and duplicated
//! events.
//!
//! Two measures of latency (issue 19): per member (one sample per member per
//! action, as moot's earlier numbers were made) and room-complete (one sample
//! per action: from sending it to its event at the last member of the room,
//! as outside load generators measure a broadcast). Room-complete latency is
//! also reported second by second of the action phase (by the second the
//! action was sent), so a stall shows as the second it happened in.
//!
//! Joins are timed too: from opening a connection to its `welcome`, at the
//! configured arrival rate (meetup by meetup), with their own per-second
//! timeline. The server's memory is read before the meetups are opened,
//! before anyone connects and once everyone idles, for the cost of a
//! meetup and of a connection.
//!
//! This module opens the meetups and runs the phases; `room` is one
//! meetup's clients, `mix` what each member does next, `probe` what is
//! read from /proc and the server's metrics, and [`report`] the measures
//! and how they are printed.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use anyhow::bail;
use moot_server::http::OpenedMeetupResponse;
use tokio::sync::Barrier;
use tokio::time::{Instant, interval};

use crate::http;

mod mix;
mod probe;
pub mod report;
mod room;

pub(crate) use room::string_after;
use room::{Steps, run_room};

pub use probe::{MachineShares, ThreadShare, cpu_seconds, resident_kib};
use probe::{by_second, machine_cpu_ticks, server_histograms, server_threads, thread_shares};
use report::timeline;
pub use report::{Latency, Report, Second, Timings};

/// What to run.
#[derive(Clone, Debug)]
pub struct LoadConfig {
    /// The server, e.g. `127.0.0.1:8080`.
    pub server: SocketAddr,
    /// Meetups to open.
    pub rooms: usize,
    /// Participants per meetup (the facilitator included).
    pub participants: usize,
    /// New connections per second while connecting.
    pub connect_rate: u32,
    /// How long everyone stays connected and idle before actions start
    /// (memory is measured at its end).
    pub idle: Duration,
    /// Each room sends one action this often.
    pub action_interval: Duration,
    /// How long actions are sent.
    pub duration: Duration,
    /// Client sockets are spread over 127.0.0.1 … 127.0.0.N, so that tens of
    /// thousands of connections do not exhaust one address's ports.
    pub source_addresses: u8,
    /// The server's process id, to read its memory, CPU time and threads.
    pub server_pid: Option<u32>,
    /// The server's metrics listener (`--metrics-bind`), to read how long
    /// its store took to commit during the action phase.
    pub metrics: Option<SocketAddr>,
}

/// Counters shared by every room task.
#[derive(Default)]
struct Counters {
    connected: AtomicU64,
    connect_failures: AtomicU64,
    dropped: AtomicU64,
    actions: AtomicU64,
    acked: AtomicU64,
    rejected: AtomicU64,
    lost: AtomicU64,
    duplicated: AtomicU64,
}

/// Hands out connection slots at the configured rate, meetup by meetup:
/// the members of one meetup take consecutive slots, as people of one
/// meetup join around the same time. (Handing them out first come, first
/// served took every meetup's first member, then every second one, and so
/// on: each room's facilitator set it up only once its last member was in,
/// so 2,400 rooms' setups (4,800 commands shown to 8 people each) all fell
/// into the last two seconds of joining, which the join latency then
/// measured.)
struct Pacer {
    start: Instant,
    gap: Duration,
}

impl Pacer {
    fn new(rate: u32) -> Pacer {
        Pacer {
            start: Instant::now(),
            gap: Duration::from_secs_f64(1.0 / f64::from(rate.max(1))),
        }
    }

    /// Waits for the connection slot `index` (counted over every meetup's
    /// members in turn); a slot already past is taken at once.
    async fn wait(&self, index: usize) {
        let offset = self.gap.mul_f64(index as f64);
        tokio::time::sleep_until(self.start + offset).await;
    }
}

/// Opens the meetups, runs the load, and reports.
///
/// # Errors
///
/// When meetups cannot be opened.
pub async fn run(config: LoadConfig) -> anyhow::Result<Report> {
    let config = Arc::new(config);
    let rss_start = config.server_pid.and_then(resident_kib);
    let mut opened = Vec::with_capacity(config.rooms);
    for index in 0..config.rooms {
        let body = format!(r#"{{"title":"Load {index}","facilitator_name":"P0"}}"#);
        let response = http::request(
            config.server,
            "POST",
            "/api/meetups",
            &[("content-type", "application/json")],
            &body,
        )
        .await?;
        if response.status != 201 {
            bail!(
                "opening meetup {index}: {} {}",
                response.status,
                response.body
            );
        }
        opened.push(serde_json::from_str::<OpenedMeetupResponse>(
            &response.body,
        )?);
    }
    let rss_before = config.server_pid.and_then(resident_kib);
    let meetups = opened.len() as u64;
    let server_cpu_connecting = config.server_pid.and_then(|pid| cpu_seconds(Some(pid)));
    let connecting = Instant::now();
    let counters = Arc::new(Counters::default());
    let pacer = Arc::new(Pacer::new(config.connect_rate));
    let steps = Arc::new(Steps {
        connected: Barrier::new(config.rooms + 1),
        start_actions: Barrier::new(config.rooms + 1),
        finished: Barrier::new(config.rooms + 1),
    });
    let mut rooms = Vec::with_capacity(config.rooms);
    for (index, meetup) in opened.into_iter().enumerate() {
        rooms.push(tokio::spawn(run_room(
            config.clone(),
            index,
            meetup,
            pacer.clone(),
            counters.clone(),
            steps.clone(),
        )));
    }
    steps.connected.wait().await;
    let server_cpu_connect_seconds = server_cpu_connecting
        .zip(config.server_pid.and_then(|pid| cpu_seconds(Some(pid))))
        .map(|(before, after)| after - before);
    tokio::time::sleep(config.idle).await;
    let rss_connected = config.server_pid.and_then(resident_kib);
    let server_cpu_before = config.server_pid.and_then(|pid| cpu_seconds(Some(pid)));
    let own_cpu_before = cpu_seconds(None);
    let threads_before = config.server_pid.and_then(server_threads);
    let histograms_before = match config.metrics {
        Some(metrics) => server_histograms(metrics).await,
        None => None,
    };
    let machine_before = machine_cpu_ticks();
    let started = Instant::now();
    let (stop_sampling, sampling_stopped) = tokio::sync::oneshot::channel();
    let sampler = tokio::spawn(by_second(config.metrics, sampling_stopped));
    steps.start_actions.wait().await;
    // Measured once every room is done measuring and before any hangs up:
    // 19,200 departures are not the action phase.
    steps.finished.wait().await;
    let _ = stop_sampling.send(());
    let sampled = sampler.await.unwrap_or_default();
    let action_seconds = started.elapsed().as_secs_f64();
    let server_cpu =
        server_cpu_before.zip(config.server_pid.and_then(|pid| cpu_seconds(Some(pid))));
    let own_cpu = own_cpu_before.zip(cpu_seconds(None));
    let threads = threads_before
        .zip(config.server_pid.and_then(server_threads))
        .map(|(before, after)| thread_shares(&before, &after, action_seconds))
        .unwrap_or_default();
    let machine = machine_before
        .zip(machine_cpu_ticks())
        .and_then(|(before, after)| MachineShares::between(before, after));
    let steal_share = machine.as_ref().map(|machine| machine.steal);
    let histograms_after = match config.metrics {
        Some(metrics) => server_histograms(metrics).await,
        None => None,
    };
    let (store_commits, store_syncs, server_commands) = match (histograms_before, histograms_after)
    {
        (Some(before), Some(after)) => (
            Some(Timings::between(&before.commit, &after.commit)),
            Some(Timings::between(&before.sync, &after.sync)),
            Some(Timings::between(&before.command, &after.command)),
        ),
        _ => (None, None, None),
    };
    let mut samples = Vec::new();
    let mut complete = Vec::new();
    let mut mix = std::collections::BTreeMap::new();
    let mut joins = Vec::new();
    for room in rooms {
        let outcome = room.await.unwrap_or_default();
        joins.extend(outcome.joins);
        samples.extend(outcome.samples);
        complete.extend(outcome.complete);
        for (kind, count) in outcome.kinds {
            *mix.entry(kind).or_default() += count;
        }
    }
    samples.sort_unstable();
    let first_join = joins
        .iter()
        .map(|(began, _)| *began)
        .min()
        .unwrap_or(connecting);
    let all_welcomed = joins
        .iter()
        .map(|(began, micros)| *began + Duration::from_micros(u64::from(*micros)))
        .max()
        .unwrap_or(connecting);
    let join_timeline = timeline(first_join, &joins);
    let timeline = timeline(started, &complete);
    let mut joins: Vec<u32> = joins.into_iter().map(|(_, micros)| micros).collect();
    joins.sort_unstable();
    let mut complete: Vec<u32> = complete.into_iter().map(|(_, micros)| micros).collect();
    complete.sort_unstable();
    let counter = |value: &AtomicU64| value.load(Ordering::Relaxed);
    Ok(Report {
        connected: counter(&counters.connected),
        connect_failures: counter(&counters.connect_failures),
        dropped: counter(&counters.dropped),
        actions: counter(&counters.actions),
        acked: counter(&counters.acked),
        rejected: counter(&counters.rejected),
        lost: counter(&counters.lost),
        duplicated: counter(&counters.duplicated),
        latency: Latency::of(&samples),
        room_complete: Latency::of(&complete),
        timeline,
        join: Latency::of(&joins),
        join_timeline,
        connect_seconds: all_welcomed
            .saturating_duration_since(first_join)
            .as_secs_f64(),
        server_cpu_connect_seconds,
        server_rss_start_kib: rss_start,
        meetups,
        server_rss_before_kib: rss_before,
        server_rss_connected_kib: rss_connected,
        server_cpu_seconds: server_cpu.map(|(before, after)| after - before),
        loadgen_cpu_seconds: own_cpu.map(|(before, after)| after - before),
        server_threads: threads,
        action_seconds,
        mix,
        store_commits,
        commit_timeline: sampled.commits,
        store_syncs,
        sync_timeline: sampled.syncs,
        server_commands,
        command_timeline: sampled.commands,
        machine_timeline: sampled.machine,
        steal_share,
        machine,
    })
}

/// Waits until a server answers `/healthz`.
///
/// # Errors
///
/// When it does not within `patience`.
pub async fn wait_healthy(server: SocketAddr, patience: Duration) -> anyhow::Result<()> {
    let deadline = Instant::now() + patience;
    let mut ticks = interval(Duration::from_millis(100));
    loop {
        ticks.tick().await;
        if let Ok(response) = http::request(server, "GET", "/healthz", &[], "").await
            && response.status == 200
        {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("the server at {server} did not become healthy");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Connection slots go meetup by meetup, whoever asks first: a
    /// meetup's second member (slot 1) is not queued behind the next
    /// meetup's first (slot 8, at 8 participants), however early that one
    /// asked, so each room's facilitator sets it up as soon as its own
    /// members are in, spread over the whole connecting phase.
    #[tokio::test(start_paused = true)]
    async fn members_of_one_meetup_take_consecutive_slots() {
        let pacer = Arc::new(Pacer::new(1000));
        let began = Instant::now();
        let next_meetups_first = tokio::spawn({
            let pacer = Arc::clone(&pacer);
            async move {
                pacer.wait(8).await;
                began.elapsed()
            }
        });
        tokio::task::yield_now().await;
        pacer.wait(1).await;
        assert_eq!(began.elapsed(), Duration::from_millis(1));
        assert_eq!(next_meetups_first.await.unwrap(), Duration::from_millis(8));
        // A slot already past is taken at once.
        pacer.wait(3).await;
        assert_eq!(began.elapsed(), Duration::from_millis(8));
    }
}
