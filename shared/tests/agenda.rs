//! The agenda through the public reducer API (issue 13): a Lean Coffee run
//! from check-in to check-out by Next alone, each phase driving the tools;
//! stale Next; going back keeps the board; editing, inserting, removing,
//! moving; "I'm done"; and every bad input refused with its reason.

mod common;

use common::{NOW, id, meetup_all_here, run, run_at, who};
use moot_shared::room::agenda::{AgendaRole, Format, PhaseId, PhaseKind, PhaseSpec, PhaseState};
use moot_shared::room::board::Column;
use moot_shared::room::poll::{PollKind, Secrecy};
use moot_shared::room::queue::{Direction, RoundKind};
use moot_shared::text::{PhaseTitle, TopicTitle};
use moot_shared::{Command, Event, Rejection, Room, Timestamp};

const FRAN: u128 = 1;

fn next(room: &mut Room, from: Option<u16>) -> Result<Vec<Event>, Rejection> {
    run(
        room,
        who(FRAN),
        Command::NextPhase {
            from: from.map(PhaseId),
            seed: 7,
        },
    )
}

fn current(room: &Room) -> Option<(u16, PhaseKind)> {
    room.agenda
        .current()
        .map(|phase| (phase.id.0, phase.spec.kind))
}

fn propose(room: &mut Room, n: u128, title: &str) {
    run(
        room,
        who(n),
        Command::ProposeTopic {
            title: TopicTitle::parse(title).unwrap(),
            details: None,
        },
    )
    .expect("proposed");
}

fn lean_coffee() -> Room {
    let mut room = meetup_all_here("Guild", 4);
    run(
        &mut room,
        who(FRAN),
        Command::SetAgenda {
            format: Format::LeanCoffee,
        },
    )
    .expect("the agenda is set");
    room
}

#[test]
fn lean_coffee_runs_from_check_in_to_check_out_by_next_alone() {
    let mut room = lean_coffee();
    assert_eq!(room.agenda.phases.len(), 7);
    assert!(room.agenda.current().is_none());

    next(&mut room, None).unwrap();
    assert_eq!(
        current(&room),
        Some((
            1,
            PhaseKind::Round {
                round: RoundKind::CheckIn
            }
        ))
    );
    assert!(room.queue.round.is_some(), "check-in starts its round");

    next(&mut room, Some(1)).unwrap();
    assert_eq!(current(&room).map(|(id, _)| id), Some(2));
    assert!(room.queue.round.is_none(), "leaving ends the round");
    assert!(!room.board.voting_open, "collecting: voting closed");
    propose(&mut room, 2, "Flaky tests");
    propose(&mut room, 3, "Onboarding");
    propose(&mut room, 4, "On-call");

    next(&mut room, Some(2)).unwrap();
    let round = room.queue.round.as_ref().expect("the pitch round");
    assert_eq!(round.kind, RoundKind::Custom);

    next(&mut room, Some(3)).unwrap();
    assert!(room.board.voting_open, "voting opens");
    assert_eq!(room.board.settings.dot_budget, 3);
    let onboarding = room.board.topics[1].id;
    for n in 2..=4 {
        run(&mut room, who(n), Command::PlaceDot { topic: onboarding }).unwrap();
    }

    next(&mut room, Some(4)).unwrap();
    assert!(!room.board.voting_open, "leaving the vote closes it");
    assert!(room.board.revealed, "…reveals it");
    let discussing = room.board.discussing().expect("the top topic is taken up");
    assert_eq!(discussing.id, onboarding, "…and sorts: the top topic first");
    assert!(
        matches!(
            room.timer.run,
            moot_shared::room::timer::TimerRun::Running { .. }
        ),
        "its timebox runs"
    );

    next(&mut room, Some(5)).unwrap();
    assert!(
        room.board.discussing().is_none(),
        "leaving finishes the topic"
    );
    assert_eq!(
        room.board.topic(onboarding).unwrap().column,
        Column::Discussed
    );
    assert_eq!(room.queue.round.as_ref().unwrap().kind, RoundKind::CheckOut);

    // 7 The closing ROTI: an anonymous poll, whatever a poll's default is.
    next(&mut room, Some(6)).unwrap();
    assert!(room.queue.round.is_none(), "leaving ends the check-out");
    let roti = room.polls.current().expect("the ROTI opens").clone();
    assert_eq!(roti.setup.kind, PollKind::Roti);
    assert_eq!(roti.setup.secrecy, Secrecy::Anonymous);
    assert!(roti.is_open());

    assert_eq!(next(&mut room, Some(7)), Err(Rejection::NoNextPhase));
    run(&mut room, who(FRAN), Command::EndAgenda).unwrap();
    assert!(room.agenda.ended);
    assert!(room.queue.round.is_none());
    assert!(
        room.polls.current().is_some_and(|poll| !poll.is_open()),
        "ending the agenda reveals the ROTI"
    );
    assert!(
        room.agenda
            .phases
            .iter()
            .all(|phase| phase.state == PhaseState::Done)
    );
    assert_eq!(
        run(&mut room, who(FRAN), Command::EndAgenda),
        Err(Rejection::NoAgenda)
    );
}

#[test]
fn a_stale_next_never_advances_twice() {
    let mut room = lean_coffee();
    next(&mut room, None).unwrap();
    let events = next(&mut room, Some(1)).unwrap();
    let started = events
        .iter()
        .filter(|event| matches!(event, Event::PhaseStarted { .. }))
        .count();
    assert_eq!(started, 1);
    // A co-facilitator pressing Next from the same phase a moment later.
    assert_eq!(next(&mut room, Some(1)), Err(Rejection::StalePhase));
    assert_eq!(next(&mut room, None), Err(Rejection::StalePhase));
    assert_eq!(current(&room).map(|(id, _)| id), Some(2));
}

#[test]
fn going_back_keeps_every_topic_dot_and_note_and_next_walks_the_plan_again() {
    let mut room = lean_coffee();
    next(&mut room, None).unwrap();
    next(&mut room, Some(1)).unwrap();
    propose(&mut room, 2, "Flaky tests");
    // Jump to the vote: the pitch round is skipped.
    run(
        &mut room,
        who(FRAN),
        Command::GoToPhase {
            phase: PhaseId(4),
            seed: 1,
        },
    )
    .unwrap();
    assert_eq!(
        room.agenda.phase(PhaseId(3)).unwrap().state,
        PhaseState::Skipped
    );
    let topic = room.board.topics[0].id;
    run(&mut room, who(3), Command::PlaceDot { topic }).unwrap();
    let board = room.board.clone();

    run_at(
        &mut room,
        who(FRAN),
        Command::GoToPhase {
            phase: PhaseId(2),
            seed: 1,
        },
        Timestamp(NOW.0 + 60_000),
    )
    .unwrap();
    assert_eq!(current(&room).map(|(id, _)| id), Some(2));
    assert_eq!(room.board.topics.len(), board.topics.len());
    assert_eq!(room.board.topics[0].total(), 1, "the dot stays");
    assert_eq!(
        room.agenda.phase(PhaseId(4)).unwrap().state,
        PhaseState::Done
    );
    // Next goes on from where the group is now: the pitch round.
    next(&mut room, Some(2)).unwrap();
    assert_eq!(current(&room).map(|(id, _)| id), Some(3));
    let vote = room.agenda.phase(PhaseId(4)).unwrap();
    assert_eq!(vote.spent_ms, 60_000, "time in the vote is kept");
}

#[test]
fn the_plan_is_edited_live_within_its_bounds() {
    let mut room = lean_coffee();
    next(&mut room, None).unwrap();
    next(&mut room, Some(1)).unwrap();
    let title = |text: &str| PhaseTitle::parse(text).unwrap();

    // A done phase stays as it happened.
    assert_eq!(
        run(
            &mut room,
            who(FRAN),
            Command::EditPhase {
                phase: PhaseId(1),
                title: title("Arrival"),
                prompt: None,
                planned_secs: 300,
            }
        ),
        Err(Rejection::PhaseDone)
    );
    for planned_secs in [5, 14_401] {
        assert_eq!(
            run(
                &mut room,
                who(FRAN),
                Command::EditPhase {
                    phase: PhaseId(4),
                    title: title("Vote"),
                    prompt: None,
                    planned_secs,
                }
            ),
            Err(Rejection::PhaseLengthOutOfRange {
                min_secs: 10,
                max_secs: 14_400
            })
        );
    }
    run(
        &mut room,
        who(FRAN),
        Command::EditPhase {
            phase: PhaseId(4),
            title: title("Dot vote"),
            prompt: None,
            planned_secs: 0,
        },
    )
    .unwrap();
    assert_eq!(
        room.agenda.phase(PhaseId(4)).unwrap().spec.title.as_str(),
        "Dot vote"
    );

    // A break after the vote, then moved up one, then removed.
    let spec = PhaseSpec {
        kind: PhaseKind::Break,
        title: title("Break"),
        prompt: None,
        planned_secs: 600,
        title_key: None,
        prompt_key: None,
    };
    run(
        &mut room,
        who(FRAN),
        Command::InsertPhase {
            after: Some(PhaseId(4)),
            spec: spec.clone(),
        },
    )
    .unwrap();
    let order = |room: &Room| -> Vec<u16> { room.agenda.phases.iter().map(|p| p.id.0).collect() };
    assert_eq!(order(&room), [1, 2, 3, 4, 8, 5, 6, 7]);
    run(
        &mut room,
        who(FRAN),
        Command::MovePhase {
            phase: PhaseId(8),
            direction: Direction::Up,
        },
    )
    .unwrap();
    assert_eq!(order(&room), [1, 2, 3, 8, 4, 5, 6, 7]);
    assert_eq!(
        run(
            &mut room,
            who(FRAN),
            Command::RemovePhase { phase: PhaseId(2) }
        ),
        Err(Rejection::PhaseNotUpcoming)
    );
    run(
        &mut room,
        who(FRAN),
        Command::RemovePhase { phase: PhaseId(8) },
    )
    .unwrap();
    assert_eq!(order(&room), [1, 2, 3, 4, 5, 6, 7]);
    assert_eq!(
        run(
            &mut room,
            who(FRAN),
            Command::RemovePhase { phase: PhaseId(99) }
        ),
        Err(Rejection::UnknownPhase)
    );

    // At most 24 phases.
    for _ in 7..24 {
        run(
            &mut room,
            who(FRAN),
            Command::InsertPhase {
                after: None,
                spec: spec.clone(),
            },
        )
        .unwrap();
    }
    assert_eq!(
        run(
            &mut room,
            who(FRAN),
            Command::InsertPhase { after: None, spec }
        ),
        Err(Rejection::TooManyPhases { max: 24 })
    );
}

#[test]
fn only_whoever_runs_the_meetup_moves_the_agenda_and_anyone_says_done() {
    let mut room = lean_coffee();
    assert_eq!(
        run(
            &mut room,
            who(2),
            Command::NextPhase {
                from: None,
                seed: 0
            }
        ),
        Err(Rejection::FacilitatorsOnly)
    );
    assert_eq!(
        run(
            &mut room,
            who(2),
            Command::SetReady {
                phase: PhaseId(1),
                ready: true
            }
        ),
        Err(Rejection::PhaseNotCurrent)
    );
    next(&mut room, None).unwrap();
    run(
        &mut room,
        who(2),
        Command::SetReady {
            phase: PhaseId(1),
            ready: true,
        },
    )
    .unwrap();
    assert_eq!(room.agenda.current().unwrap().ready, [id(2)]);
    // Leaving the phase clears it.
    next(&mut room, Some(1)).unwrap();
    assert!(room.agenda.phase(PhaseId(1)).unwrap().ready.is_empty());
}

#[test]
fn a_custom_round_needs_a_prompt_that_fits_a_round() {
    let mut room = meetup_all_here("Guild", 2);
    let spec = PhaseSpec {
        kind: PhaseKind::Round {
            round: RoundKind::Custom,
        },
        title: PhaseTitle::parse("Round").unwrap(),
        prompt: None,
        planned_secs: 0,
        title_key: None,
        prompt_key: None,
    };
    assert!(matches!(
        run(
            &mut room,
            who(FRAN),
            Command::InsertPhase { after: None, spec }
        ),
        Err(Rejection::InvalidField { .. })
    ));
    assert!(room.agenda.is_pristine(), "nothing changed");
}

/// Next until the current phase has this title.
fn next_until(room: &mut Room, title: &str) {
    while room
        .agenda
        .current()
        .is_none_or(|phase| phase.spec.title.as_str() != title)
    {
        let from = room.agenda.current().map(|phase| phase.id.0);
        next(room, from).expect("a next phase");
    }
}

fn raise(room: &mut Room, n: u128) -> Result<Vec<Event>, Rejection> {
    run(
        room,
        who(n),
        Command::RaiseHand {
            kind: moot_shared::room::queue::EntryKind::NewPoint,
            note: None,
        },
    )
}

fn assign(room: &mut Room, role: AgendaRole, n: Option<u128>) -> Result<Vec<Event>, Rejection> {
    run(
        room,
        who(FRAN),
        Command::AssignRole {
            role,
            participant: n.map(id),
        },
    )
}

#[test]
fn a_case_consultation_casts_its_roles_and_the_case_giver_listens_while_the_others_advise() {
    let mut room = meetup_all_here("Guild", 5);
    run(
        &mut room,
        who(FRAN),
        Command::SetAgenda {
            format: Format::CaseConsultation,
        },
    )
    .unwrap();
    assert_eq!(room.agenda.phases.len(), 7, "six phases and the ROTI");

    // Before the casting phase, roles are not picked yet.
    assert_eq!(
        assign(&mut room, AgendaRole::CaseGiver, Some(2)),
        Err(Rejection::RolesFrozen)
    );
    next_until(&mut room, "Casting");
    assign(&mut room, AgendaRole::CaseGiver, Some(2)).unwrap();
    assign(&mut room, AgendaRole::Moderator, Some(3)).unwrap();
    assign(&mut room, AgendaRole::Scribe, Some(4)).unwrap();
    // One role per person: Bo becomes scribe and is case giver no more…
    assign(&mut room, AgendaRole::Scribe, Some(2)).unwrap();
    assert_eq!(room.agenda.role_of(id(2)), Some(AgendaRole::Scribe));
    assert_eq!(room.agenda.holder(AgendaRole::CaseGiver), None);
    assert_eq!(room.agenda.role_of(id(4)), None, "the old scribe let go");
    // …and giving it back moves him again. Someone absent cannot hold one.
    assign(&mut room, AgendaRole::CaseGiver, Some(2)).unwrap();
    assign(&mut room, AgendaRole::Scribe, Some(4)).unwrap();
    assert_eq!(
        assign(&mut room, AgendaRole::Moderator, Some(99)),
        Err(Rejection::UnknownParticipant)
    );
    assert_eq!(
        run(
            &mut room,
            who(2),
            Command::AssignRole {
                role: AgendaRole::Moderator,
                participant: Some(id(2)),
            },
        ),
        Err(Rejection::FacilitatorsOnly),
        "a participant does not cast themselves"
    );

    // The case: the case giver speaks.
    next_until(&mut room, "The case");
    raise(&mut room, 5).expect("a consultant may ask while the case is told");
    assert_eq!(
        assign(&mut room, AgendaRole::CaseGiver, Some(5)),
        Err(Rejection::RolesFrozen),
        "after casting the roles hold"
    );
    run(
        &mut room,
        who(FRAN),
        Command::SetKeyQuestion {
            question: Some(
                moot_shared::text::PhasePrompt::parse("How do I say no to my lead?").unwrap(),
            ),
        },
    )
    .unwrap();

    // The consultation: the case giver only listens.
    next_until(&mut room, "Consultation");
    let room_before_raise = room.clone();
    assert_eq!(
        raise(&mut room, 2),
        Err(Rejection::ListeningRole {
            role: AgendaRole::CaseGiver
        })
    );
    assert_eq!(room, room_before_raise, "a refused hand changes nothing");
    raise(&mut room, 3).expect("a consultant raises a hand");
    assert_eq!(
        room.check(
            who(2),
            &Command::RaiseHand {
                kind: moot_shared::room::queue::EntryKind::NewPoint,
                note: None,
            },
            NOW
        ),
        Err(Rejection::ListeningRole {
            role: AgendaRole::CaseGiver
        }),
        "the phone's button asks the same rule"
    );

    // Closing: everyone speaks again; the minutes keep roles and question.
    next_until(&mut room, "Closing");
    raise(&mut room, 2).expect("in the closing the case giver speaks again");
    let minutes = moot_shared::minutes::Minutes::of(&room, NOW, moot_shared::Lang::En);
    let agenda = minutes.agenda.as_ref().unwrap();
    assert_eq!(agenda.roles.len(), 3);
    assert_eq!(
        agenda.key_question.as_deref(),
        Some("How do I say no to my lead?")
    );
    let markdown = minutes.to_markdown(0, moot_shared::Lang::En);
    assert!(
        markdown.contains("Format: case consultation."),
        "{markdown}"
    );
    assert!(markdown.contains("Roles: Case giver: "), "{markdown}");
    assert!(
        markdown.contains("Key question: How do I say no to my lead?"),
        "{markdown}"
    );
}

#[test]
fn editing_the_current_phase_length_moves_its_timer() {
    let mut room = meetup_all_here("Guild", 3);
    run(
        &mut room,
        who(FRAN),
        Command::SetAgenda {
            format: Format::OneOnOne,
        },
    )
    .unwrap();
    next(&mut room, None).unwrap();
    next(&mut room, Some(1)).unwrap();
    let phase = room.agenda.current().unwrap().clone();
    assert_eq!(phase.spec.planned_secs, 8 * 60);
    let deadline = |room: &Room| room.timer.next_deadline();
    let before = deadline(&room).expect("an open talk runs the timer");
    let edit = |planned_secs| Command::EditPhase {
        phase: phase.id,
        title: phase.spec.title.clone(),
        prompt: phase.spec.prompt.clone(),
        planned_secs,
    };
    let later = Timestamp(NOW.0 + 60_000);
    let events = run_at(&mut room, who(FRAN), edit(10 * 60), later).unwrap();
    assert!(
        events
            .iter()
            .any(|event| matches!(event, Event::TimerAdjusted { .. })),
        "{events:?}"
    );
    assert_eq!(
        deadline(&room),
        Some(Timestamp(before.0 + 120_000)),
        "two minutes more in the plan, two more on the clock"
    );
    assert_eq!(
        room.agenda.current().unwrap().planned_end(),
        deadline(&room),
        "the planned end and the timer agree"
    );
    // Made untimed, the timer stops; given a length again, it runs for
    // what is left of it.
    run_at(&mut room, who(FRAN), edit(0), later).unwrap();
    assert_eq!(deadline(&room), None);
    run_at(&mut room, who(FRAN), edit(5 * 60), later).unwrap();
    assert_eq!(deadline(&room), Some(Timestamp(later.0 + 4 * 60_000)));
    // An upcoming phase's length leaves the running timer alone.
    let upcoming = room.agenda.next().unwrap().clone();
    run_at(
        &mut room,
        who(FRAN),
        Command::EditPhase {
            phase: upcoming.id,
            title: upcoming.spec.title.clone(),
            prompt: None,
            planned_secs: 60,
        },
        later,
    )
    .unwrap();
    assert_eq!(deadline(&room), Some(Timestamp(later.0 + 4 * 60_000)));
}

#[test]
fn the_next_meetup_of_a_series_reuses_the_plan_as_it_was_edited() {
    use moot_shared::room::lifecycle::carry_over;
    let mut earlier = meetup_all_here("Guild", 3);
    run(
        &mut earlier,
        who(FRAN),
        Command::SetAgenda {
            format: Format::CaseConsultation,
        },
    )
    .unwrap();
    let casting = earlier.agenda.phases[0].clone();
    run(
        &mut earlier,
        who(FRAN),
        Command::EditPhase {
            phase: casting.id,
            title: PhaseTitle::parse("Who brings a case").unwrap(),
            prompt: None,
            planned_secs: 3 * 60,
        },
    )
    .unwrap();
    next(&mut earlier, None).unwrap();
    let plan: Vec<PhaseSpec> = earlier
        .agenda
        .phases
        .iter()
        .map(|phase| phase.spec.clone())
        .collect();

    // A meetup following none has nothing to reuse.
    let mut first = meetup_all_here("Guild", 2);
    assert_eq!(
        run(&mut first, who(FRAN), Command::ReuseAgenda),
        Err(Rejection::NoAgendaToReuse)
    );

    let opening = common::Opening {
        follows: Some(carry_over(&earlier)),
        facilitator_name: "Fran",
        ..common::Opening::default()
    };
    let (mut next_meetup, _) = common::open(&opening, common::numbered_joins(2), NOW);
    assert!(
        next_meetup.agenda.phases.is_empty(),
        "nothing is set by itself"
    );
    run(&mut next_meetup, who(FRAN), Command::ReuseAgenda).unwrap();
    let reused: Vec<PhaseSpec> = next_meetup
        .agenda
        .phases
        .iter()
        .map(|phase| phase.spec.clone())
        .collect();
    assert_eq!(
        reused, plan,
        "the plan as edited, not the format's defaults"
    );
    assert_eq!(next_meetup.agenda.format, Some(Format::CaseConsultation));
    assert!(
        next_meetup
            .agenda
            .phases
            .iter()
            .all(|phase| phase.state == PhaseState::Upcoming),
        "none of what happened comes along"
    );
    // …and hands it on again.
    assert_eq!(
        carry_over(&next_meetup).agenda.map(|plan| plan.phases),
        Some(plan)
    );
}

#[test]
fn a_key_question_written_before_any_plan_travels_in_the_snapshot() {
    // The fuzzer found a phone's room missing it: the agenda was left out
    // of snapshots until a plan was set.
    let mut room = meetup_all_here("Guild", 2);
    run(
        &mut room,
        who(FRAN),
        Command::SetKeyQuestion {
            question: Some(moot_shared::text::PhasePrompt::parse("Why?").unwrap()),
        },
    )
    .unwrap();
    let json = moot_shared::json::to_string(&room);
    let back: Room = moot_shared::json::from_str(&json).expect("a room");
    assert_eq!(back, room, "{json}");
    assert_eq!(
        run(&mut room, who(FRAN), Command::EndAgenda),
        Err(Rejection::NoAgenda),
        "a question is no plan to end"
    );
}
