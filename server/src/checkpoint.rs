//! Checkpoints off the commit path (issue 19).
//!
//! In WAL mode SQLite appends each commit to the write-ahead log and later
//! copies the log's pages into the database file: a checkpoint. By default
//! the connection that commits runs it, inside the commit that takes the log
//! past 1,000 pages: it writes up to 4 MB of pages scattered over the
//! database file and fsyncs it. moot has one writer thread for every room,
//! so while that commit checkpointed, every room waited for its next
//! command to be stored: at 2,400 busy rooms the log fills more than once a
//! second, each checkpoint stalled the whole server for tens of
//! milliseconds, and when the disk was slow to sync (other processes
//! writing, a full journal) for hundreds.
//!
//! So the writer's connection never checkpoints by itself
//! (`wal_autocheckpoint = 0`), and this thread does it on a connection of
//! its own: woken after commits, it runs a passive checkpoint (it takes no
//! lock the writer needs, and the writer goes on appending meanwhile) at
//! most every [`PAUSE`]. Durability does not change: a commit is on disk
//! when the log is synced at commit, whoever copies it on later.
//!
//! One thing needs the writer: SQLite starts the log over from its
//! beginning only when a write transaction begins after a checkpoint that
//! copied *every* page, and under load the writer always appends a little
//! during this thread's pass. So once the log is long, this thread asks the
//! writer to finish the job ([`Checkpoints::reset_wanted`]): at a quiet
//! moment (nothing waiting to be stored) the writer checkpoints the few
//! pages added since, which takes about a millisecond, and its next commit
//! starts the log over. Should quiet moments never come, it does so anyway
//! once the log is ten times that long, so the file stays bounded.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::time::{Duration, Instant};

use rusqlite::Connection;

/// The shortest time between two checkpoints: each one syncs the database
/// file, so this bounds how often, and lets pages written many times in a
/// row be copied once.
pub const PAUSE: Duration = Duration::from_millis(250);

/// A log this long (in pages, SQLite's default for its own checkpoints,
/// about 4 MB) is started over once it is copied.
pub const RESET_PAGES: i64 = 1000;

/// What the writer and the checkpointer share.
pub struct Checkpoints {
    /// Wakes the checkpointer; one pending wake-up stands for any number
    /// of commits.
    wake: SyncSender<()>,
    /// Set by the checkpointer when the log is long and copied: the writer
    /// should copy what it added since, so the log starts over.
    reset_wanted: Arc<AtomicBool>,
    /// Pages in the log at the last checkpoint.
    log_pages: Arc<AtomicI64>,
    /// The checkpointer thread, joined when the writer closes.
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Checkpoints {
    /// Starts the checkpointer on `connection`, its own connection to the
    /// database the writer commits to.
    ///
    /// # Errors
    ///
    /// When the thread cannot be started.
    pub fn start(connection: Connection) -> std::io::Result<Checkpoints> {
        let (wake, woken) = sync_channel(1);
        let reset_wanted = Arc::new(AtomicBool::new(false));
        let log_pages = Arc::new(AtomicI64::new(0));
        let shared = (Arc::clone(&reset_wanted), Arc::clone(&log_pages));
        let thread = std::thread::Builder::new()
            .name("moot-checkpoint".into())
            .spawn(move || checkpoint_loop(&connection, &woken, &shared.0, &shared.1))?;
        Ok(Checkpoints {
            wake,
            reset_wanted,
            log_pages,
            thread: Some(thread),
        })
    }

    /// Called by the writer after each commit, with whether more writes are
    /// waiting. Wakes the checkpointer, and copies the log's last pages
    /// itself when the log should start over and now is a good moment.
    pub fn committed(&self, writer: &Connection, busy: bool) {
        match self.wake.try_send(()) {
            Ok(()) | Err(TrySendError::Full(())) => self.catch_up(writer, busy),
            Err(TrySendError::Disconnected(())) => {}
        }
    }

    /// When the checkpointer asked for it, copies the pages the writer
    /// added since its last pass, so the next commit starts the log over:
    /// at a quiet moment (`busy` is false), or at once when the log is
    /// overlong.
    fn catch_up(&self, writer: &Connection, busy: bool) {
        if !self.reset_wanted.load(Ordering::Relaxed) {
            return;
        }
        let overlong = self.log_pages.load(Ordering::Relaxed) >= 10 * RESET_PAGES;
        if busy && !overlong {
            return;
        }
        self.reset_wanted.store(false, Ordering::Relaxed);
        // Busy (the checkpointer is in a pass) or failed: it asks again
        // after its next pass.
        if let Err(error) = passive_checkpoint(writer) {
            tracing::debug!(%error, "the writer's checkpoint did not run");
        }
    }

    /// Stops the checkpointer and waits for it, so that the writer's
    /// connection is the database's last and closes it cleanly.
    pub fn stop(mut self) {
        let Some(thread) = self.thread.take() else {
            return;
        };
        drop(self);
        let _ = thread.join();
    }
}

/// Runs a passive checkpoint: copies what it can without waiting for a
/// lock. Returns the pages in the log and how many of them are copied.
fn passive_checkpoint(connection: &Connection) -> rusqlite::Result<(i64, i64)> {
    connection.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |row| {
        Ok((row.get(1)?, row.get(2)?))
    })
}

/// The checkpointer thread: a passive checkpoint after commits, at most
/// every [`PAUSE`], until the writer is gone.
fn checkpoint_loop(
    connection: &Connection,
    woken: &Receiver<()>,
    reset_wanted: &AtomicBool,
    log_pages: &AtomicI64,
) {
    while woken.recv().is_ok() {
        let started = Instant::now();
        match passive_checkpoint(connection) {
            Ok((pages, copied)) => {
                log_pages.store(pages, Ordering::Relaxed);
                if pages >= RESET_PAGES && copied > 0 {
                    reset_wanted.store(true, Ordering::Relaxed);
                }
            }
            // Nothing is lost: the pages stay in the log, and the next
            // pass copies them.
            Err(error) => tracing::warn!(%error, "a checkpoint failed; the next one retries"),
        }
        std::thread::sleep(PAUSE.saturating_sub(started.elapsed()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A database in WAL mode that never checkpoints by itself, as the
    /// store's writer opens it, and a second connection to it.
    fn database() -> (Connection, Connection) {
        let dir =
            std::env::temp_dir().join(format!("moot-checkpoint-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("test.sqlite3");
        let writer = Connection::open(&path).unwrap();
        writer.pragma_update(None, "journal_mode", "WAL").unwrap();
        writer.pragma_update(None, "wal_autocheckpoint", 0).unwrap();
        writer
            .execute_batch("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
            .unwrap();
        let other = Connection::open(&path).unwrap();
        (writer, other)
    }

    /// Commits enough rows, one transaction each, to write `pages` pages
    /// to the log.
    fn write_pages(writer: &Connection, pages: i64) {
        let body = "x".repeat(3000);
        for _ in 0..pages {
            writer
                .execute("INSERT INTO t (body) VALUES (?1)", [&body])
                .unwrap();
        }
    }

    /// Pages in the writer's log now (a checkpoint with nothing to copy
    /// tells, since the log was copied before).
    fn log_pages(writer: &Connection) -> i64 {
        passive_checkpoint(writer).unwrap().0
    }

    #[test]
    fn the_log_is_copied_off_the_writer_and_then_starts_over() {
        let (writer, other) = database();
        let checkpoints = Checkpoints::start(other).unwrap();
        write_pages(&writer, RESET_PAGES + 100);
        // Busy: the writer does not step in yet, but the checkpointer wakes.
        checkpoints.committed(&writer, true);
        let deadline = Instant::now() + Duration::from_secs(10);
        while !checkpoints.reset_wanted.load(Ordering::Relaxed) {
            assert!(
                Instant::now() < deadline,
                "the checkpointer copied the long log"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
        assert!(checkpoints.log_pages.load(Ordering::Relaxed) > RESET_PAGES);
        // Commits after the pass, as under load: the log is not all copied,
        // so it cannot start over by itself.
        write_pages(&writer, 50);
        // A quiet moment: the writer copies what is left, and its next
        // commit starts the log over.
        checkpoints.catch_up(&writer, false);
        assert!(!checkpoints.reset_wanted.load(Ordering::Relaxed));
        write_pages(&writer, 3);
        let pages = log_pages(&writer);
        assert!(pages < 20, "the log started over: {pages} pages");
        checkpoints.stop();
        let rows: i64 = writer
            .query_row("SELECT count(*) FROM t", [], |row| row.get(0))
            .unwrap();
        assert_eq!(rows, RESET_PAGES + 153);
    }
}
