use axum::Json;
use contract_runtime::{contract, Schema};
use serde::Deserialize;

/// `Option<Json<T>>` is checked as `Json<T>`: `T` must fit the declared body (`NewPet`).
#[derive(Deserialize, Schema)]
pub struct Rename {
    pub title: String,
}

#[contract("createPet", spec = "specs/types.yaml")]
async fn create_pet(new: Option<Json<Rename>>) {
    let _ = new.map(|Json(r)| r.title);
}

fn main() {}
