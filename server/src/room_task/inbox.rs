//! What a room's task is sent (its inbox's messages: connections, commands,
//! departures, questions, orders to stop) and what it sends down each
//! connection.

use std::time::Duration;

use axum::extract::ws::Utf8Bytes;
use moot_shared::{Command, Credential, DisplayName, Rejection, RequestId, Room, Seq};
use tokio::sync::{mpsc, oneshot};

use super::Query;

/// Messages waiting for a room's task before senders wait. Bounded so a
/// flood of commands slows the senders, not the server's memory.
pub const ROOM_INBOX: usize = 256;

/// Identifies one connection within its room.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ConnectionId(pub(super) u64);

/// What the room task sends down one connection.
#[derive(Debug)]
pub enum Outbound {
    /// A serialised server message.
    Frame(Utf8Bytes),
    /// Send `refused` with this reason and close with its close code.
    Close(Rejection),
    /// Close with close code 4008 and this reason: the client comes back
    /// and resumes (the server is stopping).
    Resume(&'static str),
}

/// How a connection wants to enter the room.
pub enum Admission {
    /// A new participant; the socket made their credential.
    Join {
        /// The name they typed.
        name: DisplayName,
        /// Their new credential.
        credential: Credential,
    },
    /// A participant coming back.
    Rejoin {
        /// The credential they presented.
        credential: Credential,
        /// A new name, for someone whose old one was taken while they were gone.
        name: Option<DisplayName>,
    },
    /// The shared screen, opened with the room's screen link.
    Screen {
        /// The key it presented.
        key: moot_shared::room::ScreenKey,
    },
}

/// A message to a room's task. Its larger parts are boxed: a room's inbox
/// sets aside 32 messages' room from the start (tokio's channel allocates
/// in blocks), for every meetup, busy or not.
pub enum ToRoom {
    /// A connection finished its `hello`. The task answers with the
    /// connection's id (after queueing `welcome`) or a refusal.
    Connect {
        /// Who is coming in.
        admission: Box<Admission>,
        /// The last sequence number the client has seen, for resuming.
        last_seq: Option<Seq>,
        /// Where the connection's frames go.
        outbound: mpsc::Sender<Outbound>,
        /// The answer.
        reply: oneshot::Sender<Result<ConnectionId, Rejection>>,
    },
    /// A validated command from a connection.
    Command {
        /// From which connection.
        conn: ConnectionId,
        /// The client's request id.
        request_id: RequestId,
        /// What to do, and when it arrived.
        command: Box<Arrived>,
    },
    /// A connection closed.
    Disconnect {
        /// Which one.
        conn: ConnectionId,
        /// How long the client had been silent when it was cut off (zero
        /// for a connection that closed or broke).
        silent_for: Duration,
    },
    /// A question asked over HTTP with a participant's credential. The
    /// answer is the whole room (for the minutes or the series to be made
    /// from), once the credential is checked for what the query needs.
    Query {
        /// Whose credential.
        credential: Box<Credential>,
        /// What is asked.
        query: Query,
        /// The room, or why not.
        reply: oneshot::Sender<Result<Box<Room>, Rejection>>,
    },
    /// The next meetup of this one's series was opened: tell the room, so
    /// its phones and shared screen can follow.
    NextMeetup {
        /// The next meetup's join code.
        code: moot_shared::JoinCode,
        /// Its shared screen's key (reaches this meetup's screen only).
        screen_key: moot_shared::room::ScreenKey,
    },
    /// Close every connection and stop (the meetup was purged).
    Shutdown,
    /// The server is stopping: close every connection, telling clients to
    /// come back, and stop, storing nothing more (see [`crate::shutdown`]).
    Stop,
    /// Another node owns the meetup now (a shared store): close every
    /// connection, telling clients to come back, and stop.
    Release,
}

/// A participant's command as its connection read it. Boxed in
/// [`ToRoom::Command`] with the command, so the time costs the room's inbox
/// no room.
pub struct Arrived {
    /// What to do.
    pub command: Command,
    /// When the connection read it: the start of the server's part of the
    /// action's latency (`moot_command_seconds`).
    pub at: std::time::Instant,
}

impl Arrived {
    /// A command that arrived just now.
    pub fn now(command: Command) -> Box<Arrived> {
        Box::new(Arrived {
            command,
            at: std::time::Instant::now(),
        })
    }
}
