//! `#[derive(Schema)]`'s expansion: the type's wire shape as a `Schema` impl.

use proc_macro2::{Span, TokenStream};
use quote::quote;

use crate::diag::Errors;
use crate::parse::schema::{FieldModel, is_option, variant_wire, wire_fields};
use crate::parse::serde_attr::{self, Container};

pub(crate) fn rt() -> TokenStream {
    RT.parse().unwrap_or_default()
}

/// A field of a struct's shape, as a `Field` literal whose shape is `<T as Schema>::SHAPE_REF`
/// (a `&'static Shape` constant): rustc checks every value of a type that might hold interior
/// mutability in a const initializer with a trait selection of its own, and a reference, a
/// string or a bool needs none, where a borrowed `&<T as Schema>::SHAPE` or a `Field` returned by
/// a const fn needs one per field (see BENCHMARKS.md).
pub(crate) fn field_tokens(
    f: &FieldModel<'_>,
    container: &Container,
    cut: Option<&syn::Ident>,
) -> TokenStream {
    let rt = rt();
    let cut_ty = cut.and_then(|own| cut_recursion(f.ty, own));
    let ty = cut_ty.as_ref().unwrap_or(f.ty);
    let name = &f.wire;
    let optional = f.attrs.default || container.default || f.attrs.skip_de || is_option(ty);
    let omittable = f.attrs.skip_serializing_if;
    let flatten = if f.attrs.flatten {
        quote!(<#ty as #rt::Schema>::FIELDS)
    } else {
        quote!(::core::option::Option::None)
    };
    let described = if f.attrs.custom {
        quote!(#rt::__private::Unchecked)
    } else {
        quote!(#ty)
    };
    quote!(#rt::Field {
        name: #name,
        shape: <#described as #rt::Schema>::SHAPE_REF,
        optional: #optional,
        omittable: #omittable,
        flatten: #flatten,
    })
}

/// `ty` with every mention of the type `own` (by its name or as `Self`) replaced by
/// `Unchecked`, or `None` when it mentions neither. An unbound type's shape is a value built
/// from its fields' shapes, so a field of its own type (`children: Vec<Self>`) would make the
/// shape contain itself, which rustc's const evaluator reports as a cycle. The recursion is cut
/// there: the outer level is checked, the nested one is what the same type already checks.
pub(crate) fn cut_recursion(ty: &syn::Type, own: &syn::Ident) -> Option<syn::Type> {
    fn cut(ty: &mut syn::Type, own: &syn::Ident) -> bool {
        match ty {
            syn::Type::Path(p) if p.qself.is_none() && names_type(&p.path, own) => {
                *ty = syn::parse_quote!(::contract_runtime::__private::Unchecked);
                true
            }
            syn::Type::Path(p) => {
                let mut hit = p.qself.as_mut().is_some_and(|q| cut(&mut q.ty, own));
                for segment in &mut p.path.segments {
                    if let syn::PathArguments::AngleBracketed(args) = &mut segment.arguments {
                        for arg in &mut args.args {
                            if let syn::GenericArgument::Type(t) = arg {
                                hit |= cut(t, own);
                            }
                        }
                    }
                }
                hit
            }
            syn::Type::Reference(r) => cut(&mut r.elem, own),
            syn::Type::Slice(s) => cut(&mut s.elem, own),
            syn::Type::Array(a) => cut(&mut a.elem, own),
            syn::Type::Paren(p) => cut(&mut p.elem, own),
            syn::Type::Group(g) => cut(&mut g.elem, own),
            syn::Type::Tuple(t) => t.elems.iter_mut().fold(false, |hit, e| cut(e, own) | hit),
            _ => false,
        }
    }
    fn names_type(path: &syn::Path, own: &syn::Ident) -> bool {
        path.is_ident("Self") || path.segments.last().is_some_and(|s| s.ident == *own)
    }
    let mut ty = ty.clone();
    cut(&mut ty, own).then_some(ty)
}

/// The fields' const by the type's name rather than `Self`: the checks of a bound type, outside
/// its impls, read it too.
pub(crate) fn fields_ref(input: &syn::DeriveInput) -> TokenStream {
    let ident = &input.ident;
    let (_, ty_generics, _) = input.generics.split_for_impl();
    let name = proc_macro2::Ident::new(FIELDS_CONST, Span::call_site());
    quote!(<#ident #ty_generics>::#name)
}

/// The inherent impl holding the fields of a struct (see `FIELDS_CONST`).
pub(crate) fn fields_impl(
    input: &syn::DeriveInput,
    generics: &syn::Generics,
    fields: &[TokenStream],
) -> TokenStream {
    let rt = rt();
    let ident = &input.ident;
    let name = proc_macro2::Ident::new(FIELDS_CONST, Span::call_site());
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    // A reference, so that reading it costs rustc's const checks nothing (see `field_tokens`).
    quote! {
        impl #impl_generics #ident #ty_generics #where_clause {
            #[doc(hidden)]
            #[allow(dead_code)]
            const #name: &'static [#rt::Field] = &[#(#fields),*];
        }
    }
}

/// The shape of a type as an unbound one, and its fields when it is an object.
pub(crate) struct Inline<'a> {
    pub(crate) shape: TokenStream,
    pub(crate) fields_tokens: TokenStream,
    /// A struct's fields, for `fields_impl`.
    pub(crate) field_list: Option<Vec<TokenStream>>,
    pub(crate) struct_fields: Vec<FieldModel<'a>>,
    pub(crate) unit_variants: Vec<(&'a syn::Variant, String)>,
}

/// `cut`: the type's own name, to cut its recursion (see `cut_recursion`).
pub(crate) fn inline_shape<'a>(
    input: &'a syn::DeriveInput,
    container: &Container,
    cut: Option<&syn::Ident>,
    errors: &mut Errors,
) -> Inline<'a> {
    let rt = rt();
    let mut fields_tokens = quote!(::core::option::Option::None);
    let mut field_list = None;
    let mut struct_fields: Vec<FieldModel<'_>> = Vec::new();
    let mut unit_variants: Vec<(&syn::Variant, String)> = Vec::new();
    let shape = match &input.data {
        syn::Data::Struct(s) => match &s.fields {
            syn::Fields::Named(_) if !container.transparent => {
                struct_fields = wire_fields(&s.fields, container, errors);
                field_list = Some(
                    struct_fields
                        .iter()
                        .map(|f| field_tokens(f, container, cut))
                        .collect(),
                );
                let array = fields_ref(input);
                fields_tokens = quote!(::core::option::Option::Some(#array));
                quote!(#rt::Shape::Object(#array))
            }
            fields if fields.len() == 1 => {
                // Newtype and `transparent`: the wire shape is the inner type's.
                let inner = fields.iter().next().map(|f| cut_or_keep(&f.ty, cut));
                fields_tokens = quote!(<#inner as #rt::Schema>::FIELDS);
                quote!(<#inner as #rt::Schema>::SHAPE)
            }
            syn::Fields::Unit => quote!(#rt::Shape::Unit),
            _ => quote!(#rt::Shape::Unsupported("a tuple struct (a JSON array of mixed items)")),
        },
        syn::Data::Enum(e) => enum_shape(e, container, cut, &mut unit_variants, errors),
        syn::Data::Union(_) => {
            errors.at(input.ident.span(), "`Schema` cannot be derived for a union");
            quote!(#rt::Shape::Any)
        }
    };
    Inline {
        shape,
        fields_tokens,
        field_list,
        struct_fields,
        unit_variants,
    }
}

pub(crate) fn cut_or_keep(ty: &syn::Type, cut: Option<&syn::Ident>) -> syn::Type {
    cut.and_then(|own| cut_recursion(ty, own))
        .unwrap_or_else(|| ty.clone())
}

/// Whether a field or variant of the type names the type itself.
pub(crate) fn names_itself(input: &syn::DeriveInput) -> bool {
    let own = &input.ident;
    match &input.data {
        syn::Data::Struct(s) => s.fields.iter().any(|f| cut_recursion(&f.ty, own).is_some()),
        syn::Data::Enum(e) => e
            .variants
            .iter()
            .flat_map(|v| &v.fields)
            .any(|f| cut_recursion(&f.ty, own).is_some()),
        syn::Data::Union(_) => false,
    }
}

pub(crate) fn enum_shape<'a>(
    e: &'a syn::DataEnum,
    container: &Container,
    cut: Option<&syn::Ident>,
    unit_variants: &mut Vec<(&'a syn::Variant, String)>,
    errors: &mut Errors,
) -> TokenStream {
    let rt = rt();
    let all_unit = e
        .variants
        .iter()
        .all(|v| matches!(v.fields, syn::Fields::Unit));
    if all_unit && !container.untagged && container.tag.is_none() {
        let mut names = Vec::new();
        for v in &e.variants {
            let attrs = serde_attr::member(&v.attrs, errors);
            if attrs.skip_ser && attrs.skip_de {
                continue;
            }
            let wire = variant_wire(v, container, &attrs);
            if !attrs.other {
                names.push(wire.clone());
            }
            unit_variants.push((v, wire));
        }
        return quote!(#rt::Shape::Enum(&[#(#names),*]));
    }
    if !container.untagged && container.tag.is_none() {
        return quote!(#rt::Shape::Unsupported(
            "an externally tagged enum (serde's default for enums with data), which OpenAPI cannot describe: use `#[serde(tag = \"…\")]` or `#[serde(untagged)]`"
        ));
    }
    let mut shapes = Vec::new();
    for v in &e.variants {
        let attrs = serde_attr::member(&v.attrs, errors);
        if attrs.skip_ser && attrs.skip_de {
            continue;
        }
        let wire = variant_wire(v, container, &attrs);
        let payload_fields: Vec<TokenStream> = match &v.fields {
            syn::Fields::Named(_) => wire_fields(&v.fields, container, errors)
                .iter()
                .map(|f| field_tokens(f, &Container::default(), cut))
                .collect(),
            _ => Vec::new(),
        };
        let payload = match &v.fields {
            syn::Fields::Named(_) => quote!(#rt::Shape::Object(&[#(#payload_fields),*])),
            syn::Fields::Unnamed(f) if f.unnamed.len() == 1 => {
                let ty = cut_or_keep(&f.unnamed[0].ty, cut);
                quote!(<#ty as #rt::Schema>::SHAPE)
            }
            syn::Fields::Unit => quote!(#rt::Shape::Unit),
            syn::Fields::Unnamed(_) => quote!(#rt::Shape::Unsupported("a tuple variant")),
        };
        let shape = match (&container.tag, &container.content) {
            (None, _) => payload,
            (Some(tag), Some(content)) => quote!(#rt::Shape::Object(&[
                #rt::Field { name: #tag, shape: &#rt::Shape::Enum(&[#wire]), optional: false, omittable: false, flatten: None },
                #rt::Field { name: #content, shape: &#payload, optional: false, omittable: false, flatten: None },
            ])),
            (Some(tag), None) => {
                let flattened = match &v.fields {
                    syn::Fields::Named(_) => {
                        quote!(::core::option::Option::Some(&[#(#payload_fields),*]))
                    }
                    syn::Fields::Unnamed(f) if f.unnamed.len() == 1 => {
                        let ty = cut_or_keep(&f.unnamed[0].ty, cut);
                        quote!(<#ty as #rt::Schema>::FIELDS)
                    }
                    _ => quote!(::core::option::Option::Some(&[])),
                };
                quote!(#rt::Shape::Object(&[
                    #rt::Field { name: #tag, shape: &#rt::Shape::Enum(&[#wire]), optional: false, omittable: false, flatten: None },
                    #rt::Field { name: "", shape: &#rt::Shape::Any, optional: false, omittable: false, flatten: #flattened },
                ]))
            }
        };
        shapes.push(shape);
    }
    quote!(#rt::Shape::OneOf(&[#(#shapes),*]))
}

pub(crate) const RT: &str = "::contract_runtime";

/// Where a struct's fields are: an inherent associated const of the type, which `SHAPE` and
/// `FIELDS` both read, so the array is type-checked and evaluated once. An associated const,
/// not a free `const` item: rustc evaluates those eagerly, and a type nothing checks should not
/// pay for its fields.
pub(crate) const FIELDS_CONST: &str = "__CONTRACT_FIELDS";

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    fn cut(ty: &str) -> Option<String> {
        let own: syn::Ident = syn::parse_quote!(Tree);
        let ty: syn::Type = syn::parse_str(ty).unwrap();
        cut_recursion(&ty, &own).map(|t| t.to_token_stream().to_string().replace(' ', ""))
    }

    #[test]
    fn recursion_is_cut_where_the_type_names_itself() {
        let unchecked = "::contract_runtime::__private::Unchecked";
        assert_eq!(cut("Vec<Tree>"), Some(format!("Vec<{unchecked}>")));
        assert_eq!(
            cut("Option<Box<Self>>"),
            Some(format!("Option<Box<{unchecked}>>"))
        );
        assert_eq!(cut("crate::model::Tree<T>"), Some(unchecked.to_string()));
        assert_eq!(
            cut("HashMap<String, (u8, [Tree; 2], &'static Tree)>"),
            Some(format!(
                "HashMap<String,(u8,[{unchecked};2],&'static{unchecked})>"
            ))
        );
        assert_eq!(cut("Vec<Trees>"), None);
        assert_eq!(cut("model::Tree::Item"), None);
        assert_eq!(cut("String"), None);
    }

    #[test]
    fn fields_are_one_inherent_const_that_shape_and_fields_read() {
        for item in [
            "struct A { x: u8, y: Vec<String> }",
            "struct A<T> { x: Vec<T> }",
            "struct A { next: Option<Box<Self>> }",
        ] {
            let out = crate::derive_schema(item.parse().unwrap()).to_string();
            assert_eq!(out.matches("const __CONTRACT_FIELDS").count(), 1, "{out}");
            assert_eq!(out.matches("> :: __CONTRACT_FIELDS").count(), 2, "{out}");
            assert!(out.contains("SHAPE_REF"), "{out}");
        }
    }
}
