use contract_runtime::contract;

#[contract("listPets", file = "openapi.yaml")]
async fn list_pets() {}

fn main() {}
