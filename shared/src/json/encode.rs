//! Writing JSON exactly as serde_json writes the derives' output: the
//! [`ToJson`] trait, [`ToJsonFields`] for values whose fields go into an
//! enclosing object, [`ObjectWriter`], and the impls for primitives and
//! containers. Every moot type gets its impl from `#[derive(ToJson)]`.

use super::{Json, Number};

/// A type that writes itself as JSON, byte for byte as `serde_json::to_string`
/// writes its derive's output.
pub trait ToJson {
    /// Appends the value's JSON to `out`.
    fn write_json(&self, out: &mut String);
}

/// The JSON text of a value.
pub fn to_string<T: ToJson + ?Sized>(value: &T) -> String {
    let mut out = String::new();
    value.write_json(&mut out);
    out
}

/// Writes a string with serde_json's escapes: the two-character forms where
/// JSON has them, `\u00XX` for other control characters, all else as is.
pub fn write_string(text: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for character in text.chars() {
        match character {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\0'..='\u{1f}' => {
                let code = usize::from(character as u8);
                out.push_str("\\u00");
                out.push(char::from(HEX[code >> 4]));
                out.push(char::from(HEX[code & 0xf]));
            }
            _ => out.push(character),
        }
    }
    out.push('"');
}

/// A value written as the fields of an object it does not open itself: a
/// struct or internally tagged enum that is `#[serde(flatten)]`ed into
/// another, or an internally tagged enum's newtype variant.
pub trait ToJsonFields {
    /// Writes the value's fields (and tag) into `object`.
    fn write_fields(&self, object: &mut ObjectWriter<'_>);
}

/// Writes an object field by field, in the order called.
pub struct ObjectWriter<'a> {
    out: &'a mut String,
    empty: bool,
}

impl<'a> ObjectWriter<'a> {
    /// Opens an object.
    pub fn new(out: &'a mut String) -> ObjectWriter<'a> {
        out.push('{');
        ObjectWriter { out, empty: true }
    }

    /// Writes a field.
    pub fn field<T: ToJson + ?Sized>(&mut self, name: &str, value: &T) -> &mut Self {
        value.write_json(self.key(name));
        self
    }

    /// Writes a field whose value `write` writes (a `#[serde(with)]` field).
    pub fn field_with(&mut self, name: &str, write: impl FnOnce(&mut String)) -> &mut Self {
        write(self.key(name));
        self
    }

    /// Writes a field's name (after a comma, unless it is the first) and
    /// returns where its value goes. Out of line: inlined, this was copied
    /// into every field of every type written.
    #[inline(never)]
    fn key(&mut self, name: &str) -> &mut String {
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
        write_string(name, self.out);
        self.out.push(':');
        self.out
    }

    /// Writes a `skip_serializing_if = "Option::is_none"` field.
    pub fn optional<T: ToJson>(&mut self, name: &str, value: &Option<T>) -> &mut Self {
        match value {
            Some(value) => self.field(name, value),
            None => self,
        }
    }

    /// Closes the object.
    pub fn finish(&mut self) {
        self.out.push('}');
    }
}

impl ToJson for Json {
    fn write_json(&self, out: &mut String) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(value) => value.write_json(out),
            Json::Number(Number::Unsigned(number)) => number.write_json(out),
            Json::Number(Number::Negative(number)) => number.write_json(out),
            Json::Number(Number::Other(text)) => out.push_str(text),
            Json::String(text) => write_string(text, out),
            Json::Array(items) => items.write_json(out),
            Json::Object(fields) => {
                let mut object = ObjectWriter::new(out);
                for (name, value) in fields {
                    object.field(name, value);
                }
                object.finish();
            }
        }
    }
}

impl ToJson for bool {
    fn write_json(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

impl ToJson for str {
    fn write_json(&self, out: &mut String) {
        write_string(self, out);
    }
}

impl ToJson for String {
    fn write_json(&self, out: &mut String) {
        write_string(self, out);
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn write_json(&self, out: &mut String) {
        match self {
            Some(value) => value.write_json(out),
            None => out.push_str("null"),
        }
    }
}

impl<T: ToJson> ToJson for [T] {
    fn write_json(&self, out: &mut String) {
        out.push('[');
        for (index, item) in self.iter().enumerate() {
            if index > 0 {
                out.push(',');
            }
            item.write_json(out);
        }
        out.push(']');
    }
}

impl<T: ToJson + ?Sized> ToJson for Box<T> {
    fn write_json(&self, out: &mut String) {
        (**self).write_json(out);
    }
}

/// A pair, as serde writes tuples: a two-item array.
impl<A: ToJson, B: ToJson> ToJson for (A, B) {
    fn write_json(&self, out: &mut String) {
        out.push('[');
        self.0.write_json(out);
        out.push(',');
        self.1.write_json(out);
        out.push(']');
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn write_json(&self, out: &mut String) {
        self.as_slice().write_json(out);
    }
}
