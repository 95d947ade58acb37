//! Closing feedback over real sockets and HTTP (issue 16): a ROTI's votes
//! are never tied to a person in any frame any client receives, nor in the
//! minutes; a score out of range is refused with its reason; and the next
//! meetup of the series starts with the trend.

use moot_shared::Command;
use moot_shared::Rejection;
use moot_shared::minutes::Minutes;
use moot_shared::room::agenda::{Format, PhaseId};
use moot_shared::room::poll::{PollId, PollKind, PollStatus, Secrecy};
use moot_tests::{TestClient, TestServer, http, text};

async fn get(server: &TestServer, path: &str, token: &str) -> http::Response {
    let bearer = format!("Bearer {token}");
    http::request(
        server.addr,
        "GET",
        path,
        &[("authorization", bearer.as_str())],
        "",
    )
    .await
    .expect("the server answers")
}

/// Every object in `value` that holds both a `voter` and a `choice` or a
/// `reason`: a vote tied to a person.
fn named_votes(value: &serde_json::Value, found: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(fields) => {
            if fields.contains_key("voter")
                && (fields.contains_key("choice") || fields.contains_key("reason"))
            {
                found.push(value.to_string());
            }
            fields.values().for_each(|inner| named_votes(inner, found));
        }
        serde_json::Value::Array(items) => items.iter().for_each(|inner| named_votes(inner, found)),
        _ => {}
    }
}

fn is_closed(room: &moot_shared::Room, poll: PollId) -> bool {
    room.polls
        .get(poll)
        .is_some_and(|poll| poll.status == PollStatus::Closed)
}

#[tokio::test]
async fn a_roti_vote_is_never_tied_to_a_person_in_any_frame_or_export() {
    let server = TestServer::start().await;
    let opened = server.open_meetup("Platform guild", "Fran").await;
    let code = opened.join_code.to_string();
    let mut fran = TestClient::rejoin(&server, &code, &opened.token, None).await;
    let screen = TestClient::screen(&server, &code, &opened.screen_url).await;
    let mut people = Vec::new();
    for name in ["Ada", "Bo", "Cy", "Dee"] {
        people.push(TestClient::join(&server, &code, name).await);
    }

    // Lean Coffee ends with the ROTI: jumping to it opens the poll, anonymous.
    fran.run(Command::SetAgenda {
        format: Format::LeanCoffee,
    })
    .await;
    fran.run(Command::GoToPhase {
        phase: PhaseId(7),
        seed: 3,
    })
    .await;
    let poll = fran
        .room
        .as_ref()
        .and_then(|room| room.polls.current())
        .map(|poll| (poll.id, poll.setup.kind, poll.setup.secrecy));
    let Some((poll, PollKind::Roti, Secrecy::Anonymous)) = poll else {
        panic!("an anonymous ROTI is on stage: {poll:?}");
    };

    // A score of 6 is refused with its reason, and nothing is counted.
    let request = people[0]
        .command(Command::CastVote {
            poll,
            choice: 5,
            reason: None,
        })
        .await;
    assert_eq!(
        people[0].answer(&request).await,
        Err(Rejection::NoSuchChoice { options: 5 })
    );

    // Ada rates and changes her mind, Fran rates too (not waited for), then
    // the others, with suggestions; the last expected vote reveals it.
    let vote = |choice: u8, reason: Option<&str>| Command::CastVote {
        poll,
        choice,
        reason: reason.map(text),
    };
    people[0].run(vote(2, Some("Start on time"))).await;
    people[0].run(vote(4, Some("Start on time"))).await;
    fran.run(vote(3, None)).await;
    people[1].run(vote(3, None)).await;
    people[2].run(vote(3, Some("More depth"))).await;
    people[3].run(vote(1, Some("Fewer status reports"))).await;
    // Ending the agenda leaves it revealed; closing takes it off stage.
    fran.run(Command::EndAgenda).await;
    fran.run(Command::ClosePoll { poll }).await;

    // A late joiner's snapshot, and everyone else's whole stream.
    let late = TestClient::join(&server, &code, "Eve").await;
    let mut everyone = vec![fran, screen];
    everyone.extend(people);
    for client in &mut everyone {
        client
            .wait_for("the ROTI closed", |room| is_closed(room, poll))
            .await
            .unwrap();
    }
    everyone.push(late);
    let room = everyone[0].room.clone().expect("a room");
    let results = room
        .polls
        .get(poll)
        .and_then(|poll| poll.results.clone())
        .expect("results");
    // Ada 5, Bo 4, Cy 4, Dee 2, Fran 4: 19 over 5, 3.8.
    assert_eq!(results.counts, [0, 1, 0, 3, 1]);
    let mut frames = 0;
    for client in &everyone {
        for frame in &client.frames {
            let value: serde_json::Value = serde_json::from_str(frame).expect("a JSON frame");
            let mut found = Vec::new();
            named_votes(&value, &mut found);
            assert!(found.is_empty(), "{:?} received {found:?}", client.me);
            frames += 1;
        }
    }
    assert!(frames > 40, "only {frames} frames were looked at");

    // The minutes, in both forms, name nobody beside a score or a suggestion.
    let json = get(
        &server,
        &format!("/api/meetups/{code}/minutes.json"),
        &opened.token,
    )
    .await;
    assert_eq!(json.status, 200, "{}", json.body);
    let value: serde_json::Value = serde_json::from_str(&json.body).expect("JSON minutes");
    let mut found = Vec::new();
    named_votes(&value, &mut found);
    assert!(found.is_empty(), "{found:?}");
    let minutes: Minutes = serde_json::from_value(value).expect("the minutes");
    let roti = &minutes.polls[0];
    assert!(roti.anonymous);
    let outcome = roti.results.as_ref().expect("revealed");
    assert!(outcome.votes.is_empty());
    assert!(outcome.reasons.iter().all(|reason| reason.by.is_none()));
    let feedback = minutes.feedback.as_ref().expect("a feedback section");
    assert_eq!((feedback.voters, feedback.mean_tenths), (5, Some(38)));
    assert_eq!(
        feedback.suggestions,
        ["Fewer status reports", "More depth", "Start on time"]
    );
    let markdown = get(
        &server,
        &format!("/api/meetups/{code}/minutes.md"),
        &opened.token,
    )
    .await;
    assert_eq!(markdown.status, 200, "{}", markdown.body);
    let private_part = |heading: &str| {
        markdown
            .body
            .split(heading)
            .nth(1)
            .and_then(|rest| rest.split("\n## ").next())
            .unwrap_or_else(|| panic!("no {heading} in {}", markdown.body))
            .to_owned()
    };
    for part in [private_part("## Feedback"), private_part("## Polls")] {
        for name in ["Fran", "Ada", "Bo", "Cy", "Dee", "Eve"] {
            assert!(!part.contains(name), "{name} in {part}");
        }
    }
    assert!(
        markdown.body.contains("**3.8 of 5** from 5 votes"),
        "{}",
        markdown.body
    );
}

#[tokio::test]
async fn the_next_meetup_of_a_series_starts_with_the_roti_trend() {
    let server = TestServer::start().await;
    let opened = server.open_meetup("Guild, January", "Fran").await;
    let code = opened.join_code.to_string();
    let mut fran = TestClient::rejoin(&server, &code, &opened.token, None).await;
    let mut ada = TestClient::join(&server, &code, "Ada").await;
    let mut bo = TestClient::join(&server, &code, "Bo").await;
    fran.run(Command::OpenPoll {
        setup: moot_shared::room::poll::PollSetup {
            question: text("Worth our time?"),
            kind: PollKind::Roti,
            options: Vec::new(),
            secrecy: Secrecy::Open,
            auto_reveal: true,
            time_limit_secs: None,
            question_key: None,
        },
    })
    .await;
    let poll = PollId(1);
    ada.wait_for("the ROTI", |room| room.polls.current().is_some())
        .await
        .unwrap();
    bo.wait_for("the ROTI", |room| room.polls.current().is_some())
        .await
        .unwrap();
    ada.run(Command::CastVote {
        poll,
        choice: 4,
        reason: Some(text("Keep the pairs")),
    })
    .await;
    bo.run(Command::CastVote {
        poll,
        choice: 2,
        reason: None,
    })
    .await;
    // Both expected voters are in: it reveals itself.
    fran.wait_for("the reveal", |room| {
        room.polls.get(poll).is_some_and(|poll| !poll.is_open())
    })
    .await
    .unwrap();
    fran.run(Command::EndMeetup).await;

    let body = serde_json::json!({
        "title": "Guild, February",
        "facilitator_name": "Fran",
        "follows": { "join_code": opened.join_code, "token": opened.token },
    })
    .to_string();
    let json = [("content-type", "application/json")];
    let response = http::request(server.addr, "POST", "/api/meetups", &json, &body)
        .await
        .unwrap();
    assert_eq!(response.status, 201, "{}", response.body);
    let next: moot_server::http::OpenedMeetupResponse =
        serde_json::from_str(&response.body).unwrap();
    let screen = TestClient::screen(&server, next.join_code.as_str(), &next.screen_url).await;
    let trend = &screen.room.as_ref().expect("a snapshot").series.roti;
    assert_eq!(trend.points.len(), 1);
    assert_eq!(trend.points[0].title.as_str(), "Guild, January");
    assert_eq!(
        (trend.points[0].voters, trend.points[0].mean_tenths),
        (2, 40)
    );
    let suggestions: Vec<&str> = trend.suggestions.iter().map(|s| s.as_str()).collect();
    assert_eq!(suggestions, ["Keep the pairs"]);
}
