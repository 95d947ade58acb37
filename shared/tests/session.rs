//! The client session (`moot_shared::session`), fed server frames as text:
//! replay and snapshots, gaps and repeats, the outbox across reconnects,
//! frames it cannot read, refusals, and the reconnect back-off.

mod common;

use common::{NOW, id, props_meetup};
use moot_shared::json;
use moot_shared::protocol::{ClientMessage, HelloAuth, ServerMessage};
use moot_shared::room::ReportedPresence;
use moot_shared::session::{
    AfterClose, Auth, BACKOFF_MAX_MS, BACKOFF_START_MS, Ended, Pending, STABLE_AFTER_MS, Session,
    Step,
};
use moot_shared::text::TopicTitle;
use moot_shared::{Command, Event, JoinCode, Rejection, Room, Seq, Timestamp};

fn code() -> JoinCode {
    JoinCode::parse("7KQ2M9XD").expect("a join code")
}

fn session(auth: Auth) -> Session {
    Session::new(code(), auth, Vec::new())
}

fn frame(message: &ServerMessage) -> String {
    serde_json::to_string(message).expect("serialises")
}

fn welcome(seq: u64, snapshot: Option<Room>, token: Option<String>) -> String {
    frame(&ServerMessage::Welcome {
        protocol: 1,
        participant: Some(id(2)),
        token,
        server_time: NOW,
        seq: Seq(seq),
        snapshot: snapshot.map(Box::new),
    })
}

fn event(seq: u64, event: Event) -> String {
    frame(&ServerMessage::Event {
        seq: Seq(seq),
        at: NOW,
        event,
    })
}

fn renamed(name: &str) -> Event {
    Event::ParticipantRenamed {
        participant: id(2),
        name: moot_shared::DisplayName::parse(name).expect("a name"),
    }
}

fn sent(steps: &[Step]) -> Vec<ClientMessage> {
    steps
        .iter()
        .filter_map(|step| match step {
            Step::Send(text) => Some(ClientMessage::parse(text).expect("a client message")),
            _ => None,
        })
        .collect()
}

fn propose(title: &str) -> Command {
    Command::ProposeTopic {
        title: TopicTitle::parse(title).expect("a title"),
        details: None,
    }
}

/// A session welcomed with a snapshot of the test meetup at `seq`.
fn live(seq: u64) -> (Session, Option<Room>) {
    let (room, _) = props_meetup(3);
    let mut session = session(Auth::Rejoin("t".into()));
    let mut held = None;
    session.receive(&mut held, &welcome(seq, Some(room), None), 0);
    (session, held)
}

#[test]
fn hello_resumes_only_with_a_room_to_replay_into() {
    let (session, _) = live(7);
    let with = ClientMessage::parse(&session.hello(true)).expect("a hello");
    let without = ClientMessage::parse(&session.hello(false)).expect("a hello");
    assert!(matches!(
        with,
        ClientMessage::Hello {
            last_seq: Some(Seq(7)),
            ..
        }
    ));
    assert!(matches!(
        without,
        ClientMessage::Hello { last_seq: None, .. }
    ));
    let joining = session_hello(Auth::Join("Bo".into()));
    assert!(matches!(
        joining,
        ClientMessage::Hello {
            auth: HelloAuth::Join { .. },
            ..
        }
    ));
}

fn session_hello(auth: Auth) -> ClientMessage {
    ClientMessage::parse(&session(auth).hello(false)).expect("a hello")
}

#[test]
fn events_fold_in_order_repeats_are_skipped_and_a_gap_resyncs() {
    let (mut session, mut room) = live(7);
    let steps = session.receive(&mut room, &event(8, renamed("Bea")), 0);
    assert!(matches!(
        steps.as_slice(),
        [Step::Folded { seq: Seq(8), .. }]
    ));
    assert_eq!(
        room.as_ref()
            .expect("a room")
            .participant(id(2))
            .expect("listed")
            .name
            .as_str(),
        "Bea"
    );
    // A replay overlapping what was folded: skipped, nothing changes.
    assert_eq!(
        session.receive(&mut room, &event(8, renamed("Other")), 0),
        Vec::new()
    );
    // Event 10 without 9: something was lost.
    assert_eq!(
        session.receive(&mut room, &event(10, renamed("Cy")), 0),
        vec![Step::Resync]
    );
    assert!(!session.is_live());
    assert_eq!(session.last_seq(), Some(Seq(8)));
}

#[test]
fn events_without_a_room_start_from_the_opening_or_resync() {
    let (_, events) = props_meetup(2);
    let mut session = session(Auth::Rejoin("t".into()));
    let mut room = None;
    session.receive(&mut room, &welcome(0, None, None), 0);
    let steps = session.receive(&mut room, &event(1, events[0].clone()), 0);
    assert!(matches!(steps.as_slice(), [Step::Folded { .. }]));
    assert!(room.is_some());
    let mut other = session_at_zero();
    let mut empty = None;
    assert_eq!(
        other.receive(&mut empty, &event(1, renamed("Bea")), 0),
        vec![Step::Resync]
    );
}

fn session_at_zero() -> Session {
    session(Auth::Rejoin("t".into()))
}

/// Regression (issue 12): a frame the app cannot read used to be skipped,
/// the next event looked like a gap, and the resync replayed the same frame
/// at once, forever. Now it stops the session with a reason to reload.
#[test]
fn an_unknown_event_type_asks_to_reload_instead_of_looping() {
    let (mut session, mut room) = live(7);
    let from_the_future =
        r#"{"type":"event","seq":8,"at":1,"event":{"type":"hologram_projected","x":1}}"#;
    assert_eq!(
        session.receive(&mut room, from_the_future, 0),
        vec![Step::Incompatible]
    );
    assert!(!session.is_live());
    // Nothing was folded, and no resync is asked for.
    assert_eq!(session.last_seq(), Some(Seq(7)));
    let newer_server =
        r#"{"type":"welcome","protocol":2,"participant":null,"server_time":1,"seq":1}"#;
    let mut fresh = session_at_zero();
    let mut nothing = None;
    assert_eq!(
        fresh.receive(&mut nothing, newer_server, 0),
        vec![Step::Incompatible]
    );
    assert_eq!(
        fresh.receive(&mut nothing, "{not json", 0),
        vec![Step::Incompatible]
    );
}

#[test]
fn the_outbox_waits_for_answers_and_is_resent_on_every_welcome() {
    let earlier = Pending {
        request_id: "r-0".into(),
        command: json::to_string(&propose("From last time")),
    };
    let mut session = Session::new(code(), Auth::Rejoin("t".into()), vec![earlier]);
    let mut room = None;
    // Not live yet: kept, not sent.
    assert_eq!(session.submit("r-1".into(), &propose("Budget")), None);
    let steps = session.receive(&mut room, &welcome(3, Some(props_meetup(2).0), None), 1_000);
    let messages = sent(&steps);
    let ids: Vec<&str> = messages
        .iter()
        .filter_map(|message| match message {
            ClientMessage::Command { request_id, .. } => Some(request_id.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(ids, ["r-0", "r-1"], "resent in order, with their ids");
    assert!(matches!(
        messages.last(),
        Some(ClientMessage::TimeSync { client_time: 1_000 })
    ));
    // Live: sent at once, and kept until answered.
    let now = session.submit("r-2".into(), &propose("Hiring"));
    assert!(matches!(
        now.as_deref().map(ClientMessage::parse),
        Some(Ok(ClientMessage::Command { .. }))
    ));
    session.receive(
        &mut room,
        &frame(&ServerMessage::Ack {
            request_id: "r-0".into(),
            seq: Seq(4),
        }),
        0,
    );
    session.receive(
        &mut room,
        &frame(&ServerMessage::rejected(
            Some("r-2".into()),
            Rejection::TooManyTopics { max: 1 },
        )),
        0,
    );
    let left: Vec<&str> = session
        .outbox()
        .iter()
        .map(|pending| pending.request_id.as_str())
        .collect();
    assert_eq!(left, ["r-1"]);
    // Presence is never kept for later.
    assert!(
        session
            .presence("p".into(), ReportedPresence::Away)
            .is_some()
    );
    session.dropped();
    assert_eq!(session.presence("p".into(), ReportedPresence::Away), None);
    assert_eq!(session.outbox().len(), 1);
}

#[test]
fn pings_are_answered_and_the_shortest_round_trip_sets_the_clock() {
    let (mut session, mut room) = live(1);
    let pong = sent(&session.receive(
        &mut room,
        &frame(&ServerMessage::Ping { server_time: NOW }),
        0,
    ));
    assert_eq!(pong, vec![ClientMessage::Pong]);
    let answer = |client_time, server_time| {
        frame(&ServerMessage::TimeSync {
            client_time,
            server_time: Timestamp(server_time),
        })
    };
    // Round trip 100 ms, server 5 s ahead; then 20 ms, 4 s ahead: the second wins.
    session.receive(&mut room, &answer(1_000, 6_050), 1_100);
    assert_eq!(session.clock_offset(), 5_000);
    session.receive(&mut room, &answer(2_000, 6_010), 2_020);
    assert_eq!(session.clock_offset(), 4_000);
    session.receive(&mut room, &answer(3_000, 9_000), 3_500);
    assert_eq!(
        session.clock_offset(),
        4_000,
        "a slower sample does not win"
    );
    assert_eq!(session.server_now(10_000), Timestamp(14_000));
    // Four samples a connection, then no more requests.
    assert_eq!(
        session.receive(&mut room, &answer(4_000, 8_000), 4_010),
        Vec::new()
    );
}

#[test]
fn a_removal_or_leaving_ends_the_session() {
    let (mut session, mut room) = live(7);
    let steps = session.receive(
        &mut room,
        &event(8, Event::ParticipantRemoved { participant: id(2) }),
        0,
    );
    assert_eq!(steps.last(), Some(&Step::Ended(Ended::Removed)));
    let (mut other, mut room) = live(7);
    let steps = other.receive(
        &mut room,
        &event(8, Event::ParticipantLeft { participant: id(3) }),
        0,
    );
    assert!(
        matches!(steps.as_slice(), [Step::Folded { .. }]),
        "someone else left"
    );
}

#[test]
fn closes_end_for_good_or_retry() {
    for (code, ended) in [
        (4001, Ended::Version),
        (4004, Ended::UnknownCode),
        (4005, Ended::BadCredential),
        (4010, Ended::Removed),
    ] {
        assert_eq!(session_at_zero().closed(Some(code)), AfterClose::End(ended));
    }
    let (mut live_one, _) = live(1);
    assert_eq!(
        live_one.closed(Some(4008)),
        AfterClose::Retry {
            refusal: None,
            was_live: true
        }
    );
    // A refused join ends; a rejoin refused for a full server retries.
    let mut joining = session(Auth::Join("Bo".into()));
    let mut none = None;
    joining.receive(
        &mut none,
        &frame(&ServerMessage::refused(Rejection::NameTaken)),
        0,
    );
    assert!(matches!(
        joining.closed(Some(4009)),
        AfterClose::End(Ended::JoinRefused(Rejection::NameTaken, _))
    ));
    let mut rejoining = session_at_zero();
    rejoining.receive(
        &mut none,
        &frame(&ServerMessage::refused(Rejection::ServerFull)),
        0,
    );
    assert!(matches!(
        rejoining.closed(Some(4007)),
        AfterClose::Retry {
            refusal: Some((Rejection::ServerFull, _)),
            was_live: false
        }
    ));
    let mut taken = session_at_zero();
    taken.receive(
        &mut none,
        &frame(&ServerMessage::refused(Rejection::NameTaken)),
        0,
    );
    assert!(matches!(
        taken.closed(Some(4009)),
        AfterClose::End(Ended::JoinRefused(..))
    ));
}

#[test]
fn reconnects_back_off_with_jitter_and_start_over_once_stable() {
    let mut session = session_at_zero();
    let mut ceilings = Vec::new();
    for _ in 0..8 {
        let low = session.next_backoff_ms(0, 0);
        ceilings.push(low * 2);
    }
    assert_eq!(ceilings[0], BACKOFF_START_MS);
    assert!(
        ceilings.windows(2).all(|pair| pair[1] >= pair[0]),
        "{ceilings:?}"
    );
    assert_eq!(*ceilings.last().expect("eight"), BACKOFF_MAX_MS);
    // The jitter stays between half and all of the ceiling.
    let high = session.next_backoff_ms(0, u32::MAX);
    assert!(
        (BACKOFF_MAX_MS / 2..=BACKOFF_MAX_MS).contains(&high),
        "{high}"
    );
    // A resync right after a welcome does not start over (no tight loop)…
    let mut room = None;
    session.receive(&mut room, &welcome(1, Some(props_meetup(2).0), None), 1_000);
    assert!(session.next_backoff_ms(1_500, 0) >= BACKOFF_MAX_MS / 2);
    // …a connection that stayed live does.
    session.receive(&mut room, &welcome(1, Some(props_meetup(2).0), None), 2_000);
    assert_eq!(
        session.next_backoff_ms(2_000 + STABLE_AFTER_MS, 0),
        BACKOFF_START_MS / 2
    );
    session.reset_backoff();
    assert_eq!(session.next_backoff_ms(0, 0), BACKOFF_START_MS / 2);
}

#[test]
fn a_join_keeps_its_new_token_and_a_new_name_becomes_a_plain_rejoin() {
    let mut joining = session(Auth::Join("Bo".into()));
    let mut room = None;
    let steps = joining.receive(
        &mut room,
        &welcome(2, Some(props_meetup(2).0), Some("tok".into())),
        0,
    );
    assert_eq!(
        steps.first(),
        Some(&Step::Welcomed {
            token: Some("tok".into()),
            came_back: false
        })
    );
    assert_eq!(joining.auth(), &Auth::Rejoin("tok".into()));
    let mut renamed = session(Auth::RejoinAs("tok".into(), "Bea".into()));
    renamed.receive(&mut room, &welcome(2, None, None), 0);
    assert_eq!(renamed.auth(), &Auth::Rejoin("tok".into()));
    let steps = renamed.receive(&mut room, &welcome(2, None, None), 0);
    assert!(matches!(
        steps.first(),
        Some(Step::Welcomed {
            came_back: true,
            ..
        })
    ));
}
