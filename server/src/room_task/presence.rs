//! Presence: who is here, away (tab hidden, connection lost) or gone (away
//! for longer than the grace period). The room task turns connections and
//! their absence into `presence_changed` events.

use moot_shared::room::{Membership, Presence};
use moot_shared::{Actor, Command, ParticipantId};
use tokio::time::Instant;

use super::RoomTask;

impl RoomTask {
    /// Marks participants whose last connection closed as away, and as gone
    /// once the grace period passes without a new connection.
    pub(super) async fn settle_departures(&mut self) {
        while let Some(participant) = self.departed.pop() {
            if self
                .connections
                .values()
                .any(|connection| connection.participant == Some(participant))
            {
                continue;
            }
            let active = self
                .room
                .participant(participant)
                .is_some_and(|p| p.membership == Membership::Active);
            if !active {
                continue;
            }
            // Briefly disconnected counts as away; gone only after the grace period.
            self.set_presence(participant, Presence::Away).await;
            self.gone_deadlines
                .insert(participant, Instant::now() + self.config.presence_grace);
        }
    }

    pub(super) async fn mark_gone(&mut self, now: Instant) {
        let expired: Vec<ParticipantId> = self
            .gone_deadlines
            .iter()
            .filter(|(_, deadline)| **deadline <= now)
            .map(|(who, _)| *who)
            .collect();
        for participant in expired {
            self.gone_deadlines.remove(&participant);
            self.set_presence(participant, Presence::Gone).await;
        }
    }

    pub(super) async fn set_presence(&mut self, participant: ParticipantId, presence: Presence) {
        let command = Command::MarkPresence {
            participant,
            presence,
        };
        // Refused only when the participant is no longer in the meetup (no
        // presence to show) or storage failed (the old presence stays shown).
        let _ = self.apply(Actor::System, command, None).await;
    }
}
