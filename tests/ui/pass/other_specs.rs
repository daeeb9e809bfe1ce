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

#[derive(serde::Serialize, contract_runtime::Schema)]
struct Tree {
    name: String,
    children: Vec<serde_json::Value>,
}

/// A recursive schema from another file (compared structurally, cut at the recursion).
#[contract("getTree", spec = "specs/multi/openapi.yaml")]
async fn get_tree() -> axum::Json<Tree> {
    axum::Json(Tree { name: "root".into(), children: Vec::new() })
}

fn main() {
    let _items: axum::Router = routes!(spec = "specs/two-ops.json"; get_item, put_item);
    let _things: axum::Router = routes!(spec = "specs/multi/openapi.yaml"; list_things, get_thing, get_tree);
}
