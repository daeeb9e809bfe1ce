//! A handler's expansion: the fn as written, its marker type with the operation it binds, and what
//! the checks emit.

use contract_spec::{Operation, Spec};
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use crate::diag::Errors;
use crate::parse::handler::HandlerFn;

/// The handler as written (`written`: its own tokens, handed back whole rather than rebuilt
/// from `func` a token at a time across the proc-macro bridge), its marker type and checks.
pub(crate) fn emit(
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
pub(crate) fn method_filter(method: contract_spec::Method) -> TokenStream {
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
