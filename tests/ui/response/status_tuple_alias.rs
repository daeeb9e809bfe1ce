use axum::http::StatusCode;
use axum::Json;
use contract_runtime::contract;

/// A status chosen at run time with a JSON body, behind an alias: the body must fit one of the
/// operation's declared JSON responses, and a list of integers fits neither `Pet` nor `Error`.
pub type Failure = (StatusCode, Json<Vec<i32>>);

#[contract("showPet", spec = "specs/types.yaml")]
async fn show_pet(axum::extract::Path(id): axum::extract::Path<i64>) -> Result<StatusCode, Failure> {
    Err((StatusCode::NOT_FOUND, Json(vec![id as i32])))
}

fn main() {}
