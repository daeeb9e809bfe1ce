use contract_runtime::contract;

#[contract("PUT /pets/{petId}")]
async fn replace_pet() {}

fn main() {}
