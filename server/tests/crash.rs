//! The crash test: the real `moot` binary, 20 real WebSocket clients acting
//! at once, `kill -9` in the middle, a restart on the same data directory.
//! Every acknowledged action must be there afterwards, every client must
//! resume, and sequence numbers must continue without a gap or a repeat.
//!
//! The clients (issue 7) raise and withdraw hands, call speakers, propose
//! topics, place and take back dots, change their votes in an open poll,
//! start and reset timers and rename themselves, each choosing from the room
//! it has folded, so that every command is valid and produces events.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::Duration;

use moot_shared::Command;
use moot_shared::room::poll::{PollKind, PollSetup, Secrecy};
use moot_shared::room::queue::EntryKind;
use moot_shared::room::timer::TimerRun;
use moot_shared::{ParticipantId, Room, Seq};
use moot_tests::load::wait_healthy;
use moot_tests::{External, Saved, TestClient, open_meetup, resend, temp_data_dir, text};
use serde_json::{Value, json};

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
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_moot"))
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
/// rename always is): its command and what its last event must hold.
fn next_action(client: &TestClient, index: usize, number: u64) -> (Command, Value) {
    let steps = if index < 2 {
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
async fn keep_acting(mut client: TestClient, index: usize) -> (Vec<Acked>, Saved) {
    let mut pace = tokio::time::interval(PACE);
    pace.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut acked = Vec::new();
    for number in 1.. {
        pace.tick().await;
        let (command, expected) = next_action(&client, index, number);
        let request_id = client.command(command).await;
        match client.try_answer(&request_id).await {
            Some(Ok(seq)) => acked.push(Acked {
                number,
                request_id,
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
            "SELECT event, participant, request_id FROM events WHERE code = ?1 AND seq = ?2",
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
    // Each facilitator opens a poll that stays open: no reveal until they
    // say so, so votes can change until the end.
    for facilitator in &mut clients[..2] {
        facilitator
            .run(Command::OpenPoll {
                setup: PollSetup {
                    question: text("How ready are we?"),
                    kind: PollKind::FistOfFive,
                    options: Vec::new(),
                    secrecy: Secrecy::Secret,
                    auto_reveal: false,
                    time_limit_secs: None,
                },
            })
            .await;
    }
    let workers: Vec<_> = clients
        .into_iter()
        .enumerate()
        .map(|(index, client)| tokio::spawn(keep_acting(client, index)))
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
    while observed < 250 {
        if probe.next().await.unwrap().is_ok() {
            observed += 1;
        }
    }
    drop(moot); // SIGKILL
    drop(probe);

    let mut results = Vec::new();
    for worker in workers {
        match worker.await {
            Ok(result) => results.push(result),
            // A rejection (or any failure) in a client is the test's failure.
            Err(error) => std::panic::resume_unwind(error.into_panic()),
        }
    }
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

    // Every acknowledged action is in the data directory: its command's last
    // event, at the acknowledged sequence number.
    let database =
        rusqlite::Connection::open(data_dir.join(moot_server::store::DATABASE_FILE)).unwrap();
    for (index, (acked, saved)) in results.iter().enumerate() {
        let code = meetups[index % 2].join_code.as_str();
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
    drop(database);

    let (_moot, server) = start(&data_dir).await;
    for (index, (acked, saved)) in results.into_iter().enumerate() {
        let code = meetups[index % 2].join_code.as_str();
        let seen_before = saved.seq;
        let mut client = TestClient::resume(&server, code, saved).await;
        // The meetup goes on: the client's next action, chosen from the room
        // it resumed with, works and is numbered after all that was
        // acknowledged; so does a rename.
        let last_acked = acked.last().map_or(Seq(0), |action| action.seq);
        let number = acked.last().map_or(1, |action| action.number + 2);
        let (command, expected) = next_action(&client, index, number);
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
