//! The SQLite engine: every event of every meetup in one embedded file
//! (`moot.sqlite3` in the data directory).
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

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use moot_shared::JoinCode;
use rusqlite::{Connection, params};

use super::{
    Claim, Durability, Engine, EventRow, LoadedMeetup, MeetupRow, StoreError, StoredEvent, Write,
    Written, assemble, event_columns,
};
use crate::checkpoint::Checkpoints;

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
    let checkpointer = Connection::open(&path)?;
    checkpointer.pragma_update(None, "synchronous", "NORMAL")?;
    let checkpoints =
        Checkpoints::start(checkpointer).map_err(|error| StoreError::Sqlite(error.to_string()))?;
    Ok((
        Sqlite {
            connection,
            journal: Journal::new(&loaded),
            checkpoints,
            lock,
        },
        loaded,
    ))
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

/// Whether the file has the journal (schema 2 on); a backup being checked
/// may be older.
fn has_journal(connection: &Connection) -> Result<bool, StoreError> {
    Ok(connection.query_row(
        "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'journal'",
        [],
        |row| row.get::<_, i64>(0),
    )? > 0)
}

/// Reads the journal's rows (of every meetup, or the one with `only` this
/// code), by meetup, oldest first.
fn journal_rows(
    connection: &Connection,
    only: Option<&JoinCode>,
) -> Result<HashMap<String, Vec<EventRow>>, StoreError> {
    if !has_journal(connection)? {
        return Ok(HashMap::new());
    }
    let mut select = connection.prepare(
        "SELECT code, seq, at, participant, request_id, event FROM journal
         WHERE ?1 IS NULL OR code = ?1 ORDER BY id",
    )?;
    let mut by_code: HashMap<String, Vec<EventRow>> = HashMap::new();
    let rows = select.query_map([only.map(JoinCode::as_str)], |row| {
        Ok((
            row.get::<_, String>(0)?,
            EventRow {
                seq: row.get(1)?,
                at: row.get(2)?,
                participant: row.get(3)?,
                request_id: row.get(4)?,
                event: row.get(5)?,
            },
        ))
    })?;
    for row in rows {
        let (code, event) = row?;
        by_code.entry(code).or_default().push(event);
    }
    Ok(by_code)
}

/// Adds journal rows to those read from `events`: sorted by sequence
/// number, each once (a row may be in both until the journal's copied head
/// is deleted).
fn merge_journaled(stored: &mut Vec<EventRow>, journaled: Vec<EventRow>) {
    if journaled.is_empty() {
        return;
    }
    stored.extend(journaled);
    stored.sort_by_key(|row| row.seq);
    stored.dedup_by_key(|row| row.seq);
}

/// Copies every journal row of a stored meetup into `events` and empties
/// the journal, in one transaction.
fn copy_whole_journal(connection: &Connection) -> Result<(), StoreError> {
    connection.execute_batch(
        "BEGIN;
         INSERT OR IGNORE INTO events (code, seq, at, participant, request_id, event)
             SELECT code, seq, at, participant, request_id, event FROM journal
             WHERE code IN (SELECT code FROM meetups) ORDER BY id;
         DELETE FROM journal;
         COMMIT;",
    )?;
    Ok(())
}

/// Writes events to `events` directly (a meetup's first event: one per
/// meetup, so nothing to gain from the journal).
fn insert_events(
    connection: &Connection,
    code: &JoinCode,
    events: &[StoredEvent],
) -> Result<(), StoreError> {
    let mut insert = connection.prepare_cached(
        "INSERT INTO events (code, seq, at, participant, request_id, event) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
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
    }
    Ok(())
}

/// Appends events to the journal; returns their ids, oldest first.
fn journal_events(
    connection: &Connection,
    code: &JoinCode,
    events: &[StoredEvent],
) -> Result<Vec<i64>, StoreError> {
    let mut insert = connection.prepare_cached(
        "INSERT INTO journal (code, seq, at, participant, request_id, event) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    let mut ids = Vec::with_capacity(events.len());
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
        ids.push(connection.last_insert_rowid());
    }
    Ok(ids)
}

/// A write's effect on the writer's account of the journal.
enum JournalChange {
    /// A new meetup, at its first event.
    Created(JoinCode),
    /// These rows of this meetup were added, up to this sequence number.
    Appended(JoinCode, Vec<i64>, i64),
    /// These meetups and their rows are gone.
    Deleted(Vec<JoinCode>),
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
            insert_events(connection, code, std::slice::from_ref(first))?;
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
            let ids = journal_events(connection, code, events)?;
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
    if journal.lost_track {
        // The last commit failed after the account was updated: start
        // over from a journal with nothing in it.
        match copy_whole_journal(connection) {
            // Sequence numbers are read again as meetups write.
            Ok(()) => *journal = Journal::default(),
            Err(error) => {
                tracing::warn!(%error, "copying the journal failed; retrying with the next commit")
            }
        }
    }
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
            match change {
                Some(JournalChange::Created(code)) => {
                    journal.last_seq.insert(code, 1);
                }
                Some(JournalChange::Appended(code, ids, seq)) => {
                    journal.appended(&code, &ids);
                    journal.last_seq.insert(code, seq);
                }
                Some(JournalChange::Deleted(codes)) => codes.iter().for_each(|code| {
                    journal.forget(code);
                    journal.last_seq.remove(code);
                }),
                None => {}
            }
            outcome
        }));
    }
    // Not while the account may be wrong: a trim could drop rows it missed.
    if !journal.lost_track {
        journal.copy_due(&transaction);
    }
    if let Err(error) = transaction.commit() {
        // Nothing of the batch is stored, so nothing of it may be
        // acknowledged; and the account of the journal no longer matches it.
        journal.lost_track = true;
        let error = StoreError::from(error);
        return batch.iter().map(|_| Err(error.clone())).collect();
    }
    results
}

/// A meetup's journal rows are copied into `events` once this many wait.
const COPY_AT: usize = 32;
/// A meetup whose oldest uncopied row is this many rows behind the newest
/// is copied however few rows it has, so the journal's head can go.
const HEAD_LAG: i64 = 65_536;
/// The most meetups copied in one commit.
const COPIES_PER_COMMIT: usize = 64;
/// The journal's copied head is deleted once it is this many rows long.
const TRIM_EVERY: i64 = 4_096;

/// The writer's account of the journal: which rows are not yet copied into
/// `events`, by meetup.
///
/// Why a journal: events are kept in order of meetup and sequence number,
/// so every append wrote a page of its own room (and a 4 KiB page to the
/// log), and every checkpoint wrote one page per room that acted, scattered
/// over the file. The journal is in arrival order: a commit writes the
/// last page or two, however many rooms it serves. Copying a meetup's rows
/// [`COPY_AT`] at a time writes its page of `events` once for that many
/// events.
#[derive(Default)]
struct Journal {
    /// Each meetup's rows not yet copied, oldest first.
    pending: HashMap<JoinCode, Vec<i64>>,
    /// `(first uncopied id, meetup)` of each meetup in `pending`: the first
    /// holds the journal's head back.
    heads: BTreeSet<(i64, JoinCode)>,
    /// Meetups that reached [`COPY_AT`] rows (some may be copied or deleted since).
    full: Vec<JoinCode>,
    /// The newest row's id.
    newest: i64,
    /// Every row below this id is copied and deleted.
    trimmed_below: i64,
    /// Each meetup's last stored sequence number (the journal has no key
    /// on it, so the writer refuses a repeat or a gap itself).
    last_seq: HashMap<JoinCode, i64>,
    /// A commit failed after this account was updated: it may name rows
    /// that were never written, or miss some that were.
    lost_track: bool,
}

impl Journal {
    /// An account of an empty journal, for these meetups at these sequence numbers.
    fn new(meetups: &[LoadedMeetup]) -> Journal {
        Journal {
            last_seq: meetups
                .iter()
                .map(|meetup| (meetup.code.clone(), meetup.seq.0 as i64))
                .collect(),
            ..Journal::default()
        }
    }

    /// The last sequence number stored for `code`: known, or read (a
    /// meetup this writer has not seen, or after a failed commit).
    fn last_seq(&mut self, connection: &Connection, code: &JoinCode) -> Result<i64, StoreError> {
        if let Some(&seq) = self.last_seq.get(code) {
            return Ok(seq);
        }
        let seq: i64 = connection.query_row(
            "SELECT coalesce(max(seq), 0) FROM stored_events WHERE code = ?1",
            [code.as_str()],
            |row| row.get(0),
        )?;
        self.last_seq.insert(code.clone(), seq);
        Ok(seq)
    }

    fn appended(&mut self, code: &JoinCode, ids: &[i64]) {
        let (Some(&first), Some(&last)) = (ids.first(), ids.last()) else {
            return;
        };
        let pending = self.pending.entry(code.clone()).or_default();
        if pending.is_empty() {
            self.heads.insert((first, code.clone()));
        }
        let before = pending.len();
        pending.extend_from_slice(ids);
        if before < COPY_AT && pending.len() >= COPY_AT {
            self.full.push(code.clone());
        }
        self.newest = self.newest.max(last);
    }

    /// Forgets a meetup's rows (copied, or deleted with it); returns them.
    fn forget(&mut self, code: &JoinCode) -> Vec<i64> {
        let pending = self.pending.remove(code).unwrap_or_default();
        if let Some(&first) = pending.first() {
            self.heads.remove(&(first, code.clone()));
        }
        pending
    }

    /// Meetups due to be copied: those holding the head back too long,
    /// then those with enough rows.
    fn due(&mut self) -> Vec<JoinCode> {
        let behind = self.newest - HEAD_LAG;
        let mut due: Vec<JoinCode> = self
            .heads
            .iter()
            .take_while(|(first, _)| *first < behind)
            .take(COPIES_PER_COMMIT)
            .map(|(_, code)| code.clone())
            .collect();
        while due.len() < COPIES_PER_COMMIT {
            let Some(code) = self.full.pop() else { break };
            let waiting = self.pending.get(&code).map_or(0, Vec::len);
            if waiting >= COPY_AT && !due.contains(&code) {
                due.push(code);
            }
        }
        due
    }

    /// Copies what is due into `events`, and deletes the journal's copied
    /// head, inside the open transaction. A copy that fails is left for
    /// later (its rows stay pending; nothing is lost).
    fn copy_due(&mut self, connection: &Connection) {
        for code in self.due() {
            let ids = self.forget(&code);
            if let Err(error) = copy_rows(connection, &ids) {
                tracing::warn!(%code, %error, "copying from the journal failed; retrying later");
                self.appended(&code, &ids);
            }
        }
        let head = self
            .heads
            .first()
            .map_or(self.newest + 1, |(first, _)| *first);
        if head - self.trimmed_below >= TRIM_EVERY {
            match connection.execute("DELETE FROM journal WHERE id < ?1", [head]) {
                Ok(_) => self.trimmed_below = head,
                Err(error) => tracing::warn!(%error, "trimming the journal failed; retrying later"),
            }
        }
    }
}

/// Copies journal rows into `events`, in a savepoint of their own.
fn copy_rows(connection: &Connection, ids: &[i64]) -> Result<(), StoreError> {
    connection.execute_batch("SAVEPOINT copy")?;
    let copied = (|| {
        let mut copy = connection.prepare_cached(
            "INSERT OR IGNORE INTO events (code, seq, at, participant, request_id, event)
                 SELECT code, seq, at, participant, request_id, event FROM journal WHERE id = ?1",
        )?;
        for id in ids {
            copy.execute([id])?;
        }
        Ok::<(), StoreError>(())
    })();
    match copied {
        Ok(()) => {
            connection.execute_batch("RELEASE copy")?;
            Ok(())
        }
        Err(error) => {
            let _ = connection.execute_batch("ROLLBACK TO copy; RELEASE copy");
            Err(error)
        }
    }
}
