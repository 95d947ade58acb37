//! Validated user text. Raw strings from the wire become these types once, at
//! the edge; inside the room nothing checks them again.

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
    /// invisible formatting character that could disguise a name.
    #[error("must not contain control or invisible characters")]
    ControlCharacter,
}

/// Trims, collapses runs of whitespace to one space, and checks the bounds
/// shared by every single-line text field.
fn clean_single_line(raw: &str, max_chars: usize) -> Result<String, TextProblem> {
    // Newlines and tabs are control characters too: these fields are one line.
    // Zero-width and bidirectional-override characters would let one name
    // pass for another in the participant list.
    let invisible = |c: char| matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}');
    if raw.chars().any(|c| c.is_control() || invisible(c)) {
        return Err(TextProblem::ControlCharacter);
    }
    let cleaned = raw.split_whitespace().collect::<Vec<_>>().join(" ");
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
            /// [`TextProblem`] when the text is empty, too long or has control characters.
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
    /// (compared without regard to case).
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

/// Reads an optional form field: blank is none (as on the wire).
///
/// # Errors
///
/// [`Rejection::InvalidField`] naming `field`.
pub fn optional_field<T>(field_name: &str, raw: &str) -> Result<Option<T>, Rejection>
where
    T: TryFrom<String, Error = TextProblem>,
{
    if raw.trim().is_empty() {
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
            Some(text) if !text.trim().is_empty() => T::try_from(text)
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
            Json::String(text) if text.trim().is_empty() => Ok(None),
            value => Option::<T>::from_json(value),
        }
    }

    /// moot's codec: the text, or `null`.
    pub fn write_json<T: ToJson>(value: &Option<T>, out: &mut String) {
        value.write_json(out);
    }
}

impl DisplayName {
    /// Whether two names would be confused in the room ("ada" and "Ada").
    pub fn same_as(&self, other: &DisplayName) -> bool {
        self.0.to_lowercase() == other.0.to_lowercase()
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
        assert!(!ada.same_as(&DisplayName::parse("Ida").unwrap()));
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
