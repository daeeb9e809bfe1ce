use contract_runtime::contract;

#[contract("listPets")]
struct ListPets;

fn main() {}
