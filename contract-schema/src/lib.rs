//! JSON Schema 2020-12 as `contract`'s spec bundle writes it (every `$ref` into one `$defs`
//! table), validated over a `serde_json::Value`. Shared by the run-time validator
//! (`contract-runtime`) and the spec's lint (`contract-spec`: examples against their schemas),
//! with what the macros and the runtime must agree on: the [`encoding`] of a schema's shape
//! that the const checks read, and its [`hash`].
//!
//! Written here rather than taken from `jsonschema` because request validation is on in every
//! build: `jsonschema` (with `url`, `idna`, `fancy-regex` and its reference resolver) adds about
//! 8 MB to a release binary, this about a tenth of that (BENCHMARKS.md). Its verdicts are
//! tested against `jsonschema`'s on values generated from the corpus (`contract-runtime`'s
//! `validate::json_schema_corpus`).
//!
//! Where it departs from a full implementation it errs towards accepting: an unknown `format`
//! is an annotation (as 2020-12 says by default), a `pattern` the regex engine does not support
//! is not checked (and logged), `unevaluatedProperties`/`unevaluatedItems` are not checked, and
//! `$ref`s outside `#/$defs/` accept anything. A request is never refused on a rule this
//! validator only half understands.

#![deny(missing_docs)]

mod compile;
pub mod encoding;
mod format;
pub mod hash;
mod run;

use compile::*;
use format::*;
use run::*;

use std::collections::HashMap;
use std::fmt::Write as _;

use serde_json::{Map, Number, Value};

/// The keywords that only annotate a schema, changing no value it admits: a schema of these
/// (and `x-` extensions) alone admits every value.
pub const ANNOTATIONS: &[&str] = &[
    "title",
    "description",
    "example",
    "examples",
    "default",
    "deprecated",
    "readOnly",
    "writeOnly",
    "xml",
    "externalDocs",
    "$comment",
];

/// One way a value breaks its schema.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Violation {
    /// JSON pointer into the value (the body, or a parameter).
    pub pointer: String,
    /// Where in the spec's schema the rule is.
    #[serde(rename = "schemaPath")]
    pub schema_path: String,
    /// The JSON Schema keyword broken (`enum`, `type`, `required`, …) or a contract rule.
    pub rule: String,
    /// What is wrong, for people.
    pub message: String,
}

/// `text` cut to at most `max` bytes on a character boundary, `…` marking the cut: what a
/// message quotes of a value.
pub fn shortened(mut text: String, max: usize) -> String {
    if text.len() > max {
        let mut cut = max.saturating_sub('…'.len_utf8());
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
        text.push('…');
    }
    text
}

/// A schema compiled against the bundle's `$defs`.
pub struct Validator {
    nodes: Vec<Node>,
}

impl Validator {
    /// Compiles `schema`, whose `$ref`s point into `defs` (`#/$defs/NAME`).
    pub fn new(schema: &Value, defs: &Map<String, Value>) -> Validator {
        let mut compiler = Compiler {
            defs,
            nodes: Vec::new(),
            compiled: HashMap::new(),
        };
        compiler.node(schema, 0);
        Validator {
            nodes: compiler.nodes,
        }
    }

    /// Whether `instance` is valid: the fast path, which collects nothing.
    pub fn is_valid(&self, instance: &Value) -> bool {
        let mut run = Run {
            nodes: &self.nodes,
            collect: None,
            instance_path: String::new(),
            schema_path: String::new(),
            depth: 0,
            hops: 0,
        };
        run.check(0, instance)
    }

    /// The ways `instance` breaks the schema, at most `limit` of them; `schema_path` is a JSON
    /// pointer into the schema.
    pub fn errors(&self, instance: &Value, limit: usize) -> Vec<Violation> {
        let mut found = Vec::new();
        let mut run = Run {
            nodes: &self.nodes,
            collect: Some((&mut found, limit.max(1))),
            instance_path: String::new(),
            schema_path: String::new(),
            depth: 0,
            hops: 0,
        };
        run.check(0, instance);
        found
    }
}

/// Appends `/segment` to a JSON pointer, escaped (RFC 6901).
pub fn escape_pointer(segment: &str, into: &mut String) {
    into.push('/');
    for c in segment.chars() {
        match c {
            '~' => into.push_str("~0"),
            '/' => into.push_str("~1"),
            c => into.push(c),
        }
    }
}

#[cfg(test)]
mod tests;
