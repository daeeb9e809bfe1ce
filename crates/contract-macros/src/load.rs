//! The load stage shared by every macro: find the spec, load it through the process cache, and
//! make cargo re-run the macro when any of its files changes.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use contract_spec::{Spec, SpecError};
use proc_macro2::{Span, TokenStream};
use quote::quote;

/// A spec ready for checking, plus the tokens that track its files.
pub struct Loaded {
    pub spec: Arc<Result<Spec, SpecError>>,
    /// Canonical path of the root file: identifies the spec across macro invocations.
    pub key: String,
    pub tracking: TokenStream,
}

/// Loads the crate's spec, or the one named by `explicit` (relative to the crate root).
pub fn load(explicit: Option<&syn::LitStr>) -> Result<Loaded, syn::Error> {
    let span = explicit.map_or_else(Span::call_site, |l| l.span());
    let dir = contract_spec::manifest_dir().map_err(|e| syn::Error::new(span, e))?;
    let explicit_value = explicit.map(syn::LitStr::value);
    let (path, extra) = contract_spec::find_spec(&dir, explicit_value.as_deref())
        .map_err(|e| syn::Error::new(span, e))?;
    let spec = contract_spec::load_cached(&path, &dir);
    let key = std::fs::canonicalize(&path)
        .unwrap_or_else(|_| path.clone())
        .to_string_lossy()
        .into_owned();
    // A spec's files are tracked by the first invocation of the process that loads it; the
    // others skip even listing them (DigitalOcean's spec has 1,508 files).
    let tracking = if first_load(&key, spec.is_ok()) {
        let mut files: Vec<PathBuf> = extra;
        match spec.as_ref() {
            Ok(spec) => files.extend(spec.doc.paths().map(PathBuf::from)),
            Err(_) => files.push(path.clone()),
        }
        track(&files)
    } else {
        track(&extra)
    };
    Ok(Loaded {
        spec,
        key,
        tracking,
    })
}

static TRACKED: OnceLock<Mutex<HashSet<PathBuf>>> = OnceLock::new();
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
/// file is emitted once per process rather than once per macro invocation.
fn track(files: &[PathBuf]) -> TokenStream {
    let mut seen = TRACKED
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    let mut out = TokenStream::new();
    for file in files {
        if seen.contains(file) || !file.is_file() {
            continue;
        }
        seen.insert(file.clone());
        let Some(path) = file.to_str() else { continue };
        out.extend(quote! { const _: &[u8] = ::core::include_bytes!(#path); });
    }
    out
}

type SpecCell = Arc<Result<Spec, SpecError>>;
/// A loaded spec (while it is alive) and its bundle.
type BundleEntry = (std::sync::Weak<Result<Spec, SpecError>>, Arc<str>);
static BUNDLES: OnceLock<Mutex<Vec<BundleEntry>>> = OnceLock::new();

/// The run-time bundle of a loaded spec, as JSON text: built once per loaded spec and process,
/// since `routes!` and `spec!()` both embed it (a changed spec is a new cache entry, so a new
/// `Arc`, and gets a bundle of its own).
pub fn bundle_json(cell: &SpecCell, spec: &Spec) -> Arc<str> {
    let mut bundles = BUNDLES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    bundles.retain(|(weak, _)| weak.strong_count() > 0);
    if let Some((_, json)) = bundles
        .iter()
        .find(|(weak, _)| weak.upgrade().is_some_and(|a| Arc::ptr_eq(&a, cell)))
    {
        return json.clone();
    }
    let json: Arc<str> = serde_json::to_string(&contract_spec::bundle::bundle(spec))
        .unwrap_or_default()
        .into();
    bundles.push((Arc::downgrade(cell), json.clone()));
    json
}
