use contract_runtime::Schema;

#[derive(Schema)]
#[schema(name = "Ownr", spec = "specs/types.yaml")]
pub struct PetOwner {
    pub name: String,
}

fn main() {}
