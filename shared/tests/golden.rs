//! Golden tests: the examples in `docs/PROTOCOL.md` are the protocol.
//!
//! Every ```` ```json client ```` block must parse as a [`ClientMessage`] and
//! every ```` ```json server ```` block as a [`ServerMessage`]; serialising the
//! parsed value again must give back the example exactly (pretty-printed, with
//! the same field order). Both decoders (serde's, which the server writes
//! with, and the derived one the browser and the server's reader use) must
//! read each example alike, and both writers must write it alike. Every
//! variant of every protocol enum must appear at least once; the lists of
//! variants come from the types (`#[derive(Variants)]`), so adding a variant
//! without documenting it fails a test. A few tests below
//! build messages in Rust and pin their exact compact JSON, so the format is
//! pinned in code as well as in the document.

use std::collections::BTreeSet;

use moot_shared::json::{self, ToJson, Variants};
use moot_shared::protocol::{
    ClientMessage, HelloAuth, PROTOCOL_VERSION, ServerMessage, parse_request_id,
};
use moot_shared::room::{Membership, Participant, Presence, ReportedPresence, Role, ScreenKey};
use moot_shared::{
    Command, Credential, DisplayName, Event, JoinCode, MeetupTitle, ParticipantId, Rejection, Room,
    Seq, TextProblem, Timestamp,
};
use serde::Deserialize;
use uuid::Uuid;

/// The kind of a fenced JSON example, from its info string.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Client,
    Server,
    Http,
}

/// One ```` ```json … ```` block of the protocol document.
struct Example {
    kind: Kind,
    /// 1-based line of the opening fence, for failure messages.
    line: usize,
    text: String,
}

fn protocol_doc() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/PROTOCOL.md");
    std::fs::read_to_string(path).expect("docs/PROTOCOL.md is readable")
}

/// Extracts every JSON block. A `json` fence without `client`, `server` or
/// `http` is an error: each example must say what it is, so it gets checked.
fn examples() -> Vec<Example> {
    let doc = protocol_doc();
    let mut examples = Vec::new();
    let mut open: Option<(Kind, usize, Vec<&str>)> = None;
    for (index, line) in doc.lines().enumerate() {
        let line_number = index + 1;
        if let Some((kind, start, body)) = open.as_mut() {
            if line.trim_end() == "```" {
                examples.push(Example {
                    kind: *kind,
                    line: *start,
                    text: body.join("\n"),
                });
                open = None;
            } else {
                body.push(line);
            }
            continue;
        }
        let Some(info) = line.trim_end().strip_prefix("```") else {
            continue;
        };
        let mut words = info.split_whitespace();
        if words.next() != Some("json") {
            continue;
        }
        let kind = match words.next() {
            Some("client") => Kind::Client,
            Some("server") => Kind::Server,
            Some("http") => Kind::Http,
            other => panic!(
                "PROTOCOL.md line {line_number}: a json block must be marked \
                 `json client`, `json server` or `json http`, found {other:?}"
            ),
        };
        open = Some((kind, line_number, Vec::new()));
    }
    assert!(open.is_none(), "PROTOCOL.md ends inside a code block");
    examples
}

/// Asserts that the derived writer gives serde's compact text byte for byte.
fn assert_same_writing<T: serde::Serialize + ToJson>(example: &Example, value: &T) {
    assert_eq!(
        json::to_string(value),
        serde_json::to_string(value).expect("protocol types serialise"),
        "PROTOCOL.md line {}: the derived writer differs from serde",
        example.line
    );
}

/// Asserts that `value` serialises back to exactly the example's text.
fn assert_round_trips<T: serde::Serialize>(example: &Example, value: &T) {
    let again = serde_json::to_string_pretty(value).expect("protocol types serialise");
    let written: serde_json::Value = serde_json::from_str(&example.text).expect("checked before");
    let again_value: serde_json::Value = serde_json::from_str(&again).expect("just serialised");
    assert_eq!(
        again_value, written,
        "PROTOCOL.md line {}: the example does not survive a round trip; the types give:\n{again}",
        example.line
    );
    assert_eq!(
        again, example.text,
        "PROTOCOL.md line {}: same JSON, but field order or layout differs; write it as:\n{again}",
        example.line
    );
}

/// Variant names seen among the examples, per enum.
#[derive(Default)]
struct Seen {
    client_messages: BTreeSet<&'static str>,
    commands: BTreeSet<&'static str>,
    hello_auths: BTreeSet<&'static str>,
    server_messages: BTreeSet<&'static str>,
    events: BTreeSet<&'static str>,
    rejections: BTreeSet<&'static str>,
}

/// The shape of an HTTP error body.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HttpError {
    error: Rejection,
    message: String,
}

/// Checks a client example beyond the round trip: what the server would
/// validate next must pass too, so the examples are valid, not just well-typed.
fn check_client(example: &Example, message: &ClientMessage, seen: &mut Seen) {
    seen.client_messages.insert(message.variant_name());
    match message {
        ClientMessage::Hello {
            protocol,
            join_code,
            auth,
            ..
        } => {
            assert_eq!(*protocol, PROTOCOL_VERSION, "line {}", example.line);
            assert!(JoinCode::parse(join_code).is_ok(), "line {}", example.line);
            seen.hello_auths.insert(auth.variant_name());
            match auth {
                HelloAuth::Join { name } => {
                    assert!(DisplayName::parse(name).is_ok(), "line {}", example.line);
                }
                HelloAuth::Rejoin { token, .. } => {
                    assert!(Credential::parse(token).is_some(), "line {}", example.line);
                }
                HelloAuth::Screen { token } => {
                    assert!(ScreenKey::parse(token).is_some(), "line {}", example.line);
                }
            }
        }
        ClientMessage::Command {
            request_id,
            command,
        } => {
            assert!(
                parse_request_id(request_id).is_ok(),
                "line {}",
                example.line
            );
            seen.commands.insert(command.variant_name());
        }
        ClientMessage::Pong | ClientMessage::TimeSync { .. } => {}
    }
}

/// Checks a server example beyond the round trip: sentences match their
/// reasons, tokens belong to the participant, nothing secret is on the wire.
fn check_server(example: &Example, message: &ServerMessage, seen: &mut Seen) {
    seen.server_messages.insert(message.variant_name());
    assert!(
        !example.text.contains("\"credential\":"),
        "line {}: credential digests never go to clients",
        example.line
    );
    match message {
        ServerMessage::Welcome {
            protocol,
            participant,
            token,
            snapshot,
            ..
        } => {
            assert_eq!(*protocol, PROTOCOL_VERSION, "line {}", example.line);
            if let Some(token) = token {
                let credential = Credential::parse(token).expect("a welcome token parses");
                assert_eq!(Some(credential.participant), *participant);
            }
            if let Some(room) = snapshot {
                assert_eq!(room.check_invariants(), Ok(()), "line {}", example.line);
                if let Some(me) = participant {
                    assert!(room.participant(*me).is_some(), "line {}", example.line);
                }
            }
        }
        ServerMessage::Event { seq, event, .. } => {
            assert!(seq.0 >= 1, "line {}", example.line);
            seen.events.insert(event.variant_name());
        }
        ServerMessage::Rejected {
            request_id,
            reason,
            message,
        } => {
            if let Some(request_id) = request_id {
                assert!(
                    parse_request_id(request_id).is_ok(),
                    "line {}",
                    example.line
                );
            }
            seen.rejections.insert(reason.variant_name());
            assert_eq!(*message, reason.to_string(), "line {}", example.line);
        }
        ServerMessage::Refused { reason, message } => {
            seen.rejections.insert(reason.variant_name());
            assert_eq!(*message, reason.to_string(), "line {}", example.line);
        }
        ServerMessage::Ack { request_id, .. } => {
            assert!(
                parse_request_id(request_id).is_ok(),
                "line {}",
                example.line
            );
        }
        ServerMessage::Ping { .. } | ServerMessage::TimeSync { .. } => {}
    }
}

/// `POST /api/meetups` request body, as the doc describes it (the server
/// owns the real type; this one pins the documented shape).
#[derive(Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
struct CreateMeetup {
    title: String,
    facilitator_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    follows: Option<Follows>,
}

/// `follows` in a `POST /api/meetups` body: the earlier meetup of the series.
#[derive(Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
struct Follows {
    join_code: JoinCode,
    token: String,
}

/// `POST /api/meetups` answer, as the doc describes it.
#[derive(Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
struct MeetupCreated {
    join_code: JoinCode,
    join_url: String,
    facilitator_url: String,
    screen_url: String,
    participant: ParticipantId,
    token: String,
}

/// `GET /api/meetups/{code}/screen` answer, as the doc describes it.
#[derive(Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
struct ScreenLinkAnswer {
    screen_url: Option<String>,
}

fn check_http(example: &Example, seen: &mut Seen) {
    let value: serde_json::Value = serde_json::from_str(&example.text).expect("checked before");
    let line = example.line;
    if value.get("error").is_some() {
        let body: HttpError = serde_json::from_str(&example.text)
            .unwrap_or_else(|error| panic!("line {line}: {error}"));
        seen.rejections.insert(body.error.variant_name());
        assert_eq!(body.message, body.error.to_string(), "line {line}");
        let again = serde_json::json!({ "error": body.error, "message": body.message });
        assert_eq!(again, value, "line {line}");
    } else if value.get("token").is_some() {
        let body: MeetupCreated = serde_json::from_str(&example.text)
            .unwrap_or_else(|error| panic!("line {line}: {error}"));
        assert_round_trips(example, &body);
        let credential = Credential::parse(&body.token).expect("the token parses");
        assert_eq!(credential.participant, body.participant, "line {line}");
        let code = body.join_code.as_str();
        assert!(
            body.join_url.ends_with(&format!("/j/{code}")),
            "line {line}"
        );
        let secret = format!("#k={}", body.token);
        // `?facilitate` makes the page load the full app (see web/src/lib.rs).
        let facilitator = format!("/m/{code}?facilitate{secret}");
        assert!(body.facilitator_url.ends_with(&facilitator), "line {line}");
        // The screen has a key of its own, never the facilitator's token.
        let (screen, key) = body.screen_url.split_once("#k=").expect("a key");
        assert!(
            screen.ends_with(&format!("/m/{code}/screen")),
            "line {line}"
        );
        assert!(ScreenKey::parse(key).is_some(), "line {line}");
        assert_ne!(key, body.token, "line {line}");
    } else if value.get("screen_url").is_some() {
        let body: ScreenLinkAnswer = serde_json::from_str(&example.text)
            .unwrap_or_else(|error| panic!("line {line}: {error}"));
        assert_round_trips(example, &body);
        if let Some(url) = &body.screen_url {
            let key = url.split_once("/screen#k=").expect("a screen link").1;
            assert!(ScreenKey::parse(key).is_some(), "line {line}");
        }
    } else {
        let body: CreateMeetup = serde_json::from_str(&example.text)
            .unwrap_or_else(|error| panic!("line {line}: {error}"));
        assert_round_trips(example, &body);
        assert!(MeetupTitle::parse(&body.title).is_ok(), "line {line}");
        assert!(
            DisplayName::parse(&body.facilitator_name).is_ok(),
            "line {line}"
        );
    }
}

/// Parses and checks every example; returns the variants seen.
fn check_all_examples() -> Seen {
    let mut seen = Seen::default();
    let examples = examples();
    assert!(
        examples.len() > 40,
        "found only {} examples",
        examples.len()
    );
    for example in &examples {
        if let Err(error) = serde_json::from_str::<serde_json::Value>(&example.text) {
            panic!("PROTOCOL.md line {}: not JSON: {error}", example.line);
        }
        match example.kind {
            Kind::Client => {
                // As the server reads it: the derived decoder, which also
                // validates the text of a command.
                let message = ClientMessage::parse(&example.text).unwrap_or_else(|refusal| {
                    panic!("PROTOCOL.md line {}: {refusal:?}", example.line)
                });
                let by_serde: ClientMessage = serde_json::from_str(&example.text)
                    .unwrap_or_else(|error| panic!("PROTOCOL.md line {}: {error}", example.line));
                assert_eq!(
                    message, by_serde,
                    "line {}: the two decoders differ",
                    example.line
                );
                assert_round_trips(example, &message);
                assert_same_writing(example, &message);
                check_client(example, &message, &mut seen);
            }
            Kind::Server => {
                // As the server writes it (serde) and the browser reads it.
                let message: ServerMessage = serde_json::from_str(&example.text)
                    .unwrap_or_else(|error| panic!("PROTOCOL.md line {}: {error}", example.line));
                let by_browser: ServerMessage = json::from_str(&example.text)
                    .unwrap_or_else(|error| panic!("PROTOCOL.md line {}: {error}", example.line));
                assert_eq!(
                    message, by_browser,
                    "line {}: the two decoders differ",
                    example.line
                );
                assert_round_trips(example, &message);
                assert_same_writing(example, &message);
                check_server(example, &message, &mut seen);
            }
            Kind::Http => check_http(example, &mut seen),
        }
    }
    seen
}

#[test]
fn every_example_in_the_protocol_doc_round_trips_exactly() {
    check_all_examples();
}

fn assert_covers(what: &str, seen: &BTreeSet<&'static str>, all: &[&str]) {
    let missing: Vec<&&str> = all.iter().filter(|name| !seen.contains(**name)).collect();
    assert!(
        missing.is_empty(),
        "docs/PROTOCOL.md has no example of these {what}: {missing:?}"
    );
}

#[test]
fn the_protocol_doc_has_an_example_of_every_variant() {
    // The name lists come from the types (`#[derive(Variants)]`): a new
    // variant fails here until PROTOCOL.md shows it.
    let seen = check_all_examples();
    assert_covers(
        "client messages",
        &seen.client_messages,
        ClientMessage::NAMES,
    );
    assert_covers("commands", &seen.commands, Command::NAMES);
    assert_covers("hello auth modes", &seen.hello_auths, HelloAuth::NAMES);
    assert_covers(
        "server messages",
        &seen.server_messages,
        ServerMessage::NAMES,
    );
    assert_covers("events", &seen.events, Event::NAMES);
    assert_covers("rejection codes", &seen.rejections, Rejection::NAMES);
}

/// Every rejection in the documented examples (and so, by the coverage
/// test, every rejection there is), with the example's values.
fn documented_rejections() -> Vec<Rejection> {
    let mut rejections = Vec::new();
    for example in examples() {
        let reason = match example.kind {
            Kind::Server => match serde_json::from_str(&example.text) {
                Ok(
                    ServerMessage::Rejected { reason, .. } | ServerMessage::Refused { reason, .. },
                ) => reason,
                _ => continue,
            },
            Kind::Http => match serde_json::from_str::<HttpError>(&example.text) {
                Ok(body) => body.error,
                Err(_) => continue,
            },
            Kind::Client => continue,
        };
        rejections.push(reason);
    }
    rejections
}

#[test]
fn the_protocol_doc_lists_every_rejection_with_its_close_code() {
    let doc = protocol_doc();
    let rejections = documented_rejections();
    let named: BTreeSet<&str> = rejections.iter().map(Variants::variant_name).collect();
    assert_covers("rejections with an example", &named, Rejection::NAMES);
    for rejection in &rejections {
        let name = rejection.variant_name();
        let code = rejection.close_code();
        // The table row reads "| `code` | fields | close | when |"; the close
        // column may be parenthesised for reasons that never close.
        let row = doc
            .lines()
            .find(|line| line.starts_with(&format!("| `{name}` |")))
            .unwrap_or_else(|| panic!("no table row for {name}"));
        let close = row.split('|').nth(3).expect("the row has a close column");
        assert_eq!(
            close.trim().trim_matches(|c| c == '(' || c == ')'),
            code.to_string(),
            "close code of {name}"
        );
    }
}

// --- The format pinned in code ---

fn ada() -> ParticipantId {
    ParticipantId(Uuid::parse_str("0b0e4f6a-5c1d-4e8b-9f3a-2d7c6b1e8a90").expect("a uuid"))
}

fn bo() -> ParticipantId {
    ParticipantId(Uuid::parse_str("5f2c9d1e-3a4b-4c6d-8e7f-901a2b3c4d5e").expect("a uuid"))
}

fn compact<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("protocol types serialise")
}

#[test]
fn an_event_frame_is_pinned() {
    let message = ServerMessage::Event {
        seq: Seq(4),
        at: Timestamp(1_767_801_723_401),
        event: Event::ParticipantJoined {
            participant: bo(),
            name: DisplayName::parse("Bo").expect("a name"),
            credential: None,
        },
    };
    assert_eq!(
        compact(&message),
        r#"{"type":"event","seq":4,"at":1767801723401,"event":{"type":"participant_joined","participant":"5f2c9d1e-3a4b-4c6d-8e7f-901a2b3c4d5e","name":"Bo"}}"#
    );
}

#[test]
fn an_ack_is_pinned() {
    let message = ServerMessage::Ack {
        request_id: "r-7f3a-18".into(),
        seq: Seq(44),
    };
    assert_eq!(
        compact(&message),
        r#"{"type":"ack","request_id":"r-7f3a-18","seq":44}"#
    );
}

#[test]
fn a_rejected_invalid_field_is_pinned() {
    let message = ServerMessage::rejected(
        Some("r-1".into()),
        Rejection::InvalidField {
            field: "name".into(),
            problem: TextProblem::TooLong { max_chars: 40 },
        },
    );
    assert_eq!(
        compact(&message),
        r#"{"type":"rejected","request_id":"r-1","reason":{"code":"invalid_field","field":"name","problem":"too_long","max_chars":40},"message":"name must be at most 40 characters"}"#
    );
    let without_id = ServerMessage::rejected(None, Rejection::InvalidRequestId);
    assert_eq!(
        compact(&without_id),
        r#"{"type":"rejected","request_id":null,"reason":{"code":"invalid_request_id"},"message":"the request id must be 1 to 64 printable ASCII characters"}"#
    );
}

#[test]
fn a_refused_handshake_is_pinned() {
    let message = ServerMessage::refused(Rejection::RoomFull { seat_cap: 8 });
    assert_eq!(
        compact(&message),
        r#"{"type":"refused","reason":{"code":"room_full","seat_cap":8},"message":"all 8 seats are taken"}"#
    );
}

#[test]
fn a_welcome_with_snapshot_is_pinned_and_carries_no_digest() {
    let room = Room {
        code: JoinCode::parse("7KQ2M9XD").expect("a join code"),
        title: MeetupTitle::parse("Retro").expect("a title"),
        opened_at: Timestamp(1_767_801_600_000),
        locked: true,
        seat_cap: 8,
        participants: vec![Participant {
            id: ada(),
            name: DisplayName::parse("Ada").expect("a name"),
            role: Role::Facilitator,
            presence: Presence::Here,
            membership: Membership::Active,
            credential: Some(moot_shared::room::CredentialDigest("secret-digest".into())),
            gone_at: None,
        }],
        queue: Default::default(),
        polls: Default::default(),
        board: Default::default(),
        timer: Default::default(),
        ended_at: None,
        series: Default::default(),
        agenda: Default::default(),
        goals: Default::default(),
        breakouts: Default::default(),
        fallback: moot_shared::room::Fallback {
            arrivals: vec![ada()],
            ..Default::default()
        },
        screen: moot_shared::room::ScreenLink {
            changes: 0,
            active: true,
            key: moot_shared::room::ScreenKey::parse("5ec7e7c0ffee5ec7e7c0ffee5ec7e7c0"),
        },
    };
    let message = ServerMessage::Welcome {
        protocol: PROTOCOL_VERSION,
        participant: Some(ada()),
        token: None,
        server_time: Timestamp(1_767_801_723_456),
        seq: Seq(1),
        snapshot: Some(Box::new(room.for_clients())),
    };
    assert_eq!(
        compact(&message),
        r#"{"type":"welcome","protocol":1,"participant":"0b0e4f6a-5c1d-4e8b-9f3a-2d7c6b1e8a90","server_time":1767801723456,"seq":1,"snapshot":{"code":"7KQ2M9XD","title":"Retro","opened_at":1767801600000,"locked":true,"seat_cap":8,"participants":[{"id":"0b0e4f6a-5c1d-4e8b-9f3a-2d7c6b1e8a90","name":"Ada","role":"facilitator","presence":"here","membership":"active"}],"screen":{"changes":0,"active":true},"fallback":{"arrivals":["0b0e4f6a-5c1d-4e8b-9f3a-2d7c6b1e8a90"]}}}"#
    );
    // The server's own copy does carry the digest and the screen key; only
    // for_clients is sent.
    assert!(compact(&room).contains("secret-digest"));
    assert!(compact(&room).contains("5ec7e7c0ffee"));
}

#[test]
fn a_screen_welcome_has_a_null_participant() {
    let message = ServerMessage::Welcome {
        protocol: PROTOCOL_VERSION,
        participant: None,
        token: None,
        server_time: Timestamp(5),
        seq: Seq(9),
        snapshot: None,
    };
    assert_eq!(
        compact(&message),
        r#"{"type":"welcome","protocol":1,"participant":null,"server_time":5,"seq":9}"#
    );
}

#[test]
fn client_messages_are_pinned() {
    let hello = ClientMessage::Hello {
        protocol: 1,
        join_code: "7KQ2M9XD".into(),
        auth: HelloAuth::Join { name: "Bo".into() },
        last_seq: None,
    };
    assert_eq!(
        compact(&hello),
        r#"{"type":"hello","protocol":1,"join_code":"7KQ2M9XD","auth":{"mode":"join","name":"Bo"}}"#
    );
    let command = ClientMessage::Command {
        request_id: "r-1".into(),
        command: Command::SetPresence {
            presence: ReportedPresence::Away,
        },
    };
    assert_eq!(
        compact(&command),
        r#"{"type":"command","request_id":"r-1","command":{"type":"set_presence","presence":"away"}}"#
    );
    assert_eq!(compact(&ClientMessage::Pong), r#"{"type":"pong"}"#);
    assert_eq!(
        ClientMessage::parse(r#"{"type":"time_sync","client_time":12}"#),
        Ok(ClientMessage::TimeSync { client_time: 12 })
    );
}

#[test]
fn server_only_fields_never_reach_the_wire() {
    let joined = Event::ParticipantJoined {
        participant: bo(),
        name: DisplayName::parse("Bo").expect("a name"),
        credential: Some(moot_shared::room::CredentialDigest("digest".into())),
    };
    assert!(compact(&joined).contains("digest"));
    assert!(!compact(joined.for_clients().as_ref()).contains("credential"));
}

#[test]
fn close_codes_are_pinned() {
    let expected = [
        (Rejection::UnsupportedProtocolVersion { supported: 1 }, 4001),
        (Rejection::HelloExpected, 4002),
        (Rejection::HandshakeTimeout, 4003),
        (Rejection::UnknownJoinCode, 4004),
        (Rejection::BadCredential, 4005),
        (Rejection::TooManyAttempts { retry_after_ms: 1 }, 4006),
        (Rejection::ServerFull, 4007),
        (Rejection::StorageFailed, 4008),
        (Rejection::Locked, 4009),
        (Rejection::RoomFull { seat_cap: 1 }, 4009),
        (Rejection::NameTaken, 4009),
        (Rejection::StaleTurn, 4009),
        (Rejection::Removed, 4010),
    ];
    for (rejection, code) in expected {
        assert_eq!(rejection.close_code(), code, "{rejection:?}");
    }
}
