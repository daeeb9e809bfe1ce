use contract_runtime::Schema;

#[derive(Schema)]
#[schema(component = "Error")]
pub struct ApiError {
    pub code: i32,
}

fn main() {}
