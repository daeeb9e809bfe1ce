//! Whether a Rust type, read from its tokens, fits an encoded expectation without a const check:
//! the scalars, `Option`, `Vec` and `serde_json::Value` decided here, the rest left to rustc.

use contract_schema::encoding::{node, split_node, tag};

use crate::expect::nullable;

/// Whether the Rust type `ty` passes any check against the encoded node `code`, decided from
/// the tokens: `serde_json::Value`, std scalars, `Option` and `Vec` of them against the
/// matching nodes. Such checks are not emitted: on large specs most fields and bodies are
/// these, and every const item costs rustc time. (A type shadowing `String` or `i64` would
/// escape the check; rustc still type-checks its use.)
pub(crate) fn trivially_fits(ty: &syn::Type, code: &[u8]) -> bool {
    let Some((tag, payload)) = split_node(code) else {
        return false;
    };
    if tag == tag::ANY || is_json_value(ty) {
        return true;
    }
    let syn::Type::Path(tp) = ty else {
        return false;
    };
    if tp.qself.is_some() {
        return false;
    }
    let Some(last) = tp.path.segments.last() else {
        return false;
    };
    // `String`, `std::string::String`, `alloc::string::String`, not `crate::String`.
    if !is_std_path(&tp.path) {
        return false;
    }
    let arg = match &last.arguments {
        syn::PathArguments::AngleBracketed(args) if args.args.len() == 1 => match &args.args[0] {
            syn::GenericArgument::Type(t) => Some(t),
            _ => None,
        },
        syn::PathArguments::None => None,
        _ => return false,
    };
    let name = last.ident.to_string();
    match (name.as_str(), arg) {
        ("Option", Some(inner)) => tag == tag::NULLABLE && trivially_fits(inner, payload),
        (_, _) if tag == tag::NULLABLE => trivially_fits(ty, payload),
        ("Vec", Some(item)) => tag == tag::ARRAY && trivially_fits(item, payload),
        ("String", None) => tag == tag::STRING || tag == tag::ENUM,
        ("bool", None) => tag == tag::BOOL,
        ("i8" | "i16" | "i32" | "u8" | "u16" | "u32", None) => tag == tag::INTEGER,
        ("i64" | "u64", None) => tag == tag::INTEGER && payload != b"int32",
        ("f64", None) => tag == tag::NUMBER,
        ("f32", None) => tag == tag::NUMBER && payload == b"float",
        _ => false,
    }
}

/// What the spec expects, when `ty` is a std scalar (`String`, `bool`, an integer or a float,
/// or an `Option` of one where the spec admits null) that cannot hold it: decided from the
/// tokens and the spec alone, so that the macro reports it directly (rust-analyzer shows it as
/// you type) rather than through const evaluation. It agrees with the const check: for these
/// types [`trivially_fits`] decides exactly what the const check would.
pub(crate) fn scalar_mismatch(ty: &syn::Type, code: &[u8]) -> Option<String> {
    let (mut tag, mut payload) = split_node(code)?;
    let mut ty = ty;
    if let Some(inner) = std_arg(ty, "Option") {
        if tag != tag::NULLABLE {
            return None;
        }
        ty = inner;
        (tag, payload) = split_node(payload)?;
    }
    let name = std_scalar(ty)?;
    // Nullability aside, and a scalar component's own schema (a std scalar binds to none).
    loop {
        match tag {
            tag::NULLABLE => (tag, payload) = split_node(payload)?,
            tag::COMPONENT => {
                let len = u16::from_le_bytes(payload.get(..2)?.try_into().ok()?) as usize;
                (tag, payload) = split_node(payload.get(2 + len..)?)?;
            }
            _ => break,
        }
    }
    let format = || {
        std::str::from_utf8(payload)
            .ok()
            .filter(|f| !f.is_empty())
            .map_or_else(String::new, |f| format!(" ({f})"))
    };
    let expected = match tag {
        tag::INTEGER => format!("`integer`{}", format()),
        tag::NUMBER => format!("`number`{}", format()),
        tag::STRING => format!("`string`{}", format()),
        tag::BOOL => "`boolean`".to_string(),
        tag::ENUM => "a string `enum`".to_string(),
        _ => return None,
    };
    let node = node(tag, payload);
    (!trivially_fits(&syn::parse_str(name).ok()?, &node)).then_some(expected)
}

/// `T` of `NAME<T>`, for a std type `NAME`.
pub(crate) fn std_arg<'t>(ty: &'t syn::Type, name: &str) -> Option<&'t syn::Type> {
    let syn::Type::Path(tp) = ty else { return None };
    let last = tp.path.segments.last()?;
    if tp.qself.is_some() || last.ident != name || !is_std_path(&tp.path) {
        return None;
    }
    match &last.arguments {
        syn::PathArguments::AngleBracketed(args) if args.args.len() == 1 => match &args.args[0] {
            syn::GenericArgument::Type(t) => Some(t),
            _ => None,
        },
        _ => None,
    }
}

/// `String`, `std::string::String`, …: a path of one segment or from `std`, `core`, `alloc`.
pub(crate) fn is_std_path(path: &syn::Path) -> bool {
    path.segments.len() == 1
        || matches!(
            path.segments
                .first()
                .map(|s| s.ident.to_string())
                .as_deref(),
            Some("std" | "core" | "alloc")
        )
}

/// The name of a std scalar type (`String`, `bool`, `i8` to `u64`, `f32`, `f64`).
pub(crate) fn std_scalar(ty: &syn::Type) -> Option<&'static str> {
    let syn::Type::Path(tp) = ty else { return None };
    let last = tp.path.segments.last()?;
    if tp.qself.is_some() || !last.arguments.is_none() || !is_std_path(&tp.path) {
        return None;
    }
    const SCALARS: &[&str] = &[
        "String", "bool", "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "f32", "f64",
    ];
    let name = last.ident.to_string();
    SCALARS.iter().find(|s| **s == name).copied()
}

/// Whether `ty` passes the check against every node that admits null, whatever it holds
/// (`serde_json::Value`, `Option<serde_json::Value>`): its expectation need not be built, and
/// on specs like Stripe's (expandable fields written as `anyOf` of an id and a whole object)
/// building it is most of the macro's work.
pub(crate) fn fits_any_nullable(ty: &syn::Type) -> bool {
    // An empty `oneOf` is matched by no scalar, so only `Value` passes it.
    trivially_fits(ty, &nullable(&node(tag::ONE_OF, &[])))
}

/// `serde_json::Value` (or `::serde_json::Value`).
pub(crate) fn is_json_value(ty: &syn::Type) -> bool {
    let syn::Type::Path(tp) = ty else {
        return false;
    };
    let names: Vec<String> = tp
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    tp.qself.is_none()
        && names == ["serde_json", "Value"]
        && tp.path.segments.iter().all(|s| s.arguments.is_none())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expect::{any, enum_node, nullable, object};
    use contract_schema::encoding::{node, put_str, tag};

    #[test]
    fn std_scalars_are_decided_from_the_tokens() {
        let ty = |s: &str| syn::parse_str::<syn::Type>(s).unwrap();
        let int64 = node(tag::INTEGER, b"int64");
        let int32 = node(tag::INTEGER, b"int32");
        let string = node(tag::STRING, b"uuid");
        assert_eq!(
            scalar_mismatch(&ty("String"), &int64).as_deref(),
            Some("`integer` (int64)")
        );
        assert_eq!(
            scalar_mismatch(&ty("std::string::String"), &nullable(&int64)).as_deref(),
            Some("`integer` (int64)")
        );
        assert_eq!(
            scalar_mismatch(&ty("u64"), &int32).as_deref(),
            Some("`integer` (int32)")
        );
        assert_eq!(scalar_mismatch(&ty("i32"), &int64), None, "narrower fits");
        assert_eq!(scalar_mismatch(&ty("String"), &string), None);
        assert_eq!(
            scalar_mismatch(&ty("bool"), &enum_node(["a", "b"])).as_deref(),
            Some("a string `enum`")
        );
        // A scalar component's own schema is what a std scalar is compared with.
        let mut component = Vec::new();
        put_str(&mut component, "Id");
        component.extend(int64.clone());
        let component = node(tag::COMPONENT, &component);
        assert_eq!(
            scalar_mismatch(&ty("String"), &component).as_deref(),
            Some("`integer` (int64)")
        );
        // Left to the const check: an `Option` where null is not allowed, a user's type, any
        // value, an object.
        assert_eq!(scalar_mismatch(&ty("Option<String>"), &int64), None);
        assert_eq!(scalar_mismatch(&ty("crate::String"), &int64), None);
        assert_eq!(scalar_mismatch(&ty("String"), &any()), None);
        assert_eq!(scalar_mismatch(&ty("String"), &object([], false)), None);
        assert_eq!(
            scalar_mismatch(&ty("Option<f32>"), &nullable(&node(tag::NUMBER, b"double")))
                .as_deref(),
            Some("`number` (double)")
        );
    }

    #[test]
    fn decides_trivial_fits_from_the_tokens() {
        let ty = |s: &str| syn::parse_str::<syn::Type>(s).unwrap();
        let string = node(tag::STRING, b"uuid");
        let int32 = node(tag::INTEGER, b"int32");
        assert!(trivially_fits(&ty("serde_json::Value"), &int32));
        assert!(trivially_fits(&ty("Uuid"), &any()));
        assert!(trivially_fits(&ty("String"), &string));
        assert!(trivially_fits(
            &ty("std::string::String"),
            &nullable(&string)
        ));
        assert!(trivially_fits(&ty("Option<String>"), &nullable(&string)));
        assert!(trivially_fits(&ty("i32"), &int32));
        assert!(trivially_fits(
            &ty("Vec<i64>"),
            &node(tag::ARRAY, &node(tag::INTEGER, b""))
        ));
        // Left to the const check: could fail, or a type the macro cannot see into.
        assert!(!trivially_fits(&ty("i64"), &int32));
        assert!(!trivially_fits(&ty("Option<String>"), &string));
        assert!(!trivially_fits(&ty("Option<serde_json::Value>"), &string));
        assert!(!trivially_fits(&ty("crate::String"), &string));
        assert!(!trivially_fits(&ty("Uuid"), &string));
        assert!(!trivially_fits(&ty("f32"), &node(tag::NUMBER, b"double")));
        assert!(fits_any_nullable(&ty("serde_json::Value")));
        assert!(fits_any_nullable(&ty("Option<serde_json::Value>")));
        assert!(fits_any_nullable(&ty(
            "std::option::Option<serde_json::Value>"
        )));
        assert!(!fits_any_nullable(&ty("Option<String>")));
        assert!(!fits_any_nullable(&ty("Option<Vec<serde_json::Value>>")));
        assert!(!fits_any_nullable(&ty("crate::Option<serde_json::Value>")));
    }
}
