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
//! Each type is described once. Its `FromJson` and `ToJson` impls are
//! derived (`#[derive(FromJson, ToJson)]`, from the `moot-shared-derive`
//! crate) from the same `#[serde(...)]` attributes that serde's derives
//! read on the server, so the two codecs cannot drift; an attribute the
//! derive does not understand fails to compile. `tests/json.rs` checks this
//! codec against serde_json on the protocol document's examples and on
//! random rooms, events and commands. The server also decodes what clients
//! send with it, so a refused value keeps its type ([`Problem::Text`],
//! [`Problem::Refused`]) and becomes a typed rejection.
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

use crate::ids::JoinCodeError;
use crate::room::Rejection;
use crate::text::TextProblem;

mod decode;
mod encode;

pub use decode::{Fields, FromJson, from_str, variant_of_name};
pub use encode::{ObjectWriter, ToJson, ToJsonFields, to_string, write_string};
pub use moot_shared_derive::{FromJson, ToJson, Variants};

/// An enum's variants by their wire names, from `#[derive(Variants)]`. The
/// protocol's coverage checks read these, so a new message cannot go
/// undocumented or untested.
pub trait Variants {
    /// The names a decoder accepts, in declaration order (variants only the
    /// server makes, marked `#[serde(skip)]`, are not among them).
    const NAMES: &'static [&'static str];

    /// Every variant's name in declaration order, the server-only ones
    /// included: `ALL_NAMES[value.variant_index()] == value.variant_name()`.
    /// The server's metrics keep one counter per entry, so counting a
    /// message is an index, not a lookup.
    const ALL_NAMES: &'static [&'static str];

    /// This value's variant name.
    fn variant_name(&self) -> &'static str;

    /// This value's variant's position in declaration order (an index into
    /// [`Variants::ALL_NAMES`]).
    fn variant_index(&self) -> usize;
}

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

/// Why a text could not be decoded, and where: a [`Failure`] behind a
/// pointer, read through `Deref` (`error.problem`, `error.path`).
///
/// Boxed because every field a decoder reads passes a `Result<_,
/// DecodeError>` up: as one pointer, each of those hundreds of places in
/// the browser's wasm copies four bytes on the way out instead of the
/// whole error. Only a failed decode allocates.
#[derive(Clone, PartialEq, Eq)]
pub struct DecodeError(Box<Failure>);

/// What a [`DecodeError`] holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
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
    /// Text a validated text type refuses; the field is the path's last name.
    #[error("{0}")]
    Text(TextProblem),
    /// A value whose type refuses it with a rejection of its own (a due date).
    #[error("{0}")]
    Refused(Box<Rejection>),
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

impl From<TextProblem> for Problem {
    fn from(problem: TextProblem) -> Problem {
        Problem::Text(problem)
    }
}

impl From<Rejection> for Problem {
    fn from(rejection: Rejection) -> Problem {
        Problem::Refused(Box::new(rejection))
    }
}

impl From<JoinCodeError> for Problem {
    fn from(error: JoinCodeError) -> Problem {
        Problem::Invalid {
            what: "join code",
            reason: error.to_string(),
        }
    }
}

impl DecodeError {
    /// An error about the value being decoded (its path is added on the way out).
    #[cold]
    #[inline(never)]
    pub fn new(problem: Problem) -> DecodeError {
        DecodeError(Box::new(Failure {
            problem,
            path: String::new(),
        }))
    }

    /// The problem and its path, to take apart.
    pub fn into_failure(self) -> Failure {
        *self.0
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
        let path = &mut self.0.path;
        if !path.is_empty() && !path.starts_with('[') {
            path.insert(0, '.');
        }
        path.insert_str(0, segment);
        self
    }
}

impl std::ops::Deref for DecodeError {
    type Target = Failure;

    fn deref(&self) -> &Failure {
        &self.0
    }
}

/// As the struct it was before it was boxed: `DecodeError { problem, path }`.
impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("problem", &self.problem)
            .field("path", &self.path)
            .finish()
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl fmt::Display for Failure {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::room::Room;
    use crate::room::membership::Participant;

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
            from_str::<u8>("256").map_err(|error| error.into_failure().problem),
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
                    Json::parse(text).map_err(|error| error.into_failure().problem),
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
