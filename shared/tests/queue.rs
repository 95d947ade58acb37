//! The speaking queue through the public reducer API: raising hands, the
//! order (type priority, progressive airtime, hand-arranged places), the
//! floor and its race ("done" against "next"), airtime, rounds, departures.
//! The room's invariants are checked after every folded event.

mod common;

use common::{NOW, Opening, id, join, open, run_at, who};
use moot_shared::room::CredentialDigest;
use moot_shared::room::queue::{Direction, EntryId, EntryKind, QueueSettings, RoundKind, TurnId};
use moot_shared::text::{QueueNote, RoundPrompt};
use moot_shared::{Actor, Command, Event, ParticipantId, Rejection, Room, Timestamp};

/// The facilitator.
const ADA: u128 = 1;
const BO: u128 = 2;
const CHEN: u128 = 3;
const DEE: u128 = 4;

fn note(text: &str) -> Option<QueueNote> {
    Some(QueueNote::parse(text).expect("a valid note"))
}

/// A room with Ada (facilitator), Bo, Chen and Dee.
fn room() -> Room {
    let opening = Opening {
        facilitator_name: "Ada",
        ..Opening::default()
    };
    let joins = [(BO, "Bo"), (CHEN, "Chen"), (DEE, "Dee")].map(|(n, name)| join_command(n, name));
    open(&opening, joins, NOW).0
}

fn join_command(n: u128, name: &str) -> Command {
    join(n, name, CredentialDigest(format!("d{n}")))
}

/// Ada, the facilitator, sends `command` at `now`.
fn ada(room: &mut Room, command: Command, now: Timestamp) -> Result<Vec<Event>, Rejection> {
    run_at(room, who(ADA), command, now)
}

/// Ada gives the floor to `n`.
fn give_floor(room: &mut Room, n: u128, now: Timestamp) -> Result<Vec<Event>, Rejection> {
    ada(room, Command::GiveFloor { participant: id(n) }, now)
}

fn raise(room: &mut Room, n: u128, kind: EntryKind) -> EntryId {
    let events =
        run_at(room, who(n), Command::RaiseHand { kind, note: None }, NOW).expect("raised");
    match events.as_slice() {
        [Event::HandRaised { entry, .. }] => *entry,
        other => panic!("expected hand_raised, got {other:?}"),
    }
}

/// Who is queued, in speaking order.
fn order(room: &Room) -> Vec<ParticipantId> {
    room.queue
        .ordered()
        .iter()
        .map(|entry| entry.participant)
        .collect()
}

fn speaker(room: &Room) -> Option<ParticipantId> {
    room.queue
        .speaker
        .as_ref()
        .map(|speaker| speaker.participant)
}

fn turn(room: &Room) -> Option<TurnId> {
    room.queue.speaker.as_ref().map(|speaker| speaker.turn)
}

fn at(seconds: u64) -> Timestamp {
    NOW.plus_millis(seconds * 1_000)
}

#[test]
fn types_go_first_by_priority_then_by_arrival() {
    let mut room = room();
    raise(&mut room, BO, EntryKind::NewPoint);
    raise(&mut room, CHEN, EntryKind::BuildOn);
    raise(&mut room, DEE, EntryKind::Clarifying);
    raise(&mut room, ADA, EntryKind::Process);
    raise(&mut room, CHEN, EntryKind::NewPoint);
    assert_eq!(order(&room), [id(ADA), id(DEE), id(CHEN), id(BO), id(CHEN)]);
}

#[test]
fn a_plain_raised_hand_is_a_new_point_and_one_per_type() {
    let mut room = room();
    let events = run_at(
        &mut room,
        who(BO),
        Command::RaiseHand {
            kind: EntryKind::default(),
            note: note("budget"),
        },
        NOW,
    )
    .unwrap();
    assert!(matches!(
        &events[0],
        Event::HandRaised { kind: EntryKind::NewPoint, note: Some(text), .. } if text.as_str() == "budget"
    ));
    assert_eq!(
        run_at(
            &mut room,
            who(BO),
            Command::RaiseHand {
                kind: EntryKind::NewPoint,
                note: None
            },
            NOW
        ),
        Err(Rejection::HandAlreadyRaised)
    );
    // Another type is another entry.
    raise(&mut room, BO, EntryKind::Clarifying);
    assert_eq!(room.queue.entries.len(), 2);
}

#[test]
fn progressive_order_puts_less_airtime_first_and_can_be_turned_off() {
    let mut room = room();
    // Bo speaks for 90 seconds; Chen for 30.
    give_floor(&mut room, BO, at(0)).unwrap();
    give_floor(&mut room, CHEN, at(90)).unwrap();
    let current = turn(&room);
    ada(&mut room, Command::NextSpeaker { turn: current }, at(120)).unwrap();
    assert_eq!(room.queue.airtime_of(id(BO)), 90_000);
    assert_eq!(room.queue.airtime_of(id(CHEN)), 30_000);
    raise(&mut room, BO, EntryKind::NewPoint);
    raise(&mut room, CHEN, EntryKind::NewPoint);
    raise(&mut room, DEE, EntryKind::NewPoint);
    assert_eq!(order(&room), [id(DEE), id(CHEN), id(BO)]);
    // Type still beats airtime.
    raise(&mut room, BO, EntryKind::BuildOn);
    assert_eq!(order(&room)[0], id(BO));

    let settings = QueueSettings {
        progressive: false,
        ..QueueSettings::default()
    };
    ada(&mut room, Command::ConfigureQueue { settings }, at(130)).unwrap();
    assert_eq!(order(&room), [id(BO), id(BO), id(CHEN), id(DEE)]);
}

#[test]
fn next_gives_the_floor_to_the_head_and_airtime_adds_up() {
    let mut room = room();
    raise(&mut room, BO, EntryKind::NewPoint);
    raise(&mut room, CHEN, EntryKind::Clarifying);
    ada(&mut room, Command::NextSpeaker { turn: None }, at(0)).unwrap();
    assert_eq!(speaker(&room), Some(id(CHEN)));
    let chen = room.queue.speaker.clone().unwrap();
    assert_eq!(chen.kind, Some(EntryKind::Clarifying));
    assert_eq!(chen.started_at, at(0));
    assert_eq!(order(&room), [id(BO)], "the called entry left the queue");

    ada(
        &mut room,
        Command::NextSpeaker {
            turn: Some(chen.turn),
        },
        at(40),
    )
    .unwrap();
    assert_eq!(speaker(&room), Some(id(BO)));
    let current = turn(&room);
    ada(&mut room, Command::NextSpeaker { turn: current }, at(100)).unwrap();
    assert_eq!(speaker(&room), None, "an empty queue frees the floor");
    assert_eq!(room.queue.airtime_of(id(CHEN)), 40_000);
    assert_eq!(room.queue.airtime_of(id(BO)), 60_000);
    assert!(room.queue.airtime.iter().all(|airtime| airtime.turns == 1));
    // Nothing to end and nobody queued: nothing happens.
    assert_eq!(
        ada(&mut room, Command::NextSpeaker { turn: None }, at(101)),
        Ok(Vec::new())
    );
}

#[test]
fn done_and_next_at_the_same_moment_advance_once() {
    let mut room = room();
    raise(&mut room, BO, EntryKind::NewPoint);
    raise(&mut room, CHEN, EntryKind::NewPoint);
    raise(&mut room, DEE, EntryKind::NewPoint);
    ada(&mut room, Command::NextSpeaker { turn: None }, at(0)).unwrap();
    let current = turn(&room).unwrap();
    assert_eq!(speaker(&room), Some(id(BO)));

    // Both refer to Bo's turn; whichever the server applies first wins.
    run_at(
        &mut room,
        who(BO),
        Command::FinishTurn { turn: current },
        at(30),
    )
    .unwrap();
    assert_eq!(
        ada(
            &mut room,
            Command::NextSpeaker {
                turn: Some(current)
            },
            at(30)
        ),
        Err(Rejection::StaleTurn)
    );
    assert_eq!(speaker(&room), Some(id(CHEN)));
    assert_eq!(order(&room), [id(DEE)]);

    // The other way round.
    let current = turn(&room).unwrap();
    ada(
        &mut room,
        Command::NextSpeaker {
            turn: Some(current),
        },
        at(60),
    )
    .unwrap();
    assert_eq!(
        run_at(
            &mut room,
            who(CHEN),
            Command::FinishTurn { turn: current },
            at(60)
        ),
        Err(Rejection::StaleTurn)
    );
    assert_eq!(speaker(&room), Some(id(DEE)));
}

#[test]
fn only_facilitators_call_next_and_only_the_speaker_says_done() {
    let mut room = room();
    raise(&mut room, BO, EntryKind::NewPoint);
    assert_eq!(
        run_at(&mut room, who(BO), Command::NextSpeaker { turn: None }, NOW),
        Err(Rejection::FacilitatorsOnly)
    );
    ada(&mut room, Command::NextSpeaker { turn: None }, NOW).unwrap();
    let current = turn(&room).unwrap();
    assert_eq!(
        run_at(
            &mut room,
            who(CHEN),
            Command::FinishTurn { turn: current },
            NOW
        ),
        Err(Rejection::NotYourTurn)
    );
    for command in [
        Command::GiveFloor {
            participant: id(CHEN),
        },
        Command::EndRound,
        Command::StartRound {
            kind: RoundKind::CheckIn,
            prompt: None,
            seed: 1,
        },
        Command::ConfigureQueue {
            settings: QueueSettings::default(),
        },
    ] {
        assert_eq!(
            run_at(&mut room, who(CHEN), command, NOW),
            Err(Rejection::FacilitatorsOnly)
        );
    }
}

#[test]
fn own_entries_are_edited_and_withdrawn_and_facilitators_remove_any() {
    let mut room = room();
    let bo = raise(&mut room, BO, EntryKind::NewPoint);
    let edit = Command::EditEntry {
        entry: bo,
        kind: EntryKind::Clarifying,
        note: note("which one?"),
    };
    assert_eq!(
        run_at(&mut room, who(CHEN), edit.clone(), NOW),
        Err(Rejection::NotYourEntry)
    );
    run_at(&mut room, who(BO), edit.clone(), NOW).unwrap();
    assert_eq!(
        run_at(&mut room, who(BO), edit, NOW),
        Ok(Vec::new()),
        "no change"
    );
    let entry = room.queue.entry(bo).unwrap();
    assert_eq!(entry.kind, EntryKind::Clarifying);
    assert_eq!(entry.note, note("which one?"));
    // Changing into a type you already hold is refused.
    raise(&mut room, BO, EntryKind::NewPoint);
    assert_eq!(
        run_at(
            &mut room,
            who(BO),
            Command::EditEntry {
                entry: bo,
                kind: EntryKind::NewPoint,
                note: None
            },
            NOW
        ),
        Err(Rejection::HandAlreadyRaised)
    );
    assert_eq!(
        run_at(
            &mut room,
            who(CHEN),
            Command::WithdrawEntry { entry: bo },
            NOW
        ),
        Err(Rejection::NotYourEntry)
    );
    run_at(
        &mut room,
        who(BO),
        Command::WithdrawEntry { entry: bo },
        NOW,
    )
    .unwrap();
    assert_eq!(
        run_at(
            &mut room,
            who(BO),
            Command::WithdrawEntry { entry: bo },
            NOW
        ),
        Err(Rejection::UnknownEntry)
    );
    let chen = raise(&mut room, CHEN, EntryKind::NewPoint);
    ada(&mut room, Command::WithdrawEntry { entry: chen }, NOW).unwrap();
    assert_eq!(order(&room), [id(BO)]);
}

#[test]
fn facilitators_move_entries_within_their_type_only() {
    let mut room = room();
    let _ada = raise(&mut room, ADA, EntryKind::Clarifying);
    let bo = raise(&mut room, BO, EntryKind::NewPoint);
    let chen = raise(&mut room, CHEN, EntryKind::NewPoint);
    let dee = raise(&mut room, DEE, EntryKind::NewPoint);
    let up = |entry| Command::MoveEntry {
        entry,
        direction: Direction::Up,
    };
    assert_eq!(
        run_at(&mut room, who(BO), up(dee), NOW),
        Err(Rejection::FacilitatorsOnly)
    );
    ada(&mut room, up(dee), NOW).unwrap();
    assert_eq!(order(&room), [id(ADA), id(BO), id(DEE), id(CHEN)]);
    ada(&mut room, up(dee), NOW).unwrap();
    assert_eq!(order(&room), [id(ADA), id(DEE), id(BO), id(CHEN)]);
    // The top of its type is as far as it goes: clarifying stays first.
    assert_eq!(ada(&mut room, up(dee), NOW), Ok(Vec::new()));
    ada(
        &mut room,
        Command::MoveEntry {
            entry: bo,
            direction: Direction::Down,
        },
        NOW,
    )
    .unwrap();
    assert_eq!(order(&room), [id(ADA), id(DEE), id(CHEN), id(BO)]);
    // A newcomer queues behind the arranged entries of their type.
    let _ = chen;
    run_at(&mut room, Actor::System, join_command(5, "Eve"), NOW).unwrap();
    raise(&mut room, 5, EntryKind::NewPoint);
    assert_eq!(order(&room).last(), Some(&id(5)));
}

#[test]
fn give_floor_uses_the_persons_first_entry_or_none() {
    let mut room = room();
    raise(&mut room, BO, EntryKind::NewPoint);
    let bo_clarifying = raise(&mut room, BO, EntryKind::Clarifying);
    give_floor(&mut room, BO, at(0)).unwrap();
    assert_eq!(
        room.queue.speaker.as_ref().unwrap().kind,
        Some(EntryKind::Clarifying)
    );
    assert!(room.queue.entry(bo_clarifying).is_none());
    assert_eq!(give_floor(&mut room, BO, at(1)), Ok(Vec::new()));
    give_floor(&mut room, DEE, at(10)).unwrap();
    assert_eq!(speaker(&room), Some(id(DEE)));
    assert_eq!(room.queue.speaker.as_ref().unwrap().kind, None);
    assert_eq!(room.queue.airtime_of(id(BO)), 10_000);
    assert_eq!(
        give_floor(&mut room, 99, at(11)),
        Err(Rejection::UnknownParticipant)
    );
}

#[test]
fn a_round_visits_everyone_once_with_the_facilitator_last() {
    let mut room = room();
    raise(&mut room, BO, EntryKind::NewPoint);
    ada(&mut room, Command::NextSpeaker { turn: None }, at(0)).unwrap();
    let start = Command::StartRound {
        kind: RoundKind::CheckIn,
        prompt: None,
        seed: 42,
    };
    let events = ada(&mut room, start, at(5)).unwrap();
    assert!(
        matches!(events[0], Event::TurnEnded { .. }),
        "Bo's turn ends first"
    );
    let round = room.queue.round.clone().expect("a round runs");
    assert_eq!(round.order.len(), 4);
    assert_eq!(round.order.last(), Some(&id(ADA)));
    assert_eq!(speaker(&room), Some(round.order[0]));
    // While it runs the queue waits, and no second round or direct floor.
    raise(&mut room, CHEN, EntryKind::NewPoint);
    assert_eq!(
        give_floor(&mut room, CHEN, at(6)),
        Err(Rejection::RoundInProgress)
    );

    let mut visited = Vec::new();
    let mut now = 10;
    while let Some(current) = room.queue.speaker.clone() {
        visited.push(current.participant);
        now += 20;
        // The first passes, the facilitator calls the second, the rest say done.
        let (actor, command) = match visited.len() {
            1 => (
                Actor::Participant(current.participant),
                Command::PassTurn { turn: current.turn },
            ),
            2 => (
                who(ADA),
                Command::NextSpeaker {
                    turn: Some(current.turn),
                },
            ),
            _ => (
                Actor::Participant(current.participant),
                Command::FinishTurn { turn: current.turn },
            ),
        };
        run_at(&mut room, actor, command, at(now)).unwrap();
    }
    assert_eq!(visited, round.order, "everyone once, in the round's order");
    assert!(
        room.queue.round.is_none(),
        "the round ended after the last turn"
    );
    assert_eq!(order(&room), [id(CHEN)], "the queue waited");
    let passer = round.order[0];
    let passed = room
        .queue
        .airtime
        .iter()
        .find(|a| a.participant == passer)
        .unwrap();
    assert_eq!(
        passed.turns,
        u32::from(passer == id(BO)),
        "a pass is not a turn"
    );
}

#[test]
fn round_order_depends_on_the_seed_only() {
    let room = room();
    let order = |seed| moot_shared::room::queue::round_order(&room, seed);
    assert_eq!(order(7), order(7));
    let orders: std::collections::BTreeSet<Vec<ParticipantId>> = (0..50).map(order).collect();
    assert!(orders.len() > 1, "different seeds give different orders");
    assert!(orders.iter().all(|order| order.last() == Some(&id(ADA))));
}

#[test]
fn a_custom_round_has_its_prompt_and_can_end_early() {
    let mut room = room();
    let prompt = Some(RoundPrompt::parse("One thing you learned").unwrap());
    ada(
        &mut room,
        Command::StartRound {
            kind: RoundKind::Custom,
            prompt: prompt.clone(),
            seed: 3,
        },
        at(0),
    )
    .unwrap();
    assert_eq!(room.queue.round.as_ref().unwrap().prompt, prompt);
    assert_eq!(
        ada(
            &mut room,
            Command::StartRound {
                kind: RoundKind::CheckOut,
                prompt: None,
                seed: 3
            },
            at(1)
        ),
        Err(Rejection::RoundInProgress)
    );
    ada(&mut room, Command::EndRound, at(12)).unwrap();
    assert!(room.queue.round.is_none());
    assert_eq!(speaker(&room), None);
    assert_eq!(
        ada(&mut room, Command::EndRound, at(13)),
        Err(Rejection::NoRound)
    );
    assert_eq!(
        run_at(
            &mut room,
            who(BO),
            Command::PassTurn { turn: TurnId(1) },
            at(13)
        ),
        Err(Rejection::NoRound)
    );
}

#[test]
fn a_removed_participant_takes_their_entries_and_the_floor() {
    let mut room = room();
    raise(&mut room, BO, EntryKind::NewPoint);
    raise(&mut room, BO, EntryKind::Process);
    raise(&mut room, CHEN, EntryKind::NewPoint);
    give_floor(&mut room, DEE, at(0)).unwrap();
    ada(
        &mut room,
        Command::Remove {
            participant: id(BO),
        },
        at(5),
    )
    .unwrap();
    assert_eq!(order(&room), [id(CHEN)]);
    run_at(&mut room, who(DEE), Command::Leave, at(25)).unwrap();
    assert_eq!(speaker(&room), None, "the leaver's turn ended");
    assert_eq!(room.queue.airtime_of(id(DEE)), 25_000);
}

#[test]
fn someone_leaving_mid_round_is_skipped() {
    let mut room = room();
    ada(
        &mut room,
        Command::StartRound {
            kind: RoundKind::CheckIn,
            prompt: None,
            seed: 9,
        },
        at(0),
    )
    .unwrap();
    let order = room.queue.round.clone().unwrap().order;
    // The one due second leaves before their turn; the one speaking leaves too.
    run_at(
        &mut room,
        Actor::Participant(order[1]),
        Command::Leave,
        at(1),
    )
    .unwrap();
    run_at(
        &mut room,
        Actor::Participant(order[0]),
        Command::Leave,
        at(2),
    )
    .unwrap();
    assert_eq!(speaker(&room), Some(order[2]));
}

#[test]
fn settings_are_bounded() {
    let mut room = room();
    let settings = QueueSettings {
        turn_limit_secs: 5,
        ..QueueSettings::default()
    };
    assert_eq!(
        ada(&mut room, Command::ConfigureQueue { settings }, NOW),
        Err(Rejection::DurationOutOfRange {
            min_secs: 10,
            max_secs: 3_600
        })
    );
    assert_eq!(
        ada(
            &mut room,
            Command::ConfigureQueue {
                settings: QueueSettings::default()
            },
            NOW
        ),
        Ok(Vec::new())
    );
}

#[test]
fn a_pristine_queue_is_left_out_of_the_json_and_a_used_one_round_trips() {
    let mut room = room();
    assert!(!serde_json::to_string(&room).unwrap().contains("\"queue\""));
    raise(&mut room, BO, EntryKind::BuildOn);
    ada(&mut room, Command::NextSpeaker { turn: None }, at(3)).unwrap();
    let json = serde_json::to_string(&room).unwrap();
    assert!(json.contains("\"queue\""));
    let again: Room = serde_json::from_str(&json).unwrap();
    assert_eq!(again, room);
}

/// Who comes next and the turn's soft limit are the room's to say (the
/// browser used to work them out itself).
#[test]
fn up_next_and_the_turn_limit_follow_the_queue_or_the_round() {
    let mut room = room();
    raise(&mut room, DEE, EntryKind::NewPoint);
    raise(&mut room, BO, EntryKind::Clarifying);
    raise(&mut room, CHEN, EntryKind::NewPoint);
    assert_eq!(room.queue.up_next(&room, 2), vec![id(BO), id(DEE)]);
    assert_eq!(room.queue.up_next(&room, 5), order(&room));
    let settings = room.queue.settings;
    assert_eq!(
        room.queue.turn_limit_millis(),
        u64::from(settings.turn_limit_secs) * 1_000
    );
    let start = Command::StartRound {
        kind: RoundKind::CheckIn,
        prompt: None,
        seed: 7,
    };
    ada(&mut room, start, at(1)).unwrap();
    let round = room.queue.round.clone().expect("a round runs");
    assert_eq!(
        room.queue.turn_limit_millis(),
        u64::from(settings.round_turn_secs) * 1_000
    );
    // In a round: those still due, in order, skipping anyone who left.
    let due: Vec<ParticipantId> = round.remaining.clone();
    assert_eq!(room.queue.up_next(&room, 9), due);
    let leaving = due[0];
    if leaving != id(ADA) {
        run_at(
            &mut room,
            Actor::Participant(leaving),
            Command::Leave,
            at(2),
        )
        .unwrap();
        assert!(!room.queue.up_next(&room, 9).contains(&leaving));
    }
}
