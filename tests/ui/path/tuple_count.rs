use axum::extract::Path;
use contract_runtime::contract;

#[contract("showOwnedPet")]
async fn show_owned_pet(Path((owner, pet, extra)): Path<(String, i64, u8)>) {
    let _ = (owner, pet, extra);
}

fn main() {}
