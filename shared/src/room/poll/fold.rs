//! Folding poll events into the room, the per-viewer copies of ballots and
//! polls (secret and anonymous votes), and the poll invariants.

use super::{Ballot, Poll, PollStatus, Polls, Secrecy};
use crate::room::{Event, Room, Viewer};

/// Folds a poll event into the room.
pub(in crate::room) fn fold(room: &mut Room, event: &Event) {
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
pub(in crate::room) fn for_viewer(polls: &Polls, viewer: Viewer) -> Polls {
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
pub(in crate::room) fn check_invariants(room: &Room) -> Result<(), String> {
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
