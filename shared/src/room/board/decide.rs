//! Deciding board commands: who may do what to topics, dots and outcomes,
//! and which events follow. Nothing here changes the room; [`super::fold`]
//! does, from the events.

use super::{ActionItem, ActionItemId, Column, Note, NoteId, Topic, TopicDots, TopicId};
use crate::ids::ParticipantId;
use crate::limits::{MAX_ACTION_ITEMS_PER_MEETUP, MAX_NOTES_PER_MEETUP, MAX_TOPICS_PER_MEETUP};
use crate::room::membership::Membership;
use crate::room::{Acting, Command, Event, Rejection, Room};
use crate::time::Timestamp;

fn named_topic(room: &Room, id: TopicId) -> Result<&Topic, Rejection> {
    room.board.topic(id).ok_or(Rejection::UnknownTopic)
}

fn named_note(room: &Room, id: NoteId) -> Result<&Note, Rejection> {
    room.board
        .notes
        .iter()
        .find(|note| note.id == id)
        .ok_or(Rejection::UnknownNote)
}

fn named_action_item(room: &Room, id: ActionItemId) -> Result<&ActionItem, Rejection> {
    room.board
        .action_items
        .iter()
        .find(|item| item.id == id)
        .ok_or(Rejection::UnknownActionItem)
}

/// An owner must be in the meetup when the item is assigned.
fn require_present(room: &Room, owner: ParticipantId) -> Result<(), Rejection> {
    match room.participant(owner) {
        Some(participant) if participant.membership == Membership::Active => Ok(()),
        _ => Err(Rejection::UnknownParticipant),
    }
}

/// The event that ends the running discussion of `topic` at `now`, if it is
/// running: its exact length goes into the event so every copy adds the same.
pub(in crate::room) fn discussion_millis(topic: &Topic, now: Timestamp) -> u64 {
    match (topic.column, topic.started_at) {
        (Column::Discussing, Some(started)) => now.millis_since(started),
        _ => 0,
    }
}

/// Decides what a member does on the board for themselves (or, on what is
/// someone else's, as whoever runs the meetup): topics, dots, outcomes.
pub(in crate::room) fn decide_member(
    room: &Room,
    acting: Acting<'_>,
    command: Command,
    _now: Timestamp,
) -> Result<Vec<Event>, Rejection> {
    let board = &room.board;
    match command {
        Command::ProposeTopic { title, details } => {
            let author = acting.member()?.id;
            if board.topics.len() >= MAX_TOPICS_PER_MEETUP {
                return Err(Rejection::TooManyTopics {
                    max: MAX_TOPICS_PER_MEETUP as u16,
                });
            }
            Ok(vec![Event::TopicProposed {
                topic: TopicId(board.last_topic + 1),
                author,
                title,
                details,
            }])
        }
        Command::EditTopic {
            topic,
            title,
            details,
        } => {
            let target = named_topic(room, topic)?;
            acting.require_owner_or_runner(target.author, Rejection::NotYourTopic)?;
            if target.title == title && target.details == details {
                return Ok(Vec::new());
            }
            Ok(vec![Event::TopicEdited {
                topic,
                title,
                details,
            }])
        }
        Command::WithdrawTopic { topic } => {
            let target = named_topic(room, topic)?;
            acting.require_owner_or_runner(target.author, Rejection::NotYourTopic)?;
            // A topic that was (or is being) discussed is part of the record.
            if !matches!(target.column, Column::ToDiscuss | Column::Parked) {
                return Err(Rejection::TopicInWrongColumn);
            }
            Ok(vec![Event::TopicWithdrawn { topic }])
        }
        Command::PlaceDot { topic } => {
            let voter = acting.member()?.id;
            if !board.voting_open {
                return Err(Rejection::VotingClosed);
            }
            let target = named_topic(room, topic)?;
            if target.column != Column::ToDiscuss {
                return Err(Rejection::TopicInWrongColumn);
            }
            if board.dots_left(voter) == 0 {
                return Err(Rejection::NoDotsLeft {
                    budget: board.settings.dot_budget,
                });
            }
            let mine = target.dots_of(voter);
            if mine >= board.settings.per_topic_cap() {
                return Err(Rejection::NoStacking);
            }
            Ok(vec![Event::DotsChanged {
                participant: voter,
                hidden: board.votes_hidden(),
                topic: Some(topic),
                count: Some(mine + 1),
            }])
        }
        Command::TakeBackDot { topic } => {
            let voter = acting.member()?.id;
            if !board.voting_open {
                return Err(Rejection::VotingClosed);
            }
            let mine = named_topic(room, topic)?.dots_of(voter);
            if mine == 0 {
                return Err(Rejection::NoDotHere);
            }
            Ok(vec![Event::DotsChanged {
                participant: voter,
                hidden: board.votes_hidden(),
                topic: Some(topic),
                count: Some(mine - 1),
            }])
        }
        Command::AddNote { topic, kind, text } => {
            let author = acting.member()?.id;
            named_topic(room, topic)?;
            if board.notes.len() >= MAX_NOTES_PER_MEETUP {
                return Err(Rejection::TooManyNotes {
                    max: MAX_NOTES_PER_MEETUP as u16,
                });
            }
            Ok(vec![Event::NoteAdded {
                note: NoteId(board.last_note + 1),
                topic,
                kind,
                author,
                text,
            }])
        }
        Command::EditNote { note, kind, text } => {
            let target = named_note(room, note)?;
            acting.require_owner_or_runner(target.author, Rejection::NotYourOutcome)?;
            if target.text == text && target.kind == kind {
                return Ok(Vec::new());
            }
            Ok(vec![Event::NoteEdited { note, kind, text }])
        }
        Command::RemoveNote { note } => {
            let target = named_note(room, note)?;
            acting.require_owner_or_runner(target.author, Rejection::NotYourOutcome)?;
            Ok(vec![Event::NoteRemoved { note }])
        }
        Command::AddActionItem {
            topic,
            text,
            owner,
            due,
        } => {
            let author = acting.member()?.id;
            named_topic(room, topic)?;
            require_present(room, owner)?;
            if board.action_items.len() >= MAX_ACTION_ITEMS_PER_MEETUP {
                return Err(Rejection::TooManyActionItems {
                    max: MAX_ACTION_ITEMS_PER_MEETUP as u16,
                });
            }
            Ok(vec![Event::ActionItemAdded {
                item: ActionItemId(board.last_action_item + 1),
                topic,
                text,
                owner,
                due,
                author,
            }])
        }
        Command::EditActionItem {
            item,
            text,
            owner,
            due,
        } => {
            let target = named_action_item(room, item)?;
            acting.require_owner_or_runner(target.author, Rejection::NotYourOutcome)?;
            // Keeping an owner who has since left is fine; a new one must be here.
            if owner != target.owner {
                require_present(room, owner)?;
            }
            if target.text == text && target.owner == owner && target.due == due {
                return Ok(Vec::new());
            }
            Ok(vec![Event::ActionItemEdited {
                item,
                text,
                owner,
                due,
            }])
        }
        Command::RemoveActionItem { item } => {
            let target = named_action_item(room, item)?;
            acting.require_owner_or_runner(target.author, Rejection::NotYourOutcome)?;
            Ok(vec![Event::ActionItemRemoved { item }])
        }
        // Other commands are routed elsewhere by `Room::decide`.
        _ => Ok(Vec::new()),
    }
}

/// Decides what running the meetup does on the board: voting, ordering,
/// columns and settings.
pub(in crate::room) fn decide_running(
    room: &Room,
    _acting: Acting<'_>,
    command: Command,
    now: Timestamp,
) -> Result<Vec<Event>, Rejection> {
    let board = &room.board;
    match command {
        Command::RevealVotes => {
            if !board.votes_hidden() {
                return Ok(Vec::new());
            }
            Ok(vec![Event::VotesRevealed {
                dots: board
                    .topics
                    .iter()
                    .filter(|topic| !topic.dots.is_empty())
                    .map(|topic| TopicDots {
                        topic: topic.id,
                        dots: topic.dots.clone(),
                    })
                    .collect(),
            }])
        }
        Command::CloseVoting => Ok(if board.voting_open {
            vec![Event::VotingClosed]
        } else {
            Vec::new()
        }),
        Command::ReopenVoting => Ok(if board.voting_open {
            Vec::new()
        } else {
            vec![Event::VotingReopened]
        }),
        Command::MergeTopics { from, into } => {
            if from == into {
                return Err(Rejection::SameTopic);
            }
            let waiting =
                |topic: &Topic| matches!(topic.column, Column::ToDiscuss | Column::Parked);
            if !waiting(named_topic(room, from)?) || !waiting(named_topic(room, into)?) {
                return Err(Rejection::TopicInWrongColumn);
            }
            Ok(vec![Event::TopicsMerged { from, into }])
        }
        Command::SortTopics => {
            if board.votes_hidden() {
                return Err(Rejection::VotesHidden);
            }
            let order = board.sorted_order();
            let current: Vec<TopicId> = board
                .column(Column::ToDiscuss)
                .map(|topic| topic.id)
                .collect();
            Ok(if order == current {
                Vec::new()
            } else {
                vec![Event::TopicsSorted { order }]
            })
        }
        Command::StartTopic { topic } => {
            let target = named_topic(room, topic)?;
            // Starting the topic already under discussion is a repeated tap.
            if target.column == Column::Discussing {
                return Ok(Vec::new());
            }
            let mut events = Vec::new();
            if let Some(current) = board.discussing() {
                events.push(Event::TopicFinished {
                    topic: current.id,
                    millis: discussion_millis(current, now),
                });
            }
            events.push(Event::TopicStarted {
                topic,
                started_at: now,
            });
            Ok(events)
        }
        Command::FinishTopic { topic } => {
            let target = named_topic(room, topic)?;
            match target.column {
                Column::Discussing => Ok(vec![Event::TopicFinished {
                    topic,
                    millis: discussion_millis(target, now),
                }]),
                // Finished by someone else a moment ago.
                Column::Discussed => Ok(Vec::new()),
                Column::ToDiscuss | Column::Parked => Err(Rejection::TopicInWrongColumn),
            }
        }
        Command::ParkTopic { topic } => {
            let target = named_topic(room, topic)?;
            match target.column {
                Column::ToDiscuss | Column::Discussing => Ok(vec![Event::TopicParked {
                    topic,
                    millis: discussion_millis(target, now),
                }]),
                Column::Parked => Ok(Vec::new()),
                Column::Discussed => Err(Rejection::TopicInWrongColumn),
            }
        }
        Command::UnparkTopic { topic } => match named_topic(room, topic)?.column {
            Column::Parked => Ok(vec![Event::TopicUnparked { topic }]),
            Column::ToDiscuss => Ok(Vec::new()),
            Column::Discussing | Column::Discussed => Err(Rejection::TopicInWrongColumn),
        },
        Command::ConfigureBoard { settings } => {
            settings.validate()?;
            if settings == board.settings {
                return Ok(Vec::new());
            }
            // Changing the rules under dots already placed would break
            // budgets or reveal (or re-hide) them; settle the rules first.
            if board.topics.iter().any(|topic| !topic.dots.is_empty()) {
                return Err(Rejection::VotingUnderway);
            }
            Ok(vec![Event::BoardConfigured { settings }])
        }
        // Other commands are routed elsewhere by `Room::decide`.
        _ => Ok(Vec::new()),
    }
}
