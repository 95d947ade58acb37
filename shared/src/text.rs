//! Validated user text. Raw strings from the wire become these types once, at
//! the edge; inside the room nothing checks them again.
//!
//! Every text field is one line shown to everyone in the meetup (a name, a
//! title, a note), so all of them follow one rule (`text/characters.rs`):
//! no control characters and nothing invisible, except inside emoji. A
//! hidden character in a topic title or a poll option deceives as well as
//! one in a name: two options that look the same, a note whose words a bidi
//! override shows in another order. Display names must also be unique,
//! compared by how they look ([`DisplayName::same_as`]).

mod characters;

pub use characters::as_now_allowed;
mod confusable;

use std::fmt;

use crate::json::{FromJson, ToJson};
use serde::{Deserialize, Serialize};

use crate::limits::{
    DISPLAY_NAME_MAX_CHARS, MEETUP_TITLE_MAX_CHARS, QUEUE_NOTE_MAX_CHARS, ROUND_PROMPT_MAX_CHARS,
};
use crate::room::Rejection;

/// Why a piece of text was not accepted.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, FromJson, ToJson, thiserror::Error,
)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum TextProblem {
    /// Nothing left after trimming whitespace.
    #[error("must not be empty")]
    Empty,
    /// Longer than the field allows.
    #[error("must be at most {max_chars} characters")]
    TooLong {
        /// The bound, in characters.
        max_chars: usize,
    },
    /// Contains a control character (newline, tab, escape, …) or an
    /// invisible one (zero-width, bidi control, soft hyphen, Hangul filler,
    /// …) that could disguise a name, outside an emoji sequence.
    #[error("must not contain control or invisible characters")]
    ControlCharacter,
    /// Not a web address: a link must start with `https://` (or `http://`)
    /// and hold no spaces.
    #[error("must be a web address starting with https://")]
    NotALink,
}

/// Checks the characters, trims, collapses runs of whitespace (and of
/// characters that look like it) to one space, and checks the bounds shared
/// by every single-line text field.
fn clean_single_line(raw: &str, max_chars: usize) -> Result<String, TextProblem> {
    characters::check(raw)?;
    // Text of nothing but blanks (a braille blank, say) ends up empty here.
    let cleaned = raw
        .split(characters::looks_blank)
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    if cleaned.is_empty() {
        return Err(TextProblem::Empty);
    }
    if cleaned.chars().count() > max_chars {
        return Err(TextProblem::TooLong { max_chars });
    }
    Ok(cleaned)
}

/// Declares a validated single-line text newtype.
macro_rules! single_line_text {
    ($(#[$doc:meta])* $name:ident, $max:expr) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, FromJson, ToJson)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// The most characters this text may have.
            pub const MAX_CHARS: usize = $max;

            /// Validates raw input: trims, collapses whitespace, checks bounds.
            ///
            /// # Errors
            ///
            /// [`TextProblem`] when the text is empty, too long or has control or
            /// invisible characters.
            pub fn parse(raw: &str) -> Result<Self, TextProblem> {
                clean_single_line(raw, $max).map($name)
            }

            /// The text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl TryFrom<String> for $name {
            type Error = TextProblem;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                $name::parse(&value)
            }
        }

        impl From<$name> for String {
            fn from(text: $name) -> String {
                text.0
            }
        }
    };
}

single_line_text!(
    /// A participant's name as others see it, unique within a meetup
    /// (compared by how it looks, see [`DisplayName::same_as`]).
    DisplayName,
    DISPLAY_NAME_MAX_CHARS
);

single_line_text!(
    /// A meetup's title.
    MeetupTitle,
    MEETUP_TITLE_MAX_CHARS
);

single_line_text!(
    /// The question of a consensus poll.
    PollQuestion,
    crate::limits::POLL_QUESTION_MAX_CHARS
);

single_line_text!(
    /// The label of one option of a custom poll.
    PollOptionText,
    crate::limits::POLL_OPTION_MAX_CHARS
);

single_line_text!(
    /// The reason a participant gives with a vote.
    PollReason,
    crate::limits::POLL_REASON_MAX_CHARS
);

single_line_text!(
    /// A short note on a speaking-queue entry ("re: the budget").
    QueueNote,
    QUEUE_NOTE_MAX_CHARS
);

single_line_text!(
    /// The title of a phase of the agenda ("Vote").
    PhaseTitle,
    crate::limits::PHASE_TITLE_MAX_CHARS
);

single_line_text!(
    /// What a phase asks of the group ("Your topics, a sentence each").
    PhasePrompt,
    crate::limits::PHASE_PROMPT_MAX_CHARS
);

single_line_text!(
    /// The question everyone answers in a round.
    RoundPrompt,
    ROUND_PROMPT_MAX_CHARS
);

single_line_text!(
    /// The title of a topic on the board.
    TopicTitle,
    crate::limits::TOPIC_TITLE_MAX_CHARS
);

single_line_text!(
    /// Optional details of a topic. One line: phones type it in one field,
    /// and the board shows it under the title.
    TopicDetails,
    crate::limits::TOPIC_DETAILS_MAX_CHARS
);

single_line_text!(
    /// A note or takeaway on a topic.
    NoteText,
    crate::limits::NOTE_TEXT_MAX_CHARS
);

single_line_text!(
    /// What an action item asks someone to do.
    ActionText,
    crate::limits::ACTION_TEXT_MAX_CHARS
);

single_line_text!(
    /// A goal someone sets for themselves ("Give a talk at the guild").
    GoalText,
    crate::limits::GOAL_TEXT_MAX_CHARS
);

single_line_text!(
    /// What happened with a goal since the last check-in.
    GoalNote,
    crate::limits::GOAL_NOTE_MAX_CHARS
);

single_line_text!(
    /// A note a breakout group keeps for itself.
    GroupNoteText,
    crate::limits::GROUP_NOTE_MAX_CHARS
);

/// A video call link for a breakout's groups, `{n}` standing for each
/// group's number (`https://meet.example/team-{n}`): a single-line web
/// address.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, FromJson, ToJson)]
#[serde(try_from = "String", into = "String")]
pub struct CallLink(String);

impl CallLink {
    /// Validates raw input.
    ///
    /// # Errors
    ///
    /// [`TextProblem::NotALink`] for anything but an `http(s)://` address
    /// without spaces; the single-line problems otherwise.
    pub fn parse(raw: &str) -> Result<Self, TextProblem> {
        let cleaned = clean_single_line(raw, crate::limits::CALL_LINK_MAX_CHARS)?;
        let lower = cleaned.to_ascii_lowercase();
        let scheme = ["https://", "http://"]
            .iter()
            .find(|scheme| lower.starts_with(**scheme))
            .ok_or(TextProblem::NotALink)?;
        if cleaned.contains(' ') || cleaned.len() <= scheme.len() {
            return Err(TextProblem::NotALink);
        }
        Ok(CallLink(cleaned))
    }

    /// The link.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for CallLink {
    type Error = TextProblem;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        CallLink::parse(&value)
    }
}

impl From<CallLink> for String {
    fn from(value: CallLink) -> String {
        value.0
    }
}

/// Reads a form field into its validated text type, as the server reads the
/// same field off the wire: a refusal names the field.
///
/// # Errors
///
/// [`Rejection::InvalidField`] naming `field`.
pub fn field<T>(field: &str, raw: &str) -> Result<T, Rejection>
where
    T: TryFrom<String, Error = TextProblem>,
{
    T::try_from(raw.to_owned()).map_err(|problem| Rejection::InvalidField {
        field: field.to_owned(),
        problem,
    })
}

/// Whether text is blank: nothing but whitespace and characters that look
/// like it. An optional field that is blank is none.
fn is_blank(text: &str) -> bool {
    text.chars().all(characters::looks_blank)
}

/// Reads an optional form field: blank is none (as on the wire).
///
/// # Errors
///
/// [`Rejection::InvalidField`] naming `field`.
pub fn optional_field<T>(field_name: &str, raw: &str) -> Result<Option<T>, Rejection>
where
    T: TryFrom<String, Error = TextProblem>,
{
    if is_blank(raw) {
        return Ok(None);
    }
    field(field_name, raw).map(Some)
}

/// The codec of an optional text field where a blank string means "none":
/// what a phone sends from an empty form field. Used as `#[serde(default,
/// with = "crate::text::blank_is_none", skip_serializing_if =
/// "Option::is_none")]`; serde and moot's JSON codec both read the module.
pub mod blank_is_none {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use crate::json::{DecodeError, FromJson, Json, ToJson};

    /// serde: a missing, `null` or blank string is `None`.
    ///
    /// # Errors
    ///
    /// When the text is not blank and its type refuses it.
    pub fn deserialize<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
    where
        D: Deserializer<'de>,
        T: TryFrom<String>,
        T::Error: std::fmt::Display,
    {
        match Option::<String>::deserialize(deserializer)? {
            Some(text) if !super::is_blank(&text) => T::try_from(text)
                .map(Some)
                .map_err(serde::de::Error::custom),
            _ => Ok(None),
        }
    }

    /// serde: the text, or nothing (with `skip_serializing_if`).
    ///
    /// # Errors
    ///
    /// The serializer's own.
    pub fn serialize<S, T>(value: &Option<T>, serializer: S) -> Result<S::Ok, S::Error>
    where
        S: Serializer,
        T: Serialize,
    {
        value.serialize(serializer)
    }

    /// moot's codec: a `null` or blank string is `None`.
    ///
    /// # Errors
    ///
    /// When the text is not blank and its type refuses it.
    pub fn from_json<T: FromJson>(value: &Json) -> Result<Option<T>, DecodeError> {
        match value {
            Json::String(text) if super::is_blank(text) => Ok(None),
            value => Option::<T>::from_json(value),
        }
    }

    /// moot's codec: the text, or `null`.
    pub fn write_json<T: ToJson>(value: &Option<T>, out: &mut String) {
        value.write_json(out);
    }
}

impl DisplayName {
    /// Whether two names would be confused in the room: "ada" and "Ada", and
    /// with the `confusables` feature also names that look alike in other
    /// ways ("Fay" and "Fаy" with a Cyrillic "а"; see `text/confusable.rs`).
    pub fn same_as(&self, other: &DisplayName) -> bool {
        confusable::same_name(&self.0, &other.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_collapsed() {
        assert_eq!(
            DisplayName::parse("  Ada   Lovelace ").unwrap().as_str(),
            "Ada Lovelace"
        );
    }

    #[test]
    fn names_out_of_bounds_are_rejected_with_a_reason() {
        assert_eq!(DisplayName::parse("   "), Err(TextProblem::Empty));
        assert_eq!(
            DisplayName::parse(&"a".repeat(41)),
            Err(TextProblem::TooLong { max_chars: 40 })
        );
        assert!(DisplayName::parse(&"é".repeat(40)).is_ok());
        assert_eq!(
            DisplayName::parse("a\u{7}b"),
            Err(TextProblem::ControlCharacter)
        );
        assert_eq!(
            DisplayName::parse("a\nb"),
            Err(TextProblem::ControlCharacter)
        );
    }

    #[test]
    fn name_comparison_ignores_case() {
        let ada = DisplayName::parse("Ada").unwrap();
        assert!(ada.same_as(&DisplayName::parse("ADA").unwrap()));
        assert!(ada.same_as(&DisplayName::parse("ada").unwrap()));
        assert!(!ada.same_as(&DisplayName::parse("Ida").unwrap()));
        let bo = DisplayName::parse("Bo").unwrap();
        assert!(!bo.same_as(&DisplayName::parse("Bob").unwrap()));
    }

    // Issue "Hardening from an outside attack run", item 8.
    #[cfg(feature = "confusables")]
    #[test]
    fn names_that_look_alike_are_the_same_name() {
        let fay = DisplayName::parse("Fay").unwrap();
        let cyrillic = DisplayName::parse("F\u{0430}y").unwrap();
        assert!(fay.same_as(&cyrillic));
        assert!(cyrillic.same_as(&fay));
        assert!(fay.same_as(&DisplayName::parse("\u{2131}ay").unwrap())); // script F
        assert!(fay.same_as(&DisplayName::parse("Fa\u{0443}").unwrap())); // Cyrillic у
        assert!(!fay.same_as(&DisplayName::parse("Fey").unwrap()));
    }

    // Issue "Hardening from an outside attack run", item 8.
    #[test]
    fn emoji_are_allowed_in_names() {
        for name in [
            "Ada 👩\u{200D}💻",
            "👍\u{1F3FD}",
            "Bo 🏳\u{FE0F}\u{200D}🌈",
            "🇳🇴 Ola",
            "🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F} Fan",
        ] {
            assert_eq!(DisplayName::parse(name).unwrap().as_str(), name);
        }
    }

    // Issue "Hardening from an outside attack run", item 8.
    #[test]
    fn invisible_and_disguising_names_are_rejected() {
        for name in [
            "\u{00AD}",         // soft hyphen alone
            "\u{3164}",         // Hangul filler
            "\u{115F}\u{1160}", // Hangul choseong and jungseong fillers
            "\u{FFA0}",         // halfwidth Hangul filler
            "a\u{200B}b",       // zero-width space
            "Fa\u{00AD}y",      // soft hyphen inside
            "\u{202E}yaF",      // right-to-left override
            "Fay\u{2066}",      // left-to-right isolate
            "\u{200F}Fay",      // right-to-left mark
            "Fay\u{061C}",      // Arabic letter mark
            "a\u{200D}b",       // a joiner between letters
            "Fay\u{E0041}",     // a tag outside a flag
        ] {
            assert_eq!(
                DisplayName::parse(name),
                Err(TextProblem::ControlCharacter),
                "{name:?}"
            );
        }
    }

    // Issue "Hardening from an outside attack run", item 8.
    #[test]
    fn blank_looking_characters_are_whitespace() {
        assert_eq!(DisplayName::parse("\u{2800}"), Err(TextProblem::Empty));
        assert_eq!(
            DisplayName::parse("\u{2800} \u{3000}\u{1D159}"),
            Err(TextProblem::Empty)
        );
        assert_eq!(DisplayName::parse("Fay\u{2800}").unwrap().as_str(), "Fay");
        assert_eq!(
            DisplayName::parse("Ada\u{2800}\u{2800}Lovelace")
                .unwrap()
                .as_str(),
            "Ada Lovelace"
        );
        // Braille with dots is text.
        assert_eq!(DisplayName::parse("\u{281B}").unwrap().as_str(), "\u{281B}");
    }

    #[test]
    fn every_single_line_field_follows_the_same_rule() {
        assert_eq!(
            MeetupTitle::parse("Retro \u{202E}olleh"),
            Err(TextProblem::ControlCharacter)
        );
        assert_eq!(
            field::<NoteText>("text", "\u{2800}"),
            Err(Rejection::InvalidField {
                field: "text".to_owned(),
                problem: TextProblem::Empty
            })
        );
        assert_eq!(
            optional_field::<TopicDetails>("details", " \u{2800} "),
            Ok(None)
        );
        assert!(TopicTitle::parse("Ship it 🚢\u{200D}").is_err());
        assert!(PollOptionText::parse("🧑\u{200D}🤝\u{200D}🧑 pairing").is_ok());
    }

    #[test]
    fn deserialising_validates() {
        assert!(serde_json::from_str::<MeetupTitle>("\"\"").is_err());
        assert_eq!(
            serde_json::from_str::<MeetupTitle>("\" Retro \"")
                .unwrap()
                .as_str(),
            "Retro"
        );
    }
}
