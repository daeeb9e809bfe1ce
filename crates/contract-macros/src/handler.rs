//! `#[contract("…")]` on a handler: parse the attribute and the fn, bind the operation, check
//! the extractors that need no type information, and emit the fn unchanged plus its route.

use contract_spec::{Operation, Selector, Spec};
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::parse::{Parse, ParseStream};
use syn::spanned::Spanned;

use crate::diag::Errors;
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

pub fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    let func: syn::ItemFn = match syn::parse2(item.clone()) {
        Ok(f) => f,
        Err(_) => {
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
            return emit(&func, None, None, TokenStream::new(), errors);
        }
    };
    let loaded = match load::load(args.spec.as_ref()) {
        Ok(l) => l,
        Err(e) => {
            errors.push(e);
            return emit(&func, None, None, TokenStream::new(), errors);
        }
    };
    let spec = match loaded.spec.as_ref() {
        Ok(spec) => spec,
        Err(e) => {
            errors.at(args.selector.span(), e);
            return emit(&func, None, None, loaded.tracking, errors);
        }
    };
    let mut type_checks = TokenStream::new();
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
            let path_reported = check_path(spec, op, &func, &mut errors);
            let derived = load::derived(&loaded.spec);
            type_checks = crate::handler_types::check(
                spec,
                &derived.expectations,
                op,
                &func,
                !path_reported,
                &mut errors,
            );
        }
    }
    // Only a clean binding is routable; a failed one is marked so `routes!` adds no cascade.
    let bound = op
        .filter(|op| op.problems.is_empty())
        .map(|op| (op, loaded.spec_id()));
    let mut tracking = loaded.tracking;
    tracking.extend(type_checks);
    emit(&func, bound, Some(spec), tracking, errors)
}

/// R2 without type information: the shape of `Path<…>` against the template. Returns whether
/// it reported anything (then the element types are not checked as well).
fn check_path(spec: &Spec, op: &Operation, func: &syn::ItemFn, errors: &mut Errors) -> bool {
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
                        format!(
                            "{} has {} path parameter{} ({names}), but this `Path` extracts {found}\nspec: {}\nhelp: write `{expected}`",
                            op.label(),
                            template.len(),
                            plural(template.len()),
                            location(),
                        ),
                    );
                } else if let Some(bound) = tuple_binding_names(&arg.pat) {
                    check_order(op, &bound, &expected, &location, errors);
                }
            }
            other => {
                if template.is_empty() {
                    errors.on(
                        other,
                        format!(
                            "{} has no path parameters, but the handler extracts `Path`\nspec: {}\nhelp: remove the `Path` extractor",
                            op.label(),
                            location(),
                        ),
                    );
                } else if template.len() > 1 && signature::is_scalar(other) {
                    errors.on(
                        other,
                        format!(
                            "{} has {} path parameters ({names}), but `Path<{}>` extracts one\nspec: {}\nhelp: write `{expected}`, or extract a struct with one field per parameter",
                            op.label(),
                            template.len(),
                            quote!(#other).to_string().replace(' ', ""),
                            location(),
                        ),
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
                format!(
                    "path parameter {} of {} is `{want}`, but this binding is `{ident}`: the tuple is in the wrong order\nspec: {}\nhelp: write `{expected}`",
                    i + 1,
                    op.label(),
                    location(),
                ),
            );
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The fn as written, its route metadata, the file tracking and the errors.
fn emit(
    func: &syn::ItemFn,
    bound: Option<(&Operation, u64)>,
    spec: Option<&Spec>,
    tracking: TokenStream,
    errors: Errors,
) -> TokenStream {
    let vis = &func.vis;
    let ident = &func.sig.ident;
    let marker = format_ident!("{}", ident, span = ident.span());
    // A failed binding still defines the marker, so `routes!` reports nothing more about it.
    let (spec_id, index, method, path, duplicate) = match (bound, spec) {
        (Some((op, spec_id)), Some(_)) => (
            spec_id,
            op.index,
            method_filter(op.method),
            op.path.clone(),
            format!(
                "operation {} is bound by more than one handler in this `routes!`: keep one",
                op.label()
            ),
        ),
        _ => (0, usize::MAX, quote!(GET), "/".to_string(), String::new()),
    };
    let errors = errors.into_tokens();
    let span = func.sig.fn_token.span();
    quote_spanned! {span=>
        #func
        #[doc(hidden)]
        #[allow(non_camel_case_types, dead_code)]
        #vis struct #marker {}
        impl ::contract_runtime::__private::Operation for #marker {
            const SPEC_ID: u64 = #spec_id;
            const INDEX: usize = #index;
            const METHOD: ::contract_runtime::__private::MethodFilter = ::contract_runtime::__private::MethodFilter::#method;
            const PATH: &'static str = #path;
            const DUPLICATE: &'static str = #duplicate;
        }
        #tracking
        #errors
    }
}

pub fn method_filter(method: contract_spec::Method) -> TokenStream {
    let ident = syn::Ident::new(method.upper(), Span::call_site());
    quote!(#ident)
}
