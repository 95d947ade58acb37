//! Timer lengths as people type them into a field: minutes ("7", "0.5",
//! "1,5") to whole seconds, and seconds back to minutes.

/// Minutes as a person types them ("7", "0.5", "1,5") in whole seconds,
/// rounded to the nearest second; `None` for anything else. Integer
/// arithmetic only: float parsing would add kilobytes to the browser's wasm.
pub fn seconds_from_minutes_text(typed: &str) -> Option<u32> {
    let typed = typed.trim();
    let (whole, fraction) = typed.split_once(['.', ',']).unwrap_or((typed, ""));
    let digits = |part: &str| part.bytes().all(|byte| byte.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty()) || !digits(whole) || !digits(fraction) {
        return None;
    }
    // Beyond nine places a fraction cannot change a whole second.
    let fraction = &fraction[..fraction.len().min(9)];
    let whole: u64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let scale = 10u64.pow(u32::try_from(fraction.len()).ok()?);
    let fraction: u64 = if fraction.is_empty() {
        0
    } else {
        fraction.parse().ok()?
    };
    let seconds = whole
        .checked_mul(60)?
        .checked_add((fraction * 120 + scale) / (2 * scale))?;
    u32::try_from(seconds).ok()
}

/// Seconds as minutes for an input field: "7", or "1.67" with two places.
pub fn minutes_text(secs: u32) -> String {
    if secs.is_multiple_of(60) {
        (secs / 60).to_string()
    } else {
        // Hundredths of a minute, rounded; an exact half cannot occur.
        let hundredths = (u64::from(secs) * 100 + 30) / 60;
        format!("{}.{:02}", hundredths / 100, hundredths % 100)
    }
}

#[cfg(test)]
mod minutes_text_tests {
    use super::{minutes_text, seconds_from_minutes_text};

    #[test]
    fn typed_minutes_become_seconds() {
        for (typed, seconds) in [
            ("7", Some(420)),
            (" 7 ", Some(420)),
            ("0.5", Some(30)),
            ("1,5", Some(90)),
            (".25", Some(15)),
            ("2.", Some(120)),
            ("1.675", Some(101)),
            ("0.0083", Some(0)),
            ("0.0084", Some(1)),
            ("1.0000000000001", Some(60)),
            ("240", Some(14_400)),
            ("71582789", None),
            ("", None),
            (".", None),
            ("-1", None),
            ("1e2", None),
            ("1.5.2", None),
            ("one", None),
        ] {
            assert_eq!(seconds_from_minutes_text(typed), seconds, "{typed:?}");
        }
    }

    #[test]
    fn seconds_read_back_as_minutes() {
        assert_eq!(minutes_text(420), "7");
        assert_eq!(minutes_text(90), "1.50");
        assert_eq!(minutes_text(100), "1.67");
        assert_eq!(minutes_text(45), "0.75");
        assert_eq!(minutes_text(10), "0.17");
        for secs in 1..=14_400 {
            let text = minutes_text(secs);
            let back = seconds_from_minutes_text(&text).expect("its own text parses");
            assert!(back.abs_diff(secs) <= 1, "{secs} -> {text} -> {back}");
        }
    }
}
