//! Structurally valid messages from random parts: a protocol example with
//! its values swapped for ones that name real things in the room (topics,
//! polls, people, turns) or sit at a bound, and now and then a field taken
//! away, added, or given the wrong type. Most of these pass the decoder and
//! reach the reducer, which is where the interesting rejections are.

use serde_json::{Map, Value};

use crate::examples::Examples;
use crate::rng::Rng;
use crate::values;
use crate::world::{World, secret, stranger};

/// Field names whose value is a number naming something in the room.
const ID_FIELDS: &[&str] = &[
    "topic", "poll", "entry", "turn", "note", "item", "from", "into", "choice",
];

/// Field names whose value is a participant id.
const PARTICIPANT_FIELDS: &[&str] = &["participant", "to", "owner", "facilitator", "author"];

/// Words of the protocol's enums that the examples may not all show.
const ENUM_WORDS: &[&str] = &[
    "roman",
    "fist_of_five",
    "gradients",
    "consent",
    "proposal",
    "yes_no",
    "custom",
    "process",
    "clarifying",
    "build_on",
    "new_point",
    "check_in",
    "check_out",
    "note",
    "takeaway",
    "up",
    "down",
    "open",
    "secret",
    "anonymous",
    "done",
    "kept",
    "dropped",
    "here",
    "away",
    "gone",
    "join",
    "rejoin",
    "screen",
];

/// A client message as a JSON tree: usually a command, sometimes a
/// `hello`, `pong` or `time_sync`.
pub fn client_message(rng: &mut Rng, examples: &Examples, world: &World) -> Value {
    let commands: Vec<&Value> = examples
        .client
        .iter()
        .filter(|message| message.get("command").is_some())
        .collect();
    let others: Vec<&Value> = examples
        .client
        .iter()
        .filter(|message| message.get("command").is_none())
        .collect();
    let mut template = if rng.chance(17, 20) {
        rng.pick(&commands)
    } else {
        rng.pick(&others)
    };
    // Ending the meetup ends the fuzzing of its room: seldom.
    if template
        .is_some_and(|message| message.pointer("/command/type") == Some(&Value::from("end_meetup")))
        && rng.chance(4, 5)
    {
        template = rng.pick(&commands);
    }
    let mut message = template.map_or(Value::Null, |template| (*template).clone());
    let keep = rng.between(1, 5);
    rewrite(rng, examples, world, &mut message, keep);
    if rng.chance(1, 6) {
        damage_structure(rng, examples, &mut message);
    }
    message
}

/// A server message from the protocol's examples, its values rewritten.
pub fn server_message(rng: &mut Rng, examples: &Examples, world: &World) -> Value {
    let mut message = rng.pick(&examples.server).cloned().unwrap_or(Value::Null);
    if rng.chance(1, 2) {
        let keep = rng.between(2, 6);
        rewrite(rng, examples, world, &mut message, keep);
    }
    if rng.chance(1, 4) {
        damage_structure(rng, examples, &mut message);
    }
    message
}

/// Writes a tree as text, usually compact and sometimes pretty, as a
/// hand-written client might.
pub fn to_text(rng: &mut Rng, value: &Value) -> String {
    let written = if rng.chance(1, 10) {
        serde_json::to_string_pretty(value)
    } else {
        serde_json::to_string(value)
    };
    written.unwrap_or_default()
}

/// Swaps values of the tree for smart ones: each leaf keeps its example
/// value `keep` times in five, and tags (`type`, `mode`) are kept.
fn rewrite(rng: &mut Rng, examples: &Examples, world: &World, value: &mut Value, keep: usize) {
    match value {
        Value::Object(fields) => {
            for (key, field) in fields.iter_mut() {
                if !matches!(key.as_str(), "type" | "mode" | "code") {
                    rewrite_field(rng, examples, world, key, field, keep);
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                rewrite(rng, examples, world, item, keep);
            }
        }
        _ => {}
    }
}

/// [`rewrite`] for the value of the field `key`; the items of an array of
/// plain values (poll counts, options) are that field's values too.
fn rewrite_field(
    rng: &mut Rng,
    examples: &Examples,
    world: &World,
    key: &str,
    field: &mut Value,
    keep: usize,
) {
    match field {
        Value::Object(_) => rewrite(rng, examples, world, field, keep),
        Value::Array(items)
            if items
                .iter()
                .all(|item| !item.is_object() && !item.is_array())
                && !items.is_empty() =>
        {
            for item in items {
                if !rng.chance(keep, 5) {
                    *item = smart_value(rng, examples, world, key, item);
                }
            }
        }
        Value::Array(_) => rewrite(rng, examples, world, field, keep),
        _ if !rng.chance(keep, 5) => *field = smart_value(rng, examples, world, key, field),
        _ => {}
    }
}

/// A value for the field `key` that is likely to mean something: a real id,
/// a person, a word of the field's enum, a bound.
fn smart_value(rng: &mut Rng, examples: &Examples, world: &World, key: &str, old: &Value) -> Value {
    if rng.chance(1, 25) {
        return values::wrong_type(rng);
    }
    if ID_FIELDS.contains(&key) {
        let kind = match key {
            "from" | "into" => "topic",
            "choice" => {
                return Value::from(if rng.chance(3, 4) {
                    rng.below(9) as u64
                } else {
                    255
                });
            }
            kind => kind,
        };
        return match rng.below(6) {
            0..=3 => Value::from(world.id_of(kind, rng)),
            4 => Value::from(rng.below(6) as u64),
            _ => values::edge_number(rng),
        };
    }
    if PARTICIPANT_FIELDS.contains(&key) {
        let id = if rng.chance(4, 5) {
            world.someone(rng)
        } else {
            stranger(rng)
        };
        return Value::String(id.0.hyphenated().to_string());
    }
    match key {
        "request_id" => Value::String(request_id(rng)),
        "token" => Value::String(token(rng, world)),
        "join_code" if rng.chance(3, 4) => Value::String(world.room.code.to_string()),
        "protocol" if rng.chance(3, 4) => Value::from(1),
        "last_seq" | "seq" => {
            let near = world
                .seq
                .saturating_add(rng.below(3) as u64)
                .saturating_sub(1);
            if rng.chance(2, 3) {
                Value::from(near)
            } else {
                values::edge_number(rng)
            }
        }
        "options" => {
            let options: Vec<Value> = (0..rng.below(11))
                .map(|_| Value::String(values::text(rng)))
                .collect();
            Value::Array(options)
        }
        _ => match old {
            Value::String(_) => {
                let words = examples.words_for(key);
                match rng.below(4) {
                    0 if !words.is_empty() => rng.pick(words).cloned().unwrap_or(Value::Null),
                    1 => Value::String((*rng.pick(ENUM_WORDS).unwrap_or(&"x")).to_owned()),
                    _ => Value::String(values::text(rng)),
                }
            }
            Value::Number(_) => {
                let words = examples.words_for(key);
                match rng.below(3) {
                    0 if !words.is_empty() => rng.pick(words).cloned().unwrap_or(Value::Null),
                    _ => values::edge_number(rng),
                }
            }
            Value::Bool(flag) => Value::Bool(if rng.chance(1, 2) { !flag } else { *flag }),
            _ => values::wrong_type(rng),
        },
    }
}

/// A request id: usually fine, sometimes empty, too long or unprintable.
fn request_id(rng: &mut Rng) -> String {
    match rng.below(10) {
        0 => String::new(),
        1 => "x".repeat(rng.between(63, 66)),
        2 => (*rng
            .pick(&[" ", "r 1", "r\u{e9}", "r\u{7f}", "\u{200b}", "r\n"])
            .unwrap_or(&""))
        .to_owned(),
        3 => "r-1".to_owned(),
        _ => format!("r-{}", rng.next_u64() % 10_000),
    }
}

/// A credential token: someone's real one, a stranger's, or a broken one.
fn token(rng: &mut Rng, world: &World) -> String {
    let someone = world.someone(rng);
    match rng.below(8) {
        0..=4 => format!("{}{}", someone.0.simple(), secret(someone)),
        5 => format!("{}{}", someone.0.simple(), secret(stranger(rng))),
        6 => format!("{}{}", stranger(rng).0.simple(), secret(someone)),
        _ => values::text(rng),
    }
}

/// Changes the shape of a message: a field taken away, a field from another
/// example added, a field of the wrong type, or another command's type.
fn damage_structure(rng: &mut Rng, examples: &Examples, message: &mut Value) {
    // Usually the command inside the message, where the fields are.
    let target = match message.get_mut("command") {
        Some(command) if rng.chance(3, 4) => command,
        _ => message,
    };
    let Value::Object(fields) = target else {
        return;
    };
    let keys: Vec<String> = fields.keys().cloned().collect();
    match rng.below(5) {
        0 => {
            if let Some(key) = rng.pick(&keys) {
                fields.remove(key);
            }
        }
        1 => {
            if let Some((key, value)) = field_of_another_example(rng, examples) {
                fields.insert(key, value);
            }
        }
        2 => {
            if let Some(key) = rng.pick(&keys) {
                fields.insert(key.clone(), values::wrong_type(rng));
            }
        }
        3 => {
            if let Some(kind) = rng.pick(&examples.command_types) {
                fields.insert("type".into(), Value::String(kind.clone()));
            }
        }
        _ => {
            fields.insert(values::text(rng), values::wrong_type(rng));
        }
    }
}

/// Some field of some command example, with its value.
fn field_of_another_example(rng: &mut Rng, examples: &Examples) -> Option<(String, Value)> {
    let message = rng.pick(&examples.client)?;
    let fields: &Map<String, Value> = message.get("command").unwrap_or(message).as_object()?;
    let keys: Vec<&String> = fields.keys().collect();
    let key = *rng.pick(&keys)?;
    Some((key.clone(), fields.get(key)?.clone()))
}
