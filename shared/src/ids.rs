//! Identifiers. Each is a newtype so a participant id can never be passed
//! where a join code is expected, and each parses its wire form once.

use std::fmt;

use crate::json::{FromJson, ToJson};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::limits::REQUEST_ID_MAX_BYTES;

/// Declares a number that names something on the wire (a sequence number,
/// a topic, a turn, …): a newtype written as the bare number.
macro_rules! number_newtype {
    ($(#[$doc:meta])* $name:ident($inner:ty)) => {
        $(#[$doc])*
        #[derive(
            Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash,
            serde::Serialize, serde::Deserialize,
            crate::json::FromJson, crate::json::ToJson,
        )]
        #[serde(transparent)]
        pub struct $name(pub $inner);
    };
}
pub(crate) use number_newtype;

/// A participant, stable across reconnects and reloads. Made by the server
/// from a random UUID; the reducer never invents one.
#[derive(
    Clone,
    Copy,
    Debug,
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
#[serde(transparent)]
pub struct ParticipantId(pub Uuid);

impl fmt::Display for ParticipantId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.simple().fmt(f)
    }
}

number_newtype! {
    /// The room's sequence number: every event gets the next one, starting at 1.
    Seq(u64)
}

impl Seq {
    /// The sequence number after this one.
    pub fn next(self) -> Seq {
        Seq(self.0 + 1)
    }
}

/// The short code people type to join a meetup: 8 characters of Crockford's
/// base-32 alphabet, 40 random bits.
///
/// The alphabet has no I, L, O or U, and parsing forgives the confusions people
/// make when reading a code off a projector: lower case, `O` for zero, `I` or
/// `L` for one, and spaces or dashes between groups.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, FromJson, ToJson,
)]
#[serde(try_from = "String", into = "String")]
pub struct JoinCode(String);

/// Why a typed join code is not one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum JoinCodeError {
    /// Not 8 characters once separators are removed.
    #[error("a join code has 8 characters")]
    WrongLength,
    /// A character outside the alphabet.
    #[error("a join code uses only digits and the letters A-Z without I, L, O and U")]
    BadCharacter,
}

impl JoinCode {
    /// Crockford's base-32 alphabet: 32 symbols, so 8 of them carry 40 bits.
    pub const ALPHABET: &'static [u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    /// Characters in a code.
    pub const LEN: usize = 8;

    /// The code for 40 random bits (the low 40 bits of `bits` are used).
    pub fn from_random_bits(bits: u64) -> JoinCode {
        let code = (0..Self::LEN)
            .map(|index| {
                let symbol = (bits >> (5 * (Self::LEN - 1 - index))) & 0x1f;
                char::from(Self::ALPHABET[symbol as usize])
            })
            .collect();
        JoinCode(code)
    }

    /// Parses what a person typed, forgiving case, separators and look-alikes.
    ///
    /// # Errors
    ///
    /// [`JoinCodeError`] when the input is not 8 alphabet symbols.
    pub fn parse(typed: &str) -> Result<JoinCode, JoinCodeError> {
        let mut code = String::with_capacity(Self::LEN);
        for typed_char in typed.chars() {
            let symbol = match typed_char.to_ascii_uppercase() {
                ' ' | '-' | '_' => continue,
                'O' => '0',
                'I' | 'L' => '1',
                other => other,
            };
            if !symbol.is_ascii() || !Self::ALPHABET.contains(&(symbol as u8)) {
                return Err(JoinCodeError::BadCharacter);
            }
            if code.len() == Self::LEN {
                return Err(JoinCodeError::WrongLength);
            }
            code.push(symbol);
        }
        if code.len() != Self::LEN {
            return Err(JoinCodeError::WrongLength);
        }
        Ok(JoinCode(code))
    }

    /// The canonical form, e.g. `7KQ2M9XD`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The form shown to people, in two groups: `7KQ2-M9XD`.
    pub fn display_grouped(&self) -> String {
        format!("{}-{}", &self.0[..4], &self.0[4..])
    }
}

impl fmt::Display for JoinCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for JoinCode {
    type Error = JoinCodeError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        JoinCode::parse(&value)
    }
}

impl From<JoinCode> for String {
    fn from(code: JoinCode) -> String {
        code.0
    }
}

/// A client-made id for one command, so a command resent after a lost
/// connection is applied once. Printable ASCII, at most 64 bytes.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RequestId(String);

impl RequestId {
    /// Validates a request id from the wire.
    ///
    /// # Errors
    ///
    /// `None` when it is empty, too long or not printable ASCII.
    pub fn parse(raw: &str) -> Option<RequestId> {
        let printable = raw.bytes().all(|byte| byte.is_ascii_graphic());
        (!raw.is_empty() && raw.len() <= REQUEST_ID_MAX_BYTES && printable)
            .then(|| RequestId(raw.to_owned()))
    }

    /// The id as the client sent it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What a browser keeps to come back as the same person: the participant id
/// and a 128-bit secret, written as 64 lowercase hex digits. The server keeps
/// only a digest of the secret.
#[derive(Clone, PartialEq, Eq)]
pub struct Credential {
    /// Who this credential belongs to.
    pub participant: ParticipantId,
    /// The secret, 32 hex digits.
    secret: String,
}

impl Credential {
    /// Builds a credential from a participant id and 16 random bytes.
    pub fn new(participant: ParticipantId, secret: [u8; 16]) -> Credential {
        let secret = secret.iter().map(|byte| format!("{byte:02x}")).collect();
        Credential {
            participant,
            secret,
        }
    }

    /// Parses the 64-hex-digit token form.
    ///
    /// # Errors
    ///
    /// `None` when the token is not 64 lowercase hex digits.
    pub fn parse(token: &str) -> Option<Credential> {
        let well_formed = token.len() == 64
            && token
                .bytes()
                .all(|byte| matches!(byte, b'0'..=b'9' | b'a'..=b'f'));
        if !well_formed {
            return None;
        }
        let participant = Uuid::try_parse(&token[..32]).ok()?;
        Some(Credential {
            participant: ParticipantId(participant),
            secret: token[32..].to_owned(),
        })
    }

    /// The token form handed to the browser.
    pub fn token(&self) -> String {
        format!("{}{}", self.participant.0.simple(), self.secret)
    }

    /// The secret part, for hashing by the server.
    pub fn secret(&self) -> &str {
        &self.secret
    }
}

// Deliberately not `Debug`-derived: a credential must never reach a log line.
impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credential")
            .field("participant", &self.participant)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_code_round_trips_forty_bits() {
        let code = JoinCode::from_random_bits(0xff_ffff_ffff);
        assert_eq!(code.as_str(), "ZZZZZZZZ");
        assert_eq!(JoinCode::from_random_bits(0).as_str(), "00000000");
        assert_eq!(
            JoinCode::from_random_bits(0x01_2345_6789).as_str(),
            "04HMASW9"
        );
    }

    #[test]
    fn join_code_parse_forgives_people() {
        assert_eq!(JoinCode::parse("7kq2-m9xd").unwrap().as_str(), "7KQ2M9XD");
        assert_eq!(JoinCode::parse("O1IL 2345").unwrap().as_str(), "01112345");
        assert_eq!(JoinCode::parse("7KQ2M9X"), Err(JoinCodeError::WrongLength));
        assert_eq!(
            JoinCode::parse("7KQ2M9XDD"),
            Err(JoinCodeError::WrongLength)
        );
        assert_eq!(
            JoinCode::parse("7KQ2M9XU"),
            Err(JoinCodeError::BadCharacter)
        );
        assert_eq!(
            JoinCode::parse("7KQ2M9Xé"),
            Err(JoinCodeError::BadCharacter)
        );
        assert_eq!(
            JoinCode::parse("7KQ2-M9XD").unwrap().display_grouped(),
            "7KQ2-M9XD"
        );
    }

    #[test]
    fn request_ids_are_bounded_printable_ascii() {
        assert!(RequestId::parse("r-1").is_some());
        assert!(RequestId::parse("").is_none());
        assert!(RequestId::parse("has space").is_none());
        assert!(RequestId::parse(&"x".repeat(65)).is_none());
        assert!(RequestId::parse(&"x".repeat(64)).is_some());
    }

    #[test]
    fn credential_token_round_trips_and_hides_its_secret() {
        let credential = Credential::new(ParticipantId(Uuid::from_u128(7)), [0xab; 16]);
        let token = credential.token();
        assert_eq!(token.len(), 64);
        assert_eq!(Credential::parse(&token), Some(credential.clone()));
        assert!(!format!("{credential:?}").contains("abab"));
        assert!(Credential::parse(&token.to_uppercase()).is_none());
        assert!(Credential::parse(&token[..63]).is_none());
    }
}
