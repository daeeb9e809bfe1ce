//! Shared helpers of the integration tests.

use std::path::PathBuf;

// `corpus_dir`: the one definition, shared with `contract-spec` (this crate does not depend on
// it, so that it builds the runtime with the `serde_json` features a user's crate gets).
include!("../../contract-spec/src/corpus.rs");

/// `cargo check` of a scratch crate (one with its own `[workspace]`), sharing trybuild's target
/// directory so that the dependencies are already checked; offline, with the workspace's lock.
/// Returns whether it passed and what it printed.
/// `tmp` is the calling test's `CARGO_TARGET_TMPDIR` (`target/tmp`).
pub fn check_probe_crate(krate: &std::path::Path, tmp: &std::path::Path) -> (bool, String) {
    let target = tmp
        .parent()
        .map_or(tmp.to_path_buf(), |t| t.join("tests/trybuild"));
    let workspace = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let _ = std::fs::copy(workspace.join("Cargo.lock"), krate.join("Cargo.lock"));
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = std::process::Command::new(cargo)
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

/// The path of `contract-runtime`, for scratch crates' manifests.
pub fn runtime_path() -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../contract-runtime")
        .canonicalize()
        .map(|p| p.display().to_string())
        .unwrap_or_default()
}
