//! The topic board over real WebSockets (issue 4). Hidden dots are checked
//! on the wire: every raw frame each client received before the reveal is
//! searched for dots, and none may be anyone else's.

use moot_shared::Command;
use moot_shared::room::Presence;
use moot_shared::room::board::{Column, NoteKind, TopicId};
use moot_shared::{ParticipantId, Rejection, Room};
use moot_tests::{TestClient, TestServer};
use moot_tests::{date, text};
use serde_json::Value;

const NAMES: [&str; 5] = ["Ada", "Grace", "Linus", "Barbara", "Ken"];

/// A meetup with a connected facilitator, five phones and the shared screen.
async fn meetup(server: &TestServer) -> (TestClient, Vec<TestClient>, TestClient, String) {
    let opened = server.open_meetup("Guild", "Fran").await;
    let code = opened.join_code.as_str().to_owned();
    let mut facilitator = TestClient::rejoin(server, &code, &opened.token, None).await;
    let mut phones = Vec::new();
    for name in NAMES {
        phones.push(TestClient::join(server, &code, name).await);
    }
    let screen = TestClient::screen(server, &code, &opened.screen_url).await;
    let all_here = |room: &Room| {
        room.active_participants()
            .filter(|p| p.presence == Presence::Here)
            .count()
            == 6
    };
    facilitator.wait_for("all here", all_here).await.unwrap();
    for phone in &mut phones {
        phone.wait_for("all here", all_here).await.unwrap();
    }
    (facilitator, phones, screen, code)
}

fn id_text(id: ParticipantId) -> String {
    id.0.hyphenated().to_string()
}

/// Every dot a client could read in its raw frames: each stack (object with
/// `participant` and `count`) anywhere in a frame, and each `dots_changed`
/// that names a topic or count, as (owner, frame).
fn dots_seen(client: &TestClient) -> Vec<(String, String)> {
    let mut seen = Vec::new();
    for frame in &client.frames {
        let Ok(value) = serde_json::from_str::<Value>(frame) else {
            continue;
        };
        collect_dots(&value, frame, &mut seen);
    }
    seen
}

fn collect_dots(value: &Value, frame: &str, seen: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            if map.contains_key("participant") && map.contains_key("count") {
                seen.push((map["participant"].to_string(), frame.to_owned()));
            }
            if map.get("type").and_then(Value::as_str) == Some("dots_changed")
                && (map.contains_key("topic") || map.contains_key("count"))
            {
                seen.push((map["participant"].to_string(), frame.to_owned()));
            }
            for child in map.values() {
                collect_dots(child, frame, seen);
            }
        }
        Value::Array(items) => items
            .iter()
            .for_each(|item| collect_dots(item, frame, seen)),
        _ => {}
    }
}

fn board_of(client: &TestClient) -> &moot_shared::room::Board {
    &client.room.as_ref().expect("a room").board
}

async fn propose(client: &mut TestClient, title: &str) {
    client
        .run(Command::ProposeTopic {
            title: text(title),
            details: None,
        })
        .await;
}

async fn dot(client: &mut TestClient, topic: u32) {
    client
        .run(Command::PlaceDot {
            topic: TopicId(topic),
        })
        .await;
}

#[tokio::test]
async fn no_frame_carries_anyone_elses_dots_before_the_reveal() {
    let server = TestServer::start().await;
    let (mut facilitator, mut phones, mut screen, code) = meetup(&server).await;
    for (index, title) in [
        "Flaky tests",
        "On-call",
        "Tests are flaky",
        "Hiring",
        "Docs",
    ]
    .iter()
    .enumerate()
    {
        propose(&mut phones[index], title).await;
    }
    // Dots: topic 1 gets 4, topic 2 gets 3, topic 3 (a duplicate of 1) 2,
    // topic 4 gets 2, topic 5 gets 1; Fran votes too.
    for (phone, topics) in [
        (0, vec![1, 1, 2]),
        (1, vec![1, 3, 4]),
        (2, vec![2, 2, 3]),
        (3, vec![4]),
        (4, vec![1, 5]),
    ] {
        for topic in topics {
            dot(&mut phones[phone], topic).await;
        }
    }
    dot(&mut facilitator, 2).await;
    // Grace takes one back, Ken withdraws his topic with its dot on it, and
    // Fran merges the duplicate: all while hidden.
    phones[1]
        .run(Command::TakeBackDot { topic: TopicId(4) })
        .await;
    phones[4]
        .run(Command::WithdrawTopic { topic: TopicId(5) })
        .await;
    facilitator
        .run(Command::MergeTopics {
            from: TopicId(3),
            into: TopicId(1),
        })
        .await;
    // Sorting now would give the totals away.
    let sort = facilitator.command(Command::SortTopics).await;
    assert_eq!(facilitator.answer(&sort).await, Err(Rejection::VotesHidden));
    // A latecomer gets a snapshot mid-vote.
    let mut late = TestClient::join(&server, &code, "Margaret").await;
    late.wait_for("the board", |room| room.board.topics.len() == 3)
        .await
        .unwrap();

    let voted = |room: &Room| room.board.voters.len() == 6 && room.board.topics.len() == 3;
    for client in phones
        .iter_mut()
        .chain([&mut facilitator, &mut screen, &mut late])
    {
        client.wait_for("every vote", voted).await.unwrap();
    }
    let everyone: Vec<&TestClient> = phones
        .iter()
        .chain([&facilitator, &screen, &late])
        .collect();
    for client in &everyone {
        let me = client.me.map(id_text);
        for (owner, frame) in dots_seen(client) {
            assert_eq!(
                Some(owner.trim_matches('"').to_owned()),
                me,
                "{me:?} received another's dots: {frame}"
            );
        }
        assert!(
            client
                .frames
                .iter()
                .all(|frame| !frame.contains("votes_revealed")),
            "nothing revealed yet"
        );
        // Everyone knows how many have voted, nobody any total but their own.
        assert_eq!(board_of(client).voters.len(), 6);
    }
    // Each phone still counts its own dots right, refunds and merges included.
    assert_eq!(board_of(&phones[4]).dots_left(phones[4].me.unwrap()), 2);
    let grace = phones[1].me.unwrap();
    assert_eq!(board_of(&phones[1]).dots_left(grace), 1);
    assert_eq!(
        board_of(&phones[1])
            .topic(TopicId(1))
            .map(|t| t.dots_of(grace)),
        Some(2)
    );
    assert_eq!(
        board_of(&screen)
            .topics
            .iter()
            .map(|t| t.total())
            .sum::<u32>(),
        0
    );

    // The reveal: everyone sees the same totals.
    facilitator.run(Command::RevealVotes).await;
    for client in phones
        .iter_mut()
        .chain([&mut facilitator, &mut screen, &mut late])
    {
        client
            .wait_for("the reveal", |room| room.board.revealed)
            .await
            .unwrap();
        let totals: Vec<(u32, u32)> = board_of(client)
            .topics
            .iter()
            .map(|t| (t.id.0, t.total()))
            .collect();
        assert_eq!(totals, vec![(1, 6), (2, 4), (4, 1)]);
    }
}

#[tokio::test]
async fn the_facilitator_sorts_starts_and_everyone_sees_the_same_board_and_action_items() {
    let server = TestServer::start().await;
    let (mut facilitator, mut phones, mut screen, _code) = meetup(&server).await;
    propose(&mut phones[0], "Flaky tests").await;
    propose(&mut phones[1], "On-call").await;
    propose(&mut phones[2], "Hiring").await;
    dot(&mut phones[3], 3).await;
    dot(&mut phones[3], 3).await;
    dot(&mut phones[4], 2).await;
    // Over the budget, refused on the wire.
    dot(&mut phones[3], 1).await;
    let over = phones[3]
        .command(Command::PlaceDot { topic: TopicId(2) })
        .await;
    assert_eq!(
        phones[3].answer(&over).await,
        Err(Rejection::NoDotsLeft { budget: 3 })
    );
    facilitator.run(Command::RevealVotes).await;
    facilitator.run(Command::SortTopics).await;
    let top = board_of(&facilitator)
        .column(Column::ToDiscuss)
        .next()
        .map(|t| t.id)
        .expect("a topic");
    assert_eq!(top, TopicId(3));
    facilitator.run(Command::StartTopic { topic: top }).await;
    let owner = phones[1].me.unwrap();
    facilitator
        .run(Command::AddActionItem {
            topic: top,
            text: text("Draft the interview loop"),
            owner,
            due: Some(date("2026-02-27")),
        })
        .await;
    phones[2]
        .run(Command::AddNote {
            topic: top,
            kind: NoteKind::Takeaway,
            text: text("Pair interviews work better"),
        })
        .await;
    let settled = |room: &Room| {
        room.board.discussing().map(|t| t.id) == Some(TopicId(3))
            && room.board.notes.len() == 1
            && room.board.action_items.len() == 1
    };
    for client in phones.iter_mut().chain([&mut facilitator, &mut screen]) {
        client.wait_for("the board settles", settled).await.unwrap();
    }
    let reference = board_of(&facilitator).clone();
    for client in phones.iter().chain([&screen]) {
        assert_eq!(*board_of(client), reference, "all screens agree");
    }
    let mine: Vec<_> = board_of(&phones[1]).action_items_of(owner).collect();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].text.as_str(), "Draft the interview loop");
    // A bad due date is a typed rejection from the server's reader, not a
    // panic (no client can even build one as a command).
    facilitator
        .send_raw(&format!(
            r#"{{"type":"command","request_id":"bad-date","command":{{"type":"add_action_item","topic":{},"text":"x","owner":"{}","due":"2026-02-30"}}}}"#,
            top.0, owner.0
        ))
        .await
        .expect("the socket is open");
    assert_eq!(
        facilitator.answer("bad-date").await,
        Err(Rejection::InvalidDueDate)
    );
}
