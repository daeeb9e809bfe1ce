//! `routes!(h1, h2, …)`: mounts each handler at its spec route, and proves at compile time
//! (through consts the handlers' markers carry) that every operation has exactly one handler.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;

use crate::diag::Errors;
use crate::load;
use crate::signature;

pub struct RoutesInput {
    pub partial: bool,
    pub spec: Option<syn::LitStr>,
    pub handlers: Vec<syn::Path>,
}

impl Parse for RoutesInput {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let mut partial = false;
        let mut spec = None;
        // Options come before a `;`: `routes!(partial, spec = "v2.yaml"; a, b)`.
        let has_options = input
            .fork()
            .parse::<TokenStream>()?
            .into_iter()
            .any(|t| matches!(&t, proc_macro2::TokenTree::Punct(p) if p.as_char() == ';'));
        if has_options {
            loop {
                if input.peek(syn::Token![;]) {
                    input.parse::<syn::Token![;]>()?;
                    break;
                }
                let key: syn::Ident = input.parse()?;
                if key == "partial" {
                    partial = true;
                } else if key == "spec" {
                    input.parse::<syn::Token![=]>()?;
                    spec = Some(input.parse()?);
                } else {
                    return Err(syn::Error::new(
                        key.span(),
                        format!(
                            "unknown option `{key}`: `routes!` takes `partial` and `spec = \"path\"` before a `;`"
                        ),
                    ));
                }
                if !input.peek(syn::Token![;]) {
                    input.parse::<syn::Token![,]>()?;
                }
            }
        }
        let handlers: Punctuated<syn::Path, syn::Token![,]> = Punctuated::parse_terminated(input)?;
        Ok(RoutesInput {
            partial,
            spec,
            handlers: handlers.into_iter().collect(),
        })
    }
}

pub fn expand(input: TokenStream) -> TokenStream {
    let input: RoutesInput = match syn::parse2(input) {
        Ok(i) => i,
        Err(e) => return e.to_compile_error(),
    };
    let mut errors = Errors::default();
    let loaded = match load::load(input.spec.as_ref()) {
        Ok(l) => l,
        Err(e) => return e.to_compile_error(),
    };
    let tracking = &loaded.tracking;
    let spec = match loaded.spec.as_ref() {
        Ok(spec) => Some(spec),
        Err(e) => {
            errors.at(
                input
                    .spec
                    .as_ref()
                    .map_or_else(Span::call_site, |s| s.span()),
                e,
            );
            None
        }
    };
    let handlers = &input.handlers;
    // Where the spec loaded, each handler is mounted wrapped: `contract.on` checks its
    // responses against its operation in builds with `debug_assertions`.
    let validated_routes = quote! {
        #( .route(
            <#handlers as ::contract_runtime::__private::Operation>::PATH,
            ::contract_runtime::__private::on_validated(
                &contract,
                <#handlers as ::contract_runtime::__private::Operation>::METHOD,
                #handlers,
                <#handlers as ::contract_runtime::__private::Operation>::INDEX,
            ),
        ) )*
    };
    let routes = quote! {
        #( .route(
            <#handlers as ::contract_runtime::__private::Operation>::PATH,
            ::contract_runtime::__private::on(
                <#handlers as ::contract_runtime::__private::Operation>::METHOD,
                #handlers,
            ),
        ) )*
    };
    // `build`'s first argument takes the router type the caller expects, so the state type is
    // known before the handlers are (see `__private::build`).
    let router = quote! {
        ::contract_runtime::__private::build(
            ::contract_runtime::__private::Router::new(),
            |router| router #routes,
        )
    };
    let Some(spec) = spec else {
        let errors = errors.into_tokens();
        return quote! {{ #tracking #errors #router }};
    };
    for problem in spec.unowned_problems() {
        errors.at(
            input
                .spec
                .as_ref()
                .map_or_else(Span::call_site, |s| s.span()),
            problem,
        );
    }
    let spec_id = loaded.spec_id();
    let n = spec.operations.len();
    let h = handlers.len();
    let display = spec.root_display();
    let names: Vec<String> = handlers
        .iter()
        .map(|handler| quote!(#handler).to_string().replace(' ', ""))
        .collect();
    let names_joined = names.join("\n");
    // Room for the longest message, its note and every name (a longer one is cut cleanly).
    let cap = 2048 + display.len() + names_joined.len() + 4 * h;
    // One const checks every binding; the arm of the first bad handler carries its span, so the
    // error points at it (rustc reports a failing const at the call its panic comes from).
    let arms = handlers.iter().enumerate().map(|(i, handler)| {
        quote_spanned! {handler.span()=>
            #i => __c::binding_failed::<#cap>(
                #i,
                SPEC,
                <#handler as __c::Operation>::DUPLICATE,
                &PROBLEMS,
                NAMES,
            ),
        }
    });
    let coverage = if input.partial {
        TokenStream::new()
    } else {
        let messages: Vec<String> = spec
            .operations
            .iter()
            .map(|op| {
                format!(
                    "\n  - {} {} ({}), {}\n    {}",
                    op.method,
                    op.path,
                    op.operation_id
                        .as_deref()
                        .map_or("no operationId".into(), |id| format!("`{id}`")),
                    spec.doc.place(&op.loc),
                    signature::handler_sketch(spec, op)
                )
            })
            .collect();
        let header = format!(
            "`routes!` does not cover every operation of `{display}`: these have no handler:"
        );
        let footer = "\nhelp: write the missing handlers and list them here, or use `routes!(partial; …)` to mount a subset";
        let cap = header.len() + footer.len() + messages.iter().map(String::len).sum::<usize>();
        quote_spanned! {Span::call_site()=>
            const _: () = __c::check_coverage::<#cap>(
                &COUNTS, &[#(#messages),*], #header, #footer, SKIP_COVERAGE,
            );
        }
    };
    let errors = errors.into_tokens();
    let bundle = load::embedded_bundle(&loaded.spec, spec);
    // The user's crate decides: `cfg!` expands in its build, not in the macro's.
    let router = quote! {
        ::contract_runtime::__private::build(
            ::contract_runtime::__private::Router::new(),
            |router| {
                const VALIDATE: bool = ::core::cfg!(debug_assertions);
                let contract = ::contract_runtime::__private::RouteContract::<VALIDATE>::new(
                    ::contract_runtime::SpecBundle::__from_static(#bundle),
                );
                router #validated_routes
            },
        )
    };
    quote! {{
        #tracking
        #errors
        const _: () = {
            use ::contract_runtime::__private as __c;
            const INDEXES: [usize; #h] = [#(<#handlers as __c::Operation>::INDEX),*];
            const SPEC_IDS: [u64; #h] = [#(<#handlers as __c::Operation>::SPEC_ID),*];
            const PROBLEMS: [u8; #h] = __c::binding_problems::<#h, #n>(&INDEXES, &SPEC_IDS, #spec_id);
            const FIRST_PROBLEM: usize = __c::first_problem(&PROBLEMS);
            const COUNTS: [u8; #n] = __c::count_bindings::<#n>(&INDEXES);
            // Unbound handlers were reported by `#[contract]`, bad bindings just above.
            const SKIP_COVERAGE: bool = FIRST_PROBLEM != usize::MAX || __c::any_unbound(&INDEXES);
            // Written once: an arm per handler refers to them.
            const NAMES: &str = #names_joined;
            const SPEC: &str = #display;
            const _: () = match FIRST_PROBLEM {
                #(#arms)*
                _ => {}
            };
            #coverage
        };
        #router
    }}
}

/// `spec!()` or `spec!("path")`: the bundle of the crate's (or that) spec.
pub fn expand_spec(input: TokenStream) -> TokenStream {
    let explicit: Option<syn::LitStr> = if input.is_empty() {
        None
    } else {
        match syn::parse2::<syn::LitStr>(input) {
            Ok(l) => Some(l),
            Err(e) => {
                return syn::Error::new(
                    e.span(),
                    "`spec!` takes the spec's path as a string, or nothing for the crate's spec: `spec!()`, `spec!(\"api/openapi.yaml\")`",
                )
                .to_compile_error();
            }
        }
    };
    let loaded = match load::load(explicit.as_ref()) {
        Ok(l) => l,
        Err(e) => return e.to_compile_error(),
    };
    let tracking = &loaded.tracking;
    match loaded.spec.as_ref() {
        Ok(spec) => {
            let bundle = load::embedded_bundle(&loaded.spec, spec);
            quote! {{
                #tracking
                ::contract_runtime::SpecBundle::__from_static(#bundle)
            }}
        }
        Err(e) => {
            let err = syn::Error::new(
                explicit.as_ref().map_or_else(Span::call_site, |l| l.span()),
                e,
            )
            .to_compile_error();
            quote! {{ #tracking #err ::contract_runtime::SpecBundle::__from_static("{}") }}
        }
    }
}
