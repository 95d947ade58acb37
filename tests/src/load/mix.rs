//! The load generator's actions: what each member of a room does next,
//! chosen from the room as its facilitator's connection sees it, so that
//! none is rejected and every kind a meetup uses comes up.

use moot_shared::room::board::TopicId;
use moot_shared::room::poll::{PollKind, PollSetup, Secrecy};
use moot_shared::room::queue::EntryKind;
use moot_shared::session::Session;
use moot_shared::{Command, ParticipantId, Room};

use crate::text;

/// The realistic mix: what each member does next, chosen from the room as
/// the facilitator's connection folds it, so that every action is valid and
/// yields at least one event (its latency is measured on the last).
pub(super) struct Mix {
    /// The facilitator's session, which folds their frames as the browser
    /// does.
    pub(super) session: Session,
    /// The room, folded from the facilitator's frames.
    pub(super) room: Option<Room>,
    /// Each member's participant id, by position.
    pub(super) ids: Vec<Option<ParticipantId>>,
    /// Whether each member has a dot on the first topic.
    pub(super) dotted: Vec<bool>,
    /// How many topics each member proposed.
    pub(super) proposed: Vec<u32>,
    /// Each member's last choice in the poll (they alternate, so every vote
    /// changes something).
    pub(super) voted: Vec<u8>,
}

/// The topic every room proposes at setup, for dots.
const FIRST_TOPIC: TopicId = TopicId(1);

impl Mix {
    /// Folds one of the facilitator's frames. What the session would send
    /// back (pongs, time syncs) is left to the measuring loop, which answers
    /// every member's pings itself.
    pub(super) fn observe(&mut self, text: &str) {
        self.session.receive(&mut self.room, text, 0);
    }

    /// The facilitator's setup: a topic to put dots on and a poll to vote in.
    pub(super) fn setup() -> [Command; 2] {
        [
            Command::ProposeTopic {
                title: text("What slows us down?"),
                details: None,
            },
            Command::OpenPoll {
                setup: PollSetup {
                    question: text("Can everyone live with this?"),
                    kind: PollKind::YesNo,
                    options: Vec::new(),
                    secrecy: Secrecy::Secret,
                    auto_reveal: false,
                    time_limit_secs: None,
                    question_key: None,
                },
            },
        ]
    }

    /// What member `member` does on its `turn`th action.
    pub(super) fn next(&mut self, member: usize, turn: u64) -> Command {
        let rename = Command::Rename {
            name: text(&format!("P{member} {turn}")),
        };
        let Some(room) = &self.room else {
            return rename;
        };
        if member == 0 {
            // The facilitator calls the next speaker while anyone waits or
            // speaks, and otherwise restarts the timebox.
            if turn.is_multiple_of(2)
                && (!room.queue.entries.is_empty() || room.queue.speaker.is_some())
            {
                return Command::NextSpeaker {
                    turn: room.queue.speaker.as_ref().map(|speaker| speaker.turn),
                };
            }
            return Command::StartTimer {
                duration_secs: 600 + (turn % 2) as u32,
            };
        }
        let me = self.ids[member];
        // Members start at different points of the cycle, so even a short run
        // has every kind of action.
        match (turn + member as u64) % 4 {
            0 if !room
                .queue
                .entries
                .iter()
                .any(|entry| Some(entry.participant) == me) =>
            {
                Command::RaiseHand {
                    kind: EntryKind::NewPoint,
                    note: None,
                }
            }
            1 if room
                .board
                .topics
                .iter()
                .any(|topic| topic.id == FIRST_TOPIC) =>
            {
                self.dotted[member] = !self.dotted[member];
                if self.dotted[member] {
                    Command::PlaceDot { topic: FIRST_TOPIC }
                } else {
                    Command::TakeBackDot { topic: FIRST_TOPIC }
                }
            }
            // Changing one's vote each time, so each vote is an event.
            2 => match room.polls.current().filter(|poll| poll.is_open()) {
                Some(poll) => {
                    self.voted[member] = 1 - self.voted[member];
                    Command::CastVote {
                        poll: poll.id,
                        choice: self.voted[member],
                        reason: None,
                    }
                }
                None => rename,
            },
            3 if self.proposed[member] < 2 => {
                self.proposed[member] += 1;
                Command::ProposeTopic {
                    title: text(&format!("Topic {} from P{member}", self.proposed[member])),
                    details: None,
                }
            }
            _ => rename,
        }
    }
}
