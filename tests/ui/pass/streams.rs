//! Streamed responses where the spec declares them: `Sse` for a `text/event-stream` response
//! (with 3.2's `itemSchema`, or a 3.0/3.1 `schema`), also as one side of a `Result`.
use std::convert::Infallible;

use axum::http::StatusCode;
use axum::response::sse::{Event, Sse};
use contract_runtime::contract;
use futures_util::stream::{self, Stream};

#[contract("streamPrices", spec = "specs/streams.yaml")]
async fn stream_prices() -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    Sse::new(stream::iter(Vec::new()))
}

#[contract("streamTicks", spec = "specs/streams.yaml")]
async fn stream_ticks() -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, StatusCode> {
    Ok(Sse::new(stream::iter(Vec::new())))
}

fn main() {}
