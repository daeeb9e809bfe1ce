use contract_runtime::{contract, routes};

#[contract("getItem", spec = "specs/two-ops.json")]
async fn get_item() {}

fn main() {
    // `routes!` uses the crate's default spec, the handler another one.
    let _app: axum::Router = routes!(partial; get_item);
}
