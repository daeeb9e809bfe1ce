use contract_runtime::Schema;

#[derive(Schema)]
#[schema(spec = "specs/types.yaml")]
#[serde(rename_all = "kebab-case")]
pub enum PetStatus {
    Available,
    OnHold,
    SoldOut,
}

fn main() {}
