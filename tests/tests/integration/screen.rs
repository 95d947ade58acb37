//! The shared screen's own link (issue 17, item 4): a view-only key, never
//! anyone's login. It cannot send any command; whoever runs the meetup reads,
//! replaces and stops it; a hand-over stops it; every screen opened with an
//! old key is closed and the old key opens nothing.

use moot_server::http::ScreenLinkResponse;
use moot_shared::json::Variants;
use moot_shared::protocol::HelloAuth;
use moot_shared::{Command, Rejection};
use moot_tests::{Closed, TestClient, TestServer, http, screen_key_in};

/// `GET /api/meetups/{code}/screen` with a bearer token: (status, body).
async fn screen_link(server: &TestServer, code: &str, token: &str) -> (u16, String) {
    let bearer = format!("Bearer {token}");
    let response = http::request(
        server.addr,
        "GET",
        &format!("/api/meetups/{code}/screen"),
        &[("authorization", bearer.as_str())],
        "",
    )
    .await
    .expect("the server answers");
    if response.status == 200 {
        assert_eq!(response.header("cache-control"), Some("no-store"));
    }
    (response.status, response.body)
}

/// The current screen link as whoever runs the meetup reads it.
async fn current_key(server: &TestServer, code: &str, token: &str) -> Option<String> {
    let (status, body) = screen_link(server, code, token).await;
    assert_eq!(status, 200, "{body}");
    let answer: ScreenLinkResponse = serde_json::from_str(&body).expect("the documented body");
    answer.screen_url.as_deref().map(screen_key_in)
}

async fn open_screen(server: &TestServer, code: &str, key: &str) -> TestClient {
    TestClient::hello(
        server,
        code,
        HelloAuth::Screen {
            token: key.to_owned(),
        },
        None,
    )
    .await
    .expect("connects")
}

const STOPPED: Closed = Closed {
    code: Some(4005),
    refused: Some(Rejection::ScreenLinkStopped),
};

#[tokio::test]
async fn the_screen_link_is_its_own_key_and_sends_nothing() {
    let server = TestServer::start().await;
    let opened = server.open_meetup("Team retro", "Fran").await;
    let code = opened.join_code.as_str();
    let mut fran = TestClient::rejoin(&server, code, &opened.token, None).await;
    let ada = TestClient::join(&server, code, "Ada").await;
    let key = screen_key_in(&opened.screen_url);
    assert!(!opened.screen_url.contains(&opened.token));
    assert_eq!(
        current_key(&server, code, &opened.token).await,
        Some(key.clone())
    );

    let mut screen = open_screen(&server, code, &key).await;
    screen.expect_welcome().await;
    assert_eq!(screen.me, None);
    assert_eq!(screen.names(), ["Fran", "Ada"]);
    let shown = screen.room.as_ref().expect("a snapshot").screen.clone();
    assert!(shown.active);
    assert_eq!(shown.key, None, "the key never goes over the WebSocket");
    assert!(screen.frames.iter().all(|frame| !frame.contains(&key)));

    // Not one command gets through, whatever it is: every type the
    // protocol knows, with or without its fields, is answered with a
    // rejection and changes nothing.
    // (A fresh screen for every 20, to stay inside one connection's burst
    // of commands.)
    fran.wait_for("Ada", |room| room.active_participants().count() == 2)
        .await
        .unwrap();
    let seq = fran.seq;
    for names in <Command as Variants>::NAMES.chunks(20) {
        let mut screen = open_screen(&server, code, &key).await;
        screen.expect_welcome().await;
        for name in names {
            let request_id = format!("screen-{name}");
            screen
                .send_raw(&format!(
                    r#"{{"type":"command","request_id":"{request_id}","command":{{"type":"{name}"}}}}"#
                ))
                .await
                .unwrap();
            assert!(screen.answer(&request_id).await.is_err(), "{name}");
        }
    }
    let lock = screen.command(Command::Lock).await;
    assert_eq!(screen.answer(&lock).await, Err(Rejection::NotInMeetup));
    let newer = screen.command(Command::NewScreenLink { key: None }).await;
    assert_eq!(screen.answer(&newer).await, Err(Rejection::NotInMeetup));
    // The facilitator's next command is the very next event: nothing
    // happened in between.
    let locked = fran.run(Command::Lock).await;
    assert_eq!(locked.0, seq.0 + 1);

    // Neither credential passes for the other.
    let mut with_token = open_screen(&server, code, &opened.token).await;
    assert_eq!(
        with_token.closed().await.refused,
        Some(Rejection::BadCredential)
    );
    let mut as_person = TestClient::hello(
        &server,
        code,
        HelloAuth::Rejoin {
            token: key.clone(),
            name: None,
        },
        None,
    )
    .await
    .unwrap();
    assert_eq!(
        as_person.closed().await.refused,
        Some(Rejection::BadCredential)
    );

    // Only whoever runs the meetup reads the link.
    let (status, body) = screen_link(&server, code, ada.token.as_deref().unwrap()).await;
    assert_eq!(status, 403, "{body}");
    assert!(body.contains("facilitators_only"), "{body}");
}

#[tokio::test]
async fn a_new_link_a_stop_and_a_hand_over_each_close_the_open_screens() {
    let server = TestServer::start().await;
    let opened = server.open_meetup("Team retro", "Fran").await;
    let code = opened.join_code.as_str();
    let mut fran = TestClient::rejoin(&server, code, &opened.token, None).await;
    let mut ada = TestClient::join(&server, code, "Ada").await;
    let ada_token = ada.token.clone().unwrap();
    let first = screen_key_in(&opened.screen_url);

    // A new link: the open screen closes, the old key opens nothing, the
    // new one works.
    let mut projector = open_screen(&server, code, &first).await;
    projector.expect_welcome().await;
    fran.run(Command::NewScreenLink { key: None }).await;
    assert_eq!(projector.closed().await, STOPPED);
    let mut again = open_screen(&server, code, &first).await;
    assert_eq!(again.closed().await, STOPPED);
    let second = current_key(&server, code, &opened.token)
        .await
        .expect("a new link");
    assert_ne!(second, first);
    let mut projector = open_screen(&server, code, &second).await;
    projector.expect_welcome().await;
    assert_eq!(projector.room.as_ref().unwrap().screen.changes, 1);

    // Stopped: closed, and no link until a new one is made.
    fran.run(Command::StopScreenLink).await;
    assert_eq!(projector.closed().await, STOPPED);
    assert_eq!(current_key(&server, code, &opened.token).await, None);
    let mut again = open_screen(&server, code, &second).await;
    assert_eq!(again.closed().await, STOPPED);

    // A hand-over stops the link of the old facilitator's page.
    fran.run(Command::NewScreenLink { key: None }).await;
    let third = current_key(&server, code, &opened.token).await.unwrap();
    let mut projector = open_screen(&server, code, &third).await;
    projector.expect_welcome().await;
    fran.run(Command::HandOver {
        to: ada.me.unwrap(),
    })
    .await;
    assert_eq!(projector.closed().await, STOPPED);
    assert_eq!(current_key(&server, code, &ada_token).await, None);
    let (status, _) = screen_link(&server, code, &opened.token).await;
    assert_eq!(status, 403, "Fran no longer runs the meetup");
    ada.run(Command::NewScreenLink { key: None }).await;
    let fourth = current_key(&server, code, &ada_token).await.unwrap();
    assert!(![&first, &second, &third].contains(&&fourth));
    let mut projector = open_screen(&server, code, &fourth).await;
    projector.expect_welcome().await;
    assert!(projector.room.as_ref().unwrap().screen.active);
}
