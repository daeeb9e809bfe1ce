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
    let mut files: Vec<PathBuf> = extra;
    match spec.as_ref() {
        Ok(spec) => files.extend(spec.doc.paths().map(PathBuf::from)),
        Err(_) => files.push(path.clone()),
    }
    let key = std::fs::canonicalize(&path)
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned();
    Ok(Loaded {
        spec,
        key,
        tracking: track(&files),
    })
}

static TRACKED: OnceLock<Mutex<HashSet<PathBuf>>> = OnceLock::new();

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
        if !file.is_file() || !seen.insert(file.clone()) {
            continue;
        }
        let Some(path) = file.to_str() else { continue };
        out.extend(quote! { const _: &[u8] = ::core::include_bytes!(#path); });
    }
    out
}
