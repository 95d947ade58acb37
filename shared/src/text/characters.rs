//! Which characters a line of text may hold.
//!
//! Everyone in a meetup sees every name, title and note, so a character that
//! is there without being seen is a way to deceive: it makes two different
//! strings look the same (a second "Fay" beside the first), or, for the
//! bidirectional controls, shows text in another order than it was written.
//! The rule, for every single-line field:
//!
//! - Control characters (newline, tab, escape, …) are refused: a field is one
//!   line.
//! - Default-ignorable code points, which Unicode says a renderer draws as
//!   nothing (soft hyphen, zero-width space and joiners, bidi marks,
//!   embeddings, overrides and isolates, Hangul fillers, variation selectors,
//!   tags, …), are refused, and so are the three interlinear-annotation
//!   controls, which are not default-ignorable but can hide text. The
//!   exceptions are the sequences where such a character is part of something
//!   visible, so that every emoji a phone keyboard offers can be typed:
//!   - a zero-width joiner between two pictographs (👩‍💻, 🏳️‍🌈), where it
//!     merges them into one emoji;
//!   - a variation selector right after a visible character (❤️, a keycap,
//!     a variant of an ideograph or a Mongolian letter), where it only picks
//!     that character's glyph;
//!   - tag characters spelling a region after a black flag (the flags of
//!     England, Scotland and Wales), up to the cancel tag.
//!
//!   Bidi controls have no exception. Persian and Indic text that needs a
//!   joiner or non-joiner between letters is refused too, as before: telling
//!   those uses apart needs joining-type tables this crate does not carry.
//! - Characters that look like a space without being one (the braille blank
//!   U+2800 and the musical null notehead U+1D159) count as whitespace: they
//!   are trimmed and collapsed with it, so text of nothing but blanks is
//!   empty and "Fay⠀" is "Fay". The Hangul fillers look blank too, but are
//!   default-ignorable and refused above.
//!
//! The tables are small on purpose: this code runs in the phone's browser.

use super::TextProblem;

/// Unicode's Default_Ignorable_Code_Point property (DerivedCoreProperties.txt;
/// the same ranges as `unicode-security` 0.1.3's table for Unicode 18, merged
/// where adjacent). Includes unassigned code points Unicode reserves as
/// ignorable, so text from a newer Unicode is refused rather than shown blank.
const DEFAULT_IGNORABLE: &[(char, char)] = &[
    ('\u{00AD}', '\u{00AD}'),   // soft hyphen
    ('\u{034F}', '\u{034F}'),   // combining grapheme joiner
    ('\u{061C}', '\u{061C}'),   // Arabic letter mark (bidi)
    ('\u{115F}', '\u{1160}'),   // Hangul choseong and jungseong fillers
    ('\u{17B4}', '\u{17B5}'),   // Khmer inherent vowels
    ('\u{180B}', '\u{180F}'),   // Mongolian variation selectors, vowel separator
    ('\u{200B}', '\u{200F}'),   // zero-width space, non-joiner, joiner; LRM, RLM
    ('\u{202A}', '\u{202E}'),   // bidi embeddings and overrides
    ('\u{2060}', '\u{206F}'),   // word joiner, invisible operators, bidi isolates
    ('\u{3164}', '\u{3164}'),   // Hangul filler
    ('\u{FE00}', '\u{FE0F}'),   // variation selectors 1–16
    ('\u{FEFF}', '\u{FEFF}'),   // zero-width no-break space (BOM)
    ('\u{FFA0}', '\u{FFA0}'),   // halfwidth Hangul filler
    ('\u{FFF0}', '\u{FFF8}'),   // reserved
    ('\u{1BCA0}', '\u{1BCA3}'), // shorthand format controls
    ('\u{1D173}', '\u{1D17A}'), // musical beam and phrase controls
    ('\u{E0000}', '\u{E0FFF}'), // tags, variation selectors 17–256, reserved
];

const ZERO_WIDTH_JOINER: char = '\u{200D}';
const BLACK_FLAG: char = '\u{1F3F4}';
const CANCEL_TAG: char = '\u{E007F}';

/// Whether `c` would be drawn as nothing, or is a control that can hide text.
fn hidden(c: char) -> bool {
    // U+FFF9–FFFB anchor, separate and end an interlinear annotation, which a
    // renderer may show above the text, or not at all.
    DEFAULT_IGNORABLE
        .iter()
        .any(|&(first, last)| (first..=last).contains(&c))
        || matches!(c, '\u{FFF9}'..='\u{FFFB}')
}

/// Whether `c` looks like a space: whitespace, or one of the characters that
/// render as a blank without being whitespace.
pub(super) fn looks_blank(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{2800}' | '\u{1D159}')
}

/// A variation selector: picks a glyph for the character before it (the
/// Mongolian free variation selectors, the standard ones, the ideographic
/// ones).
fn variation_selector(c: char) -> bool {
    matches!(
        c,
        '\u{180B}'..='\u{180D}' | '\u{180F}' | '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}'
    )
}

/// A skin-tone modifier (🏻–🏿): part of the emoji before it.
fn emoji_modifier(c: char) -> bool {
    matches!(c, '\u{1F3FB}'..='\u{1F3FF}')
}

/// The blocks every emoji a joiner may join comes from: a superset of
/// Unicode's Extended_Pictographic made of whole symbol blocks (arrows,
/// technical, enclosed alphanumerics, geometric shapes, dingbats, the
/// supplementary symbol planes, …) and the few emoji outside them. None holds
/// a letter of any script, which is what matters: a joiner allowed here can
/// never sit unseen inside a word. Coarser than the property's 150-odd ranges
/// to keep the browser's code small; a joiner between two symbols that form
/// no emoji is invisible but harmless, and names compare without it.
fn pictographic(c: char) -> bool {
    matches!(
        c,
        '\u{00A9}'
            | '\u{00AE}'
            | '\u{203C}'
            | '\u{2049}'
            | '\u{2122}'
            | '\u{2139}'
            | '\u{2190}'..='\u{27BF}'
            | '\u{2900}'..='\u{2BFF}'
            | '\u{3030}'
            | '\u{303D}'
            | '\u{3297}'
            | '\u{3299}'
            | '\u{1F000}'..='\u{1FAFF}'
            | '\u{1FC00}'..='\u{1FFFD}'
    )
}

/// Reads the tag characters of a subdivision flag (🏴 then, as tags, a region
/// such as "gbsct", then the cancel tag), `first` being the first tag after
/// the flag. Three to seven lower-case letters or digits, the length of a
/// subdivision code (a region and one to four more), so tags cannot carry
/// hidden text.
fn flag_tags(first: char, rest: &mut impl Iterator<Item = char>) -> bool {
    let mut letters = 0;
    let mut tag = first;
    loop {
        match tag {
            CANCEL_TAG => return letters >= 3,
            '\u{E0030}'..='\u{E0039}' | '\u{E0061}'..='\u{E007A}' if letters < 7 => letters += 1,
            _ => return false,
        }
        match rest.next() {
            Some(next) => tag = next,
            None => return false,
        }
    }
}

/// Checks every character of `raw` against the rule in the module docs.
///
/// # Errors
///
/// [`TextProblem::ControlCharacter`] for a control character, or for an
/// invisible one outside the sequences that make it visible.
pub(super) fn check(raw: &str) -> Result<(), TextProblem> {
    let mut chars = raw.chars().peekable();
    // The character before the current one, and the last one that was not a
    // skin tone or a variation selector: the emoji a joiner continues.
    let mut previous: Option<char> = None;
    let mut base: Option<char> = None;
    while let Some(c) = chars.next() {
        // What the text continues from once `c` is read: `c` itself, or the
        // cancel tag when `c` starts a flag's tags (which are read to the end).
        let last = if c.is_control() {
            None
        } else if !hidden(c) {
            Some(c)
        } else if c == ZERO_WIDTH_JOINER {
            let joins =
                base.is_some_and(pictographic) && chars.peek().copied().is_some_and(pictographic);
            joins.then_some(c)
        } else if variation_selector(c) {
            let selects = previous.is_some_and(|before| !hidden(before) && !looks_blank(before));
            selects.then_some(c)
        } else if previous == Some(BLACK_FLAG) {
            flag_tags(c, &mut chars).then_some(CANCEL_TAG)
        } else {
            None
        };
        let Some(last) = last else {
            return Err(TextProblem::ControlCharacter);
        };
        previous = Some(last);
        if !variation_selector(last) && !emoji_modifier(last) {
            base = Some(last);
        }
    }
    Ok(())
}

/// Drops the default-ignorable characters left in valid text (joiners,
/// variation selectors, flag tags): two names that differ only in those look
/// alike, or nearly, wherever an emoji is not drawn as intended.
pub(super) fn without_ignorables(text: &str) -> impl Iterator<Item = char> + '_ {
    text.chars().filter(|&c| !hidden(c))
}

/// Text stored under an earlier, more lenient rule, as this rule allows
/// it: the invisible characters and controls it now refuses are dropped
/// (`None` when there are none). Stored meetups are read with this as a
/// last resort, so a rule made stricter never makes a meetup unreadable; a
/// joiner inside an emoji goes too, which earlier rules refused anyway.
pub fn as_now_allowed(text: &str) -> Option<String> {
    text.chars().any(|c| hidden(c) || c.is_control()).then(|| {
        text.chars()
            .filter(|&c| !hidden(c) && !c.is_control())
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_text_is_made_allowed_by_dropping_what_is_now_refused() {
        assert_eq!(as_now_allowed("Fay"), None);
        assert_eq!(as_now_allowed("Fa\u{00AD}y").as_deref(), Some("Fay"));
        assert_eq!(as_now_allowed("\u{3164}").as_deref(), Some(""));
        assert!(check(&as_now_allowed("B\u{200B}o\u{202E}").unwrap()).is_ok());
    }

    fn allowed(text: &str) -> bool {
        check(text).is_ok()
    }

    #[test]
    fn default_ignorable_table_is_sorted_and_disjoint() {
        for pair in DEFAULT_IGNORABLE.windows(2) {
            assert!(pair[0].0 <= pair[0].1 && pair[0].1 < pair[1].0, "{pair:?}");
        }
    }

    #[test]
    fn emoji_sequences_are_allowed() {
        // Written with escapes: the characters under test are invisible.
        for (emoji, what) in [
            ("👩\u{200D}💻", "woman technologist: a joiner"),
            ("👩🏽\u{200D}💻", "a skin tone before the joiner"),
            ("👍🏽", "thumbs up, medium skin tone"),
            (
                "🏳\u{FE0F}\u{200D}🌈",
                "rainbow flag: a selector before the joiner",
            ),
            ("❤\u{FE0F}\u{200D}🔥", "heart on fire"),
            (
                "🐻\u{200D}❄\u{FE0F}",
                "polar bear: a selector after the joined part",
            ),
            ("👁\u{FE0F}\u{200D}🗨\u{FE0F}", "eye in speech bubble"),
            (
                "🏴\u{200D}☠\u{FE0F}",
                "pirate flag: a black flag, then a joiner",
            ),
            (
                "🧑\u{200D}🤝\u{200D}🧑",
                "people holding hands: two joiners",
            ),
            ("🇩🇪", "regional indicators"),
            ("1\u{FE0F}\u{20E3}", "keycap"),
            (
                "🏴\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}",
                "England",
            ),
            (
                "🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}",
                "Scotland",
            ),
            ("葛\u{E0100}", "an ideographic variation sequence"),
            ("\u{1820}\u{180B}", "a Mongolian letter's variant"),
        ] {
            assert!(allowed(emoji), "{what}");
            assert!(allowed(&format!("Ada {emoji} Lovelace")), "{what}");
        }
    }

    #[test]
    fn joiners_outside_emoji_are_refused() {
        for text in [
            "a\u{200D}b",
            "\u{200D}👩",
            "👩\u{200D}",
            "👩\u{200D}b",
            "a\u{200D}💻",
            "👩\u{200D}\u{200D}💻",
            "a\u{200C}b", // non-joiner
        ] {
            assert_eq!(check(text), Err(TextProblem::ControlCharacter), "{text:?}");
        }
    }

    #[test]
    fn variation_selectors_only_follow_a_visible_character() {
        for text in [
            "\u{FE0F}",
            "a \u{FE0F}",
            "a\u{FE0F}\u{FE0F}",
            "a\u{200D}\u{FE0F}",
            "\u{E0100}",
        ] {
            assert_eq!(check(text), Err(TextProblem::ControlCharacter), "{text:?}");
        }
    }

    #[test]
    fn tags_only_spell_a_flag() {
        for text in [
            "\u{E0067}\u{E0062}\u{E007F}",   // no flag
            "a\u{E0067}\u{E0062}\u{E007F}",  // after a letter
            "🏴\u{E0067}\u{E0062}\u{E0065}", // not cancelled
            "🏴\u{E007F}",                   // nothing spelled
            "🏴\u{E0067}\u{E0062}\u{E007F}", // a region without a subdivision
            "🏴\u{E0048}\u{E0069}\u{E007F}", // upper case: not a region
            "🏴\u{E0068}\u{E0069}\u{E0064}\u{E0064}\u{E0065}\u{E006E}\u{E0074}\u{E0065}\u{E007F}", // too long
            "🏴\u{E0067}\u{E0062}\u{E007F}\u{FE0F}", // a selector after the tags
        ] {
            assert_eq!(check(text), Err(TextProblem::ControlCharacter), "{text:?}");
        }
    }

    #[test]
    fn every_default_ignorable_alone_or_between_letters_is_refused() {
        for &(first, last) in DEFAULT_IGNORABLE {
            for c in [first, last] {
                assert!(!allowed(&c.to_string()), "U+{:04X}", c as u32);
                assert!(
                    !allowed(&format!("a{c}b")) || variation_selector(c),
                    "U+{:04X}",
                    c as u32
                );
            }
        }
        assert!(!allowed("a\u{FFF9}b\u{FFFA}c\u{FFFB}"));
    }

    #[test]
    fn blank_looking_characters_count_as_whitespace() {
        assert!(looks_blank('\u{2800}'));
        assert!(looks_blank('\u{3000}'));
        assert!(!looks_blank('\u{2801}'));
    }
}
