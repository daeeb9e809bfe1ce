use contract_runtime::contract;

#[contract("listPets", spec = "openapi.yaml", spec = "specs/types.yaml")]
async fn list_pets() {}

fn main() {}
