//! `#[derive(Variants)]`'s numbering: the server's metrics keep one counter
//! per entry of `ALL_NAMES` and count a value at its `variant_index`, so the
//! two must agree, server-only variants included, and name each variant once.

use std::collections::BTreeSet;

use moot_shared::json::Variants;
use moot_shared::{Command, Event, Rejection, Timestamp};

fn check<T: Variants>(samples: &[T]) {
    for sample in samples {
        assert_eq!(
            T::ALL_NAMES[sample.variant_index()],
            sample.variant_name(),
            "the index names the variant"
        );
    }
    let unique: BTreeSet<&str> = T::ALL_NAMES.iter().copied().collect();
    assert_eq!(unique.len(), T::ALL_NAMES.len(), "each name once");
    // The names a decoder accepts are the others less the server-only ones,
    // in the same order.
    let accepted: Vec<&str> = T::ALL_NAMES
        .iter()
        .copied()
        .filter(|name| T::NAMES.contains(name))
        .collect();
    assert_eq!(accepted, T::NAMES);
}

#[test]
fn every_variant_has_a_numbered_name_server_only_ones_too() {
    check(&[
        Command::Tick,
        Command::Lock,
        Command::Unlock,
        Command::Leave,
    ]);
    assert!(Command::ALL_NAMES.contains(&"tick"));
    assert!(!Command::NAMES.contains(&"tick"));
    assert!(Command::ALL_NAMES.len() > Command::NAMES.len());
    check(&[Event::MeetupEnded {
        ended_at: Timestamp(1),
    }]);
    assert_eq!(Event::ALL_NAMES.len(), Event::NAMES.len());
    check(&[Rejection::ServerFull, Rejection::StorageFailed]);
}
