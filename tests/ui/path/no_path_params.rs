use axum::extract::Path;
use contract_runtime::contract;

#[contract("listPets")]
async fn list_pets(Path(id): Path<i64>) {
    let _ = id;
}

fn main() {}
