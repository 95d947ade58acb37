//! One WebSocket connection: the `hello` handshake, then a single loop that
//! forwards the room's frames to the client and the client's validated
//! commands to the room. Raw client input becomes validated types here, once.

use std::net::IpAddr;
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket};
use futures_util::stream::{SplitSink, SplitStream};
use futures_util::{SinkExt, StreamExt};
use moot_shared::limits::{COMMAND_BURST, COMMANDS_PER_SECOND};
use moot_shared::protocol::{
    ClientMessage, HelloAuth, PROTOCOL_VERSION, ServerMessage, parse_display_name, parse_request_id,
};
use moot_shared::{Credential, JoinCode, Rejection};
use tokio::sync::{mpsc, oneshot};
use tokio::time::{Instant, MissedTickBehavior, interval, timeout};

use crate::AppState;
use crate::clock::Clock;
use crate::registry::RoomHandle;
use crate::room_task::{Admission, ConnId, Outbound, RoomMsg};
use crate::throttle::TokenBucket;

/// How long a client has to send `hello`.
pub const HELLO_TIMEOUT: Duration = Duration::from_secs(10);
/// How often the server pings.
pub const PING_INTERVAL: Duration = Duration::from_secs(20);
/// A connection silent for this long is closed.
pub const SILENCE_LIMIT: Duration = Duration::from_secs(60);
/// Close code for a connection the server cut off (stalled queue, room
/// gone): the client should reconnect and resume.
pub const CLOSE_RESUME: u16 = 4008;

type Sink = SplitSink<WebSocket, Message>;
type Stream = SplitStream<WebSocket>;

/// Serves one WebSocket from `address` until it closes.
pub async fn run(socket: WebSocket, state: AppState, address: IpAddr) {
    let (mut sink, mut stream) = socket.split();
    let session = match handshake(&mut stream, &state, address).await {
        Ok(session) => session,
        Err(refusal) => {
            if let Some(reason) = refusal {
                refuse(&mut sink, reason).await;
            }
            return;
        }
    };
    let Session {
        room,
        conn,
        mut outbound,
    } = session;
    serve(
        &mut sink,
        &mut stream,
        &room,
        conn,
        &mut outbound,
        &state.config().clock,
    )
    .await;
    // The room may already have dropped this connection; telling it again is harmless.
    let _ = room.send(RoomMsg::Disconnect { conn }).await;
}

/// A connection that passed its handshake.
struct Session {
    room: RoomHandle,
    conn: ConnId,
    outbound: mpsc::Receiver<Outbound>,
}

/// Sends `refused` and closes with the reason's close code.
async fn refuse(sink: &mut Sink, reason: Rejection) {
    let code = reason.close_code();
    let message = serde_json::to_string(&ServerMessage::refused(reason)).unwrap_or_default();
    let _ = sink.send(Message::Text(message.into())).await;
    let _ = sink
        .send(Message::Close(Some(CloseFrame {
            code,
            reason: Utf8Bytes::from_static("refused"),
        })))
        .await;
}

/// Waits for `hello`, authenticates it and enters the room. `Err(None)` when
/// the client went away without a word.
async fn handshake(
    stream: &mut Stream,
    state: &AppState,
    address: IpAddr,
) -> Result<Session, Option<Rejection>> {
    let text = match timeout(HELLO_TIMEOUT, first_text(stream)).await {
        Err(_) => return Err(Some(Rejection::HandshakeTimeout)),
        Ok(None) => return Err(None),
        Ok(Some(Err(rejection))) => return Err(Some(rejection)),
        Ok(Some(Ok(text))) => text,
    };
    let ClientMessage::Hello {
        protocol,
        join_code,
        auth,
        last_seq,
    } = ClientMessage::parse(&text).map_err(|refusal| Some(refusal.reason))?
    else {
        return Err(Some(Rejection::HelloExpected));
    };
    if protocol != PROTOCOL_VERSION {
        return Err(Some(Rejection::UnsupportedProtocolVersion {
            supported: PROTOCOL_VERSION,
        }));
    }
    let attempts = state.failed_attempts();
    if let Err(retry_after) = attempts.check(address) {
        return Err(Some(Rejection::TooManyAttempts {
            retry_after_ms: millis(retry_after),
        }));
    }
    // Every failure past this point could be someone guessing codes or
    // tokens, so it counts against the address.
    let failed = |rejection: Rejection| {
        attempts.record(address);
        Some(rejection)
    };
    let room = JoinCode::parse(&join_code)
        .ok()
        .and_then(|code| state.registry().get(&code))
        .ok_or_else(|| failed(Rejection::UnknownJoinCode))?;
    let credential =
        |token: &str| Credential::parse(token).ok_or_else(|| failed(Rejection::BadCredential));
    let admission = match auth {
        HelloAuth::Join { name } => Admission::Join {
            name: parse_display_name(&name).map_err(Some)?,
            credential: crate::secrets::new_credential(),
        },
        HelloAuth::Rejoin { token, name } => Admission::Rejoin {
            credential: credential(&token)?,
            name: name
                .map(|name| parse_display_name(&name))
                .transpose()
                .map_err(Some)?,
        },
        HelloAuth::Screen { token } => Admission::Screen {
            credential: credential(&token)?,
        },
    };
    let (sender, outbound) = mpsc::channel(state.config().send_queue_frames);
    let (reply, answer) = oneshot::channel();
    let connect = RoomMsg::Connect {
        admission,
        last_seq,
        outbound: sender,
        reply,
    };
    if room.send(connect).await.is_err() {
        return Err(Some(Rejection::UnknownJoinCode));
    }
    match answer.await {
        Ok(Ok(conn)) => Ok(Session {
            room,
            conn,
            outbound,
        }),
        Ok(Err(Rejection::BadCredential)) => Err(failed(Rejection::BadCredential)),
        Ok(Err(rejection)) => Err(Some(rejection)),
        Err(_) => Err(Some(Rejection::UnknownJoinCode)),
    }
}

/// The first text frame, skipping pings; an error for binary frames.
async fn first_text(stream: &mut Stream) -> Option<Result<Utf8Bytes, Rejection>> {
    loop {
        match stream.next().await? {
            Ok(Message::Text(text)) => return Some(Ok(text)),
            Ok(Message::Binary(_)) => return Some(Err(binary_frame())),
            Ok(Message::Ping(_) | Message::Pong(_)) => continue,
            Ok(Message::Close(_)) | Err(_) => return None,
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
    let text = serde_json::to_string(message).expect("server messages serialise to JSON");
    sink.send(Message::Text(text.into())).await
}

/// The connection's one loop: room frames out, client messages in, pings.
async fn serve(
    sink: &mut Sink,
    stream: &mut Stream,
    room: &RoomHandle,
    conn: ConnId,
    outbound: &mut mpsc::Receiver<Outbound>,
    clock: &Clock,
) {
    let mut pings = interval(PING_INTERVAL);
    pings.set_missed_tick_behavior(MissedTickBehavior::Delay);
    pings.tick().await;
    let mut last_heard = Instant::now();
    let mut bucket = TokenBucket::new(COMMANDS_PER_SECOND, COMMAND_BURST);
    loop {
        tokio::select! {
            frame = outbound.recv() => match frame {
                Some(Outbound::Frame(text)) => {
                    if sink.send(Message::Text(text)).await.is_err() {
                        return;
                    }
                }
                Some(Outbound::Close(reason)) => {
                    refuse(sink, reason).await;
                    return;
                }
                None => {
                    let close = CloseFrame { code: CLOSE_RESUME, reason: Utf8Bytes::from_static("resume") };
                    let _ = sink.send(Message::Close(Some(close))).await;
                    return;
                }
            },
            incoming = stream.next() => {
                let Some(Ok(message)) = incoming else { return };
                last_heard = Instant::now();
                let handled = match message {
                    Message::Text(text) => on_text(sink, room, conn, &mut bucket, &text, clock).await,
                    Message::Binary(_) => send(sink, &ServerMessage::rejected(None, binary_frame())).await.map_err(|_| ()),
                    Message::Ping(_) | Message::Pong(_) => Ok(()),
                    Message::Close(_) => return,
                };
                if handled.is_err() {
                    return;
                }
            }
            _ = pings.tick() => {
                if last_heard.elapsed() >= SILENCE_LIMIT {
                    return;
                }
                if send(sink, &ServerMessage::Ping { server_time: clock.now() }).await.is_err() {
                    return;
                }
            }
        }
    }
}

/// Handles one text frame after the handshake. `Err` ends the connection.
async fn on_text(
    sink: &mut Sink,
    room: &RoomHandle,
    conn: ConnId,
    bucket: &mut TokenBucket,
    text: &str,
    clock: &Clock,
) -> Result<(), ()> {
    let message = match ClientMessage::parse(text) {
        Ok(message) => message,
        Err(refusal) => {
            let answer = ServerMessage::rejected(refusal.request_id, refusal.reason);
            return send(sink, &answer).await.map_err(|_| ());
        }
    };
    let rate = bucket.take();
    let answer = match message {
        ClientMessage::Command {
            request_id,
            command,
        } => {
            let request_id = match parse_request_id(&request_id) {
                Ok(request_id) => request_id,
                Err(rejection) => {
                    return send(sink, &ServerMessage::rejected(None, rejection))
                        .await
                        .map_err(|_| ());
                }
            };
            let echo = Some(request_id.as_str().to_owned());
            if let Err(retry_after) = rate {
                ServerMessage::rejected(
                    echo,
                    Rejection::RateLimited {
                        retry_after_ms: millis(retry_after),
                    },
                )
            } else {
                let forwarded = room
                    .send(RoomMsg::Command {
                        conn,
                        request_id,
                        command,
                    })
                    .await;
                return forwarded.map_err(|_| ());
            }
        }
        // Over the rate, liveness and clock messages are dropped silently.
        ClientMessage::TimeSync { client_time } if rate.is_ok() => ServerMessage::TimeSync {
            client_time,
            server_time: clock.now(),
        },
        ClientMessage::Hello { .. } => ServerMessage::rejected(None, Rejection::HelloExpected),
        ClientMessage::TimeSync { .. } | ClientMessage::Pong => return Ok(()),
    };
    send(sink, &answer).await.map_err(|_| ())
}
