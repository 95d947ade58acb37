//! How a connection ends: `refused` with its close code, a frame that
//! could not be read, a close frame sent and the client's awaited, or a
//! client sent away to come back and resume.

use axum::extract::ws::{CloseFrame, Message, Utf8Bytes};
use futures_util::{SinkExt, StreamExt};
use moot_shared::Rejection;
use moot_shared::limits::MAX_MESSAGE_BYTES;
use moot_shared::protocol::ServerMessage;
use tokio::time::timeout;

use super::{
    CLOSE_GRACE, CLOSE_INVALID_DATA, CLOSE_PROTOCOL_ERROR, CLOSE_RESUME, CLOSE_TOO_BIG, Sink,
    Stream, rejected, send,
};
use crate::metrics::Metrics;

/// A frame the server could not read, and so a connection that cannot go on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Broken {
    /// Over [`MAX_READ_BYTES`](super::MAX_READ_BYTES).
    TooBig,
    /// A WebSocket protocol violation.
    Protocol,
    /// A text frame that is not UTF-8.
    NotUtf8,
}

impl Broken {
    /// What a failed read means: a broken frame, or (`None`) a peer that is gone.
    pub(super) fn of(error: axum::Error) -> Option<Broken> {
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
pub(super) async fn refuse(
    sink: &mut Sink,
    stream: &mut Stream,
    metrics: &Metrics,
    reason: Rejection,
) {
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
pub(super) async fn fail(sink: &mut Sink, stream: &mut Stream, metrics: &Metrics, broken: Broken) {
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
pub(super) async fn close(sink: &mut Sink, stream: &mut Stream, frame: CloseFrame) {
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
pub(super) fn resume_frame(reason: &'static str) -> CloseFrame {
    CloseFrame {
        code: CLOSE_RESUME,
        reason: Utf8Bytes::from_static(reason),
    }
}

/// After the client's close frame: reading on sends the server's answering
/// close frame (tungstenite queues it) and ends when the socket is done.
pub(super) async fn drain(stream: &mut Stream) {
    let _ = timeout(CLOSE_GRACE, async {
        while let Some(Ok(_)) = stream.next().await {}
    })
    .await;
}
