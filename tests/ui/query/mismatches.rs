use axum::extract::Query;
use contract_runtime::{contract, Schema};

#[derive(Schema)]
pub struct ListQuery {
    pub limit: Option<String>,
    pub offset: Option<i32>,
    pub tag: String,
}

#[contract("listPets", spec = "specs/types.yaml")]
async fn list_pets(Query(q): Query<ListQuery>) {
    let _ = q;
}

fn main() {}
