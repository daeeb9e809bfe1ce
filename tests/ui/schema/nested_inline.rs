use contract_runtime::Schema;
use serde::Deserialize;

/// Structs nested in lists and in inline objects are compared field by field: the message
/// names the field that differs, however deep.
#[derive(Deserialize, Schema)]
#[schema(spec = "specs/types.yaml")]
pub struct Batch {
    pub lines: Vec<Line>,
    pub shipping: Option<Shipping>,
}

#[derive(Deserialize, Schema)]
pub struct Line {
    pub sku: String,
    pub qty: Option<i32>,
    pub note: String,
}

#[derive(Deserialize, Schema)]
pub struct Shipping {
    pub stops: Vec<Stop>,
}

#[derive(Deserialize, Schema)]
pub struct Stop {
    pub city: i64,
}

fn main() {}
