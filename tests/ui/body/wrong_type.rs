use axum::Json;
use contract_runtime::{contract, Schema};

#[derive(Schema)]
#[schema(spec = "specs/types.yaml")]
pub struct Owner {
    pub name: String,
    pub address: Option<String>,
}

#[derive(Schema)]
pub struct RenameForm {
    pub title: String,
}

// The body is `NewPet`, not `Owner`.
#[contract("createPet", spec = "specs/types.yaml")]
async fn create_pet(Json(owner): Json<Owner>) {
    let _ = owner;
}

#[contract("renamePet", spec = "specs/types.yaml")]
async fn rename_pet(axum::extract::Path(id): axum::extract::Path<i64>, axum::extract::Form(f): axum::extract::Form<RenameForm>) {
    let _ = (id, f);
}

fn main() {}
