//! The shared screen's link: a view-only key of its own, never anyone's
//! login. Whoever runs the meetup makes one (the server draws it when the
//! meetup opens and on every `new_screen_link`), may replace or stop it, and
//! a hand-over stops it. A screen sees the room as the public does and can
//! send nothing; when its key stops being the room's, the server closes it.
//!
//! The key lives in the room on the server only (like credential digests,
//! it is stripped from everything sent to browsers); a runner reads it over
//! HTTP (`GET /api/meetups/{code}/screen`). Unlike a credential it is kept
//! as drawn rather than as a digest, so the facilitator's page can show the
//! link again after a reload: what it opens is less than a stored room
//! holds anyway (no hidden vote, no credential).

use std::fmt;

use serde::{Deserialize, Serialize};

use super::{Acting, Command, Event, Rejection, Room};
use crate::json::{FromJson, ToJson};
use crate::time::Timestamp;

/// A screen link's key: 128 random bits as 32 lowercase hex digits (half a
/// credential's length, so neither can pass for the other).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, FromJson, ToJson)]
#[serde(try_from = "String", into = "String")]
pub struct ScreenKey(String);

impl ScreenKey {
    /// A key from 16 random bytes (drawn by the server).
    pub fn new(random: [u8; 16]) -> ScreenKey {
        ScreenKey(random.iter().map(|byte| format!("{byte:02x}")).collect())
    }

    /// Parses the 32-hex-digit form.
    ///
    /// # Errors
    ///
    /// `None` when it is not 32 lowercase hex digits.
    pub fn parse(raw: &str) -> Option<ScreenKey> {
        (raw.len() == 32
            && raw
                .bytes()
                .all(|byte| matches!(byte, b'0'..=b'9' | b'a'..=b'f')))
        .then(|| ScreenKey(raw.to_owned()))
    }

    /// The key as written in the screen link.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Compares in time that does not depend on where the keys differ, so
    /// the answer to a guess says nothing about how close it was.
    pub fn matches(&self, presented: &ScreenKey) -> bool {
        let (ours, theirs) = (self.0.as_bytes(), presented.0.as_bytes());
        ours.len() == theirs.len()
            && ours
                .iter()
                .zip(theirs)
                .fold(0u8, |differ, (a, b)| differ | (a ^ b))
                == 0
    }
}

impl TryFrom<String> for ScreenKey {
    type Error = crate::text::TextProblem;

    fn try_from(raw: String) -> Result<ScreenKey, Self::Error> {
        ScreenKey::parse(&raw).ok_or(crate::text::TextProblem::ControlCharacter)
    }
}

impl From<ScreenKey> for String {
    fn from(key: ScreenKey) -> String {
        key.0
    }
}

// Not derived: a key must never reach a log line.
impl fmt::Debug for ScreenKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ScreenKey(..)")
    }
}

/// The shared screen's link as the room keeps it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, FromJson, ToJson)]
pub struct ScreenLink {
    /// How many times the link was replaced or stopped: screens opened with
    /// an earlier one are closed, and a runner's page fetches the new one.
    #[serde(default)]
    pub changes: u32,
    /// Whether a link works now.
    #[serde(default)]
    pub active: bool,
    /// The key; on the server only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<ScreenKey>,
}

impl ScreenLink {
    /// Nothing to say: left out of snapshots.
    /// Exactly the default, which a reader fills in for the missing field.
    pub fn is_unused(&self) -> bool {
        *self == ScreenLink::default()
    }

    /// Whether `presented` opens the screen now.
    pub fn admits(&self, presented: &ScreenKey) -> bool {
        self.key.as_ref().is_some_and(|key| key.matches(presented))
    }
}

/// Decides what running the meetup does to the screen link.
pub(in crate::room) fn decide_running(
    _room: &Room,
    _acting: Acting<'_>,
    command: Command,
    _now: Timestamp,
) -> Result<Vec<Event>, Rejection> {
    match command {
        // The server draws the key before the command reaches the reducer
        // (a browser asking whether it may gets the same answer without one).
        Command::NewScreenLink { key } => Ok(vec![Event::ScreenLinkChanged {
            active: key.is_some(),
            key,
        }]),
        Command::StopScreenLink => Ok(vec![Event::ScreenLinkChanged {
            active: false,
            key: None,
        }]),
        // Other commands are routed elsewhere by `Room::decide`.
        _ => Ok(Vec::new()),
    }
}

/// Folds an event into the screen link.
pub(in crate::room) fn fold(room: &mut Room, event: &Event) {
    match event {
        Event::ScreenLinkChanged { active, key } => {
            room.screen = ScreenLink {
                changes: room.screen.changes.saturating_add(1),
                active: *active,
                key: key.clone(),
            };
        }
        // The screen was opened from the old facilitator's page; the new one
        // makes their own link.
        Event::FacilitatorHandedOver { .. } => {
            room.screen = ScreenLink {
                changes: room.screen.changes.saturating_add(1),
                active: false,
                key: None,
            };
        }
        _ => {}
    }
}
