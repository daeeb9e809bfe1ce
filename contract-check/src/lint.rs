//! The spec's lint problems (`contract_spec::lint`), reported by `routes!` and `spec!` (once per
//! router, never per handler) as the crate's Cargo.toml says: compiler warnings by default
//! (`[package.metadata.contract] lint = "warn"`), errors with `"deny"`, nothing with `"allow"`. A
//! warning is a use of a deprecated const whose note is the problem: the one way a proc macro can
//! warn on stable Rust.

use contract_spec::{LintLevel, Spec};
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote_spanned};

/// The spec's lint problems, rendered (message, place, help).
pub fn messages(spec: &Spec) -> Vec<String> {
    contract_spec::lint::lint(spec)
        .iter()
        .map(ToString::to_string)
        .collect()
}

/// A macro's `lint = "…"` option, which overrides the crate's level for its spec.
pub fn parse_level(lit: &syn::LitStr) -> syn::Result<LintLevel> {
    match lit.value().as_str() {
        "warn" => Ok(LintLevel::Warn),
        "deny" => Ok(LintLevel::Deny),
        "allow" => Ok(LintLevel::Allow),
        _ => Err(syn::Error::new(
            lit.span(),
            "`lint` takes \"warn\", \"deny\" or \"allow\"",
        )),
    }
}

/// `messages` as `level` (else the crate's lint level) says, at `span`.
pub fn report(messages: &[String], span: Span, level: Option<LintLevel>) -> TokenStream {
    if messages.is_empty() {
        return TokenStream::new();
    }
    let level = match level {
        Some(level) => Ok(level),
        None => contract_spec::manifest_dir()
            .map_err(|e| e.to_string())
            .and_then(|dir| contract_spec::lint_level(&dir)),
    };
    match level {
        Err(message) => syn::Error::new(span, message).to_compile_error(),
        Ok(LintLevel::Allow) => TokenStream::new(),
        Ok(LintLevel::Deny) => messages
            .iter()
            .map(|m| {
                syn::Error::new(
                    span,
                    format!("{m}\nnote: the spec's lint is denied (`lint = \"deny\"`)"),
                )
                .to_compile_error()
            })
            .collect(),
        Ok(LintLevel::Warn) => {
            let warnings = messages.iter().enumerate().map(|(i, m)| {
                let name = format_ident!("spec_lint_{}", i, span = span);
                let note = format!("\n{m}\nnote: `[package.metadata.contract] lint = \"allow\"` silences the spec's lint, `\"deny\"` makes it an error");
                quote_spanned! {span=>
                    #[deprecated(note = #note)]
                    #[allow(non_upper_case_globals)]
                    const #name: () = ();
                    #name;
                }
            });
            quote_spanned! {span=>
                const _: () = { #(#warnings)* };
            }
        }
    }
}
