//! Deciding the facilitator's timer commands (start, pause, resume, adjust,
//! reset, configure) and which events follow. Nothing here changes the
//! room; [`super::fold`] does, from the events.

use super::{TimerRun, check_adjustment, check_duration};
use crate::room::poll::{self, PollId};
use crate::room::{Acting, Command, Event, Rejection, Room};
use crate::time::Timestamp;

pub(super) fn secs_to_ms(secs: u32) -> u64 {
    u64::from(secs) * 1_000
}

/// The events that close the "continue?" vote if it still takes votes: it
/// can no longer decide anything once the facilitator has.
/// `vote` is passed on its own because the events just folded into `room`
/// may have cleared it already (a topic ending clears the timer's vote).
pub(super) fn close_open_vote(room: &Room, vote: Option<PollId>, now: Timestamp) -> Vec<Event> {
    vote.filter(|id| room.polls.get(*id).is_some_and(poll::Poll::is_open))
        .and_then(|id| {
            poll::decide_running(room, Acting::Server, Command::ClosePoll { poll: id }, now).ok()
        })
        .unwrap_or_default()
}

/// Decides a timer command.
pub(in crate::room) fn decide(
    room: &Room,
    _acting: Acting<'_>,
    command: Command,
    now: Timestamp,
) -> Result<Vec<Event>, Rejection> {
    let timer = &room.timer;
    match command {
        Command::StartTimer { duration_secs } => {
            check_duration(duration_secs)?;
            let duration_ms = secs_to_ms(duration_secs);
            let mut events = close_open_vote(room, room.timer.vote, now);
            // A timer started while a topic is discussed is that topic's
            // timebox (the facilitator chose another length): its vote
            // still opens at zero.
            events.push(Event::TimerStarted {
                deadline: now.plus_millis(duration_ms),
                duration_ms,
                topic: room.board.discussing().map(|topic| topic.id),
            });
            Ok(events)
        }
        Command::PauseTimer => match timer.run {
            // A deadline already reached is about to expire; freezing it at
            // zero would only hide the expiry.
            TimerRun::Running { deadline } if deadline > now => Ok(vec![Event::TimerPaused {
                remaining_ms: deadline.millis_since(now),
            }]),
            TimerRun::Running { .. } | TimerRun::Paused { .. } => Ok(Vec::new()),
            TimerRun::Idle | TimerRun::Expired { .. } => Err(Rejection::TimerNotRunning),
        },
        Command::ResumeTimer => match timer.run {
            TimerRun::Paused { remaining_ms } => Ok(vec![Event::TimerResumed {
                deadline: now.plus_millis(remaining_ms),
            }]),
            TimerRun::Running { .. } => Ok(Vec::new()),
            TimerRun::Idle | TimerRun::Expired { .. } => Err(Rejection::TimerNotPaused),
        },
        Command::AdjustTimer { delta_secs } => {
            check_adjustment(delta_secs)?;
            let delta = i64::from(delta_secs) * 1_000;
            match timer.run {
                TimerRun::Running { deadline } => {
                    // Shortening past now ends the timer at once (the next
                    // tick expires it); it never runs out in the past.
                    let wanted = i64::try_from(deadline.0).unwrap_or(i64::MAX) + delta;
                    let new = Timestamp(u64::try_from(wanted).unwrap_or(0)).max(now);
                    Ok(vec![Event::TimerAdjusted {
                        delta_ms: i64::try_from(new.0).unwrap_or(i64::MAX)
                            - i64::try_from(deadline.0).unwrap_or(i64::MAX),
                        deadline: Some(new),
                        remaining_ms: None,
                    }])
                }
                TimerRun::Paused { remaining_ms } => {
                    let wanted = i64::try_from(remaining_ms).unwrap_or(i64::MAX) + delta;
                    if wanted > 0 {
                        Ok(vec![Event::TimerAdjusted {
                            delta_ms: delta,
                            deadline: None,
                            remaining_ms: u64::try_from(wanted).ok(),
                        }])
                    } else {
                        // Shortened to nothing: it runs out now.
                        Ok(vec![Event::TimerAdjusted {
                            delta_ms: -i64::try_from(remaining_ms).unwrap_or(i64::MAX),
                            deadline: Some(now),
                            remaining_ms: None,
                        }])
                    }
                }
                // More time after zero: the facilitator's "two more
                // minutes", which overrides a "continue?" vote under way.
                TimerRun::Expired { .. } if delta > 0 => {
                    let mut events = close_open_vote(room, room.timer.vote, now);
                    events.push(Event::TimerAdjusted {
                        delta_ms: delta,
                        deadline: Some(now.plus_millis(delta.unsigned_abs())),
                        remaining_ms: None,
                    });
                    Ok(events)
                }
                TimerRun::Expired { .. } | TimerRun::Idle => Err(Rejection::TimerNotRunning),
            }
        }
        Command::ResetTimer => {
            if timer.run == TimerRun::Idle {
                return Ok(Vec::new());
            }
            let mut events = close_open_vote(room, room.timer.vote, now);
            events.push(Event::TimerReset);
            Ok(events)
        }
        Command::ConfigureTimer { settings } => {
            settings.validate()?;
            Ok(if settings == timer.settings {
                Vec::new()
            } else {
                vec![Event::TimerConfigured { settings }]
            })
        }
        // Other features' commands are routed to them by `Room::apply`.
        _ => Ok(Vec::new()),
    }
}
