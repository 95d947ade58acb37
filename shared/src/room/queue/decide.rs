//! Deciding queue commands: raising and arranging hands, passing the floor,
//! rounds and settings, and which events follow; and what people leaving
//! take with them. Nothing here changes the room; [`super::fold`] does, from
//! the events.

use super::order::{next_in_round, round_order};
use super::{Direction, EntryId, Queue, QueueSettings, RoundKind, Speaker, TurnId, is_active};
use crate::limits::{MAX_TURN_SECS, MIN_TURN_SECS};
use crate::room::{Acting, Command, Event, Rejection, Room};
use crate::time::Timestamp;

/// Ends the current turn (if any) at `now`.
fn end_turn(queue: &Queue, now: Timestamp, passed: bool) -> Option<Event> {
    queue.speaker.as_ref().map(|speaker| Event::TurnEnded {
        turn: speaker.turn,
        participant: speaker.participant,
        millis: now.millis_since(speaker.started_at),
        passed,
    })
}

/// The floor passes on: the current turn ends, and the next in the round (or
/// the round ends), or else the head of the queue, gets the floor.
fn advance(room: &Room, now: Timestamp, passed: bool) -> Vec<Event> {
    let queue = &room.queue;
    let mut events: Vec<Event> = end_turn(queue, now, passed).into_iter().collect();
    let turn = TurnId(queue.last_turn.0 + 1);
    match &queue.round {
        Some(round) => match next_in_round(room, round, None) {
            Some(participant) => events.push(Event::FloorGiven {
                turn,
                participant,
                entry: None,
                started_at: now,
            }),
            None => events.push(Event::RoundEnded),
        },
        None => {
            if let Some(entry) = queue.ordered().first() {
                events.push(Event::FloorGiven {
                    turn,
                    participant: entry.participant,
                    entry: Some(entry.id),
                    started_at: now,
                });
            }
        }
    }
    events
}

/// The current turn, which `turn` must name.
fn current_turn(queue: &Queue, turn: Option<TurnId>) -> Result<Option<&Speaker>, Rejection> {
    if queue.speaker.as_ref().map(|speaker| speaker.turn) != turn {
        return Err(Rejection::StaleTurn);
    }
    Ok(queue.speaker.as_ref())
}

/// Checks a settings change against the bounds.
fn check_settings(settings: &QueueSettings) -> Result<(), Rejection> {
    let range = MIN_TURN_SECS..=MAX_TURN_SECS;
    if !range.contains(&settings.turn_limit_secs) || !range.contains(&settings.round_turn_secs) {
        return Err(Rejection::DurationOutOfRange {
            min_secs: MIN_TURN_SECS,
            max_secs: MAX_TURN_SECS,
        });
    }
    Ok(())
}

/// Decides what a member does in the queue: their hands and their turn.
pub(in crate::room) fn decide_member(
    room: &Room,
    acting: Acting<'_>,
    command: Command,
    now: Timestamp,
) -> Result<Vec<Event>, Rejection> {
    let queue = &room.queue;
    match command {
        Command::RaiseHand { kind, note } => {
            let me = acting.member()?.id;
            if let Some(role) = room.agenda.listening(me) {
                return Err(Rejection::ListeningRole { role });
            }
            if queue
                .entries
                .iter()
                .any(|entry| entry.participant == me && entry.kind == kind)
            {
                return Err(Rejection::HandAlreadyRaised);
            }
            Ok(vec![Event::HandRaised {
                entry: EntryId(queue.last_entry.0 + 1),
                participant: me,
                kind,
                note,
            }])
        }
        Command::EditEntry { entry, kind, note } => {
            let me = acting.member()?.id;
            let current = queue.entry(entry).ok_or(Rejection::UnknownEntry)?;
            if current.participant != me {
                return Err(Rejection::NotYourEntry);
            }
            if current.kind == kind && current.note == note {
                return Ok(Vec::new());
            }
            if current.kind != kind
                && queue
                    .entries
                    .iter()
                    .any(|other| other.participant == me && other.kind == kind)
            {
                return Err(Rejection::HandAlreadyRaised);
            }
            Ok(vec![Event::EntryEdited { entry, kind, note }])
        }
        Command::WithdrawEntry { entry } => {
            let current = queue.entry(entry).ok_or(Rejection::UnknownEntry)?;
            // Your own hand, or anyone's if you run the meetup.
            acting.require_owner_or_runner(current.participant, Rejection::NotYourEntry)?;
            Ok(vec![Event::EntryWithdrawn { entry }])
        }
        Command::FinishTurn { turn } => {
            let me = acting.member()?.id;
            let speaker = current_turn(queue, Some(turn))?.ok_or(Rejection::StaleTurn)?;
            if speaker.participant != me {
                return Err(Rejection::NotYourTurn);
            }
            Ok(advance(room, now, false))
        }
        Command::PassTurn { turn } => {
            let me = acting.member()?.id;
            if queue.round.is_none() {
                return Err(Rejection::NoRound);
            }
            let speaker = current_turn(queue, Some(turn))?.ok_or(Rejection::StaleTurn)?;
            if speaker.participant != me {
                return Err(Rejection::NotYourTurn);
            }
            Ok(advance(room, now, true))
        }
        // Other commands are routed elsewhere by `Room::decide`.
        _ => Ok(Vec::new()),
    }
}

/// Decides what running the meetup does to the queue: order, the floor,
/// rounds and settings.
pub(in crate::room) fn decide_running(
    room: &Room,
    _acting: Acting<'_>,
    command: Command,
    now: Timestamp,
) -> Result<Vec<Event>, Rejection> {
    let queue = &room.queue;
    match command {
        Command::MoveEntry { entry, direction } => {
            let kind = queue.entry(entry).ok_or(Rejection::UnknownEntry)?.kind;
            // Entries move within their type: type priority is not the
            // facilitator's to override (they can ask the person to change it).
            let mut group: Vec<EntryId> = queue
                .ordered()
                .into_iter()
                .filter(|other| other.kind == kind)
                .map(|other| other.id)
                .collect();
            let Some(at) = group.iter().position(|id| *id == entry) else {
                return Err(Rejection::UnknownEntry);
            };
            let to = match direction {
                Direction::Up => at.checked_sub(1),
                Direction::Down => Some(at + 1).filter(|to| *to < group.len()),
            };
            let Some(to) = to else {
                return Ok(Vec::new());
            };
            group.swap(at, to);
            Ok(vec![Event::QueueReordered { kind, order: group }])
        }
        Command::NextSpeaker { turn } => {
            current_turn(queue, turn)?;
            Ok(advance(room, now, false))
        }
        Command::GiveFloor { participant } => {
            if queue.round.is_some() {
                return Err(Rejection::RoundInProgress);
            }
            if !is_active(room, participant) {
                return Err(Rejection::UnknownParticipant);
            }
            if queue
                .speaker
                .as_ref()
                .is_some_and(|speaker| speaker.participant == participant)
            {
                return Ok(Vec::new());
            }
            // Their most urgent entry is what they speak to now.
            let entry = queue
                .ordered()
                .into_iter()
                .find(|entry| entry.participant == participant)
                .map(|entry| entry.id);
            let mut events: Vec<Event> = end_turn(queue, now, false).into_iter().collect();
            events.push(Event::FloorGiven {
                turn: TurnId(queue.last_turn.0 + 1),
                participant,
                entry,
                started_at: now,
            });
            Ok(events)
        }
        Command::StartRound { kind, prompt, seed } => {
            if queue.round.is_some() {
                return Err(Rejection::RoundInProgress);
            }
            // A check-in or check-out has its own question; a custom round
            // has nothing to ask without one.
            if kind == RoundKind::Custom && prompt.is_none() {
                return Err(Rejection::InvalidField {
                    field: "prompt".to_owned(),
                    problem: crate::text::TextProblem::Empty,
                });
            }
            let order = round_order(room, seed);
            let mut events: Vec<Event> = end_turn(queue, now, false).into_iter().collect();
            // The facilitator is always active, so the order is never empty.
            let first = order.first().copied();
            events.push(Event::RoundStarted {
                kind,
                prompt,
                order,
            });
            if let Some(participant) = first {
                events.push(Event::FloorGiven {
                    turn: TurnId(queue.last_turn.0 + 1),
                    participant,
                    entry: None,
                    started_at: now,
                });
            }
            Ok(events)
        }
        Command::EndRound => {
            if queue.round.is_none() {
                return Err(Rejection::NoRound);
            }
            let mut events: Vec<Event> = end_turn(queue, now, false).into_iter().collect();
            events.push(Event::RoundEnded);
            Ok(events)
        }
        Command::ConfigureQueue { settings } => {
            check_settings(&settings)?;
            if queue.settings == settings {
                return Ok(Vec::new());
            }
            Ok(vec![Event::QueueConfigured { settings }])
        }
        // Other commands are routed elsewhere by `Room::decide`.
        _ => Ok(Vec::new()),
    }
}

/// Adds the queue's consequences of people leaving or being removed: their
/// entries go, and if one of them has the floor, their turn ends (in a round,
/// the next person is called, since a round runs by itself). These events
/// come just before the departure, so the room is valid after every event.
pub(in crate::room) fn after_departures(
    room: &Room,
    events: Vec<Event>,
    now: Timestamp,
) -> Vec<Event> {
    let queue = &room.queue;
    let mut with_queue = Vec::with_capacity(events.len());
    for event in events {
        if let Event::ParticipantLeft {
            participant: leaving,
        }
        | Event::ParticipantRemoved {
            participant: leaving,
        } = event
        {
            with_queue.extend(
                queue
                    .entries
                    .iter()
                    .filter(|entry| entry.participant == leaving)
                    .map(|entry| Event::EntryWithdrawn { entry: entry.id }),
            );
            if queue
                .speaker
                .as_ref()
                .is_some_and(|speaker| speaker.participant == leaving)
            {
                with_queue.extend(end_turn(queue, now, false));
                if let Some(round) = &queue.round {
                    with_queue.push(match next_in_round(room, round, Some(leaving)) {
                        Some(participant) => Event::FloorGiven {
                            turn: TurnId(queue.last_turn.0 + 1),
                            participant,
                            entry: None,
                            started_at: now,
                        },
                        None => Event::RoundEnded,
                    });
                }
            }
        }
        with_queue.push(event);
    }
    with_queue
}
