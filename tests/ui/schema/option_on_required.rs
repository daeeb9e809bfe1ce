use contract_runtime::Schema;

#[derive(Schema)]
#[schema(name = "Error", spec = "specs/types.yaml")]
pub struct ApiError {
    pub code: Option<i32>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub message: String,
}

fn main() {}
