//! The agenda over the wire (issue 13): two people pressing Next together
//! advance once; a phone joining mid-agenda gets the phase in its snapshot;
//! a timed phase survives the server stopping abruptly, planned end and all.

use moot_server::Config;
use moot_shared::room::agenda::{Format, PhaseId, PhaseState};
use moot_shared::{Command, Rejection};
use moot_tests::{TestClient, TestServer};

async fn next(client: &mut TestClient, from: Option<u16>) -> moot_shared::Seq {
    client
        .run(Command::NextPhase {
            from: from.map(PhaseId),
            seed: 0,
        })
        .await
}

#[tokio::test]
async fn two_facilitators_pressing_next_together_advance_once() {
    let server = TestServer::start().await;
    let opened = server.open_meetup("Guild", "Fran").await;
    let code = opened.join_code.as_str();
    let mut fran = TestClient::rejoin(&server, code, &opened.token, None).await;
    let mut ada = TestClient::join(&server, code, "Ada").await;
    fran.run(Command::AddCoFacilitator {
        participant: ada.me.unwrap(),
    })
    .await;
    fran.run(Command::SetAgenda {
        format: Format::LeanCoffee,
    })
    .await;
    next(&mut fran, None).await;
    ada.wait_for("phase 1", |room| {
        room.agenda
            .current()
            .is_some_and(|phase| phase.id == PhaseId(1))
    })
    .await
    .unwrap();
    let seen = fran.frames.len();

    // Both send Next from phase 1 before either hears of the other's.
    let both = Command::NextPhase {
        from: Some(PhaseId(1)),
        seed: 0,
    };
    let by_fran = fran.command(both.clone()).await;
    let by_ada = ada.command(both).await;
    let answers = [fran.answer(&by_fran).await, ada.answer(&by_ada).await];
    let acked = answers.iter().filter(|answer| answer.is_ok()).count();
    assert_eq!(acked, 1, "{answers:?}");
    assert!(answers.contains(&Err(Rejection::StalePhase)), "{answers:?}");
    fran.wait_for("phase 2", |room| {
        room.agenda
            .current()
            .is_some_and(|phase| phase.id == PhaseId(2))
    })
    .await
    .unwrap();
    let started = fran.frames[seen..]
        .iter()
        .filter(|frame| frame.contains("\"phase_started\""))
        .count();
    assert_eq!(started, 1);
}

#[tokio::test]
async fn a_phone_joining_mid_agenda_lands_in_the_current_phase() {
    let server = TestServer::start().await;
    let opened = server.open_meetup("Guild", "Fran").await;
    let code = opened.join_code.as_str();
    let mut fran = TestClient::rejoin(&server, code, &opened.token, None).await;
    fran.run(Command::SetAgenda {
        format: Format::LeanCoffee,
    })
    .await;
    next(&mut fran, None).await;
    for from in 1..=3 {
        next(&mut fran, Some(from)).await;
    }
    let late = TestClient::join(&server, code, "Linus").await;
    let room = late.room.as_ref().expect("a snapshot");
    let current = room.agenda.current().expect("a current phase");
    assert_eq!(current.id, PhaseId(4));
    assert_eq!(current.spec.title.as_str(), "Vote");
    assert_eq!(room.agenda.position(PhaseId(4)), Some((4, 7)));
    assert!(room.board.voting_open, "and the vote it runs");
    assert!(
        room.agenda.phases[..3]
            .iter()
            .all(|phase| phase.state == PhaseState::Done)
    );
}

#[tokio::test]
async fn a_timed_phase_survives_a_crash_with_its_planned_end() {
    let server = TestServer::start().await;
    let opened = server.open_meetup("Guild", "Fran").await;
    let code = opened.join_code.to_string();
    let mut fran = TestClient::rejoin(&server, &code, &opened.token, None).await;
    fran.run(Command::SetAgenda {
        format: Format::OneOnOne,
    })
    .await;
    next(&mut fran, None).await;
    next(&mut fran, Some(1)).await;
    let before = fran.room.clone().unwrap();
    let phase = before.agenda.current().unwrap().clone();
    let planned_end = phase.planned_end().expect("a timed phase");
    let data_dir = server.crash();

    let server = TestServer::with_data(Config {
        data_dir,
        ..Config::default()
    })
    .await;
    let fran = TestClient::rejoin(&server, &code, &opened.token, None).await;
    let after = fran.room.as_ref().unwrap();
    let current = after.agenda.current().expect("still in the phase");
    assert_eq!(current.id, phase.id);
    assert_eq!(current.planned_end(), Some(planned_end));
    assert_eq!(after.timer.run, before.timer.run, "and its countdown");
}

#[tokio::test]
async fn the_case_givers_hand_is_refused_over_the_wire_and_a_late_phone_learns_the_roles() {
    use moot_shared::room::agenda::AgendaRole;
    use moot_shared::room::queue::EntryKind;
    let server = TestServer::start().await;
    let opened = server.open_meetup("Guild", "Fran").await;
    let code = opened.join_code.as_str();
    let mut fran = TestClient::rejoin(&server, code, &opened.token, None).await;
    let mut bo = TestClient::join(&server, code, "Bo").await;
    let mut chen = TestClient::join(&server, code, "Chen").await;
    fran.run(Command::SetAgenda {
        format: Format::CaseConsultation,
    })
    .await;
    next(&mut fran, None).await;
    fran.run(Command::AssignRole {
        role: AgendaRole::CaseGiver,
        participant: bo.me,
    })
    .await;
    for from in 1..=4 {
        next(&mut fran, Some(from)).await;
    }
    bo.wait_for("the consultation", |room| {
        room.agenda
            .current()
            .is_some_and(|phase| phase.id == PhaseId(5))
    })
    .await
    .unwrap();

    let raise = Command::RaiseHand {
        kind: EntryKind::NewPoint,
        note: None,
    };
    let by_bo = bo.command(raise.clone()).await;
    assert_eq!(
        bo.answer(&by_bo).await,
        Err(Rejection::ListeningRole {
            role: AgendaRole::CaseGiver
        })
    );
    chen.run(raise).await;

    // Assigning after the casting is refused too, and changes nothing.
    let late = fran
        .command(Command::AssignRole {
            role: AgendaRole::Scribe,
            participant: chen.me,
        })
        .await;
    assert_eq!(fran.answer(&late).await, Err(Rejection::RolesFrozen));

    let dana = TestClient::join(&server, code, "Dana").await;
    let room = dana.room.as_ref().expect("a snapshot");
    assert_eq!(room.agenda.holder(AgendaRole::CaseGiver), bo.me);
    assert_eq!(room.agenda.holder(AgendaRole::Scribe), None);
    assert_eq!(room.queue.entries.len(), 1, "only Chen's hand is up");
}

#[tokio::test]
async fn the_next_meetup_of_a_series_reuses_the_last_plan() {
    let server = TestServer::start().await;
    let opened = server.open_meetup("Guild, January", "Fran").await;
    let mut fran =
        TestClient::rejoin(&server, opened.join_code.as_str(), &opened.token, None).await;
    fran.run(Command::SetAgenda {
        format: Format::PeerLearning,
    })
    .await;
    let planned: Vec<_> = fran
        .room
        .as_ref()
        .unwrap()
        .agenda
        .phases
        .iter()
        .map(|phase| phase.spec.clone())
        .collect();
    let refused = fran.command(Command::ReuseAgenda).await;
    assert_eq!(
        fran.answer(&refused).await,
        Err(Rejection::NoAgendaToReuse),
        "the first meetup follows none"
    );

    let next =
        moot_tests::open_following(&server, "Guild, February", &opened.join_code, &opened.token)
            .await;
    let mut fran = TestClient::rejoin(&server, next.join_code.as_str(), &next.token, None).await;
    fran.run(Command::ReuseAgenda).await;
    let room = fran.room.as_ref().unwrap();
    assert_eq!(room.agenda.format, Some(Format::PeerLearning));
    let reused: Vec<_> = room
        .agenda
        .phases
        .iter()
        .map(|phase| phase.spec.clone())
        .collect();
    assert_eq!(reused, planned);
    assert!(
        room.agenda
            .phases
            .iter()
            .all(|phase| phase.state == PhaseState::Upcoming)
    );
}
