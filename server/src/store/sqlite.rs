//! The SQLite engine: every event of every meetup in one embedded file
//! (`moot.sqlite3` in the data directory).
//!
//! Why SQLite: it is compiled into the binary (nothing to install), its
//! crash behaviour is well understood and documented, and one file is easy
//! to back up. The database runs in WAL mode. With `--sync full` (the
//! default) a commit's log is synced to disk before any room acknowledges
//! it (on a thread of its own, so the next batch commits meanwhile: see
//! [`super::sync`]), so neither a crash of the process nor a power loss
//! loses an acknowledged action. With `--sync normal`, commits reach the operating
//! system before acknowledgement (a killed process loses nothing) but the
//! last commits before a power loss may be lost.
//!
//! One node owns the file (the data directory's lock says so), so there are
//! no leases: every meetup is loaded at start.
//!
//! Appended events go to a journal first (see [`Journal`]): a table in
//! arrival order, so that a commit writes the few pages at its end instead
//! of one page per room that acted. The writer copies each meetup's events
//! into `events` (kept in order of meetup and sequence number, for reading
//! back) a few dozen at a time, and drops the journal's copied head.
//! Copying the log into the database (checkpoints) happens on another
//! thread and connection, never inside a commit (see [`crate::checkpoint`]).

use std::path::Path;

use moot_shared::JoinCode;
use rusqlite::{Connection, params};

use super::rows::{EventRow, MeetupRow, assemble, event_columns};
use super::{Claim, Durability, Engine, LoadedMeetup, StoreError, StoredEvent, Write, Written};
use crate::checkpoint::Checkpoints;
use journal::{
    Journal, JournalChange, copy_whole_journal, has_journal, journal_rows, merge_journaled,
};

mod journal;

/// `PRAGMA application_id` of a moot database: "moot" in ASCII.
const APPLICATION_ID: i64 = 0x6d6f_6f74;
/// The schema version this code writes (2: the journal). Version 1 files
/// are upgraded when opened.
pub(super) const SCHEMA_VERSION: i64 = 2;
/// The database file's name inside the data directory.
pub const DATABASE_FILE: &str = "moot.sqlite3";
/// The lock file's name inside the data directory (see [`DataDirLock`]).
pub const LOCK_FILE: &str = "moot.lock";

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> StoreError {
        StoreError::Sqlite(error.to_string())
    }
}

/// The SQLite engine: the writer's connection, the checkpointer, and the
/// data directory's lock, held for as long as the database is open.
pub(super) struct Sqlite {
    connection: Connection,
    /// The write-ahead log, at `--sync full`, until the writer takes it to
    /// sync beside the commits (see [`super::sync`]).
    log_to_sync: Option<std::fs::File>,
    journal: Journal,
    checkpoints: Checkpoints,
    lock: DataDirLock,
}

impl Engine for Sqlite {
    fn commit(&mut self, batch: &[Write]) -> Vec<Written> {
        commit_batch(&mut self.connection, &mut self.journal, batch)
    }

    fn committed(&mut self, busy: bool) {
        self.checkpoints.committed(&self.connection, busy);
    }

    fn log_to_sync(&mut self) -> Option<Box<dyn super::sync::Log>> {
        self.log_to_sync
            .take()
            .map(|log| Box::new(log) as Box<dyn super::sync::Log>)
    }

    fn claim(&mut self, code: &JoinCode) -> Result<Claim, StoreError> {
        // One node owns the file: reading the meetup is all a claim is.
        Ok(match load(&self.connection, Some(code))?.pop() {
            Some(meetup) => Claim::Owned(Box::new(meetup)),
            None => Claim::Unknown,
        })
    }

    fn renew(&mut self) -> Result<Vec<JoinCode>, StoreError> {
        Ok(Vec::new())
    }

    fn close(self: Box<Self>) {
        let Sqlite {
            connection,
            checkpoints,
            lock,
            ..
        } = *self;
        // The checkpointer's connection closes first, so the writer's is the
        // last and SQLite checkpoints and removes the log. The lock goes
        // after the database is closed, so a restart right away finds it free.
        checkpoints.stop();
        drop(connection);
        drop(lock);
    }
}

/// Opens (or creates) the database in `data_dir`, checks it, and loads every
/// stored meetup. Nothing is written to a file that is not moot's.
///
/// # Errors
///
/// A [`StoreError`] saying what is wrong and with which file or meetup.
pub(super) fn open(
    data_dir: &Path,
    sync: Durability,
) -> Result<(Sqlite, Vec<LoadedMeetup>), StoreError> {
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
    upgrade(&connection)?;
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
    // What the last run left in the journal is copied now, so meetups are
    // read from `events` alone and the writer starts with nothing pending.
    copy_whole_journal(&connection)?;
    let loaded = load(&connection, None)?;
    let log_to_sync = if sync == Durability::Full {
        sync_log_beside_commits(&connection, &path)?
    } else {
        None
    };
    let checkpointer = Connection::open(&path)?;
    checkpointer.pragma_update(None, "synchronous", "NORMAL")?;
    let checkpoints =
        Checkpoints::start(checkpointer).map_err(|error| StoreError::Sqlite(error.to_string()))?;
    Ok((
        Sqlite {
            connection,
            log_to_sync,
            journal: Journal::new(&loaded),
            checkpoints,
            lock,
        },
        loaded,
    ))
}

/// At `--sync full`: opens the write-ahead log for the writer to sync on a
/// thread of its own, and stops the connection syncing it at each commit
/// (in WAL mode `NORMAL` syncs only around checkpoints). Should the log not
/// open, the connection stays at `FULL` and syncs as it commits.
fn sync_log_beside_commits(
    connection: &Connection,
    path: &Path,
) -> Result<Option<std::fs::File>, StoreError> {
    let mut log_path = path.as_os_str().to_owned();
    log_path.push("-wal");
    match std::fs::File::open(&log_path) {
        Ok(log) => {
            connection.pragma_update(None, "synchronous", "NORMAL")?;
            Ok(Some(log))
        }
        Err(error) => {
            tracing::warn!(
                %error,
                log = %std::path::Path::new(&log_path).display(),
                "cannot open the database's log to sync it beside the commits; each commit syncs it instead"
            );
            Ok(None)
        }
    }
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
    let meetups = load(&connection, None)?.len();
    // A backup written before the journal (schema 1) has `events` alone.
    let all_events = if has_journal(&connection)? {
        "SELECT count(*) FROM stored_events"
    } else {
        "SELECT count(*) FROM events"
    };
    let events: i64 = connection.query_row(all_events, [], |row| row.get(0))?;
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
    Ok(())
}

/// Brings a database of an earlier schema (or a new one) to this one:
/// version 2 adds the journal and the `stored_events` view.
fn upgrade(connection: &Connection) -> Result<(), StoreError> {
    let version: i64 = connection.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if version >= SCHEMA_VERSION {
        return Ok(());
    }
    // AUTOINCREMENT: ids only grow, even when the journal is emptied,
    // so the writer's bookkeeping by id holds.
    connection.execute_batch(&format!(
        "BEGIN;
         CREATE TABLE journal (
             id INTEGER PRIMARY KEY AUTOINCREMENT,
             code TEXT NOT NULL,
             seq INTEGER NOT NULL,
             at INTEGER NOT NULL,
             participant TEXT,
             request_id TEXT,
             event TEXT NOT NULL
         ) STRICT;
         CREATE VIEW stored_events AS
             SELECT code, seq, at, participant, request_id, event FROM events
             UNION
             SELECT code, seq, at, participant, request_id, event FROM journal;
         PRAGMA user_version = {SCHEMA_VERSION};
         COMMIT;"
    ))?;
    Ok(())
}

/// Reads every meetup (or the one with `only` this code): its snapshot,
/// the events after it, and the commands answered before it.
fn load(connection: &Connection, only: Option<&JoinCode>) -> Result<Vec<LoadedMeetup>, StoreError> {
    let mut meetups = connection.prepare(
        "SELECT code, ended_at, snapshot_seq, snapshot FROM meetups
         WHERE ?1 IS NULL OR code = ?1 ORDER BY code",
    )?;
    let mut events = connection.prepare(
        "SELECT seq, at, participant, request_id, event FROM events WHERE code = ?1 AND seq > ?2 ORDER BY seq",
    )?;
    // Newest first, walking the (code, seq) key backwards from the snapshot.
    let mut requests = connection.prepare(
        "SELECT seq, participant, request_id FROM events
         WHERE code = ?1 AND seq <= ?2 AND request_id IS NOT NULL ORDER BY seq DESC LIMIT ?3",
    )?;
    let rows: Vec<MeetupRow> = meetups
        .query_map([only.map(JoinCode::as_str)], |row| {
            Ok(MeetupRow {
                code: row.get(0)?,
                ended_at: row.get(1)?,
                snapshot_seq: row.get(2)?,
                snapshot: row.get(3)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    // Empty once the writer opened the file; a backup being checked may
    // hold events not yet copied into `events`.
    let mut journaled = journal_rows(connection, only)?;
    let mut loaded = Vec::with_capacity(rows.len());
    for row in rows {
        let code = row.code.clone();
        let snapshot_seq = row.snapshot_seq;
        let mut stored: Vec<EventRow> = events
            .query_map(params![code, snapshot_seq], |row| {
                Ok(EventRow {
                    seq: row.get(0)?,
                    at: row.get(1)?,
                    participant: row.get(2)?,
                    request_id: row.get(3)?,
                    event: row.get(4)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        let (after, before): (Vec<EventRow>, Vec<EventRow>) = journaled
            .remove(&code)
            .unwrap_or_default()
            .into_iter()
            .partition(|row| row.seq > snapshot_seq);
        merge_journaled(&mut stored, after);
        loaded.push(assemble(row, stored, |window| {
            let mut answered: Vec<(i64, String, String)> = requests
                .query_map(params![code, snapshot_seq, window], |row| {
                    Ok((row.get(0)?, row.get(1)?, row.get(2)?))
                })?
                .collect::<Result<_, _>>()?;
            answered.extend(
                before
                    .into_iter()
                    .filter_map(|row| Some((row.seq, row.participant?, row.request_id?))),
            );
            answered.sort_by_key(|(seq, _, _)| std::cmp::Reverse(*seq));
            answered.dedup_by_key(|(seq, _, _)| *seq);
            answered.truncate(usize::try_from(window).unwrap_or(usize::MAX));
            Ok(answered)
        })?);
    }
    Ok(loaded)
}

/// Where events are written.
#[derive(Clone, Copy)]
enum Table {
    /// By meetup and sequence number: a meetup's first event, and the
    /// journal's copies.
    Events,
    /// In arrival order: every appended event (see [`journal`]).
    Journal,
}

/// Writes events to `table`; returns the journal's row ids, oldest first
/// (none for `events`, which has no row ids).
fn insert_events(
    connection: &Connection,
    table: Table,
    code: &JoinCode,
    events: &[StoredEvent],
) -> Result<Vec<i64>, StoreError> {
    let mut insert = connection.prepare_cached(match table {
        Table::Events => {
            "INSERT INTO events (code, seq, at, participant, request_id, event) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
        }
        Table::Journal => {
            "INSERT INTO journal (code, seq, at, participant, request_id, event) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
        }
    })?;
    let mut ids = Vec::new();
    for stored in events {
        let (json, participant, request_id) = event_columns(stored)?;
        insert.execute(params![
            code.as_str(),
            stored.seq.0 as i64,
            stored.at.0 as i64,
            participant,
            request_id,
            json
        ])?;
        if let Table::Journal = table {
            ids.push(connection.last_insert_rowid());
        }
    }
    Ok(ids)
}

/// Applies one write inside the open transaction.
fn apply_write(
    connection: &Connection,
    journal: &mut Journal,
    write: &Write,
) -> Result<(Option<Vec<JoinCode>>, Option<JournalChange>), StoreError> {
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
            insert_events(connection, Table::Events, code, std::slice::from_ref(first))?;
            return Ok((None, Some(JournalChange::Created(code.clone()))));
        }
        Write::Append {
            code,
            events,
            snapshot,
            ended_at,
            ..
        } => {
            let last = journal.last_seq(connection, code)?;
            if let Some(first) = events.first()
                && first.seq.0 as i64 != last + 1
            {
                return Err(StoreError::Sqlite(format!(
                    "event {} of meetup {code} does not follow event {last}",
                    first.seq.0
                )));
            }
            let ids = insert_events(connection, Table::Journal, code, events)?;
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
            let seq = events.last().map_or(last, |stored| stored.seq.0 as i64);
            return Ok((None, Some(JournalChange::Appended(code.clone(), ids, seq))));
        }
        Write::Delete { code, .. } => {
            // A rare write: the journal is read through once.
            connection.execute("DELETE FROM journal WHERE code = ?1", [code.as_str()])?;
            connection.execute("DELETE FROM events WHERE code = ?1", [code.as_str()])?;
            connection.execute("DELETE FROM meetups WHERE code = ?1", [code.as_str()])?;
            return Ok((None, Some(JournalChange::Deleted(vec![code.clone()]))));
        }
        Write::Claim { .. } | Write::Renew { .. } | Write::Shutdown { .. } => {}
        Write::Purge { ended_before, .. } => {
            let mut select = connection
                .prepare("SELECT code FROM meetups WHERE ended_at IS NOT NULL AND ended_at < ?1")?;
            let codes: Vec<String> = select
                .query_map([ended_before.0 as i64], |row| row.get(0))?
                .collect::<Result<_, _>>()?;
            // One pass over the journal for all of them.
            connection.execute(
                "DELETE FROM journal WHERE code IN
                     (SELECT code FROM meetups WHERE ended_at IS NOT NULL AND ended_at < ?1)",
                [ended_before.0 as i64],
            )?;
            for code in &codes {
                connection.execute("DELETE FROM events WHERE code = ?1", [code])?;
                connection.execute("DELETE FROM meetups WHERE code = ?1", [code])?;
            }
            let codes: Vec<JoinCode> = codes
                .iter()
                .filter_map(|code| JoinCode::parse(code).ok())
                .collect();
            return Ok((Some(codes.clone()), Some(JournalChange::Deleted(codes))));
        }
    }
    Ok((None, None))
}

/// Commits a batch in one transaction, each write in its own savepoint,
/// and copies from the journal into `events` what is due.
fn commit_batch(
    connection: &mut Connection,
    journal: &mut Journal,
    batch: &[Write],
) -> Vec<Written> {
    journal.recover(connection);
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
            .and_then(|()| match apply_write(&transaction, journal, write) {
                Ok(outcome) => transaction
                    .execute_batch("RELEASE one_write")
                    .map(|()| outcome)
                    .map_err(StoreError::from),
                Err(error) => {
                    let _ = transaction.execute_batch("ROLLBACK TO one_write; RELEASE one_write");
                    Err(error)
                }
            });
        results.push(result.map(|(outcome, change)| {
            if let Some(change) = change {
                journal.record(change);
            }
            outcome
        }));
    }
    journal.copy_due(&transaction);
    if let Err(error) = transaction.commit() {
        // Nothing of the batch is stored, so nothing of it may be
        // acknowledged; and the account of the journal no longer matches it.
        journal.lose_track();
        let error = StoreError::from(error);
        return batch.iter().map(|_| Err(error.clone())).collect();
    }
    results
}
