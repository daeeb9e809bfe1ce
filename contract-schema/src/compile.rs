//! Compiling a schema into nodes: keywords read once, `$ref`s into `$defs` compiled once and
//! shared, patterns compiled with a size limit.

use super::*;

pub(crate) enum Node {
    Bool(bool),
    Keywords(Box<Keywords>),
}

pub(crate) const NULL: u8 = 1;

pub(crate) const BOOLEAN: u8 = 2;

pub(crate) const INTEGER: u8 = 4;

pub(crate) const NUMBER: u8 = 8;

pub(crate) const STRING: u8 = 16;

pub(crate) const ARRAY: u8 = 32;

pub(crate) const OBJECT: u8 = 64;

pub(crate) const ALL: u8 = 127;

#[derive(Default)]
pub(crate) struct Keywords {
    pub(crate) types: u8,
    pub(crate) reference: Option<usize>,
    pub(crate) enumeration: Option<Vec<Value>>,
    pub(crate) constant: Option<Value>,
    pub(crate) multiple_of: Option<Number>,
    pub(crate) minimum: Option<Number>,
    pub(crate) maximum: Option<Number>,
    pub(crate) exclusive_minimum: Option<Number>,
    pub(crate) exclusive_maximum: Option<Number>,
    pub(crate) min_length: Option<u64>,
    pub(crate) max_length: Option<u64>,
    pub(crate) pattern: Option<(String, regex_lite::Regex)>,
    pub(crate) format: Option<Format>,
    pub(crate) items: Option<usize>,
    pub(crate) prefix_items: Vec<usize>,
    pub(crate) min_items: Option<u64>,
    pub(crate) max_items: Option<u64>,
    pub(crate) unique_items: bool,
    pub(crate) contains: Option<usize>,
    pub(crate) min_contains: Option<u64>,
    pub(crate) max_contains: Option<u64>,
    pub(crate) properties: Vec<(String, usize)>,
    pub(crate) pattern_properties: Vec<(String, regex_lite::Regex, usize)>,
    pub(crate) additional: Option<usize>,
    pub(crate) required: Vec<String>,
    pub(crate) min_properties: Option<u64>,
    pub(crate) max_properties: Option<u64>,
    pub(crate) property_names: Option<usize>,
    pub(crate) dependent_required: Vec<(String, Vec<String>)>,
    pub(crate) dependent_schemas: Vec<(String, usize)>,
    pub(crate) all_of: Vec<usize>,
    pub(crate) any_of: Vec<usize>,
    pub(crate) one_of: Vec<usize>,
    pub(crate) not: Option<usize>,
    pub(crate) condition: Option<(usize, Option<usize>, Option<usize>)>,
}

/// Schemas nested deeper than this (without a `$ref` between) accept anything: a bundle is
/// produced by the macros, but a pathological spec must not overflow the stack here.
pub(crate) const MAX_SCHEMA_DEPTH: u32 = 64;

/// Schema levels one validation follows; deeper accepts (a parsed body is at most 128 deep).
pub(crate) const MAX_CHECK_DEPTH: u32 = 384;

/// Schema levels followed on one value without descending into it (`$ref`s, `allOf`s): a cycle
/// of `$ref`s with nothing else in it ends here.
pub(crate) const MAX_HOPS: u32 = 32;

/// Patterns are compiled with this size limit, so a spec's pattern cannot cost unbounded memory.
pub(crate) const PATTERN_SIZE_LIMIT: usize = 1 << 20;

pub(crate) struct Compiler<'a> {
    pub(crate) defs: &'a Map<String, Value>,
    pub(crate) nodes: Vec<Node>,
    pub(crate) compiled: HashMap<&'a str, usize>,
}

impl<'a> Compiler<'a> {
    pub(crate) fn node(&mut self, schema: &'a Value, depth: u32) -> usize {
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

    pub(crate) fn definition(&mut self, key: &str) -> Option<usize> {
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

    pub(crate) fn build(&mut self, schema: &'a Value, depth: u32) -> Node {
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
pub(crate) fn compile_pattern(pattern: &str) -> Option<regex_lite::Regex> {
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

pub(crate) fn type_bit(name: &str) -> u8 {
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

pub(crate) fn type_names(bits: u8) -> String {
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
