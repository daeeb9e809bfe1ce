//! A type bound to a schema in a file of its own is checked once, at its definition: each
//! mistake is one error at its field, however many handlers use the type.
use axum::Json;
use contract_runtime::{contract, Responses, Schema};

#[derive(serde::Serialize, serde::Deserialize, Schema)]
#[schema(spec = "specs/split/openapi.yaml")]
struct Order {
    id: String,
    status: String,
    items: Vec<serde_json::Value>,
    notes: Option<String>,
}

#[derive(serde::Serialize, Schema)]
#[schema(name = "Error", spec = "specs/split/openapi.yaml")]
struct Problem {
    r#type: String,
    title: Option<String>,
}

#[derive(Responses)]
enum Created {
    #[response(status = 201)]
    Placed(Json<Order>),
    #[response(status = 400)]
    Invalid(Json<Problem>),
}

#[derive(Responses)]
enum Found {
    #[response(status = 200)]
    Order(Json<Order>),
    #[response(status = 404)]
    Missing(Json<Problem>),
}

#[contract("createOrder", spec = "specs/split/openapi.yaml")]
async fn create_order(Json(order): Json<Order>) -> Created {
    Created::Placed(Json(order))
}

#[contract("getOrder", spec = "specs/split/openapi.yaml")]
async fn get_order(axum::extract::Path(_id): axum::extract::Path<String>) -> Found {
    Found::Missing(Json(Problem { r#type: "about:blank".into(), title: None }))
}

fn main() {}
