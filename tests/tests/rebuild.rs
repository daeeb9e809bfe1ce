//! Editing the spec, or a file it `$ref`s, re-runs the checks on the next `cargo check`
//! without `cargo clean`, whether the macros track the files (`include_bytes!`) or the crate's
//! build script has cargo watch them. Also covers `[package.metadata.contract] spec = "…"`.

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

/// A crate in the test's scratch folder whose spec (named in its manifest) `$ref`s a second
/// file, with `build_rs` as its build script if any: the crate, its spec and that second file.
fn probe_crate(name: &str, build_rs: Option<&str>) -> (PathBuf, PathBuf, PathBuf) {
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let krate = tmp.join(name);
    write(
        &krate.join("Cargo.toml"),
        &format!(
            "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [package.metadata.contract]\nspec = \"api/spec.yaml\"\n\n\
             [dependencies]\ncontract-runtime = {{ path = {:?} }}\n\
             axum = {{ version = \"0.8\", default-features = false }}\n\n[workspace]\n",
            contract_tests::runtime_path()
        ),
    );
    write(&krate.join("src/lib.rs"), LIB);
    let _ = std::fs::remove_file(krate.join("build.rs"));
    if let Some(build_rs) = build_rs {
        write(&krate.join("build.rs"), build_rs);
    }
    let spec = krate.join("api/spec.yaml");
    let b = krate.join("api/paths/b.yaml");
    write(&spec, &ROOT_SPEC.replace("OPA", "getA"));
    write(&b, &B_SPEC.replace("OPB", "getB"));
    (krate, spec, b)
}

fn check(krate: &Path) -> (bool, String) {
    contract_tests::check_probe_crate(krate, Path::new(env!("CARGO_TARGET_TMPDIR")))
}

/// Renaming an operation in the root file, then in the `$ref`ed one, fails the next check
/// with the rename's message; restoring both passes again.
fn assert_edits_are_seen(krate: &Path, spec: &Path, b: &Path) {
    let (ok, stderr) = check(krate);
    assert!(ok, "the probe should compile:\n{stderr}");

    // An edit in a `$ref`ed file is seen.
    write(b, &B_SPEC.replace("OPB", "getBee"));
    let (ok, stderr) = check(krate);
    assert!(!ok, "renaming getB in paths/b.yaml must fail the check");
    assert!(
        stderr.contains("no operation with operationId `getB`"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `getBee`"), "{stderr}");

    // An edit in the root file is seen.
    write(b, &B_SPEC.replace("OPB", "getB"));
    write(spec, &ROOT_SPEC.replace("OPA", "getAlpha"));
    let (ok, stderr) = check(krate);
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
    write(spec, &ROOT_SPEC.replace("OPA", "getA"));
    let (ok, stderr) = check(krate);
    assert!(ok, "restored spec should compile:\n{stderr}");
}

/// The files rustc listed in the dep-info of the crate `name`'s last check: what cargo watches
/// besides what a build script asks it to.
fn dep_info(name: &str) -> String {
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let deps = tmp.join("../tests/trybuild/debug/deps");
    let prefix = format!("{}-", name.replace('-', "_"));
    let newest = std::fs::read_dir(&deps)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| {
            let file = e.file_name().to_string_lossy().into_owned();
            file.starts_with(&prefix) && file.ends_with(".d")
        })
        .max_by_key(|e| e.metadata().and_then(|m| m.modified()).ok())
        .expect("a dep-info file");
    std::fs::read_to_string(newest.path()).unwrap()
}

#[test]
fn editing_the_spec_reruns_the_checks() {
    let (krate, spec, b) = probe_crate("rebuild-probe", None);
    assert_edits_are_seen(&krate, &spec, &b);
    let listed = dep_info("rebuild-probe");
    assert!(listed.contains("api/spec.yaml") && listed.contains("api/paths/b.yaml"));
}

/// A file under a path the build script has cargo watch (`cargo:rerun-if-changed`) is left to
/// cargo: rustc does not read it for an `include_bytes!`. The others still are.
#[test]
fn a_build_script_watching_the_spec_takes_over_its_tracking() {
    let root_only = r#"fn main() { println!("cargo:rerun-if-changed=api/spec.yaml"); }"#;
    let (krate, spec, b) = probe_crate("rebuild-watched", Some(root_only));
    assert_edits_are_seen(&krate, &spec, &b);
    let listed = dep_info("rebuild-watched");
    assert!(!listed.contains("api/spec.yaml"), "{listed}");
    assert!(listed.contains("api/paths/b.yaml"), "{listed}");

    let folder = r#"fn main() { println!("cargo::rerun-if-changed=api"); }"#;
    write(&krate.join("build.rs"), folder);
    assert_edits_are_seen(&krate, &spec, &b);
    let listed = dep_info("rebuild-watched");
    assert!(!listed.contains("api/"), "{listed}");
}
