use contract_runtime::contract;

#[contract("showPet", spec = "specs/undeclared-path-param.yaml")]
async fn show_pet() {}

fn main() {}
