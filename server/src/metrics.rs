//! Prometheus metrics: what the server counts as it works, and `GET
//! /metrics`, which is served only on a listener of its own
//! (`--metrics-bind`), never on the public address.
//!
//! The hot path is an atomic add. Every label value is known when the
//! server starts (the wire names of commands, events and rejections come
//! from the types, through [`Variants::ALL_NAMES`]), so each counter is made
//! once and counting a message is an index into a slice: no map lookup and
//! no lock per event, and the label sets cannot grow with what clients
//! send. The locks are inside the latency histograms: the store's, taken
//! once per committed batch or sync, and the commands', once per command
//! that changed a room; all by the store's threads, which take them one
//! at a time.
//!
//! The registry and the text format are `prometheus-client`'s (the
//! Prometheus project's own Rust client); `/metrics` answers in the
//! Prometheus text format, version 0.0.4.

use std::fmt;
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use moot_shared::json::Variants;
use moot_shared::{Command, Event, Rejection};
use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeMetric, prometheus_text};
use prometheus_client::metrics::counter::{ConstCounter, Counter};
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::{ConstGauge, Gauge};
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::metrics::info::Info;
use prometheus_client::registry::{Registry, Unit};
use tokio::net::TcpListener;

use crate::AppState;

/// One label and its value.
type Label = [(&'static str, &'static str); 1];

/// One counter per variant of an enum, labelled with the variant's wire name.
struct ByVariant {
    /// At each variant's [`Variants::variant_index`].
    counters: Box<[Counter]>,
}

impl ByVariant {
    fn register<T: Variants>(
        registry: &mut Registry,
        name: &str,
        help: &str,
        label: &'static str,
    ) -> ByVariant {
        let family = Family::<Label, Counter>::default();
        let counters = T::ALL_NAMES
            .iter()
            .map(|value| family.get_or_create(&[(label, *value)]).clone())
            .collect();
        registry.register(name, help, family);
        ByVariant { counters }
    }

    fn count(&self, value: &impl Variants) {
        // The index is in range by construction (`ALL_NAMES` has an entry
        // per variant); `get` keeps a mistake from becoming a panic.
        if let Some(counter) = self.counters.get(value.variant_index()) {
            counter.inc();
        }
    }
}

/// What a WebSocket connection is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// A participant (facilitators included).
    Participant,
    /// A shared screen, which watches.
    Screen,
}

/// How a connection was brought up to date in its `welcome`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CatchUp {
    /// A resuming client got the events it missed, from memory.
    Replay,
    /// A new connection (no `last_seq`) got the whole room.
    Snapshot,
    /// A resuming client was too far behind for a replay and got the whole
    /// room instead. Many of these mean the replay window is too small.
    ResumeSnapshot,
}

/// Every metric of one server. Cheap to share: bump through `&self`.
pub struct Metrics {
    registry: Registry,
    meetups: Gauge,
    meetups_max: Gauge,
    commands: ByVariant,
    events: ByVariant,
    rejections: ByVariant,
    /// Participants, screens.
    connections: [Gauge; 2],
    /// Replay, snapshot, resume snapshot.
    welcomes: [Counter; 3],
    send_queue_drops: Counter,
    store_commit: Histogram,
    store_sync: Histogram,
    command: Histogram,
}

impl fmt::Debug for Metrics {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.debug_struct("Metrics").finish_non_exhaustive()
    }
}

impl Default for Metrics {
    fn default() -> Metrics {
        Metrics::new()
    }
}

impl Metrics {
    /// Every metric at zero, registered for `/metrics`.
    pub fn new() -> Metrics {
        let mut registry = Registry::default();
        registry.register(
            "moot_build",
            "The moot version this server runs",
            Info::new([("version", env!("CARGO_PKG_VERSION"))]),
        );
        let meetups = Gauge::default();
        registry.register(
            "moot_meetups",
            "Meetups this server holds (ended ones too, until purged)",
            meetups.clone(),
        );
        let meetups_max = Gauge::default();
        registry.register(
            "moot_meetups_max",
            "The most meetups this server holds at once (--max-rooms)",
            meetups_max.clone(),
        );
        let connection_family = Family::<Label, Gauge>::default();
        let connections = ["participant", "screen"]
            .map(|role| connection_family.get_or_create(&[("role", role)]).clone());
        registry.register(
            "moot_connections",
            "Open WebSocket connections past their handshake, by role",
            connection_family,
        );
        let commands = ByVariant::register::<Command>(
            &mut registry,
            "moot_commands",
            "Commands rooms decided, by command (server-made ones such as join and tick too)",
            "command",
        );
        let events = ByVariant::register::<Event>(
            &mut registry,
            "moot_events",
            "Events stored and sent to rooms, by event",
            "event",
        );
        let rejections = ByVariant::register::<Rejection>(
            &mut registry,
            "moot_rejections",
            "Refused commands, messages and handshakes (rejected and refused), by reason",
            "reason",
        );
        let welcome_family = Family::<Label, Counter>::default();
        let welcomes = ["replay", "snapshot", "resume_snapshot"]
            .map(|kind| welcome_family.get_or_create(&[("catch_up", kind)]).clone());
        registry.register(
            "moot_welcomes",
            "Connections welcomed, by how they were caught up: replay (a resume, from memory), \
             snapshot (a new connection), resume_snapshot (a resume too far behind for replay)",
            welcome_family,
        );
        let send_queue_drops = Counter::default();
        registry.register(
            "moot_send_queue_drops",
            "Connections cut off because their send queue was full (a client not reading); \
             they reconnect and resume",
            send_queue_drops.clone(),
        );
        // 0.25 ms to about 1 s: an fsync on a good disk to a disk in trouble.
        let store_commit = Histogram::new(exponential_buckets(0.000_25, 2.0, 13));
        registry.register_with_unit(
            "moot_store_commit",
            "Time to commit one batch of writes to the database (at --sync full with \
             SQLite, its log is synced after, see moot_store_sync)",
            Unit::Seconds,
            store_commit.clone(),
        );
        let store_sync = Histogram::new(exponential_buckets(0.000_25, 2.0, 13));
        registry.register_with_unit(
            "moot_store_sync",
            "Time to sync the database's log to disk once (SQLite at --sync full): the \
             commits it covers are acknowledged after it",
            Unit::Seconds,
            store_sync.clone(),
        );
        // 0.125 ms to about 1 s, so that the 4 ms bound of the store's
        // histograms is one of its bounds too.
        let command = Histogram::new(exponential_buckets(0.000_125, 2.0, 14));
        registry.register_with_unit(
            "moot_command",
            "Time from a participant's command arriving on its connection to its events and \
             acknowledgement queued for the room's connections: decided, stored and (at --sync \
             full) synced. The server's part of an action's latency; the rest is sending and \
             the network",
            Unit::Seconds,
            command.clone(),
        );
        registry.register_collector(Box::new(ProcessCollector));
        Metrics {
            registry,
            meetups,
            meetups_max,
            commands,
            events,
            rejections,
            connections,
            welcomes,
            send_queue_drops,
            store_commit,
            store_sync,
            command,
        }
    }

    /// A room decided a command.
    pub fn command(&self, command: &Command) {
        self.commands.count(command);
    }

    /// A room stored and sent an event.
    pub fn event(&self, event: &Event) {
        self.events.count(event);
    }

    /// A client was told `rejected` or `refused` with this reason.
    pub fn rejection(&self, reason: &Rejection) {
        self.rejections.count(reason);
    }

    /// A connection passed its handshake; it counts as open until the
    /// returned guard is dropped.
    pub fn connected(&self, role: Role) -> Connected {
        let gauge = self.connections[role as usize].clone();
        gauge.inc();
        Connected(gauge)
    }

    /// A connection was welcomed.
    pub fn welcome(&self, catch_up: CatchUp) {
        self.welcomes[catch_up as usize].inc();
    }

    /// A connection was cut off because its send queue was full.
    pub fn send_queue_drop(&self) {
        self.send_queue_drops.inc();
    }

    /// The store committed a batch in this time.
    pub fn store_committed(&self, took: Duration) {
        self.store_commit.observe(took.as_secs_f64());
    }

    /// The store synced its log to disk in this time.
    pub fn store_synced(&self, took: Duration) {
        self.store_sync.observe(took.as_secs_f64());
    }

    /// A participant's command had its events and acknowledgement queued
    /// for the room this long after it arrived.
    pub fn command_shown(&self, took: Duration) {
        self.command.observe(took.as_secs_f64());
    }

    /// Every metric in the Prometheus text format, with the meetup counts
    /// read now.
    ///
    /// # Errors
    ///
    /// Only if formatting fails, which writing into a `String` does not.
    pub fn render(&self, meetups: usize, meetups_max: usize) -> Result<String, fmt::Error> {
        self.meetups.set(i64::try_from(meetups).unwrap_or(i64::MAX));
        self.meetups_max
            .set(i64::try_from(meetups_max).unwrap_or(i64::MAX));
        let mut text = String::with_capacity(32 * 1024);
        prometheus_text::encode(&mut text, &self.registry)?;
        Ok(text)
    }
}

/// An open connection, counted until dropped.
pub struct Connected(Gauge);

impl Drop for Connected {
    fn drop(&mut self) {
        self.0.dec();
    }
}

/// The process's own resources, read from `/proc/self` at each scrape
/// (Linux; elsewhere they are left out), under the names Prometheus's
/// client libraries use, so existing dashboards and alerts fit. (Help texts
/// end with a period here because the registry adds one only to the
/// metrics registered with it.)
#[derive(Debug)]
struct ProcessCollector;

/// A value read at scrape time.
enum Reading {
    Gauge(i64),
    Counter(f64),
}

impl Collector for ProcessCollector {
    fn encode(&self, mut encoder: DescriptorEncoder) -> Result<(), fmt::Error> {
        let readings = [
            (
                "process_resident_memory",
                "Resident memory size.",
                Some(Unit::Bytes),
                process::resident_bytes().map(Reading::Gauge),
            ),
            (
                "process_cpu",
                "User and system CPU time spent.",
                Some(Unit::Seconds),
                process::cpu_seconds().map(Reading::Counter),
            ),
            (
                "process_open_fds",
                "Open file descriptors (every connection is one).",
                None,
                process::open_files().map(Reading::Gauge),
            ),
            (
                "process_max_fds",
                "The most file descriptors the process may open.",
                None,
                process::max_open_files().map(Reading::Gauge),
            ),
        ];
        for (name, help, unit, reading) in readings {
            let unit = unit.as_ref();
            match reading {
                Some(Reading::Gauge(value)) => {
                    encode_one(&mut encoder, name, help, unit, &ConstGauge::new(value))?;
                }
                Some(Reading::Counter(value)) => {
                    encode_one(&mut encoder, name, help, unit, &ConstCounter::new(value))?;
                }
                None => {}
            }
        }
        Ok(())
    }
}

/// Writes one metric read at scrape time, with its `HELP` and `TYPE`.
fn encode_one(
    encoder: &mut DescriptorEncoder,
    name: &str,
    help: &str,
    unit: Option<&Unit>,
    metric: &impl EncodeMetric,
) -> Result<(), fmt::Error> {
    metric.encode(encoder.encode_descriptor(name, help, unit, metric.metric_type())?)
}

/// Readings from `/proc/self`; `None` where it is missing or unreadable.
mod process {
    use std::fs;

    /// Resident set size. `VmRSS` in `status` is in KiB, so no page size is
    /// needed (`statm` counts pages, and asking the page size takes a libc
    /// call, which safe std Rust does not offer).
    pub(super) fn resident_bytes() -> Option<i64> {
        let status = fs::read_to_string("/proc/self/status").ok()?;
        let line = status.lines().find(|line| line.starts_with("VmRSS:"))?;
        let kib: i64 = line.split_whitespace().nth(1)?.parse().ok()?;
        kib.checked_mul(1024)
    }

    /// User plus system time. `stat` counts clock ticks, which Linux fixes
    /// at 100 a second for user space (`USER_HZ`).
    pub(super) fn cpu_seconds() -> Option<f64> {
        let stat = fs::read_to_string("/proc/self/stat").ok()?;
        // The command name is in parentheses and may hold spaces; utime and
        // stime are the 12th and 13th fields after it.
        let after_name = stat.get(stat.rfind(')')? + 2..)?;
        let mut fields = after_name.split_whitespace().skip(11);
        let user: u64 = fields.next()?.parse().ok()?;
        let system: u64 = fields.next()?.parse().ok()?;
        Some((user + system) as f64 / 100.0)
    }

    /// Since Linux 6.2 the size of `/proc/self/fd` is the number of open
    /// descriptors, one `stat`. Listing the folder instead reads one entry
    /// per connection: 16–20 ms at 19,000 connections, for every scrape.
    /// Older kernels report 0 there and get the listing.
    pub(super) fn open_files() -> Option<i64> {
        let size = fs::metadata("/proc/self/fd").ok()?.len();
        let count = if size > 0 {
            size
        } else {
            u64::try_from(fs::read_dir("/proc/self/fd").ok()?.count()).ok()?
        };
        i64::try_from(count).ok()
    }

    pub(super) fn max_open_files() -> Option<i64> {
        let limits = fs::read_to_string("/proc/self/limits").ok()?;
        let line = limits
            .lines()
            .find(|line| line.starts_with("Max open files"))?;
        // "Max open files  <soft>  <hard>  files": the soft limit is what applies.
        line.split_whitespace().nth(3)?.parse().ok()
    }
}

/// The metrics listener's routes: `GET /metrics` and nothing else.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(scrape))
        .with_state(state)
}

async fn scrape(State(state): State<AppState>) -> Response {
    // Reading `/proc` is a few system calls (a folder listing of every
    // connection on older kernels): off the workers that run the rooms and
    // the connections, so a scrape never holds one of them up.
    let rendered = tokio::task::spawn_blocking(move || {
        state
            .metrics()
            .render(state.registry().len(), state.config().max_rooms)
    })
    .await;
    match rendered {
        Ok(Ok(text)) => (
            [(header::CONTENT_TYPE, prometheus_text::CONTENT_TYPE)],
            text,
        )
            .into_response(),
        Ok(Err(_)) | Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// Serves [`router`] on `listener` until the process ends. Keep the
/// listener off the public network: the numbers are not secret, but they
/// tell how busy the server is.
///
/// # Errors
///
/// When accepting connections fails for good.
pub async fn serve(listener: TcpListener, state: AppState) -> std::io::Result<()> {
    axum::serve(listener, router(state)).await
}

#[cfg(test)]
mod tests {
    use super::process;

    /// The quick count (the folder's size) agrees with a listing, with a
    /// few hundred descriptors more open than a test binary has anyway.
    #[test]
    #[cfg(target_os = "linux")]
    fn open_files_counts_what_a_listing_of_the_descriptors_counts() {
        let held: Vec<std::fs::File> = (0..300)
            .map(|_| std::fs::File::open("/proc/self/status").expect("open"))
            .collect();
        // Other tests in this binary open and close files meanwhile, and the
        // listing holds one descriptor of its own while it runs: close is
        // enough, on one of a few tries.
        let tries: Vec<(i64, i64)> = (0..5)
            .map(|_| {
                let counted = process::open_files().expect("a count");
                let listed = std::fs::read_dir("/proc/self/fd").expect("list").count();
                (counted, i64::try_from(listed).expect("small"))
            })
            .collect();
        assert!(
            tries
                .iter()
                .any(|(counted, listed)| (counted - listed).abs() <= 16),
            "(counted, listed): {tries:?}"
        );
        assert!(
            tries.iter().all(|(counted, _)| *counted >= 300),
            "with 300 held open: {tries:?}"
        );
        drop(held);
    }
}
