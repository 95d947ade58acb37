//! Commands: what an actor asks the room to do. Imperative names; the
//! reducer answers each with events or a rejection.

use serde::{Deserialize, Serialize};

use super::membership::{CredentialDigest, Presence};
use crate::ids::ParticipantId;
use crate::text::DisplayName;

/// Who is acting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "participant", rename_all = "snake_case")]
pub enum Actor {
    /// The server itself: admissions, timers, connection presence.
    System,
    /// A participant, authenticated by their connection.
    Participant(ParticipantId),
}

/// What an actor asks the room to do. Commands that only the server may issue
/// (admissions, presence of a dropped connection) say so; the reducer rejects
/// them from a participant.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Command {
    /// The server's clock reached [`crate::Room::next_deadline`]: whatever
    /// ran out (a timer, a poll's time limit) takes effect (server only).
    Tick,
    /// Admit a new participant (server only: it made the id and the credential).
    Join {
        /// The id the server made for them.
        participant: ParticipantId,
        /// The name they typed.
        name: DisplayName,
        /// Digest of the secret in their credential.
        credential: CredentialDigest,
    },
    /// Bring back a participant who presented their credential (server only).
    /// Someone who left is re-admitted if a seat is free; someone removed is refused.
    Rejoin {
        /// Who is coming back.
        participant: ParticipantId,
        /// Digest of the secret they presented.
        credential: CredentialDigest,
    },
    /// Leave the meetup (the facilitator hands over first).
    Leave,
    /// Say whether you are looking at the meetup (here) or not (away); the
    /// server also marks people gone after they disconnect.
    SetPresence {
        /// The presence to set. For the server: whose.
        presence: Presence,
        /// Whose presence, when the server sets it; participants set their own.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        participant: Option<ParticipantId>,
    },
    /// Change your own display name.
    Rename {
        /// The new name.
        name: DisplayName,
    },
    /// Lock or unlock the meetup against new participants (facilitators).
    SetLocked {
        /// `true` to lock.
        locked: bool,
    },
    /// Change the seat cap (facilitators).
    SetSeatCap {
        /// New cap, at least the number of people present.
        seat_cap: u16,
    },
    /// Remove a participant from the meetup (facilitators).
    Remove {
        /// Who to remove.
        participant: ParticipantId,
    },
    /// Hand the facilitator role to another participant (the facilitator).
    HandOver {
        /// The new facilitator.
        to: ParticipantId,
    },
    /// Make a participant a co-facilitator (the facilitator).
    AddCoFacilitator {
        /// Who.
        participant: ParticipantId,
    },
    /// Make a co-facilitator a plain participant again (the facilitator).
    RemoveCoFacilitator {
        /// Who.
        participant: ParticipantId,
    },
}
