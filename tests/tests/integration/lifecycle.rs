//! A meetup's life over real sockets and HTTP: ending it, exporting the
//! minutes and one's own action items, continuing in a series, deleting it,
//! and the purge of ended meetups after the retention period.

use std::time::Duration;

use moot_server::Config;
use moot_shared::Command;
use moot_shared::Rejection;
use moot_shared::minutes::Minutes;
use moot_shared::protocol::HelloAuth;
use moot_shared::room::board::TopicId;
use moot_shared::room::lifecycle::ReviewOutcome;
use moot_tests::{TestClient, TestServer, http};
use moot_tests::{date, text};

async fn get(server: &TestServer, path: &str, token: Option<&str>) -> http::Response {
    get_accepting(server, path, token, None).await
}

/// [`get`] from a browser whose languages are `accept_language`.
async fn get_accepting(
    server: &TestServer,
    path: &str,
    token: Option<&str>,
    accept_language: Option<&str>,
) -> http::Response {
    let bearer = token.map(|token| format!("Bearer {token}"));
    let mut headers: Vec<(&str, &str)> = bearer
        .iter()
        .map(|value| ("authorization", value.as_str()))
        .collect();
    headers.extend(accept_language.map(|languages| ("accept-language", languages)));
    http::request(server.addr, "GET", path, &headers, "")
        .await
        .expect("the server answers")
}

/// A meetup with a discussed topic and an action item for Ada, and a topic
/// left to discuss.
async fn meetup_with_outcomes(
    server: &TestServer,
) -> (
    moot_server::http::OpenedMeetupResponse,
    TestClient,
    TestClient,
) {
    let opened = server.open_meetup("Platform guild", "Fran").await;
    let code = opened.join_code.to_string();
    let mut fran = TestClient::rejoin(server, &code, &opened.token, None).await;
    let mut ada = TestClient::join(server, &code, "Ada").await;
    ada.run(Command::ProposeTopic {
        title: text("Flaky CI"),
        details: None,
    })
    .await;
    ada.run(Command::ProposeTopic {
        title: text("Onboarding docs"),
        details: None,
    })
    .await;
    fran.wait_for("two topics", |room| room.board.topics.len() == 2)
        .await
        .unwrap();
    fran.run(Command::StartTopic { topic: TopicId(1) }).await;
    let owner = ada.me.unwrap();
    let action = Command::AddActionItem {
        topic: TopicId(1),
        text: text("Quarantine the flaky suites"),
        owner,
        due: Some(date("2026-12-01")),
    };
    fran.run(action).await;
    (opened, fran, ada)
}

#[tokio::test]
async fn the_minutes_and_my_action_items_are_downloads_for_the_right_people() {
    let server = TestServer::start().await;
    let (opened, _fran, ada) = meetup_with_outcomes(&server).await;
    let code = opened.join_code.as_str();

    let markdown = get(
        &server,
        &format!("/api/meetups/{code}/minutes.md?tz_offset_minutes=60"),
        Some(&opened.token),
    )
    .await;
    assert_eq!(markdown.status, 200, "{}", markdown.body);
    assert_eq!(
        markdown.header("content-type"),
        Some("text/markdown; charset=utf-8")
    );
    assert!(
        markdown
            .header("content-disposition")
            .is_some_and(|value| value.contains("attachment"))
    );
    assert!(markdown.body.starts_with("# Platform guild"));
    assert!(
        markdown
            .body
            .contains("Quarantine the flaky suites — Ada, due 2026-12-01")
    );
    assert!(markdown.body.contains("(UTC+01:00)"));

    let json = get(
        &server,
        &format!("/api/meetups/{code}/minutes.json"),
        Some(&opened.token),
    )
    .await;
    assert_eq!(json.status, 200);
    let minutes: Minutes = serde_json::from_str(&json.body).expect("the minutes JSON parses");
    assert_eq!(minutes.topics[0].action_items[0].owner, "Ada");

    // Ada may have her own action items, not the minutes.
    let ada_token = ada.token.clone().unwrap();
    let mine = get(
        &server,
        &format!("/api/meetups/{code}/actions.md"),
        Some(&ada_token),
    )
    .await;
    assert_eq!(mine.status, 200);
    assert!(mine.body.contains("Quarantine the flaky suites"));
    let refused = get(
        &server,
        &format!("/api/meetups/{code}/minutes.md"),
        Some(&ada_token),
    )
    .await;
    assert_eq!(refused.status, 403);
    assert!(refused.body.contains("facilitators_only"));
    // No token, a wrong token, a wrong code.
    assert_eq!(
        get(&server, &format!("/api/meetups/{code}/minutes.md"), None)
            .await
            .status,
        401
    );
    let wrong = format!("{}{}", &opened.token[..32], "0".repeat(32));
    let forged = get(
        &server,
        &format!("/api/meetups/{code}/minutes.md"),
        Some(&wrong),
    )
    .await;
    assert_eq!(forged.status, 403);
    assert!(forged.body.contains("bad_credential"));
    assert_eq!(
        get(
            &server,
            "/api/meetups/ZZZZZZZZ/minutes.md",
            Some(&opened.token)
        )
        .await
        .status,
        404
    );
}

/// While the meetup runs its minutes are for whoever runs it; once it has
/// ended, every phone may download them (issue 15, item 3), but not
/// someone who was removed.
#[tokio::test]
async fn the_minutes_are_everyones_once_the_meetup_has_ended() {
    let server = TestServer::start().await;
    let (opened, mut fran, ada) = meetup_with_outcomes(&server).await;
    let code = opened.join_code.as_str();
    let mut bo = TestClient::join(&server, code, "Bo").await;
    let bo_token = bo.token.clone().unwrap();
    let ada_token = ada.token.clone().unwrap();
    let minutes = |token: String| {
        let path = format!("/api/meetups/{code}/minutes.md?lang=de");
        let server = &server;
        async move { get(server, &path, Some(&token)).await }
    };
    let running = minutes(ada_token.clone()).await;
    assert_eq!(running.status, 403);
    assert!(running.body.contains("facilitators_only"));

    let bo_id = bo.me.expect("Bo joined");
    fran.run(Command::Remove { participant: bo_id }).await;
    bo.closed().await;
    fran.run(Command::EndMeetup).await;
    let ended = minutes(ada_token).await;
    assert_eq!(ended.status, 200, "{}", ended.body);
    assert!(ended.body.starts_with("# Platform guild"));
    assert!(ended.body.contains("Quarantine the flaky suites — Ada"));
    let removed = minutes(bo_token).await;
    assert_eq!(removed.status, 403);
    assert!(removed.body.contains("removed"), "{}", removed.body);
}

/// The exports speak the reader's language: `?lang=` first, then the
/// browser's `Accept-Language`, then English. The file names stay the same.
#[tokio::test]
async fn the_exports_come_in_the_language_asked_for() {
    let server = TestServer::start().await;
    let (opened, mut fran, ada) = meetup_with_outcomes(&server).await;
    let code = opened.join_code.as_str();
    // A revealed yes/no poll, so the JSON has labels and a reading to say.
    // Sent as a client's JSON: the setup's optional fields keep their defaults.
    let poll = serde_json::json!({
        "type": "open_poll",
        "question": "Ship it?",
        "kind": "yes_no",
        "auto_reveal": false,
    });
    fran.run(serde_json::from_value(poll).expect("an open_poll command"))
        .await;
    let poll = fran
        .room
        .as_ref()
        .and_then(|room| room.polls.current())
        .map(|poll| poll.id)
        .expect("the poll is open");
    fran.run(Command::CastVote {
        poll,
        choice: 0,
        reason: None,
    })
    .await;
    fran.run(Command::RevealPoll { poll }).await;

    let minutes = |query: &str, accept_language: Option<&'static str>| {
        let path = format!("/api/meetups/{code}/minutes.md{query}");
        let token = opened.token.clone();
        let server = &server;
        async move {
            let answer = get_accepting(server, &path, Some(&token), accept_language).await;
            assert_eq!(answer.status, 200, "{path}: {}", answer.body);
            assert_eq!(
                answer.header("content-disposition"),
                Some(format!("attachment; filename=\"moot-{code}-minutes.md\"").as_str()),
                "{path}"
            );
            answer.body
        }
    };
    let is_german = |markdown: &str| {
        markdown.contains("## Themen")
            && markdown.contains("Quarantine the flaky suites — Ada, fällig am 1. Dezember 2026")
            && markdown.contains("| Ja | 1 |")
            && !markdown.contains("## Topics")
    };
    let is_english = |markdown: &str| {
        markdown.contains("## Topics")
            && markdown.contains("Quarantine the flaky suites — Ada, due 2026-12-01")
            && markdown.contains("| Yes | 1 |")
            && !markdown.contains("## Themen")
    };
    let asked = minutes("?lang=de&tz_offset_minutes=60", None).await;
    assert!(is_german(&asked), "{asked}");
    assert!(asked.contains("(UTC+01:00)"), "the time zone still counts");
    let browser = minutes("", Some("de-DE,de;q=0.9")).await;
    assert!(is_german(&browser), "{browser}");
    let plain = minutes("", None).await;
    assert!(is_english(&plain), "{plain}");
    // The parameter wins over the browser; one moot does not speak is
    // passed over for the browser's languages.
    let english = minutes("?lang=en", Some("de-DE,de;q=0.9")).await;
    assert!(is_english(&english), "{english}");
    let unknown = minutes("?lang=fr-FR", Some("fr;q=1,de-AT;q=0.8")).await;
    assert!(is_german(&unknown), "{unknown}");
    let nobody_spoken = minutes("?lang=fr", Some("fr-FR,it")).await;
    assert!(is_english(&nobody_spoken), "{nobody_spoken}");

    let json = get(
        &server,
        &format!("/api/meetups/{code}/minutes.json?lang=de"),
        Some(&opened.token),
    )
    .await;
    assert_eq!(json.status, 200, "{}", json.body);
    let minutes: Minutes = serde_json::from_str(&json.body).expect("the minutes JSON parses");
    let outcome = minutes.polls[0].results.as_ref().expect("revealed");
    assert_eq!(outcome.counts[0].option, "Ja");
    assert_eq!(outcome.reading, "Angenommen: 1 von 1 dafür.");

    let ada_token = ada.token.clone().expect("Ada's token");
    let mine = get_accepting(
        &server,
        &format!("/api/meetups/{code}/actions.md"),
        Some(&ada_token),
        Some("de"),
    )
    .await;
    assert_eq!(mine.status, 200, "{}", mine.body);
    assert!(
        mine.body.starts_with("# Aufgaben für Ada — Platform guild"),
        "{}",
        mine.body
    );
    assert!(
        mine.body
            .contains("fällig am 1. Dezember 2026 (Thema: Flaky CI)"),
        "{}",
        mine.body
    );
}

#[tokio::test]
async fn an_ended_meetup_is_read_only() {
    let server = TestServer::start().await;
    let (opened, mut fran, mut ada) = meetup_with_outcomes(&server).await;
    let code = opened.join_code.as_str();
    let request = ada.command(Command::EndMeetup).await;
    assert_eq!(ada.answer(&request).await, Err(Rejection::FacilitatorOnly));
    fran.run(Command::EndMeetup).await;
    ada.wait_for("the end", |room| room.ended_at.is_some())
        .await
        .unwrap();

    let request = ada
        .command(Command::ProposeTopic {
            title: text("Too late"),
            details: None,
        })
        .await;
    assert_eq!(ada.answer(&request).await, Err(Rejection::MeetupEnded));
    let mut late = TestClient::hello(
        &server,
        code,
        HelloAuth::Join {
            name: "Late".into(),
        },
        None,
    )
    .await
    .unwrap();
    let closed = late.closed().await;
    assert_eq!(
        (closed.refused, closed.code),
        (Some(Rejection::MeetupEnded), Some(4009))
    );
    // People come back to read it, and the minutes still export.
    let again = TestClient::rejoin(&server, code, &ada.token.clone().unwrap(), None).await;
    assert!(again.room.as_ref().unwrap().ended_at.is_some());
    let minutes = get(
        &server,
        &format!("/api/meetups/{code}/minutes.json"),
        Some(&opened.token),
    )
    .await;
    let minutes: Minutes = serde_json::from_str(&minutes.body).unwrap();
    assert!(minutes.ended_at.is_some());
}

#[tokio::test]
async fn the_next_meetup_of_a_series_carries_open_topics_and_action_items() {
    let server = TestServer::start().await;
    let (opened, _fran, ada) = meetup_with_outcomes(&server).await;
    let next = moot_tests::open_following(
        &server,
        "Platform guild, December",
        &opened.join_code,
        &opened.token,
    )
    .await;
    let mut fran = TestClient::rejoin(&server, next.join_code.as_str(), &next.token, None).await;
    let room = fran.room.clone().unwrap();
    let titles: Vec<&str> = room
        .board
        .topics
        .iter()
        .map(|topic| topic.title.as_str())
        .collect();
    assert_eq!(
        titles,
        ["Onboarding docs"],
        "only the undiscussed topic carries over"
    );
    assert_eq!(room.series.review.len(), 1);
    assert_eq!(room.series.review[0].action.owner.as_str(), "Ada");
    fran.run(Command::ReviewAction {
        item: 1,
        outcome: ReviewOutcome::Kept,
    })
    .await;
    let request = fran
        .command(Command::ReviewAction {
            item: 7,
            outcome: ReviewOutcome::Done,
        })
        .await;
    assert_eq!(
        fran.answer(&request).await,
        Err(Rejection::UnknownReviewItem)
    );
    let minutes = get(
        &server,
        &format!("/api/meetups/{}/minutes.md", next.join_code),
        Some(&next.token),
    )
    .await;
    assert!(
        minutes
            .body
            .contains("Quarantine the flaky suites — Ada, due 2026-12-01: **kept**"),
        "{}",
        minutes.body
    );

    // A participant's token cannot start the next meetup.
    let body = serde_json::json!({
        "title": "Hijack", "facilitator_name": "Eve",
        "follows": { "join_code": opened.join_code, "token": ada.token.clone().unwrap() },
    })
    .to_string();
    let json = [("content-type", "application/json")];
    let response = http::request(server.addr, "POST", "/api/meetups", &json, &body)
        .await
        .unwrap();
    assert_eq!(response.status, 403);
    assert!(response.body.contains("facilitators_only"));
}

#[tokio::test]
async fn the_facilitator_deletes_a_meetup_at_once() {
    let server = TestServer::start().await;
    let (opened, _fran, mut ada) = meetup_with_outcomes(&server).await;
    let code = opened.join_code.to_string();
    let path = format!("/api/meetups/{code}");
    let ada_bearer = format!("Bearer {}", ada.token.clone().unwrap());
    let refused = http::request(
        server.addr,
        "DELETE",
        &path,
        &[("authorization", ada_bearer.as_str())],
        "",
    )
    .await
    .unwrap();
    assert_eq!(refused.status, 403);
    let bearer = format!("Bearer {}", opened.token);
    let deleted = http::request(
        server.addr,
        "DELETE",
        &path,
        &[("authorization", bearer.as_str())],
        "",
    )
    .await
    .unwrap();
    assert_eq!(deleted.status, 204);
    let closed = ada.closed().await;
    assert_eq!(
        (closed.refused, closed.code),
        (Some(Rejection::UnknownJoinCode), Some(4004))
    );
    // Gone now, and gone after a restart too.
    assert_eq!(
        TestClient::rejoin_refused(&server, &code, &opened.token).await,
        Some(Rejection::UnknownJoinCode)
    );
    let server = TestServer::with_data(Config {
        data_dir: server.crash(),
        ..Config::default()
    })
    .await;
    assert_eq!(
        TestClient::rejoin_refused(&server, &code, &opened.token).await,
        Some(Rejection::UnknownJoinCode)
    );
}

#[tokio::test]
async fn ended_meetups_are_purged_after_the_retention_period() {
    let server = TestServer::start().await;
    let (ended, mut fran, _ada) = meetup_with_outcomes(&server).await;
    fran.run(Command::EndMeetup).await;
    let running = server.open_meetup("Still running", "Olga").await;
    let data_dir = server.crash();

    // A server whose retention is zero purges the ended meetup when it starts.
    let config = Config {
        data_dir,
        retention: Duration::ZERO,
        ..Config::default()
    };
    let server = TestServer::with_data(config).await;
    let running_code = running.join_code.to_string();
    TestClient::rejoin(&server, &running_code, &running.token, None).await;
    let auth = HelloAuth::Rejoin {
        token: ended.token.clone(),
        name: None,
    };
    // The purge runs right after start; wait for it by retrying, not sleeping.
    let mut attempts = 0;
    loop {
        let mut client = TestClient::hello(&server, ended.join_code.as_str(), auth.clone(), None)
            .await
            .unwrap();
        match client.next().await.unwrap() {
            Err(closed) => {
                assert_eq!(closed.refused, Some(Rejection::UnknownJoinCode));
                break;
            }
            Ok(_) => {
                attempts += 1;
                assert!(attempts < 50, "the ended meetup was not purged");
                tokio::task::yield_now().await;
            }
        }
    }
}

/// Issue 16: opening the next meetup reaches the earlier one. Its phones
/// learn the next join code; only its shared screen gets the next screen
/// key, in no frame any phone receives.
#[tokio::test]
async fn the_earlier_meetups_phones_learn_the_next_one_and_only_its_screen_gets_the_key() {
    let server = TestServer::start().await;
    let opened = server.open_meetup("Platform guild", "Fran").await;
    let code = opened.join_code.to_string();
    let mut fran = TestClient::rejoin(&server, &code, &opened.token, None).await;
    let mut ada = TestClient::join(&server, &code, "Ada").await;
    let mut screen = TestClient::screen(&server, &code, &opened.screen_url).await;
    fran.run(Command::EndMeetup).await;

    let next = moot_tests::open_following(
        &server,
        "Platform guild, December",
        &opened.join_code,
        &opened.token,
    )
    .await;
    let next_key = moot_tests::screen_key_in(&next.screen_url);
    let next_code = Some(next.join_code.clone());
    ada.wait_for("the next meetup", |room| {
        room.series.next.as_ref().map(|next| next.code.clone()) == next_code
    })
    .await
    .unwrap();
    let seen = ada.room.as_ref().unwrap().series.next.clone().unwrap();
    assert_eq!(seen.screen_key, None);
    screen
        .wait_for("the next meetup's screen", |room| {
            room.series
                .next
                .as_ref()
                .and_then(|next| next.screen_key.as_ref())
                .map(|key| key.as_str().to_owned())
                == Some(next_key.clone())
        })
        .await
        .unwrap();
    // A phone that comes back gets the code in its snapshot, still no key.
    let ada = TestClient::rejoin(&server, &code, ada.token.as_deref().unwrap(), None).await;
    assert_eq!(
        ada.room
            .as_ref()
            .unwrap()
            .series
            .next
            .as_ref()
            .map(|next| next.code.clone()),
        Some(next.join_code.clone())
    );
    for frame in ada.frames.iter().chain(&fran.frames) {
        assert!(
            !frame.contains(&next_key),
            "a phone got the screen key: {frame}"
        );
    }
}
