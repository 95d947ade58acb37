//! Keeps `web/style.css` on its scales. The stylesheet defines a type
//! scale, a spacing scale, radii and control heights as custom properties
//! on `:root`; every font size, margin, padding, gap, corner and control
//! height below must be one of them (or `0`, a percentage, a viewport unit,
//! a keyword). A size typed as a number (`font-size: 1.1rem`,
//! `padding: .3rem`) is how a stylesheet drifts into twenty near-equal
//! sizes, so the build refuses it, naming the line.

/// The properties whose lengths must come from the scales.
const SCALED: &[&str] = &[
    "font-size",
    "margin",
    "margin-top",
    "margin-right",
    "margin-bottom",
    "margin-left",
    "padding",
    "padding-top",
    "padding-right",
    "padding-bottom",
    "padding-left",
    "gap",
    "row-gap",
    "column-gap",
    "border-radius",
    "min-height",
];

/// Rules whose sizes are not on the page's scales, and why:
/// - `:root` defines the scales;
/// - `html:has(.screen-bar)` (the shared screen's page) sets the shared screen's root size from the
///   viewport, which the scales then multiply;
/// - `.visually-hidden` is the standard one-pixel clip;
/// - `.roti-` texts are in the chart's own `viewBox` units.
const EXEMPT: &[&str] = &[
    ":root",
    "html:has(.screen-bar)",
    ".visually-hidden",
    ".roti-",
];

/// Every length typed as a number where a scale step belongs, as
/// `line N: property: value`.
pub fn off_scale(css: &str) -> Vec<String> {
    let css = blank_comments(css);
    let mut problems = Vec::new();
    // The headers of the blocks we are in (selectors, `@media …`), and the
    // text since the last `{`, `}` or `;`.
    let mut headers: Vec<String> = Vec::new();
    let mut text = String::new();
    let mut text_line = 1;
    let mut line = 1;
    for c in css.chars() {
        match c {
            '{' => {
                headers.push(text.trim().to_owned());
                text.clear();
            }
            ';' | '}' => {
                let exempt = headers
                    .iter()
                    .any(|header| EXEMPT.iter().any(|rule| header.contains(rule)));
                if !exempt && let Some(problem) = check_declaration(&text) {
                    problems.push(format!("line {text_line}: {problem}"));
                }
                text.clear();
                if c == '}' {
                    headers.pop();
                }
            }
            _ => {
                if text.trim().is_empty() {
                    text_line = line;
                }
                text.push(c);
            }
        }
        if c == '\n' {
            line += 1;
        }
    }
    problems
}

/// The declaration itself when it sets a scaled property to a typed length.
fn check_declaration(declaration: &str) -> Option<String> {
    let (property, value) = declaration.split_once(':')?;
    let property = property.trim();
    if !SCALED.contains(&property) {
        return None;
    }
    let value = value.trim();
    typed_length(value).then(|| format!("{property}: {value}"))
}

/// Whether `value` holds a number with a `px`, `rem` or `em` unit outside a
/// `var(…)` (whose fallback would be the only place for one).
fn typed_length(value: &str) -> bool {
    let bytes = value.as_bytes();
    let mut index = 0;
    while index < bytes.len() {
        if value[index..].starts_with("var(") {
            index = skip_parenthesised(value, index + 3);
            continue;
        }
        let starts_number = bytes[index].is_ascii_digit()
            || (bytes[index] == b'.' && bytes.get(index + 1).is_some_and(u8::is_ascii_digit));
        // A digit inside a name (`h2`, `space-2`) starts no number; a minus
        // after a space or `(` is a sign.
        let word_char = |at: usize| bytes[at].is_ascii_alphanumeric() || bytes[at] == b'_';
        let inside_word = index > 0
            && (word_char(index - 1)
                || (bytes[index - 1] == b'-' && index > 1 && word_char(index - 2)));
        if starts_number && !inside_word {
            let mut end = index;
            while end < bytes.len() && (bytes[end].is_ascii_digit() || bytes[end] == b'.') {
                end += 1;
            }
            let unit: String = value[end..]
                .chars()
                .take_while(char::is_ascii_alphabetic)
                .collect();
            if matches!(unit.as_str(), "px" | "rem" | "em") {
                return true;
            }
            index = end + unit.len();
            continue;
        }
        index += 1;
    }
    false
}

/// The index just past the parenthesis that closes the one at `open`.
fn skip_parenthesised(value: &str, open: usize) -> usize {
    let mut depth = 0usize;
    for (offset, c) in value[open..].char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return open + offset + 1;
                }
            }
            _ => {}
        }
    }
    value.len()
}

/// `css` with every comment's characters blanked (newlines kept, so line
/// numbers still match the file). Strings in this stylesheet hold no `/*`.
fn blank_comments(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        let end = rest[start..]
            .find("*/")
            .map_or(rest.len(), |end| start + end + 2);
        out.extend(
            rest[start..end]
                .chars()
                .map(|c| if c == '\n' { '\n' } else { ' ' }),
        );
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::off_scale;

    #[test]
    fn sizes_from_the_scales_pass_and_typed_ones_are_named_with_their_line() {
        let css = ":root { --space-2: .5rem; --text-md: 1.25rem; }\n\
                   .a { padding: var(--space-2) 0; font-size: var(--text-md); margin: .5vh auto; }\n\
                   .b { gap: var(--space-2);\n  padding: .3rem 1rem; }\n\
                   .c { font-size: 1.1rem; border-radius: 50%; min-height: 40px; }\n\
                   .d { width: 12rem; top: .5rem; letter-spacing: .08em; }\n";
        assert_eq!(
            off_scale(css),
            [
                "line 4: padding: .3rem 1rem",
                "line 5: font-size: 1.1rem",
                "line 5: min-height: 40px",
            ]
        );
    }

    #[test]
    fn media_queries_nesting_calc_and_the_exempt_rules_are_read_right() {
        let css = "@media (min-width: 64rem) { .fac { padding: var(--space-3); } }\n\
                   .x { & .y { gap: 4vw; } & .z { margin: 2px; } }\n\
                   .n { padding: calc(var(--space-1) + env(safe-area-inset-bottom)); }\n\
                   /* font-size: 9px; */\n\
                   html:has(.screen-bar) { font-size: clamp(12px, min(2.25vh, 1.27vw), 64px); }\n\
                   .visually-hidden { margin: -1px; }\n\
                   .roti-mean { font-size: 38px; }\n\
                   .h2o { padding: 0; margin-left: -2rem; }\n";
        assert_eq!(
            off_scale(css),
            ["line 2: margin: 2px", "line 8: margin-left: -2rem"]
        );
    }

    #[test]
    fn the_shipped_stylesheet_keeps_to_its_scales() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../web/style.css");
        let css = std::fs::read_to_string(path).expect("web/style.css");
        assert_eq!(off_scale(&css), Vec::<String>::new());
    }
}
