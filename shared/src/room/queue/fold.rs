//! Folding queue events into the room (each ended turn adds to its
//! speaker's airtime), and the queue's invariants.

use super::{Airtime, Entry, Queue, Round, Speaker, is_active};
use crate::room::{Event, Room};

/// Folds a queue event into the room.
pub(in crate::room) fn fold(room: &mut Room, event: &Event) {
    let queue = &mut room.queue;
    match event {
        Event::HandRaised {
            entry,
            participant,
            kind,
            note,
        } => {
            queue.last_entry = queue.last_entry.max(*entry);
            queue.entries.push(Entry {
                id: *entry,
                participant: *participant,
                kind: *kind,
                note: note.clone(),
                rank: None,
            });
        }
        Event::EntryEdited { entry, kind, note } => {
            if let Some(edited) = queue.entries.iter_mut().find(|other| other.id == *entry) {
                if edited.kind != *kind {
                    // An arranged place belongs to the type it was arranged in.
                    edited.rank = None;
                }
                edited.kind = *kind;
                edited.note = note.clone();
            }
        }
        Event::EntryWithdrawn { entry } => queue.entries.retain(|other| other.id != *entry),
        Event::QueueReordered { kind, order } => {
            for entry in queue.entries.iter_mut().filter(|entry| entry.kind == *kind) {
                entry.rank = order
                    .iter()
                    .position(|id| *id == entry.id)
                    .and_then(|place| u32::try_from(place).ok());
            }
        }
        Event::FloorGiven {
            turn,
            participant,
            entry,
            started_at,
        } => {
            let called = entry.and_then(|entry| {
                let at = queue.entries.iter().position(|other| other.id == entry)?;
                Some(queue.entries.remove(at))
            });
            queue.last_turn = queue.last_turn.max(*turn);
            queue.speaker = Some(Speaker {
                turn: *turn,
                participant: *participant,
                kind: called.as_ref().map(|entry| entry.kind),
                note: called.and_then(|entry| entry.note),
                started_at: *started_at,
            });
            if let Some(round) = &mut queue.round {
                round.remaining.retain(|due| due != participant);
            }
        }
        Event::TurnEnded {
            participant,
            millis,
            passed,
            ..
        } => {
            queue.speaker = None;
            let at = match queue
                .airtime
                .iter()
                .position(|airtime| airtime.participant == *participant)
            {
                Some(at) => at,
                None => {
                    queue.airtime.push(Airtime {
                        participant: *participant,
                        millis: 0,
                        turns: 0,
                    });
                    queue.airtime.len() - 1
                }
            };
            let airtime = &mut queue.airtime[at];
            airtime.millis = airtime.millis.saturating_add(*millis);
            if !passed {
                airtime.turns = airtime.turns.saturating_add(1);
            }
        }
        Event::RoundStarted {
            kind,
            prompt,
            order,
        } => {
            queue.round = Some(Round {
                kind: *kind,
                prompt: prompt.clone(),
                order: order.clone(),
                remaining: order.clone(),
            });
        }
        Event::RoundEnded => queue.round = None,
        Event::QueueConfigured { settings } => queue.settings = *settings,
        _ => {}
    }
}

impl Queue {
    /// Checks the queue's invariants against the room it belongs to.
    ///
    /// # Errors
    ///
    /// A sentence naming the broken invariant.
    pub fn check_invariants(&self, room: &Room) -> Result<(), String> {
        for (index, entry) in self.entries.iter().enumerate() {
            if entry.id > self.last_entry {
                return Err(format!("entry {:?} was never given out", entry.id));
            }
            if index > 0 && self.entries[index - 1].id >= entry.id {
                return Err("entries are not in arrival order".to_owned());
            }
            if !is_active(room, entry.participant) {
                return Err(format!("{} is queued but not here", entry.participant));
            }
            if self.entries[..index]
                .iter()
                .any(|other| other.participant == entry.participant && other.kind == entry.kind)
            {
                return Err(format!(
                    "{} has two {:?} entries",
                    entry.participant, entry.kind
                ));
            }
        }
        if let Some(speaker) = &self.speaker {
            if speaker.turn != self.last_turn {
                return Err("the speaker's turn is not the latest".to_owned());
            }
            if !is_active(room, speaker.participant) {
                return Err(format!("{} speaks but is not here", speaker.participant));
            }
        }
        if let Some(round) = &self.round
            && round
                .remaining
                .iter()
                .any(|participant| !round.order.contains(participant))
        {
            return Err("someone is due in the round who is not in its order".to_owned());
        }
        for (index, airtime) in self.airtime.iter().enumerate() {
            if self.airtime[..index]
                .iter()
                .any(|other| other.participant == airtime.participant)
            {
                return Err(format!("{} has two airtime rows", airtime.participant));
            }
        }
        Ok(())
    }
}
