//! One WebSocket connection: the `hello` handshake, then a single loop that
//! forwards the room's frames to the client and the client's validated
//! commands to the room. Raw client input becomes validated types here, once.
//!
//! - [`handshake`](mod@handshake): `hello` read, authenticated and admitted to its room.
//! - [`closing`]: the ways a connection ends, each with its close frame.

mod closing;
mod handshake;

use std::net::IpAddr;
use std::sync::OnceLock;
use std::time::Duration;

use axum::extract::ws::{Message, Utf8Bytes, WebSocket};
use futures_util::stream::{SplitSink, SplitStream};
use futures_util::{SinkExt, StreamExt};
use moot_shared::Rejection;
use moot_shared::limits::{COMMAND_BURST, COMMANDS_PER_SECOND, MAX_MESSAGE_BYTES};
use moot_shared::protocol::{ClientMessage, ServerMessage, parse_request_id};
use tokio::sync::mpsc;
use tokio::time::{Instant, MissedTickBehavior, interval_at, timeout};

use crate::AppState;
use crate::clock::Clock;
use crate::metrics::Metrics;
use crate::registry::RoomHandle;
use crate::room_task::{Arrived, ConnectionId, Outbound, ToRoom, frame};
use crate::throttle::TokenBucket;
use closing::{Broken, close, drain, fail, refuse, resume_frame};
use handshake::{Ending, Session, handshake};

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

/// What a connection's loop needs besides its socket.
struct Link<'a> {
    room: &'a RoomHandle,
    conn: ConnectionId,
    clock: &'a Clock,
    metrics: &'a Metrics,
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
