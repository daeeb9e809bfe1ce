//! Slices: what the check of one item read of a spec, kept on disk.
//!
//! Cargo runs a new rustc process for every check, and each read back the whole parsed spec
//! from the on-disk cache (Stripe: about 11 ms and 40 MB of values) and indexed its YAML for
//! `file:line:col`, however few handlers the edit touched. While an item (a `#[contract]`
//! handler, a `#[derive(Schema)]` component, `routes!`) is checked against the whole spec, the
//! document records each subtree the check asks for and each place it locates
//! ([`Document::record`]); that record, with the operations the check found and whatever the
//! macro derived from the whole spec (`facts`), is the item's slice. Only what was asked for is
//! kept, not every `$ref` reachable from it: Stripe's expandable fields reach most of its
//! components from any operation (730 KB a slice, against 1-21 KB). A manifest lists the spec's
//! files with their lengths and content hashes; a later process that finds the same bytes in
//! every file checks the item against its slice.
//!
//! A slice answers exactly what the whole document would, within the subtrees it holds. A read
//! outside them is noted ([`Document::missed`]), and the macro then checks the item against
//! the whole document, as it does whenever the item has an error (messages suggest names from
//! the whole spec).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::coverage::{Coverage, within};
use crate::document::{Document, Recorded, Version, is_json, read_text};
use crate::locate::Locator;
use crate::model::Operation;
use crate::source::{ByPath, FileId, Loc, SourceFile};
use crate::{Spec, disk, pointer};

#[derive(Serialize, Deserialize)]
struct ManifestFile {
    path: PathBuf,
    display: String,
    len: u64,
    hash: u64,
}

#[derive(Serialize, Deserialize)]
struct StoredManifest {
    build: u64,
    files: Vec<ManifestFile>,
    version_text: String,
    v31: bool,
}

/// A spec's files, each read in this process and found to hold the bytes the manifest lists.
pub struct Manifest {
    /// The files, without values: each slice has its own.
    files: Arc<[SourceFile]>,
    by_path: Arc<ByPath>,
    version: Version,
    version_text: String,
    base_dir: PathBuf,
    digest: u64,
}

impl Manifest {
    /// Every file of the spec, for change tracking.
    pub fn paths(&self) -> impl Iterator<Item = &Path> {
        self.files.iter().map(|f| f.path.as_path())
    }
}

/// Records the files of `spec` (whole, without problems) for [`read_manifest`].
pub(crate) fn write_manifest(dir: &Path, spec: &Spec) {
    let doc = &spec.doc;
    let Some(root) = doc.files.first() else {
        return;
    };
    let manifest = StoredManifest {
        build: disk::BUILD_KEY,
        files: doc
            .files
            .iter()
            .map(|f| ManifestFile {
                path: f.path.clone(),
                display: f.display.clone(),
                len: f.text().len() as u64,
                hash: f.hash(),
            })
            .collect(),
        version_text: doc.version_text.clone(),
        v31: doc.version == Version::V31,
    };
    if let Ok(text) = serde_json::to_vec(&manifest) {
        disk::write_atomically(
            &disk::entry_path(dir, &root.path, &doc.base_dir, "manifest.json"),
            &text,
        );
    }
}

/// The manifest of the spec rooted at `root` (canonical), when every file it lists holds the
/// same bytes now.
pub(crate) fn read_manifest(dir: &Path, root: &Path, base_dir: &Path) -> Option<Manifest> {
    let bytes = std::fs::read(disk::entry_path(dir, root, base_dir, "manifest.json")).ok()?;
    let stored: StoredManifest = serde_json::from_slice(&bytes).ok()?;
    if stored.build != disk::BUILD_KEY
        || stored.files.first().map(|f| f.path.as_path()) != Some(root)
    {
        return None;
    }
    let mut files = Vec::with_capacity(stored.files.len());
    for file in stored.files {
        let text = read_text(&file.path, &file.display).ok()?;
        if text.len() as u64 != file.len || disk::content_hash(text.as_bytes()) != file.hash {
            return None;
        }
        let locator = Arc::new(Locator::new(is_json(&file.path)));
        files.push(SourceFile::new(
            file.path,
            file.display,
            text.into(),
            file.hash,
            locator,
            Value::Null,
        ));
    }
    let digest = crate::document::digest(files.iter().map(|f| (f.path.as_path(), f.hash())));
    let by_path = files
        .iter()
        .enumerate()
        .map(|(i, f)| (f.path.clone().into_os_string(), FileId(i)))
        .collect();
    Some(Manifest {
        files: files.into(),
        by_path: Arc::new(by_path),
        version: if stored.v31 {
            Version::V31
        } else {
            Version::V30
        },
        version_text: stored.version_text,
        base_dir: base_dir.to_path_buf(),
        digest,
    })
}

#[derive(Serialize, Deserialize)]
struct StoredSlice {
    build: u64,
    digest: u64,
    key: String,
    /// `(file, pointer)` of each subtree held whole.
    roots: Vec<(usize, String)>,
    /// Per file, its value with only those subtrees (and the containers leading to them).
    values: Vec<(usize, Value)>,
    places: Vec<(Loc, (usize, usize))>,
    operations: Vec<Operation>,
    /// What the macro derived from the whole spec for this key.
    facts: Value,
}

fn slice_name(key: &str) -> String {
    format!("slice-{:016x}.json", disk::content_hash(key.as_bytes()))
}

/// The sparse spec of slice `key`, when it was taken from these very files.
pub(crate) fn read_slice(dir: &Path, manifest: &Manifest, key: &str) -> Option<Spec> {
    let root = &manifest.files.first()?.path;
    let path = disk::entry_path(dir, root, &manifest.base_dir, &slice_name(key));
    let bytes = std::fs::read(path).ok()?;
    let stored: StoredSlice = serde_json::from_slice(&bytes).ok()?;
    if stored.build != disk::BUILD_KEY
        || stored.digest != manifest.digest
        || stored.key != key
        || !names_only_its_files(&stored, manifest.files.len())
    {
        return None;
    }
    let mut roots: HashMap<FileId, HashSet<String>> = HashMap::new();
    for (file, pointer) in stored.roots {
        roots.entry(FileId(file)).or_default().insert(pointer);
    }
    let coverage = Coverage {
        roots,
        values: stored
            .values
            .into_iter()
            .map(|(file, value)| (FileId(file), value))
            .collect(),
        places: stored.places.into_iter().collect(),
        facts: stored.facts,
        missed: AtomicBool::new(false),
    };
    let doc = Document::sparse(
        manifest.files.clone(),
        manifest.by_path.clone(),
        manifest.version,
        manifest.version_text.clone(),
        manifest.base_dir.clone(),
        coverage,
    );
    Some(Spec::new(doc, stored.operations))
}

/// Whether every file a slice names is one of the manifest's `files`: an entry that names
/// another (corrupt, or written by hand) is a miss, like any unreadable one.
fn names_only_its_files(slice: &StoredSlice, files: usize) -> bool {
    let ok = |file: usize| file < files;
    let loc_ok = |loc: &Loc| ok(loc.file.0);
    slice.roots.iter().all(|(file, _)| ok(*file))
        && slice.values.iter().all(|(file, _)| ok(*file))
        && slice.places.iter().all(|(loc, _)| loc_ok(loc))
        && slice.operations.iter().all(|op| {
            loc_ok(&op.loc)
                && op.request_body.iter().chain(&op.responses).all(loc_ok)
                && op
                    .parameters
                    .iter()
                    .all(|p| loc_ok(&p.loc) && p.schema.iter().all(loc_ok))
        })
}

/// Writes the slice `key` of `spec` (whole, without problems): the subtrees a check read and
/// the places it located (`recorded`), `operations` and `facts`.
pub(crate) fn write_slice(
    dir: &Path,
    spec: &Spec,
    key: &str,
    recorded: Vec<Recorded>,
    operations: Vec<Operation>,
    facts: Value,
) {
    let doc = &spec.doc;
    let Some(root) = doc.files.first() else {
        return;
    };
    let mut reads = Vec::new();
    let mut places = Vec::new();
    for item in recorded {
        match item {
            Recorded::Read(loc) => reads.push(loc),
            Recorded::Place(loc, line_col) => places.push((loc, line_col)),
        }
    }
    places.sort_by(|a, b| (a.0.file, &a.0.pointer).cmp(&(b.0.file, &b.0.pointer)));
    places.dedup_by(|a, b| a.0 == b.0);
    let roots = outermost(reads);
    let mut values: HashMap<usize, Value> = HashMap::new();
    for loc in &roots {
        let (Some(file), Some(subtree)) = (doc.files.get(loc.file.0), doc.get(loc)) else {
            continue;
        };
        let tree = values.entry(loc.file.0).or_insert(Value::Null);
        graft(
            tree,
            &file.value,
            &pointer::segments(&loc.pointer),
            subtree.clone(),
        );
    }
    let mut values: Vec<(usize, Value)> = values.into_iter().collect();
    values.sort_by_key(|(file, _)| *file);
    let stored = StoredSlice {
        build: disk::BUILD_KEY,
        digest: doc.digest(),
        key: key.to_string(),
        roots: roots.into_iter().map(|l| (l.file.0, l.pointer)).collect(),
        values,
        places,
        operations,
        facts,
    };
    if let Ok(text) = serde_json::to_vec(&stored) {
        disk::write_atomically(
            &disk::entry_path(dir, &root.path, &doc.base_dir, &slice_name(key)),
            &text,
        );
    }
}

/// The locations of `reads` that lie inside no other one.
fn outermost(mut reads: Vec<Loc>) -> Vec<Loc> {
    reads.sort_by(|a, b| {
        (a.file, a.pointer.matches('/').count(), &a.pointer).cmp(&(
            b.file,
            b.pointer.matches('/').count(),
            &b.pointer,
        ))
    });
    reads.dedup();
    let mut kept: HashMap<FileId, HashSet<String>> = HashMap::new();
    let mut roots = Vec::new();
    for loc in reads {
        let held = kept.entry(loc.file).or_default();
        if !within(held, &loc.pointer) {
            held.insert(loc.pointer.clone());
            roots.push(loc);
        }
    }
    roots
}

/// Puts `subtree` at `segments` of `tree`, building the containers on the way as they are in
/// `whole` (an array keeps its indices, padded with nulls).
fn graft(tree: &mut Value, whole: &Value, segments: &[String], subtree: Value) {
    let Some((first, rest)) = segments.split_first() else {
        *tree = subtree;
        return;
    };
    match whole {
        Value::Object(map) => {
            let Some(child) = map.get(first) else { return };
            if !tree.is_object() {
                *tree = Value::Object(serde_json::Map::new());
            }
            if let Value::Object(out) = tree {
                let slot = out.entry(first.clone()).or_insert(Value::Null);
                graft(slot, child, rest, subtree);
            }
        }
        Value::Array(items) => {
            let Some((index, child)) = first
                .parse::<usize>()
                .ok()
                .and_then(|i| items.get(i).map(|c| (i, c)))
            else {
                return;
            };
            if !tree.is_array() {
                *tree = Value::Array(Vec::new());
            }
            if let Value::Array(out) = tree {
                if out.len() <= index {
                    out.resize(index + 1, Value::Null);
                }
                graft(&mut out[index], child, rest, subtree);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loc(file: usize, pointer: &str) -> Loc {
        Loc {
            file: FileId(file),
            pointer: pointer.to_string(),
        }
    }

    #[test]
    fn only_the_outermost_reads_are_kept() {
        let roots = outermost(vec![
            loc(0, "/components/schemas/Pet/properties/id"),
            loc(0, "/components/schemas/Pet"),
            loc(0, "/components/schemas/Pets"),
            loc(1, "/components/schemas/Pet/properties"),
            loc(0, "/components/schemas/Pet"),
        ]);
        assert_eq!(
            roots,
            [
                loc(0, "/components/schemas/Pet"),
                loc(0, "/components/schemas/Pets"),
                loc(1, "/components/schemas/Pet/properties"),
            ]
        );
    }

    #[test]
    fn grafting_keeps_array_indices() {
        let whole = serde_json::json!({"a": [{"x": 1}, {"y": [2, 3]}], "b": 4});
        let mut tree = Value::Null;
        graft(
            &mut tree,
            &whole,
            &pointer::segments("/a/1/y"),
            serde_json::json!([2, 3]),
        );
        assert_eq!(tree, serde_json::json!({"a": [null, {"y": [2, 3]}]}));
        assert_eq!(tree.pointer("/a/1/y"), whole.pointer("/a/1/y"));
    }

    struct Fixture {
        dir: PathBuf,
        cache: PathBuf,
    }

    impl Fixture {
        fn new(name: &str) -> Fixture {
            let dir =
                std::env::temp_dir().join(format!("contract-slice-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(dir.join("parts")).unwrap();
            std::fs::write(
                dir.join("openapi.yaml"),
                "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    $ref: './parts/a.yaml'\ncomponents:\n  schemas:\n    Pet: {type: object, properties: {id: {type: integer}}}\n    Tag: {type: string}\n",
            )
            .unwrap();
            std::fs::write(
                dir.join("parts/a.yaml"),
                "get:\n  operationId: getA\n  responses:\n    '200':\n      description: ok\n      content:\n        application/json:\n          schema: {$ref: '../openapi.yaml#/components/schemas/Pet'}\n",
            )
            .unwrap();
            let dir = dir.canonicalize().unwrap();
            Fixture {
                cache: dir.join("cache"),
                dir,
            }
        }

        fn root(&self) -> PathBuf {
            self.dir.join("openapi.yaml")
        }

        /// A whole load that reads `reads` and locates `place`, kept as slice `key`.
        fn store(&self, key: &str, reads: &[Loc], place: &Loc) -> Spec {
            let spec = Spec::load(&self.root(), &self.dir).unwrap();
            assert!(spec.is_complete());
            write_manifest(&self.cache, &spec);
            spec.doc.record();
            for read in reads {
                assert!(spec.doc.get(read).is_some(), "{read:?}");
            }
            spec.doc.place(place);
            let recorded = spec.doc.recorded();
            write_slice(
                &self.cache,
                &spec,
                key,
                recorded,
                spec.operations.clone(),
                Value::Null,
            );
            spec
        }

        fn read(&self, key: &str) -> Option<Spec> {
            let manifest = read_manifest(&self.cache, &self.root(), &self.dir)?;
            read_slice(&self.cache, &manifest, key)
        }
    }

    #[test]
    fn a_slice_answers_within_what_was_read_and_notes_any_other_read() {
        let fixture = Fixture::new("answers");
        let pet = loc(0, "/components/schemas/Pet");
        let response = loc(1, "/get/responses/200");
        let whole = fixture.store("k", &[pet.clone(), response.clone()], &response);
        let slice = fixture.read("k").unwrap();
        assert!(slice.doc.is_sparse());
        assert_eq!(slice.operations.len(), whole.operations.len());
        for within in [
            &pet,
            &response,
            &loc(0, "/components/schemas/Pet/properties/id"),
        ] {
            assert_eq!(slice.doc.get(within), whole.doc.get(within), "{within:?}");
        }
        assert_eq!(
            slice.doc.place(&response).to_string(),
            whole.doc.place(&response).to_string()
        );
        assert!(!slice.doc.missed());
        // A place not kept is located in the text, and is no miss.
        let id = loc(0, "/components/schemas/Pet/properties/id");
        assert_eq!(
            slice.doc.place(&id).to_string(),
            whole.doc.place(&id).to_string()
        );
        assert!(!slice.doc.missed());
        slice.doc.get(&loc(0, "/components/schemas/Tag"));
        assert!(slice.doc.missed(), "a read outside the slice");
        let other = fixture.read("k").unwrap();
        other.doc.get(&loc(0, "/components/schemas"));
        assert!(
            other.doc.missed(),
            "a container the slice holds only part of"
        );
        assert!(fixture.read("other key").is_none());
    }

    #[test]
    fn a_slice_naming_a_file_outside_the_manifest_is_a_miss() {
        let fixture = Fixture::new("foreign");
        let pet = loc(0, "/components/schemas/Pet");
        fixture.store("k", std::slice::from_ref(&pet), &pet);
        assert!(fixture.read("k").is_some());
        let manifest = read_manifest(&fixture.cache, &fixture.root(), &fixture.dir).unwrap();
        let path = disk::entry_path(
            &fixture.cache,
            &fixture.root(),
            &fixture.dir,
            &slice_name("k"),
        );
        let whole: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        // Each place a file index stands, pointed past the manifest's two files.
        for pointer in ["/roots/0/0", "/values/0/0", "/operations/0/loc/file"] {
            let mut corrupt = whole.clone();
            *corrupt.pointer_mut(pointer).unwrap() = Value::from(7);
            std::fs::write(&path, serde_json::to_vec(&corrupt).unwrap()).unwrap();
            assert!(
                read_slice(&fixture.cache, &manifest, "k").is_none(),
                "{pointer}"
            );
        }
        std::fs::write(&path, serde_json::to_vec(&whole).unwrap()).unwrap();
        assert!(read_slice(&fixture.cache, &manifest, "k").is_some());
        let _ = std::fs::remove_dir_all(&fixture.dir);
    }

    #[test]
    fn a_slice_is_not_served_once_any_file_changed() {
        let fixture = Fixture::new("changed");
        let pet = loc(0, "/components/schemas/Pet");
        fixture.store("k", std::slice::from_ref(&pet), &pet);
        assert!(fixture.read("k").is_some());
        let part = fixture.dir.join("parts/a.yaml");
        let text = std::fs::read_to_string(&part).unwrap();
        // Same length, other bytes, in a file the slice holds nothing of.
        std::fs::write(&part, text.replace("getA", "getB")).unwrap();
        assert!(fixture.read("k").is_none());
        std::fs::write(&part, &text).unwrap();
        assert!(fixture.read("k").is_some(), "the same bytes again");
        std::fs::write(&part, format!("{text}\n")).unwrap();
        assert!(fixture.read("k").is_none());
        let _ = std::fs::remove_dir_all(&fixture.dir);
    }
}
