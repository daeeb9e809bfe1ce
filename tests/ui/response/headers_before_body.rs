use axum::http::HeaderName;
use axum::Json;
use contract_runtime::{contract, Responses};

// Response parts before the body do not hide it: the body is checked as `Created(Json<…>)` is.
#[derive(Responses)]
pub enum CreatePet {
    #[response(status = 201)]
    Created([(HeaderName, String); 1], Json<Vec<String>>),
}

#[contract("createPet", spec = "specs/types.yaml")]
async fn create_pet(Json(body): Json<serde_json::Value>) -> CreatePet {
    let _ = body;
    CreatePet::Created([(axum::http::header::LOCATION, "/pets/1".into())], Json(Vec::new()))
}

fn main() {}
