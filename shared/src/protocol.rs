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
use crate::json::{DecodeError, FromJson, Json, Problem, ToJson, Variants};
use crate::limits::MAX_MESSAGE_BYTES;
use crate::room::{Command, Event, Rejection, Room};
use crate::text::DisplayName;
use crate::time::Timestamp;

/// The protocol version this code speaks; `hello` must carry it.
pub const PROTOCOL_VERSION: u32 = 1;

/// The WebSocket close codes moot uses (4000–4999 are the application's).
/// [`Rejection::close_code`] picks one per refusal; `docs/PROTOCOL.md`
/// has the table, and the golden tests hold the two together.
pub mod close_code {
    /// The client speaks another protocol version: reload the app.
    pub const UNSUPPORTED_PROTOCOL: u16 = 4001;
    /// A message the server cannot take.
    pub const BAD_MESSAGE: u16 = 4002;
    /// No `hello` in time.
    pub const HANDSHAKE_TIMEOUT: u16 = 4003;
    /// No meetup has this join code (or it was deleted).
    pub const UNKNOWN_JOIN_CODE: u16 = 4004;
    /// The token is not valid for this meetup, or the origin is not allowed.
    pub const BAD_CREDENTIAL: u16 = 4005;
    /// Too many attempts or commands; wait and try again.
    pub const TOO_MANY: u16 = 4006;
    /// The server holds as many meetups as it may.
    pub const SERVER_FULL: u16 = 4007;
    /// The server cut the connection off (a stalled queue, a storage
    /// hiccup): reconnect and resume.
    pub const RESUME: u16 = 4008;
    /// The room refused (locked, full, name taken, …).
    pub const REFUSED: u16 = 4009;
    /// A facilitator removed this participant.
    pub const REMOVED: u16 = 4010;
}

/// A message from a client.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, FromJson, ToJson, Variants)]
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
        command: Command,
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
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, FromJson, ToJson, Variants)]
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
        /// A new display name, for someone who left and whose name another
        /// person took meanwhile (their plain rejoin was refused with
        /// `name_taken`). Ignored for someone still in the meetup.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
    },
    /// The shared screen: sees the room, takes no seat, sends no commands.
    /// Needs the meetup's screen key (never anyone's token).
    Screen {
        /// The screen key from the screen link (32 hex digits).
        token: String,
    },
}

/// Validates a display name typed in `hello`.
///
/// # Errors
///
/// [`Rejection::InvalidField`] for the field `name`.
pub fn parse_display_name(raw: &str) -> Result<DisplayName, Rejection> {
    DisplayName::parse(raw).map_err(|problem| Rejection::InvalidField {
        field: "name".to_owned(),
        problem,
    })
}

/// Validates a request id.
///
/// # Errors
///
/// [`Rejection::InvalidRequestId`].
pub fn parse_request_id(raw: &str) -> Result<RequestId, Rejection> {
    RequestId::parse(raw).ok_or(Rejection::InvalidRequestId)
}

/// A client message that could not be taken, and the request id to answer
/// it with when the message was a readable command.
#[derive(Clone, Debug, PartialEq)]
pub struct Refusal {
    /// The command's request id, when the frame was a command that had one.
    pub request_id: Option<String>,
    /// Why.
    pub reason: Rejection,
}

impl ClientMessage {
    /// Parses one text frame from a client with the derived codec: the
    /// command's text arrives validated, and whatever is wrong becomes a
    /// typed rejection.
    ///
    /// # Errors
    ///
    /// [`Rejection::MessageTooLarge`]; [`Rejection::UnknownMessageType`] for
    /// a message or command type this server does not know;
    /// [`Rejection::InvalidField`] for text out of bounds (naming the
    /// field); the value's own rejection for a refused value (a due date);
    /// [`Rejection::MalformedMessage`] for anything else. A command's
    /// request id is kept whenever it could be read, so the client can
    /// match the answer.
    pub fn parse(text: &str) -> Result<ClientMessage, Refusal> {
        if text.len() > MAX_MESSAGE_BYTES {
            return Err(Refusal {
                request_id: None,
                reason: Rejection::MessageTooLarge {
                    max_bytes: MAX_MESSAGE_BYTES,
                },
            });
        }
        let tree = Json::parse(text).map_err(|error| Refusal {
            request_id: None,
            reason: Rejection::MalformedMessage {
                detail: error.to_string(),
            },
        })?;
        ClientMessage::from_json(&tree).map_err(|error| Refusal {
            request_id: readable_request_id(&tree),
            reason: rejection_for(error),
        })
    }
}

/// The request id of a command frame whose command did not decode.
fn readable_request_id(tree: &Json) -> Option<String> {
    let fields = tree.fields().ok()?;
    if fields.tag("type").ok()? != "command" {
        return None;
    }
    fields.get("request_id")?.as_str().ok().map(str::to_owned)
}

/// The typed rejection for a client message that does not decode.
fn rejection_for(error: DecodeError) -> Rejection {
    let error = error.into_failure();
    // The field a problem belongs to is the last name on its path:
    // `command.title` is `title`, `command.options[2]` is `options`.
    let field = || {
        let last = error.path.rsplit('.').next().unwrap_or_default();
        last.split('[').next().unwrap_or_default().to_owned()
    };
    match error.problem {
        Problem::UnknownVariant(found) if error.path.is_empty() => {
            Rejection::UnknownMessageType { found }
        }
        Problem::UnknownVariant(found) if error.path == "command" => {
            Rejection::UnknownMessageType {
                found: format!("command.{found}"),
            }
        }
        Problem::Text(problem) if error.path.starts_with("command.") => Rejection::InvalidField {
            field: field(),
            problem,
        },
        Problem::Refused(rejection) => *rejection,
        _ => Rejection::MalformedMessage {
            detail: error.to_string(),
        },
    }
}

/// A message from the server.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, FromJson, ToJson, Variants)]
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
    use crate::text::TextProblem;

    fn reason(text: &str) -> Rejection {
        ClientMessage::parse(text).expect_err(text).reason
    }

    #[test]
    fn unknown_message_and_command_types_are_named() {
        assert_eq!(
            reason(r#"{"type":"dance"}"#),
            Rejection::UnknownMessageType {
                found: "dance".into()
            }
        );
        assert_eq!(
            ClientMessage::parse(
                r#"{"type":"command","request_id":"1","command":{"type":"dance"}}"#
            ),
            Err(Refusal {
                request_id: Some("1".into()),
                reason: Rejection::UnknownMessageType {
                    found: "command.dance".into()
                }
            })
        );
        // A server-only command is not a name a client may use.
        assert_eq!(
            reason(r#"{"type":"command","request_id":"1","command":{"type":"tick"}}"#),
            Rejection::UnknownMessageType {
                found: "command.tick".into()
            }
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
            r#"{"type":"command","request_id":"1","command":{"type":"raise_hand","kind":"shout"}}"#,
            "\u{0}",
        ] {
            assert!(
                matches!(reason(text), Rejection::MalformedMessage { .. }),
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
            reason(&text),
            Rejection::MessageTooLarge {
                max_bytes: MAX_MESSAGE_BYTES
            }
        );
    }

    #[test]
    fn commands_arrive_with_their_text_validated_and_a_refusal_names_the_field() {
        let long_name = "x".repeat(41);
        let text = format!(
            r#"{{"type":"command","request_id":"r-9","command":{{"type":"rename","name":"{long_name}"}}}}"#
        );
        assert_eq!(
            ClientMessage::parse(&text),
            Err(Refusal {
                request_id: Some("r-9".into()),
                reason: Rejection::InvalidField {
                    field: "name".into(),
                    problem: TextProblem::TooLong { max_chars: 40 }
                }
            })
        );
        let option = r#"{"type":"command","request_id":"r","command":{"type":"open_poll","question":"Q?","kind":"custom","options":["a","  "]}}"#;
        assert_eq!(
            reason(option),
            Rejection::InvalidField {
                field: "options".into(),
                problem: TextProblem::Empty
            }
        );
        let due = r#"{"type":"command","request_id":"r","command":{"type":"add_action_item","topic":1,"text":"x","owner":"0b0e4f6a-5c1d-4e8b-9f3a-2d7c6b1e8a90","due":"2026-02-30"}}"#;
        assert_eq!(reason(due), Rejection::InvalidDueDate);
    }

    #[test]
    fn blank_optional_text_is_none_and_defaults_apply() {
        let text =
            r#"{"type":"command","request_id":"r","command":{"type":"raise_hand","note":"  "}}"#;
        assert_eq!(
            ClientMessage::parse(text),
            Ok(ClientMessage::Command {
                request_id: "r".into(),
                command: Command::RaiseHand {
                    kind: crate::room::queue::EntryKind::NewPoint,
                    note: None
                }
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
