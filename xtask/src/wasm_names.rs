//! Short names for what a bundle's wasm and its JS glue call each other.
//!
//! wasm-bindgen names every function the wasm imports from its JS after the
//! Rust item plus a hash (`__wbg_appendChild_8204974b7328bf98`), and the
//! closures the JS calls back after theirs. Each name is written twice, in
//! the wasm's import (or export) section and in the JS, and the hashes do
//! not compress: about 4.5 KB of a phone's gzipped download for ~130
//! imports. [`shorten`] renames them `a`, `b`, … in both files, which is
//! what binaryen's `--minify-imports-and-exports` does, without binaryen.
//!
//! Only names that cannot be anything else are renamed: imports of the
//! bundle's own `_bg.js` module whose names start with `__wbg` or
//! `__wbindgen`, and exports carrying a 16-digit hash. In the JS a name is
//! replaced only as a whole identifier. When the wasm has a shape this code
//! does not know (an import that is not a function, a malformed section) or
//! a name is missing from the JS, [`shorten`] gives up and the caller keeps
//! both files as wasm-bindgen wrote them.

use std::collections::{BTreeMap, BTreeSet};

/// A wasm module's first bytes: the magic number and version 1.
const HEADER: &[u8] = b"\0asm\x01\0\0\0";

/// The section ids this code rewrites.
const IMPORT_SECTION: u8 = 2;
const EXPORT_SECTION: u8 = 7;

/// The wasm and JS with short names, or `None` to keep them as they are.
pub fn shorten(wasm: &[u8], js: &str) -> Option<(Vec<u8>, String)> {
    let sections = sections(wasm)?;
    let mut renames: BTreeMap<String, String> = BTreeMap::new();
    let mut module_rename = None;
    let mut out = HEADER.to_vec();
    for (id, body) in sections {
        let body = match id {
            IMPORT_SECTION => imports(body, &mut renames, &mut module_rename)?,
            EXPORT_SECTION => exports(body, &mut renames)?,
            _ => body.to_vec(),
        };
        out.push(id);
        write_u32(&mut out, u32::try_from(body.len()).ok()?);
        out.extend_from_slice(&body);
    }
    let mut js = rename_identifiers(js, &renames)?;
    if let Some((from, to)) = module_rename {
        // The JS keys its import object by the module's name, once; any
        // other count means JS this code does not know: give up.
        let quoted = format!("\"{from}\"");
        if js.matches(&quoted).count() != 1 {
            return None;
        }
        js = js.replace(&quoted, &format!("\"{to}\""));
    }
    Some((out, js))
}

/// Each section after the header, as (id, body).
fn sections(wasm: &[u8]) -> Option<Vec<(u8, &[u8])>> {
    if !wasm.starts_with(HEADER) {
        return None;
    }
    let mut reader = Reader {
        bytes: wasm,
        at: HEADER.len(),
    };
    let mut sections = Vec::new();
    while reader.at < wasm.len() {
        let id = reader.byte()?;
        let len = reader.u32()? as usize;
        sections.push((id, reader.take(len)?));
    }
    Some(sections)
}

/// The import section with the bindgen module's function imports renamed.
fn imports(
    body: &[u8],
    renames: &mut BTreeMap<String, String>,
    module_rename: &mut Option<(String, String)>,
) -> Option<Vec<u8>> {
    let mut reader = Reader { bytes: body, at: 0 };
    let count = reader.u32()?;
    let mut entries = Vec::new();
    for _ in 0..count {
        let module = reader.name()?;
        let name = reader.name()?;
        // Only function imports (kind 0, a type index) are expected; any
        // other kind would need its own parsing, so give up instead.
        if reader.byte()? != 0 {
            return None;
        }
        let type_index = reader.u32()?;
        entries.push((module, name, type_index));
    }
    if reader.at != body.len() {
        return None;
    }
    // wasm-bindgen's own module (`./{bundle}_bg.js`) is renamed `a`, and
    // every import from it with it; there is one such module.
    let ours: BTreeSet<&str> = entries
        .iter()
        .map(|(module, _, _)| *module)
        .filter(|module| module.ends_with("_bg.js"))
        .collect();
    let [ours] = ours.into_iter().collect::<Vec<_>>()[..] else {
        return None;
    };
    *module_rename = Some((ours.to_owned(), "a".to_owned()));
    let kept: BTreeSet<&str> = entries.iter().map(|(_, name, _)| *name).collect();
    let mut short = ShortNames::new("", &kept);
    let mut out = Vec::new();
    write_u32(&mut out, count);
    for (module, name, type_index) in entries {
        let (module, name) = if module != ours {
            (module, name.to_owned())
        } else if name.starts_with("__wbg") || name.starts_with("__wbindgen") {
            let short = renames
                .entry(name.to_owned())
                .or_insert_with(|| short.next())
                .clone();
            ("a", short)
        } else {
            ("a", name.to_owned())
        };
        write_name(&mut out, module);
        write_name(&mut out, &name);
        out.push(0);
        write_u32(&mut out, type_index);
    }
    Some(out)
}

/// The export section with hashed names (wasm-bindgen's closure entry
/// points) renamed.
fn exports(body: &[u8], renames: &mut BTreeMap<String, String>) -> Option<Vec<u8>> {
    let mut reader = Reader { bytes: body, at: 0 };
    let count = reader.u32()?;
    let mut entries = Vec::new();
    for _ in 0..count {
        let name = reader.name()?;
        let kind = reader.byte()?;
        let index = reader.u32()?;
        entries.push((name, kind, index));
    }
    if reader.at != body.len() {
        return None;
    }
    let kept: BTreeSet<&str> = entries.iter().map(|(name, _, _)| *name).collect();
    let mut short = ShortNames::new("x", &kept);
    let mut out = Vec::new();
    write_u32(&mut out, count);
    for (name, kind, index) in entries {
        let name = if has_hash(name) {
            renames
                .entry(name.to_owned())
                .or_insert_with(|| short.next())
                .clone()
        } else {
            name.to_owned()
        };
        write_name(&mut out, &name);
        out.push(kind);
        write_u32(&mut out, index);
    }
    Some(out)
}

/// Whether a name carries a Rust symbol hash: `h` and 16 hex digits after
/// two underscores (`…_invoke__h5cddc56ae7f8e60e`, maybe with a suffix).
fn has_hash(name: &str) -> bool {
    name.match_indices("__h").any(|(at, _)| {
        let digits = &name.as_bytes()[at + 3..];
        digits.len() >= 16 && digits[..16].iter().all(u8::is_ascii_hexdigit)
    })
}

/// Replaces whole identifiers (`[A-Za-z0-9_$]+`) found in `renames`.
/// `None` when one of them does not occur: the JS is not what we expect.
fn rename_identifiers(js: &str, renames: &BTreeMap<String, String>) -> Option<String> {
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '$';
    let mut out = String::with_capacity(js.len());
    let mut seen = BTreeSet::new();
    let mut rest = js;
    while let Some(start) = rest.find(is_ident) {
        out.push_str(&rest[..start]);
        let word = &rest[start..];
        let end = word.find(|c: char| !is_ident(c)).unwrap_or(word.len());
        let (word, tail) = word.split_at(end);
        match renames.get(word) {
            Some(short) => {
                seen.insert(word);
                out.push_str(short);
            }
            None => out.push_str(word),
        }
        rest = tail;
    }
    out.push_str(rest);
    (seen.len() == renames.len()).then_some(out)
}

/// `a`, `b`, … `Z`, `aa`, `ab`, … with a prefix, skipping names in use.
struct ShortNames<'a> {
    prefix: &'static str,
    next: usize,
    taken: &'a BTreeSet<&'a str>,
}

impl<'a> ShortNames<'a> {
    fn new(prefix: &'static str, taken: &'a BTreeSet<&'a str>) -> Self {
        ShortNames {
            prefix,
            next: 0,
            taken,
        }
    }

    fn next(&mut self) -> String {
        const LETTERS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
        loop {
            let mut n = self.next;
            self.next += 1;
            let mut name = Vec::new();
            loop {
                name.push(LETTERS[n % LETTERS.len()]);
                n /= LETTERS.len();
                if n == 0 {
                    break;
                }
                n -= 1;
            }
            name.reverse();
            let name = format!(
                "{}{}",
                self.prefix,
                String::from_utf8(name).expect("invariant: letters are ASCII")
            );
            if !self.taken.contains(name.as_str()) {
                return name;
            }
        }
    }
}

/// Reads a wasm module's bytes; every read is `None` past the end.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Option<u8> {
        let byte = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(byte)
    }

    /// An unsigned LEB128 number of at most 32 bits.
    fn u32(&mut self) -> Option<u32> {
        let mut value: u32 = 0;
        for shift in (0..35).step_by(7) {
            let byte = self.byte()?;
            value |= u32::from(byte & 0x7f).checked_shl(shift)?;
            if byte & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    }

    fn take(&mut self, len: usize) -> Option<&'a [u8]> {
        let bytes = self.bytes.get(self.at..self.at.checked_add(len)?)?;
        self.at += len;
        Some(bytes)
    }

    fn name(&mut self) -> Option<&'a str> {
        let len = self.u32()? as usize;
        std::str::from_utf8(self.take(len)?).ok()
    }
}

fn write_u32(out: &mut Vec<u8>, mut value: u32) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn write_name(out: &mut Vec<u8>, name: &str) {
    write_u32(
        out,
        u32::try_from(name.len()).expect("invariant: wasm names are short"),
    );
    out.extend_from_slice(name.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(id: u8, body: &[u8]) -> Vec<u8> {
        let mut out = vec![id];
        write_u32(&mut out, u32::try_from(body.len()).unwrap());
        out.extend_from_slice(body);
        out
    }

    /// A module with one type, three function imports (two from the
    /// bindgen module, one from a snippet) and two exports.
    fn module(import_names: [&str; 3], export_names: [&str; 2]) -> Vec<u8> {
        let mut wasm = HEADER.to_vec();
        wasm.extend(section(1, &[1, 0x60, 0, 0]));
        let mut imports = vec![3];
        for (module, name) in [
            ("./app_bg.js", import_names[0]),
            ("./app_bg.js", import_names[1]),
            ("./snippets/x.js", import_names[2]),
        ] {
            write_name(&mut imports, module);
            write_name(&mut imports, name);
            imports.extend([0, 0]);
        }
        wasm.extend(section(IMPORT_SECTION, &imports));
        let mut exports = vec![2];
        for (index, name) in export_names.iter().enumerate() {
            write_name(&mut exports, name);
            exports.extend([0, u8::try_from(index).unwrap()]);
        }
        wasm.extend(section(EXPORT_SECTION, &exports));
        wasm.extend(section(0, b"\x04namerest"));
        wasm
    }

    const JS: &str = "const import0 = {\n\
        __wbg_body_5f971cbc6950ca4f: function(a) { return a.body; },\n\
        __wbindgen_init_externref_table: function() {},\n\
        };\n\
        wasm.invoke__h5cddc56ae7f8e60e(1); wasm.main(); let __wbg_body = 1;\n\
        return { \"./app_bg.js\": import0 };\n";

    #[test]
    fn renames_in_both_files() {
        let wasm = module(
            [
                "__wbg_body_5f971cbc6950ca4f",
                "__wbindgen_init_externref_table",
                "__wbg_snippet_0123456789abcdef",
            ],
            ["invoke__h5cddc56ae7f8e60e", "main"],
        );
        let (new_wasm, new_js) = shorten(&wasm, JS).expect("a module it understands");
        let expected = module(["a", "b", "__wbg_snippet_0123456789abcdef"], ["xa", "main"]);
        // The bindgen module is renamed `a` as well.
        assert_eq!(new_wasm, rename_module(&expected));
        assert_eq!(
            new_js,
            "const import0 = {\n\
             a: function(a) { return a.body; },\n\
             b: function() {},\n\
             };\n\
             wasm.xa(1); wasm.main(); let __wbg_body = 1;\n\
             return { \"a\": import0 };\n"
        );
    }

    #[test]
    fn keeps_both_files_when_a_name_is_not_in_the_js() {
        let wasm = module(
            [
                "__wbg_other_5f971cbc6950ca4f",
                "__wbindgen_init_externref_table",
                "x",
            ],
            ["main", "memory"],
        );
        assert_eq!(shorten(&wasm, JS), None);
    }

    #[test]
    fn keeps_both_files_for_a_truncated_module() {
        let wasm = module(["__wbg_body_5f971cbc6950ca4f", "b", "c"], ["main", "m"]);
        assert_eq!(shorten(&wasm[..wasm.len() - 3], JS), None);
        assert_eq!(shorten(b"not wasm", JS), None);
    }

    #[test]
    fn short_names_skip_taken_ones() {
        let taken = BTreeSet::from(["b"]);
        let mut names = ShortNames::new("", &taken);
        let first: Vec<String> = (0..3).map(|_| names.next()).collect();
        assert_eq!(first, ["a", "c", "d"]);
        let mut names = ShortNames::new("", &taken);
        assert_eq!((0..54).map(|_| names.next()).last().unwrap(), "ac");
    }

    /// The test module with `./app_bg.js` spelled `a` (same length
    /// prefixes are rewritten through the section parser, not by bytes).
    fn rename_module(wasm: &[u8]) -> Vec<u8> {
        let mut out = HEADER.to_vec();
        for (id, body) in sections(wasm).unwrap() {
            let body = if id == IMPORT_SECTION {
                let mut reader = Reader { bytes: body, at: 0 };
                let count = reader.u32().unwrap();
                let mut new = Vec::new();
                write_u32(&mut new, count);
                for _ in 0..count {
                    let module = reader.name().unwrap();
                    let name = reader.name().unwrap();
                    let rest = reader.take(2).unwrap();
                    write_name(&mut new, if module == "./app_bg.js" { "a" } else { module });
                    write_name(&mut new, name);
                    new.extend_from_slice(rest);
                }
                new
            } else {
                body.to_vec()
            };
            out.extend(section(id, &body));
        }
        out
    }
}
