//! Syncing the log beside the commits (issue 19): SQLite at `--sync full`.
//!
//! A commit at `--sync full` is two kinds of work: SQLite's (the batch's
//! rows, its pages written into the write-ahead log, which is memory work in
//! the page cache) and the disk's (one `fdatasync` of the log). When SQLite
//! synced inside its commit, the writer thread did both in turn, so a batch
//! that arrived during a sync waited for that sync, then for its own
//! SQLite work, then for its own sync.
//!
//! So the writer's connection runs at `synchronous = NORMAL` (in WAL mode:
//! no sync at commit; SQLite still syncs the log before each checkpoint and
//! the database after it, which keeps the file consistent), and this thread
//! syncs the log: it takes every batch committed since its last sync, syncs
//! once, and only then answers them. The writer meanwhile commits the next
//! batch, so SQLite's work is off the path and one sync covers whatever
//! committed while the previous one ran.
//!
//! Nothing about durability changes: no write is acknowledged, and none of
//! its frames reaches a client, before the log holding it is on disk, and
//! the answers go out in the order the batches committed. A sync that fails
//! stops the store: the kernel may have dropped the pages it could not
//! write and a later sync may then succeed without them (the "fsyncgate"
//! lesson), so every answer waiting for it or after it is an error, and the
//! writer refuses every write from then on (see [`Syncer::failure`]).
//!
//! The log file is opened once. SQLite keeps it (it only deletes it when
//! the last connection closes, and the writer's stays open until after this
//! thread is stopped); starting the log over overwrites it in place.

use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, OnceLock};
use std::thread::JoinHandle;
use std::time::Instant;

use tokio::sync::oneshot;

use super::{Claim, JoinCode, StoreError, Write, Written};
use crate::metrics::Metrics;

/// What syncs the log: the file in production, a stand-in in tests.
pub(super) trait Log: Send + 'static {
    /// Puts everything written to the log so far on disk.
    ///
    /// # Errors
    ///
    /// What the operating system reported.
    fn sync(&self) -> std::io::Result<()>;
}

impl Log for std::fs::File {
    fn sync(&self) -> std::io::Result<()> {
        // The log's size counts as data here: fdatasync includes it.
        self.sync_data()
    }
}

/// A write the writer thread is done with, whose answer waits until the log
/// holding it is on disk.
///
/// Nearly every answer is `Written`, the large one: boxing it would cost an
/// allocation per write to shrink the rare others.
#[expect(
    clippy::large_enum_variant,
    reason = "nearly every answer is the large variant"
)]
pub(super) enum Answer {
    /// A write of a batch and its outcome.
    Written {
        /// The write (its reply and its hook).
        write: Write,
        /// What the commit made of it.
        result: Written,
    },
    /// A meetup read back (and, with leases, claimed).
    Claimed {
        /// Who asked.
        reply: oneshot::Sender<Result<Claim, StoreError>>,
        /// What was found.
        claim: Result<Claim, StoreError>,
    },
    /// The leases renewed.
    Renewed {
        /// Who asked.
        reply: oneshot::Sender<Result<Vec<JoinCode>, StoreError>>,
        /// The meetups whose lease was lost.
        lost: Result<Vec<JoinCode>, StoreError>,
    },
}

impl Answer {
    /// Whether the answer is to something that changed the database.
    fn wrote(&self) -> bool {
        matches!(self, Answer::Written { result: Ok(_), .. })
    }

    /// Tells the sender, as far as `synced` allows: if the log could not be
    /// synced nothing is confirmed and no committed append's hook runs (its
    /// frames are not shown).
    pub(super) fn send(self, synced: Result<(), &StoreError>) {
        match self {
            Answer::Written { write, result } => {
                let result = synced.map_err(Clone::clone).and(result);
                match write {
                    Write::Append {
                        on_commit, reply, ..
                    } => {
                        if let (Ok(_), Some(on_commit)) = (&result, on_commit) {
                            on_commit();
                        }
                        let _ = reply.send(result.map(|_| ()));
                    }
                    Write::Create { reply, .. } | Write::Delete { reply, .. } => {
                        let _ = reply.send(result.map(|_| ()));
                    }
                    Write::Purge { reply, .. } => {
                        let _ = reply.send(result.map(Option::unwrap_or_default));
                    }
                    Write::Claim { .. } | Write::Renew { .. } | Write::Shutdown { .. } => {}
                }
            }
            Answer::Claimed { reply, claim } => {
                let _ = reply.send(synced.map_err(Clone::clone).and(claim));
            }
            Answer::Renewed { reply, lost } => {
                let _ = reply.send(synced.map_err(Clone::clone).and(lost));
            }
        }
    }
}

/// The thread that syncs the log and answers what it holds.
pub(super) struct Syncer {
    /// The writer's batches of answers, in commit order. Unbounded: each
    /// room waits for its append's answer before it stores again, so no
    /// more than a batch per room can wait here.
    queue: Sender<Vec<Answer>>,
    /// Set (once, for good) when a sync failed.
    failed: Arc<OnceLock<StoreError>>,
    thread: JoinHandle<()>,
}

impl Syncer {
    /// Starts the thread (`moot-sync`).
    ///
    /// # Errors
    ///
    /// If the thread cannot be started.
    pub(super) fn start(log: Box<dyn Log>, metrics: Arc<Metrics>) -> std::io::Result<Syncer> {
        let (queue, inbox) = channel();
        let failed = Arc::new(OnceLock::new());
        let thread = std::thread::Builder::new()
            .name("moot-sync".into())
            .spawn({
                let failed = Arc::clone(&failed);
                move || sync_loop(&*log, &inbox, &failed, &metrics)
            })?;
        Ok(Syncer {
            queue,
            failed,
            thread,
        })
    }

    /// Answers `answers` once the log holding them is on disk (and after
    /// every batch handed over before).
    pub(super) fn after_sync(&self, answers: Vec<Answer>) {
        if let Err(unsent) = self.queue.send(answers) {
            // The thread is gone (it only ends when stopped): nothing of
            // this batch may be confirmed.
            for answer in unsent.0 {
                answer.send(Err(&StoreError::Closed));
            }
        }
    }

    /// The failed sync's error, once one failed: the writer refuses every
    /// write from then on.
    pub(super) fn failure(&self) -> Option<StoreError> {
        self.failed.get().cloned()
    }

    /// Answers everything handed over, then stops the thread.
    pub(super) fn stop(self) {
        drop(self.queue);
        let _ = self.thread.join();
    }
}

fn sync_loop(
    log: &dyn Log,
    inbox: &Receiver<Vec<Answer>>,
    failed: &OnceLock<StoreError>,
    metrics: &Metrics,
) {
    while let Ok(first) = inbox.recv() {
        let mut group = vec![first];
        group.extend(inbox.try_iter());
        if failed.get().is_none() && group.iter().flatten().any(Answer::wrote) {
            let started = Instant::now();
            let synced = log.sync();
            metrics.store_synced(started.elapsed());
            if let Err(error) = synced {
                tracing::error!(
                    %error,
                    "the database's log could not be synced to disk: nothing is acknowledged from now on; stop moot and check the disk"
                );
                let _ = failed.set(StoreError::Sync(error.to_string()));
            }
        }
        let synced = failed.get().map_or(Ok(()), Err);
        for answer in group.into_iter().flatten() {
            answer.send(synced);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;
    use std::sync::mpsc::{SyncSender, sync_channel};

    use super::*;

    /// A log whose syncs wait for the test's word and then do as told.
    struct Scripted {
        go: Mutex<Receiver<std::io::Result<()>>>,
        started: SyncSender<()>,
    }

    impl Log for Scripted {
        fn sync(&self) -> std::io::Result<()> {
            let _ = self.started.send(());
            self.go.lock().unwrap().recv().unwrap()
        }
    }

    fn scripted() -> (
        Box<dyn Log>,
        std::sync::mpsc::Sender<std::io::Result<()>>,
        Receiver<()>,
    ) {
        let (go, script) = channel();
        let (started, sync_started) = sync_channel(16);
        let log = Scripted {
            go: Mutex::new(script),
            started,
        };
        (Box::new(log), go, sync_started)
    }

    /// A committed delete (the simplest write) and where its answer arrives.
    fn committed() -> (Answer, oneshot::Receiver<Result<(), StoreError>>) {
        let (reply, answer) = oneshot::channel();
        let write = Write::Delete {
            code: JoinCode::from_random_bits(7),
            reply,
        };
        (
            Answer::Written {
                write,
                result: Ok(None),
            },
            answer,
        )
    }

    #[test]
    fn nothing_is_answered_before_its_sync_and_one_sync_covers_what_waited() {
        let (log, go, sync_started) = scripted();
        let syncer = Syncer::start(log, Arc::new(Metrics::new())).unwrap();
        let (first, mut first_answer) = committed();
        syncer.after_sync(vec![first]);
        sync_started.recv().unwrap();
        // Two batches commit while the first sync runs.
        let (second, mut second_answer) = committed();
        let (third, mut third_answer) = committed();
        syncer.after_sync(vec![second]);
        syncer.after_sync(vec![third]);
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert!(first_answer.try_recv().is_err(), "answered before its sync");
        go.send(Ok(())).unwrap();
        sync_started.recv().unwrap();
        assert!(matches!(first_answer.blocking_recv(), Ok(Ok(()))));
        assert!(
            second_answer.try_recv().is_err() && third_answer.try_recv().is_err(),
            "answered before the sync that covers them"
        );
        go.send(Ok(())).unwrap();
        assert!(matches!(second_answer.blocking_recv(), Ok(Ok(()))));
        assert!(matches!(third_answer.blocking_recv(), Ok(Ok(()))));
        syncer.stop();
        assert!(
            sync_started.try_recv().is_err(),
            "the two batches that waited took one sync"
        );
    }

    #[test]
    fn a_failed_sync_fails_what_it_covers_and_everything_after() {
        let (log, go, sync_started) = scripted();
        let syncer = Syncer::start(log, Arc::new(Metrics::new())).unwrap();
        let (first, first_answer) = committed();
        let (hook_ran, hook_seen) = channel();
        let (reply, append_answer) = oneshot::channel();
        let append = Answer::Written {
            write: Write::Append {
                code: JoinCode::from_random_bits(7),
                events: Vec::new(),
                snapshot: None,
                ended_at: None,
                on_commit: Some(Box::new(move || {
                    let _ = hook_ran.send(());
                })),
                reply,
            },
            result: Ok(None),
        };
        syncer.after_sync(vec![first, append]);
        sync_started.recv().unwrap();
        go.send(Err(std::io::Error::other("disk gone"))).unwrap();
        assert!(matches!(
            first_answer.blocking_recv(),
            Ok(Err(StoreError::Sync(_)))
        ));
        assert!(matches!(
            append_answer.blocking_recv(),
            Ok(Err(StoreError::Sync(_)))
        ));
        assert!(
            hook_seen.try_recv().is_err(),
            "a write whose sync failed was shown"
        );
        assert!(matches!(syncer.failure(), Some(StoreError::Sync(_))));
        // A later batch fails too, without another sync (one that might
        // succeed without the pages the failed one lost).
        let (later, later_answer) = committed();
        syncer.after_sync(vec![later]);
        assert!(matches!(
            later_answer.blocking_recv(),
            Ok(Err(StoreError::Sync(_)))
        ));
        syncer.stop();
        assert!(
            sync_started.try_recv().is_err(),
            "synced again after a failure"
        );
    }
}
