//! The handler checks that need type information (R2 types, R3, R5, R6): emitted as const
//! items that compare each extractor's and the return type's `Schema` with the operation.

use contract_spec::{Loc, Operation, ParamIn, Spec};
use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use serde_json::Value;

use crate::diag::{Diagnostic, Errors, const_check};
use crate::expect::{self, Expecter};
use crate::signature::{self, extractor_arg};

/// Extractors that read the request body.
const BODY_EXTRACTORS: &[&str] = &[
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
const PARTS_EXTRACTORS: &[&str] = &[
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

/// `Option<T>` and `Result<T, Rejection>` → `T`: axum 0.8 extracts them as `T` when the
/// request has one (`Result<Json<T>, JsonRejection>` is how a handler words its own rejection).
fn unwrap_option(ty: &syn::Type) -> &syn::Type {
    extractor_arg(ty, "Option")
        .or_else(|| extractor_arg(ty, "Result"))
        .unwrap_or(ty)
}

/// The extractor a pattern names: `Json(body)` → `Json`, for a type the macro cannot read
/// (an alias: `Json(body): EventBody`).
fn pattern_extractor(pat: &syn::Pat) -> Option<String> {
    match pat {
        syn::Pat::TupleStruct(ts) => ts.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// Return types whose status and body are only known at run time.
const OPAQUE_RETURNS: &[&str] = &[
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

struct Ctx<'a> {
    spec: &'a Spec,
    op: &'a Operation,
    expecter: Expecter<'a>,
    /// The operation's `file:line:col` and pointer, located on first use: a handler whose
    /// checks all pass whatever the types needs none.
    place: std::cell::OnceCell<String>,
    /// The handler as the spec would have it, for the messages that suggest it.
    sketch: std::cell::OnceCell<String>,
    /// The operation's responses (encoded) and their summary, built on first use.
    responses: std::cell::OnceCell<TokenStream>,
}

/// Whether a type can be named from a const item next to the fn (no fn generics, no named
/// lifetimes).
fn nameable(ty: &syn::Type, generics: &[String]) -> bool {
    let text = ty.to_token_stream().to_string();
    !text
        .split(|c: char| !c.is_alphanumeric() && c != '_' && c != '\'')
        .any(|tok| {
            (tok.starts_with('\'') && tok != "'static" && tok != "'_")
                || generics.iter().any(|g| g == tok)
        })
}

fn last_ident(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(tp) => tp.path.segments.last().map(|s| s.ident.to_string()),
        syn::Type::Reference(r) => last_ident(&r.elem),
        _ => None,
    }
}

fn tokens_text(t: &impl ToTokens) -> String {
    t.to_token_stream()
        .to_string()
        .replace(" < ", "<")
        .replace(" >", ">")
        .replace("< ", "<")
        .replace(" ,", ",")
        .replace(" :: ", "::")
        .replace("& ", "&")
}

/// The type checks of a handler, and the `RequestTypes` its marker carries for request
/// validation (`None` where the handler states no typed extractor).
pub fn check(
    spec: &Spec,
    shared: &crate::load::ExpectationMemo,
    op: &Operation,
    func: &crate::handler::HandlerFn,
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
            if nameable(inner, &generics) && !expect::is_json_value(inner) {
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

/// The parts of a `RequestTypes` a handler's signature gives.
#[derive(Default)]
struct RequestTokens {
    path: Option<TokenStream>,
    query: Option<TokenStream>,
    body: Option<TokenStream>,
}

impl RequestTokens {
    fn into_tokens(self) -> Option<TokenStream> {
        if self.path.is_none() && self.query.is_none() && self.body.is_none() {
            return None;
        }
        let none = quote!(::core::option::Option::None);
        let path = self.path.unwrap_or_else(|| quote!(__c::PathTypes::None));
        let query = self.query.unwrap_or_else(|| none.clone());
        let body = self.body.unwrap_or(none);
        Some(quote! {
            const REQUEST: ::contract_runtime::__private::RequestTypes = {
                use ::contract_runtime::__private as __c;
                use __c::ProbeFallback as _;
                __c::RequestTypes { path: #path, query: #query, body: #body }
            };
        })
    }
}

/// `PathTypes` for `Path<inner>`: a tuple's elements by the template's names, or one type.
fn path_types(op: &Operation, inner: &syn::Type) -> TokenStream {
    let template = &op.template_params;
    match inner {
        syn::Type::Tuple(tuple) => {
            let pairs = tuple
                .elems
                .iter()
                .zip(template)
                .map(|(elem, name)| quote!((#name, __c::Probe::<#elem>::SHAPE)));
            quote!(__c::PathTypes::Each(&[#(#pairs),*]))
        }
        _ => {
            let single = match template.as_slice() {
                [name] => quote!(::core::option::Option::Some(#name)),
                _ => quote!(::core::option::Option::None),
            };
            quote! {
                __c::PathTypes::One {
                    single: #single,
                    shape: __c::Probe::<#inner>::SHAPE,
                    fields: __c::Probe::<#inner>::FIELDS,
                }
            }
        }
    }
}

/// The parameters at `location` as an object node, and their names for messages.
impl Ctx<'_> {
    fn place(&self) -> &str {
        self.place
            .get_or_init(|| self.spec.doc.place(&self.op.loc).to_string())
    }

    fn sketch(&self) -> &str {
        self.sketch
            .get_or_init(|| signature::handler_sketch(self.spec, self.op))
    }
}

fn param_props(ctx: &Ctx<'_>, location: ParamIn) -> (TokenStream, Vec<String>) {
    let mut props = Vec::new();
    let mut names = Vec::new();
    for p in ctx.op.parameters.iter().filter(|p| p.location == location) {
        let name = &p.name;
        let required = p.required;
        let expect = match &p.schema {
            Some(loc) => ctx.expecter.expect(loc),
            None => expect::any(),
        };
        props.push((name.as_str(), required, expect));
        let ty = p
            .schema
            .as_ref()
            .map_or_else(|| "String".into(), |l| signature::rust_type(ctx.spec, l));
        names.push(format!(
            "`{name}` ({ty}{})",
            if required { "" } else { ", optional" }
        ));
    }
    (expect::tokens(&expect::object(props, false)), names)
}

fn check_query(ctx: &Ctx<'_>, inner: &syn::Type) -> TokenStream {
    let (props, names) = param_props(ctx, ParamIn::Query);
    let header = format!(
        "`Query<{}>` does not match the query parameters of {}:",
        tokens_text(inner),
        ctx.op.label()
    );
    let help = if names.is_empty() {
        "the operation has no query parameters: remove the `Query` extractor".to_string()
    } else {
        format!("the query parameters are {}", names.join(", "))
    };
    let footer = Diagnostic::footer(ctx.place(), Some(&help));
    const_check(
        inner,
        "check_query",
        Some(inner),
        quote!(#props, #header, #footer),
    )
}

fn check_path_types<'a>(ctx: &Ctx<'a>, inner: &syn::Type, errors: &mut Errors) -> TokenStream {
    let template = &ctx.op.template_params;
    let prop = |name: &'a str| {
        let param = ctx.op.path_params().find(|p| p.name == name);
        let expect = match param.and_then(|p| p.schema.as_ref()) {
            Some(loc) => ctx.expecter.expect(loc),
            None => expect::any(),
        };
        (name, true, expect)
    };
    let footer = Diagnostic::footer(
        ctx.place(),
        Some(&format!(
            "write `{}`",
            signature::path_extractor(ctx.spec, ctx.op)
        )),
    );
    match inner {
        syn::Type::Tuple(tuple) if tuple.elems.len() == template.len() => {
            let mut out = TokenStream::new();
            for (elem, name) in tuple.elems.iter().zip(template) {
                let (name, required, code) = prop(name);
                if expect::trivially_fits(elem, &code) {
                    continue;
                }
                if let Some(expected) = expect::scalar_mismatch(elem, &code) {
                    errors.on(
                        elem,
                        scalar_path_message(ctx, name, elem, &expected, &footer),
                    );
                    continue;
                }
                let params = expect::tokens(&expect::object([(name, required, code)], false));
                let header = format!(
                    "path parameter `{name}` of {} does not match `{}`:",
                    ctx.op.label(),
                    tokens_text(elem)
                );
                out.extend(const_check(
                    elem,
                    "check_path_element",
                    Some(elem),
                    quote!(#params, #header, #footer),
                ));
            }
            out
        }
        syn::Type::Tuple(_) => TokenStream::new(), // count mismatch: reported by the macro itself
        _ if template.is_empty() => TokenStream::new(),
        _ => {
            let props: Vec<_> = template.iter().map(|n| prop(n.as_str())).collect();
            if let [(name, _, code)] = props.as_slice() {
                if expect::trivially_fits(inner, code) {
                    return TokenStream::new();
                }
                if let Some(expected) = expect::scalar_mismatch(inner, code) {
                    errors.on(
                        inner,
                        scalar_path_message(ctx, name, inner, &expected, &footer),
                    );
                    return TokenStream::new();
                }
            }
            let params = expect::tokens(&expect::object(props, false));
            let header = format!(
                "`Path<{}>` does not match the path parameters of {}:",
                tokens_text(inner),
                ctx.op.label()
            );
            const_check(
                inner,
                "check_path",
                Some(inner),
                quote!(#params, #header, #footer),
            )
        }
    }
}

/// A std scalar that cannot hold a path parameter: the macro's own error.
fn scalar_path_message(
    ctx: &Ctx<'_>,
    name: &str,
    ty: &syn::Type,
    expected: &str,
    footer: &str,
) -> String {
    format!(
        "path parameter `{name}` of {} is {expected}, which `{}` cannot hold{footer}",
        ctx.op.label(),
        tokens_text(ty)
    )
}

/// JSON, or a wildcard a JSON body is one of.
fn is_json_media(media: &str) -> bool {
    let m = media.split(';').next().unwrap_or("").trim();
    contract_spec::is_json_media(m) || m == "*/*" || m.eq_ignore_ascii_case("application/*")
}

/// A media type a `content` map declares, and where its schema is (`None`: declared without
/// a schema, which any value of the media type fits).
type Declared = Option<Option<Loc>>;

/// The media types of a `content` map, and the JSON and form ones.
fn content(spec: &Spec, at: &Loc) -> (Vec<String>, Declared, Declared) {
    let Ok((loc, value)) = spec.doc.deref(at) else {
        return (Vec::new(), None, None);
    };
    let Some(Value::Object(map)) = value.get("content") else {
        return (Vec::new(), None, None);
    };
    let media: Vec<String> = map.keys().cloned().collect();
    let declared = |pred: &dyn Fn(&str) -> bool| {
        let matching = || map.iter().filter(|(m, _)| pred(m));
        // The first with a schema, else the first at all.
        matching()
            .find(|(_, v)| v.get("schema").is_some())
            .map(|(m, _)| Some(loc.child("content").child(m).child("schema")))
            .or_else(|| matching().next().map(|_| None))
    };
    let json = declared(&|m| is_json_media(m));
    let form = declared(&|m: &str| m.starts_with("application/x-www-form-urlencoded"));
    (media, json, form)
}

fn check_body(
    ctx: &Ctx<'_>,
    func: &crate::handler::HandlerFn,
    body: Option<(&syn::Type, String)>,
    may_body: bool,
    generics: &[String],
    errors: &mut Errors,
) -> TokenStream {
    let op = ctx.op;
    let request_body = op
        .request_body
        .as_ref()
        .and_then(|loc| ctx.spec.doc.deref(loc).ok());
    let Some((ty, kind)) = body else {
        if !may_body
            && let Some((loc, value)) = &request_body
            && value
                .get("required")
                .and_then(Value::as_bool)
                .unwrap_or(false)
        {
            let (media, _, _) = content(ctx.spec, loc);
            errors.at(
                func.sig.ident.span(),
                Diagnostic::new(format!(
                    "{} requires a request body ({}), but the handler does not extract one",
                    op.label(),
                    media.join(", "),
                ))
                .spec(ctx.spec.doc.place(loc))
                .help(ctx.sketch()),
            );
        }
        return TokenStream::new();
    };
    let Some((loc, _)) = &request_body else {
        errors.on(
            ty,
            Diagnostic::new(format!(
                "{} has no request body, but the handler extracts `{kind}`",
                op.label(),
            ))
            .spec(ctx.place())
            .help("remove the body extractor, or declare a `requestBody` in the spec"),
        );
        return TokenStream::new();
    };
    let (media, json, form) = content(ctx.spec, loc);
    let (schema, wanted) = match kind.as_str() {
        "Json" => (json, "a JSON media type (application/json)"),
        "Form" => (form, "application/x-www-form-urlencoded"),
        _ => return TokenStream::new(),
    };
    let Some(inner) = extractor_arg(ty, &kind) else {
        return TokenStream::new();
    };
    let Some(schema) = schema else {
        errors.on(
            ty,
            Diagnostic::new(format!(
                "the request body of {} is {}, not {wanted}",
                op.label(),
                if media.is_empty() {
                    "declared without content".to_string()
                } else {
                    media.join(", ")
                },
            ))
            .spec(ctx.spec.doc.place(loc))
            .help("extract it as one of the declared media types"),
        );
        return TokenStream::new();
    };
    // A media type declared without a schema takes any body of its type.
    let Some(schema) = schema else {
        return TokenStream::new();
    };
    if !nameable(inner, generics) {
        return TokenStream::new();
    }
    let code = ctx.expecter.expect(&schema);
    if expect::trivially_fits(inner, &code) {
        return TokenStream::new();
    }
    let expect = expect::tokens(&code);
    let header = format!(
        "the request body `{}` does not match {}:",
        tokens_text(inner),
        op.label()
    );
    let footer = Diagnostic::footer(
        ctx.spec.doc.place(&schema),
        Some(&format!(
            "the body schema is {}",
            signature::describe_schema(ctx.spec, &schema)
        )),
    );
    const_check(
        inner,
        "check_body",
        Some(inner),
        quote!(#expect, #header, #footer),
    )
}

/// Longest description of a response's body in a help line: longer ones are cut (a help
/// line says what one failing response expects, in a line).
const HELP_BODY_LEN: usize = 160;

/// The operation's responses, encoded for `SpecResponses`: each with its key, media types,
/// what a help line says of its body, and its JSON schema.
fn spec_responses(ctx: &Ctx<'_>) -> TokenStream {
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
                    let body = signature::describe_schema(ctx.spec, schema);
                    format!("a JSON body: {}", cut(&body, HELP_BODY_LEN))
                }
                Some(None) => "a JSON body (any value)".to_string(),
                None if media.is_empty() => "no body".to_string(),
                None => cut(&media_text, HELP_BODY_LEN),
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

/// `text`, cut at a character boundary with `…` past `max` bytes.
fn cut(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

/// Whether some response of the operation has JSON content.
fn declares_json(ctx: &Ctx<'_>) -> bool {
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
enum ReturnCheck<'t> {
    /// `Json<T>` (status 200) or `(StatusCode, …, Json<T>)` (status 0: chosen at run time).
    Json(&'t syn::Type, u16),
    /// Two expressions, of types `Option<&[ResponseVariant]>` (the type's own variants) and
    /// `Option<[&[ResponseVariant]; 2]>` (a `Result`'s two sides).
    Variants(TokenStream),
}

fn return_check<'t>(ty: &'t syn::Type, generics: &[String]) -> Option<ReturnCheck<'t>> {
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
fn check_event_stream(ctx: &Ctx<'_>, ret: &syn::Type) -> TokenStream {
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

fn check_return(ctx: &Ctx<'_>, ret: &syn::Type, generics: &[String]) -> TokenStream {
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
        && expect::is_json_value(inner)
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
