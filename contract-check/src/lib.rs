//! The compile-time checks of `contract`, on `proc_macro2` so that they run, and are tested,
//! outside a compiler. `contract-macros` is a shim over the entry points here; use the macros
//! through `contract-runtime`.
//!
//! Each entry point takes the macro's input and returns its output: the item unchanged with
//! what the checks emit, or the item with `compile_error!`s spanned on the offending tokens.

mod derive_responses;
mod derive_schema;
mod diag;
mod expect;
mod handler;
mod handler_types;
mod lint;
mod load;
#[cfg(test)]
mod mutants;
mod routes;
mod serde_attr;
mod signature;
mod typed_header;

use proc_macro2::TokenStream;

/// `#[contract("…")]` on a handler: `args` is the attribute's input, `item` the fn.
pub fn contract(args: TokenStream, item: TokenStream) -> TokenStream {
    handler::expand(args, item)
}

/// `routes!(…)`: a router of contract handlers.
pub fn routes(input: TokenStream) -> TokenStream {
    routes::expand(input)
}

/// `#[derive(Schema)]`.
pub fn derive_schema(input: TokenStream) -> TokenStream {
    derive_schema::expand(input)
}

/// `#[derive(Responses)]`.
pub fn derive_responses(input: TokenStream) -> TokenStream {
    derive_responses::expand(input)
}

/// `spec!(…)`: the spec, embedded for `ContractLayer`.
pub fn spec(input: TokenStream) -> TokenStream {
    routes::expand_spec(input)
}
