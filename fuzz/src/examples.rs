//! What the fuzzer starts from: every JSON example of `docs/PROTOCOL.md`
//! (the golden tests hold them true, and they cover every message, command
//! and event), and the vocabulary they use, field by field.
//!
//! The document is compiled into the binary, so the fuzzer runs from any
//! directory, and a new command documented there is fuzzed without a change
//! here.

use std::collections::BTreeMap;

use serde_json::Value;

/// The protocol document, as the golden tests read it.
const PROTOCOL: &str = include_str!("../../docs/PROTOCOL.md");

/// The examples and their vocabulary.
#[derive(Clone, Debug)]
pub struct Examples {
    /// Messages a client sends, as written in the document.
    pub client: Vec<Value>,
    /// Messages the server sends.
    pub server: Vec<Value>,
    /// Every string and number the examples give each field name, so a
    /// generated `kind` is usually a real kind and a `choice` a real index.
    pub vocabulary: BTreeMap<String, Vec<Value>>,
    /// The `type` of every command in the examples.
    pub command_types: Vec<String>,
}

impl Examples {
    /// Reads the examples out of the protocol document.
    ///
    /// # Panics
    ///
    /// When an example is not JSON: the golden tests refuse such a document,
    /// so this is a build of the fuzzer against a broken tree.
    pub fn from_protocol() -> Examples {
        let mut client = Vec::new();
        let mut server = Vec::new();
        for (kind, text) in fenced_blocks(PROTOCOL) {
            let value: Value = serde_json::from_str(&text)
                .unwrap_or_else(|error| panic!("a protocol example is not JSON ({error}): {text}"));
            match kind {
                "client" => client.push(value),
                "server" => server.push(value),
                _ => {}
            }
        }
        let mut vocabulary: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        for value in client.iter().chain(&server) {
            collect_leaves(value, &mut vocabulary);
        }
        for values in vocabulary.values_mut() {
            values.sort_by_key(Value::to_string);
            values.dedup();
        }
        let mut command_types: Vec<String> = client
            .iter()
            .filter_map(|message| message.pointer("/command/type")?.as_str())
            .map(str::to_owned)
            .collect();
        command_types.sort();
        command_types.dedup();
        Examples {
            client,
            server,
            vocabulary,
            command_types,
        }
    }

    /// The values the examples give the field `key` (empty for a name they
    /// never use).
    pub fn words_for(&self, key: &str) -> &[Value] {
        self.vocabulary.get(key).map_or(&[], Vec::as_slice)
    }
}

/// The ```` ```json <kind> ```` blocks of a Markdown text, with their kind.
fn fenced_blocks(markdown: &str) -> Vec<(&str, String)> {
    let mut blocks = Vec::new();
    let mut lines = markdown.lines();
    while let Some(line) = lines.next() {
        let Some(kind) = line.trim_end().strip_prefix("```json ") else {
            continue;
        };
        let body: Vec<&str> = lines
            .by_ref()
            .take_while(|line| line.trim_end() != "```")
            .collect();
        blocks.push((kind.trim(), body.join("\n")));
    }
    blocks
}

/// Adds every string and number under a field name to that name's words.
fn collect_leaves(value: &Value, vocabulary: &mut BTreeMap<String, Vec<Value>>) {
    match value {
        Value::Object(fields) => {
            for (key, value) in fields {
                if matches!(value, Value::String(_) | Value::Number(_) | Value::Bool(_)) {
                    vocabulary
                        .entry(key.clone())
                        .or_default()
                        .push(value.clone());
                }
                collect_leaves(value, vocabulary);
            }
        }
        Value::Array(items) => {
            for item in items {
                collect_leaves(item, vocabulary);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use moot_shared::Command;
    use moot_shared::json::Variants;

    #[test]
    fn every_command_a_client_may_send_has_an_example_to_start_from() {
        let examples = Examples::from_protocol();
        for name in Command::NAMES {
            assert!(
                examples.command_types.iter().any(|found| found == name),
                "no example of {name}"
            );
        }
        assert!(examples.server.len() > 20);
        assert!(!examples.words_for("kind").is_empty());
    }
}
