//! Loading: reads the root file and every file reachable through a relative `$ref`, parses
//! YAML or JSON into `serde_json::Value`, and checks that every `$ref` resolves.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use serde_json::Value;

use crate::error::{Place, SpecError};
use crate::locate;
use crate::pointer;
use crate::source::{ByPath, FileId, Loc, SourceFile};

/// The OpenAPI version family, which decides schema semantics: 3.0's own dialect, or JSON
/// Schema 2020-12 (3.1 and 3.2; see [`Document::is_v32`] for what 3.2 adds to paths).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// OpenAPI 3.0.x: its own schema dialect (`nullable`, boolean `exclusiveMinimum`).
    V30,
    /// OpenAPI 3.1.x and 3.2.x: JSON Schema 2020-12.
    V31,
}

/// A loaded, parsed spec with all referenced files.
#[derive(Debug)]
pub struct Document {
    /// Shared by the slices of a process, whose values are their own (see the `slice` module).
    pub files: Arc<[SourceFile]>,
    /// The schema dialect.
    pub version: Version,
    /// The `openapi:` string as written.
    pub version_text: String,
    /// `$ref`s that do not resolve: where the `$ref` is, and the error.
    pub unresolved: Vec<(Loc, SpecError)>,
    /// Shared with the slices of the same process.
    by_path: Arc<ByPath>,
    /// How many files were parsed, rather than taken from the on-disk cache.
    pub parsed_files: usize,
    /// The folder display paths are relative to (canonical).
    pub base_dir: PathBuf,
    /// Set when the files hold only a slice of their values (see the `slice` module).
    pub(crate) sparse: Option<crate::coverage::Coverage>,
    /// What was read and located while [`Document::record`] is on.
    recorded: Mutex<Option<Vec<Recorded>>>,
    /// Whether `recorded` is on: read without the lock by every `get` of a whole check.
    recording_on: AtomicBool,
}

/// A read of a [`Document`] while it records (see the `slice` module).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recorded {
    /// The value at the location, and everything under it, was read.
    Read(Loc),
    /// The location was located at this line and column.
    Place(Loc, (usize, usize)),
}

/// The largest number of `$ref` hops followed before a chain is called a cycle.
const MAX_REF_HOPS: usize = 64;

impl Document {
    /// Loads `root` and every file reachable from it through relative `$ref`s.
    pub fn load(root: &Path, base_dir: &Path) -> Result<Document, SpecError> {
        Self::load_with(root, base_dir, crate::disk::Preparsed::default())
    }

    /// [`Document::load`], taking each file's value from `preparsed` where it holds the same
    /// bytes.
    pub fn load_with(
        root: &Path,
        base_dir: &Path,
        preparsed: crate::disk::Preparsed,
    ) -> Result<Document, SpecError> {
        let root = canonical(root).map_err(|e| {
            SpecError::new(format!(
                "cannot read the OpenAPI document `{}`: {e}",
                display_path(root, base_dir)
            ))
        })?;
        let base_dir = canonical(base_dir).unwrap_or_else(|_| base_dir.to_path_buf());
        let mut loader = Loader {
            base_dir: &base_dir,
            files: Vec::new(),
            by_path: ByPath::default(),
            unresolved: Vec::new(),
            preparsed,
            parsed_files: 0,
        };
        let root_id = loader.load_file(&root).map_err(|e| *e)?;
        let (version, version_text) = detect_version(&loader.files[root_id.0])?;
        // Walk every file (the list grows while we walk) so each `$ref` is checked once; an
        // unchanged spec whose references all resolved has nothing new to find.
        let mut next = if loader.preload() {
            loader.files.len()
        } else {
            0
        };
        while next < loader.files.len() {
            let file = FileId(next);
            let value = std::mem::take(&mut loader.files[next].value);
            loader.walk_refs(file, &value, &mut String::new(), None);
            loader.files[next].value = value;
            next += 1;
        }
        let mut doc = Document {
            files: loader.files.into(),
            version,
            version_text,
            unresolved: Vec::new(),
            by_path: Arc::new(loader.by_path),
            parsed_files: loader.parsed_files,
            base_dir: base_dir.clone(),
            sparse: None,
            recorded: Mutex::new(None),
            recording_on: AtomicBool::new(false),
        };
        let mut unresolved = Vec::new();
        for (at, reference) in loader.unresolved {
            match reference {
                Err(err) => {
                    let err = if err.place.is_none() {
                        err.at(doc.place(&at))
                    } else {
                        err
                    };
                    unresolved.push((at, err));
                }
                Ok(target) => {
                    if doc.get(&target).is_none() {
                        let err = doc.unresolved_error(&at, &target);
                        unresolved.push((at, err));
                    }
                }
            }
        }
        doc.unresolved = unresolved;
        Ok(doc)
    }

    /// Whether the document is OpenAPI 3.2: path items may hold `query` and
    /// `additionalOperations`.
    pub fn is_v32(&self) -> bool {
        self.version_text.starts_with("3.2")
    }

    /// The root file's value.
    pub fn root(&self) -> &Value {
        match &self.sparse {
            Some(sparse) => sparse.miss(),
            None => self.note(|| Recorded::Read(Loc::root(FileId(0)))),
        }
        &self.files[0].value
    }

    /// The value at `loc`, without following `$ref`s.
    pub fn get(&self, loc: &Loc) -> Option<&Value> {
        let value = match &self.sparse {
            Some(sparse) => {
                sparse.note(loc);
                sparse.value(loc.file)?
            }
            None => {
                self.note(|| Recorded::Read(loc.clone()));
                &self.files.get(loc.file.0)?.value
            }
        };
        if loc.pointer.is_empty() {
            return Some(value);
        }
        crate::pointer::resolve(value, &loc.pointer)
    }

    /// Follows `$ref` chains from `loc` to the node they end at.
    pub fn deref(&self, loc: &Loc) -> Result<(Loc, &Value), SpecError> {
        let mut cur = loc.clone();
        for _ in 0..MAX_REF_HOPS {
            let value = self
                .get(&cur)
                .ok_or_else(|| SpecError::new("dangling JSON pointer").at(self.place(&cur)))?;
            let Some(reference) = value.get("$ref").and_then(Value::as_str) else {
                return Ok((cur, value));
            };
            let target = self
                .resolve_ref(cur.file, reference)
                .map_err(|e| e.at(self.place(&cur)))?;
            if self.get(&target).is_none() {
                return Err(self.unresolved_error(&cur.child("$ref"), &target));
            }
            cur = target;
        }
        Err(SpecError::new(format!(
            "`$ref` chain longer than {MAX_REF_HOPS} hops (a cycle?)"
        ))
        .at(self.place(loc)))
    }

    /// Where `reference`, written in `file`, points.
    pub fn resolve_ref(&self, file: FileId, reference: &str) -> Result<Loc, SpecError> {
        let (path_part, fragment) = split_ref(reference);
        let target_file = if path_part.is_empty() {
            file
        } else if is_remote(path_part) {
            return Err(SpecError::new(format!(
                "`$ref` `{reference}` points to a remote document: only references within the document and to relative files are supported"
            ))
            .note("help: download the referenced document next to the spec and refer to it by relative path"));
        } else {
            // `file` may come from a slice read back from disk: no index is trusted.
            let dir = self
                .files
                .get(file.0)
                .and_then(|f| f.path.parent())
                .unwrap_or(Path::new("/"));
            let path = file_key(&self.by_path, &dir.join(percent_decode(path_part)))
                .map_err(|e| SpecError::new(format!("unresolved `$ref` `{reference}`: {e}")))?;
            *self
                .by_path
                .get(path.as_os_str())
                .ok_or_else(|| SpecError::new(format!("unresolved `$ref` `{reference}`")))?
        };
        Ok(Loc {
            file: target_file,
            pointer: fragment_pointer(fragment)?,
        })
    }

    fn unresolved_error(&self, at: &Loc, target: &Loc) -> SpecError {
        let reference = self
            .get(at)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let mut err = SpecError::new(format!("unresolved `$ref` `{reference}`: no such node"))
            .at(self.place(at));
        // Suggest a sibling of the missing node, e.g. a near component name.
        if let Some((parent, last)) = target.pointer.rsplit_once('/') {
            let parent_loc = Loc {
                file: target.file,
                pointer: parent.to_string(),
            };
            if let Some(Value::Object(map)) = self.get(&parent_loc) {
                let wanted = pointer::decode(last);
                if let Some(best) =
                    crate::suggest::nearest(&wanted, map.keys().map(String::as_str)).first()
                {
                    err = err.note(format!(
                        "help: did you mean `{}`?",
                        reference.replacen(last, &pointer::encode(best), 1)
                    ));
                }
            }
        }
        err
    }

    /// File, line, column and pointer of `loc`, for messages.
    pub fn place(&self, loc: &Loc) -> Place {
        let Some(file) = self.files.get(loc.file.0) else {
            return Place {
                file: "<unknown>".into(),
                line_col: None,
                pointer: loc.pointer.clone(),
            };
        };
        let known = self.sparse.as_ref().and_then(|s| s.place(loc));
        let line_col = known.unwrap_or_else(|| {
            file.locator
                .locate(&file.text, &pointer::segments(&loc.pointer))
        });
        if known.is_none() {
            self.note(|| Recorded::Place(loc.clone(), line_col));
        }
        Place {
            file: file.display.clone(),
            line_col: Some(line_col),
            pointer: loc.pointer.clone(),
        }
    }

    fn recording(&self) -> std::sync::MutexGuard<'_, Option<Vec<Recorded>>> {
        self.recorded
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn note(&self, what: impl FnOnce() -> Recorded) {
        if !self.recording_on.load(Ordering::Relaxed) {
            return;
        }
        if let Some(recorded) = self.recording().as_mut() {
            recorded.push(what());
        }
    }

    /// Starts keeping every read and place from now on, for a slice (see the `slice` module).
    pub fn record(&self) {
        *self.recording() = Some(Vec::new());
        self.recording_on.store(true, Ordering::Relaxed);
    }

    /// What was read and located since [`Document::record`], which stops recording.
    pub fn recorded(&self) -> Vec<Recorded> {
        self.recording_on.store(false, Ordering::Relaxed);
        self.recording().take().unwrap_or_default()
    }

    /// Where the recording is now, if one is on: what [`Document::recorded_since`] starts at.
    pub fn recording_mark(&self) -> Option<usize> {
        self.recording().as_ref().map(Vec::len)
    }

    /// What was recorded since `mark`, to replay where a result computed then is reused.
    pub fn recorded_since(&self, mark: Option<usize>) -> Vec<Recorded> {
        match (self.recording().as_ref(), mark) {
            (Some(recorded), Some(mark)) => recorded.get(mark..).unwrap_or_default().to_vec(),
            _ => Vec::new(),
        }
    }

    /// Records `reads` as if made now: a reused result stands for the reads that made it.
    pub fn replay(&self, reads: &[Recorded]) {
        if let Some(recorded) = self.recording().as_mut() {
            recorded.extend_from_slice(reads);
        }
    }

    /// Whether this document holds only a slice, and something outside it was asked for: the
    /// answers given may then differ from the whole document's.
    pub fn missed(&self) -> bool {
        self.sparse
            .as_ref()
            .is_some_and(crate::coverage::Coverage::missed)
    }

    /// What the macro that took this slice derived from the whole spec (see the `slice` module).
    pub fn facts(&self) -> Option<&Value> {
        self.sparse.as_ref().map(crate::coverage::Coverage::facts)
    }

    /// Notes, for a slice, that a check needed what only the whole document can tell.
    pub(crate) fn note_miss(&self) {
        if let Some(sparse) = &self.sparse {
            sparse.miss();
        }
    }

    /// Whether this document holds only a slice of its files.
    pub fn is_sparse(&self) -> bool {
        self.sparse.is_some()
    }

    /// A hash of every file's bytes (and where it is): equal digests, equal documents.
    pub fn digest(&self) -> u64 {
        digest(self.files.iter().map(|f| (f.path.as_path(), f.hash)))
    }

    /// Each file's path, length, content hash and value, for the on-disk cache.
    pub fn cacheable(&self) -> impl Iterator<Item = (&Path, usize, u64, &Value)> {
        self.files
            .iter()
            .map(|f| (f.path.as_path(), f.text.len(), f.hash, &f.value))
    }

    /// A document of `files` whose values hold only what `coverage` says (see the `slice` module).
    pub(crate) fn sparse(
        files: Arc<[SourceFile]>,
        by_path: Arc<ByPath>,
        version: Version,
        version_text: String,
        base_dir: PathBuf,
        coverage: crate::coverage::Coverage,
    ) -> Document {
        Document {
            files,
            version,
            version_text,
            unresolved: Vec::new(),
            by_path,
            parsed_files: 0,
            base_dir,
            sparse: Some(coverage),
            recorded: Mutex::new(None),
            recording_on: AtomicBool::new(false),
        }
    }

    /// Every file of the spec, for change tracking.
    pub fn paths(&self) -> impl Iterator<Item = &Path> {
        self.files.iter().map(|f| f.path.as_path())
    }
}

struct Loader<'a> {
    /// Canonical, so that display paths need no syscall per file.
    base_dir: &'a Path,
    files: Vec<SourceFile>,
    by_path: ByPath,
    /// Every `$ref` seen: where it is, and where it points (or why it cannot).
    unresolved: Vec<(Loc, Result<Loc, SpecError>)>,
    /// Values parsed by an earlier process, reused for unchanged files.
    preparsed: crate::disk::Preparsed,
    parsed_files: usize,
}

use crate::keywords::{LITERAL_KEYS, NAMED_MAPS};

impl Loader<'_> {
    /// Loads the files an earlier process found, in its order, while each holds the bytes it
    /// parsed then. True when all of them do and all their references resolved then: the
    /// document is the one it loaded.
    fn preload(&mut self) -> bool {
        let Some(order) = self.preparsed.complete_order() else {
            return false;
        };
        if self.parsed_files > 0 || order.first() != self.files.first().map(|f| &f.path) {
            return false;
        }
        for path in order.iter().skip(1) {
            if self.by_path.contains_key(path.as_os_str()) {
                return false;
            }
            let display = relative_display(path, self.base_dir);
            let Ok(text) = read_text(path, &display) else {
                return false;
            };
            let hash = crate::disk::content_hash(text.as_bytes());
            let Some(value) = self.preparsed.take(path, text.len(), hash) else {
                return false;
            };
            self.push_file(path, display, text, hash, value);
        }
        true
    }

    fn push_file(&mut self, path: &Path, display: String, text: String, hash: u64, value: Value) {
        let text: Arc<str> = text.into();
        let id = FileId(self.files.len());
        self.files.push(SourceFile {
            path: path.to_path_buf(),
            display,
            text,
            hash,
            locator: Arc::new(locate::Locator::new(is_json(path))),
            value,
        });
        self.by_path.insert(path.as_os_str().to_owned(), id);
    }

    fn load_file(&mut self, path: &Path) -> Result<FileId, Box<SpecError>> {
        if let Some(id) = self.by_path.get(path.as_os_str()) {
            return Ok(*id);
        }
        let display = relative_display(path, self.base_dir);
        let text = read_text(path, &display)?;
        let hash = crate::disk::content_hash(text.as_bytes());
        let preparsed = self.preparsed.take(path, text.len(), hash);
        self.parsed_files += usize::from(preparsed.is_none());
        let value = if let Some(value) = preparsed {
            value
        } else if is_json(path) {
            serde_json::from_str(&text).map_err(|e| {
                Box::new(
                    SpecError::new(format!("JSON syntax error in `{display}`: {e}")).at(Place {
                        file: display.clone(),
                        line_col: Some((e.line(), e.column())),
                        pointer: String::new(),
                    }),
                )
            })?
        } else {
            parse_yaml(&text, &display)?
        };
        self.push_file(path, display, text, hash, value);
        Ok(FileId(self.files.len() - 1))
    }

    fn walk_refs(
        &mut self,
        file: FileId,
        value: &Value,
        pointer: &mut String,
        parent_key: Option<&str>,
    ) {
        match value {
            Value::Object(map) => {
                let keys_are_names = parent_key.is_some_and(|k| NAMED_MAPS.contains(&k));
                for (key, child) in map {
                    if !keys_are_names
                        && (key.starts_with("x-") || LITERAL_KEYS.contains(&key.as_str()))
                    {
                        continue;
                    }
                    let len = pointer.len();
                    pointer.push('/');
                    pointer.push_str(&pointer::encode(key));
                    if key == "$ref" && !keys_are_names {
                        if let Value::String(reference) = child {
                            self.record_ref(file, pointer.clone(), reference);
                        }
                    } else if !(key == "examples" && child.is_array()) {
                        self.walk_refs(file, child, pointer, Some(key));
                    }
                    pointer.truncate(len);
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    let len = pointer.len();
                    pointer.push('/');
                    pointer.push_str(&i.to_string());
                    self.walk_refs(file, child, pointer, None);
                    pointer.truncate(len);
                }
            }
            _ => {}
        }
    }

    fn record_ref(&mut self, file: FileId, at: String, reference: &str) {
        let at = Loc { file, pointer: at };
        let (path_part, fragment) = split_ref(reference);
        if is_remote(path_part) {
            // Not fetched; an error only where a check actually needs the target.
            return;
        }
        let target = (|| {
            let pointer = fragment_pointer(fragment)?;
            if path_part.is_empty() {
                return Ok(Loc { file, pointer });
            }
            let dir = self.files[file.0]
                .path
                .parent()
                .unwrap_or(Path::new("/"))
                .to_path_buf();
            let path =
                file_key(&self.by_path, &dir.join(percent_decode(path_part))).map_err(|e| {
                    SpecError::new(format!(
                        "unresolved `$ref` `{reference}`: cannot read `{path_part}`: {e}"
                    ))
                })?;
            let target = self.load_file(&path).map_err(|e| *e)?;
            Ok(Loc {
                file: target,
                pointer,
            })
        })();
        self.unresolved.push((at, target));
    }
}

/// A hash of each file's path and content hash, in order.
pub(crate) fn digest<'a>(files: impl Iterator<Item = (&'a Path, u64)>) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for (path, hash) in files {
        // The bytes, not `Path`'s `Hash`, which walks the components (1,508 paths a process).
        let path = path.as_os_str().as_encoded_bytes();
        std::hash::Hasher::write_usize(&mut hasher, path.len());
        std::hash::Hasher::write(&mut hasher, path);
        std::hash::Hasher::write_u64(&mut hasher, hash);
    }
    std::hash::Hasher::finish(&hasher)
}

pub(crate) fn is_json(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
}

/// A file's text, without a byte-order mark.
pub(crate) fn read_text(path: &Path, display: &str) -> Result<String, Box<SpecError>> {
    let bytes = std::fs::read(path)
        .map_err(|e| Box::new(SpecError::new(format!("cannot read `{display}`: {e}"))))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| Box::new(SpecError::new(format!("`{display}` is not UTF-8 text"))))?;
    Ok(text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text))
}

fn parse_yaml(text: &str, display: &str) -> Result<Value, Box<SpecError>> {
    crate::yaml::from_str(text).map_err(|e| {
        let mut err = SpecError::new(format!("YAML syntax error in `{display}`: {e}"));
        if let Some(loc) = e.location() {
            err = err.at(Place {
                file: display.to_string(),
                line_col: Some((loc.line(), loc.column())),
                pointer: String::new(),
            });
        }
        Box::new(err)
    })
}

fn detect_version(root: &SourceFile) -> Result<(Version, String), SpecError> {
    let place = |pointer: &str| Place {
        file: root.display.clone(),
        line_col: Some(root.locator.locate(&root.text, &pointer::segments(pointer))),
        pointer: pointer.to_string(),
    };
    if let Some(swagger) = root.value.get("swagger") {
        let text = swagger
            .as_str()
            .map_or_else(|| swagger.to_string(), str::to_string);
        return Err(SpecError::new(format!(
            "`{}` is a Swagger {text} document: only OpenAPI 3.0.x, 3.1.x and 3.2.x are supported",
            root.display
        ))
        .at(place("/swagger"))
        .note("help: convert it to OpenAPI 3 first (for example with `swagger2openapi`)"));
    }
    let Some(openapi) = root.value.get("openapi") else {
        return Err(SpecError::new(format!(
            "`{}` is not an OpenAPI document: it has no `openapi` version field",
            root.display
        ))
        .at(place("")));
    };
    let text = openapi
        .as_str()
        .map_or_else(|| openapi.to_string(), str::to_string);
    let version = if text.starts_with("3.0.") || text == "3.0" {
        Version::V30
    } else if ["3.1.", "3.2."].iter().any(|v| text.starts_with(v)) || text == "3.1" || text == "3.2"
    {
        Version::V31
    } else {
        return Err(SpecError::new(format!(
            "unsupported OpenAPI version `{text}`: only 3.0.x, 3.1.x and 3.2.x are supported"
        ))
        .at(place("/openapi")));
    };
    Ok((version, text))
}

fn is_remote(path_part: &str) -> bool {
    path_part.contains("://")
}

fn split_ref(reference: &str) -> (&str, &str) {
    match reference.split_once('#') {
        Some((path, fragment)) => (path, fragment),
        None => (reference, ""),
    }
}

/// The JSON pointer of a URI fragment (`/components/schemas/Pet`), percent-decoded.
fn fragment_pointer(fragment: &str) -> Result<String, SpecError> {
    let decoded = percent_decode(fragment);
    if decoded.is_empty() || decoded.starts_with('/') {
        Ok(decoded)
    } else {
        Err(SpecError::new(format!(
            "`$ref` fragment `#{fragment}` is not a JSON pointer (named anchors are not supported)"
        )))
    }
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// `a/b/../c` → `a/c`, without touching the file system.
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The key of the file at `joined` in `by_path` (canonical paths). A file already loaded is found
/// by its `..`-resolved path without a syscall; `canonicalize` (a `readlink` per component,
/// which took 40% of a 1,508-file spec's load when run for every `$ref`) covers the rest:
/// files not loaded yet, and symlinks.
fn file_key(by_path: &ByPath, joined: &Path) -> std::io::Result<PathBuf> {
    let lexical = lexical(joined);
    if by_path.contains_key(lexical.as_os_str()) {
        Ok(lexical)
    } else {
        canonical(joined)
    }
}

fn canonical(path: &Path) -> std::io::Result<PathBuf> {
    std::fs::canonicalize(path)
}

/// `path` relative to `base` when inside it, else as given.
pub fn display_path(path: &Path, base: &Path) -> String {
    relative_display(
        path,
        &canonical(base).unwrap_or_else(|_| base.to_path_buf()),
    )
}

/// [`display_path`] for a `base` already canonical.
fn relative_display(path: &Path, base: &Path) -> String {
    path.strip_prefix(base)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}
