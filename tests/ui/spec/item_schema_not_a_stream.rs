use axum::Json;
use contract_runtime::contract;

// `itemSchema` under `application/json`, which is one document, not a stream of items.
#[contract("listPrices", spec = "specs/bad-item-schema.yaml")]
async fn list_prices() -> Json<Vec<f64>> {
    Json(Vec::new())
}

fn main() {}
