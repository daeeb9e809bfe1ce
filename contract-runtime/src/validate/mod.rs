//! Run-time validation: [`ContractLayer`] checks what the compiler cannot see, the values.

pub(crate) mod contract;
mod form;
mod handler;
#[cfg(test)]
mod json_schema_corpus;
mod layer;
mod payload;
mod request;
mod stream;
mod streaming;

pub(crate) use layer::{RESPONSE_VIOLATION, is_json, response_violations};
pub(crate) use stream::stream_kind;

use std::sync::atomic::{AtomicU64, Ordering};

pub use contract::{Contract, SpecBundle, Violation};
pub use handler::{RouteContract, Validated, on_validated};
pub use layer::{ContractLayer, ContractService, OnViolation, ResponseFuture, ResponseOutput};
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
