//! The browser's compact codec (`moot_shared::decode` and
//! `moot_shared::json`) must read every server message exactly as the serde
//! derives do, and write every client message exactly as serde_json does. The
//! examples in `docs/PROTOCOL.md` cover every message, command and event (the
//! golden tests make sure of that), so checking them all covers every arm.

use moot_shared::decode;
use moot_shared::json;
use moot_shared::protocol::{ClientMessage, ServerMessage};

/// The text of every ```` ```json server ```` block of the protocol document,
/// with the line of its opening fence.
fn server_examples() -> Vec<(usize, String)> {
    examples("```json server")
}

/// The text of every block whose opening fence is `fence`, with its line.
fn examples(fence: &str) -> Vec<(usize, String)> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/PROTOCOL.md");
    let doc = std::fs::read_to_string(path).expect("docs/PROTOCOL.md is readable");
    let mut examples = Vec::new();
    let mut open: Option<(usize, Vec<&str>)> = None;
    for (index, line) in doc.lines().enumerate() {
        if let Some((start, body)) = open.as_mut() {
            if line.trim_end() == "```" {
                examples.push((*start, body.join("\n")));
                open = None;
            } else {
                body.push(line);
            }
        } else if line.trim_end() == fence {
            open = Some((index + 1, Vec::new()));
        }
    }
    examples
}

#[test]
fn decodes_every_server_example_like_the_derive() {
    let examples = server_examples();
    assert!(
        examples.len() > 20,
        "found only {} examples",
        examples.len()
    );
    for (line, text) in examples {
        let derived: ServerMessage = serde_json::from_str(&text)
            .unwrap_or_else(|error| panic!("PROTOCOL.md line {line}: {error}"));
        let decoded = decode::server_message(&text).unwrap_or_else(|error| {
            panic!(
                "PROTOCOL.md line {line}: the browser decoder refuses it ({error}); \
                 add the message or event to shared/src/decode.rs"
            )
        });
        assert_eq!(decoded, derived, "PROTOCOL.md line {line}");
    }
}

#[test]
fn encodes_every_client_example_like_serde_json() {
    let examples = examples("```json client");
    assert!(
        examples.len() > 20,
        "found only {} examples",
        examples.len()
    );
    for (line, text) in examples {
        let message: ClientMessage = serde_json::from_str(&text)
            .unwrap_or_else(|error| panic!("PROTOCOL.md line {line}: {error}"));
        let expected = serde_json::to_string(&message).expect("serialises");
        assert_eq!(
            json::to_string(&message),
            expected,
            "PROTOCOL.md line {line}: shared/src/json.rs writes it differently"
        );
    }
}

#[test]
fn optional_fields_may_be_absent_and_required_ones_may_not() {
    let text = r#"{"type":"event","seq":3,"at":5,"event":{"type":"hand_raised","entry":1,
        "participant":"6f1c2a52-3b1e-4c8e-9d0a-1b2c3d4e5f60","kind":"new_point"}}"#;
    let derived: ServerMessage = serde_json::from_str(text).expect("a valid event");
    assert_eq!(
        decode::server_message(text).expect("a valid event"),
        derived
    );

    let missing = r#"{"type":"event","seq":3,"at":5,"event":{"type":"hand_raised","entry":1,
        "kind":"new_point"}}"#;
    assert!(serde_json::from_str::<ServerMessage>(missing).is_err());
    assert!(decode::server_message(missing).is_err());
}

#[test]
fn unknown_types_and_non_objects_are_errors() {
    for text in [
        r#"{"type":"from_the_future","seq":1}"#,
        r#"{"type":"event","seq":1,"at":1,"event":{"type":"from_the_future"}}"#,
        r#"{"seq":1}"#,
        "[1,2]",
        "not json",
    ] {
        assert!(decode::server_message(text).is_err(), "{text}");
    }
}
