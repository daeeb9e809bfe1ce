fn main() {
    let _ = contract_runtime::spec!(openapi);
    let _ = contract_runtime::spec!("specs/nope.yaml");
}
