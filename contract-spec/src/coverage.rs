//! What a sparse document (one sliced to the operations a crate binds) holds: the subtrees it
//! has whole, and the places known in advance.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};

use serde_json::Value;

use crate::source::{FileId, Loc};

/// What a sparse document holds: the subtrees it has whole, and places known in advance.
#[derive(Debug, Default)]
pub(crate) struct Coverage {
    /// Per file, the pointers whose whole subtree the document holds.
    pub(crate) roots: HashMap<FileId, HashSet<String>>,
    /// Per file, its value with only those subtrees (and the containers leading to them).
    pub(crate) values: HashMap<FileId, Value>,
    pub(crate) places: HashMap<Loc, (usize, usize)>,
    pub(crate) facts: Value,
    pub(crate) missed: AtomicBool,
}

impl Coverage {
    fn covers(&self, loc: &Loc) -> bool {
        self.roots
            .get(&loc.file)
            .is_some_and(|roots| within(roots, &loc.pointer))
    }

    /// A read of `loc`: a miss unless it lies within a subtree held whole.
    pub(crate) fn note(&self, loc: &Loc) {
        if !self.covers(loc) {
            self.miss();
        }
    }

    pub(crate) fn miss(&self) {
        self.missed.store(true, Ordering::Relaxed);
    }

    pub(crate) fn missed(&self) -> bool {
        self.missed.load(Ordering::Relaxed)
    }

    pub(crate) fn place(&self, loc: &Loc) -> Option<(usize, usize)> {
        self.places.get(loc).copied()
    }

    pub(crate) fn value(&self, file: FileId) -> Option<&Value> {
        self.values.get(&file)
    }

    pub(crate) fn facts(&self) -> &Value {
        &self.facts
    }
}

/// Whether `pointer` is one of `roots` or lies inside one (the empty pointer is the whole file).
pub(crate) fn within(roots: &HashSet<String>, pointer: &str) -> bool {
    roots.contains(pointer)
        || pointer
            .match_indices('/')
            .any(|(at, _)| roots.contains(&pointer[..at]))
}
