//! Each macro's pipeline: parse its input, load the spec, check, emit.

pub mod contract;
pub mod responses;
pub mod routes;
pub mod schema;
