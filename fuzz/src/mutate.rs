//! Damage to a message's text, one to three strokes at a time: flipped
//! bits, cuts, splices from another message, repeated keys, deep nesting,
//! numbers too large for any type, odd Unicode and escapes, overlong
//! strings, stray whitespace and a changed `type`. The result is always
//! text (a WebSocket text frame is UTF-8; the server closes on anything
//! else before moot reads it), so broken UTF-8 becomes U+FFFD.

use crate::rng::Rng;
use crate::values;

/// Bytes that mean something to a JSON parser.
const INTERESTING_BYTES: &[u8] = b"\"\\{}[]:,0-+.eE \t\nnull\x00\x1f\x7f";

/// Number literals no field type takes, or only just.
const HUGE_NUMBERS: &[&str] = &[
    // The largest of each integer type: they decode, and then the
    // arithmetic on them must not overflow.
    "255",
    "65535",
    "2147483647",
    "-2147483648",
    "4294967295",
    "9223372036854775807",
    "18446744073709551615",
    // One past: out of range.
    "18446744073709551616",
    "-9223372036854775808",
    "-9223372036854775809",
    "256",
    "65536",
    "2147483648",
    "-2147483649",
    "4294967296",
    "9223372036854775808",
    "123456789012345678901234567890",
    "1e999",
    "-1e999",
    "1e-999",
    "0.0",
    "-0",
    "1E+2",
    "0e0",
    "00",
    "01",
    "-",
    "1.",
    ".5",
    "+1",
    "0x10",
    "Infinity",
    "NaN",
];

/// Escapes and raw sequences to put inside a string.
const ESCAPES: &[&str] = &[
    "\\u0000",
    "\\u001f",
    "\\ud800",
    "\\udfff",
    "\\ud83d\\ude00",
    "\\ud83d\\u0041",
    "\\udc00\\ud800",
    "\\u200b",
    "\\u202e",
    "\\ufeff",
    "\\u00",
    "\\x41",
    "\\'",
    "\\",
    "\\n",
    "\\/",
];

/// Damages `text` with one to three strokes; `donor` is another message to
/// splice from.
pub fn mutate(rng: &mut Rng, text: &str, donor: &str) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for _ in 0..rng.between(1, 3) {
        stroke(rng, &mut bytes, donor.as_bytes());
    }
    match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => String::from_utf8_lossy(error.as_bytes()).into_owned(),
    }
}

fn stroke(rng: &mut Rng, bytes: &mut Vec<u8>, donor: &[u8]) {
    let at = rng.below(bytes.len() + 1);
    match rng.below(15) {
        0 => {
            if let Some(byte) = bytes.get_mut(at) {
                *byte ^= 1 << rng.below(8);
            }
        }
        1 => {
            if let Some(byte) = bytes.get_mut(at) {
                *byte = *rng.pick(INTERESTING_BYTES).unwrap_or(&b'"');
            }
        }
        2 => bytes.truncate(at),
        3 => {
            let end = (at + rng.between(1, 16)).min(bytes.len());
            bytes.drain(at..end);
        }
        4 => {
            let end = (at + rng.between(1, 32)).min(bytes.len());
            let copy = bytes[at..end].to_vec();
            splice_in(bytes, at, &copy);
        }
        5 => {
            let start = rng.below(donor.len() + 1);
            let end = (start + rng.between(1, 64)).min(donor.len());
            splice_in(bytes, at, &donor[start..end]);
        }
        6 => repeat_key(rng, bytes),
        7 => nest(rng, bytes),
        8 => {
            if let Some((start, end)) = number_at(bytes, at) {
                let huge = rng.pick(HUGE_NUMBERS).unwrap_or(&"1e999").as_bytes();
                bytes.splice(start..end, huge.iter().copied());
            }
        }
        9 => {
            if let Some(inside) = inside_string(bytes, at) {
                let odd = if rng.chance(1, 2) {
                    values::text(rng)
                } else {
                    (*rng.pick(ESCAPES).unwrap_or(&"\\u0000")).to_owned()
                };
                // Raw text must not end the string early: escape what would.
                let odd = odd.replace('\\', "\\\\").replace('"', "\\\"");
                splice_in(bytes, inside, odd.as_bytes());
            }
        }
        10 => {
            if let Some(inside) = inside_string(bytes, at) {
                let length = *rng
                    .pick(&[4_096, 16_384, 65_536, 70_000])
                    .unwrap_or(&16_384);
                splice_in(bytes, inside, "x".repeat(length).as_bytes());
            }
        }
        11 => {
            let space = *rng
                .pick(&[
                    " ", "\n", "\t", "\r\n", "\u{feff}", "\u{a0}", "\u{2028}", "\u{b}", "\u{c}",
                ])
                .unwrap_or(&" ");
            splice_in(bytes, at, space.as_bytes());
        }
        12 => change_type(rng, bytes),
        13 => {
            let copy = bytes.clone();
            bytes.extend_from_slice(rng.pick(&[&b""[..], b" ", b","]).unwrap_or(&&b""[..]));
            bytes.extend_from_slice(&copy);
        }
        _ => {
            // A tag that changed case or gained a space: close, but not a name.
            if let Some(inside) = inside_string(bytes, at)
                && let Some(byte) = bytes.get_mut(inside)
            {
                *byte = byte.to_ascii_uppercase();
            }
        }
    }
}

fn splice_in(bytes: &mut Vec<u8>, at: usize, insert: &[u8]) {
    // Split and extend rather than `Vec::splice`, which is slow for the
    // long insertions (deep nesting, overlong strings).
    let tail = bytes.split_off(at.min(bytes.len()));
    bytes.extend_from_slice(insert);
    bytes.extend_from_slice(&tail);
}

/// Writes a key of the object again, with another value, just before or
/// after itself: of duplicate keys the derived decoder takes the first.
fn repeat_key(rng: &mut Rng, bytes: &mut Vec<u8>) {
    let keys: Vec<usize> = (1..bytes.len())
        .filter(|&index| bytes[index] == b':' && bytes[index - 1] == b'"')
        .collect();
    let Some(&colon) = rng.pick(&keys) else {
        return;
    };
    let Some(open) = bytes[..colon - 1].iter().rposition(|&byte| byte == b'"') else {
        return;
    };
    let key = bytes[open..colon].to_vec();
    let Some(end) = value_end(bytes, colon + 1) else {
        return;
    };
    let other: &[u8] = rng
        .pick(&[
            &b"null"[..],
            b"1",
            b"\"x\"",
            b"{\"type\":\"pong\"}",
            b"[]",
            b"\"command\"",
            b"\"hello\"",
        ])
        .unwrap_or(&&b"null"[..]);
    let value = if rng.chance(1, 2) {
        bytes[colon + 1..end].to_vec()
    } else {
        other.to_vec()
    };
    let mut pair = key;
    pair.push(b':');
    pair.extend_from_slice(&value);
    if rng.chance(1, 2) {
        pair.push(b',');
        splice_in(bytes, open, &pair);
    } else {
        pair.insert(0, b',');
        splice_in(bytes, end, &pair);
    }
}

/// Wraps a value (or the whole message) in arrays or objects, around the
/// nesting limit or far past it.
fn nest(rng: &mut Rng, bytes: &mut Vec<u8>) {
    let depth = *rng
        .pick(&[2, 126, 127, 128, 129, 1_000, 20_000])
        .unwrap_or(&129);
    let (open, close): (&[u8], &[u8]) = if rng.chance(1, 2) {
        (b"[", b"]")
    } else {
        (b"{\"a\":", b"}")
    };
    let colons: Vec<usize> = (0..bytes.len())
        .filter(|&index| bytes[index] == b':')
        .collect();
    let (start, end) = match rng.pick(&colons) {
        Some(&colon) if rng.chance(3, 4) => match value_end(bytes, colon + 1) {
            Some(end) => (colon + 1, end),
            None => (0, bytes.len()),
        },
        _ => (0, bytes.len()),
    };
    // Sometimes unbalanced: only the opening half.
    if rng.chance(3, 4) {
        splice_in(bytes, end, &close.repeat(depth));
    }
    splice_in(bytes, start, &open.repeat(depth));
}

/// Sets the value of a `"type"` to another name: a command's, a message's,
/// or nonsense.
fn change_type(rng: &mut Rng, bytes: &mut Vec<u8>) {
    const PATTERN: &[u8] = b"\"type\":\"";
    let starts: Vec<usize> = bytes
        .windows(PATTERN.len())
        .enumerate()
        .filter(|(_, window)| *window == PATTERN)
        .map(|(index, _)| index + PATTERN.len())
        .collect();
    let Some(&start) = rng.pick(&starts) else {
        return;
    };
    let Some(length) = bytes[start..].iter().position(|&byte| byte == b'"') else {
        return;
    };
    let name = match rng.below(4) {
        0 => "command".to_owned(),
        1 => (*rng
            .pick(&[
                "hello",
                "pong",
                "time_sync",
                "event",
                "tick",
                "join",
                "rejoin",
                "mark_presence",
                "welcome",
                "Command",
                "command ",
                "",
            ])
            .unwrap_or(&""))
        .to_owned(),
        _ => values::text(rng).replace(['"', '\\'], ""),
    };
    bytes.splice(start..start + length, name.bytes());
}

/// The byte after the JSON value that starts at or after `start` (strings,
/// arrays and objects matched, the rest up to a delimiter); `None` when the
/// text ends first.
fn value_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut index = start;
    while let Some(&byte) = bytes.get(index) {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => {
                    in_string = false;
                    if depth == 0 {
                        return Some(index + 1);
                    }
                }
                _ => {}
            }
        } else {
            match byte {
                b'"' => in_string = true,
                b'{' | b'[' => depth += 1,
                b'}' | b']' if depth == 0 => return Some(index),
                b'}' | b']' => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(index + 1);
                    }
                }
                b',' if depth == 0 => return Some(index),
                _ => {}
            }
        }
        index += 1;
    }
    None
}

/// The digits of the first number at or after `from`.
fn number_at(bytes: &[u8], from: usize) -> Option<(usize, usize)> {
    let digit = |byte: &u8| byte.is_ascii_digit() || *byte == b'-';
    let start = from + bytes.get(from..)?.iter().position(digit)?;
    let length = bytes[start..].iter().take_while(|byte| digit(byte)).count();
    Some((start, start + length))
}

/// A position just inside the first string that opens at or after `from`.
fn inside_string(bytes: &[u8], from: usize) -> Option<usize> {
    let quote = from + bytes.get(from..)?.iter().position(|&byte| byte == b'"')?;
    Some(quote + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_end_matches_strings_and_brackets() {
        let text = br#"{"a":"x,\"}","b":[1,{"c":2}],"d":3}"#;
        assert_eq!(value_end(text, 5), Some(12));
        assert_eq!(value_end(text, 17), Some(28));
        assert_eq!(value_end(text, 33), Some(34));
        assert_eq!(value_end(b"[1,", 0), None);
    }

    #[test]
    fn damage_is_text_and_reproducible() {
        let text =
            r#"{"type":"command","request_id":"r-1","command":{"type":"place_dot","topic":2}}"#;
        let mut first = Rng::new(9);
        let mut second = Rng::new(9);
        for _ in 0..500 {
            let a = mutate(&mut first, text, r#"{"type":"pong"}"#);
            assert_eq!(a, mutate(&mut second, text, r#"{"type":"pong"}"#));
        }
    }
}
