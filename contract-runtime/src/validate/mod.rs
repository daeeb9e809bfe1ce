//! Run-time validation: [`ContractLayer`] checks what the compiler cannot see, the values.

mod body;
mod coerce;
mod config;
pub(crate) mod contract;
mod defs;
mod form;
pub(crate) mod generate;
mod handler;
#[cfg(test)]
mod json_schema_corpus;
mod layer;
mod media;
mod payload;
mod problem;
mod request;
mod response;
mod stream;
mod streaming;

pub(crate) use media::is_json;
pub(crate) use problem::RESPONSE_VIOLATION;
pub(crate) use response::response_violations;
pub(crate) use stream::stream_kind;

use std::sync::atomic::{AtomicU64, Ordering};

pub use config::OnViolation;
pub use contract::{Contract, SpecBundle, Violation};
pub use handler::{RouteContract, Validated, on_validated};
pub use layer::{ContractLayer, ContractService, ResponseFuture, ResponseOutput};
pub use payload::{Payload, PayloadError};

pub(crate) use contract_schema::shortened;

static VALIDATIONS: AtomicU64 = AtomicU64::new(0);

pub(crate) fn count_validation() {
    VALIDATIONS.fetch_add(1, Ordering::Relaxed);
}

/// How many responses have been validated in this process: a witness for tests that a build
/// does, or does not, validate responses.
pub fn validations_performed() -> u64 {
    VALIDATIONS.load(Ordering::Relaxed)
}
