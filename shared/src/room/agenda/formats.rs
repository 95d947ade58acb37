//! The formats moot ships. Each is a list of phases with the default
//! timings of `shared/research/next-capabilities.md` (section A); every
//! number can be edited once the agenda is set. Formats hold no content:
//! the topics, goals and cases come from the people present.

use super::{AgendaRole, Format, PhaseKind, PhaseSpec};
use crate::room::breakout::{BreakoutScript, Forming};
use crate::room::builtin::BuiltinText;
use crate::room::queue::RoundKind;
use crate::text::{PhasePrompt, PhaseTitle};

/// A phase of a shipped format. Its texts are moot's own, stored as keys
/// beside their English (see [`BuiltinText`]). They are fixed and valid, so
/// a failure to parse them is a bug caught by the formats' test.
fn phase(
    kind: PhaseKind,
    title: BuiltinText,
    prompt: Option<BuiltinText>,
    minutes: u32,
) -> PhaseSpec {
    PhaseSpec {
        kind,
        title: PhaseTitle::parse(title.english()).unwrap_or_else(|_| unreachable_title()),
        prompt: prompt.and_then(|prompt| PhasePrompt::parse(prompt.english()).ok()),
        planned_secs: minutes * 60,
        title_key: Some(title),
        prompt_key: prompt,
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

fn breakout(size: u8, forming: Forming, script: BreakoutScript) -> PhaseKind {
    PhaseKind::Breakout {
        size,
        forming,
        script,
    }
}

/// Lean Coffee's own phases: topics written, pitched, voted on and
/// discussed, the discussion `discuss_minutes` long.
fn lean_coffee(
    write_prompt: BuiltinText,
    pitch_minutes: u32,
    discuss_minutes: u32,
) -> Vec<PhaseSpec> {
    vec![
        phase(
            PhaseKind::Collect,
            BuiltinText::WriteTopics,
            Some(write_prompt),
            5,
        ),
        phase(
            round(RoundKind::Custom),
            BuiltinText::PitchTopics,
            Some(BuiltinText::PitchPrompt),
            pitch_minutes,
        ),
        phase(
            PhaseKind::Vote { dots: 3 },
            BuiltinText::Vote,
            Some(BuiltinText::VotePrompt),
            3,
        ),
        phase(
            PhaseKind::Discuss,
            BuiltinText::Discuss,
            Some(BuiltinText::DiscussPrompt),
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
            BuiltinText::Casting,
            Some(BuiltinText::CastingPrompt),
            5,
        ),
        phase(
            open_talk(),
            BuiltinText::TheCase,
            Some(BuiltinText::TheCasePrompt),
            10,
        ),
        phase(
            open_talk(),
            BuiltinText::KeyQuestion,
            Some(BuiltinText::KeyQuestionPrompt),
            5,
        ),
        phase(
            open_talk(),
            BuiltinText::ChooseMethod,
            Some(BuiltinText::ChooseMethodPrompt),
            5,
        ),
        phase(
            PhaseKind::OpenTalk {
                listening: Some(AgendaRole::CaseGiver),
            },
            BuiltinText::Consultation,
            Some(BuiltinText::ConsultationPrompt),
            10,
        ),
        phase(
            round(RoundKind::Custom),
            BuiltinText::Closing,
            Some(BuiltinText::ClosingPrompt),
            5,
        ),
    ]
}

/// The closing feedback that ends a format: everyone rates the meetup,
/// anonymously, and may say what to change.
fn roti() -> PhaseSpec {
    phase(
        PhaseKind::Roti,
        BuiltinText::WorthOurTime,
        Some(BuiltinText::RotiPrompt),
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
            | Format::WorkBuddies
    ) {
        phases.push(roti());
    }
    phases
}

fn shipped(format: Format) -> Vec<PhaseSpec> {
    match format {
        Format::LeanCoffee => {
            let mut phases = vec![phase(
                round(RoundKind::CheckIn),
                BuiltinText::CheckIn,
                None,
                8,
            )];
            phases.extend(lean_coffee(BuiltinText::WriteTopicsPrompt, 4, 32));
            phases.push(phase(
                round(RoundKind::CheckOut),
                BuiltinText::CheckOut,
                None,
                7,
            ));
            phases
        }
        Format::OpenRound => vec![phase(
            round(RoundKind::Custom),
            BuiltinText::OpenRound,
            Some(BuiltinText::OpenRoundPrompt),
            8,
        )],
        Format::OneOnOne => vec![
            phase(round(RoundKind::CheckIn), BuiltinText::CheckIn, None, 2),
            phase(
                open_talk(),
                BuiltinText::GoalsRevisited,
                Some(BuiltinText::GoalsPrompt),
                8,
            ),
            phase(
                open_talk(),
                BuiltinText::Challenges,
                Some(BuiltinText::ChallengesPrompt),
                12,
            ),
            phase(
                open_talk(),
                BuiltinText::FeedbackBothWays,
                Some(BuiltinText::FeedbackPrompt),
                5,
            ),
            phase(
                open_talk(),
                BuiltinText::NextSteps,
                Some(BuiltinText::NextStepsPrompt),
                5,
            ),
        ],
        Format::ReverseMentoring => vec![
            phase(round(RoundKind::CheckIn), BuiltinText::CheckIn, None, 5),
            phase(
                open_talk(),
                BuiltinText::GoalsRevisited,
                Some(BuiltinText::MentoringGoalsPrompt),
                10,
            ),
            // The mentoring pairs of last time, or new ones the first time.
            phase(
                breakout(2, Forming::Keep, BreakoutScript::Mentoring),
                BuiltinText::MentorSession,
                Some(BuiltinText::MentorSessionPrompt),
                25,
            ),
            phase(
                breakout(2, Forming::Keep, BreakoutScript::MentoringSwap),
                BuiltinText::Swap,
                Some(BuiltinText::SwapPrompt),
                10,
            ),
            phase(
                open_talk(),
                BuiltinText::NextSteps,
                Some(BuiltinText::MentoringNextStepsPrompt),
                5,
            ),
        ],
        Format::CaseConsultation => case_consultation(),
        // Seed 002's "two to three hours": a composite, not a published format.
        Format::PeerLearning => {
            let mut phases = vec![phase(
                round(RoundKind::CheckIn),
                BuiltinText::CheckIn,
                None,
                16,
            )];
            phases.extend(lean_coffee(BuiltinText::WriteCasesPrompt, 5, 60));
            phases.push(phase(PhaseKind::Break, BuiltinText::Break, None, 10));
            phases.extend(case_consultation());
            phases.push(phase(
                round(RoundKind::CheckOut),
                BuiltinText::CheckOut,
                None,
                8,
            ));
            phases
        }
        // Liberating Structures' timings: 1 silent minute, three rounds of
        // 2 + 2 + 5 + 1 minutes in triads, a 5-minute debrief.
        Format::Troika => vec![
            phase(
                PhaseKind::Silent,
                BuiltinText::YourChallenge,
                Some(BuiltinText::YourChallengePrompt),
                1,
            ),
            phase(
                breakout(3, Forming::Rotate, BreakoutScript::Troika),
                BuiltinText::Troikas,
                Some(BuiltinText::TroikasPrompt),
                30,
            ),
            phase(
                round(RoundKind::Custom),
                BuiltinText::Debrief,
                Some(BuiltinText::DebriefPrompt),
                5,
            ),
        ],
        // 1 / 2 / 4 / 5 minutes.
        Format::OneTwoFourAll => vec![
            phase(
                PhaseKind::Silent,
                BuiltinText::Alone,
                Some(BuiltinText::AlonePrompt),
                1,
            ),
            phase(
                breakout(2, Forming::Rotate, BreakoutScript::Open),
                BuiltinText::Pairs,
                Some(BuiltinText::PairsPrompt),
                2,
            ),
            phase(
                breakout(4, Forming::MergePairs, BreakoutScript::Open),
                BuiltinText::Foursomes,
                Some(BuiltinText::FoursomesPrompt),
                4,
            ),
            phase(
                round(RoundKind::Custom),
                BuiltinText::AllTogether,
                Some(BuiltinText::AllTogetherPrompt),
                5,
            ),
        ],
        // Three pair rounds of about five minutes, a new partner each time
        // (the round-robin schedule guarantees it with the same people).
        Format::ImpromptuNetworking => (0..3)
            .map(|_| {
                phase(
                    breakout(2, Forming::Rotate, BreakoutScript::Open),
                    BuiltinText::MeetSomeoneNew,
                    Some(BuiltinText::MeetSomeoneNewPrompt),
                    5,
                )
            })
            .collect(),
        // Seeds 000, 001 and 003: buddies meet in the same pairs each time.
        Format::WorkBuddies => vec![
            phase(round(RoundKind::CheckIn), BuiltinText::CheckIn, None, 5),
            phase(
                breakout(2, Forming::Keep, BreakoutScript::BuddyTime),
                BuiltinText::BuddyTime,
                Some(BuiltinText::BuddyTimePrompt),
                30,
            ),
            phase(
                round(RoundKind::Custom),
                BuiltinText::BackTogether,
                Some(BuiltinText::BackTogetherPrompt),
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
