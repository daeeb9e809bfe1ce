use contract_runtime::contract;

#[contract("pets", spec = "specs/duplicate-id.yaml")]
async fn pets() {}

// Binding by method and path still works in a document with a duplicate id... but the
// operation itself carries the problem, so it is reported here too.
#[contract("GET /animals", spec = "specs/duplicate-id.yaml")]
async fn animals() {}

fn main() {}
