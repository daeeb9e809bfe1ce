use contract_runtime::contract;

#[contract("listPets", spec = "specs/json-syntax.json")]
async fn list_pets() {}

fn main() {}
