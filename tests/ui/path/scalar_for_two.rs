use axum::extract::Path;
use contract_runtime::contract;

#[contract("showOwnedPet")]
async fn show_owned_pet(Path(owner_id): Path<String>) {
    let _ = owner_id;
}

fn main() {}
