//! A std scalar field of a type bound to a component, against its property's type: decided by
//! the macro itself (rust-analyzer shows it as you type), one error at each field.
use contract_runtime::Schema;

#[derive(Schema)]
#[schema(name = "Error", spec = "specs/types.yaml")]
pub struct ApiError {
    // int32 in the spec: a u64 does not fit.
    pub code: u64,
    pub message: bool,
}

#[derive(Schema)]
#[schema(spec = "specs/types.yaml")]
pub struct Owner {
    pub name: f64,
    // nullable in the spec: an `Option` of the wrong scalar.
    pub address: Option<i32>,
}

fn main() {}
