//! Panics moot-fuzz found, each pinned by the smallest input that showed
//! it. (Corpus files under `fuzz/corpus/` replay the whole frames.)

use moot_shared::minutes::{Minutes, duration};
use moot_shared::protocol::ServerMessage;
use moot_shared::{Lang, session};

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

/// The minutes of a snapshot a browser received, as its pages build them.
fn minutes_of_welcome(text: &str) -> String {
    let Ok(ServerMessage::Welcome {
        snapshot: Some(snapshot),
        server_time,
        ..
    }) = session::decode(text)
    else {
        panic!("the corpus file is a welcome with a snapshot");
    };
    Minutes::of(&snapshot, server_time, Lang::En).to_markdown(0, Lang::En)
}

/// The same through the browser's path: a snapshot whose topic claims the
/// largest time spent, read into minutes.
#[test]
fn minutes_of_a_snapshot_with_the_largest_time_spent() {
    let markdown = minutes_of_welcome(include_str!("../corpus/server/welcome-time-spent-max.json"));
    assert!(markdown.contains("5124095576030 h 25 min"), "{markdown}");
}

/// The airtime table summed everyone's time at the floor with `+`, which
/// overflowed when a snapshot claimed the largest time for one person
/// (found by moot-fuzz, seed 20261122, inputs 4309296, 5296463, 8868358).
#[test]
fn minutes_of_a_snapshot_whose_airtime_adds_up_past_the_largest_number() {
    let markdown = minutes_of_welcome(include_str!("../corpus/server/welcome-airtime-max.json"));
    assert!(
        markdown.contains("100 %") || markdown.contains("100%"),
        "{markdown}"
    );
}

/// A turn still running when the meetup ended counts up to the end; with
/// an end at the largest time, its share was computed as `millis * 100`,
/// which overflowed (found by moot-fuzz, seed 20261122, inputs 4556331,
/// 6621933, 6753215, 7055451: a `meetup_ended` event or a snapshot with
/// `ended_at` at the largest time while someone had the floor).
#[test]
fn minutes_of_a_snapshot_that_ends_at_the_largest_time_while_someone_speaks() {
    let markdown = minutes_of_welcome(include_str!(
        "../corpus/server/welcome-ended-at-max-while-someone-speaks.json"
    ));
    assert!(markdown.contains("Bo"), "{markdown}");
}

/// Reading a poll's counts summed them with `+` and compared `yes * 2`
/// with the total, which overflowed for counts near `u32::MAX`; every
/// screen reads a revealed poll from its snapshot (found by moot-fuzz, seed
/// 7, input 358764, once the damage wrote the largest value of each
/// integer type).
#[test]
fn a_poll_whose_counts_add_up_past_u32_is_read_without_overflow() {
    use moot_shared::room::poll::{PollKind, Reading, reading};
    assert_eq!(
        reading(PollKind::Roman, &[u32::MAX, 1, 0]),
        Reading::Carried {
            count: u32::MAX,
            total: u32::MAX
        }
    );
    for kind in PollKind::ALL {
        let _ = reading(kind, &[u32::MAX; 8]);
    }
    let markdown = minutes_of_welcome(include_str!(
        "../corpus/server/welcome-poll-counts-past-u32.json"
    ));
    assert!(markdown.contains("Ship it?"), "{markdown}");
}
