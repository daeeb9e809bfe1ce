//! Error collection: every check of an item adds to one list, so a user sees all of an item's
//! problems in one build (the technique of serde_derive's `Ctxt`).

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;

#[derive(Default)]
pub struct Errors {
    errors: Vec<syn::Error>,
}

impl Errors {
    pub fn push(&mut self, error: syn::Error) {
        self.errors.push(error);
    }

    pub fn at(&mut self, span: Span, message: impl std::fmt::Display) {
        self.errors.push(syn::Error::new(span, message));
    }

    /// Errors spanned on `tokens` (first to last token, as far as stable Rust allows).
    pub fn on(&mut self, tokens: impl ToTokens, message: impl std::fmt::Display) {
        self.errors.push(syn::Error::new_spanned(tokens, message));
    }

    pub fn len(&self) -> usize {
        self.errors.len()
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    pub fn into_tokens(self) -> TokenStream {
        self.errors
            .into_iter()
            .map(|e| e.to_compile_error())
            .collect()
    }
}

/// `const _: () = ::contract_runtime::__private::CHECK::<T>(ARGS);`, the call spanned over all of
/// `over`: on stable there is no `Span::join`, so the path takes the first token's span and the
/// parenthesised arguments the last one's, and rustc underlines from one to the other. The
/// checks are `#[track_caller]`, so a failure is reported on that call.
pub fn const_check(
    over: &impl ToTokens,
    check: &str,
    generic: Option<&dyn ToTokens>,
    args: TokenStream,
) -> TokenStream {
    let tokens: Vec<proc_macro2::TokenTree> = over.to_token_stream().into_iter().collect();
    let first = tokens.first().map_or_else(Span::call_site, |t| t.span());
    let last = tokens.last().map_or(first, |t| t.span());
    let check = proc_macro2::Ident::new(check, first);
    let generic = generic.map(|g| quote::quote_spanned!(first=> ::<#g>));
    let mut group = proc_macro2::Group::new(proc_macro2::Delimiter::Parenthesis, args);
    group.set_span(last);
    quote::quote_spanned! {first=>
        const _: () = ::contract_runtime::__private::#check #generic #group;
    }
}
