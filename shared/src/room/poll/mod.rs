//! Consensus polls: Roman vote, fist of five, gradients of agreement,
//! consent, proposal with block, yes / no and custom choices; and the
//! closing "return on time invested" rating (see [`crate::room::roti`]).
//!
//! A meetup keeps every poll in its history ([`Polls`]); at most one is
//! *current* (open for votes, or revealed and still on screen). The
//! lifecycle is open → revealed → closed; "reopen" closes the current poll
//! and opens a fresh round of the same question as a new poll, so the
//! history keeps every round's results.
//!
//! # Secrecy
//!
//! Secrecy is enforced by what the server sends, not by what a screen shows
//! (see [`super::view`]). A [`crate::Event::VoteCast`] is personal unless the poll is
//! [`Secrecy::Open`]: the voter's copy carries their choice, everyone else's
//! copy carries only who voted, so every member can show "5 of 7 voted" and
//! who is still thinking. For a [`Secrecy::Anonymous`] poll even the voter's
//! own copy leaves out the voter, and the reveal carries only counts and
//! reasons sorted by option and text (never in voting order, which would
//! match the order people were seen to vote), so no message ever pairs a
//! person with a vote. The server's own state does pair them: it must, to let
//! people change their vote and to count; that state is never sent.
//!
//! # Who is expected to vote
//!
//! "Everyone present" is every active participant whose presence is `here`,
//! except the facilitator: the facilitator runs the poll and often stays
//! neutral, so the poll does not wait for them. They may still vote (before
//! the reveal) and their vote counts. Co-facilitators are peers and are
//! expected. When all of them have voted (and at least one vote is in), a
//! poll with `auto_reveal` reveals itself; this is checked after every vote
//! and after every change of who is present (someone leaving may complete it).
//!
//! Voting ends at the reveal: changing a vote afterwards would show the
//! change to everyone, and for an anonymous poll the change in counts next
//! to "Bo voted again" would give Bo's vote away. To vote again, the
//! facilitator reopens the poll as a new round.
//!
//! # Layout
//!
//! - `mod.rs`: the poll types, and the queries screens ask (who is still
//!   expected to vote).
//! - `decide.rs`: deciding poll commands, and the reveals that follow by
//!   themselves (everyone expected has voted, the time limit ran out).
//! - `fold.rs`: folding poll events, the per-viewer copies of ballots, and
//!   the poll invariants.
//! - `results.rs`: counting the votes at the reveal, and reading the counts.

use crate::ids::number_newtype;
use crate::json::{FromJson, ToJson};
use serde::{Deserialize, Serialize};

mod decide;
mod fold;
mod results;

pub(super) use decide::{decide_member, decide_running, expire, follow_up};
pub use fold::ballot_for_viewer;
pub(super) use fold::{check_invariants, fold, for_viewer};
pub use results::{Reading, reading};

use super::membership::{Presence, Role};
use super::{Rejection, Room};
use crate::ids::ParticipantId;
use crate::limits::{
    POLL_MAX_OPTIONS, POLL_MAX_TIME_LIMIT_SECS, POLL_MIN_OPTIONS, POLL_MIN_TIME_LIMIT_SECS,
};
use crate::text::{PollOptionText, PollQuestion, PollReason};
use crate::time::Timestamp;

number_newtype! {
    /// A poll's number within its meetup: 1, 2, 3, … in the order they opened.
    PollId(u32)
}

/// What kind of question a poll asks, which fixes its options (except
/// [`PollKind::Custom`]) and how its result reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, FromJson, ToJson)]
#[serde(rename_all = "snake_case")]
pub enum PollKind {
    /// Thumbs up, sideways, down: options 0 up, 1 sideways, 2 down.
    Roman,
    /// Fist of five: option `n` is `n` fingers, 0 to 5.
    FistOfFive,
    /// Gradients of agreement, 8 levels from 0 "whole-hearted endorsement"
    /// to 7 "veto" (see [`GRADIENT_LEVELS`]).
    Gradients,
    /// Consent: 0 consent, 1 concern, 2 objection.
    Consent,
    /// Proposal: 0 agree, 1 abstain, 2 disagree, 3 block.
    Proposal,
    /// 0 yes, 1 no.
    YesNo,
    /// The facilitator's own options, 2 to 8, one choice each.
    Custom,
    /// Return on time invested, the closing rating of a meetup: option `n`
    /// is the score `n + 1`, from 0 "lost my time" (1) to 4 "far more than
    /// I put in" (5). Always anonymous (see [`PollSetup::settled`]); a
    /// reason given with it is a suggestion for the next meetup.
    Roti,
}

/// The gradients of agreement, in option order (Kaner's scale).
pub const GRADIENT_LEVELS: usize = 8;

/// The gradient that blocks, as a veto.
const GRADIENT_VETO: u8 = 7;

impl PollKind {
    /// Every kind, in the order pickers show them.
    pub const ALL: [PollKind; 8] = [
        PollKind::Roman,
        PollKind::FistOfFive,
        PollKind::Gradients,
        PollKind::Consent,
        PollKind::Proposal,
        PollKind::YesNo,
        PollKind::Roti,
        PollKind::Custom,
    ];

    /// How many options a poll of this kind has; `None` for custom polls,
    /// whose options are their own.
    pub fn fixed_options(self) -> Option<usize> {
        match self {
            PollKind::Roman | PollKind::Consent => Some(3),
            PollKind::FistOfFive => Some(6),
            PollKind::Roti => Some(crate::room::roti::ROTI_SCORES),
            PollKind::Gradients => Some(GRADIENT_LEVELS),
            PollKind::Proposal => Some(4),
            PollKind::YesNo => Some(2),
            PollKind::Custom => None,
        }
    }

    /// Whether a vote for `choice` must come with a reason: a block, an
    /// objection, or a veto (the gradients' block) stops the group, which
    /// needs to hear why.
    pub fn requires_reason(self, choice: u8) -> bool {
        matches!(
            (self, choice),
            (PollKind::Proposal, 3) | (PollKind::Consent, 2) | (PollKind::Gradients, GRADIENT_VETO)
        )
    }
}

/// Who may see what of a vote.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, FromJson, ToJson,
)]
#[serde(rename_all = "snake_case")]
pub enum Secrecy {
    /// Named and secret until the reveal: then everyone sees who voted what.
    #[default]
    Secret,
    /// Named and open: everyone sees each vote as it is cast.
    Open,
    /// Secret until the reveal, and nobody ever sees who voted what: the
    /// reveal shows counts and unattributed reasons only.
    Anonymous,
}

/// Where a poll is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, FromJson, ToJson)]
#[serde(rename_all = "snake_case")]
pub enum PollStatus {
    /// Taking votes.
    Open,
    /// Results shown; no more votes.
    Revealed,
    /// Done; kept in the history.
    Closed,
}

/// What the facilitator sets when opening a poll, already validated.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, FromJson, ToJson)]
pub struct PollSetup {
    /// The question.
    pub question: PollQuestion,
    /// The kind.
    pub kind: PollKind,
    /// The options of a custom poll (2 to 8); empty for other kinds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<PollOptionText>,
    /// Who may see what of a vote.
    #[serde(default)]
    pub secrecy: Secrecy,
    /// Reveal by itself when everyone present has voted (on unless said).
    #[serde(default = "crate::room::board::default_true")]
    pub auto_reveal: bool,
    /// Voting ends (and results show) this long after opening.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_limit_secs: Option<u32>,
    /// The question is moot's own text (the "continue?" vote, a format's
    /// closing feedback): each reader sees it in their language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub question_key: Option<crate::room::builtin::BuiltinText>,
}

impl PollSetup {
    /// The question as a reader of `lang` sees it.
    pub fn question_in(&self, lang: crate::lang::Lang) -> &str {
        crate::room::builtin::shown(self.question.as_str(), self.question_key, lang)
    }

    /// The setup as a poll opens with it: a ROTI poll is anonymous whatever
    /// was asked. Rating a meetup is only honest when nobody can be held to
    /// their score, and the series keeps the result meetup after meetup, so
    /// a named ROTI would become a record of who rated what; nor can a named
    /// ballot be made anonymous later. The reducer settles it, not a page.
    pub fn settled(mut self) -> PollSetup {
        if self.kind == PollKind::Roti {
            self.secrecy = Secrecy::Anonymous;
        }
        self
    }

    /// Checks the bounds a setup must keep whatever sent it.
    ///
    /// # Errors
    ///
    /// [`Rejection::PollOptionsOutOfRange`] when a custom poll has fewer than
    /// 2 or more than 8 options or another kind has any;
    /// [`Rejection::PollTimeLimitOutOfRange`] for a time limit outside
    /// 10 s to 1 h.
    pub fn validate(&self) -> Result<(), Rejection> {
        match self.kind {
            PollKind::Custom
                if !(POLL_MIN_OPTIONS..=POLL_MAX_OPTIONS).contains(&self.options.len()) =>
            {
                return Err(Rejection::PollOptionsOutOfRange {
                    min: POLL_MIN_OPTIONS as u8,
                    max: POLL_MAX_OPTIONS as u8,
                });
            }
            PollKind::Custom => {}
            _ if !self.options.is_empty() => {
                return Err(Rejection::PollOptionsOutOfRange { min: 0, max: 0 });
            }
            _ => {}
        }
        if let Some(secs) = self.time_limit_secs
            && !(POLL_MIN_TIME_LIMIT_SECS..=POLL_MAX_TIME_LIMIT_SECS).contains(&secs)
        {
            return Err(Rejection::PollTimeLimitOutOfRange {
                min_secs: POLL_MIN_TIME_LIMIT_SECS,
                max_secs: POLL_MAX_TIME_LIMIT_SECS,
            });
        }
        Ok(())
    }
}

/// One vote as a viewer may see it. The server holds every field; a
/// redacted copy leaves out what the viewer may not see.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, FromJson, ToJson)]
pub struct Ballot {
    /// Who voted; absent in a voter's own copy of an anonymous vote.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voter: Option<ParticipantId>,
    /// The option chosen (index into the poll's options); absent where the
    /// viewer may not see it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub choice: Option<u8>,
    /// The reason given, if any and if the viewer may see it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<PollReason>,
}

/// A reason given with a vote, without the person who gave it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, FromJson, ToJson)]
pub struct GivenReason {
    /// The option it was given for.
    pub choice: u8,
    /// The reason.
    pub reason: PollReason,
}

/// A poll's results, published at the reveal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, FromJson, ToJson)]
pub struct PollResults {
    /// Votes per option, in option order.
    pub counts: Vec<u32>,
    /// Every reason given, sorted by option and then text, never by voter
    /// or voting order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<GivenReason>,
}

impl PollResults {
    /// All votes.
    pub fn total(&self) -> u32 {
        self.counts
            .iter()
            .fold(0, |total, &count| total.saturating_add(count))
    }
}

/// One poll in the meetup's history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, FromJson, ToJson)]
pub struct Poll {
    /// Its number.
    pub id: PollId,
    /// How it was set up.
    #[serde(flatten)]
    pub setup: PollSetup,
    /// When voting ends by itself, if it has a time limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closes_at: Option<Timestamp>,
    /// The poll this one is a new round of, if it was reopened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub round_of: Option<PollId>,
    /// Where it is in its life.
    pub status: PollStatus,
    /// The votes, in the order first cast, as this viewer may see them.
    #[serde(default)]
    pub ballots: Vec<Ballot>,
    /// Set at the reveal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub results: Option<PollResults>,
}

impl Poll {
    /// How many options the poll has.
    pub fn option_count(&self) -> usize {
        self.setup
            .kind
            .fixed_options()
            .unwrap_or(self.setup.options.len())
    }

    /// Whether `participant` has voted, as far as this copy of the room
    /// knows. A viewer's own anonymous ballot has no voter, so pass `me` to
    /// have that ballot counted as theirs.
    pub fn has_voted(&self, participant: ParticipantId, me: Option<ParticipantId>) -> bool {
        self.ballots.iter().any(|ballot| {
            ballot.voter == Some(participant) || (ballot.voter.is_none() && me == Some(participant))
        })
    }

    /// The viewer's own vote: theirs by name, or the one ballot without a
    /// voter in their copy of an anonymous poll.
    pub fn my_ballot(&self, me: ParticipantId) -> Option<&Ballot> {
        self.ballots
            .iter()
            .find(|ballot| ballot.voter == Some(me))
            .or_else(|| self.ballots.iter().find(|ballot| ballot.voter.is_none()))
    }

    /// Whether votes are taken now.
    pub fn is_open(&self) -> bool {
        self.status == PollStatus::Open
    }

    /// The reading of the results, once revealed.
    pub fn reading(&self) -> Option<Reading> {
        self.results
            .as_ref()
            .map(|results| reading(self.setup.kind, &results.counts))
    }
}

/// Every poll of a meetup, oldest first.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, FromJson, ToJson)]
pub struct Polls {
    /// The history, oldest first; at most one is open or revealed.
    pub history: Vec<Poll>,
}

impl Polls {
    /// No poll was ever opened (the field is then left out of snapshots).
    pub fn is_empty(&self) -> bool {
        self.history.is_empty()
    }

    /// The poll on stage: open or revealed, not yet closed.
    pub fn current(&self) -> Option<&Poll> {
        self.history
            .iter()
            .rev()
            .find(|poll| poll.status != PollStatus::Closed)
    }

    /// The poll with this number.
    pub fn get(&self, id: PollId) -> Option<&Poll> {
        self.history.iter().find(|poll| poll.id == id)
    }

    fn get_mut(&mut self, id: PollId) -> Option<&mut Poll> {
        self.history.iter_mut().find(|poll| poll.id == id)
    }

    /// The open poll's deadline, if it has one.
    pub fn next_deadline(&self) -> Option<Timestamp> {
        self.current()
            .filter(|poll| poll.is_open())
            .and_then(|poll| poll.closes_at)
    }
}

/// Participants the poll waits for: active, `here`, not the facilitator
/// (see the module docs).
pub fn expected_voters(room: &Room) -> impl Iterator<Item = ParticipantId> + '_ {
    room.active_participants()
        .filter(|participant| {
            participant.presence == Presence::Here && participant.role != Role::Facilitator
        })
        .map(|participant| participant.id)
}

/// Who the poll is still waiting for, as this copy of the room knows it
/// (`me` as in [`Poll::has_voted`]).
pub fn awaiting(room: &Room, poll: &Poll, me: Option<ParticipantId>) -> Vec<ParticipantId> {
    expected_voters(room)
        .filter(|id| !poll.has_voted(*id, me))
        .collect()
}
