use contract_runtime::Schema;

type Code = i64;

#[derive(Schema)]
#[schema(name = "Error", spec = "specs/types.yaml")]
pub struct ApiError {
    // int32 in the spec: an i64 does not fit (seen through the alias).
    pub code: Code,
    pub message: Vec<String>,
}

#[derive(Schema)]
#[schema(spec = "specs/types.yaml")]
pub struct Owner {
    pub name: String,
    pub address: Option<String>,
    pub labels: std::collections::HashMap<String, u8>,
}

fn main() {}
