use contract_runtime::contract;

// The spec writes `{petId}`: path templates must match it exactly.
#[contract("GET /pets/{id}")]
async fn show_pet() {}

fn main() {}
