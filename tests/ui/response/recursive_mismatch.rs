//! A recursive type bound to no component is checked where a handler returns it: its own
//! fields against the schema's, down to where it names itself.
use contract_runtime::contract;

#[derive(serde::Serialize, contract_runtime::Schema)]
struct Node {
    name: i64,
    children: Vec<Node>,
}

#[contract("getTree", spec = "specs/multi/openapi.yaml")]
async fn get_tree() -> axum::Json<Node> {
    axum::Json(Node { name: 1, children: Vec::new() })
}

fn main() {}
