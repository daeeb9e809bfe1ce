use contract_runtime::contract;

#[contract("listPets", spec = "specs/swagger2.yaml")]
async fn list_pets() {}

fn main() {}
