// The spec's lint by default: warnings (the crate still builds; the error below only makes
// this case's output reviewable).
fn main() {
    let _ = contract_runtime::spec!("specs/lint.yaml");
    compile_error!("the spec's lint warns, and the crate builds");
}
