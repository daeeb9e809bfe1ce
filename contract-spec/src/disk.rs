//! The on-disk cache: what one rustc process derived from a spec, for the next one.
//!
//! Cargo runs a new rustc process for every check, so without it each `cargo check` parses the
//! whole spec again (YAML: about 0.12 s for Stripe's 4 MB or DigitalOcean's 1,508 files, with
//! the macros optimised) and rebuilds the run-time bundle (0.07-0.15 s), however small the edit.
//! Entries are keyed by content, never by modification time: each file's parsed value is reused
//! only for the same bytes (length and hash), and a derived artifact only for the same bytes of
//! every file, so a stale entry cannot be served. A missing, unreadable or corrupt entry is a
//! miss: the spec is parsed as if there were no cache.
//!
//! Where: `CONTRACT_CACHE_DIR` when set (`off` disables it); else `contract-cache` beside the
//! `deps` folder rustc writes into (`target/debug/contract-cache`), so `cargo clean` removes it.
//! Outside a rustc process (rust-analyzer's proc-macro server keeps its specs in memory, tests
//! call the loader directly) there is no such folder and nothing is written.

use std::collections::HashMap;
use std::hash::Hasher;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Changes whenever the code that produces cached content changes (parsing, `$ref` walking,
/// the bundle), so a cache written by another version of this crate is never read as current.
pub(crate) const BUILD_KEY: u64 = contract_schema::hash::fnv1a_parts(&[
    env!("CARGO_PKG_VERSION"),
    include_str!("bundle.rs"),
    include_str!("document.rs"),
    include_str!("model.rs"),
    include_str!("slice.rs"),
    include_str!("yaml.rs"),
    include_str!("disk.rs"),
    include_str!("lint.rs"),
    include_str!("payloads.rs"),
]);

/// The environment variable naming the cache folder, or `off`.
pub const CACHE_DIR_VAR: &str = "CONTRACT_CACHE_DIR";

/// A hash of a file's bytes, to recognise them in the cache: every process hashes every file
/// of its spec, so this is the folded multiply of wyhash and foldhash, 32 bytes a step in two
/// lanes: about half an instruction a byte, where SipHash takes several. It tells versions of a
/// file apart; it is not meant to resist someone crafting collisions.
pub fn content_hash(bytes: &[u8]) -> u64 {
    const K: [u64; 4] = [
        0xa076_1d64_78bd_642f,
        0xe703_7ed1_a0b4_28db,
        0x8ebc_6af0_9c88_c6e3,
        0x5899_65cc_7537_4cc3,
    ];
    fn fold(a: u64, b: u64) -> u64 {
        let product = u128::from(a).wrapping_mul(u128::from(b));
        (product as u64) ^ ((product >> 64) as u64)
    }
    fn word(block: &[u8; 32], at: usize) -> u64 {
        block[at..]
            .first_chunk::<8>()
            .map_or(0, |word| u64::from_le_bytes(*word))
    }
    // Two independent lanes of 16 bytes, so the multiplies overlap. Fixed-size blocks and
    // words read by reference: proc macros are built with debug assertions, whose checks in
    // `split_at` and `copy_from_slice` would triple the cost of a step.
    fn step(lanes: [u64; 2], block: &[u8; 32]) -> [u64; 2] {
        [
            fold(word(block, 0) ^ K[1], word(block, 8) ^ lanes[0]),
            fold(word(block, 16) ^ K[2], word(block, 24) ^ lanes[1]),
        ]
    }
    let seed = K[0] ^ (bytes.len() as u64).wrapping_mul(K[1]);
    let mut lanes = [seed, seed.rotate_left(32) ^ K[3]];
    let (blocks, rest) = bytes.as_chunks::<32>();
    for block in blocks {
        lanes = step(lanes, block);
    }
    let mut last = [0u8; 32];
    last[..rest.len()].copy_from_slice(rest);
    lanes = step(lanes, &last);
    fold(lanes[0] ^ K[3], lanes[1] ^ K[0] ^ rest.len() as u64)
}

static DIR_FOR_TESTS: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();

/// Makes `dir` this process's cache folder, whatever its environment (for tests, which cannot
/// set an environment variable while other threads may read the environment).
#[doc(hidden)]
pub fn use_dir_for_tests(dir: PathBuf) {
    let _ = DIR_FOR_TESTS.set(dir);
}

/// The cache folder of this process, if it has one.
pub fn dir() -> Option<PathBuf> {
    if let Some(dir) = DIR_FOR_TESTS.get() {
        return Some(dir.clone());
    }
    match std::env::var_os(CACHE_DIR_VAR) {
        Some(value) if value == "off" || value.is_empty() => return None,
        Some(value) => return Some(PathBuf::from(value)),
        None => {}
    }
    // A proc macro runs inside rustc: its arguments say where this crate's output goes.
    dir_from_args(std::env::args_os())
}

/// `contract-cache` beside the `deps` folder of rustc's `--out-dir`, or in that folder.
fn dir_from_args(args: impl IntoIterator<Item = std::ffi::OsString>) -> Option<PathBuf> {
    let mut args = args.into_iter();
    let mut out_dir = None;
    while let Some(arg) = args.next() {
        if arg == "--out-dir" {
            out_dir = args.next().map(PathBuf::from);
        } else if let Some(value) = arg.to_str().and_then(|a| a.strip_prefix("--out-dir=")) {
            out_dir = Some(PathBuf::from(value));
        }
    }
    let out_dir = out_dir?;
    let base = if out_dir.file_name().is_some_and(|n| n == "deps") {
        out_dir
            .parent()
            .map_or_else(|| out_dir.clone(), Path::to_path_buf)
    } else {
        out_dir
    };
    Some(base.join("contract-cache"))
}

/// One file's parsed value, and the bytes it was parsed from.
#[derive(Serialize, Deserialize)]
struct CachedFile {
    len: u64,
    hash: u64,
    value: Value,
}

#[derive(Serialize, Deserialize)]
struct CachedValues {
    build: u64,
    files: HashMap<PathBuf, CachedFile>,
    /// The files in the order the loader found them (the root first).
    order: Vec<PathBuf>,
    /// Whether every `$ref` resolved: then the same bytes lead to the same files.
    complete: bool,
}

/// Parsed values of a spec's files from an earlier process, by canonical path.
#[derive(Default)]
pub struct Preparsed {
    files: HashMap<PathBuf, CachedFile>,
    order: Vec<PathBuf>,
    complete: bool,
}

impl Preparsed {
    /// The files of an earlier load in which every `$ref` resolved, in its order.
    pub fn complete_order(&mut self) -> Option<Vec<PathBuf>> {
        self.complete.then(|| std::mem::take(&mut self.order))
    }

    /// The value parsed earlier from exactly these bytes of `path`.
    pub fn take(&mut self, path: &Path, len: usize, hash: u64) -> Option<Value> {
        let cached = self.files.get(path)?;
        if cached.len != len as u64 || cached.hash != hash {
            return None;
        }
        self.files.remove(path).map(|f| f.value)
    }
}

/// The file of the entry `name` of the spec rooted at `root`.
pub(crate) fn entry_path(dir: &Path, root: &Path, base_dir: &Path, name: &str) -> PathBuf {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    hasher.write(root.as_os_str().as_encoded_bytes());
    hasher.write_u8(0);
    hasher.write(base_dir.as_os_str().as_encoded_bytes());
    dir.join(format!("{:016x}.{name}", hasher.finish()))
}

/// The values cached in `dir` for the spec rooted at `root` (canonical), if any.
pub fn read_values(dir: &Path, root: &Path, base_dir: &Path) -> Preparsed {
    let Ok(bytes) = std::fs::read(entry_path(dir, root, base_dir, "values.json")) else {
        return Preparsed::default();
    };
    match serde_json::from_slice::<CachedValues>(&bytes) {
        Ok(cached) if cached.build == BUILD_KEY => Preparsed {
            files: cached.files,
            order: cached.order,
            complete: cached.complete,
        },
        _ => Preparsed::default(),
    }
}

/// Records each file's parsed value for the next process: `files` in the order they were
/// loaded, `complete` when every `$ref` resolved.
pub fn write_values<'a>(
    dir: &Path,
    root: &Path,
    base_dir: &Path,
    files: impl Iterator<Item = (&'a Path, usize, u64, &'a Value)>,
    complete: bool,
) {
    // Borrowed on the way out: the values are large and the document keeps them.
    #[derive(Serialize)]
    struct Out<'a> {
        len: u64,
        hash: u64,
        value: &'a Value,
    }
    let mut order = Vec::new();
    let files: HashMap<&Path, Out<'_>> = files
        .map(|(path, len, hash, value)| {
            order.push(path);
            (
                path,
                Out {
                    len: len as u64,
                    hash,
                    value,
                },
            )
        })
        .collect();
    let Ok(text) = serde_json::to_vec(&serde_json::json!({
        "build": BUILD_KEY,
        "files": files,
        "order": order,
        "complete": complete,
    })) else {
        return;
    };
    write_atomically(&entry_path(dir, root, base_dir, "values.json"), &text);
}

/// An artifact derived from the whole spec, cached in `dir` under `name` for as long as every
/// file of the spec (`digest`, see [`crate::Document::digest`]) is the same; built by `build`
/// otherwise.
pub fn artifact(
    dir: &Path,
    root: &Path,
    base_dir: &Path,
    digest: u64,
    name: &str,
    build: impl FnOnce() -> String,
) -> String {
    if let Some(body) = read_artifact(dir, root, base_dir, digest, name) {
        return body;
    }
    let body = build();
    let mut text = format!("{BUILD_KEY:016x}{digest:016x}\n");
    text.push_str(&body);
    write_atomically(&entry_path(dir, root, base_dir, name), text.as_bytes());
    body
}

/// The artifact `name` kept in `dir` for the spec whose files' digest is `digest`, if any.
pub fn read_artifact(
    dir: &Path,
    root: &Path,
    base_dir: &Path,
    digest: u64,
    name: &str,
) -> Option<String> {
    let header = format!("{BUILD_KEY:016x}{digest:016x}\n");
    let text = std::fs::read_to_string(entry_path(dir, root, base_dir, name)).ok()?;
    text.strip_prefix(&header).map(str::to_string)
}

/// Writes through a temporary file and a rename, so that a concurrent rustc (two crates of a
/// workspace share a spec) reads the old entry or the new one, never half of one. Failures are
/// ignored: the cache is an optimisation.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) {
    let Some(dir) = path.parent() else { return };
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    if std::fs::write(&tmp, bytes).is_ok() && std::fs::rename(&tmp, path).is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_folder_is_beside_rustcs_deps_folder() {
        let args = |list: &[&str]| {
            list.iter()
                .map(std::ffi::OsString::from)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            dir_from_args(args(&["rustc", "--out-dir", "/t/debug/deps", "src/lib.rs"])),
            Some(PathBuf::from("/t/debug/contract-cache"))
        );
        assert_eq!(
            dir_from_args(args(&["rustc", "--out-dir=/t/out"])),
            Some(PathBuf::from("/t/out/contract-cache"))
        );
        assert_eq!(dir_from_args(args(&["proc-macro-srv"])), None);
        assert_eq!(dir_from_args(args(&["rustc", "--out-dir"])), None);
    }

    #[test]
    fn the_content_hash_tells_every_one_byte_change_apart() {
        let base: Vec<u8> = (0..67u8).map(|i| b'a' + i % 26).collect();
        let mut seen = std::collections::HashSet::new();
        for len in 0..=base.len() {
            assert!(seen.insert(content_hash(&base[..len])), "length {len}");
        }
        for at in 0..base.len() {
            for byte in [0u8, b' ', b'\n', 0xff] {
                let mut changed = base.clone();
                changed[at] = byte;
                assert!(seen.insert(content_hash(&changed)), "byte {byte} at {at}");
            }
        }
        let mut padded = base.clone();
        padded.push(0);
        assert_ne!(content_hash(&padded), content_hash(&base));
        assert_eq!(content_hash(&base), content_hash(&base.clone()));
    }

    #[test]
    fn the_build_key_depends_on_every_part_and_where_it_ends() {
        use contract_schema::hash::fnv1a_parts as fnv;
        assert_ne!(fnv(&["ab", "c"]), fnv(&["a", "bc"]));
        assert_ne!(fnv(&["a"]), fnv(&["b"]));
        assert_eq!(fnv(&["a", "b"]), fnv(&["a", "b"]));
    }

    #[test]
    fn a_value_is_reused_only_for_the_same_bytes() {
        let mut preparsed = Preparsed::default();
        let path = PathBuf::from("/spec/a.yaml");
        let insert = |p: &mut Preparsed| {
            p.files.insert(
                path.clone(),
                CachedFile {
                    len: 3,
                    hash: 7,
                    value: Value::Bool(true),
                },
            );
        };
        insert(&mut preparsed);
        assert_eq!(preparsed.take(&path, 3, 8), None);
        assert_eq!(preparsed.take(&path, 4, 7), None);
        assert_eq!(preparsed.take(Path::new("/spec/b.yaml"), 3, 7), None);
        assert_eq!(preparsed.take(&path, 3, 7), Some(Value::Bool(true)));
        assert_eq!(preparsed.take(&path, 3, 7), None, "taken once");
    }
}
