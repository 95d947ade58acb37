//! What each member of a room may see.
//!
//! Most events read the same to everyone. Some are personal: a vote that is
//! secret until the reveal, dots that are hidden until the reveal. The person
//! who acted sees theirs whole; everyone else sees a redacted form of the same
//! event, so every member still receives every sequence number. The server
//! serialises a public event once for the whole room and a personal event once
//! per viewer, and never sends anyone what their view leaves out.

use std::borrow::Cow;

use super::board;
use super::breakout;
use super::goals;
use super::poll::{self, Secrecy};
use super::{Event, Room};
use crate::ids::ParticipantId;

/// Who is looking.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Viewer {
    /// A participant (including facilitators).
    Participant(ParticipantId),
    /// The shared screen: sees what any participant sees about others.
    Screen,
}

impl Event {
    /// Whether this event reads differently to different viewers. Features
    /// with secrets add their events here.
    pub fn is_personal(&self) -> bool {
        matches!(self, Event::VoteCast { secrecy, .. } if *secrecy != Secrecy::Open)
            || matches!(self, Event::DotsChanged { hidden: true, .. })
            || matches!(
                self,
                Event::NextMeetupOpened {
                    screen_key: Some(_),
                    ..
                }
            )
            || goals::is_personal(self)
            || breakout::is_personal(self)
    }

    /// The event as `viewer` may see it. Credential digests are always stripped.
    pub fn for_viewer(&self, viewer: Viewer) -> Cow<'_, Event> {
        match self {
            // A vote is cast before the reveal (votes end there), so each
            // viewer gets the ballot as an unrevealed poll shows it.
            Event::VoteCast {
                poll,
                secrecy,
                ballot,
            } if *secrecy != Secrecy::Open => Cow::Owned(Event::VoteCast {
                poll: *poll,
                secrecy: *secrecy,
                ballot: poll::ballot_for_viewer(ballot, *secrecy, false, viewer),
            }),
            // Only the shared screen moves to the next meetup's screen.
            Event::NextMeetupOpened { .. } if viewer == Viewer::Screen => Cow::Borrowed(self),
            // Hidden dots: others learn only who changed their dots.
            Event::DotsChanged { .. } => match board::dots_for_viewer(self, viewer) {
                Some(redacted) => Cow::Owned(redacted),
                None => self.for_clients(),
            },
            // A goal reaches only its audience (see `goals`).
            Event::GoalSaved { .. } | Event::GoalRemoved { .. } | Event::BuddiesSet { .. } => {
                match goals::event_for_viewer(self, viewer) {
                    Some(redacted) => Cow::Owned(redacted),
                    None => self.for_clients(),
                }
            }
            // A group's notes reach only its audience (see `breakout`).
            Event::GroupNoteAdded { .. }
            | Event::GroupNoteRemoved { .. }
            | Event::GroupMemberMoved { .. } => match breakout::event_for_viewer(self, viewer) {
                Some(redacted) => Cow::Owned(redacted),
                None => self.for_clients(),
            },
            _ => self.for_clients(),
        }
    }
}

impl Room {
    /// The room as `viewer` may see it: no credential digests, and no secret
    /// of anyone else's.
    pub fn for_viewer(&self, viewer: Viewer) -> Room {
        let mut room = self.for_clients();
        room.polls = poll::for_viewer(&room.polls, viewer);
        room.board = board::for_viewer(&room.board, viewer);
        room.goals = goals::for_viewer(&room.goals, viewer);
        room.breakouts = breakout::for_viewer(&room.breakouts, viewer);
        if viewer == Viewer::Screen {
            room.series.next = self.series.next.clone();
        }
        room
    }
}
