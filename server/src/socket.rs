//! One WebSocket connection: the `hello` handshake, then a single loop that
//! forwards the room's frames to the client and the client's validated
//! commands to the room. Raw client input becomes validated types here, once.

use std::net::IpAddr;
use std::sync::OnceLock;
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket};
use futures_util::stream::{SplitSink, SplitStream};
use futures_util::{SinkExt, StreamExt};
use moot_shared::limits::{COMMAND_BURST, COMMANDS_PER_SECOND, MAX_MESSAGE_BYTES};
use moot_shared::protocol::{
    ClientMessage, HelloAuth, PROTOCOL_VERSION, ServerMessage, parse_display_name, parse_request_id,
};
use moot_shared::room::ScreenKey;
use moot_shared::{Credential, JoinCode, Rejection};
use tokio::sync::{mpsc, oneshot};
use tokio::time::{Instant, MissedTickBehavior, interval_at, timeout};

use crate::AppState;
use crate::clock::Clock;
use crate::metrics::{Metrics, Role};
use crate::registry::RoomHandle;
use crate::room_task::{Admission, Arrived, ConnectionId, Outbound, ToRoom, frame};
use crate::throttle::{TokenBucket, refuse_throttled_after};

/// How long a client has to send `hello`.
pub const HELLO_TIMEOUT: Duration = Duration::from_secs(10);
/// How often the server probes a connection with a WebSocket ping, which
/// the browser answers by itself (also in a hidden tab or on a locked
/// phone); every other probe also carries the `ping` message with the
/// server's time.
pub const PING_INTERVAL: Duration = Duration::from_secs(10);
/// Probes fall on the boundaries of slots this long, shared by every
/// connection, so that a worker woken for one probe sends the others due
/// in that slot too: 19,200 connections probed every 10 s are 1,920 probes
/// a second, and spread evenly each one woke an idle worker of its own
/// (issue 19, BENCHMARKS.md "eighth look"). A slot's probes at that load
/// are about 50 frames: a fraction of a millisecond of sending.
pub const PROBE_SLOT: Duration = Duration::from_millis(25);
/// A connection silent for this long (three unanswered probes) is closed
/// (with [`CLOSE_RESUME`]) and counts as gone, which starts a facilitator
/// fallback; so is one that cannot take a single frame for this long (a
/// stalled reader).
pub const SILENCE_LIMIT: Duration = Duration::from_secs(30);
/// Close code for a connection the server cut off (stalled queue, silence,
/// room gone): the client should reconnect and resume.
pub const CLOSE_RESUME: u16 = 4008;
/// Close code for a frame or message too large to read at all (RFC 6455's
/// "message too big"): more than [`MAX_READ_BYTES`].
pub const CLOSE_TOO_BIG: u16 = 1009;
/// Close code for a WebSocket protocol violation (RFC 6455), e.g. an
/// unmasked frame or a reserved opcode.
pub const CLOSE_PROTOCOL_ERROR: u16 = 1002;
/// Close code for a text frame that is not UTF-8 (RFC 6455's "invalid frame
/// payload data").
pub const CLOSE_INVALID_DATA: u16 = 1007;
/// The largest frame or message the server reads. Messages over
/// [`MAX_MESSAGE_BYTES`] but within this get a typed `message_too_large`
/// and the connection stays open; beyond it the connection is closed with
/// [`CLOSE_TOO_BIG`], because reading it would cost the memory the bound protects.
pub const MAX_READ_BYTES: usize = 4 * MAX_MESSAGE_BYTES;
/// After sending its close frame the server reads (and drops) what the
/// client still sends, for at most this long, until the client's close
/// frame comes. Closing a socket with unread data in it makes the kernel
/// send a TCP reset, which can destroy the close frame before it is read.
pub const CLOSE_GRACE: Duration = Duration::from_secs(5);

/// The close reason with [`CLOSE_RESUME`] when the server is stopping.
pub const SHUTTING_DOWN: &str = "shutting down";
/// The close reason with [`CLOSE_RESUME`] when another node took the
/// meetup over (a shared store).
pub const MOVED: &str = "moved";
/// The close reason with [`CLOSE_RESUME`] when a shared store failed: the
/// room is read back from the database when its people come back.
pub const RELOADING: &str = "reloading";

type Sink = SplitSink<WebSocket, Message>;
type Stream = SplitStream<WebSocket>;

/// Serves one WebSocket from `address` until it closes.
pub fn run(socket: WebSocket, state: AppState, address: IpAddr) -> impl Future<Output = ()> + Send {
    // Split before the connection's future is made: an async function keeps
    // room for its arguments as long as it runs, and a `WebSocket` is 368
    // bytes that every connection would hold after the split moved it out.
    let (sink, stream) = socket.split();
    connection(sink, stream, state, address)
}

async fn connection(mut sink: Sink, mut stream: Stream, state: AppState, address: IpAddr) {
    // A shutdown waits (a while) for this connection to finish closing.
    let _running = state.stopping().sockets.enter();
    let metrics = state.metrics();
    // The handshake is boxed: its state is allocated while it runs, not
    // held in every connection's task for the connection's whole life (see
    // BENCHMARKS.md, memory per connection).
    let session = match Box::pin(handshake(&mut stream, &state, address)).await {
        Ok(session) => session,
        Err(Ending::Refused(reason)) => {
            return refuse(&mut sink, &mut stream, metrics, reason).await;
        }
        Err(Ending::Broken(broken)) => {
            return fail(&mut sink, &mut stream, metrics, broken).await;
        }
        Err(Ending::Closed) => return drain(&mut stream).await,
        Err(Ending::Gone) => return,
        Err(Ending::Stopping) => {
            return close(&mut sink, &mut stream, resume_frame(SHUTTING_DOWN)).await;
        }
    };
    let Session {
        room,
        conn,
        mut outbound,
        role,
    } = session;
    // Counted as open until this function returns.
    let _open = metrics.connected(role);
    let link = Link {
        room: &room,
        conn,
        clock: &state.config().clock,
        metrics,
    };
    let silent_for = serve(&mut sink, &mut stream, &link, &mut outbound).await;
    // The room may already have dropped this connection; telling it again is harmless.
    let _ = room.send(ToRoom::Disconnect { conn, silent_for }).await;
}

/// A connection that passed its handshake.
struct Session {
    room: RoomHandle,
    conn: ConnectionId,
    outbound: mpsc::Receiver<Outbound>,
    role: Role,
}

/// What a connection's loop needs besides its socket.
struct Link<'a> {
    room: &'a RoomHandle,
    conn: ConnectionId,
    clock: &'a Clock,
    metrics: &'a Metrics,
}

/// How a handshake ended without a session.
enum Ending {
    /// Refused with this reason (`refused`, then the reason's close code).
    Refused(Rejection),
    /// The client broke the WebSocket protocol.
    Broken(Broken),
    /// The client closed the connection before its `hello`.
    Closed,
    /// The client went away without a word.
    Gone,
    /// The server is stopping: the client comes back later and resumes.
    Stopping,
}

/// A frame the server could not read, and so a connection that cannot go on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Broken {
    /// Over [`MAX_READ_BYTES`].
    TooBig,
    /// A WebSocket protocol violation.
    Protocol,
    /// A text frame that is not UTF-8.
    NotUtf8,
}

impl Broken {
    /// What a failed read means: a broken frame, or (`None`) a peer that is gone.
    fn of(error: axum::Error) -> Option<Broken> {
        use tungstenite::error::{Error, ProtocolError};
        let error = error.into_inner().downcast::<Error>().ok()?;
        match *error {
            Error::Capacity(_) => Some(Broken::TooBig),
            Error::Utf8(_) => Some(Broken::NotUtf8),
            // The TCP connection ended: nobody is left to tell.
            Error::Protocol(ProtocolError::ResetWithoutClosingHandshake) => None,
            Error::Protocol(_) => Some(Broken::Protocol),
            _ => None,
        }
    }

    fn close_frame(self) -> CloseFrame {
        let (code, reason) = match self {
            Broken::TooBig => (CLOSE_TOO_BIG, "message too big"),
            Broken::Protocol => (CLOSE_PROTOCOL_ERROR, "protocol error"),
            Broken::NotUtf8 => (CLOSE_INVALID_DATA, "text is not utf-8"),
        };
        CloseFrame {
            code,
            reason: Utf8Bytes::from_static(reason),
        }
    }
}

/// Sends `refused` and closes with the reason's close code.
async fn refuse(sink: &mut Sink, stream: &mut Stream, metrics: &Metrics, reason: Rejection) {
    metrics.rejection(&reason);
    let code = reason.close_code();
    let message = serde_json::to_string(&ServerMessage::refused(reason)).unwrap_or_default();
    let refused = async { sink.send(Message::Text(message.into())).await.is_ok() };
    if timeout(CLOSE_GRACE, refused).await.unwrap_or(false) {
        close(
            sink,
            stream,
            CloseFrame {
                code,
                reason: Utf8Bytes::from_static("refused"),
            },
        )
        .await;
    }
}

/// Closes a connection whose last frame could not be read. A frame too big
/// to read is answered `message_too_large` first, so the client learns the
/// bound.
async fn fail(sink: &mut Sink, stream: &mut Stream, metrics: &Metrics, broken: Broken) {
    if broken == Broken::TooBig {
        let rejected = rejected(
            metrics,
            None,
            Rejection::MessageTooLarge {
                max_bytes: MAX_MESSAGE_BYTES,
            },
        );
        if timeout(CLOSE_GRACE, send(sink, &rejected)).await.is_err() {
            return;
        }
    }
    close(sink, stream, broken.close_frame()).await;
}

/// Sends a close frame and then reads until the client's close frame comes
/// back (or [`CLOSE_GRACE`] passes), so the socket closes with nothing
/// unread and the client gets the close frame rather than a reset. Sending
/// and reading run together: a client that is itself blocked writing would
/// never see the close frame if the server stopped reading first.
async fn close(sink: &mut Sink, stream: &mut Stream, frame: CloseFrame) {
    let closing = async {
        // An error means the client closed first or is gone; either way the
        // draining below ends the connection.
        let _ = sink.send(Message::Close(Some(frame))).await;
    };
    let draining = async {
        // The stream ends after the client's close frame, or at any error.
        while let Some(Ok(_)) = stream.next().await {}
    };
    let _ = timeout(CLOSE_GRACE, futures_util::future::join(closing, draining)).await;
}

/// The close frame that sends a client away to come back and resume.
fn resume_frame(reason: &'static str) -> CloseFrame {
    CloseFrame {
        code: CLOSE_RESUME,
        reason: Utf8Bytes::from_static(reason),
    }
}

/// After the client's close frame: reading on sends the server's answering
/// close frame (tungstenite queues it) and ends when the socket is done.
async fn drain(stream: &mut Stream) {
    let _ = timeout(CLOSE_GRACE, async {
        while let Some(Ok(_)) = stream.next().await {}
    })
    .await;
}

/// Waits for `hello`, authenticates it and enters the room.
///
/// While the address is throttled for failed handshakes, a `join` is
/// refused without looking its code up, but a `rejoin` or `screen` is still
/// checked: a valid token gets in, so a guesser behind the same NAT cannot
/// lock the room's own people out. Every failure then answers
/// `too_many_attempts` after the same delay
/// ([`THROTTLED_ANSWER_DELAY`](crate::throttle::THROTTLED_ANSWER_DELAY)),
/// whether the code or the token was wrong, so the answer tells a guesser
/// nothing, not even by its timing.
async fn handshake(
    stream: &mut Stream,
    state: &AppState,
    address: IpAddr,
) -> Result<Session, Ending> {
    let text = match timeout(HELLO_TIMEOUT, first_text(stream)).await {
        Err(_) => return Err(Ending::Refused(Rejection::HandshakeTimeout)),
        Ok(Err(ending)) => return Err(ending),
        Ok(Ok(text)) => text,
    };
    let started = Instant::now();
    let ClientMessage::Hello {
        protocol,
        join_code,
        auth,
        last_seq,
    } = ClientMessage::parse(&text).map_err(|refusal| Ending::Refused(refusal.reason))?
    else {
        return Err(Ending::Refused(Rejection::HelloExpected));
    };
    if protocol != PROTOCOL_VERSION {
        return Err(Ending::Refused(Rejection::UnsupportedProtocolVersion {
            supported: PROTOCOL_VERSION,
        }));
    }
    let attempts = state.failed_attempts();
    let throttled = attempts.check(address).err();
    if let (Some(retry_after), HelloAuth::Join { .. }) = (throttled, &auth) {
        // A join presents no secret, only the join code: while throttled,
        // no code is looked up at all.
        refuse_throttled_after(started).await;
        return Err(Ending::Refused(too_many_attempts(retry_after)));
    }
    // Every failure past this point could be someone guessing codes or
    // tokens, so it counts against the address; while the address is
    // throttled, all of them look the same.
    let failed = async |rejection: Rejection| {
        attempts.record(address);
        if throttled.is_none() {
            return Ending::Refused(rejection);
        }
        refuse_throttled_after(started).await;
        // Read the window again: the wait above is part of it.
        let retry_after = attempts.check(address).err().unwrap_or_default();
        Ending::Refused(too_many_attempts(retry_after))
    };
    // Names are checked before the code is looked up: an answer that
    // depended on both would tell a throttled guesser which codes exist.
    let admission = match auth {
        HelloAuth::Join { name } => Some(Admission::Join {
            name: parse_display_name(&name).map_err(Ending::Refused)?,
            credential: crate::secrets::new_credential(),
        }),
        HelloAuth::Rejoin { token, name } => {
            let name = name
                .map(|name| parse_display_name(&name))
                .transpose()
                .map_err(Ending::Refused)?;
            Credential::parse(&token).map(|credential| Admission::Rejoin { credential, name })
        }
        HelloAuth::Screen { token } => {
            ScreenKey::parse(&token).map(|key| Admission::Screen { key })
        }
    }
    .ok_or(Rejection::BadCredential);
    let Ok(code) = JoinCode::parse(&join_code) else {
        return Err(failed(Rejection::UnknownJoinCode).await);
    };
    let room = match state
        .registry()
        .find(&code, state.config(), state.store())
        .await
    {
        Ok(room) => room,
        // Its task already ended because the server is stopping: it will
        // be back after the restart, and the client should come back.
        Err(Rejection::UnknownJoinCode) if state.stopping().is_stopping() => {
            return Err(Ending::Stopping);
        }
        Err(Rejection::UnknownJoinCode) => return Err(failed(Rejection::UnknownJoinCode).await),
        // Another node serves it, or the database could not be read: not
        // a guess, so not counted against the address.
        Err(rejection) => return Err(Ending::Refused(rejection)),
    };
    let admission = match admission {
        Ok(admission) => admission,
        Err(rejection) => return Err(failed(rejection).await),
    };
    let role = match admission {
        Admission::Screen { .. } => Role::Screen,
        Admission::Join { .. } | Admission::Rejoin { .. } => Role::Participant,
    };
    let (sender, outbound) = mpsc::channel(state.config().send_queue_frames);
    let (reply, answer) = oneshot::channel();
    let connect = ToRoom::Connect {
        admission: Box::new(admission),
        last_seq,
        outbound: sender,
        reply,
    };
    // A room that is gone was deleted, unless the server is stopping: then
    // it will be back after the restart, and the client should come back.
    let gone = || {
        if state.stopping().is_stopping() {
            Ending::Stopping
        } else {
            Ending::Refused(Rejection::UnknownJoinCode)
        }
    };
    if room.send(connect).await.is_err() {
        return Err(gone());
    }
    match answer.await {
        Ok(Ok(conn)) => Ok(Session {
            room,
            conn,
            outbound,
            role,
        }),
        // A wrong key counts as a failed attempt, like a wrong credential.
        Ok(Err(rejection @ (Rejection::BadCredential | Rejection::ScreenLinkStopped))) => {
            Err(failed(rejection).await)
        }
        Ok(Err(rejection)) => Err(Ending::Refused(rejection)),
        Err(_) => Err(gone()),
    }
}

fn too_many_attempts(retry_after: Duration) -> Rejection {
    Rejection::TooManyAttempts {
        retry_after_ms: millis(retry_after),
    }
}

/// The first text frame, skipping pings; a refusal for binary frames.
async fn first_text(stream: &mut Stream) -> Result<Utf8Bytes, Ending> {
    loop {
        match stream.next().await {
            Some(Ok(Message::Text(text))) => return Ok(text),
            Some(Ok(Message::Binary(_))) => return Err(Ending::Refused(binary_frame())),
            Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
            Some(Ok(Message::Close(_))) => return Err(Ending::Closed),
            None => return Err(Ending::Gone),
            Some(Err(error)) => {
                return Err(match Broken::of(error) {
                    // Before `hello`, this is a refused handshake like any
                    // other too-large first message.
                    Some(Broken::TooBig) => Ending::Refused(Rejection::MessageTooLarge {
                        max_bytes: MAX_MESSAGE_BYTES,
                    }),
                    Some(broken) => Ending::Broken(broken),
                    None => Ending::Gone,
                });
            }
        }
    }
}

fn binary_frame() -> Rejection {
    Rejection::MalformedMessage {
        detail: "moot messages are JSON text frames, not binary".to_owned(),
    }
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis())
        .unwrap_or(u64::MAX)
        .max(1)
}

async fn send(sink: &mut Sink, message: &ServerMessage) -> Result<(), axum::Error> {
    sink.send(Message::Text(frame(message))).await
}

/// What the connection's loop does after one step.
enum Next {
    /// Carry on.
    Go,
    /// The client is gone; nothing left to say.
    Gone,
    /// Cut the connection off with [`CLOSE_RESUME`] and this reason.
    CutOff(&'static str),
    /// Nothing came from the client for [`SILENCE_LIMIT`]: cut it off (reason `silent`).
    Silent,
}

/// Sends one message, unless the client has not taken a frame for
/// [`SILENCE_LIMIT`]: a reader that stalls that long is cut off rather than
/// holding its task and buffers for as long as TCP lets it.
async fn deliver(sink: &mut Sink, message: Message) -> Next {
    match timeout(SILENCE_LIMIT, sink.send(message)).await {
        Ok(Ok(())) => Next::Go,
        Ok(Err(_)) => Next::Gone,
        Err(_) => Next::CutOff("stalled"),
    }
}

/// The most frames [`deliver_queued`] writes with one flush.
const QUEUED_FRAMES_PER_WRITE: usize = 64;

/// Sends `first` and every frame the room has queued behind it with one
/// flush: a command's events and its acknowledgement, queued by the room in
/// one go, reach the client in one write instead of one each. Stops at a
/// close or resume order, which it returns for the caller to carry out
/// after what came before it was sent.
async fn deliver_queued(
    sink: &mut Sink,
    first: Utf8Bytes,
    outbound: &mut mpsc::Receiver<Outbound>,
) -> (Next, Option<Outbound>) {
    let mut after = None;
    let written = timeout(SILENCE_LIMIT, async {
        sink.feed(Message::Text(first)).await?;
        // At most a queue's worth, so a room that keeps queueing cannot keep
        // this connection from its pings and its client's messages.
        for _ in 0..QUEUED_FRAMES_PER_WRITE {
            let Ok(queued) = outbound.try_recv() else {
                break;
            };
            match queued {
                Outbound::Frame(text) => sink.feed(Message::Text(text)).await?,
                other => {
                    after = Some(other);
                    break;
                }
            }
        }
        sink.flush().await
    })
    .await;
    let next = match written {
        Ok(Ok(())) => Next::Go,
        Ok(Err(_)) => Next::Gone,
        Err(_) => Next::CutOff("stalled"),
    };
    (next, after)
}

async fn deliver_message(sink: &mut Sink, message: &ServerMessage) -> Next {
    deliver(sink, Message::Text(frame(message))).await
}

/// When a connection that starts serving at `now` is first probed:
/// [`PING_INTERVAL`] later, rounded up to the next [`PROBE_SLOT`] boundary
/// (counted from the first connection served).
pub fn first_probe(now: Instant) -> Instant {
    static FIRST: OnceLock<Instant> = OnceLock::new();
    on_slot(*FIRST.get_or_init(|| now), now + PING_INTERVAL)
}

/// `due`, rounded up to a whole number of [`PROBE_SLOT`]s after `first`.
fn on_slot(first: Instant, due: Instant) -> Instant {
    let slot = PROBE_SLOT.as_nanos();
    let slots = due
        .saturating_duration_since(first)
        .as_nanos()
        .div_ceil(slot);
    first + Duration::from_nanos(u64::try_from(slots * slot).unwrap_or(u64::MAX))
}

/// The connection's one loop: room frames out, client messages in, pings.
/// Returns how long the client had been silent when the connection ended:
/// zero, unless it was cut off for silence (a dead network, a laptop lid
/// closed), which the room counts toward a facilitator fallback.
async fn serve(
    sink: &mut Sink,
    stream: &mut Stream,
    link: &Link<'_>,
    outbound: &mut mpsc::Receiver<Outbound>,
) -> Duration {
    let mut pings = interval_at(first_probe(Instant::now()), PING_INTERVAL);
    // A late tick does not move the later ones off the slots.
    pings.set_missed_tick_behavior(MissedTickBehavior::Skip);
    let mut with_time = false;
    let mut last_heard = Instant::now();
    let mut bucket = TokenBucket::new(COMMANDS_PER_SECOND, COMMAND_BURST);
    loop {
        let next = tokio::select! {
            frame = outbound.recv() => match frame {
                Some(Outbound::Frame(text)) => {
                    let (next, after) = deliver_queued(sink, text, outbound).await;
                    match after {
                        Some(Outbound::Close(reason)) if matches!(next, Next::Go) => {
                            refuse(sink, stream, link.metrics, reason).await;
                            return Duration::ZERO;
                        }
                        Some(Outbound::Resume(reason)) if matches!(next, Next::Go) => Next::CutOff(reason),
                        _ => next,
                    }
                }
                Some(Outbound::Close(reason)) => {
                    refuse(sink, stream, link.metrics, reason).await;
                    return Duration::ZERO;
                }
                Some(Outbound::Resume(reason)) => Next::CutOff(reason),
                // The room dropped this connection: its queue was full.
                None => Next::CutOff("resume"),
            },
            incoming = stream.next() => match incoming {
                None => Next::Gone,
                Some(Err(error)) => match Broken::of(error) {
                    Some(broken) => {
                        fail(sink, stream, link.metrics, broken).await;
                        return Duration::ZERO;
                    }
                    None => Next::Gone,
                },
                Some(Ok(message)) => {
                    last_heard = Instant::now();
                    let handled = match message {
                        Message::Text(text) => on_text(link, &mut bucket, &text),
                        // Counts toward the rate like any other frame.
                        Message::Binary(_) => refuse_within(link.metrics, bucket.take(), None, binary_frame()),
                        Message::Ping(_) | Message::Pong(_) => Handled::Done(Next::Go),
                        // The client closes: answer its close frame and end.
                        Message::Close(_) => {
                            drain(stream).await;
                            return Duration::ZERO;
                        }
                    };
                    match handled {
                        Handled::Done(next) => next,
                        // Boxed, as the handshake is: what waits (an answer, a
                        // command for a full inbox) lives only while it waits.
                        Handled::Waits(waiting) => Box::pin(finish_frame(sink, link, waiting)).await,
                    }
                }
            },
            _ = pings.tick() => {
                with_time = !with_time;
                if last_heard.elapsed() >= SILENCE_LIMIT {
                    Next::Silent
                } else if with_time {
                    deliver_message(sink, &ServerMessage::Ping { server_time: link.clock.now() }).await
                } else {
                    deliver(sink, Message::Ping(Default::default())).await
                }
            }
        };
        match next {
            Next::Go => {}
            Next::Gone => return Duration::ZERO,
            Next::CutOff(reason) => {
                close(sink, stream, resume_frame(reason)).await;
                return Duration::ZERO;
            }
            Next::Silent => {
                let silent_for = last_heard.elapsed();
                close(sink, stream, resume_frame("silent")).await;
                return silent_for;
            }
        }
    }
}

/// A `rejected` answer, counted.
fn rejected(metrics: &Metrics, request_id: Option<String>, reason: Rejection) -> ServerMessage {
    metrics.rejection(&reason);
    ServerMessage::rejected(request_id, reason)
}

/// What a frame from the client asks of its connection, once read.
enum Handled {
    /// Nothing left to do: go on, or end.
    Done(Next),
    /// Something to wait for, which the connection's loop boxes.
    Waits(Waiting),
}

/// What a frame's handling has to wait for: rare, so boxed (see [`serve`]).
enum Waiting {
    /// The room's inbox is full: room in it for this command.
    Inbox(ToRoom),
    /// The client's socket: this answer sent.
    Answer(ServerMessage),
}

/// Handles one text frame after the handshake. Every frame takes a token
/// from the bucket, valid or not.
///
/// Not async: a command within the rate, nearly every frame, goes into its
/// room's inbox without waiting, so the connection's loop needs no future
/// for it. The rare frames that wait (a full inbox, an answer to send)
/// come back as [`Waiting`] for the loop to box (see [`serve`]).
fn on_text(link: &Link<'_>, bucket: &mut TokenBucket, text: &str) -> Handled {
    let metrics = link.metrics;
    let rate = bucket.take();
    let message = match ClientMessage::parse(text) {
        Ok(message) => message,
        Err(refusal) => return refuse_within(metrics, rate, refusal.request_id, refusal.reason),
    };
    match message {
        ClientMessage::Command {
            request_id,
            command,
        } => {
            let request_id = match parse_request_id(&request_id) {
                Ok(request_id) => request_id,
                Err(rejection) => return refuse_within(metrics, rate, None, rejection),
            };
            if let Err(retry_after) = rate {
                let echo = Some(request_id.as_str().to_owned());
                let limited = Rejection::RateLimited {
                    retry_after_ms: millis(retry_after),
                };
                return Handled::Waits(Waiting::Answer(rejected(metrics, echo, limited)));
            }
            let command = ToRoom::Command {
                conn: link.conn,
                request_id,
                command: Arrived::now(command),
            };
            match link.room.try_send(command) {
                Ok(()) => Handled::Done(Next::Go),
                Err(mpsc::error::TrySendError::Full(command)) => {
                    Handled::Waits(Waiting::Inbox(command))
                }
                // The room's task is gone (shutting down, deleted): the
                // client reconnects and finds out.
                Err(mpsc::error::TrySendError::Closed(_)) => Handled::Done(Next::CutOff("resume")),
            }
        }
        // Over the rate, liveness and clock messages, and a repeated
        // `hello`, are dropped silently.
        _ if rate.is_err() => Handled::Done(Next::Go),
        ClientMessage::TimeSync { client_time } => {
            Handled::Waits(Waiting::Answer(ServerMessage::TimeSync {
                client_time,
                server_time: link.clock.now(),
            }))
        }
        ClientMessage::Hello { .. } => Handled::Waits(Waiting::Answer(rejected(
            metrics,
            None,
            Rejection::HelloExpected,
        ))),
        ClientMessage::Pong => Handled::Done(Next::Go),
    }
}

/// Carries out what a frame's handling left to wait for.
async fn finish_frame(sink: &mut Sink, link: &Link<'_>, waiting: Waiting) -> Next {
    match waiting {
        Waiting::Inbox(command) => match link.room.send(command).await {
            Ok(()) => Next::Go,
            Err(_) => Next::CutOff("resume"),
        },
        Waiting::Answer(answer) => deliver_message(sink, &answer).await,
    }
}

/// `rejected` with this reason, unless the frame was over the rate: frames
/// that are no valid message count toward the rate like any other, and over
/// it they are dropped unanswered, so a flood of garbage gets no echo.
fn refuse_within(
    metrics: &Metrics,
    rate: Result<(), Duration>,
    request_id: Option<String>,
    reason: Rejection,
) -> Handled {
    match rate {
        Ok(()) => Handled::Waits(Waiting::Answer(rejected(metrics, request_id, reason))),
        Err(_) => Handled::Done(Next::Go),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Connections that start within one slot of each other are probed
    /// together, no earlier than a whole interval after they started and
    /// less than a slot later.
    #[test]
    fn probes_of_connections_started_within_a_slot_fall_together() {
        let first = Instant::now();
        let ms = Duration::from_millis;
        let probes: Vec<Instant> = [1, 9, 24, 25]
            .into_iter()
            .map(|started| on_slot(first, first + ms(started) + PING_INTERVAL))
            .collect();
        assert!(
            probes
                .iter()
                .all(|probe| *probe == first + PING_INTERVAL + PROBE_SLOT)
        );
        // Exactly on a boundary stays there; just past it goes to the next.
        assert_eq!(on_slot(first, first + PING_INTERVAL), first + PING_INTERVAL);
        assert_eq!(
            on_slot(first, first + ms(26) + PING_INTERVAL),
            first + PING_INTERVAL + PROBE_SLOT * 2
        );
        // A clock behind the first connection's (another runtime's, in
        // tests) probes at once rather than panicking.
        assert_eq!(on_slot(first + ms(5), first), first + ms(5));
    }
}
