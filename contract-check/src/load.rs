//! The load stage shared by every macro: find the spec, load it through the process cache, and make
//! cargo re-run the macro when any of its files changes.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use contract_spec::{Operation, Spec, SpecError};
use proc_macro2::{Span, TokenStream};
use quote::quote;

use crate::expect::ExpectationMemo;

/// A spec ready for checking, plus the tokens that track its files.
pub struct Loaded {
    pub spec: Arc<Result<Spec, SpecError>>,
    /// Canonical path of the root file: identifies the spec across macro invocations.
    pub key: String,
    pub tracking: TokenStream,
}

impl Loaded {
    /// `Operation::SPEC_ID`: FNV-1a of `key`, the same in every invocation of every process.
    pub fn spec_id(&self) -> u64 {
        contract_spec::fnv1a(self.key.as_bytes())
    }
}

/// The crate's folder, its spec's root file (the crate's, or the one `explicit` names relative
/// to the crate root) and other files that decide which spec it is.
fn find(explicit: Option<&syn::LitStr>) -> Result<(PathBuf, PathBuf, Vec<PathBuf>), syn::Error> {
    let span = explicit.map_or_else(Span::call_site, |l| l.span());
    let dir = contract_spec::manifest_dir().map_err(|e| syn::Error::new(span, e))?;
    let explicit_value = explicit.map(syn::LitStr::value);
    let (path, extra) = contract_spec::find_spec(&dir, explicit_value.as_deref())
        .map_err(|e| syn::Error::new(span, e))?;
    Ok((dir, path, extra))
}

/// Loads the crate's spec, or the one named by `explicit` (relative to the crate root).
pub fn load(explicit: Option<&syn::LitStr>) -> Result<Loaded, syn::Error> {
    let (dir, path, extra) = find(explicit)?;
    let spec = contract_spec::load_cached(&path, &dir);
    Ok(loaded(path, extra, spec))
}

/// The slice `key` of the spec [`load`] would load, when the on-disk cache holds it for the
/// spec's current bytes (see `contract_spec::load_slice`). Whatever goes wrong here, [`load`]
/// reports.
pub fn load_slice(explicit: Option<&syn::LitStr>, key: &str) -> Option<Loaded> {
    let (dir, path, extra) = find(explicit).ok()?;
    let spec = contract_spec::load_slice(&path, &dir, key)?;
    Some(loaded(path, extra, spec))
}

/// Checks of one item against a slice, or against the whole spec, leaving a slice behind.
pub enum Against {
    /// A slice: its answer stands only if it has no error and read nothing outside the slice.
    Slice,
    /// The whole spec: keep the slice `key` for a later process when the item checks clean.
    Whole(String),
}

impl Against {
    /// Starts a check of `spec` (recording what a slice should hold).
    pub fn start(&self, spec: &Spec) {
        if matches!(self, Against::Whole(_)) && spec.keeps_slices() {
            spec.doc.record();
        }
    }

    /// Whether a slice's answer can be used: the item checked clean within the slice.
    pub fn stands(&self, spec: &Spec, clean: bool) -> bool {
        match self {
            Against::Slice => clean && !spec.doc.missed(),
            Against::Whole(_) => true,
        }
    }

    /// Ends a check of the whole `spec`, which found `operations`: when clean, what it read is
    /// kept as a slice.
    pub fn finish(&self, spec: &Spec, clean: bool, operations: Vec<Operation>) {
        if let Against::Whole(key) = self {
            let recorded = spec.doc.recorded();
            if clean {
                spec.store_slice(key, recorded, operations, serde_json::Value::Null);
            }
        }
    }
}

fn loaded(path: PathBuf, extra: Vec<PathBuf>, spec: Arc<Result<Spec, SpecError>>) -> Loaded {
    let key = std::fs::canonicalize(&path)
        .unwrap_or_else(|_| path.clone())
        .to_string_lossy()
        .into_owned();
    // A spec's files are tracked by the first invocation of the process that loads it; the
    // others skip even listing them (DigitalOcean's spec has 1,508 files).
    // The spec's own files were just read; the others may not exist.
    let extra = extra.iter().map(|f| (f.as_path(), false));
    let tracking = if first_load(&key, spec.is_ok()) {
        match spec.as_ref() {
            Ok(spec) => track(extra.chain(spec.doc.paths().map(|f| (f, true)))),
            Err(_) => track(extra.chain([(path.as_path(), false)])),
        }
    } else {
        track(extra)
    };
    Loaded {
        spec,
        key,
        tracking,
    }
}

/// Files tracked in this process, by their paths' bytes (`Path`'s `Hash` walks components).
static TRACKED: OnceLock<Mutex<HashSet<std::ffi::OsString, contract_spec::PathHashing>>> =
    OnceLock::new();
static LOADED: OnceLock<Mutex<HashSet<String>>> = OnceLock::new();

/// Whether this is the first successful load of the spec `key` in this process.
fn first_load(key: &str, ok: bool) -> bool {
    let mut loaded = LOADED
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    // A failed load is tracked again next time: the file may appear or be fixed.
    !loaded.contains(key) && (!ok || loaded.insert(key.to_string()))
}

/// `include_bytes!` of each file makes cargo list it in the crate's dep-info, so an edit
/// re-runs the build. Dep-info is per crate and one rustc process compiles one crate, so each
/// file is emitted once per process rather than once per macro invocation. A file the crate's
/// build script already has cargo watch needs none (see [`watched_by_build_script`]).
fn track<'a>(files: impl Iterator<Item = (&'a Path, bool)>) -> TokenStream {
    let mut seen = TRACKED
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    let mut watched = None;
    let mut paths = Vec::new();
    for (file, read) in files {
        if seen.contains(file.as_os_str()) || !(read || file.is_file()) {
            continue;
        }
        seen.insert(file.as_os_str().to_owned());
        let watched = watched.get_or_insert_with(watched_by_build_script);
        // The spec's own files (`read`) have canonical paths already (the document keys them so).
        if !watched.is_empty() && is_watched(file, read, watched) {
            continue;
        }
        if let Some(path) = file.to_str() {
            paths.push(path);
        }
    }
    if paths.is_empty() {
        return TokenStream::new();
    }
    // Statements of a fn that is never called: rustc reads the files (and lists them in the
    // dep-info) but does not const-evaluate them, as it would an item per file.
    // Through a local `macro_rules!`, so that each file costs one token across the proc-macro
    // bridge rather than eight (DigitalOcean has 1,508). Literals rather than the whole text
    // handed to rustc to parse in one call: rustc's lexing of that text costs what
    // `proc_macro`'s escaping of each literal does.
    quote! {
        const _: () = {
            macro_rules! track {
                ($($path:literal)*) => {
                    #[allow(dead_code)]
                    fn track() {
                        $(::core::include_bytes!($path);)*
                    }
                };
            }
            track!(#(#paths)*);
        };
    }
}

/// The paths (canonical) that the crate's build script has cargo watch, with
/// `cargo:rerun-if-changed=` or `cargo::rerun-if-changed=`. When one of them changes, cargo
/// re-runs the build script and then rebuilds the crate, so the spec's files under them need
/// no `include_bytes!`: rustc pays about 18 instructions a byte of the file for one on every
/// build, hashing it (MD5) for its source map, indexing its lines and hashing it again with
/// the HIR, 70 M instructions for Stripe's 4 MB, which would otherwise be the part of a
/// re-check that grows with the spec (BENCHMARKS.md).
///
/// Cargo hands the crate's compilation the build script's `OUT_DIR`, and keeps what the script
/// printed in `output` beside it. Anything unexpected (no build script, another layout, a
/// folder that is not this package's) leaves the list empty, and every file is tracked by
/// `include_bytes!`.
fn watched_by_build_script() -> Vec<PathBuf> {
    let (Some(out_dir), Some(package), Some(root)) = (
        std::env::var_os("OUT_DIR"),
        std::env::var_os("CARGO_PKG_NAME"),
        std::env::var_os("CARGO_MANIFEST_DIR"),
    ) else {
        return Vec::new();
    };
    build_script_watches(Path::new(&out_dir), &package, Path::new(&root))
}

/// [`watched_by_build_script`] for the build script run whose `OUT_DIR` is `out_dir`, of the
/// package named `package` whose root (where relative paths start) is `root`.
fn build_script_watches(out_dir: &Path, package: &std::ffi::OsStr, root: &Path) -> Vec<PathBuf> {
    // `build/<package>-<hex hash>/out`: an `OUT_DIR` inherited from an outer cargo (a test
    // that runs cargo) names another package's run, whose output says nothing about this
    // crate.
    let run = out_dir.parent().filter(|_| out_dir.ends_with("out"));
    let this_package = run
        .and_then(Path::file_name)
        .and_then(|name| {
            name.as_encoded_bytes()
                .strip_prefix(package.as_encoded_bytes())
        })
        .and_then(|rest| rest.strip_prefix(b"-"))
        .is_some_and(|hash| !hash.is_empty() && hash.iter().all(u8::is_ascii_hexdigit));
    let output = match run {
        Some(run) if this_package => std::fs::read_to_string(run.join("output")),
        _ => return Vec::new(),
    };
    let Ok(output) = output else {
        return Vec::new();
    };
    output
        .lines()
        .filter_map(|line| {
            line.strip_prefix("cargo::rerun-if-changed=")
                .or_else(|| line.strip_prefix("cargo:rerun-if-changed="))
        })
        .filter_map(|path| std::fs::canonicalize(root.join(path.trim_end())).ok())
        .collect()
}

/// Whether `file` is one of `watched`, or inside one of them (cargo watches a folder's whole
/// tree). Unless the caller knows `file` to be `canonical`, it is made so first: a `..` or a
/// symlink must not place it under a watched folder it is not in. Skipping that for the spec's
/// own files matters on specs split over many files (a `readlink` per path component; 1,508
/// files for DigitalOcean's).
fn is_watched(file: &Path, canonical: bool, watched: &[PathBuf]) -> bool {
    let under = |file: &Path| watched.iter().any(|w| file.starts_with(w));
    if canonical {
        under(file)
    } else {
        std::fs::canonicalize(file).is_ok_and(|file| under(&file))
    }
}

type SpecCell = Arc<Result<Spec, SpecError>>;

/// What the macros derive from one loaded spec and reuse across invocations: specs split over
/// files repeat the same response and error schemas on every operation.
#[derive(Default)]
pub struct Derived {
    bundle: OnceLock<Arc<str>>,
    pub expectations: ExpectationMemo,
}

/// A loaded spec (while it is alive) and what was derived from it.
type DerivedEntry = (std::sync::Weak<Result<Spec, SpecError>>, Arc<Derived>);
static DERIVED: OnceLock<Mutex<Vec<DerivedEntry>>> = OnceLock::new();

/// The derived data of a loaded spec: one per loaded spec and process (a changed spec is a
/// new cache entry, so a new `Arc`, and gets its own).
pub fn derived(cell: &SpecCell) -> Arc<Derived> {
    let mut entries = DERIVED
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    entries.retain(|(weak, _)| weak.strong_count() > 0);
    if let Some((_, derived)) = entries
        .iter()
        .find(|(weak, _)| weak.upgrade().is_some_and(|a| Arc::ptr_eq(&a, cell)))
    {
        return derived.clone();
    }
    let derived = Arc::new(Derived::default());
    entries.push((Arc::downgrade(cell), derived.clone()));
    derived
}

/// The run-time bundle of a loaded spec, as JSON text: built once per loaded spec and process,
/// since `routes!` and `spec!()` both embed it, and kept on disk for the next process while
/// the spec's files are the same.
pub fn bundle_json(cell: &SpecCell, spec: &Spec) -> Arc<str> {
    derived(cell)
        .bundle
        .get_or_init(|| {
            let dir = contract_spec::disk::dir();
            spec.cached_artifact(dir.as_deref(), "bundle.json", || {
                serde_json::to_string(&contract_spec::bundle::bundle(spec)).unwrap_or_default()
            })
            .into()
        })
        .clone()
}

/// What `routes!` and `spec!()` embed: the bundle, or, where rustc only checks the crate, a
/// placeholder. A check emits no code, so nothing it compiles ever runs, and embedding a
/// megabyte literal there costs every `cargo check` tens of milliseconds.
pub fn embedded_bundle(cell: &SpecCell, spec: &Spec) -> proc_macro2::Literal {
    if only_checking(std::env::args_os()) {
        proc_macro2::Literal::string("{}")
    } else {
        bundle_literal(&bundle_json(cell, spec))
    }
}

/// What `routes!` and `spec!()` embed, from the on-disk cache alone (for a slice, which cannot
/// build the bundle).
pub fn stored_bundle(spec: &Spec) -> Option<proc_macro2::Literal> {
    if only_checking(std::env::args_os()) {
        Some(proc_macro2::Literal::string("{}"))
    } else {
        spec.stored_artifact("bundle.json")
            .map(|json| bundle_literal(&json))
    }
}

/// Whether these (rustc's) arguments ask for metadata and dep-info only (`cargo check`,
/// `cargo clippy`). Without an `--emit`, rustc emits code.
fn only_checking(args: impl IntoIterator<Item = std::ffi::OsString>) -> bool {
    let mut args = args.into_iter();
    let mut kinds = None;
    while let Some(arg) = args.next() {
        let Some(arg) = arg.to_str().map(str::to_string) else {
            continue;
        };
        if arg == "--emit" {
            kinds = args.next().and_then(|a| a.to_str().map(str::to_string));
        } else if let Some(value) = arg.strip_prefix("--emit=") {
            kinds = Some(value.to_string());
        }
    }
    kinds.is_some_and(|kinds| {
        kinds.split(',').all(|kind| {
            let kind = kind.split_once('=').map_or(kind, |(kind, _)| kind);
            matches!(kind, "dep-info" | "metadata")
        })
    })
}

/// The bundle as a raw string literal (`r#"…"#`): a megabyte of JSON is full of quotes, which
/// an ordinary literal escapes in the macro and rustc unescapes again.
pub fn bundle_literal(json: &str) -> proc_macro2::Literal {
    let hashes = longest_hash_run_after_quote(json) + 1;
    let fence = "#".repeat(hashes);
    let raw = format!("r{fence}\"{json}\"{fence}");
    // A bare carriage return cannot stand in a raw string; serde_json never writes one, but the
    // escaped form stays correct whatever the text.
    match raw.parse::<proc_macro2::Literal>() {
        Ok(literal) if !json.contains('\r') => literal,
        _ => proc_macro2::Literal::string(json),
    }
}

/// The longest run of `#` right after a `"` in `text`.
fn longest_hash_run_after_quote(text: &str) -> usize {
    text.split('"')
        .skip(1)
        .map(|after| after.bytes().take_while(|b| *b == b'#').count())
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_metadata_and_dep_info_emit_is_a_check() {
        let only = |args: &[&str]| only_checking(args.iter().map(std::ffi::OsString::from));
        assert!(only(&["rustc", "--emit=dep-info,metadata", "src/lib.rs"]));
        assert!(only(&["rustc", "--emit", "metadata=/t/lib.rmeta"]));
        assert!(!only(&["rustc", "--emit=dep-info,metadata,link"]));
        assert!(!only(&["rustc", "--emit=link", "-C", "opt-level=3"]));
        assert!(!only(&["rustc", "--emit=dep-info,mir"]));
        assert!(
            !only(&["rustc", "src/main.rs"]),
            "rustc's default emits code"
        );
        assert!(!only(&["proc-macro-srv"]));
    }

    #[test]
    fn files_under_a_build_scripts_rerun_if_changed_paths_are_watched() {
        let tmp = std::env::temp_dir().join(format!("contract-watch-{}", std::process::id()));
        let root = tmp.join("crate");
        let run = tmp.join("target/debug/build/my-api-0123abcd");
        for dir in [root.join("api/paths"), root.join("api2"), run.join("out")] {
            std::fs::create_dir_all(dir).unwrap();
        }
        for file in [
            "api/spec.yaml",
            "api/paths/a.yaml",
            "api2/b.yaml",
            "other.yaml",
        ] {
            std::fs::write(root.join(file), "x").unwrap();
        }
        let output = "cargo:rerun-if-changed=api\n\
                      cargo:rustc-env=X=1\n\
                      cargo::rerun-if-changed=other.yaml\r\n\
                      cargo:rerun-if-changed=missing.yaml\n\
                      some line the script printed\n";
        std::fs::write(run.join("output"), output).unwrap();
        let package = std::ffi::OsStr::new("my-api");

        let watched = build_script_watches(&run.join("out"), package, &root);
        let canonical = |p: &str| std::fs::canonicalize(root.join(p)).unwrap();
        assert_eq!(watched, [canonical("api"), canonical("other.yaml")]);
        for (file, expected) in [
            ("api/spec.yaml", true),
            ("api/paths/a.yaml", true),
            ("api/paths/../spec.yaml", true),
            ("other.yaml", true),
            ("api2/b.yaml", false),
            ("missing.yaml", false),
        ] {
            assert_eq!(
                is_watched(&root.join(file), false, &watched),
                expected,
                "{file}"
            );
        }
        // A canonical path is taken as it is.
        assert!(is_watched(&canonical("api/paths/a.yaml"), true, &watched));
        assert!(!is_watched(&canonical("api2/b.yaml"), true, &watched));

        // Another package's run (an `OUT_DIR` inherited from an outer cargo), one whose name
        // only starts like this package's, or no `out` folder: nothing is watched.
        assert!(build_script_watches(&run.join("out"), "my".as_ref(), &root).is_empty());
        assert!(build_script_watches(&run.join("out"), "my-ap".as_ref(), &root).is_empty());
        assert!(build_script_watches(&run.join("elsewhere"), package, &root).is_empty());
        assert!(build_script_watches(&root, package, &root).is_empty());
        std::fs::remove_file(run.join("output")).unwrap();
        assert!(build_script_watches(&run.join("out"), package, &root).is_empty());
        std::fs::remove_dir_all(&tmp).unwrap();
    }

    #[test]
    fn raw_literals_fence_past_every_quote_hash_run() {
        assert_eq!(longest_hash_run_after_quote(r#"{"a":"b"}"#), 0);
        assert_eq!(
            longest_hash_run_after_quote(r###"{"a":"#b", "c":"##"}"###),
            2
        );
        for text in [r#"{"a":"b"}"#, r###"{"a":"#b ## "## x"}"###, "", "plain"] {
            let literal = bundle_literal(text).to_string();
            let parsed: syn::LitStr = syn::parse_str(&literal).unwrap();
            assert_eq!(parsed.value(), text, "{literal}");
        }
        let with_cr = bundle_literal("a\rb").to_string();
        assert_eq!(
            syn::parse_str::<syn::LitStr>(&with_cr).unwrap().value(),
            "a\rb"
        );
    }
}
