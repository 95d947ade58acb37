//! Consensus polls over real WebSockets (issue 5): the raw frames of every
//! client are read, so secrecy is checked on the wire, not in a view.

use moot_shared::Command;
use moot_shared::ParticipantId;
use moot_shared::Rejection;
use moot_shared::room::poll::{PollId, PollKind, PollSetup, PollStatus, Reading, Secrecy};
use moot_tests::text;
use moot_tests::{TestClient, TestServer};
use serde_json::Value;

const NAMES: [&str; 5] = ["Ada", "Grace", "Linus", "Barbara", "Ken"];

/// A meetup with a connected facilitator and five phones, everyone seeing everyone.
async fn meetup(server: &TestServer) -> (TestClient, Vec<TestClient>, TestClient) {
    let opened = server.open_meetup("Guild", "Fran").await;
    let code = opened.join_code.as_str();
    let mut facilitator = TestClient::rejoin(server, code, &opened.token, None).await;
    let mut phones = Vec::new();
    for name in NAMES {
        phones.push(TestClient::join(server, code, name).await);
    }
    let screen = TestClient::screen(server, code, &opened.screen_url).await;
    let all_here = |room: &moot_shared::Room| {
        room.active_participants()
            .filter(|p| p.presence == moot_shared::room::Presence::Here)
            .count()
            == 6
    };
    facilitator.wait_for("all here", all_here).await.unwrap();
    for phone in &mut phones {
        phone.wait_for("all here", all_here).await.unwrap();
    }
    (facilitator, phones, screen)
}

async fn open_poll(facilitator: &mut TestClient, kind: PollKind, secrecy: Secrecy) -> PollId {
    facilitator
        .run(Command::OpenPoll {
            setup: PollSetup {
                question: text("Can everyone live with this?"),
                kind,
                options: Vec::new(),
                secrecy,
                auto_reveal: true,
                time_limit_secs: None,
                question_key: None,
            },
        })
        .await;
    facilitator
        .room
        .as_ref()
        .and_then(|room| room.polls.current())
        .map(|poll| poll.id)
        .expect("the poll is open")
}

/// Every event frame a client received, parsed.
fn events(client: &TestClient) -> Vec<Value> {
    client
        .frames
        .iter()
        .filter_map(|frame| serde_json::from_str::<Value>(frame).ok())
        .filter(|frame| frame["type"] == "event")
        .map(|frame| frame["event"].clone())
        .collect()
}

/// Ballots a client could read: every `ballot` in a vote and every element
/// of `ballots` in a reveal or a snapshot.
fn ballots_seen(client: &TestClient) -> Vec<Value> {
    let mut seen = Vec::new();
    for frame in &client.frames {
        let Ok(value) = serde_json::from_str::<Value>(frame) else {
            continue;
        };
        collect_ballots(&value, &mut seen);
    }
    seen
}

fn collect_ballots(value: &Value, seen: &mut Vec<Value>) {
    match value {
        Value::Object(map) => {
            if let Some(ballot) = map.get("ballot") {
                seen.push(ballot.clone());
            }
            if let Some(Value::Array(ballots)) = map.get("ballots") {
                seen.extend(ballots.iter().cloned());
            }
            for child in map.values() {
                collect_ballots(child, seen);
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect_ballots(item, seen)),
        _ => {}
    }
}

fn id_text(id: ParticipantId) -> String {
    id.0.hyphenated().to_string()
}

#[tokio::test]
async fn no_frame_carries_anyone_elses_vote_before_the_reveal() {
    let server = TestServer::start().await;
    let (mut facilitator, mut phones, mut screen) = meetup(&server).await;
    let poll = open_poll(&mut facilitator, PollKind::FistOfFive, Secrecy::Secret).await;
    // Four of five vote; the poll waits for the fifth.
    for (index, phone) in phones.iter_mut().take(4).enumerate() {
        phone
            .run(Command::CastVote {
                poll,
                choice: u8::try_from(index + 2).unwrap(),
                reason: None,
            })
            .await;
    }
    facilitator
        .wait_for("four votes", |room| {
            room.polls
                .get(poll)
                .is_some_and(|poll| poll.ballots.len() == 4)
        })
        .await
        .unwrap();
    screen
        .wait_for("four votes", |room| {
            room.polls
                .get(poll)
                .is_some_and(|poll| poll.ballots.len() == 4)
        })
        .await
        .unwrap();
    for phone in &mut phones {
        phone
            .wait_for("four votes", |room| {
                room.polls
                    .get(poll)
                    .is_some_and(|poll| poll.ballots.len() == 4)
            })
            .await
            .unwrap();
    }
    // Before the reveal: every ballot anyone received is their own or has no choice.
    let everyone: Vec<&TestClient> = phones.iter().chain([&facilitator, &screen]).collect();
    for client in &everyone {
        for ballot in ballots_seen(client) {
            let own = client.me.is_some_and(|me| ballot["voter"] == id_text(me));
            assert!(
                own || ballot.get("choice").is_none(),
                "{:?} saw another's vote: {ballot}",
                client.me
            );
        }
        assert!(
            events(client)
                .iter()
                .all(|event| event["type"] != "poll_revealed")
        );
    }
    // Everyone sees who has voted and who has not.
    let fifth = phones[4].me.expect("joined");
    let waiting = moot_shared::room::poll::awaiting(
        screen.room.as_ref().unwrap(),
        screen.room.as_ref().unwrap().polls.get(poll).unwrap(),
        None,
    );
    assert_eq!(waiting, vec![fifth]);

    // The last vote reveals, to everyone alike.
    phones[4]
        .run(Command::CastVote {
            poll,
            choice: 1,
            reason: None,
        })
        .await;
    for client in phones.iter_mut().chain([&mut facilitator, &mut screen]) {
        client
            .wait_for("the reveal", |room| {
                room.polls
                    .get(poll)
                    .is_some_and(|poll| poll.status == PollStatus::Revealed)
            })
            .await
            .unwrap();
        let revealed = client.room.as_ref().unwrap().polls.get(poll).unwrap();
        assert_eq!(
            revealed.results.as_ref().unwrap().counts,
            vec![0, 1, 1, 1, 1, 1]
        );
        assert_eq!(
            revealed.reading(),
            Some(Reading::Concerns { low: 2, total: 5 })
        );
        // A named poll shows who voted what after the reveal.
        assert!(
            revealed
                .ballots
                .iter()
                .all(|ballot| ballot.choice.is_some())
        );
    }
    // Voting has ended.
    let id = phones[0]
        .command(Command::CastVote {
            poll,
            choice: 0,
            reason: None,
        })
        .await;
    assert_eq!(
        phones[0].answer(&id).await,
        Err(Rejection::PollNotOpen { poll: poll.0 })
    );
}

#[tokio::test]
async fn an_anonymous_poll_never_pairs_a_voter_with_a_vote() {
    let server = TestServer::start().await;
    let (mut facilitator, mut phones, mut screen) = meetup(&server).await;
    let poll = open_poll(&mut facilitator, PollKind::Proposal, Secrecy::Anonymous).await;
    // A block needs a reason.
    let id = phones[0]
        .command(Command::CastVote {
            poll,
            choice: 3,
            reason: None,
        })
        .await;
    assert_eq!(phones[0].answer(&id).await, Err(Rejection::ReasonRequired));
    // Someone changes their mind before the reveal.
    phones[1]
        .run(Command::CastVote {
            poll,
            choice: 2,
            reason: None,
        })
        .await;
    for (index, phone) in phones.iter_mut().enumerate() {
        let (choice, reason) = match index {
            0 => (3, Some(text("It leaves the on-call rota uncovered"))),
            1 => (0, Some(text("Fine by me"))),
            _ => (0, None),
        };
        phone
            .run(Command::CastVote {
                poll,
                choice,
                reason,
            })
            .await;
    }
    for client in phones.iter_mut().chain([&mut facilitator, &mut screen]) {
        client
            .wait_for("the reveal", |room| {
                room.polls
                    .get(poll)
                    .is_some_and(|poll| poll.status == PollStatus::Revealed)
            })
            .await
            .unwrap();
    }
    // A late joiner's snapshot is a frame too.
    let code = facilitator.room.as_ref().unwrap().code.to_string();
    let mut late = TestClient::join(&server, &code, "Late").await;
    late.wait_for("the poll", |room| room.polls.get(poll).is_some())
        .await
        .unwrap();
    facilitator.run(Command::ClosePoll { poll }).await;

    let ids: Vec<String> = phones
        .iter()
        .filter_map(|phone| phone.me)
        .map(id_text)
        .collect();
    for client in phones.iter().chain([&facilitator, &screen, &late]) {
        // No ballot anywhere pairs a voter with a choice or a reason.
        for ballot in ballots_seen(client) {
            assert!(
                ballot.get("voter").is_none()
                    || (ballot.get("choice").is_none() && ballot.get("reason").is_none()),
                "a frame paired a voter with a vote: {ballot}"
            );
        }
        // No frame mentioning a choice or a reason names a voter, before or after the reveal.
        for frame in &client.frames {
            if frame.contains("\"choice\"") || frame.contains("\"reasons\"") {
                for voter in &ids {
                    assert!(
                        !frame.contains(voter.as_str()) || frame.contains("\"welcome\""),
                        "a frame named a voter next to votes: {frame}"
                    );
                }
            }
        }
        let revealed = client.room.as_ref().unwrap().polls.get(poll).unwrap();
        let results = revealed.results.as_ref().unwrap();
        assert_eq!(results.counts, vec![4, 0, 0, 1]);
        assert_eq!(revealed.reading(), Some(Reading::Blocked { count: 1 }));
        let reasons: Vec<&str> = results.reasons.iter().map(|r| r.reason.as_str()).collect();
        assert_eq!(
            reasons,
            ["Fine by me", "It leaves the on-call rota uncovered"]
        );
    }
    // The voter's own phone shows their vote, without their name on it.
    let mine = phones[0]
        .room
        .as_ref()
        .unwrap()
        .polls
        .get(poll)
        .unwrap()
        .my_ballot(phones[0].me.unwrap())
        .cloned()
        .unwrap();
    assert_eq!((mine.voter, mine.choice), (None, Some(3)));
}

#[tokio::test]
async fn only_facilitators_run_polls_and_bad_setups_are_refused() {
    let server = TestServer::start().await;
    let (mut facilitator, mut phones, _screen) = meetup(&server).await;
    let id = phones[0]
        .command(Command::OpenPoll {
            setup: PollSetup {
                question: text("Pizza?"),
                kind: PollKind::YesNo,
                options: Vec::new(),
                secrecy: Secrecy::Secret,
                auto_reveal: true,
                time_limit_secs: None,
                question_key: None,
            },
        })
        .await;
    assert_eq!(
        phones[0].answer(&id).await,
        Err(Rejection::FacilitatorsOnly)
    );
    let id = facilitator
        .command(Command::OpenPoll {
            setup: PollSetup {
                question: text("Lunch?"),
                kind: PollKind::Custom,
                options: (0..9).map(|n| text(&format!("Place {n}"))).collect(),
                secrecy: Secrecy::Secret,
                auto_reveal: true,
                time_limit_secs: None,
                question_key: None,
            },
        })
        .await;
    assert_eq!(
        facilitator.answer(&id).await,
        Err(Rejection::PollOptionsOutOfRange { min: 2, max: 8 })
    );
    // A question out of bounds cannot even be built as a command; a raw
    // client sending one is refused by the server's reader, naming it.
    let question = "x".repeat(201);
    facilitator
        .send_raw(&format!(
            r#"{{"type":"command","request_id":"long","command":{{"type":"open_poll","question":"{question}","kind":"roman"}}}}"#
        ))
        .await
        .expect("the socket is open");
    assert!(matches!(
        facilitator.answer("long").await,
        Err(Rejection::InvalidField { field, .. }) if field == "question"
    ));
}
