use axum::extract::Path;
use contract_runtime::contract;

#[contract("showOwnedPet")]
async fn show_owned_pet(Path((pet_id, owner_id)): Path<(i64, String)>) {
    let _ = (pet_id, owner_id);
}

fn main() {}
