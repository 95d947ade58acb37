//! Reading the `#[serde(...)]` attributes a type already carries. Only the
//! attributes moot's types use are understood; any other one is a compile
//! error, so a new serde attribute cannot silently make the two codecs
//! disagree.

use syn::spanned::Spanned;
use syn::{Attribute, ExprPath, LitStr, Path, Type};

/// Attributes on the type itself.
#[derive(Default)]
pub struct Container {
    /// `tag = "…"`: an internally tagged enum (or, with `content`, adjacently).
    pub tag: Option<String>,
    /// `content = "…"`: the adjacently tagged enum's data field.
    pub content: Option<String>,
    /// `rename_all = "snake_case"` (the only case rule moot uses).
    pub snake_case: bool,
    /// `transparent`: the single field's JSON.
    pub transparent: bool,
    /// `try_from = "T"`: decoded as `T`, then converted (and validated).
    pub try_from: Option<Type>,
    /// `into = "T"`: encoded by converting a clone into `T`.
    pub into: Option<Type>,
}

/// What a field falls back to when it is missing.
#[derive(Default)]
pub enum Default {
    /// Required (an `Option` still reads a missing field as `None`).
    #[default]
    Required,
    /// `default`: `Default::default()`.
    Trait,
    /// `default = "path"`: that function.
    Function(ExprPath),
}

/// Attributes on a field.
#[derive(Default)]
pub struct Field {
    /// `rename = "…"`.
    pub rename: Option<String>,
    /// `default` or `default = "…"`.
    pub default: Default,
    /// `skip_serializing_if = "…"`.
    pub skip_serializing_if: Option<ExprPath>,
    /// `flatten`: the field's own fields sit beside the parent's.
    pub flatten: bool,
    /// `skip` or `skip_serializing`.
    pub skip_serializing: bool,
    /// `skip` or `skip_deserializing`: always `Default::default()` when read.
    pub skip_deserializing: bool,
    /// `with = "module"`: the module also has `from_json` and `write_json`.
    pub with: Option<Path>,
}

/// Attributes on an enum variant.
#[derive(Default)]
pub struct Variant {
    /// `rename = "…"`.
    pub rename: Option<String>,
    /// `skip` or `skip_serializing`.
    pub skip_serializing: bool,
    /// `skip` or `skip_deserializing`: not a name the decoder accepts.
    pub skip_deserializing: bool,
}

fn serde_attributes(attrs: &[Attribute]) -> impl Iterator<Item = &Attribute> {
    attrs.iter().filter(|attr| attr.path().is_ident("serde"))
}

fn unsupported(meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Error {
    let name = meta
        .path
        .get_ident()
        .map_or_else(|| "?".to_owned(), ToString::to_string);
    meta.error(format!(
        "moot's JSON derive does not understand `#[serde({name})]`; teach it in shared/derive before using it"
    ))
}

fn string(meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<LitStr> {
    meta.value()?.parse::<LitStr>()
}

/// Reads the container attributes.
pub fn container(attrs: &[Attribute]) -> syn::Result<Container> {
    let mut container = Container::default();
    for attr in serde_attributes(attrs) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("tag") {
                container.tag = Some(string(&meta)?.value());
            } else if meta.path.is_ident("content") {
                container.content = Some(string(&meta)?.value());
            } else if meta.path.is_ident("rename_all") {
                let rule = string(&meta)?;
                if rule.value() != "snake_case" {
                    return Err(syn::Error::new(
                        rule.span(),
                        "moot's JSON derive knows only rename_all = \"snake_case\"",
                    ));
                }
                container.snake_case = true;
            } else if meta.path.is_ident("transparent") {
                container.transparent = true;
            } else if meta.path.is_ident("try_from") {
                container.try_from = Some(string(&meta)?.parse()?);
            } else if meta.path.is_ident("into") {
                container.into = Some(string(&meta)?.parse()?);
            } else {
                return Err(unsupported(&meta));
            }
            Ok(())
        })?;
    }
    Ok(container)
}

/// Reads a field's attributes.
pub fn field(attrs: &[Attribute]) -> syn::Result<Field> {
    let mut field = Field::default();
    for attr in serde_attributes(attrs) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                field.rename = Some(string(&meta)?.value());
            } else if meta.path.is_ident("default") {
                field.default = if meta.input.peek(syn::Token![=]) {
                    Default::Function(string(&meta)?.parse()?)
                } else {
                    Default::Trait
                };
            } else if meta.path.is_ident("skip_serializing_if") {
                field.skip_serializing_if = Some(string(&meta)?.parse()?);
            } else if meta.path.is_ident("flatten") {
                field.flatten = true;
            } else if meta.path.is_ident("skip") {
                field.skip_serializing = true;
                field.skip_deserializing = true;
            } else if meta.path.is_ident("skip_serializing") {
                field.skip_serializing = true;
            } else if meta.path.is_ident("skip_deserializing") {
                field.skip_deserializing = true;
            } else if meta.path.is_ident("with") {
                field.with = Some(string(&meta)?.parse()?);
            } else {
                return Err(unsupported(&meta));
            }
            Ok(())
        })?;
    }
    Ok(field)
}

/// Reads a variant's attributes.
pub fn variant(attrs: &[Attribute]) -> syn::Result<Variant> {
    let mut variant = Variant::default();
    for attr in serde_attributes(attrs) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                variant.rename = Some(string(&meta)?.value());
            } else if meta.path.is_ident("skip") {
                variant.skip_serializing = true;
                variant.skip_deserializing = true;
            } else if meta.path.is_ident("skip_serializing") {
                variant.skip_serializing = true;
            } else if meta.path.is_ident("skip_deserializing") {
                variant.skip_deserializing = true;
            } else {
                return Err(unsupported(&meta));
            }
            Ok(())
        })?;
    }
    Ok(variant)
}

/// serde's `snake_case` rule for a variant name: an underscore before every
/// upper-case letter but the first, then all lower case.
pub fn snake_case(name: &str) -> String {
    let mut snake = String::with_capacity(name.len() + 4);
    for (index, character) in name.char_indices() {
        if character.is_uppercase() && index > 0 {
            snake.push('_');
        }
        snake.extend(character.to_lowercase());
    }
    snake
}

/// An error at `node`.
pub fn error(node: &impl Spanned, message: &str) -> syn::Error {
    syn::Error::new(node.span(), message)
}

#[cfg(test)]
mod tests {
    use super::snake_case;

    #[test]
    fn snake_case_matches_serde() {
        assert_eq!(snake_case("FistOfFive"), "fist_of_five");
        assert_eq!(snake_case("CoFacilitator"), "co_facilitator");
        assert_eq!(snake_case("Leave"), "leave");
        assert_eq!(snake_case("YesNo"), "yes_no");
    }
}
