//! The formats moot ships. Each is a list of phases with the default
//! timings of `shared/research/next-capabilities.md` (section A); every
//! number can be edited once the agenda is set. Formats hold no content:
//! the topics, goals and cases come from the people present.

use super::{Format, PhaseKind, PhaseSpec};
use crate::room::poll::PollKind;
use crate::room::queue::RoundKind;
use crate::text::{PhasePrompt, PhaseTitle};

/// A phase of a shipped format. The texts are fixed and valid, so a
/// failure to parse them is a bug caught by the formats' test.
fn phase(kind: PhaseKind, title: &str, prompt: Option<&str>, minutes: u32) -> PhaseSpec {
    PhaseSpec {
        kind,
        title: PhaseTitle::parse(title).unwrap_or_else(|_| unreachable_title()),
        prompt: prompt.and_then(|prompt| PhasePrompt::parse(prompt).ok()),
        planned_secs: minutes * 60,
    }
}

/// Never reached: every shipped title parses (see the tests below).
fn unreachable_title() -> PhaseTitle {
    PhaseTitle::parse("Phase").unwrap_or_else(|_| unreachable!("\"Phase\" is a valid title"))
}

fn round(round: RoundKind) -> PhaseKind {
    PhaseKind::Round { round }
}

/// The phases of a format; a custom agenda starts empty.
pub fn phases(format: Format) -> Vec<PhaseSpec> {
    match format {
        Format::LeanCoffee => vec![
            phase(round(RoundKind::CheckIn), "Check-in", None, 8),
            phase(
                PhaseKind::Collect,
                "Write topics",
                Some("What would you like to talk about? Put each topic on the board."),
                5,
            ),
            phase(
                round(RoundKind::Custom),
                "Pitch topics",
                Some("Your topics, a sentence each."),
                4,
            ),
            phase(
                PhaseKind::Vote { dots: 3 },
                "Vote",
                Some("Place your dots on the topics you most want to discuss."),
                3,
            ),
            phase(
                PhaseKind::Discuss,
                "Discuss",
                Some("Top topic first: 7 minutes, then the group decides to continue."),
                32,
            ),
            phase(round(RoundKind::CheckOut), "Check-out", None, 7),
        ],
        Format::OpenRound => vec![phase(
            round(RoundKind::Custom),
            "Open round",
            Some("How am I right now? One sentence, no comments. Passing is fine."),
            8,
        )],
        Format::OneOnOne => vec![
            phase(round(RoundKind::CheckIn), "Check-in", None, 2),
            phase(
                PhaseKind::OpenTalk,
                "Goals revisited",
                Some("Where are we with the goals we set? What moved, what is stuck?"),
                8,
            ),
            phase(
                PhaseKind::OpenTalk,
                "Challenges and help needed",
                Some("What is hard right now, and what help would make a difference?"),
                12,
            ),
            phase(
                PhaseKind::OpenTalk,
                "Feedback both ways",
                Some("What went well between us, and what could be better?"),
                5,
            ),
            phase(
                PhaseKind::OpenTalk,
                "Next steps",
                Some(
                    "What actionable steps do we take after this meeting? Add them as action items.",
                ),
                5,
            ),
        ],
        Format::ReverseMentoring => vec![
            phase(round(RoundKind::CheckIn), "Check-in", None, 5),
            phase(
                PhaseKind::OpenTalk,
                "Goals revisited",
                Some("What I learn, what I teach: where are we?"),
                10,
            ),
            phase(
                PhaseKind::OpenTalk,
                "Mentor's session",
                Some("The junior colleague shows their world; the senior listens and asks."),
                25,
            ),
            phase(
                PhaseKind::OpenTalk,
                "Swap",
                Some("What I learned about your world."),
                10,
            ),
            phase(
                PhaseKind::OpenTalk,
                "Next steps",
                Some("What do we each try before we meet again? Add them as action items."),
                5,
            ),
            phase(
                PhaseKind::Poll {
                    poll: PollKind::FistOfFive,
                },
                "Was it worth our time?",
                None,
                5,
            ),
        ],
        Format::Custom => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::Variants;

    #[test]
    fn every_shipped_phase_keeps_the_bounds() {
        for name in <Format as Variants>::NAMES {
            let format: Format = serde_json::from_value(serde_json::json!(name)).unwrap();
            let phases = phases(format);
            assert!(phases.len() <= crate::limits::MAX_PHASES, "{name}");
            for spec in phases {
                assert_ne!(
                    spec.title.as_str(),
                    "Phase",
                    "{name}: a title did not parse"
                );
                assert!(
                    super::super::decide::check_spec(&spec).is_ok(),
                    "{name}: {spec:?}"
                );
                if matches!(
                    spec.kind,
                    PhaseKind::Round {
                        round: RoundKind::Custom
                    }
                ) {
                    assert!(
                        spec.prompt.is_some(),
                        "{name}: a custom round needs its prompt"
                    );
                }
            }
        }
    }
}
