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

use crate::ids::number_newtype;
use crate::json::{FromJson, ToJson};
use serde::{Deserialize, Serialize};

use super::membership::Role;
use super::{Actor, Command, Event, Rejection, Room};
use crate::ids::ParticipantId;
use crate::limits::{
    DEFAULT_ROUND_TURN_SECS, DEFAULT_TURN_LIMIT_SECS, MAX_TURN_SECS, MIN_TURN_SECS,
};
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

    /// The open entries in speaking order.
    pub fn ordered(&self) -> Vec<&Entry> {
        let mut ordered: Vec<&Entry> = self.entries.iter().collect();
        ordered.sort_by_key(|entry| {
            let airtime = if self.settings.progressive {
                self.airtime_of(entry.participant)
            } else {
                0
            };
            // `None` sorts before `Some`, so arranged entries test `is_none` first.
            (
                entry.kind,
                entry.rank.is_none(),
                entry.rank,
                airtime,
                entry.id,
            )
        });
        ordered
    }

    /// The entry with this number.
    pub fn entry(&self, id: EntryId) -> Option<&Entry> {
        self.entries.iter().find(|entry| entry.id == id)
    }

    /// Who speaks after the current speaker: the next in the round while one
    /// runs, otherwise the head of the queue.
    pub fn next_in_line(&self, room: &Room) -> Option<ParticipantId> {
        match &self.round {
            Some(round) => next_in_round(room, round, None),
            None => self.ordered().first().map(|entry| entry.participant),
        }
    }

    /// Checks the queue's invariants against the room it belongs to.
    ///
    /// # Errors
    ///
    /// A sentence naming the broken invariant.
    pub fn check_invariants(&self, room: &Room) -> Result<(), String> {
        for (index, entry) in self.entries.iter().enumerate() {
            if entry.id > self.last_entry {
                return Err(format!("entry {:?} was never given out", entry.id));
            }
            if index > 0 && self.entries[index - 1].id >= entry.id {
                return Err("entries are not in arrival order".to_owned());
            }
            if !is_active(room, entry.participant) {
                return Err(format!("{} is queued but not here", entry.participant));
            }
            if self.entries[..index]
                .iter()
                .any(|other| other.participant == entry.participant && other.kind == entry.kind)
            {
                return Err(format!(
                    "{} has two {:?} entries",
                    entry.participant, entry.kind
                ));
            }
        }
        if let Some(speaker) = &self.speaker {
            if speaker.turn != self.last_turn {
                return Err("the speaker's turn is not the latest".to_owned());
            }
            if !is_active(room, speaker.participant) {
                return Err(format!("{} speaks but is not here", speaker.participant));
            }
        }
        if let Some(round) = &self.round
            && round
                .remaining
                .iter()
                .any(|participant| !round.order.contains(participant))
        {
            return Err("someone is due in the round who is not in its order".to_owned());
        }
        for (index, airtime) in self.airtime.iter().enumerate() {
            if self.airtime[..index]
                .iter()
                .any(|other| other.participant == airtime.participant)
            {
                return Err(format!("{} has two airtime rows", airtime.participant));
            }
        }
        Ok(())
    }
}

fn is_active(room: &Room, participant: ParticipantId) -> bool {
    room.active_participants()
        .any(|active| active.id == participant)
}

/// The first person still due in `round` who is here, leaving out `leaving`.
fn next_in_round(
    room: &Room,
    round: &Round,
    leaving: Option<ParticipantId>,
) -> Option<ParticipantId> {
    round
        .remaining
        .iter()
        .copied()
        .find(|participant| Some(*participant) != leaving && is_active(room, *participant))
}

/// The acting participant, who must be in the meetup, and their role.
fn acting(room: &Room, actor: Actor) -> Result<(ParticipantId, Role), Rejection> {
    let Actor::Participant(id) = actor else {
        return Err(Rejection::ServerOnly);
    };
    let participant = room.participant(id).ok_or(Rejection::NotInMeetup)?;
    match participant.membership {
        super::Membership::Active => Ok((id, participant.role)),
        super::Membership::Left => Err(Rejection::NotInMeetup),
        super::Membership::Removed => Err(Rejection::Removed),
    }
}

/// The acting participant, who must run the meetup.
fn running(room: &Room, actor: Actor) -> Result<ParticipantId, Rejection> {
    let (id, role) = acting(room, actor)?;
    if role.runs_meetup() {
        Ok(id)
    } else {
        Err(Rejection::FacilitatorsOnly)
    }
}

/// A small, fixed pseudo-random generator (SplitMix64): the round order must
/// be the same wherever it is computed from the same seed, and this crate
/// takes no randomness crate.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number below `bound` (which is not zero). The modulo bias is
    /// negligible for the handful of people in a meetup.
    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound as u64) as usize
    }
}

/// The order of a round: everyone but the facilitator, shuffled from `seed`
/// (Fisher–Yates), then the facilitator.
pub fn round_order(room: &Room, seed: u64) -> Vec<ParticipantId> {
    let mut order: Vec<ParticipantId> = room
        .active_participants()
        .filter(|participant| participant.role != Role::Facilitator)
        .map(|participant| participant.id)
        .collect();
    let mut random = SplitMix64(seed);
    for last in (1..order.len()).rev() {
        order.swap(last, random.below(last + 1));
    }
    order.extend(room.facilitator().map(|facilitator| facilitator.id));
    order
}

/// Ends the current turn (if any) at `now`.
fn end_turn(queue: &Queue, now: Timestamp, passed: bool) -> Option<Event> {
    queue.speaker.as_ref().map(|speaker| Event::TurnEnded {
        turn: speaker.turn,
        participant: speaker.participant,
        millis: now.millis_since(speaker.started_at),
        passed,
    })
}

/// The floor passes on: the current turn ends, and the next in the round (or
/// the round ends), or else the head of the queue, gets the floor.
fn advance(room: &Room, now: Timestamp, passed: bool) -> Vec<Event> {
    let queue = &room.queue;
    let mut events: Vec<Event> = end_turn(queue, now, passed).into_iter().collect();
    let turn = TurnId(queue.last_turn.0 + 1);
    match &queue.round {
        Some(round) => match next_in_round(room, round, None) {
            Some(participant) => events.push(Event::FloorGiven {
                turn,
                participant,
                entry: None,
                started_at: now,
            }),
            None => events.push(Event::RoundEnded),
        },
        None => {
            if let Some(entry) = queue.ordered().first() {
                events.push(Event::FloorGiven {
                    turn,
                    participant: entry.participant,
                    entry: Some(entry.id),
                    started_at: now,
                });
            }
        }
    }
    events
}

/// The current turn, which `turn` must name.
fn current_turn(queue: &Queue, turn: Option<TurnId>) -> Result<Option<&Speaker>, Rejection> {
    if queue.speaker.as_ref().map(|speaker| speaker.turn) != turn {
        return Err(Rejection::StaleTurn);
    }
    Ok(queue.speaker.as_ref())
}

/// Checks a settings change against the bounds.
fn check_settings(settings: &QueueSettings) -> Result<(), Rejection> {
    let range = MIN_TURN_SECS..=MAX_TURN_SECS;
    if !range.contains(&settings.turn_limit_secs) || !range.contains(&settings.round_turn_secs) {
        return Err(Rejection::DurationOutOfRange {
            min_secs: MIN_TURN_SECS,
            max_secs: MAX_TURN_SECS,
        });
    }
    Ok(())
}

/// Decides a queue command.
pub(super) fn decide(
    room: &Room,
    actor: Actor,
    command: Command,
    now: Timestamp,
) -> Result<Vec<Event>, Rejection> {
    let queue = &room.queue;
    match command {
        Command::RaiseHand { kind, note } => {
            let (me, _) = acting(room, actor)?;
            if queue
                .entries
                .iter()
                .any(|entry| entry.participant == me && entry.kind == kind)
            {
                return Err(Rejection::HandAlreadyRaised);
            }
            Ok(vec![Event::HandRaised {
                entry: EntryId(queue.last_entry.0 + 1),
                participant: me,
                kind,
                note,
            }])
        }
        Command::EditEntry { entry, kind, note } => {
            let (me, _) = acting(room, actor)?;
            let current = queue.entry(entry).ok_or(Rejection::UnknownEntry)?;
            if current.participant != me {
                return Err(Rejection::NotYourEntry);
            }
            if current.kind == kind && current.note == note {
                return Ok(Vec::new());
            }
            if current.kind != kind
                && queue
                    .entries
                    .iter()
                    .any(|other| other.participant == me && other.kind == kind)
            {
                return Err(Rejection::HandAlreadyRaised);
            }
            Ok(vec![Event::EntryEdited { entry, kind, note }])
        }
        Command::WithdrawEntry { entry } => {
            let (me, role) = acting(room, actor)?;
            let current = queue.entry(entry).ok_or(Rejection::UnknownEntry)?;
            // Your own hand, or anyone's if you run the meetup.
            if current.participant != me && !role.runs_meetup() {
                return Err(Rejection::NotYourEntry);
            }
            Ok(vec![Event::EntryWithdrawn { entry }])
        }
        Command::MoveEntry { entry, direction } => {
            running(room, actor)?;
            let kind = queue.entry(entry).ok_or(Rejection::UnknownEntry)?.kind;
            // Entries move within their type: type priority is not the
            // facilitator's to override (they can ask the person to change it).
            let mut group: Vec<EntryId> = queue
                .ordered()
                .into_iter()
                .filter(|other| other.kind == kind)
                .map(|other| other.id)
                .collect();
            let Some(at) = group.iter().position(|id| *id == entry) else {
                return Err(Rejection::UnknownEntry);
            };
            let to = match direction {
                Direction::Up => at.checked_sub(1),
                Direction::Down => Some(at + 1).filter(|to| *to < group.len()),
            };
            let Some(to) = to else {
                return Ok(Vec::new());
            };
            group.swap(at, to);
            Ok(vec![Event::QueueReordered { kind, order: group }])
        }
        Command::NextSpeaker { turn } => {
            running(room, actor)?;
            current_turn(queue, turn)?;
            Ok(advance(room, now, false))
        }
        Command::FinishTurn { turn } => {
            let (me, _) = acting(room, actor)?;
            let speaker = current_turn(queue, Some(turn))?.ok_or(Rejection::StaleTurn)?;
            if speaker.participant != me {
                return Err(Rejection::NotYourTurn);
            }
            Ok(advance(room, now, false))
        }
        Command::PassTurn { turn } => {
            let (me, _) = acting(room, actor)?;
            if queue.round.is_none() {
                return Err(Rejection::NoRound);
            }
            let speaker = current_turn(queue, Some(turn))?.ok_or(Rejection::StaleTurn)?;
            if speaker.participant != me {
                return Err(Rejection::NotYourTurn);
            }
            Ok(advance(room, now, true))
        }
        Command::GiveFloor { participant } => {
            running(room, actor)?;
            if queue.round.is_some() {
                return Err(Rejection::RoundInProgress);
            }
            if !is_active(room, participant) {
                return Err(Rejection::UnknownParticipant);
            }
            if queue
                .speaker
                .as_ref()
                .is_some_and(|speaker| speaker.participant == participant)
            {
                return Ok(Vec::new());
            }
            // Their most urgent entry is what they speak to now.
            let entry = queue
                .ordered()
                .into_iter()
                .find(|entry| entry.participant == participant)
                .map(|entry| entry.id);
            let mut events: Vec<Event> = end_turn(queue, now, false).into_iter().collect();
            events.push(Event::FloorGiven {
                turn: TurnId(queue.last_turn.0 + 1),
                participant,
                entry,
                started_at: now,
            });
            Ok(events)
        }
        Command::StartRound { kind, prompt, seed } => {
            running(room, actor)?;
            if queue.round.is_some() {
                return Err(Rejection::RoundInProgress);
            }
            // A check-in or check-out has its own question; a custom round
            // has nothing to ask without one.
            if kind == RoundKind::Custom && prompt.is_none() {
                return Err(Rejection::InvalidField {
                    field: "prompt".to_owned(),
                    problem: crate::text::TextProblem::Empty,
                });
            }
            let order = round_order(room, seed);
            let mut events: Vec<Event> = end_turn(queue, now, false).into_iter().collect();
            // The facilitator is always active, so the order is never empty.
            let first = order.first().copied();
            events.push(Event::RoundStarted {
                kind,
                prompt,
                order,
            });
            if let Some(participant) = first {
                events.push(Event::FloorGiven {
                    turn: TurnId(queue.last_turn.0 + 1),
                    participant,
                    entry: None,
                    started_at: now,
                });
            }
            Ok(events)
        }
        Command::EndRound => {
            running(room, actor)?;
            if queue.round.is_none() {
                return Err(Rejection::NoRound);
            }
            let mut events: Vec<Event> = end_turn(queue, now, false).into_iter().collect();
            events.push(Event::RoundEnded);
            Ok(events)
        }
        Command::ConfigureQueue { settings } => {
            running(room, actor)?;
            check_settings(&settings)?;
            if queue.settings == settings {
                return Ok(Vec::new());
            }
            Ok(vec![Event::QueueConfigured { settings }])
        }
        // Other features' commands are routed to them by `Room::apply`.
        _ => Ok(Vec::new()),
    }
}

/// Adds the queue's consequences of people leaving or being removed: their
/// entries go, and if one of them has the floor, their turn ends (in a round,
/// the next person is called, since a round runs by itself). These events
/// come just before the departure, so the room is valid after every event.
pub(super) fn after_departures(room: &Room, events: Vec<Event>, now: Timestamp) -> Vec<Event> {
    let queue = &room.queue;
    let mut with_queue = Vec::with_capacity(events.len());
    for event in events {
        if let Event::ParticipantLeft {
            participant: leaving,
        }
        | Event::ParticipantRemoved {
            participant: leaving,
        } = event
        {
            with_queue.extend(
                queue
                    .entries
                    .iter()
                    .filter(|entry| entry.participant == leaving)
                    .map(|entry| Event::EntryWithdrawn { entry: entry.id }),
            );
            if queue
                .speaker
                .as_ref()
                .is_some_and(|speaker| speaker.participant == leaving)
            {
                with_queue.extend(end_turn(queue, now, false));
                if let Some(round) = &queue.round {
                    with_queue.push(match next_in_round(room, round, Some(leaving)) {
                        Some(participant) => Event::FloorGiven {
                            turn: TurnId(queue.last_turn.0 + 1),
                            participant,
                            entry: None,
                            started_at: now,
                        },
                        None => Event::RoundEnded,
                    });
                }
            }
        }
        with_queue.push(event);
    }
    with_queue
}

/// Folds a queue event into the room.
pub(super) fn fold(room: &mut Room, event: &Event) {
    let queue = &mut room.queue;
    match event {
        Event::HandRaised {
            entry,
            participant,
            kind,
            note,
        } => {
            queue.last_entry = queue.last_entry.max(*entry);
            queue.entries.push(Entry {
                id: *entry,
                participant: *participant,
                kind: *kind,
                note: note.clone(),
                rank: None,
            });
        }
        Event::EntryEdited { entry, kind, note } => {
            if let Some(edited) = queue.entries.iter_mut().find(|other| other.id == *entry) {
                if edited.kind != *kind {
                    // An arranged place belongs to the type it was arranged in.
                    edited.rank = None;
                }
                edited.kind = *kind;
                edited.note = note.clone();
            }
        }
        Event::EntryWithdrawn { entry } => queue.entries.retain(|other| other.id != *entry),
        Event::QueueReordered { kind, order } => {
            for entry in queue.entries.iter_mut().filter(|entry| entry.kind == *kind) {
                entry.rank = order
                    .iter()
                    .position(|id| *id == entry.id)
                    .and_then(|place| u32::try_from(place).ok());
            }
        }
        Event::FloorGiven {
            turn,
            participant,
            entry,
            started_at,
        } => {
            let called = entry.and_then(|entry| {
                let at = queue.entries.iter().position(|other| other.id == entry)?;
                Some(queue.entries.remove(at))
            });
            queue.last_turn = queue.last_turn.max(*turn);
            queue.speaker = Some(Speaker {
                turn: *turn,
                participant: *participant,
                kind: called.as_ref().map(|entry| entry.kind),
                note: called.and_then(|entry| entry.note),
                started_at: *started_at,
            });
            if let Some(round) = &mut queue.round {
                round.remaining.retain(|due| due != participant);
            }
        }
        Event::TurnEnded {
            participant,
            millis,
            passed,
            ..
        } => {
            queue.speaker = None;
            let at = match queue
                .airtime
                .iter()
                .position(|airtime| airtime.participant == *participant)
            {
                Some(at) => at,
                None => {
                    queue.airtime.push(Airtime {
                        participant: *participant,
                        millis: 0,
                        turns: 0,
                    });
                    queue.airtime.len() - 1
                }
            };
            let airtime = &mut queue.airtime[at];
            airtime.millis = airtime.millis.saturating_add(*millis);
            if !passed {
                airtime.turns = airtime.turns.saturating_add(1);
            }
        }
        Event::RoundStarted {
            kind,
            prompt,
            order,
        } => {
            queue.round = Some(Round {
                kind: *kind,
                prompt: prompt.clone(),
                order: order.clone(),
                remaining: order.clone(),
            });
        }
        Event::RoundEnded => queue.round = None,
        Event::QueueConfigured { settings } => queue.settings = *settings,
        _ => {}
    }
}
