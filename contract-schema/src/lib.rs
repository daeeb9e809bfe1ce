//! JSON Schema 2020-12 as `contract`'s spec bundle writes it (every `$ref` into one `$defs`
//! table), validated over a `serde_json::Value`. Shared by the run-time validator
//! (`contract-runtime`) and the spec's lint (`contract-spec`: examples against their schemas).
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

use std::collections::HashMap;
use std::fmt::Write as _;

use serde_json::{Map, Number, Value};

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

enum Node {
    Bool(bool),
    Keywords(Box<Keywords>),
}

const NULL: u8 = 1;
const BOOLEAN: u8 = 2;
const INTEGER: u8 = 4;
const NUMBER: u8 = 8;
const STRING: u8 = 16;
const ARRAY: u8 = 32;
const OBJECT: u8 = 64;
const ALL: u8 = 127;

#[derive(Default)]
struct Keywords {
    types: u8,
    reference: Option<usize>,
    enumeration: Option<Vec<Value>>,
    constant: Option<Value>,
    multiple_of: Option<Number>,
    minimum: Option<Number>,
    maximum: Option<Number>,
    exclusive_minimum: Option<Number>,
    exclusive_maximum: Option<Number>,
    min_length: Option<u64>,
    max_length: Option<u64>,
    pattern: Option<(String, regex_lite::Regex)>,
    format: Option<Format>,
    items: Option<usize>,
    prefix_items: Vec<usize>,
    min_items: Option<u64>,
    max_items: Option<u64>,
    unique_items: bool,
    contains: Option<usize>,
    min_contains: Option<u64>,
    max_contains: Option<u64>,
    properties: Vec<(String, usize)>,
    pattern_properties: Vec<(String, regex_lite::Regex, usize)>,
    additional: Option<usize>,
    required: Vec<String>,
    min_properties: Option<u64>,
    max_properties: Option<u64>,
    property_names: Option<usize>,
    dependent_required: Vec<(String, Vec<String>)>,
    dependent_schemas: Vec<(String, usize)>,
    all_of: Vec<usize>,
    any_of: Vec<usize>,
    one_of: Vec<usize>,
    not: Option<usize>,
    condition: Option<(usize, Option<usize>, Option<usize>)>,
}

/// The formats checked; any other is an annotation.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Format {
    Date,
    Time,
    DateTime,
    Uuid,
    Ipv4,
    Ipv6,
    Email,
    Uri,
    Int32,
    Int64,
}

impl Format {
    fn parse(name: &str) -> Option<Format> {
        Some(match name {
            "date" => Format::Date,
            "time" => Format::Time,
            "date-time" => Format::DateTime,
            "uuid" => Format::Uuid,
            "ipv4" => Format::Ipv4,
            "ipv6" => Format::Ipv6,
            "email" => Format::Email,
            "uri" => Format::Uri,
            "int32" => Format::Int32,
            "int64" => Format::Int64,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Format::Date => "date",
            Format::Time => "time",
            Format::DateTime => "date-time",
            Format::Uuid => "uuid",
            Format::Ipv4 => "ipv4",
            Format::Ipv6 => "ipv6",
            Format::Email => "email",
            Format::Uri => "uri",
            Format::Int32 => "int32",
            Format::Int64 => "int64",
        }
    }
}

/// Schemas nested deeper than this (without a `$ref` between) accept anything: a bundle is
/// produced by the macros, but a pathological spec must not overflow the stack here.
const MAX_SCHEMA_DEPTH: u32 = 64;
/// Schema levels one validation follows; deeper accepts (a parsed body is at most 128 deep).
const MAX_CHECK_DEPTH: u32 = 384;
/// Schema levels followed on one value without descending into it (`$ref`s, `allOf`s): a cycle
/// of `$ref`s with nothing else in it ends here.
const MAX_HOPS: u32 = 32;
/// Patterns are compiled with this size limit, so a spec's pattern cannot cost unbounded memory.
const PATTERN_SIZE_LIMIT: usize = 1 << 20;

struct Compiler<'a> {
    defs: &'a Map<String, Value>,
    nodes: Vec<Node>,
    compiled: HashMap<&'a str, usize>,
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

impl<'a> Compiler<'a> {
    fn node(&mut self, schema: &'a Value, depth: u32) -> usize {
        let index = self.nodes.len();
        self.nodes.push(Node::Bool(true));
        let node = if depth > MAX_SCHEMA_DEPTH {
            Node::Bool(true)
        } else {
            self.build(schema, depth + 1)
        };
        self.nodes[index] = node;
        index
    }

    fn definition(&mut self, key: &str) -> Option<usize> {
        if let Some(&index) = self.compiled.get(key) {
            return Some(index);
        }
        let (key, def) = self.defs.get_key_value(key)?;
        let index = self.nodes.len();
        self.nodes.push(Node::Bool(true));
        self.compiled.insert(key.as_str(), index);
        let node = self.build(def, 1);
        self.nodes[index] = node;
        Some(index)
    }

    fn build(&mut self, schema: &'a Value, depth: u32) -> Node {
        let map = match schema {
            Value::Object(map) => map,
            Value::Bool(b) => return Node::Bool(*b),
            _ => return Node::Bool(true),
        };
        let mut k = Keywords {
            types: ALL,
            ..Keywords::default()
        };
        let count = |key: &str| map.get(key).and_then(Value::as_u64);
        let number = |key: &str| map.get(key).and_then(Value::as_number).cloned();
        if let Some(types) = map.get("type") {
            let bits = match types {
                Value::String(t) => type_bit(t),
                Value::Array(ts) => ts
                    .iter()
                    .filter_map(Value::as_str)
                    .map(type_bit)
                    .fold(0, |a, b| a | b),
                _ => ALL,
            };
            // An unknown type name constrains nothing.
            k.types = if bits == 0 { ALL } else { bits };
        }
        if let Some(target) = map.get("$ref").and_then(Value::as_str) {
            k.reference = target
                .strip_prefix("#/$defs/")
                .and_then(|key| self.definition(key));
        }
        if let Some(Value::Array(values)) = map.get("enum") {
            k.enumeration = Some(values.clone());
        }
        k.constant = map.get("const").cloned();
        k.multiple_of = number("multipleOf").filter(|n| n.as_f64().is_some_and(|f| f > 0.0));
        k.minimum = number("minimum");
        k.maximum = number("maximum");
        k.exclusive_minimum = number("exclusiveMinimum");
        k.exclusive_maximum = number("exclusiveMaximum");
        k.min_length = count("minLength");
        k.max_length = count("maxLength");
        if let Some(pattern) = map.get("pattern").and_then(Value::as_str) {
            k.pattern = compile_pattern(pattern).map(|re| (pattern.to_string(), re));
        }
        k.format = map
            .get("format")
            .and_then(Value::as_str)
            .and_then(Format::parse);
        k.min_items = count("minItems");
        k.max_items = count("maxItems");
        k.unique_items = map.get("uniqueItems") == Some(&Value::Bool(true));
        k.min_contains = count("minContains");
        k.max_contains = count("maxContains");
        k.min_properties = count("minProperties");
        k.max_properties = count("maxProperties");
        if let Some(Value::Array(names)) = map.get("required") {
            k.required = names
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect();
        }
        match map.get("items") {
            // 2019-09's array form of `items` is `prefixItems`.
            Some(Value::Array(list)) => {
                k.prefix_items = list.iter().map(|s| self.node(s, depth)).collect();
            }
            Some(items) => k.items = Some(self.node(items, depth)),
            None => {}
        }
        if let Some(Value::Array(list)) = map.get("prefixItems") {
            k.prefix_items = list.iter().map(|s| self.node(s, depth)).collect();
        }
        if let Some(schema) = map.get("contains") {
            k.contains = Some(self.node(schema, depth));
        }
        if let Some(Value::Object(props)) = map.get("properties") {
            for (name, schema) in props {
                let node = self.node(schema, depth);
                k.properties.push((name.clone(), node));
            }
        }
        if let Some(Value::Object(props)) = map.get("patternProperties") {
            for (pattern, schema) in props {
                let node = self.node(schema, depth);
                if let Some(re) = compile_pattern(pattern) {
                    k.pattern_properties.push((pattern.clone(), re, node));
                }
            }
        }
        k.properties.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        if let Some(schema) = map.get("additionalProperties") {
            k.additional = Some(self.node(schema, depth));
        }
        if let Some(schema) = map.get("propertyNames") {
            k.property_names = Some(self.node(schema, depth));
        }
        if let Some(Value::Object(deps)) = map.get("dependentRequired") {
            for (name, list) in deps {
                let names = list
                    .as_array()
                    .map(|l| {
                        l.iter()
                            .filter_map(Value::as_str)
                            .map(str::to_string)
                            .collect()
                    })
                    .unwrap_or_default();
                k.dependent_required.push((name.clone(), names));
            }
        }
        if let Some(Value::Object(deps)) = map.get("dependentSchemas") {
            for (name, schema) in deps {
                let node = self.node(schema, depth);
                k.dependent_schemas.push((name.clone(), node));
            }
        }
        let list = |key: &str, this: &mut Self| -> Vec<usize> {
            match map.get(key) {
                Some(Value::Array(members)) => {
                    members.iter().map(|s| this.node(s, depth)).collect()
                }
                _ => Vec::new(),
            }
        };
        k.all_of = list("allOf", self);
        k.any_of = list("anyOf", self);
        k.one_of = list("oneOf", self);
        if let Some(schema) = map.get("not") {
            k.not = Some(self.node(schema, depth));
        }
        if let Some(schema) = map.get("if") {
            let condition = self.node(schema, depth);
            let then = map.get("then").map(|s| self.node(s, depth));
            let otherwise = map.get("else").map(|s| self.node(s, depth));
            k.condition = Some((condition, then, otherwise));
        }
        Node::Keywords(Box::new(k))
    }
}

/// A pattern as `regex_lite` reads it (ECMA-262's `\d`, `\w` and `\s` are ASCII there too).
/// One it cannot compile (a look-around, a Unicode class) is not checked.
fn compile_pattern(pattern: &str) -> Option<regex_lite::Regex> {
    match regex_lite::RegexBuilder::new(pattern)
        .size_limit(PATTERN_SIZE_LIMIT)
        .build()
    {
        Ok(re) => Some(re),
        Err(e) => {
            tracing::warn!("contract: the pattern `{pattern}` is not checked: {e}");
            None
        }
    }
}

fn type_bit(name: &str) -> u8 {
    match name {
        "null" => NULL,
        "boolean" => BOOLEAN,
        "integer" => INTEGER,
        "number" => NUMBER | INTEGER,
        "string" => STRING,
        "array" => ARRAY,
        "object" => OBJECT,
        _ => 0,
    }
}

fn type_names(bits: u8) -> String {
    let names = [
        (NULL, "null"),
        (BOOLEAN, "boolean"),
        (STRING, "string"),
        (ARRAY, "array"),
        (OBJECT, "object"),
    ];
    let mut out: Vec<&str> = Vec::new();
    if bits & NUMBER != 0 {
        out.push("number");
    } else if bits & INTEGER != 0 {
        out.push("integer");
    }
    out.extend(names.iter().filter(|(b, _)| bits & b != 0).map(|(_, n)| *n));
    out.iter()
        .map(|n| format!("\"{n}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The type bit of a value; an integral float (`1.0`) is an integer, as JSON Schema says.
fn bit_of(value: &Value) -> u8 {
    match value {
        Value::Null => NULL,
        Value::Bool(_) => BOOLEAN,
        Value::Number(n) if is_integer(n) => INTEGER,
        Value::Number(_) => NUMBER,
        Value::String(_) => STRING,
        Value::Array(_) => ARRAY,
        Value::Object(_) => OBJECT,
    }
}

fn is_integer(n: &Number) -> bool {
    n.is_i64()
        || n.is_u64()
        || n.as_f64()
            .is_some_and(|f| f.is_finite() && f.fract() == 0.0)
}

/// Numbers compared exactly where both are 64-bit integers, as `f64` otherwise.
fn compare(a: &Number, b: &Number) -> Option<std::cmp::Ordering> {
    if let (Some(x), Some(y)) = (a.as_i64(), b.as_i64()) {
        return Some(x.cmp(&y));
    }
    if let (Some(x), Some(y)) = (a.as_u64(), b.as_u64()) {
        return Some(x.cmp(&y));
    }
    // One a negative `i64`, the other a `u64` past `i64::MAX`.
    if a.is_i64() && b.is_u64() {
        return Some(std::cmp::Ordering::Less);
    }
    if a.is_u64() && b.is_i64() {
        return Some(std::cmp::Ordering::Greater);
    }
    a.as_f64()?.partial_cmp(&b.as_f64()?)
}

/// JSON equality: numbers by value (`1` equals `1.0`).
fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => compare(x, y) == Some(std::cmp::Ordering::Equal),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| equal(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| equal(v, w)))
        }
        _ => a == b,
    }
}

fn is_multiple(value: &Number, of: &Number) -> bool {
    if let (Some(v), Some(m)) = (value.as_i64(), of.as_i64())
        && m != 0
    {
        return v % m == 0;
    }
    if let (Some(v), Some(m)) = (value.as_u64(), of.as_u64())
        && m != 0
    {
        return v % m == 0;
    }
    let (Some(v), Some(m)) = (value.as_f64(), of.as_f64()) else {
        return true;
    };
    let quotient = v / m;
    if !quotient.is_finite() {
        return true;
    }
    // Decimal multiples (`0.01`) are inexact in binary: a relative tolerance, erring to accept.
    (quotient - quotient.round()).abs() <= 1e-9 * quotient.abs().max(1.0)
}

/// A value as messages show it, cut short: a 5 MB body must not become a 5 MB message.
fn shown(value: &Value) -> String {
    shortened(value.to_string(), 80)
}

struct Run<'n, 'c> {
    nodes: &'n [Node],
    /// Where violations go, and how many are wanted; `None` answers valid or not only.
    collect: Option<(&'c mut Vec<Violation>, usize)>,
    instance_path: String,
    schema_path: String,
    depth: u32,
    /// Schema levels since the last descent into the value.
    hops: u32,
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

impl Run<'_, '_> {
    fn full(&self) -> bool {
        self.collect
            .as_ref()
            .is_some_and(|(found, limit)| found.len() >= *limit)
    }

    /// Records a violation at `keyword` (relative to the current schema path).
    fn fail(&mut self, keyword: &str, message: String) {
        if let Some((found, limit)) = &mut self.collect
            && found.len() < *limit
        {
            found.push(Violation {
                pointer: self.instance_path.clone(),
                schema_path: format!("{}/{keyword}", self.schema_path),
                rule: keyword.to_string(),
                message,
            });
        }
    }

    /// Whether `value` is valid at `node`, with no violations recorded (for `anyOf`, `oneOf`,
    /// `not`, `if` and `contains`).
    fn quietly(&self, node: usize, value: &Value) -> bool {
        let mut run = Run {
            nodes: self.nodes,
            collect: None,
            instance_path: String::new(),
            schema_path: String::new(),
            depth: self.depth,
            hops: self.hops,
        };
        run.check(node, value)
    }

    /// Checks `value` against `node` with `segment` appended to the schema path (and `key` to
    /// the instance path).
    fn descend(&mut self, node: usize, value: &Value, segment: Segment, key: Option<Key>) -> bool {
        let (schema_len, instance_len) = (self.schema_path.len(), self.instance_path.len());
        if self.collect.is_some() {
            self.push_path(segment, key);
        }
        let hops = self.hops;
        self.hops = if key.is_some() { 0 } else { hops + 1 };
        let valid = self.check(node, value);
        self.hops = hops;
        self.schema_path.truncate(schema_len);
        self.instance_path.truncate(instance_len);
        valid
    }

    #[inline(never)]
    fn push_path(&mut self, segment: Segment, key: Option<Key>) {
        match segment {
            Segment::Keyword(keyword) => {
                self.schema_path.push('/');
                self.schema_path.push_str(keyword);
            }
            Segment::Indexed(keyword, i) => {
                let _ = write!(self.schema_path, "/{keyword}/{i}");
            }
            Segment::Named(keyword, name) => {
                self.schema_path.push('/');
                self.schema_path.push_str(keyword);
                escape_pointer(name, &mut self.schema_path);
            }
        }
        match key {
            Some(Key::Index(i)) => {
                let _ = write!(self.instance_path, "/{i}");
            }
            Some(Key::Name(name)) => escape_pointer(name, &mut self.instance_path),
            None => {}
        }
    }

    fn check(&mut self, node: usize, value: &Value) -> bool {
        if self.depth > MAX_CHECK_DEPTH || self.hops > MAX_HOPS {
            return true;
        }
        let k = match self.nodes.get(node) {
            Some(Node::Keywords(k)) => k,
            Some(Node::Bool(true)) | None => return true,
            Some(Node::Bool(false)) => {
                self.fail(
                    "falseSchema",
                    format!("False schema does not allow {}", shown(value)),
                );
                return false;
            }
        };
        self.depth += 1;
        let valid = self.keywords(k, value);
        self.depth -= 1;
        valid
    }

    /// The keywords of one schema. Checks that do not recurse live in [`Run::local`], and
    /// messages are built out of line: this frame is on the stack once per schema level.
    fn keywords(&mut self, k: &Keywords, value: &Value) -> bool {
        let collecting = self.collect.is_some();
        let mut valid = true;
        // A failed check: outside collection (or with enough collected) the first one decides.
        macro_rules! failed {
            () => {{
                valid = false;
                if !collecting || self.full() {
                    return false;
                }
            }};
        }
        macro_rules! sub {
            ($ok:expr) => {
                if !$ok {
                    failed!();
                }
            };
        }
        match self.local(k, value) {
            Local::Valid => {}
            // Nothing else is meaningful against a value of the wrong type.
            Local::WrongType => return false,
            Local::Invalid => failed!(),
        }
        if let Some(target) = k.reference {
            sub!(self.descend(target, value, Segment::Keyword("$ref"), None));
        }
        match value {
            Value::Array(items) => {
                for (i, (item, node)) in items.iter().zip(&k.prefix_items).enumerate() {
                    sub!(self.descend(
                        *node,
                        item,
                        Segment::Indexed("prefixItems", i),
                        Some(Key::Index(i))
                    ));
                }
                if let Some(node) = k.items {
                    for (i, item) in items.iter().enumerate().skip(k.prefix_items.len()) {
                        sub!(self.descend(
                            node,
                            item,
                            Segment::Keyword("items"),
                            Some(Key::Index(i))
                        ));
                    }
                }
                if let Some(node) = k.contains {
                    let matching = items.iter().filter(|i| self.quietly(node, i)).count() as u64;
                    if matching < k.min_contains.unwrap_or(1) {
                        self.fail_value("contains", value, Message::Contains);
                        failed!();
                    }
                    if k.max_contains.is_some_and(|max| matching > max) {
                        self.fail_value("maxContains", value, Message::MaxContains);
                        failed!();
                    }
                }
            }
            Value::Object(object) => {
                for (name, node) in &k.dependent_schemas {
                    if object.contains_key(name) {
                        sub!(self.descend(
                            *node,
                            value,
                            Segment::Named("dependentSchemas", name),
                            None
                        ));
                    }
                }
                let mut unexpected = false;
                for (key, item) in object {
                    let mut matched = false;
                    if let Ok(at) = k.properties.binary_search_by(|(n, _)| n.as_str().cmp(key)) {
                        matched = true;
                        let node = k.properties[at].1;
                        sub!(self.descend(
                            node,
                            item,
                            Segment::Named("properties", key),
                            Some(Key::Name(key))
                        ));
                    }
                    for (source, re, node) in &k.pattern_properties {
                        if re.is_match(key) {
                            matched = true;
                            sub!(self.descend(
                                *node,
                                item,
                                Segment::Named("patternProperties", source),
                                Some(Key::Name(key))
                            ));
                        }
                    }
                    if !matched && let Some(node) = k.additional {
                        if matches!(self.nodes.get(node), Some(Node::Bool(false))) {
                            unexpected = true;
                            failed!();
                        } else {
                            sub!(self.descend(
                                node,
                                item,
                                Segment::Keyword("additionalProperties"),
                                Some(Key::Name(key))
                            ));
                        }
                    }
                    if let Some(node) = k.property_names {
                        let name = Value::String(key.clone());
                        sub!(self.descend(node, &name, Segment::Keyword("propertyNames"), None));
                    }
                }
                if unexpected {
                    self.fail_unexpected(k, object);
                }
            }
            _ => {}
        }
        for (i, node) in k.all_of.iter().enumerate() {
            sub!(self.descend(*node, value, Segment::Indexed("allOf", i), None));
        }
        if !k.any_of.is_empty() && !k.any_of.iter().any(|n| self.quietly(*n, value)) {
            self.fail_value("anyOf", value, Message::AnyOf);
            failed!();
        }
        if !k.one_of.is_empty() {
            let passing = k
                .one_of
                .iter()
                .filter(|n| self.quietly(**n, value))
                .take(2)
                .count();
            if passing != 1 {
                let message = if passing == 0 {
                    Message::OneOfNone
                } else {
                    Message::OneOfMany
                };
                self.fail_value("oneOf", value, message);
                failed!();
            }
        }
        if let Some(node) = k.not
            && self.quietly(node, value)
        {
            self.fail_value("not", value, Message::Not);
            failed!();
        }
        if let Some((condition, then, otherwise)) = k.condition {
            let branch = if self.quietly(condition, value) {
                then.map(|n| (n, "then"))
            } else {
                otherwise.map(|n| (n, "else"))
            };
            if let Some((node, keyword)) = branch {
                sub!(self.descend(node, value, Segment::Keyword(keyword), None));
            }
        }
        valid
    }

    /// The checks of one schema that look at `value` alone.
    #[inline(never)]
    fn local(&mut self, k: &Keywords, value: &Value) -> Local {
        let collecting = self.collect.is_some();
        let mut verdict = Local::Valid;
        macro_rules! fail {
            ($keyword:expr, $($message:tt)*) => {{
                verdict = Local::Invalid;
                if !collecting || self.full() {
                    return verdict;
                }
                self.fail($keyword, format!($($message)*));
            }};
        }
        if k.types & bit_of(value) == 0 {
            self.fail(
                "type",
                format!("{} is not of type {}", shown(value), type_names(k.types)),
            );
            return Local::WrongType;
        }
        if let Some(values) = &k.enumeration
            && !values.iter().any(|v| equal(v, value))
        {
            let list = Value::Array(values.iter().take(16).cloned().collect());
            let more = if values.len() > 16 { " (and more)" } else { "" };
            fail!(
                "enum",
                "{} is not one of {}{more}",
                shown(value),
                shown(&list)
            );
        }
        if let Some(constant) = &k.constant
            && !equal(constant, value)
        {
            fail!("const", "{} was expected", shown(constant));
        }
        match value {
            Value::Number(n) => {
                use std::cmp::Ordering::{Greater, Less};
                if let Some(m) = &k.minimum
                    && compare(n, m) == Some(Less)
                {
                    fail!("minimum", "{n} is less than the minimum of {m}");
                }
                if let Some(m) = &k.maximum
                    && compare(n, m) == Some(Greater)
                {
                    fail!("maximum", "{n} is greater than the maximum of {m}");
                }
                if let Some(m) = &k.exclusive_minimum
                    && compare(n, m) != Some(Greater)
                {
                    fail!(
                        "exclusiveMinimum",
                        "{n} is less than or equal to the minimum of {m}"
                    );
                }
                if let Some(m) = &k.exclusive_maximum
                    && compare(n, m) != Some(Less)
                {
                    fail!(
                        "exclusiveMaximum",
                        "{n} is greater than or equal to the maximum of {m}"
                    );
                }
                if let Some(m) = &k.multiple_of
                    && !is_multiple(n, m)
                {
                    fail!("multipleOf", "{n} is not a multiple of {m}");
                }
                if let Some(format) = k.format
                    && !number_fits(format, n)
                {
                    fail!("format", "{n} is not a \"{}\"", format.name());
                }
            }
            Value::String(s) => {
                if k.min_length.is_some() || k.max_length.is_some() {
                    let length = s.chars().count() as u64;
                    if let Some(min) = k.min_length
                        && length < min
                    {
                        fail!(
                            "minLength",
                            "{} is shorter than {min} character{}",
                            shown(value),
                            plural(min)
                        );
                    }
                    if let Some(max) = k.max_length
                        && length > max
                    {
                        fail!(
                            "maxLength",
                            "{} is longer than {max} character{}",
                            shown(value),
                            plural(max)
                        );
                    }
                }
                if let Some((source, re)) = &k.pattern
                    && !re.is_match(s)
                {
                    fail!("pattern", "{} does not match \"{source}\"", shown(value));
                }
                if let Some(format) = k.format
                    && !string_fits(format, s)
                {
                    fail!("format", "{} is not a \"{}\"", shown(value), format.name());
                }
            }
            Value::Array(items) => {
                let n = items.len() as u64;
                if let Some(min) = k.min_items
                    && n < min
                {
                    fail!(
                        "minItems",
                        "{} has less than {min} item{}",
                        shown(value),
                        plural(min)
                    );
                }
                if let Some(max) = k.max_items
                    && n > max
                {
                    fail!(
                        "maxItems",
                        "{} has more than {max} item{}",
                        shown(value),
                        plural(max)
                    );
                }
                if k.unique_items && !unique(items) {
                    fail!("uniqueItems", "{} has non-unique elements", shown(value));
                }
            }
            Value::Object(object) => {
                let n = object.len() as u64;
                if let Some(min) = k.min_properties
                    && n < min
                {
                    fail!(
                        "minProperties",
                        "{} has less than {min} propert{}",
                        shown(value),
                        if min == 1 { "y" } else { "ies" }
                    );
                }
                if let Some(max) = k.max_properties
                    && n > max
                {
                    fail!(
                        "maxProperties",
                        "{} has more than {max} propert{}",
                        shown(value),
                        if max == 1 { "y" } else { "ies" }
                    );
                }
                for name in &k.required {
                    if !object.contains_key(name) {
                        fail!("required", "\"{name}\" is a required property");
                    }
                }
                for (name, deps) in &k.dependent_required {
                    if object.contains_key(name) {
                        for dep in deps {
                            if !object.contains_key(dep) {
                                fail!(
                                    "dependentRequired",
                                    "\"{dep}\" is a required property when \"{name}\" is present"
                                );
                            }
                        }
                    }
                }
            }
            _ => {}
        }
        verdict
    }

    #[cold]
    #[inline(never)]
    fn fail_value(&mut self, keyword: &str, value: &Value, message: Message) {
        if self.collect.is_none() {
            return;
        }
        let shown = shown(value);
        let text = match message {
            Message::Contains => format!("None of {shown} are valid under the given schema"),
            Message::MaxContains => format!("{shown} contains too many matching items"),
            Message::AnyOf => format!(
                "{shown} is not valid under any of the schemas listed in the 'anyOf' keyword"
            ),
            Message::OneOfNone => format!(
                "{shown} is not valid under any of the schemas listed in the 'oneOf' keyword"
            ),
            Message::OneOfMany => format!(
                "{shown} is valid under more than one of the schemas listed in the 'oneOf' keyword"
            ),
            Message::Not => {
                format!("{shown} is not allowed here (it matches the schema under 'not')")
            }
        };
        self.fail(keyword, text);
    }

    #[cold]
    #[inline(never)]
    fn fail_unexpected(&mut self, k: &Keywords, object: &Map<String, Value>) {
        if self.collect.is_none() || self.full() {
            return;
        }
        let names: Vec<String> = object
            .keys()
            .filter(|key| {
                k.properties
                    .binary_search_by(|(n, _)| n.as_str().cmp(key))
                    .is_err()
                    && !k
                        .pattern_properties
                        .iter()
                        .any(|(_, re, _)| re.is_match(key))
            })
            .map(|n| format!("'{n}'"))
            .collect();
        let verb = if names.len() == 1 { "was" } else { "were" };
        self.fail(
            "additionalProperties",
            format!(
                "Additional properties are not allowed ({} {verb} unexpected)",
                names.join(", ")
            ),
        );
    }
}

enum Local {
    Valid,
    Invalid,
    WrongType,
}

#[derive(Clone, Copy)]
enum Message {
    Contains,
    MaxContains,
    AnyOf,
    OneOfNone,
    OneOfMany,
    Not,
}

/// A step into the schema, written out only when violations are collected.
#[derive(Clone, Copy)]
enum Segment<'a> {
    Keyword(&'static str),
    Indexed(&'static str, usize),
    Named(&'static str, &'a str),
}

/// A step into the instance.
#[derive(Clone, Copy)]
enum Key<'a> {
    Index(usize),
    Name(&'a str),
}

fn plural(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn unique(items: &[Value]) -> bool {
    // Quadratic only in the worst case: most arrays hold strings or numbers, sorted here.
    if items.iter().all(Value::is_string) {
        let mut strings: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
        strings.sort_unstable();
        return strings.windows(2).all(|w| w[0] != w[1]);
    }
    items
        .iter()
        .enumerate()
        .all(|(i, a)| items[i + 1..].iter().all(|b| !equal(a, b)))
}

fn number_fits(format: Format, n: &Number) -> bool {
    match format {
        Format::Int32 => !is_integer(n) || n.as_i64().is_some_and(|i| i32::try_from(i).is_ok()),
        Format::Int64 => {
            !is_integer(n)
                || n.is_i64()
                || n.as_f64()
                    .is_some_and(|f| (-9.223372036854776e18..9.223372036854776e18).contains(&f))
        }
        _ => true,
    }
}

fn string_fits(format: Format, s: &str) -> bool {
    match format {
        Format::Date => is_date(s),
        Format::Time => is_time(s),
        Format::DateTime => s
            .find(['T', 't', ' '])
            .is_some_and(|at| is_date(&s[..at]) && is_time(&s[at + 1..])),
        Format::Uuid => is_uuid(s),
        Format::Ipv4 => s.parse::<std::net::Ipv4Addr>().is_ok(),
        Format::Ipv6 => s.parse::<std::net::Ipv6Addr>().is_ok(),
        Format::Email => s.rsplit_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && !domain.is_empty() && !s.chars().any(char::is_whitespace)
        }),
        Format::Uri => s.split_once(':').is_some_and(|(scheme, _)| {
            scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                && !s.chars().any(|c| c.is_whitespace() || c.is_control())
        }),
        Format::Int32 | Format::Int64 => true,
    }
}

fn digits(s: &str, n: usize) -> Option<u32> {
    (s.len() == n && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok())?
}

/// RFC 3339 `full-date`.
fn is_date(s: &str) -> bool {
    let mut parts = s.split('-');
    let (Some(y), Some(m), Some(d), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let (Some(year), Some(month), Some(day)) = (digits(y, 4), digits(m, 2), digits(d, 2)) else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// RFC 3339 `full-time`: `HH:MM:SS[.frac](Z|±HH:MM)`.
fn is_time(s: &str) -> bool {
    let (clock, offset) = if let Some(clock) = s.strip_suffix(['Z', 'z']) {
        (clock, None)
    } else {
        match s.rfind(['+', '-']) {
            Some(at) => (&s[..at], Some(&s[at + 1..])),
            None => return false,
        }
    };
    if let Some(offset) = offset {
        let Some((h, m)) = offset.split_once(':') else {
            return false;
        };
        if digits(h, 2).is_none_or(|h| h >= 24) || digits(m, 2).is_none_or(|m| m >= 60) {
            return false;
        }
    }
    let (whole, fraction) = match clock.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (clock, None),
    };
    if fraction.is_some_and(|f| f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit())) {
        return false;
    }
    let mut parts = whole.split(':');
    let (Some(h), Some(m), Some(sec), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    digits(h, 2).is_some_and(|h| h < 24)
        && digits(m, 2).is_some_and(|m| m < 60)
        && digits(sec, 2).is_some_and(|s| s <= 60)
}

fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;

    fn valid(schema: Value, instance: Value) -> bool {
        Validator::new(&schema, &Map::new()).is_valid(&instance)
    }

    fn rules(schema: Value, defs: Value, instance: Value) -> Vec<(String, String)> {
        let Value::Object(defs) = defs else {
            panic!("defs must be an object")
        };
        Validator::new(&schema, &defs)
            .errors(&instance, 10)
            .into_iter()
            .map(|v| (v.pointer, v.rule))
            .collect()
    }

    #[test]
    fn types_with_integral_floats_as_integers() {
        assert!(valid(json!({"type": "integer"}), json!(1.0)));
        assert!(!valid(json!({"type": "integer"}), json!(1.5)));
        assert!(valid(json!({"type": "number"}), json!(3)));
        assert!(valid(json!({"type": ["string", "null"]}), json!(null)));
        assert!(!valid(json!({"type": ["string", "null"]}), json!(0)));
        assert!(valid(json!({"type": "mystery"}), json!(0)));
    }

    #[test]
    fn numbers_compare_exactly_past_f64() {
        let schema = json!({"maximum": 9_007_199_254_740_993_i64});
        assert!(valid(schema.clone(), json!(9_007_199_254_740_993_i64)));
        assert!(!valid(schema, json!(9_007_199_254_740_994_i64)));
        assert!(!valid(json!({"minimum": 0}), json!(-1)));
        assert!(valid(json!({"minimum": -1}), json!(u64::MAX)));
        assert!(!valid(json!({"exclusiveMaximum": 10}), json!(10)));
        assert!(valid(json!({"multipleOf": 0.01}), json!(19.99)));
        assert!(!valid(json!({"multipleOf": 3}), json!(10)));
        assert!(!valid(json!({"format": "int32"}), json!(2_147_483_648_i64)));
        assert!(valid(json!({"format": "int32"}), json!(-2_147_483_648_i64)));
        assert!(!valid(json!({"format": "int64"}), json!(1e19)));
    }

    #[test]
    fn strings_lengths_patterns_and_formats() {
        assert!(valid(json!({"maxLength": 2}), json!("éé")));
        assert!(!valid(json!({"maxLength": 2}), json!("abc")));
        assert!(valid(json!({"pattern": "^[a-z]+$"}), json!("abc")));
        assert!(!valid(json!({"pattern": "^[a-z]+$"}), json!("ab1")));
        // A look-ahead is beyond the engine: not checked rather than refused.
        assert!(valid(json!({"pattern": "^(?=a)b$"}), json!("zzz")));
        for (format, good, bad) in [
            ("date", "2024-02-29", "2023-02-29"),
            (
                "date-time",
                "2024-01-31T23:59:60.5+01:00",
                "2024-01-31T24:00:00Z",
            ),
            ("time", "08:30:00Z", "08:30"),
            (
                "uuid",
                "123e4567-e89b-12d3-a456-426614174000",
                "123e4567e89b12d3a456426614174000",
            ),
            ("ipv4", "192.168.0.1", "192.168.0.256"),
            ("ipv6", "::1", "1::2::3"),
            ("email", "a@example.com", "a example.com"),
            ("uri", "https://example.com/a?b", "//example.com"),
        ] {
            assert!(
                valid(json!({"format": format}), json!(good)),
                "{format}: {good}"
            );
            assert!(
                !valid(json!({"format": format}), json!(bad)),
                "{format}: {bad}"
            );
        }
        assert!(valid(json!({"format": "hostname"}), json!("not a host")));
        // Formats constrain their own type only.
        assert!(valid(json!({"format": "date"}), json!(3)));
    }

    #[test]
    fn objects_and_arrays() {
        let schema = json!({
            "type": "object",
            "required": ["id"],
            "properties": {"id": {"type": "integer"}, "tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": true}},
            "additionalProperties": false
        });
        assert!(valid(schema.clone(), json!({"id": 1, "tags": ["a", "b"]})));
        assert_eq!(
            rules(
                schema,
                json!({}),
                json!({"tags": ["a", "a", 3], "extra": 1})
            ),
            [
                (String::new(), "required".to_string()),
                ("/tags".into(), "uniqueItems".into()),
                ("/tags/2".into(), "type".into()),
                (String::new(), "additionalProperties".into()),
            ]
        );
        assert!(valid(
            json!({"prefixItems": [{"type": "integer"}], "items": {"type": "string"}}),
            json!([1, "a"])
        ));
        assert!(!valid(
            json!({"prefixItems": [{"type": "integer"}], "items": {"type": "string"}}),
            json!(["a"])
        ));
        assert!(!valid(json!({"contains": {"const": 3}}), json!([1, 2])));
        assert!(valid(
            json!({"patternProperties": {"^x-": {"type": "string"}}, "additionalProperties": false}),
            json!({"x-a": "b"})
        ));
        assert!(!valid(
            json!({"propertyNames": {"maxLength": 2}}),
            json!({"abc": 1})
        ));
        assert!(!valid(
            json!({"dependentRequired": {"a": ["b"]}}),
            json!({"a": 1})
        ));
        assert!(valid(json!({"enum": [1, "a"]}), json!(1.0)));
    }

    #[test]
    fn combinators_references_and_cycles() {
        let defs = json!({
            "Node": {"type": "object", "properties": {"next": {"$ref": "#/$defs/Node"}, "v": {"type": "integer"}}},
            "Loop": {"$ref": "#/$defs/Loop"}
        });
        let schema = json!({"$ref": "#/$defs/Node"});
        assert_eq!(
            rules(schema, defs.clone(), json!({"next": {"next": {"v": "x"}}})),
            [("/next/next/v".to_string(), "type".to_string())]
        );
        // A cycle of references with nothing else in it accepts (and ends).
        assert!(rules(json!({"$ref": "#/$defs/Loop"}), defs, json!(1)).is_empty());
        let one_of = json!({"oneOf": [{"type": "integer"}, {"minimum": 0}]});
        assert!(valid(one_of.clone(), json!(-1)));
        assert!(!valid(one_of, json!(1)));
        assert!(!valid(
            json!({"anyOf": [{"type": "string"}, {"type": "null"}]}),
            json!(1)
        ));
        assert!(!valid(json!({"not": {"type": "string"}}), json!("a")));
        assert!(!valid(
            json!({"allOf": [{"minimum": 1}, {"maximum": 0}]}),
            json!(0)
        ));
        let conditional =
            json!({"if": {"minimum": 10}, "then": {"multipleOf": 10}, "else": {"maximum": 5}});
        assert!(valid(conditional.clone(), json!(20)));
        assert!(!valid(conditional.clone(), json!(15)));
        assert!(!valid(conditional, json!(7)));
        assert!(!valid(json!(false), json!(null)));
        assert!(valid(
            json!({"$ref": "#/components/schemas/Elsewhere"}),
            json!(1)
        ));
    }

    #[test]
    fn deep_values_fit_a_worker_thread_stack() {
        let defs =
            json!({"Tree": {"type": "array", "items": {"allOf": [{"$ref": "#/$defs/Tree"}]}}});
        let Value::Object(defs) = defs else {
            unreachable!()
        };
        let validator = Validator::new(&json!({"$ref": "#/$defs/Tree"}), &defs);
        let mut value = json!([]);
        for _ in 0..127 {
            value = json!([value]);
        }
        let mut broken = json!(["leaf"]);
        for _ in 0..126 {
            broken = json!([broken]);
        }
        // A tokio worker's stack (2 MiB), in this debug build.
        let found = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || {
                (
                    validator.is_valid(&value),
                    validator.errors(&broken, 10).len(),
                )
            })
            .map(|t| t.join());
        assert!(matches!(found, Ok(Ok((true, 1)))), "{found:?}");
    }

    #[test]
    fn messages_are_cut_short() {
        let long = "x".repeat(10_000);
        let found =
            Validator::new(&json!({"type": "integer"}), &Map::new()).errors(&json!(long), 10);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.len() < 200, "{}", found[0].message);
    }

    #[test]
    fn deep_schemas_do_not_overflow() {
        let mut schema = json!({"type": "integer"});
        for _ in 0..10_000 {
            let mut map = Map::new();
            map.insert("items".into(), schema);
            schema = Value::Object(map);
        }
        let validator = Validator::new(&schema, &Map::new());
        assert!(validator.is_valid(&json!([[[1]]])));
        drop_deep(schema);
    }

    /// Drops a deeply nested value without recursing as deep as it is.
    fn drop_deep(value: Value) {
        let mut stack = vec![value];
        while let Some(mut v) = stack.pop() {
            match &mut v {
                Value::Object(m) => stack.extend(std::mem::take(m).into_iter().map(|(_, v)| v)),
                Value::Array(a) => stack.append(a),
                _ => {}
            }
        }
    }
}
