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
    /// `validate_requests = false`: the opt-out of request validation.
    pub validate_requests: bool,
    pub spec: Option<syn::LitStr>,
    /// `lint = "deny"`: the spec's lint level for this router.
    pub lint: Option<contract_spec::LintLevel>,
    pub handlers: Vec<syn::Path>,
}

impl Parse for RoutesInput {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let mut partial = false;
        let mut validate_requests = true;
        let mut spec = None;
        let mut lint = None;
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
                } else if key == "lint" {
                    input.parse::<syn::Token![=]>()?;
                    lint = Some(crate::lint::parse_level(&input.parse()?)?);
                } else if key == "validate_requests" {
                    input.parse::<syn::Token![=]>()?;
                    validate_requests = input
                        .parse::<syn::LitBool>()
                        .map_err(|e| {
                            syn::Error::new(
                                e.span(),
                                "`validate_requests` takes `true` or `false` (`validate_requests = false` opts out of request validation)",
                            )
                        })?
                        .value;
                } else {
                    return Err(syn::Error::new(
                        key.span(),
                        format!(
                            "unknown option `{key}`: `routes!` takes `partial`, `spec = \"path\"`, `validate_requests = false` and `lint = \"deny\"` before a `;`"
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
            validate_requests,
            spec,
            lint,
            handlers: handlers.into_iter().collect(),
        })
    }
}

/// What `routes!` needs of its spec, all of it a slice keeps (see `contract_spec::load_slice`).
struct Facts {
    /// How many operations the spec has.
    operations: usize,
    display: String,
    /// One line per operation for the coverage message (none for `partial`).
    coverage: Vec<String>,
    /// The spec's lint problems, rendered.
    lints: Vec<String>,
}

impl Facts {
    fn of(spec: &contract_spec::Spec, partial: bool) -> Facts {
        let coverage = if partial {
            Vec::new()
        } else {
            spec.operations
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
                .collect()
        };
        Facts {
            operations: spec.operations.len(),
            display: spec.root_display().to_string(),
            coverage,
            lints: crate::lint::messages(spec),
        }
    }

    fn to_value(&self) -> serde_json::Value {
        serde_json::json!({
            "operations": self.operations,
            "display": self.display,
            "coverage": self.coverage,
            "lints": self.lints,
        })
    }

    fn from_value(value: &serde_json::Value) -> Option<Facts> {
        let strings = |key: &str| {
            value
                .get(key)?
                .as_array()?
                .iter()
                .map(|line| line.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()
        };
        Some(Facts {
            operations: usize::try_from(value.get("operations")?.as_u64()?).ok()?,
            display: value.get("display")?.as_str()?.to_string(),
            coverage: strings("coverage")?,
            lints: strings("lints")?,
        })
    }
}

pub fn expand(input: TokenStream) -> TokenStream {
    let input: RoutesInput = match syn::parse2(input) {
        Ok(i) => i,
        Err(e) => return e.to_compile_error(),
    };
    let key = if input.partial {
        "routes partial"
    } else {
        "routes"
    };
    // A slice holding only these facts spares a new rustc process the whole spec.
    let mut tracking = TokenStream::new();
    if let Some(loaded) = load::load_slice(input.spec.as_ref(), key) {
        if let Ok(spec) = loaded.spec.as_ref()
            && let Some(facts) = spec.doc.facts().and_then(Facts::from_value)
            && let Some(bundle) = load::stored_bundle(spec)
        {
            let spec_id = loaded.spec_id();
            return emit(
                &input,
                loaded.tracking,
                Errors::default(),
                Some((&facts, spec_id, bundle)),
            );
        }
        tracking = loaded.tracking;
    }
    let mut errors = Errors::default();
    let loaded = match load::load(input.spec.as_ref()) {
        Ok(l) => l,
        Err(e) => {
            tracking.extend(e.to_compile_error());
            return tracking;
        }
    };
    tracking.extend(loaded.tracking.clone());
    let spec = match loaded.spec.as_ref() {
        Ok(spec) => spec,
        Err(e) => {
            errors.at(
                input
                    .spec
                    .as_ref()
                    .map_or_else(Span::call_site, |s| s.span()),
                e,
            );
            return emit(&input, tracking, errors, None);
        }
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
    let facts = Facts::of(spec, input.partial);
    if spec.is_complete() {
        spec.store_slice(key, Vec::new(), Vec::new(), facts.to_value());
    }
    let bundle = load::embedded_bundle(&loaded.spec, spec);
    emit(
        &input,
        tracking,
        errors,
        Some((&facts, loaded.spec_id(), bundle)),
    )
}

/// The router of `input`'s handlers, with the checks of their bindings against the spec's
/// `facts` (its id and its bundle) when it loaded.
fn emit(
    input: &RoutesInput,
    tracking: TokenStream,
    errors: Errors,
    loaded: Option<(&Facts, u64, proc_macro2::Literal)>,
) -> TokenStream {
    let handlers = &input.handlers;
    // Where the spec loaded, each handler is mounted wrapped: `Operation::mount` checks its
    // responses against its operation in builds with `debug_assertions`.
    let validated_routes = quote! {
        #( router = <#handlers as __c::Operation>::mount(router, &contract, #handlers); )*
    };
    let routes = quote! {
        #( .route(
            <#handlers as ::contract_runtime::__private::Operation>::BINDING.path,
            ::contract_runtime::__private::on_method(
                <#handlers as ::contract_runtime::__private::Operation>::BINDING.method,
                #handlers,
            ),
        ) )*
    };
    let Some((facts, spec_id, bundle)) = loaded else {
        // `build`'s first argument takes the router type the caller expects, so the state type
        // is known before the handlers are (see `__private::build`).
        let errors = errors.into_tokens();
        return quote! {{
            #tracking
            #errors
            ::contract_runtime::__private::build(
                ::contract_runtime::__private::Router::new(),
                |router| router #routes,
            )
        }};
    };
    let n = facts.operations;
    let h = handlers.len();
    let display = &facts.display;
    let names: Vec<String> = handlers
        .iter()
        .map(|handler| quote!(#handler).to_string().replace(' ', ""))
        .collect();
    let names_joined = names.join("\n");
    // Room for the message, its note and every name (a longer one is cut cleanly).
    let cap = 2048 + display.len() + names_joined.len() + 4 * h;
    // One const checks every binding; the arm of the first bad handler carries its span, so the
    // error points at it (rustc reports a failing const at the call its panic comes from, through
    // `fail` and `binding_failed`, which track their caller). An arm is a call and nothing more:
    // rustc type-checks and builds 659 of them for DigitalOcean.
    let arms = handlers.iter().enumerate().map(|(i, handler)| {
        quote_spanned! {handler.span()=> #i => fail(#i), }
    });
    let coverage = if input.partial {
        TokenStream::new()
    } else {
        let messages = facts.coverage.concat();
        let ends: Vec<u8> = facts
            .coverage
            .iter()
            .scan(0usize, |end, message| {
                *end += message.len();
                Some(u32::try_from(*end).unwrap_or(u32::MAX))
            })
            .flat_map(u32::to_le_bytes)
            .collect();
        let ends = proc_macro2::Literal::byte_string(&ends);
        let header = format!(
            "`routes!` does not cover every operation of `{display}`: these have no handler:"
        );
        let footer = crate::diag::Diagnostic::new("")
            .help("write the missing handlers and list them here, or use `routes!(partial; …)` to mount a subset")
            .to_string();
        let cap = header.len() + footer.len() + messages.len();
        // The messages are built into MIR only in `uncovered`, and read only when it is called.
        quote_spanned! {Span::call_site()=>
            const _: () = if !SKIP_COVERAGE && !__c::all_covered(&COUNTS) {
                uncovered()
            };
            #[track_caller]
            const fn uncovered() {
                __c::report_uncovered::<#cap>(&COUNTS, #messages, #ends, #header, #footer);
            }
        }
    };
    let errors = errors.into_tokens();
    let lints = crate::lint::report(
        &facts.lints,
        input
            .spec
            .as_ref()
            .map_or_else(Span::call_site, |s| s.span()),
        input.lint,
    );
    // The user's crate decides: `cfg!` expands in its build, not in the macro's.
    // No handler, nothing to mount: no `mut` or contract left unused in the user's crate.
    let validate_requests = input.validate_requests;
    let mount = if handlers.is_empty() {
        quote!(|router| router)
    } else {
        quote! {
            |mut router| {
                use ::contract_runtime::__private as __c;
                const VALIDATE: bool = ::core::cfg!(debug_assertions);
                let contract = __c::RouteContract::<VALIDATE>::new(
                    ::contract_runtime::SpecBundle::__from_static(#bundle),
                )
                .validate_requests(#validate_requests);
                #validated_routes
                router
            }
        }
    };
    let router = quote! {
        ::contract_runtime::__private::build(::contract_runtime::__private::Router::new(), #mount)
    };
    quote! {{
        #tracking
        #errors
        #lints
        const _: () = {
            use ::contract_runtime::__private as __c;
            const BINDINGS: [__c::Binding; #h] = [#(<#handlers as __c::Operation>::BINDING),*];
            const PROBLEMS: [u8; #h] = __c::binding_problems::<#h, #n>(&BINDINGS, #spec_id);
            const FIRST_PROBLEM: usize = __c::first_problem(&PROBLEMS);
            const COUNTS: [u8; #n] = __c::count_bindings::<#n>(&BINDINGS);
            // Unbound handlers were reported by `#[contract]`, bad bindings just above.
            const SKIP_COVERAGE: bool = FIRST_PROBLEM != usize::MAX || __c::any_unbound(&BINDINGS);
            // Written once, for `fail`.
            const NAMES: &str = #names_joined;
            const SPEC: &str = #display;
            #[track_caller]
            const fn fail(handler: usize) {
                __c::binding_failed::<#cap>(handler, SPEC, &BINDINGS, &PROBLEMS, NAMES);
            }
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
    let (explicit, lint_level) = match syn::parse2::<SpecInput>(input) {
        Ok(SpecInput { path, lint }) => (path, lint),
        Err(e) => {
            return syn::Error::new(
                e.span(),
                format!("{e}: `spec!` takes the spec's path as a string, or nothing for the crate's spec, and may set the lint level: `spec!()`, `spec!(\"api/openapi.yaml\")`, `spec!(\"api/openapi.yaml\", lint = \"deny\")`"),
            )
            .to_compile_error();
        }
    };
    // A slice holding nothing spares a new rustc process the whole spec when the bundle is
    // on disk (or not needed).
    let mut tracking = TokenStream::new();
    if let Some(loaded) = load::load_slice(explicit.as_ref(), "spec") {
        tracking = loaded.tracking;
        let span = explicit.as_ref().map_or_else(Span::call_site, |l| l.span());
        if let Ok(spec) = loaded.spec.as_ref()
            && let Some(bundle) = load::stored_bundle(spec)
            && let Some(lints) = stored_lints(spec)
        {
            let lints = crate::lint::report(&lints, span, lint_level);
            return quote! {{
                #tracking
                #lints
                ::contract_runtime::SpecBundle::__from_static(#bundle)
            }};
        }
    }
    let loaded = match load::load(explicit.as_ref()) {
        Ok(l) => l,
        Err(e) => return e.to_compile_error(),
    };
    tracking.extend(loaded.tracking.clone());
    match loaded.spec.as_ref() {
        Ok(spec) => {
            let bundle = load::embedded_bundle(&loaded.spec, spec);
            let lints = crate::lint::messages(spec);
            spec.store_slice(
                "spec",
                Vec::new(),
                Vec::new(),
                serde_json::json!({ "lints": lints }),
            );
            let lints = crate::lint::report(
                &lints,
                explicit.as_ref().map_or_else(Span::call_site, |l| l.span()),
                lint_level,
            );
            quote! {{
                #tracking
                #lints
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

/// The lint messages a `spec!` slice keeps.
fn stored_lints(spec: &contract_spec::Spec) -> Option<Vec<String>> {
    spec.doc
        .facts()?
        .get("lints")?
        .as_array()?
        .iter()
        .map(|m| m.as_str().map(str::to_string))
        .collect()
}

/// `spec!`'s input: an optional path, then an optional `lint = "…"`.
struct SpecInput {
    path: Option<syn::LitStr>,
    lint: Option<contract_spec::LintLevel>,
}

impl Parse for SpecInput {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let path = if input.peek(syn::LitStr) {
            Some(input.parse()?)
        } else {
            None
        };
        if path.is_some() && !input.is_empty() {
            input.parse::<syn::Token![,]>()?;
        }
        let mut lint = None;
        if !input.is_empty() {
            let key: syn::Ident = input.parse()?;
            if key != "lint" {
                return Err(syn::Error::new(
                    key.span(),
                    format!("unknown option `{key}`"),
                ));
            }
            input.parse::<syn::Token![=]>()?;
            lint = Some(crate::lint::parse_level(&input.parse()?)?);
            if input.peek(syn::Token![,]) {
                input.parse::<syn::Token![,]>()?;
            }
        }
        if !input.is_empty() {
            return Err(input.error("unexpected input"));
        }
        Ok(SpecInput { path, lint })
    }
}
