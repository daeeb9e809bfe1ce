use contract_runtime::contract;

#[contract("listPets", spec = "specs/version4.yaml")]
async fn list_pets() {}

fn main() {}
