//! # moot-shared-derive
//!
//! Derives for `moot_shared::json`, the small JSON codec the browser uses
//! instead of serde. Each message type is described once, by its Rust type and
//! the `#[serde(...)]` attributes it already carries for the server; these
//! derives read the same attributes, so the browser's decoder and encoder can
//! never drift from the server's wire format:
//!
//! - `FromJson` reads a value out of a parsed `Json` tree, as serde's
//!   `Deserialize` would read the text.
//! - `ToJson` writes a value byte for byte as `serde_json::to_string` writes
//!   serde's `Serialize` (and `ToJsonFields`, so a flattened or internally
//!   tagged value can write its fields into an enclosing object).
//! - `Variants` lists an enum's wire names, so the protocol's coverage checks
//!   (every variant documented, every variant tested) come from the type, and
//!   numbers its variants, so the server's metrics count by kind with an index.
//!
//! Understood attributes: on a type `tag`, `content`, `rename_all =
//! "snake_case"`, `transparent`, `try_from`, `into`; on a field `rename`,
//! `default`, `default = "…"`, `skip_serializing_if`, `flatten`, `skip`,
//! `skip_serializing`, `skip_deserializing`, `with` (the module also
//! provides `from_json` and `write_json`); on a variant `rename`, `skip`,
//! `skip_serializing`, `skip_deserializing`. Anything else fails to compile.
//!
//! The generated code names `crate::json`, so these derives are for use
//! inside `moot-shared` only.

use proc_macro::TokenStream;
use proc_macro2::TokenStream as Tokens;
use quote::{format_ident, quote};
use syn::{Data, DeriveInput, Fields, Ident, Member, Type, parse_macro_input};

mod attrs;

use attrs::error;

/// Derives `crate::json::FromJson` from the type's serde attributes.
#[proc_macro_derive(FromJson, attributes(serde))]
pub fn derive_from_json(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand(&input, from_json).into()
}

/// Derives `crate::json::ToJson` (and `ToJsonFields` for objects) from the
/// type's serde attributes.
#[proc_macro_derive(ToJson, attributes(serde))]
pub fn derive_to_json(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand(&input, to_json).into()
}

/// Derives `authority()` for moot's `Command`: who may send each variant,
/// read from its `#[authority(server | member | runner | facilitator)]`
/// attribute, so the rule sits beside the command it governs and a new
/// command without one does not compile.
#[proc_macro_derive(Authorized, attributes(authority))]
pub fn derive_authorized(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand(&input, authorized).into()
}

/// Derives `crate::json::Variants`: an enum's wire names.
#[proc_macro_derive(Variants, attributes(serde))]
pub fn derive_variants(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand(&input, variants).into()
}

fn expand(input: &DeriveInput, derive: fn(&DeriveInput) -> syn::Result<Tokens>) -> Tokens {
    if !input.generics.params.is_empty() {
        return error(&input.generics, "moot's JSON derives take no generic types")
            .to_compile_error();
    }
    derive(input).unwrap_or_else(syn::Error::into_compile_error)
}

/// A field as the codecs see it.
struct FieldInfo<'a> {
    /// How the Rust code names it (`name` or `0`).
    member: Member,
    /// Its JSON key.
    key: String,
    ty: &'a Type,
    attrs: attrs::Field,
}

fn field_infos(fields: &Fields) -> syn::Result<Vec<FieldInfo<'_>>> {
    fields
        .iter()
        .enumerate()
        .map(|(index, field)| {
            let attrs = attrs::field(&field.attrs)?;
            let member = match &field.ident {
                Some(ident) => Member::Named(ident.clone()),
                None => Member::Unnamed(index.into()),
            };
            let key = attrs.rename.clone().unwrap_or_else(|| match &field.ident {
                Some(ident) => ident.to_string(),
                None => index.to_string(),
            });
            Ok(FieldInfo {
                member,
                key,
                ty: &field.ty,
                attrs,
            })
        })
        .collect()
}

/// The wire name of a variant.
fn variant_name(container: &attrs::Container, ident: &Ident, attrs: &attrs::Variant) -> String {
    match &attrs.rename {
        Some(name) => name.clone(),
        None if container.snake_case => attrs::snake_case(&ident.to_string()),
        None => ident.to_string(),
    }
}

/// How a struct is written on the wire.
enum StructShape {
    /// An object of named fields.
    Object,
    /// Its one field's JSON (`transparent`, or a newtype struct).
    Newtype,
}

fn struct_shape(container: &attrs::Container, fields: &Fields) -> syn::Result<StructShape> {
    match fields {
        Fields::Named(named) if !container.transparent => {
            if named.named.is_empty() {
                Err(error(fields, "an object needs fields"))
            } else {
                Ok(StructShape::Object)
            }
        }
        _ if fields.len() == 1 => Ok(StructShape::Newtype),
        _ => Err(error(
            fields,
            "moot's JSON derives take structs with named fields or one field",
        )),
    }
}

/// How an enum is written on the wire.
enum EnumShape<'a> {
    /// A string per variant; every variant is a unit.
    Names,
    /// An object whose field `tag` names the variant.
    Internal { tag: &'a str },
    /// `{tag: name, content: data}`.
    Adjacent { tag: &'a str, content: &'a str },
}

fn enum_shape(container: &attrs::Container) -> EnumShape<'_> {
    match (&container.tag, &container.content) {
        (Some(tag), Some(content)) => EnumShape::Adjacent { tag, content },
        (Some(tag), None) => EnumShape::Internal { tag },
        _ => EnumShape::Names,
    }
}

// ---------------------------------------------------------------- FromJson

/// The expression that reads one field out of `fields` (the object's
/// fields) or `value` (the whole object, for flattened fields).
fn read_field(field: &FieldInfo<'_>) -> Tokens {
    let key = &field.key;
    let ty = field.ty;
    let attrs = &field.attrs;
    if attrs.skip_deserializing {
        return quote!(::core::default::Default::default());
    }
    if attrs.flatten {
        return quote!(<#ty as crate::json::FromJson>::from_json(value)?);
    }
    if let Some(with) = &attrs.with {
        let default = match &attrs.default {
            attrs::Default::Required => quote!(::core::option::Option::None),
            attrs::Default::Trait => {
                quote!(::core::option::Option::Some(<#ty as ::core::default::Default>::default))
            }
            attrs::Default::Function(path) => {
                quote!(::core::option::Option::Some(#path as fn() -> #ty))
            }
        };
        return quote!(fields.field_with(#key, #with::from_json, #default)?);
    }
    match &attrs.default {
        attrs::Default::Required => quote!(fields.field(#key)?),
        attrs::Default::Trait => quote!(fields.field_or(#key, ::core::default::Default::default)?),
        attrs::Default::Function(path) => quote!(fields.field_or(#key, #path)?),
    }
}

/// `Name { a: …, b: … }` read from an object.
fn read_named(path: Tokens, fields: &[FieldInfo<'_>]) -> Tokens {
    let inits = fields.iter().map(|field| {
        let member = &field.member;
        let read = read_field(field);
        quote!(#member: #read)
    });
    quote!(#path { #(#inits,)* })
}

fn from_json(input: &DeriveInput) -> syn::Result<Tokens> {
    let name = &input.ident;
    let container = attrs::container(&input.attrs)?;
    let body = match &input.data {
        Data::Struct(data) => {
            if let Some(raw) = &container.try_from {
                quote! {
                    let raw = <#raw as crate::json::FromJson>::from_json(value)?;
                    <#name as ::core::convert::TryFrom<#raw>>::try_from(raw)
                        .map_err(|problem| crate::json::DecodeError::new(crate::json::Problem::from(problem)))
                }
            } else {
                let fields = field_infos(&data.fields)?;
                match struct_shape(&container, &data.fields)? {
                    StructShape::Object => {
                        let read = read_named(quote!(#name), &fields);
                        quote! {
                            let fields = value.fields()?;
                            ::core::result::Result::Ok(#read)
                        }
                    }
                    StructShape::Newtype => {
                        let member = &fields[0].member;
                        let ty = fields[0].ty;
                        quote! {
                            <#ty as crate::json::FromJson>::from_json(value)
                                .map(|inner| #name { #member: inner })
                        }
                    }
                }
            }
        }
        Data::Enum(data) => {
            let shape = enum_shape(&container);
            let (mut wires, mut constructs, mut helpers) = (Vec::new(), Vec::new(), Vec::new());
            for variant in &data.variants {
                let attrs = attrs::variant(&variant.attrs)?;
                if attrs.skip_deserializing {
                    continue;
                }
                let wire = variant_name(&container, &variant.ident, &attrs);
                let ident = &variant.ident;
                let fields = field_infos(&variant.fields)?;
                let construct = match (&shape, &variant.fields) {
                    (_, Fields::Unit) => quote!(#name::#ident),
                    (EnumShape::Names, _) => {
                        return Err(error(
                            variant,
                            "an enum without `tag` may only have unit variants",
                        ));
                    }
                    (EnumShape::Internal { .. }, Fields::Named(_)) => {
                        read_named(quote!(#name::#ident), &fields)
                    }
                    (EnumShape::Internal { .. }, Fields::Unnamed(_)) if fields.len() == 1 => {
                        let ty = fields[0].ty;
                        quote!(#name::#ident(<#ty as crate::json::FromJson>::from_json(value)?))
                    }
                    (EnumShape::Adjacent { content, .. }, Fields::Unnamed(_))
                        if fields.len() == 1 =>
                    {
                        quote!(#name::#ident(fields.field(#content)?))
                    }
                    _ => {
                        return Err(error(
                            variant,
                            "moot's JSON derives take unit, struct or newtype variants \
                             (adjacently tagged: unit or newtype)",
                        ));
                    }
                };
                // A variant with fields is read by a function of its own,
                // which writes the value straight into the result: inline,
                // the compiler merged every variant's fields into one shared
                // tail, shuffling them byte by byte.
                let construct = match &variant.fields {
                    Fields::Unit => quote!(::core::result::Result::Ok(#construct)),
                    _ => {
                        let read = format_ident!("read_{}", ident);
                        helpers.push(quote! {
                            #[inline(never)]
                            #[allow(non_snake_case, unused_variables)]
                            fn #read(
                                fields: crate::json::Fields<'_>,
                                value: &crate::json::Json,
                            ) -> ::core::result::Result<#name, crate::json::DecodeError> {
                                ::core::result::Result::Ok(#construct)
                            }
                        });
                        quote!(#read(fields, value))
                    }
                };
                wires.push(wire);
                constructs.push(construct);
            }
            // The name is looked up in a list of names by one out-of-line call, and
            // the variant picked by its index: a jump table, where a `match`
            // on the string compared it with every name in turn, inline.
            if let Some(wire) = wires.iter().find(|wire| wire.contains(',')) {
                return Err(error(input, &format!("a wire name with a comma: {wire}")));
            }
            // One string, not a table of pointers to strings.
            let names = wires.join(",");
            let Some(last) = constructs.pop() else {
                return Err(error(input, "moot's JSON derives need a variant to decode"));
            };
            let indices = 0..constructs.len();
            let index = match shape {
                EnumShape::Names => quote!(crate::json::variant_of_name(value, NAMES)?),
                EnumShape::Internal { tag } | EnumShape::Adjacent { tag, .. } => {
                    quote!(fields.variant(#tag, NAMES)?)
                }
            };
            let fields = match shape {
                EnumShape::Names => Tokens::new(),
                _ => quote!(let fields = value.fields()?;),
            };
            quote! {
                #(#helpers)*
                const NAMES: &str = #names;
                #fields
                match #index {
                    #(#indices => #constructs,)*
                    _ => #last,
                }
            }
        }
        Data::Union(_) => return Err(error(input, "unions have no JSON form")),
    };
    Ok(quote! {
        impl crate::json::FromJson for #name {
            #[allow(unused_variables)]
            #[inline(never)]
            fn from_json(value: &crate::json::Json) -> ::core::result::Result<Self, crate::json::DecodeError> {
                #body
            }
        }
    })
}

// ------------------------------------------------------------------ ToJson

/// The statements that write one field into `object`; `access` is an
/// expression of type `&FieldType`.
fn write_field(field: &FieldInfo<'_>, access: &Tokens) -> Tokens {
    let attrs = &field.attrs;
    if attrs.skip_serializing {
        return Tokens::new();
    }
    if attrs.flatten {
        return quote!(crate::json::ToJsonFields::write_fields(#access, object););
    }
    let key = &field.key;
    let write = match &attrs.with {
        Some(with) => quote!(object.field_with(#key, |out| #with::write_json(#access, out));),
        None => quote!(object.field(#key, #access);),
    };
    match &attrs.skip_serializing_if {
        Some(skip) => quote!(if !#skip(#access) { #write }),
        None => write,
    }
}

/// The `ToJson` impl of a type that is an object: open, write the fields
/// (through `ToJsonFields`), close.
fn object_impls(name: &Ident, write_fields: &Tokens) -> Tokens {
    quote! {
        impl crate::json::ToJson for #name {
            fn write_json(&self, out: &mut ::std::string::String) {
                let mut object = crate::json::ObjectWriter::new(out);
                crate::json::ToJsonFields::write_fields(self, &mut object);
                object.finish();
            }
        }

        impl crate::json::ToJsonFields for #name {
            #[allow(unused_variables)]
            fn write_fields(&self, object: &mut crate::json::ObjectWriter<'_>) {
                #write_fields
            }
        }
    }
}

fn to_json(input: &DeriveInput) -> syn::Result<Tokens> {
    let name = &input.ident;
    let container = attrs::container(&input.attrs)?;
    match &input.data {
        Data::Struct(data) => {
            if let Some(into) = &container.into {
                return Ok(quote! {
                    impl crate::json::ToJson for #name {
                        fn write_json(&self, out: &mut ::std::string::String) {
                            let converted: #into = ::core::convert::Into::into(::core::clone::Clone::clone(self));
                            crate::json::ToJson::write_json(&converted, out);
                        }
                    }
                });
            }
            let fields = field_infos(&data.fields)?;
            Ok(match struct_shape(&container, &data.fields)? {
                StructShape::Object => {
                    let writes = fields.iter().map(|field| {
                        let member = &field.member;
                        write_field(field, &quote!(&self.#member))
                    });
                    object_impls(name, &quote!(#(#writes)*))
                }
                StructShape::Newtype => {
                    let member = &fields[0].member;
                    quote! {
                        impl crate::json::ToJson for #name {
                            fn write_json(&self, out: &mut ::std::string::String) {
                                crate::json::ToJson::write_json(&self.#member, out);
                            }
                        }
                    }
                }
            })
        }
        Data::Enum(data) => {
            let shape = enum_shape(&container);
            let mut arms = Vec::new();
            for variant in &data.variants {
                let attrs = attrs::variant(&variant.attrs)?;
                let ident = &variant.ident;
                if attrs.skip_serializing {
                    // serde refuses to write such a variant; nothing sends one.
                    arms.push(match shape {
                        EnumShape::Names => quote!(#name::#ident { .. } => ""),
                        _ => quote!(#name::#ident { .. } => {}),
                    });
                    continue;
                }
                let wire = variant_name(&container, ident, &attrs);
                let fields = field_infos(&variant.fields)?;
                let bindings: Vec<Ident> = (0..fields.len())
                    .map(|index| format_ident!("field_{}", index))
                    .collect();
                let members = fields.iter().map(|field| &field.member);
                let pattern = quote!(#name::#ident { #(#members: #bindings),* });
                let arm = match &shape {
                    EnumShape::Names => quote!(#pattern => #wire),
                    EnumShape::Internal { tag } => {
                        let writes = match &variant.fields {
                            Fields::Unnamed(_) => {
                                quote!(crate::json::ToJsonFields::write_fields(field_0, object);)
                            }
                            _ => {
                                let writes = fields
                                    .iter()
                                    .zip(&bindings)
                                    .map(|(field, binding)| write_field(field, &quote!(#binding)));
                                quote!(#(#writes)*)
                            }
                        };
                        if runs_meetup(&variant.attrs) {
                            // Only whoever runs a meetup sends it: a phone's
                            // build writes its type alone (see moot-shared's
                            // `runner-encoding` feature).
                            quote! {
                                #[cfg(feature = "runner-encoding")]
                                #pattern => { object.field(#tag, #wire); #writes }
                                #[cfg(not(feature = "runner-encoding"))]
                                #name::#ident { .. } => { object.field(#tag, #wire); }
                            }
                        } else {
                            quote!(#pattern => { object.field(#tag, #wire); #writes })
                        }
                    }
                    EnumShape::Adjacent { tag, content } => {
                        let data = bindings
                            .first()
                            .map(|binding| quote!(object.field(#content, #binding);));
                        quote!(#pattern => { object.field(#tag, #wire); #data })
                    }
                };
                arms.push(arm);
            }
            Ok(match shape {
                EnumShape::Names => quote! {
                    impl crate::json::ToJson for #name {
                        fn write_json(&self, out: &mut ::std::string::String) {
                            let name: &str = match self { #(#arms,)* };
                            crate::json::ToJson::write_json(name, out);
                        }
                    }
                },
                _ => object_impls(name, &quote!(match self { #(#arms)* })),
            })
        }
        Data::Union(_) => Err(error(input, "unions have no JSON form")),
    }
}

/// Whether a variant carries `#[authority(runner)]` or
/// `#[authority(facilitator)]`: a command only whoever runs a meetup sends.
fn runs_meetup(attrs: &[syn::Attribute]) -> bool {
    attrs
        .iter()
        .filter(|attr| attr.path().is_ident("authority"))
        .any(|attr| {
            attr.parse_args::<Ident>()
                .is_ok_and(|who| who == "runner" || who == "facilitator")
        })
}

// ---------------------------------------------------------------- Variants

fn variants(input: &DeriveInput) -> syn::Result<Tokens> {
    let name = &input.ident;
    let container = attrs::container(&input.attrs)?;
    let Data::Enum(data) = &input.data else {
        return Err(error(input, "`Variants` is for enums"));
    };
    let mut names = Vec::new();
    let mut all_names = Vec::new();
    let mut arms = Vec::new();
    let mut index_arms = Vec::new();
    for (index, variant) in data.variants.iter().enumerate() {
        let attrs = attrs::variant(&variant.attrs)?;
        let ident = &variant.ident;
        let wire = variant_name(&container, ident, &attrs);
        if !attrs.skip_deserializing {
            names.push(wire.clone());
        }
        all_names.push(wire.clone());
        arms.push(quote!(#name::#ident { .. } => #wire));
        index_arms.push(quote!(#name::#ident { .. } => #index));
    }
    Ok(quote! {
        impl crate::json::Variants for #name {
            const NAMES: &'static [&'static str] = &[#(#names),*];
            const ALL_NAMES: &'static [&'static str] = &[#(#all_names),*];

            fn variant_name(&self) -> &'static str {
                match self { #(#arms,)* }
            }

            fn variant_index(&self) -> usize {
                match self { #(#index_arms,)* }
            }
        }
    })
}

// -------------------------------------------------------------- Authorized

fn authorized(input: &DeriveInput) -> syn::Result<Tokens> {
    let name = &input.ident;
    let Data::Enum(data) = &input.data else {
        return Err(error(input, "`Authorized` is for enums"));
    };
    let mut arms = Vec::new();
    for variant in &data.variants {
        let ident = &variant.ident;
        let mut who = None;
        for attr in variant
            .attrs
            .iter()
            .filter(|attr| attr.path().is_ident("authority"))
        {
            let level: Ident = attr.parse_args()?;
            let level = match level.to_string().as_str() {
                "server" => quote!(Server),
                "member" => quote!(Member),
                "runner" => quote!(Runner),
                "facilitator" => quote!(Facilitator),
                _ => {
                    return Err(error(
                        &level,
                        "authority is one of server, member, runner, facilitator",
                    ));
                }
            };
            who = Some(level);
        }
        let Some(level) = who else {
            return Err(error(
                variant,
                "say who may send this command: #[authority(server | member | runner | facilitator)]",
            ));
        };
        arms.push(quote!(#name::#ident { .. } => crate::room::Authority::#level));
    }
    Ok(quote! {
        impl #name {
            /// Who may send this command, from its `#[authority(...)]`.
            pub fn authority(&self) -> crate::room::Authority {
                match self { #(#arms,)* }
            }
        }
    })
}
