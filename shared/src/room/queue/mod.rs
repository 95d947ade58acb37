//! The speaking queue: typed entries, the floor, airtime, and rounds.
//!
//! - **Entries.** A participant raises a hand in one tap; the type and a
//!   short note are optional and can be changed later. One open entry per
//!   person per type.
//! - **Order.** Computed here, so every screen shows the same order: by type
//!   first (process > clarifying > build-on > new point); within a type, the
//!   entries the facilitator arranged by hand come first in that order, then
//!   the rest, first come first served, or (progressive, the default) the
//!   person with less airtime first, ties by arrival.
//! - **The floor.** One speaker at a time; each turn has a [`TurnId`]. The
//!   commands that end a turn ("next", "done", "pass") name the turn they
//!   mean, so two of them racing each other end it once: the room task
//!   applies commands one at a time, and the second finds its turn over.
//! - **Airtime.** Each ended turn adds its length (server clock) to the
//!   speaker's total. Progressive order uses these totals, never the running
//!   turn, which each client times from [`Speaker::started_at`] itself.
//! - **Rounds.** Everyone gets one turn in an order drawn from a seed the
//!   server passes in (this crate has no randomness), the facilitator last.
//!   While a round runs, the queue waits.
//!
//! Soft limits (turn limit, round turn clock) are settings that clients cue
//! on; nobody is ever cut off, so the server keeps no queue timers.
//!
//! # Layout
//!
//! - `mod.rs`: the queue types, and the queries screens ask.
//! - `decide.rs`: deciding queue commands, and what people leaving take with
//!   them (their hands, the floor).
//! - `fold.rs`: folding queue events (airtime adds up here), and the queue's
//!   invariants.
//! - `order.rs`: who speaks when: the queue's speaking order, who is next,
//!   and a round's order drawn from its seed.

use crate::ids::number_newtype;
use crate::json::{FromJson, ToJson};
use serde::{Deserialize, Serialize};

mod decide;
mod fold;
mod order;

pub(super) use decide::{after_departures, decide_member, decide_running};
pub(super) use fold::fold;
pub use order::round_order;

use super::Room;
use crate::ids::ParticipantId;
use crate::limits::{DEFAULT_ROUND_TURN_SECS, DEFAULT_TURN_LIMIT_SECS};
use crate::text::{QueueNote, RoundPrompt};
use crate::time::Timestamp;

number_newtype! {
    /// A queue entry, numbered by the room in arrival order.
    EntryId(u64)
}

number_newtype! {
    /// One turn at the floor, numbered by the room; a new number every time the
    /// floor changes hands.
    TurnId(u64)
}

/// What a participant wants to say, in order of priority (the derived `Ord`
/// is the queue's type order).
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    FromJson,
    ToJson,
)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// A point of process: about how the meetup is run.
    Process,
    /// A clarifying question about what is being said.
    Clarifying,
    /// A reply that builds on what is being said.
    BuildOn,
    /// A new point; what a hand raised without a type means.
    #[default]
    NewPoint,
}

impl EntryKind {
    /// Every type, in priority order.
    pub const ALL: [EntryKind; 4] = [
        EntryKind::Process,
        EntryKind::Clarifying,
        EntryKind::BuildOn,
        EntryKind::NewPoint,
    ];
}

/// One raised hand.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, FromJson, ToJson)]
pub struct Entry {
    /// Its number, in arrival order.
    pub id: EntryId,
    /// Whose hand.
    pub participant: ParticipantId,
    /// What they want to say.
    pub kind: EntryKind,
    /// A short note on what it is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<QueueNote>,
    /// Place among the entries of its type that the facilitator arranged by
    /// hand; arranged entries go before the others of their type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rank: Option<u32>,
}

/// Who has the floor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, FromJson, ToJson)]
pub struct Speaker {
    /// This turn's number.
    pub turn: TurnId,
    /// Who speaks.
    pub participant: ParticipantId,
    /// The type of the entry they were called from; `None` when the
    /// facilitator gave them the floor without one, or in a round.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<EntryKind>,
    /// The note of that entry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<QueueNote>,
    /// When the turn began (server clock); clients run the turn clock from here.
    pub started_at: Timestamp,
}

/// One person's time at the floor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, FromJson, ToJson)]
pub struct Airtime {
    /// Whose.
    pub participant: ParticipantId,
    /// Total length of their ended turns, in milliseconds.
    pub millis: u64,
    /// Turns they spoke (passes in a round do not count).
    pub turns: u32,
}

/// What a round is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, FromJson, ToJson)]
#[serde(rename_all = "snake_case")]
pub enum RoundKind {
    /// How is everyone arriving?
    CheckIn,
    /// How is everyone leaving?
    CheckOut,
    /// The facilitator's own prompt.
    Custom,
}

/// A round in progress.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, FromJson, ToJson)]
pub struct Round {
    /// What it is for.
    pub kind: RoundKind,
    /// The question everyone answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt: Option<RoundPrompt>,
    /// Everyone's turn, in order; the facilitator last.
    pub order: Vec<ParticipantId>,
    /// Who has not had their turn yet, in order. People who left before
    /// their turn stay listed and are skipped.
    pub remaining: Vec<ParticipantId>,
}

/// The facilitator's settings for the queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, FromJson, ToJson)]
pub struct QueueSettings {
    /// Within a type, less airtime goes first (otherwise first come).
    pub progressive: bool,
    /// Soft limit of a turn; the speaker and facilitators are cued, nobody is cut off.
    pub turn_limit_secs: u32,
    /// The clock of each turn in a round (also soft).
    pub round_turn_secs: u32,
    /// Show the airtime table to everyone, not just facilitators.
    pub airtime_public: bool,
}

impl Default for QueueSettings {
    fn default() -> Self {
        QueueSettings {
            progressive: true,
            turn_limit_secs: DEFAULT_TURN_LIMIT_SECS,
            round_turn_secs: DEFAULT_ROUND_TURN_SECS,
            airtime_public: false,
        }
    }
}

/// Which way the facilitator moves an entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, FromJson, ToJson)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// One place earlier.
    Up,
    /// One place later.
    Down,
}

/// The speaking queue of a room.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, FromJson, ToJson)]
pub struct Queue {
    /// Open entries in arrival order; [`Queue::ordered`] gives the speaking order.
    pub entries: Vec<Entry>,
    /// Who has the floor.
    pub speaker: Option<Speaker>,
    /// The round in progress.
    pub round: Option<Round>,
    /// Time at the floor per person, in order of first turn.
    pub airtime: Vec<Airtime>,
    /// The facilitator's settings.
    pub settings: QueueSettings,
    /// The last entry number given out.
    pub last_entry: EntryId,
    /// The last turn number given out.
    pub last_turn: TurnId,
}

impl Queue {
    /// Whether nothing ever happened in this queue. Such a queue is left out
    /// of serialised rooms, so rooms without a queue read as before.
    pub fn is_pristine(&self) -> bool {
        *self == Queue::default()
    }

    /// A person's ended turns, in milliseconds.
    pub fn airtime_of(&self, participant: ParticipantId) -> u64 {
        self.airtime
            .iter()
            .find(|airtime| airtime.participant == participant)
            .map_or(0, |airtime| airtime.millis)
    }

    /// The entry with this number.
    pub fn entry(&self, id: EntryId) -> Option<&Entry> {
        self.entries.iter().find(|entry| entry.id == id)
    }
}

fn is_active(room: &Room, participant: ParticipantId) -> bool {
    room.active_participants()
        .any(|active| active.id == participant)
}
