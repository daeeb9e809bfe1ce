//! Every accepted way to name an operation and to extract path parameters.
use axum::extract::Path;
use contract_runtime::{contract, routes};
use contract_runtime::Schema;
use serde::Deserialize;

#[contract("listPets")]
async fn list_pets() {}

#[contract("post /pets")] // methods are case-insensitive
async fn create_pet(axum::Json(_pet): axum::Json<serde_json::Value>) {}

#[contract("GET /pets/{petId}")]
async fn show_pet(Path(pet_id): Path<i64>) {
    let _ = pet_id;
}

#[contract("deletePet")]
pub(crate) async fn delete_pet(axum::extract::Path(pet_id): axum::extract::Path<u64>) {
    let _ = pet_id;
}

#[derive(Deserialize, Schema)]
struct OwnedPet {
    #[serde(rename = "ownerId")]
    owner_id: String,
    #[serde(rename = "petId")]
    pet_id: i64,
}

#[contract("showOwnedPet")]
async fn show_owned_pet(Path(p): Path<OwnedPet>) {
    let _ = (p.owner_id, p.pet_id);
}

#[contract("GET /version")] // no operationId: bound by method and path
async fn version() -> &'static str {
    "1"
}

mod nested {
    use contract_runtime::contract;

    #[contract("showOwnedPet")]
    pub async fn owned((axum::extract::Path((owner_id, pet_id))): axum::extract::Path<(String, i64)>) {
        let _ = (owner_id, pet_id);
    }
}

fn main() {
    let _all: axum::Router = routes!(list_pets, create_pet, show_pet, delete_pet, show_owned_pet, version);
    let _some: axum::Router = routes!(partial; nested::owned, version);
}
