use axum::extract::Form;
use contract_runtime::contract;

#[contract("createPet", spec = "specs/types.yaml")]
async fn create_pet(Form(body): Form<std::collections::HashMap<String, String>>) {
    let _ = body;
}

fn main() {}
