use axum::extract::Path;
use contract_runtime::{contract, routes};

#[contract("listPets")]
async fn list_pets() {}

#[contract("showPetById")]
async fn show_pet(Path(pet_id): Path<i64>) {
    let _ = pet_id;
}

fn main() {
    let _app: axum::Router = routes!(list_pets, show_pet);
}
