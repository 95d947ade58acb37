//! A smoke run of the load generator: a few meetups for a few seconds. It
//! asserts exactness (nothing lost, nothing doubled, every action's event
//! reached every member), never timing: speed is for BENCHMARKS.md.

use std::time::Duration;

use moot_server::Config;
use moot_tests::TestServer;
use moot_tests::load::{self, LoadConfig};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_load_generator_loses_nothing() {
    let server = TestServer::with_metrics(Config {
        openings_per_minute: 1000,
        ..Config::default()
    })
    .await;
    let report = load::run(LoadConfig {
        server: server.addr,
        rooms: 4,
        participants: 8,
        connect_rate: 500,
        idle: Duration::from_millis(200),
        action_interval: Duration::from_millis(100),
        duration: Duration::from_secs(2),
        source_addresses: 2,
        // The server runs in this process: its threads are read here.
        server_pid: Some(std::process::id()),
        metrics: server.metrics_addr,
    })
    .await
    .expect("the load runs");
    println!("{report}");
    assert_eq!(report.connected, 32);
    // Every welcomed connection's join was timed once, and the join
    // timeline accounts for each.
    assert_eq!(report.meetups, 4);
    assert_eq!(report.join.samples, 32);
    assert!(report.join.max >= report.join.p50 && report.join.p50 > 0);
    let joins_by_second: usize = report
        .join_timeline
        .iter()
        .map(|second| second.latency.samples)
        .sum();
    assert_eq!(joins_by_second, 32);
    assert!(report.connect_seconds > 0.0);
    assert_eq!(
        (report.connect_failures, report.dropped, report.rejected),
        (0, 0, 0)
    );
    assert_eq!((report.lost, report.duplicated), (0, 0));
    assert!(report.actions >= 40, "{} actions", report.actions);
    assert_eq!(report.acked, report.actions);
    assert_eq!(
        report.latency.samples as u64,
        report.actions * 8,
        "every action's event reached all 8 members"
    );
    // Room-complete latency: one sample per action, the slowest of its 8;
    // so the slowest of all is the same under both measures. The timeline
    // accounts for every action once.
    assert_eq!(report.room_complete.samples as u64, report.actions);
    assert_eq!(report.room_complete.max, report.latency.max);
    let per_second: usize = report
        .timeline
        .iter()
        .map(|second| second.latency.samples)
        .sum();
    assert_eq!(per_second as u64, report.actions);
    // The server's store committed every action (batches hold several).
    let commits = report
        .store_commits
        .as_ref()
        .expect("read from the metrics");
    assert!(
        (1..=report.actions).contains(&commits.count),
        "{} commits for {} actions",
        commits.count,
        report.actions
    );
    assert!(commits.slowest_at_most_ms >= commits.p99_at_most_ms);
    // Read every second as well: those seconds lie within the whole.
    assert!(!report.commit_timeline.is_empty());
    let by_second: u64 = report
        .commit_timeline
        .iter()
        .map(|second| second.count)
        .sum();
    assert!(
        (1..=commits.count).contains(&by_second),
        "{by_second} commits by second, {} in all",
        commits.count
    );
    // At `--sync full` the log is synced beside the commits: at least once
    // (actions were stored), at most once per commit (one sync covers every
    // commit before it), and each second's syncs lie within the whole.
    let syncs = report.store_syncs.as_ref().expect("read from the metrics");
    assert!(
        (1..=commits.count).contains(&syncs.count),
        "{} syncs for {} commits",
        syncs.count,
        commits.count
    );
    let synced_by_second: u64 = report.sync_timeline.iter().map(|second| second.count).sum();
    assert!((1..=syncs.count).contains(&synced_by_second));
    // The server's part of the actions, arrival to frames queued: at most
    // one per action (one that changed nothing is answered without being
    // stored, and not timed), and a part of each action's latency, so its
    // percentiles lie at or under room-complete's. A bucket holds what is
    // over half its bound, hence the halves.
    let commands = report
        .server_commands
        .as_ref()
        .expect("read from the metrics");
    assert!(
        (1..=report.actions).contains(&commands.count),
        "{} timed commands for {} actions",
        commands.count,
        report.actions
    );
    let complete_ms = |micros: u64| micros as f64 / 1000.0;
    assert!(
        commands.p50_at_most_ms / 2.0 <= complete_ms(report.room_complete.p50),
        "{commands:?} against {:?}",
        report.room_complete
    );
    assert!(
        commands.slowest_at_most_ms / 2.0 <= complete_ms(report.room_complete.max),
        "{commands:?} against {:?}",
        report.room_complete
    );
    let commands_by_second: u64 = report
        .command_timeline
        .iter()
        .map(|second| second.count)
        .sum();
    assert!((1..=commands.count).contains(&commands_by_second));
    // The server's threads by name, busiest first: tokio's two workers
    // (this test's runtime, which the server shares) ran.
    let threads = &report.server_threads;
    let workers = threads
        .iter()
        .find(|thread| thread.name == "tokio-rt-worker")
        .unwrap_or_else(|| panic!("no workers among {threads:?}"));
    assert!(workers.threads >= 2 && workers.ran > 0.0, "{workers:?}");
    assert!(workers.scheduled_per_second > 0.0 && workers.waited >= 0.0);
    assert!(threads.windows(2).all(|pair| pair[0].ran >= pair[1].ran));
    // The whole machine's CPU during the actions: shares of its time, the
    // network stack's and the hypervisor's within the busy part.
    let machine = report.machine.as_ref().expect("read from /proc/stat");
    assert!(machine.busy > 0.0 && machine.busy <= 1.0, "{machine:?}");
    assert!(
        machine.softirq + machine.steal <= machine.busy + 1e-9,
        "{machine:?}"
    );
    // And second by second, beside the latency timeline: a share for each
    // second read, and those seconds are the action phase's.
    assert!(!report.machine_timeline.is_empty());
    // (The phase ends once the last events are in, a moment after the last
    // action is sent.)
    assert!(
        report.machine_timeline.len() <= report.timeline.len() + 2,
        "{} seconds read, {} of sending",
        report.machine_timeline.len(),
        report.timeline.len()
    );
    for second in report.machine_timeline.iter().flatten() {
        assert!((0.0..=1.0).contains(&second.busy), "{second:?}");
        assert!(second.steal <= second.busy + 1e-9, "{second:?}");
    }
    // The mix is the realistic one: queue, board, poll and timer actions.
    for kind in [
        "raise_hand",
        "next_speaker",
        "propose_topic",
        "place_dot",
        "cast_vote",
        "start_timer",
    ] {
        assert!(
            report.mix.get(kind).is_some_and(|count| *count > 0),
            "no {kind} in {:?}",
            report.mix
        );
    }
}
