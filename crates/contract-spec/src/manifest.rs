//! Finding the spec of a crate: `openapi.{yaml,yml,json}` in the crate root, else
//! `[package.metadata.contract] spec = "…"` in its Cargo.toml, else an explicit `spec = "…"`.

use std::path::{Path, PathBuf};

use crate::error::SpecError;

/// Names looked for in the crate root, in order.
pub const DEFAULT_NAMES: [&str; 3] = ["openapi.yaml", "openapi.yml", "openapi.json"];

/// Environment variable that overrides `CARGO_MANIFEST_DIR` for spec lookup. Test harnesses
/// such as trybuild compile cases in a scratch crate of their own; they set this to the real
/// crate so that relative spec paths keep working.
pub const MANIFEST_DIR_OVERRIDE: &str = "CONTRACT_MANIFEST_DIR";

/// The directory relative spec paths are resolved against.
pub fn manifest_dir() -> Result<PathBuf, SpecError> {
    std::env::var_os(MANIFEST_DIR_OVERRIDE)
        .or_else(|| std::env::var_os("CARGO_MANIFEST_DIR"))
        .map(PathBuf::from)
        .ok_or_else(|| {
            SpecError::new(
                "CARGO_MANIFEST_DIR is not set: the contract macros must run under cargo",
            )
        })
}

/// The spec file to use, and the extra files whose change must re-run the macro (the
/// manifest, when the spec was named there).
pub fn find_spec(dir: &Path, explicit: Option<&str>) -> Result<(PathBuf, Vec<PathBuf>), SpecError> {
    if let Some(path) = explicit {
        return Ok((dir.join(path), Vec::new()));
    }
    for name in DEFAULT_NAMES {
        let candidate = dir.join(name);
        if candidate.is_file() {
            return Ok((candidate, Vec::new()));
        }
    }
    let manifest = dir.join("Cargo.toml");
    if let Ok(text) = std::fs::read_to_string(&manifest) {
        let table: toml::Table = toml::from_str(&text)
            .map_err(|e| SpecError::new(format!("cannot read `Cargo.toml`: {e}")))?;
        let spec = table
            .get("package")
            .and_then(|p| p.get("metadata"))
            .and_then(|m| m.get("contract"))
            .and_then(|c| c.get("spec"));
        match spec {
            Some(toml::Value::String(path)) => return Ok((dir.join(path), vec![manifest])),
            Some(_) => {
                return Err(SpecError::new(
                    "`[package.metadata.contract] spec` in Cargo.toml must be a string path",
                ));
            }
            None => {}
        }
    }
    Err(SpecError::new(format!(
        "no OpenAPI document found for this crate: looked for {} in `{}`",
        DEFAULT_NAMES.map(|n| format!("`{n}`")).join(", "),
        dir.display()
    ))
    .note("help: put the spec at `openapi.yaml` in the crate root, or name it in Cargo.toml:\n       [package.metadata.contract]\n       spec = \"api/openapi.yaml\"\n     or pass `spec = \"path\"` to the macro"))
}
