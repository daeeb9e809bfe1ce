use std::convert::Infallible;

use axum::response::sse::{Event, Sse};
use contract_runtime::contract;
use futures_util::stream;

// `snapshot` declares one JSON response, not an event stream.
#[contract("snapshot", spec = "specs/streams.yaml")]
async fn snapshot() -> Sse<stream::Iter<std::vec::IntoIter<Result<Event, Infallible>>>> {
    Sse::new(stream::iter(Vec::new()))
}

fn main() {}
