//! Shared helpers of the integration tests.

use std::path::PathBuf;

/// `../shared/specs` next to the repository, when it is there.
pub fn corpus_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/specs");
    dir.is_dir().then(|| dir.canonicalize().unwrap_or(dir))
}
