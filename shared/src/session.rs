//! The client side of one room connection, without IO: what the browser, the
//! integration tests' client and the load generator each need to keep a room
//! in sync over a WebSocket that drops, written once.
//!
//! The caller owns the socket, the clock, randomness and the room's storage
//! (the browser keeps the room in a reactive signal). It tells the session
//! what happened — a text frame arrived ([`Session::receive`]), the socket
//! closed ([`Session::closed`]) — and does what comes back: send these
//! frames, resync, give up and say why. So the rules live here, tested
//! without a browser:
//!
//! - `hello` carries the last sequence number folded, but only while the
//!   client holds a room to replay into.
//! - Events fold in sequence order; a repeat (from a replay) is skipped, a
//!   gap means something was lost, so the client resyncs (reconnects and
//!   resumes after its last sequence number).
//! - A frame this client cannot read (a newer server, an older cached app)
//!   is not skipped: skipping it would turn the next event into a gap and
//!   the resync would replay the same frame forever. The session says
//!   [`Step::Incompatible`] and the person is asked to reload.
//! - Commands wait in an outbox, as their JSON text, until `ack` or
//!   `rejected`; each `welcome` resends them with their request ids, and the
//!   server applies each id once.
//! - Reconnects back off exponentially (0.5 s to 10 s) with jitter, so a
//!   restarted server is not hit by everyone at once and a failing resync
//!   cannot spin; the back-off starts over once a connection has stayed live.
//! - `time_sync` round trips estimate the server's clock; the sample with
//!   the shortest round trip wins.

use crate::ids::{JoinCode, ParticipantId, Seq};
use crate::json::{self, DecodeError};
use crate::protocol::{
    ClientMessage, HelloAuth, PROTOCOL_VERSION, ServerMessage, clock_offset_millis, close_code,
};
use crate::room::{Command, Event, Rejection, ReportedPresence, Room};
use crate::time::Timestamp;

/// `time_sync` round trips per connection.
pub const TIME_SYNC_SAMPLES: u32 = 4;
/// The first reconnect delay, before jitter.
pub const BACKOFF_START_MS: u32 = 500;
/// The longest reconnect delay.
pub const BACKOFF_MAX_MS: u32 = 10_000;
/// A connection live this long has proven itself: the back-off starts over.
pub const STABLE_AFTER_MS: u64 = 10_000;

/// Who a connection speaks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Auth {
    /// A new participant with this name.
    Join(String),
    /// A participant coming back with their token.
    Rejoin(String),
    /// Someone who left coming back under a new name, because another person
    /// took theirs meanwhile (token, name).
    RejoinAs(String, String),
    /// The shared screen, with its token.
    Screen(String),
}

/// A command waiting for its answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pending {
    /// The client-made request id it is sent with (and resent with).
    pub request_id: String,
    /// The command's JSON text, kept as text: what a browser stores and
    /// resends needs no decoder.
    pub command: String,
}

impl Pending {
    /// The `command` message carrying it.
    fn message(&self) -> String {
        let mut out = String::with_capacity(self.command.len() + 64);
        let mut object = json::ObjectWriter::new(&mut out);
        object.field("type", "command");
        object.field("request_id", &self.request_id);
        object.field_with("command", |out| out.push_str(&self.command));
        object.finish();
        out
    }
}

/// Kept in a browser's storage as `{"request_id": …, "command": {…}}`; the
/// command is read back as its raw JSON text.
impl json::FromJson for Pending {
    fn from_json(value: &json::Json) -> Result<Self, DecodeError> {
        let fields = value.fields()?;
        let command = match fields.get("command") {
            Some(command @ json::Json::Object(_)) => json::to_string(command),
            _ => {
                return Err(
                    DecodeError::new(json::Problem::Expected("a command")).in_field("command")
                );
            }
        };
        Ok(Pending {
            request_id: fields.field("request_id")?,
            command,
        })
    }
}

impl json::ToJson for Pending {
    fn write_json(&self, out: &mut String) {
        let mut object = json::ObjectWriter::new(out);
        object.field("request_id", &self.request_id);
        object.field_with("command", |out| out.push_str(&self.command));
        object.finish();
    }
}

/// Why a connection stopped for good; a page says which.
#[derive(Clone, Debug, PartialEq)]
pub enum Ended {
    /// A facilitator removed this participant.
    Removed,
    /// This participant left.
    Left,
    /// The token is not valid here (the caller drops it).
    BadCredential,
    /// No meetup has this code.
    UnknownCode,
    /// The server speaks a protocol this app cannot read: reload the page.
    Version,
    /// A join (or a comeback under a taken name, or into a full room) was
    /// refused: the person changes the name or asks.
    JoinRefused(Rejection, String),
}

/// What the caller does after a frame.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    /// Send this text frame.
    Send(String),
    /// The connection is live. `token` is new (from a join): keep it for
    /// rejoining. `came_back` is true when an earlier connection had been
    /// live (say "connection back").
    Welcomed {
        /// The rejoin token, when the server made one.
        token: Option<String>,
        /// Whether this is a reconnection.
        came_back: bool,
    },
    /// The room changed: this event was folded.
    Folded {
        /// Its sequence number.
        seq: Seq,
        /// The event.
        event: Event,
    },
    /// A command was answered, so it left the outbox; or a message without
    /// a readable request id was refused.
    Answered {
        /// The command's request id, when it had a readable one.
        request_id: Option<String>,
        /// The room's sequence number after it, or why it was refused (as a
        /// code and in words).
        outcome: Result<Seq, (Rejection, String)>,
    },
    /// Events were lost: close the socket and reconnect (after
    /// [`Session::next_backoff_ms`]), resuming after the last one folded.
    Resync,
    /// A frame this client cannot read: stop, and ask the person to reload.
    Incompatible,
    /// This participant's membership ended (left or removed).
    Ended(Ended),
}

/// What the caller does after the socket closed.
#[derive(Clone, Debug, PartialEq)]
pub enum AfterClose {
    /// Stop for good, and say why.
    End(Ended),
    /// Reconnect after [`Session::next_backoff_ms`].
    Retry {
        /// The refusal that came before the close, to show.
        refusal: Option<(Rejection, String)>,
        /// Whether a live connection was lost (say so).
        was_live: bool,
    },
}

/// The protocol state of one client's connection to one room.
#[derive(Clone, Debug)]
pub struct Session {
    join_code: JoinCode,
    auth: Auth,
    me: Option<ParticipantId>,
    last_seq: Option<Seq>,
    welcomed: bool,
    ever_welcomed: bool,
    outbox: Vec<Pending>,
    refusal: Option<(Rejection, String)>,
    syncs_sent: u32,
    best_sync: Option<(u64, i64)>,
    clock_offset: i64,
    attempt: u32,
    live_since: Option<u64>,
}

impl Session {
    /// A session for the room `join_code`, as `auth`, with the commands a
    /// previous page left unanswered (empty for a fresh one).
    pub fn new(join_code: JoinCode, auth: Auth, outbox: Vec<Pending>) -> Session {
        Session {
            join_code,
            auth,
            me: None,
            last_seq: None,
            welcomed: false,
            ever_welcomed: false,
            outbox,
            refusal: None,
            syncs_sent: 0,
            best_sync: None,
            clock_offset: 0,
            attempt: 0,
            live_since: None,
        }
    }

    /// The room's join code.
    pub fn join_code(&self) -> &JoinCode {
        &self.join_code
    }

    /// Who this connection speaks for.
    pub fn auth(&self) -> &Auth {
        &self.auth
    }

    /// Speaks for someone else from the next `hello` on (a rejoin under a
    /// new name, a restart).
    pub fn set_auth(&mut self, auth: Auth) {
        self.auth = auth;
    }

    /// Who this connection acts as, once welcomed (`None` for the screen).
    pub fn me(&self) -> Option<ParticipantId> {
        self.me
    }

    /// The last sequence number folded.
    pub fn last_seq(&self) -> Option<Seq> {
        self.last_seq
    }

    /// Whether the connection is welcomed and in sync.
    pub fn is_live(&self) -> bool {
        self.welcomed
    }

    /// Whether any connection of this session was ever welcomed (a lost one
    /// is "reconnecting", never one is still "connecting").
    pub fn ever_welcomed(&self) -> bool {
        self.ever_welcomed
    }

    /// Commands not answered yet, oldest first.
    pub fn outbox(&self) -> &[Pending] {
        &self.outbox
    }

    /// How far the server's clock is ahead of this client's, in milliseconds.
    pub fn clock_offset(&self) -> i64 {
        self.clock_offset
    }

    /// The server's clock at this client's `now_ms`.
    pub fn server_now(&self, now_ms: u64) -> Timestamp {
        Timestamp(now_ms.saturating_add_signed(self.clock_offset))
    }

    /// The `hello` to open a connection with. Only a client that still holds
    /// a room can be caught up by replay, so `last_seq` goes with one only.
    pub fn hello(&self, holds_room: bool) -> String {
        let auth = match &self.auth {
            Auth::Join(name) => HelloAuth::Join { name: name.clone() },
            Auth::Rejoin(token) => HelloAuth::Rejoin {
                token: token.clone(),
                name: None,
            },
            Auth::RejoinAs(token, name) => HelloAuth::Rejoin {
                token: token.clone(),
                name: Some(name.clone()),
            },
            Auth::Screen(token) => HelloAuth::Screen {
                token: token.clone(),
            },
        };
        json::to_string(&ClientMessage::Hello {
            protocol: PROTOCOL_VERSION,
            join_code: self.join_code.to_string(),
            auth,
            last_seq: if holds_room { self.last_seq } else { None },
        })
    }

    /// Queues a command under `request_id` (client-made, unique for this
    /// participant). Returns the frame to send now when the connection is
    /// live; otherwise the next `welcome` sends it.
    pub fn submit(&mut self, request_id: String, command: &Command) -> Option<String> {
        let pending = Pending {
            request_id,
            command: json::to_string(command),
        };
        let frame = self.welcomed.then(|| pending.message());
        self.outbox.push(pending);
        frame
    }

    /// A presence report, sent only while live and never kept: a stale
    /// "away" resent later would be wrong.
    pub fn presence(&self, request_id: String, presence: ReportedPresence) -> Option<String> {
        self.welcomed.then(|| {
            json::to_string(&ClientMessage::Command {
                request_id,
                command: Command::SetPresence { presence },
            })
        })
    }

    /// Reads one text frame and folds what it says into `room`.
    pub fn receive(&mut self, room: &mut Option<Room>, text: &str, now_ms: u64) -> Vec<Step> {
        match decode(text) {
            Ok(message) => self.handle(room, message, now_ms),
            Err(_) => self.incompatible(),
        }
    }

    /// Handles one decoded server message (for callers that look at it
    /// first, such as the browser wording an announcement from the room
    /// before the event).
    pub fn handle(
        &mut self,
        room: &mut Option<Room>,
        message: ServerMessage,
        now_ms: u64,
    ) -> Vec<Step> {
        match message {
            ServerMessage::Welcome {
                protocol,
                participant,
                token,
                seq,
                snapshot,
                ..
            } => {
                if protocol != PROTOCOL_VERSION {
                    return self.incompatible();
                }
                self.welcome(room, participant, token, seq, snapshot, now_ms)
            }
            ServerMessage::Event { seq, at, event } => self.event(room, seq, at, event),
            ServerMessage::Ack { request_id, seq } => self.answered(Some(request_id), Ok(seq)),
            ServerMessage::Rejected {
                request_id,
                reason,
                message,
            } => self.answered(request_id, Err((reason, message))),
            ServerMessage::Refused { reason, message } => {
                // The close that follows decides what to do; keep the words for it.
                self.refusal = Some((reason, message));
                Vec::new()
            }
            ServerMessage::Ping { .. } => vec![Step::Send(json::to_string(&ClientMessage::Pong))],
            ServerMessage::TimeSync {
                client_time,
                server_time,
            } => self.time_sync(client_time, server_time, now_ms),
        }
    }

    fn welcome(
        &mut self,
        room: &mut Option<Room>,
        participant: Option<ParticipantId>,
        token: Option<String>,
        seq: Seq,
        snapshot: Option<Box<Room>>,
        now_ms: u64,
    ) -> Vec<Step> {
        if let Some(token) = &token {
            self.auth = Auth::Rejoin(token.clone());
        } else if let Auth::RejoinAs(token, _) = &self.auth {
            // Back under the new name, which the room now has: later
            // reconnects are plain rejoins.
            self.auth = Auth::Rejoin(token.clone());
        }
        self.me = participant;
        if let Some(snapshot) = snapshot {
            *room = Some(*snapshot);
            self.last_seq = Some(seq);
        }
        let came_back = self.ever_welcomed;
        self.welcomed = true;
        self.ever_welcomed = true;
        self.live_since = Some(now_ms);
        self.refusal = None;
        let mut steps = Vec::with_capacity(self.outbox.len() + 2);
        steps.push(Step::Welcomed { token, came_back });
        steps.extend(
            self.outbox
                .iter()
                .map(|pending| Step::Send(pending.message())),
        );
        self.syncs_sent = 0;
        self.best_sync = None;
        steps.push(self.time_sync_request(now_ms));
        steps
    }

    fn event(
        &mut self,
        room: &mut Option<Room>,
        seq: Seq,
        at: Timestamp,
        event: Event,
    ) -> Vec<Step> {
        let last = self.last_seq.unwrap_or_default();
        if seq <= last {
            return Vec::new(); // A repeat from a replay; already folded.
        }
        if seq != last.next() {
            return self.lost();
        }
        match room {
            Some(room) => room.on_event(&event),
            None => match Room::opened(&event, at) {
                Some(opened) => *room = Some(opened),
                // Events without a room to fold into: start over with a snapshot.
                None => return self.lost(),
            },
        }
        self.last_seq = Some(seq);
        let ended = match (&event, self.me) {
            (Event::ParticipantRemoved { participant }, Some(me)) if *participant == me => {
                Some(Ended::Removed)
            }
            (Event::ParticipantLeft { participant }, Some(me)) if *participant == me => {
                Some(Ended::Left)
            }
            _ => None,
        };
        let mut steps = vec![Step::Folded { seq, event }];
        if let Some(ended) = ended {
            self.welcomed = false;
            steps.push(Step::Ended(ended));
        }
        steps
    }

    fn lost(&mut self) -> Vec<Step> {
        self.welcomed = false;
        vec![Step::Resync]
    }

    fn incompatible(&mut self) -> Vec<Step> {
        self.welcomed = false;
        vec![Step::Incompatible]
    }

    fn answered(
        &mut self,
        request_id: Option<String>,
        outcome: Result<Seq, (Rejection, String)>,
    ) -> Vec<Step> {
        if let Some(request_id) = &request_id {
            self.outbox
                .retain(|pending| pending.request_id != *request_id);
        }
        vec![Step::Answered {
            request_id,
            outcome,
        }]
    }

    fn time_sync_request(&mut self, now_ms: u64) -> Step {
        self.syncs_sent += 1;
        Step::Send(json::to_string(&ClientMessage::TimeSync {
            client_time: now_ms,
        }))
    }

    fn time_sync(&mut self, client_time: u64, server_time: Timestamp, now_ms: u64) -> Vec<Step> {
        let round_trip = now_ms.saturating_sub(client_time);
        if self
            .best_sync
            .is_none_or(|(best_round_trip, _)| round_trip < best_round_trip)
        {
            let offset = clock_offset_millis(client_time, server_time, now_ms);
            self.best_sync = Some((round_trip, offset));
            self.clock_offset = offset;
        }
        if self.syncs_sent < TIME_SYNC_SAMPLES {
            vec![self.time_sync_request(now_ms)]
        } else {
            Vec::new()
        }
    }

    /// The connection was dropped from this side (a silent socket, a resync).
    pub fn dropped(&mut self) {
        self.welcomed = false;
    }

    /// The socket closed with `code` (`None`: no close frame). Says whether to
    /// stop for good or to reconnect.
    pub fn closed(&mut self, code: Option<u16>) -> AfterClose {
        let was_live = std::mem::replace(&mut self.welcomed, false);
        let refusal = self.refusal.take();
        let ended = match code {
            Some(close_code::UNSUPPORTED_PROTOCOL) => Some(Ended::Version),
            Some(close_code::UNKNOWN_JOIN_CODE) => Some(Ended::UnknownCode),
            Some(close_code::BAD_CREDENTIAL) => Some(Ended::BadCredential),
            Some(close_code::REMOVED) => Some(Ended::Removed),
            _ => None,
        };
        if let Some(ended) = ended {
            return AfterClose::End(ended);
        }
        // A refused join does not get better by itself: the person changes
        // the name or asks. Nor does coming back to a taken name or a full
        // room; other refusals of a rejoin (a busy server) are worth retrying.
        let gives_up = match (&self.auth, &refusal) {
            (Auth::Join(_), Some(_)) => true,
            (Auth::Rejoin(_) | Auth::RejoinAs(..), Some((reason, _))) => {
                matches!(reason, Rejection::NameTaken | Rejection::RoomFull { .. })
            }
            _ => false,
        };
        match refusal {
            Some((reason, message)) if gives_up => {
                AfterClose::End(Ended::JoinRefused(reason, message))
            }
            refusal => AfterClose::Retry { refusal, was_live },
        }
    }

    /// How long to wait before the next connection attempt: exponential from
    /// 0.5 s to 10 s, jittered by `random` (any `u32`) to between half and
    /// all of that. A connection that stayed live for
    /// [`STABLE_AFTER_MS`] before `now_ms` resets the back-off first.
    pub fn next_backoff_ms(&mut self, now_ms: u64, random: u32) -> u32 {
        if self
            .live_since
            .take()
            .is_some_and(|since| now_ms.saturating_sub(since) >= STABLE_AFTER_MS)
        {
            self.attempt = 0;
        }
        let ceiling = BACKOFF_START_MS
            .saturating_mul(1 << self.attempt.min(5))
            .min(BACKOFF_MAX_MS);
        self.attempt = self.attempt.saturating_add(1);
        let half = ceiling / 2;
        half + u32::try_from(u64::from(random) * u64::from(half) / u64::from(u32::MAX)).unwrap_or(0)
    }

    /// Starts the back-off over (the network or the tab just came back, so
    /// trying at once is worth it).
    pub fn reset_backoff(&mut self) {
        self.attempt = 0;
    }
}

/// Decodes a server message with the derived codec.
///
/// # Errors
///
/// When the text is not a message this client knows.
pub fn decode(text: &str) -> Result<ServerMessage, DecodeError> {
    json::from_str(text)
}
