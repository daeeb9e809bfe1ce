//! The handler checks that need type information (R2 types, R3, R5, R6): emitted as const items
//! that compare each extractor's and the return type's `Schema` with the operation.

use contract_spec::{Operation, ParamIn, Spec};
use proc_macro2::TokenStream;
use quote::quote;

use crate::check::operation::Ctx;
use crate::check::request::{RequestTokens, check_body, check_path_types, check_query, path_types};
use crate::check::response::check_return;
use crate::diag::{Diagnostic, Errors};
use crate::expect::Expecter;
use crate::parse::types::{
    extractor_arg, last_ident, nameable, pattern_extractor, tokens_text, unwrap_option,
};

/// Extractors that read the request body.
pub(crate) const BODY_EXTRACTORS: &[&str] = &[
    "Json",
    "Form",
    "Bytes",
    "String",
    "Body",
    "Multipart",
    "RawForm",
    "Request",
];

/// Extractors that never read the body (`FromRequestParts`, axum's and axum-extra's): an
/// argument of any other type may be a custom or aliased extractor that does.
pub(crate) const PARTS_EXTRACTORS: &[&str] = &[
    "Path",
    "Query",
    "State",
    "HeaderMap",
    "TypedHeader",
    "Extension",
    "Method",
    "Uri",
    "OriginalUri",
    "MatchedPath",
    "ConnectInfo",
    "Version",
    "Host",
    "RawQuery",
    "RawPathParams",
    "Parts",
    "CookieJar",
    "PrivateCookieJar",
    "SignedCookieJar",
];

/// The type checks of a handler, and the `RequestTypes` its marker carries for request
/// validation (`None` where the handler states no typed extractor).
pub(crate) fn check(
    spec: &Spec,
    shared: &crate::expect::ExpectationMemo,
    op: &Operation,
    func: &crate::parse::handler::HandlerFn,
    check_path: bool,
    errors: &mut Errors,
) -> (TokenStream, Option<TokenStream>) {
    let generics: Vec<String> = func
        .sig
        .generics
        .params
        .iter()
        .filter_map(|p| match p {
            syn::GenericParam::Type(t) => Some(t.ident.to_string()),
            syn::GenericParam::Const(c) => Some(c.ident.to_string()),
            syn::GenericParam::Lifetime(_) => None,
        })
        .collect();
    let ctx = Ctx {
        spec,
        op,
        expecter: Expecter::new(spec, Some(shared)),
        place: std::cell::OnceCell::new(),
        sketch: std::cell::OnceCell::new(),
        responses: std::cell::OnceCell::new(),
    };
    let mut out = TokenStream::new();
    let mut request = RequestTokens::default();
    let mut has_query = false;
    let mut body: Option<(&syn::Type, String)> = None;
    // An argument the macro cannot read (a custom extractor, an alias) may extract the query
    // (any argument) or the body (only the last one can): then their absence is not reported.
    let (mut may_query, mut may_body) = (false, false);
    let last = func.sig.inputs.len().saturating_sub(1);
    for (at, input) in func.sig.inputs.iter().enumerate() {
        let syn::FnArg::Typed(arg) = input else {
            continue;
        };
        let ty = unwrap_option(&arg.ty);
        let Some(kind) = last_ident(ty) else { continue };
        let known = kind == "Query"
            || BODY_EXTRACTORS.contains(&kind.as_str())
            || PARTS_EXTRACTORS.contains(&kind.as_str());
        if !known {
            // `Json(body): EventBody` names its extractor in the pattern.
            match pattern_extractor(&arg.pat).as_deref() {
                Some("Query") => has_query = true,
                Some(k) if BODY_EXTRACTORS.contains(&k) => may_body = true,
                Some(k) if PARTS_EXTRACTORS.contains(&k) => {}
                _ => {
                    may_query = true;
                    may_body |= at == last;
                }
            }
            continue;
        }
        // A `Result<…, Rejection>` argument answers its own rejection: its types are left out
        // of request validation.
        let handled = extractor_arg(&arg.ty, "Result").is_some();
        if let Some(inner) = extractor_arg(ty, "Query") {
            has_query = true;
            // `Query<serde_json::Value>` takes whatever is sent.
            if nameable(inner, &generics) && !crate::check::fits::is_json_value(inner) {
                out.extend(check_query(&ctx, inner));
                if !handled {
                    request.query = Some(quote! {
                        ::core::option::Option::Some((__c::Probe::<#inner>::SHAPE, __c::Probe::<#inner>::FIELDS))
                    });
                }
            }
        } else if let Some(inner) = extractor_arg(ty, "Path") {
            if check_path && nameable(inner, &generics) {
                out.extend(check_path_types(&ctx, inner, errors));
                if !handled {
                    request.path = Some(path_types(op, inner));
                }
            }
        } else if BODY_EXTRACTORS.contains(&kind.as_str()) {
            if let (Some(inner), false) = (extractor_arg(ty, "Json"), handled)
                && nameable(inner, &generics)
            {
                let name = tokens_text(inner);
                request.body = Some(quote! {
                    ::core::option::Option::Some((#name, __c::Probe::<#inner>::BODY))
                });
            }
            body = Some((ty, kind));
        }
    }
    let required_query: Vec<&str> = op
        .parameters
        .iter()
        .filter(|p| p.location == ParamIn::Query && p.required)
        .map(|p| p.name.as_str())
        .collect();
    if !has_query && !may_query && !required_query.is_empty() {
        errors.at(
            func.sig.ident.span(),
            Diagnostic::new(format!(
                "{} requires the query parameter{} {}, but the handler has no `Query` extractor",
                op.label(),
                if required_query.len() == 1 { "" } else { "s" },
                required_query
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
            ))
            .spec(ctx.place())
            .help(ctx.sketch()),
        );
    }
    out.extend(check_body(&ctx, func, body, may_body, &generics, errors));
    if let syn::ReturnType::Type(_, ret) = &func.sig.output {
        out.extend(check_return(&ctx, ret, &generics));
    }
    (out, request.into_tokens())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrappers_and_patterns_name_the_extractor() {
        let ty = |s: &str| syn::parse_str::<syn::Type>(s).unwrap();
        let pat = |s: &str| syn::Pat::parse_single.parse_str(s).unwrap();
        use syn::parse::Parser;

        let wrapped = ty("Option<axum::Json<Pet>>");
        assert_eq!(last_ident(unwrap_option(&wrapped)).as_deref(), Some("Json"));
        let handled = ty("Result<Json<Pet>, JsonRejection>");
        assert_eq!(last_ident(unwrap_option(&handled)).as_deref(), Some("Json"));
        let plain = ty("Json<Pet>");
        assert_eq!(last_ident(unwrap_option(&plain)).as_deref(), Some("Json"));

        assert_eq!(
            pattern_extractor(&pat("Json(new)")).as_deref(),
            Some("Json")
        );
        assert_eq!(
            pattern_extractor(&pat("axum::extract::Query(q)")).as_deref(),
            Some("Query")
        );
        assert_eq!(pattern_extractor(&pat("body")), None);
        assert_eq!(pattern_extractor(&pat("_")), None);
    }
}
