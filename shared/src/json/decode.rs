//! Reading moot's types out of a [`Json`] tree, as their serde derives read
//! them: the [`FromJson`] trait, [`Fields`] (an object read by name), and
//! the impls for primitives and containers. Every moot type gets its impl
//! from `#[derive(FromJson)]` (the `moot-shared-derive` crate), which reads
//! the type's own serde attributes; nothing here names a moot type.

use super::encode::write_string;
use super::{DecodeError, Json, Problem, ToJson, expected};

/// A type that can be read from a [`Json`] value, as its serde derive would.
pub trait FromJson: Sized {
    /// Reads the value.
    ///
    /// # Errors
    ///
    /// A [`DecodeError`] when the value does not fit the type.
    fn from_json(value: &Json) -> Result<Self, DecodeError>;
}

/// Parses a text and decodes it as `T`.
///
/// # Errors
///
/// A [`DecodeError`] when the text is not JSON or does not fit `T`.
pub fn from_str<T: FromJson>(text: &str) -> Result<T, DecodeError> {
    T::from_json(&Json::parse(text)?)
}

/// The fields of one object, read by name.
#[derive(Clone, Copy, Debug)]
pub struct Fields<'a>(pub(super) &'a [(String, Json)]);

impl<'a> Fields<'a> {
    /// The value of a field, if present (the first of duplicates).
    // Out of line: every `field::<T>` and `field_or::<T>` calls it, and
    // inlined the search loop was copied into each of them.
    #[inline(never)]
    pub fn get(&self, name: &str) -> Option<&'a Json> {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value)
    }

    /// A field. A missing one reads as `null`, which an `Option` takes as
    /// `None` (as the derives do) and any other type refuses.
    ///
    /// # Errors
    ///
    /// [`Problem::MissingField`], or the field's own error with its path.
    #[inline(never)]
    pub fn field<T: FromJson>(&self, name: &'static str) -> Result<T, DecodeError> {
        // One call whether the field is there or not, and the error's path
        // made out of line: this body is copied for every field type.
        let found = self.get(name);
        T::from_json(found.unwrap_or(&Json::Null))
            .map_err(|error| field_error(error, name, found.is_none()))
    }

    /// A `#[serde(default)]` field: `default()` when missing.
    ///
    /// # Errors
    ///
    /// The field's own error, with its path.
    #[inline(never)]
    pub fn field_or<T: FromJson>(
        &self,
        name: &'static str,
        default: fn() -> T,
    ) -> Result<T, DecodeError> {
        match self.get(name) {
            Some(value) => T::from_json(value).map_err(|error| field_error(error, name, false)),
            None => Ok(default()),
        }
    }

    /// A `#[serde(with = "module")]` field, read by `module::from_json`;
    /// `default()` when missing and there is a default.
    ///
    /// # Errors
    ///
    /// The field's own error with its path, or [`Problem::MissingField`].
    #[inline(never)]
    pub fn field_with<T>(
        &self,
        name: &'static str,
        read: fn(&Json) -> Result<T, DecodeError>,
        default: Option<fn() -> T>,
    ) -> Result<T, DecodeError> {
        match (self.get(name), default) {
            (Some(value), _) => read(value).map_err(|error| error.in_field(name)),
            (None, Some(default)) => Ok(default()),
            (None, None) => {
                read(&Json::Null).map_err(|_| DecodeError::new(Problem::MissingField(name)))
            }
        }
    }

    /// Which of `names` (an enum's variants by their wire names, separated
    /// by commas) the tag `name` holds.
    ///
    /// # Errors
    ///
    /// As [`Fields::tag`], or [`Problem::UnknownVariant`].
    pub fn variant(&self, name: &'static str, names: &str) -> Result<usize, DecodeError> {
        variant_index(self.tag(name)?, names)
    }

    /// The tag of an internally tagged enum (`type`, `code`, `state`, …).
    ///
    /// # Errors
    ///
    /// [`Problem::MissingField`] or [`Problem::Expected`] a string.
    pub fn tag(&self, name: &'static str) -> Result<&'a str, DecodeError> {
        self.get(name)
            .ok_or(DecodeError::new(Problem::MissingField(name)))?
            .as_str()
            .map_err(|error| error.in_field(name))
    }
}

/// Where `name` stands in `names` (separated by commas), for the derived
/// decoder of an enum.
///
/// # Errors
///
/// [`Problem::UnknownVariant`] for a name not in `names`.
#[inline(never)]
fn variant_index(name: &str, names: &str) -> Result<usize, DecodeError> {
    names
        .split(',')
        .position(|known| known == name)
        .ok_or_else(|| DecodeError::unknown_variant(name))
}

/// Which of `names` (an enum's unit variants by their wire names,
/// separated by commas) the string `value` is.
///
/// # Errors
///
/// [`Problem::Expected`] a string, or [`Problem::UnknownVariant`].
pub fn variant_of_name(value: &Json, names: &str) -> Result<usize, DecodeError> {
    variant_index(value.as_str()?, names)
}

/// A field's error: [`Problem::MissingField`] when it was `missing` (and
/// `null` did not fit its type), else `error` with the field in its path.
#[cold]
#[inline(never)]
fn field_error(error: DecodeError, name: &'static str, missing: bool) -> DecodeError {
    if missing {
        DecodeError::new(Problem::MissingField(name))
    } else {
        error.in_field(name)
    }
}

impl FromJson for Json {
    fn from_json(value: &Json) -> Result<Self, DecodeError> {
        Ok(value.clone())
    }
}

impl FromJson for bool {
    fn from_json(value: &Json) -> Result<Self, DecodeError> {
        match value {
            Json::Bool(value) => Ok(*value),
            _ => Err(expected("a boolean")),
        }
    }
}

impl FromJson for String {
    fn from_json(value: &Json) -> Result<Self, DecodeError> {
        value.as_str().map(str::to_owned)
    }
}

impl<T: FromJson> FromJson for Option<T> {
    #[inline(never)]
    fn from_json(value: &Json) -> Result<Self, DecodeError> {
        match value {
            Json::Null => Ok(None),
            value => T::from_json(value).map(Some),
        }
    }
}

impl<T: FromJson> FromJson for Box<T> {
    fn from_json(value: &Json) -> Result<Self, DecodeError> {
        T::from_json(value).map(Box::new)
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    #[inline(never)]
    fn from_json(value: &Json) -> Result<Self, DecodeError> {
        // A plain loop rather than `collect::<Result<Vec<_>, _>>()`: that
        // adapter costs a kilobyte or two of wasm per item type.
        let items = value.items()?;
        let mut decoded = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            decoded.push(T::from_json(item).map_err(|error| error.in_item(index))?);
        }
        Ok(decoded)
    }
}

/// A pair, written as a two-item array (as serde writes tuples).
impl<A: FromJson, B: FromJson> FromJson for (A, B) {
    fn from_json(value: &Json) -> Result<Self, DecodeError> {
        match value.items()? {
            [first, second] => Ok((
                A::from_json(first).map_err(|error| error.in_item(0))?,
                B::from_json(second).map_err(|error| error.in_item(1))?,
            )),
            _ => Err(expected("an array of two")),
        }
    }
}

impl FromJson for uuid::Uuid {
    fn from_json(value: &Json) -> Result<Self, DecodeError> {
        uuid::Uuid::try_parse(value.as_str()?).map_err(|error| {
            DecodeError::new(Problem::Invalid {
                what: "uuid",
                reason: error.to_string(),
            })
        })
    }
}

/// Hyphenated and lower case, as uuid's serde support writes it.
impl ToJson for uuid::Uuid {
    fn write_json(&self, out: &mut String) {
        write_string(
            self.hyphenated()
                .encode_lower(&mut uuid::Uuid::encode_buffer()),
            out,
        );
    }
}

/// Whole numbers, range-checked as serde does.
macro_rules! integers {
    ($($type:ty)*) => {$(
        impl FromJson for $type {
            fn from_json(value: &Json) -> Result<Self, DecodeError> {
                <$type>::try_from(value.integer()?)
                    .map_err(|_| DecodeError::new(Problem::OutOfRange))
            }
        }

        impl ToJson for $type {
            fn write_json(&self, out: &mut String) {
                out.push_str(&self.to_string());
            }
        }
    )*};
}

integers!(u8 u16 u32 u64 usize i32 i64);
