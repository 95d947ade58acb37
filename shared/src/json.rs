//! A small JSON codec for the browser, so its wasm carries no serde.
//!
//! serde's derives and serde_json are generic: every type they decode gets
//! its own instance of the deserializer (and internally tagged enums first
//! buffer the whole object into serde's private `Content` tree), which made
//! about a third of the browser's wasm. Here a message is parsed once into a
//! [`Json`] tree, and each type reads its fields out of that tree through
//! [`FromJson`] with one small call per field; [`ToJson`] writes the few
//! messages the browser sends.
//!
//! The wire format stays the derives': the server keeps using them, and the
//! impls here mirror every serde attribute of the types they cover
//! (`rename_all = "snake_case"`, `transparent`, `try_from = "String"`, `tag`,
//! `default`, `skip_serializing_if`, `flatten`). `tests/json.rs` checks this
//! codec against serde_json on the protocol document's examples and on
//! random rooms, events and commands.
//!
//! # What it accepts
//!
//! - Strict RFC 8259 JSON, whitespace allowed around values and nothing after
//!   the last one; at most [`MAX_DEPTH`] nested arrays and objects, so hostile
//!   input cannot exhaust the stack. No input makes it panic.
//! - Whole numbers are kept exactly as `u64` or `i64`. Any other number
//!   (fraction, exponent, `-0`, beyond 64 bits) is kept as its text: moot
//!   sends none, and reading it as a float would bring float parsing into the
//!   wasm. Such a number where an integer is expected is an error, as with
//!   serde_json.
//! - Unknown fields are ignored, as with the derives; of duplicate keys the
//!   first counts.
//!
//! # Errors
//!
//! A [`DecodeError`] says what was wrong ([`Problem`]) and where: a byte
//! offset for syntax, a path such as `snapshot.board.topics[2].title` for a
//! value that does not fit.

use std::fmt;

use crate::ids::{JoinCode, ParticipantId, Seq};
use crate::protocol::{ClientCommand, ClientMessage, HelloAuth, ReportedPresence};
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

/// How deeply arrays and objects may nest (serde_json's limit too). A room
/// snapshot nests about eight levels.
pub const MAX_DEPTH: usize = 128;

/// A parsed JSON value.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number.
    Number(Number),
    /// A string, unescaped.
    String(String),
    /// An array.
    Array(Vec<Json>),
    /// An object's fields in the order written.
    Object(Vec<(String, Json)>),
}

/// A JSON number, exact for the integers moot sends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Number {
    /// A whole number from 0 to `u64::MAX`.
    Unsigned(u64),
    /// A negative whole number within `i64`.
    Negative(i64),
    /// Any other number, as written (see the module docs).
    Other(String),
}

/// Why a text could not be decoded, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError {
    /// What was wrong.
    pub problem: Problem,
    /// Where in the value, as `field.field[index]`; empty for the whole value
    /// and for syntax errors (those carry a byte offset).
    pub path: String,
}

/// What was wrong with a text.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    /// Not JSON.
    #[error("{syntax} at byte {offset}")]
    Syntax {
        /// What broke the grammar.
        syntax: Syntax,
        /// Where, in bytes from the start of the text.
        offset: usize,
    },
    /// A value of another JSON type than the field's.
    #[error("expected {0}")]
    Expected(&'static str),
    /// A whole number outside the field's range.
    #[error("number out of range")]
    OutOfRange,
    /// A required field is absent.
    #[error("missing field `{0}`")]
    MissingField(&'static str),
    /// A tag or name this code does not know.
    #[error("unknown variant `{0}`")]
    UnknownVariant(String),
    /// A string its type's validation refuses.
    #[error("invalid {what}: {reason}")]
    Invalid {
        /// The type, in words.
        what: &'static str,
        /// The validation's own message.
        reason: String,
    },
}

/// How a text broke the JSON grammar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Syntax {
    /// The text ends inside a value.
    #[error("unexpected end")]
    UnexpectedEnd,
    /// A character that cannot come here.
    #[error("unexpected character")]
    UnexpectedCharacter,
    /// A backslash escape JSON does not have, or bad hex digits.
    #[error("invalid escape")]
    InvalidEscape,
    /// A `\u` escape of half a surrogate pair without its other half.
    #[error("lone surrogate")]
    LoneSurrogate,
    /// A raw control character inside a string.
    #[error("control character in string")]
    ControlCharacter,
    /// A malformed number.
    #[error("invalid number")]
    InvalidNumber,
    /// Arrays and objects nested deeper than [`MAX_DEPTH`].
    #[error("nested too deeply")]
    TooDeep,
    /// Something after the value.
    #[error("trailing characters")]
    TrailingCharacters,
}

impl DecodeError {
    /// An error about the value being decoded (its path is added on the way out).
    pub fn new(problem: Problem) -> DecodeError {
        DecodeError {
            problem,
            path: String::new(),
        }
    }

    /// An unknown tag or name.
    pub fn unknown_variant(found: &str) -> DecodeError {
        DecodeError::new(Problem::UnknownVariant(found.to_owned()))
    }

    /// The same error, inside the field `name`.
    #[must_use]
    pub fn in_field(self, name: &str) -> DecodeError {
        self.within(name)
    }

    /// The same error, inside item `index` of an array.
    #[must_use]
    pub fn in_item(self, index: usize) -> DecodeError {
        self.within(&format!("[{index}]"))
    }

    /// Puts `segment` in front of the path, with a dot before a field name.
    fn within(mut self, segment: &str) -> DecodeError {
        if !self.path.is_empty() && !self.path.starts_with('[') {
            self.path.insert(0, '.');
        }
        self.path.insert_str(0, segment);
        self
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            self.problem.fmt(f)
        } else {
            write!(f, "{} at {}", self.problem, self.path)
        }
    }
}

impl std::error::Error for DecodeError {}

impl Json {
    /// Parses one JSON text.
    ///
    /// # Errors
    ///
    /// [`Problem::Syntax`] when the text is not exactly one JSON value.
    pub fn parse(text: &str) -> Result<Json, DecodeError> {
        let mut parser = Parser {
            text,
            at: 0,
            depth: 0,
        };
        let value = parser.value()?;
        parser.skip_whitespace();
        if parser.at < text.len() {
            return Err(parser.error(Syntax::TrailingCharacters));
        }
        Ok(value)
    }

    /// The fields of an object.
    ///
    /// # Errors
    ///
    /// [`Problem::Expected`] for anything but an object.
    pub fn fields(&self) -> Result<Fields<'_>, DecodeError> {
        match self {
            Json::Object(fields) => Ok(Fields(fields)),
            _ => Err(expected("an object")),
        }
    }

    /// The text of a string.
    ///
    /// # Errors
    ///
    /// [`Problem::Expected`] for anything but a string.
    pub fn as_str(&self) -> Result<&str, DecodeError> {
        match self {
            Json::String(text) => Ok(text),
            _ => Err(expected("a string")),
        }
    }

    /// The items of an array.
    ///
    /// # Errors
    ///
    /// [`Problem::Expected`] for anything but an array.
    pub fn items(&self) -> Result<&[Json], DecodeError> {
        match self {
            Json::Array(items) => Ok(items),
            _ => Err(expected("an array")),
        }
    }

    /// A whole number, wide enough for both `u64` and `i64`.
    fn integer(&self) -> Result<i128, DecodeError> {
        match self {
            Json::Number(Number::Unsigned(number)) => Ok(i128::from(*number)),
            Json::Number(Number::Negative(number)) => Ok(i128::from(*number)),
            _ => Err(expected("an integer")),
        }
    }
}

fn expected(what: &'static str) -> DecodeError {
    DecodeError::new(Problem::Expected(what))
}

/// A recursive-descent parser over the text; `at` is a byte offset that only
/// ever stops on ASCII bytes, so it is always a character boundary.
struct Parser<'a> {
    text: &'a str,
    at: usize,
    depth: usize,
}

impl Parser<'_> {
    fn error(&self, syntax: Syntax) -> DecodeError {
        DecodeError::new(Problem::Syntax {
            syntax,
            offset: self.at,
        })
    }

    /// The error for what stands at `at`: the end, or a character out of place.
    fn unexpected(&self) -> DecodeError {
        self.error(match self.peek() {
            None => Syntax::UnexpectedEnd,
            Some(_) => Syntax::UnexpectedCharacter,
        })
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    /// Steps over `byte` if it comes next.
    fn eat(&mut self, byte: u8) -> bool {
        let found = self.peek() == Some(byte);
        if found {
            self.at += 1;
        }
        found
    }

    fn expect(&mut self, byte: u8) -> Result<(), DecodeError> {
        if self.eat(byte) {
            Ok(())
        } else {
            Err(self.unexpected())
        }
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn value(&mut self) -> Result<Json, DecodeError> {
        self.skip_whitespace();
        match self.peek() {
            Some(b'{') => self.nested(Parser::object),
            Some(b'[') => self.nested(Parser::array),
            Some(b'"') => self.string().map(Json::String),
            Some(b't') => self.literal("true", Json::Bool(true)),
            Some(b'f') => self.literal("false", Json::Bool(false)),
            Some(b'n') => self.literal("null", Json::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => Err(self.unexpected()),
        }
    }

    /// Parses an array or object one level deeper, refusing to go past the limit.
    fn nested(
        &mut self,
        parse: fn(&mut Self) -> Result<Json, DecodeError>,
    ) -> Result<Json, DecodeError> {
        if self.depth == MAX_DEPTH {
            return Err(self.error(Syntax::TooDeep));
        }
        self.depth += 1;
        let value = parse(self);
        self.depth -= 1;
        value
    }

    fn array(&mut self) -> Result<Json, DecodeError> {
        self.at += 1;
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.eat(b']') {
            return Ok(Json::Array(items));
        }
        loop {
            items.push(self.value()?);
            self.skip_whitespace();
            if self.eat(b']') {
                return Ok(Json::Array(items));
            }
            self.expect(b',')?;
        }
    }

    fn object(&mut self) -> Result<Json, DecodeError> {
        self.at += 1;
        let mut fields = Vec::new();
        self.skip_whitespace();
        if self.eat(b'}') {
            return Ok(Json::Object(fields));
        }
        loop {
            self.skip_whitespace();
            if self.peek() != Some(b'"') {
                return Err(self.unexpected());
            }
            let key = self.string()?;
            self.skip_whitespace();
            self.expect(b':')?;
            fields.push((key, self.value()?));
            self.skip_whitespace();
            if self.eat(b'}') {
                return Ok(Json::Object(fields));
            }
            self.expect(b',')?;
        }
    }

    fn literal(&mut self, word: &str, value: Json) -> Result<Json, DecodeError> {
        let rest = self.text.as_bytes().get(self.at..).unwrap_or_default();
        if rest.starts_with(word.as_bytes()) {
            self.at += word.len();
            Ok(value)
        } else {
            Err(self.error(Syntax::UnexpectedCharacter))
        }
    }

    /// A string, starting at its opening quote.
    fn string(&mut self) -> Result<String, DecodeError> {
        self.at += 1;
        let mut out = String::new();
        loop {
            // Copy each run of plain characters at once; it ends on an ASCII
            // byte (or the end), so the slice is on character boundaries.
            let start = self.at;
            while self
                .peek()
                .is_some_and(|byte| byte != b'"' && byte != b'\\' && byte >= 0x20)
            {
                self.at += 1;
            }
            out.push_str(self.text.get(start..self.at).unwrap_or_default());
            match self.peek() {
                Some(b'"') => {
                    self.at += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.at += 1;
                    out.push(self.escape()?);
                }
                Some(_) => return Err(self.error(Syntax::ControlCharacter)),
                None => return Err(self.error(Syntax::UnexpectedEnd)),
            }
        }
    }

    /// The character of an escape, just after its backslash.
    fn escape(&mut self) -> Result<char, DecodeError> {
        let Some(byte) = self.peek() else {
            return Err(self.error(Syntax::UnexpectedEnd));
        };
        self.at += 1;
        Ok(match byte {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let unit = self.hex4()?;
                let code = match unit {
                    0xD800..=0xDBFF => {
                        // A leading surrogate must be followed by a trailing one.
                        if !(self.eat(b'\\') && self.eat(b'u')) {
                            return Err(self.error(Syntax::LoneSurrogate));
                        }
                        let low = self.hex4()?;
                        if !(0xDC00..=0xDFFF).contains(&low) {
                            return Err(self.error(Syntax::LoneSurrogate));
                        }
                        0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                    }
                    _ => unit,
                };
                // Only a trailing surrogate on its own is left to refuse here.
                char::from_u32(code).ok_or_else(|| self.error(Syntax::LoneSurrogate))?
            }
            _ => {
                self.at -= 1;
                return Err(self.error(Syntax::InvalidEscape));
            }
        })
    }

    /// Four hex digits of a `\u` escape.
    fn hex4(&mut self) -> Result<u32, DecodeError> {
        let mut unit = 0;
        for _ in 0..4 {
            let digit = self
                .peek()
                .and_then(|byte| char::from(byte).to_digit(16))
                .ok_or_else(|| self.error(Syntax::InvalidEscape))?;
            unit = unit * 16 + digit;
            self.at += 1;
        }
        Ok(unit)
    }

    fn number(&mut self) -> Result<Json, DecodeError> {
        let start = self.at;
        let negative = self.eat(b'-');
        let mut magnitude = Some(0u64);
        match self.peek() {
            Some(b'0') => self.at += 1,
            Some(b'1'..=b'9') => {
                while let Some(digit @ b'0'..=b'9') = self.peek() {
                    magnitude = magnitude
                        .and_then(|value| value.checked_mul(10))
                        .and_then(|value| value.checked_add(u64::from(digit - b'0')));
                    self.at += 1;
                }
            }
            _ => return Err(self.error(Syntax::InvalidNumber)),
        }
        let mut whole = true;
        if self.eat(b'.') {
            whole = false;
            self.digits()?;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            whole = false;
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            self.digits()?;
        }
        let number = match (whole, negative, magnitude) {
            (true, false, Some(value)) => Number::Unsigned(value),
            // serde_json reads `-0` as a float too.
            (true, true, Some(value)) if value > 0 => match 0i64.checked_sub_unsigned(value) {
                Some(value) => Number::Negative(value),
                None => Number::Other(self.text.get(start..self.at).unwrap_or_default().to_owned()),
            },
            _ => Number::Other(self.text.get(start..self.at).unwrap_or_default().to_owned()),
        };
        Ok(Json::Number(number))
    }

    /// One or more decimal digits, as in a fraction or exponent.
    fn digits(&mut self) -> Result<(), DecodeError> {
        let start = self.at;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.at += 1;
        }
        if self.at == start {
            return Err(self.error(Syntax::InvalidNumber));
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// Decoding

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
pub struct Fields<'a>(&'a [(String, Json)]);

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

// ---------------------------------------------------------------------------
// Encoding

/// A type that writes itself as JSON, byte for byte as `serde_json::to_string`
/// writes its derive's output.
pub trait ToJson {
    /// Appends the value's JSON to `out`.
    fn write_json(&self, out: &mut String);
}

/// The JSON text of a value.
pub fn to_string<T: ToJson + ?Sized>(value: &T) -> String {
    let mut out = String::new();
    value.write_json(&mut out);
    out
}

/// Writes a string with serde_json's escapes: the two-character forms where
/// JSON has them, `\u00XX` for other control characters, all else as is.
fn write_string(text: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for character in text.chars() {
        match character {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\0'..='\u{1f}' => {
                let code = usize::from(character as u8);
                out.push_str("\\u00");
                out.push(char::from(HEX[code >> 4]));
                out.push(char::from(HEX[code & 0xf]));
            }
            _ => out.push(character),
        }
    }
    out.push('"');
}

/// Writes an object field by field, in the order called.
pub struct ObjectWriter<'a> {
    out: &'a mut String,
    empty: bool,
}

impl<'a> ObjectWriter<'a> {
    /// Opens an object.
    pub fn new(out: &'a mut String) -> ObjectWriter<'a> {
        out.push('{');
        ObjectWriter { out, empty: true }
    }

    /// Writes a field.
    pub fn field<T: ToJson + ?Sized>(&mut self, name: &str, value: &T) -> &mut Self {
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
        write_string(name, self.out);
        self.out.push(':');
        value.write_json(self.out);
        self
    }

    /// Writes a `skip_serializing_if = "Option::is_none"` field.
    pub fn optional<T: ToJson>(&mut self, name: &str, value: &Option<T>) -> &mut Self {
        match value {
            Some(value) => self.field(name, value),
            None => self,
        }
    }

    /// Closes the object.
    pub fn finish(&mut self) {
        self.out.push('}');
    }
}

impl ToJson for Json {
    fn write_json(&self, out: &mut String) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(value) => value.write_json(out),
            Json::Number(Number::Unsigned(number)) => number.write_json(out),
            Json::Number(Number::Negative(number)) => number.write_json(out),
            Json::Number(Number::Other(text)) => out.push_str(text),
            Json::String(text) => write_string(text, out),
            Json::Array(items) => items.write_json(out),
            Json::Object(fields) => {
                let mut object = ObjectWriter::new(out);
                for (name, value) in fields {
                    object.field(name, value);
                }
                object.finish();
            }
        }
    }
}

impl ToJson for bool {
    fn write_json(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

impl ToJson for str {
    fn write_json(&self, out: &mut String) {
        write_string(self, out);
    }
}

impl ToJson for String {
    fn write_json(&self, out: &mut String) {
        write_string(self, out);
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn write_json(&self, out: &mut String) {
        match self {
            Some(value) => value.write_json(out),
            None => out.push_str("null"),
        }
    }
}

impl<T: ToJson> ToJson for [T] {
    fn write_json(&self, out: &mut String) {
        out.push('[');
        for (index, item) in self.iter().enumerate() {
            if index > 0 {
                out.push(',');
            }
            item.write_json(out);
        }
        out.push(']');
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn write_json(&self, out: &mut String) {
        self.as_slice().write_json(out);
    }
}

impl ToJson for QueueSettings {
    fn write_json(&self, out: &mut String) {
        ObjectWriter::new(out)
            .field("progressive", &self.progressive)
            .field("turn_limit_secs", &self.turn_limit_secs)
            .field("round_turn_secs", &self.round_turn_secs)
            .field("airtime_public", &self.airtime_public)
            .finish();
    }
}

impl ToJson for BoardSettings {
    fn write_json(&self, out: &mut String) {
        ObjectWriter::new(out)
            .field("dot_budget", &self.dot_budget)
            .field("stacking", &self.stacking)
            .field("hidden_until_reveal", &self.hidden_until_reveal)
            .finish();
    }
}

impl ToJson for TimerSettings {
    fn write_json(&self, out: &mut String) {
        ObjectWriter::new(out)
            .field("topic_secs", &self.topic_secs)
            .field("first_extension_secs", &self.first_extension_secs)
            .field("max_extensions", &self.max_extensions)
            .finish();
    }
}

/// `#[serde(tag = "type")]`.
impl ToJson for ClientMessage {
    fn write_json(&self, out: &mut String) {
        let mut object = ObjectWriter::new(out);
        match self {
            ClientMessage::Hello {
                protocol,
                join_code,
                auth,
                last_seq,
            } => object
                .field("type", "hello")
                .field("protocol", protocol)
                .field("join_code", join_code)
                .field("auth", auth)
                .optional("last_seq", last_seq),
            ClientMessage::Command {
                request_id,
                command,
            } => object
                .field("type", "command")
                .field("request_id", request_id)
                .field("command", command),
            ClientMessage::Pong => object.field("type", "pong"),
            ClientMessage::TimeSync { client_time } => object
                .field("type", "time_sync")
                .field("client_time", client_time),
        }
        .finish();
    }
}

/// `#[serde(tag = "mode")]`.
impl ToJson for HelloAuth {
    fn write_json(&self, out: &mut String) {
        let mut object = ObjectWriter::new(out);
        match self {
            HelloAuth::Join { name } => object.field("mode", "join").field("name", name),
            HelloAuth::Rejoin { token, name } => object
                .field("mode", "rejoin")
                .field("token", token)
                .optional("name", name),
            HelloAuth::Screen { token } => object.field("mode", "screen").field("token", token),
        }
        .finish();
    }
}

/// `#[serde(tag = "type")]`, one arm per variant; fields in declaration order.
impl ToJson for ClientCommand {
    fn write_json(&self, out: &mut String) {
        use ClientCommand as C;
        let mut object = ObjectWriter::new(out);
        let o = &mut object;
        match self {
            C::Leave => o.field("type", "leave"),
            C::EndMeetup => o.field("type", "end_meetup"),
            C::ReviewAction { item, outcome } => o
                .field("type", "review_action")
                .field("item", item)
                .field("outcome", outcome),
            C::SetPresence { presence } => {
                o.field("type", "set_presence").field("presence", presence)
            }
            C::Rename { name } => o.field("type", "rename").field("name", name),
            C::Lock => o.field("type", "lock"),
            C::Unlock => o.field("type", "unlock"),
            C::SetSeatCap { seat_cap } => {
                o.field("type", "set_seat_cap").field("seat_cap", seat_cap)
            }
            C::Remove { participant } => {
                o.field("type", "remove").field("participant", participant)
            }
            C::HandOver { to } => o.field("type", "hand_over").field("to", to),
            C::AddCoFacilitator { participant } => o
                .field("type", "add_co_facilitator")
                .field("participant", participant),
            C::RemoveCoFacilitator { participant } => o
                .field("type", "remove_co_facilitator")
                .field("participant", participant),
            C::OpenPoll {
                question,
                kind,
                options,
                secrecy,
                auto_reveal,
                time_limit_secs,
            } => {
                o.field("type", "open_poll")
                    .field("question", question)
                    .field("kind", kind);
                if !options.is_empty() {
                    o.field("options", options);
                }
                o.field("secrecy", secrecy)
                    .field("auto_reveal", auto_reveal)
                    .optional("time_limit_secs", time_limit_secs)
            }
            C::CastVote {
                poll,
                choice,
                reason,
            } => o
                .field("type", "cast_vote")
                .field("poll", poll)
                .field("choice", choice)
                .optional("reason", reason),
            C::RevealPoll { poll } => o.field("type", "reveal_poll").field("poll", poll),
            C::ClosePoll { poll } => o.field("type", "close_poll").field("poll", poll),
            C::ReopenPoll { poll } => o.field("type", "reopen_poll").field("poll", poll),
            C::RaiseHand { kind, note } => o
                .field("type", "raise_hand")
                .field("kind", kind)
                .optional("note", note),
            C::EditEntry { entry, kind, note } => o
                .field("type", "edit_entry")
                .field("entry", entry)
                .field("kind", kind)
                .optional("note", note),
            C::WithdrawEntry { entry } => o.field("type", "withdraw_entry").field("entry", entry),
            C::MoveEntry { entry, direction } => o
                .field("type", "move_entry")
                .field("entry", entry)
                .field("direction", direction),
            C::NextSpeaker { turn } => o.field("type", "next_speaker").optional("turn", turn),
            C::FinishTurn { turn } => o.field("type", "finish_turn").field("turn", turn),
            C::PassTurn { turn } => o.field("type", "pass_turn").field("turn", turn),
            C::GiveFloor { participant } => o
                .field("type", "give_floor")
                .field("participant", participant),
            C::StartRound { kind, prompt } => o
                .field("type", "start_round")
                .field("kind", kind)
                .optional("prompt", prompt),
            C::EndRound => o.field("type", "end_round"),
            C::ConfigureQueue { settings } => o
                .field("type", "configure_queue")
                .field("settings", settings),
            C::ProposeTopic { title, details } => o
                .field("type", "propose_topic")
                .field("title", title)
                .optional("details", details),
            C::EditTopic {
                topic,
                title,
                details,
            } => o
                .field("type", "edit_topic")
                .field("topic", topic)
                .field("title", title)
                .optional("details", details),
            C::WithdrawTopic { topic } => o.field("type", "withdraw_topic").field("topic", topic),
            C::PlaceDot { topic } => o.field("type", "place_dot").field("topic", topic),
            C::TakeBackDot { topic } => o.field("type", "take_back_dot").field("topic", topic),
            C::RevealVotes => o.field("type", "reveal_votes"),
            C::CloseVoting => o.field("type", "close_voting"),
            C::ReopenVoting => o.field("type", "reopen_voting"),
            C::MergeTopics { from, into } => o
                .field("type", "merge_topics")
                .field("from", from)
                .field("into", into),
            C::SortTopics => o.field("type", "sort_topics"),
            C::StartTopic { topic } => o.field("type", "start_topic").field("topic", topic),
            C::FinishTopic { topic } => o.field("type", "finish_topic").field("topic", topic),
            C::ParkTopic { topic } => o.field("type", "park_topic").field("topic", topic),
            C::UnparkTopic { topic } => o.field("type", "unpark_topic").field("topic", topic),
            C::AddNote { topic, kind, text } => o
                .field("type", "add_note")
                .field("topic", topic)
                .field("kind", kind)
                .field("text", text),
            C::EditNote { note, kind, text } => o
                .field("type", "edit_note")
                .field("note", note)
                .field("kind", kind)
                .field("text", text),
            C::RemoveNote { note } => o.field("type", "remove_note").field("note", note),
            C::AddActionItem {
                topic,
                text,
                owner,
                due,
            } => o
                .field("type", "add_action_item")
                .field("topic", topic)
                .field("text", text)
                .field("owner", owner)
                .optional("due", due),
            C::EditActionItem {
                item,
                text,
                owner,
                due,
            } => o
                .field("type", "edit_action_item")
                .field("item", item)
                .field("text", text)
                .field("owner", owner)
                .optional("due", due),
            C::RemoveActionItem { item } => {
                o.field("type", "remove_action_item").field("item", item)
            }
            C::ConfigureBoard { settings } => o
                .field("type", "configure_board")
                .field("settings", settings),
            C::StartTimer { duration_secs } => o
                .field("type", "start_timer")
                .field("duration_secs", duration_secs),
            C::PauseTimer => o.field("type", "pause_timer"),
            C::ResumeTimer => o.field("type", "resume_timer"),
            C::AdjustTimer { delta_secs } => o
                .field("type", "adjust_timer")
                .field("delta_secs", delta_secs),
            C::ResetTimer => o.field("type", "reset_timer"),
            C::ConfigureTimer { settings } => o
                .field("type", "configure_timer")
                .field("settings", settings),
        }
        .finish();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_writes_back_compact_json() {
        let text = r#"{"a":[1,-2,true,null,"x\"\\\n\u0001é😀"],"b":{},"c":[],"d":1.5e3}"#;
        let value = Json::parse(text).expect("valid JSON");
        assert_eq!(to_string(&value), text);
    }

    #[test]
    fn integers_are_exact_at_the_edges() {
        assert_eq!(
            Json::parse("18446744073709551615"),
            Ok(Json::Number(Number::Unsigned(u64::MAX)))
        );
        assert_eq!(
            Json::parse("-9223372036854775808"),
            Ok(Json::Number(Number::Negative(i64::MIN)))
        );
        assert_eq!(
            Json::parse("18446744073709551616"),
            Ok(Json::Number(Number::Other("18446744073709551616".into())))
        );
        assert_eq!(from_str::<u8>("255"), Ok(255));
        assert_eq!(
            from_str::<u8>("256").map_err(|error| error.problem),
            Err(Problem::OutOfRange)
        );
        assert!(from_str::<u64>("1.0").is_err());
        assert!(from_str::<u64>("-0").is_err());
    }

    #[test]
    fn surrogate_pairs_decode_and_lone_halves_do_not() {
        assert_eq!(
            Json::parse(r#""\ud83d\ude00""#),
            Ok(Json::String("😀".into()))
        );
        for text in [
            r#""\ud83d""#,
            r#""\ude00""#,
            r#""\ud83dx""#,
            r#""\ud83d\u0041""#,
        ] {
            assert!(
                matches!(
                    Json::parse(text).map_err(|error| error.problem),
                    Err(Problem::Syntax {
                        syntax: Syntax::LoneSurrogate,
                        ..
                    })
                ),
                "{text}"
            );
        }
    }

    #[test]
    fn errors_name_the_path() {
        let error = from_str::<Vec<Participant>>(r#"[{"id":"x"}]"#).expect_err("not a participant");
        assert_eq!(error.path, "[0].id");
        let error = from_str::<Room>(r#"{"code":"7KQ2M9XD"}"#).expect_err("not a room");
        assert_eq!(error.problem, Problem::MissingField("title"));
    }
}
