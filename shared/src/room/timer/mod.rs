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
//!   deadline; at that moment the server applies [`crate::Command::Tick`] and
//!   [`expire`] produces [`crate::Event::TimerExpired`], whose fold moves the timer
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
//!
//! # Layout
//!
//! - `mod.rs`: the timer types, the bounds of a length, and the queries
//!   screens ask.
//! - `decide.rs`: deciding the facilitator's timer commands.
//! - `expiry.rs`: running out: the timer expires, and a topic's timebox opens
//!   its "continue?" vote or ends the topic.
//! - `follow_up.rs`: the timer's answer to other features' events: a topic's
//!   timebox starts and stops with its discussion, and the "continue?" vote's
//!   reveal extends the timebox or finishes the topic.
//! - `fold.rs`: folding timer events, and the timer's invariants.
//! - `typed_minutes.rs`: lengths as people type them into a field, in
//!   minutes, and back.

use crate::json::{FromJson, ToJson};
use serde::{Deserialize, Serialize};

mod decide;
mod expiry;
mod fold;
mod follow_up;
mod typed_minutes;

pub(super) use decide::decide;
pub(super) use expiry::{expire, is_due};
pub(super) use fold::{check_invariants, fold};
pub(super) use follow_up::follow_up;
pub use typed_minutes::{minutes_text, seconds_from_minutes_text};

use super::Rejection;
use super::board::TopicId;
use super::poll::PollId;
use crate::limits::{
    DEFAULT_FIRST_EXTENSION_SECS, DEFAULT_MAX_EXTENSIONS, DEFAULT_TOPIC_TIMEBOX_SECS,
    MAX_EXTENSIONS, MAX_TIMER_SECS, MIN_TIMER_SECS,
};
use crate::time::Timestamp;

/// The question of the vote that opens when a topic's timebox runs out.
/// Screens show it in the reader's language when they recognise the vote
/// ([`Timer::vote`]); this text is what the history and the minutes keep.
pub const CONTINUE_QUESTION: &str = crate::room::builtin::BuiltinText::ContinueTopic.english();

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
