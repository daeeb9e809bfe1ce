//! # contract
//!
//! Makes an OpenAPI document the compile-time contract of an axum service. Annotate
//! hand-written handlers with the operation they implement; `cargo check` rejects any that
//! drift from the spec, and `routes!` mounts them all at their spec routes.
//!
//! ```
//! use axum::{extract::Path, Json};
//! use contract_runtime::{Responses, Schema, contract, routes};
//! use serde::Serialize;
//!
//! #[derive(Serialize, Schema)] // checked against `components.schemas.Pet`
//! struct Pet { id: i64, name: String, tag: Option<String> }
//!
//! #[derive(Serialize, Schema)]
//! struct Problem { title: String, status: u16 }
//!
//! #[derive(Responses)]
//! enum ShowPet {
//!     #[response(status = 200)] Found(Json<Pet>),
//!     #[response(status = 404)] Missing(Json<Problem>),
//! }
//!
//! #[contract("showPetById")]
//! async fn show_pet(Path(pet_id): Path<i64>) -> ShowPet {
//!     ShowPet::Found(Json(Pet { id: pet_id, name: "rex".into(), tag: None }))
//! }
//!
//! // `routes!(a, b, …)` with a handler for every operation; `partial` mounts a subset.
//! let app: axum::Router = routes!(partial; show_pet);
//! ```
//!
//! ## Where the spec is
//! `openapi.yaml`, `openapi.yml` or `openapi.json` in the crate root; else
//! `[package.metadata.contract] spec = "api/openapi.yaml"` in Cargo.toml; any macro can
//! override it with `spec = "path"` (relative to the crate root).
//!
//! ## Compile time
//! The spec is parsed once per compiler process. Proc macros are built with your dev profile;
//! for large specs (megabytes of YAML) build them optimised, as README recommends, in the
//! workspace's Cargo.toml:
//! ```toml
//! [profile.dev.build-override]
//! opt-level = 3
//! ```
//! Editing the spec, or a file it `$ref`s, re-runs the macros on the next build: they
//! `include_bytes!` each file, which costs rustc about 18 instructions a byte on every build.
//! A build script that has cargo watch the spec takes that over for the files under the paths
//! it names (cargo re-runs the script, and then rebuilds the crate, when one changes). In
//! `build.rs`'s `main`:
//! ```
//! println!("cargo:rerun-if-changed=api"); // the spec's folder, or its one file
//! ```

#![deny(missing_docs)]

#[doc(hidden)]
#[path = "private/mod.rs"]
pub mod __private;
// Reached only through `__private`, by the code the macros generate: not public API.
#[allow(missing_docs)]
mod binding;
mod responses;
mod schema;
pub mod testing;
mod validate;

pub use responses::{Body, ResponseVariant, Responses};
pub use schema::{Field, MapKey, Schema, Shape};
#[doc(hidden)]
pub use validate::ResponseOutput;
pub use validate::{
    Contract, ContractLayer, ContractService, OnViolation, Payload, PayloadError, ResponseFuture,
    SpecBundle, Violation, validations_performed,
};

/// Binds a handler to an operation of the spec and checks it at compile time.
///
/// The operation is named by its `operationId` or by method and path template:
///
/// ```
/// # use axum::{extract::{Path, Query}, Json};
/// # use contract_runtime::{Schema, contract};
/// # use serde::{Deserialize, Serialize};
/// # #[derive(Serialize, Schema)]
/// # struct Pet { id: i64, name: String, tag: Option<String> }
/// #[derive(Deserialize, Schema)]
/// struct ListParams { limit: Option<i32> }
///
/// #[contract("listPets")]
/// async fn list_pets(Query(params): Query<ListParams>) -> Json<Vec<Pet>> {
///     Json(Vec::with_capacity(params.limit.unwrap_or(10) as usize))
/// }
///
/// #[contract("GET /pets/{petId}")] // or by method and path template
/// async fn show_pet(Path(pet_id): Path<i64>) -> Json<Pet> {
///     Json(Pet { id: pet_id, name: "rex".into(), tag: None })
/// }
/// ```
///
/// The fn is kept exactly as written. An unknown operation is an error on the string, with
/// the nearest operations suggested; a `Path<…>` that does not fit the path template is an
/// error on its type.
pub use contract_macros::contract;

/// Builds an [`axum::Router`] with every handler mounted at its spec method and path.
///
/// ```
/// # use axum::{extract::Path, Json};
/// # use contract_runtime::{Schema, contract, routes};
/// # use serde::Serialize;
/// # #[derive(Serialize, Schema)]
/// # struct Pet { id: i64, name: String, tag: Option<String> }
/// #[contract("showPetById")]
/// async fn show_pet(Path(pet_id): Path<i64>) -> Json<Pet> {
///     Json(Pet { id: pet_id, name: "rex".into(), tag: None })
/// }
///
/// // `routes!(list_pets, show_pet, create_pet)` mounts every operation; `partial`, a subset;
/// // `spec = "api/v2.yaml"` another spec; `validate_requests = false` opts out.
/// let some: axum::Router = routes!(partial; show_pet);
/// ```
///
/// Fails to compile when an operation of the spec has no handler (each missing one is listed
/// with the signature it expects) unless `partial` is given, and when two handlers are bound
/// to one operation. Each request is validated against its operation and the handler's Rust
/// types before the handler runs, in every build (`routes!(validate_requests = false; …)` opts
/// out); in builds with `debug_assertions` (of the crate using it) each handler's responses
/// are validated too, as [`ContractLayer`] does.
pub use contract_macros::routes;

/// Derives [`trait@Schema`]: the type's wire shape, honouring serde's attributes. A type named
/// like a component of the spec (or given `#[schema(name = "…")]`) is checked against that
/// component where it is declared; others are inline shapes, checked where handlers use them.
///
/// ```
/// use contract_runtime::Schema;
/// use serde::{Deserialize, Serialize};
///
/// #[derive(Serialize, Deserialize, Schema)]
/// struct Pet { id: i64, name: String, tag: Option<String> }
///
/// #[derive(Deserialize, Schema)]
/// #[schema(name = "NewPet")] // another name than the type's
/// struct CreatePet { name: String, tag: Option<String> }
/// ```
pub use contract_macros::Schema;

/// Derives [`trait@Responses`] and `axum::response::IntoResponse` for an enum with one variant
/// per status: a unit variant for a response without a body, one payload otherwise.
///
/// ```
/// # use axum::Json;
/// # use contract_runtime::{Responses, Schema};
/// # use serde::Serialize;
/// # #[derive(Serialize, Schema)]
/// # struct Pet { id: i64, name: String, tag: Option<String> }
/// # #[derive(Serialize, Schema)]
/// # struct Problem { title: String, status: u16 }
/// #[derive(Responses)]
/// enum ShowPet {
///     #[response(status = 200)] Found(Json<Pet>),
///     #[response(status = 404)] Missing(Json<Problem>),
/// }
/// ```
pub use contract_macros::Responses;

/// The crate's spec (or `spec!("path")`), embedded in a compact, pre-processed form for
/// [`ContractLayer`]: no file is read at run time.
///
/// ```
/// use contract_runtime::ContractLayer;
///
/// let layer = ContractLayer::new(contract_runtime::spec!());
/// let app: axum::Router = axum::Router::new().layer(layer);
/// ```
pub use contract_macros::spec;
