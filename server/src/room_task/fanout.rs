//! Fan-out: each event is serialised once for the whole room (or once per
//! viewer when viewers see different versions of it), kept for replay, and
//! queued on every connection. A connection whose queue is full is cut off
//! rather than allowed to hold the room back; it resumes later.

use std::time::Duration;

use axum::extract::ws::Utf8Bytes;
use moot_shared::protocol::ServerMessage;
use moot_shared::room::Viewer;
use moot_shared::{Event, ParticipantId, Rejection, Seq, Timestamp};
use tokio::sync::mpsc::error::TrySendError;

use super::{ConnectionId, Outbound, RoomTask};

/// An event kept for replay: serialised once when everyone sees the same
/// thing, or kept whole when each viewer sees their own version.
pub(super) enum Kept {
    Public(Utf8Bytes),
    Personal { at: Timestamp, event: Event },
}

/// Serialises a server message once, for as many connections as need it.
pub(super) fn frame(message: &ServerMessage) -> Utf8Bytes {
    // Serialising these types cannot fail: every map key is a string and no
    // custom serialiser returns errors.
    Utf8Bytes::from(serde_json::to_string(message).expect("server messages serialise to JSON"))
}

/// The `event` frame of `event` as `viewer` sees it.
pub(super) fn personal_frame(seq: Seq, at: Timestamp, event: &Event, viewer: Viewer) -> Utf8Bytes {
    frame(&ServerMessage::Event {
        seq,
        at,
        event: event.for_viewer(viewer).into_owned(),
    })
}

impl RoomTask {
    /// Keeps an event for replay.
    pub(super) fn keep(&mut self, seq: Seq, at: Timestamp, event: &Event) -> Option<Utf8Bytes> {
        let (kept, public) = if event.is_personal() {
            (
                Kept::Personal {
                    at,
                    event: event.clone(),
                },
                None,
            )
        } else {
            // Serialised once for the whole room.
            let frame = frame(&ServerMessage::Event {
                seq,
                at,
                event: event.for_clients().into_owned(),
            });
            (Kept::Public(frame.clone()), Some(frame))
        };
        if self.recent.len() == self.config.replay_events {
            self.recent.pop_front();
        }
        self.recent.push_back((seq, kept));
        public
    }

    /// Gives `event` the next sequence number, keeps it for replay and sends
    /// it to every connection, as each may see it. The event is already
    /// stored and folded into the room.
    pub(super) fn record(&mut self, event: &Event, at: Timestamp) {
        self.metrics.event(event);
        self.seq = self.seq.next();
        let seq = self.seq;
        match self.keep(seq, at, event) {
            Some(public) => self.broadcast(&public),
            None => {
                // Most viewers see the same version of a secret (everyone but
                // the voter sees a vote without its ballot): each distinct
                // version is serialised once and its bytes shared.
                let mut versions: Vec<(Event, Utf8Bytes)> = Vec::new();
                self.deliver(|viewer| {
                    let version = event.for_viewer(viewer);
                    if let Some((_, frame)) = versions.iter().find(|(seen, _)| *seen == *version) {
                        return frame.clone();
                    }
                    let frame = frame(&ServerMessage::Event {
                        seq,
                        at,
                        event: version.clone().into_owned(),
                    });
                    versions.push((version.into_owned(), frame.clone()));
                    frame
                });
            }
        }
    }

    /// Sends the same frame to every connection.
    pub(super) fn broadcast(&mut self, frame: &Utf8Bytes) {
        self.deliver(|_| frame.clone());
    }

    /// Queues the frame each connection's viewer gets on every connection. A
    /// full queue means the client is not reading: it is dropped (closing
    /// its socket) so it resumes later instead of holding the room back.
    fn deliver(&mut self, mut frame_for: impl FnMut(Viewer) -> Utf8Bytes) {
        let mut stalled = Vec::new();
        for (conn, connection) in &self.connections {
            let frame = frame_for(connection.viewer());
            if let Err(error) = connection.outbound.try_send(Outbound::Frame(frame)) {
                self.count_drop(&error);
                stalled.push(*conn);
            }
        }
        for conn in stalled {
            self.drop_connection(conn, Duration::ZERO);
        }
    }

    /// Sends one frame to one connection, cutting it off if it is stalled.
    pub(super) fn send_frame(&mut self, conn: ConnectionId, frame: Utf8Bytes) -> bool {
        let Some(connection) = self.connections.get(&conn) else {
            return false;
        };
        let sent = connection.outbound.try_send(Outbound::Frame(frame));
        if let Err(error) = &sent {
            self.count_drop(error);
            self.drop_connection(conn, Duration::ZERO);
        }
        sent.is_ok()
    }

    /// Counts a connection cut off for a full queue; one whose socket task
    /// already ended (a closed queue) is only forgotten.
    fn count_drop(&self, error: &TrySendError<Outbound>) {
        if matches!(error, TrySendError::Full(_)) {
            self.metrics.send_queue_drop();
        }
    }

    pub(super) fn close_participant(&mut self, participant: ParticipantId, reason: Rejection) {
        let conns: Vec<ConnectionId> = self
            .connections
            .iter()
            .filter(|(_, connection)| connection.participant == Some(participant))
            .map(|(conn, _)| *conn)
            .collect();
        for conn in conns {
            if let Some(connection) = self.connections.remove(&conn) {
                // Best effort: if the queue is full the socket still closes when
                // this sender drops, and the refusal comes on reconnect.
                let _ = connection
                    .outbound
                    .try_send(Outbound::Close(reason.clone()));
            }
        }
    }

    /// Closes every shared screen: their link was replaced or stopped.
    pub(super) fn close_screens(&mut self) {
        self.connections.retain(|_, connection| {
            if connection.participant.is_some() {
                return true;
            }
            // Best effort, as for a removed participant.
            let _ = connection
                .outbound
                .try_send(Outbound::Close(Rejection::ScreenLinkStopped));
            false
        });
    }

    /// Forgets a connection, which had been silent for `silent_for`. If it
    /// was its participant's last, their presence is updated after the
    /// current message (see `settle_departures`).
    pub(super) fn drop_connection(&mut self, conn: ConnectionId, silent_for: Duration) {
        let Some(connection) = self.connections.remove(&conn) else {
            return;
        };
        let Some(participant) = connection.participant else {
            return;
        };
        let still_connected = self
            .connections
            .values()
            .any(|other| other.participant == Some(participant));
        let listed = self
            .departed
            .iter()
            .any(|(departed, _)| *departed == participant);
        if !still_connected && !listed {
            self.departed.push((participant, silent_for));
        }
    }
}
