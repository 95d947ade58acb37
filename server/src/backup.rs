//! `moot backup` and `moot restore`: a consistent copy of the database,
//! taken while moot runs, and putting one back while it does not.
//!
//! Both copy with SQLite's online backup API, in one step: the whole copy
//! is read in one read transaction, so it is the database as of one commit
//! (every action acknowledged before the backup began is in it), and in WAL
//! mode the running server's writer goes on meanwhile. (Copying in small
//! steps would start over after every commit of the server, and never end
//! on a busy one.) A backup is one self-contained file in rollback-journal
//! mode, checked as the server checks its database at start before it is
//! given its name, so a backup that exists is one that restores.
//!
//! A restore takes the data directory's lock ([`DataDirLock`]), so it is
//! refused while a server runs there and a server cannot start while it
//! runs. It checks the backup the same way, then moves the database it
//! replaces aside (with its write-ahead log) and renames the copy into
//! place: at every moment the directory holds either the old database or
//! the new one, whole.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};

use crate::store::{self, Contents, DATABASE_FILE, DataDirLock, StoreError};

/// How long a copy waits for the source database to let it read.
const BUSY_PATIENCE: Duration = Duration::from_secs(10);

/// What went wrong with a backup or a restore. Nothing was changed.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// There is no database to copy.
    #[error("there is no database at {path}")]
    NoDatabase {
        /// Where it was looked for.
        path: PathBuf,
    },
    /// The backup would overwrite a file.
    #[error("{path} exists; remove it or choose another name")]
    TargetExists {
        /// The file.
        path: PathBuf,
    },
    /// The file is not a moot database.
    #[error("{path} is not a moot database (it belongs to something else, or is damaged)")]
    NotMoot {
        /// The file.
        path: PathBuf,
    },
    /// A restore was asked to put the data directory's own database back.
    #[error("{path} is the data directory's database itself")]
    SameFile {
        /// The file.
        path: PathBuf,
    },
    /// The database or the backup is not one moot can serve, or the data
    /// directory is in use.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Reading or writing a file failed.
    #[error("{path}: {detail}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What failed.
        detail: String,
    },
}

fn io_error(path: &Path) -> impl Fn(std::io::Error) -> BackupError + '_ {
    move |error| BackupError::Io {
        path: path.to_owned(),
        detail: error.to_string(),
    }
}

fn sqlite_error(path: &Path) -> impl Fn(rusqlite::Error) -> BackupError + '_ {
    move |error| BackupError::Io {
        path: path.to_owned(),
        detail: error.to_string(),
    }
}

/// Copies the database of `data_dir` to `target` (a new file), while a
/// server may be running on it, and checks the copy. Returns what it holds.
///
/// # Errors
///
/// A [`BackupError`]; `target` is then not created.
pub fn backup(data_dir: &Path, target: &Path) -> Result<Contents, BackupError> {
    let source = data_dir.join(DATABASE_FILE);
    if !source.is_file() {
        return Err(BackupError::NoDatabase { path: source });
    }
    if target.exists() {
        return Err(BackupError::TargetExists {
            path: target.to_owned(),
        });
    }
    if let Some(parent) = target
        .parent()
        .filter(|parent| !parent.as_os_str().is_empty())
        && !parent.is_dir()
    {
        return Err(BackupError::Io {
            path: parent.to_owned(),
            detail: "no such directory".to_owned(),
        });
    }
    let partial = with_suffix(target, ".partial");
    remove_if_present(&partial)?;
    // Read-write, though it only reads: on a stopped server's directory the
    // connection is the last to close, and then removes the write-ahead log
    // and index it opened, leaving the directory as it was.
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let copied = copy_database(&source, flags, &partial).and_then(|()| checked(&partial, &source));
    let contents = match copied {
        Ok(contents) => contents,
        Err(error) => {
            let _ = std::fs::remove_file(&partial);
            return Err(error);
        }
    };
    // Checked again just before the rename, which would replace a file
    // that appeared meanwhile.
    if target.exists() {
        let _ = std::fs::remove_file(&partial);
        return Err(BackupError::TargetExists {
            path: target.to_owned(),
        });
    }
    sync_file(&partial)?;
    std::fs::rename(&partial, target).map_err(io_error(target))?;
    sync_parent(target)?;
    Ok(contents)
}

/// A restore that happened.
#[derive(Debug)]
pub struct Restored {
    /// What the restored database holds.
    pub contents: Contents,
    /// Where the database it replaced went, if there was one.
    pub replaced: Option<PathBuf>,
}

/// Checks the backup at `source` and puts it in place of the database of
/// `data_dir` (created if missing), which must not be in use. The database
/// it replaces is kept beside it, as `moot.sqlite3.before-restore-<unix
/// seconds>`.
///
/// # Errors
///
/// A [`BackupError`]: [`StoreError::InUse`] while a server runs on
/// `data_dir`, a check's error for a backup moot cannot serve. The data
/// directory's database is then as it was.
pub fn restore(data_dir: &Path, source: &Path) -> Result<Restored, BackupError> {
    if !source.is_file() {
        return Err(BackupError::NoDatabase {
            path: source.to_owned(),
        });
    }
    std::fs::create_dir_all(data_dir).map_err(io_error(data_dir))?;
    let _lock = DataDirLock::acquire(data_dir)?;
    let database = data_dir.join(DATABASE_FILE);
    if database.exists()
        && std::fs::canonicalize(&database).ok() == std::fs::canonicalize(source).ok()
    {
        return Err(BackupError::SameFile { path: database });
    }
    let staging = with_suffix(&database, ".restoring");
    remove_if_present(&staging)?;
    // Read-only: the backup is someone else's file.
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let staged = copy_database(source, flags, &staging)
        .and_then(|()| checked(&staging, source))
        .and_then(|contents| {
            give_to_owner_of(data_dir, &staging)?;
            sync_file(&staging)?;
            Ok(contents)
        });
    let contents = match staged {
        Ok(contents) => contents,
        Err(error) => {
            let _ = std::fs::remove_file(&staging);
            return Err(error);
        }
    };
    let replaced = move_aside(&database)?;
    std::fs::rename(&staging, &database).map_err(io_error(&database))?;
    sync_parent(&database)?;
    Ok(Restored { contents, replaced })
}

/// Checks the copy `copy` of `original` (see [`store::check`]); errors name
/// the original.
fn checked(copy: &Path, original: &Path) -> Result<Contents, BackupError> {
    store::check(copy).map_err(|error| match error {
        StoreError::Foreign { .. } => BackupError::NotMoot {
            path: original.to_owned(),
        },
        other => BackupError::Store(other.about(original)),
    })
}

/// Copies the SQLite database at `source` to a new file `target` with the
/// online backup API, in one step (see the module docs), and leaves the
/// copy in rollback-journal mode: one file, whole, readable read-only.
fn copy_database(source: &Path, flags: OpenFlags, target: &Path) -> Result<(), BackupError> {
    let from = Connection::open_with_flags(source, flags).map_err(sqlite_error(source))?;
    from.busy_timeout(BUSY_PATIENCE)
        .map_err(sqlite_error(source))?;
    // Reading the header is the first thing that fails on a file that is
    // not SQLite; what it says is checked on the copy.
    from.query_row("PRAGMA application_id", [], |row| row.get::<_, i64>(0))
        .map_err(|_| BackupError::NotMoot {
            path: source.to_owned(),
        })?;
    let mut to = Connection::open(target).map_err(sqlite_error(target))?;
    {
        let copy = Backup::new(&from, &mut to).map_err(sqlite_error(target))?;
        let started = Instant::now();
        loop {
            // -1: every page in this step, under one read transaction.
            match copy.step(-1).map_err(sqlite_error(source))? {
                StepResult::Done => break,
                StepResult::More => {}
                StepResult::Busy | StepResult::Locked if started.elapsed() < BUSY_PATIENCE => {
                    std::thread::sleep(Duration::from_millis(50));
                }
                _ => {
                    return Err(BackupError::Io {
                        path: source.to_owned(),
                        detail: "the database stayed busy; try again".to_owned(),
                    });
                }
            }
        }
    }
    // The copy took the source's header, WAL mode included.
    to.pragma_update(None, "journal_mode", "DELETE")
        .map_err(sqlite_error(target))?;
    to.close().map_err(|(_, error)| sqlite_error(target)(error))
}

/// Moves `database` aside, with its write-ahead log (which may hold the
/// last commits, after a crash); its shared-memory index is rebuilt from
/// them and is removed. Returns the new name, if there was a database.
fn move_aside(database: &Path) -> Result<Option<PathBuf>, BackupError> {
    if !database.exists() {
        return Ok(None);
    }
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs());
    let aside = with_suffix(database, &format!(".before-restore-{seconds}"));
    let wal = with_suffix(database, "-wal");
    if wal.exists() {
        std::fs::rename(&wal, with_suffix(&aside, "-wal")).map_err(io_error(&wal))?;
    }
    remove_if_present(&with_suffix(database, "-shm"))?;
    std::fs::rename(database, &aside).map_err(io_error(database))?;
    Ok(Some(aside))
}

/// Gives `file` to the owner of `directory`, so a server running as that
/// user (a systemd `DynamicUser`, a container's user) can write to a
/// database restored by root.
#[cfg(unix)]
fn give_to_owner_of(directory: &Path, file: &Path) -> Result<(), BackupError> {
    use std::os::unix::fs::MetadataExt as _;
    let owner = std::fs::metadata(directory).map_err(io_error(directory))?;
    let current = std::fs::metadata(file).map_err(io_error(file))?;
    if (owner.uid(), owner.gid()) == (current.uid(), current.gid()) {
        return Ok(());
    }
    std::os::unix::fs::chown(file, Some(owner.uid()), Some(owner.gid())).map_err(|error| {
        BackupError::Io {
            path: file.to_owned(),
            detail: format!(
                "cannot give it to the data directory's owner (uid {}): {error}; \
                 run moot restore as that user or as root",
                owner.uid()
            ),
        }
    })
}

#[cfg(not(unix))]
fn give_to_owner_of(_directory: &Path, _file: &Path) -> Result<(), BackupError> {
    Ok(())
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn remove_if_present(path: &Path) -> Result<(), BackupError> {
    match std::fs::remove_file(path) {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => Err(io_error(path)(error)),
        _ => Ok(()),
    }
}

fn sync_file(path: &Path) -> Result<(), BackupError> {
    std::fs::File::open(path)
        .and_then(|file| file.sync_all())
        .map_err(io_error(path))
}

/// Makes a rename in `path`'s directory durable.
fn sync_parent(path: &Path) -> Result<(), BackupError> {
    match path
        .parent()
        .filter(|parent| !parent.as_os_str().is_empty())
    {
        // Directories open read-only on Unix; elsewhere this is skipped.
        Some(parent) if cfg!(unix) => sync_file(parent),
        _ => Ok(()),
    }
}
