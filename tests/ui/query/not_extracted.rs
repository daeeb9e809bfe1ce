use contract_runtime::contract;

// `status` is a required query parameter.
#[contract("listPets", spec = "specs/types.yaml")]
async fn list_pets() {}

fn main() {}
