//! The request side of a handler's type checks: `Query` and `Path` against the parameters, the body
//! extractor against the request body, and the `RequestTypes` its marker carries.

use contract_spec::{Operation, ParamIn};
use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use crate::check::operation::{Ctx, content};
use crate::diag::{Diagnostic, Errors, const_check};
use crate::expect;
use crate::parse::types::{extractor_arg, nameable, tokens_text};
use crate::rust;

/// The parts of a `RequestTypes` a handler's signature gives.
#[derive(Default)]
pub(crate) struct RequestTokens {
    pub(crate) path: Option<TokenStream>,
    pub(crate) query: Option<TokenStream>,
    pub(crate) body: Option<TokenStream>,
}

impl RequestTokens {
    pub(crate) fn into_tokens(self) -> Option<TokenStream> {
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
pub(crate) fn path_types(op: &Operation, inner: &syn::Type) -> TokenStream {
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
pub(crate) fn param_props(ctx: &Ctx<'_>, location: ParamIn) -> (TokenStream, Vec<String>) {
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
            .map_or_else(|| "String".into(), |l| rust::rust_type(ctx.spec, l));
        names.push(format!(
            "`{name}` ({ty}{})",
            if required { "" } else { ", optional" }
        ));
    }
    (expect::tokens(&expect::object(props, false)), names)
}

pub(crate) fn check_query(ctx: &Ctx<'_>, inner: &syn::Type) -> TokenStream {
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

pub(crate) fn check_path_types<'a>(
    ctx: &Ctx<'a>,
    inner: &syn::Type,
    errors: &mut Errors,
) -> TokenStream {
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
            rust::path_extractor(ctx.spec, ctx.op)
        )),
    );
    match inner {
        syn::Type::Tuple(tuple) if tuple.elems.len() == template.len() => {
            let mut out = TokenStream::new();
            for (elem, name) in tuple.elems.iter().zip(template) {
                let (name, required, code) = prop(name);
                if crate::check::fits::trivially_fits(elem, &code) {
                    continue;
                }
                if let Some(expected) = crate::check::fits::scalar_mismatch(elem, &code) {
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
                if crate::check::fits::trivially_fits(inner, code) {
                    return TokenStream::new();
                }
                if let Some(expected) = crate::check::fits::scalar_mismatch(inner, code) {
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
pub(crate) fn scalar_path_message(
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

pub(crate) fn check_body(
    ctx: &Ctx<'_>,
    func: &crate::parse::handler::HandlerFn,
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
    if crate::check::fits::trivially_fits(inner, &code) {
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
            rust::describe_schema(ctx.spec, &schema)
        )),
    );
    const_check(
        inner,
        "check_body",
        Some(inner),
        quote!(#expect, #header, #footer),
    )
}
