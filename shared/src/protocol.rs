//! The WebSocket protocol: JSON text frames, one connection per participant.
//! `docs/PROTOCOL.md` documents every message with an example, and the golden
//! tests check those examples against these types.
//!
//! A connection starts with the client's [`ClientMessage::Hello`]; the server
//! answers [`ServerMessage::Welcome`] or [`ServerMessage::Refused`] (then
//! closes with [`Rejection::close_code`]). After that, every client command
//! carries a client-made request id and is answered by `ack` (after its
//! events) or `rejected`; every event carries the room's sequence number.

use serde::{Deserialize, Serialize};

use crate::ids::{ParticipantId, RequestId, Seq};
use crate::limits::MAX_MESSAGE_BYTES;
use crate::room::{Command, Event, Presence, Rejection, Room};
use crate::text::{DisplayName, TextProblem};
use crate::time::Timestamp;

/// The protocol version this code speaks; `hello` must carry it.
pub const PROTOCOL_VERSION: u32 = 1;

/// A message from a client.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientMessage {
    /// The first message on every connection: which meetup, as whom, and
    /// (when resuming) the last sequence number this client has seen.
    Hello {
        /// Must be [`PROTOCOL_VERSION`].
        protocol: u32,
        /// The meetup's join code, as typed (forgiving case and separators).
        join_code: String,
        /// Join as a new participant, rejoin, or watch as the shared screen.
        auth: HelloAuth,
        /// The last event this client folded; the server replays what follows.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        last_seq: Option<Seq>,
    },
    /// A command for the room.
    Command {
        /// Client-made id, unique per participant; a resent id applies once.
        request_id: String,
        /// What to do.
        command: ClientCommand,
    },
    /// Answer to the server's `ping`.
    Pong,
    /// Asks for the server's clock, to measure the clock offset.
    TimeSync {
        /// The client's clock when it sent this (ms since the Unix epoch).
        client_time: u64,
    },
}

/// How a client identifies itself in `hello`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum HelloAuth {
    /// A new participant with this display name.
    Join {
        /// The name they typed.
        name: String,
    },
    /// A participant coming back with the token from their `welcome` (or the
    /// facilitator link).
    Rejoin {
        /// 64 hex digits.
        token: String,
    },
    /// The shared screen: sees the room, takes no seat, sends no commands.
    /// Needs a facilitator's or co-facilitator's token.
    Screen {
        /// A facilitator's token.
        token: String,
    },
}

/// Presence a participant may report about themselves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportedPresence {
    /// The meetup is on screen.
    Here,
    /// The tab is hidden or the phone locked.
    Away,
}

/// A command as it arrives on the wire: raw text, validated by
/// [`ClientCommand::into_command`] before the room sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientCommand {
    /// Leave the meetup.
    Leave,
    /// Report whether the meetup is on screen.
    SetPresence {
        /// Here or away.
        presence: ReportedPresence,
    },
    /// Change your display name.
    Rename {
        /// The new name.
        name: String,
    },
    /// Lock the meetup (facilitators).
    Lock,
    /// Unlock the meetup (facilitators).
    Unlock,
    /// Change the seat cap (facilitators).
    SetSeatCap {
        /// The new cap.
        seat_cap: u16,
    },
    /// Remove someone (facilitators).
    Remove {
        /// Who.
        participant: ParticipantId,
    },
    /// Hand the facilitator role over (the facilitator).
    HandOver {
        /// To whom.
        to: ParticipantId,
    },
    /// Appoint a co-facilitator (the facilitator).
    AddCoFacilitator {
        /// Who.
        participant: ParticipantId,
    },
    /// Revoke a co-facilitator (the facilitator).
    RemoveCoFacilitator {
        /// Who.
        participant: ParticipantId,
    },
}

/// Turns a text problem into a rejection naming the field.
fn invalid(field: &str) -> impl FnOnce(TextProblem) -> Rejection + '_ {
    move |problem| Rejection::InvalidField {
        field: field.to_owned(),
        problem,
    }
}

impl ClientCommand {
    /// Validates the raw command into the room's command.
    ///
    /// # Errors
    ///
    /// [`Rejection::InvalidField`] when text is out of bounds.
    pub fn into_command(self) -> Result<Command, Rejection> {
        Ok(match self {
            ClientCommand::Leave => Command::Leave,
            ClientCommand::SetPresence { presence } => Command::SetPresence {
                presence: match presence {
                    ReportedPresence::Here => Presence::Here,
                    ReportedPresence::Away => Presence::Away,
                },
                participant: None,
            },
            ClientCommand::Rename { name } => Command::Rename {
                name: DisplayName::parse(&name).map_err(invalid("name"))?,
            },
            ClientCommand::Lock => Command::SetLocked { locked: true },
            ClientCommand::Unlock => Command::SetLocked { locked: false },
            ClientCommand::SetSeatCap { seat_cap } => Command::SetSeatCap { seat_cap },
            ClientCommand::Remove { participant } => Command::Remove { participant },
            ClientCommand::HandOver { to } => Command::HandOver { to },
            ClientCommand::AddCoFacilitator { participant } => {
                Command::AddCoFacilitator { participant }
            }
            ClientCommand::RemoveCoFacilitator { participant } => {
                Command::RemoveCoFacilitator { participant }
            }
        })
    }
}

/// Validates a display name typed in `hello`.
///
/// # Errors
///
/// [`Rejection::InvalidField`] for the field `name`.
pub fn parse_display_name(raw: &str) -> Result<DisplayName, Rejection> {
    DisplayName::parse(raw).map_err(invalid("name"))
}

/// Validates a request id.
///
/// # Errors
///
/// [`Rejection::InvalidRequestId`].
pub fn parse_request_id(raw: &str) -> Result<RequestId, Rejection> {
    RequestId::parse(raw).ok_or(Rejection::InvalidRequestId)
}

/// Message types a client may send; used to tell an unknown type from a
/// known one with bad fields.
const CLIENT_MESSAGE_TYPES: &[&str] = &["hello", "command", "pong", "time_sync"];

/// Command types a client may send.
const CLIENT_COMMAND_TYPES: &[&str] = &[
    "leave",
    "set_presence",
    "rename",
    "lock",
    "unlock",
    "set_seat_cap",
    "remove",
    "hand_over",
    "add_co_facilitator",
    "remove_co_facilitator",
];

/// Just the type tags of a message, read when the full parse fails.
#[derive(Deserialize)]
struct TypeTags {
    #[serde(rename = "type")]
    message_type: Option<String>,
    command: Option<CommandTypeTag>,
}

#[derive(Deserialize)]
struct CommandTypeTag {
    #[serde(rename = "type")]
    command_type: Option<String>,
}

impl ClientMessage {
    /// Parses one text frame from a client.
    ///
    /// # Errors
    ///
    /// [`Rejection::MessageTooLarge`], [`Rejection::UnknownMessageType`] (for a
    /// message or command type this server does not know) or
    /// [`Rejection::MalformedMessage`].
    pub fn parse(text: &str) -> Result<ClientMessage, Rejection> {
        if text.len() > MAX_MESSAGE_BYTES {
            return Err(Rejection::MessageTooLarge {
                max_bytes: MAX_MESSAGE_BYTES,
            });
        }
        serde_json::from_str(text).map_err(|error| {
            // Only on the error path: look at the tags alone to say which kind of wrong it is.
            if let Ok(tags) = serde_json::from_str::<TypeTags>(text) {
                if let Some(found) = tags
                    .message_type
                    .filter(|found| !CLIENT_MESSAGE_TYPES.contains(&found.as_str()))
                {
                    return Rejection::UnknownMessageType { found };
                }
                if let Some(found) = tags
                    .command
                    .and_then(|command| command.command_type)
                    .filter(|found| !CLIENT_COMMAND_TYPES.contains(&found.as_str()))
                {
                    return Rejection::UnknownMessageType {
                        found: format!("command.{found}"),
                    };
                }
            }
            Rejection::MalformedMessage {
                detail: error.to_string(),
            }
        })
    }
}

/// A message from the server.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMessage {
    /// The handshake succeeded. With a `snapshot`, the client replaces its
    /// room with it (it is the room at `seq`); without one, the events after
    /// the client's `last_seq` up to `seq` follow as `event` messages.
    Welcome {
        /// The protocol version the server speaks.
        protocol: u32,
        /// Who this connection acts as (`null` for the shared screen).
        participant: Option<ParticipantId>,
        /// The credential to keep for rejoining; only in answer to `join`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        token: Option<String>,
        /// The server's clock now.
        server_time: Timestamp,
        /// The room's latest sequence number.
        seq: Seq,
        /// The whole room at `seq`, when the client cannot be caught up by replay.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        snapshot: Option<Box<Room>>,
    },
    /// Something happened in the room.
    Event {
        /// The room's sequence number of this event: 1, 2, 3, … without gaps.
        seq: Seq,
        /// When it happened (server clock).
        at: Timestamp,
        /// What happened.
        event: Event,
    },
    /// A command was applied; its events (up to `seq`) were sent before this.
    Ack {
        /// The command's request id.
        request_id: String,
        /// The room's sequence number after the command.
        seq: Seq,
    },
    /// A command (or message) was refused; nothing changed.
    Rejected {
        /// The command's request id, when it had a readable one.
        request_id: Option<String>,
        /// Why, as a typed code.
        reason: Rejection,
        /// Why, as a sentence for people.
        message: String,
    },
    /// The handshake was refused; the server closes the connection next.
    Refused {
        /// Why, as a typed code.
        reason: Rejection,
        /// Why, as a sentence for people.
        message: String,
    },
    /// Liveness check; the client answers `pong`. Carries the server clock.
    Ping {
        /// The server's clock now.
        server_time: Timestamp,
    },
    /// Answer to `time_sync`.
    TimeSync {
        /// The client's clock from the request, echoed.
        client_time: u64,
        /// The server's clock when it answered.
        server_time: Timestamp,
    },
}

impl ServerMessage {
    /// A `rejected` answer with the human sentence filled in.
    pub fn rejected(request_id: Option<String>, reason: Rejection) -> ServerMessage {
        ServerMessage::Rejected {
            request_id,
            message: reason.to_string(),
            reason,
        }
    }

    /// A `refused` answer with the human sentence filled in.
    pub fn refused(reason: Rejection) -> ServerMessage {
        ServerMessage::Refused {
            message: reason.to_string(),
            reason,
        }
    }
}

/// Estimates how far the server clock is ahead of the client clock, from one
/// `time_sync` round trip: the server read its clock about half-way through.
pub fn clock_offset_millis(client_sent: u64, server_time: Timestamp, client_received: u64) -> i64 {
    let midpoint = (i128::from(client_sent) + i128::from(client_received)) / 2;
    i64::try_from(i128::from(server_time.0) - midpoint).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_message_and_command_types_are_named() {
        assert_eq!(
            ClientMessage::parse(r#"{"type":"dance"}"#),
            Err(Rejection::UnknownMessageType {
                found: "dance".into()
            })
        );
        assert_eq!(
            ClientMessage::parse(
                r#"{"type":"command","request_id":"1","command":{"type":"dance"}}"#
            ),
            Err(Rejection::UnknownMessageType {
                found: "command.dance".into()
            })
        );
    }

    #[test]
    fn malformed_json_is_rejected_not_panicked_on() {
        for text in [
            "",
            "{",
            "null",
            "[]",
            r#"{"type":"hello"}"#,
            r#"{"type":"command","request_id":1}"#,
            "\u{0}",
        ] {
            assert!(
                matches!(
                    ClientMessage::parse(text),
                    Err(Rejection::MalformedMessage { .. })
                ),
                "{text:?}"
            );
        }
    }

    #[test]
    fn oversized_messages_are_rejected_before_parsing() {
        let text = format!(
            r#"{{"type":"pong","pad":"{}"}}"#,
            "x".repeat(MAX_MESSAGE_BYTES)
        );
        assert_eq!(
            ClientMessage::parse(&text),
            Err(Rejection::MessageTooLarge {
                max_bytes: MAX_MESSAGE_BYTES
            })
        );
    }

    #[test]
    fn commands_validate_their_text() {
        let rename = ClientCommand::Rename {
            name: "x".repeat(41),
        };
        assert_eq!(
            rename.into_command(),
            Err(Rejection::InvalidField {
                field: "name".into(),
                problem: TextProblem::TooLong { max_chars: 40 }
            })
        );
    }

    #[test]
    fn clock_offset_uses_the_round_trip_midpoint() {
        assert_eq!(clock_offset_millis(1_000, Timestamp(5_050), 1_100), 4_000);
        assert_eq!(
            clock_offset_millis(10_000, Timestamp(5_000), 10_000),
            -5_000
        );
    }
}
