//! The check stage: the parsed item against the loaded spec. What tokens can decide is reported
//! here; what needs types is handed to rustc as const checks (see `expect`).

pub(crate) mod fits;
pub(crate) mod handler;
pub(crate) mod operation;
pub(crate) mod path;
pub(crate) mod request;
pub(crate) mod response;
pub(crate) mod routes;
pub(crate) mod schema;
pub(crate) mod typed_header;
