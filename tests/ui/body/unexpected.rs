use axum::Json;
use contract_runtime::contract;

#[contract("getInventory", spec = "specs/types.yaml")]
async fn get_inventory(Json(body): Json<serde_json::Value>) {
    let _ = body;
}

fn main() {}
