//! The storage contract (issue 18): one set of tests run against both
//! engines, SQLite and PostgreSQL (on a throwaway cluster, see
//! `moot_tests::postgres`), at the store's own interface: what is stored
//! reads back as it was, request ids before and after a snapshot are
//! remembered, a failing write fails alone, deleted and purged meetups are
//! gone. Then what only a shared store has: leases (two nodes claiming one
//! meetup, one wins; a node whose lease was taken cannot append), and an
//! unreachable database named without its password.
//!
//! The server-level storage tests (`storage.rs`) run against both too.

use std::sync::Arc;

use moot_server::metrics::Metrics;
use moot_server::secrets;
use moot_server::store::{self, Claim, Snapshot, Store, StoreError, StoredEvent};
use moot_shared::room::OpenMeetup;
use moot_shared::{
    Actor, Command, Credential, DisplayName, JoinCode, MeetupTitle, RequestId, Room, Seq, Timestamp,
};
use moot_tests::postgres::{Backend, Cluster, TEST_LEASE};
use moot_tests::{TestClient, TestServer, temp_data_dir};

moot_tests::on_both_stores!(
    a_stored_meetup_reads_back_as_it_was,
    answered_requests_are_remembered_on_both_sides_of_a_snapshot,
    a_failing_write_fails_alone,
    deleted_and_purged_meetups_are_gone,
    an_unknown_code_is_unknown,
);

fn open_store(backend: &Backend) -> Store {
    let metrics = Arc::new(Metrics::new());
    let (store, _) =
        store::open(&backend.location(temp_data_dir()), &metrics).expect("the store opens");
    store
}

/// A meetup being written: its room as the store should read it back.
struct Meetup {
    code: JoinCode,
    room: Room,
    seq: Seq,
    facilitator: Credential,
}

impl Meetup {
    /// Stores a new meetup and claims it, as the node that serves it does.
    async fn create(store: &Store) -> Meetup {
        let meetup = Meetup::create_unclaimed(store).await;
        assert!(matches!(
            store.claim(&meetup.code).await,
            Ok(Claim::Owned(_))
        ));
        meetup
    }

    /// Stores a new meetup, as the node that opens it does.
    async fn create_unclaimed(store: &Store) -> Meetup {
        let facilitator = secrets::new_credential();
        let opening = OpenMeetup {
            code: secrets::new_join_code(),
            title: MeetupTitle::parse("Guild").unwrap(),
            facilitator: facilitator.participant,
            facilitator_name: DisplayName::parse("Fran").unwrap(),
            credential: secrets::digest(&facilitator),
            screen_key: secrets::new_screen_key(),
        }
        .into_event();
        let room = Room::opened(&opening, Timestamp(1)).unwrap();
        let code = room.code.clone();
        let first = StoredEvent {
            seq: Seq(1),
            at: Timestamp(1),
            event: opening,
            request: None,
        };
        store.create(&code, first).await.unwrap();
        Meetup {
            code,
            room,
            seq: Seq(1),
            facilitator,
        }
    }

    /// The events of the facilitator's `command` with `request_id`, as the
    /// room task would store them (the request on the last event).
    fn events(&self, request_id: &str, command: Command) -> Vec<StoredEvent> {
        let now = Timestamp(self.seq.0 + 1);
        let events = self
            .room
            .clone()
            .apply(
                Actor::Participant(self.facilitator.participant),
                command,
                now,
            )
            .unwrap();
        let count = events.len();
        events
            .into_iter()
            .enumerate()
            .map(|(index, event)| StoredEvent {
                seq: Seq(self.seq.0 + 1 + index as u64),
                at: now,
                event,
                request: (index + 1 == count).then(|| {
                    (
                        self.facilitator.participant,
                        RequestId::parse(request_id).unwrap(),
                    )
                }),
            })
            .collect()
    }

    /// Folds stored events into the room, as the room task does once they
    /// are committed.
    fn fold(&mut self, events: &[StoredEvent]) {
        for stored in events {
            self.room.on_event(&stored.event);
            self.seq = stored.seq;
        }
    }

    /// Stores the facilitator's `command` and folds it.
    async fn run(&mut self, store: &Store, request_id: &str, command: Command) {
        let events = self.events(request_id, command);
        store
            .append(&self.code, events.clone(), None, None)
            .await
            .unwrap();
        self.fold(&events);
    }
}

fn seat_cap(seat_cap: u16) -> Command {
    Command::SetSeatCap { seat_cap }
}

/// Reads a meetup back, as a node taking it over (or restarting) does.
async fn read_back(store: &Store, code: &JoinCode) -> store::LoadedMeetup {
    match store.claim(code).await.unwrap() {
        Claim::Owned(loaded) => *loaded,
        Claim::Elsewhere { node_url } => panic!("{code} is owned by {node_url}"),
        Claim::Unknown => panic!("{code} is unknown"),
    }
}

fn json(room: &Room) -> serde_json::Value {
    serde_json::to_value(room).unwrap()
}

async fn a_stored_meetup_reads_back_as_it_was(backend: Backend) {
    let store = open_store(&backend);
    let mut meetup = Meetup::create(&store).await;
    for (index, cap) in (10..20u16).enumerate() {
        meetup
            .run(&store, &format!("cap-{index}"), seat_cap(cap))
            .await;
    }
    meetup.run(&store, "lock", Command::Lock).await;
    let loaded = read_back(&store, &meetup.code).await;
    assert_eq!(loaded.seq, meetup.seq);
    assert_eq!(json(&loaded.room), json(&meetup.room));
    assert_eq!(loaded.tail.len() as u64, meetup.seq.0);
    let requests: Vec<String> = loaded
        .tail
        .iter()
        .filter_map(|stored| stored.request.as_ref())
        .map(|(_, request_id)| request_id.as_str().to_owned())
        .collect();
    assert_eq!(requests.len(), 11);
    assert_eq!(requests.last().map(String::as_str), Some("lock"));
    assert!(loaded.ended_at.is_none());
    store.shutdown().await;
}

async fn answered_requests_are_remembered_on_both_sides_of_a_snapshot(backend: Backend) {
    let store = open_store(&backend);
    let mut meetup = Meetup::create(&store).await;
    meetup.run(&store, "before-1", seat_cap(11)).await;
    meetup.run(&store, "before-2", seat_cap(12)).await;
    // This append carries the snapshot of the room after it.
    let events = meetup.events("at-snapshot", seat_cap(13));
    let mut after = meetup.room.clone();
    events
        .iter()
        .for_each(|stored| after.on_event(&stored.event));
    let snapshot = Snapshot {
        seq: events.last().unwrap().seq,
        room_json: serde_json::to_string(&after).unwrap(),
    };
    store
        .append(&meetup.code, events.clone(), Some(snapshot), None)
        .await
        .unwrap();
    meetup.fold(&events);
    let snapshot_seq = meetup.seq;
    meetup.run(&store, "after-1", seat_cap(14)).await;
    let loaded = read_back(&store, &meetup.code).await;
    assert_eq!(json(&loaded.room), json(&meetup.room));
    assert_eq!(
        loaded.since_snapshot, 1,
        "only the tail after the snapshot is replayed"
    );
    assert_eq!(loaded.tail[0].seq, snapshot_seq.next());
    let answered: Vec<&str> = loaded
        .answered
        .iter()
        .map(|(_, request_id, _)| request_id.as_str())
        .collect();
    // Newest first, the snapshot's own command included.
    assert_eq!(answered, ["at-snapshot", "before-2", "before-1"]);
    store.shutdown().await;
}

async fn a_failing_write_fails_alone(backend: Backend) {
    let store = open_store(&backend);
    let mut one = Meetup::create(&store).await;
    let mut two = Meetup::create(&store).await;
    one.run(&store, "one-1", seat_cap(11)).await;
    // A second append of a sequence number already stored fails, while
    // another meetup's append sent at the same moment is stored.
    let repeated = StoredEvent {
        seq: one.seq,
        ..one.events("one-again", seat_cap(12)).remove(0)
    };
    let other = two.events("two-1", seat_cap(13));
    // What each append leaves to the store (a room's frames) runs on the
    // store's thread, once committed (and synced) and before the append
    // returns; never for a failed one.
    let ran = |on: &Arc<std::sync::Mutex<Option<String>>>| -> Option<store::OnCommit> {
        let on = Arc::clone(on);
        Some(Box::new(move || {
            *on.lock().unwrap() = std::thread::current().name().map(str::to_owned);
        }))
    };
    let (failed_ran, stored_ran) = (Arc::default(), Arc::default());
    let (failed, stored) = tokio::join!(
        store.append_then(&one.code, vec![repeated], None, None, ran(&failed_ran)),
        store.append_then(&two.code, other.clone(), None, None, ran(&stored_ran)),
    );
    assert!(failed.is_err(), "a sequence number is stored once");
    stored.unwrap();
    assert_eq!(
        *failed_ran.lock().unwrap(),
        None,
        "nothing is shown of a failed write"
    );
    // SQLite at `--sync full` answers from the thread that syncs its log,
    // once the log is on disk; PostgreSQL from the writer, once committed.
    let answering_thread = match backend {
        Backend::Sqlite => "moot-sync",
        Backend::Postgres { .. } => "moot-store",
    };
    assert_eq!(
        stored_ran.lock().unwrap().as_deref(),
        Some(answering_thread),
        "the committed write's frames went out from the store's thread"
    );
    two.fold(&other);
    // Both meetups go on from where their stored events are.
    one.run(&store, "one-2", seat_cap(14)).await;
    let loaded = read_back(&store, &one.code).await;
    assert_eq!(json(&loaded.room), json(&one.room));
    let loaded = read_back(&store, &two.code).await;
    assert_eq!(json(&loaded.room), json(&two.room));
    store.shutdown().await;
}

async fn deleted_and_purged_meetups_are_gone(backend: Backend) {
    let store = open_store(&backend);
    let mut ended = Meetup::create(&store).await;
    let deleted = Meetup::create(&store).await;
    let open = Meetup::create(&store).await;
    let events = ended.events("end", Command::EndMeetup);
    store
        .append(&ended.code, events.clone(), None, Some(Timestamp(50)))
        .await
        .unwrap();
    ended.fold(&events);
    store.delete(&deleted.code).await.unwrap();
    // Ended before 100: purged; still open: kept.
    let purged = store.purge(Timestamp(100)).await.unwrap();
    assert_eq!(purged, vec![ended.code.clone()]);
    for code in [&ended.code, &deleted.code] {
        assert!(matches!(store.claim(code).await, Ok(Claim::Unknown)));
    }
    let kept = read_back(&store, &open.code).await;
    assert_eq!(json(&kept.room), json(&open.room));
    store.shutdown().await;
}

/// The SQLite store appends to a journal in arrival order and copies each
/// meetup's events into `events` a few dozen at a time (issue 19). Under
/// interleaved appends from several meetups, some events are copied and
/// the copied head of the journal is deleted, yet a backup taken while the
/// store runs holds every event, a restart reads every meetup back as it
/// was, and a repeated or skipped sequence number is still refused.
#[tokio::test]
async fn sqlite_journal_is_copied_trimmed_and_loses_nothing() {
    const MEETUPS: usize = 6;
    const APPENDS: usize = 800;
    let data_dir = temp_data_dir();
    let metrics = Arc::new(Metrics::new());
    let location = store::Location::Sqlite {
        data_dir: data_dir.clone(),
        sync: store::Durability::Normal,
    };
    let (store, _) = store::open(&location, &metrics).unwrap();
    let mut meetups = Vec::new();
    for _ in 0..MEETUPS {
        meetups.push(Meetup::create(&store).await);
    }
    // Each meetup appends on its own, so the writer's batches mix them.
    let meetups: Vec<Meetup> =
        futures_util::future::join_all(meetups.into_iter().map(|mut meetup| {
            let store = store.clone();
            async move {
                for index in 0..APPENDS {
                    let cap = if index % 2 == 0 { 12 } else { 13 };
                    meetup
                        .run(&store, &format!("cap-{index}"), seat_cap(cap))
                        .await;
                }
                meetup
            }
        }))
        .await;
    let total = MEETUPS * (APPENDS + 1);
    {
        let database = rusqlite::Connection::open(data_dir.join(store::DATABASE_FILE)).unwrap();
        let count = |table: &str| -> usize {
            database
                .query_row(&format!("SELECT count(*) FROM {table}"), [], |row| {
                    row.get::<_, i64>(0)
                })
                .unwrap() as usize
        };
        let (copied, journaled, stored) =
            (count("events"), count("journal"), count("stored_events"));
        assert!(copied > total / 2, "{copied} of {total} events copied");
        assert!(
            journaled < total / 2,
            "the journal's head was deleted: {journaled} rows left"
        );
        assert_eq!(stored, total, "every event is in one table or both");
    }
    // A backup taken now holds events still only in the journal.
    let backup = data_dir.with_extension("backup.sqlite3");
    let contents = moot_server::backup::backup(&data_dir, &backup).unwrap();
    assert_eq!(contents.events, total as u64);
    assert_eq!(contents.meetups, MEETUPS);
    // A sequence number already stored, and one that skips, are refused.
    let mut first = meetups.into_iter();
    let one = first.next().unwrap();
    let mut repeated = one.events("again", seat_cap(14));
    repeated[0].seq = one.seq;
    assert!(store.append(&one.code, repeated, None, None).await.is_err());
    let mut skipping = one.events("skip", seat_cap(14));
    skipping[0].seq = Seq(one.seq.0 + 2);
    assert!(store.append(&one.code, skipping, None, None).await.is_err());
    store.shutdown().await;
    // After a restart every meetup reads back as it was.
    let (store, loaded) = store::open(&location, &metrics).unwrap();
    assert_eq!(loaded.len(), MEETUPS);
    for meetup in std::iter::once(one).chain(first) {
        let read = read_back(&store, &meetup.code).await;
        assert_eq!(read.seq, meetup.seq);
        assert_eq!(json(&read.room), json(&meetup.room));
    }
    store.shutdown().await;
}

async fn an_unknown_code_is_unknown(backend: Backend) {
    let store = open_store(&backend);
    let code = secrets::new_join_code();
    assert!(matches!(store.claim(&code).await, Ok(Claim::Unknown)));
    store.shutdown().await;
}

#[tokio::test]
async fn two_nodes_claiming_one_meetup_only_one_wins() {
    let backend = Backend::postgres();
    let (first, second) = (open_store(&backend), open_store(&backend));
    let mut meetup = Meetup::create_unclaimed(&first).await;
    let code = meetup.code.clone();
    // Both claim at once: exactly one owns it, the other is told where it lives.
    let (a, b) = tokio::join!(first.claim(&code), second.claim(&code));
    let (winner, loser) = match (a.unwrap(), b.unwrap()) {
        (Claim::Owned(_), Claim::Elsewhere { .. }) => (&first, &second),
        (Claim::Elsewhere { .. }, Claim::Owned(_)) => (&second, &first),
        _ => panic!("exactly one of two nodes owns a meetup"),
    };
    // The loser cannot append; the winner can.
    let events = meetup.events("lock", Command::Lock);
    assert!(matches!(
        loser.append(&code, events.clone(), None, None).await,
        Err(StoreError::LeaseLost(_))
    ));
    winner
        .append(&code, events.clone(), None, None)
        .await
        .unwrap();
    meetup.fold(&events);

    // The winner stops renewing (it stalled, or lost the database): once
    // the lease has run out, the other node takes the meetup over with
    // every event, and the stalled one can no longer append (fenced).
    let taken = loop {
        match loser.claim(&code).await.unwrap() {
            Claim::Owned(loaded) => break loaded,
            Claim::Elsewhere { .. } => tokio::time::sleep(TEST_LEASE / 4).await,
            Claim::Unknown => panic!("the meetup is stored"),
        }
    };
    assert_eq!(json(&taken.room), json(&meetup.room));
    // The stalled node's next renewal tells it the meetup is gone.
    assert_eq!(winner.renew().await.unwrap(), vec![code.clone()]);
    let late = meetup.events("late", seat_cap(12));
    assert!(matches!(
        winner.append(&code, late.clone(), None, None).await,
        Err(StoreError::LeaseLost(_))
    ));
    loser.append(&code, late, None, None).await.unwrap();
    first.shutdown().await;
    second.shutdown().await;
}

#[test]
fn an_unreachable_database_is_named_without_its_password() {
    // A port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("postgres://moot:hunter2@127.0.0.1:{port}/meetups");
    let mut config = Backend::Sqlite.config(temp_data_dir());
    config.shared_store = Some(store::postgres::Settings {
        url: url.clone(),
        node_url: "http://127.0.0.1:9".into(),
        lease: TEST_LEASE,
    });
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let Err(error) = runtime.block_on(async { moot_server::AppState::open(config) }) else {
        panic!("a server without its database does not start");
    };
    let message = error.to_string();
    assert!(matches!(error, StoreError::Unreachable { .. }), "{message}");
    assert!(
        message.contains(&format!("moot@127.0.0.1:{port}/meetups")),
        "{message}"
    );
    assert!(!message.contains("hunter2"), "{message}");
}

/// The database goes away in the middle of a meetup: commands are refused
/// with the typed `storage_failed`, the room is read back once the
/// database returns, and nothing acknowledged is lost or applied twice.
#[tokio::test]
async fn the_database_going_away_fails_commands_typed_and_loses_nothing() {
    // A cluster of its own: the shared one must stay up for other tests.
    let cluster = Arc::new(Cluster::start().expect("a throwaway PostgreSQL cluster starts"));
    let url = cluster.database();
    let backend = Backend::Postgres {
        cluster: Arc::clone(&cluster),
        url,
    };
    let server = TestServer::with_data(backend.config(temp_data_dir())).await;
    let opened = server.open_meetup("Guild", "Fran").await;
    let code = opened.join_code.to_string();
    let mut facilitator = TestClient::rejoin(&server, &code, &opened.token, None).await;
    facilitator.command_with_id("before", seat_cap(9)).await;
    let before = facilitator.answer("before").await.unwrap();

    let stop = Arc::clone(&cluster);
    tokio::task::spawn_blocking(move || stop.stop().expect("the database stops"))
        .await
        .unwrap();
    facilitator.command_with_id("during", Command::Lock).await;
    assert_eq!(
        facilitator.answer("during").await,
        Err(moot_shared::Rejection::StorageFailed)
    );
    // The room lets go, to be read back from the database.
    let closed = facilitator.closed().await;
    assert_eq!(closed.code, Some(moot_shared::protocol::close_code::RESUME));
    let saved = facilitator.forget_connection();
    // While the database is away, coming back is refused with the same reason.
    assert_eq!(
        TestClient::rejoin_refused(&server, &code, &opened.token).await,
        Some(moot_shared::Rejection::StorageFailed)
    );

    let start = Arc::clone(&cluster);
    tokio::task::spawn_blocking(move || start.start_again().expect("the database starts"))
        .await
        .unwrap();
    let mut facilitator = TestClient::resume(&server, &code, saved).await;
    // Resent, both: the acknowledged one is answered as before, the
    // refused one is applied now, once.
    facilitator.command_with_id("before", seat_cap(9)).await;
    assert_eq!(facilitator.answer("before").await, Ok(before));
    facilitator.command_with_id("during", Command::Lock).await;
    let locked = facilitator.answer("during").await.unwrap();
    assert!(locked > before);
    facilitator
        .wait_for("locked", |room| room.locked)
        .await
        .unwrap();
    assert_eq!(facilitator.room.as_ref().unwrap().seat_cap, 9);
}

/// When the proxy sends a meetup's people to another live node (a node
/// came back, or was added), that node asks for the meetup, the owner
/// gives it back at its next renewal, and the other node takes it over
/// with every event; the old owner can no longer append.
#[tokio::test]
async fn a_meetup_wanted_by_another_node_is_handed_over_at_the_next_renewal() {
    let backend = Backend::postgres();
    let (owner, wanting) = (open_store(&backend), open_store(&backend));
    let mut meetup = Meetup::create(&owner).await;
    meetup.run(&owner, "lock", Command::Lock).await;
    assert!(matches!(
        wanting.claim(&meetup.code).await,
        Ok(Claim::Elsewhere { .. })
    ));
    assert_eq!(owner.renew().await.unwrap(), vec![meetup.code.clone()]);
    let taken = read_back(&wanting, &meetup.code).await;
    assert_eq!(json(&taken.room), json(&meetup.room));
    let late = meetup.events("late", seat_cap(12));
    assert!(matches!(
        owner.append(&meetup.code, late.clone(), None, None).await,
        Err(StoreError::LeaseLost(_))
    ));
    wanting
        .append(&meetup.code, late, None, None)
        .await
        .unwrap();
    owner.shutdown().await;
    wanting.shutdown().await;
}
