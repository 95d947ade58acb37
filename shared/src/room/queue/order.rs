//! Who speaks when. The order is computed here, from the room, so every
//! screen shows the same one: the queue's speaking order (type, the
//! facilitator's arrangement, then airtime or arrival), who is next, and a
//! round's order, drawn from a seed the server passes in.

use super::{Entry, Queue, Round, is_active};
use crate::ids::ParticipantId;
use crate::random::SplitMix64;
use crate::room::Room;
use crate::room::membership::Role;

impl Queue {
    /// The open entries in speaking order.
    pub fn ordered(&self) -> Vec<&Entry> {
        let mut ordered: Vec<&Entry> = self.entries.iter().collect();
        ordered.sort_by_key(|entry| {
            let airtime = if self.settings.progressive {
                self.airtime_of(entry.participant)
            } else {
                0
            };
            // `None` sorts before `Some`, so arranged entries test `is_none` first.
            (
                entry.kind,
                entry.rank.is_none(),
                entry.rank,
                airtime,
                entry.id,
            )
        });
        ordered
    }

    /// Who speaks after the current speaker, up to `count` people: the rest
    /// of the round while one runs (skipping people no longer here),
    /// otherwise the queue in speaking order.
    pub fn up_next(&self, room: &Room, count: usize) -> Vec<ParticipantId> {
        match &self.round {
            Some(round) => round
                .remaining
                .iter()
                .copied()
                .filter(|id| is_active(room, *id))
                .take(count)
                .collect(),
            None => self
                .ordered()
                .iter()
                .map(|entry| entry.participant)
                .take(count)
                .collect(),
        }
    }

    /// The soft limit of the current turn, in milliseconds: the round's
    /// clock while a round runs, the turn limit otherwise.
    pub fn turn_limit_millis(&self) -> u64 {
        let secs = if self.round.is_some() {
            self.settings.round_turn_secs
        } else {
            self.settings.turn_limit_secs
        };
        u64::from(secs) * 1_000
    }

    /// Who speaks after the current speaker: the next in the round while one
    /// runs, otherwise the head of the queue.
    pub fn next_in_line(&self, room: &Room) -> Option<ParticipantId> {
        match &self.round {
            Some(round) => next_in_round(room, round, None),
            None => self.ordered().first().map(|entry| entry.participant),
        }
    }
}

/// The first person still due in `round` who is here, leaving out `leaving`.
pub(super) fn next_in_round(
    room: &Room,
    round: &Round,
    leaving: Option<ParticipantId>,
) -> Option<ParticipantId> {
    round
        .remaining
        .iter()
        .copied()
        .find(|participant| Some(*participant) != leaving && is_active(room, *participant))
}

/// The order of a round: everyone but the facilitator, shuffled from `seed`
/// (Fisher–Yates), then the facilitator.
pub fn round_order(room: &Room, seed: u64) -> Vec<ParticipantId> {
    let mut order: Vec<ParticipantId> = room
        .active_participants()
        .filter(|participant| participant.role != Role::Facilitator)
        .map(|participant| participant.id)
        .collect();
    SplitMix64(seed).shuffle(&mut order);
    order.extend(room.facilitator().map(|facilitator| facilitator.id));
    order
}
