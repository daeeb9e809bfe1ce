//! R4 at compile time: `TypedHeader<T>` (axum-extra) extractors against the operation's header
//! parameters. A typed header of the `headers` crate names its header by its type, so the check is
//! syntactic; a type of the application's own is not looked into (its header name is in an impl the
//! macro cannot see), and `HeaderMap` stays accepted unchecked.

use contract_spec::{Operation, ParamIn, Spec};
use serde_json::Value;

use crate::diag::{Diagnostic, Errors};
use crate::parse::types::extractor_arg;

/// The typed headers of the `headers` crate, by type name; `true` where the value is an
/// integer. The header's name is the type's name in kebab case (`ETag` aside).
pub(crate) const KNOWN: &[(&str, bool)] = &[
    ("AcceptRanges", false),
    ("AccessControlAllowCredentials", false),
    ("AccessControlAllowHeaders", false),
    ("AccessControlAllowMethods", false),
    ("AccessControlAllowOrigin", false),
    ("AccessControlExposeHeaders", false),
    ("AccessControlMaxAge", true),
    ("AccessControlRequestHeaders", false),
    ("AccessControlRequestMethod", false),
    ("Age", true),
    ("Allow", false),
    ("Authorization", false),
    ("CacheControl", false),
    ("Connection", false),
    ("ContentDisposition", false),
    ("ContentEncoding", false),
    ("ContentLength", true),
    ("ContentLocation", false),
    ("ContentRange", false),
    ("ContentType", false),
    ("Cookie", false),
    ("Date", false),
    ("ETag", false),
    ("Expect", false),
    ("Expires", false),
    ("Host", false),
    ("IfMatch", false),
    ("IfModifiedSince", false),
    ("IfNoneMatch", false),
    ("IfRange", false),
    ("IfUnmodifiedSince", false),
    ("LastModified", false),
    ("Location", false),
    ("Origin", false),
    ("Pragma", false),
    ("ProxyAuthorization", false),
    ("Range", false),
    ("Referer", false),
    ("ReferrerPolicy", false),
    ("RetryAfter", false),
    ("SecWebsocketAccept", false),
    ("SecWebsocketKey", false),
    ("SecWebsocketVersion", false),
    ("Server", false),
    ("SetCookie", false),
    ("StrictTransportSecurity", false),
    ("Te", false),
    ("TransferEncoding", false),
    ("Upgrade", false),
    ("UserAgent", false),
    ("Vary", false),
];

/// Headers a spec does not declare as parameters: `Accept`, `Content-Type` and `Authorization`
/// (OpenAPI ignores such parameters; security schemes and media types describe them), and the
/// ones the transport sets.
pub(crate) const NOT_PARAMETERS: &[&str] = &[
    "accept",
    "content-type",
    "authorization",
    "proxy-authorization",
    "content-length",
    "host",
    "connection",
    "transfer-encoding",
    "te",
    "upgrade",
    "expect",
    "cookie",
];

/// The header a `headers` crate type reads, and whether its value is an integer.
pub(crate) fn header_of(type_name: &str) -> Option<(String, bool)> {
    let (_, integer) = KNOWN.iter().find(|(name, _)| *name == type_name)?;
    if type_name == "ETag" {
        return Some(("etag".into(), false));
    }
    let mut header = String::new();
    for (i, c) in type_name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            header.push('-');
        }
        header.push(c.to_ascii_lowercase());
    }
    Some((header, *integer))
}

/// Checks each `TypedHeader<T>` / `Option<TypedHeader<T>>` argument of `inputs`.
pub(crate) fn check<'a>(
    spec: &Spec,
    op: &Operation,
    inputs: impl Iterator<Item = &'a syn::FnArg>,
    errors: &mut Errors,
) {
    for input in inputs {
        let syn::FnArg::Typed(arg) = input else {
            continue;
        };
        let (ty, optional) = match extractor_arg(&arg.ty, "Option") {
            Some(inner) => (inner, true),
            None => (&*arg.ty, false),
        };
        let Some(header_type) = extractor_arg(ty, "TypedHeader") else {
            continue;
        };
        let syn::Type::Path(path) = header_type else {
            continue;
        };
        let Some(last) = path.path.segments.last() else {
            continue;
        };
        let type_name = last.ident.to_string();
        let Some((header, integer)) = header_of(&type_name) else {
            continue;
        };
        if NOT_PARAMETERS.contains(&header.as_str()) {
            continue;
        }
        let declared = op
            .parameters
            .iter()
            .find(|p| p.location == ParamIn::Header && p.name.eq_ignore_ascii_case(&header));
        let Some(param) = declared else {
            let names: Vec<String> = op
                .parameters
                .iter()
                .filter(|p| p.location == ParamIn::Header)
                .map(|p| format!("`{}`", p.name))
                .collect();
            let declared = if names.is_empty() {
                "it declares no header parameters".to_string()
            } else {
                format!("it declares {}", names.join(", "))
            };
            errors.on(
                header_type,
                Diagnostic::new(format!(
                    "{} does not declare the header `{header}` that `TypedHeader<{type_name}>` reads ({declared})",
                    op.label(),
                ))
                .spec(spec.doc.place(&op.loc))
                .help("declare it among the operation's parameters (`in: header`), or remove the extractor"),
            );
            continue;
        };
        let place = || spec.doc.place(&param.loc).to_string();
        if !optional && !param.required {
            errors.on(
                &arg.ty,
                Diagnostic::new(format!(
                    "the header `{}` of {} is optional, but `TypedHeader<{type_name}>` refuses a request without it",
                    param.name,
                    op.label(),
                ))
                .spec(place())
                .help(format!("write `Option<TypedHeader<{type_name}>>`")),
            );
        }
        let spec_type = param
            .schema
            .as_ref()
            .and_then(|s| spec.doc.deref(s).ok())
            .and_then(|(_, schema)| match schema.get("type") {
                Some(Value::String(t)) => Some(t.clone()),
                Some(Value::Array(ts)) => ts
                    .iter()
                    .filter_map(Value::as_str)
                    .find(|t| *t != "null")
                    .map(str::to_string),
                _ => None,
            });
        let fits = match spec_type.as_deref() {
            None => true,
            Some("integer") => integer,
            Some("string" | "array") => !integer,
            Some(_) => false,
        };
        if !fits {
            let reads = if integer { "an integer" } else { "text" };
            let spec_type = spec_type.as_deref().unwrap_or_default();
            errors.on(
                header_type,
                Diagnostic::new(format!(
                    "the header `{}` of {} is of type `{spec_type}`, but `TypedHeader<{type_name}>` reads {reads}",
                    param.name,
                    op.label(),
                ))
                .spec(place())
                .help(format!(
                    "read it with a type that parses the spec's `{spec_type}`, or from `HeaderMap`"
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_names_follow_the_type_names() {
        assert_eq!(header_of("UserAgent"), Some(("user-agent".into(), false)));
        assert_eq!(
            header_of("IfNoneMatch"),
            Some(("if-none-match".into(), false))
        );
        assert_eq!(header_of("ETag"), Some(("etag".into(), false)));
        assert_eq!(
            header_of("ContentLength"),
            Some(("content-length".into(), true))
        );
        assert_eq!(
            header_of("AccessControlAllowOrigin"),
            Some(("access-control-allow-origin".into(), false))
        );
        // The application's own header types are not known by name.
        assert_eq!(header_of("XRequestId"), None);
    }
}
