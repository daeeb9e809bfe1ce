//! Editing the spec, or a file it `$ref`s, re-runs the checks on the next `cargo check`
//! without `cargo clean`. Also covers `[package.metadata.contract] spec = "…"`.

use std::path::{Path, PathBuf};
use std::process::Command;

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

fn check(krate: &Path, target: &Path) -> (bool, String) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["check", "--offline", "--quiet", "--message-format", "short"])
        .current_dir(krate)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("CONTRACT_MANIFEST_DIR")
        .output()
        .expect("run cargo");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn editing_the_spec_reruns_the_checks() {
    let workspace = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .unwrap();
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    // Share trybuild's target directory: its dependencies are already checked there.
    let target = tmp.parent().unwrap().join("tests/trybuild");
    let krate = tmp.join("rebuild-probe");
    let runtime = workspace.join("crates/contract-runtime");
    write(
        &krate.join("Cargo.toml"),
        &format!(
            "[package]\nname = \"rebuild-probe\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [package.metadata.contract]\nspec = \"api/spec.yaml\"\n\n\
             [dependencies]\ncontract-runtime = {{ path = {:?} }}\n\
             axum = {{ version = \"0.8\", default-features = false }}\n\n[workspace]\n",
            runtime.display().to_string()
        ),
    );
    std::fs::copy(workspace.join("Cargo.lock"), krate.join("Cargo.lock")).unwrap();
    write(&krate.join("src/lib.rs"), LIB);
    let spec = krate.join("api/spec.yaml");
    let b = krate.join("api/paths/b.yaml");
    write(&spec, &ROOT_SPEC.replace("OPA", "getA"));
    write(&b, &B_SPEC.replace("OPB", "getB"));

    let (ok, stderr) = check(&krate, &target);
    assert!(ok, "the probe should compile:\n{stderr}");

    // An edit in a `$ref`ed file is seen.
    write(&b, &B_SPEC.replace("OPB", "getBee"));
    let (ok, stderr) = check(&krate, &target);
    assert!(!ok, "renaming getB in paths/b.yaml must fail the check");
    assert!(
        stderr.contains("no operation with operationId `getB`"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `getBee`"), "{stderr}");

    // An edit in the root file is seen.
    write(&b, &B_SPEC.replace("OPB", "getB"));
    write(&spec, &ROOT_SPEC.replace("OPA", "getAlpha"));
    let (ok, stderr) = check(&krate, &target);
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
    let (ok, stderr) = check(&krate, &target);
    assert!(ok, "restored spec should compile:\n{stderr}");
}
