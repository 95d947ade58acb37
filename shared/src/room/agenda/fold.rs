//! Folding agenda events into the room.

use super::{PhaseSpec, PhaseState};
use crate::room::queue::Direction;
use crate::room::{Event, Room};

/// Folds one event into the agenda.
pub(in crate::room) fn fold(room: &mut Room, event: &Event) {
    let agenda = &mut room.agenda;
    match event {
        Event::AgendaSet { format, phases } => {
            agenda.format = Some(*format);
            agenda.ended = false;
            agenda
                .phases
                .retain(|phase| phase.state != PhaseState::Upcoming);
            agenda.phases.extend(phases.iter().cloned());
            bump_last(agenda, phases.iter().map(|phase| phase.id.0));
        }
        Event::PhaseStarted { phase, at } => {
            if let Some(phase) = agenda.phases.iter_mut().find(|p| p.id == *phase) {
                phase.state = PhaseState::Current;
                phase.started_at = Some(*at);
                phase.ended_at = None;
                phase.ready.clear();
            }
        }
        Event::PhaseEnded { phase, at, outcome } => {
            if let Some(phase) = agenda.phases.iter_mut().find(|p| p.id == *phase) {
                if phase.state == PhaseState::Current
                    && let Some(started) = phase.started_at
                {
                    phase.spent_ms = phase
                        .spent_ms
                        .saturating_add(at.0.saturating_sub(started.0));
                    phase.ended_at = Some(*at);
                }
                // A phase done before and skipped on the way back stays done.
                if !(phase.state == PhaseState::Done && *outcome == PhaseState::Skipped) {
                    phase.state = *outcome;
                }
                phase.ready.clear();
            }
        }
        Event::PhaseEdited {
            phase,
            title,
            prompt,
            planned_secs,
        } => {
            if let Some(phase) = agenda.phases.iter_mut().find(|p| p.id == *phase) {
                phase.spec = PhaseSpec {
                    planned_secs: *planned_secs,
                    ..phase.spec.retitled(title.clone(), prompt.clone())
                };
            }
        }
        Event::PhaseInserted { after, phase } => {
            let index = match after {
                Some(after) => agenda
                    .phases
                    .iter()
                    .position(|p| p.id == *after)
                    .map_or(agenda.phases.len(), |index| index + 1),
                // First among the phases still to come.
                None => agenda
                    .phases
                    .iter()
                    .position(|p| p.state == PhaseState::Upcoming)
                    .unwrap_or(agenda.phases.len()),
            };
            agenda.phases.insert(index, phase.clone());
            if agenda.format.is_none() {
                agenda.format = Some(super::Format::Custom);
            }
            bump_last(agenda, [phase.id.0]);
        }
        Event::PhaseRemoved { phase } => agenda.phases.retain(|p| p.id != *phase),
        Event::PhaseMoved { phase, direction } => {
            if let Some(index) = agenda.phases.iter().position(|p| p.id == *phase) {
                let other = match direction {
                    Direction::Up => index.checked_sub(1),
                    Direction::Down => Some(index + 1).filter(|i| *i < agenda.phases.len()),
                };
                if let Some(other) = other {
                    agenda.phases.swap(index, other);
                }
            }
        }
        Event::ReadyChanged {
            phase,
            participant,
            ready,
        } => {
            if let Some(phase) = agenda.phases.iter_mut().find(|p| p.id == *phase) {
                phase.ready.retain(|who| who != participant);
                if *ready {
                    phase.ready.push(*participant);
                }
            }
        }
        Event::AgendaEnded => agenda.ended = true,
        Event::RoleAssigned { role, participant } => {
            // One holder per role, one role per person.
            agenda
                .roles
                .retain(|holder| holder.role != *role && Some(holder.participant) != *participant);
            if let Some(participant) = participant {
                agenda.roles.push(super::RoleHolder {
                    role: *role,
                    participant: *participant,
                });
            }
        }
        Event::KeyQuestionSet { question } => agenda.key_question = question.clone(),
        _ => {}
    }
}

fn bump_last(agenda: &mut super::Agenda, ids: impl IntoIterator<Item = u16>) {
    for id in ids {
        agenda.last_phase = agenda.last_phase.max(id);
    }
}
