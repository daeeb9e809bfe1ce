//! Procedural macros of `contract`. Use them through `contract-runtime`, which re-exports them
//! and provides the items the generated code refers to.
//!
//! Each entry point only converts between `proc_macro` and `proc_macro2`: the checks live in
//! `contract-check`, a plain library, so that they can be unit-tested.

use proc_macro::TokenStream;

/// Binds a handler to an operation of the OpenAPI document and checks it against it.
/// See `contract_runtime::contract`.
#[proc_macro_attribute]
pub fn contract(args: TokenStream, item: TokenStream) -> TokenStream {
    contract_check::contract(args.into(), item.into()).into()
}

/// Builds an `axum::Router` from contract handlers. See `contract_runtime::routes`.
#[proc_macro]
pub fn routes(input: TokenStream) -> TokenStream {
    contract_check::routes(input.into()).into()
}

/// Describes a type's wire shape and, when it is bound to a spec component, checks it.
/// See `contract_runtime::Schema`.
// `serde` is shared with serde's derives, so `#[serde(...)]` also works on a type that derives
// only `Schema`.
#[proc_macro_derive(Schema, attributes(schema, serde))]
pub fn derive_schema(input: TokenStream) -> TokenStream {
    contract_check::derive_schema(input.into()).into()
}

/// Per-status responses of an operation. See `contract_runtime::Responses`.
#[proc_macro_derive(Responses, attributes(response))]
pub fn derive_responses(input: TokenStream) -> TokenStream {
    contract_check::derive_responses(input.into()).into()
}

/// The spec, embedded for `ContractLayer`. See `contract_runtime::spec`.
#[proc_macro]
pub fn spec(input: TokenStream) -> TokenStream {
    contract_check::spec(input.into()).into()
}
