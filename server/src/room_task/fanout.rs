//! Fan-out: each event is serialised once for the whole room (or once per
//! distinct version when viewers see different versions of it), kept for
//! replay, and queued on every connection. The frames are made before the
//! events are stored and queued by the store's thread as soon as they are
//! committed (and, at `--sync full`, synced), so an action reaches the
//! room without waiting for the room's task to be scheduled again. A
//! connection whose queue is full is cut off rather than allowed to hold
//! the room back; it resumes later.

use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use axum::extract::ws::Utf8Bytes;
use moot_shared::protocol::ServerMessage;
use moot_shared::room::Viewer;
use moot_shared::{Event, ParticipantId, Rejection, Seq, Timestamp};
use tokio::sync::mpsc;
use tokio::sync::mpsc::error::TrySendError;

use super::{ConnectionId, Outbound, RoomTask};
use crate::metrics::Metrics;
use crate::store::OnCommit;

/// An event kept for replay: serialised once when everyone sees the same
/// thing, or kept whole when each viewer sees their own version.
pub(super) enum Kept {
    Public(Utf8Bytes),
    Personal { at: Timestamp, event: Event },
}

/// Serialises a server message once, for as many connections as need it
/// (and for the one a socket answers by itself).
pub fn frame(message: &ServerMessage) -> Utf8Bytes {
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

/// An event as kept for replay (see [`Kept`]), and the frame everyone
/// gets when it is public.
fn kept(seq: Seq, at: Timestamp, event: &Event) -> Kept {
    if event.is_personal() {
        Kept::Personal {
            at,
            event: event.clone(),
        }
    } else {
        // Serialised once for the whole room.
        Kept::Public(frame(&ServerMessage::Event {
            seq,
            at,
            event: event.for_clients().into_owned(),
        }))
    }
}

/// One connection's share of a command's events.
struct Delivery {
    conn: ConnectionId,
    outbound: mpsc::Sender<Outbound>,
    frames: Vec<Utf8Bytes>,
}

/// A command's events made ready before they are stored: every
/// connection's frames, and each event as kept for replay. The frames are
/// queued by the store's thread the moment the events are committed (and
/// synced: [`Outgoing::on_commit`]); the room folds and keeps the events
/// when it hears of the commit ([`RoomTask::published`]).
pub(super) struct Outgoing {
    deliveries: Vec<Delivery>,
    kept: Vec<Kept>,
    /// The connections that could not take their frames, with whether
    /// their queue was full (rather than closed); set on the store's thread.
    stalled: Arc<OnceLock<Vec<(ConnectionId, bool)>>>,
}

impl Outgoing {
    /// Adds a frame for one connection, after its share of the events.
    pub(super) fn add(&mut self, conn: ConnectionId, frame: Utf8Bytes) {
        if let Some(delivery) = self
            .deliveries
            .iter_mut()
            .find(|delivery| delivery.conn == conn)
        {
            delivery.frames.push(frame);
        }
    }

    /// What the store's thread runs once the events are committed: queues
    /// each connection's frames, in order, stopping at the first a
    /// connection cannot take (the room cuts that one off afterwards).
    /// With `timed`, counts the time since the command arrived once its
    /// frames are queued (`moot_command_seconds`).
    pub(super) fn on_commit(&mut self, timed: Option<(Instant, Arc<Metrics>)>) -> OnCommit {
        let deliveries = std::mem::take(&mut self.deliveries);
        let stalled = Arc::clone(&self.stalled);
        Box::new(move || {
            let mut cut = Vec::new();
            for delivery in deliveries {
                for frame in delivery.frames {
                    if let Err(error) = delivery.outbound.try_send(Outbound::Frame(frame)) {
                        cut.push((delivery.conn, matches!(error, TrySendError::Full(_))));
                        break;
                    }
                }
            }
            let _ = stalled.set(cut);
            if let Some((arrived, metrics)) = timed {
                metrics.command_shown(arrived.elapsed());
            }
        })
    }
}

impl RoomTask {
    /// Keeps an event for replay.
    pub(super) fn keep(&mut self, seq: Seq, at: Timestamp, event: &Event) {
        self.keep_kept(seq, kept(seq, at, event));
    }

    fn keep_kept(&mut self, seq: Seq, kept: Kept) {
        if self.recent.len() == self.config.replay_events {
            self.recent.pop_front();
        }
        self.recent.push_back((seq, kept));
    }

    /// Serialises `events` (to be stored with the sequence numbers after
    /// the room's) for every connection, as each may see them.
    pub(super) fn outgoing(&self, at: Timestamp, events: &[Event]) -> Outgoing {
        let mut deliveries: Vec<(Viewer, Delivery)> = self
            .connections
            .iter()
            .map(|(conn, connection)| {
                let delivery = Delivery {
                    conn: *conn,
                    outbound: connection.outbound.clone(),
                    frames: Vec::with_capacity(events.len()),
                };
                (connection.viewer(), delivery)
            })
            .collect();
        let mut kept_events = Vec::with_capacity(events.len());
        let mut seq = self.seq;
        for event in events {
            seq = seq.next();
            let kept = kept(seq, at, event);
            match &kept {
                Kept::Public(frame) => {
                    for (_, delivery) in &mut deliveries {
                        delivery.frames.push(frame.clone());
                    }
                }
                Kept::Personal { .. } => {
                    // Most viewers see the same version of a secret (everyone
                    // but the voter sees a vote without its ballot): each
                    // distinct version is serialised once and its bytes shared.
                    let mut versions: Vec<(Event, Utf8Bytes)> = Vec::new();
                    for (viewer, delivery) in &mut deliveries {
                        let version = event.for_viewer(*viewer);
                        let frame = match versions.iter().find(|(seen, _)| *seen == *version) {
                            Some((_, frame)) => frame.clone(),
                            None => {
                                let frame = frame(&ServerMessage::Event {
                                    seq,
                                    at,
                                    event: version.clone().into_owned(),
                                });
                                versions.push((version.into_owned(), frame.clone()));
                                frame
                            }
                        };
                        delivery.frames.push(frame);
                    }
                }
            }
            kept_events.push(kept);
        }
        Outgoing {
            deliveries: deliveries
                .into_iter()
                .map(|(_, delivery)| delivery)
                .collect(),
            kept: kept_events,
            stalled: Arc::default(),
        }
    }

    /// After `events` were stored and their frames queued: folds them into
    /// the room, keeps them for replay, and cuts off the connections whose
    /// queue could not take them (full: the client is not reading; it
    /// resumes later instead of holding the room back).
    pub(super) fn published(&mut self, events: &[Event], outgoing: Outgoing) {
        for (event, kept) in events.iter().zip(outgoing.kept) {
            self.room.on_event(event);
            self.metrics.event(event);
            self.seq = self.seq.next();
            self.keep_kept(self.seq, kept);
        }
        // Set before the store answered (it runs `on_commit` first).
        for &(conn, full) in outgoing.stalled.get().into_iter().flatten() {
            if full {
                self.metrics.send_queue_drop();
            }
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
