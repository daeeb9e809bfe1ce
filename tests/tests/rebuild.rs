//! Editing the spec, or a file it `$ref`s, re-runs the checks on the next `cargo check`
//! without `cargo clean`. Also covers `[package.metadata.contract] spec = "…"`.

use std::path::{Path, PathBuf};

const ROOT_SPEC: &str = "openapi: 3.0.3
info: {title: probe, version: '1'}
paths:
  /a:
    get:
      operationId: OPA
      responses: {'200': {description: ok}}
  /b:
    $ref: './paths/b.yaml'
";

const B_SPEC: &str = "get:
  operationId: OPB
  responses: {'200': {description: ok}}
";

const LIB: &str = r#"
use contract_runtime::{contract, routes};

#[contract("getA")]
async fn get_a() {}

#[contract("getB")]
async fn get_b() {}

pub fn app() -> axum::Router {
    routes!(get_a, get_b)
}
"#;

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn editing_the_spec_reruns_the_checks() {
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let krate = tmp.join("rebuild-probe");
    write(
        &krate.join("Cargo.toml"),
        &format!(
            "[package]\nname = \"rebuild-probe\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [package.metadata.contract]\nspec = \"api/spec.yaml\"\n\n\
             [dependencies]\ncontract-runtime = {{ path = {:?} }}\n\
             axum = {{ version = \"0.8\", default-features = false }}\n\n[workspace]\n",
            contract_tests::runtime_path()
        ),
    );
    write(&krate.join("src/lib.rs"), LIB);
    let spec = krate.join("api/spec.yaml");
    let b = krate.join("api/paths/b.yaml");
    write(&spec, &ROOT_SPEC.replace("OPA", "getA"));
    write(&b, &B_SPEC.replace("OPB", "getB"));

    let (ok, stderr) = contract_tests::check_probe_crate(&krate, &tmp);
    assert!(ok, "the probe should compile:\n{stderr}");

    // An edit in a `$ref`ed file is seen.
    write(&b, &B_SPEC.replace("OPB", "getBee"));
    let (ok, stderr) = contract_tests::check_probe_crate(&krate, &tmp);
    assert!(!ok, "renaming getB in paths/b.yaml must fail the check");
    assert!(
        stderr.contains("no operation with operationId `getB`"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `getBee`"), "{stderr}");

    // An edit in the root file is seen.
    write(&b, &B_SPEC.replace("OPB", "getB"));
    write(&spec, &ROOT_SPEC.replace("OPA", "getAlpha"));
    let (ok, stderr) = contract_tests::check_probe_crate(&krate, &tmp);
    assert!(!ok, "renaming getA must fail the check");
    assert!(
        stderr.contains("no operation with operationId `getA`"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("operationId `getB`"),
        "getB was restored:\n{stderr}"
    );

    // And back to green.
    write(&spec, &ROOT_SPEC.replace("OPA", "getA"));
    let (ok, stderr) = contract_tests::check_probe_crate(&krate, &tmp);
    assert!(ok, "restored spec should compile:\n{stderr}");
}
