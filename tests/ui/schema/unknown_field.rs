use contract_runtime::Schema;

// A field renamed in Rust (or in the spec): the error sits on the field, with the nearest name.
#[derive(Schema)]
#[schema(spec = "specs/types.yaml")]
pub struct Error {
    pub code: i32,
    pub mesage: String,
}

fn main() {}
