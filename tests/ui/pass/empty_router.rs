//! `routes!(partial;)` before any handler is written: an empty router, and no warning from what
//! the macro emits.
#![deny(warnings)]
use contract_runtime::routes;

fn main() {
    let _app: axum::Router = routes!(partial;);
}
