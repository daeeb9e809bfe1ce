use contract_runtime::contract;

#[contract("listPets", spec = "specs/nope.yaml")]
async fn list_pets() {}

fn main() {}
