// A syntax error in a handler's body is rustc's to report, where it is: `#[contract]` reads the
// signature only, and still checks it.
use axum::Json;
use contract_runtime::contract;

#[contract("listPets")]
async fn list_pets() -> Json<Vec<String>> {
    let = 1;
    Json(Vec::new())
}

fn main() {}
