use contract_runtime::Schema;

#[derive(Schema)]
#[schema(spec = "specs/types.yaml")]
pub struct Owner {
    pub labels: std::collections::HashMap<String, String>,
}

fn main() {}
