//! The parse stage: the Rust item and the macro's arguments, read with `syn`.

pub(crate) mod handler;
pub(crate) mod routes;
pub(crate) mod schema;
pub(crate) mod serde_attr;
pub(crate) mod types;
