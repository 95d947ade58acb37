//! Facilitator fallback through the server: the facilitator's connection
//! dies without a close frame, a co-facilitator runs the meetup after the
//! fallback period, and the facilitator gets the role back on return. The
//! clock is manual, so the periods pass without waiting.

use std::time::Duration;

use moot_server::clock::Clock;
use moot_server::config::Config;
use moot_shared::limits::{FACILITATOR_FALLBACK_MILLIS, FACILITATOR_RECLAIM_MILLIS};
use moot_shared::room::Role;
use moot_shared::room::poll::{PollKind, PollSetup, PollStatus, Secrecy};
use moot_shared::room::queue::EntryKind;
use moot_shared::{Command, ParticipantId, Room};
use moot_tests::{TestClient, TestServer, text};

fn role_of(room: &Room, id: ParticipantId) -> Role {
    room.participant(id).expect("listed").role
}

#[tokio::test]
async fn a_co_facilitator_runs_the_meetup_while_the_facilitator_is_gone_and_hands_it_back() {
    let clock = Clock::manual(moot_server::now());
    let server = TestServer::with_config(Config {
        clock: clock.clone(),
        ..Config::default()
    })
    .await;
    let opened = server.open_meetup("Guild", "Fran").await;
    let code = opened.join_code.to_string();
    let mut fran = TestClient::rejoin(&server, &code, &opened.token, None).await;
    let mut cy = TestClient::join(&server, &code, "Cy").await;
    let mut bo = TestClient::join(&server, &code, "Bo").await;
    let (fran_id, cy_id) = (fran.me.unwrap(), cy.me.unwrap());
    fran.run(Command::AddCoFacilitator { participant: cy_id })
        .await;
    // Mid-discussion: a timer runs, a poll is open, Bo waits to speak.
    fran.run(Command::StartTimer { duration_secs: 600 }).await;
    fran.run(Command::OpenPoll {
        setup: PollSetup {
            question: text("Ship it?"),
            kind: PollKind::Roman,
            options: Vec::new(),
            secrecy: Secrecy::Secret,
            auto_reveal: false,
            time_limit_secs: None,
            question_key: None,
        },
    })
    .await;
    bo.run(Command::RaiseHand {
        kind: EntryKind::NewPoint,
        note: None,
    })
    .await;
    cy.wait_for("Bo in the queue", |room| !room.queue.entries.is_empty())
        .await
        .unwrap();
    let timer_before = cy.room.as_ref().unwrap().timer.clone();

    // Fran's laptop dies: no close frame.
    let saved = fran.kill_connection();
    cy.wait_for("the fallback scheduled", |room| {
        room.fallback.due_at.is_some()
    })
    .await
    .unwrap();
    clock.advance(Duration::from_millis(FACILITATOR_FALLBACK_MILLIS));
    cy.wait_for("Cy stands in", |room| {
        role_of(room, cy_id) == Role::Facilitator
            && room.fallback.stand_in.as_ref().map(|s| s.owner) == Some(fran_id)
    })
    .await
    .unwrap();
    // Bo's phone says who stands in, too.
    bo.wait_for("Bo sees the stand-in", |room| {
        room.fallback.stand_in.as_ref().map(|s| s.by) == Some(cy_id)
    })
    .await
    .unwrap();

    // Cy runs the meetup: next speaker. Nothing else stopped.
    cy.run(Command::NextSpeaker { turn: None }).await;
    let room = cy.room.as_ref().unwrap();
    assert_eq!(
        room.queue.speaker.as_ref().map(|s| s.participant),
        bo.me,
        "Bo has the floor"
    );
    assert_eq!(room.timer, timer_before, "the timer kept running");
    assert_eq!(
        room.polls.current().expect("the poll").status,
        PollStatus::Open
    );

    // Fran comes back; after the reclaim period the role is hers again.
    let mut fran = TestClient::resume(&server, &code, saved).await;
    fran.wait_for("Fran returning", |room| {
        room.fallback
            .stand_in
            .as_ref()
            .is_some_and(|s| s.reclaim_at.is_some())
    })
    .await
    .unwrap();
    assert_eq!(
        role_of(fran.room.as_ref().unwrap(), fran_id),
        Role::CoFacilitator
    );
    clock.advance(Duration::from_millis(FACILITATOR_RECLAIM_MILLIS));
    fran.wait_for("Fran runs it again", |room| {
        role_of(room, fran_id) == Role::Facilitator
            && role_of(room, cy_id) == Role::CoFacilitator
            && room.fallback.stand_in.is_none()
    })
    .await
    .unwrap();
    // She runs it: the next speaker, from the turn she sees.
    let turn = fran
        .room
        .as_ref()
        .and_then(|room| room.queue.speaker.as_ref());
    let turn = turn.map(|speaker| speaker.turn);
    fran.run(Command::NextSpeaker { turn }).await;
}
