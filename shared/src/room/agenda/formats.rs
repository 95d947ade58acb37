//! The formats moot ships. Each is a list of phases with the default
//! timings of `shared/research/next-capabilities.md` (section A); every
//! number can be edited once the agenda is set. Formats hold no content:
//! the topics, goals and cases come from the people present.

use super::{AgendaRole, Format, PhaseKind, PhaseSpec};
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

fn open_talk() -> PhaseKind {
    PhaseKind::OpenTalk { listening: None }
}

/// Lean Coffee's own phases: topics written, pitched, voted on and
/// discussed, the discussion `discuss_minutes` long.
fn lean_coffee(write_prompt: &str, pitch_minutes: u32, discuss_minutes: u32) -> Vec<PhaseSpec> {
    vec![
        phase(PhaseKind::Collect, "Write topics", Some(write_prompt), 5),
        phase(
            round(RoundKind::Custom),
            "Pitch topics",
            Some("Your topics, a sentence each."),
            pitch_minutes,
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
            discuss_minutes,
        ),
    ]
}

/// Tietze's six phases of a collegial case consultation, with the timings
/// of kollegiale-beratung.de and the Leibniz guide.
fn case_consultation() -> Vec<PhaseSpec> {
    vec![
        phase(
            PhaseKind::Roles,
            "Casting",
            Some(
                "Who brings a case? Pick the case giver, a moderator and a scribe; everyone else advises.",
            ),
            5,
        ),
        phase(
            open_talk(),
            "The case",
            Some(
                "The case giver tells the case. At the end, two or three questions to understand it.",
            ),
            10,
        ),
        phase(
            open_talk(),
            "Key question",
            Some("Case giver: what is the one question you want the group's help with?"),
            5,
        ),
        phase(
            open_talk(),
            "Choose a method",
            Some(
                "Brainstorming, headstand, good advice or a resonance round? The moderator confirms.",
            ),
            5,
        ),
        phase(
            PhaseKind::OpenTalk {
                listening: Some(AgendaRole::CaseGiver),
            },
            "Consultation",
            Some("Consultants advise, one contribution per turn. The case giver only listens."),
            10,
        ),
        phase(
            round(RoundKind::Custom),
            "Closing",
            Some("Case giver: what was valuable? Everyone: one sentence on what you take away."),
            5,
        ),
    ]
}

/// The closing feedback that ends a format: everyone rates the meetup,
/// anonymously, and may say what to change.
fn roti() -> PhaseSpec {
    phase(
        PhaseKind::Roti,
        "Was it worth our time?",
        Some("How much was this meetup worth the time you gave it?"),
        3,
    )
}

/// The phases of a format; a custom agenda starts empty. The formats that
/// run a whole meetup end with a ROTI, so a series sees its trend. Reverse
/// mentoring always asked "was it worth our time?"; as a pair the two know
/// each other's score, which the phone tells them. The open round is a few
/// minutes' round, too short to rate, and a one-on-one has its own
/// "feedback both ways".
pub fn phases(format: Format) -> Vec<PhaseSpec> {
    let mut phases = shipped(format);
    if matches!(
        format,
        Format::LeanCoffee
            | Format::CaseConsultation
            | Format::PeerLearning
            | Format::ReverseMentoring
    ) {
        phases.push(roti());
    }
    phases
}

fn shipped(format: Format) -> Vec<PhaseSpec> {
    match format {
        Format::LeanCoffee => {
            let mut phases = vec![phase(round(RoundKind::CheckIn), "Check-in", None, 8)];
            phases.extend(lean_coffee(
                "What would you like to talk about? Put each topic on the board.",
                4,
                32,
            ));
            phases.push(phase(round(RoundKind::CheckOut), "Check-out", None, 7));
            phases
        }
        Format::OpenRound => vec![phase(
            round(RoundKind::Custom),
            "Open round",
            Some("How am I right now? One sentence, no comments. Passing is fine."),
            8,
        )],
        Format::OneOnOne => vec![
            phase(round(RoundKind::CheckIn), "Check-in", None, 2),
            phase(
                open_talk(),
                "Goals revisited",
                Some("Where are we with the goals we set? What moved, what is stuck?"),
                8,
            ),
            phase(
                open_talk(),
                "Challenges and help needed",
                Some("What is hard right now, and what help would make a difference?"),
                12,
            ),
            phase(
                open_talk(),
                "Feedback both ways",
                Some("What went well between us, and what could be better?"),
                5,
            ),
            phase(
                open_talk(),
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
                open_talk(),
                "Goals revisited",
                Some("What I learn, what I teach: where are we?"),
                10,
            ),
            phase(
                open_talk(),
                "Mentor's session",
                Some("The junior colleague shows their world; the senior listens and asks."),
                25,
            ),
            phase(
                open_talk(),
                "Swap",
                Some("What I learned about your world."),
                10,
            ),
            phase(
                open_talk(),
                "Next steps",
                Some("What do we each try before we meet again? Add them as action items."),
                5,
            ),
        ],
        Format::CaseConsultation => case_consultation(),
        // Seed 002's "two to three hours": a composite, not a published format.
        Format::PeerLearning => {
            let mut phases = vec![phase(round(RoundKind::CheckIn), "Check-in", None, 16)];
            phases.extend(lean_coffee(
                "What would you like to talk about? Mark a case you want advice on.",
                5,
                60,
            ));
            phases.push(phase(PhaseKind::Break, "Break", None, 10));
            phases.extend(case_consultation());
            phases.push(phase(round(RoundKind::CheckOut), "Check-out", None, 8));
            phases
        }
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
