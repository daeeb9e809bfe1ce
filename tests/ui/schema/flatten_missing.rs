use contract_runtime::Schema;

#[derive(Schema)]
pub struct Code {
    pub code: i32,
}

#[derive(Schema)]
#[schema(name = "Error", spec = "specs/types.yaml")]
pub struct ApiError {
    #[serde(flatten)]
    pub code: Code,
    pub detail: String,
}

fn main() {}
