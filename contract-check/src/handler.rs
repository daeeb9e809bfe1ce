//! `#[contract("…")]` on a handler: parse the attribute and the fn, bind the operation, check
//! the extractors that need no type information, and emit the fn unchanged plus its route.

use contract_spec::{Operation, Selector, Spec};
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::parse::{Parse, ParseStream};
use syn::spanned::Spanned;

use crate::diag::{Diagnostic, Errors};
use crate::load;
use crate::signature;

/// `"listPets"` or `"GET /pets"`, optionally followed by `, spec = "path"`.
pub struct ContractArgs {
    pub selector: syn::LitStr,
    pub spec: Option<syn::LitStr>,
}

impl Parse for ContractArgs {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        if input.is_empty() {
            return Err(syn::Error::new(
                Span::call_site(),
                "#[contract] needs the operation: `#[contract(\"listPets\")]` (operationId) or `#[contract(\"GET /pets\")]`",
            ));
        }
        let selector: syn::LitStr = input.parse().map_err(|e| {
            syn::Error::new(e.span(), "expected the operation as a string literal: `#[contract(\"listPets\")]` or `#[contract(\"GET /pets\")]`")
        })?;
        let mut spec = None;
        while !input.is_empty() {
            input.parse::<syn::Token![,]>()?;
            if input.is_empty() {
                break;
            }
            let key: syn::Ident = input.parse()?;
            if key != "spec" {
                return Err(syn::Error::new(
                    key.span(),
                    format!(
                        "unknown argument `{key}`: the only option is `spec = \"path/to/openapi.yaml\"`"
                    ),
                ));
            }
            input.parse::<syn::Token![=]>()?;
            if spec.is_some() {
                return Err(syn::Error::new(key.span(), "`spec` given twice"));
            }
            spec = Some(input.parse()?);
        }
        Ok(ContractArgs { selector, spec })
    }
}

/// A handler as `#[contract]` reads it: its signature. The body is handed back as written and
/// never parsed: it is most of a handler's tokens, each fetched across the proc-macro bridge.
pub struct HandlerFn {
    pub vis: syn::Visibility,
    pub sig: syn::Signature,
}

impl HandlerFn {
    /// `item` read up to its body; `None` when it is not a fn with a body.
    pub fn parse(item: &TokenStream) -> Option<HandlerFn> {
        let mut head: Vec<proc_macro2::TokenTree> = item.clone().into_iter().collect();
        match head.pop() {
            Some(proc_macro2::TokenTree::Group(body))
                if body.delimiter() == proc_macro2::Delimiter::Brace => {}
            _ => return None,
        }
        let head: TokenStream = head.into_iter().collect();
        let parser = |input: ParseStream<'_>| {
            input.call(syn::Attribute::parse_outer)?;
            Ok(HandlerFn {
                vis: input.parse()?,
                sig: input.parse()?,
            })
        };
        syn::parse::Parser::parse2(parser, head).ok()
    }
}

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
            crate::typed_header::check(spec, op, func.sig.inputs.iter(), &mut errors);
            let derived = load::derived(&loaded.spec);
            (type_checks, request_types) = crate::handler_types::check(
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

/// R2 without type information: the shape of `Path<…>` against the template. Returns whether
/// it reported anything (then the element types are not checked as well).
fn check_path(spec: &Spec, op: &Operation, func: &HandlerFn, errors: &mut Errors) -> bool {
    let before = errors.len();
    let template = &op.template_params;
    for input in &func.sig.inputs {
        let syn::FnArg::Typed(arg) = input else {
            continue;
        };
        let Some(inner) = signature::extractor_arg(&arg.ty, "Path") else {
            continue;
        };
        let names = template
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let expected = signature::path_extractor(spec, op);
        // Located only for a message: finding a line in a large spec indexes the whole file.
        let location = || spec.doc.place(&op.loc).to_string();
        match inner {
            syn::Type::Tuple(tuple) => {
                let found = tuple.elems.len();
                if found != template.len() {
                    errors.on(
                        tuple,
                        Diagnostic::new(format!(
                            "{} has {} path parameter{} ({names}), but this `Path` extracts {found}",
                            op.label(),
                            template.len(),
                            plural(template.len()),
                        ))
                        .spec(location())
                        .help(format!("write `{expected}`")),
                    );
                } else if let Some(bound) = tuple_binding_names(&arg.pat) {
                    check_order(op, &bound, &expected, &location, errors);
                }
            }
            other => {
                if template.is_empty() {
                    errors.on(
                        other,
                        Diagnostic::new(format!(
                            "{} has no path parameters, but the handler extracts `Path`",
                            op.label(),
                        ))
                        .spec(location())
                        .help("remove the `Path` extractor"),
                    );
                } else if template.len() > 1 && signature::is_scalar(other) {
                    errors.on(
                        other,
                        Diagnostic::new(format!(
                            "{} has {} path parameters ({names}), but `Path<{}>` extracts one",
                            op.label(),
                            template.len(),
                            quote!(#other).to_string().replace(' ', ""),
                        ))
                        .spec(location())
                        .help(format!(
                            "write `{expected}`, or extract a struct with one field per parameter"
                        )),
                    );
                }
            }
        }
    }
    errors.len() > before
}

/// `Path((a, b))` → the idents `a`, `b` (when every element is a plain binding).
fn tuple_binding_names(pat: &syn::Pat) -> Option<Vec<&syn::Ident>> {
    let syn::Pat::TupleStruct(ts) = pat else {
        return None;
    };
    let [syn::Pat::Tuple(tuple)] = ts.elems.iter().collect::<Vec<_>>().as_slice() else {
        return None;
    };
    tuple
        .elems
        .iter()
        .map(|p| match p {
            syn::Pat::Ident(i) => Some(&i.ident),
            _ => None,
        })
        .collect()
}

/// Bindings that name the template's parameters in another order are a swapped tuple.
fn check_order(
    op: &Operation,
    bound: &[&syn::Ident],
    expected: &str,
    location: &dyn Fn() -> String,
    errors: &mut Errors,
) {
    let normalized = |s: &str| {
        s.chars()
            .filter(|c| *c != '_' && *c != '-')
            .collect::<String>()
            .to_ascii_lowercase()
    };
    let template: Vec<String> = op.template_params.iter().map(|n| normalized(n)).collect();
    let names: Vec<String> = bound.iter().map(|i| normalized(&i.to_string())).collect();
    let mut sorted_t = template.clone();
    let mut sorted_n = names.clone();
    sorted_t.sort();
    sorted_n.sort();
    if sorted_t != sorted_n || template == names {
        return;
    }
    for (i, (ident, want)) in bound.iter().zip(&op.template_params).enumerate() {
        if names[i] != template[i] {
            errors.on(
                ident,
                Diagnostic::new(format!(
                    "path parameter {} of {} is `{want}`, but this binding is `{ident}`: the tuple is in the wrong order",
                    i + 1,
                    op.label(),
                ))
                .spec(location())
                .help(format!("write `{expected}`")),
            );
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The fn as written, its route metadata, the file tracking and the errors.
/// The handler as written (`written`: its own tokens, handed back whole rather than rebuilt
/// from `func` a token at a time across the proc-macro bridge), its marker type and checks.
fn emit(
    func: &HandlerFn,
    written: &TokenStream,
    bound: Option<(&Operation, u64)>,
    spec: Option<&Spec>,
    tracking: TokenStream,
    errors: Errors,
    request_types: Option<TokenStream>,
) -> TokenStream {
    let vis = &func.vis;
    let ident = &func.sig.ident;
    let marker = format_ident!("{}", ident, span = ident.span());
    // A failed binding still defines the marker, so `routes!` reports nothing more about it.
    let (spec_id, index, method, path, label) = match (bound, spec) {
        (Some((op, spec_id)), Some(_)) => (
            spec_id,
            op.index,
            method_filter(op.method),
            op.path.clone(),
            op.label(),
        ),
        _ => (
            0,
            usize::MAX,
            method_filter(contract_spec::Method::Get),
            "/".to_string(),
            String::new(),
        ),
    };
    let errors = errors.into_tokens();
    let span = func.sig.fn_token.span();
    quote_spanned! {span=>
        #written
        #[doc(hidden)]
        #[allow(non_camel_case_types, dead_code)]
        #vis struct #marker {}
        impl ::contract_runtime::__private::Operation for #marker {
            const BINDING: ::contract_runtime::__private::Binding = ::contract_runtime::__private::Binding {
                spec: #spec_id,
                index: #index,
                method: #method,
                path: #path,
                label: #label,
            };
            #request_types
        }
        #tracking
        #errors
    }
}

/// The `RouteMethod` a handler of `method` is routed with.
pub fn method_filter(method: contract_spec::Method) -> TokenStream {
    if method.is_standard() {
        let ident = syn::Ident::new(method.upper(), Span::call_site());
        quote!(::contract_runtime::__private::RouteMethod::Filter(
            ::contract_runtime::__private::MethodFilter::#ident
        ))
    } else {
        let name = method.upper();
        quote!(::contract_runtime::__private::RouteMethod::Named(#name))
    }
}

/// A handler checked against the slice a whole check left behind expands to the very tokens
/// the whole spec gave, on real specs (`../shared/specs`, next to the repository): single-file
/// YAML and JSON, and one split over many files.
#[cfg(test)]
mod slice_tests {
    use super::*;
    use std::path::Path;
    use std::sync::Arc;

    /// `#[contract]` on a handler with every extractor the operation has and a JSON response.
    fn handler(spec: &Spec, op: &Operation) -> (ContractArgs, TokenStream) {
        let mut inputs = Vec::new();
        let path = signature::path_extractor(spec, op);
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

#[cfg(test)]
mod tests {
    use super::HandlerFn;

    fn parse(item: &str) -> Option<HandlerFn> {
        HandlerFn::parse(&item.parse().unwrap())
    }

    #[test]
    fn a_handler_is_read_up_to_its_body() {
        let f = parse(
            "#[doc = \"x\"] pub(crate) async fn list<S>(Query(q): Query<Filter>) -> Json<S> where S: Clone { body }",
        )
        .unwrap();
        assert_eq!(f.sig.ident, "list");
        assert_eq!(f.sig.inputs.len(), 1);
        assert!(f.sig.generics.where_clause.is_some());
        assert!(matches!(f.vis, syn::Visibility::Restricted(_)));
        // The body is not parsed: what rustc makes of it is rustc's to say.
        assert!(parse("async fn broken() { let = ; }").is_some());
    }

    #[test]
    fn anything_but_a_fn_with_a_body_is_refused() {
        for item in [
            "struct Pet { id: i64 }",
            "fn no_body();",
            "async fn f() -> Json<Pet>",
            "{ a block }",
            "",
        ] {
            assert!(parse(item).is_none(), "{item}");
        }
    }
}
