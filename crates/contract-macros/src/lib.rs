//! Procedural macros of `contract`. Use them through `contract-runtime`, which re-exports them
//! and provides the items the generated code refers to.
//!
//! Each entry point only converts between `proc_macro` and `proc_macro2`; the pipeline (parse,
//! load, check, emit) lives in plain modules so that it can be unit-tested.

mod diag;
mod handler;
mod load;
mod routes;
mod signature;

use proc_macro::TokenStream;

/// Binds a handler to an operation of the OpenAPI document and checks it against it.
/// See `contract_runtime::contract`.
#[proc_macro_attribute]
pub fn contract(args: TokenStream, item: TokenStream) -> TokenStream {
    handler::expand(args.into(), item.into()).into()
}

/// Builds an `axum::Router` from contract handlers. See `contract_runtime::routes`.
#[proc_macro]
pub fn routes(input: TokenStream) -> TokenStream {
    routes::expand(input.into()).into()
}
