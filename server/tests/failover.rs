//! The failover proof (issue 18, item 5): a throwaway PostgreSQL cluster,
//! three `moot` nodes on it, and HAProxy in front of them with the
//! configuration in `deploy/haproxy.cfg`. Facilitators drive several
//! meetups through the proxy with real WebSocket clients, proposing topics
//! one after another. Then the node that serves the most meetups is killed
//! with `kill -9` while they write. Its meetups must come back on the other
//! nodes (once its leases run out) with every acknowledged topic present,
//! none twice, and every request resent with its request id answered as
//! before, not applied again.
//!
//! Then the killed node is started again on its address: the proxy routes
//! its meetups back to it, and they must move back (their owners hand
//! them over when it asks) with nothing lost either.
//!
//! The test prints how long each meetup took to come back (from the kill
//! to the `welcome` of a client reconnecting through the proxy); it
//! asserts nothing about time but a generous deadline.

use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use moot_shared::protocol::{HelloAuth, ServerMessage};
use moot_shared::{Command, Seq};
use moot_tests::load::wait_healthy;
use moot_tests::postgres::{Cluster, ensure_program};
use moot_tests::process::{KillOnDrop, free_port};
use moot_tests::{External, TestClient, open_meetup, temp_data_dir, text};

/// Meetups driven at once.
const MEETUPS: usize = 6;
/// The nodes' lease, shorter than the default (5 s) so the test is
/// quicker; `MOOT_FAILOVER_LEASE_SECS` sets another, to measure with it.
fn lease_secs() -> String {
    std::env::var("MOOT_FAILOVER_LEASE_SECS").unwrap_or_else(|_| "2".to_owned())
}
/// How long a meetup may take to come back before the test fails (far more
/// than it takes; the machine may be busy).
const DEADLINE: Duration = Duration::from_secs(60);

/// Starts a node on the shared database.
async fn start_node(url: &str) -> (KillOnDrop, SocketAddr) {
    start_node_on(url, free_port()).await
}

/// Starts a node on the shared database, on `port`.
async fn start_node_on(url: &str, port: u16) -> (KillOnDrop, SocketAddr) {
    let node_url = format!("http://127.0.0.1:{port}");
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_moot"))
        .args(["--bind", "127.0.0.1", "--port", &port.to_string()])
        .args(["--store", url, "--node-url", &node_url])
        .args(["--lease-secs", &lease_secs(), "--trust-forwarded-for"])
        .args(["--openings-per-minute", "1000", "--log", "warn"])
        .arg("--data-dir")
        .arg(temp_data_dir())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .expect("moot starts");
    let addr: SocketAddr = ([127, 0, 0, 1], port).into();
    let process = KillOnDrop(child);
    wait_healthy(addr, Duration::from_secs(30))
        .await
        .expect("the node answers /healthz");
    (process, addr)
}

/// `deploy/haproxy.cfg` with this test's addresses in place of its `bind`
/// and `server` lines.
fn proxy_config(port: u16, nodes: &[SocketAddr]) -> String {
    let deployed = include_str!("../../deploy/haproxy.cfg");
    let mut config = String::new();
    for line in deployed.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("bind ") {
            config.push_str(&format!("    bind 127.0.0.1:{port}\n"));
        } else if trimmed.starts_with("server ") {
            continue;
        } else {
            config.push_str(line);
            config.push('\n');
        }
    }
    for (index, node) in nodes.iter().enumerate() {
        config.push_str(&format!("    server node{} {node}\n", index + 1));
    }
    config
}

async fn start_proxy(nodes: &[SocketAddr]) -> (KillOnDrop, External) {
    ensure_program("haproxy", "haproxy").expect("HAProxy is installed");
    let port = free_port();
    let path: PathBuf = temp_data_dir().join("haproxy.cfg");
    std::fs::write(&path, proxy_config(port, nodes)).unwrap();
    let child = std::process::Command::new("haproxy")
        .arg("-db")
        .arg("-f")
        .arg(&path)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .expect("haproxy starts");
    let addr: SocketAddr = ([127, 0, 0, 1], port).into();
    let process = KillOnDrop(child);
    wait_healthy(addr, Duration::from_secs(30))
        .await
        .expect("the proxy answers /healthz");
    (process, External { addr })
}

/// One meetup's facilitator: what they sent and what was acknowledged.
#[derive(Default)]
struct Written {
    /// Request id → topic title, of every command sent.
    sent: BTreeMap<String, String>,
    /// Request id → sequence number, of every command acknowledged.
    acked: BTreeMap<String, Seq>,
}

fn proposal(title: &str) -> Command {
    Command::ProposeTopic {
        title: text(title),
        details: None,
    }
}

/// Proposes topics one after another until told to stop or the
/// connection ends (its node was killed).
async fn write_until(mut client: TestClient, meetup: usize, stop: Arc<AtomicBool>) -> Written {
    let mut written = Written::default();
    for index in 0.. {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        let request_id = format!("m{meetup}-{index}");
        let title = format!("Topic {meetup}.{index}");
        client.command_with_id(&request_id, proposal(&title)).await;
        written.sent.insert(request_id.clone(), title);
        match client.try_answer(&request_id).await {
            Some(Ok(seq)) => {
                written.acked.insert(request_id, seq);
            }
            Some(Err(rejection)) => panic!("{request_id} was refused: {rejection:?}"),
            None => break,
        }
        // Within the rate limit of ten commands a second.
        tokio::time::sleep(Duration::from_millis(120)).await;
    }
    written
}

/// Rejoins as the facilitator through the proxy until welcomed.
async fn rejoin(proxy: &External, code: &str, token: &str) -> TestClient {
    let started = Instant::now();
    loop {
        assert!(started.elapsed() < DEADLINE, "{code} did not come back");
        let auth = HelloAuth::Rejoin {
            token: token.to_owned(),
            name: None,
        };
        if let Ok(mut client) = TestClient::hello(proxy, code, auth, None).await
            && let Ok(Ok(ServerMessage::Welcome { .. })) = client.next().await
        {
            client.token = Some(token.to_owned());
            return client;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Which node's `--node-url` owns each meetup now.
fn owners(cluster: &Cluster, url: &str) -> BTreeMap<String, String> {
    cluster
        .query(
            url,
            "SELECT m.code, n.url FROM meetups m JOIN nodes n ON n.node = m.owner",
        )
        .unwrap()
        .lines()
        .filter_map(|line| line.split_once('|'))
        .map(|(code, owner)| (code.to_owned(), owner.to_owned()))
        .collect()
}

/// Checks a meetup after the failover: every acknowledged topic is there,
/// none twice, and a resent request is answered as before.
async fn check(proxy: &External, code: &str, token: &str, written: &Written) {
    let mut client = rejoin(proxy, code, token).await;
    client.wait_for("the room", |_| true).await.unwrap();
    let titles = |client: &TestClient| -> Vec<String> {
        client
            .room
            .as_ref()
            .unwrap()
            .board
            .topics
            .iter()
            .map(|topic| topic.title.as_str().to_owned())
            .collect()
    };
    let before = titles(&client);
    let unique: BTreeSet<&String> = before.iter().collect();
    assert_eq!(unique.len(), before.len(), "{code}: a topic is there twice");
    for (request_id, _) in written.acked.iter() {
        let title = &written.sent[request_id];
        assert!(
            before.contains(title),
            "{code}: acknowledged {request_id} ({title}) is lost"
        );
    }
    // Resent with the same request ids (as a phone that lost the answers
    // would), every command is answered with its first sequence number or,
    // if it never was answered, applied now: once either way.
    for (request_id, title) in &written.sent {
        client.command_with_id(request_id, proposal(title)).await;
        let answer = client.answer(request_id).await.unwrap();
        if let Some(seq) = written.acked.get(request_id) {
            assert_eq!(answer, *seq, "{code}: {request_id} was applied again");
        }
        tokio::time::sleep(Duration::from_millis(120)).await;
    }
    client.wait_for("the room", |_| true).await.unwrap();
    let after = titles(&client);
    let unique: BTreeSet<&String> = after.iter().collect();
    assert_eq!(
        unique.len(),
        after.len(),
        "{code}: a resend was applied twice"
    );
    assert_eq!(
        after.len(),
        written.sent.len(),
        "{code}: every command once"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_nodes_meetups_come_back_on_the_others_with_nothing_lost() {
    let cluster = Cluster::start().expect("a throwaway PostgreSQL cluster starts");
    let url = cluster.database();
    let mut nodes = Vec::new();
    for _ in 0..3 {
        nodes.push(start_node(&url).await);
    }
    let addrs: Vec<SocketAddr> = nodes.iter().map(|(_, addr)| *addr).collect();
    let (_proxy_process, proxy) = start_proxy(&addrs).await;

    // Meetups opened and driven through the proxy, each facilitator writing.
    let stop = Arc::new(AtomicBool::new(false));
    let mut meetups = Vec::new();
    for meetup in 0..MEETUPS {
        let opened = open_meetup(&proxy, &format!("Guild {meetup}"), "Fran").await;
        let code = opened.join_code.to_string();
        let client = TestClient::rejoin(&proxy, &code, &opened.token, None).await;
        let writer = tokio::spawn(write_until(client, meetup, Arc::clone(&stop)));
        meetups.push((code, opened.token, writer));
    }
    // Who serves what, by the leases, once every meetup has been claimed
    // (its facilitator connected through the proxy and wrote).
    let started = Instant::now();
    let owner_of = loop {
        let owner_of = owners(&cluster, &url);
        if meetups
            .iter()
            .all(|(code, _, _)| owner_of.contains_key(code))
        {
            break owner_of;
        }
        assert!(started.elapsed() < DEADLINE, "every meetup is claimed");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let victim = (0..nodes.len())
        .max_by_key(|index| {
            let url = format!("http://{}", addrs[*index]);
            owner_of.values().filter(|owner| **owner == url).count()
        })
        .unwrap();
    let victim_url = format!("http://{}", addrs[victim]);
    let moved: Vec<String> = owner_of
        .iter()
        .filter(|(_, owner)| **owner == victim_url)
        .map(|(code, _)| code.clone())
        .collect();
    assert!(
        !moved.is_empty(),
        "the victim serves a meetup: {owner_of:?}"
    );

    // kill -9, while the facilitators write.
    let killed = Instant::now();
    nodes[victim].0.0.kill().expect("SIGKILL reaches the node");
    let _ = nodes[victim].0.0.wait();

    // Each of its meetups is back when a client reconnecting through the
    // proxy is welcomed.
    let mut comebacks = Vec::new();
    for code in &moved {
        let (_, token, _) = meetups.iter().find(|(held, _, _)| held == code).unwrap();
        let (proxy, code, token) = (External { addr: proxy.addr }, code.clone(), token.clone());
        comebacks.push(tokio::spawn(async move {
            let client = rejoin(&proxy, &code, &token).await;
            drop(client);
            (code, killed.elapsed())
        }));
    }
    let mut times = Vec::new();
    for comeback in comebacks {
        let (code, took) = comeback.await.unwrap();
        eprintln!("failover: {code} back after {} ms", took.as_millis());
        times.push(took);
    }
    stop.store(true, Ordering::Relaxed);

    let mut total_acked = 0;
    let mut checked = Vec::new();
    for (code, token, writer) in meetups {
        let written = writer.await.unwrap();
        total_acked += written.acked.len();
        check(&proxy, &code, &token, &written).await;
        checked.push((code, token, written));
    }

    // The killed node comes back on its address: the proxy routes its
    // meetups there again, their owners hand them over when it asks, and
    // nothing is lost on the way back either.
    let restarted = Instant::now();
    let (_back, _) = start_node_on(&url, addrs[victim].port()).await;
    let returning: Vec<&(String, String, Written)> = checked
        .iter()
        .filter(|(code, _, _)| moved.contains(code))
        .collect();
    for (code, token, _) in &returning {
        loop {
            drop(rejoin(&proxy, code, token).await);
            if owners(&cluster, &url).get(code) == Some(&victim_url) {
                break;
            }
            assert!(
                restarted.elapsed() < DEADLINE,
                "{code} did not move back to the restarted node"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
    eprintln!(
        "failover: the restarted node serves its {} meetups again {} ms after it started",
        returning.len(),
        restarted.elapsed().as_millis()
    );
    for (code, token, written) in returning {
        check(&proxy, code, token, written).await;
    }
    eprintln!(
        "failover: {} of {MEETUPS} meetups moved off the killed node, slowest back after {} ms; \
         {total_acked} acknowledged topics, all present once",
        moved.len(),
        times.iter().max().unwrap().as_millis()
    );
}
