use contract_runtime::{contract, routes};

// The operation itself is fine, so the handler binds; `routes!` reports the broken
// reference deeper in the document.
#[contract("getA", spec = "specs/bad-external-ref.yaml")]
async fn get_a() {}

fn main() {
    let _app: axum::Router = routes!(spec = "specs/bad-external-ref.yaml"; get_a);
}
