//! When two display names are the same name: when people in the room could
//! take one for the other.
//!
//! With the `confusables` feature (the server, the tests), names are compared
//! by their confusable skeleton, Unicode TS #39's test of whether two strings
//! look alike: "Fаy" with a Cyrillic "а" is "Fay", and so are "Fay" with a
//! variation selector and "ℱay". Without it (the browser, where the
//! confusables and normalisation tables weighed 220 KB raw, 84 KB gzip, in
//! the phone bundle), names compare ignoring case and the invisible
//! characters valid text may hold; the browser never decides alone, the
//! server answers `name_taken`.

use super::characters::without_ignorables;

/// Whether `a` and `b` are the same name in a room.
#[cfg(feature = "confusables")]
pub(super) fn same_name(a: &str, b: &str) -> bool {
    use unicode_security::skeleton;
    // A skeleton is case-sensitive: TS #39's data maps each case on its own
    // ("I" to "l", "а" to "a", "А" to "A") and leaves case to the caller.
    // Names are unique ignoring case, so the skeletons are compared after
    // lowercasing both (Rust's full lowercase mapping differs from case
    // folding only in a few letters such as "ß", which look different
    // anyway). Lowercasing first loses confusables that exist only in
    // capitals ("Ian" and "lan" in a sans-serif font), so the skeletons of
    // the names as written are compared too.
    if same_ignoring_case(a, b) {
        return true;
    }
    let (lower_a, lower_b) = (a.to_lowercase(), b.to_lowercase());
    skeleton(&lower_a).eq(skeleton(&lower_b)) || skeleton(a).eq(skeleton(b))
}

/// Whether `a` and `b` are the same name in a room, as far as the browser
/// can tell without the tables: equal ignoring ASCII case and the invisible
/// characters of emoji. Full Unicode lowercasing would bring the standard
/// library's case tables (about 7 KB gzip) into the phone's download for
/// the browser's button states alone; "Émile" against "ÉMILE" is then left
/// to the server, which answers `name_taken`.
#[cfg(not(feature = "confusables"))]
pub(super) fn same_name(a: &str, b: &str) -> bool {
    same_ignoring_ascii_case(a, b)
}

/// Equal ignoring ASCII case and the joiners, selectors and tags of emoji.
#[cfg_attr(feature = "confusables", allow(dead_code))]
fn same_ignoring_ascii_case(a: &str, b: &str) -> bool {
    let folded = |text| without_ignorables(text).map(|c: char| c.to_ascii_lowercase());
    folded(a).eq(folded(b))
}

/// Equal ignoring case and the joiners, selectors and tags of emoji: a floor
/// under the skeleton's (every pair equal here has equal skeletons too, as a
/// skeleton drops default-ignorables).
#[cfg(feature = "confusables")]
fn same_ignoring_case(a: &str, b: &str) -> bool {
    let folded = |text: &str| without_ignorables(text).collect::<String>().to_lowercase();
    folded(a) == folded(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_browsers_comparison_ignores_ascii_case_and_emoji_joiners() {
        assert!(same_ignoring_ascii_case("Ada", "ada"));
        assert!(same_ignoring_ascii_case("Fay ❤️", "fay ❤"));
        assert!(!same_ignoring_ascii_case("Bo", "Bob"));
        assert!(!same_ignoring_ascii_case("F\u{0430}y", "Fay"));
        // Beyond ASCII the browser does not fold case; the server does.
        assert!(!same_ignoring_ascii_case("émile", "ÉMILE"));
    }

    #[cfg(feature = "confusables")]
    #[test]
    fn the_servers_comparison_is_by_looks() {
        assert!(same_name("F\u{0430}y", "Fay")); // Cyrillic а
        assert!(same_name("F\u{0410}Y", "fay")); // Cyrillic А, other case
        assert!(same_name("Ada", "ada"));
        assert!(same_name("Ian", "lan")); // capital I, small L
        assert!(same_name("Kim", "Kirn"));
        assert!(same_name("Fay ❤️", "Fay ❤"));
        assert!(!same_name("Bo", "Bob"));
        assert!(!same_name("Ada", "Ida"));
        assert!(!same_name("Zoë", "Zoe"));
    }
}
