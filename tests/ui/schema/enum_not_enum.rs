use contract_runtime::Schema;

// `Owner` is an object, not a string enum.
#[derive(Schema)]
#[schema(spec = "specs/types.yaml")]
pub enum Owner {
    Alice,
    Bob,
}

fn main() {}
