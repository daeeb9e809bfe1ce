//! Validation while parsing: answers "is this body valid?" from the bytes, without building a
//! `serde_json::Value` (building, then dropping, that tree is most of what validating a small
//! body costs). Written by hand for that speed: through `routes!`, a validated small-object
//! request costs 1.26x the instructions of plain axum's (BENCHMARKS.md, "Response
//! validation"), where serde's visitor dispatch alone had been three quarters of the cost.
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

use std::borrow::Cow;
use std::cell::RefCell;
use std::sync::Arc;

use serde_json::{Map, Value};

use super::contract::reached_defs;
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

/// Keywords that never change whether a value is valid.
const ANNOTATIONS: &[&str] = &[
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
    "contentMediaType",
    "contentEncoding",
];

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
            ANNOTATIONS.contains(&key)
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
            && map
                .keys()
                .all(|k| k == "allOf" || ANNOTATIONS.contains(&k.as_str()))
        {
            return self.build(member);
        }
        if let Some(target) = map.get("$ref") {
            let alone = map
                .keys()
                .all(|k| k == "$ref" || ANNOTATIONS.contains(&k.as_str()));
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

/// Nesting the walker follows; deeper texts are left to `serde_json` (whose own limit is 128).
const MAX_DEPTH: u32 = 100;

/// A walk over a JSON text already known to be UTF-8: one pass over its bytes, each value
/// checked against its node as it is read. Any `false` ends the walk ("not shown valid").
/// Where the walker must agree with `serde_json` to the bit (strings with escapes, floats,
/// integers beyond 64 bits), it asks `serde_json` about that one token.
struct Walk<'v, 't> {
    nodes: &'v [Node],
    text: &'t str,
    at: usize,
    depth: u32,
}

impl<'t> Walk<'_, 't> {
    fn peek(&self) -> u8 {
        self.text.as_bytes().get(self.at).copied().unwrap_or(0)
    }

    fn whitespace(&mut self) {
        while matches!(self.peek(), b' ' | b'\n' | b'\r' | b'\t') {
            self.at += 1;
        }
    }

    /// The next value, checked against `node`.
    fn value(&mut self, node: usize) -> bool {
        match self.nodes.get(node) {
            Some(Node::Any) => self.walk(None),
            Some(Node::Checked(checked)) => self.walk(Some(checked)),
            Some(Node::Delegated(validator)) => {
                self.whitespace();
                let start = self.at;
                self.walk(None)
                    && self
                        .text
                        .get(start..self.at)
                        .and_then(|text| serde_json::from_str::<Value>(text).ok())
                        .is_some_and(|value| validator.is_valid(&value))
            }
            // Aliases are resolved when the walker is built; one left is a cycle of `$ref`s
            // with nothing else in it, which the full validator decides.
            Some(Node::Never | Node::Pending(_) | Node::Alias(_)) | None => false,
        }
    }

    /// The next value: well-formed, and accepted by `c` (any value with `None`).
    fn walk(&mut self, c: Option<&Checked>) -> bool {
        self.whitespace();
        match self.peek() {
            b'{' => self.object(c),
            b'[' => self.array(c),
            b'"' => self
                .string()
                .is_some_and(|s| c.is_none_or(|c| c.accepts_str(&s))),
            b't' => {
                self.literal("true") && c.is_none_or(|c| c.accepts_literal(BOOLEAN, || true.into()))
            }
            b'f' => {
                self.literal("false")
                    && c.is_none_or(|c| c.accepts_literal(BOOLEAN, || false.into()))
            }
            b'n' => {
                self.literal("null") && c.is_none_or(|c| c.accepts_literal(NULL, || Value::Null))
            }
            b'-' | b'0'..=b'9' => self.number(c),
            _ => false,
        }
    }

    fn literal(&mut self, word: &str) -> bool {
        let found = self
            .text
            .as_bytes()
            .get(self.at..)
            .is_some_and(|rest| rest.starts_with(word.as_bytes()));
        self.at += word.len();
        found
    }

    fn enter(&mut self) -> bool {
        self.at += 1;
        self.depth += 1;
        self.depth <= MAX_DEPTH
    }

    /// An element of an array or a member's value: checked against `node`, or only read.
    /// Then `,` (`Some(true)`: more follow) or `close` (`Some(false)`: the last); `None` when
    /// the element is not shown valid or anything else follows.
    fn element(&mut self, node: Option<usize>, close: u8) -> Option<bool> {
        let ok = match node {
            Some(node) => self.value(node),
            None => self.walk(None),
        };
        if !ok {
            return None;
        }
        self.whitespace();
        let more = match self.peek() {
            b',' => true,
            b if b == close => false,
            _ => return None,
        };
        self.at += 1;
        Some(more)
    }

    #[inline(never)]
    fn object(&mut self, c: Option<&Checked>) -> bool {
        if c.is_some_and(|c| c.types & OBJECT == 0 || c.strings.is_some()) || !self.enter() {
            return false;
        }
        // `declared`: the declared properties met so far (the first 64), so that a repeated
        // key, which serde's derived `Deserialize` rejects, is not accepted here.
        let (mut seen, mut count, mut declared) = (0u64, 0u64, 0u64);
        self.whitespace();
        if self.peek() == b'}' {
            self.at += 1;
        } else {
            loop {
                self.whitespace();
                if self.peek() != b'"' {
                    return false;
                }
                let Some(key) = self.string() else {
                    return false;
                };
                self.whitespace();
                if self.peek() != b':' {
                    return false;
                }
                self.at += 1;
                let mut repeated = false;
                let node = c.and_then(|c| match c.property(&key) {
                    Some((node, bit, index)) => {
                        seen |= bit.map_or(0, |bit| 1 << bit);
                        if index < 64 {
                            repeated = declared & (1 << index) != 0;
                            declared |= 1 << index;
                        }
                        Some(node)
                    }
                    None => c.additional,
                });
                if repeated {
                    return false;
                }
                count += 1;
                match self.element(node, b'}') {
                    Some(true) => {}
                    Some(false) => break,
                    None => return false,
                }
            }
        }
        self.depth -= 1;
        c.is_none_or(|c| {
            seen & c.required_mask == c.required_mask
                && count >= c.min_properties
                && count <= c.max_properties
        })
    }

    fn array(&mut self, c: Option<&Checked>) -> bool {
        if c.is_some_and(|c| c.types & ARRAY == 0 || c.strings.is_some()) || !self.enter() {
            return false;
        }
        let items = c.and_then(|c| c.items);
        let mut count = 0u64;
        self.whitespace();
        if self.peek() == b']' {
            self.at += 1;
        } else {
            loop {
                count += 1;
                match self.element(items, b']') {
                    Some(true) => {}
                    Some(false) => break,
                    None => return false,
                }
            }
        }
        self.depth -= 1;
        c.is_none_or(|c| count >= c.min_items && count <= c.max_items)
    }

    /// A string (the walk is at its opening quote), unescaped.
    #[inline]
    fn string(&mut self) -> Option<Cow<'t, str>> {
        let bytes = self.text.as_bytes();
        let start = self.at + 1;
        let mut at = start;
        while bytes
            .get(at)
            .is_some_and(|b| !STRING_STOPS[usize::from(*b)])
        {
            at += 1;
        }
        if bytes.get(at) == Some(&b'"') {
            self.at = at + 1;
            return self.text.get(start..at).map(Cow::Borrowed);
        }
        self.escaped_string(at)
    }

    /// The rest of a string from `at`, an escape or a control character: escapes are rare in
    /// responses, so the closing quote is found, then the string unescaped as `serde_json`
    /// does, surrogate pairs and errors included.
    #[cold]
    #[inline(never)]
    fn escaped_string(&mut self, mut at: usize) -> Option<Cow<'t, str>> {
        let bytes = self.text.as_bytes();
        let start = self.at;
        if bytes.get(at) != Some(&b'\\') {
            return None;
        }
        loop {
            match *bytes.get(at)? {
                b'"' => break,
                b'\\' => at += 2,
                _ => at += 1,
            }
        }
        self.at = at + 1;
        serde_json::from_str::<String>(self.text.get(start..=at)?)
            .ok()
            .map(Cow::Owned)
    }

    /// A number, read as `serde_json` reads it into a `Value`: an integer within 64 bits as
    /// that integer, anything else (`-0` included) as the `f64` `serde_json` makes of it.
    #[inline(never)]
    fn number(&mut self, c: Option<&Checked>) -> bool {
        let bytes = self.text.as_bytes();
        let start = self.at;
        let negative = bytes.get(start) == Some(&b'-');
        let mut at = start + usize::from(negative);
        let mut significand = Some(0);
        match bytes.get(at) {
            Some(b'0') => at += 1,
            Some(b'1'..=b'9') => {
                digits(bytes, &mut at, &mut significand);
            }
            _ => return false,
        }
        let (mut integer, mut exponent) = (true, Some(0i64));
        if bytes.get(at) == Some(&b'.') {
            at += 1;
            integer = false;
            match digits(bytes, &mut at, &mut significand) {
                0 => return false,
                n => exponent = i64::try_from(n).ok().map(|n| -n),
            }
        }
        if matches!(bytes.get(at), Some(b'e' | b'E')) {
            at += 1;
            integer = false;
            let sign = match bytes.get(at) {
                Some(b'-') => -1,
                Some(b'+') => 1,
                _ => 0,
            };
            at += usize::from(sign != 0);
            let mut written = Some(0);
            if digits(bytes, &mut at, &mut written) == 0 {
                return false;
            }
            let written = written.and_then(|e| i64::try_from(e).ok());
            exponent = exponent
                .zip(written)
                .and_then(|(e, w)| e.checked_add(if sign < 0 { -w } else { w }));
        }
        self.at = at;
        let Some(c) = c else {
            // Skipped: only whether `serde_json` reads it matters (`1e400` is out of its range).
            return integer
                || float_fast(negative, significand, exponent).is_some()
                || self
                    .text
                    .get(start..at)
                    .is_some_and(|t| serde_json::from_str::<f64>(t).is_ok());
        };
        if integer && let Some(u) = significand {
            if !negative {
                return c.accepts_integer(|| Value::from(u), exact_int(u.into()));
            }
            if let Ok(i) = i64::try_from(-i128::from(u))
                && i < 0
            {
                return c.accepts_integer(|| Value::from(i), exact_int(i.into()));
            }
        }
        let float = float_fast(negative, significand, exponent)
            .or_else(|| serde_json::from_str::<f64>(self.text.get(start..at)?).ok());
        float.is_some_and(|v| c.accepts_float(v))
    }
}

/// Reads ASCII digits from `at` into `significand` (`None` once past `u64`); how many.
fn digits(bytes: &[u8], at: &mut usize, significand: &mut Option<u64>) -> usize {
    let from = *at;
    while let Some(digit) = bytes.get(*at).filter(|b| b.is_ascii_digit()) {
        *significand = significand
            .and_then(|s| s.checked_mul(10))
            .and_then(|s| s.checked_add(u64::from(digit - b'0')));
        *at += 1;
    }
    *at - from
}

/// The `f64` `serde_json` makes of `significand × 10^exponent`, where both are small enough
/// for that to be one exactly rounded multiplication or division of exact values (Clinger's
/// fast path): `serde_json` does just that without its `float_roundtrip` feature and rounds
/// exactly with it, so the bits are the same either way. `None` for the rest, which
/// `serde_json` itself then reads.
fn float_fast(negative: bool, significand: Option<u64>, exponent: Option<i64>) -> Option<f64> {
    const POW10: [f64; 23] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];
    let exponent = exponent?;
    let pow = *POW10.get(usize::try_from(exponent.unsigned_abs()).ok()?)?;
    let f = significand.filter(|s| *s <= 1 << 53)? as f64;
    let f = if exponent >= 0 { f * pow } else { f / pow };
    Some(if negative { -f } else { f })
}

/// The bytes that end a run of plain characters in a JSON string: its closing quote, an escape,
/// or a control character (never allowed raw). One lookup per byte.
static STRING_STOPS: [bool; 256] = {
    let mut stops = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        stops[b] = true;
        b += 1;
    }
    stops[b'"' as usize] = true;
    stops[b'\\' as usize] = true;
    stops
};

/// Byte-wise equality, inline: the names compared are short, where a call to `memcmp` costs
/// more than the comparison.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

/// An integer as an `f64`, when that is exact.
fn exact_int(i: i128) -> Option<f64> {
    (i.unsigned_abs() <= 1 << 53).then_some(i as f64)
}

impl Checked {
    /// A declared property's node, its bit in the `required` mask and its index.
    fn property(&self, key: &str) -> Option<(usize, Option<u32>, usize)> {
        // Most objects declare a handful of properties: a scan comparing lengths first beats
        // a binary search's string comparisons there.
        let index = if self.properties.len() <= 16 {
            let key = key.as_bytes();
            self.properties
                .iter()
                .position(|(name, _, _)| same(name.as_bytes(), key))
        } else {
            self.properties
                .binary_search_by(|(name, _, _)| name.as_str().cmp(key))
                .ok()
        };
        let (_, node, bit) = self.properties.get(index?)?;
        Some((*node, *bit, index?))
    }

    fn scalar(&self, value: impl FnOnce() -> Value) -> bool {
        self.scalar.as_ref().is_none_or(|v| v.is_valid(&value()))
    }

    /// `true`, `false` or `null` (`bit`), its `Value` made only for the keywords handed on.
    fn accepts_literal(&self, bit: u8, value: impl FnOnce() -> Value) -> bool {
        self.types & bit != 0 && self.strings.is_none() && self.scalar(value)
    }

    fn in_bounds(&self, n: f64) -> bool {
        self.minimum.is_none_or(|m| n >= m)
            && self.maximum.is_none_or(|m| n <= m)
            && self.exclusive_minimum.is_none_or(|m| n > m)
            && self.exclusive_maximum.is_none_or(|m| n < m)
    }

    fn has_bounds(&self) -> bool {
        self.minimum.is_some()
            || self.maximum.is_some()
            || self.exclusive_minimum.is_some()
            || self.exclusive_maximum.is_some()
    }

    fn accepts_integer(&self, value: impl FnOnce() -> Value, exact: Option<f64>) -> bool {
        let in_bounds = match exact {
            Some(n) => self.in_bounds(n),
            None => !self.has_bounds(),
        };
        self.types & INTEGER != 0 && self.strings.is_none() && in_bounds && self.scalar(value)
    }

    fn accepts_float(&self, v: f64) -> bool {
        // `1.0` is an integer to JSON Schema; the walker leaves that case to the full validator.
        self.types & NUMBER != 0
            && self.strings.is_none()
            && self.in_bounds(v)
            && self.scalar(|| Value::from(v))
    }

    fn accepts_str(&self, v: &str) -> bool {
        let fits = || {
            if self.min_length == 0 && self.max_length == u64::MAX {
                return true;
            }
            let chars = v.chars().count() as u64;
            chars >= self.min_length && chars <= self.max_length
        };
        self.types & STRING != 0
            && self
                .strings
                .as_ref()
                .is_none_or(|s| s.iter().any(|s| same(s.as_bytes(), v.as_bytes())))
            && fits()
            && self.string_scalar(v)
    }

    /// `scalar` on a string, through a buffer kept per thread rather than a new `String`.
    fn string_scalar(&self, v: &str) -> bool {
        thread_local! {
            static SCRATCH: RefCell<Value> = const { RefCell::new(Value::String(String::new())) };
        }
        let Some(validator) = &self.scalar else {
            return true;
        };
        SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
            Ok(mut value) => {
                if let Value::String(buffer) = &mut *value {
                    buffer.clear();
                    buffer.push_str(v);
                } else {
                    *value = Value::String(v.to_string());
                }
                validator.is_valid(&value)
            }
            Err(_) => validator.is_valid(&Value::String(v.to_string())),
        })
    }
}

#[cfg(test)]
pub(crate) mod tests_support {
    use serde_json::{Value, json};

    use crate::testing::generate::Rng;
    use crate::validate::contract::{Contract, SpecBundle};

    /// The corpus specs (`../shared/specs`) the validators' tests generate values from.
    pub(crate) const CORPUS_SPECS: [&str; 9] = [
        "real/stripe-spec3.yaml",
        "real/spotify-web-api.yml",
        "real/kubernetes-core-v1.json",
        "real/openai.yaml",
        "real/discord.json",
        "real/twilio-api-v2010.json",
        "real/xero-accounting.yaml",
        "real/swagger-petstore3.yaml",
        "real/redocly-museum.yaml",
    ];

    /// The contract of a corpus spec, bundled as `routes!` bundles it.
    pub(crate) fn load(dir: &std::path::Path, file: &str) -> std::sync::Arc<Contract> {
        let path = dir.join(file);
        let spec = contract_spec::Spec::load(&path, dir).unwrap_or_else(|e| panic!("{file}: {e}"));
        let text = contract_spec::bundle::bundle(&spec).to_string();
        Contract::new(SpecBundle::__from_static(Box::leak(text.into_boxed_str())))
    }

    /// A contract whose one site is `schema`, with `defs` as the bundle's `$defs`.
    pub(crate) fn contract(schema: Value, defs: Value) -> std::sync::Arc<Contract> {
        let bundle = json!({
            "$defs": defs,
            "operations": [{
                "method": "GET",
                "path": "/x",
                "responses": {"200": {"content": {"application/json": {"schema": schema}}}}
            }]
        });
        let text: &'static str = Box::leak(bundle.to_string().into_boxed_str());
        Contract::new(SpecBundle::__from_static(text))
    }

    /// Replaces, removes or adds something at a random depth of `value`.
    pub(crate) fn break_somewhere(value: &mut Value, rng: &mut Rng) {
        let replacements = [
            json!(null),
            json!(-1),
            json!(1.5),
            json!(""),
            json!("not-an-enum-value"),
            json!(true),
            json!([]),
            json!({}),
            json!(u64::MAX),
        ];
        let descend = rng.below(3) != 0;
        match value {
            Value::Object(map) if !map.is_empty() => {
                let key = map
                    .keys()
                    .nth(rng.below(map.len() as u64) as usize)
                    .cloned();
                let Some(key) = key else { return };
                match rng.below(4) {
                    _ if descend => break_somewhere(&mut map[&key], rng),
                    0 => drop(map.remove(&key)),
                    1 => drop(map.insert("zz_undeclared".into(), json!(1))),
                    _ => map[&key] = replacements[rng.below(9) as usize].clone(),
                }
            }
            Value::Array(items) if !items.is_empty() && descend => {
                let i = rng.below(items.len() as u64) as usize;
                break_somewhere(&mut items[i], rng);
            }
            Value::Array(items) if rng.coin() => items.clear(),
            other => *other = replacements[rng.below(9) as usize].clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::tests_support::contract;
    use super::*;

    /// The walker's verdict on each text, after asserting it never accepts what the full validator
    /// rejects.
    fn verdicts(schema: Value, defs: Value, texts: &[&str]) -> Vec<(bool, bool)> {
        let c = contract(schema, defs);
        texts
            .iter()
            .map(|text| {
                let fast = c.accepts(0, text.as_bytes());
                let full =
                    serde_json::from_str::<Value>(text).is_ok_and(|v| c.check(0, &v).is_empty());
                assert!(
                    !fast || full,
                    "the walker accepted {text}, the full validator does not"
                );
                (fast, full)
            })
            .collect()
    }

    /// Asserts the walker and the full validator agree on each `(text, valid)`.
    fn agree(schema: Value, defs: Value, cases: &[(&str, bool)]) {
        let texts: Vec<&str> = cases.iter().map(|(t, _)| *t).collect();
        for ((text, valid), (fast, full)) in cases.iter().zip(verdicts(schema, defs, &texts)) {
            assert_eq!(full, *valid, "the full validator on {text}");
            assert_eq!(fast, *valid, "walker on {text}");
        }
    }

    fn pet() -> Value {
        json!({
            "type": "object",
            "required": ["id", "name", "status"],
            "properties": {
                "id": {"type": "integer", "format": "int64", "minimum": 1},
                "name": {"type": "string", "minLength": 1, "maxLength": 5, "pattern": "^[a-zé]+$"},
                "status": {"type": "string", "enum": ["available", "sold"]},
                "tag": {"type": ["string", "null"]},
                "weight": {"type": "number", "exclusiveMinimum": 0},
                "secret": false,
                "born": {"type": "string", "format": "date"}
            },
            "description": "a pet",
            "x-internal": true
        })
    }

    #[test]
    fn objects_types_enums_lengths_bounds_and_string_keywords() {
        agree(
            pet(),
            json!({}),
            &[
                (r#"{"id": 1, "name": "rex", "status": "sold"}"#, true),
                (
                    r#"{"id": 1, "name": "rex", "status": "sold", "tag": null, "weight": 0.5, "other": [1]}"#,
                    true,
                ),
                (
                    r#"{"id": 1, "name": "éé", "status": "sold", "born": "2024-02-29"}"#,
                    true,
                ),
                (r#"{"id": 1, "name": "rex"}"#, false),
                (r#"{"id": 0, "name": "rex", "status": "sold"}"#, false),
                (r#"{"id": -3, "name": "rex", "status": "sold"}"#, false),
                (r#"{"id": "1", "name": "rex", "status": "sold"}"#, false),
                (r#"{"id": 1, "name": "", "status": "sold"}"#, false),
                (r#"{"id": 1, "name": "éééééé", "status": "sold"}"#, false),
                (r#"{"id": 1, "name": "Rex", "status": "sold"}"#, false),
                (r#"{"id": 1, "name": "rex", "status": "lost"}"#, false),
                (
                    r#"{"id": 1, "name": "rex", "status": "sold", "tag": 3}"#,
                    false,
                ),
                (
                    r#"{"id": 1, "name": "rex", "status": "sold", "weight": 0}"#,
                    false,
                ),
                (
                    r#"{"id": 1, "name": "rex", "status": "sold", "secret": "x"}"#,
                    false,
                ),
                (
                    r#"{"id": 1, "name": "rex", "status": "sold", "born": "2023-02-29"}"#,
                    false,
                ),
                (r#"[{"id": 1, "name": "rex", "status": "sold"}]"#, false),
                ("null", false),
            ],
        );
    }

    #[test]
    fn cut_and_corrupted_bodies_never_panic_nor_pass_wrongly() {
        let c = contract(pet(), json!({}));
        let text = r#"{"id": 12, "name": "r\u00e9x", "status": "sold", "tag": null, "weight": 1e3, "x": [[{}], "\"", -0.5]}"#;
        let deep = "[".repeat(5000) + &"]".repeat(5000);
        let mut inputs: Vec<Vec<u8>> = (0..text.len())
            .map(|n| text.as_bytes()[..n].to_vec())
            .collect();
        for (i, b) in text.bytes().enumerate() {
            for replacement in [b'"', b'{', b'}', b'\\', b'0', 0xff, b' '] {
                if b != replacement {
                    let mut bytes = text.as_bytes().to_vec();
                    bytes[i] = replacement;
                    inputs.push(bytes);
                }
            }
        }
        inputs.push(deep.into_bytes());
        for bytes in &inputs {
            let fast = c.accepts(0, bytes);
            let full =
                serde_json::from_slice::<Value>(bytes).is_ok_and(|v| c.check(0, &v).is_empty());
            assert!(!fast || full, "accepted {}", String::from_utf8_lossy(bytes));
        }
        assert!(c.accepts(0, text.as_bytes()));
    }

    #[test]
    fn malformed_text_is_never_accepted() {
        agree(
            json!(true),
            json!({}),
            &[
                ("{}", true),
                ("{", false),
                ("{} {}", false),
                ("", false),
                ("[1,]", false),
            ],
        );
        agree(json!(false), json!({}), &[("{}", false), ("1", false)]);
    }

    /// The walker reads JSON's grammar itself: it must refuse what `serde_json` refuses, and
    /// read numbers and escapes as it does, through nodes it checks and nodes it skips.
    #[test]
    fn the_grammar_is_serde_jsons() {
        let cases: &[(&str, bool)] = &[
            (
                "[0, 1.5, -1.5e-3, 1E+2, 0.0, 18446744073709551616, -9223372036854775809]",
                true,
            ),
            (
                r#"{"a\u00e9\n": "\ud83d\ude00", "b": "\\\/\b\f\n\r\t\""}"#,
                true,
            ),
            (" \t\r\n[ ] ", true),
            ("[true, false, null, {}, [[]], \"\"]", true),
            ("01", false),
            ("-", false),
            ("1.", false),
            (".5", false),
            ("1e", false),
            ("1e+", false),
            ("+1", false),
            ("[1e400]", false),
            ("[-1e400]", false),
            (r#""\ud800""#, false),
            ("\"a\u{1}\"", false),
            (r#""\x""#, false),
            (r#""abc"#, false),
            (r#""\"#, false),
            ("[1,]", false),
            ("[,1]", false),
            ("[1 2]", false),
            (r#"{"a":1,}"#, false),
            (r#"{"a" 1}"#, false),
            (r#"{"a":1 "b":2}"#, false),
            (r#"{"a":}"#, false),
            ("{,}", false),
            ("{1:2}", false),
            ("tru", false),
            ("nul", false),
            ("falsey", false),
            ("[] x", false),
        ];
        let every_type = json!({
            "type": ["array", "object", "string", "number", "null", "boolean"],
            "items": {"type": ["array", "object", "string", "number", "null", "boolean"]},
            "additionalProperties": {"type": ["string", "number"]}
        });
        for schema in [json!(true), every_type] {
            agree(schema, json!({}), cases);
        }
        // Numbers reach the checks as `serde_json` reads them into a `Value`: `-0` and integers
        // beyond 64 bits are floats there (left to the full validator against `integer`).
        let v = verdicts(
            json!({"type": "array", "items": {"type": "integer", "maximum": 5}}),
            json!({}),
            &[
                "[-0]",
                "[18446744073709551616]",
                "[5, -5, 0]",
                "[6]",
                "[5.5]",
            ],
        );
        assert_eq!(
            v.iter().map(|v| v.0).collect::<Vec<_>>(),
            [false, false, true, false, false]
        );
    }

    #[test]
    fn references_recursion_arrays_and_additional_properties() {
        let defs = json!({
            "Tree": {
                "type": "object",
                "required": ["name"],
                "additionalProperties": false,
                "properties": {
                    "name": {"type": "string"},
                    "children": {"type": "array", "items": {"$ref": "#/$defs/Tree"}, "maxItems": 2}
                }
            },
            "Alias": {"$ref": "#/$defs/Tree", "description": "the same"}
        });
        agree(
            json!({"type": "array", "items": {"$ref": "#/$defs/Alias"}, "minItems": 1}),
            defs,
            &[
                (r#"[{"name": "a"}]"#, true),
                (
                    r#"[{"name": "a", "children": [{"name": "b", "children": []}]}]"#,
                    true,
                ),
                ("[]", false),
                (
                    r#"[{"name": "a", "children": [{"name": "b", "x": 1}]}]"#,
                    false,
                ),
                (r#"[{"name": "a", "children": [{}]}]"#, false),
                (
                    r#"[{"name": "a", "children": [{"name": "b"}, {"name": "c"}, {"name": "d"}]}]"#,
                    false,
                ),
            ],
        );
        agree(
            json!({"type": "object", "required": ["k"], "additionalProperties": {"type": "integer"}}),
            json!({}),
            &[
                (r#"{"k": 1, "j": 2}"#, true),
                (r#"{"k": "1"}"#, false),
                (r#"{"j": 1}"#, false),
                ("{}", false),
            ],
        );
    }

    #[test]
    fn what_the_walker_does_not_implement_is_delegated() {
        let one_of = json!({
            "type": "object",
            "properties": {
                "v": {"oneOf": [{"type": "integer"}, {"type": "string", "maxLength": 2}]},
                "u": {"type": "array", "uniqueItems": true},
                "e": {"enum": [1, "a", null]},
                "c": {"const": {"a": 1}},
                "m": {"type": "number", "multipleOf": 0.5}
            }
        });
        agree(
            one_of,
            json!({}),
            &[
                (
                    r#"{"v": 1, "u": [1, 2], "e": null, "c": {"a": 1}, "m": 1.5}"#,
                    true,
                ),
                (r#"{"v": "ab", "e": "a"}"#, true),
                (r#"{"v": "abc"}"#, false),
                (r#"{"v": 1.5}"#, false),
                (r#"{"u": [1, 1]}"#, false),
                (r#"{"e": 2}"#, false),
                (r#"{"c": {"a": 2}}"#, false),
                (r#"{"m": 1.25}"#, false),
            ],
        );
    }

    /// Floats the walker reads itself are the bits `serde_json` reads.
    #[test]
    fn fast_floats_are_serde_jsons() {
        let mut rng = crate::testing::generate::Rng::new(7);
        let mut fast = 0;
        for _ in 0..20_000 {
            let count = 1 + rng.below(19) as usize;
            let text: String = (0..count)
                .map(|_| char::from(b'0' + rng.below(10) as u8))
                .collect();
            let text = text.trim_start_matches('0').to_string() + "1";
            let point = rng.below(text.len() as u64) as usize;
            let mut text = format!("{}.{}", &text[..point.max(1)], &text[point.max(1)..]);
            if text.ends_with('.') {
                text.push('0');
            }
            if rng.below(2) == 0 {
                text = format!("{text}e{}", rng.below(50) as i64 - 25);
            }
            if rng.below(2) == 0 {
                text.insert(0, '-');
            }
            let bytes = text.as_bytes();
            let negative = text.starts_with('-');
            let mut at = usize::from(negative);
            let mut significand = Some(0);
            digits(bytes, &mut at, &mut significand);
            at += 1;
            let fraction = digits(bytes, &mut at, &mut significand) as i64;
            let written: i64 = text.split_once('e').map_or(0, |(_, e)| e.parse().unwrap());
            let expected: f64 = serde_json::from_str(&text).unwrap();
            if let Some(f) = float_fast(negative, significand, Some(written - fraction)) {
                fast += 1;
                assert_eq!(f.to_bits(), expected.to_bits(), "{text}");
            }
        }
        assert!(fast > 5_000, "{fast}");
    }

    #[test]
    fn unsure_cases_are_left_to_the_full_validator() {
        // `1.0` is an integer, a repeated key counts once, and 2^63 - 1 is not exact as an
        // `f64`: the walker says "not shown valid", the full validator decides.
        let v = verdicts(
            json!({"type": "object", "properties": {"n": {"type": "integer", "minimum": 0}}, "maxProperties": 1}),
            json!({}),
            &[
                r#"{"n": 1.0}"#,
                r#"{"n": 1, "n": 2}"#,
                r#"{"n": 9223372036854775807}"#,
            ],
        );
        assert_eq!(v, [(false, true), (false, true), (false, true)]);
        // A bound that is not exact as an `f64` leaves the whole subschema to the full validator.
        agree(
            json!({"type": "array", "items": {"type": "integer", "maximum": 9223372036854775807_u64}}),
            json!({}),
            &[
                ("[9223372036854775807]", true),
                ("[9223372036854775808]", false),
                ("[1.0]", true),
            ],
        );
        // A root the walker would delegate whole is not walked at all.
        let v = verdicts(json!({"oneOf": [{"type": "integer"}]}), json!({}), &["1"]);
        assert_eq!(v, [(false, true)]);
        // Large integers without bounds, and bounds on floats, are exact.
        agree(
            json!({"type": "array", "items": {"type": "number", "maximum": 1.5}}),
            json!({}),
            &[
                ("[18446744073709551615]", false),
                ("[-9007199254740992, 1.5]", true),
            ],
        );
    }
}

/// The walker against the full validator on the schemas of real specs (`../shared/specs`): values
/// generated to fit each response schema, and the same values broken at a random place.
#[cfg(test)]
mod corpus {
    use std::time::{Duration, Instant};

    use serde_json::Value;

    use super::tests_support::{CORPUS_SPECS, break_somewhere, load};
    use crate::testing::generate::{Rng, valid};

    #[test]
    fn the_walker_never_accepts_what_the_full_validator_rejects() {
        let Some(dir) = contract_spec::corpus_dir() else {
            return;
        };
        let mut rng = Rng::new(2026);
        for file in CORPUS_SPECS {
            let contract = load(&dir, file);
            let (mut sites, mut values, mut both_valid, mut only_full) = (0, 0, 0, 0);
            let mut building = Duration::ZERO;
            let mut compiling = Duration::ZERO;
            // Sites spread over the spec, at most 60 of them: compiling a validator for every
            // site of a large spec would dominate the test's time.
            let step = (contract.sites.len() / 60).max(1);
            for site in (0..contract.sites.len()).step_by(step) {
                let schema = contract.sites[site].schema.clone();
                sites += 1;
                let start = Instant::now();
                contract.accepts(site, b"null");
                building += start.elapsed();
                let start = Instant::now();
                contract.check(site, &Value::Null);
                compiling += start.elapsed();
                for k in 0..8 {
                    let mut value = valid(&contract, &schema, &mut rng, 0);
                    if k % 2 == 1 {
                        break_somewhere(&mut value, &mut rng);
                    }
                    let text = value.to_string();
                    let fast = contract.accepts(site, text.as_bytes());
                    let full = contract.check(site, &value).is_empty();
                    assert!(
                        !fast || full,
                        "{file}: {}: the walker accepted what the full validator rejects: {text}",
                        contract.site_location(site)
                    );
                    values += 1;
                    both_valid += usize::from(fast && full);
                    only_full += usize::from(!fast && full);
                }
            }
            eprintln!(
                "{file}: {sites} sites (walkers built in {building:?}, validators in {compiling:?}), {values} values: \
                 valid to both {both_valid}, only to the full validator {only_full}"
            );
            // The walker must decide most valid values itself, or it saves nothing. (On Stripe
            // about a fifth are on sites over the walker's budget, left to the full validator.)
            assert!(
                only_full * 4 <= both_valid + only_full,
                "{file}: the walker left {only_full} of {} valid values to the full validator",
                both_valid + only_full
            );
        }
    }
}
