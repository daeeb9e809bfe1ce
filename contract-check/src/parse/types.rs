//! Reading types in a signature: the extractor a type or pattern names, its argument, and how it
//! reads in a message.

use quote::ToTokens;

/// `T` when `ty` is `Name<T>` (any path prefix, e.g. `axum::extract::Path<T>`).
pub(crate) fn extractor_arg<'a>(ty: &'a syn::Type, name: &str) -> Option<&'a syn::Type> {
    let syn::Type::Path(tp) = ty else { return None };
    let last = tp.path.segments.last()?;
    if last.ident != name {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    args.args.iter().find_map(|a| match a {
        syn::GenericArgument::Type(t) => Some(t),
        _ => None,
    })
}

/// Types that extract exactly one path segment.
pub(crate) fn is_scalar(ty: &syn::Type) -> bool {
    match ty {
        syn::Type::Reference(r) => is_scalar(&r.elem),
        syn::Type::Path(tp) => tp.path.segments.last().is_some_and(|s| {
            matches!(
                s.ident.to_string().as_str(),
                "i8" | "i16"
                    | "i32"
                    | "i64"
                    | "i128"
                    | "isize"
                    | "u8"
                    | "u16"
                    | "u32"
                    | "u64"
                    | "u128"
                    | "usize"
                    | "f32"
                    | "f64"
                    | "bool"
                    | "char"
                    | "str"
                    | "String"
                    | "Uuid"
            )
        }),
        _ => false,
    }
}

/// `Option<T>` and `Result<T, Rejection>` → `T`: axum 0.8 extracts them as `T` when the
/// request has one (`Result<Json<T>, JsonRejection>` is how a handler words its own rejection).
pub(crate) fn unwrap_option(ty: &syn::Type) -> &syn::Type {
    extractor_arg(ty, "Option")
        .or_else(|| extractor_arg(ty, "Result"))
        .unwrap_or(ty)
}

/// The extractor a pattern names: `Json(body)` → `Json`, for a type the macro cannot read
/// (an alias: `Json(body): EventBody`).
pub(crate) fn pattern_extractor(pat: &syn::Pat) -> Option<String> {
    match pat {
        syn::Pat::TupleStruct(ts) => ts.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// Whether a type can be named from a const item next to the fn (no fn generics, no named
/// lifetimes).
pub(crate) fn nameable(ty: &syn::Type, generics: &[String]) -> bool {
    let text = ty.to_token_stream().to_string();
    !text
        .split(|c: char| !c.is_alphanumeric() && c != '_' && c != '\'')
        .any(|tok| {
            (tok.starts_with('\'') && tok != "'static" && tok != "'_")
                || generics.iter().any(|g| g == tok)
        })
}

pub(crate) fn last_ident(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(tp) => tp.path.segments.last().map(|s| s.ident.to_string()),
        syn::Type::Reference(r) => last_ident(&r.elem),
        _ => None,
    }
}

pub(crate) fn tokens_text(t: &impl ToTokens) -> String {
    t.to_token_stream()
        .to_string()
        .replace(" < ", "<")
        .replace(" >", ">")
        .replace("< ", "<")
        .replace(" ,", ",")
        .replace(" :: ", "::")
        .replace("& ", "&")
}
