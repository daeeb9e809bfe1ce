use axum::Json;
use contract_runtime::{contract, Schema};

/// serde's default for enums with data: `{"Counts": {...}}`, which no schema describes.
#[derive(Schema)]
pub enum Inventory {
    Counts(std::collections::HashMap<String, i32>),
    Empty,
}

#[contract("getInventory", spec = "specs/types.yaml")]
async fn get_inventory() -> Json<Inventory> {
    Json(Inventory::Empty)
}

fn main() {}
