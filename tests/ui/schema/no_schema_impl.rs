use axum::Json;
use contract_runtime::contract;

pub struct Pet {
    pub id: i64,
}

#[contract("showPet", spec = "specs/types.yaml")]
async fn show_pet(axum::extract::Path(id): axum::extract::Path<i64>) -> Json<Pet> {
    Json(Pet { id })
}

fn main() {}
