use axum::Json;
use contract_runtime::{contract, Responses, Schema};
use serde::Serialize;

#[derive(Serialize, Schema)]
#[schema(spec = "specs/types.yaml")]
pub struct Error {
    pub code: i32,
    pub message: String,
}

#[derive(Responses)]
pub enum ShowPet {
    #[response(status = 404)]
    Missing(Json<Error>),
    #[response(status = 410)]
    Gone(Json<Error>),
    #[response(status = 204)]
    Empty,
}

#[contract("showPet", spec = "specs/types.yaml")]
async fn show_pet(axum::extract::Path(id): axum::extract::Path<i64>) -> ShowPet {
    let _ = id;
    ShowPet::Empty
}

fn main() {}
