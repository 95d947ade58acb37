//! Every reason moot refuses a request, as protocol data. The same enum
//! answers a refused command (`rejected`) and a refused handshake
//! (`refused`), so a client handles one list of codes.

use serde::{Deserialize, Serialize};

use crate::text::TextProblem;

/// Why a request was refused. Serialised with a `code` tag; the `Display` text
/// is a human sentence clients may show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Rejection {
    // --- The message itself ---
    /// Not JSON, or JSON that is not a moot message.
    #[error("the message is not a valid moot message: {detail}")]
    MalformedMessage {
        /// What the parser said.
        detail: String,
    },
    /// A message or command type this server does not know.
    #[error("unknown message type {found:?}")]
    UnknownMessageType {
        /// The type that was sent.
        found: String,
    },
    /// Larger than the protocol allows.
    #[error("the message is larger than {max_bytes} bytes")]
    MessageTooLarge {
        /// The bound.
        max_bytes: usize,
    },
    /// A field's value is out of bounds.
    #[error("{field} {problem}")]
    InvalidField {
        /// The field, as named in the protocol.
        field: String,
        /// What is wrong with it.
        #[serde(flatten)]
        problem: TextProblem,
    },
    /// The request id is missing, empty, too long or not printable ASCII.
    #[error("the request id must be 1 to 64 printable ASCII characters")]
    InvalidRequestId,
    /// This connection sends commands too fast.
    #[error("too many commands; try again in {retry_after_ms} ms")]
    RateLimited {
        /// When the next command will be accepted.
        retry_after_ms: u64,
    },

    // --- The handshake ---
    /// The client speaks another protocol version.
    #[error("this server speaks protocol version {supported}")]
    UnsupportedProtocolVersion {
        /// The version this server speaks.
        supported: u32,
    },
    /// The first message was not `hello`, or a second `hello` came.
    #[error("the first message must be hello, and only the first")]
    HelloExpected,
    /// No `hello` arrived in time.
    #[error("no hello arrived in time")]
    HandshakeTimeout,
    /// No open meetup has this join code.
    #[error("no meetup has this join code")]
    UnknownJoinCode,
    /// Too many failed join attempts from this address.
    #[error("too many failed attempts; try again in {retry_after_ms} ms")]
    TooManyAttempts {
        /// When the next attempt will be considered.
        retry_after_ms: u64,
    },
    /// The credential does not belong to anyone in this meetup.
    #[error("this link or saved login is not valid for this meetup")]
    BadCredential,
    /// A web page from another site tried to open a WebSocket (answered
    /// with HTTP 403 before any WebSocket exists).
    #[error("pages from this origin may not connect to this server")]
    OriginNotAllowed,
    /// The server could not store the action, so it did not happen; sending
    /// it again (same request id) may succeed.
    #[error("the server could not save that; please try again")]
    StorageFailed,
    /// The server holds as many meetups as it is allowed to.
    #[error("this server is full; try again later")]
    ServerFull,

    // --- The room ---
    /// The meetup is locked against new participants.
    #[error("the meetup is locked")]
    Locked,
    /// Every seat is taken.
    #[error("all {seat_cap} seats are taken")]
    RoomFull {
        /// The seat cap.
        seat_cap: u16,
    },
    /// Someone in the meetup already uses this name.
    #[error("someone here is already called that")]
    NameTaken,
    /// The actor was removed from the meetup.
    #[error("you were removed from this meetup")]
    Removed,
    /// The actor left the meetup and has not rejoined.
    #[error("you are not in this meetup")]
    NotInMeetup,
    /// Only a facilitator or co-facilitator may do this.
    #[error("only a facilitator can do that")]
    FacilitatorsOnly,
    /// Only the facilitator (not a co-facilitator) may do this.
    #[error("only the facilitator can do that")]
    FacilitatorOnly,
    /// Only the server may issue this command.
    #[error("that command is not available to participants")]
    ServerOnly,
    /// The target is not (or no longer) in the meetup.
    #[error("that person is not in this meetup")]
    UnknownParticipant,
    /// The facilitator cannot be removed or leave; hand the role over first.
    #[error("hand the facilitator role over first")]
    HandOverFirst,
    /// A facilitator cannot target themselves with this command.
    #[error("you cannot do that to yourself")]
    NotOnYourself,
    /// The target already has that role.
    #[error("that person already has that role")]
    AlreadyInRole,
    /// The seat cap is below the people present or above the maximum.
    #[error("the seat cap must be between {min} and {max}")]
    SeatCapOutOfRange {
        /// Smallest allowed now (people present).
        min: u16,
        /// Largest allowed.
        max: u16,
    },
}

impl Rejection {
    /// The WebSocket close code sent after a refused handshake. Codes in the
    /// 4000 range are moot's own (see `docs/PROTOCOL.md`).
    pub fn close_code(&self) -> u16 {
        match self {
            Rejection::UnsupportedProtocolVersion { .. } => 4001,
            Rejection::MalformedMessage { .. }
            | Rejection::UnknownMessageType { .. }
            | Rejection::MessageTooLarge { .. }
            | Rejection::InvalidField { .. }
            | Rejection::InvalidRequestId
            | Rejection::HelloExpected => 4002,
            Rejection::HandshakeTimeout => 4003,
            Rejection::UnknownJoinCode => 4004,
            Rejection::BadCredential | Rejection::OriginNotAllowed => 4005,
            Rejection::TooManyAttempts { .. } | Rejection::RateLimited { .. } => 4006,
            // Like a cut-off connection: reconnect and try again.
            Rejection::StorageFailed => 4008,
            Rejection::ServerFull => 4007,
            Rejection::Removed => 4010,
            Rejection::Locked
            | Rejection::RoomFull { .. }
            | Rejection::NameTaken
            | Rejection::NotInMeetup
            | Rejection::FacilitatorsOnly
            | Rejection::FacilitatorOnly
            | Rejection::ServerOnly
            | Rejection::UnknownParticipant
            | Rejection::HandOverFirst
            | Rejection::NotOnYourself
            | Rejection::AlreadyInRole
            | Rejection::SeatCapOutOfRange { .. } => 4009,
        }
    }
}
