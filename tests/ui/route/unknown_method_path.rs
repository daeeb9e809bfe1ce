use contract_runtime::contract;

#[contract("GET /pet")]
async fn list_pets() {}

fn main() {}
