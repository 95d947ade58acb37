//! A small, fixed pseudo-random generator (SplitMix64). Whatever the room
//! draws at random (a round's order, breakout groups) must come out the same
//! wherever it is computed from the same seed, on the server and in a replay,
//! and this crate takes no randomness crate. The server draws the seeds.

/// SplitMix64: one `u64` of state, good enough to shuffle a meetup's people.
pub(crate) struct SplitMix64(pub(crate) u64);

impl SplitMix64 {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number below `bound` (which is not zero). The modulo bias is
    /// negligible for the handful of people in a meetup.
    pub(crate) fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound as u64) as usize
    }

    /// Shuffles `items` in place (Fisher–Yates).
    pub(crate) fn shuffle<T>(&mut self, items: &mut [T]) {
        for last in (1..items.len()).rev() {
            items.swap(last, self.below(last + 1));
        }
    }
}
