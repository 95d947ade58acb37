//! Membership: joining, rejoining and resuming, roles, limits, refusals.

use std::time::Duration;

use moot_server::{Clock, Config};
use moot_shared::limits::{COMMAND_BURST, MAX_MESSAGE_BYTES, PRESENCE_GRACE_MILLIS};
use moot_shared::protocol::{ClientMessage, HelloAuth, PROTOCOL_VERSION, ServerMessage};
use moot_shared::room::{Membership, Presence, ReportedPresence, Role};
use moot_shared::{Command, ParticipantId, Rejection, Room, Seq, Timestamp};
use moot_tests::text;
use moot_tests::{TestClient, TestServer, http};

/// A meetup with a connected facilitator.
async fn meetup(server: &TestServer) -> (moot_server::http::OpenedMeetupResponse, TestClient) {
    let opened = server.open_meetup("Team retro", "Fran").await;
    let facilitator =
        TestClient::rejoin(server, opened.join_code.as_str(), &opened.token, None).await;
    (opened, facilitator)
}

#[tokio::test]
async fn everyone_who_joins_is_seen_by_everyone() {
    let server = TestServer::start().await;
    let (opened, mut facilitator) = meetup(&server).await;
    let code = opened.join_code.as_str();
    assert!(opened.join_url.ends_with(&format!("/j/{code}")));
    assert!(
        opened
            .facilitator_url
            .ends_with(&format!("/m/{code}?facilitate#k={}", opened.token))
    );

    let mut phones = Vec::new();
    for name in ["Ada", "Grace", "Linus", "Barbara", "Ken"] {
        phones.push(TestClient::join(&server, code, name).await);
    }
    let everyone = ["Fran", "Ada", "Grace", "Linus", "Barbara", "Ken"];
    facilitator
        .wait_for("all six", |room| room.active_participants().count() == 6)
        .await
        .unwrap();
    assert_eq!(facilitator.names(), everyone);
    for phone in &mut phones {
        phone
            .wait_for("all six", |room| room.active_participants().count() == 6)
            .await
            .unwrap();
        assert_eq!(phone.names(), everyone);
        assert!(phone.token.as_ref().is_some_and(|token| token.len() == 64));
    }
    // Browsers never see credential digests.
    for frame in phones
        .iter()
        .chain([&facilitator])
        .flat_map(|client| &client.frames)
    {
        assert!(
            !frame.contains("credential"),
            "a frame leaked a credential digest: {frame}"
        );
    }
}

#[tokio::test]
async fn rejoining_replays_exactly_the_missed_events_once() {
    let server = TestServer::start().await;
    let (opened, mut facilitator) = meetup(&server).await;
    let code = opened.join_code.as_str();
    let mut ada = TestClient::join(&server, code, "Ada").await;
    ada.wait_for("Ada is here", |room| {
        room.active_participants().count() == 2
    })
    .await
    .unwrap();
    let saved = ada.drop_connection().await;
    let last_seen = saved.seq;

    // While Ada is away, things happen.
    let _grace = TestClient::join(&server, code, "Grace").await;
    facilitator.run(Command::Lock).await;
    let seq_before_return = facilitator.run(Command::SetSeatCap { seat_cap: 10 }).await;

    let mut ada = TestClient::resume(&server, code, saved).await;
    ada.wait_for("caught up", |room| room.seat_cap == 10)
        .await
        .unwrap();
    // The welcome carried no snapshot; the replay is exactly seq last_seen+1 ..= seq_before_return, each once.
    let expected: Vec<u64> = (last_seen.0 + 1..=seq_before_return.0).collect();
    assert_eq!(&ada.received[..expected.len()], expected.as_slice());
    assert!(
        ada.frames
            .iter()
            .all(|frame| !frame.contains("\"snapshot\""))
    );
    let room = ada.room.as_ref().unwrap();
    assert!(room.locked);
    assert_eq!(ada.names(), ["Fran", "Ada", "Grace"]);
    // Coming back makes Ada present again, and everyone sees it.
    facilitator
        .wait_for("Ada back", |room| {
            room.participant(ada.me.unwrap())
                .is_some_and(|ada| ada.presence == Presence::Here)
        })
        .await
        .unwrap();
}

#[tokio::test]
async fn rejoining_from_too_far_back_gets_a_snapshot() {
    let config = Config {
        replay_events: 4,
        ..Config::default()
    };
    let server = TestServer::with_config(config).await;
    let (opened, mut facilitator) = meetup(&server).await;
    let code = opened.join_code.as_str();
    for seat_cap in 10..20 {
        facilitator.run(Command::SetSeatCap { seat_cap }).await;
    }
    let mut phone = TestClient::rejoin(&server, code, &opened.token, Some(Seq(1))).await;
    assert!(phone.frames[0].contains("\"snapshot\""));
    assert_eq!(phone.seq, facilitator.seq);
    phone
        .wait_for("the room", |room| room.seat_cap == 19)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_repeated_request_id_is_applied_once() {
    let server = TestServer::start().await;
    let (opened, mut facilitator) = meetup(&server).await;
    let mut ada = TestClient::join(&server, opened.join_code.as_str(), "Ada").await;
    ada.command_with_id(
        "rename-1",
        Command::Rename {
            name: text("Ada L"),
        },
    )
    .await;
    let first = ada.answer("rename-1").await.unwrap();
    // The same request id again, even with another body, is answered with the same ack.
    ada.command_with_id(
        "rename-1",
        Command::Rename {
            name: text("Ada Lovelace"),
        },
    )
    .await;
    let second = ada.answer("rename-1").await.unwrap();
    assert_eq!(first, second);
    let latest = facilitator.run(Command::Lock).await;
    assert_eq!(latest, first.next(), "the repeated request made no event");
    assert_eq!(facilitator.names(), ["Fran", "Ada L"]);
}

#[tokio::test]
async fn participants_cannot_run_the_meetup() {
    let server = TestServer::start().await;
    let (opened, mut facilitator) = meetup(&server).await;
    let code = opened.join_code.as_str();
    let mut ada = TestClient::join(&server, code, "Ada").await;
    let grace = TestClient::join(&server, code, "Grace").await;
    let grace_id = grace.me.unwrap();

    for command in [
        Command::Lock,
        Command::SetSeatCap { seat_cap: 4 },
        Command::Remove {
            participant: grace_id,
        },
    ] {
        let request = ada.command(command).await;
        assert_eq!(ada.answer(&request).await, Err(Rejection::FacilitatorsOnly));
    }
    let request = ada.command(Command::HandOver { to: grace_id }).await;
    assert_eq!(ada.answer(&request).await, Err(Rejection::FacilitatorOnly));

    // A co-facilitator may lock but not hand the role over.
    facilitator
        .run(Command::AddCoFacilitator {
            participant: ada.me.unwrap(),
        })
        .await;
    ada.run(Command::Lock).await;
    let request = ada.command(Command::HandOver { to: grace_id }).await;
    assert_eq!(ada.answer(&request).await, Err(Rejection::FacilitatorOnly));

    // Handing over moves the role; the old facilitator is a participant.
    facilitator.run(Command::HandOver { to: grace_id }).await;
    let request = facilitator.command(Command::Unlock).await;
    assert_eq!(
        facilitator.answer(&request).await,
        Err(Rejection::FacilitatorsOnly)
    );
    let room = facilitator.room.as_ref().unwrap();
    assert_eq!(
        room.facilitator().map(|facilitator| facilitator.id),
        Some(grace_id)
    );
    assert_eq!(
        room.participant(opened.participant).unwrap().role,
        Role::Participant
    );
}

#[tokio::test]
async fn the_seat_cap_and_the_lock_keep_people_out() {
    let server = TestServer::start().await;
    let (opened, mut facilitator) = meetup(&server).await;
    let code = opened.join_code.as_str();
    facilitator.run(Command::SetSeatCap { seat_cap: 2 }).await;
    let _ada = TestClient::join(&server, code, "Ada").await;

    let mut late = TestClient::hello(
        &server,
        code,
        HelloAuth::Join {
            name: "Grace".into(),
        },
        None,
    )
    .await
    .unwrap();
    let closed = late.closed().await;
    assert_eq!(closed.refused, Some(Rejection::RoomFull { seat_cap: 2 }));
    assert_eq!(closed.code, Some(4009));

    facilitator.run(Command::SetSeatCap { seat_cap: 16 }).await;
    facilitator.run(Command::Lock).await;
    let mut late = TestClient::hello(
        &server,
        code,
        HelloAuth::Join {
            name: "Grace".into(),
        },
        None,
    )
    .await
    .unwrap();
    assert_eq!(late.closed().await.refused, Some(Rejection::Locked));

    facilitator.run(Command::Unlock).await;
    let mut same_name =
        TestClient::hello(&server, code, HelloAuth::Join { name: "ADA".into() }, None)
            .await
            .unwrap();
    assert_eq!(same_name.closed().await.refused, Some(Rejection::NameTaken));
    TestClient::join(&server, code, "Grace").await;
}

#[tokio::test]
async fn someone_who_left_comes_back_under_a_new_name_when_theirs_was_taken() {
    let server = TestServer::start().await;
    let (opened, mut facilitator) = meetup(&server).await;
    let code = opened.join_code.as_str();
    let mut ada = TestClient::join(&server, code, "Ada").await;
    let (ada_id, token) = (ada.me.unwrap(), ada.token.clone().unwrap());
    ada.run(Command::Leave).await;
    // Another Ada arrives while the first is away.
    let _other = TestClient::join(&server, code, "Ada").await;
    facilitator
        .wait_for("the second Ada", |room| {
            room.active_participants().count() == 2
        })
        .await
        .unwrap();

    // Coming back as "Ada" is refused; the person and their seat are kept.
    let plain = HelloAuth::Rejoin {
        token: token.clone(),
        name: None,
    };
    let mut refused = TestClient::hello(&server, code, plain, None).await.unwrap();
    assert_eq!(refused.closed().await.refused, Some(Rejection::NameTaken));
    // A name that is not a name is refused as such.
    let blank = HelloAuth::Rejoin {
        token: token.clone(),
        name: Some("  ".into()),
    };
    let mut blank = TestClient::hello(&server, code, blank, None).await.unwrap();
    assert!(matches!(
        blank.closed().await.refused,
        Some(Rejection::InvalidField { .. })
    ));

    // With a new name they are back, as the same person, under that name.
    let renamed = HelloAuth::Rejoin {
        token,
        name: Some("Ada L.".into()),
    };
    let mut back = TestClient::hello(&server, code, renamed, None)
        .await
        .unwrap();
    back.expect_welcome().await;
    assert_eq!(back.me, Some(ada_id));
    facilitator
        .wait_for("Ada L. back", |room| {
            room.participant(ada_id).is_some_and(|ada| {
                ada.name.as_str() == "Ada L." && ada.membership == Membership::Active
            })
        })
        .await
        .unwrap();
    let mut names = facilitator.names();
    names.sort();
    assert_eq!(names, ["Ada", "Ada L.", "Fran"]);
}

#[tokio::test]
async fn a_removed_participant_is_cut_off_and_cannot_return() {
    let server = TestServer::start().await;
    let (opened, mut facilitator) = meetup(&server).await;
    let code = opened.join_code.as_str();
    let mut ada = TestClient::join(&server, code, "Ada").await;
    let token = ada.token.clone().unwrap();
    facilitator
        .wait_for("Ada", |room| room.active_participants().count() == 2)
        .await
        .unwrap();
    facilitator
        .run(Command::Remove {
            participant: ada.me.unwrap(),
        })
        .await;

    let closed = ada.closed().await;
    assert_eq!(closed.refused, Some(Rejection::Removed));
    assert_eq!(closed.code, Some(4010));
    let mut again = TestClient::hello(&server, code, HelloAuth::Rejoin { token, name: None }, None)
        .await
        .unwrap();
    assert_eq!(again.closed().await.refused, Some(Rejection::Removed));
    assert_eq!(facilitator.names(), ["Fran"]);
}

/// How long a disconnected participant stays away before turning gone.
const GRACE: Duration = Duration::from_millis(PRESENCE_GRACE_MILLIS);

/// A server on a manual clock with a grace period of [`GRACE`], and the
/// clock: tests move time past the grace period instead of waiting for it.
async fn server_on_a_manual_clock() -> (TestServer, Clock) {
    let clock = Clock::manual(moot_server::now());
    let config = Config {
        clock: clock.clone(),
        presence_grace: GRACE,
        ..Config::default()
    };
    (TestServer::with_config(config).await, clock)
}

/// Participant `id`'s presence and the moment they turn gone, as `room` shows them.
fn presence_of(room: &Room, id: ParticipantId) -> (Presence, Option<Timestamp>) {
    let participant = room.participant(id).expect("listed");
    (participant.presence, participant.gone_at)
}

#[tokio::test]
async fn presence_goes_away_then_gone_after_the_grace_period() {
    let (server, clock) = server_on_a_manual_clock().await;
    let (opened, mut facilitator) = meetup(&server).await;
    let code = opened.join_code.to_string();
    let mut ada = TestClient::join(&server, &code, "Ada").await;
    let ada_id = ada.me.unwrap();
    facilitator
        .wait_for("Ada", |room| room.participant(ada_id).is_some())
        .await
        .unwrap();
    // Hiding the tab is away, but connected: no deadline, never gone.
    ada.run(Command::SetPresence {
        presence: ReportedPresence::Away,
    })
    .await;
    facilitator
        .wait_for("Ada away", |room| {
            presence_of(room, ada_id) == (Presence::Away, None)
        })
        .await
        .unwrap();
    ada.run(Command::SetPresence {
        presence: ReportedPresence::Here,
    })
    .await;

    // The connection closes: away at once, gone at the end of the grace period.
    let gone_at = clock.now().plus_millis(PRESENCE_GRACE_MILLIS);
    let saved = ada.drop_connection().await;
    facilitator
        .wait_for("Ada away until the deadline", |room| {
            presence_of(room, ada_id) == (Presence::Away, Some(gone_at))
        })
        .await
        .unwrap();
    // Almost there: nothing happens.
    clock.advance(GRACE - Duration::from_millis(1));
    facilitator
        .run(Command::SetPresence {
            presence: ReportedPresence::Here,
        })
        .await;
    assert_eq!(
        presence_of(facilitator.room.as_ref().unwrap(), ada_id),
        (Presence::Away, Some(gone_at))
    );
    clock.advance(Duration::from_millis(1));
    facilitator
        .wait_for("Ada gone", |room| {
            presence_of(room, ada_id) == (Presence::Gone, None)
        })
        .await
        .unwrap();

    // Back again: here, and nothing pending.
    let _ada = TestClient::resume(&server, &code, saved).await;
    facilitator
        .wait_for("Ada back", |room| {
            presence_of(room, ada_id) == (Presence::Here, None)
        })
        .await
        .unwrap();
}

#[tokio::test]
async fn a_restarted_server_turns_people_gone_from_the_stored_deadlines() {
    let (server, clock) = server_on_a_manual_clock().await;
    let (opened, mut facilitator) = meetup(&server).await;
    let code = opened.join_code.to_string();
    let ada = TestClient::join(&server, &code, "Ada").await;
    let linus = TestClient::join(&server, &code, "Linus").await;
    let (ada_id, linus_id) = (ada.me.unwrap(), linus.me.unwrap());
    let fran_id = facilitator.me.unwrap();
    facilitator
        .wait_for("all three here", |room| {
            room.active_participants()
                .all(|participant| participant.presence == Presence::Here)
                && room.active_participants().count() == 3
        })
        .await
        .unwrap();

    // Ada disconnects; halfway through her grace period the server dies
    // with Fran and Linus still connected, and is down for a while.
    let ada_gone_at = clock.now().plus_millis(PRESENCE_GRACE_MILLIS);
    ada.drop_connection().await;
    facilitator
        .wait_for("Ada away", |room| {
            presence_of(room, ada_id) == (Presence::Away, Some(ada_gone_at))
        })
        .await
        .unwrap();
    clock.advance(GRACE / 2);
    let data_dir = server.crash();
    drop(linus);
    clock.advance(GRACE / 4);
    let restarted_gone_at = clock.now().plus_millis(PRESENCE_GRACE_MILLIS);
    let server = TestServer::with_data(Config {
        data_dir,
        clock: clock.clone(),
        presence_grace: GRACE,
        ..Config::default()
    })
    .await;

    // The shared screen watches without being anyone's connection.
    let mut screen = TestClient::screen(&server, &code, &opened.screen_url).await;
    // Ada keeps her stored deadline, so the downtime counted; the others
    // were connected when the server died and start theirs now.
    screen
        .wait_for("deadlines after the restart", |room| {
            presence_of(room, ada_id) == (Presence::Away, Some(ada_gone_at))
                && presence_of(room, linus_id) == (Presence::Away, Some(restarted_gone_at))
                && presence_of(room, fran_id) == (Presence::Away, Some(restarted_gone_at))
        })
        .await
        .unwrap();
    clock.set(ada_gone_at);
    screen
        .wait_for("Ada gone, Linus not yet", |room| {
            presence_of(room, ada_id) == (Presence::Gone, None)
                && presence_of(room, linus_id).0 == Presence::Away
        })
        .await
        .unwrap();
    clock.set(restarted_gone_at);
    screen
        .wait_for("everyone gone", |room| {
            room.active_participants()
                .all(|participant| participant.presence == Presence::Gone)
        })
        .await
        .unwrap();
}

#[tokio::test]
async fn bad_messages_get_typed_rejections_and_the_connection_survives() {
    let server = TestServer::start().await;
    let (opened, mut facilitator) = meetup(&server).await;
    let mut ada = TestClient::join(&server, opened.join_code.as_str(), "Ada").await;

    ada.send_raw("{not json").await.unwrap();
    assert!(matches!(
        ada.anonymous_rejection().await,
        Rejection::MalformedMessage { .. }
    ));

    ada.send_raw(r#"{"type":"teleport"}"#).await.unwrap();
    assert_eq!(
        ada.anonymous_rejection().await,
        Rejection::UnknownMessageType {
            found: "teleport".into()
        }
    );

    // An unknown command in a readable command frame is answered under
    // its request id, so the client can drop it from its outbox.
    ada.send_raw(r#"{"type":"command","request_id":"x1","command":{"type":"teleport"}}"#)
        .await
        .unwrap();
    assert_eq!(
        ada.answer("x1").await,
        Err(Rejection::UnknownMessageType {
            found: "command.teleport".into()
        })
    );

    let oversized = format!(
        r#"{{"type":"command","request_id":"big","command":{{"type":"rename","name":"{}"}}}}"#,
        "a".repeat(MAX_MESSAGE_BYTES)
    );
    ada.send_raw(&oversized).await.unwrap();
    assert_eq!(
        ada.anonymous_rejection().await,
        Rejection::MessageTooLarge {
            max_bytes: MAX_MESSAGE_BYTES
        }
    );

    ada.command_with_id("has space", Command::Lock).await;
    assert_eq!(ada.anonymous_rejection().await, Rejection::InvalidRequestId);

    // Text out of bounds is refused by the server's reader, naming the
    // field, and still answered under the command's request id.
    let long_name = "x".repeat(41);
    ada.send_raw(&format!(
        r#"{{"type":"command","request_id":"long-name","command":{{"type":"rename","name":"{long_name}"}}}}"#
    ))
    .await
    .expect("the socket is open");
    assert!(
        matches!(ada.answer("long-name").await, Err(Rejection::InvalidField { field, .. }) if field == "name")
    );

    let hello = ClientMessage::Hello {
        protocol: PROTOCOL_VERSION,
        join_code: "x".into(),
        auth: HelloAuth::Join { name: "y".into() },
        last_seq: None,
    };
    ada.send(&hello).await.unwrap();
    assert_eq!(ada.anonymous_rejection().await, Rejection::HelloExpected);

    // Still connected and still served, and so is everyone else.
    ada.run(Command::Rename {
        name: text("Ada L"),
    })
    .await;
    facilitator
        .wait_for("rename", |room| {
            room.active_participants()
                .any(|p| p.name.as_str() == "Ada L")
        })
        .await
        .unwrap();
}

#[tokio::test]
async fn commands_beyond_the_rate_limit_are_rejected() {
    let server = TestServer::start().await;
    let (_opened, mut facilitator) = meetup(&server).await;
    let burst = COMMAND_BURST as usize + 5;
    let mut requests = Vec::new();
    for index in 0..burst {
        let seat_cap = 10 + (index % 2) as u16;
        requests.push(facilitator.command(Command::SetSeatCap { seat_cap }).await);
    }
    let mut limited = 0;
    for request in &requests {
        if let Err(Rejection::RateLimited { retry_after_ms }) = facilitator.answer(request).await {
            assert!(retry_after_ms > 0);
            limited += 1;
        }
    }
    assert!(
        limited >= 1,
        "a burst beyond {COMMAND_BURST} commands must be limited"
    );
}

#[tokio::test]
async fn handshake_refusals_have_documented_codes() {
    let server = TestServer::start().await;
    let (opened, _facilitator) = meetup(&server).await;
    let code = opened.join_code.as_str();

    let mut client = TestClient::open(&server, &[]).await.unwrap();
    let hello = ClientMessage::Hello {
        protocol: 99,
        join_code: code.into(),
        auth: HelloAuth::Join { name: "Ada".into() },
        last_seq: None,
    };
    client.send(&hello).await.unwrap();
    let closed = client.closed().await;
    assert_eq!(
        closed.refused,
        Some(Rejection::UnsupportedProtocolVersion {
            supported: PROTOCOL_VERSION
        })
    );
    assert_eq!(closed.code, Some(4001));

    let mut client = TestClient::open(&server, &[]).await.unwrap();
    client.send(&ClientMessage::Pong).await.unwrap();
    assert_eq!(
        client.closed().await,
        moot_tests::Closed {
            code: Some(4002),
            refused: Some(Rejection::HelloExpected)
        }
    );

    let mut client = TestClient::hello(
        &server,
        "ZZZZZZZZ",
        HelloAuth::Join { name: "Ada".into() },
        None,
    )
    .await
    .unwrap();
    assert_eq!(
        client.closed().await,
        moot_tests::Closed {
            code: Some(4004),
            refused: Some(Rejection::UnknownJoinCode)
        }
    );

    // The facilitator's link with a wrong secret.
    let mut wrong = opened.token.clone();
    wrong.replace_range(
        40..48,
        if &wrong[40..48] == "00000000" {
            "11111111"
        } else {
            "00000000"
        },
    );
    let mut client = TestClient::hello(
        &server,
        code,
        HelloAuth::Rejoin {
            token: wrong.clone(),
            name: None,
        },
        None,
    )
    .await
    .unwrap();
    assert_eq!(
        client.closed().await,
        moot_tests::Closed {
            code: Some(4005),
            refused: Some(Rejection::BadCredential)
        }
    );
    let mut client = TestClient::hello(&server, code, HelloAuth::Screen { token: wrong }, None)
        .await
        .unwrap();
    assert_eq!(
        client.closed().await.refused,
        Some(Rejection::BadCredential)
    );
    let mut client = TestClient::hello(
        &server,
        code,
        HelloAuth::Rejoin {
            token: "nonsense".into(),
            name: None,
        },
        None,
    )
    .await
    .unwrap();
    assert_eq!(
        client.closed().await.refused,
        Some(Rejection::BadCredential)
    );

    let mut client = TestClient::hello(&server, code, HelloAuth::Join { name: " ".into() }, None)
        .await
        .unwrap();
    assert!(matches!(
        client.closed().await.refused,
        Some(Rejection::InvalidField { .. })
    ));
}

#[tokio::test]
async fn join_code_guessing_is_throttled_per_address() {
    let config = Config {
        failed_attempts_per_minute: 5,
        ..Config::default()
    };
    let server = TestServer::with_config(config).await;
    let (opened, _facilitator) = meetup(&server).await;
    for guess in ["AAAAAAAA", "BBBBBBBB", "CCCCCCCC", "DDDDDDDD", "EEEEEEEE"] {
        let mut client =
            TestClient::hello(&server, guess, HelloAuth::Join { name: "Eve".into() }, None)
                .await
                .unwrap();
        assert_eq!(
            client.closed().await.refused,
            Some(Rejection::UnknownJoinCode)
        );
    }
    // Now even the right code is refused from this address for a while.
    let mut client = TestClient::hello(
        &server,
        opened.join_code.as_str(),
        HelloAuth::Join { name: "Eve".into() },
        None,
    )
    .await
    .unwrap();
    let closed = client.closed().await;
    assert!(
        matches!(closed.refused, Some(Rejection::TooManyAttempts { retry_after_ms }) if retry_after_ms > 0)
    );
    assert_eq!(closed.code, Some(4006));
}

#[tokio::test]
async fn websockets_from_other_origins_are_refused() {
    let server = TestServer::with_config(Config {
        allowed_origins: vec!["https://intranet.example".into()],
        ..Config::default()
    })
    .await;
    let evil = TestClient::open(&server, &[("origin", "https://evil.example")]).await;
    let error = evil.err().expect("the upgrade is refused").to_string();
    assert!(error.contains("403"), "{error}");
    let own = format!("http://{}", server.addr);
    assert!(TestClient::open(&server, &[("origin", &own)]).await.is_ok());
    assert!(
        TestClient::open(&server, &[("origin", "https://intranet.example")])
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn the_http_api_rejects_bad_input_with_typed_errors() {
    let server = TestServer::start().await;
    let json = [("content-type", "application/json")];
    let response = http::request(server.addr, "POST", "/api/meetups", &json, "{")
        .await
        .unwrap();
    assert_eq!(response.status, 400);
    assert!(
        response.body.contains(r#""code":"malformed_message""#),
        "{}",
        response.body
    );

    let body = r#"{"title":"","facilitator_name":"Fran"}"#;
    let response = http::request(server.addr, "POST", "/api/meetups", &json, body)
        .await
        .unwrap();
    assert_eq!(response.status, 400);
    let parsed: serde_json::Value = serde_json::from_str(&response.body).unwrap();
    assert_eq!(
        parsed["error"],
        serde_json::json!({"code":"invalid_field","field":"title","problem":"empty"})
    );

    let response = http::request(server.addr, "GET", "/healthz", &[], "")
        .await
        .unwrap();
    assert_eq!((response.status, response.body.as_str()), (200, "ok"));

    let response = http::request(server.addr, "GET", "/api/meetups/7KQ2M9XD/qr.svg", &[], "")
        .await
        .unwrap();
    assert_eq!(response.header("content-type"), Some("image/svg+xml"));
    assert!(response.body.starts_with("<?xml") || response.body.starts_with("<svg"));
}

#[tokio::test]
async fn the_server_refuses_new_meetups_when_full() {
    let server = TestServer::with_config(Config {
        max_rooms: 1,
        ..Config::default()
    })
    .await;
    server.open_meetup("One", "Fran").await;
    let body = r#"{"title":"Two","facilitator_name":"Fran"}"#;
    let response = http::request(
        server.addr,
        "POST",
        "/api/meetups",
        &[("content-type", "application/json")],
        body,
    )
    .await
    .unwrap();
    assert_eq!(response.status, 503);
    assert!(response.body.contains("server_full"));
}

#[tokio::test]
async fn time_sync_reports_the_server_clock() {
    let server = TestServer::start().await;
    let (_opened, mut facilitator) = meetup(&server).await;
    facilitator
        .send(&ClientMessage::TimeSync { client_time: 42 })
        .await
        .unwrap();
    loop {
        if let Ok(ServerMessage::TimeSync {
            client_time,
            server_time,
        }) = facilitator.next().await.unwrap()
        {
            assert_eq!(client_time, 42);
            assert!(server_time.0 > 1_600_000_000_000);
            break;
        }
    }
}
