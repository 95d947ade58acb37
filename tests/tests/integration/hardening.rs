//! Hardening found by an outside attack run: HTTP timeouts and the
//! per-address connection cap, Host and Origin checks, cross-site meetup
//! creation, security headers, failed-handshake throttling that spares valid
//! tokens, and frames too large to read. Raw TCP where the attack was raw.

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use moot_server::Config;
use moot_server::http::OpenedMeetupResponse;
use moot_shared::Command;
use moot_shared::Rejection;
use moot_shared::limits::MAX_MESSAGE_BYTES;
use moot_shared::protocol::{HelloAuth, ServerMessage};
use moot_shared::room::queue::EntryKind;
use moot_tests::{PATIENCE, TestClient, TestServer, http};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

/// Short HTTP timeouts, so tests see them fire quickly.
fn quick_timeouts() -> Config {
    Config {
        http_header_timeout: Duration::from_millis(300),
        http_request_timeout: Duration::from_millis(300),
        ..Config::default()
    }
}

/// A raw TCP connection to the server from `source` (any 127.x.y.z address
/// reaches the server on Linux, so each can play a different client).
async fn connect_from(source: Ipv4Addr, server: SocketAddr) -> TcpStream {
    let socket = TcpSocket::new_v4().expect("a TCP socket");
    socket
        .bind(SocketAddr::from((source, 0)))
        .expect("a loopback source address binds");
    socket.connect(server).await.expect("the server accepts")
}

/// Reads until the server closes the connection (end of stream or reset)
/// and returns what came before; panics if it stays open past [`PATIENCE`].
async fn read_until_closed(stream: &mut TcpStream) -> String {
    let mut received = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        match tokio::time::timeout(PATIENCE, stream.read(&mut buffer)).await {
            Err(_) => panic!(
                "the server kept the connection open; received so far: {:?}",
                String::from_utf8_lossy(&received)
            ),
            Ok(Ok(0) | Err(_)) => return String::from_utf8_lossy(&received).into_owned(),
            Ok(Ok(read)) => received.extend_from_slice(&buffer[..read]),
        }
    }
}

/// `GET /` with this `Host` (the test client's `http::request` always sends
/// the server's address as `Host`); the whole answer.
async fn get_page(server: SocketAddr, host: &str) -> String {
    let mut stream = TcpStream::connect(server).await.unwrap();
    let request = format!("GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    read_until_closed(&mut stream).await
}

/// Reads one response with a `content-length` body, leaving the connection open.
async fn read_response(stream: &mut TcpStream) -> String {
    let mut received = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        let text = String::from_utf8_lossy(&received).into_owned();
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length = head
                .lines()
                .find_map(|line| {
                    line.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().to_owned())
                })
                .and_then(|value| value.parse::<usize>().ok())
                .unwrap_or(0);
            if body.len() >= length {
                return text;
            }
        }
        let read = tokio::time::timeout(PATIENCE, stream.read(&mut buffer))
            .await
            .expect("a response in time")
            .expect("the connection stays readable");
        assert!(read > 0, "closed before the response was complete: {text}");
        received.extend_from_slice(&buffer[..read]);
    }
}

#[tokio::test]
async fn idle_and_half_sent_requests_are_closed_after_the_timeouts() {
    let server = TestServer::with_config(quick_timeouts()).await;
    let here = Ipv4Addr::LOCALHOST;

    // Connected, never a byte.
    let mut idle = connect_from(here, server.addr).await;
    read_until_closed(&mut idle).await;

    // Half the headers (slowloris).
    let mut half = connect_from(here, server.addr).await;
    half.write_all(format!("GET / HTTP/1.1\r\nHost: {}\r\nX-Slow: 1", server.addr).as_bytes())
        .await
        .unwrap();
    read_until_closed(&mut half).await;

    // A finished request, then an idle keep-alive connection.
    let mut kept = connect_from(here, server.addr).await;
    kept.write_all(format!("GET /healthz HTTP/1.1\r\nHost: {}\r\n\r\n", server.addr).as_bytes())
        .await
        .unwrap();
    let response = read_response(&mut kept).await;
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    read_until_closed(&mut kept).await;

    // A body that never finishes arriving.
    let mut trickle = connect_from(here, server.addr).await;
    let head = format!(
        "POST /api/meetups HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n\
         Content-Length: 100\r\n\r\n{{\"title\":",
        server.addr
    );
    trickle.write_all(head.as_bytes()).await.unwrap();
    let answer = read_until_closed(&mut trickle).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
}

#[tokio::test]
async fn many_slow_connections_from_one_address_cannot_lock_others_out() {
    // Long timeouts: whatever closes quickly here is closed by the cap.
    let server = TestServer::with_config(Config {
        max_connections_per_address: 32,
        http_header_timeout: Duration::from_secs(600),
        http_request_timeout: Duration::from_secs(600),
        ..Config::default()
    })
    .await;
    let opened = server.open_meetup("Open office", "Fran").await;
    let attacker = Ipv4Addr::new(127, 0, 0, 2);
    let mut held = Vec::new();
    let mut refused = 0;
    for _ in 0..200 {
        let mut stream = connect_from(attacker, server.addr).await;
        // A slowloris start: some headers, never finished.
        let _ = stream.write_all(b"GET / HTTP/1.1\r\n").await;
        held.push(stream);
    }
    // Exactly the connections over the cap are closed, at once.
    for stream in held.iter_mut().skip(32) {
        read_until_closed(stream).await;
        refused += 1;
    }
    assert_eq!(refused, 168);

    // Everyone else still gets in: a new participant and the health check.
    let mut newcomer = TestClient::join(&server, opened.join_code.as_str(), "Ada").await;
    assert!(newcomer.token.is_some());
    newcomer
        .wait_for("Ada in the room", |room| {
            room.active_participants()
                .any(|participant| participant.name.to_string() == "Ada")
        })
        .await
        .unwrap();
    let health = http::request(server.addr, "GET", "/healthz", &[], "")
        .await
        .unwrap();
    assert_eq!(health.status, 200);

    // The first 32 were held, not dropped: each still finishes its request.
    for stream in held.iter_mut().take(32) {
        stream
            .write_all(format!("Host: {}\r\n\r\n", server.addr).as_bytes())
            .await
            .unwrap();
        let response = read_response(stream).await;
        assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    }

    // Once they go, the address may connect again.
    drop(held);
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let mut stream = connect_from(attacker, server.addr).await;
        let request = format!(
            "GET /healthz HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            server.addr
        );
        let _ = stream.write_all(request.as_bytes()).await;
        if read_until_closed(&mut stream)
            .await
            .starts_with("HTTP/1.1 200")
        {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the address stayed locked out after its connections closed"
        );
        tokio::task::yield_now().await;
    }
}

#[tokio::test]
async fn websockets_need_a_known_host_and_the_servers_own_scheme() {
    let server = TestServer::start().await;
    let port = server.addr.port();

    // DNS rebinding: a page on evil.example, resolved to this server.
    let evil = format!("evil.example:{port}");
    let rebound = TestClient::open(
        &server,
        &[("host", &evil), ("origin", &format!("http://{evil}"))],
    )
    .await;
    let error = rebound.err().expect("the upgrade is refused").to_string();
    assert!(error.contains("421"), "{error}");
    // Nor is the page served under that name.
    let answer = get_page(server.addr, &evil).await;
    assert!(answer.starts_with("HTTP/1.1 421"), "{answer}");
    // Two Host headers are as good as a foreign one.
    let twice = http::request(server.addr, "GET", "/", &[("host", &evil)], "")
        .await
        .unwrap();
    assert_eq!(twice.status, 421);

    // This server speaks plain HTTP: an https page of its address is not its own.
    let tls = TestClient::open(&server, &[("origin", &format!("https://127.0.0.1:{port}"))]).await;
    let error = tls.err().expect("the upgrade is refused").to_string();
    assert!(error.contains("403"), "{error}");
    // Nor is a page of another port on the same address.
    let other_port = TestClient::open(&server, &[("origin", "http://127.0.0.1:1")]).await;
    assert!(other_port.is_err());

    // Its own origin, by address or as localhost, and no origin at all, are fine.
    let own = format!("http://127.0.0.1:{port}");
    assert!(TestClient::open(&server, &[("origin", &own)]).await.is_ok());
    let localhost = format!("localhost:{port}");
    assert!(
        TestClient::open(
            &server,
            &[
                ("host", &localhost),
                ("origin", &format!("http://{localhost}"))
            ]
        )
        .await
        .is_ok()
    );
    assert!(TestClient::open(&server, &[]).await.is_ok());
}

#[tokio::test]
async fn https_public_urls_accept_only_their_https_origin() {
    let server = TestServer::with_config(Config {
        public_url: Some("https://moot.example.org/".into()),
        ..Config::default()
    })
    .await;
    let page = get_page(server.addr, "moot.example.org").await;
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    let https = TestClient::open(
        &server,
        &[
            ("host", "moot.example.org"),
            ("origin", "https://moot.example.org"),
        ],
    )
    .await;
    assert!(https.is_ok());
    let http = TestClient::open(
        &server,
        &[
            ("host", "moot.example.org"),
            ("origin", "http://moot.example.org"),
        ],
    )
    .await;
    let error = http.err().expect("the upgrade is refused").to_string();
    assert!(error.contains("403"), "{error}");
}

fn meetup_body() -> String {
    serde_json::json!({ "title": "Guild", "facilitator_name": "Fran" }).to_string()
}

#[tokio::test]
async fn other_sites_cannot_open_meetups() {
    let server = TestServer::start().await;
    let body = meetup_body();
    let evil = ("origin", "http://evil.example");
    for content_type in ["text/plain", "application/x-www-form-urlencoded"] {
        let response = http::request(
            server.addr,
            "POST",
            "/api/meetups",
            &[evil, ("content-type", content_type)],
            &body,
        )
        .await
        .unwrap();
        assert_eq!(response.status, 403, "{content_type}: {}", response.body);
        assert!(
            response.body.contains("origin_not_allowed"),
            "{}",
            response.body
        );
    }
    // The same answer for JSON from another site …
    let json = ("content-type", "application/json");
    let response = http::request(server.addr, "POST", "/api/meetups", &[evil, json], &body)
        .await
        .unwrap();
    assert_eq!(response.status, 403);
    // … and anything but JSON is refused even without an Origin.
    let response = http::request(
        server.addr,
        "POST",
        "/api/meetups",
        &[("content-type", "text/plain")],
        &body,
    )
    .await
    .unwrap();
    assert_eq!(response.status, 415, "{}", response.body);
    assert!(
        response.body.contains("malformed_message"),
        "{}",
        response.body
    );

    // curl (no Origin) and the app itself (its own origin) still work.
    let response = http::request(server.addr, "POST", "/api/meetups", &[json], &body)
        .await
        .unwrap();
    assert_eq!(response.status, 201, "{}", response.body);
    let own = format!("http://{}", server.addr);
    let json_utf8 = ("content-type", "application/json; charset=utf-8");
    let response = http::request(
        server.addr,
        "POST",
        "/api/meetups",
        &[("origin", &own), json_utf8],
        &body,
    )
    .await
    .unwrap();
    assert_eq!(response.status, 201, "{}", response.body);
}

#[tokio::test]
async fn pages_carry_security_headers_and_credentials_are_never_cached() {
    let server = TestServer::start().await;
    let opened = server.open_meetup("Guild", "Fran").await;
    let code = opened.join_code.as_str();
    let ws_host = format!("ws://{}", server.addr);
    for path in [
        "/".to_owned(),
        format!("/j/{code}"),
        format!("/m/{code}"),
        format!("/m/{code}?facilitate"),
        format!("/m/{code}/screen"),
    ] {
        let page = http::request(server.addr, "GET", &path, &[], "")
            .await
            .unwrap();
        assert_eq!(page.status, 200, "{path}");
        assert!(
            page.header("content-type")
                .is_some_and(|t| t.starts_with("text/html"))
        );
        let policy = page.header("content-security-policy").unwrap_or_default();
        for directive in [
            "default-src 'none'",
            "script-src 'self' 'wasm-unsafe-eval'",
            "style-src 'self'",
            "img-src 'self'",
            "frame-ancestors 'none'",
            "base-uri 'none'",
        ] {
            assert!(
                policy.contains(directive),
                "{path}: {directive} missing in {policy}"
            );
        }
        assert!(
            policy.contains(&format!("connect-src 'self' {ws_host}")),
            "{policy}"
        );
        assert_eq!(page.header("x-frame-options"), Some("DENY"), "{path}");
        assert_eq!(
            page.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
        assert_eq!(
            page.header("referrer-policy"),
            Some("no-referrer"),
            "{path}"
        );
    }
    // Everything else is not a page and loads nothing.
    let qr = http::request(
        server.addr,
        "GET",
        &format!("/api/meetups/{code}/qr.svg"),
        &[],
        "",
    )
    .await
    .unwrap();
    assert_eq!(qr.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(
        qr.header("content-security-policy"),
        Some("default-src 'none'; frame-ancestors 'none'")
    );
    // A script may run as a worker, under its own answer's policy: the
    // loader's unpacker compiles the wasm, and may load nothing.
    let unpacker = moot_server::assets::ASSETS
        .iter()
        .find(|asset| asset.path.starts_with("unlzma-"))
        .expect("the web app is built into the server (cargo xtask test builds it)");
    let script = http::request(server.addr, "GET", &format!("/{}", unpacker.path), &[], "")
        .await
        .unwrap();
    assert_eq!(
        script.header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    assert_eq!(
        script.header("content-security-policy"),
        Some("default-src 'none'; script-src 'wasm-unsafe-eval'; frame-ancestors 'none'")
    );

    let response = http::request(
        server.addr,
        "POST",
        "/api/meetups",
        &[("content-type", "application/json")],
        &meetup_body(),
    )
    .await
    .unwrap();
    assert_eq!(response.status, 201);
    assert_eq!(response.header("cache-control"), Some("no-store"));
    let bearer = format!("Bearer {}", opened.token);
    let minutes = http::request(
        server.addr,
        "GET",
        &format!("/api/meetups/{code}/minutes.json"),
        &[("authorization", &bearer)],
        "",
    )
    .await
    .unwrap();
    assert_eq!(minutes.status, 200);
    assert_eq!(minutes.header("cache-control"), Some("no-store"));
}

/// Fails handshakes from this address until it is throttled.
async fn exhaust_attempts(server: &TestServer, attempts: u32) {
    for _ in 0..attempts {
        let mut guess = TestClient::hello(
            server,
            "AAAAAAAA",
            HelloAuth::Join { name: "Eve".into() },
            None,
        )
        .await
        .unwrap();
        assert_eq!(
            guess.closed().await.refused,
            Some(Rejection::UnknownJoinCode)
        );
    }
}

#[tokio::test]
async fn valid_tokens_get_in_from_a_throttled_address() {
    let server = TestServer::with_config(Config {
        failed_attempts_per_minute: 3,
        ..Config::default()
    })
    .await;
    let opened: OpenedMeetupResponse = server.open_meetup("Behind one NAT", "Fran").await;
    let code = opened.join_code.as_str();
    let ada = TestClient::join(&server, code, "Ada").await;
    let ada_token = ada.token.clone().unwrap();
    exhaust_attempts(&server, 3).await;

    // A guess with the right code but no secret is still refused.
    let mut eve = TestClient::hello(&server, code, HelloAuth::Join { name: "Eve".into() }, None)
        .await
        .unwrap();
    let closed = eve.closed().await;
    assert!(
        matches!(closed.refused, Some(Rejection::TooManyAttempts { .. })),
        "{closed:?}"
    );
    assert_eq!(closed.code, Some(4006));

    // The room's own people come back: a rejoin and the shared screen.
    let back = TestClient::rejoin(&server, code, &ada_token, None).await;
    assert_eq!(back.me, ada.me);
    let _screen = TestClient::screen(&server, code, &opened.screen_url).await;

    // A wrong token, or a wrong code, gets the same answer as any throttled failure.
    let mut wrong = ada_token.clone();
    wrong.replace_range(63.., if wrong.ends_with('0') { "1" } else { "0" });
    for (join_code, token) in [(code, wrong.as_str()), ("BBBBBBBB", ada_token.as_str())] {
        let auth = HelloAuth::Rejoin {
            token: token.to_owned(),
            name: None,
        };
        let mut guess = TestClient::hello(&server, join_code, auth, None)
            .await
            .unwrap();
        let closed = guess.closed().await;
        assert!(
            matches!(closed.refused, Some(Rejection::TooManyAttempts { retry_after_ms }) if retry_after_ms > 0),
            "{closed:?}"
        );
        assert_eq!(closed.code, Some(4006));
    }

    // The same over HTTP: the facilitator's export works, a wrong token is 429.
    let path = format!("/api/meetups/{code}/minutes.md");
    let right = format!("Bearer {}", opened.token);
    let minutes = http::request(server.addr, "GET", &path, &[("authorization", &right)], "")
        .await
        .unwrap();
    assert_eq!(minutes.status, 200, "{}", minutes.body);
    let bad = format!("Bearer {wrong}");
    let refused = http::request(server.addr, "GET", &path, &[("authorization", &bad)], "")
        .await
        .unwrap();
    assert_eq!(refused.status, 429, "{}", refused.body);
}

#[tokio::test]
async fn frames_too_large_to_read_get_a_close_frame() {
    let server = TestServer::start().await;
    let opened = server.open_meetup("Guild", "Fran").await;
    let code = opened.join_code.as_str();
    let huge = "x".repeat(100 * 1024);

    // After the handshake: `message_too_large`, then close 1009.
    let mut ada = TestClient::join(&server, code, "Ada").await;
    let _ = ada.send_raw(&huge).await;
    let closed = ada.closed().await;
    assert_eq!(closed.code, Some(1009), "{closed:?}");
    assert!(
        ada.frames
            .iter()
            .any(|frame| frame.contains("message_too_large")),
        "{:?}",
        ada.frames
    );

    // As the first message: refused like any oversized hello.
    let mut early = TestClient::open(&server, &[]).await.unwrap();
    let _ = early.send_raw(&huge).await;
    let closed = early.closed().await;
    assert_eq!(
        closed.refused,
        Some(Rejection::MessageTooLarge {
            max_bytes: MAX_MESSAGE_BYTES
        })
    );
    assert_eq!(closed.code, Some(4002));
}

#[tokio::test]
async fn malformed_frames_count_toward_the_rate_limit() {
    let server = TestServer::start().await;
    let opened = server.open_meetup("Guild", "Fran").await;
    let mut ada = TestClient::join(&server, opened.join_code.as_str(), "Ada").await;
    for _ in 0..100 {
        ada.send_raw("not json").await.unwrap();
    }
    // A command is always answered (acknowledged or `rate_limited`), so its
    // answer shows that the server has read the whole flood.
    let request_id = ada
        .command(Command::RaiseHand {
            kind: EntryKind::default(),
            note: None,
        })
        .await;
    let mut answered = 0;
    loop {
        match ada.next().await.unwrap() {
            Ok(ServerMessage::Rejected {
                request_id: None, ..
            }) => answered += 1,
            Ok(ServerMessage::Ack { request_id: id, .. })
            | Ok(ServerMessage::Rejected {
                request_id: Some(id),
                ..
            }) if id == request_id => break,
            Ok(_) => {}
            Err(closed) => panic!("closed: {closed:?}"),
        }
    }
    // The burst is 30 and the rate 10 a second: answering all 100 would
    // take the server seven seconds of reading.
    assert!(
        answered < 100,
        "every malformed frame was answered; none counted toward the rate"
    );
}
