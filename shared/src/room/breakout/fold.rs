//! Folding breakout events, and what each viewer may see of a breakout:
//! a group's notes reach only the people who are or were in it, until the
//! group shares them after the breakout (see the module docs of
//! [`super`]).

use super::{Breakout, BreakoutId, Breakouts, Group, GroupNote, GroupNumber};
use crate::limits::MAX_GROUP_NOTES;
use crate::room::{Event, Room, Viewer};

/// Folds a breakout event into the room.
pub(in crate::room) fn fold(room: &mut Room, event: &Event) {
    match event {
        Event::BreakoutStarted { breakout, circle } => {
            let breakouts = &mut room.breakouts;
            breakouts.runs.push(breakout.clone());
            // The schedule of pair rounds goes on across other breakouts.
            if circle.is_some() {
                breakouts.circle.clone_from(circle);
            }
        }
        Event::BreakoutStepStarted {
            breakout,
            round,
            step,
            at,
            ends_at,
        } => {
            if let Some(run) = run_mut(&mut room.breakouts, *breakout) {
                run.step = super::StepAt {
                    round: *round,
                    step: *step,
                    started_at: *at,
                    ends_at: *ends_at,
                };
                // "We're done" is about the step the group was in.
                for group in &mut run.groups {
                    group.done = false;
                }
            }
        }
        Event::BreakoutRetimed {
            breakout,
            ends_at,
            closing_at,
        } => {
            if let Some(run) = run_mut(&mut room.breakouts, *breakout) {
                run.step.ends_at = *ends_at;
                run.closing_at = *closing_at;
            }
        }
        Event::BreakoutClosing { breakout, at } => {
            if let Some(run) = run_mut(&mut room.breakouts, *breakout) {
                run.closing_at = Some(*at);
            }
        }
        Event::BreakoutEnded { breakout, at } => {
            let Some(run) = room.breakouts.breakout(*breakout).cloned() else {
                return;
            };
            // Who met whom, by the names they had as the breakout ended.
            let (everyone, numbered) = super::numbered_names(room, &run.groups);
            room.breakouts.met.record(&numbered, &everyone);
            if let Some(run) = run_mut(&mut room.breakouts, *breakout) {
                run.ended_at = Some(*at);
                run.closing_at = None;
            }
        }
        Event::GroupMemberMoved {
            breakout,
            participant,
            group,
            notes,
        } => {
            let Some(run) = run_mut(&mut room.breakouts, *breakout) else {
                return;
            };
            for group in &mut run.groups {
                group.members.retain(|member| member != participant);
            }
            let Some(number) = group else { return };
            let index = match run.groups.iter().position(|kept| kept.number == *number) {
                Some(index) => index,
                None => {
                    run.groups.push(Group {
                        number: *number,
                        members: Vec::new(),
                        audience: Vec::new(),
                        notes: Vec::new(),
                        done: false,
                        shared: false,
                    });
                    run.groups.len() - 1
                }
            };
            let target = &mut run.groups[index];
            target.members.push(*participant);
            if !target.audience.contains(participant) {
                target.audience.push(*participant);
            }
            for note in notes {
                upsert(&mut target.notes, note);
            }
        }
        Event::GroupNoteAdded {
            breakout,
            group,
            note,
            ..
        } => {
            if let Some(group) = group_mut(&mut room.breakouts, *breakout, *group) {
                upsert(&mut group.notes, note);
            }
        }
        Event::GroupNoteRemoved {
            breakout,
            group,
            note,
            ..
        } => {
            if let Some(group) = group_mut(&mut room.breakouts, *breakout, *group) {
                group.notes.retain(|kept| kept.id != *note);
            }
        }
        Event::GroupDoneChanged {
            breakout,
            group,
            done,
        } => {
            if let Some(group) = group_mut(&mut room.breakouts, *breakout, *group) {
                group.done = *done;
            }
        }
        Event::GroupNotesShared {
            breakout,
            group,
            notes,
        } => {
            if let Some(group) = group_mut(&mut room.breakouts, *breakout, *group) {
                group.shared = true;
                group.notes.clone_from(notes);
            }
        }
        Event::CallLinkSet { breakout, link } => {
            if let Some(run) = run_mut(&mut room.breakouts, *breakout) {
                run.call_link.clone_from(link);
            }
        }
        _ => {}
    }
}

fn run_mut(breakouts: &mut Breakouts, id: BreakoutId) -> Option<&mut Breakout> {
    breakouts.runs.iter_mut().find(|run| run.id == id)
}

fn group_mut(breakouts: &mut Breakouts, id: BreakoutId, number: GroupNumber) -> Option<&mut Group> {
    run_mut(breakouts, id)?
        .groups
        .iter_mut()
        .find(|group| group.number == number)
}

/// Puts `note` in place of the note of its number, or adds it in order.
fn upsert(notes: &mut Vec<GroupNote>, note: &GroupNote) {
    match notes.binary_search_by_key(&note.id, |kept| kept.id) {
        Ok(index) => notes[index].clone_from(note),
        Err(index) => notes.insert(index, note.clone()),
    }
}

/// Whether a breakout event may read differently to different viewers.
pub(in crate::room) fn is_personal(event: &Event) -> bool {
    match event {
        Event::GroupNoteAdded { .. } | Event::GroupNoteRemoved { .. } => true,
        Event::GroupMemberMoved { notes, .. } => !notes.is_empty(),
        _ => false,
    }
}

/// A breakout event as `viewer` may see it; `None` when it reads the same
/// to them as it is.
pub(in crate::room) fn event_for_viewer(event: &Event, viewer: Viewer) -> Option<Event> {
    let outside = |audience: &[crate::ids::ParticipantId]| !matches!(viewer, Viewer::Participant(id) if audience.contains(&id));
    match event {
        Event::GroupNoteAdded { audience, .. } | Event::GroupNoteRemoved { audience, .. }
            if outside(audience) =>
        {
            Some(Event::Withheld)
        }
        Event::GroupMemberMoved {
            breakout,
            participant,
            group,
            notes,
        } if !notes.is_empty() && viewer != Viewer::Participant(*participant) => {
            Some(Event::GroupMemberMoved {
                breakout: *breakout,
                participant: *participant,
                group: *group,
                notes: Vec::new(),
            })
        }
        _ => None,
    }
}

/// The breakouts as `viewer` may see them: no group's notes outside its
/// audience unless shared.
pub(in crate::room) fn for_viewer(breakouts: &Breakouts, viewer: Viewer) -> Breakouts {
    let mut visible = breakouts.clone();
    for run in &mut visible.runs {
        for group in &mut run.groups {
            if !group.shows_notes_to(viewer) {
                group.notes.clear();
            }
        }
    }
    visible
}

/// Checks the breakouts' invariants.
pub(in crate::room) fn check_invariants(room: &Room) -> Result<(), String> {
    let breakouts = &room.breakouts;
    if let Some(open) = breakouts
        .runs
        .iter()
        .rev()
        .skip(1)
        .find(|run| run.is_open())
    {
        return Err(format!("breakout {} is open but not the last", open.id.0));
    }
    for run in &breakouts.runs {
        let mut numbers: Vec<u8> = run.groups.iter().map(|group| group.number.0).collect();
        numbers.sort_unstable();
        numbers.dedup();
        if numbers.len() != run.groups.len() {
            return Err(format!(
                "two groups of breakout {} share a number",
                run.id.0
            ));
        }
        let mut members: Vec<_> = run.groups.iter().flat_map(|group| &group.members).collect();
        let count = members.len();
        members.sort();
        members.dedup();
        if members.len() != count {
            return Err(format!("someone is in two groups of breakout {}", run.id.0));
        }
        for group in &run.groups {
            if group.notes.len() > MAX_GROUP_NOTES {
                return Err(format!("group {} keeps too many notes", group.number.0));
            }
            if group
                .members
                .iter()
                .any(|member| !group.audience.contains(member))
            {
                return Err(format!(
                    "a member of group {} may not read its notes",
                    group.number.0
                ));
            }
        }
    }
    Ok(())
}
