//! Consensus polls: Roman vote, fist of five, gradients of agreement,
//! consent, proposal with block, yes / no and custom choices.
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
//! (see [`super::view`]). A [`Event::VoteCast`] is personal unless the poll is
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

use crate::ids::number_newtype;
use crate::json::{FromJson, ToJson};
use serde::{Deserialize, Serialize};

use super::membership::{Membership, Presence, Role};
use super::{Actor, Command, Event, Rejection, Room, Viewer};
use crate::ids::ParticipantId;
use crate::limits::{
    MAX_POLLS_PER_MEETUP, POLL_MAX_OPTIONS, POLL_MAX_TIME_LIMIT_SECS, POLL_MIN_OPTIONS,
    POLL_MIN_TIME_LIMIT_SECS,
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
}

/// The gradients of agreement, in option order (Kaner's scale).
pub const GRADIENT_LEVELS: usize = 8;

/// The gradient that blocks, as a veto.
const GRADIENT_VETO: u8 = 7;

impl PollKind {
    /// Every kind, in the order pickers show them.
    pub const ALL: [PollKind; 7] = [
        PollKind::Roman,
        PollKind::FistOfFive,
        PollKind::Gradients,
        PollKind::Consent,
        PollKind::Proposal,
        PollKind::YesNo,
        PollKind::Custom,
    ];

    /// How many options a poll of this kind has; `None` for custom polls,
    /// whose options are their own.
    pub fn fixed_options(self) -> Option<usize> {
        match self {
            PollKind::Roman | PollKind::Consent => Some(3),
            PollKind::FistOfFive => Some(6),
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
}

impl PollSetup {
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
        self.counts.iter().sum()
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

    /// Counts per option from the ballots this copy can see (the server's
    /// copy sees every choice).
    fn tally(&self) -> PollResults {
        let mut counts = vec![0u32; self.option_count()];
        let mut reasons = Vec::new();
        for ballot in &self.ballots {
            if let Some(choice) = ballot.choice
                && let Some(count) = counts.get_mut(usize::from(choice))
            {
                *count += 1;
                if let Some(reason) = &ballot.reason {
                    reasons.push(GivenReason {
                        choice,
                        reason: reason.clone(),
                    });
                }
            }
        }
        // Sorted so that their order says nothing about who voted when.
        reasons.sort_by(|a, b| (a.choice, a.reason.as_str()).cmp(&(b.choice, b.reason.as_str())));
        PollResults { counts, reasons }
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

/// A one-line reading of a poll's counts, per kind. The browser words it;
/// the numbers are here so every screen reads the same.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reading", rename_all = "snake_case")]
pub enum Reading {
    /// Nobody voted.
    NoVotes,
    /// Roman vote or yes / no: more than half up (yes).
    Carried { count: u32, total: u32 },
    /// Roman vote or yes / no: more than half down (no).
    Defeated { count: u32, total: u32 },
    /// Roman vote or yes / no: no option has more than half.
    NoMajority { total: u32 },
    /// Fist of five: someone showed 2 or fewer; talk about concerns.
    Concerns { low: u32, total: u32 },
    /// Fist of five: everyone showed 3 or more.
    Supported { lowest: u8, total: u32 },
    /// Gradients: someone vetoed.
    Vetoed { count: u32 },
    /// Gradients: someone needs more discussion or disagrees seriously.
    MoreDiscussion { count: u32, total: u32 },
    /// Gradients: everyone can live with it; `support` chose one of the
    /// first three levels.
    Endorsed { support: u32, total: u32 },
    /// Consent: an objection was raised; not consented.
    Objected { count: u32 },
    /// Consent: consented, with this many concerns to record.
    Consented { concerns: u32, total: u32 },
    /// Proposal: someone blocked.
    Blocked { count: u32 },
    /// Proposal: no blocks and more agree than disagree.
    Agreed { agree: u32, total: u32 },
    /// Proposal: no blocks, but no more agree than disagree.
    NotAgreed {
        agree: u32,
        disagree: u32,
        total: u32,
    },
    /// Proposal: everyone who voted abstained.
    AllAbstained { total: u32 },
    /// Custom: one option has the most votes.
    Leading { choice: u8, count: u32, total: u32 },
    /// Custom: these options share the most votes.
    Tied { choices: Vec<u8>, count: u32 },
}

/// Reads counts of a poll of `kind` (missing options count as zero).
pub fn reading(kind: PollKind, counts: &[u32]) -> Reading {
    let at = |index: usize| counts.get(index).copied().unwrap_or(0);
    let total: u32 = counts.iter().sum();
    if total == 0 {
        return Reading::NoVotes;
    }
    // "More than half" for the two-sided kinds; a tie is no majority.
    let majority = |yes: u32, no: u32| {
        if yes * 2 > total {
            Reading::Carried { count: yes, total }
        } else if no * 2 > total {
            Reading::Defeated { count: no, total }
        } else {
            Reading::NoMajority { total }
        }
    };
    match kind {
        PollKind::Roman => majority(at(0), at(2)),
        PollKind::YesNo => majority(at(0), at(1)),
        PollKind::FistOfFive => {
            let low = at(0) + at(1) + at(2);
            if low > 0 {
                Reading::Concerns { low, total }
            } else {
                let lowest = (3..=5u8).find(|&n| at(usize::from(n)) > 0).unwrap_or(5);
                Reading::Supported { lowest, total }
            }
        }
        PollKind::Gradients => {
            let veto = at(usize::from(GRADIENT_VETO));
            // Level 4 "more discussion needed" and 6 "serious disagreement".
            let discuss = at(4) + at(6);
            if veto > 0 {
                Reading::Vetoed { count: veto }
            } else if discuss > 0 {
                Reading::MoreDiscussion {
                    count: discuss,
                    total,
                }
            } else {
                Reading::Endorsed {
                    support: at(0) + at(1) + at(2),
                    total,
                }
            }
        }
        PollKind::Consent => {
            if at(2) > 0 {
                Reading::Objected { count: at(2) }
            } else {
                Reading::Consented {
                    concerns: at(1),
                    total,
                }
            }
        }
        PollKind::Proposal => {
            let (agree, abstain, disagree, block) = (at(0), at(1), at(2), at(3));
            if block > 0 {
                Reading::Blocked { count: block }
            } else if abstain == total {
                Reading::AllAbstained { total }
            } else if agree > disagree {
                Reading::Agreed { agree, total }
            } else {
                Reading::NotAgreed {
                    agree,
                    disagree,
                    total,
                }
            }
        }
        PollKind::Custom => {
            let best = counts.iter().copied().max().unwrap_or(0);
            let choices: Vec<u8> = counts
                .iter()
                .enumerate()
                .filter(|(_, count)| **count == best)
                .filter_map(|(index, _)| u8::try_from(index).ok())
                .collect();
            match choices.as_slice() {
                [choice] => Reading::Leading {
                    choice: *choice,
                    count: best,
                    total,
                },
                _ => Reading::Tied {
                    choices,
                    count: best,
                },
            }
        }
    }
}

/// The actor as an active participant.
fn active(room: &Room, actor: Actor) -> Result<ParticipantId, Rejection> {
    let Actor::Participant(id) = actor else {
        return Err(Rejection::ServerOnly);
    };
    let participant = room.participant(id).ok_or(Rejection::NotInMeetup)?;
    match participant.membership {
        Membership::Active => Ok(id),
        Membership::Left => Err(Rejection::NotInMeetup),
        Membership::Removed => Err(Rejection::Removed),
    }
}

/// Requires a facilitator or co-facilitator (the server counts as one).
fn require_runs_meetup(room: &Room, actor: Actor) -> Result<(), Rejection> {
    if actor == Actor::System {
        return Ok(());
    }
    let id = active(room, actor)?;
    match room.participant(id) {
        Some(participant) if participant.role.runs_meetup() => Ok(()),
        _ => Err(Rejection::FacilitatorsOnly),
    }
}

/// The poll a command names.
fn named_poll(room: &Room, id: PollId) -> Result<&Poll, Rejection> {
    room.polls.get(id).ok_or(Rejection::UnknownPoll)
}

/// The events that open a poll: closing a revealed one still on stage first,
/// since one poll is on stage at a time.
fn open_events(
    room: &Room,
    setup: PollSetup,
    round_of: Option<PollId>,
    now: Timestamp,
) -> Result<Vec<Event>, Rejection> {
    setup.validate()?;
    let mut events = Vec::new();
    if let Some(current) = room.polls.current() {
        if current.is_open() {
            return Err(Rejection::PollAlreadyOpen { poll: current.id.0 });
        }
        events.push(Event::PollClosed { poll: current.id });
    }
    if room.polls.history.len() >= MAX_POLLS_PER_MEETUP {
        return Err(Rejection::TooManyPolls {
            max: MAX_POLLS_PER_MEETUP as u16,
        });
    }
    let next = room.polls.history.last().map_or(1, |poll| poll.id.0 + 1);
    let closes_at = setup
        .time_limit_secs
        .map(|secs| Timestamp(now.0.saturating_add(u64::from(secs) * 1_000)));
    events.push(Event::PollOpened {
        poll: PollId(next),
        setup,
        closes_at,
        round_of,
    });
    Ok(events)
}

/// The reveal of `poll` as the server holds it: tallies for everyone, and for
/// named polls the ballots.
fn reveal_event(poll: &Poll) -> Event {
    let ballots = match poll.setup.secrecy {
        Secrecy::Anonymous => Vec::new(),
        Secrecy::Secret | Secrecy::Open => poll.ballots.clone(),
    };
    Event::PollRevealed {
        poll: poll.id,
        results: poll.tally(),
        ballots,
    }
}

/// Decides a poll command.
pub(super) fn decide(
    room: &Room,
    actor: Actor,
    command: Command,
    now: Timestamp,
) -> Result<Vec<Event>, Rejection> {
    match command {
        Command::OpenPoll { setup } => {
            require_runs_meetup(room, actor)?;
            open_events(room, setup, None, now)
        }
        Command::ReopenPoll { poll } => {
            require_runs_meetup(room, actor)?;
            let old = named_poll(room, poll)?;
            if old.is_open() {
                return Err(Rejection::PollAlreadyOpen { poll: poll.0 });
            }
            open_events(room, old.setup.clone(), Some(poll), now)
        }
        Command::CastVote {
            poll,
            choice,
            reason,
        } => {
            let voter = active(room, actor)?;
            let target = named_poll(room, poll)?;
            if !target.is_open() {
                return Err(Rejection::PollNotOpen { poll: poll.0 });
            }
            let options = target.option_count();
            if usize::from(choice) >= options {
                return Err(Rejection::NoSuchChoice {
                    options: u8::try_from(options).unwrap_or(u8::MAX),
                });
            }
            if reason.is_none() && target.setup.kind.requires_reason(choice) {
                return Err(Rejection::ReasonRequired);
            }
            // Voting the same again changes nothing.
            if target.ballots.iter().any(|ballot| {
                ballot.voter == Some(voter)
                    && ballot.choice == Some(choice)
                    && ballot.reason == reason
            }) {
                return Ok(Vec::new());
            }
            let vote = Event::VoteCast {
                poll,
                secrecy: target.setup.secrecy,
                ballot: Ballot {
                    voter: Some(voter),
                    choice: Some(choice),
                    reason,
                },
            };
            Ok(follow_up(room, vec![vote]))
        }
        Command::RevealPoll { poll } => {
            require_runs_meetup(room, actor)?;
            let target = named_poll(room, poll)?;
            match target.status {
                PollStatus::Open => Ok(vec![reveal_event(target)]),
                PollStatus::Revealed => Ok(Vec::new()),
                PollStatus::Closed => Err(Rejection::PollNotOpen { poll: poll.0 }),
            }
        }
        Command::ClosePoll { poll } => {
            require_runs_meetup(room, actor)?;
            let target = named_poll(room, poll)?;
            match target.status {
                // Closing an open poll publishes its results first: the
                // history (and the minutes) keep every poll's outcome.
                PollStatus::Open => Ok(vec![reveal_event(target), Event::PollClosed { poll }]),
                PollStatus::Revealed => Ok(vec![Event::PollClosed { poll }]),
                PollStatus::Closed => Ok(Vec::new()),
            }
        }
        // Other features' commands are routed to them by `Room::apply`.
        _ => Ok(Vec::new()),
    }
}

/// Appends the auto-reveal to `events` when, once they are folded, the open
/// poll has every vote it waits for. Called after votes and after any change
/// of who is present; cheap when no poll is open.
pub(super) fn follow_up(room: &Room, mut events: Vec<Event>) -> Vec<Event> {
    let Some(current) = room.polls.current() else {
        return events;
    };
    if !current.is_open() || !current.setup.auto_reveal || events.is_empty() {
        return events;
    }
    let mut after = room.clone();
    for event in &events {
        after.on_event(event);
    }
    if let Some(poll) = after.polls.get(current.id)
        && poll.is_open()
        && !poll.ballots.is_empty()
        && expected_voters(&after).all(|id| poll.has_voted(id, None))
    {
        events.push(reveal_event(poll));
    }
    events
}

/// What runs out by `now`: an open poll's time limit reveals it.
pub(super) fn expire(room: &Room, now: Timestamp) -> Vec<Event> {
    room.polls
        .current()
        .filter(|poll| poll.is_open() && poll.closes_at.is_some_and(|at| at <= now))
        .map(|poll| vec![reveal_event(poll)])
        .unwrap_or_default()
}

/// Folds a poll event into the room.
pub(super) fn fold(room: &mut Room, event: &Event) {
    match event {
        Event::PollOpened {
            poll,
            setup,
            closes_at,
            round_of,
        } if room.polls.get(*poll).is_none() => {
            room.polls.history.push(Poll {
                id: *poll,
                setup: setup.clone(),
                closes_at: *closes_at,
                round_of: *round_of,
                status: PollStatus::Open,
                ballots: Vec::new(),
                results: None,
            });
        }
        Event::VoteCast { poll, ballot, .. } => {
            let Some(target) = room.polls.get_mut(*poll) else {
                return;
            };
            // A ballot replaces the same voter's earlier one in place; a
            // ballot without a voter is the viewer's own anonymous vote, and
            // replaces their earlier one (the only ballot without a voter).
            match target
                .ballots
                .iter_mut()
                .find(|earlier| earlier.voter == ballot.voter)
            {
                Some(earlier) => *earlier = ballot.clone(),
                None => target.ballots.push(ballot.clone()),
            }
        }
        Event::PollRevealed {
            poll,
            results,
            ballots,
        } => {
            if let Some(target) = room.polls.get_mut(*poll) {
                target.status = PollStatus::Revealed;
                target.results = Some(results.clone());
                // Named polls show every ballot now; an anonymous poll's
                // ballots stay as each viewer had them.
                if !ballots.is_empty() {
                    target.ballots = ballots.clone();
                }
            }
        }
        Event::PollClosed { poll } => {
            if let Some(target) = room.polls.get_mut(*poll) {
                target.status = PollStatus::Closed;
            }
        }
        _ => {}
    }
}

/// The ballot as `viewer` may see it in a poll of this secrecy, before or
/// after the reveal (`revealed`).
pub fn ballot_for_viewer(
    ballot: &Ballot,
    secrecy: Secrecy,
    revealed: bool,
    viewer: Viewer,
) -> Ballot {
    let own =
        matches!((ballot.voter, viewer), (Some(voter), Viewer::Participant(me)) if voter == me);
    match secrecy {
        Secrecy::Open => ballot.clone(),
        Secrecy::Secret if own || revealed => ballot.clone(),
        Secrecy::Secret => Ballot {
            voter: ballot.voter,
            choice: None,
            reason: None,
        },
        // The voter sees their choice without their name; others their name
        // without the choice; before and after the reveal alike.
        Secrecy::Anonymous if own => Ballot {
            voter: None,
            choice: ballot.choice,
            reason: ballot.reason.clone(),
        },
        Secrecy::Anonymous => Ballot {
            voter: ballot.voter,
            choice: None,
            reason: None,
        },
    }
}

/// The polls as `viewer` may see them.
pub(super) fn for_viewer(polls: &Polls, viewer: Viewer) -> Polls {
    let mut visible = polls.clone();
    for poll in &mut visible.history {
        let revealed = poll.status != PollStatus::Open;
        for ballot in &mut poll.ballots {
            *ballot = ballot_for_viewer(ballot, poll.setup.secrecy, revealed, viewer);
        }
    }
    visible
}

/// Checks the poll invariants.
pub(super) fn check_invariants(room: &Room) -> Result<(), String> {
    let current = room
        .polls
        .history
        .iter()
        .filter(|poll| poll.status != PollStatus::Closed)
        .count();
    if current > 1 {
        return Err(format!(
            "{current} polls are on stage, expected at most one"
        ));
    }
    for poll in &room.polls.history {
        let mut voters: Vec<_> = poll.ballots.iter().map(|ballot| ballot.voter).collect();
        voters.sort();
        voters.dedup();
        if voters.len() != poll.ballots.len() {
            return Err(format!("poll {} has two ballots of one voter", poll.id.0));
        }
        if poll.ballots.iter().any(|ballot| {
            ballot
                .choice
                .is_some_and(|c| usize::from(c) >= poll.option_count())
        }) {
            return Err(format!("poll {} has a ballot for no option", poll.id.0));
        }
        if poll.status == PollStatus::Open && poll.results.is_some() {
            return Err(format!("poll {} is open with results", poll.id.0));
        }
    }
    Ok(())
}
