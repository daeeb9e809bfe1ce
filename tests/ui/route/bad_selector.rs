use contract_runtime::contract;

#[contract("FETCH /pets")]
async fn a() {}

#[contract("/pets")]
async fn b() {}

#[contract("GET pets")]
async fn c() {}

fn main() {}
