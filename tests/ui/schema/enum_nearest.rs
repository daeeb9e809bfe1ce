//! An unbound enum against a component's enum, compared where it is used: a value the spec
//! lacks is offered the nearest one, and the value left without a variant is named.
use axum::extract::Query;
use contract_runtime::{contract, Schema};

#[derive(serde::Deserialize, Schema)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    Available,
    Pendng,
    Sold,
}

#[derive(serde::Deserialize, Schema)]
pub struct Filter {
    pub status: Stage,
}

#[contract("listPets", spec = "specs/types.yaml")]
async fn list_pets(Query(filter): Query<Filter>) {
    let _ = filter;
}

fn main() {}
