//! Time as the room sees it: milliseconds since the Unix epoch, always handed
//! in by the caller so the reducer stays deterministic.

use serde::{Deserialize, Serialize};

/// A point in time, in milliseconds since the Unix epoch (server clock).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Timestamp(pub u64);

impl Timestamp {
    /// Milliseconds from `earlier` to `self`, or zero if `earlier` is later.
    pub fn millis_since(self, earlier: Timestamp) -> u64 {
        self.0.saturating_sub(earlier.0)
    }

    /// This timestamp moved `millis` into the future, saturating.
    pub fn plus_millis(self, millis: u64) -> Timestamp {
        Timestamp(self.0.saturating_add(millis))
    }
}
