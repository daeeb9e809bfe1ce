use contract_runtime::Schema;

#[derive(Schema)]
#[schema(spec = "specs/types.yaml")]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Animal {
    Cat { lives: String },
    Dog { good: bool },
}

fn main() {}
