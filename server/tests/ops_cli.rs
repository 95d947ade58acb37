//! The operator's commands on the real `moot` binary, across processes
//! (issue 18): `--metrics-bind` serves `/metrics` on its own port, `moot
//! backup` copies the database of a running server, `moot restore` is
//! refused while that server holds the data directory (its lock is held by
//! another process here, not by the same one as in the integration tests)
//! and, once it is stopped with `kill -9`, puts the backup back.

use std::net::SocketAddr;
use std::path::Path;
use std::process::{Output, Stdio};
use std::time::Duration;

use moot_shared::Command;
use moot_tests::load::wait_healthy;
use moot_tests::process::{KillOnDrop, free_port};
use moot_tests::{External, TestClient, http, open_meetup, temp_data_dir};

async fn start(data_dir: &Path, metrics: Option<SocketAddr>) -> (KillOnDrop, External) {
    let port = free_port();
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_moot"));
    command
        .args(["--bind", "127.0.0.1", "--port", &port.to_string()])
        .args(["--log", "warn"])
        .arg("--data-dir")
        .arg(data_dir)
        .stdout(Stdio::null());
    if let Some(metrics) = metrics {
        command.args(["--metrics-bind", &metrics.to_string()]);
    }
    let child = command.spawn().expect("the moot binary starts");
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    wait_healthy(addr, Duration::from_secs(30))
        .await
        .expect("moot answers /healthz");
    (KillOnDrop(child), External { addr })
}

/// Runs `moot ARGS --data-dir DATA_DIR` to completion.
fn moot(args: &[&str], data_dir: &Path) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_moot"))
        .args(args)
        .arg("--data-dir")
        .arg(data_dir)
        .env("RUST_BACKTRACE", "0")
        .output()
        .expect("the moot binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test]
async fn metrics_backup_and_restore_from_the_command_line() {
    let data_dir = temp_data_dir();
    let metrics = SocketAddr::from(([127, 0, 0, 1], free_port()));
    let (server, moot_at) = start(&data_dir, Some(metrics)).await;
    let opened = open_meetup(&moot_at, "Guild", "Fran").await;
    let code = opened.join_code.to_string();
    let mut fran = TestClient::rejoin(&moot_at, &code, &opened.token, None).await;
    fran.run(Command::Lock).await;

    let scrape = http::request(metrics, "GET", "/metrics", &[], "")
        .await
        .unwrap();
    assert_eq!(scrape.status, 200);
    assert!(
        scrape
            .body
            .contains("\nmoot_commands_total{command=\"lock\"} 1\n"),
        "{}",
        scrape.body
    );
    let public = http::request(moot_at.addr, "GET", "/metrics", &[], "")
        .await
        .unwrap();
    assert_eq!(public.status, 404);

    let target = temp_data_dir().join("backup.sqlite3");
    let target_arg = target.to_str().unwrap();
    let backed_up = moot(&["backup", target_arg], &data_dir);
    assert!(backed_up.status.success(), "{}", text(&backed_up.stderr));
    assert_eq!(
        text(&backed_up.stdout),
        format!("backed up 1 meetups (3 events) to {target_arg}\n")
    );

    let refused = moot(&["restore", target_arg], &data_dir);
    assert!(!refused.status.success());
    assert!(
        text(&refused.stderr).contains("is in use by another moot"),
        "{}",
        text(&refused.stderr)
    );
    fran.run(Command::Unlock).await;
    drop(fran);
    // kill -9: the kernel releases the lock with the process.
    drop(server);

    let restored = moot(&["restore", target_arg], &data_dir);
    assert!(restored.status.success(), "{}", text(&restored.stderr));
    assert!(
        text(&restored.stdout).starts_with("restored 1 meetups (3 events) from "),
        "{}",
        text(&restored.stdout)
    );
    let (_server, moot_at) = start(&data_dir, None).await;
    let fran = TestClient::rejoin(&moot_at, &code, &opened.token, None).await;
    assert!(
        fran.room.unwrap().locked,
        "as at the backup: locked, not yet unlocked"
    );
}

/// An unreachable shared database stops `moot` at start, with an error
/// that names the database (but not its password) and a non-zero exit.
#[test]
fn an_unreachable_database_stops_moot_naming_it() {
    let port = free_port();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_moot"))
        .args(["--bind", "127.0.0.1", "--port", &free_port().to_string()])
        .args([
            "--store",
            &format!("postgres://moot:hunter2@127.0.0.1:{port}/meetups"),
        ])
        .arg("--data-dir")
        .arg(temp_data_dir())
        .stdin(Stdio::null())
        .output()
        .expect("moot runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{stderr}");
    assert!(
        stderr.contains(&format!("moot@127.0.0.1:{port}/meetups")),
        "{stderr}"
    );
    assert!(!stderr.contains("hunter2"), "{stderr}");
}
