//! Running out. At the deadline the server applies [`Command::Tick`]; the
//! timer expires, and a topic's timebox opens its "continue?" vote, or ends
//! the topic once its extensions are used up.

use super::{CONTINUE_QUESTION, TimerRun};
use crate::limits::CONTINUE_VOTE_SECS;
use crate::room::board::{self, Column};
use crate::room::builtin::BuiltinText;
use crate::room::poll::{self, PollKind, PollSetup, Secrecy};
use crate::room::{Acting, Command, Event, Room};
use crate::text::PollQuestion;
use crate::time::Timestamp;

/// Whether the running timer has run out by `now`.
pub(in crate::room) fn is_due(room: &Room, now: Timestamp) -> bool {
    room.timer
        .next_deadline()
        .is_some_and(|deadline| deadline <= now)
}

/// What runs out by `now`: the timer expires; a topic's timebox opens its
/// "continue?" vote, or ends the topic once its extensions are used up.
pub(in crate::room) fn expire(room: &Room, now: Timestamp) -> Vec<Event> {
    let timer = &room.timer;
    let TimerRun::Running { deadline } = timer.run else {
        return Vec::new();
    };
    if deadline > now {
        return Vec::new();
    }
    // Only the topic still under discussion has a timebox to decide on.
    let topic = timer
        .topic
        .and_then(|id| room.board.topic(id))
        .filter(|topic| topic.column == Column::Discussing);
    let Some(topic) = topic else {
        return vec![Event::TimerExpired {
            at: deadline,
            topic: timer.topic,
            vote: None,
        }];
    };
    if timer.extensions >= timer.settings.max_extensions {
        return vec![
            Event::TimerExpired {
                at: deadline,
                topic: Some(topic.id),
                vote: None,
            },
            Event::TopicFinished {
                topic: topic.id,
                millis: board::discussion_millis(topic, now),
            },
        ];
    }
    // The vote is a poll the server opens; if another poll is still taking
    // votes it is not closed under people's thumbs: the timer just runs out
    // and the facilitator decides.
    let opened = PollQuestion::parse(CONTINUE_QUESTION)
        .ok()
        .map(|question| PollSetup {
            question,
            kind: PollKind::Roman,
            options: Vec::new(),
            secrecy: Secrecy::Secret,
            auto_reveal: true,
            time_limit_secs: Some(CONTINUE_VOTE_SECS),
            question_key: Some(BuiltinText::ContinueTopic),
        })
        .and_then(|setup| {
            poll::decide_running(room, Acting::Server, Command::OpenPoll { setup }, now).ok()
        })
        .unwrap_or_default();
    let vote = opened.iter().find_map(|event| match event {
        Event::PollOpened { poll, .. } => Some(*poll),
        _ => None,
    });
    let mut events = vec![Event::TimerExpired {
        at: deadline,
        topic: Some(topic.id),
        vote,
    }];
    events.extend(opened);
    events
}
