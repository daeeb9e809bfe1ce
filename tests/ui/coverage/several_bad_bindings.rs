use contract_runtime::{contract, routes};

#[contract("getItem", spec = "specs/two-ops.json")]
async fn get_item() {}

#[contract("GET /items/{itemId}", spec = "specs/two-ops.json")]
async fn get_item_again() {}

// Bound to the crate's default spec, not this `routes!`'s.
#[contract("deletePet")]
async fn delete_pet() {}

#[contract("putItem", spec = "specs/two-ops.json")]
async fn put_item() {}

fn main() {
    // One const checks every binding: the first bad handler gets the error, which names the others.
    let _app: axum::Router =
        routes!(spec = "specs/two-ops.json"; get_item, get_item_again, delete_pet, put_item);
}
