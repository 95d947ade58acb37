//! Durable storage: every event of every meetup, in one embedded SQLite file
//! (`moot.sqlite3` in the data directory), written before it is acknowledged.
//!
//! Why SQLite: it is compiled into the binary (nothing to install), its
//! crash behaviour is well understood and documented, and one file is easy
//! to back up. The database runs in WAL mode. With `synchronous = FULL` (the
//! default, `--sync full`) a commit is on disk before any room acknowledges
//! it, so neither a crash of the process nor a power loss loses an
//! acknowledged action. With `--sync normal`, commits reach the operating
//! system before acknowledgement (a killed process loses nothing) but the
//! last commits before a power loss may be lost.
//!
//! One writer thread owns the connection and commits in groups: whatever
//! appends are waiting, from any number of rooms, go into one transaction and
//! one fsync. Each append has its own savepoint, so one failing append never
//! fails another room's.
//! Copying the log into the database (checkpoints) happens on another
//! thread and connection, never inside a commit (see [`crate::checkpoint`]).
//!
//! Every meetup keeps a snapshot of its room (refreshed every
//! [`SNAPSHOT_EVERY`] events) so that loading replays only a short tail.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use moot_shared::limits::REMEMBERED_REQUESTS_PER_PARTICIPANT;
use moot_shared::{Event, JoinCode, ParticipantId, RequestId, Room, Seq, Timestamp};
use rusqlite::{Connection, params};
use tokio::sync::{mpsc, oneshot};

use crate::checkpoint::Checkpoints;
use crate::metrics::Metrics;

/// `PRAGMA application_id` of a moot database: "moot" in ASCII.
const APPLICATION_ID: i64 = 0x6d6f_6f74;
/// The schema version this code writes.
const SCHEMA_VERSION: i64 = 1;
/// The database file's name inside the data directory.
pub const DATABASE_FILE: &str = "moot.sqlite3";
/// The lock file's name inside the data directory (see [`DataDirLock`]).
pub const LOCK_FILE: &str = "moot.lock";
/// A room writes a fresh snapshot after this many events.
pub const SNAPSHOT_EVERY: u64 = 256;
/// Appends waiting for the writer before rooms wait.
const WRITE_QUEUE: usize = 4096;
/// The most appends committed in one transaction.
const MAX_BATCH: usize = 1024;

/// How hard the store works to survive a power loss.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Durability {
    /// fsync every commit: acknowledged actions survive a power loss.
    Full,
    /// Commit to the operating system: survives a crash of moot, not of the machine.
    Normal,
}

/// What went wrong with storage.
#[derive(Clone, Debug, thiserror::Error)]
pub enum StoreError {
    /// The file exists but is not a moot database.
    #[error(
        "{path} is not a moot database (it belongs to something else, or is damaged); move it away or choose another --data-dir"
    )]
    Foreign {
        /// The file.
        path: PathBuf,
    },
    /// The database was written by a newer moot.
    #[error(
        "{path} was written by a newer moot (schema {found}); this moot reads schema {SCHEMA_VERSION}"
    )]
    NewerSchema {
        /// The file.
        path: PathBuf,
        /// Its schema version.
        found: i64,
    },
    /// SQLite's integrity check failed.
    #[error("{path} is damaged: {detail}; restore it from a backup (nothing was changed)")]
    Damaged {
        /// The file.
        path: PathBuf,
        /// What the check said.
        detail: String,
    },
    /// A stored meetup cannot be read back.
    #[error("meetup {code} cannot be restored at event {seq}: {detail}; nothing was changed")]
    Unreadable {
        /// The meetup.
        code: String,
        /// The event (0 for the snapshot).
        seq: u64,
        /// What is wrong.
        detail: String,
    },
    /// Another process (a running moot, or `moot restore`) holds the data
    /// directory's lock.
    #[error(
        "{path} is in use by another moot (it holds {LOCK_FILE} there); stop that one first, or choose another --data-dir"
    )]
    InUse {
        /// The data directory.
        path: PathBuf,
    },
    /// The data directory cannot be created or used.
    #[error("cannot use data directory {path}: {detail}")]
    Directory {
        /// The directory.
        path: PathBuf,
        /// The IO error.
        detail: String,
    },
    /// SQLite reported an error.
    #[error("storage error: {0}")]
    Sqlite(String),
    /// The writer thread is gone (the server is shutting down).
    #[error("storage is closed")]
    Closed,
}

impl StoreError {
    /// The same error about the file at `path` (for a check run on a copy
    /// of it).
    #[must_use]
    pub fn about(self, path: &Path) -> StoreError {
        let path = path.to_owned();
        match self {
            StoreError::Foreign { .. } => StoreError::Foreign { path },
            StoreError::NewerSchema { found, .. } => StoreError::NewerSchema { path, found },
            StoreError::Damaged { detail, .. } => StoreError::Damaged { path, detail },
            other => other,
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> StoreError {
        StoreError::Sqlite(error.to_string())
    }
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
    /// Commit what came before, close the database, and stop.
    Shutdown { reply: oneshot::Sender<()> },
}

/// A handle to the store; cheap to clone.
#[derive(Clone)]
pub struct Store {
    writes: mpsc::Sender<Write>,
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

/// Opens (or creates) the database in `data_dir`, checks it, and loads every
/// stored meetup. Nothing is written to a file that is not moot's.
///
/// # Errors
///
/// A [`StoreError`] saying what is wrong and with which file or meetup.
pub fn open(
    data_dir: &Path,
    sync: Durability,
    metrics: &Arc<Metrics>,
) -> Result<(Store, Vec<LoadedMeetup>), StoreError> {
    std::fs::create_dir_all(data_dir).map_err(|error| StoreError::Directory {
        path: data_dir.to_owned(),
        detail: error.to_string(),
    })?;
    // Held by the writer thread for as long as the database is open.
    let lock = DataDirLock::acquire(data_dir)?;
    let path = data_dir.join(DATABASE_FILE);
    let existed = path.exists();
    let connection =
        Connection::open(&path).map_err(|_| StoreError::Foreign { path: path.clone() })?;
    match read_header(&connection, &path)? {
        Header::Empty => initialise(&connection)?,
        Header::Moot if existed => quick_check(&connection, &path)?,
        Header::Moot => {}
    }
    // Wait rather than fail when another connection briefly holds the file
    // (a backup tool reading it, or a previous moot still closing).
    connection.busy_timeout(std::time::Duration::from_secs(5))?;
    connection.pragma_update(None, "journal_mode", "WAL")?;
    connection.pragma_update(
        None,
        "synchronous",
        if sync == Durability::Full {
            "FULL"
        } else {
            "NORMAL"
        },
    )?;
    // Commits never copy the log into the database themselves: the
    // checkpointer does, on its own connection (see `checkpoint`).
    connection.pragma_update(None, "wal_autocheckpoint", 0)?;
    let loaded = load_all(&connection)?;
    let checkpointer = Connection::open(&path)?;
    checkpointer.pragma_update(None, "synchronous", "NORMAL")?;
    let checkpoints =
        Checkpoints::start(checkpointer).map_err(|error| StoreError::Sqlite(error.to_string()))?;
    let (writes, inbox) = mpsc::channel(WRITE_QUEUE);
    let metrics = Arc::clone(metrics);
    std::thread::Builder::new()
        .name("moot-store".into())
        .spawn(move || write_loop(connection, lock, inbox, checkpoints, &metrics))
        .map_err(|error| StoreError::Sqlite(error.to_string()))?;
    Ok((Store { writes }, loaded))
}

/// What a database file holds, by its header.
enum Header {
    /// Nothing yet: a new file (moot makes its tables).
    Empty,
    /// A moot database of a schema this moot reads.
    Moot,
}

/// Tells a moot database from a new one and from anything else.
fn read_header(connection: &Connection, path: &Path) -> Result<Header, StoreError> {
    // Reading the header is the first thing that fails on a file that is not SQLite.
    let application_id: i64 = connection
        .query_row("PRAGMA application_id", [], |row| row.get(0))
        .map_err(|_| StoreError::Foreign {
            path: path.to_owned(),
        })?;
    let version: i64 = connection.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    let table_count: i64 =
        connection.query_row("SELECT count(*) FROM sqlite_schema", [], |row| row.get(0))?;
    if application_id == 0 && version == 0 && table_count == 0 {
        Ok(Header::Empty)
    } else if application_id != APPLICATION_ID {
        Err(StoreError::Foreign {
            path: path.to_owned(),
        })
    } else if version > SCHEMA_VERSION {
        Err(StoreError::NewerSchema {
            path: path.to_owned(),
            found: version,
        })
    } else {
        Ok(Header::Moot)
    }
}

/// SQLite's own check of the file's structure.
fn quick_check(connection: &Connection, path: &Path) -> Result<(), StoreError> {
    let check: String = connection.query_row("PRAGMA quick_check", [], |row| row.get(0))?;
    if check == "ok" {
        Ok(())
    } else {
        Err(StoreError::Damaged {
            path: path.to_owned(),
            detail: check,
        })
    }
}

/// What a checked database holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Contents {
    /// Meetups, each read back whole.
    pub meetups: usize,
    /// Events of all meetups.
    pub events: u64,
}

/// Checks that the database file at `path` is a moot database this moot
/// can serve, as [`open`] would before serving it: moot's application id, a
/// schema it reads, SQLite's structural check, and every meetup read back
/// from its snapshot and events with the room's invariants holding. Unlike
/// `open`, an empty database is refused (it is no backup). The file is only
/// read; keep it in rollback-journal mode (as `moot backup` leaves it), or
/// SQLite may create its `-wal` and `-shm` files beside it.
///
/// # Errors
///
/// A [`StoreError`] saying what is wrong, with which file or meetup.
pub fn check(path: &Path) -> Result<Contents, StoreError> {
    let flags =
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let connection = Connection::open_with_flags(path, flags).map_err(|_| StoreError::Foreign {
        path: path.to_owned(),
    })?;
    if let Header::Empty = read_header(&connection, path)? {
        return Err(StoreError::Foreign {
            path: path.to_owned(),
        });
    }
    quick_check(&connection, path)?;
    let meetups = load_all(&connection)?.len();
    let events: i64 = connection.query_row("SELECT count(*) FROM events", [], |row| row.get(0))?;
    Ok(Contents {
        meetups,
        events: u64::try_from(events).unwrap_or_default(),
    })
}

/// The data directory's lock: an exclusive advisory lock (`flock`) on
/// [`LOCK_FILE`], held by a server for as long as its database is open and
/// by `moot restore` while it replaces the database. So a second server on
/// the same directory, or a restore under a running server, is refused
/// instead of corrupting what the first one serves. The kernel releases the
/// lock when its process ends, however it ends: a `kill -9` leaves no stale
/// lock behind. (`moot backup` takes no lock: it reads while moot runs.)
pub struct DataDirLock {
    _file: std::fs::File,
}

impl DataDirLock {
    /// Takes the lock of `data_dir` (which must exist), or says who holds it.
    ///
    /// # Errors
    ///
    /// [`StoreError::InUse`] when another process holds it,
    /// [`StoreError::Directory`] when the lock file cannot be opened.
    pub fn acquire(data_dir: &Path) -> Result<DataDirLock, StoreError> {
        let path = data_dir.join(LOCK_FILE);
        let directory_error = |error: std::io::Error| StoreError::Directory {
            path: data_dir.to_owned(),
            detail: format!("{}: {error}", path.display()),
        };
        let file = match std::fs::File::options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
        {
            Ok(file) => file,
            // Made by another user (root running `moot restore`, say): a
            // lock needs only a readable file.
            Err(error) if error.kind() == std::io::ErrorKind::PermissionDenied => {
                std::fs::File::open(&path).map_err(directory_error)?
            }
            Err(error) => return Err(directory_error(error)),
        };
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(StoreError::InUse {
                    path: data_dir.to_owned(),
                });
            }
            // A file system without locks: go on unguarded rather than not at all.
            Err(std::fs::TryLockError::Error(error))
                if error.kind() == std::io::ErrorKind::Unsupported =>
            {
                tracing::warn!(%error, path = %path.display(), "the data directory cannot be locked");
            }
            Err(std::fs::TryLockError::Error(error)) => return Err(directory_error(error)),
        }
        Ok(DataDirLock { _file: file })
    }
}

fn initialise(connection: &Connection) -> Result<(), StoreError> {
    connection.execute_batch(
        "BEGIN;
         CREATE TABLE meetups (
             code TEXT PRIMARY KEY,
             opened_at INTEGER NOT NULL,
             ended_at INTEGER,
             snapshot_seq INTEGER NOT NULL DEFAULT 0,
             snapshot TEXT
         ) STRICT;
         CREATE TABLE events (
             code TEXT NOT NULL,
             seq INTEGER NOT NULL,
             at INTEGER NOT NULL,
             participant TEXT,
             request_id TEXT,
             event TEXT NOT NULL,
             PRIMARY KEY (code, seq)
         ) STRICT, WITHOUT ROWID;
         COMMIT;",
    )?;
    connection.pragma_update(None, "application_id", APPLICATION_ID)?;
    connection.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    Ok(())
}

/// Reads a stored event or snapshot. Text written under an earlier, more
/// lenient rule for names and other text (characters since refused as
/// invisible) is read as the rule now allows it, with a warning, rather
/// than leave the meetup unreadable and the server unable to start: what
/// is refused now is dropped, and a field left with nothing reads "?".
fn read_stored<T: serde::de::DeserializeOwned>(
    json: &str,
    code: &str,
    seq: u64,
) -> Result<T, StoreError> {
    let error = match serde_json::from_str(json) {
        Ok(read) => return Ok(read),
        Err(error) => error,
    };
    let Ok(mut value) = serde_json::from_str::<serde_json::Value>(json) else {
        return Err(unreadable(code, seq, error));
    };
    if !as_now_allowed(&mut value) {
        return Err(unreadable(code, seq, error));
    }
    let read = serde_json::from_value(value).map_err(|_| unreadable(code, seq, error))?;
    tracing::warn!(
        code,
        seq,
        "stored text held characters the rules now refuse; read without them"
    );
    Ok(read)
}

/// Every string in `value` as the text rules now allow it; whether any
/// changed.
fn as_now_allowed(value: &mut serde_json::Value) -> bool {
    match value {
        serde_json::Value::String(text) => match moot_shared::text::as_now_allowed(text) {
            Some(allowed) if allowed.trim().is_empty() => {
                *text = "?".to_owned();
                true
            }
            Some(allowed) => {
                *text = allowed;
                true
            }
            None => false,
        },
        serde_json::Value::Array(items) => items
            .iter_mut()
            .fold(false, |changed, item| as_now_allowed(item) | changed),
        serde_json::Value::Object(fields) => fields
            .values_mut()
            .fold(false, |changed, field| as_now_allowed(field) | changed),
        _ => false,
    }
}

fn unreadable(code: &str, seq: u64, detail: impl ToString) -> StoreError {
    StoreError::Unreadable {
        code: code.to_owned(),
        seq,
        detail: detail.to_string(),
    }
}

/// Reads a stored request: who sent it, and its id.
fn request_of(
    code: &str,
    seq: u64,
    participant: String,
    request_id: String,
) -> Result<(ParticipantId, RequestId), StoreError> {
    let participant =
        uuid::Uuid::parse_str(&participant).map_err(|error| unreadable(code, seq, error))?;
    let request_id =
        RequestId::parse(&request_id).ok_or_else(|| unreadable(code, seq, "bad request id"))?;
    Ok((ParticipantId(participant), request_id))
}

/// Reads every meetup: its snapshot, the events after it, and the commands
/// answered before it.
fn load_all(connection: &Connection) -> Result<Vec<LoadedMeetup>, StoreError> {
    let mut meetups = connection
        .prepare("SELECT code, ended_at, snapshot_seq, snapshot FROM meetups ORDER BY code")?;
    let mut events = connection.prepare(
        "SELECT seq, at, participant, request_id, event FROM events WHERE code = ?1 AND seq > ?2 ORDER BY seq",
    )?;
    // Newest first, walking the (code, seq) key backwards from the snapshot.
    let mut requests = connection.prepare(
        "SELECT seq, participant, request_id FROM events
         WHERE code = ?1 AND seq <= ?2 AND request_id IS NOT NULL ORDER BY seq DESC LIMIT ?3",
    )?;
    let rows: Vec<(String, Option<i64>, i64, Option<String>)> = meetups
        .query_map([], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
        })?
        .collect::<Result<_, _>>()?;
    let mut loaded = Vec::with_capacity(rows.len());
    for (code_text, ended_at, snapshot_seq, snapshot) in rows {
        let code = JoinCode::parse(&code_text).map_err(|error| unreadable(&code_text, 0, error))?;
        let snapshot_seq =
            u64::try_from(snapshot_seq).map_err(|error| unreadable(&code_text, 0, error))?;
        let mut room: Option<Room> = match &snapshot {
            Some(json) => Some(read_stored(json, &code_text, snapshot_seq)?),
            None => None,
        };
        let mut seq = Seq(snapshot_seq);
        let mut tail = Vec::new();
        let stored = events.query_map(params![code_text, snapshot_seq as i64], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, i64>(1)?,
                row.get::<_, Option<String>>(2)?,
                row.get::<_, Option<String>>(3)?,
                row.get::<_, String>(4)?,
            ))
        })?;
        for row in stored {
            let (event_seq, at, participant, request_id, json) = row?;
            let event_seq = event_seq as u64;
            if event_seq != seq.0 + 1 {
                return Err(unreadable(
                    &code_text,
                    event_seq,
                    format!("expected event {}", seq.0 + 1),
                ));
            }
            let event: Event = read_stored(&json, &code_text, event_seq)?;
            let at = Timestamp(at as u64);
            match &mut room {
                Some(room) => room.on_event(&event),
                None => {
                    room = Some(Room::opened(&event, at).ok_or_else(|| {
                        unreadable(
                            &code_text,
                            event_seq,
                            "the first event does not open a meetup",
                        )
                    })?)
                }
            }
            let request = match (participant, request_id) {
                (Some(participant), Some(request_id)) => {
                    Some(request_of(&code_text, event_seq, participant, request_id)?)
                }
                _ => None,
            };
            seq = Seq(event_seq);
            tail.push(StoredEvent {
                seq,
                at,
                event,
                request,
            });
        }
        let room = room.ok_or_else(|| unreadable(&code_text, 1, "no events"))?;
        room.check_invariants()
            .map_err(|broken| unreadable(&code_text, seq.0, broken))?;
        let since_snapshot = tail.len() as u64;
        // At most the window of everyone who ever joined; fewer per person
        // are kept once read, as the room task keeps them.
        let window = REMEMBERED_REQUESTS_PER_PARTICIPANT * room.participants.len();
        let mut answered = Vec::new();
        let mut per_participant: HashMap<ParticipantId, usize> = HashMap::new();
        let rows = requests.query_map(
            params![code_text, snapshot_seq as i64, window as i64],
            |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                ))
            },
        )?;
        for row in rows {
            let (event_seq, participant, request_id) = row?;
            let (participant, request_id) =
                request_of(&code_text, event_seq as u64, participant, request_id)?;
            let count = per_participant.entry(participant).or_default();
            if *count < REMEMBERED_REQUESTS_PER_PARTICIPANT {
                *count += 1;
                answered.push((participant, request_id, Seq(event_seq as u64)));
            }
        }
        loaded.push(LoadedMeetup {
            code,
            room,
            seq,
            tail,
            ended_at: ended_at.map(|at| Timestamp(at as u64)),
            since_snapshot,
            answered,
        });
    }
    Ok(loaded)
}

fn insert_events(
    connection: &Connection,
    code: &JoinCode,
    events: &[StoredEvent],
) -> Result<(), StoreError> {
    let mut insert = connection.prepare_cached(
        "INSERT INTO events (code, seq, at, participant, request_id, event) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for stored in events {
        let json = serde_json::to_string(&stored.event)
            .map_err(|error| StoreError::Sqlite(error.to_string()))?;
        let (participant, request_id) = match &stored.request {
            Some((participant, request_id)) => (
                Some(participant.0.to_string()),
                Some(request_id.as_str().to_owned()),
            ),
            None => (None, None),
        };
        insert.execute(params![
            code.as_str(),
            stored.seq.0 as i64,
            stored.at.0 as i64,
            participant,
            request_id,
            json
        ])?;
    }
    Ok(())
}

/// Applies one write inside the open transaction.
fn apply_write(
    connection: &Connection,
    write: &Write,
) -> Result<Option<Vec<JoinCode>>, StoreError> {
    match write {
        Write::Create {
            code,
            opened_at,
            first,
            ..
        } => {
            connection.execute(
                "INSERT INTO meetups (code, opened_at) VALUES (?1, ?2)",
                params![code.as_str(), opened_at.0 as i64],
            )?;
            insert_events(connection, code, std::slice::from_ref(first))?;
        }
        Write::Append {
            code,
            events,
            snapshot,
            ended_at,
            ..
        } => {
            insert_events(connection, code, events)?;
            if let Some(snapshot) = snapshot {
                connection.execute(
                    "UPDATE meetups SET snapshot_seq = ?2, snapshot = ?3 WHERE code = ?1",
                    params![code.as_str(), snapshot.seq.0 as i64, snapshot.room_json],
                )?;
            }
            if let Some(ended_at) = ended_at {
                connection.execute(
                    "UPDATE meetups SET ended_at = ?2 WHERE code = ?1",
                    params![code.as_str(), ended_at.0 as i64],
                )?;
            }
        }
        Write::Delete { code, .. } => {
            connection.execute("DELETE FROM events WHERE code = ?1", [code.as_str()])?;
            connection.execute("DELETE FROM meetups WHERE code = ?1", [code.as_str()])?;
        }
        Write::Shutdown { .. } => {}
        Write::Purge { ended_before, .. } => {
            let mut select = connection
                .prepare("SELECT code FROM meetups WHERE ended_at IS NOT NULL AND ended_at < ?1")?;
            let codes: Vec<String> = select
                .query_map([ended_before.0 as i64], |row| row.get(0))?
                .collect::<Result<_, _>>()?;
            for code in &codes {
                connection.execute("DELETE FROM events WHERE code = ?1", [code])?;
                connection.execute("DELETE FROM meetups WHERE code = ?1", [code])?;
            }
            return Ok(Some(
                codes
                    .iter()
                    .filter_map(|code| JoinCode::parse(code).ok())
                    .collect(),
            ));
        }
    }
    Ok(None)
}

/// The writer thread: commits whatever is waiting in one transaction, until
/// every handle is dropped or a shutdown is asked for.
fn write_loop(
    mut connection: Connection,
    lock: DataDirLock,
    mut inbox: mpsc::Receiver<Write>,
    checkpoints: Checkpoints,
    metrics: &Metrics,
) {
    while let Some(first) = inbox.blocking_recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH && !matches!(batch.last(), Some(Write::Shutdown { .. })) {
            match inbox.try_recv() {
                Ok(write) => batch.push(write),
                Err(_) => break,
            }
        }
        let shutdown = match batch.last() {
            Some(Write::Shutdown { .. }) => batch.pop(),
            _ => None,
        };
        let started = std::time::Instant::now();
        let results = commit_batch(&mut connection, &batch);
        if !batch.is_empty() {
            metrics.store_committed(started.elapsed());
        }
        for (write, result) in batch.into_iter().zip(results) {
            match write {
                Write::Create { reply, .. }
                | Write::Append { reply, .. }
                | Write::Delete { reply, .. } => {
                    let _ = reply.send(result.map(|_| ()));
                }
                Write::Purge { reply, .. } => {
                    let _ = reply.send(result.map(Option::unwrap_or_default));
                }
                Write::Shutdown { .. } => {}
            }
        }
        // After the answers, so that no room waits for a checkpoint.
        checkpoints.committed(&connection, !inbox.is_empty());
        if let Some(Write::Shutdown { reply }) = shutdown {
            // Writes still queued after the shutdown are refused (their
            // senders see the channel close) and so never acknowledged.
            // The checkpointer's connection closes first, so the writer's
            // is the last and SQLite checkpoints and removes the log. The
            // lock goes after the database is closed, and before the
            // caller hears of it, so a restart right away finds it free.
            checkpoints.stop();
            drop(connection);
            drop(lock);
            let _ = reply.send(());
            return;
        }
    }
    checkpoints.stop();
    drop(connection);
    drop(lock);
}

/// Commits a batch in one transaction, each write in its own savepoint.
fn commit_batch(
    connection: &mut Connection,
    batch: &[Write],
) -> Vec<Result<Option<Vec<JoinCode>>, StoreError>> {
    let transaction = match connection.transaction() {
        Ok(transaction) => transaction,
        Err(error) => {
            let error = StoreError::from(error);
            return batch.iter().map(|_| Err(error.clone())).collect();
        }
    };
    let mut results = Vec::with_capacity(batch.len());
    for write in batch {
        let result = transaction
            .execute_batch("SAVEPOINT one_write")
            .map_err(StoreError::from)
            .and_then(|()| match apply_write(&transaction, write) {
                Ok(outcome) => transaction
                    .execute_batch("RELEASE one_write")
                    .map(|()| outcome)
                    .map_err(StoreError::from),
                Err(error) => {
                    let _ = transaction.execute_batch("ROLLBACK TO one_write; RELEASE one_write");
                    Err(error)
                }
            });
        results.push(result);
    }
    if let Err(error) = transaction.commit() {
        // Nothing of the batch is stored, so nothing of it may be acknowledged.
        let error = StoreError::from(error);
        return batch.iter().map(|_| Err(error.clone())).collect();
    }
    results
}

impl Store {
    async fn send<T>(
        &self,
        write: Write,
        answer: oneshot::Receiver<Result<T, StoreError>>,
    ) -> Result<T, StoreError> {
        self.writes
            .send(write)
            .await
            .map_err(|_| StoreError::Closed)?;
        answer.await.map_err(|_| StoreError::Closed)?
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
        let (reply, answer) = oneshot::channel();
        self.send(
            Write::Append {
                code: code.clone(),
                events,
                snapshot,
                ended_at,
                reply,
            },
            answer,
        )
        .await
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
