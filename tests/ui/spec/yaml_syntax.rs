use contract_runtime::contract;

#[contract("listPets", spec = "specs/yaml-syntax.yaml")]
async fn list_pets() {}

fn main() {}
