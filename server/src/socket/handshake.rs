//! The `hello` handshake: the first text frame read, checked and
//! authenticated, the address's failed attempts counted, and the
//! connection admitted to its room, or the way it ended instead.

use std::net::IpAddr;
use std::time::Duration;

use axum::extract::ws::{Message, Utf8Bytes};
use futures_util::StreamExt;
use moot_shared::limits::MAX_MESSAGE_BYTES;
use moot_shared::protocol::{ClientMessage, HelloAuth, PROTOCOL_VERSION, parse_display_name};
use moot_shared::room::ScreenKey;
use moot_shared::{Credential, JoinCode, Rejection};
use tokio::sync::{mpsc, oneshot};
use tokio::time::{Instant, timeout};

use super::closing::Broken;
use super::{HELLO_TIMEOUT, Stream, binary_frame, millis};
use crate::AppState;
use crate::metrics::Role;
use crate::registry::RoomHandle;
use crate::room_task::{Admission, ConnectionId, Outbound, ToRoom};
use crate::throttle::refuse_throttled_after;

/// A connection that passed its handshake.
pub(super) struct Session {
    pub(super) room: RoomHandle,
    pub(super) conn: ConnectionId,
    pub(super) outbound: mpsc::Receiver<Outbound>,
    pub(super) role: Role,
}

/// How a handshake ended without a session.
pub(super) enum Ending {
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
pub(super) async fn handshake(
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
