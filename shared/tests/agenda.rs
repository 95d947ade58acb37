//! The agenda through the public reducer API (issue 13): a Lean Coffee run
//! from check-in to check-out by Next alone, each phase driving the tools;
//! stale Next; going back keeps the board; editing, inserting, removing,
//! moving; "I'm done"; and every bad input refused with its reason.

mod common;

use common::{NOW, id, meetup_all_here, run, run_at, who};
use moot_shared::room::agenda::{Format, PhaseId, PhaseKind, PhaseSpec, PhaseState};
use moot_shared::room::board::Column;
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
    assert_eq!(room.agenda.phases.len(), 6);
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

    assert_eq!(next(&mut room, Some(6)), Err(Rejection::NoNextPhase));
    run(&mut room, who(FRAN), Command::EndAgenda).unwrap();
    assert!(room.agenda.ended);
    assert!(room.queue.round.is_none());
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
    assert_eq!(order(&room), [1, 2, 3, 4, 7, 5, 6]);
    run(
        &mut room,
        who(FRAN),
        Command::MovePhase {
            phase: PhaseId(7),
            direction: Direction::Up,
        },
    )
    .unwrap();
    assert_eq!(order(&room), [1, 2, 3, 7, 4, 5, 6]);
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
        Command::RemovePhase { phase: PhaseId(7) },
    )
    .unwrap();
    assert_eq!(order(&room), [1, 2, 3, 4, 5, 6]);
    assert_eq!(
        run(
            &mut room,
            who(FRAN),
            Command::RemovePhase { phase: PhaseId(99) }
        ),
        Err(Rejection::UnknownPhase)
    );

    // At most 24 phases.
    for _ in 6..24 {
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
