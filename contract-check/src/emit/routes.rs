//! `routes!`'s expansion: each handler mounted at its route, and the consts that prove every
//! operation has exactly one handler.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use crate::check::routes::Facts;
use crate::diag::Errors;
use crate::parse::routes::RoutesInput;

/// The router of `input`'s handlers, with the checks of their bindings against the spec's
/// `facts` (its id and its bundle) when it loaded.
pub(crate) fn emit(
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
