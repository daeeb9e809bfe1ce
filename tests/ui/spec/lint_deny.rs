// The spec's lint, denied for this spec: each problem is an error at the spec's path, placed
// at the offending node of the spec.
fn main() {
    let _ = contract_runtime::spec!("specs/lint.yaml", lint = "deny");
}
