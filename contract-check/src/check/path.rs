//! R2 without type information: `Path<…>`'s arity and order against the path template.

use contract_spec::{Operation, Spec};
use quote::quote;

use crate::diag::{Diagnostic, Errors};
use crate::parse::handler::{HandlerFn, tuple_binding_names};
use crate::rust;

/// R2 without type information: the shape of `Path<…>` against the template. Returns whether
/// it reported anything (then the element types are not checked as well).
pub(crate) fn check_path(
    spec: &Spec,
    op: &Operation,
    func: &HandlerFn,
    errors: &mut Errors,
) -> bool {
    let before = errors.len();
    let template = &op.template_params;
    for input in &func.sig.inputs {
        let syn::FnArg::Typed(arg) = input else {
            continue;
        };
        let Some(inner) = crate::parse::types::extractor_arg(&arg.ty, "Path") else {
            continue;
        };
        let names = template
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let expected = rust::path_extractor(spec, op);
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
                } else if template.len() > 1 && crate::parse::types::is_scalar(other) {
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

/// Bindings that name the template's parameters in another order are a swapped tuple.
pub(crate) fn check_order(
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

pub(crate) fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
