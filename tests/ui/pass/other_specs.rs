//! `spec = "…"` on handlers and on `routes!`: JSON, OpenAPI 3.1 with webhooks, and a spec
//! split over several files with relative `$ref`s (path items and operations included).
use axum::extract::Path;
use contract_runtime::{contract, routes};

#[contract("getItem", spec = "specs/two-ops.json")]
async fn get_item(Path(item_id): Path<String>) {
    let _ = item_id;
}

#[contract("PUT /items/{itemId}", spec = "specs/two-ops.json")]
async fn put_item() {}

#[contract("listThings", spec = "specs/multi/openapi.yaml")]
async fn list_things() {}

#[contract("getThing", spec = "specs/multi/openapi.yaml")]
async fn get_thing(Path(thing_id): Path<String>) {
    let _ = thing_id;
}

/// Recursive, and bound to no component (this crate's spec has no `Tree`): its shape names
/// itself, which the derive cuts (the nested level is this same type, checked here).
#[derive(serde::Serialize, contract_runtime::Schema)]
struct Tree {
    name: String,
    children: Vec<Tree>,
}

/// The same through `Self`, boxed and optional.
#[derive(serde::Serialize, contract_runtime::Schema)]
struct Branch {
    name: String,
    children: Option<Vec<Box<Self>>>,
}

/// Recursive through its variants, untagged, unbound.
#[derive(serde::Serialize, contract_runtime::Schema)]
#[serde(untagged)]
#[allow(dead_code)]
enum Json {
    Text(String),
    List(Vec<Json>),
    Object(std::collections::BTreeMap<String, Json>),
}

#[derive(serde::Serialize, contract_runtime::Schema)]
struct Labelled {
    name: String,
    children: Vec<Json>,
}

/// A recursive schema from another file (compared structurally, cut at the recursion).
#[contract("getTree", spec = "specs/multi/openapi.yaml")]
async fn get_tree() -> axum::Json<Tree> {
    axum::Json(Tree { name: "root".into(), children: Vec::new() })
}

#[contract("getTree", spec = "specs/multi/openapi.yaml")]
async fn get_branch() -> axum::Json<Branch> {
    axum::Json(Branch { name: "root".into(), children: None })
}

#[contract("getTree", spec = "specs/multi/openapi.yaml")]
async fn get_labelled() -> axum::Json<Labelled> {
    axum::Json(Labelled { name: "root".into(), children: Vec::new() })
}

fn main() {
    let _items: axum::Router = routes!(spec = "specs/two-ops.json"; get_item, put_item);
    let _things: axum::Router = routes!(spec = "specs/multi/openapi.yaml"; list_things, get_thing, get_tree);
    let _labelled: axum::Router = routes!(partial, spec = "specs/multi/openapi.yaml"; get_labelled);
    let _branch: axum::Router = routes!(partial, spec = "specs/multi/openapi.yaml"; get_branch);
    // Request validation's opt-out, and its default written out.
    let _unchecked: axum::Router =
        routes!(validate_requests = false, spec = "specs/two-ops.json"; get_item, put_item);
    let _checked: axum::Router =
        routes!(spec = "specs/two-ops.json", validate_requests = true; get_item, put_item);
}
