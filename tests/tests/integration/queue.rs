//! The speaking queue over real WebSockets: a facilitator and five phones.

use moot_shared::Command;
use moot_shared::ParticipantId;
use moot_shared::Rejection;
use moot_shared::room::queue::{EntryKind, RoundKind};
use moot_shared::room::{Role, Room};
use moot_tests::text;
use moot_tests::{TestClient, TestServer};

/// A meetup with a connected facilitator and five phones, everyone in sync.
async fn six(server: &TestServer) -> (TestClient, Vec<TestClient>) {
    let opened = server.open_meetup("Guild", "Fran").await;
    let code = opened.join_code.as_str();
    let facilitator = TestClient::rejoin(server, code, &opened.token, None).await;
    let mut phones = Vec::new();
    for name in ["Ada", "Bo", "Chen", "Dee", "Eli"] {
        phones.push(TestClient::join(server, code, name).await);
    }
    let mut everyone = vec![facilitator];
    everyone.extend(phones);
    for client in &mut everyone {
        client
            .wait_for("all six", |room| room.active_participants().count() == 6)
            .await
            .unwrap();
    }
    let facilitator = everyone.remove(0);
    (facilitator, everyone)
}

/// Queued people's names, in speaking order.
fn order(room: &Room) -> Vec<String> {
    room.queue
        .ordered()
        .iter()
        .map(|entry| name(room, entry.participant))
        .collect()
}

fn name(room: &Room, id: ParticipantId) -> String {
    room.participant(id)
        .map(|participant| participant.name.to_string())
        .unwrap_or_default()
}

fn speaker(room: &Room) -> Option<String> {
    room.queue
        .speaker
        .as_ref()
        .map(|speaker| name(room, speaker.participant))
}

fn raise(kind: EntryKind) -> Command {
    Command::RaiseHand { kind, note: None }
}

#[tokio::test]
async fn mixed_entry_types_end_up_in_priority_order_on_every_client() {
    let server = TestServer::start().await;
    let (mut facilitator, mut phones) = six(&server).await;
    let kinds = [
        EntryKind::NewPoint,
        EntryKind::BuildOn,
        EntryKind::NewPoint,
        EntryKind::Process,
        EntryKind::Clarifying,
    ];
    for (phone, kind) in phones.iter_mut().zip(kinds) {
        phone.run(raise(kind)).await;
    }
    // Ada turns her new point into a clarifying question, with a note.
    let expected = ["Dee", "Eli", "Bo", "Ada", "Chen"];
    for client in phones.iter_mut().chain([&mut facilitator]) {
        client
            .wait_for("five hands", |room| room.queue.entries.len() == 5)
            .await
            .unwrap();
        assert_eq!(order(client.room.as_ref().unwrap()), expected);
    }
    let ada_entry = phones[0].room.as_ref().unwrap().queue.entries[0].id;
    phones[0]
        .run(Command::EditEntry {
            entry: ada_entry,
            kind: EntryKind::Clarifying,
            note: Some(text("which team?")),
        })
        .await;
    for client in phones.iter_mut().chain([&mut facilitator]) {
        client
            .wait_for("Ada's edit", |room| {
                room.queue.entries[0].kind == EntryKind::Clarifying
            })
            .await
            .unwrap();
        // Both clarifying now: Ada raised her hand first, and an edit
        // keeps the hand's place in arrival.
        assert_eq!(
            order(client.room.as_ref().unwrap()),
            ["Dee", "Ada", "Eli", "Bo", "Chen"]
        );
    }
}

#[tokio::test]
async fn a_simultaneous_done_and_next_advance_once() {
    let server = TestServer::start().await;
    let (mut facilitator, mut phones) = six(&server).await;
    for phone in phones.iter_mut().take(3) {
        phone.run(raise(EntryKind::NewPoint)).await;
    }
    facilitator.run(Command::NextSpeaker { turn: None }).await;
    let ada = &mut phones[0];
    ada.wait_for("Ada speaks", |room| speaker(room).as_deref() == Some("Ada"))
        .await
        .unwrap();
    let turn = ada
        .room
        .as_ref()
        .unwrap()
        .queue
        .speaker
        .as_ref()
        .unwrap()
        .turn;

    // Both go out before either answer is read.
    let done = phones[0].command(Command::FinishTurn { turn }).await;
    let next = facilitator
        .command(Command::NextSpeaker { turn: Some(turn) })
        .await;
    let done = phones[0].answer(&done).await;
    let next = facilitator.answer(&next).await;
    let outcomes = [done.is_ok(), next.is_ok()];
    assert_eq!(
        outcomes.iter().filter(|ok| **ok).count(),
        1,
        "exactly one advanced: {done:?} {next:?}"
    );
    assert!(
        [&done, &next].contains(&&Err(Rejection::StaleTurn)),
        "the loser finds its turn over"
    );
    for client in phones.iter_mut().chain([&mut facilitator]) {
        client
            .wait_for("Bo speaks", |room| speaker(room).as_deref() == Some("Bo"))
            .await
            .unwrap();
        let room = client.room.as_ref().unwrap();
        assert_eq!(order(room), ["Chen"], "Chen is still waiting");
        assert_eq!(room.queue.last_turn.0, turn.0 + 1);
    }
}

#[tokio::test]
async fn a_participant_cannot_call_next_or_run_a_round() {
    let server = TestServer::start().await;
    let (mut facilitator, mut phones) = six(&server).await;
    phones[1].run(raise(EntryKind::NewPoint)).await;
    let ada = &mut phones[0];
    for command in [
        Command::NextSpeaker { turn: None },
        Command::StartRound {
            kind: RoundKind::CheckIn,
            prompt: None,
            seed: 0,
        },
    ] {
        let request = ada.command(command).await;
        assert_eq!(ada.answer(&request).await, Err(Rejection::FacilitatorsOnly));
    }
    // Nothing moved: the facilitator still sees Bo waiting and no speaker.
    facilitator
        .wait_for("Bo's hand", |room| room.queue.entries.len() == 1)
        .await
        .unwrap();
    let room = facilitator.room.as_ref().unwrap();
    assert_eq!(speaker(room), None);
    assert_eq!(order(room), ["Bo"]);
}

#[tokio::test]
async fn a_removed_participants_entries_disappear_everywhere() {
    let server = TestServer::start().await;
    let (mut facilitator, mut phones) = six(&server).await;
    phones[1].run(raise(EntryKind::NewPoint)).await;
    phones[1].run(raise(EntryKind::Process)).await;
    phones[2].run(raise(EntryKind::NewPoint)).await;
    for client in phones.iter_mut().chain([&mut facilitator]) {
        client
            .wait_for("three hands", |room| room.queue.entries.len() == 3)
            .await
            .unwrap();
    }
    let bo = phones[1].me.unwrap();
    facilitator.run(Command::Remove { participant: bo }).await;
    let mut others: Vec<&mut TestClient> = phones
        .iter_mut()
        .enumerate()
        .filter(|(index, _)| *index != 1)
        .map(|(_, phone)| phone)
        .collect();
    others.push(&mut facilitator);
    for client in others {
        client
            .wait_for("Bo's hands gone", |room| room.queue.entries.len() == 1)
            .await
            .unwrap();
        assert_eq!(order(client.room.as_ref().unwrap()), ["Chen"]);
    }
}

#[tokio::test]
async fn a_check_in_round_visits_everyone_once_with_the_facilitator_last() {
    let server = TestServer::start().await;
    let (mut facilitator, mut phones) = six(&server).await;
    facilitator
        .run(Command::StartRound {
            kind: RoundKind::CheckIn,
            prompt: None,
            seed: 0,
        })
        .await;
    let round = facilitator
        .room
        .as_ref()
        .unwrap()
        .queue
        .round
        .clone()
        .unwrap();
    assert_eq!(round.order.len(), 6);
    let fran = facilitator.me.unwrap();
    assert_eq!(round.order.last(), Some(&fran));
    let mut visited = Vec::new();
    for (index, who) in round.order.iter().enumerate() {
        let client = if *who == fran {
            &mut facilitator
        } else {
            phones
                .iter_mut()
                .find(|phone| phone.me == Some(*who))
                .unwrap()
        };
        client
            .wait_for("my turn", |room| {
                room.queue
                    .speaker
                    .as_ref()
                    .map(|speaker| speaker.participant)
                    == Some(*who)
            })
            .await
            .unwrap();
        let turn = client
            .room
            .as_ref()
            .unwrap()
            .queue
            .speaker
            .as_ref()
            .unwrap()
            .turn;
        visited.push(*who);
        // One passes; the rest say done.
        let command = if index == 2 {
            Command::PassTurn { turn }
        } else {
            Command::FinishTurn { turn }
        };
        client.run(command).await;
    }
    assert_eq!(visited, round.order);
    facilitator
        .wait_for("the round ended", |room| room.queue.round.is_none())
        .await
        .unwrap();
    let room = facilitator.room.as_ref().unwrap();
    assert_eq!(room.queue.speaker, None);
    assert_eq!(room.participant(fran).unwrap().role, Role::Facilitator);
    let turns: u32 = room.queue.airtime.iter().map(|airtime| airtime.turns).sum();
    assert_eq!(turns, 5, "six turns, one passed");
}
