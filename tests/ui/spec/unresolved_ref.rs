use contract_runtime::{contract, routes};

#[contract("showPet", spec = "specs/unresolved-ref.yaml")]
async fn show_pet() {}

fn main() {
    // The handler's error is the only one: `routes!` adds no cascade for it.
    let _app: axum::Router = routes!(spec = "specs/unresolved-ref.yaml"; show_pet);
}
