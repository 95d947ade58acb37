//! What goes wrong with storage, for every engine: each error says what
//! is wrong and with which file, database or meetup.

use std::path::{Path, PathBuf};

use super::LOCK_FILE;
use super::sqlite;

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
        "{path} was written by a newer moot (schema {found}); this moot reads schema {}",
        sqlite::SCHEMA_VERSION
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
    /// The PostgreSQL database cannot be reached (named without its password).
    #[error("cannot reach the PostgreSQL database {target}: {detail}")]
    Unreachable {
        /// `user@host:port/database`.
        target: String,
        /// What the client said.
        detail: String,
    },
    /// The PostgreSQL database holds tables that are not moot's, or moot's
    /// of a newer schema.
    #[error("the PostgreSQL database {target} {detail}; nothing was changed")]
    ForeignDatabase {
        /// `user@host:port/database`.
        target: String,
        /// What is wrong.
        detail: String,
    },
    /// PostgreSQL reported an error (or the connection broke); the write
    /// may or may not have been committed.
    #[error("storage error: {0}")]
    Postgres(String),
    /// This node no longer holds the meetup's lease (another node took it
    /// over): nothing was written.
    #[error("meetup {0} is now owned by another node")]
    LeaseLost(String),
    /// The writer thread is gone (the server is shutting down).
    #[error("storage is closed")]
    Closed,
    /// The database's log could not be synced to disk: nothing is
    /// acknowledged from then on (see [`sync`]).
    #[error("the database's log could not be synced to disk ({0}); stop moot and check the disk")]
    Sync(String),
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
