//! The compile-time checks of `contract`, on `proc_macro2` so that they run, and are tested,
//! outside a compiler. `contract-macros` is a shim over the entry points here; use the macros
//! through `contract-runtime`.
//!
//! Each entry point takes the macro's input and returns its output: the item unchanged with what
//! the checks emit, or the item with `compile_error!`s spanned on the offending tokens.
//!
//! The modules follow the pipeline: `parse` reads the Rust item, `load` the spec, `check`
//! compares one with the other (with `expect` encoding the spec side of the checks rustc
//! finishes), `emit` writes the expansion, and `expand` runs the stages for each macro. The
//! public [`rust`] module writes the spec's types as Rust, for messages and for generated code.
//!
//! ```
//! // What `#[derive(Schema)]` expands to for a type no spec component names: its wire shape.
//! let out = contract_check::derive_schema("struct Point { x: i32, y: i32 }".parse().unwrap());
//! assert!(out.to_string().contains("Schema for Point"));
//!
//! // A malformed attribute is a `compile_error!` on its tokens, never a panic.
//! let out = contract_check::contract("42".parse().unwrap(), "async fn f() {}".parse().unwrap());
//! assert!(out.to_string().contains("compile_error"));
//! ```

#![deny(missing_docs)]

mod check;
mod diag;
mod emit;
mod expand;
mod expect;
mod lint;
mod load;
#[cfg(test)]
mod mutants;
mod parse;
pub mod rust;

use proc_macro2::TokenStream;

/// `#[contract("…")]` on a handler: `args` is the attribute's input, `item` the fn.
pub fn contract(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::contract::expand(args, item)
}

/// `routes!(…)`: a router of contract handlers.
pub fn routes(input: TokenStream) -> TokenStream {
    expand::routes::expand(input)
}

/// `#[derive(Schema)]`.
pub fn derive_schema(input: TokenStream) -> TokenStream {
    expand::schema::expand(input)
}

/// `#[derive(Responses)]`.
pub fn derive_responses(input: TokenStream) -> TokenStream {
    expand::responses::expand(input)
}

/// `spec!(…)`: the spec, embedded for `ContractLayer`.
pub fn spec(input: TokenStream) -> TokenStream {
    expand::routes::expand_spec(input)
}
