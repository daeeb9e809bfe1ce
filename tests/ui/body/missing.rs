use contract_runtime::contract;

#[contract("createPet", spec = "specs/types.yaml")]
async fn create_pet() {}

fn main() {}
