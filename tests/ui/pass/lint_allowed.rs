//! A spec with lint problems builds: warned of by default, silenced with `lint = "allow"`.
fn main() {
    let _ = contract_runtime::spec!("specs/lint.yaml");
    let _ = contract_runtime::spec!("specs/lint.yaml", lint = "allow");
}
