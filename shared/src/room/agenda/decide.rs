//! Deciding agenda commands, and what entering and leaving each phase kind
//! does with the room's tools. Nothing here changes the room; [`super::fold`]
//! does, from the events.

use super::{Format, Phase, PhaseId, PhaseKind, PhaseSpec, PhaseState, formats};
use crate::limits::{MAX_DOT_BUDGET, MAX_PHASE_SECS, MAX_PHASES, MIN_PHASE_SECS};
use crate::room::poll::{PollKind, PollSetup};
use crate::room::queue::{Direction, RoundKind};
use crate::room::{Acting, Actor, Command, Event, Rejection, Room};
use crate::text::{PollQuestion, RoundPrompt};
use crate::time::Timestamp;

/// The fewest people present for whom Next enters a phase that merges
/// pairs into fours (Liberating Structures' 1-2-4-All).
pub const MERGE_MIN_PEOPLE: usize = 8;

/// Checks the bounds a phase must keep, whoever describes it.
///
/// # Errors
///
/// [`Rejection::PhaseLengthOutOfRange`] for a length that is neither 0 nor
/// 10 s to 4 h; [`Rejection::DotBudgetOutOfRange`] for a vote's dots;
/// `invalid_field` `prompt` for a custom round without its question.
pub(super) fn check_spec(spec: &PhaseSpec) -> Result<(), Rejection> {
    if spec.planned_secs != 0 && !(MIN_PHASE_SECS..=MAX_PHASE_SECS).contains(&spec.planned_secs) {
        return Err(Rejection::PhaseLengthOutOfRange {
            min_secs: MIN_PHASE_SECS,
            max_secs: MAX_PHASE_SECS,
        });
    }
    match spec.kind {
        PhaseKind::Vote { dots } if !(1..=MAX_DOT_BUDGET).contains(&dots) => {
            Err(Rejection::DotBudgetOutOfRange {
                min: 1,
                max: MAX_DOT_BUDGET,
            })
        }
        // A custom round asks the phase's prompt, which it must have; a goal
        // review asks it when it has one (else its title). Either way it
        // must fit a round's prompt.
        PhaseKind::Round {
            round: RoundKind::Custom,
        }
        | PhaseKind::GoalReview
            if match &spec.prompt {
                Some(prompt) => RoundPrompt::parse(prompt.as_str()).is_err(),
                None => spec.kind != PhaseKind::GoalReview,
            } =>
        {
            Err(Rejection::InvalidField {
                field: "prompt".to_owned(),
                problem: crate::text::TextProblem::TooLong {
                    max_chars: crate::limits::ROUND_PROMPT_MAX_CHARS,
                },
            })
        }
        PhaseKind::Breakout { size, .. } => crate::room::breakout::check_size(size),
        _ => Ok(()),
    }
}

/// The phase a command names.
fn named(room: &Room, id: PhaseId) -> Result<&Phase, Rejection> {
    room.agenda.phase(id).ok_or(Rejection::UnknownPhase)
}

/// Phases numbered from the agenda's next number on.
fn numbered(room: &Room, specs: Vec<PhaseSpec>) -> Vec<Phase> {
    specs
        .into_iter()
        .zip(room.agenda.last_phase.saturating_add(1)..)
        .map(|(spec, id)| Phase {
            id: PhaseId(id),
            spec,
            state: PhaseState::Upcoming,
            started_at: None,
            ended_at: None,
            spent_ms: 0,
            ready: Vec::new(),
        })
        .collect()
}

/// The plan ahead replaced by these phases; done phases and the current
/// one stay.
fn set_plan(room: &Room, format: Format, specs: Vec<PhaseSpec>) -> Result<Vec<Event>, Rejection> {
    let kept = room
        .agenda
        .phases
        .iter()
        .filter(|phase| phase.state != PhaseState::Upcoming)
        .count();
    if kept + specs.len() > MAX_PHASES {
        return Err(Rejection::TooManyPhases {
            max: MAX_PHASES as u16,
        });
    }
    Ok(vec![Event::AgendaSet {
        format,
        phases: numbered(room, specs),
    }])
}

/// Decides what running the meetup does to the agenda.
pub(in crate::room) fn decide_running(
    room: &Room,
    acting: Acting<'_>,
    command: Command,
    now: Timestamp,
) -> Result<Vec<Event>, Rejection> {
    let agenda = &room.agenda;
    let actor = acting.id().map_or(Actor::System, Actor::Participant);
    match command {
        Command::SetAgenda { format } => set_plan(room, format, formats::phases(format)),
        Command::ReuseAgenda => {
            let plan = room
                .series
                .last_agenda
                .as_ref()
                .ok_or(Rejection::NoAgendaToReuse)?;
            // Checked again: a stored plan is only as good as today's bounds.
            for spec in &plan.phases {
                check_spec(spec)?;
            }
            set_plan(room, plan.format, plan.phases.clone())
        }
        Command::NextPhase { from, seed } => {
            if agenda.current().map(|phase| phase.id) != from {
                return Err(Rejection::StalePhase);
            }
            let next = agenda.next().ok_or(Rejection::NoNextPhase)?;
            // 1-2-4-All with fewer than eight present: the fours would be
            // nearly everyone, so Next goes from the pairs to everyone.
            let present = room
                .active_participants()
                .filter(|person| person.presence != crate::room::Presence::Gone)
                .count();
            let after = agenda
                .phases
                .iter()
                .skip_while(|phase| phase.id != next.id)
                .nth(1);
            if let (
                PhaseKind::Breakout {
                    forming: crate::room::breakout::Forming::MergePairs,
                    ..
                },
                true,
                Some(after),
            ) = (next.spec.kind, present < MERGE_MIN_PEOPLE, after)
            {
                return Ok(transition(
                    room,
                    actor,
                    vec![next.id],
                    Some(after.id),
                    now,
                    seed,
                ));
            }
            Ok(transition(
                room,
                actor,
                Vec::new(),
                Some(next.id),
                now,
                seed,
            ))
        }
        Command::GoToPhase { phase, seed } => {
            let target = named(room, phase)?;
            if target.state == PhaseState::Current {
                return Ok(Vec::new());
            }
            // Going forward skips the phases still to come on the way;
            // going back skips nothing (what was done stays done).
            let from = agenda
                .phases
                .iter()
                .position(|phase| phase.state == PhaseState::Current)
                .map_or(0, |index| index + 1);
            let to = agenda
                .phases
                .iter()
                .position(|candidate| candidate.id == phase)
                .unwrap_or(0);
            let skipped = agenda
                .phases
                .get(from..to)
                .unwrap_or_default()
                .iter()
                .filter(|phase| phase.state == PhaseState::Upcoming)
                .map(|phase| phase.id)
                .collect();
            Ok(transition(room, actor, skipped, Some(phase), now, seed))
        }
        Command::EditPhase {
            phase,
            title,
            prompt,
            planned_secs,
        } => {
            let target = named(room, phase)?;
            if target.state == PhaseState::Done {
                return Err(Rejection::PhaseDone);
            }
            let spec = PhaseSpec {
                planned_secs,
                ..target.spec.retitled(title, prompt)
            };
            check_spec(&spec)?;
            if spec == target.spec {
                return Ok(Vec::new());
            }
            let steps = if target.state == PhaseState::Current {
                retimed_steps(target, planned_secs, room, now)
            } else {
                Vec::new()
            };
            let mut scratch = room.clone();
            let mut events = Vec::new();
            push(
                &mut scratch,
                &mut events,
                Event::PhaseEdited {
                    phase,
                    title: spec.title,
                    prompt: spec.prompt,
                    planned_secs,
                },
            );
            run_steps(&mut scratch, actor, steps, now, &mut events);
            Ok(events)
        }
        Command::AssignRole { role, participant } => {
            if !agenda
                .current()
                .is_some_and(|phase| phase.spec.kind == PhaseKind::Roles)
            {
                return Err(Rejection::RolesFrozen);
            }
            if let Some(participant) = participant
                && !room
                    .active_participants()
                    .any(|present| present.id == participant)
            {
                return Err(Rejection::UnknownParticipant);
            }
            if agenda.holder(role) == participant
                && participant.is_none_or(|who| agenda.role_of(who) == Some(role))
            {
                return Ok(Vec::new());
            }
            Ok(vec![Event::RoleAssigned { role, participant }])
        }
        Command::SetKeyQuestion { question } => {
            if agenda.key_question == question {
                return Ok(Vec::new());
            }
            Ok(vec![Event::KeyQuestionSet { question }])
        }
        Command::InsertPhase { after, spec } => {
            check_spec(&spec)?;
            if agenda.phases.len() >= MAX_PHASES {
                return Err(Rejection::TooManyPhases {
                    max: MAX_PHASES as u16,
                });
            }
            if let Some(after) = after
                && matches!(
                    named(room, after)?.state,
                    PhaseState::Done | PhaseState::Skipped
                )
            {
                return Err(Rejection::PhaseDone);
            }
            let phase = numbered(room, vec![spec]).remove(0);
            Ok(vec![Event::PhaseInserted { after, phase }])
        }
        Command::RemovePhase { phase } => {
            if named(room, phase)?.state != PhaseState::Upcoming {
                return Err(Rejection::PhaseNotUpcoming);
            }
            Ok(vec![Event::PhaseRemoved { phase }])
        }
        Command::MovePhase { phase, direction } => {
            if named(room, phase)?.state != PhaseState::Upcoming {
                return Err(Rejection::PhaseNotUpcoming);
            }
            let index = agenda
                .phases
                .iter()
                .position(|candidate| candidate.id == phase)
                .unwrap_or(0);
            let neighbour = match direction {
                Direction::Up => index.checked_sub(1),
                Direction::Down => Some(index + 1),
            }
            .and_then(|index| agenda.phases.get(index));
            // Only among the phases still to come; at the edge nothing moves.
            if neighbour.is_none_or(|neighbour| neighbour.state != PhaseState::Upcoming) {
                return Ok(Vec::new());
            }
            Ok(vec![Event::PhaseMoved { phase, direction }])
        }
        Command::EndAgenda => {
            if agenda.format.is_none() || agenda.ended {
                return Err(Rejection::NoAgenda);
            }
            let skipped = agenda
                .phases
                .iter()
                .filter(|phase| phase.state == PhaseState::Upcoming)
                .map(|phase| phase.id)
                .collect();
            let mut events = transition(room, actor, skipped, None, now, 0);
            events.push(Event::AgendaEnded);
            Ok(events)
        }
        // Other commands are routed elsewhere by `Room::decide`.
        _ => Ok(Vec::new()),
    }
}

/// Decides a member's "I'm done" in the current phase.
pub(in crate::room) fn decide_member(
    room: &Room,
    acting: Acting<'_>,
    command: Command,
    _now: Timestamp,
) -> Result<Vec<Event>, Rejection> {
    match command {
        Command::SetReady { phase, ready } => {
            let participant = acting.member()?.id;
            let target = named(room, phase)?;
            if target.state != PhaseState::Current {
                return Err(Rejection::PhaseNotCurrent);
            }
            if target.ready.contains(&participant) == ready {
                return Ok(Vec::new());
            }
            Ok(vec![Event::ReadyChanged {
                phase,
                participant,
                ready,
            }])
        }
        _ => Ok(Vec::new()),
    }
}

/// Leaves the current phase (done), marks `skipped` as skipped and enters
/// `to`, each with what the phase kind does to the tools, as one command.
/// The tool steps run one after another on a copy of the room, each seeing
/// what the one before did; a step the room no longer needs (voting already
/// closed, no round running) is refused by its tool and left out.
fn transition(
    room: &Room,
    actor: Actor,
    skipped: Vec<PhaseId>,
    to: Option<PhaseId>,
    now: Timestamp,
    seed: u64,
) -> Vec<Event> {
    let mut scratch = room.clone();
    let mut events = Vec::new();
    if let Some(current) = room.agenda.current() {
        let steps = leave_steps(current, &scratch);
        run_steps(&mut scratch, actor, steps, now, &mut events);
        push(
            &mut scratch,
            &mut events,
            Event::PhaseEnded {
                phase: current.id,
                at: now,
                outcome: PhaseState::Done,
            },
        );
    }
    for phase in skipped {
        push(
            &mut scratch,
            &mut events,
            Event::PhaseEnded {
                phase,
                at: now,
                outcome: PhaseState::Skipped,
            },
        );
    }
    if let Some(to) = to {
        push(
            &mut scratch,
            &mut events,
            Event::PhaseStarted { phase: to, at: now },
        );
        if let Some(phase) = scratch.agenda.phase(to).cloned() {
            let steps = enter_steps(&phase, &scratch, seed);
            run_steps(&mut scratch, actor, steps, now, &mut events);
        }
    }
    events
}

fn push(scratch: &mut Room, events: &mut Vec<Event>, event: Event) {
    scratch.on_event(&event);
    events.push(event);
}

fn run_steps(
    scratch: &mut Room,
    actor: Actor,
    steps: Vec<Command>,
    now: Timestamp,
    events: &mut Vec<Event>,
) {
    for step in steps {
        if let Ok(more) = scratch.apply(actor, step, now) {
            for event in more {
                push(scratch, events, event);
            }
        }
    }
}

/// What a new planned length does to the timer of the current phase, for
/// the kinds whose phase owns the meetup timer: its end moves by as much
/// as the plan did; a phase made untimed stops it; a phase given a length
/// starts it for the time still left of that length.
fn retimed_steps(phase: &Phase, planned_secs: u32, room: &Room, now: Timestamp) -> Vec<Command> {
    let owns_timer = matches!(
        phase.spec.kind,
        PhaseKind::Silent | PhaseKind::OpenTalk { .. } | PhaseKind::Break
    );
    let before = phase.spec.planned_secs;
    if !owns_timer || before == planned_secs {
        return Vec::new();
    }
    if planned_secs == 0 {
        return vec![Command::ResetTimer];
    }
    if before == 0 {
        let spent_secs = phase
            .started_at
            .map_or(0, |started| now.millis_since(started) / 1000);
        let left = u64::from(planned_secs).saturating_sub(spent_secs);
        return u32::try_from(left)
            .ok()
            .filter(|left| *left >= MIN_PHASE_SECS)
            .map(|duration_secs| Command::StartTimer { duration_secs })
            .into_iter()
            .collect();
    }
    if room.timer.run == crate::room::timer::TimerRun::Idle {
        return Vec::new();
    }
    let delta = i64::from(planned_secs) - i64::from(before);
    i32::try_from(delta)
        .ok()
        .map(|delta_secs| Command::AdjustTimer { delta_secs })
        .into_iter()
        .collect()
}

/// What entering a phase does with the tools.
fn enter_steps(phase: &Phase, room: &Room, seed: u64) -> Vec<Command> {
    let timed = |secs: u32| {
        (secs > 0)
            .then_some(Command::StartTimer {
                duration_secs: secs,
            })
            .into_iter()
            .collect::<Vec<_>>()
    };
    match phase.spec.kind {
        PhaseKind::Round { round } => vec![Command::StartRound {
            kind: round,
            prompt: phase
                .spec
                .prompt
                .as_ref()
                .filter(|_| round == RoundKind::Custom)
                .and_then(|prompt| RoundPrompt::parse(prompt.as_str()).ok()),
            seed,
        }],
        PhaseKind::Silent | PhaseKind::OpenTalk { .. } | PhaseKind::Break => {
            timed(phase.spec.planned_secs)
        }
        // The roles are picked by hand (`assign_role`) while it is current.
        PhaseKind::Roles => Vec::new(),
        PhaseKind::Collect => vec![Command::CloseVoting],
        PhaseKind::Vote { dots } => {
            let mut settings = room.board.settings;
            settings.dot_budget = dots;
            vec![Command::ConfigureBoard { settings }, Command::ReopenVoting]
        }
        PhaseKind::Discuss => room
            .board
            .discussing()
            .is_none()
            .then(|| room.board.sorted_order().first().copied())
            .flatten()
            .map(|topic| Command::StartTopic { topic })
            .into_iter()
            .collect(),
        PhaseKind::Poll { poll } => open_phase_poll(phase, poll),
        // The poll settles a ROTI as anonymous (`PollSetup::settled`).
        PhaseKind::Roti => open_phase_poll(phase, PollKind::Roti),
        // A round asking the prompt, or else the title (which always fits
        // a round's prompt).
        PhaseKind::GoalReview => vec![Command::StartRound {
            kind: RoundKind::Custom,
            prompt: phase
                .spec
                .prompt
                .as_ref()
                .and_then(|prompt| RoundPrompt::parse(prompt.as_str()).ok())
                .or_else(|| RoundPrompt::parse(phase.spec.title.as_str()).ok()),
            seed,
        }],
        PhaseKind::Breakout { .. } => vec![Command::StartBreakout {
            phase: phase.id,
            seed,
        }],
    }
}

/// Opens a poll of `kind` asking the phase's prompt, or its title.
fn open_phase_poll(phase: &Phase, kind: PollKind) -> Vec<Command> {
    let spec = &phase.spec;
    let (question, question_key) = match &spec.prompt {
        Some(prompt) => (prompt.as_str(), spec.prompt_key),
        None => (spec.title.as_str(), spec.title_key),
    };
    PollQuestion::parse(question)
        .ok()
        .map(|question| Command::OpenPoll {
            setup: PollSetup {
                question,
                kind,
                options: Vec::new(),
                secrecy: Default::default(),
                auto_reveal: true,
                time_limit_secs: None,
                question_key,
            },
        })
        .into_iter()
        .collect()
}

/// What leaving a phase does with the tools.
fn leave_steps(phase: &Phase, room: &Room) -> Vec<Command> {
    match phase.spec.kind {
        PhaseKind::Round { .. } | PhaseKind::GoalReview => vec![Command::EndRound],
        // The phase's countdown goes with it.
        PhaseKind::Silent | PhaseKind::OpenTalk { .. } | PhaseKind::Break => {
            vec![Command::ResetTimer]
        }
        PhaseKind::Roles => Vec::new(),
        PhaseKind::Collect => Vec::new(),
        PhaseKind::Vote { .. } => vec![
            Command::CloseVoting,
            Command::RevealVotes,
            Command::SortTopics,
        ],
        PhaseKind::Discuss => room
            .board
            .discussing()
            .map(|topic| Command::FinishTopic { topic: topic.id })
            .into_iter()
            .collect(),
        PhaseKind::Poll { .. } | PhaseKind::Roti => room
            .polls
            .current()
            .filter(|poll| poll.is_open())
            .map(|poll| Command::RevealPoll { poll: poll.id })
            .into_iter()
            .collect(),
        // Everyone comes back with the group.
        PhaseKind::Breakout { .. } => room
            .breakouts
            .current()
            .filter(|breakout| breakout.phase == phase.id)
            .map(|_| Command::EndBreakout { countdown_secs: 0 })
            .into_iter()
            .collect(),
    }
}
