//! `routes!(h1, h2, …)`: mounts each handler at its spec route, and proves at compile time (through
//! consts the handlers' markers carry) that every operation has exactly one handler.

use proc_macro2::{Span, TokenStream};
use quote::quote;

use crate::check::routes::Facts;
use crate::diag::Errors;
use crate::emit::routes::emit;
use crate::load;
use crate::parse::routes::{RoutesInput, SpecInput};

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
