//! The meetup's one timer and the Lean Coffee timebox.
//!
//! - **One authoritative deadline.** A running timer is stored as the
//!   server-clock moment it runs out ([`TimerRun::Running`]), a paused one as
//!   the milliseconds it had left ([`TimerRun::Paused`]). Nothing ever counts
//!   down: every screen computes `deadline - server_now()` from its own
//!   measured clock offset, so all screens agree, and a reload, a reconnect
//!   or a phone waking up shows the true remaining time at once. A server
//!   restart keeps it too, since the deadline is absolute.
//! - **Expiry, exactly once.** [`Timer::next_deadline`] is the running
//!   deadline; at that moment the server applies [`Command::Tick`] and
//!   [`expire`] produces [`Event::TimerExpired`], whose fold moves the timer
//!   to [`TimerRun::Expired`], which has no deadline. So a deadline that has
//!   produced its events is gone, and a second tick finds nothing.
//! - **Topic timeboxes.** Starting a topic on the board starts its timebox
//!   ([`TimerSettings::topic_secs`]). When a topic's timebox runs out and it
//!   may still be extended, a Roman vote "continue?" opens by itself (a
//!   poll opened by the server, so [`super::poll`] keeps its secrecy and
//!   auto-reveal). Its reveal decides, in the same command that revealed it:
//!   a majority up extends the timebox by the next step (each half the one
//!   before: 4 min, then 2 min by default), anything else moves the topic to
//!   discussed. Once the extensions are used up, the topic moves to
//!   discussed at zero without a vote.
//! - **The facilitator overrides any of it**: pause, resume, extend or
//!   shorten, reset, start a timer of any length, finish or start topics.
//!   Ending or replacing the topic, or restarting the timer, closes a
//!   "continue?" vote still taking votes, so it can no longer decide.
//!
//! Time spent per topic is the board's ([`super::board::Topic::time_spent_ms`]):
//! the event that ends a discussion carries its exact length.

use crate::json::{FromJson, ToJson};
use serde::{Deserialize, Serialize};

use super::board::{Column, TopicId};
use super::poll::{PollId, PollKind, PollSetup, Reading, Secrecy};
use super::{Actor, Command, Event, Rejection, Room, board, poll};
use crate::limits::{
    CONTINUE_VOTE_SECS, DEFAULT_FIRST_EXTENSION_SECS, DEFAULT_MAX_EXTENSIONS,
    DEFAULT_TOPIC_TIMEBOX_SECS, MAX_EXTENSIONS, MAX_TIMER_SECS, MIN_TIMER_SECS,
};
use crate::text::PollQuestion;
use crate::time::Timestamp;

/// The question of the vote that opens when a topic's timebox runs out.
/// Screens show it in the reader's language when they recognise the vote
/// ([`Timer::vote`]); this text is what the history and the minutes keep.
pub const CONTINUE_QUESTION: &str = "Continue with this topic?";

/// How topic timeboxes work in this meetup.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, FromJson, ToJson)]
pub struct TimerSettings {
    /// Length of a topic's timebox, in seconds.
    pub topic_secs: u32,
    /// The first extension a "continue?" vote grants, in seconds; each
    /// later one is half the one before (never under 10 s).
    pub first_extension_secs: u32,
    /// How many times a topic may be extended by vote (0 to 5).
    pub max_extensions: u8,
}

impl Default for TimerSettings {
    fn default() -> Self {
        TimerSettings {
            topic_secs: DEFAULT_TOPIC_TIMEBOX_SECS,
            first_extension_secs: DEFAULT_FIRST_EXTENSION_SECS,
            max_extensions: DEFAULT_MAX_EXTENSIONS,
        }
    }
}

impl TimerSettings {
    /// Checks the bounds whatever sent the settings.
    ///
    /// # Errors
    ///
    /// [`Rejection::TimerOutOfRange`] for a timebox or step outside 10 s to
    /// 4 h; [`Rejection::ExtensionsOutOfRange`] for more than 5 extensions.
    pub fn validate(&self) -> Result<(), Rejection> {
        check_duration(self.topic_secs)?;
        check_duration(self.first_extension_secs)?;
        if self.max_extensions > MAX_EXTENSIONS {
            return Err(Rejection::ExtensionsOutOfRange {
                max: MAX_EXTENSIONS,
            });
        }
        Ok(())
    }

    /// The length of extension number `index` (0 for the first), in
    /// milliseconds: halved each time, so a topic cannot go on for ever in
    /// ever-equal slices, but never under the shortest timer.
    pub fn extension_ms(&self, index: u8) -> u64 {
        let first = u64::from(self.first_extension_secs) * 1_000;
        let halved = first.checked_shr(u32::from(index)).unwrap_or(0);
        halved.max(u64::from(MIN_TIMER_SECS) * 1_000)
    }
}

/// Checks a timer length in seconds.
///
/// # Errors
///
/// [`Rejection::TimerOutOfRange`] outside 10 s to 4 h.
pub fn check_duration(secs: u32) -> Result<(), Rejection> {
    if (MIN_TIMER_SECS..=MAX_TIMER_SECS).contains(&secs) {
        Ok(())
    } else {
        Err(Rejection::TimerOutOfRange {
            min_secs: MIN_TIMER_SECS,
            max_secs: MAX_TIMER_SECS,
        })
    }
}

/// Minutes as a person types them ("7", "0.5", "1,5") in whole seconds,
/// rounded to the nearest second; `None` for anything else. Integer
/// arithmetic only: float parsing would add kilobytes to the browser's wasm.
pub fn seconds_from_minutes_text(typed: &str) -> Option<u32> {
    let typed = typed.trim();
    let (whole, fraction) = typed.split_once(['.', ',']).unwrap_or((typed, ""));
    let digits = |part: &str| part.bytes().all(|byte| byte.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty()) || !digits(whole) || !digits(fraction) {
        return None;
    }
    // Beyond nine places a fraction cannot change a whole second.
    let fraction = &fraction[..fraction.len().min(9)];
    let whole: u64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let scale = 10u64.pow(u32::try_from(fraction.len()).ok()?);
    let fraction: u64 = if fraction.is_empty() {
        0
    } else {
        fraction.parse().ok()?
    };
    let seconds = whole
        .checked_mul(60)?
        .checked_add((fraction * 120 + scale) / (2 * scale))?;
    u32::try_from(seconds).ok()
}

/// Seconds as minutes for an input field: "7", or "1.67" with two places.
pub fn minutes_text(secs: u32) -> String {
    if secs.is_multiple_of(60) {
        (secs / 60).to_string()
    } else {
        // Hundredths of a minute, rounded; an exact half cannot occur.
        let hundredths = (u64::from(secs) * 100 + 30) / 60;
        format!("{}.{:02}", hundredths / 100, hundredths % 100)
    }
}

/// Checks an adjustment (extend when positive, shorten when negative).
///
/// # Errors
///
/// [`Rejection::AdjustmentOutOfRange`] for zero or more than 4 h either way.
pub fn check_adjustment(delta_secs: i32) -> Result<(), Rejection> {
    if delta_secs != 0 && delta_secs.unsigned_abs() <= MAX_TIMER_SECS {
        Ok(())
    } else {
        Err(Rejection::AdjustmentOutOfRange {
            max_secs: MAX_TIMER_SECS,
        })
    }
}

/// Where the timer is. Never a countdown: a deadline or a frozen remainder.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, FromJson, ToJson)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum TimerRun {
    /// No timer.
    #[default]
    Idle,
    /// Running until `deadline` (server clock).
    Running {
        /// When it runs out.
        deadline: Timestamp,
    },
    /// Paused with this much left.
    Paused {
        /// Milliseconds left, more than zero.
        remaining_ms: u64,
    },
    /// Ran out at `at` and shows zero until restarted or reset.
    Expired {
        /// The deadline that ran out.
        at: Timestamp,
    },
}

/// The meetup's timer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, FromJson, ToJson)]
pub struct Timer {
    /// How topic timeboxes work.
    #[serde(default)]
    pub settings: TimerSettings,
    /// Where it is.
    #[serde(default)]
    pub run: TimerRun,
    /// Its whole length as started, adjusted and extended, in milliseconds
    /// (for a progress bar; the remaining time comes from the deadline).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub duration_ms: u64,
    /// The topic this is the timebox of; `None` for a plain timer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic: Option<TopicId>,
    /// Extensions granted by vote to this topic so far.
    #[serde(default, skip_serializing_if = "is_zero_u8")]
    pub extensions: u8,
    /// The "continue?" vote this timebox is waiting for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vote: Option<PollId>,
}

fn is_zero(value: &u64) -> bool {
    *value == 0
}

fn is_zero_u8(value: &u8) -> bool {
    *value == 0
}

impl Timer {
    /// Nothing happened to the timer (it is then left out of snapshots).
    pub fn is_pristine(&self) -> bool {
        *self == Timer::default()
    }

    /// When the running timer runs out.
    pub fn next_deadline(&self) -> Option<Timestamp> {
        match self.run {
            TimerRun::Running { deadline } => Some(deadline),
            _ => None,
        }
    }

    /// Milliseconds left at `now` (server clock): `None` without a timer,
    /// zero once run out.
    pub fn remaining_ms(&self, now: Timestamp) -> Option<u64> {
        match self.run {
            TimerRun::Idle => None,
            TimerRun::Running { deadline } => Some(deadline.millis_since(now)),
            TimerRun::Paused { remaining_ms } => Some(remaining_ms),
            TimerRun::Expired { .. } => Some(0),
        }
    }
}

/// The actor as an active participant who runs the meetup, or the server.
fn require_runs_meetup(room: &Room, actor: Actor) -> Result<(), Rejection> {
    let Actor::Participant(id) = actor else {
        return Ok(());
    };
    let participant = room.participant(id).ok_or(Rejection::NotInMeetup)?;
    match participant.membership {
        super::Membership::Active if participant.role.runs_meetup() => Ok(()),
        super::Membership::Active => Err(Rejection::FacilitatorsOnly),
        super::Membership::Left => Err(Rejection::NotInMeetup),
        super::Membership::Removed => Err(Rejection::Removed),
    }
}

fn secs_to_ms(secs: u32) -> u64 {
    u64::from(secs) * 1_000
}

/// The events that close the "continue?" vote if it still takes votes: it
/// can no longer decide anything once the facilitator has.
/// `vote` is passed on its own because the events just folded into `room`
/// may have cleared it already (a topic ending clears the timer's vote).
fn close_open_vote(room: &Room, vote: Option<PollId>, now: Timestamp) -> Vec<Event> {
    vote.filter(|id| room.polls.get(*id).is_some_and(poll::Poll::is_open))
        .and_then(|id| poll::decide(room, Actor::System, Command::ClosePoll { poll: id }, now).ok())
        .unwrap_or_default()
}

/// Decides a timer command.
pub(super) fn decide(
    room: &Room,
    actor: Actor,
    command: Command,
    now: Timestamp,
) -> Result<Vec<Event>, Rejection> {
    require_runs_meetup(room, actor)?;
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

/// Whether the running timer has run out by `now`.
pub(super) fn is_due(room: &Room, now: Timestamp) -> bool {
    room.timer
        .next_deadline()
        .is_some_and(|deadline| deadline <= now)
}

/// What runs out by `now`: the timer expires; a topic's timebox opens its
/// "continue?" vote, or ends the topic once its extensions are used up.
pub(super) fn expire(room: &Room, now: Timestamp) -> Vec<Event> {
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
        })
        .and_then(|setup| poll::decide(room, Actor::System, Command::OpenPoll { setup }, now).ok())
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
pub(super) fn follow_up(room: &Room, mut events: Vec<Event>, now: Timestamp) -> Vec<Event> {
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

/// Folds a timer event into the room.
pub(super) fn fold(room: &mut Room, event: &Event) {
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
pub(super) fn check_invariants(room: &Room) -> Result<(), String> {
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

#[cfg(test)]
mod minutes_text_tests {
    use super::{minutes_text, seconds_from_minutes_text};

    #[test]
    fn typed_minutes_become_seconds() {
        for (typed, seconds) in [
            ("7", Some(420)),
            (" 7 ", Some(420)),
            ("0.5", Some(30)),
            ("1,5", Some(90)),
            (".25", Some(15)),
            ("2.", Some(120)),
            ("1.675", Some(101)),
            ("0.0083", Some(0)),
            ("0.0084", Some(1)),
            ("1.0000000000001", Some(60)),
            ("240", Some(14_400)),
            ("71582789", None),
            ("", None),
            (".", None),
            ("-1", None),
            ("1e2", None),
            ("1.5.2", None),
            ("one", None),
        ] {
            assert_eq!(seconds_from_minutes_text(typed), seconds, "{typed:?}");
        }
    }

    #[test]
    fn seconds_read_back_as_minutes() {
        assert_eq!(minutes_text(420), "7");
        assert_eq!(minutes_text(90), "1.50");
        assert_eq!(minutes_text(100), "1.67");
        assert_eq!(minutes_text(45), "0.75");
        assert_eq!(minutes_text(10), "0.17");
        for secs in 1..=14_400 {
            let text = minutes_text(secs);
            let back = seconds_from_minutes_text(&text).expect("its own text parses");
            assert!(back.abs_diff(secs) <= 1, "{secs} -> {text} -> {back}");
        }
    }
}
