//! Spec loading for the `contract` macros: finds a crate's OpenAPI document, parses it (YAML or
//! JSON, 3.0, 3.1 or 3.2, with relative-file `$ref`s), extracts its operations, and renders every
//! problem with `file:line:col` and a JSON pointer.
//!
//! This crate is an implementation detail of `contract-macros`; it has no stable API.

#![deny(missing_docs)]

pub mod bundle;
mod cache;
mod components;
mod corpus;
mod coverage;
pub mod disk;
mod document;
mod error;
mod keywords;
pub mod lint;
mod locate;
mod manifest;
mod model;
mod payloads;
pub mod pointer;
mod select;
mod slice;
mod source;
pub mod suggest;
pub mod yaml;

use std::path::Path;

pub use cache::{load_cached, load_slice, parse_count, read_slice};
pub use components::{
    Components, Lookup, annotation_only, nullable_member, root_component_loc, root_component_name,
    single_member,
};
pub use contract_schema::hash::fnv1a;
pub use corpus::corpus_dir;
pub use document::{Document, Recorded, Version, display_path};
pub use error::{Place, SpecError};
pub use manifest::{
    DEFAULT_NAMES, LintLevel, MANIFEST_DIR_OVERRIDE, find_spec, lint_level, manifest_dir,
};
pub use model::{Method, Operation, ParamIn, Parameter, is_json_media, template_params};
pub use payloads::Payload;
pub use select::Selector;
pub use slice::Manifest;
pub use source::{FileId, Loc, PathHashing, SourceFile};

/// A loaded spec: the document and its operations.
#[derive(Debug)]
pub struct Spec {
    /// The document and every file it references.
    pub doc: Document,
    /// Every operation under `paths` (and 3.2 `additionalOperations`), in document order.
    pub operations: Vec<Operation>,
    /// Derived on first use (see [`Spec::components`]).
    components: std::sync::OnceLock<std::sync::Arc<Components>>,
}

impl Spec {
    pub(crate) fn new(doc: Document, operations: Vec<Operation>) -> Spec {
        Spec {
            doc,
            operations,
            components: Default::default(),
        }
    }

    /// Loads and analyses a spec, without caching. `base_dir` only affects how paths are shown.
    pub fn load(path: &Path, base_dir: &Path) -> Result<Spec, SpecError> {
        Self::load_with(path, base_dir, disk::Preparsed::default())
    }

    /// [`Spec::load`], reusing the values of files an earlier process parsed (see [`disk`]).
    pub fn load_with(
        path: &Path,
        base_dir: &Path,
        preparsed: disk::Preparsed,
    ) -> Result<Spec, SpecError> {
        let doc = Document::load_with(path, base_dir, preparsed)?;
        let operations = model::operations(&doc);
        Ok(Spec::new(doc, operations))
    }

    /// `build()`, or what it returned for this very spec (every file's bytes the same) in an
    /// earlier process, through the on-disk cache in `dir` (see [`disk::dir`]) under `name`.
    pub fn cached_artifact(
        &self,
        dir: Option<&Path>,
        name: &str,
        build: impl FnOnce() -> String,
    ) -> String {
        match (dir, self.doc.files.first()) {
            (Some(dir), Some(root)) => disk::artifact(
                dir,
                &root.path,
                &self.doc.base_dir,
                self.doc.digest(),
                name,
                build,
            ),
            _ => build(),
        }
    }

    /// Whether the document loaded whole, every `$ref` resolved and no operation has a
    /// problem: only such a spec is sliced (see the `slice` module).
    pub fn is_complete(&self) -> bool {
        !self.doc.is_sparse() && self.problems().is_empty()
    }

    /// Keeps, for a later process, the slice `key` of this spec: what a check `recorded` (see
    /// [`Document::record`]: the subtrees it read and the places it located), the
    /// `operations` it found and whatever `facts` the macro derived from the whole spec.
    /// Nothing is kept outside rustc, or for a spec that is not complete.
    pub fn store_slice(
        &self,
        key: &str,
        recorded: Vec<Recorded>,
        operations: Vec<Operation>,
        facts: serde_json::Value,
    ) {
        if let Some(dir) = disk::dir()
            && self.is_complete()
        {
            slice::write_slice(&dir, self, key, recorded, operations, facts);
        }
    }

    /// Whether slices of this spec would be kept (see [`Spec::store_slice`]): then a check
    /// should record what it reads.
    pub fn keeps_slices(&self) -> bool {
        disk::dir().is_some() && self.is_complete()
    }

    /// The artifact `name` kept on disk for this very spec (see [`Spec::cached_artifact`]),
    /// without building it.
    pub fn stored_artifact(&self, name: &str) -> Option<String> {
        let dir = disk::dir()?;
        let root = self.doc.files.first()?;
        disk::read_artifact(
            &dir,
            &root.path,
            &self.doc.base_dir,
            self.doc.digest(),
            name,
        )
    }

    /// The Rust scalar type a (parameter) schema maps to: `i32`/`i64` by integer format,
    /// `f32`/`f64` by number format, `bool`, else `String`.
    pub fn rust_scalar(&self, schema: Option<&Loc>) -> &'static str {
        use serde_json::Value;
        let Some((_, schema)) = schema.and_then(|l| self.doc.deref(l).ok()) else {
            return "String";
        };
        let ty = match schema.get("type") {
            Some(Value::String(t)) => t.as_str(),
            Some(Value::Array(ts)) => ts
                .iter()
                .filter_map(Value::as_str)
                .find(|t| *t != "null")
                .unwrap_or("string"),
            _ => "string",
        };
        let format = schema.get("format").and_then(Value::as_str).unwrap_or("");
        match (ty, format) {
            ("integer", "int32") => "i32",
            ("integer", _) => "i64",
            ("number", "float") => "f32",
            ("number", _) => "f64",
            ("boolean", _) => "bool",
            _ => "String",
        }
    }

    /// The display path of the root file.
    pub fn root_display(&self) -> &str {
        &self.doc.files[0].display
    }

    /// Problems no handler reports: unresolved `$ref`s outside the operations whose own
    /// definition is broken (their handlers report those).
    pub fn unowned_problems(&self) -> Vec<&SpecError> {
        let broken: Vec<&Loc> = self
            .operations
            .iter()
            .filter(|op| !op.problems.is_empty())
            .map(|op| &op.loc)
            .collect();
        self.doc
            .unresolved
            .iter()
            .filter(|(at, _)| {
                !broken.iter().any(|op| {
                    op.file == at.file && at.pointer.starts_with(&format!("{}/", op.pointer))
                })
            })
            .map(|(_, e)| e)
            .collect()
    }

    /// Every problem of the document: unresolved `$ref`s and each operation's own problems.
    pub fn problems(&self) -> Vec<&SpecError> {
        let mut out: Vec<&SpecError> = self.doc.unresolved.iter().map(|(_, e)| e).collect();
        let mut seen = std::collections::HashSet::new();
        for op in &self.operations {
            for p in &op.problems {
                // Shared problems (a path item's) are attached to each of its operations.
                if seen.insert(p.to_string()) {
                    out.push(p);
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod corpus_tests {
    #[test]
    fn a_missing_corpus_skips_outside_ci_and_fails_in_it() {
        let missing = std::env::temp_dir().join("contract-no-such-corpus");
        assert_eq!(crate::corpus::corpus_at(missing.clone(), false), None);
        assert!(std::panic::catch_unwind(|| crate::corpus::corpus_at(missing, true)).is_err());
    }
}
