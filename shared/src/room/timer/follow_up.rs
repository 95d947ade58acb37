//! The timer's answer to other features' events, decided in the same
//! command: a topic's timebox starts with its discussion and stops when it
//! ends, and the "continue?" vote's reveal extends the timebox or finishes
//! the topic.

use super::TimerRun;
use super::decide::{close_open_vote, secs_to_ms};
use crate::room::board::{self, Column};
use crate::room::poll::{self, PollKind, Reading};
use crate::room::{Event, Room};
use crate::time::Timestamp;

/// Whether an event can concern the timer's follow-up, so most commands
/// skip it without cloning the room.
fn concerns_timer(event: &Event) -> bool {
    matches!(
        event,
        Event::PollRevealed { .. }
            | Event::TopicStarted { .. }
            | Event::TopicFinished { .. }
            | Event::TopicParked { .. }
            | Event::TopicWithdrawn { .. }
            | Event::TopicsMerged { .. }
    )
}

/// Appends what the timer does in answer to `events` of any feature, decided
/// in the same command so every outcome is exact and appears at once:
///
/// - the "continue?" vote revealed (by the last vote, the facilitator, or
///   its time limit): extend by the next step, or finish the topic;
/// - a topic started: its timebox starts;
/// - the timed topic ended otherwise: its timebox stops.
pub(in crate::room) fn follow_up(
    room: &Room,
    mut events: Vec<Event>,
    now: Timestamp,
) -> Vec<Event> {
    if !events.iter().any(concerns_timer) {
        return events;
    }
    let mut after = room.clone();
    for event in &events {
        after.on_event(event);
    }
    let timer = &room.timer;
    let mut more = Vec::new();

    let revealed = events.iter().find_map(|event| match event {
        // Still pending once this command's events are folded: a
        // facilitator's override in the same command (more time, a new
        // timer, the topic ended) has cleared it, and then it decides nothing.
        Event::PollRevealed { poll, results, .. }
            if timer.vote == Some(*poll)
                && after.timer.vote == Some(*poll)
                && matches!(after.timer.run, TimerRun::Expired { .. }) =>
        {
            Some(results)
        }
        _ => None,
    });
    if let Some(results) = revealed {
        let carried = matches!(
            poll::reading(PollKind::Roman, &results.counts),
            Reading::Carried { .. }
        );
        let discussed = timer
            .topic
            .and_then(|id| after.board.topic(id))
            .filter(|topic| topic.column == Column::Discussing);
        if let Some(topic) = discussed {
            if carried && timer.extensions < timer.settings.max_extensions {
                let by_ms = timer.settings.extension_ms(timer.extensions);
                more.push(Event::TimerExtended {
                    extension: timer.extensions + 1,
                    by_ms,
                    deadline: now.plus_millis(by_ms),
                });
            } else {
                more.push(Event::TopicFinished {
                    topic: topic.id,
                    millis: board::discussion_millis(topic, now),
                });
            }
        }
    }

    let started = events.iter().rev().find_map(|event| match event {
        Event::TopicStarted { topic, .. } => Some(*topic),
        _ => None,
    });
    let discussing = after.board.discussing().map(|topic| topic.id);
    if let Some(topic) = started.filter(|topic| Some(*topic) == discussing) {
        let duration_ms = secs_to_ms(timer.settings.topic_secs);
        more.extend(close_open_vote(&after, timer.vote, now));
        more.push(Event::TimerStarted {
            deadline: now.plus_millis(duration_ms),
            duration_ms,
            topic: Some(topic),
        });
    } else if let Some(topic) = timer.topic
        && more.is_empty()
        && after
            .board
            .topic(topic)
            .is_none_or(|topic| topic.column != Column::Discussing)
    {
        // The timed topic ended some other way (finished, parked, merged
        // away). A running timebox stops; one that already ran out keeps
        // showing zero, and its vote can no longer decide.
        more.extend(close_open_vote(&after, timer.vote, now));
        if matches!(
            after.timer.run,
            TimerRun::Running { .. } | TimerRun::Paused { .. }
        ) {
            more.push(Event::TimerReset);
        }
    }
    events.extend(more);
    events
}
