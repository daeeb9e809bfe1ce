//! Validation while parsing: answers "is this body valid?" from the bytes, without building a
//! `serde_json::Value` (building, then dropping, that tree is most of what validating a small
//! body costs). Written by hand for that speed: through `routes!`, a validated small-object
//! request costs 1.26x the instructions of plain axum's (BENCHMARKS.md, "Response
//! validation").
//!
//! A schema is compiled into nodes the walker checks itself (types, `properties`, `required`,
//! `additionalProperties`, `items`, string enums, lengths, numeric bounds). What it does not
//! implement is left to the full validator (`contract_schema`): a string keyword such as `pattern` or `format` runs on the
//! one scalar; any other keyword (`oneOf`, `allOf`, `uniqueItems`, …) makes its subtree
//! *delegated*, parsed into a `Value` on its own and handed to a validator for that subschema.
//!
//! The walker only ever says "valid" when the full validator would: where it is unsure (a float
//! against `integer`, an integer too large for an `f64` against a bound, a repeated key) it says
//! "not valid", and the caller then validates the `Value` with the full validator, which
//! gives the final verdict and the messages.

use std::cell::RefCell;
use std::sync::Arc;

use serde_json::{Map, Value};

use super::defs::reached_defs;
use contract_schema::Validator;

/// Builds a the full validator validator for a subschema (the contract attaches the `$defs` it reaches,
/// and shares validators between equal subschemas).
pub(crate) type Compile<'a> = dyn Fn(&Value) -> Option<Arc<Validator>> + 'a;

/// A walker needing more delegated subschemas than this, or whose delegated subschemas reach
/// more `$defs` in all than [`MAX_DELEGATED_COST`], is not built: each delegated subschema is
/// compiled with the definitions it reaches, and on a spec like Stripe's (`anyOf` an id or the
/// expanded object, on every field) that costs far more, once, than the walker saves per
/// response.
const MAX_DELEGATED: usize = 32;
const MAX_DELEGATED_COST: usize = 256;

/// A compiled schema: `nodes[0]` is the root as written.
pub(crate) struct StreamingValidator {
    nodes: Vec<Node>,
    /// Where the walk starts (node 0, or the definition it refers to).
    root: usize,
}

enum Node {
    /// `true`, or only annotations: anything goes.
    Any,
    /// `false`.
    Never,
    /// Parsed into a `Value` and validated by the full validator.
    Delegated(Arc<Validator>),
    /// A delegated subschema (an index into `Builder::pending`) until the walker is built.
    Pending(usize),
    Checked(Box<Checked>),
    /// Filled in once the `$ref`'d definition is compiled (recursion goes through this).
    Alias(usize),
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
struct Checked {
    types: u8,
    /// `enum` whose values are all strings.
    strings: Option<Vec<String>>,
    min_length: u64,
    max_length: u64,
    minimum: Option<f64>,
    maximum: Option<f64>,
    exclusive_minimum: Option<f64>,
    exclusive_maximum: Option<f64>,
    /// `pattern`, `format`, `multipleOf`, `const` and other `enum`s, run on scalars.
    scalar: Option<Arc<Validator>>,
    items: Option<usize>,
    min_items: u64,
    max_items: u64,
    /// Property name, its node, and its bit in the `required` mask (if required).
    properties: Vec<(String, usize, Option<u32>)>,
    required_mask: u64,
    /// `additionalProperties`; `None` allows anything.
    additional: Option<usize>,
    min_properties: u64,
    max_properties: u64,
}

/// Keywords that constrain no value the walker reads: JSON Schema's annotations, and the
/// content keywords (2020-12 makes them annotations too).
fn annotates(key: &str) -> bool {
    contract_schema::ANNOTATIONS.contains(&key)
        || matches!(key, "contentMediaType" | "contentEncoding")
}

/// Keywords that apply to arrays only, and to objects only.
const ARRAY_KEYWORDS: &[&str] = &[
    "uniqueItems",
    "prefixItems",
    "contains",
    "minContains",
    "maxContains",
    "unevaluatedItems",
];
const OBJECT_KEYWORDS: &[&str] = &[
    "patternProperties",
    "propertyNames",
    "dependentRequired",
    "dependentSchemas",
    "unevaluatedProperties",
];

/// OpenAPI's formats for floats and opaque strings, which constrain nothing.
const IGNORED_FORMATS: &[&str] = &["float", "double", "byte", "binary", "password"];

/// Handed to the full validator on the scalar itself.
const SCALAR_KEYWORDS: &[&str] = &["pattern", "format", "multipleOf", "const", "enum"];

impl StreamingValidator {
    /// Compiles `schema`; `defs` are the bundle's `$defs` its `$ref`s point into. `None` where
    /// a walker would save nothing (the root itself is delegated) or cost too much to build.
    pub(crate) fn new(
        schema: &Value,
        defs: &Map<String, Value>,
        compile: &Compile,
    ) -> Option<Self> {
        let mut builder = Builder {
            nodes: Vec::new(),
            defs,
            compiled_defs: Vec::new(),
            pending: Vec::new(),
            compile,
        };
        builder.node(schema);
        let Builder {
            mut nodes, pending, ..
        } = builder;
        if matches!(nodes.first(), Some(Node::Pending(_)) | None) || pending.len() > MAX_DELEGATED {
            return None;
        }
        // Each delegated subschema is compiled with the definitions it reaches.
        let mut cost = 0;
        for schema in &pending {
            cost += 1 + reached_defs(schema, defs).len();
            if cost > MAX_DELEGATED_COST {
                return None;
            }
        }
        let validators: Vec<Option<Arc<Validator>>> = pending.iter().map(compile).collect();
        for node in &mut nodes {
            if let Node::Pending(i) = *node {
                *node = match validators.get(i).cloned().flatten() {
                    Some(validator) => Node::Delegated(validator),
                    // A schema the full validator cannot compile is not validated on the other path
                    // either.
                    None => Node::Any,
                };
            }
        }
        // Point every reference past `$ref` aliases, so the walk does not follow them.
        let target = |nodes: &[Node], mut i: usize| {
            for _ in 0..nodes.len() {
                match nodes.get(i) {
                    Some(Node::Alias(next)) => i = *next,
                    _ => break,
                }
            }
            i
        };
        for at in 0..nodes.len() {
            let Node::Checked(checked) = &nodes[at] else {
                continue;
            };
            let properties: Vec<usize> = checked
                .properties
                .iter()
                .map(|p| target(&nodes, p.1))
                .collect();
            let items = checked.items.map(|i| target(&nodes, i));
            let additional = checked.additional.map(|i| target(&nodes, i));
            if let Node::Checked(checked) = &mut nodes[at] {
                for (property, node) in checked.properties.iter_mut().zip(properties) {
                    property.1 = node;
                }
                checked.items = items;
                checked.additional = additional;
            }
        }
        let root = target(&nodes, 0);
        Some(StreamingValidator { nodes, root })
    }

    /// Whether `bytes` is one JSON value that the schema accepts. `false` also when the walker
    /// is unsure: the caller then asks the full validator.
    pub(crate) fn accepts(&self, bytes: &[u8]) -> bool {
        // UTF-8 checked once for the whole text rather than string by string.
        let Ok(text) = std::str::from_utf8(bytes) else {
            return false;
        };
        let mut walk = Walk {
            nodes: &self.nodes,
            text,
            at: 0,
            depth: 0,
        };
        walk.value(self.root) && {
            walk.whitespace();
            walk.at == text.len()
        }
    }
}

struct Builder<'a> {
    nodes: Vec<Node>,
    defs: &'a Map<String, Value>,
    compiled_defs: Vec<(&'a str, usize)>,
    /// Delegated subschemas, compiled once the walker is known to be worth building.
    pending: Vec<Value>,
    compile: &'a Compile<'a>,
}

impl<'a> Builder<'a> {
    /// Compiles `schema` into a new node and returns its index.
    fn node(&mut self, schema: &Value) -> usize {
        let index = self.nodes.len();
        self.nodes.push(Node::Any);
        let node = self.build(schema);
        self.nodes[index] = node;
        index
    }

    fn delegate(&mut self, schema: &Value) -> Node {
        self.pending.push(schema.clone());
        Node::Pending(self.pending.len() - 1)
    }

    fn build(&mut self, schema: &Value) -> Node {
        let map = match schema {
            Value::Bool(true) => return Node::Any,
            Value::Bool(false) => return Node::Never,
            Value::Object(map) => map,
            _ => return self.delegate(schema),
        };
        let understood = |key: &str| {
            annotates(key)
                || SCALAR_KEYWORDS.contains(&key)
                || key.starts_with("x-")
                || matches!(
                    key,
                    "type"
                        | "minLength"
                        | "maxLength"
                        | "minimum"
                        | "maximum"
                        | "exclusiveMinimum"
                        | "exclusiveMaximum"
                        | "items"
                        | "minItems"
                        | "maxItems"
                        | "properties"
                        | "required"
                        | "additionalProperties"
                        | "minProperties"
                        | "maxProperties"
                )
        };
        // `allOf` with one member (how OpenAPI 3.0 documents a `$ref` next to a description)
        // is that member.
        if let Some(Value::Array(members)) = map.get("allOf")
            && let [member] = members.as_slice()
            && map.keys().all(|k| k == "allOf" || annotates(k))
        {
            return self.build(member);
        }
        if let Some(target) = map.get("$ref") {
            let alone = map.keys().all(|k| k == "$ref" || annotates(k));
            return match target.as_str().and_then(|r| r.strip_prefix("#/$defs/")) {
                Some(key) if alone => self.reference(key, schema),
                _ => self.delegate(schema),
            };
        }
        // Keywords of arrays (or objects) say nothing about a schema whose `type` excludes them.
        let types = map.get("type").map_or(ALL, |t| match t {
            Value::String(t) => type_bit(t).unwrap_or(ALL),
            Value::Array(ts) => ts
                .iter()
                .map(|t| t.as_str().and_then(type_bit).unwrap_or(ALL))
                .fold(0, |bits, bit| bits | bit),
            _ => ALL,
        });
        let inapplicable = |key: &str| {
            types & ARRAY == 0 && ARRAY_KEYWORDS.contains(&key)
                || types & OBJECT == 0 && OBJECT_KEYWORDS.contains(&key)
        };
        if !map.keys().all(|k| understood(k) || inapplicable(k)) {
            return self.delegate(schema);
        }
        match self.checked(map) {
            Some(checked) => Node::Checked(Box::new(checked)),
            None => self.delegate(schema),
        }
    }

    fn reference(&mut self, key: &str, schema: &Value) -> Node {
        if let Some(&(_, node)) = self.compiled_defs.iter().find(|(k, _)| *k == key) {
            return Node::Alias(node);
        }
        let Some((key, def)) = self.defs.get_key_value(key) else {
            return self.delegate(schema);
        };
        let index = self.nodes.len();
        self.nodes.push(Node::Any);
        self.compiled_defs.push((key.as_str(), index));
        let node = self.build(def);
        self.nodes[index] = node;
        Node::Alias(index)
    }

    /// The keywords the walker checks itself; `None` where a value is of a form it does not
    /// handle (the node is then delegated).
    fn checked(&mut self, map: &Map<String, Value>) -> Option<Checked> {
        let mut c = Checked {
            types: ALL,
            max_length: u64::MAX,
            max_items: u64::MAX,
            max_properties: u64::MAX,
            ..Checked::default()
        };
        if let Some(types) = map.get("type") {
            c.types = match types {
                Value::String(t) => type_bit(t)?,
                Value::Array(ts) => ts
                    .iter()
                    .try_fold(0, |bits, t| Some(bits | type_bit(t.as_str()?)?))?,
                _ => return None,
            };
            // `integer` values are numbers too.
            if c.types & NUMBER != 0 {
                c.types |= INTEGER;
            }
        }
        let count = |key: &str, default: u64| match map.get(key) {
            None => Some(default),
            Some(v) => v.as_u64(),
        };
        c.min_length = count("minLength", 0)?;
        c.max_length = count("maxLength", u64::MAX)?;
        c.min_items = count("minItems", 0)?;
        c.max_items = count("maxItems", u64::MAX)?;
        c.min_properties = count("minProperties", 0)?;
        c.max_properties = count("maxProperties", u64::MAX)?;
        let bound = |key: &str| match map.get(key) {
            None => Some(None),
            Some(v) => exact_f64(v).map(Some),
        };
        c.minimum = bound("minimum")?;
        c.maximum = bound("maximum")?;
        c.exclusive_minimum = bound("exclusiveMinimum")?;
        c.exclusive_maximum = bound("exclusiveMaximum")?;
        match map.get("enum") {
            Some(Value::Array(values)) if values.iter().all(Value::is_string) => {
                c.strings = Some(
                    values
                        .iter()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect(),
                );
            }
            _ => {}
        }
        // `enum` and `const` reach arrays and objects too, which the walker does not build.
        let whole_value =
            map.contains_key("const") || map.contains_key("enum") && c.strings.is_none();
        if whole_value && c.types & (ARRAY | OBJECT) != 0 {
            return None;
        }
        let scalar: Map<String, Value> = map
            .iter()
            .filter(|(k, v)| match k.as_str() {
                "enum" => c.strings.is_none(),
                "format" => !v.as_str().is_some_and(|f| IGNORED_FORMATS.contains(&f)),
                k => SCALAR_KEYWORDS.contains(&k),
            })
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if !scalar.is_empty() {
            c.scalar = Some((self.compile)(&Value::Object(scalar))?);
        }
        if let Some(items) = map.get("items") {
            if !items.is_object() && !items.is_boolean() {
                return None;
            }
            c.items = Some(self.node(items));
        }
        let mut required: Vec<&str> = match map.get("required") {
            None => Vec::new(),
            Some(Value::Array(names)) => names.iter().map(Value::as_str).collect::<Option<_>>()?,
            Some(_) => return None,
        };
        required.sort_unstable();
        required.dedup();
        // Keys are counted as they come; a repeated key would count twice where the full validator
        // counts it once, so a lower bound on properties is left to it.
        if required.len() > 64 || c.min_properties > 0 {
            return None;
        }
        if let Some(extra) = map.get("additionalProperties") {
            c.additional = Some(self.node(extra));
        }
        match map.get("properties") {
            None => {}
            Some(Value::Object(props)) => {
                for (name, schema) in props {
                    let node = self.node(schema);
                    c.properties.push((name.clone(), node, None));
                }
            }
            Some(_) => return None,
        }
        for (bit, name) in required.into_iter().enumerate() {
            let bit = bit as u32;
            c.required_mask |= 1 << bit;
            match c.properties.iter_mut().find(|(n, _, _)| n == name) {
                Some((_, _, slot)) => *slot = Some(bit),
                // Required but not declared: its value is an additional property's.
                None => {
                    let node = match c.additional {
                        Some(node) => node,
                        None => {
                            self.nodes.push(Node::Any);
                            self.nodes.len() - 1
                        }
                    };
                    c.properties.push((name.to_string(), node, Some(bit)));
                }
            }
        }
        c.properties.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        Some(c)
    }
}

fn type_bit(name: &str) -> Option<u8> {
    Some(match name {
        "null" => NULL,
        "boolean" => BOOLEAN,
        "integer" => INTEGER,
        "number" => NUMBER,
        "string" => STRING,
        "array" => ARRAY,
        "object" => OBJECT,
        _ => return None,
    })
}

/// A bound as an `f64`, when that is exact (so comparisons agree with the full validator's).
fn exact_f64(v: &Value) -> Option<f64> {
    let n = v.as_number()?;
    if let Some(f) = n.as_f64().filter(|_| n.is_f64()) {
        return Some(f);
    }
    let i = n
        .as_i64()
        .or_else(|| n.as_u64().and_then(|u| i64::try_from(u).ok()))?;
    (i.unsigned_abs() <= 1 << 53).then_some(i as f64)
}

mod walk;

use walk::Walk;

#[cfg(test)]
mod tests;
#[cfg(test)]
pub(crate) mod tests_support;
