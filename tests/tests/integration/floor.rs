//! The floor (`moot-floor`), which BENCHMARKS.md measures moot against:
//! the load generator runs against it as against moot, and it must be
//! exact too, or its figures would flatter it. In the modes with a log
//! every event shown is in it.

use std::time::Duration;

use moot_tests::floor::{self, Mode};
use moot_tests::load::{self, LoadConfig};
use tokio::net::TcpListener;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_floor_relays_every_action_to_every_member_once_in_order() {
    for mode in [Mode::Relay, Mode::Durable, Mode::Inline] {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let server = listener.local_addr().unwrap();
        let data_dir =
            std::env::temp_dir().join(format!("moot-floor-{}", uuid::Uuid::new_v4().simple()));
        let serving = tokio::spawn({
            let data_dir = data_dir.clone();
            async move { floor::serve(listener, mode, false, &data_dir).await }
        });
        load::wait_healthy(server, Duration::from_secs(10))
            .await
            .unwrap();
        let report = load::run(LoadConfig {
            server,
            rooms: 3,
            participants: 8,
            connect_rate: 500,
            idle: Duration::from_millis(200),
            action_interval: Duration::from_millis(100),
            duration: Duration::from_secs(1),
            source_addresses: 2,
            server_pid: None,
            metrics: None,
        })
        .await
        .expect("the load runs");
        assert_eq!(report.connected, 24, "{mode:?}");
        assert_eq!(
            (report.connect_failures, report.dropped, report.rejected),
            (0, 0, 0),
            "{mode:?}"
        );
        assert_eq!((report.lost, report.duplicated), (0, 0), "{mode:?}");
        assert!(report.actions >= 15, "{mode:?}: {} actions", report.actions);
        assert_eq!(report.acked, report.actions, "{mode:?}");
        assert_eq!(
            report.latency.samples as u64,
            report.actions * 8,
            "{mode:?}: every action's event reached all 8 members"
        );
        assert_eq!(report.room_complete.samples as u64, report.actions);
        if mode != Mode::Relay {
            // Each room's facilitator also sent its two setup commands.
            let log = std::fs::read(data_dir.join("floor.log")).unwrap();
            let logged = log
                .windows(b"{\"type\":\"event\"".len())
                .filter(|window| window == b"{\"type\":\"event\"")
                .count() as u64;
            assert_eq!(logged, report.actions + 3 * 2, "every event in the log");
        }
        serving.abort();
        let _ = std::fs::remove_dir_all(&data_dir);
    }
}
