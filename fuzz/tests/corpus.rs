//! The regression corpus, replayed on every `cargo test`: each file under
//! `fuzz/corpus/<target>/` in a fresh and a busy meetup, as every kind of
//! actor (or browser), without a panic or a broken property; and the cases
//! `fuzz/corpus/EXPECTED` lists read as it says.

use moot_fuzz::corpus;

#[test]
fn every_corpus_case_replays_without_a_panic_or_a_broken_property() {
    let cases = corpus::load(&corpus::directory()).expect("the corpus is readable");
    assert!(cases.len() > 100, "only {} corpus cases", cases.len());
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| {
            corpus::replay(case)
                .err()
                .map(|error| format!("{}: {error}", case.path.display()))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_attack_reports_cases_are_read_as_expected() {
    let root = corpus::directory();
    let expectations = corpus::expectations(&root).expect("EXPECTED is readable");
    assert!(expectations.len() > 50);
    let mut wrong = Vec::new();
    for (path, expected) in &expectations {
        let target = path.split('/').next().unwrap_or_default();
        let target = moot_fuzz::check::Target::ALL
            .into_iter()
            .find(|candidate| candidate.name() == target)
            .unwrap_or_else(|| panic!("{path}: no target {target}"));
        let case = corpus::case(&root.join(path), target)
            .unwrap_or_else(|error| panic!("{path}: {error}"));
        let replayed = corpus::replay(&case).unwrap_or_else(|error| panic!("{path}: {error}"));
        for replayed in replayed {
            if replayed.outcome.read != *expected {
                wrong.push(format!(
                    "{path} in the {}: {} (expected {expected})",
                    replayed.setting, replayed.outcome.read
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_busy_world_is_busy() {
    // The script that builds it must still be accepted step by step; if the
    // protocol changes under it, this says so rather than the corpus
    // silently replaying against a quiet room.
    let world = corpus::busy().unwrap_or_else(|error| panic!("{error}"));
    let room = serde_json::to_value(&world.room).expect("a room is JSON");
    for key in ["polls", "queue", "board", "timer"] {
        assert!(room.get(key).is_some(), "the busy room has no {key}");
    }
}
