use contract_runtime::{contract, routes};

#[contract("GET /version")]
async fn version(_not_an_extractor: std::time::Duration) -> &'static str {
    "1.0"
}

fn main() {
    let _app: axum::Router = routes!(partial; version);
}
