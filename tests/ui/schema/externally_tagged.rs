use contract_runtime::Schema;

#[derive(Schema)]
#[schema(spec = "specs/types.yaml")]
pub enum Animal {
    Cat { lives: i32 },
    Dog { good: bool },
}

fn main() {}
