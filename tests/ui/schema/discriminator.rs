use contract_runtime::Schema;

// `Animal` is `oneOf: [Cat, Dog]` with `discriminator: {propertyName: kind}`.
#[derive(Schema)]
#[schema(spec = "specs/types.yaml")]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Animal {
    Cat { lives: i32 },
    Dog { good: bool },
}

fn main() {}
