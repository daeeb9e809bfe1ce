//! Finding the spec of a crate: `openapi.{yaml,yml,json}` in the crate root, else
//! `[package.metadata.contract] spec = "…"` in its Cargo.toml, else an explicit `spec = "…"`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use crate::cache::{Stamp, stamp};
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
    if let Some(spec) = manifest_spec(&manifest) {
        return spec
            .map_err(SpecError::new)
            .map(|path| (dir.join(path), vec![manifest]));
    }
    Err(SpecError::new(format!(
        "no OpenAPI document found for this crate: looked for {} in `{}`",
        DEFAULT_NAMES.map(|n| format!("`{n}`")).join(", "),
        dir.display()
    ))
    .note("help: put the spec at `openapi.yaml` in the crate root, or name it in Cargo.toml:\n       [package.metadata.contract]\n       spec = \"api/openapi.yaml\"\n     or pass `spec = \"path\"` to the macro"))
}

/// What a manifest says of the spec: `[package.metadata.contract] spec`, or why it cannot be
/// read; `None` when it names none (or there is no manifest).
type ManifestSpec = Option<Result<String, String>>;

/// Manifests read in this process, by path, with the stamp they had (see `cache`): every derive
/// and handler of a crate asks, and parsing the TOML each time cost DigitalOcean's crate a
/// thousand parses. A changed time or length reads it again (rust-analyzer's process outlives
/// edits).
static CARGO_MANIFESTS: OnceLock<Mutex<HashMap<PathBuf, (Stamp, ManifestSpec)>>> = OnceLock::new();

fn manifest_spec(manifest: &Path) -> ManifestSpec {
    let now = stamp(manifest);
    let mut memo = CARGO_MANIFESTS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    if let Some((seen, spec)) = memo.get(manifest)
        && *seen == now
    {
        return spec.clone();
    }
    let spec = read_manifest_spec(manifest);
    memo.insert(manifest.to_path_buf(), (now, spec.clone()));
    spec
}

fn read_manifest_spec(manifest: &Path) -> ManifestSpec {
    let text = std::fs::read_to_string(manifest).ok()?;
    let table: toml::Table = match toml::from_str(&text) {
        Ok(table) => table,
        Err(e) => return Some(Err(format!("cannot read `Cargo.toml`: {e}"))),
    };
    match table
        .get("package")
        .and_then(|p| p.get("metadata"))
        .and_then(|m| m.get("contract"))
        .and_then(|c| c.get("spec"))?
    {
        toml::Value::String(path) => Some(Ok(path.clone())),
        _ => Some(Err(
            "`[package.metadata.contract] spec` in Cargo.toml must be a string path".into(),
        )),
    }
}

/// What the macros do with the spec's lint problems: `[package.metadata.contract] lint` in
/// the crate's Cargo.toml, `"warn"` (the default: compiler warnings), `"deny"` (errors) or
/// `"allow"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LintLevel {
    /// Not reported.
    Allow,
    /// Compiler warnings (the default).
    Warn,
    /// Compile errors.
    Deny,
}

/// The crate's lint level, or what is wrong with the setting.
pub fn lint_level(dir: &Path) -> Result<LintLevel, String> {
    let Ok(text) = std::fs::read_to_string(dir.join("Cargo.toml")) else {
        return Ok(LintLevel::Warn);
    };
    let Ok(table) = toml::from_str::<toml::Table>(&text) else {
        return Ok(LintLevel::Warn);
    };
    let setting = table
        .get("package")
        .and_then(|p| p.get("metadata"))
        .and_then(|m| m.get("contract"))
        .and_then(|c| c.get("lint"));
    match setting.map(|v| v.as_str()) {
        None => Ok(LintLevel::Warn),
        Some(Some("warn")) => Ok(LintLevel::Warn),
        Some(Some("deny")) => Ok(LintLevel::Deny),
        Some(Some("allow")) => Ok(LintLevel::Allow),
        Some(_) => Err(
            "`[package.metadata.contract] lint` in Cargo.toml must be \"warn\", \"deny\" or \"allow\""
                .into(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_manifest_is_read_again_when_it_changes() {
        let dir = std::env::temp_dir().join(format!("contract-manifest-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let manifest = dir.join("Cargo.toml");
        let write = |spec: &str| {
            std::fs::write(
                &manifest,
                format!("[package]\nname = \"x\"\n[package.metadata.contract]\nspec = {spec}\n"),
            )
            .unwrap()
        };
        write("\"a.yaml\"");
        assert_eq!(find_spec(&dir, None).unwrap().0, dir.join("a.yaml"));
        assert_eq!(find_spec(&dir, None).unwrap().0, dir.join("a.yaml"));
        // Another length: read again, whatever the file system's time resolution.
        write("\"api/b.yaml\"");
        assert_eq!(find_spec(&dir, None).unwrap().0, dir.join("api/b.yaml"));
        write("1");
        let err = find_spec(&dir, None).unwrap_err().to_string();
        assert!(err.contains("must be a string path"), "{err}");
        std::fs::write(&manifest, "[package\n").unwrap();
        let err = find_spec(&dir, None).unwrap_err().to_string();
        assert!(err.contains("cannot read `Cargo.toml`"), "{err}");
        std::fs::remove_file(&manifest).unwrap();
        assert!(find_spec(&dir, None).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
