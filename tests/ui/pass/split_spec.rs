//! A spec split over files as Redocly lays one out (`specs/split`): the root has no
//! `components.schemas`, and each schema binds by its file's stem (`Order`), by a fragment's last
//! segment (`MenuItem`), or by `#[schema(name = "…")]` (`Error`).
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::Json;
use contract_runtime::{contract, routes, Responses, Schema};
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Schema)]
#[schema(spec = "specs/split/openapi.yaml")]
struct Order {
    id: String,
    status: OrderStatus,
    items: Vec<OrderItem>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

#[derive(Serialize, Deserialize, Schema)]
#[schema(spec = "specs/split/openapi.yaml")]
#[serde(rename_all = "lowercase")]
enum OrderStatus {
    Placed,
    Preparing,
    Completed,
    Canceled,
}

#[derive(Serialize, Deserialize, Schema)]
#[schema(spec = "specs/split/openapi.yaml")]
#[serde(rename_all = "camelCase")]
struct OrderItem {
    menu_item_id: String,
    quantity: i32,
}

/// `allOf` of `Page.yaml` and an inline object: one struct with the merged properties.
#[derive(Serialize, Schema)]
#[schema(spec = "specs/split/openapi.yaml")]
#[serde(rename_all = "camelCase")]
struct OrderList {
    data: Vec<Order>,
    next_cursor: Option<String>,
    prev_cursor: Option<String>,
}

/// `components/schemas/Error.yaml`, under another Rust name.
#[derive(Serialize, Schema)]
#[schema(name = "Error", spec = "specs/split/openapi.yaml")]
struct Problem {
    r#type: String,
    title: String,
    status: Option<i32>,
    detail: Option<String>,
}

/// `models/menu.yaml#/MenuItem`: a fragment of a file that holds several schemas.
#[derive(Serialize, Schema)]
#[schema(spec = "specs/split/openapi.yaml")]
struct MenuItem {
    id: String,
    name: String,
    status: Availability,
}

/// `models/menu.yaml#/Status`, whose name `components/schemas/Status.yaml` also takes: left
/// unbound, it is compared where it is used.
#[derive(Serialize, Schema)]
#[serde(rename_all = "kebab-case")]
enum Availability {
    Available,
    SoldOut,
}

#[derive(Deserialize, Schema)]
struct Paging {
    limit: Option<i32>,
}

#[derive(Responses)]
enum Listed {
    #[response(status = 200)]
    Page(Json<OrderList>),
    #[response(status = 400)]
    Invalid(Json<Problem>),
}

#[contract("listOrders", spec = "specs/split/openapi.yaml")]
async fn list_orders(Query(_paging): Query<Paging>) -> Listed {
    Listed::Page(Json(OrderList { data: Vec::new(), next_cursor: None, prev_cursor: None }))
}

#[derive(Responses)]
enum Rejected {
    #[response(status = 400)]
    Invalid(Json<Problem>),
}

#[derive(Responses)]
enum NotFound {
    #[response(status = 404)]
    Missing(Json<Problem>),
}

#[contract("createOrder", spec = "specs/split/openapi.yaml")]
async fn create_order(Json(order): Json<Order>) -> Result<(StatusCode, Json<Order>), Rejected> {
    Ok((StatusCode::CREATED, Json(order)))
}

#[contract("getOrder", spec = "specs/split/openapi.yaml")]
async fn get_order(Path(_order_id): Path<String>) -> Result<Json<Order>, NotFound> {
    let problem = Problem { r#type: "about:blank".into(), title: "no such order".into(), status: Some(404), detail: None };
    Err(NotFound::Missing(Json(problem)))
}

#[contract("listMenu", spec = "specs/split/openapi.yaml")]
async fn list_menu() -> Json<Vec<MenuItem>> {
    Json(vec![MenuItem { id: "1".into(), name: "tea".into(), status: Availability::Available }])
}

/// `components/schemas/Status.yaml` through an unbound struct: compared field by field.
#[derive(Serialize, Schema)]
struct Health {
    healthy: bool,
}

#[contract("getStatus", spec = "specs/split/openapi.yaml")]
async fn get_status() -> Json<Health> {
    Json(Health { healthy: true })
}

fn main() {
    let _app: axum::Router =
        routes!(spec = "specs/split/openapi.yaml"; list_orders, create_order, get_order, list_menu, get_status);
}
