//! Folding timer events into the room, and the timer's invariants.

use super::{Timer, TimerRun};
use crate::limits::MAX_EXTENSIONS;
use crate::room::{Event, Room};

/// Folds a timer event into the room.
pub(in crate::room) fn fold(room: &mut Room, event: &Event) {
    let timer = &mut room.timer;
    match event {
        Event::TimerStarted {
            deadline,
            duration_ms,
            topic,
        } => {
            timer.run = TimerRun::Running {
                deadline: *deadline,
            };
            timer.duration_ms = *duration_ms;
            timer.topic = *topic;
            timer.extensions = 0;
            timer.vote = None;
        }
        Event::TimerPaused { remaining_ms } => {
            timer.run = TimerRun::Paused {
                remaining_ms: *remaining_ms,
            };
        }
        Event::TimerResumed { deadline } => {
            timer.run = TimerRun::Running {
                deadline: *deadline,
            };
        }
        Event::TimerAdjusted {
            delta_ms,
            deadline,
            remaining_ms,
        } => {
            timer.run = match (deadline, remaining_ms) {
                (Some(deadline), _) => TimerRun::Running {
                    deadline: *deadline,
                },
                (None, Some(remaining_ms)) => TimerRun::Paused {
                    remaining_ms: *remaining_ms,
                },
                (None, None) => timer.run,
            };
            timer.duration_ms = timer.duration_ms.saturating_add_signed(*delta_ms);
            // More time given by hand overrides the vote.
            timer.vote = None;
        }
        Event::TimerExtended {
            extension,
            by_ms,
            deadline,
        } => {
            timer.run = TimerRun::Running {
                deadline: *deadline,
            };
            timer.extensions = *extension;
            timer.duration_ms = timer.duration_ms.saturating_add(*by_ms);
            timer.vote = None;
        }
        Event::TimerExpired { at, topic, vote } => {
            timer.run = TimerRun::Expired { at: *at };
            timer.topic = *topic;
            timer.vote = *vote;
        }
        Event::TimerReset => {
            let settings = timer.settings;
            *timer = Timer {
                settings,
                ..Timer::default()
            };
        }
        Event::TimerConfigured { settings } => timer.settings = *settings,
        // Once the timed topic is no longer discussed, its vote has nothing
        // left to decide.
        Event::TopicFinished { topic, .. }
        | Event::TopicParked { topic, .. }
        | Event::TopicWithdrawn { topic }
        | Event::TopicsMerged { from: topic, .. }
            if timer.topic == Some(*topic) =>
        {
            timer.vote = None;
        }
        _ => {}
    }
}

/// Checks the timer invariants.
pub(in crate::room) fn check_invariants(room: &Room) -> Result<(), String> {
    let timer = &room.timer;
    if let TimerRun::Paused { remaining_ms: 0 } = timer.run {
        return Err("the timer is paused with nothing left".to_owned());
    }
    if timer.extensions > MAX_EXTENSIONS {
        return Err(format!("{} extensions granted", timer.extensions));
    }
    if let Some(vote) = timer.vote {
        if !matches!(timer.run, TimerRun::Expired { .. }) {
            return Err("a continue vote is pending on a timer that has not run out".to_owned());
        }
        if room.polls.get(vote).is_none() {
            return Err(format!("the continue vote {} does not exist", vote.0));
        }
    }
    if timer.run == TimerRun::Idle && (timer.topic.is_some() || timer.extensions > 0) {
        return Err("an idle timer belongs to a topic".to_owned());
    }
    Ok(())
}
