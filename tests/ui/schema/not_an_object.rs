use contract_runtime::Schema;

#[derive(Schema)]
#[schema(spec = "specs/types.yaml")]
pub struct PetStatus {
    pub value: String,
}

fn main() {}
