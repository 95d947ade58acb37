//! Reading moot's types out of a [`Json`] tree, as their serde derives read
//! them: the [`FromJson`] trait, its impls for primitives and containers, and
//! one per type reachable from a server message. The macros for unit enums
//! and transparent types write their [`ToJson`] side too, so the two
//! directions of one type stay together.

use std::fmt;

use super::encode::write_string;
use super::{DecodeError, Json, Problem, ToJson, expected};
use crate::ids::{JoinCode, ParticipantId, Seq};
use crate::protocol::ReportedPresence;
use crate::room::Room;
use crate::room::board::{
    ActionItem, ActionItemId, Board, BoardSettings, Column, DotStack, DueDate, Note, NoteId,
    NoteKind, Topic, TopicDots, TopicId,
};
use crate::room::membership::{CredentialDigest, Membership, Participant, Presence, Role};
use crate::room::poll::{
    Ballot, GivenReason, Poll, PollId, PollKind, PollResults, PollSetup, PollStatus, Polls, Secrecy,
};
use crate::room::queue::{
    Airtime, Direction, Entry, EntryId, EntryKind, Queue, QueueSettings, Round, RoundKind, Speaker,
    TurnId,
};
use crate::room::series::{
    CarriedAction, CarriedOver, CarriedTopic, ReviewItem, ReviewOutcome, Series,
};
use crate::room::timer::{Timer, TimerRun, TimerSettings};
use crate::text::{
    ActionText, DisplayName, MeetupTitle, NoteText, PollOptionText, PollQuestion, PollReason,
    QueueNote, RoundPrompt, TextProblem, TopicDetails, TopicTitle,
};
use crate::time::Timestamp;

/// A type that can be read from a [`Json`] value, as its serde derive would.
pub trait FromJson: Sized {
    /// Reads the value.
    ///
    /// # Errors
    ///
    /// A [`DecodeError`] when the value does not fit the type.
    fn from_json(value: &Json) -> Result<Self, DecodeError>;
}

/// Parses a text and decodes it as `T`.
///
/// # Errors
///
/// A [`DecodeError`] when the text is not JSON or does not fit `T`.
pub fn from_str<T: FromJson>(text: &str) -> Result<T, DecodeError> {
    T::from_json(&Json::parse(text)?)
}

/// The fields of one object, read by name.
#[derive(Clone, Copy, Debug)]
pub struct Fields<'a>(pub(super) &'a [(String, Json)]);

impl<'a> Fields<'a> {
    /// The value of a field, if present (the first of duplicates).
    pub fn get(&self, name: &str) -> Option<&'a Json> {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value)
    }

    /// A field. A missing one reads as `null`, which an `Option` takes as
    /// `None` (as the derives do) and any other type refuses.
    ///
    /// # Errors
    ///
    /// [`Problem::MissingField`], or the field's own error with its path.
    pub fn field<T: FromJson>(&self, name: &'static str) -> Result<T, DecodeError> {
        match self.get(name) {
            Some(value) => T::from_json(value).map_err(|error| error.in_field(name)),
            None => {
                T::from_json(&Json::Null).map_err(|_| DecodeError::new(Problem::MissingField(name)))
            }
        }
    }

    /// A `#[serde(default)]` field: `default()` when missing.
    ///
    /// # Errors
    ///
    /// The field's own error, with its path.
    pub fn field_or<T: FromJson>(
        &self,
        name: &'static str,
        default: fn() -> T,
    ) -> Result<T, DecodeError> {
        match self.get(name) {
            Some(value) => T::from_json(value).map_err(|error| error.in_field(name)),
            None => Ok(default()),
        }
    }

    /// The tag of an internally tagged enum (`type`, `code`, `state`, …).
    ///
    /// # Errors
    ///
    /// [`Problem::MissingField`] or [`Problem::Expected`] a string.
    pub fn tag(&self, name: &'static str) -> Result<&'a str, DecodeError> {
        self.get(name)
            .ok_or(DecodeError::new(Problem::MissingField(name)))?
            .as_str()
            .map_err(|error| error.in_field(name))
    }
}

impl FromJson for Json {
    fn from_json(value: &Json) -> Result<Self, DecodeError> {
        Ok(value.clone())
    }
}

impl FromJson for bool {
    fn from_json(value: &Json) -> Result<Self, DecodeError> {
        match value {
            Json::Bool(value) => Ok(*value),
            _ => Err(expected("a boolean")),
        }
    }
}

impl FromJson for String {
    fn from_json(value: &Json) -> Result<Self, DecodeError> {
        value.as_str().map(str::to_owned)
    }
}

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(value: &Json) -> Result<Self, DecodeError> {
        match value {
            Json::Null => Ok(None),
            value => T::from_json(value).map(Some),
        }
    }
}

impl<T: FromJson> FromJson for Box<T> {
    fn from_json(value: &Json) -> Result<Self, DecodeError> {
        T::from_json(value).map(Box::new)
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: &Json) -> Result<Self, DecodeError> {
        // A plain loop rather than `collect::<Result<Vec<_>, _>>()`: that
        // adapter costs a kilobyte or two of wasm per item type.
        let items = value.items()?;
        let mut decoded = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            decoded.push(T::from_json(item).map_err(|error| error.in_item(index))?);
        }
        Ok(decoded)
    }
}

/// A pair, written as a two-item array (as serde writes tuples).
impl<A: FromJson, B: FromJson> FromJson for (A, B) {
    fn from_json(value: &Json) -> Result<Self, DecodeError> {
        match value.items()? {
            [first, second] => Ok((
                A::from_json(first).map_err(|error| error.in_item(0))?,
                B::from_json(second).map_err(|error| error.in_item(1))?,
            )),
            _ => Err(expected("an array of two")),
        }
    }
}

impl FromJson for uuid::Uuid {
    fn from_json(value: &Json) -> Result<Self, DecodeError> {
        uuid::Uuid::try_parse(value.as_str()?).map_err(|error| {
            DecodeError::new(Problem::Invalid {
                what: "uuid",
                reason: error.to_string(),
            })
        })
    }
}

/// Hyphenated and lower case, as uuid's serde support writes it.
impl ToJson for uuid::Uuid {
    fn write_json(&self, out: &mut String) {
        write_string(
            self.hyphenated()
                .encode_lower(&mut uuid::Uuid::encode_buffer()),
            out,
        );
    }
}

/// Whole numbers, range-checked as serde does.
macro_rules! integers {
    ($($type:ty)*) => {$(
        impl FromJson for $type {
            fn from_json(value: &Json) -> Result<Self, DecodeError> {
                <$type>::try_from(value.integer()?)
                    .map_err(|_| DecodeError::new(Problem::OutOfRange))
            }
        }

        impl ToJson for $type {
            fn write_json(&self, out: &mut String) {
                out.push_str(&self.to_string());
            }
        }
    )*};
}

integers!(u8 u16 u32 u64 usize i32 i64);

/// `#[serde(transparent)]` newtypes: the inner value's JSON.
macro_rules! transparent {
    ($($type:ident($inner:ty)),* $(,)?) => {$(
        impl FromJson for $type {
            fn from_json(value: &Json) -> Result<Self, DecodeError> {
                <$inner>::from_json(value).map($type)
            }
        }

        impl ToJson for $type {
            fn write_json(&self, out: &mut String) {
                self.0.write_json(out);
            }
        }
    )*};
}

transparent!(
    ParticipantId(uuid::Uuid),
    Seq(u64),
    Timestamp(u64),
    EntryId(u64),
    TurnId(u64),
    TopicId(u32),
    NoteId(u32),
    ActionItemId(u32),
    PollId(u32),
    CredentialDigest(String),
);

/// `#[serde(try_from = "String")]` types: a string that must pass the type's
/// own validation, exactly as the derive runs it.
macro_rules! validated {
    ($($type:ident $what:literal),* $(,)?) => {$(
        impl FromJson for $type {
            fn from_json(value: &Json) -> Result<Self, DecodeError> {
                validate(value, $what)
            }
        }
    )*};
}

fn validate<T>(value: &Json, what: &'static str) -> Result<T, DecodeError>
where
    T: TryFrom<String>,
    T::Error: fmt::Display,
{
    T::try_from(String::from_json(value)?).map_err(|error| {
        DecodeError::new(Problem::Invalid {
            what,
            reason: error.to_string(),
        })
    })
}

validated!(
    JoinCode "join code",
    DueDate "due date",
    DisplayName "display name",
    MeetupTitle "meetup title",
    PollQuestion "poll question",
    PollOptionText "poll option",
    PollReason "poll reason",
    QueueNote "queue note",
    RoundPrompt "round prompt",
    TopicTitle "topic title",
    TopicDetails "topic details",
    NoteText "note text",
    ActionText "action text",
);

/// Enums of unit variants with `rename_all = "snake_case"`: a string each way.
macro_rules! unit_enums {
    ($($type:ident { $($variant:ident = $name:literal),* $(,)? })*) => {$(
        impl FromJson for $type {
            fn from_json(value: &Json) -> Result<Self, DecodeError> {
                match value.as_str()? {
                    $($name => Ok($type::$variant),)*
                    other => Err(DecodeError::unknown_variant(other)),
                }
            }
        }

        impl ToJson for $type {
            fn write_json(&self, out: &mut String) {
                write_string(match self { $($type::$variant => $name,)* }, out);
            }
        }
    )*};
}

unit_enums! {
    Role { Facilitator = "facilitator", CoFacilitator = "co_facilitator", Participant = "participant" }
    Presence { Here = "here", Away = "away", Gone = "gone" }
    Membership { Active = "active", Left = "left", Removed = "removed" }
    ReportedPresence { Here = "here", Away = "away" }
    EntryKind {
        Process = "process",
        Clarifying = "clarifying",
        BuildOn = "build_on",
        NewPoint = "new_point",
    }
    RoundKind { CheckIn = "check_in", CheckOut = "check_out", Custom = "custom" }
    Direction { Up = "up", Down = "down" }
    Column {
        ToDiscuss = "to_discuss",
        Discussing = "discussing",
        Discussed = "discussed",
        Parked = "parked",
    }
    NoteKind { Note = "note", Takeaway = "takeaway" }
    PollKind {
        Roman = "roman",
        FistOfFive = "fist_of_five",
        Gradients = "gradients",
        Consent = "consent",
        Proposal = "proposal",
        YesNo = "yes_no",
        Custom = "custom",
    }
    Secrecy { Secret = "secret", Open = "open", Anonymous = "anonymous" }
    PollStatus { Open = "open", Revealed = "revealed", Closed = "closed" }
    ReviewOutcome { Done = "done", Kept = "kept", Dropped = "dropped" }
}

/// Plain structs: one call per field, in declaration order. `field = f`
/// marks a `#[serde(default)]` (`f` is `Default::default`) or
/// `#[serde(default = "f")]` field; `Option` fields need no mark, since a
/// missing one is `None` either way.
macro_rules! structs {
    ($($type:ident { $($field:ident $(= $default:path)?),* $(,)? })*) => {$(
        impl FromJson for $type {
            fn from_json(value: &Json) -> Result<Self, DecodeError> {
                let fields = value.fields()?;
                Ok($type { $($field: structs!(@field fields $field $($default)?),)* })
            }
        }
    )*};
    (@field $fields:ident $field:ident) => {
        $fields.field(stringify!($field))?
    };
    (@field $fields:ident $field:ident $default:path) => {
        $fields.field_or(stringify!($field), $default)?
    };
}

fn default_true() -> bool {
    true
}

structs! {
    Room {
        code,
        title,
        opened_at,
        locked,
        seat_cap,
        participants,
        polls = Default::default,
        queue = Default::default,
        board = Default::default,
        timer = Default::default,
        ended_at,
        series = Default::default,
    }
    Participant { id, name, role, presence, membership, credential }
    Polls { history }
    PollSetup {
        question,
        kind,
        options = Default::default,
        secrecy = Default::default,
        auto_reveal,
        time_limit_secs,
    }
    Ballot { voter, choice, reason }
    GivenReason { choice, reason }
    PollResults { counts, reasons = Default::default }
    Queue { entries, speaker, round, airtime, settings, last_entry, last_turn }
    Entry { id, participant, kind, note, rank }
    Speaker { turn, participant, kind, note, started_at }
    Airtime { participant, millis, turns }
    Round { kind, prompt, order, remaining }
    QueueSettings { progressive, turn_limit_secs, round_turn_secs, airtime_public }
    Board {
        settings = Default::default,
        voting_open = default_true,
        revealed = Default::default,
        topics = Default::default,
        voters = Default::default,
        notes = Default::default,
        action_items = Default::default,
        last_topic = Default::default,
        last_note = Default::default,
        last_action_item = Default::default,
    }
    BoardSettings { dot_budget, stacking, hidden_until_reveal }
    DotStack { participant, count }
    TopicDots { topic, dots }
    Topic {
        id,
        author,
        title,
        details,
        column = Default::default,
        dots = Default::default,
        started_at,
        time_spent_ms = Default::default,
        merged = Default::default,
    }
    Note { id, topic, kind, author, text }
    ActionItem { id, topic, text, owner, due, author }
    Timer {
        settings = Default::default,
        run = Default::default,
        duration_ms = Default::default,
        topic,
        extensions = Default::default,
        vote,
    }
    TimerSettings { topic_secs, first_extension_secs, max_extensions }
    Series { follows, review = Default::default }
    ReviewItem { id, action, outcome }
    CarriedTopic { title, details, author }
    CarriedAction { text, owner, due }
    CarriedOver { from_code, from_title, topics, action_items }
}

/// `#[serde(flatten)] setup`: the setup's fields sit beside the poll's own.
impl FromJson for Poll {
    fn from_json(value: &Json) -> Result<Self, DecodeError> {
        let fields = value.fields()?;
        Ok(Poll {
            id: fields.field("id")?,
            setup: PollSetup::from_json(value)?,
            closes_at: fields.field("closes_at")?,
            round_of: fields.field("round_of")?,
            status: fields.field("status")?,
            ballots: fields.field_or("ballots", Vec::new)?,
            results: fields.field("results")?,
        })
    }
}

/// `#[serde(tag = "state")]`.
impl FromJson for TimerRun {
    fn from_json(value: &Json) -> Result<Self, DecodeError> {
        let fields = value.fields()?;
        Ok(match fields.tag("state")? {
            "idle" => TimerRun::Idle,
            "running" => TimerRun::Running {
                deadline: fields.field("deadline")?,
            },
            "paused" => TimerRun::Paused {
                remaining_ms: fields.field("remaining_ms")?,
            },
            "expired" => TimerRun::Expired {
                at: fields.field("at")?,
            },
            other => return Err(DecodeError::unknown_variant(other)),
        })
    }
}

/// `#[serde(tag = "problem")]`.
impl FromJson for TextProblem {
    fn from_json(value: &Json) -> Result<Self, DecodeError> {
        let fields = value.fields()?;
        Ok(match fields.tag("problem")? {
            "empty" => TextProblem::Empty,
            "too_long" => TextProblem::TooLong {
                max_chars: fields.field("max_chars")?,
            },
            "control_character" => TextProblem::ControlCharacter,
            other => return Err(DecodeError::unknown_variant(other)),
        })
    }
}
