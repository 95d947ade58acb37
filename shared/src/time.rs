//! Time as the room sees it: milliseconds since the Unix epoch, always handed
//! in by the caller so the reducer stays deterministic.

use crate::ids::number_newtype;

number_newtype! {
    /// A point in time, in milliseconds since the Unix epoch (server clock).
    Timestamp(u64)
}

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
