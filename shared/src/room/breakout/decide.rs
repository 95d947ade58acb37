//! Deciding breakout commands, the server's tick moving the steps on, and
//! what follows from people coming and going during a breakout. Nothing
//! here changes the room; [`super::fold`] does, from the events.

use super::{
    Breakout, BreakoutId, Circle, Forming, Group, GroupNote, GroupNoteId, GroupNumber, GroupRule,
    StepAt,
};
use crate::ids::ParticipantId;
use crate::limits::{
    BREAKOUT_COUNTDOWN_SECS, MAX_BREAKOUT_COUNTDOWN_SECS, MAX_GROUP_NOTES, MAX_GROUPS,
};
use crate::room::agenda::PhaseKind;
use crate::room::grouping::{self, Grouping, Rule};
use crate::room::membership::{Membership, Presence};
use crate::room::{Acting, Command, Event, Rejection, Room};
use crate::text::DisplayName;
use crate::time::Timestamp;

/// The smallest and largest group size a breakout may ask for.
pub const GROUP_SIZES: std::ops::RangeInclusive<u8> = 2..=4;

/// The longest a step may be given at once, in seconds.
const MAX_EXTENSION_SECS: u32 = 3600;

/// People who take part in a breakout: in the meetup and not gone (a
/// locked phone at the table still counts), in joining order.
fn eligible(room: &Room) -> Vec<(ParticipantId, DisplayName)> {
    room.active_participants()
        .filter(|person| person.presence != Presence::Gone)
        .map(|person| (person.id, person.name.clone()))
        .collect()
}

/// Whether `participant` takes part in breakouts now.
fn takes_part(room: &Room, participant: ParticipantId) -> bool {
    room.participant(participant).is_some_and(|person| {
        person.membership == Membership::Active && person.presence != Presence::Gone
    })
}

/// Checks a breakout phase's group size.
///
/// # Errors
///
/// [`Rejection::GroupSizeOutOfRange`].
pub(in crate::room) fn check_size(size: u8) -> Result<(), Rejection> {
    if GROUP_SIZES.contains(&size) {
        Ok(())
    } else {
        Err(Rejection::GroupSizeOutOfRange {
            min: *GROUP_SIZES.start(),
            max: *GROUP_SIZES.end(),
        })
    }
}

/// The breakout running now.
fn open(room: &Room) -> Result<&Breakout, Rejection> {
    room.breakouts.current().ok_or(Rejection::NoBreakout)
}

/// Decides whoever runs the meetup's breakout commands.
pub(in crate::room) fn decide_running(
    room: &Room,
    _acting: Acting<'_>,
    command: Command,
    now: Timestamp,
) -> Result<Vec<Event>, Rejection> {
    match command {
        Command::StartBreakout { phase, seed } => start(room, phase, seed, now),
        Command::MoveToGroup { participant, group } => {
            let breakout = open(room)?;
            if !takes_part(room, participant) {
                return Err(Rejection::UnknownParticipant);
            }
            if let Some(number) = group {
                let next = next_group_number(breakout);
                if breakout.group(number).is_none()
                    && (number != next || breakout.groups.len() >= MAX_GROUPS)
                {
                    return Err(Rejection::UnknownGroup);
                }
            }
            if breakout.group_of(participant).map(|group| group.number) == group {
                return Ok(Vec::new());
            }
            Ok(vec![moved(breakout, participant, group)])
        }
        Command::NextBreakoutStep { round, step } => {
            let breakout = open(room)?;
            if (breakout.step.round, breakout.step.step) != (round, step)
                || breakout.closing_at.is_some()
            {
                return Err(Rejection::StaleBreakoutStep);
            }
            let (round, step) = breakout
                .script
                .next(round, step)
                .ok_or(Rejection::NoNextStep)?;
            Ok(vec![step_started(breakout, round, step, now)])
        }
        Command::ExtendBreakout { delta_secs } => {
            let breakout = open(room)?;
            if delta_secs == 0 || delta_secs.unsigned_abs() > MAX_EXTENSION_SECS {
                return Err(Rejection::AdjustmentOutOfRange {
                    max_secs: MAX_EXTENSION_SECS,
                });
            }
            let moved_on = |from: Timestamp| -> Timestamp {
                let from = from.max(now);
                if delta_secs > 0 {
                    from.plus_millis(u64::from(delta_secs.unsigned_abs()) * 1000)
                } else {
                    // Taking time away never ends it before now.
                    Timestamp(
                        from.0
                            .saturating_sub(u64::from(delta_secs.unsigned_abs()) * 1000)
                            .max(now.0),
                    )
                }
            };
            Ok(vec![match breakout.closing_at {
                Some(closing) => Event::BreakoutRetimed {
                    breakout: breakout.id,
                    ends_at: breakout.step.ends_at,
                    closing_at: Some(moved_on(closing)),
                },
                // An untimed step given time runs from now.
                None => Event::BreakoutRetimed {
                    breakout: breakout.id,
                    ends_at: Some(moved_on(breakout.step.ends_at.unwrap_or(now))),
                    closing_at: None,
                },
            }])
        }
        Command::EndBreakout { countdown_secs } => {
            if countdown_secs > MAX_BREAKOUT_COUNTDOWN_SECS {
                return Err(Rejection::CountdownOutOfRange {
                    max_secs: MAX_BREAKOUT_COUNTDOWN_SECS,
                });
            }
            let breakout = open(room)?;
            if countdown_secs == 0 {
                return Ok(vec![Event::BreakoutEnded {
                    breakout: breakout.id,
                    at: now,
                }]);
            }
            let at = now.plus_millis(u64::from(countdown_secs) * 1000);
            // Calling back while already calling back never delays it.
            if breakout.closing_at.is_some_and(|closing| closing <= at) {
                return Ok(Vec::new());
            }
            Ok(vec![Event::BreakoutClosing {
                breakout: breakout.id,
                at,
            }])
        }
        Command::SetCallLink { link } => {
            let breakout = open(room)?;
            if breakout.call_link == link {
                return Ok(Vec::new());
            }
            Ok(vec![Event::CallLinkSet {
                breakout: breakout.id,
                link,
            }])
        }
        _ => Err(Rejection::ServerOnly),
    }
}

/// Decides a member's commands in their own group.
pub(in crate::room) fn decide_member(
    room: &Room,
    acting: Acting<'_>,
    command: Command,
    now: Timestamp,
) -> Result<Vec<Event>, Rejection> {
    let me = acting.member()?.id;
    match command {
        Command::AddGroupNote { text } => {
            let (breakout, group) = mine(room, me)?;
            if group.notes.len() >= MAX_GROUP_NOTES {
                return Err(Rejection::TooManyGroupNotes {
                    max: MAX_GROUP_NOTES as u8,
                });
            }
            Ok(vec![Event::GroupNoteAdded {
                breakout: breakout.id,
                group: group.number,
                note: GroupNote {
                    id: new_note_id(room, now),
                    author: me,
                    text,
                },
                audience: group.audience.clone(),
            }])
        }
        Command::RemoveGroupNote { note } => {
            let (breakout, group) = mine(room, me)?;
            if !group.notes.iter().any(|kept| kept.id == note) {
                return Err(Rejection::UnknownNote);
            }
            Ok(vec![Event::GroupNoteRemoved {
                breakout: breakout.id,
                group: group.number,
                note,
                audience: group.audience.clone(),
            }])
        }
        Command::SetGroupDone { done } => {
            let (breakout, group) = mine(room, me)?;
            if group.done == done {
                return Ok(Vec::new());
            }
            Ok(vec![Event::GroupDoneChanged {
                breakout: breakout.id,
                group: group.number,
                done,
            }])
        }
        Command::JoinGroup { group } => {
            let breakout = open(room)?;
            let target = breakout.group(group).ok_or(Rejection::UnknownGroup)?;
            let own = breakout.group_of(me);
            if own.is_some_and(|own| own.number == group) {
                return Ok(Vec::new());
            }
            if own.is_some_and(|own| own.members.len() > 1) {
                return Err(Rejection::NotAlone);
            }
            if target.members.is_empty() {
                return Err(Rejection::UnknownGroup);
            }
            Ok(vec![moved(breakout, me, Some(group))])
        }
        Command::ShareGroupNotes { breakout } => {
            let ended = room
                .breakouts
                .breakout(breakout)
                .ok_or(Rejection::NoBreakout)?;
            if ended.is_open() {
                return Err(Rejection::BreakoutStillOpen);
            }
            // Someone moved during the breakout shares the pad of the group
            // they ended in (the one their phone shows), not the first one
            // they were in; someone in no group at the end, one they were in.
            let group = ended
                .group_of(me)
                .or_else(|| {
                    ended
                        .groups
                        .iter()
                        .find(|group| group.audience.contains(&me))
                })
                .ok_or(Rejection::NotInGroup)?;
            if group.shared {
                return Ok(Vec::new());
            }
            Ok(vec![Event::GroupNotesShared {
                breakout,
                group: group.number,
                notes: group.notes.clone(),
            }])
        }
        _ => Err(Rejection::ServerOnly),
    }
}

/// The number for a note written at `now`: see [`GroupNoteId`].
fn new_note_id(room: &Room, now: Timestamp) -> GroupNoteId {
    let in_use = |id: u32| {
        room.breakouts
            .runs
            .iter()
            .flat_map(|run| &run.groups)
            .flat_map(|group| &group.notes)
            .any(|note| note.id.0 == id)
    };
    let since_opening = now.0.saturating_sub(room.opened_at.0);
    let mut id = u32::try_from(since_opening).unwrap_or(u32::MAX).max(1);
    while in_use(id) {
        // Past the last number (a meetup open for seven weeks), from 1.
        id = id.checked_add(1).unwrap_or(1);
    }
    GroupNoteId(id)
}

/// The running breakout and the group `me` is in.
fn mine(room: &Room, me: ParticipantId) -> Result<(&Breakout, &Group), Rejection> {
    let breakout = open(room)?;
    let group = breakout.group_of(me).ok_or(Rejection::NotInGroup)?;
    Ok((breakout, group))
}

/// The number a new group gets.
fn next_group_number(breakout: &Breakout) -> GroupNumber {
    GroupNumber(
        breakout
            .groups
            .iter()
            .map(|group| group.number.0)
            .max()
            .unwrap_or(0)
            .saturating_add(1),
    )
}

/// `participant` moved to `group` (or out), with the notes they may now read.
fn moved(breakout: &Breakout, participant: ParticipantId, group: Option<GroupNumber>) -> Event {
    let notes = group
        .and_then(|number| breakout.group(number))
        .map(|group| group.notes.clone())
        .unwrap_or_default();
    Event::GroupMemberMoved {
        breakout: breakout.id,
        participant,
        group,
        notes,
    }
}

/// `(round, step)` starting now, with its planned end.
fn step_started(breakout: &Breakout, round: u8, step: u8, at: Timestamp) -> Event {
    Event::BreakoutStepStarted {
        breakout: breakout.id,
        round,
        step,
        at,
        ends_at: breakout
            .script
            .step_secs(breakout.planned_secs, round, step)
            .map(|secs| at.plus_millis(u64::from(secs) * 1000)),
    }
}

/// Starts the breakout of the current phase: forms the groups.
fn start(
    room: &Room,
    phase: crate::room::agenda::PhaseId,
    seed: u64,
    now: Timestamp,
) -> Result<Vec<Event>, Rejection> {
    let current = room.agenda.phase(phase).ok_or(Rejection::UnknownPhase)?;
    if room.agenda.current().map(|current| current.id) != Some(phase) {
        return Err(Rejection::PhaseNotCurrent);
    }
    let PhaseKind::Breakout {
        size,
        forming,
        script,
    } = current.spec.kind
    else {
        return Err(Rejection::NotABreakoutPhase);
    };
    check_size(size)?;
    if room.breakouts.current().is_some() {
        return Err(Rejection::BreakoutOpen);
    }
    let people = eligible(room);
    if people.len() < 2 {
        return Err(Rejection::TooFewPeople { min: 2 });
    }
    let (groups, rule, circle) = form(room, &people, usize::from(size), forming, seed);
    let id = BreakoutId(room.breakouts.runs.len() as u16 + 1);
    let planned_secs = current.spec.planned_secs;
    let breakout = Breakout {
        id,
        phase,
        size,
        forming,
        script,
        planned_secs,
        seed,
        rule,
        groups: groups
            .into_iter()
            .zip(1..)
            .map(|(members, number)| Group {
                number: GroupNumber(number),
                audience: members.clone(),
                members,
                notes: Vec::new(),
                done: false,
                shared: false,
            })
            .collect(),
        step: StepAt {
            round: 0,
            step: 0,
            started_at: now,
            ends_at: script
                .step_secs(planned_secs, 0, 0)
                .map(|secs| now.plus_millis(u64::from(secs) * 1000)),
        },
        started_at: now,
        closing_at: None,
        ended_at: None,
        // A link set for the last breakout serves the next: the call's
        // rooms are the same rooms.
        call_link: room
            .breakouts
            .runs
            .last()
            .and_then(|last| last.call_link.clone()),
    };
    Ok(vec![Event::BreakoutStarted { breakout, circle }])
}

/// The groups for `people` (see [`grouping`]), how they were chosen, and
/// the round-robin schedule that follows a pair round.
fn form(
    room: &Room,
    people: &[(ParticipantId, DisplayName)],
    size: usize,
    forming: Forming,
    seed: u64,
) -> (Vec<Vec<ParticipantId>>, GroupRule, Option<Circle>) {
    let names: Vec<&DisplayName> = people.iter().map(|(_, name)| name).collect();
    let history = &room.breakouts.met;
    let met = |a: usize, b: usize| history.met(names[a], names[b]);
    let index_of = |id: ParticipantId| people.iter().position(|(person, _)| *person == id);
    let to_ids = |grouping: &Grouping| -> Vec<Vec<ParticipantId>> {
        grouping
            .groups
            .iter()
            .map(|group| group.iter().map(|index| people[*index].0).collect())
            .collect()
    };
    let last = room.breakouts.runs.last();
    // The last breakout's groups, as numbers of `people`.
    let previous: Vec<Vec<usize>> = match last {
        Some(last) => last
            .groups
            .iter()
            .map(|group| {
                group
                    .members
                    .iter()
                    .filter_map(|id| index_of(*id))
                    .collect()
            })
            .collect(),
        None => room
            .breakouts
            .carried_groups
            .iter()
            .map(|group| {
                group
                    .iter()
                    .filter_map(|name| names.iter().position(|known| known.same_as(name)))
                    .collect()
            })
            .collect(),
    };
    let circle = room.breakouts.circle.as_ref();
    match forming {
        Forming::Keep if !previous.is_empty() => {
            let kept = grouping::keep(people.len(), size, &previous, &met, seed);
            (to_ids(&kept), GroupRule::Kept, None)
        }
        Forming::MergePairs if last.is_some_and(|last| last.size == 2) => {
            let pairs: Vec<Vec<usize>> = previous
                .into_iter()
                .filter(|pair| !pair.is_empty())
                .collect();
            let mut merged = grouping::merge_pairs(&pairs).groups;
            // Whoever was in no pair joins the smallest four.
            for person in 0..people.len() {
                if !merged.iter().any(|group| group.contains(&person)) {
                    if merged.is_empty() {
                        merged.push(vec![person]);
                    } else {
                        let at = grouping::place(&merged, person, &met);
                        merged[at].push(person);
                    }
                }
            }
            let merged = Grouping {
                groups: merged,
                rule: Rule::Merged,
            };
            // A lone newcomer with nobody to merge with still gets a group.
            if merged.groups.iter().any(|group| group.len() < 2) {
                let rotated = grouping::rotate(people.len(), size, &met, seed, None);
                return (to_ids(&rotated), GroupRule::FewestRepeats, None);
            }
            (to_ids(&merged), GroupRule::Merged, None)
        }
        Forming::Random => {
            let shuffled = grouping::rotate(people.len(), size, &|_, _| 0, seed, None);
            (to_ids(&shuffled), GroupRule::Shuffled, None)
        }
        // The same people as the last pair round: its schedule goes on.
        _ if size == 2
            && circle.is_some_and(|circle| {
                circle.seats.len() == people.len()
                    && circle.seats.iter().all(|seat| index_of(*seat).is_some())
            }) =>
        {
            let circle = circle.cloned().unwrap_or(Circle {
                seats: Vec::new(),
                round: 0,
            });
            let seat_names: Vec<&DisplayName> = circle
                .seats
                .iter()
                .filter_map(|seat| index_of(*seat).map(|index| names[index]))
                .collect();
            let round = usize::from(circle.round) + 1;
            let rotated = grouping::rotate(
                circle.seats.len(),
                2,
                &|a, b| history.met(seat_names[a], seat_names[b]),
                seed,
                Some(round),
            );
            let groups = rotated
                .groups
                .iter()
                .map(|group| group.iter().map(|seat| circle.seats[*seat]).collect())
                .collect();
            let next = Circle {
                round: u16::try_from(round % grouping::circle_rounds(circle.seats.len()))
                    .unwrap_or(0),
                ..circle
            };
            (groups, GroupRule::RoundRobin, Some(next))
        }
        _ => {
            let rotated = grouping::rotate(people.len(), size, &met, seed, None);
            // A first pair round seats the round-robin schedule that the
            // next pair rounds with the same people follow.
            let circle = (size == 2)
                .then(|| grouping::seats_for(&rotated.groups, people.len()))
                .filter(|seats| seats.iter().all(|seat| *seat < people.len()))
                .map(|seats| Circle {
                    seats: seats.into_iter().map(|seat| people[seat].0).collect(),
                    round: 0,
                });
            (to_ids(&rotated), GroupRule::FewestRepeats, circle)
        }
    }
}

/// The next moment the running breakout moves on by itself: its step's
/// end, or the end of the countdown back.
pub(in crate::room) fn next_deadline(room: &Room) -> Option<Timestamp> {
    let breakout = room.breakouts.current()?;
    breakout.closing_at.or(breakout.step.ends_at)
}

/// What the tick does at `now`: the countdown back ends the breakout; a
/// step's end starts the next step, or after the last calls everyone back.
pub(in crate::room) fn expire(room: &Room, now: Timestamp) -> Vec<Event> {
    let Some(breakout) = room.breakouts.current() else {
        return Vec::new();
    };
    if let Some(closing) = breakout.closing_at {
        if closing <= now {
            return vec![Event::BreakoutEnded {
                breakout: breakout.id,
                at: closing,
            }];
        }
        return Vec::new();
    }
    let Some(ends_at) = breakout.step.ends_at.filter(|ends| *ends <= now) else {
        return Vec::new();
    };
    // Each step starts when the one before was planned to end, so a late
    // tick (a restart) does not shift the schedule.
    match breakout
        .script
        .next(breakout.step.round, breakout.step.step)
    {
        Some((round, step)) => vec![step_started(breakout, round, step, ends_at)],
        None => vec![Event::BreakoutClosing {
            breakout: breakout.id,
            at: ends_at.plus_millis(u64::from(BREAKOUT_COUNTDOWN_SECS) * 1000),
        }],
    }
}

/// What follows from people coming and going during a breakout, after
/// `events`: someone who arrives (or comes back from gone) joins the
/// smallest group, among those the one whose members they met least;
/// someone who leaves, is removed or turns gone leaves their group. A
/// partner left alone stays put: their phone offers to join another group.
pub(in crate::room) fn after_membership(room: &Room, mut events: Vec<Event>) -> Vec<Event> {
    if room.breakouts.current().is_none() {
        return events;
    }
    let mut after = room.clone();
    let mut follow = Vec::new();
    for event in &events {
        after.on_event(event);
        let (participant, arrives) = match event {
            Event::ParticipantJoined { participant, .. }
            | Event::ParticipantRejoined { participant } => (*participant, true),
            Event::PresenceChanged {
                participant,
                presence,
            } => {
                let was_gone = room
                    .participant(*participant)
                    .is_some_and(|person| person.presence == Presence::Gone);
                match presence {
                    Presence::Gone => (*participant, false),
                    _ if was_gone => (*participant, true),
                    _ => continue,
                }
            }
            Event::ParticipantLeft { participant } | Event::ParticipantRemoved { participant } => {
                (*participant, false)
            }
            _ => continue,
        };
        let Some(breakout) = after.breakouts.current() else {
            continue;
        };
        let grouped = breakout.group_of(participant).map(|group| group.number);
        let change = if arrives {
            match grouped {
                Some(_) => None,
                None => placement(&after, breakout, participant).map(Some),
            }
        } else {
            grouped.map(|_| None)
        };
        if let Some(group) = change {
            let event = moved(breakout, participant, group);
            after.on_event(&event);
            follow.push(event);
        }
    }
    events.extend(follow);
    events
}

/// The group someone arriving joins: the smallest that has anyone in it,
/// and among those the one whose members they met least.
fn placement(room: &Room, breakout: &Breakout, participant: ParticipantId) -> Option<GroupNumber> {
    let name = room.participant(participant)?.name.clone();
    let groups: Vec<&Group> = breakout
        .groups
        .iter()
        .filter(|group| !group.members.is_empty())
        .collect();
    if groups.is_empty() {
        return None;
    }
    // `grouping::place` numbers people: the groups' members first, then
    // the newcomer.
    let (mut everyone, numbered) = super::numbered_names(room, groups.iter().copied());
    let newcomer = everyone.len();
    everyone.push(name);
    let history = &room.breakouts.met;
    let at = grouping::place(&numbered, newcomer, &|a, b| {
        history.met(&everyone[a], &everyone[b])
    });
    Some(groups[at].number)
}
