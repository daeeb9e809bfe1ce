use contract_runtime::{contract, routes};

#[contract("getItem", spec = "specs/two-ops.json")]
async fn get_item() {}

#[contract("GET /items/{itemId}", spec = "specs/two-ops.json")]
async fn get_item_again() {}

#[contract("putItem", spec = "specs/two-ops.json")]
async fn put_item() {}

fn main() {
    let _app: axum::Router = routes!(spec = "specs/two-ops.json"; get_item, get_item_again, put_item);
}
