use axum::Json;
use contract_runtime::{contract, Responses, Schema};
use serde::Serialize;

#[derive(Serialize, Schema)]
#[schema(spec = "specs/types.yaml")]
pub struct Error {
    pub code: i32,
    pub message: String,
}

/// The macro sees only `ApiResult<Error>`: the `Result` behind the alias is found through the
/// `Responses` trait, and both of its sides are checked.
pub type ApiResult<T> = Result<Json<T>, ShowError>;

#[derive(Responses)]
pub enum ShowError {
    #[response(status = 404)]
    Missing(Json<Error>),
    #[response(status = 410)]
    Gone(Json<Error>),
}

#[contract("showPet", spec = "specs/types.yaml")]
async fn show_pet(axum::extract::Path(id): axum::extract::Path<i64>) -> ApiResult<Error> {
    Err(ShowError::Gone(Json(Error { code: id as i32, message: String::new() })))
}

fn main() {}
