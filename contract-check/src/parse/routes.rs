//! Reading `routes!`'s and `spec!`'s input.

use proc_macro2::TokenStream;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;

pub(crate) struct RoutesInput {
    pub partial: bool,
    /// `validate_requests = false`: the opt-out of request validation.
    pub validate_requests: bool,
    pub spec: Option<syn::LitStr>,
    /// `lint = "deny"`: the spec's lint level for this router.
    pub lint: Option<contract_spec::LintLevel>,
    pub handlers: Vec<syn::Path>,
}

impl Parse for RoutesInput {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let mut partial = false;
        let mut validate_requests = true;
        let mut spec = None;
        let mut lint = None;
        // Options come before a `;`: `routes!(partial, spec = "v2.yaml"; a, b)`.
        let has_options = input
            .fork()
            .parse::<TokenStream>()?
            .into_iter()
            .any(|t| matches!(&t, proc_macro2::TokenTree::Punct(p) if p.as_char() == ';'));
        if has_options {
            loop {
                if input.peek(syn::Token![;]) {
                    input.parse::<syn::Token![;]>()?;
                    break;
                }
                let key: syn::Ident = input.parse()?;
                if key == "partial" {
                    partial = true;
                } else if key == "spec" {
                    input.parse::<syn::Token![=]>()?;
                    spec = Some(input.parse()?);
                } else if key == "lint" {
                    input.parse::<syn::Token![=]>()?;
                    lint = Some(crate::lint::parse_level(&input.parse()?)?);
                } else if key == "validate_requests" {
                    input.parse::<syn::Token![=]>()?;
                    validate_requests = input
                        .parse::<syn::LitBool>()
                        .map_err(|e| {
                            syn::Error::new(
                                e.span(),
                                "`validate_requests` takes `true` or `false` (`validate_requests = false` opts out of request validation)",
                            )
                        })?
                        .value;
                } else {
                    return Err(syn::Error::new(
                        key.span(),
                        format!(
                            "unknown option `{key}`: `routes!` takes `partial`, `spec = \"path\"`, `validate_requests = false` and `lint = \"deny\"` before a `;`"
                        ),
                    ));
                }
                if !input.peek(syn::Token![;]) {
                    input.parse::<syn::Token![,]>()?;
                }
            }
        }
        let handlers: Punctuated<syn::Path, syn::Token![,]> = Punctuated::parse_terminated(input)?;
        Ok(RoutesInput {
            partial,
            validate_requests,
            spec,
            lint,
            handlers: handlers.into_iter().collect(),
        })
    }
}

/// `spec!`'s input: an optional path, then an optional `lint = "…"`.
pub(crate) struct SpecInput {
    pub(crate) path: Option<syn::LitStr>,
    pub(crate) lint: Option<contract_spec::LintLevel>,
}

impl Parse for SpecInput {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let path = if input.peek(syn::LitStr) {
            Some(input.parse()?)
        } else {
            None
        };
        if path.is_some() && !input.is_empty() {
            input.parse::<syn::Token![,]>()?;
        }
        let mut lint = None;
        if !input.is_empty() {
            let key: syn::Ident = input.parse()?;
            if key != "lint" {
                return Err(syn::Error::new(
                    key.span(),
                    format!("unknown option `{key}`"),
                ));
            }
            input.parse::<syn::Token![=]>()?;
            lint = Some(crate::lint::parse_level(&input.parse()?)?);
            if input.peek(syn::Token![,]) {
                input.parse::<syn::Token![,]>()?;
            }
        }
        if !input.is_empty() {
            return Err(input.error("unexpected input"));
        }
        Ok(SpecInput { path, lint })
    }
}
