//! Deciding poll commands: who may open, vote, reveal and close, and which
//! events follow; and the reveals that follow by themselves, when everyone
//! expected has voted or the time limit runs out. Nothing here changes the
//! room; [`super::fold`] does, from the events.

use super::{Ballot, Poll, PollId, PollSetup, PollStatus, Secrecy, expected_voters};
use crate::limits::MAX_POLLS_PER_MEETUP;
use crate::room::{Acting, Command, Event, ParticipantId, Rejection, Room};
use crate::text::PollReason;
use crate::time::Timestamp;

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
    let setup = setup.settled();
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

/// Whether `voter` already gave `reason` in another poll and exactly one of
/// the two polls is anonymous. Then the same words would tie an anonymous
/// reason to a name: shown beside the name in the named poll's results and
/// minutes, they say who wrote the anonymous one. A phone that keeps a text
/// field across polls (or a person who pastes) would do exactly that, so
/// the reducer refuses it rather than trust the phone to clear its fields.
/// Two named or two anonymous polls reveal nothing new by sharing a reason.
fn would_cross_anonymity(
    room: &Room,
    target: &Poll,
    voter: ParticipantId,
    reason: &PollReason,
) -> bool {
    let anonymous = target.setup.secrecy == Secrecy::Anonymous;
    room.polls.history.iter().any(|other| {
        other.id != target.id
            && (other.setup.secrecy == Secrecy::Anonymous) != anonymous
            && other
                .ballots
                .iter()
                .any(|ballot| ballot.voter == Some(voter) && ballot.reason.as_ref() == Some(reason))
    })
}

/// Decides a member's vote.
pub(in crate::room) fn decide_member(
    room: &Room,
    acting: Acting<'_>,
    command: Command,
    _now: Timestamp,
) -> Result<Vec<Event>, Rejection> {
    match command {
        Command::CastVote {
            poll,
            choice,
            reason,
        } => {
            let voter = acting.member()?.id;
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
            if let Some(given) = &reason
                && would_cross_anonymity(room, target, voter, given)
            {
                return Err(Rejection::ReasonFromOtherPoll);
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
            // Whether it completes the poll is worked out by `Room::apply`.
            Ok(vec![vote])
        }
        // Other commands are routed elsewhere by `Room::decide`.
        _ => Ok(Vec::new()),
    }
}

/// Decides what running the meetup does with polls: open, reveal, close,
/// ask again.
pub(in crate::room) fn decide_running(
    room: &Room,
    _acting: Acting<'_>,
    command: Command,
    now: Timestamp,
) -> Result<Vec<Event>, Rejection> {
    match command {
        Command::OpenPoll { setup } => open_events(room, setup, None, now),
        Command::ReopenPoll { poll } => {
            let old = named_poll(room, poll)?;
            if old.is_open() {
                return Err(Rejection::PollAlreadyOpen { poll: poll.0 });
            }
            open_events(room, old.setup.clone(), Some(poll), now)
        }
        Command::RevealPoll { poll } => {
            let target = named_poll(room, poll)?;
            match target.status {
                PollStatus::Open => Ok(vec![reveal_event(target)]),
                PollStatus::Revealed => Ok(Vec::new()),
                PollStatus::Closed => Err(Rejection::PollNotOpen { poll: poll.0 }),
            }
        }
        Command::ClosePoll { poll } => {
            let target = named_poll(room, poll)?;
            match target.status {
                // Closing an open poll publishes its results first: the
                // history (and the minutes) keep every poll's outcome.
                PollStatus::Open => Ok(vec![reveal_event(target), Event::PollClosed { poll }]),
                PollStatus::Revealed => Ok(vec![Event::PollClosed { poll }]),
                PollStatus::Closed => Ok(Vec::new()),
            }
        }
        // Other commands are routed elsewhere by `Room::decide`.
        _ => Ok(Vec::new()),
    }
}

/// Appends the auto-reveal to `events` when, once they are folded, the open
/// poll has every vote it waits for. Called after votes and after any change
/// of who is present; cheap when no poll is open.
pub(in crate::room) fn follow_up(room: &Room, mut events: Vec<Event>) -> Vec<Event> {
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
pub(in crate::room) fn expire(room: &Room, now: Timestamp) -> Vec<Event> {
    room.polls
        .current()
        .filter(|poll| poll.is_open() && poll.closes_at.is_some_and(|at| at <= now))
        .map(|poll| vec![reveal_event(poll)])
        .unwrap_or_default()
}
