//! Where things are in a spec: its files ([`SourceFile`], [`FileId`]) and a place in one of
//! them ([`Loc`]).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use serde_json::Value;

use crate::{locate, pointer};

/// The files of a document by canonical path, keyed by the path's bytes: `Path`'s `Hash` and
/// `Eq` walk the components, which cost DigitalOcean's 1,508 paths several milliseconds a
/// process. The keys are canonical or `..`-resolved, so equal paths have equal bytes.
pub(crate) type ByPath = HashMap<std::ffi::OsString, FileId, PathHashing>;

/// Hashing for maps keyed by paths (see `ByPath`).
pub type PathHashing = rustc_hash::FxBuildHasher;

/// Index of a file in [`Document::files`](crate::Document::files); the root is always 0.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct FileId(pub usize);

/// One parsed file of the spec.
#[derive(Debug)]
pub struct SourceFile {
    /// Canonical absolute path.
    pub path: PathBuf,
    /// The path shown in messages: relative to the crate root when inside it.
    pub display: String,
    /// Shared with the slices of the same process (see the `slice` module).
    pub(crate) text: Arc<str>,
    /// [`crate::disk::content_hash`] of `text`: identifies the bytes in the on-disk cache.
    pub(crate) hash: u64,
    /// Shared with the slices of the same process, which index the same text.
    pub(crate) locator: Arc<locate::Locator>,
    /// The parsed content.
    pub value: Value,
}

impl SourceFile {
    pub(crate) fn new(
        path: PathBuf,
        display: String,
        text: Arc<str>,
        hash: u64,
        locator: Arc<locate::Locator>,
        value: Value,
    ) -> Self {
        SourceFile {
            locator,
            path,
            display,
            text,
            hash,
            value,
        }
    }

    /// The file's text (without a byte-order mark).
    pub(crate) fn text(&self) -> &Arc<str> {
        &self.text
    }

    /// [`crate::disk::content_hash`] of the text.
    pub(crate) fn hash(&self) -> u64 {
        self.hash
    }
}

/// A node of the document: the file it is in and its JSON pointer there.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Loc {
    /// The file the node is in.
    pub file: FileId,
    /// Encoded JSON pointer without `#` (`/paths/~1pets/get`).
    pub pointer: String,
}

impl Loc {
    /// The root node of `file`.
    pub fn root(file: FileId) -> Self {
        Loc {
            file,
            pointer: String::new(),
        }
    }

    /// The node holding this one (the root holds itself).
    pub fn parent(&self) -> Self {
        let cut = self.pointer.rfind('/').unwrap_or(0);
        Loc {
            file: self.file,
            pointer: self.pointer[..cut].to_string(),
        }
    }

    /// The location of child `key` (raw, unencoded) of this node.
    pub fn child(&self, key: &str) -> Self {
        Loc {
            file: self.file,
            pointer: format!("{}/{}", self.pointer, pointer::encode(key)),
        }
    }
}
