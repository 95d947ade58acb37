//! The server's clock: the system clock in production, a manual clock in
//! tests. Rooms read time only through it, so a test can move a meetup's
//! time forward (a timebox running out, a poll's time limit) without
//! sleeping, and the room tasks act at once.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use moot_shared::Timestamp;
use tokio::sync::watch;
use tokio::time::Instant;

/// A source of the time rooms see. Cheap to clone; clones of a manual
/// clock share its time.
#[derive(Clone, Debug, Default)]
pub struct Clock {
    /// `None`: the system clock.
    manual: Option<Arc<Manual>>,
}

#[derive(Debug)]
struct Manual {
    millis: AtomicU64,
    /// Tells room tasks the time moved, so they look at their deadlines.
    moved: watch::Sender<u64>,
}

impl Clock {
    /// The system clock (the default).
    pub fn system() -> Clock {
        Clock { manual: None }
    }

    /// A clock that stands still at `start` until moved by
    /// [`Clock::advance`] or [`Clock::set`].
    pub fn manual(start: Timestamp) -> Clock {
        let (moved, _) = watch::channel(start.0);
        Clock {
            manual: Some(Arc::new(Manual {
                millis: AtomicU64::new(start.0),
                moved,
            })),
        }
    }

    /// The time now.
    pub fn now(&self) -> Timestamp {
        match &self.manual {
            Some(manual) => Timestamp(manual.millis.load(Ordering::SeqCst)),
            None => system_now(),
        }
    }

    /// Moves a manual clock forward by `by`; the system clock moves by itself
    /// and ignores this.
    pub fn advance(&self, by: Duration) {
        if let Some(manual) = &self.manual {
            let by = u64::try_from(by.as_millis()).unwrap_or(u64::MAX);
            let now = manual
                .millis
                .fetch_add(by, Ordering::SeqCst)
                .saturating_add(by);
            manual.moved.send_replace(now);
        }
    }

    /// Sets a manual clock to `to` (never backwards); ignored by the system clock.
    pub fn set(&self, to: Timestamp) {
        if let Some(manual) = &self.manual {
            let now = manual.millis.fetch_max(to.0, Ordering::SeqCst).max(to.0);
            manual.moved.send_replace(now);
        }
    }

    /// For a manual clock, a receiver that changes whenever the time moves.
    pub fn changes(&self) -> Option<watch::Receiver<u64>> {
        self.manual.as_ref().map(|manual| manual.moved.subscribe())
    }

    /// The tokio instant at which `deadline` (on this clock) is due. The
    /// system clock gets there by itself; a manual clock only when moved,
    /// so a deadline still in its future has no instant (the room task
    /// waits for [`Clock::changes`] instead).
    pub fn instant_of(&self, deadline: Timestamp) -> Option<Instant> {
        let wait = deadline.millis_since(self.now());
        match (&self.manual, wait) {
            (None, _) => Some(Instant::now() + Duration::from_millis(wait)),
            (Some(_), 0) => Some(Instant::now()),
            (Some(_), _) => None,
        }
    }
}

/// The system clock, in the form rooms use.
pub fn system_now() -> Timestamp {
    let since_epoch = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    Timestamp(u64::try_from(since_epoch.as_millis()).unwrap_or(u64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_moves_only_when_told_and_never_backwards() {
        let clock = Clock::manual(Timestamp(1_000));
        let changes = clock.changes().expect("a manual clock notifies");
        assert_eq!(clock.clone().now(), Timestamp(1_000));
        clock.advance(Duration::from_millis(500));
        assert_eq!(clock.now(), Timestamp(1_500));
        assert!(changes.has_changed().unwrap_or(false));
        clock.set(Timestamp(1_200));
        assert_eq!(clock.now(), Timestamp(1_500));
        assert!(clock.instant_of(Timestamp(1_501)).is_none());
        assert!(clock.instant_of(Timestamp(1_500)).is_some());
        assert!(Clock::system().changes().is_none());
    }
}
