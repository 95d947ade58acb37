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
//!
//! The file itself (telling a moot database from anything else, its
//! schema, checking a backup, the data directory's lock) is [`file`]'s.

use std::path::Path;

use moot_shared::JoinCode;
use rusqlite::{Connection, params};

use super::rows::{EventRow, MeetupRow, assemble, event_columns};
use super::{Claim, Durability, Engine, LoadedMeetup, StoreError, StoredEvent, Write, Written};
use crate::checkpoint::Checkpoints;
use journal::{Journal, JournalChange, copy_whole_journal, journal_rows, merge_journaled};

mod file;
mod journal;

pub(super) use file::SCHEMA_VERSION;
pub use file::{Contents, DATABASE_FILE, DataDirLock, LOCK_FILE, check};
use file::{Header, initialise, quick_check, read_header, upgrade};

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
