//! Folding board events into the room, the per-viewer copies of the board
//! and its events (hidden dots), and the board's invariants.

use super::{ActionItem, Board, Column, Note, Topic, TopicId};
use crate::ids::ParticipantId;
use crate::room::{Event, Room, Viewer};

/// Folds a board event into the room.
pub(in crate::room) fn fold(room: &mut Room, event: &Event) {
    let board = &mut room.board;
    match event {
        Event::TopicProposed {
            topic,
            author,
            title,
            details,
        } if board.topic(*topic).is_none() => {
            board.last_topic = board.last_topic.max(topic.0);
            board.topics.push(Topic {
                id: *topic,
                author: *author,
                title: title.clone(),
                details: details.clone(),
                column: Column::ToDiscuss,
                dots: Vec::new(),
                started_at: None,
                time_spent_ms: 0,
                merged: Vec::new(),
                carried_author: None,
            });
        }
        // Someone of a carried topic's author's name arrives: it is theirs.
        Event::ParticipantJoined {
            participant, name, ..
        } => {
            for topic in &mut board.topics {
                if topic
                    .carried_author
                    .as_ref()
                    .is_some_and(|author| author.same_as(name))
                {
                    topic.author = *participant;
                    topic.carried_author = None;
                }
            }
        }
        Event::TopicEdited {
            topic,
            title,
            details,
        } => {
            if let Some(target) = board.topic_mut(*topic) {
                target.title = title.clone();
                target.details = details.clone();
            }
        }
        Event::TopicWithdrawn { topic } => {
            // Its dots go back to their owners simply by disappearing; its
            // outcomes go with it.
            board.topics.retain(|target| target.id != *topic);
            board.notes.retain(|note| note.topic != *topic);
            board.action_items.retain(|item| item.topic != *topic);
        }
        Event::DotsChanged {
            participant,
            topic,
            count,
            ..
        } => {
            if !board.voters.contains(participant) {
                board.voters.push(*participant);
            }
            // A redacted copy has neither topic nor count: nothing to show.
            if let (Some(topic), Some(count)) = (topic, count)
                && let Some(target) = board.topic_mut(*topic)
            {
                target.set_dots(*participant, *count);
            }
        }
        Event::VotesRevealed { dots } => {
            board.revealed = true;
            for topic in &mut board.topics {
                topic.dots = dots
                    .iter()
                    .find(|published| published.topic == topic.id)
                    .map(|published| published.dots.clone())
                    .unwrap_or_default();
            }
        }
        Event::VotingClosed => board.voting_open = false,
        Event::VotingReopened => board.voting_open = true,
        Event::TopicsMerged { from, into } => {
            let Some(index) = board.topics.iter().position(|topic| topic.id == *from) else {
                return;
            };
            if board.topic(*into).is_none() {
                return;
            }
            let merged = board.topics.remove(index);
            let cap = board.settings.per_topic_cap();
            if let Some(target) = board.topic_mut(*into) {
                // Each person's dots combine up to the per-topic cap; what is
                // over it is returned (it is simply no longer on the board).
                for stack in &merged.dots {
                    let combined = target
                        .dots_of(stack.participant)
                        .saturating_add(stack.count);
                    target.set_dots(stack.participant, combined.min(cap));
                }
                target.merged.push(merged.title);
                target.merged.extend(merged.merged);
            }
            for note in &mut board.notes {
                if note.topic == *from {
                    note.topic = *into;
                }
            }
            for item in &mut board.action_items {
                if item.topic == *from {
                    item.topic = *into;
                }
            }
        }
        Event::TopicsSorted { order } => {
            // The listed topics first, in the new order, then every other
            // topic in its old order; columns filter, so only "to discuss"
            // visibly changes.
            let mut sorted: Vec<Topic> = order
                .iter()
                .filter_map(|id| board.topic(*id).cloned())
                .collect();
            sorted.extend(
                board
                    .topics
                    .iter()
                    .filter(|topic| !order.contains(&topic.id))
                    .cloned(),
            );
            board.topics = sorted;
        }
        Event::TopicStarted { topic, started_at } => {
            if let Some(target) = board.topic_mut(*topic) {
                target.column = Column::Discussing;
                target.started_at = Some(*started_at);
            }
        }
        Event::TopicFinished { topic, millis } => {
            if let Some(target) = board.topic_mut(*topic) {
                target.column = Column::Discussed;
                target.time_spent_ms = target.time_spent_ms.saturating_add(*millis);
            }
        }
        Event::TopicParked { topic, millis } => {
            if let Some(target) = board.topic_mut(*topic) {
                target.column = Column::Parked;
                target.time_spent_ms = target.time_spent_ms.saturating_add(*millis);
            }
        }
        Event::TopicUnparked { topic } => {
            // Back at the end of "to discuss": it waits behind the others.
            if let Some(index) = board.topics.iter().position(|target| target.id == *topic) {
                let mut target = board.topics.remove(index);
                target.column = Column::ToDiscuss;
                board.topics.push(target);
            }
        }
        Event::NoteAdded {
            note,
            topic,
            kind,
            author,
            text,
        } if !board.notes.iter().any(|existing| existing.id == *note) => {
            board.last_note = board.last_note.max(note.0);
            board.notes.push(Note {
                id: *note,
                topic: *topic,
                kind: *kind,
                author: *author,
                text: text.clone(),
            });
        }
        Event::NoteEdited { note, kind, text } => {
            if let Some(target) = board.notes.iter_mut().find(|target| target.id == *note) {
                target.kind = *kind;
                target.text = text.clone();
            }
        }
        Event::NoteRemoved { note } => board.notes.retain(|target| target.id != *note),
        Event::ActionItemAdded {
            item,
            topic,
            text,
            owner,
            due,
            author,
        } if !board
            .action_items
            .iter()
            .any(|existing| existing.id == *item) =>
        {
            board.last_action_item = board.last_action_item.max(item.0);
            board.action_items.push(ActionItem {
                id: *item,
                topic: *topic,
                text: text.clone(),
                owner: *owner,
                due: due.clone(),
                author: *author,
            });
        }
        Event::ActionItemEdited {
            item,
            text,
            owner,
            due,
        } => {
            if let Some(target) = board
                .action_items
                .iter_mut()
                .find(|target| target.id == *item)
            {
                target.text = text.clone();
                target.owner = *owner;
                target.due = due.clone();
            }
        }
        Event::ActionItemRemoved { item } => {
            board.action_items.retain(|target| target.id != *item);
        }
        Event::BoardConfigured { settings } => board.settings = *settings,
        _ => {}
    }
}

/// The `dots_changed` event as `viewer` may see it: whole for its owner or
/// once votes are visible; otherwise only who changed their dots.
pub(in crate::room) fn dots_for_viewer(event: &Event, viewer: Viewer) -> Option<Event> {
    match event {
        Event::DotsChanged {
            participant,
            hidden: true,
            ..
        } if viewer != Viewer::Participant(*participant) => Some(Event::DotsChanged {
            participant: *participant,
            hidden: true,
            topic: None,
            count: None,
        }),
        _ => None,
    }
}

/// The board as `viewer` may see it: while votes are hidden, only the
/// viewer's own dots (none for the shared screen).
pub(in crate::room) fn for_viewer(board: &Board, viewer: Viewer) -> Board {
    let mut visible = board.clone();
    if visible.votes_hidden() {
        for topic in &mut visible.topics {
            topic
                .dots
                .retain(|stack| viewer == Viewer::Participant(stack.participant));
        }
    }
    visible
}

/// Checks the board invariants.
pub(in crate::room) fn check_invariants(room: &Room) -> Result<(), String> {
    let board = &room.board;
    let discussing = board.column(Column::Discussing).count();
    if discussing > 1 {
        return Err(format!("{discussing} topics are being discussed at once"));
    }
    let mut ids: Vec<TopicId> = board.topics.iter().map(|topic| topic.id).collect();
    ids.sort();
    ids.dedup();
    if ids.len() != board.topics.len() {
        return Err("a topic is listed twice".to_owned());
    }
    if board
        .topics
        .iter()
        .any(|topic| topic.id.0 > board.last_topic)
    {
        return Err("a topic's number is above the last one handed out".to_owned());
    }
    let cap = board.settings.per_topic_cap();
    for topic in &board.topics {
        for stack in &topic.dots {
            if stack.count == 0 || stack.count > cap {
                return Err(format!(
                    "topic {} holds {} dots of one person (cap {cap})",
                    topic.id.0, stack.count
                ));
            }
            if !board.voters.contains(&stack.participant) {
                return Err(format!(
                    "{} has dots but is not listed as a voter",
                    stack.participant
                ));
            }
        }
        let mut owners: Vec<ParticipantId> =
            topic.dots.iter().map(|stack| stack.participant).collect();
        owners.sort();
        owners.dedup();
        if owners.len() != topic.dots.len() {
            return Err(format!("topic {} has two stacks of one person", topic.id.0));
        }
    }
    for voter in &board.voters {
        let used = board.dots_used(*voter);
        if used > u32::from(board.settings.dot_budget) {
            return Err(format!(
                "{voter} has {used} dots, over the budget of {}",
                board.settings.dot_budget
            ));
        }
    }
    if board
        .notes
        .iter()
        .any(|note| board.topic(note.topic).is_none())
        || board
            .action_items
            .iter()
            .any(|item| board.topic(item.topic).is_none())
    {
        return Err("an outcome belongs to no topic".to_owned());
    }
    Ok(())
}
