//! The crash test: the real `moot` binary, 20 real WebSocket clients acting
//! at once, `kill -9` in the middle, a restart on the same data directory.
//! Every acknowledged action must be there afterwards, every client must
//! resume, and sequence numbers must continue without a gap or a repeat.

use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use moot_shared::Seq;
use moot_shared::protocol::ClientCommand;
use moot_tests::load::wait_healthy;
use moot_tests::{External, Saved, TestClient, open_meetup, temp_data_dir};

/// The server process, killed on drop.
struct Moot(Child);

impl Drop for Moot {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn start(data_dir: &Path) -> (Moot, External) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(env!("CARGO_BIN_EXE_moot"))
        .args([
            "--bind",
            "127.0.0.1",
            "--port",
            &port.to_string(),
            "--log",
            "warn",
            "--openings-per-minute",
            "1000",
        ])
        .arg("--data-dir")
        .arg(data_dir)
        .stdout(Stdio::null())
        .spawn()
        .expect("the moot binary starts");
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    wait_healthy(addr, Duration::from_secs(30))
        .await
        .expect("moot answers /healthz");
    (Moot(child), External { addr })
}

/// Renames itself again and again ("C3 #17") until the server goes away;
/// returns every acknowledged rename (number and sequence number) and what
/// the client keeps.
async fn keep_renaming(mut client: TestClient, index: usize) -> (Vec<(u32, Seq)>, Saved) {
    let mut acked = Vec::new();
    for number in 1.. {
        let request = client
            .command(ClientCommand::Rename {
                name: format!("C{index} #{number}"),
            })
            .await;
        match client.try_answer(&request).await {
            Some(Ok(seq)) => acked.push((number, seq)),
            Some(Err(reason)) => panic!("C{index} #{number} rejected: {reason:?}"),
            None => break,
        }
    }
    (acked, client.forget_connection())
}

/// The stored event with this sequence number, as JSON.
fn stored_event(data_dir: &Path, code: &str, seq: Seq) -> serde_json::Value {
    let database =
        rusqlite::Connection::open(data_dir.join(moot_server::store::DATABASE_FILE)).unwrap();
    let json: String = database
        .query_row(
            "SELECT event FROM events WHERE code = ?1 AND seq = ?2",
            rusqlite::params![code, seq.0 as i64],
            |row| row.get(0),
        )
        .unwrap_or_else(|error| panic!("event {} of {code} is not stored: {error}", seq.0));
    serde_json::from_str(&json).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_actions_survive_kill_dash_nine() {
    let data_dir = temp_data_dir();
    let (moot, server) = start(&data_dir).await;
    let meetups = [
        open_meetup(&server, "Guild A", "Fran").await,
        open_meetup(&server, "Guild B", "Fred").await,
    ];
    let mut clients = Vec::new();
    for index in 0..20 {
        let meetup = &meetups[index % 2];
        let client = if index < 2 {
            TestClient::rejoin(&server, meetup.join_code.as_str(), &meetup.token, None).await
        } else {
            TestClient::join(&server, meetup.join_code.as_str(), &format!("C{index}")).await
        };
        clients.push(client);
    }
    let workers: Vec<_> = clients
        .into_iter()
        .enumerate()
        .map(|(index, client)| tokio::spawn(keep_renaming(client, index)))
        .collect();

    // Let them work, then pull the plug in the middle of it all.
    let probe_client = TestClient::rejoin(
        &server,
        meetups[0].join_code.as_str(),
        &meetups[0].token,
        None,
    )
    .await;
    let mut probe = probe_client;
    probe
        .wait_for("plenty of actions", |room| room.participants.len() == 10)
        .await
        .unwrap();
    let mut observed = 0;
    while observed < 200 {
        if probe.next().await.unwrap().is_ok() {
            observed += 1;
        }
    }
    drop(moot); // SIGKILL
    drop(probe);

    let mut results = Vec::new();
    for worker in workers {
        results.push(
            worker
                .await
                .expect("the client task ends when the server is gone"),
        );
    }
    let acked_total: usize = results.iter().map(|(acked, _)| acked.len()).sum();
    assert!(
        acked_total >= 100,
        "only {acked_total} actions were acknowledged before the kill"
    );

    // Every acknowledged action is in the data directory, at its sequence number.
    for (index, (acked, _)) in results.iter().enumerate() {
        let code = meetups[index % 2].join_code.as_str();
        for (number, seq) in acked {
            let event = stored_event(&data_dir, code, *seq);
            assert_eq!(event["type"], "participant_renamed", "C{index} #{number}");
            assert_eq!(event["name"], format!("C{index} #{number}"));
        }
    }

    let (_moot, server) = start(&data_dir).await;
    for (index, (acked, saved)) in results.into_iter().enumerate() {
        let code = meetups[index % 2].join_code.as_str();
        let seen_before = saved.seq;
        let mut client = TestClient::resume(&server, code, saved).await;
        // The meetup goes on: one more action works, numbered after all
        // that was acknowledged.
        let request = client
            .command(ClientCommand::Rename {
                name: format!("C{index} after"),
            })
            .await;
        let after = client
            .answer(&request)
            .await
            .expect("the meetup goes on after the restart");
        let last_acked = acked.last().map_or(Seq(0), |(_, seq)| *seq);
        assert!(
            after > last_acked,
            "C{index}: sequence numbers continue past what was acknowledged"
        );
        // Caught up with every missed event exactly once: no gap, no repeat.
        let received: Vec<u64> = client
            .received
            .iter()
            .copied()
            .filter(|seq| *seq > seen_before.0)
            .collect();
        assert_eq!(
            received,
            (seen_before.0 + 1..=client.seq.0).collect::<Vec<_>>(),
            "C{index}"
        );
        let room = client.room.as_ref().unwrap();
        assert_eq!(
            room.participant(client.me.unwrap()).unwrap().name.as_str(),
            format!("C{index} after")
        );
        room.check_invariants().unwrap();
    }
}

/// Issue 6: timers keep their true remaining time through `kill -9` and a
/// restart, because the room stores an absolute deadline (or a paused
/// remainder), never a countdown; and a deadline reached while the server
/// was down expires once after the restart.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn timers_keep_their_true_time_across_kill_dash_nine() {
    use moot_shared::room::timer::TimerRun;

    let data_dir = temp_data_dir();
    let (moot, server) = start(&data_dir).await;
    let long = open_meetup(&server, "Long timer", "Fran").await;
    let paused = open_meetup(&server, "Paused timer", "Fran").await;
    let short = open_meetup(&server, "Short timer", "Fran").await;
    let mut runs = Vec::new();
    for (meetup, secs, pause) in [
        (&long, 600, false),
        (&paused, 300, true),
        (&short, 10, false),
    ] {
        let code = meetup.join_code.as_str();
        let mut client = TestClient::rejoin(&server, code, &meetup.token, None).await;
        client
            .run(ClientCommand::StartTimer {
                duration_secs: secs,
            })
            .await;
        if pause {
            client.run(ClientCommand::PauseTimer).await;
        }
        runs.push(client.room.as_ref().unwrap().timer.run);
    }
    drop(moot); // SIGKILL

    let (_moot, server) = start(&data_dir).await;
    let mut clients = Vec::new();
    for (meetup, before) in [&long, &paused, &short].into_iter().zip(&runs) {
        let code = meetup.join_code.as_str();
        // A fresh page load: the whole room from a snapshot.
        let client = TestClient::rejoin(&server, code, &meetup.token, None).await;
        let after = client.room.as_ref().unwrap().timer.run;
        match (before, after) {
            // The same absolute deadline: the true remaining time, whatever
            // the restart took.
            (TimerRun::Running { deadline }, TimerRun::Running { deadline: now }) => {
                assert_eq!(*deadline, now);
            }
            (TimerRun::Running { deadline }, TimerRun::Expired { at }) => {
                assert_eq!(*deadline, at, "expired at its own deadline");
            }
            (TimerRun::Paused { .. }, TimerRun::Paused { .. }) => assert_eq!(*before, after),
            other => panic!("the timer changed across the restart: {other:?}"),
        }
        clients.push(client);
    }
    let left = clients[0]
        .room
        .as_ref()
        .unwrap()
        .timer
        .remaining_ms(moot_server::now())
        .unwrap();
    assert!(
        (500_000..600_000).contains(&left),
        "ten minutes less the restart: {left} ms"
    );

    // The short one runs out after the restart (or ran out while down, and
    // the restarted server expired it on start): exactly once either way.
    let short_client = &mut clients[2];
    short_client
        .wait_for("the short timer to expire", |room| {
            matches!(room.timer.run, TimerRun::Expired { .. })
        })
        .await
        .unwrap();
    let TimerRun::Running { deadline } = runs[2] else {
        panic!("the short timer ran")
    };
    assert_eq!(
        short_client.room.as_ref().unwrap().timer.run,
        TimerRun::Expired { at: deadline }
    );
    short_client.run(ClientCommand::ResetTimer).await;
    let expiries = short_client
        .frames
        .iter()
        .filter(|frame| frame.contains("\"type\":\"timer_expired\""))
        .count();
    assert!(expiries <= 1, "{expiries} expiries");
}
