//! Random client commands: one of every kind of [`Command`], built from a
//! few random numbers, a flag and texts, for the property tests that drive
//! the reducer and the codecs with everything a client can send.

use moot_shared::room::ReportedPresence;
use moot_shared::room::agenda::{AgendaRole, Format, PhaseId, PhaseKind, PhaseSpec};
use moot_shared::room::board::DueDate;
use moot_shared::room::board::{ActionItemId, BoardSettings, NoteId, NoteKind, TopicId};
use moot_shared::room::breakout::{BreakoutId, BreakoutScript, Forming, GroupNoteId, GroupNumber};
use moot_shared::room::goals::{GoalId, GoalKind, GoalProgress, GoalVisibility};
use moot_shared::room::lifecycle::ReviewOutcome;
use moot_shared::room::poll::PollSetup;
use moot_shared::room::poll::{PollId, PollKind, Secrecy};
use moot_shared::room::queue::{Direction, EntryId, EntryKind, QueueSettings, RoundKind, TurnId};
use moot_shared::room::timer::TimerSettings;
use moot_shared::{Command, TextProblem};
use proptest::prelude::*;

use super::id;

/// Participants 1..=PEOPLE; 1 is the facilitator.
pub const PEOPLE: u128 = 5;

/// Texts every text field accepts, with characters that need escaping or
/// are outside ASCII, so the codec's string handling is exercised.
pub const TEXTS: [&str; 6] = [
    "Budget",
    "Ada's \"plan\"",
    r"back\slash / path",
    "Grüße 😀 ok",
    "</script> & <b>",
    "Lunch?",
];

/// The text as its validated type, or a fixed valid one when the random
/// text does not pass (blank, too long, control characters): commands hold
/// validated text, and raw text is tested as raw JSON below.
pub fn valid<T: TryFrom<String, Error = TextProblem>>(raw: &str) -> T {
    T::try_from(raw.to_owned())
        .or_else(|_| T::try_from(TEXTS[0].to_owned()))
        .expect("the fixed text is valid")
}

/// A text for a text field: mostly one that passes validation, sometimes
/// anything at all (control characters included), which the room rejects
/// but the encoder must still write like serde_json.
pub fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(TEXTS.as_slice()).prop_map(str::to_owned),
        1 => "(?s).{0,12}",
    ]
}

pub fn due() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        Just(None),
        Just(Some("2026-02-28".to_owned())),
        Just(Some("2024-02-29".to_owned())),
    ]
}

/// The raw parameters a command is built from (variant, a small number,
/// another number, a flag, a text, an optional text, a due date, a signed
/// and an unsigned number); [`command`] picks the ones its variant needs.
pub type Raw = (
    u8,
    u8,
    u8,
    bool,
    String,
    Option<String>,
    Option<String>,
    i32,
    u32,
);

pub fn raw() -> impl Strategy<Value = Raw> {
    (
        0u8..86,
        1u8..5,
        0u8..9,
        any::<bool>(),
        text(),
        proptest::option::of(text()),
        due(),
        prop_oneof![-900i32..900, Just(i32::MIN), Just(i32::MAX)],
        prop_oneof![5u32..700, Just(u32::MAX)],
    )
}

const POLL_KINDS: [PollKind; 8] = PollKind::ALL;
const SECRECIES: [Secrecy; 3] = [Secrecy::Secret, Secrecy::Open, Secrecy::Anonymous];
const ROUND_KINDS: [RoundKind; 3] = [RoundKind::CheckIn, RoundKind::CheckOut, RoundKind::Custom];
const OUTCOMES: [ReviewOutcome; 3] = [
    ReviewOutcome::Done,
    ReviewOutcome::Kept,
    ReviewOutcome::Dropped,
];

const FORMATS: [Format; 11] = [
    Format::LeanCoffee,
    Format::OpenRound,
    Format::OneOnOne,
    Format::ReverseMentoring,
    Format::CaseConsultation,
    Format::PeerLearning,
    Format::Troika,
    Format::OneTwoFourAll,
    Format::ImpromptuNetworking,
    Format::WorkBuddies,
    Format::Custom,
];
const ROLES: [AgendaRole; 3] = [
    AgendaRole::CaseGiver,
    AgendaRole::Moderator,
    AgendaRole::Scribe,
];
const PHASE_KINDS: [PhaseKind; 16] = [
    PhaseKind::Breakout {
        size: 2,
        forming: Forming::Rotate,
        script: BreakoutScript::Open,
    },
    PhaseKind::Breakout {
        size: 3,
        forming: Forming::Keep,
        script: BreakoutScript::Troika,
    },
    PhaseKind::Breakout {
        size: 4,
        forming: Forming::MergePairs,
        script: BreakoutScript::BuddyTime,
    },
    PhaseKind::GoalReview,
    PhaseKind::Round {
        round: RoundKind::CheckIn,
    },
    PhaseKind::Round {
        round: RoundKind::Custom,
    },
    PhaseKind::Silent,
    PhaseKind::Collect,
    PhaseKind::Vote { dots: 3 },
    PhaseKind::Discuss,
    PhaseKind::OpenTalk { listening: None },
    PhaseKind::OpenTalk {
        listening: Some(AgendaRole::CaseGiver),
    },
    PhaseKind::Roles,
    PhaseKind::Poll {
        poll: PollKind::Consent,
    },
    PhaseKind::Break,
    PhaseKind::Roti,
];

/// Builds one of every kind of client command from the raw parameters.
pub fn command(raw: Raw) -> Command {
    let (which, small, other, flag, text, maybe, due, delta, secs) = raw;
    let n = u32::from(small);
    let pick = |count: usize| usize::from(other) % count;
    let participant = id(u128::from(small));
    let topic = TopicId(n);
    let kind = EntryKind::ALL[pick(4)];
    let note_kind = if flag {
        NoteKind::Takeaway
    } else {
        NoteKind::Note
    };
    match which {
        0 => Command::Leave,
        // Ending the meetup freezes the room, so it comes rarely.
        1 if other == 0 => Command::EndMeetup,
        1 => Command::PlaceDot { topic },
        2 => Command::ReviewAction {
            item: n,
            outcome: OUTCOMES[pick(3)],
        },
        3 => Command::SetPresence {
            presence: if flag {
                ReportedPresence::Here
            } else {
                ReportedPresence::Away
            },
        },
        4 => Command::Rename { name: valid(&text) },
        5 => Command::Lock,
        6 => Command::Unlock,
        7 => Command::SetSeatCap {
            seat_cap: u16::from(other) * 2,
        },
        8 => Command::Remove { participant },
        9 => Command::HandOver { to: participant },
        10 => Command::AddCoFacilitator { participant },
        11 => Command::RemoveCoFacilitator { participant },
        12 => {
            let kind = POLL_KINDS[pick(7)];
            let options = if kind == PollKind::Custom {
                TEXTS[..2 + usize::from(small)]
                    .iter()
                    .map(|option| (*option).to_owned())
                    .collect()
            } else {
                Vec::new()
            };
            Command::OpenPoll {
                setup: PollSetup {
                    question: valid(&text),
                    kind,
                    options: options
                        .iter()
                        .map(|option: &String| valid(option))
                        .collect(),
                    secrecy: SECRECIES[usize::from(small) % 3],
                    auto_reveal: flag,
                    time_limit_secs: maybe.map(|_| secs.min(600)),
                    question_key: None,
                },
            }
        }
        13 => Command::CastVote {
            poll: PollId(n % 3 + 1),
            choice: other,
            reason: maybe.map(|text| valid(&text)),
        },
        14 => Command::RevealPoll {
            poll: PollId(n % 3 + 1),
        },
        15 => Command::ClosePoll {
            poll: PollId(n % 3 + 1),
        },
        16 => Command::ReopenPoll {
            poll: PollId(n % 3 + 1),
        },
        17 => Command::RaiseHand {
            kind,
            note: maybe.map(|text| valid(&text)),
        },
        18 => Command::EditEntry {
            entry: EntryId(u64::from(small)),
            kind,
            note: maybe.map(|text| valid(&text)),
        },
        19 => Command::WithdrawEntry {
            entry: EntryId(u64::from(small)),
        },
        20 => Command::MoveEntry {
            entry: EntryId(u64::from(small)),
            direction: if flag { Direction::Up } else { Direction::Down },
        },
        21 => Command::NextSpeaker {
            turn: flag.then_some(TurnId(u64::from(other))),
        },
        22 => Command::FinishTurn {
            turn: TurnId(u64::from(other)),
        },
        23 => Command::PassTurn {
            turn: TurnId(u64::from(other)),
        },
        24 => Command::GiveFloor { participant },
        25 => Command::StartRound {
            kind: ROUND_KINDS[pick(3)],
            prompt: maybe.map(|text| valid(&text)),
            seed: 0,
        },
        26 => Command::EndRound,
        27 => Command::ConfigureQueue {
            settings: QueueSettings {
                progressive: flag,
                turn_limit_secs: secs,
                round_turn_secs: secs / 2,
                airtime_public: other.is_multiple_of(2),
            },
        },
        28 => Command::ProposeTopic {
            title: valid(&text),
            details: maybe.map(|text| valid(&text)),
        },
        29 => Command::EditTopic {
            topic,
            title: valid(&text),
            details: maybe.map(|text| valid(&text)),
        },
        30 => Command::WithdrawTopic { topic },
        31 | 32 => Command::PlaceDot { topic },
        33 => Command::TakeBackDot { topic },
        34 => Command::RevealVotes,
        35 => Command::CloseVoting,
        36 => Command::ReopenVoting,
        37 => Command::MergeTopics {
            from: topic,
            into: TopicId(u32::from(other) % 5 + 1),
        },
        38 => Command::SortTopics,
        39 => Command::StartTopic { topic },
        40 => Command::FinishTopic { topic },
        41 => Command::ParkTopic { topic },
        42 => Command::UnparkTopic { topic },
        43 => Command::AddNote {
            topic,
            kind: note_kind,
            text: valid(&text),
        },
        44 => Command::EditNote {
            note: NoteId(n),
            kind: note_kind,
            text: valid(&text),
        },
        45 => Command::RemoveNote { note: NoteId(n) },
        46 => Command::AddActionItem {
            topic,
            text: valid(&text),
            owner: id(u128::from(other) % PEOPLE + 1),
            due: due.and_then(|date| DueDate::parse(&date).ok()),
        },
        47 => Command::EditActionItem {
            item: ActionItemId(n),
            text: valid(&text),
            owner: id(u128::from(other) % PEOPLE + 1),
            due: due.and_then(|date| DueDate::parse(&date).ok()),
        },
        48 => Command::RemoveActionItem {
            item: ActionItemId(n),
        },
        49 => Command::ConfigureBoard {
            settings: BoardSettings {
                dot_budget: other,
                stacking: flag,
                hidden_until_reveal: small % 2 == 1,
            },
        },
        50 => Command::StartTimer {
            duration_secs: secs,
        },
        51 => {
            if flag {
                Command::PauseTimer
            } else {
                Command::ResumeTimer
            }
        }
        52 => Command::AdjustTimer { delta_secs: delta },
        53 => Command::ResetTimer,
        55 => Command::SetAgenda {
            format: FORMATS[pick(FORMATS.len())],
        },
        56 => Command::NextPhase {
            from: flag.then_some(PhaseId(u16::from(small))),
            seed: 0,
        },
        57 => Command::GoToPhase {
            phase: PhaseId(u16::from(small)),
            seed: 0,
        },
        58 => Command::EditPhase {
            phase: PhaseId(u16::from(small)),
            title: valid(&text),
            prompt: maybe.as_deref().map(valid),
            planned_secs: secs,
        },
        59 => Command::InsertPhase {
            after: flag.then_some(PhaseId(u16::from(small))),
            spec: PhaseSpec {
                kind: PHASE_KINDS[pick(PHASE_KINDS.len())],
                title: valid(&text),
                prompt: maybe.as_deref().map(valid),
                planned_secs: secs,
                title_key: None,
                prompt_key: None,
            },
        },
        60 => Command::RemovePhase {
            phase: PhaseId(u16::from(small)),
        },
        61 => Command::MovePhase {
            phase: PhaseId(u16::from(small)),
            direction: if flag { Direction::Up } else { Direction::Down },
        },
        62 => Command::EndAgenda,
        63 => Command::SetReady {
            phase: PhaseId(u16::from(small)),
            ready: flag,
        },
        64 => Command::NewScreenLink { key: None },
        66 => Command::AssignRole {
            role: ROLES[pick(ROLES.len())],
            participant: flag.then_some(participant),
        },
        68 => Command::ReuseAgenda,
        67 => Command::SetKeyQuestion {
            question: maybe.as_deref().map(valid),
        },
        65 => Command::StopScreenLink,
        69 => Command::SetGoal {
            text: valid(&text),
            kind: GoalKind::ALL[pick(3)],
            visibility: GoalVisibility::ALL[usize::from(small) % 3],
            due: due.and_then(|date| DueDate::parse(&date).ok()),
        },
        70 => Command::EditGoal {
            goal: GoalId(u64::from(n)),
            text: valid(&text),
            kind: GoalKind::ALL[pick(3)],
            visibility: GoalVisibility::ALL[usize::from(small) % 3],
            due: None,
        },
        71 => Command::CheckInGoal {
            goal: GoalId(u64::from(n)),
            progress: GoalProgress::ALL[pick(5)],
            note: maybe.as_deref().map(valid),
        },
        72 => Command::RemoveGoal {
            goal: GoalId(u64::from(n)),
        },
        73 => Command::SetBuddy {
            participant,
            buddy: flag.then(|| id(u128::from(other) % PEOPLE + 1)),
        },
        74 => Command::StartBreakout {
            phase: PhaseId(u16::from(small)),
            seed: 0,
        },
        75 => Command::MoveToGroup {
            participant,
            group: flag.then_some(GroupNumber(other % 4)),
        },
        76 => Command::NextBreakoutStep {
            round: other % 2,
            step: small % 3,
        },
        77 => Command::ExtendBreakout { delta_secs: delta },
        78 => Command::EndBreakout {
            countdown_secs: if flag { 0 } else { other * 20 },
        },
        79 => Command::SetCallLink {
            link: maybe.as_deref().and_then(|text| {
                moot_shared::text::CallLink::parse(&format!(
                    "https://call.test/{{n}}/{}",
                    text.len()
                ))
                .ok()
            }),
        },
        80 | 81 => Command::AddGroupNote { text: valid(&text) },
        82 => Command::RemoveGroupNote {
            note: GroupNoteId(n),
        },
        83 => Command::SetGroupDone { done: flag },
        84 => Command::JoinGroup {
            group: GroupNumber(other % 4),
        },
        85 => Command::ShareGroupNotes {
            breakout: BreakoutId(u16::from(small % 3)),
        },
        _ => Command::ConfigureTimer {
            settings: TimerSettings {
                topic_secs: secs,
                first_extension_secs: secs / 2 + 10,
                max_extensions: other,
            },
        },
    }
}
