use axum::http::StatusCode;
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
pub enum DeletePet {
    #[response(status = 204)]
    Deleted(Json<Error>),
}

#[contract("deletePet", spec = "specs/types.yaml")]
async fn delete_pet(axum::extract::Path(id): axum::extract::Path<i64>) -> DeletePet {
    let _ = id;
    DeletePet::Deleted(Json(Error { code: 0, message: String::new() }))
}

// `Json<T>` answers 200, but `createPet` declares 201 and 422.
#[contract("createPet", spec = "specs/types.yaml")]
async fn create_pet(Json(body): Json<serde_json::Value>) -> Json<Error> {
    let _ = body;
    Json(Error { code: 0, message: String::new() })
}

// The error side of a `Result` is checked too: no declared response has a `Vec<String>` body.
#[contract("showPet", spec = "specs/types.yaml")]
async fn show_pet(axum::extract::Path(id): axum::extract::Path<i64>) -> Result<StatusCode, (StatusCode, Json<Vec<String>>)> {
    let _ = id;
    Ok(StatusCode::OK)
}

fn main() {}
