//! Values that have broken parsers and reducers elsewhere: text at and past
//! each length bound, control and invisible characters, look-alike and
//! case-folding names, emoji sequences, and numbers at the edges of every
//! integer type the protocol uses.

use serde_json::{Number, Value};

use crate::rng::Rng;

/// Short texts to try in any text field. Names that look alike or fold
/// alike are here twice over so that two of them meet in one room.
pub const TEXTS: &[&str] = &[
    "Ada",
    "ada",
    "ADA",
    " Ada ",
    "Ada  Lovelace",
    "Bo",
    "Chen",
    "Dana",
    // Cyrillic "А" and Greek "Α" look like a Latin "A".
    "\u{410}da",
    "\u{391}da",
    // Folding: "İ" lower-cases to two characters, "ß" upper-cases to two,
    // "K" (Kelvin sign) lower-cases to "k".
    "\u{130}da",
    "i\u{307}da",
    "stra\u{df}e",
    "STRASSE",
    "\u{212a}im",
    "kim",
    "\u{1c4}z",
    "\u{fb03}",
    // Combining marks, precomposed and not.
    "Jos\u{e9}",
    "Jose\u{301}",
    "e\u{301}\u{301}\u{301}\u{301}\u{301}\u{301}\u{301}\u{301}",
    // Emoji: plain, with a variation selector, ZWJ sequences, flags, skin tones.
    "\u{1f600}",
    "\u{1f44d}\u{1f3fd}",
    "\u{1f468}\u{200d}\u{1f469}\u{200d}\u{1f467}\u{200d}\u{1f466}",
    "\u{1f3f3}\u{fe0f}\u{200d}\u{1f308}",
    "\u{1f1e9}\u{1f1ea}",
    // Invisible and direction-changing characters.
    "Ada\u{200b}",
    "\u{200d}",
    "\u{202e}adA",
    "\u{2066}Ada\u{2069}",
    "\u{feff}Ada",
    "\u{2060}",
    "\u{180e}",
    "\u{3164}",
    "\u{115f}\u{1160}",
    "\u{ad}",
    // Whitespace that is not ASCII, and separators.
    "\u{a0}Ada\u{a0}",
    "\u{3000}",
    "a\u{2028}b",
    "a\u{2029}b",
    "\u{85}",
    // Control characters.
    "a\u{0}b",
    "\u{7}",
    "a\nb",
    "\t",
    "\u{1b}[31mred",
    "\u{7f}",
    "\u{9f}",
    // Private use, noncharacters, replacement character.
    "\u{e000}",
    "\u{ffff}",
    "\u{10ffff}",
    "\u{fffd}",
    // Right-to-left and wide scripts.
    "\u{5e9}\u{5dc}\u{5d5}\u{5dd}",
    "\u{645}\u{631}\u{62d}\u{628}\u{627}",
    "\u{4f60}\u{597d}",
    "\u{ff21}\u{ff44}\u{ff41}",
    // Blank.
    "",
    " ",
    "   \u{2003} ",
    // Markup and escapes that must stay text.
    "</script><script>alert(1)</script>",
    "${jndi:ldap://x}",
    "\\u0000",
    "\"quoted\"",
    "'; DROP TABLE events; --",
    "%s%n%x",
    // Dates, for due dates.
    "2026-02-28",
    "2028-02-29",
    "2026-02-29",
    "2026-02-30",
    "1969-12-31",
    "1970-01-01",
    "9999-12-31",
    "0000-00-00",
    "2026-13-01",
    "2026-1-1",
    " 2026-03-01 ",
    "2026-03-01T00:00Z",
    "\u{ff12}\u{ff10}\u{ff12}\u{ff16}-03-01",
    "2026\u{2010}03\u{2010}01",
    // Join codes and tokens, right and wrong.
    "7KQ2M9XD",
    "7kq2-m9xd",
    "O1IL 2345",
    "7KQ2M9XU",
    "7KQ2M9X\u{e9}",
    "0b0e4f6a5c1d4e8b9f3a2d7c6b1e8a904f1c2a9be07d3c5a8e6b1f0d9c2a7e35",
    "0B0E4F6A5C1D4E8B9F3A2D7C6B1E8A904F1C2A9BE07D3C5A8E6B1F0D9C2A7E35",
    "0b0e4f6a5c1d4e8b9f3a2d7c6b1e8a904f1c2a9be07d3c5a8e6b1f0d9c2a7e3\u{e9}",
    "00000000000000000000000000000000",
    // Numbers as text.
    "1",
    "-1",
    "0.5",
    "1,5",
    "1e3",
    "NaN",
    "18446744073709551616",
];

/// Lengths that sit on or just past a bound (in characters), from the
/// limits of every text field and of a whole message.
pub const LENGTHS: &[usize] = &[
    39, 40, 41, 59, 60, 61, 63, 64, 65, 79, 80, 81, 119, 120, 121, 199, 200, 201, 279, 280, 281,
    499, 500, 501, 4096, 16_383, 16_384, 16_385, 65_536,
];

/// A text for any text field: an odd one, a long one, or a mix.
pub fn text(rng: &mut Rng) -> String {
    match rng.below(10) {
        0..=5 => (*rng.pick(TEXTS).unwrap_or(&"x")).to_owned(),
        6 | 7 => {
            let length = *rng.pick(LENGTHS).unwrap_or(&41);
            let unit = *rng
                .pick(&["x", "\u{e9}", "\u{1f600}", " ", "a ", "\u{200b}"])
                .unwrap_or(&"x");
            unit.repeat(length)
        }
        _ => {
            let mut mixed = String::new();
            for _ in 0..rng.between(2, 4) {
                mixed.push_str(rng.pick(TEXTS).unwrap_or(&"x"));
            }
            mixed
        }
    }
}

/// A number at an edge: of `u8` to `u64` and `i32`/`i64`, of the protocol's
/// bounds (10 s, 4 h, 64 seats, 200 polls), or small.
pub fn edge_number(rng: &mut Rng) -> Value {
    const UNSIGNED: &[u64] = &[
        0,
        1,
        2,
        3,
        7,
        9,
        10,
        11,
        59,
        60,
        61,
        64,
        65,
        255,
        256,
        3_600,
        3_601,
        14_400,
        14_401,
        65_535,
        65_536,
        u32::MAX as u64,
        u32::MAX as u64 + 1,
        i64::MAX as u64,
        u64::MAX,
        1 << 53,
        1_767_801_600_000,
    ];
    const SIGNED: &[i64] = &[
        -1,
        -10,
        -14_400,
        -14_401,
        i32::MIN as i64,
        i32::MIN as i64 - 1,
        i64::MIN,
    ];
    match rng.below(8) {
        0..=4 => Value::from(*rng.pick(UNSIGNED).unwrap_or(&0)),
        5 => Value::from(*rng.pick(SIGNED).unwrap_or(&-1)),
        6 => Value::from(rng.below(12) as u64),
        _ => Number::from_f64(*rng.pick(&[0.5, -0.0, 1e300, 10.0, 1.5e3]).unwrap_or(&0.5))
            .map_or(Value::Null, Value::Number),
    }
}

/// A value of any JSON type, for a field that gets the wrong one.
pub fn wrong_type(rng: &mut Rng) -> Value {
    match rng.below(7) {
        0 => Value::Null,
        1 => Value::Bool(rng.chance(1, 2)),
        2 => edge_number(rng),
        3 => Value::String(text(rng)),
        4 => Value::Array(vec![Value::from(1), Value::String("a".into())]),
        5 => serde_json::json!({ "type": "x" }),
        _ => Value::Array(Vec::new()),
    }
}
