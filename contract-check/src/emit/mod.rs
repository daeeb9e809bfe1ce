//! The emit stage: the tokens each macro expands to.

pub(crate) mod handler;
pub(crate) mod routes;
pub(crate) mod schema;
