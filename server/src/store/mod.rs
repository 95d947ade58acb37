//! Durable storage: every event of every meetup, written before it is
//! acknowledged, behind one interface ([`Store`]) with two engines:
//!
//! - [`sqlite`] (the default): one embedded SQLite file in the data
//!   directory, nothing to install, one node.
//! - [`postgres`] (`--store postgres://…`): a PostgreSQL database shared by
//!   several nodes; each meetup is owned by one node at a time through a
//!   lease in the database (see [`postgres`] for the leases and fencing).
//!
//! Either way one writer thread owns the database connection and commits in
//! groups: whatever appends are waiting, from any number of rooms, go into
//! one transaction. Each append has its own savepoint, so one failing append
//! never fails another room's. A room hears of its append only once it is
//! committed (and on disk, at `--sync full`), and only then acknowledges or
//! shows it. SQLite at `--sync full` syncs its log on a second thread, so
//! the writer commits the next batch while the disk works (see [`sync`]).
//!
//! Every meetup keeps a snapshot of its room (refreshed every
//! [`SNAPSHOT_EVERY`] events) so that loading replays only a short tail.
//! Both engines read a meetup back the same way ([`rows::assemble`]), so a
//! request id answered before a restart or a takeover is remembered after it.

mod error;
pub mod postgres;
mod rows;
pub mod sqlite;
mod sync;
mod writer;

use std::path::PathBuf;
use std::sync::Arc;

use moot_shared::{Event, JoinCode, ParticipantId, RequestId, Room, Seq, Timestamp};
use tokio::sync::{mpsc, oneshot};

use crate::metrics::Metrics;

pub use error::StoreError;
pub use sqlite::{Contents, DATABASE_FILE, DataDirLock, LOCK_FILE, check};

/// A room writes a fresh snapshot after this many events.
pub const SNAPSHOT_EVERY: u64 = 256;
/// Appends waiting for the writer before rooms wait.
const WRITE_QUEUE: usize = 4096;

/// How hard the store works to survive a power loss.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Durability {
    /// fsync every commit: acknowledged actions survive a power loss.
    Full,
    /// Commit to the operating system: survives a crash of moot, not of the machine.
    Normal,
}

/// One stored event.
#[derive(Clone, Debug)]
pub struct StoredEvent {
    /// Its sequence number in its room.
    pub seq: Seq,
    /// When it happened.
    pub at: Timestamp,
    /// The event, whole (credential digests and secrets included).
    pub event: Event,
    /// The command it answered, when it was the last event of a
    /// participant's command: so a resent request id stays applied once
    /// across a restart.
    pub request: Option<(ParticipantId, RequestId)>,
}

/// A meetup read back from storage.
pub struct LoadedMeetup {
    /// Its join code.
    pub code: JoinCode,
    /// Its room, as of `seq`.
    pub room: Room,
    /// Its latest sequence number.
    pub seq: Seq,
    /// The events after the snapshot, oldest first (for replay to clients).
    pub tail: Vec<StoredEvent>,
    /// When it ended, if it has.
    pub ended_at: Option<Timestamp>,
    /// Events since the snapshot was written.
    pub since_snapshot: u64,
    /// Commands answered at or before the snapshot, newest first: the last
    /// [`REMEMBERED_REQUESTS_PER_PARTICIPANT`] of each participant, the
    /// same window the room task keeps, so a command resent after a restart
    /// is applied once even when its ack fell before the snapshot (the tail's
    /// own request ids are in `tail`).
    pub answered: Vec<(ParticipantId, RequestId, Seq)>,
}

/// Work an append's sender leaves to the store's thread (the writer, or
/// the one that syncs the log at `--sync full`), done once the append is
/// committed (and synced) and before the sender hears so: a room queues its
/// events' frames on its connections there, so they go out as soon as they
/// are stored instead of after the room's task is woken and scheduled (one
/// hop less per action). Dropped unrun if the write fails.
pub type OnCommit = Box<dyn FnOnce() + Send>;

/// A room snapshot to store with an append.
pub struct Snapshot {
    /// The sequence number it is current at.
    pub seq: Seq,
    /// The room, serialised whole.
    pub room_json: String,
}

enum Write {
    Create {
        code: JoinCode,
        opened_at: Timestamp,
        first: StoredEvent,
        reply: oneshot::Sender<Result<(), StoreError>>,
    },
    Append {
        code: JoinCode,
        events: Vec<StoredEvent>,
        snapshot: Option<Snapshot>,
        ended_at: Option<Timestamp>,
        on_commit: Option<OnCommit>,
        reply: oneshot::Sender<Result<(), StoreError>>,
    },
    Delete {
        code: JoinCode,
        reply: oneshot::Sender<Result<(), StoreError>>,
    },
    Purge {
        ended_before: Timestamp,
        reply: oneshot::Sender<Result<Vec<JoinCode>, StoreError>>,
    },
    /// Take the meetup's lease (a shared store) and read it back.
    Claim {
        code: JoinCode,
        reply: oneshot::Sender<Result<Claim, StoreError>>,
    },
    /// Renew every lease this node holds; the answer names those lost.
    Renew {
        reply: oneshot::Sender<Result<Vec<JoinCode>, StoreError>>,
    },
    /// Commit what came before, close the database, and stop.
    Shutdown { reply: oneshot::Sender<()> },
}

/// What asking for a meetup's lease found.
pub enum Claim {
    /// This node owns the meetup now: here it is, as stored.
    Owned(Box<LoadedMeetup>),
    /// Another node holds an unexpired lease on it, and serves it at this
    /// address.
    Elsewhere {
        /// The owner's `--node-url`.
        node_url: String,
    },
    /// No meetup has this code.
    Unknown,
}

/// The outcome of one write of a batch: nothing to tell, or (a purge) the
/// meetups deleted.
type Written = Result<Option<Vec<JoinCode>>, StoreError>;

/// A storage engine, driven by the writer thread ([`writer::write_loop`]).
/// Each method runs on that thread and may block.
trait Engine: Send + 'static {
    /// Commits `batch` (only `Create`, `Append`, `Delete` and `Purge`) in
    /// one transaction, each write in a savepoint of its own: one result
    /// per write, and none `Ok` unless the transaction committed.
    fn commit(&mut self, batch: &[Write]) -> Vec<Written>;
    /// Called after the answers to a batch went out (or, with a log to
    /// sync, were handed to the thread that syncs it), with whether more
    /// writes are waiting (SQLite copies its log then).
    fn committed(&mut self, _busy: bool) {}
    /// The log to sync beside the commits, where the engine's commits do
    /// not sync it themselves (SQLite at `--sync full`, see [`sync`]);
    /// asked once, before the first batch.
    fn log_to_sync(&mut self) -> Option<Box<dyn sync::Log>> {
        None
    }
    /// Takes the meetup's lease, where the engine has leases, and reads the
    /// meetup back.
    fn claim(&mut self, code: &JoinCode) -> Result<Claim, StoreError>;
    /// Renews this node's leases; returns the meetups whose lease it lost.
    fn renew(&mut self) -> Result<Vec<JoinCode>, StoreError>;
    /// Closes the database (a shared one: gives this node's leases back).
    fn close(self: Box<Self>);
}

/// Where the store keeps meetups.
#[derive(Clone, Debug)]
pub enum Location {
    /// The SQLite file in this data directory.
    Sqlite {
        /// The data directory.
        data_dir: PathBuf,
        /// How hard to work against a power loss.
        sync: Durability,
    },
    /// A PostgreSQL database shared with other nodes.
    Postgres(postgres::Settings),
}

/// A handle to the store; cheap to clone.
#[derive(Clone)]
pub struct Store {
    writes: mpsc::Sender<Write>,
    /// Whether other nodes share the database (and meetups are loaded on
    /// first use, under a lease, instead of all at start).
    shared: bool,
}

/// Opens the store and returns it with the meetups to serve at once: every
/// stored meetup for SQLite, none for a shared database (each is claimed on
/// first use, see [`Store::claim`]).
///
/// # Errors
///
/// A [`StoreError`] saying what is wrong and with which file, database or
/// meetup; nothing is written to a database that is not moot's.
pub fn open(
    location: &Location,
    metrics: &Arc<Metrics>,
) -> Result<(Store, Vec<LoadedMeetup>), StoreError> {
    let shared = matches!(location, Location::Postgres(_));
    let location = location.clone();
    let (writes, inbox) = mpsc::channel(WRITE_QUEUE);
    let (ready, opened) = std::sync::mpsc::sync_channel(1);
    let metrics = Arc::clone(metrics);
    // The engine is made on the writer thread: the PostgreSQL client blocks
    // on a runtime of its own, which may not start inside the caller's.
    std::thread::Builder::new()
        .name("moot-store".into())
        .spawn(move || {
            let made: Result<(Box<dyn Engine>, Vec<LoadedMeetup>), StoreError> = match &location {
                Location::Sqlite { data_dir, sync } => sqlite::open(data_dir, *sync)
                    .map(|(engine, loaded)| (Box::new(engine) as Box<dyn Engine>, loaded)),
                Location::Postgres(settings) => postgres::open(settings)
                    .map(|engine| (Box::new(engine) as Box<dyn Engine>, Vec::new())),
            };
            match made {
                Ok((engine, loaded)) => {
                    let _ = ready.send(Ok(loaded));
                    writer::write_loop(engine, inbox, &metrics);
                }
                Err(error) => {
                    let _ = ready.send(Err(error));
                }
            }
        })
        .map_err(|error| StoreError::Sqlite(error.to_string()))?;
    let loaded = opened.recv().map_err(|_| StoreError::Closed)??;
    Ok((Store { writes, shared }, loaded))
}

/// Where moot keeps its data when no `--data-dir` is given: the user's data
/// directory (`$XDG_DATA_HOME/moot`, `~/.local/share/moot`, or on macOS
/// `~/Library/Application Support/moot`).
pub fn default_data_dir() -> PathBuf {
    if let Some(xdg) = std::env::var_os("XDG_DATA_HOME").filter(|value| !value.is_empty()) {
        return PathBuf::from(xdg).join("moot");
    }
    let home = std::env::var_os("HOME").map_or_else(|| PathBuf::from("."), PathBuf::from);
    if cfg!(target_os = "macos") {
        home.join("Library/Application Support/moot")
    } else {
        home.join(".local/share/moot")
    }
}

impl Store {
    /// Whether other nodes share this store: meetups are then claimed on
    /// first use ([`Store::claim`]) and leases renewed ([`Store::renew`]).
    pub fn is_shared(&self) -> bool {
        self.shared
    }

    /// Takes the meetup's lease (a shared store) and reads it back.
    ///
    /// # Errors
    ///
    /// When the database cannot be read.
    pub async fn claim(&self, code: &JoinCode) -> Result<Claim, StoreError> {
        let (reply, answer) = oneshot::channel();
        self.send(
            Write::Claim {
                code: code.clone(),
                reply,
            },
            answer,
        )
        .await
    }

    /// Renews every lease this node holds; returns the meetups whose lease
    /// another node took meanwhile.
    ///
    /// # Errors
    ///
    /// When the database cannot be reached.
    pub async fn renew(&self) -> Result<Vec<JoinCode>, StoreError> {
        let (reply, answer) = oneshot::channel();
        self.send(Write::Renew { reply }, answer).await
    }

    /// Queues `write` for the writer and returns its answer, to be awaited.
    ///
    /// The write is queued now when the writer's inbox has room, as it
    /// nearly always has, so the future holds little more than the answer's
    /// receiver. A room's task awaits one for every command, in a future it
    /// boxes per message; holding the write and the inbox's `send` future
    /// (as an async function would, with each caller's arguments besides)
    /// made that future more than 2 KiB, allocated and copied per action
    /// (BENCHMARKS.md, "tenth look").
    fn send<T>(
        &self,
        write: Write,
        answer: oneshot::Receiver<Result<T, StoreError>>,
    ) -> impl Future<Output = Result<T, StoreError>> + use<T> {
        let queued = match self.writes.try_send(write) {
            Ok(()) => Ok(None),
            // Waits its turn behind the writes already waiting.
            Err(mpsc::error::TrySendError::Full(write)) => {
                let writes = self.writes.clone();
                Ok(Some(Box::pin(async move { writes.send(write).await })))
            }
            Err(mpsc::error::TrySendError::Closed(_)) => Err(StoreError::Closed),
        };
        async move {
            if let Some(waiting) = queued? {
                waiting.await.map_err(|_| StoreError::Closed)?;
            }
            answer.await.map_err(|_| StoreError::Closed)?
        }
    }

    /// Stores a new meetup's first event.
    ///
    /// # Errors
    ///
    /// When the write fails; the meetup must then not be opened.
    pub async fn create(&self, code: &JoinCode, first: StoredEvent) -> Result<(), StoreError> {
        let (reply, answer) = oneshot::channel();
        self.send(
            Write::Create {
                code: code.clone(),
                opened_at: first.at,
                first,
                reply,
            },
            answer,
        )
        .await
    }

    /// Stores events (and optionally a snapshot, and the end of the meetup)
    /// durably. Returns once committed.
    ///
    /// # Errors
    ///
    /// When the write fails; the events must then not be applied.
    pub async fn append(
        &self,
        code: &JoinCode,
        events: Vec<StoredEvent>,
        snapshot: Option<Snapshot>,
        ended_at: Option<Timestamp>,
    ) -> Result<(), StoreError> {
        self.append_then(code, events, snapshot, ended_at, None)
            .await
    }

    /// [`Store::append`], and `on_commit` runs on the store's thread once
    /// the events are committed (and synced), before the returned future
    /// resolves (not at all if the write fails). The write is queued when
    /// this is called, not when the future is first polled.
    ///
    /// The future resolves to an error when the write fails; the events
    /// must then not be applied.
    pub fn append_then(
        &self,
        code: &JoinCode,
        events: Vec<StoredEvent>,
        snapshot: Option<Snapshot>,
        ended_at: Option<Timestamp>,
        on_commit: Option<OnCommit>,
    ) -> impl Future<Output = Result<(), StoreError>> + use<> {
        let (reply, answer) = oneshot::channel();
        self.send(
            Write::Append {
                code: code.clone(),
                events,
                snapshot,
                ended_at,
                on_commit,
                reply,
            },
            answer,
        )
    }

    /// Deletes a meetup and all its events.
    ///
    /// # Errors
    ///
    /// When the write fails.
    pub async fn delete(&self, code: &JoinCode) -> Result<(), StoreError> {
        let (reply, answer) = oneshot::channel();
        self.send(
            Write::Delete {
                code: code.clone(),
                reply,
            },
            answer,
        )
        .await
    }

    /// Commits every write sent before this call, closes the database and
    /// stops the writer. Later writes fail with [`StoreError::Closed`].
    pub async fn shutdown(&self) {
        let (reply, done) = oneshot::channel();
        if self.writes.send(Write::Shutdown { reply }).await.is_ok() {
            let _ = done.await;
        }
    }

    /// Deletes meetups that ended before `ended_before`; returns their codes.
    ///
    /// # Errors
    ///
    /// When the write fails.
    pub async fn purge(&self, ended_before: Timestamp) -> Result<Vec<JoinCode>, StoreError> {
        let (reply, answer) = oneshot::channel();
        self.send(
            Write::Purge {
                ended_before,
                reply,
            },
            answer,
        )
        .await
    }
}

#[cfg(test)]
mod tests;
