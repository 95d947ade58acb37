//! The timer and the Lean Coffee timebox over real WebSockets (issue 6),
//! with the server on a manual clock: tests move time forward and wait for
//! the events, never sleeping. The expiry must fire once for the whole room,
//! even with several clients connected and one reconnecting at that moment.

use std::time::Duration;

use moot_server::{Clock, Config};
use moot_shared::Command;
use moot_shared::room::Presence;
use moot_shared::room::board::{Column, TopicId};
use moot_shared::room::timer::TimerRun;
use moot_shared::{Rejection, Room, Timestamp};
use moot_tests::text;
use moot_tests::{TestClient, TestServer};
use serde_json::Value;

const NAMES: [&str; 4] = ["Ada", "Grace", "Linus", "Ken"];

/// A server on a manual clock, and the clock.
async fn server() -> (TestServer, Clock) {
    let clock = Clock::manual(moot_server::now());
    let config = Config {
        clock: clock.clone(),
        ..Config::default()
    };
    (TestServer::with_config(config).await, clock)
}

struct Meetup {
    code: String,
    facilitator: TestClient,
    phones: Vec<TestClient>,
    screen: TestClient,
}

/// The facilitator, four phones and the shared screen, everyone seeing everyone.
async fn meetup(server: &TestServer) -> Meetup {
    let opened = server.open_meetup("Lean Coffee", "Fran").await;
    let code = opened.join_code.to_string();
    let mut facilitator = TestClient::rejoin(server, &code, &opened.token, None).await;
    let mut phones = Vec::new();
    for name in NAMES {
        phones.push(TestClient::join(server, &code, name).await);
    }
    let mut screen = TestClient::screen(server, &code, &opened.screen_url).await;
    let all_here = |room: &Room| {
        room.active_participants()
            .filter(|p| p.presence == Presence::Here)
            .count()
            == 1 + NAMES.len()
    };
    facilitator.wait_for("all here", all_here).await.unwrap();
    for phone in &mut phones {
        phone.wait_for("all here", all_here).await.unwrap();
    }
    screen.wait_for("all here", all_here).await.unwrap();
    Meetup {
        code,
        facilitator,
        phones,
        screen,
    }
}

fn room(client: &TestClient) -> &Room {
    client.room.as_ref().expect("the client holds the room")
}

/// How many events of this type a client received on the wire.
fn count(client: &TestClient, event_type: &str) -> usize {
    client
        .frames
        .iter()
        .filter_map(|frame| serde_json::from_str::<Value>(frame).ok())
        .filter(|frame| frame["type"] == "event" && frame["event"]["type"] == event_type)
        .count()
}

/// A phone proposes a topic and the facilitator starts it.
async fn start_topic(meetup: &mut Meetup) -> TopicId {
    meetup.phones[0]
        .run(Command::ProposeTopic {
            title: text("Flaky tests"),
            details: None,
        })
        .await;
    meetup
        .facilitator
        .wait_for("the topic", |room| !room.board.topics.is_empty())
        .await
        .unwrap();
    let topic = room(&meetup.facilitator).board.topics[0].id;
    meetup.facilitator.run(Command::StartTopic { topic }).await;
    topic
}

fn deadline(room: &Room) -> Option<Timestamp> {
    room.timer.next_deadline()
}

#[tokio::test]
async fn the_timebox_runs_out_once_for_everyone_even_with_a_phone_reconnecting() {
    let (server, clock) = server().await;
    let mut meetup = meetup(&server).await;
    let started_at = clock.now();
    let topic = start_topic(&mut meetup).await;
    let due = started_at.plus_millis(420_000);
    assert_eq!(deadline(room(&meetup.facilitator)), Some(due));
    assert_eq!(room(&meetup.facilitator).timer.topic, Some(topic));

    // Almost there: nothing happens.
    clock.advance(Duration::from_millis(419_999));
    meetup
        .facilitator
        .run(Command::SetPresence {
            presence: moot_shared::room::ReportedPresence::Here,
        })
        .await;
    assert!(matches!(
        room(&meetup.facilitator).timer.run,
        TimerRun::Running { .. }
    ));

    // Ken's phone loses its connection just before zero and comes back as
    // the timebox runs out.
    let ken = meetup.phones.pop().expect("Ken");
    let saved = ken.drop_connection().await;
    clock.advance(Duration::from_millis(1));
    let mut ken = TestClient::resume(&server, &meetup.code, saved).await;
    // More time passing while the vote is open changes nothing more.
    clock.advance(Duration::from_millis(5_000));

    // The expiry and the vote's opening are two events of one command.
    let vote_opened = |room: &Room| room.timer.vote.is_some() && !room.polls.history.is_empty();
    for client in
        meetup
            .phones
            .iter_mut()
            .chain([&mut meetup.facilitator, &mut meetup.screen, &mut ken])
    {
        client.wait_for("the vote", vote_opened).await.unwrap();
    }
    for client in meetup
        .phones
        .iter()
        .chain([&meetup.facilitator, &meetup.screen])
    {
        assert_eq!(count(client, "timer_expired"), 1);
        assert_eq!(count(client, "poll_opened"), 1);
        assert_eq!(room(client).polls.history.len(), 1);
    }
    // Ken either got the expiry replayed or saw it live; either way once.
    assert!(count(&ken, "timer_expired") <= 1);
    assert_eq!(room(&ken).polls.history.len(), 1);
    assert_eq!(room(&ken).timer, room(&meetup.facilitator).timer);
    assert!(matches!(
        room(&ken).timer.run,
        TimerRun::Expired { at } if at == due
    ));

    // The group votes up: the timebox is extended by four minutes on every screen.
    let vote = room(&ken).timer.vote.expect("the vote");
    for phone in meetup.phones.iter_mut().chain([&mut ken]) {
        phone
            .run(Command::CastVote {
                poll: vote,
                choice: 0,
                reason: None,
            })
            .await;
    }
    let extended = |room: &Room| room.timer.extensions == 1;
    let revealed_at = clock.now();
    for client in
        meetup
            .phones
            .iter_mut()
            .chain([&mut meetup.facilitator, &mut meetup.screen, &mut ken])
    {
        client.wait_for("the extension", extended).await.unwrap();
        assert_eq!(
            deadline(room(client)),
            Some(revealed_at.plus_millis(240_000))
        );
        assert_eq!(
            room(client).board.topic(topic).map(|t| t.column),
            Some(Column::Discussing)
        );
    }

    // The second zero opens the second vote; nobody votes up, so the topic
    // ends with its exact time spent.
    clock.advance(Duration::from_millis(240_000));
    meetup
        .facilitator
        .wait_for("the second vote", |room| room.polls.history.len() == 2)
        .await
        .unwrap();
    let second = room(&meetup.facilitator).timer.vote.expect("a vote");
    for phone in &mut meetup.phones {
        phone
            .run(Command::CastVote {
                poll: second,
                choice: 2,
                reason: None,
            })
            .await;
    }
    ken.run(Command::CastVote {
        poll: second,
        choice: 2,
        reason: None,
    })
    .await;
    let ended_at = clock.now();
    let discussed = |room: &Room| room.board.topics[0].column == Column::Discussed;
    meetup
        .screen
        .wait_for("the topic discussed", discussed)
        .await
        .unwrap();
    assert_eq!(
        room(&meetup.screen).board.topics[0].time_spent_ms,
        ended_at.millis_since(started_at)
    );
    assert_eq!(count(&meetup.screen, "timer_expired"), 2);
}

#[tokio::test]
async fn pause_resume_and_adjust_over_the_wire_keep_exact_time() {
    let (server, clock) = server().await;
    let mut meetup = meetup(&server).await;
    let t0 = clock.now();
    meetup
        .facilitator
        .run(Command::StartTimer { duration_secs: 300 })
        .await;
    clock.advance(Duration::from_millis(100_500));
    meetup.facilitator.run(Command::PauseTimer).await;
    assert_eq!(
        room(&meetup.facilitator).timer.run,
        TimerRun::Paused {
            remaining_ms: 199_500
        }
    );
    // An hour paused: nothing runs out.
    clock.advance(Duration::from_secs(3_600));
    meetup
        .facilitator
        .run(Command::AdjustTimer { delta_secs: 60 })
        .await;
    meetup.facilitator.run(Command::ResumeTimer).await;
    let resumed = clock.now();
    assert_eq!(
        deadline(room(&meetup.facilitator)),
        Some(resumed.plus_millis(259_500))
    );
    assert!(resumed > t0);
    clock.advance(Duration::from_millis(259_500));
    meetup
        .screen
        .wait_for("expiry", |room| {
            matches!(room.timer.run, TimerRun::Expired { .. })
        })
        .await
        .unwrap();
    assert_eq!(count(&meetup.screen, "timer_expired"), 1);
    // Without a topic there is no vote.
    assert!(room(&meetup.screen).polls.history.is_empty());
}

#[tokio::test]
async fn timer_commands_are_refused_with_typed_reasons() {
    let (server, _clock) = server().await;
    let mut meetup = meetup(&server).await;
    let request = meetup.phones[0]
        .command(Command::StartTimer { duration_secs: 60 })
        .await;
    assert_eq!(
        meetup.phones[0].answer(&request).await,
        Err(Rejection::FacilitatorsOnly)
    );
    let request = meetup
        .facilitator
        .command(Command::StartTimer { duration_secs: 5 })
        .await;
    assert_eq!(
        meetup.facilitator.answer(&request).await,
        Err(Rejection::TimerOutOfRange {
            min_secs: 10,
            max_secs: 14_400
        })
    );
    let request = meetup.facilitator.command(Command::ResumeTimer).await;
    assert_eq!(
        meetup.facilitator.answer(&request).await,
        Err(Rejection::TimerNotPaused)
    );
}
