//! The agenda: where the meetup is. A format is a named, ordered list of
//! phases; a meetup has at most one agenda, which whoever runs the meetup
//! sets from a format, advances with Next, jumps around in and edits live.
//!
//! Each phase kind drives the existing tools when it is entered and left,
//! in the same command (as `start_topic` starts its timebox): a round is
//! started and ended, voting opens and closes, a topic is taken up, the
//! meetup's one timer runs for the phase. The tools stay the room's, not
//! the phase's: going back to a phase keeps every topic, dot and note. A
//! phase's planned end is passive (every screen cues it; nothing advances
//! by itself).
//!
//! - [`decide`]: the commands, and what entering and leaving each kind does;
//! - [`fold`]: the events;
//! - [`formats`]: the formats moot ships, with their default timings.

mod decide;
mod fold;
pub mod formats;

pub use decide::MERGE_MIN_PEOPLE;
pub(in crate::room) use decide::{decide_member, decide_running};
pub(in crate::room) use fold::fold;

use serde::{Deserialize, Serialize};

use crate::ids::ParticipantId;
use crate::json::{FromJson, ToJson, Variants};
use crate::lang::Lang;
use crate::room::builtin::{self, BuiltinText};
use crate::room::poll::PollKind;
use crate::room::queue::RoundKind;
use crate::text::{PhasePrompt, PhaseTitle};
use crate::time::Timestamp;

/// A phase's number: stable within the meetup, from 1.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    FromJson,
    ToJson,
)]
#[serde(transparent)]
pub struct PhaseId(pub u16);

/// The formats moot ships (see [`formats`]), or a custom agenda.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, FromJson, ToJson, Variants,
)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// Check-in, write topics, pitch, vote, discuss, check-out.
    LeanCoffee,
    /// One sentence each ("Blitzlicht"), pass allowed.
    OpenRound,
    /// Two people: goals, challenges and help, feedback both ways, next steps.
    OneOnOne,
    /// A mentoring pair that teaches both ways.
    ReverseMentoring,
    /// Collegial case consultation (Tietze): roles, the case told, the key
    /// question, a method, advice while the case giver listens, closing.
    CaseConsultation,
    /// The 2½-hour peer learning meetup: check-in, Lean Coffee, a break,
    /// one case consultation, check-out.
    PeerLearning,
    /// Troika consulting: a silent minute, three rounds in triads in which
    /// each person is once the client, and a debrief round.
    Troika,
    /// 1-2-4-All: alone, in pairs, in fours, then everyone (with fewer than
    /// eight present the fours are skipped: 1-2-All).
    OneTwoFourAll,
    /// Impromptu networking: three pair rounds, a new partner each time.
    ImpromptuNetworking,
    /// Work buddies: check-in, buddy time in the same pairs as last time,
    /// one thing each took from their buddy, and the value of the meetup.
    WorkBuddies,
    /// Phases the facilitator puts together.
    Custom,
}

/// What a phase does with the room's tools.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, FromJson, ToJson, Variants)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PhaseKind {
    /// A round: everyone speaks in turn (check-in, check-out, or the
    /// phase's prompt).
    Round {
        /// Which round.
        round: RoundKind,
    },
    /// Quiet time to think and jot on one's own phone; the meetup timer
    /// runs for the phase.
    Silent,
    /// The board takes proposals; voting is closed.
    Collect,
    /// Dots: voting opens with this many dots each; on leaving, voting
    /// closes, the votes are revealed and the board is sorted.
    Vote {
        /// Dots per person (1 to 10).
        dots: u8,
    },
    /// The Lean Coffee loop: the top topic is taken up with its timebox;
    /// a topic still discussed is finished on leaving.
    Discuss,
    /// Open conversation through the speaking queue; the meetup timer runs
    /// for the phase.
    OpenTalk {
        /// Whoever holds this role only listens: their raised hand is
        /// refused (`listening_role`), as the case giver listens while the
        /// consultants advise.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        listening: Option<AgendaRole>,
    },
    /// The group picks who holds the format's roles (case giver, moderator,
    /// scribe); once the group moves on, the roles hold for the phases after.
    Roles,
    /// A consensus poll of this kind on the phase's title; revealed on
    /// leaving if still open.
    Poll {
        /// The poll's kind.
        poll: PollKind,
    },
    /// A break; the meetup timer runs for it.
    Break,
    /// Closing feedback: an anonymous "return on time invested" poll on the
    /// phase's prompt (or title), opened on entering and revealed on leaving
    /// if still open; its result joins the series' trend.
    Roti,
    /// Goal review: a round in which each person says where their goals
    /// stand (asking the phase's prompt, or its title), while every phone
    /// shows its person's goals first with a one-tap check-in.
    GoalReview,
    /// A breakout: the people present split into groups of `size` (2 to
    /// 4), formed as `forming` says, following `script` for the phase's
    /// length; leaving the phase brings everyone back. A phase merging
    /// pairs into fours is skipped by Next with fewer than eight present
    /// (1-2-4-All becomes 1-2-All).
    Breakout {
        /// People per group (2 to 4); counts that do not divide make one
        /// group a person larger, never anyone alone.
        size: u8,
        /// How the groups are formed.
        #[serde(default)]
        forming: crate::room::breakout::Forming,
        /// What the groups do, step by step.
        #[serde(default)]
        script: crate::room::breakout::BreakoutScript,
    },
}

/// A role a format gives one person for the phases after its roles phase.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    FromJson,
    ToJson,
    Variants,
)]
#[serde(rename_all = "snake_case")]
pub enum AgendaRole {
    /// Brings the case, tells it, and listens while the others advise.
    CaseGiver,
    /// Keeps the phases and the time.
    Moderator,
    /// Writes down the advice.
    Scribe,
}

/// Who holds a role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, FromJson, ToJson)]
pub struct RoleHolder {
    /// The role.
    pub role: AgendaRole,
    /// Who holds it.
    pub participant: ParticipantId,
}

/// Where a phase is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, FromJson, ToJson)]
#[serde(rename_all = "snake_case")]
pub enum PhaseState {
    /// Still to come.
    Upcoming,
    /// The group is in it now.
    Current,
    /// Left after being in it.
    Done,
    /// Jumped over, or left out when the agenda ended.
    Skipped,
}

/// A phase as the facilitator describes it, before it is on the agenda.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, FromJson, ToJson)]
pub struct PhaseSpec {
    /// What it does.
    #[serde(flatten)]
    pub kind: PhaseKind,
    /// Its title.
    pub title: PhaseTitle,
    /// What it asks of the group.
    #[serde(
        default,
        with = "crate::text::blank_is_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub prompt: Option<PhasePrompt>,
    /// Its planned length; 0 for untimed, else 10 s to 4 h.
    pub planned_secs: u32,
    /// The title is moot's own text (a shipped format's): each reader sees
    /// it in their language. Dropped when the title is rewritten.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_key: Option<BuiltinText>,
    /// The prompt is moot's own text, as `title_key` for the title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt_key: Option<BuiltinText>,
}

impl PhaseSpec {
    /// The title as a reader of `lang` sees it.
    pub fn title_in(&self, lang: Lang) -> &str {
        builtin::shown(self.title.as_str(), self.title_key, lang)
    }

    /// The prompt as a reader of `lang` sees it.
    pub fn prompt_in(&self, lang: Lang) -> Option<&str> {
        let prompt = self.prompt.as_ref()?;
        Some(builtin::shown(prompt.as_str(), self.prompt_key, lang))
    }

    /// The spec with these texts: a key stays only while its text does, so
    /// a rewritten title or prompt is shown as written.
    pub fn retitled(&self, title: PhaseTitle, prompt: Option<PhasePrompt>) -> PhaseSpec {
        PhaseSpec {
            kind: self.kind,
            title_key: self.title_key.filter(|_| title == self.title),
            prompt_key: self.prompt_key.filter(|_| prompt == self.prompt),
            title,
            prompt,
            planned_secs: self.planned_secs,
        }
    }
}

/// One phase of the agenda.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, FromJson, ToJson)]
pub struct Phase {
    /// Its number.
    pub id: PhaseId,
    /// What it is.
    #[serde(flatten)]
    pub spec: PhaseSpec,
    /// Where it is.
    pub state: PhaseState,
    /// When it was last entered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<Timestamp>,
    /// When it was last left.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_at: Option<Timestamp>,
    /// Time spent in it so far, over every time it was entered.
    #[serde(default)]
    pub spent_ms: u64,
    /// Who said "I'm done" in it while it is current.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ready: Vec<ParticipantId>,
}

impl Phase {
    /// When the phase is planned to end, while it is current and timed.
    pub fn planned_end(&self) -> Option<Timestamp> {
        let started = self.started_at?;
        (self.state == PhaseState::Current && self.spec.planned_secs > 0)
            .then(|| started.plus_millis(u64::from(self.spec.planned_secs) * 1000))
    }
}

/// The meetup's plan and where the group is in it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, FromJson, ToJson)]
pub struct Agenda {
    /// The format it was made from; `None` before any agenda was set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<Format>,
    /// The phases, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phases: Vec<Phase>,
    /// The number the next new phase gets.
    #[serde(default)]
    pub last_phase: u16,
    /// The agenda was ended: phases no longer advance.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ended: bool,
    /// Who holds the format's roles, picked in a roles phase.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<RoleHolder>,
    /// The case's key question, as the case giver put it (shown large on
    /// the shared screen, kept in the minutes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_question: Option<PhasePrompt>,
}

impl Agenda {
    /// Nothing about the agenda was ever set (left out of snapshots):
    /// exactly the default, which a reader fills in for the missing field
    /// (compared field by field, the phase count and `ended` were left out).
    pub fn is_pristine(&self) -> bool {
        *self == Agenda::default()
    }

    /// The phase with this number.
    pub fn phase(&self, id: PhaseId) -> Option<&Phase> {
        self.phases.iter().find(|phase| phase.id == id)
    }

    /// The phase the group is in.
    pub fn current(&self) -> Option<&Phase> {
        self.phases
            .iter()
            .find(|phase| phase.state == PhaseState::Current)
    }

    /// The phase Next enters: the one after the current one in the plan,
    /// whatever it went through before (after going back, Next walks the
    /// plan again); before the agenda started, the first one still to come.
    pub fn next(&self) -> Option<&Phase> {
        match self
            .phases
            .iter()
            .position(|phase| phase.state == PhaseState::Current)
        {
            Some(current) => self.phases.get(current + 1),
            None if self.ended => None,
            None => self
                .phases
                .iter()
                .find(|phase| phase.state == PhaseState::Upcoming),
        }
    }

    /// The phase before the current one in the plan, to go back to.
    pub fn previous(&self) -> Option<&Phase> {
        let current = self
            .phases
            .iter()
            .position(|phase| phase.state == PhaseState::Current)?;
        self.phases[..current].last()
    }

    /// The role this person holds, if any.
    pub fn role_of(&self, participant: ParticipantId) -> Option<AgendaRole> {
        self.roles
            .iter()
            .find(|holder| holder.participant == participant)
            .map(|holder| holder.role)
    }

    /// Who holds this role, if anyone.
    pub fn holder(&self, role: AgendaRole) -> Option<ParticipantId> {
        self.roles
            .iter()
            .find(|holder| holder.role == role)
            .map(|holder| holder.participant)
    }

    /// The role for which this person only listens in the current phase.
    pub fn listening(&self, participant: ParticipantId) -> Option<AgendaRole> {
        match self.current()?.spec.kind {
            PhaseKind::OpenTalk {
                listening: Some(role),
            } if self.holder(role) == Some(participant) => Some(role),
            _ => None,
        }
    }

    /// Where a phase is in the plan, 1-based, and how many phases there are.
    pub fn position(&self, id: PhaseId) -> Option<(usize, usize)> {
        let index = self.phases.iter().position(|phase| phase.id == id)?;
        Some((index + 1, self.phases.len()))
    }
}
