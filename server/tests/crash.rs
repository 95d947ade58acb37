//! The crash tests: the real `moot` binary, real WebSocket clients acting
//! at once in several meetups, the process ended in the middle of it all
//! (`kill -9`, or SIGTERM for a clean shutdown), then a restart on the same
//! data directory. Every acknowledged action must be there afterwards, every
//! client must resume, and sequence numbers must continue without a gap or
//! a repeat.
//!
//! The clients (issue 7) raise and withdraw hands, call speakers, propose
//! topics, place and take back dots, change their votes in an open poll,
//! start and reset timers and rename themselves, each choosing from the room
//! it has folded, so that every command is valid and produces events.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, ExitStatus, Stdio};
use std::time::Duration;

use moot_server::http::OpenedMeetupResponse;
use moot_shared::Command;
use moot_shared::protocol::{ServerMessage, close_code};
use moot_shared::room::poll::{PollKind, PollSetup, Secrecy};
use moot_shared::room::queue::EntryKind;
use moot_shared::room::timer::TimerRun;
use moot_shared::{ParticipantId, Room, Seq};
use moot_tests::load::wait_healthy;
use moot_tests::{External, Saved, TestClient, open_meetup, resend, temp_data_dir, text};
use serde_json::{Value, json};

/// The server process, killed on drop.
struct Moot(Child);

impl Moot {
    /// Asks the server to stop (SIGTERM, as `systemctl stop` or `docker
    /// stop` would) and waits until it has.
    async fn terminate(mut self) -> ExitStatus {
        let pid = self.0.id().to_string();
        let sent = std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("kill runs");
        assert!(sent.success(), "SIGTERM reaches moot");
        tokio::task::spawn_blocking(move || self.0.wait().expect("moot can be waited for"))
            .await
            .expect("the wait completes")
    }
}

impl Drop for Moot {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn start(data_dir: &Path) -> (Moot, External) {
    start_logging(data_dir, None).await
}

/// Starts moot on `data_dir`; with a `log` file, at the default log level
/// with everything it prints (standard output and error) written there.
async fn start_logging(data_dir: &Path, log: Option<&Path>) -> (Moot, External) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_moot"));
    command
        .args([
            "--bind",
            "127.0.0.1",
            "--port",
            &port.to_string(),
            "--openings-per-minute",
            "1000",
        ])
        .arg("--data-dir")
        .arg(data_dir);
    match log {
        Some(log) => {
            let file = std::fs::File::create(log).expect("the log file can be made");
            command
                .args(["--log", "info"])
                .env("NO_COLOR", "1")
                .stdout(file.try_clone().expect("the log file can be shared"))
                .stderr(file);
        }
        None => {
            command.args(["--log", "warn"]).stdout(Stdio::null());
        }
    }
    let child = command.spawn().expect("the moot binary starts");
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    wait_healthy(addr, Duration::from_secs(30))
        .await
        .expect("moot answers /healthz");
    (Moot(child), External { addr })
}

/// How often each client acts: about eight commands a second, under the
/// server's limit of ten per connection, so that no command is `rate_limited`.
const PACE: Duration = Duration::from_millis(125);

/// Topics each client proposes; then it only places and takes back dots.
const TOPICS_EACH: usize = 2;

/// What a client does, in turn; each step is skipped while it would not be
/// valid in the room as the client sees it, so every command produces events.
#[derive(Clone, Copy, Debug)]
enum Step {
    /// Rename to a fresh name.
    Rename,
    /// Raise a clarifying question, which only the facilitator's "next"
    /// takes out of the queue.
    Clarify,
    /// Raise a new point, or withdraw it again; nobody else touches it,
    /// because clarifying questions always come first.
    NewPoint,
    /// Call the next speaker (facilitators).
    CallNext,
    /// Start a long timer, or reset it (facilitators).
    Timer,
    /// Propose a topic, up to [`TOPICS_EACH`].
    Topic,
    /// Place a dot, or take one back.
    Dot,
    /// Vote in the open poll, with a different choice each time.
    Vote,
}

/// The facilitators' round of steps: they run the queue and the timer.
const FACILITATOR_STEPS: &[Step] = &[
    Step::CallNext,
    Step::Timer,
    Step::Rename,
    Step::Dot,
    Step::CallNext,
    Step::Timer,
    Step::Vote,
    Step::Topic,
];

/// Everyone else's round; dots come up twice, as there is a budget to move.
const PARTICIPANT_STEPS: &[Step] = &[
    Step::Clarify,
    Step::Rename,
    Step::NewPoint,
    Step::Topic,
    Step::Dot,
    Step::Vote,
    Step::Dot,
];

/// An acknowledged action. Its command's last event is the one at `seq`
/// (the ack carries the sequence number after the command), stored with the
/// command's request id, and has the fields in `expected`.
struct Acked {
    number: u64,
    request_id: String,
    command: Command,
    seq: Seq,
    expected: Value,
}

/// The command for `step` and the fields of the last event it must produce,
/// or `None` when the step would not be valid now.
///
/// Each choice relies only on what the client's own room tells it reliably:
/// its own entries, dots, topics and ballot change only by its own commands
/// (whose events it has folded before their ack), and each meetup's turns and
/// timer only by its one facilitator.
fn plan(
    room: &Room,
    me: ParticipantId,
    index: usize,
    number: u64,
    step: Step,
) -> Option<(Command, Value)> {
    let queue = &room.queue;
    let board = &room.board;
    let my_entry = |kind: EntryKind| {
        queue
            .entries
            .iter()
            .find(|entry| entry.participant == me && entry.kind == kind)
    };
    match step {
        Step::Rename => {
            let name = format!("C{index} #{number}");
            let expected =
                json!({ "type": "participant_renamed", "participant": me, "name": name });
            Some((Command::Rename { name: text(&name) }, expected))
        }
        Step::Clarify => {
            if my_entry(EntryKind::Clarifying).is_some() {
                return None;
            }
            let expected =
                json!({ "type": "hand_raised", "participant": me, "kind": EntryKind::Clarifying });
            Some((
                Command::RaiseHand {
                    kind: EntryKind::Clarifying,
                    note: None,
                },
                expected,
            ))
        }
        Step::NewPoint => Some(match my_entry(EntryKind::NewPoint) {
            Some(entry) => (
                Command::WithdrawEntry { entry: entry.id },
                json!({ "type": "entry_withdrawn", "entry": entry.id }),
            ),
            None => (
                Command::RaiseHand {
                    kind: EntryKind::NewPoint,
                    note: None,
                },
                json!({ "type": "hand_raised", "participant": me, "kind": EntryKind::NewPoint }),
            ),
        }),
        Step::CallNext => {
            // A clarifying question seen here is still waiting (only this
            // facilitator calls them), and it goes before any new point, so
            // the floor goes to a clarifying question: `turn_ended` (when
            // someone had the floor), then `floor_given` for the next turn.
            if !queue
                .entries
                .iter()
                .any(|entry| entry.kind == EntryKind::Clarifying)
            {
                return None;
            }
            let expected = json!({ "type": "floor_given", "turn": queue.last_turn.0 + 1 });
            Some((
                Command::NextSpeaker {
                    turn: queue.speaker.as_ref().map(|speaker| speaker.turn),
                },
                expected,
            ))
        }
        Step::Timer => Some(match room.timer.run {
            TimerRun::Running { .. } => (Command::ResetTimer, json!({ "type": "timer_reset" })),
            _ => (
                Command::StartTimer { duration_secs: 600 },
                json!({ "type": "timer_started", "duration_ms": 600_000 }),
            ),
        }),
        Step::Topic => {
            let mine = board
                .topics
                .iter()
                .filter(|topic| topic.author == me)
                .count();
            if mine >= TOPICS_EACH {
                return None;
            }
            let title = format!("C{index} topic {}", mine + 1);
            let expected = json!({ "type": "topic_proposed", "author": me, "title": title });
            Some((
                Command::ProposeTopic {
                    title: text(&title),
                    details: None,
                },
                expected,
            ))
        }
        Step::Dot => {
            // Place a dot on even numbers and take one back on odd ones,
            // spread over the topics, as far as the budget allows. Every
            // topic stays in "to discuss": nobody starts or parks one here.
            let topics = &board.topics;
            let used = board.dots_used(me);
            let place = board.dots_left(me) > 0 && (used == 0 || number.is_multiple_of(2));
            let (topic, count, command) = if place {
                let cap = board.settings.per_topic_cap();
                let start = number as usize % topics.len().max(1);
                let topic = topics
                    .iter()
                    .cycle()
                    .skip(start)
                    .take(topics.len())
                    .find(|topic| topic.dots_of(me) < cap)?;
                let count = topic.dots_of(me) + 1;
                (topic.id, count, Command::PlaceDot { topic: topic.id })
            } else {
                let topic = topics.iter().find(|topic| topic.dots_of(me) > 0)?;
                let count = topic.dots_of(me) - 1;
                (topic.id, count, Command::TakeBackDot { topic: topic.id })
            };
            let expected = json!({
                "type": "dots_changed",
                "participant": me,
                "topic": topic,
                "count": count,
            });
            Some((command, expected))
        }
        Step::Vote => {
            let poll = room.polls.current().filter(|poll| poll.is_open())?;
            let choice = poll
                .my_ballot(me)
                .and_then(|ballot| ballot.choice)
                .map_or(0, |choice| (usize::from(choice) + 1) % poll.option_count());
            let choice = u8::try_from(choice).expect("a poll has at most 8 options");
            let expected = json!({
                "type": "vote_cast",
                "poll": poll.id,
                "ballot": { "voter": me, "choice": choice },
            });
            Some((
                Command::CastVote {
                    poll: poll.id,
                    choice,
                    reason: None,
                },
                expected,
            ))
        }
    }
}

/// The step due now for client `index`, or the next one that is valid (a
/// rename always is): its command and what its last event must hold. The
/// first client of each meetup is its facilitator.
fn next_action(client: &TestClient, index: usize, number: u64, meetups: usize) -> (Command, Value) {
    let steps = if index < meetups {
        FACILITATOR_STEPS
    } else {
        PARTICIPANT_STEPS
    };
    let room = client
        .room
        .as_ref()
        .expect("a welcomed client has the room");
    let me = client.me.expect("a participant knows who they are");
    (0..steps.len())
        .find_map(|offset| {
            let step = steps[(number as usize + offset) % steps.len()];
            plan(room, me, index, number, step)
        })
        .expect("renaming is always possible")
}

/// Acts in the meetup, one step after another at [`PACE`], until the server
/// goes away; returns every acknowledged action and what the client keeps.
async fn keep_acting(mut client: TestClient, index: usize, meetups: usize) -> (Vec<Acked>, Saved) {
    let mut pace = tokio::time::interval(PACE);
    pace.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut acked = Vec::new();
    for number in 1.. {
        pace.tick().await;
        let (command, expected) = next_action(&client, index, number, meetups);
        let request_id = client.command(command.clone()).await;
        match client.try_answer(&request_id).await {
            Some(Ok(seq)) => acked.push(Acked {
                number,
                request_id,
                command,
                seq,
                expected,
            }),
            Some(Err(reason)) => panic!("C{index} #{number} {expected} rejected: {reason:?}"),
            None => break,
        }
    }
    (acked, client.forget_connection())
}

/// One stored event row: the event as JSON, and the participant and request
/// id of the command it was the last event of.
struct StoredEvent {
    event: Value,
    participant: Option<String>,
    request_id: Option<String>,
}

/// The stored event with this sequence number.
fn stored_event(database: &rusqlite::Connection, code: &str, seq: Seq) -> StoredEvent {
    let (json, participant, request_id): (String, Option<String>, Option<String>) = database
        .query_row(
            "SELECT event, participant, request_id FROM stored_events WHERE code = ?1 AND seq = ?2",
            rusqlite::params![code, seq.0 as i64],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .unwrap_or_else(|error| panic!("event {} of {code} is not stored: {error}", seq.0));
    StoredEvent {
        event: serde_json::from_str(&json).unwrap(),
        participant,
        request_id,
    }
}

/// Meetups with clients acting in them until their connections end.
struct Load {
    meetups: Vec<OpenedMeetupResponse>,
    workers: Vec<tokio::task::JoinHandle<(Vec<Acked>, Saved)>>,
}

/// What one client did: its acknowledged actions, and what it kept.
type Outcome = (Vec<Acked>, Saved);

impl Load {
    /// Opens `meetups` meetups and puts `clients` clients to work in them,
    /// in turn: the first of each meetup is its facilitator, who opens a
    /// poll that stays open (no reveal), so votes can change until the end.
    async fn start(server: &External, meetups: usize, clients: usize) -> Load {
        let mut opened = Vec::new();
        for number in 0..meetups {
            opened.push(open_meetup(server, &format!("Guild {number}"), "Fran").await);
        }
        let mut workers = Vec::new();
        for index in 0..clients {
            let meetup = &opened[index % meetups];
            let code = meetup.join_code.as_str();
            let client = if index < meetups {
                let mut facilitator = TestClient::rejoin(server, code, &meetup.token, None).await;
                facilitator
                    .run(Command::OpenPoll {
                        setup: PollSetup {
                            question: text("How ready are we?"),
                            kind: PollKind::FistOfFive,
                            options: Vec::new(),
                            secrecy: Secrecy::Secret,
                            auto_reveal: false,
                            time_limit_secs: None,
                            question_key: None,
                        },
                    })
                    .await;
                facilitator
            } else {
                TestClient::join(server, code, &format!("C{index}")).await
            };
            workers.push(tokio::spawn(keep_acting(client, index, meetups)));
        }
        Load {
            meetups: opened,
            workers,
        }
    }

    /// A reader in the first meetup (its facilitator on another device),
    /// for telling when enough has happened.
    async fn probe(&self, server: &External) -> TestClient {
        let meetup = &self.meetups[0];
        TestClient::rejoin(server, meetup.join_code.as_str(), &meetup.token, None).await
    }

    /// Waits for every client to stop (their connections ended); a client
    /// that failed (a rejected action, say) fails the test.
    async fn finish(self) -> (Vec<OpenedMeetupResponse>, Vec<Outcome>) {
        let mut results = Vec::new();
        for worker in self.workers {
            match worker.await {
                Ok(result) => results.push(result),
                Err(error) => std::panic::resume_unwind(error.into_panic()),
            }
        }
        (self.meetups, results)
    }
}

/// Reads on `probe` until `events` more events came.
async fn observe(probe: &mut TestClient, events: usize) {
    let mut observed = 0;
    while observed < events {
        if let Ok(ServerMessage::Event { .. }) = probe.next().await.unwrap() {
            observed += 1;
        }
    }
}

/// Every acknowledged action is in the data directory: its command's last
/// event, at the acknowledged sequence number, with its request id.
fn assert_stored(data_dir: &Path, meetups: &[OpenedMeetupResponse], results: &[Outcome]) {
    let database =
        rusqlite::Connection::open(data_dir.join(moot_server::store::DATABASE_FILE)).unwrap();
    for (index, (acked, saved)) in results.iter().enumerate() {
        let code = meetups[index % meetups.len()].join_code.as_str();
        let me = saved.me.unwrap().0.to_string();
        for action in acked {
            let what = format!("C{index} #{}: {}", action.number, action.expected);
            let stored = stored_event(&database, code, action.seq);
            assert_eq!(
                stored.request_id.as_ref(),
                Some(&action.request_id),
                "{what}"
            );
            assert_eq!(stored.participant.as_ref(), Some(&me), "{what}");
            for (field, value) in action.expected.as_object().unwrap() {
                assert_eq!(&stored.event[field], value, "{what}: {}", stored.event);
            }
        }
    }
}

/// Each client resumes on the restarted server. Its last acknowledged
/// action, resent with its request id, is answered with the same sequence
/// number and not applied again (the server read it back); the meetup goes
/// on with numbers after everything acknowledged; and the client is caught
/// up with every event it missed exactly once.
async fn resume_after_restart(
    server: &External,
    meetups: &[OpenedMeetupResponse],
    results: Vec<Outcome>,
) {
    for (index, (acked, saved)) in results.into_iter().enumerate() {
        let code = meetups[index % meetups.len()].join_code.as_str();
        let seen_before = saved.seq;
        let mut client = TestClient::resume(server, code, saved).await;
        if let Some(last) = acked.last() {
            client
                .command_with_id(&last.request_id, last.command.clone())
                .await;
            assert_eq!(
                client.answer(&last.request_id).await,
                Ok(last.seq),
                "C{index} #{}: {} answered as before",
                last.number,
                last.expected
            );
        }
        // The client's next action, chosen from the room it resumed with,
        // works and is numbered after all that was acknowledged; so does a
        // rename.
        let last_acked = acked.last().map_or(Seq(0), |action| action.seq);
        let number = acked.last().map_or(1, |action| action.number + 2);
        let (command, expected) = next_action(&client, index, number, meetups.len());
        let request = client.command(command).await;
        let next = client
            .answer(&request)
            .await
            .unwrap_or_else(|reason| panic!("C{index} {expected} after the restart: {reason:?}"));
        assert!(
            next > last_acked,
            "C{index}: sequence numbers continue past what was acknowledged"
        );
        client
            .run(Command::Rename {
                name: text(&format!("C{index} after")),
            })
            .await;
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_actions_survive_kill_dash_nine() {
    let data_dir = temp_data_dir();
    let (moot, server) = start(&data_dir).await;
    let load = Load::start(&server, 2, 20).await;
    // Let them work, then pull the plug in the middle of it all.
    let mut probe = load.probe(&server).await;
    observe(&mut probe, 250).await;
    drop(moot); // SIGKILL
    drop(probe);
    let (meetups, results) = load.finish().await;

    let acked_total: usize = results.iter().map(|(acked, _)| acked.len()).sum();
    assert!(
        acked_total >= 200,
        "only {acked_total} actions were acknowledged before the kill"
    );
    // The mix really covered the queue, the board, the poll and the timer.
    let mut kinds = BTreeMap::new();
    for (acked, _) in &results {
        for action in acked {
            let kind = action.expected["type"].as_str().unwrap().to_owned();
            *kinds.entry(kind).or_insert(0) += 1;
        }
    }
    for kind in [
        "participant_renamed",
        "hand_raised",
        "entry_withdrawn",
        "floor_given",
        "topic_proposed",
        "dots_changed",
        "vote_cast",
        "timer_started",
        "timer_reset",
    ] {
        assert!(kinds.contains_key(kind), "no {kind} among {kinds:?}");
    }
    assert_stored(&data_dir, &meetups, &results);
    let (_moot, server) = start(&data_dir).await;
    resume_after_restart(&server, &meetups, results).await;
}

/// Issue 19: SIGTERM under load is a clean shutdown. The server stops
/// accepting, tells every client to come back (close code 4008), lets each
/// room finish what it was doing, then closes its database: it exits
/// successfully, logs no error (before issue 19, rooms went on storing the
/// presence of departing people into a closed store, and every such
/// attempt logged `storing events failed … storage is closed`), and every
/// action it acknowledged is read back after a restart.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_under_load_keeps_every_acknowledged_action_and_logs_no_error() {
    let data_dir = temp_data_dir();
    let log = data_dir.with_extension("log");
    let (moot, server) = start_logging(&data_dir, Some(&log)).await;
    let load = Load::start(&server, 4, 24).await;
    let mut probe = load.probe(&server).await;
    observe(&mut probe, 150).await;
    let status = moot.terminate().await;
    // The probe is told to come back later, with a close frame, after
    // everything the room sent it.
    let closed = probe.closed().await;
    assert_eq!(closed.code, Some(close_code::RESUME), "{closed:?}");
    let (meetups, results) = load.finish().await;
    let printed = std::fs::read_to_string(&log).expect("the log is readable");
    assert!(status.success(), "moot exited with {status}:\n{printed}");
    let errors: Vec<&str> = printed
        .lines()
        .filter(|line| line.contains("ERROR"))
        .collect();
    assert!(
        errors.is_empty(),
        "moot logged errors:\n{}",
        errors.join("\n")
    );

    let acked_total: usize = results.iter().map(|(acked, _)| acked.len()).sum();
    assert!(
        acked_total >= 100,
        "only {acked_total} actions were acknowledged before SIGTERM"
    );
    assert_stored(&data_dir, &meetups, &results);
    let (_moot, server) = start(&data_dir).await;
    resume_after_restart(&server, &meetups, results).await;
}

/// Issue 6: timers keep their true remaining time through `kill -9` and a
/// restart, because the room stores an absolute deadline (or a paused
/// remainder), never a countdown; and a deadline reached while the server
/// was down expires once after the restart.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn timers_keep_their_true_time_across_kill_dash_nine() {
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
            .run(Command::StartTimer {
                duration_secs: secs,
            })
            .await;
        if pause {
            client.run(Command::PauseTimer).await;
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
    let TimerRun::Running { deadline } = runs[2] else {
        panic!("the short timer ran")
    };
    // It runs out at its deadline, up to ten seconds from now: wait that
    // long, and as long again for a busy machine.
    let until_deadline = deadline.0.saturating_sub(moot_server::now().0);
    let patience = Duration::from_millis(until_deadline) + moot_tests::PATIENCE;
    short_client
        .wait_for_within("the short timer to expire", patience, |room| {
            matches!(room.timer.run, TimerRun::Expired { .. })
        })
        .await
        .unwrap();
    assert_eq!(
        short_client.room.as_ref().unwrap().timer.run,
        TimerRun::Expired { at: deadline }
    );
    short_client.run(Command::ResetTimer).await;
    let expiries = short_client
        .frames
        .iter()
        .filter(|frame| frame.contains("\"type\":\"timer_expired\""))
        .count();
    assert!(expiries <= 1, "{expiries} expiries");
}

/// Regression (issue 17, item 1), the `kill -9` half: a batch answered on
/// both sides of a snapshot and resent after the crash is applied once.
#[tokio::test]
async fn a_batch_resent_after_kill_dash_nine_is_applied_once() {
    let data_dir = temp_data_dir();
    let (moot, server) = start(&data_dir).await;
    let opened = open_meetup(&server, "Guild", "Fran").await;
    let code = opened.join_code.to_string();
    let batch = resend::batch_across_the_first_snapshot(&server, &code).await;
    drop(moot); // kill -9
    let (_moot, server) = start(&data_dir).await;
    resend::resend_after_restart(&server, &code, batch).await;
}
