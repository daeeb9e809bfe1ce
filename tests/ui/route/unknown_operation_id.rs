use contract_runtime::contract;

#[contract("listPet")]
async fn list_pets() {}

fn main() {}
