//! A process-wide cache of loaded specs. One rustc process expands every macro of a crate, and
//! rust-analyzer's proc-macro server lives across edits, so entries are keyed by path and
//! revalidated against each file's modification time and length.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant, SystemTime};

use crate::Spec;
use crate::error::SpecError;
use crate::slice::Manifest;

/// A file as last seen: its path, modification time and length (`u64::MAX` when absent).
pub(crate) type Stamp = (PathBuf, Option<SystemTime>, u64);

struct Entry {
    stamps: Vec<Stamp>,
    checked_at: Instant,
    spec: Arc<Result<Spec, SpecError>>,
}

static CACHE: OnceLock<Mutex<HashMap<(PathBuf, PathBuf), Entry>>> = OnceLock::new();
static PARSES: AtomicUsize = AtomicUsize::new(0);

/// Within this window a cached entry is trusted without touching the disk: one rustc process
/// expands all of a crate's macros in far less, and no edit lands in between.
const TRUST_WINDOW: Duration = Duration::from_millis(500);

/// How many times a spec was actually parsed in this process (for tests and benchmarks).
pub fn parse_count() -> usize {
    PARSES.load(Ordering::Relaxed)
}

pub(crate) fn stamp(path: &Path) -> Stamp {
    let meta = std::fs::metadata(path).ok();
    (
        path.to_path_buf(),
        meta.as_ref().and_then(|m| m.modified().ok()),
        meta.map_or(u64::MAX, |m| m.len()),
    )
}

/// Loads a spec, reusing what an earlier process parsed of its unchanged files and leaving what
/// this one parsed for the next.
fn load_through_disk(root: &Path, base_dir: &Path) -> Result<Spec, SpecError> {
    // The document's own form of the folder, so that reading and writing agree on the entry.
    let base_dir = std::fs::canonicalize(base_dir).unwrap_or_else(|_| base_dir.to_path_buf());
    let Some(dir) = crate::disk::dir() else {
        return Spec::load(root, &base_dir);
    };
    let preparsed = crate::disk::read_values(&dir, root, &base_dir);
    let spec = Spec::load_with(root, &base_dir, preparsed)?;
    if spec.doc.parsed_files > 0 {
        crate::disk::write_values(
            &dir,
            root,
            &base_dir,
            spec.doc.cacheable(),
            spec.doc.unresolved.is_empty(),
        );
    }
    if spec.is_complete() {
        crate::slice::write_manifest(&dir, &spec);
    }
    Ok(spec)
}

/// Manifests checked against the files in this process, by root and base folder: once per
/// process, which is one rustc compiling one crate (slices are only read where there is a cache
/// folder, that is inside rustc). An edit during that compilation is newer than the build, so
/// cargo compiles again. Checking them again after a while, as the in-memory cache of whole
/// specs does for rust-analyzer's long-lived server, re-read every file of the spec twice a
/// second in a crate whose expansion runs longer.
type Manifests = HashMap<(PathBuf, PathBuf), Option<Arc<Manifest>>>;
static MANIFESTS: OnceLock<Mutex<Manifests>> = OnceLock::new();

/// The slice `key` of the spec at `path` (see the `slice` module): from the on-disk cache, when
/// the spec's files hold the bytes it was taken from. `None` when there is none, or when this
/// process holds the whole spec already (answering from it costs less).
pub fn load_slice(path: &Path, base_dir: &Path, key: &str) -> Option<Arc<Result<Spec, SpecError>>> {
    let dir = crate::disk::dir()?;
    let root = std::fs::canonicalize(path).ok()?;
    if let Some(cache) = CACHE.get() {
        let map = cache
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if map
            .get(&(root.clone(), base_dir.to_path_buf()))
            .is_some_and(|entry| entry.spec.is_ok())
        {
            return None;
        }
    }
    read_slice(&dir, &root, base_dir, key).map(|spec| Arc::new(Ok(spec)))
}

/// The slice `key` of the spec at `root` (canonical) from the cache folder `dir`, when the
/// spec's files hold the bytes it was taken from, whatever this process holds in memory.
pub fn read_slice(dir: &Path, root: &Path, base_dir: &Path, key: &str) -> Option<Spec> {
    let base_dir = std::fs::canonicalize(base_dir).unwrap_or_else(|_| base_dir.to_path_buf());
    let manifest = {
        let mut manifests = MANIFESTS
            .get_or_init(Default::default)
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        manifests
            .entry((root.to_path_buf(), base_dir.clone()))
            .or_insert_with(|| crate::slice::read_manifest(dir, root, &base_dir).map(Arc::new))
            .clone()
    }?;
    crate::slice::read_slice(dir, &manifest, key)
}

/// The spec at `path`, parsed at most once per process while its files are unchanged.
pub fn load_cached(path: &Path, base_dir: &Path) -> Arc<Result<Spec, SpecError>> {
    let key = (
        std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()),
        base_dir.to_path_buf(),
    );
    let cache = CACHE.get_or_init(Default::default);
    {
        let mut map = cache
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(entry) = map.get_mut(&key) {
            // A failed load is retried: the fix may be in a file it never got to read.
            if entry.checked_at.elapsed() < TRUST_WINDOW
                || (entry.spec.is_ok() && entry.stamps.iter().all(|s| stamp(&s.0) == *s))
            {
                entry.checked_at = Instant::now();
                return entry.spec.clone();
            }
        }
    }
    PARSES.fetch_add(1, Ordering::Relaxed);
    let spec = load_through_disk(&key.0, base_dir);
    let mut stamps = vec![stamp(&key.0)];
    if let Ok(spec) = &spec {
        stamps.extend(spec.doc.paths().skip(1).map(stamp));
    }
    let spec = Arc::new(spec);
    let mut map = cache
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    map.insert(
        key,
        Entry {
            stamps,
            checked_at: Instant::now(),
            spec: spec.clone(),
        },
    );
    spec
}
