//! `#[contract("…")]` on a handler: parse the attribute and the fn, bind the operation, check the
//! extractors that need no type information, and emit the fn unchanged plus its route.

use contract_spec::Selector;
use proc_macro2::{Span, TokenStream};
use quote::quote;

use crate::check::path::check_path;
use crate::diag::Errors;
use crate::emit::handler::emit;
use crate::load;
use crate::parse::handler::{ContractArgs, HandlerFn};

pub fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    let func = match HandlerFn::parse(&item) {
        Some(f) => f,
        None => {
            let err = syn::Error::new(
                Span::call_site(),
                "#[contract] goes on a free `async fn` handler (not on a method, closure or other item)",
            );
            let err = err.to_compile_error();
            return quote! { #item #err };
        }
    };
    let mut errors = Errors::default();
    let args = match syn::parse2::<ContractArgs>(args) {
        Ok(a) => a,
        Err(e) => {
            errors.push(e);
            return emit(&func, &item, None, None, TokenStream::new(), errors, None);
        }
    };
    let key = format!("operation {}", args.selector.value().trim());
    // A slice (what this operation's checks read of the spec) spares a new rustc process the
    // whole spec; its answer stands only when the handler checks clean within it.
    let mut tracking = TokenStream::new();
    if let Some(loaded) = load::load_slice(args.spec.as_ref(), &key) {
        match bind(&args, &func, &item, loaded, load::Against::Slice) {
            Ok(out) => return out,
            // The files are tracked once per process: by the tokens of this first load.
            Err(slice_tracking) => tracking = slice_tracking,
        }
    }
    let loaded = match load::load(args.spec.as_ref()) {
        Ok(l) => l,
        Err(e) => {
            errors.push(e);
            return emit(&func, &item, None, None, tracking, errors, None);
        }
    };
    let mut out = tracking;
    match bind(&args, &func, &item, loaded, load::Against::Whole(key)) {
        Ok(tokens) | Err(tokens) => out.extend(tokens),
    }
    out
}

/// The handler (`func`, parsed from `written`) checked against `loaded`: its expansion, or
/// (against a slice whose answer does not stand) the file tracking of that load alone.
fn bind(
    args: &ContractArgs,
    func: &HandlerFn,
    written: &TokenStream,
    loaded: load::Loaded,
    against: load::Against,
) -> Result<TokenStream, TokenStream> {
    let mut errors = Errors::default();
    let spec = match loaded.spec.as_ref() {
        Ok(spec) => spec,
        Err(e) => {
            errors.at(args.selector.span(), e);
            return Ok(emit(
                func,
                written,
                None,
                None,
                loaded.tracking,
                errors,
                None,
            ));
        }
    };
    against.start(spec);
    let mut type_checks = TokenStream::new();
    let mut request_types = None;
    let op = match Selector::parse(&args.selector.value()) {
        Err(msg) => {
            errors.at(args.selector.span(), msg);
            None
        }
        Ok(selector) => match spec.find(&selector) {
            Ok(op) => Some(op),
            Err(e) => {
                errors.at(args.selector.span(), e);
                None
            }
        },
    };
    if let Some(op) = op {
        for problem in &op.problems {
            errors.at(args.selector.span(), problem);
        }
        if op.problems.is_empty() {
            let path_reported = check_path(spec, op, func, &mut errors);
            crate::check::typed_header::check(spec, op, func.sig.inputs.iter(), &mut errors);
            let derived = load::derived(&loaded.spec);
            (type_checks, request_types) = crate::check::handler::check(
                spec,
                &derived.expectations,
                op,
                func,
                !path_reported,
                &mut errors,
            );
        }
    }
    let clean = errors.is_empty() && op.is_some();
    if !against.stands(spec, clean) {
        // Checked again against the whole spec, which reports what this found.
        errors.discard();
        return Err(loaded.tracking);
    }
    against.finish(spec, clean, op.into_iter().cloned().collect());
    // Only a clean binding is routable; a failed one is marked so `routes!` adds no cascade.
    let bound = op
        .filter(|op| op.problems.is_empty())
        .map(|op| (op, loaded.spec_id()));
    let mut tracking = loaded.tracking;
    tracking.extend(type_checks);
    let request_types = request_types.filter(|_| bound.is_some());
    Ok(emit(
        func,
        written,
        bound,
        Some(spec),
        tracking,
        errors,
        request_types,
    ))
}

/// A handler checked against the slice a whole check left behind expands to the very tokens
/// the whole spec gave, on real specs (`../shared/specs`, next to the repository): single-file
/// YAML and JSON, and one split over many files.
#[cfg(test)]
mod slice_tests {
    use super::*;
    use crate::rust;
    use contract_spec::{Operation, Spec};
    use std::path::Path;
    use std::sync::Arc;

    /// `#[contract]` on a handler with every extractor the operation has and a JSON response.
    fn handler(spec: &Spec, op: &Operation) -> (ContractArgs, TokenStream) {
        let mut inputs = Vec::new();
        let path = rust::path_extractor(spec, op);
        if !path.is_empty() {
            inputs.push(path);
        }
        if op
            .parameters
            .iter()
            .any(|p| p.location == contract_spec::ParamIn::Query)
        {
            inputs.push("Query(query): Query<Filter>".into());
        }
        if let Some(body) = &op.request_body {
            let form = spec
                .doc
                .deref(body)
                .ok()
                .and_then(|(_, body)| body.pointer("/content/application~1x-www-form-urlencoded"))
                .is_some();
            inputs.push(if form {
                "Form(body): Form<Body>".into()
            } else {
                "Json(body): Json<Body>".into()
            });
        }
        let selector = op.selector();
        let written = format!(
            "async fn handler({}) -> Json<Reply> {{ todo!() }}",
            inputs.join(", ")
        )
        .parse()
        .unwrap();
        let args = syn::parse_str(&format!("{selector:?}")).unwrap();
        (args, written)
    }

    fn loaded(spec: Arc<Result<Spec, contract_spec::SpecError>>, key: &str) -> load::Loaded {
        load::Loaded {
            spec,
            key: key.to_string(),
            tracking: TokenStream::new(),
        }
    }

    fn check(root: &Path, base: &Path, cache: &Path, every: usize) {
        let whole = contract_spec::load_cached(root, base);
        let Ok(spec) = whole.as_ref() else {
            panic!("{}: does not load", root.display());
        };
        let root = std::fs::canonicalize(root).unwrap();
        let (mut compared, mut sliced) = (0, 0);
        for op in spec.operations.iter().step_by(every) {
            let (args, written) = handler(spec, op);
            let func = HandlerFn::parse(&written).unwrap();
            let key = format!("operation {}", op.selector());
            let expected = bind(
                &args,
                &func,
                &written,
                loaded(whole.clone(), "k"),
                load::Against::Whole(key.clone()),
            )
            .unwrap()
            .to_string();
            compared += 1;
            let Some(slice) = contract_spec::read_slice(cache, &root, base, &key) else {
                // Left only by a clean check.
                assert!(
                    expected.contains("compile_error"),
                    "{}: no slice",
                    op.label()
                );
                continue;
            };
            sliced += 1;
            assert!(slice.doc.is_sparse());
            let answer = bind(
                &args,
                &func,
                &written,
                loaded(Arc::new(Ok(slice)), "k"),
                load::Against::Slice,
            )
            .unwrap_or_else(|_| panic!("{}: the slice's answer does not stand", op.label()));
            assert_eq!(answer.to_string(), expected, "{}", op.label());
        }
        assert!(
            sliced * 2 > compared,
            "{}: {sliced} of {compared} sliced",
            root.display()
        );
    }

    #[test]
    fn a_slice_answers_as_the_whole_spec() {
        let Some(specs) = contract_spec::corpus_dir() else {
            return;
        };
        let cache = std::env::temp_dir().join(format!("contract-slices-{}", std::process::id()));
        contract_spec::disk::use_dir_for_tests(cache.clone());
        let real = specs.join("real");
        for (file, every) in [
            ("swagger-petstore3.yaml", 1),
            ("spotify-web-api.yml", 1),
            ("kubernetes-core-v1.json", 4),
            ("stripe-spec3.yaml", 15),
        ] {
            check(&real.join(file), &real, &cache, every);
        }
        let split = specs.join("real-multi/digitalocean");
        check(
            &split.join("DigitalOcean-public.v2.yaml"),
            &split,
            &cache,
            10,
        );
        let _ = std::fs::remove_dir_all(&cache);
    }
}
