//! Panics moot-fuzz found, each pinned by the smallest input that showed
//! it. (Corpus files under `fuzz/corpus/` replay the whole frames.)

use moot_shared::minutes::{Minutes, duration};
use moot_shared::protocol::ServerMessage;
use moot_shared::session;

/// `minutes::duration` added half a second before rounding, which
/// overflowed for a time near `u64::MAX`; a browser builds the minutes from
/// whatever its snapshot says, so a damaged `time_spent_ms` panicked there
/// (found by moot-fuzz, seed 3, input 156925).
#[test]
fn a_duration_near_the_largest_number_does_not_overflow() {
    assert_eq!(duration(u64::MAX), "5124095576030 h 25 min");
    assert_eq!(duration(u64::MAX - 499), "5124095576030 h 25 min");
    assert_eq!(duration(499), "0 s");
    assert_eq!(duration(500), "1 s");
}

/// The same through the browser's path: a snapshot whose topic claims the
/// largest time spent, read into minutes.
#[test]
fn minutes_of_a_snapshot_with_the_largest_time_spent() {
    let text = include_str!("../corpus/server/welcome-time-spent-max.json");
    let Ok(ServerMessage::Welcome {
        snapshot: Some(snapshot),
        server_time,
        ..
    }) = session::decode(text)
    else {
        panic!("the corpus file is a welcome with a snapshot");
    };
    let minutes = Minutes::of(&snapshot, server_time);
    assert!(minutes.to_markdown(0).contains("5124095576030 h 25 min"));
}
