//! The derived JSON codec (`moot_shared::json`) against serde_json, which the
//! server writes with: rooms driven through the reducer by random commands
//! must decode to what serde decodes, for every viewer, in every state, with
//! every event on the way; random client commands must encode to
//! serde_json's exact text and decode (as the server reads them) to what
//! serde decodes; damaged text is refused where serde refuses it; and the
//! parser must refuse what is not JSON, never panic, and agree with
//! serde_json on what is.

use moot_shared::limits::{FACILITATOR_FALLBACK_MILLIS, FACILITATOR_RECLAIM_MILLIS};
use moot_shared::room::goals::{CheckIn, Goal, GoalId, GoalKind, GoalProgress, GoalVisibility};
use moot_shared::text::{GoalNote, GoalText};
use std::fmt::Debug;

mod common;

use common::commands::{PEOPLE, Raw, TEXTS, command, raw, text};
use common::{NOW, Opening, id, numbered_joins, open, viewers};
use moot_shared::json::{self, FromJson, Json, Problem, Syntax};
use moot_shared::limits::PRESENCE_GRACE_MILLIS;
use moot_shared::protocol::{ClientMessage, HelloAuth, ServerMessage};
use moot_shared::room::Viewer;
use moot_shared::room::agenda::{Format, formats};
use moot_shared::room::grouping::PairHistory;
use moot_shared::room::lifecycle::{CarriedAction, CarriedAgenda, CarriedOver, CarriedTopic};
use moot_shared::room::roti::{RotiPoint, RotiTrend};
use moot_shared::text::{ActionText, PollReason, TopicTitle};
use moot_shared::{
    Actor, Command, DisplayName, Event, JoinCode, MeetupTitle, Room, Seq, TextProblem, Timestamp,
};
use proptest::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Decodes serde_json's text of `value` with the browser's codec and checks
/// it equals what serde itself decodes from the same text.
fn decodes_like_serde<T>(value: &T)
where
    T: Serialize + DeserializeOwned + FromJson + PartialEq + Debug,
{
    let text = serde_json::to_string(value).expect("serialises");
    let derived: T = serde_json::from_str(&text).expect("serde reads its own text");
    let decoded: T = json::from_str(&text).unwrap_or_else(|error| panic!("{error}: {text}"));
    assert_eq!(decoded, derived, "{text}");
}

/// The same for a whole server message, as the browser decodes it.
fn message_decodes_like_serde(message: &ServerMessage) {
    let text = serde_json::to_string(message).expect("serialises");
    let derived: ServerMessage = serde_json::from_str(&text).expect("serde reads its own text");
    let decoded = server_message(&text).unwrap_or_else(|error| panic!("{error}: {text}"));
    assert_eq!(decoded, derived, "{text}");
}

fn server_message(text: &str) -> Result<ServerMessage, json::DecodeError> {
    json::from_str(text)
}

/// Checks that the codec writes exactly serde_json's text, and that the
/// server's reader gets the same message back from it.
fn encodes_like_serde(message: &ClientMessage) {
    let expected = serde_json::to_string(message).expect("serialises");
    assert_eq!(json::to_string(message), expected);
    assert_eq!(
        ClientMessage::parse(&expected).as_ref(),
        Ok(message),
        "{expected}"
    );
}

// ---------------------------------------------------------------------------
// Random rooms

/// What the earlier meetup of the series hands over, if there is one.
fn carried(items: usize) -> CarriedOver {
    let name = |n: usize| DisplayName::parse(&format!("Earlier {n}")).expect("a name");
    CarriedOver {
        from_code: JoinCode::parse("4HMA-SW90").expect("a join code"),
        from_title: MeetupTitle::parse("Last \"week\"").expect("a title"),
        topics: (0..items)
            .map(|n| CarriedTopic {
                title: TopicTitle::parse(TEXTS[n]).expect("a title"),
                details: None,
                author: name(n),
            })
            .collect(),
        action_items: (0..items)
            .map(|n| CarriedAction {
                text: ActionText::parse(TEXTS[n + 1]).expect("a text"),
                owner: name(n),
                due: None,
            })
            .collect(),
        // Every other room carries a plan, so both shapes are checked.
        agenda: (items % 2 == 1).then(|| CarriedAgenda {
            format: Format::OpenRound,
            phases: formats::phases(Format::OpenRound),
        }),
        // And some a ROTI trend with suggestions.
        roti: RotiTrend {
            points: (0..items)
                .map(|n| RotiPoint {
                    title: MeetupTitle::parse(TEXTS[n]).expect("a title"),
                    voters: n as u32,
                    mean_tenths: 10 + (n as u16 * 7) % 41,
                })
                .collect(),
            suggestions: (0..items % 3)
                .map(|n| PollReason::parse(TEXTS[n]).expect("a reason"))
                .collect(),
        },
        // Goals of every visibility, some with check-ins.
        goals: (0..items)
            .map(|n| Goal {
                id: GoalId(n as u64 + 1),
                owner: None,
                owner_name: name(n),
                text: GoalText::parse(TEXTS[n]).expect("a goal"),
                kind: [GoalKind::Achieve, GoalKind::Learn, GoalKind::Teach][n % 3],
                visibility: [
                    GoalVisibility::Group,
                    GoalVisibility::Buddy,
                    GoalVisibility::Private,
                ][n % 3],
                due: None,
                checkins: (0..n % 2)
                    .map(|_| CheckIn {
                        at: NOW,
                        progress: GoalProgress::Stuck,
                        note: GoalNote::parse(TEXTS[n]).ok(),
                    })
                    .collect(),
            })
            .collect(),
        // Who met whom, and the last breakout's pairs.
        met: {
            let mut met = PairHistory::default();
            let names: Vec<DisplayName> = (0..items).map(name).collect();
            let pairs: Vec<Vec<usize>> = (0..items / 2).map(|n| vec![2 * n, 2 * n + 1]).collect();
            met.record(&pairs, &names);
            met
        },
        groups: (0..items / 2)
            .map(|n| vec![name(2 * n), name(2 * n + 1)])
            .collect(),
    }
}

/// A room with everyone joined, and the events that made it.
fn opened(follows: Option<usize>) -> (Room, Vec<Event>) {
    let opening = Opening {
        title: "Props",
        follows: follows.map(carried),
        ..Opening::default()
    };
    open(&opening, numbered_joins(PEOPLE), NOW)
}

/// One step of a run: who acts, what they send, how much later, and
/// whether the server then marks them disconnected (`Some(false)`) or
/// connected again (`Some(true)`), so grace periods run into snapshots.
fn step() -> impl Strategy<Value = (u128, Raw, u64, Option<bool>)> {
    (
        prop_oneof![3 => Just(1u128), 2 => 1..=PEOPLE],
        raw(),
        prop_oneof![3 => Just(0u64), 2 => 0u64..90_000, 1 => 0u64..1_000_000],
        proptest::option::weighted(0.15, any::<bool>()),
    )
}

/// Checks every viewer's copy of the room, as a `welcome` snapshot and as a
/// bare room.
fn check_room(room: &Room, seq: u64, now: Timestamp) {
    for viewer in viewers(PEOPLE) {
        let seen = room.for_viewer(viewer);
        decodes_like_serde(&seen);
        message_decodes_like_serde(&ServerMessage::Welcome {
            protocol: 1,
            participant: match viewer {
                Viewer::Participant(id) => Some(id),
                Viewer::Screen => None,
            },
            token: seq.is_multiple_of(2).then(|| "ab".repeat(32)),
            server_time: now,
            seq: Seq(seq),
            snapshot: Some(Box::new(seen)),
        });
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// Random runs over every feature: each state of the room, and each
    /// event as every viewer receives it, decode as serde decodes them.
    #[test]
    fn prop_rooms_and_events_decode_like_serde(
        follows in proptest::option::of(0usize..4),
        steps in proptest::collection::vec(step(), 10..150),
    ) {
        let (mut room, events) = opened(follows);
        let mut seq = 0;
        for event in &events {
            seq += 1;
            for viewer in viewers(PEOPLE) {
                let sent = event.for_viewer(viewer).into_owned();
                message_decodes_like_serde(&ServerMessage::Event { seq: Seq(seq), at: NOW, event: sent });
            }
        }
        check_room(&room, seq, NOW);
        let mut now = NOW;
        for (who, raw, later, connection) in steps {
            now = now.plus_millis(later);
            let mut new = Vec::new();
            // Whatever ran out in the meantime happens first, as on the server.
            if room.next_deadline().is_some_and(|deadline| deadline <= now) {
                new.extend(room.apply(Actor::System, Command::Tick, now).unwrap_or_default());
            }
            let client = command(raw);
            encodes_like_serde(&ClientMessage::Command { request_id: format!("r{seq}"), command: client.clone() });
            for event in &new {
                room.on_event(event);
            }
            let mut applied = Vec::new();
            if let Ok(events) = room.apply(Actor::Participant(id(who)), client, now) {
                for event in &events {
                    room.on_event(event);
                }
                applied = events;
            }
            new.extend(applied);
            let participant = id(who);
            let marked = connection.map(|connected| match connected {
                true => Command::MarkConnected { participant, reclaim_ms: FACILITATOR_RECLAIM_MILLIS },
                false => Command::MarkDisconnected { participant, grace_ms: PRESENCE_GRACE_MILLIS , fallback_ms: FACILITATOR_FALLBACK_MILLIS},
            });
            if let Some(Ok(events)) = marked.map(|command| room.apply(Actor::System, command, now)) {
                for event in &events {
                    room.on_event(event);
                }
                new.extend(events);
            }
            for event in &new {
                seq += 1;
                for viewer in viewers(PEOPLE) {
                    let sent = event.for_viewer(viewer).into_owned();
                    message_decodes_like_serde(&ServerMessage::Event { seq: Seq(seq), at: now, event: sent });
                }
                decodes_like_serde(event);
            }
            if !new.is_empty() {
                check_room(&room, seq, now);
            }
        }
        room.check_invariants().map_err(TestCaseError::fail)?;
    }

    /// Every client command, and the other client messages, encode to
    /// serde_json's exact text.
    #[test]
    fn prop_client_messages_encode_like_serde(
        raw in raw(),
        request_id in "(?s).{0,10}",
        name in text(),
        last_seq in proptest::option::of(any::<u64>()),
        client_time in any::<u64>(),
    ) {
        let command = command(raw);
        encodes_like_serde(&ClientMessage::Command { request_id, command: command.clone() });
        let written = serde_json::to_string(&command).expect("serialises");
        prop_assert_eq!(json::to_string(&command), written.clone());
        // The browser's outbox keeps commands as serde_json wrote them (older
        // outboxes) and writes them back through a parsed value: same text.
        let parsed = Json::parse(&written).expect("valid JSON");
        prop_assert_eq!(json::to_string(&parsed), written);
        for auth in [
            HelloAuth::Join { name: name.clone() },
            HelloAuth::Rejoin { token: name.clone(), name: None },
            HelloAuth::Rejoin { token: name.clone(), name: Some(name.clone()) },
            HelloAuth::Screen { token: name.clone() },
        ] {
            encodes_like_serde(&ClientMessage::Hello {
                protocol: 1,
                join_code: name.clone(),
                auth,
                last_seq: last_seq.map(Seq),
            });
        }
        encodes_like_serde(&ClientMessage::Pong);
        encodes_like_serde(&ClientMessage::TimeSync { client_time });
    }

    /// The parser accepts exactly what serde_json accepts (apart from
    /// numbers too large for a float, which serde_json refuses and this
    /// parser keeps as text), and never panics.
    #[test]
    fn prop_parser_accepts_what_serde_json_accepts(
        text in r#"[\[\]{}":,0-9eE+\-. \\/untrfalsebx\u{0}\u{1f}é😀]{0,24}"#,
    ) {
        let ours = Json::parse(&text);
        match serde_json::from_str::<serde_json::Value>(&text) {
            Ok(_) => prop_assert!(ours.is_ok(), "{text:?}: {ours:?}"),
            Err(error) if error.to_string().contains("out of range") => {}
            Err(error) => prop_assert!(ours.is_err(), "{text:?}: serde_json says {error}"),
        }
    }

    /// Strings and whole numbers round-trip through the parser and writer
    /// exactly as serde_json writes them.
    #[test]
    fn prop_scalars_round_trip_like_serde(text in any::<String>(), unsigned in any::<u64>(), signed in any::<i64>()) {
        let written = serde_json::to_string(&text).expect("serialises");
        prop_assert_eq!(json::to_string(&text), written.clone());
        prop_assert_eq!(json::from_str::<String>(&written), Ok(text));
        prop_assert_eq!(json::from_str::<u64>(&unsigned.to_string()), Ok(unsigned));
        prop_assert_eq!(json::from_str::<i64>(&signed.to_string()), Ok(signed));
        prop_assert_eq!(json::to_string(&signed), signed.to_string());
    }

    /// Damaged server messages (cut short, or with a byte replaced) are
    /// refused or read as serde reads them, never with a panic.
    #[test]
    fn prop_damaged_messages_never_panic(cut in 0usize..400, at in 0usize..400, byte in 0u8..128) {
        let (room, _) = opened(Some(2));
        let text = serde_json::to_string(&ServerMessage::Welcome {
            protocol: 1,
            participant: Some(id(2)),
            token: None,
            server_time: NOW,
            seq: Seq(4),
            snapshot: Some(Box::new(room.for_clients())),
        }).expect("serialises");
        let mut bytes = text.into_bytes();
        bytes.truncate(bytes.len().saturating_sub(cut));
        if let Some(slot) = bytes.get_mut(at) {
            *slot = byte;
        }
        let damaged = String::from_utf8_lossy(&bytes);
        let decoded = server_message(&damaged);
        match serde_json::from_str::<ServerMessage>(&damaged) {
            Ok(derived) => prop_assert_eq!(decoded, Ok(derived)),
            Err(_) => prop_assert!(decoded.is_err(), "{damaged}"),
        }
    }

    /// Client commands with raw text in their text fields (anything at all,
    /// control characters and blanks included) are read by the server's
    /// decoder exactly as serde reads them: the same command, or refused.
    #[test]
    fn prop_raw_client_text_is_read_like_serde(raw in raw(), typed in "(?s).{0,12}") {
        let message = ClientMessage::Command { request_id: "r".into(), command: command(raw) };
        let mut tree: serde_json::Value = serde_json::to_value(&message).expect("serialises");
        let fields = tree["command"].as_object_mut().expect("a command is an object");
        for key in ["name", "question", "reason", "note", "prompt", "title", "details", "text", "due"] {
            if fields.contains_key(key) {
                fields.insert(key.to_owned(), serde_json::Value::String(typed.clone()));
            }
        }
        let text = tree.to_string();
        let ours = ClientMessage::parse(&text);
        match serde_json::from_str::<ClientMessage>(&text) {
            Ok(derived) => prop_assert_eq!(ours, Ok(derived)),
            Err(_) => prop_assert!(ours.is_err(), "{text}"),
        }
    }

    /// Damaged client frames are refused or read as serde reads them, and
    /// never make the server's decoder panic.
    #[test]
    fn prop_damaged_client_messages_never_panic(raw in raw(), cut in 0usize..200, at in 0usize..200, byte in 0u8..128) {
        let message = ClientMessage::Command { request_id: "r-1".into(), command: command(raw) };
        let mut bytes = serde_json::to_string(&message).expect("serialises").into_bytes();
        bytes.truncate(bytes.len().saturating_sub(cut));
        if let Some(slot) = bytes.get_mut(at) {
            *slot = byte;
        }
        let damaged = String::from_utf8_lossy(&bytes);
        let ours = ClientMessage::parse(&damaged);
        match serde_json::from_str::<ClientMessage>(&damaged) {
            Ok(derived) => prop_assert_eq!(ours, Ok(derived)),
            Err(_) => prop_assert!(ours.is_err(), "{damaged}"),
        }
    }
}

// ---------------------------------------------------------------------------
// Malformed input

fn syntax(text: &str) -> Option<Syntax> {
    match Json::parse(text) {
        Err(error) => match error.problem {
            Problem::Syntax { syntax, .. } => Some(syntax),
            _ => None,
        },
        Ok(_) => None,
    }
}

#[test]
fn malformed_json_is_refused_with_the_reason() {
    for (text, expected) in [
        ("", Syntax::UnexpectedEnd),
        ("   ", Syntax::UnexpectedEnd),
        ("{", Syntax::UnexpectedEnd),
        (r#"{"type":"ping","server_time":1"#, Syntax::UnexpectedEnd),
        (r#"{"type":"pi"#, Syntax::UnexpectedEnd),
        ("[1,]", Syntax::UnexpectedCharacter),
        ("{,}", Syntax::UnexpectedCharacter),
        (r#"{"a" 1}"#, Syntax::UnexpectedCharacter),
        (r#"{a:1}"#, Syntax::UnexpectedCharacter),
        ("nul", Syntax::UnexpectedCharacter),
        ("True", Syntax::UnexpectedCharacter),
        ("'x'", Syntax::UnexpectedCharacter),
        (r#""\x""#, Syntax::InvalidEscape),
        (r#""\u12g4""#, Syntax::InvalidEscape),
        (r#""\u12""#, Syntax::InvalidEscape),
        (r#""\ud800""#, Syntax::LoneSurrogate),
        (r#""\udc00\ud800""#, Syntax::LoneSurrogate),
        (r#""\ud800\ud800""#, Syntax::LoneSurrogate),
        ("\"a\u{1}b\"", Syntax::ControlCharacter),
        ("\"a\nb\"", Syntax::ControlCharacter),
        ("01", Syntax::TrailingCharacters),
        ("-", Syntax::InvalidNumber),
        ("1.", Syntax::InvalidNumber),
        ("1e", Syntax::InvalidNumber),
        ("1e+", Syntax::InvalidNumber),
        (".5", Syntax::UnexpectedCharacter),
        ("+1", Syntax::UnexpectedCharacter),
        ("{} {}", Syntax::TrailingCharacters),
        ("null x", Syntax::TrailingCharacters),
        ("\u{feff}{}", Syntax::UnexpectedCharacter),
    ] {
        assert_eq!(syntax(text), Some(expected), "{text:?}");
        assert!(
            serde_json::from_str::<serde_json::Value>(text).is_err(),
            "{text:?}"
        );
        assert!(server_message(text).is_err(), "{text:?}");
    }
}

#[test]
fn deep_nesting_is_refused_without_overflowing_the_stack() {
    for open in ["[", "{\"a\":"] {
        let text = open.repeat(100_000);
        assert_eq!(syntax(&text), Some(Syntax::TooDeep));
        assert!(server_message(&text).is_err());
    }
    // Nesting up to the limit is fine.
    let limit = json::MAX_DEPTH;
    let text = format!("{}{}", "[".repeat(limit), "]".repeat(limit));
    assert!(Json::parse(&text).is_ok());
    let text = format!("{}{}", "[".repeat(limit + 1), "]".repeat(limit + 1));
    assert_eq!(syntax(&text), Some(Syntax::TooDeep));
}

#[test]
fn numbers_that_do_not_fit_are_refused() {
    for text in [
        r#"{"type":"ping","server_time":18446744073709551616}"#,
        r#"{"type":"ping","server_time":123456789012345678901234567890}"#,
        r#"{"type":"ping","server_time":1e400}"#,
        r#"{"type":"ping","server_time":1.5}"#,
        r#"{"type":"ping","server_time":1e3}"#,
        r#"{"type":"ping","server_time":-1}"#,
        r#"{"type":"ping","server_time":-0}"#,
        r#"{"type":"ping","server_time":"5"}"#,
        r#"{"type":"rejected","request_id":null,"reason":{"code":"room_full","seat_cap":65536},"message":"x"}"#,
    ] {
        assert!(
            serde_json::from_str::<ServerMessage>(text).is_err(),
            "{text}"
        );
        let error = server_message(text).expect_err(text);
        assert!(
            matches!(error.problem, Problem::OutOfRange | Problem::Expected(_)),
            "{text}: {error}"
        );
    }
    assert_eq!(
        server_message(r#"{"type":"ping","server_time":18446744073709551615}"#),
        Ok(ServerMessage::Ping {
            server_time: Timestamp(u64::MAX)
        })
    );
}

#[test]
fn values_that_do_not_fit_their_type_are_refused() {
    let participant = "6f1c2a52-3b1e-4c8e-9d0a-1b2c3d4e5f60";
    for (text, expected) in [
        ("[]", Problem::Expected("an object")),
        ("\"welcome\"", Problem::Expected("an object")),
        ("null", Problem::Expected("an object")),
        (r#"{"seq":1}"#, Problem::MissingField("type")),
        (r#"{"type":5}"#, Problem::Expected("a string")),
        (
            r#"{"type":"from_the_future"}"#,
            Problem::UnknownVariant("from_the_future".into()),
        ),
        (
            r#"{"type":"event","seq":1,"at":1,"event":{"type":"from_the_future"}}"#,
            Problem::UnknownVariant("from_the_future".into()),
        ),
        (
            r#"{"type":"event","seq":1,"at":1,"event":[]}"#,
            Problem::Expected("an object"),
        ),
        (
            r#"{"type":"ack","seq":1}"#,
            Problem::MissingField("request_id"),
        ),
        (
            r#"{"type":"ack","request_id":null,"seq":1}"#,
            Problem::Expected("a string"),
        ),
        (
            r#"{"type":"refused","reason":{"code":"locked"}}"#,
            Problem::MissingField("message"),
        ),
        (
            r#"{"type":"refused","reason":{"code":"invalid_field","field":"name","problem":"too_loud"},"message":"x"}"#,
            Problem::UnknownVariant("too_loud".into()),
        ),
    ] {
        assert!(
            serde_json::from_str::<ServerMessage>(text).is_err(),
            "{text}"
        );
        let error = server_message(text).expect_err(text);
        assert_eq!(error.problem, expected, "{text}");
    }

    // Validated text goes through its type's own checks, and the error says where.
    let text = format!(
        r#"{{"type":"event","seq":1,"at":1,"event":{{"type":"participant_renamed","participant":"{participant}","name":"   "}}}}"#
    );
    assert!(serde_json::from_str::<ServerMessage>(&text).is_err());
    let error = server_message(&text).expect_err("a blank name");
    assert_eq!(error.path, "event.name");
    assert_eq!(error.problem, Problem::Text(TextProblem::Empty));
    let text = r#"{"type":"event","seq":1,"at":1,"event":{"type":"participant_left","participant":"not-a-uuid"}}"#;
    assert!(serde_json::from_str::<ServerMessage>(text).is_err());
    assert_eq!(
        server_message(text).expect_err("not a uuid").path,
        "event.participant"
    );
}

#[test]
fn error_messages_say_what_and_where() {
    let text = r#"{"type":"welcome","protocol":1,"participant":null,"server_time":1,"seq":1,
        "snapshot":{"code":"7KQ2M9XD","title":"T","opened_at":1,"locked":false,"seat_cap":5,
        "participants":[],"board":{"topics":[{"id":1,"author":"6f1c2a52-3b1e-4c8e-9d0a-1b2c3d4e5f60"}]}}}"#;
    let error = server_message(text).expect_err("a topic without a title");
    assert_eq!(
        error.to_string(),
        "missing field `title` at snapshot.board.topics[0]"
    );
    assert_eq!(
        Json::parse("[1,]").expect_err("bad").to_string(),
        "unexpected character at byte 3"
    );
}

#[test]
fn defaults_and_flattened_fields_read_as_the_derives_read_them() {
    // A board with nothing but a topic: every `#[serde(default)]` applies,
    // `voting_open` defaults to true.
    let text = r#"{"code":"7KQ2M9XD","title":"T","opened_at":1,"locked":false,"seat_cap":5,
        "participants":[],"board":{"topics":[]},"timer":{"run":{"state":"paused","remaining_ms":5}},
        "polls":{"history":[{"id":1,"question":"Q?","kind":"custom","options":["a","b"],
        "auto_reveal":true,"status":"open","extra":[1,{"x":null}]}]},
        "series":{"follows":["7kq2-m9xd","Earlier"]}}"#;
    let derived: Room = serde_json::from_str(text).expect("serde reads it");
    assert_eq!(json::from_str::<Room>(text), Ok(derived.clone()));
    assert!(derived.board.voting_open);
    // A pair must have exactly two items, as serde's tuple requires.
    let three = text.replace(r#""Earlier"]"#, r#""Earlier","x"]"#);
    assert!(serde_json::from_str::<Room>(&three).is_err());
    assert!(json::from_str::<Room>(&three).is_err());
}

#[test]
fn every_character_is_escaped_like_serde_json() {
    // All of ASCII and the first planes' edges, one string each and all in one.
    let characters: String = (0..0x800)
        .chain([0x2028, 0x2029, 0xfeff, 0xfffd, 0x1f600, 0x10ffff])
        .filter_map(char::from_u32)
        .collect();
    for character in characters.chars() {
        let text = character.to_string();
        let written = serde_json::to_string(&text).expect("serialises");
        assert_eq!(json::to_string(&text), written, "{character:?}");
        assert_eq!(json::from_str::<String>(&written), Ok(text));
    }
    let written = serde_json::to_string(&characters).expect("serialises");
    assert_eq!(json::to_string(&characters), written);
    assert_eq!(json::from_str::<String>(&written), Ok(characters));
}

/// A part of the room is left out of its JSON only when it is exactly what a
/// reader fills in for it: a breakout circle without a breakout (a finding
/// of the fuzzer, `fuzz/corpus/server/welcome-breakouts-with-only-a-circle.json`)
/// and an agenda's phase count and end without phases were dropped, so a
/// phone and a stored snapshot read another room than the one written.
#[test]
fn a_room_part_is_left_out_only_when_a_reader_restores_it_whole() {
    let (mut room, _) = opened(None);
    room.breakouts.circle = Some(moot_shared::room::breakout::Circle {
        seats: vec![id(1), id(2)],
        round: 1,
    });
    room.agenda.last_phase = 3;
    room.agenda.ended = true;
    for written in [
        json::to_string(&room),
        serde_json::to_string(&room).expect("serialises"),
    ] {
        assert_eq!(json::from_str::<Room>(&written), Ok(room.clone()));
        assert_eq!(
            serde_json::from_str::<Room>(&written).expect("serde reads it"),
            room
        );
    }
}
