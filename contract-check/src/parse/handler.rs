//! Reading a handler: `#[contract]`'s arguments and the fn's signature.

use proc_macro2::{Span, TokenStream};
use syn::parse::{Parse, ParseStream};

/// `"listPets"` or `"GET /pets"`, optionally followed by `, spec = "path"`.
pub(crate) struct ContractArgs {
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
pub(crate) struct HandlerFn {
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

/// `Path((a, b))` → the idents `a`, `b` (when every element is a plain binding).
pub(crate) fn tuple_binding_names(pat: &syn::Pat) -> Option<Vec<&syn::Ident>> {
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
