//! Hardening found by an outside attack run: HTTP timeouts and the
//! per-address connection cap. Raw TCP where the attack was raw.

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use moot_server::Config;
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
