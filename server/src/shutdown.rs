//! Stopping in order (issue 19). On SIGTERM or Ctrl-C the server
//!
//! 1. stops accepting connections and lets open HTTP requests finish
//!    ([`serve`](crate::serve)),
//! 2. tells every room to stop: each finishes the message it is handling
//!    (a command being stored is stored and acknowledged), closes its
//!    connections with close code 4008 so clients come back and resume,
//!    and ends without storing anything more: the presence of people it
//!    disconnects is deliberately not recorded, because a restarted server
//!    marks everyone as departed anyway,
//! 3. waits until every room task has ended, so no write can follow,
//! 4. commits what the store still holds and closes the database,
//! 5. gives the sockets a moment to deliver their close frames.
//!
//! Before this order, the store closed while rooms still ran, and every room
//! that saw a connection go stored its presence into a closed store and
//! logged an error.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::sync::watch;

/// Tasks of one kind that are still running, so shutdown can wait for the
/// last to end. Each task holds a [`Running`] for as long as it runs.
pub struct Tracker {
    /// Each running task holds one receiver; `closed()` completes when none is left.
    running: watch::Sender<()>,
}

/// Held by a task while it runs (see [`Tracker::enter`]).
pub struct Running {
    _held: watch::Receiver<()>,
}

impl Default for Tracker {
    fn default() -> Tracker {
        let (running, _) = watch::channel(());
        Tracker { running }
    }
}

impl Tracker {
    /// Counts a task as running until the returned value is dropped.
    pub fn enter(&self) -> Running {
        Running {
            _held: self.running.subscribe(),
        }
    }

    /// How many tasks are running.
    pub fn count(&self) -> usize {
        self.running.receiver_count()
    }

    /// Completes when no task is running.
    pub async fn all_ended(&self) {
        self.running.closed().await;
    }
}

/// Whether the server is stopping, and its sockets.
#[derive(Default)]
pub struct Stopping {
    stopping: AtomicBool,
    /// WebSocket connections still open.
    pub sockets: Tracker,
}

impl Stopping {
    /// Marks the server as stopping.
    pub fn begin(&self) {
        self.stopping.store(true, Ordering::SeqCst);
    }

    /// Whether the server is stopping: a room that is gone is then not a
    /// meetup that ended but one that will be back after the restart.
    pub fn is_stopping(&self) -> bool {
        self.stopping.load(Ordering::SeqCst)
    }

    /// Waits up to `patience` for every socket to finish closing. A client
    /// that does not take its close frame is not waited for longer.
    pub async fn sockets_closed(&self, patience: Duration) {
        if tokio::time::timeout(patience, self.sockets.all_ended())
            .await
            .is_err()
        {
            tracing::warn!(
                open = self.sockets.count(),
                "connections still closing when moot stopped"
            );
        }
    }
}
