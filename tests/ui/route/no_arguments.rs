use contract_runtime::contract;

#[contract]
async fn list_pets() {}

#[contract(listPets)]
async fn list_pets_again() {}

fn main() {}
