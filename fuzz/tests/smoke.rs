//! A short fuzzing run in the default test run: the long one (ten million
//! inputs, see README.md, "Fuzzing") takes minutes. `MOOT_FUZZ_SEED` picks
//! another seed.

use moot_fuzz::run::{self, Options};

#[test]
fn twenty_thousand_inputs_without_a_panic_or_a_broken_property() {
    let seed = std::env::var("MOOT_FUZZ_SEED")
        .ok()
        .and_then(|seed| seed.parse().ok())
        .unwrap_or(20_261_122);
    let summary = run::run(&Options {
        inputs: 20_000,
        seed,
        out: None,
        progress: None,
    });
    let report = summary.report(seed);
    assert!(summary.clean(), "{report}");
    // The inputs must get past the decoders into the room: a generator that
    // stopped producing commands the reducer takes would fuzz nothing.
    let applied = summary
        .outcomes
        .keys()
        .filter(|outcome| outcome.ends_with("→ applied") && outcome.contains("command."))
        .count();
    assert!(
        applied >= 15,
        "only {applied} kinds of command applied\n{report}"
    );
    for target in ["client", "server", "stored"] {
        assert!(
            summary
                .per_target
                .get(target)
                .is_some_and(|&count| count > 1_000),
            "{report}"
        );
    }
}
