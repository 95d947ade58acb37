//! Admitting a connection: join, rejoin or shared screen through the
//! reducer, then `welcome` with the missed events (replay) or a snapshot.

use axum::extract::ws::Utf8Bytes;
use moot_shared::protocol::{PROTOCOL_VERSION, ServerMessage};
use moot_shared::{Actor, Command, Rejection, Seq};
use tokio::sync::mpsc;

use super::fanout::{Kept, frame, personal_frame};
use super::{Admission, Connection, ConnectionId, Outbound, RoomTask};
use crate::metrics::CatchUp;
use crate::secrets;

impl RoomTask {
    pub(super) async fn connect(
        &mut self,
        admission: Admission,
        last_seq: Option<Seq>,
        outbound: mpsc::Sender<Outbound>,
    ) -> Result<ConnectionId, Rejection> {
        let (participant, token) = match admission {
            Admission::Join { name, credential } => {
                let participant = credential.participant;
                let command = Command::Join {
                    participant,
                    name,
                    credential: secrets::digest(&credential),
                };
                self.apply(Actor::System, command, None).await?;
                (Some(participant), Some(credential.token()))
            }
            Admission::Rejoin { credential, name } => {
                let participant = credential.participant;
                let command = Command::Rejoin {
                    participant,
                    credential: secrets::digest(&credential),
                    name,
                };
                self.apply(Actor::System, command, None).await?;
                (Some(participant), None)
            }
            Admission::Screen { key } => {
                // A well-formed key that is not the room's is most likely
                // a screen whose link was replaced: say so.
                if !self.room.screen.admits(&key) {
                    return Err(Rejection::ScreenLinkStopped);
                }
                (None, None)
            }
        };
        let conn = ConnectionId(self.next_conn);
        self.next_conn += 1;
        let connection = Connection {
            participant,
            outbound,
        };
        let viewer = connection.viewer();
        self.connections.insert(conn, connection);

        let replay_from = last_seq.filter(|last| self.can_replay(*last));
        self.metrics.welcome(match (last_seq, replay_from) {
            (_, Some(_)) => CatchUp::Replay,
            (None, None) => CatchUp::Snapshot,
            (Some(_), None) => CatchUp::ResumeSnapshot,
        });
        let snapshot = replay_from
            .is_none()
            .then(|| Box::new(self.room.for_viewer(viewer)));
        let welcome = ServerMessage::Welcome {
            protocol: PROTOCOL_VERSION,
            participant,
            token,
            server_time: self.now(),
            seq: self.seq,
            snapshot,
        };
        let mut delivered = self.send_frame(conn, frame(&welcome));
        if let Some(last) = replay_from {
            let missed: Vec<Utf8Bytes> = self
                .recent
                .iter()
                .filter(|(seq, _)| *seq > last)
                .map(|(seq, kept)| match kept {
                    Kept::Public(frame) => frame.clone(),
                    Kept::Personal { at, event } => personal_frame(*seq, *at, event, viewer),
                })
                .collect();
            for frame in missed {
                delivered = delivered && self.send_frame(conn, frame);
            }
        }
        if let Some(participant) = participant {
            self.mark_connected(participant).await;
        }
        Ok(conn)
    }

    /// Whether a client that has seen `last` can be caught up from memory,
    /// within what its queue can take at once.
    pub(super) fn can_replay(&self, last: Seq) -> bool {
        if last > self.seq {
            return false;
        }
        let missed = self.seq.0 - last.0;
        let oldest_kept = self.recent.front().map_or(self.seq.next(), |(seq, _)| *seq);
        missed == 0
            || (oldest_kept <= last.next() && missed < (self.config.send_queue_frames as u64) / 2)
    }
}
