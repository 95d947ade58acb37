//! Presence: who is here, away (tab hidden, connection lost) or gone (away
//! for longer than the grace period). The room task tells the room when
//! someone's first connection opens and their last one closes; the room
//! itself keeps the deadline at which a disconnected person turns gone, and
//! [`moot_shared::Room::next_deadline`] wakes the task for it like any other
//! deadline (see `RoomTask::run`). The same two moments drive the
//! facilitator fallback (`moot_shared::room::fallback`): the server's
//! fallback and reclaim periods travel with the commands.

use std::time::Duration;

use moot_shared::{Actor, Command, ParticipantId};

use super::RoomTask;

impl RoomTask {
    /// Tells the room about participants whose last connection closed: they
    /// are away now and turn gone after the grace period, unless they
    /// connect again first.
    pub(super) async fn settle_departures(&mut self) {
        while let Some((participant, silent_for)) = self.departed.pop() {
            if self
                .connections
                .values()
                .any(|connection| connection.participant == Some(participant))
            {
                continue;
            }
            let fallback = self.config.facilitator_fallback.saturating_sub(silent_for);
            let command = Command::MarkDisconnected {
                participant,
                grace_ms: millis(self.config.presence_grace),
                fallback_ms: millis(fallback),
            };
            // Refused only for someone no longer in the meetup (nothing to
            // show) or when storage failed (they stay shown as before).
            let _ = self.apply(Actor::System, command, None).await;
        }
    }

    /// Tells the room a participant connected: they are here, and no longer
    /// on their way to gone.
    pub(super) async fn mark_connected(&mut self, participant: ParticipantId) {
        self.departed
            .retain(|(departed, _)| *departed != participant);
        let command = Command::MarkConnected {
            participant,
            reclaim_ms: millis(self.config.facilitator_reclaim),
        };
        // Refused for the same reasons as above.
        let _ = self.apply(Actor::System, command, None).await;
    }
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}
