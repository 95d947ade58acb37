//! Events: what happened in a room, past tense. The server stores them in
//! order, each with the room's next sequence number, and sends them to every
//! member; folding them in order rebuilds the room.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::membership::{CredentialDigest, Presence};
use crate::ids::{JoinCode, ParticipantId};
use crate::text::{DisplayName, MeetupTitle};

/// Something that happened in a room.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// The meetup was opened; always the first event of a room.
    MeetupOpened {
        /// The join code.
        code: JoinCode,
        /// The title.
        title: MeetupTitle,
        /// The facilitator, who is the first participant.
        facilitator: ParticipantId,
        /// The facilitator's display name.
        facilitator_name: DisplayName,
        /// Seats available.
        seat_cap: u16,
        /// Digest of the facilitator's credential; never sent to browsers.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        credential: Option<CredentialDigest>,
    },
    /// Someone joined.
    ParticipantJoined {
        /// Their id.
        participant: ParticipantId,
        /// Their display name.
        name: DisplayName,
        /// Digest of their credential; never sent to browsers.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        credential: Option<CredentialDigest>,
    },
    /// Someone who had left came back.
    ParticipantRejoined {
        /// Who.
        participant: ParticipantId,
    },
    /// Someone left of their own accord.
    ParticipantLeft {
        /// Who.
        participant: ParticipantId,
    },
    /// Someone's presence changed.
    PresenceChanged {
        /// Whose.
        participant: ParticipantId,
        /// Now.
        presence: Presence,
    },
    /// Someone changed their display name.
    ParticipantRenamed {
        /// Who.
        participant: ParticipantId,
        /// The new name.
        name: DisplayName,
    },
    /// The meetup was locked or unlocked.
    LockChanged {
        /// Whether it is locked now.
        locked: bool,
    },
    /// The seat cap changed.
    SeatCapChanged {
        /// The new cap.
        seat_cap: u16,
    },
    /// A facilitator removed someone.
    ParticipantRemoved {
        /// Who was removed.
        participant: ParticipantId,
    },
    /// The facilitator role passed from one person to another.
    FacilitatorHandedOver {
        /// The previous facilitator, now a participant.
        from: ParticipantId,
        /// The new facilitator.
        to: ParticipantId,
    },
    /// Someone became a co-facilitator.
    CoFacilitatorAdded {
        /// Who.
        participant: ParticipantId,
    },
    /// A co-facilitator became a plain participant.
    CoFacilitatorRemoved {
        /// Who.
        participant: ParticipantId,
    },
}

impl Event {
    /// The event as browsers may see it: credential digests are stripped.
    /// Borrowed when nothing needs stripping, so most events are not copied.
    pub fn for_clients(&self) -> Cow<'_, Event> {
        match self {
            Event::MeetupOpened {
                credential: Some(_),
                ..
            }
            | Event::ParticipantJoined {
                credential: Some(_),
                ..
            } => {
                let mut public = self.clone();
                if let Event::MeetupOpened { credential, .. }
                | Event::ParticipantJoined { credential, .. } = &mut public
                {
                    *credential = None;
                }
                Cow::Owned(public)
            }
            _ => Cow::Borrowed(self),
        }
    }
}
