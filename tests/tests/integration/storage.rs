//! Storage and recovery: what was acknowledged survives the server stopping
//! abruptly, clients resume where they were, and a data directory that holds
//! something else stops the server with a clear error instead of losing data.
//! The tests of what survives a restart run on both stores (SQLite and
//! PostgreSQL); on PostgreSQL the restarted server takes the meetups over
//! from its predecessor through their leases.

use moot_server::store::{DATABASE_FILE, StoreError};
use moot_server::{AppState, Config};
use moot_shared::Command;
use moot_shared::Seq;
use moot_shared::room::Presence;
use moot_shared::room::ReportedPresence;
use moot_tests::postgres::Backend;
use moot_tests::{TestClient, TestServer, resend, temp_data_dir};

moot_tests::on_both_stores!(
    a_restarted_server_serves_every_meetup_as_it_was,
    a_resent_request_after_a_restart_is_still_applied_once,
    long_meetups_recover_from_snapshots,
    a_batch_resent_across_a_snapshot_and_a_restart_is_applied_once,
);

fn on(data_dir: std::path::PathBuf) -> Config {
    Config {
        data_dir,
        ..Config::default()
    }
}

async fn a_restarted_server_serves_every_meetup_as_it_was(backend: Backend) {
    let server = TestServer::with_data(backend.config(temp_data_dir())).await;
    let opened = server.open_meetup("Guild", "Fran").await;
    let code = opened.join_code.to_string();
    let mut facilitator = TestClient::rejoin(&server, &code, &opened.token, None).await;
    let mut ada = TestClient::join(&server, &code, "Ada").await;
    let grace = TestClient::join(&server, &code, "Grace").await;
    facilitator
        .wait_for("three", |room| room.active_participants().count() == 3)
        .await
        .unwrap();
    facilitator
        .run(Command::AddCoFacilitator {
            participant: ada.me.unwrap(),
        })
        .await;
    facilitator.run(Command::SetSeatCap { seat_cap: 9 }).await;
    let last_ack = ada.run(Command::Lock).await;
    ada.wait_for("locked", |room| room.locked).await.unwrap();
    let before = ada.room.clone().unwrap();

    let saved_ada = ada.drop_connection().await;
    let saved_facilitator = facilitator.drop_connection().await;
    drop(grace);
    let data_dir = server.crash();

    let server = TestServer::with_data(backend.config(data_dir)).await;
    let mut ada = TestClient::resume(&server, &code, saved_ada).await;
    let mut facilitator = TestClient::resume(&server, &code, saved_facilitator).await;
    // Ada is caught up by replay (no snapshot needed), without a gap or a repeat.
    assert!(!ada.frames[0].contains("\"snapshot\""), "{}", ada.frames[0]);
    let ada_id = ada.me.unwrap();
    ada.wait_for("Ada back", |room| {
        room.participant(ada_id).unwrap().presence == Presence::Here
    })
    .await
    .unwrap();
    let first_new = last_ack.0 + 1;
    let received: Vec<u64> = ada
        .received
        .iter()
        .copied()
        .filter(|seq| *seq >= first_new)
        .collect();
    assert_eq!(
        received,
        (first_new..=ada.seq.0).collect::<Vec<_>>(),
        "sequence numbers continue without gap or repeat"
    );

    // Everything acknowledged is there; only presence (and when someone
    // turns gone) differs: nobody was connected.
    let mut after = ada.room.clone().unwrap();
    for (was, is) in before
        .participants
        .iter()
        .zip(after.participants.iter_mut())
    {
        is.presence = was.presence;
        is.gone_at = was.gone_at;
    }
    assert_eq!(after, before);
    // And the meetup goes on.
    let next = facilitator.run(Command::Unlock).await;
    assert_eq!(next, facilitator.seq);
    assert!(next > last_ack);
}

async fn a_resent_request_after_a_restart_is_still_applied_once(backend: Backend) {
    let server = TestServer::with_data(backend.config(temp_data_dir())).await;
    let opened = server.open_meetup("Guild", "Fran").await;
    let code = opened.join_code.to_string();
    let mut facilitator = TestClient::rejoin(&server, &code, &opened.token, None).await;
    facilitator
        .command_with_id("lock-once", Command::Lock)
        .await;
    let acked = facilitator.answer("lock-once").await.unwrap();
    let saved = facilitator.drop_connection().await;
    let server = TestServer::with_data(backend.config(server.crash())).await;

    let mut facilitator = TestClient::resume(&server, &code, saved).await;
    // The phone never saw the ack (say), so it sends the command again.
    facilitator
        .command_with_id("lock-once", Command::Lock)
        .await;
    assert_eq!(facilitator.answer("lock-once").await, Ok(acked));
}

async fn long_meetups_recover_from_snapshots(backend: Backend) {
    let server = TestServer::with_data(backend.config(temp_data_dir())).await;
    let opened = server.open_meetup("Guild", "Fran").await;
    let code = opened.join_code.to_string();
    let mut phones = Vec::new();
    for index in 0..12 {
        phones.push(TestClient::join(&server, &code, &format!("P{index}")).await);
    }
    // Well over one snapshot interval of events, from many phones at once.
    for round in 0..24 {
        let presence = if round % 2 == 0 {
            ReportedPresence::Away
        } else {
            ReportedPresence::Here
        };
        for phone in &mut phones {
            phone.command(Command::SetPresence { presence }).await;
        }
    }
    let mut last = Seq(0);
    for phone in &mut phones {
        for request in 1..=24 {
            last = last.max(phone.answer(&format!("r{request}")).await.unwrap());
        }
    }
    assert!(last.0 > moot_server::store::SNAPSHOT_EVERY);
    let mut observer = TestClient::rejoin(&server, &code, &opened.token, None).await;
    observer.wait_for("all events", |_| true).await.unwrap();
    let before = observer.room.clone().unwrap();
    let server = TestServer::with_data(backend.config(server.crash())).await;

    let restored = TestClient::rejoin(&server, &code, &opened.token, None).await;
    assert!(restored.seq >= last);
    let room = restored.room.clone().unwrap();
    assert_eq!(room.participants.len(), before.participants.len());
    assert_eq!(
        room.participants
            .iter()
            .map(|p| (p.id, p.name.clone(), p.role))
            .collect::<Vec<_>>(),
        before
            .participants
            .iter()
            .map(|p| (p.id, p.name.clone(), p.role))
            .collect::<Vec<_>>()
    );
}

#[test]
fn a_foreign_file_stops_the_server_with_a_clear_error() {
    let data_dir = temp_data_dir();
    let database = data_dir.join(DATABASE_FILE);
    std::fs::write(&database, b"these are my meeting notes, not a database").unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let error =
        runtime.block_on(async { AppState::open(on(data_dir.clone())).err().expect("refused") });
    assert!(matches!(error, StoreError::Foreign { .. }), "{error}");
    assert!(error.to_string().contains(&database.display().to_string()));
    // Nothing was written over it.
    assert_eq!(
        std::fs::read(&database).unwrap(),
        b"these are my meeting notes, not a database"
    );

    // Another program's SQLite database is not moot's either.
    let data_dir = temp_data_dir();
    let other = rusqlite::Connection::open(data_dir.join(DATABASE_FILE)).unwrap();
    other
        .execute_batch("CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES ('bread');")
        .unwrap();
    drop(other);
    let error =
        runtime.block_on(async { AppState::open(on(data_dir.clone())).err().expect("refused") });
    assert!(matches!(error, StoreError::Foreign { .. }), "{error}");
}

#[tokio::test]
async fn a_damaged_meetup_stops_the_server_and_names_it() {
    let server = TestServer::start().await;
    let opened = server.open_meetup("Guild", "Fran").await;
    let keep = server.open_meetup("Other", "Olga").await;
    let data_dir = server.crash();
    let database = rusqlite::Connection::open(data_dir.join(DATABASE_FILE)).unwrap();
    database
        .execute(
            "UPDATE events SET event = '{\"type\":\"no_such_event\"}' WHERE code = ?1 AND seq = 1",
            [opened.join_code.as_str()],
        )
        .unwrap();
    drop(database);
    let error = AppState::open(on(data_dir.clone())).err().expect("refused");
    let message = error.to_string();
    assert!(matches!(error, StoreError::Unreadable { .. }), "{message}");
    assert!(message.contains(opened.join_code.as_str()), "{message}");
    // The other meetup is still stored, untouched.
    let database = rusqlite::Connection::open(data_dir.join(DATABASE_FILE)).unwrap();
    let kept: i64 = database
        .query_row(
            "SELECT count(*) FROM events WHERE code = ?1",
            [keep.join_code.as_str()],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(kept, 1);
}

/// Regression (issue 17, item 1): request ids answered at or before the last
/// room snapshot were forgotten on restart, so a client resending its
/// unanswered batch after the restart (as PROTOCOL.md tells it to) had part
/// of it applied twice. Here the server stops as on SIGTERM; the crash test
/// (`server/tests/crash.rs`) does the same with `kill -9`.
async fn a_batch_resent_across_a_snapshot_and_a_restart_is_applied_once(backend: Backend) {
    let server = TestServer::with_data(backend.config(temp_data_dir())).await;
    let opened = server.open_meetup("Guild", "Fran").await;
    let code = opened.join_code.to_string();
    let batch = resend::batch_across_the_first_snapshot(&server, &code).await;
    let data_dir = server.crash();
    let server = TestServer::with_data(backend.config(data_dir)).await;
    resend::resend_after_restart(&server, &code, batch).await;
}

/// Fran opens a meetup, Ada joins and proposes a topic, and the server
/// crashes: its meetup, join code and data directory.
async fn fran_and_ada_with_a_topic_then_a_crash() -> (
    moot_server::http::OpenedMeetupResponse,
    String,
    std::path::PathBuf,
) {
    let server = TestServer::start().await;
    let opened = server.open_meetup("Guild", "Fran").await;
    let code = opened.join_code.to_string();
    let mut ada = TestClient::join(&server, &code, "Ada").await;
    ada.run(Command::ProposeTopic {
        title: moot_tests::text("Onboarding"),
        details: None,
    })
    .await;
    (opened, code, server.crash())
}

/// Names and text stored before the rules refused invisible characters
/// (issue 17, item 8) still load: the server does not refuse to start over a
/// soft hyphen in a name, it reads the meetup as the rules now allow it.
#[tokio::test]
async fn text_stored_under_earlier_rules_still_loads() {
    let (opened, code, data_dir) = fran_and_ada_with_a_topic_then_a_crash().await;
    // As an earlier version would have stored them: a soft hyphen inside
    // Ada's name, and a facilitator named with nothing but a Hangul filler.
    let database = rusqlite::Connection::open(data_dir.join(DATABASE_FILE)).unwrap();
    // Recent events are still in the journal, older ones in `events`.
    let changed: usize = ["events", "journal"]
        .iter()
        .map(|table| {
            database
                .execute(
                    &format!(
                        "UPDATE {table} SET event = replace(replace(event, '\"name\":\"Ada\"', '\"name\":\"A' || char(173) || 'da\"'), \
                         '\"facilitator_name\":\"Fran\"', '\"facilitator_name\":\"' || char(12644) || '\"') WHERE code = ?1"
                    ),
                    [code.as_str()],
                )
                .unwrap()
        })
        .sum();
    assert!(changed >= 2, "{changed} events rewritten");
    drop(database);

    let server = TestServer::with_data(on(data_dir)).await;
    let facilitator = TestClient::rejoin(&server, &code, &opened.token, None).await;
    assert_eq!(facilitator.names(), ["?", "Ada"]);
    let room = facilitator.room.as_ref().unwrap();
    assert_eq!(room.board.topics.len(), 1);
}

/// A database written before the journal (schema 1: events only in
/// `events`) is upgraded when opened and serves its meetups as they were.
#[tokio::test]
async fn a_database_from_before_the_journal_is_upgraded() {
    let (opened, code, data_dir) = fran_and_ada_with_a_topic_then_a_crash().await;
    // Back to schema 1, as an earlier moot left it.
    let database = rusqlite::Connection::open(data_dir.join(DATABASE_FILE)).unwrap();
    database
        .execute_batch(
            "INSERT OR IGNORE INTO events SELECT code, seq, at, participant, request_id, event FROM journal;
             DROP VIEW stored_events;
             DROP TABLE journal;
             PRAGMA user_version = 1;",
        )
        .unwrap();
    drop(database);
    // A backup of it (as `moot restore` checks one) is readable as it is.
    let backup = data_dir.join("schema-1-backup.sqlite3");
    let database = rusqlite::Connection::open(data_dir.join(DATABASE_FILE)).unwrap();
    database
        .execute("VACUUM INTO ?1", [backup.to_str().unwrap()])
        .unwrap();
    drop(database);
    let contents = moot_server::store::check(&backup).expect("a schema 1 backup checks");
    assert_eq!(contents.meetups, 1);
    assert!(contents.events >= 3, "{} events", contents.events);

    let server = TestServer::with_data(on(data_dir.clone())).await;
    let facilitator = TestClient::rejoin(&server, &code, &opened.token, None).await;
    assert_eq!(facilitator.names(), ["Fran", "Ada"]);
    assert_eq!(facilitator.room.as_ref().unwrap().board.topics.len(), 1);
    drop(facilitator);
    let data_dir = server.crash();
    let database = rusqlite::Connection::open(data_dir.join(DATABASE_FILE)).unwrap();
    let version: i64 = database
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .unwrap();
    assert_eq!(version, 2);
}
