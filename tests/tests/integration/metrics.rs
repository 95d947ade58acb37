//! Prometheus metrics (issue 18, item 1): a small meetup moves the counters
//! it should, the scrape is valid Prometheus text, and `/metrics` is only
//! on the metrics listener, never on the public address.

use std::collections::HashMap;
use std::net::SocketAddr;

use moot_server::Config;
use moot_shared::json::Variants;
use moot_shared::protocol::HelloAuth;
use moot_shared::{Command, Rejection};
use moot_tests::{PATIENCE, TestClient, TestServer, http};
use prometheus_parse::{LineInfo, Scrape, Value};

/// One scrape, checked line by line and parsed.
struct Metrics {
    /// `name{label="value",…}` (labels sorted) → value.
    values: HashMap<String, f64>,
    /// Histogram name (no labels) → observations.
    histogram_counts: HashMap<String, f64>,
}

impl Metrics {
    fn get(&self, series: &str) -> f64 {
        *self
            .values
            .get(series)
            .unwrap_or_else(|| panic!("no {series} in the scrape"))
    }
}

async fn scrape(addr: SocketAddr) -> Metrics {
    let response = http::request(addr, "GET", "/metrics", &[], "")
        .await
        .expect("the metrics listener answers");
    assert_eq!(response.status, 200, "{}", response.body);
    assert_eq!(
        response.header("content-type"),
        Some("text/plain; version=0.0.4; charset=utf-8")
    );
    parse(&response.body)
}

/// Parses the Prometheus text format with `prometheus-parse`, after
/// checking what that lenient parser would skip in silence: every line is
/// a `HELP`, a `TYPE` or a sample, and every sample belongs to the family
/// its `TYPE` line declared (a histogram's `_bucket`, `_sum` and `_count`).
fn parse(text: &str) -> Metrics {
    assert!(text.ends_with('\n'), "the text ends with a newline");
    let mut family: Option<(String, String)> = None;
    for line in text.lines() {
        match LineInfo::parse(line) {
            LineInfo::Doc { .. } => {}
            LineInfo::Type {
                metric_name,
                metric_alias,
                sample_type,
            } => {
                let name = metric_alias.unwrap_or(metric_name);
                family = Some((name, format!("{sample_type:?}")));
            }
            LineInfo::Sample {
                metric_name, value, ..
            } => {
                let (name, kind) = family.as_ref().expect("a TYPE line before samples");
                let belongs = if kind == "Histogram" {
                    ["_bucket", "_sum", "_count"]
                        .iter()
                        .any(|suffix| metric_name == format!("{name}{suffix}"))
                } else {
                    metric_name == name
                };
                assert!(belongs, "{line:?} outside its family {name}");
                assert!(value.parse::<f64>().is_ok(), "{line:?}: not a number");
            }
            LineInfo::Empty | LineInfo::Ignored => panic!("not Prometheus text: {line:?}"),
        }
    }
    let scrape = Scrape::parse(text.lines().map(|line| Ok(line.to_owned()))).unwrap();
    let mut values = HashMap::new();
    let mut histogram_counts = HashMap::new();
    for sample in scrape.samples {
        let mut labels: Vec<String> = sample
            .labels
            .iter()
            .map(|(name, value)| format!("{name}=\"{value}\""))
            .collect();
        labels.sort();
        let series = if labels.is_empty() {
            sample.metric.clone()
        } else {
            format!("{}{{{}}}", sample.metric, labels.join(","))
        };
        let value = match sample.value {
            Value::Counter(value) | Value::Gauge(value) | Value::Untyped(value) => value,
            Value::Histogram(buckets) => {
                let inf = buckets
                    .iter()
                    .find(|bucket| bucket.less_than.is_infinite())
                    .expect("a +Inf bucket");
                histogram_counts.insert(sample.metric.clone(), inf.count);
                continue;
            }
            Value::Summary(_) => panic!("moot exports no summaries"),
        };
        assert!(
            values.insert(series.clone(), value).is_none(),
            "{series} twice"
        );
    }
    Metrics {
        values,
        histogram_counts,
    }
}

/// Scrapes until `condition` holds: gauges of connections move when the
/// server has noticed a close, a moment after the client's.
async fn scrape_until(addr: SocketAddr, what: &str, condition: impl Fn(&Metrics) -> bool) {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        if condition(&scrape(addr).await) {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

fn series(name: &str, label: &str, value: &str) -> String {
    format!("{name}{{{label}=\"{value}\"}}")
}

#[tokio::test]
async fn a_small_meetup_moves_the_counters_and_the_scrape_parses() {
    let server = TestServer::with_metrics(Config::default()).await;
    let metrics = server.metrics_addr.expect("metrics are on");
    let before = scrape(metrics).await;
    assert_eq!(before.get("moot_meetups"), 0.0);
    assert_eq!(before.get("moot_meetups_max"), 10_000.0);
    // Every label value is there from the start, at zero.
    for name in Command::ALL_NAMES {
        assert_eq!(
            before.get(&series("moot_commands_total", "command", name)),
            0.0
        );
    }

    let opened = server.open_meetup("Guild", "Fran").await;
    let code = opened.join_code.to_string();
    let mut fran = TestClient::rejoin(&server, &code, &opened.token, None).await;
    let mut ada = TestClient::join(&server, &code, "Ada").await;
    let screen = TestClient::screen(&server, &code, &opened.screen_url).await;
    fran.run(Command::Lock).await;
    fran.run(Command::Unlock).await;
    // Only the facilitator locks the meetup.
    let request = ada.command(Command::Lock).await;
    let refused = ada.answer(&request).await.unwrap_err();
    // A phone that lost its connection comes back and is caught up from memory.
    let saved = ada.drop_connection().await;
    let ada = TestClient::resume(&server, &code, saved).await;
    // A guessed code is refused at the handshake.
    let mut guess = TestClient::hello(
        &server,
        "ABCDEFGH",
        HelloAuth::Join {
            name: "Eve".to_owned(),
        },
        None,
    )
    .await
    .unwrap();
    assert_eq!(
        guess.closed().await.refused,
        Some(Rejection::UnknownJoinCode)
    );

    let connections = |metrics: &Metrics| {
        (
            metrics.get(&series("moot_connections", "role", "participant")),
            metrics.get(&series("moot_connections", "role", "screen")),
        )
    };
    // Fran and Ada (her first connection has closed by now), and the screen.
    scrape_until(metrics, "two participants and a screen", |metrics| {
        connections(metrics) == (2.0, 1.0)
    })
    .await;
    let after = scrape(metrics).await;
    assert_eq!(after.get("moot_meetups"), 1.0);
    let command = |name: &str| after.get(&series("moot_commands_total", "command", name));
    assert_eq!(command("lock"), 2.0, "Fran's and Ada's");
    assert_eq!(command("unlock"), 1.0);
    // Server-made commands are counted by their names too.
    assert_eq!(command("join"), 1.0);
    assert_eq!(command("rejoin"), 2.0, "Fran's, and Ada's resume");
    let event = |name: &str| after.get(&series("moot_events_total", "event", name));
    assert_eq!(event("meetup_opened"), 1.0);
    assert_eq!(event("participant_joined"), 1.0);
    let rejection = |reason: &Rejection| {
        after.get(&series(
            "moot_rejections_total",
            "reason",
            reason.variant_name(),
        ))
    };
    assert_eq!(rejection(&refused), 1.0, "{refused:?}");
    assert_eq!(rejection(&Rejection::UnknownJoinCode), 1.0);
    let welcomes = |kind: &str| after.get(&series("moot_welcomes_total", "catch_up", kind));
    assert_eq!(welcomes("replay"), 1.0, "Ada's resume");
    assert_eq!(welcomes("snapshot"), 3.0, "Fran, Ada and the screen");
    assert_eq!(welcomes("resume_snapshot"), 0.0);
    assert_eq!(after.get("moot_send_queue_drops_total"), 0.0);
    // Every event was committed before it was sent: at least one batch.
    let commits = after.histogram_counts["moot_store_commit_seconds"];
    assert!(commits >= 1.0, "{commits} commits");
    assert!(after.get("moot_store_commit_seconds_count") >= 1.0);
    // At `--sync full` the log was synced beside them: at least once, at
    // most once per commit.
    let syncs = after.histogram_counts["moot_store_sync_seconds"];
    assert!(
        (1.0..=commits).contains(&syncs),
        "{syncs} syncs, {commits} commits"
    );
    // Fran's lock and unlock changed the room and were timed from arrival to
    // their frames queued; Ada's refused lock and the server's own joins
    // were not. (Counted just after the frames are queued, so waited for.)
    scrape_until(metrics, "two timed commands", |metrics| {
        metrics.histogram_counts.get("moot_command_seconds") == Some(&2.0)
    })
    .await;
    assert!(after.get("process_resident_memory_bytes") > 1_000_000.0);
    assert!(after.get("process_open_fds") > 0.0);
    assert!(after.get("process_cpu_seconds_total") >= 0.0);
    assert_eq!(
        after.get(&series(
            "moot_build_info",
            "version",
            env!("CARGO_PKG_VERSION")
        )),
        1.0
    );

    drop((fran, ada, screen));
    scrape_until(metrics, "everyone gone", |metrics| {
        connections(metrics) == (0.0, 0.0)
    })
    .await;
}

#[tokio::test]
async fn metrics_are_not_served_on_the_public_address() {
    let server = TestServer::with_metrics(Config::default()).await;
    let response = http::request(server.addr, "GET", "/metrics", &[], "")
        .await
        .unwrap();
    assert_eq!(response.status, 404);
    assert!(!response.body.contains("moot_"), "{}", response.body);
    // And a server started without them has no metrics listener at all.
    assert!(TestServer::start().await.metrics_addr.is_none());
}
