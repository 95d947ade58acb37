//! The database file itself: telling a moot database from a new file and
//! from anything else, SQLite's structural check, the schema made and
//! upgraded, a backup checked before it is restored, and the data
//! directory's lock.

use std::path::Path;

use rusqlite::Connection;

use super::StoreError;
use super::journal::has_journal;
use super::load;

/// `PRAGMA application_id` of a moot database: "moot" in ASCII.
const APPLICATION_ID: i64 = 0x6d6f_6f74;
/// The schema version this code writes (2: the journal). Version 1 files
/// are upgraded when opened.
pub(in crate::store) const SCHEMA_VERSION: i64 = 2;
/// The database file's name inside the data directory.
pub const DATABASE_FILE: &str = "moot.sqlite3";
/// The lock file's name inside the data directory (see [`DataDirLock`]).
pub const LOCK_FILE: &str = "moot.lock";

/// What a database file holds, by its header.
pub(super) enum Header {
    /// Nothing yet: a new file (moot makes its tables).
    Empty,
    /// A moot database of a schema this moot reads.
    Moot,
}

/// Tells a moot database from a new one and from anything else.
pub(super) fn read_header(connection: &Connection, path: &Path) -> Result<Header, StoreError> {
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
pub(super) fn quick_check(connection: &Connection, path: &Path) -> Result<(), StoreError> {
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
/// can serve, as [`open`](super::open) would before serving it: moot's application id, a
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

/// Makes the tables of a new database (schema 1; [`upgrade`] brings it
/// to this one) and marks the file as moot's.
pub(super) fn initialise(connection: &Connection) -> Result<(), StoreError> {
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
pub(super) fn upgrade(connection: &Connection) -> Result<(), StoreError> {
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
