//! Error collection: every check of an item adds to one list, so a user sees all of an item's
//! problems in one build (the technique of serde_derive's `Ctxt`).

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;

#[derive(Default)]
pub struct Errors {
    errors: Vec<syn::Error>,
}

/// A message in the house form: what is wrong, then where the spec says otherwise, then the
/// fix, each on its own line (`spec: file:line:col (#/pointer)`, `help: …`).
pub struct Diagnostic {
    message: String,
    spec: Option<String>,
    help: Option<String>,
}

impl Diagnostic {
    pub fn new(message: impl Into<String>) -> Self {
        Diagnostic {
            message: message.into(),
            spec: None,
            help: None,
        }
    }

    /// Where in the spec (a `Place`, or its text).
    pub fn spec(mut self, place: impl std::fmt::Display) -> Self {
        self.spec = Some(place.to_string());
        self
    }

    /// The fix.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The lines after the message alone: the footer a const check appends to its own header.
    pub fn footer(spec: impl std::fmt::Display, help: Option<&str>) -> String {
        let mut out = format!("\nspec: {spec}");
        if let Some(help) = help {
            out.push_str("\nhelp: ");
            out.push_str(help);
        }
        out
    }
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)?;
        if let Some(spec) = &self.spec {
            write!(f, "\nspec: {spec}")?;
        }
        if let Some(help) = &self.help {
            write!(f, "\nhelp: {help}")?;
        }
        Ok(())
    }
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

    /// Drops the errors on purpose: a check repeated for another reason (the slice's answer
    /// that does not stand and is checked again against the whole spec, a second pass over
    /// attributes already reported).
    pub fn discard(mut self) {
        self.errors.clear();
    }

    pub fn into_tokens(mut self) -> TokenStream {
        std::mem::take(&mut self.errors)
            .into_iter()
            .map(|e| e.to_compile_error())
            .collect()
    }
}

/// Errors collected and then dropped rather than emitted would vanish from the user's build:
/// that is a bug in the macro, said as loudly as a proc macro can (serde_derive's `Ctxt` does
/// the same).
impl Drop for Errors {
    fn drop(&mut self) {
        if !self.errors.is_empty() && !std::thread::panicking() {
            panic!(
                "contract: {} error(s) collected and not emitted (a bug in the macro)",
                self.errors.len()
            );
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_diagnostic_reads_message_spec_help() {
        let d = Diagnostic::new("`Pet` has a field `nmae`")
            .spec("openapi.yaml:12:7 (#/components/schemas/Pet)")
            .help("did you mean `name`?");
        assert_eq!(
            d.to_string(),
            "`Pet` has a field `nmae`\nspec: openapi.yaml:12:7 (#/components/schemas/Pet)\nhelp: did you mean `name`?"
        );
        assert_eq!(Diagnostic::new("plain").to_string(), "plain");
        assert_eq!(Diagnostic::footer("a.yaml:1:1", None), "\nspec: a.yaml:1:1");
        assert_eq!(
            Diagnostic::footer("a.yaml:1:1", Some("fix it")),
            "\nspec: a.yaml:1:1\nhelp: fix it"
        );
    }

    #[test]
    #[should_panic(expected = "collected and not emitted")]
    fn errors_dropped_unemitted_are_a_bug() {
        let mut errors = Errors::default();
        errors.at(Span::call_site(), "lost");
    }

    #[test]
    fn errors_emitted_or_discarded_are_not() {
        let mut errors = Errors::default();
        errors.at(Span::call_site(), "kept");
        assert!(!errors.into_tokens().is_empty());
        let mut errors = Errors::default();
        errors.at(Span::call_site(), "repeated elsewhere");
        errors.discard();
    }
}
