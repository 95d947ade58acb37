//! Backups (issue 18, item 2): `moot backup` while clients write gives a
//! file that holds every action acknowledged before it began and that
//! `moot restore` accepts; a server started on the restored directory
//! serves the meetup. A restore is refused while a server holds the data
//! directory, and refuses what is not a moot database, changing nothing.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use moot_server::backup::{self, BackupError};
use moot_server::store::{DATABASE_FILE, StoreError};
use moot_server::{AppState, Config};
use moot_shared::Command;
use moot_shared::room::ReportedPresence;
use moot_tests::{PATIENCE, TestClient, TestServer, temp_data_dir};

fn on(data_dir: std::path::PathBuf) -> Config {
    Config {
        data_dir,
        ..Config::default()
    }
}

/// The files in a directory, by name.
fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// How often each phone acts: under the server's rate limit per connection.
const PACE: Duration = Duration::from_millis(125);

/// A phone that turns away and back again until told to stop, recording
/// the highest sequence number acknowledged to it.
fn keep_writing(
    mut phone: TestClient,
    acked: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
) -> tokio::task::JoinHandle<TestClient> {
    tokio::spawn(async move {
        let mut away = true;
        let mut pace = tokio::time::interval(PACE);
        while !stop.load(Ordering::Relaxed) {
            pace.tick().await;
            let presence = if away {
                ReportedPresence::Away
            } else {
                ReportedPresence::Here
            };
            let seq = phone.run(Command::SetPresence { presence }).await;
            acked.fetch_max(seq.0, Ordering::SeqCst);
            away = !away;
        }
        phone
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_clients_write_restores_every_acknowledged_action() {
    let server = TestServer::start().await;
    let opened = server.open_meetup("Guild", "Fran").await;
    let code = opened.join_code.to_string();
    let acked = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let mut writers = Vec::new();
    for name in ["Ada", "Grace", "Linus"] {
        let phone = TestClient::join(&server, &code, name).await;
        writers.push(keep_writing(phone, Arc::clone(&acked), Arc::clone(&stop)));
    }
    let backups = temp_data_dir();
    let mut last = None;
    // Several backups while the phones write: each holds at least what was
    // acknowledged when it began.
    let mut floor = 0;
    for round in 0..5 {
        // Something new since the last backup, so each one is taken amid writes.
        let deadline = tokio::time::Instant::now() + PATIENCE;
        while acked.load(Ordering::SeqCst) <= floor {
            assert!(tokio::time::Instant::now() < deadline, "the phones write");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        floor = acked.load(Ordering::SeqCst);
        let target = backups.join(format!("moot-{round}.sqlite3"));
        let data_dir = server.data_dir.clone();
        let copy = target.clone();
        let contents = tokio::task::spawn_blocking(move || backup::backup(&data_dir, &copy))
            .await
            .unwrap()
            .unwrap_or_else(|error| panic!("backup {round}: {error}"));
        assert_eq!(contents.meetups, 1);
        println!(
            "backup {round}: {} events, {floor} acknowledged before it",
            contents.events
        );
        // One event per sequence number, all in the one meetup.
        assert!(
            contents.events >= floor,
            "backup {round} holds {} events, {floor} were acknowledged before it",
            contents.events
        );
        last = Some((target, floor));
    }
    stop.store(true, Ordering::Relaxed);
    for writer in writers {
        writer.await.unwrap();
    }
    // Each backup is one file: no journal or write-ahead log beside it.
    assert_eq!(
        files_in(&backups),
        (0..5)
            .map(|round| format!("moot-{round}.sqlite3"))
            .collect::<Vec<_>>()
    );

    let (target, floor) = last.unwrap();
    let restored_dir = temp_data_dir();
    let restored = backup::restore(&restored_dir, &target).unwrap();
    assert_eq!(restored.contents.meetups, 1);
    assert!(restored.replaced.is_none(), "the directory was empty");
    let restored_server = TestServer::with_data(on(restored_dir)).await;
    let mut fran = TestClient::rejoin(&restored_server, &code, &opened.token, None).await;
    assert!(
        fran.seq.0 >= floor,
        "the restored meetup is at {}, {floor} was acknowledged before the backup",
        fran.seq.0
    );
    assert_eq!(fran.names(), ["Fran", "Ada", "Grace", "Linus"]);
    // And the meetup goes on from there.
    let next = fran.run(Command::Lock).await;
    assert!(next.0 > restored.contents.events);
}

#[tokio::test]
async fn a_restore_is_refused_while_a_server_holds_the_data_directory() {
    let server = TestServer::start().await;
    let opened = server.open_meetup("Guild", "Fran").await;
    let backups = temp_data_dir();
    let target = backups.join("before.sqlite3");
    backup::backup(&server.data_dir, &target).unwrap();
    let mut fran =
        TestClient::rejoin(&server, opened.join_code.as_str(), &opened.token, None).await;
    let after_backup = fran.run(Command::Lock).await;

    let error = backup::restore(&server.data_dir, &target).unwrap_err();
    assert!(
        matches!(error, BackupError::Store(StoreError::InUse { .. })),
        "{error}"
    );
    assert!(error.to_string().contains("in use"), "{error}");
    // A second server on the same directory is refused too.
    let second = AppState::open(on(server.data_dir.clone()))
        .err()
        .expect("refused");
    assert!(matches!(second, StoreError::InUse { .. }), "{second}");
    // The running server never noticed.
    assert!(fran.run(Command::Unlock).await > after_backup);
    drop(fran);

    // Stopped, the restore goes through and keeps what it replaced.
    let data_dir = server.crash();
    let restored = backup::restore(&data_dir, &target).unwrap();
    let replaced = restored.replaced.expect("the database it replaced");
    assert!(replaced.starts_with(&data_dir));
    assert!(
        replaced
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("moot.sqlite3.before-restore-")
    );
    let server = TestServer::with_data(on(data_dir)).await;
    let fran = TestClient::rejoin(&server, opened.join_code.as_str(), &opened.token, None).await;
    // Back to before the lock. (Its sequence numbers are reused: the
    // restarted server's own bookkeeping of who is connected, and the
    // facilitator fallback it schedules, follow the backup's last event.)
    assert!(!fran.room.unwrap().locked, "back to before the lock");
}

#[tokio::test]
async fn a_restore_refuses_what_is_not_a_moot_database_and_changes_nothing() {
    let server = TestServer::start().await;
    server.open_meetup("Guild", "Fran").await;
    let data_dir = server.crash();
    let database = std::fs::read(data_dir.join(DATABASE_FILE)).unwrap();
    let files = files_in(&data_dir);
    let elsewhere = temp_data_dir();

    let notes = elsewhere.join("notes.txt");
    std::fs::write(&notes, "these are my meeting notes").unwrap();
    let other = elsewhere.join("recipes.sqlite3");
    let recipes = rusqlite::Connection::open(&other).unwrap();
    recipes
        .execute_batch("CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES ('bread');")
        .unwrap();
    drop(recipes);
    for source in [&notes, &other] {
        let error = backup::restore(&data_dir, source).unwrap_err();
        assert!(
            matches!(&error, BackupError::NotMoot { path } if path == source),
            "{error}"
        );
    }

    // A moot backup with a meetup that cannot be read back.
    let damaged = elsewhere.join("damaged.sqlite3");
    backup::backup(&data_dir, &damaged).unwrap();
    let connection = rusqlite::Connection::open(&damaged).unwrap();
    connection
        .execute(
            "UPDATE events SET event = '{\"type\":\"no_such_event\"}'",
            [],
        )
        .unwrap();
    drop(connection);
    let error = backup::restore(&data_dir, &damaged).unwrap_err();
    assert!(
        matches!(error, BackupError::Store(StoreError::Unreadable { .. })),
        "{error}"
    );
    let missing = elsewhere.join("missing.sqlite3");
    assert!(matches!(
        backup::restore(&data_dir, &missing).unwrap_err(),
        BackupError::NoDatabase { .. }
    ));

    // Nothing changed, and nothing was left behind.
    assert_eq!(
        std::fs::read(data_dir.join(DATABASE_FILE)).unwrap(),
        database
    );
    assert_eq!(files_in(&data_dir), files);
}

#[tokio::test]
async fn a_backup_never_overwrites_a_file() {
    let server = TestServer::start().await;
    server.open_meetup("Guild", "Fran").await;
    let target = temp_data_dir().join("keep.txt");
    std::fs::write(&target, "keep me").unwrap();
    let error = backup::backup(&server.data_dir, &target).unwrap_err();
    assert!(matches!(error, BackupError::TargetExists { .. }), "{error}");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep me");
    let empty = temp_data_dir();
    assert!(matches!(
        backup::backup(&empty, &empty.join("backup.sqlite3")).unwrap_err(),
        BackupError::NoDatabase { .. }
    ));
    let nowhere = empty.join("no-such-dir").join("backup.sqlite3");
    let error = backup::backup(&server.data_dir, &nowhere).unwrap_err();
    assert!(
        matches!(&error, BackupError::Io { path, .. } if path == &empty.join("no-such-dir")),
        "{error}"
    );
}
