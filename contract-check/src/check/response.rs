//! The response side of a handler's type checks: the return type against the declared responses.

use contract_schema::shortened;
use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use crate::check::operation::{Ctx, HELP_BODY_LEN, content};
use crate::diag::{Diagnostic, const_check};
use crate::expect;
use crate::parse::types::{extractor_arg, last_ident, nameable, tokens_text};
use crate::rust;

/// Return types whose status and body are only known at run time.
pub(crate) const OPAQUE_RETURNS: &[&str] = &[
    "Response",
    "StatusCode",
    "Html",
    "Redirect",
    "String",
    "str",
    "Bytes",
    "Vec",
    "NoContent",
    "Sse",
    "Body",
    "Cow",
    "Box",
    "ErrorResponse",
    "Infallible",
];

/// The operation's responses, encoded for `SpecResponses`: each with its key, media types,
/// what a help line says of its body, and its JSON schema.
pub(crate) fn spec_responses(ctx: &Ctx<'_>) -> TokenStream {
    let mut code = Vec::new();
    if let Some(responses_loc) = &ctx.op.responses
        && let Some(Value::Object(map)) = ctx.spec.doc.get(responses_loc)
    {
        for key in map.keys() {
            if key.starts_with("x-") {
                continue;
            }
            let (media, json, _) = content(ctx.spec, &responses_loc.child(key));
            let media_text = media.join(", ");
            let help = match &json {
                Some(Some(schema)) => {
                    let body = rust::describe_schema(ctx.spec, schema);
                    format!("a JSON body: {}", shortened(body, HELP_BODY_LEN))
                }
                Some(None) => "a JSON body (any value)".to_string(),
                None if media.is_empty() => "no body".to_string(),
                None => shortened(media_text.clone(), HELP_BODY_LEN),
            };
            contract_schema::encoding::put_str(&mut code, key);
            contract_schema::encoding::put_str(&mut code, &media_text);
            contract_schema::encoding::put_str(&mut code, &help);
            match &json {
                Some(Some(schema)) => {
                    code.push(1);
                    code.extend(ctx.expecter.expect(schema));
                }
                Some(None) => {
                    code.push(1);
                    code.extend(expect::any());
                }
                None => code.push(0),
            }
        }
    }
    let lit = syn::LitByteStr::new(&code, proc_macro2::Span::call_site());
    quote!(::contract_runtime::__private::SpecResponses::new(#lit))
}

/// Whether some response of the operation has JSON content.
pub(crate) fn declares_json(ctx: &Ctx<'_>) -> bool {
    let Some(responses_loc) = &ctx.op.responses else {
        return false;
    };
    let Some(Value::Object(map)) = ctx.spec.doc.get(responses_loc) else {
        return false;
    };
    map.keys()
        .filter(|k| !k.starts_with("x-"))
        .any(|k| content(ctx.spec, &responses_loc.child(k)).1.is_some())
}

/// How a return type's responses are checked, when the macro can tell syntactically.
pub(crate) enum ReturnCheck<'t> {
    /// `Json<T>` (status 200) or `(StatusCode, …, Json<T>)` (status 0: chosen at run time).
    Json(&'t syn::Type, u16),
    /// Two expressions, of types `Option<&[ResponseVariant]>` (the type's own variants) and
    /// `Option<[&[ResponseVariant]; 2]>` (a `Result`'s two sides).
    Variants(TokenStream),
}

pub(crate) fn return_check<'t>(ty: &'t syn::Type, generics: &[String]) -> Option<ReturnCheck<'t>> {
    if !nameable(ty, generics) {
        return None;
    }
    match ty {
        syn::Type::ImplTrait(_) => None,
        syn::Type::Paren(p) => return_check(&p.elem, generics),
        syn::Type::Tuple(t) if t.elems.is_empty() => Some(ReturnCheck::Variants(quote!(
            ::core::option::Option::Some(&[::contract_runtime::ResponseVariant {
                name: "()",
                status: 200,
                body: ::contract_runtime::Body::Empty
            }]),
            ::core::option::Option::None
        ))),
        syn::Type::Tuple(t) => {
            // `(StatusCode, …, Json<T>)`: any status, the last element's body.
            let first = t.elems.first().and_then(last_ident);
            let inner = extractor_arg(t.elems.last()?, "Json")?;
            (first.as_deref() == Some("StatusCode")).then_some(ReturnCheck::Json(inner, 0))
        }
        syn::Type::Path(_) => {
            if let Some(inner) = extractor_arg(ty, "Json") {
                return Some(ReturnCheck::Json(inner, 200));
            }
            let ident = last_ident(ty)?;
            if OPAQUE_RETURNS.contains(&ident.as_str()) || ident == "Result" {
                return None;
            }
            Some(ReturnCheck::Variants(quote!({
                #[allow(unused_imports)]
                use ::contract_runtime::__private::ProbeFallback as _;
                ::contract_runtime::__private::Probe::<#ty>::RESPONSES
            }, {
                #[allow(unused_imports)]
                use ::contract_runtime::__private::ProbeFallback as _;
                ::contract_runtime::__private::Probe::<#ty>::SIDES
            })))
        }
        _ => None,
    }
}

/// `Sse<…>` streams `text/event-stream`: some response of the operation must declare it.
pub(crate) fn check_event_stream(ctx: &Ctx<'_>, ret: &syn::Type) -> TokenStream {
    let Some(responses_loc) = &ctx.op.responses else {
        return TokenStream::new();
    };
    let Some(Value::Object(map)) = ctx.spec.doc.get(responses_loc) else {
        return TokenStream::new();
    };
    let mut declared = Vec::new();
    for status in map.keys().filter(|k| !k.starts_with("x-")) {
        let (media, _, _) = content(ctx.spec, &responses_loc.child(status));
        if media.iter().any(|m| {
            m.split(';')
                .next()
                .is_some_and(|e| e.trim().eq_ignore_ascii_case("text/event-stream"))
        }) {
            return TokenStream::new();
        }
        let media = if media.is_empty() {
            "no content".to_string()
        } else {
            media.join(", ")
        };
        declared.push(format!("{status}: {media}"));
    }
    syn::Error::new_spanned(
        ret,
        Diagnostic::new(format!(
            "the handler streams `text/event-stream` (`Sse`), but no response of {} declares it (declared: {})",
            ctx.op.label(),
            declared.join("; "),
        ))
        .spec(ctx.spec.doc.place(responses_loc))
        .help("declare a `text/event-stream` response (3.2: with an `itemSchema` for its events), or return what the spec declares"),
    )
    .to_compile_error()
}

pub(crate) fn check_return(ctx: &Ctx<'_>, ret: &syn::Type, generics: &[String]) -> TokenStream {
    // `Result<A, B>`: each side is a response of its own.
    if let syn::Type::Path(tp) = ret
        && let Some(last) = tp.path.segments.last()
        && last.ident == "Result"
        && let syn::PathArguments::AngleBracketed(args) = &last.arguments
    {
        return args
            .args
            .iter()
            .filter_map(|a| match a {
                syn::GenericArgument::Type(t) => Some(check_return(ctx, t, generics)),
                _ => None,
            })
            .collect();
    }
    if last_ident(ret).as_deref() == Some("Sse") {
        return check_event_stream(ctx, ret);
    }
    let Some(check) = return_check(ret, generics) else {
        return TokenStream::new();
    };
    // Any JSON value with a status chosen at run time fits any declared JSON response.
    if let ReturnCheck::Json(inner, 0) = check
        && crate::check::fits::is_json_value(inner)
        && declares_json(ctx)
    {
        return TokenStream::new();
    }
    let responses = ctx.responses.get_or_init(|| spec_responses(ctx)).clone();
    let header = format!(
        "the responses of `{}` do not match {}:",
        tokens_text(ret),
        ctx.op.label()
    );
    let place = ctx.op.responses.as_ref().map_or_else(
        || ctx.place().to_string(),
        |l| ctx.spec.doc.place(l).to_string(),
    );
    // The help line, what the failing status expects, is written by the check.
    let footer = Diagnostic::footer(place, None);
    match check {
        ReturnCheck::Json(inner, status) => const_check(
            ret,
            "check_json_response",
            Some(inner),
            quote!(#status, #responses, #header, #footer),
        ),
        ReturnCheck::Variants(variants) => const_check(
            ret,
            "check_responses",
            None,
            quote!(#variants, #responses, #header, #footer),
        ),
    }
}
