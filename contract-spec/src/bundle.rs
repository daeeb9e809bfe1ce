//! The form of the spec the run-time validator needs, prepared at compile time: every
//! operation's parameters, request body and responses, with schemas translated to JSON Schema
//! 2020-12 and `$ref`s (also across files) rewritten to one `$defs` table. The runtime then
//! needs no YAML or OpenAPI parser.
//!
//! OpenAPI 3.0 semantics are applied here: `nullable`, boolean `exclusiveMinimum`/`Maximum`,
//! `readOnly` (not required in requests) and `writeOnly` (not required, and not allowed, in
//! responses); `example`, `discriminator`, `xml` and `x-` keys are dropped.

use std::collections::{HashMap, HashSet, VecDeque};

use serde_json::{Map, Value, json};

use crate::Spec;
use crate::document::Version;
use crate::model::ParamIn;
use crate::source::Loc;

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Direction {
    Request,
    Response,
}

struct Bundler<'a> {
    spec: &'a Spec,
    defs: Map<String, Value>,
    keys: HashMap<(Loc, Direction), String>,
    used: HashSet<String>,
    queue: VecDeque<(Loc, Direction, String)>,
}

use crate::keywords::{SCHEMA_KEYS, SCHEMA_LIST_KEYS, SCHEMA_MAP_KEYS};
const DROPPED_KEYS: &[&str] = &[
    "example",
    "examples",
    "discriminator",
    "xml",
    "externalDocs",
    "nullable",
    "$schema",
    "$id",
    "$comment",
    "$recursiveAnchor",
    "$recursiveRef",
    "deprecated",
];

/// `example`, else the first of `examples` (a list, or a map of Example Objects with `value`).
fn first_example(obj: &Value) -> Option<Value> {
    if let Some(e) = obj.get("example") {
        return Some(e.clone());
    }
    match obj.get("examples")? {
        Value::Array(list) => list.first().cloned(),
        Value::Object(map) => map.values().find_map(|e| e.get("value").cloned()),
        _ => None,
    }
}

/// Schemas of the spec in the bundle's JSON Schema form, one at a time, with the `$defs` they
/// reach: what the lint validates examples against.
pub(crate) struct Translator<'a> {
    bundler: Bundler<'a>,
}

impl<'a> Translator<'a> {
    pub(crate) fn new(spec: &'a Spec) -> Self {
        Translator {
            bundler: Bundler::new(spec),
        }
    }

    /// The schema at `loc`, as a request (`true`) or a response reads it.
    pub(crate) fn schema(&mut self, loc: &Loc, request: bool) -> Value {
        let dir = if request {
            Direction::Request
        } else {
            Direction::Response
        };
        self.bundler.schema_ref_or_inline(loc, dir)
    }

    /// The `$defs` of every schema translated.
    pub(crate) fn finish(mut self) -> Map<String, Value> {
        self.bundler.fill_defs();
        self.bundler.defs
    }
}

/// The bundle for every operation of `spec`.
pub fn bundle(spec: &Spec) -> Value {
    let mut b = Bundler::new(spec);
    let ops: Vec<Value> = spec.operations.iter().map(|op| b.operation(op)).collect();
    // What the service sends: webhook and callback bodies, validated before they are sent.
    let payloads: Vec<Value> = spec
        .payloads()
        .into_iter()
        .map(|p| {
            let example = b.schema_example(&p.schema).or_else(|| {
                let media = spec.doc.get(&p.schema.parent())?;
                first_example(media)
            });
            json!({
                "name": p.name,
                "schema": b.schema_ref_or_inline(&p.schema, Direction::Request),
                "example": example,
            })
        })
        .collect();
    b.fill_defs();
    json!({ "operations": ops, "payloads": payloads, "$defs": Value::Object(b.defs) })
}

impl<'a> Bundler<'a> {
    fn new(spec: &'a Spec) -> Self {
        Bundler {
            spec,
            defs: Map::new(),
            keys: HashMap::new(),
            used: HashSet::new(),
            queue: VecDeque::new(),
        }
    }

    /// Translates every schema the `$defs` table has a key for (and those they reach).
    fn fill_defs(&mut self) {
        while let Some((loc, dir, key)) = self.queue.pop_front() {
            let value = self.schema_at(&loc, dir);
            self.defs.insert(key, value);
        }
    }

    fn operation(&mut self, op: &crate::Operation) -> Value {
        let params: Vec<Value> = op
            .parameters
            .iter()
            .map(|p| {
                let raw = self.spec.doc.get(&p.loc).cloned().unwrap_or(Value::Null);
                let location = match p.location {
                    ParamIn::Path => "path",
                    ParamIn::Query => "query",
                    ParamIn::Header => "header",
                    ParamIn::Cookie => "cookie",
                };
                let style = raw.get("style").and_then(Value::as_str).unwrap_or(match p.location {
                    ParamIn::Query | ParamIn::Cookie => "form",
                    _ => "simple",
                });
                let explode = raw.get("explode").and_then(Value::as_bool).unwrap_or(style == "form");
                let example = first_example(&raw).or_else(|| p.schema.as_ref().and_then(|s| self.schema_example(s)));
                json!({
                    "name": p.name,
                    "in": location,
                    "required": p.required,
                    "style": style,
                    "explode": explode,
                    "schema": p.schema.as_ref().map(|s| self.schema_ref_or_inline(s, Direction::Request)),
                    "example": example,
                })
            })
            .collect();
        let body = op.request_body.as_ref().and_then(|loc| {
            let (loc, value) = self.spec.doc.deref(loc).ok()?;
            Some(json!({
                "required": value.get("required").and_then(Value::as_bool).unwrap_or(false),
                "content": self.content(&loc, Direction::Request),
            }))
        });
        let mut responses = Map::new();
        if let Some(loc) = &op.responses
            && let Some(Value::Object(map)) = self.spec.doc.get(loc)
        {
            for key in map.keys().filter(|k| !k.starts_with("x-")) {
                let at = loc.child(key);
                let content = match self.spec.doc.deref(&at) {
                    Ok((resolved, _)) => self.content(&resolved, Direction::Response),
                    Err(_) => Value::Object(Map::new()),
                };
                let headers = match self.spec.doc.deref(&at) {
                    Ok((resolved, _)) => self.response_headers(&resolved),
                    Err(_) => Value::Array(Vec::new()),
                };
                responses.insert(
                    key.clone(),
                    json!({ "content": content, "headers": headers }),
                );
            }
        }
        json!({
            "method": op.method.upper(),
            "path": op.path,
            "operationId": op.operation_id,
            "parameters": params,
            "requestBody": body,
            // An operation without `responses` (3.1, 3.2) leaves its responses undocumented.
            "responses": if op.responses.is_some() { Value::Object(responses) } else { Value::Null },
            "security": self.security(op),
        })
    }

    /// `[{name, required, schema}]` of the headers a response declares (`Content-Type` is
    /// the media type's business, and ignored as OpenAPI says).
    fn response_headers(&mut self, response: &Loc) -> Value {
        let at = response.child("headers");
        let Some(Value::Object(map)) = self.spec.doc.get(&at) else {
            return Value::Array(Vec::new());
        };
        let mut out = Vec::new();
        for name in map.keys() {
            if name.eq_ignore_ascii_case("content-type") {
                continue;
            }
            let Ok((header, value)) = self.spec.doc.deref(&at.child(name)) else {
                continue;
            };
            let schema = value
                .get("schema")
                .map(|_| self.schema_ref_or_inline(&header.child("schema"), Direction::Response));
            out.push(json!({
                "name": name,
                "required": value.get("required").and_then(Value::as_bool).unwrap_or(false),
                "schema": schema,
            }));
        }
        Value::Array(out)
    }

    /// The operation's effective security requirement: its own `security`, else the root's;
    /// a list of alternatives, each the credentials it needs (`{scheme, in, name, kind}`).
    /// `null` when nothing is required, and an empty alternative where credentials are
    /// optional (`{}` in the spec). A scheme the document does not declare, or one whose
    /// credentials are not in the request (`mutualTLS`), makes its alternative pass.
    fn security(&self, op: &crate::Operation) -> Value {
        let doc = &self.spec.doc;
        let own = doc.get(&op.loc.child("security"));
        let requirement = match own {
            Some(v) => v,
            None => match doc.root().get("security") {
                Some(v) => v,
                None => return Value::Null,
            },
        };
        let Some(alternatives) = requirement.as_array().filter(|a| !a.is_empty()) else {
            return Value::Null;
        };
        let schemes = Loc::root(crate::source::FileId(0))
            .child("components")
            .child("securitySchemes");
        let mut out = Vec::new();
        for alternative in alternatives {
            let Some(names) = alternative.as_object() else {
                continue;
            };
            let mut needs = Vec::new();
            for name in names.keys() {
                let Ok((_, scheme)) = doc.deref(&schemes.child(name)) else {
                    needs.clear();
                    break;
                };
                let text = |k: &str| scheme.get(k).and_then(Value::as_str).unwrap_or("");
                let (place, header, kind) = match text("type") {
                    "apiKey" => (text("in"), text("name"), "apiKey".to_string()),
                    "http" => (
                        "header",
                        "Authorization",
                        text("scheme").to_ascii_lowercase(),
                    ),
                    "oauth2" | "openIdConnect" => ("header", "Authorization", "bearer".into()),
                    _ => ("", "", String::new()),
                };
                if header.is_empty() || !matches!(place, "header" | "query" | "cookie") {
                    needs.clear();
                    break;
                }
                needs.push(json!({ "scheme": name, "in": place, "name": header, "kind": kind }));
            }
            out.push(Value::Array(needs));
        }
        Value::Array(out)
    }

    /// `{media: {schema, example}}` of the `content` under `loc` (examples of requests only).
    fn content(&mut self, loc: &Loc, dir: Direction) -> Value {
        let mut out = Map::new();
        if let Some(Value::Object(map)) = self.spec.doc.get(&loc.child("content")).cloned() {
            for (media, obj) in &map {
                let schema_loc = loc.child("content").child(media).child("schema");
                let schema = obj
                    .get("schema")
                    .map(|_| self.schema_ref_or_inline(&schema_loc, dir));
                let example = match dir {
                    Direction::Request => {
                        first_example(obj).or_else(|| self.schema_example(&schema_loc))
                    }
                    Direction::Response => None,
                };
                // The parts' media types, where a form body names them.
                let encoding: Map<String, Value> = obj
                    .get("encoding")
                    .and_then(Value::as_object)
                    .map(|parts| {
                        parts
                            .iter()
                            .filter_map(|(name, e)| {
                                let media = e.get("contentType")?.as_str()?;
                                Some((name.clone(), Value::String(media.to_string())))
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                let mut entry = json!({ "schema": schema, "example": example });
                if !encoding.is_empty() {
                    entry["encoding"] = Value::Object(encoding);
                }
                // 3.2: the schema of each item of a sequential media type (an SSE event, a
                // JSON Lines line).
                if obj.get("itemSchema").is_some() {
                    let at = loc.child("content").child(media).child("itemSchema");
                    entry["itemSchema"] = self.schema_ref_or_inline(&at, dir);
                }
                out.insert(media.clone(), entry);
            }
        }
        Value::Object(out)
    }

    /// The `example` of a schema (after `$ref`s), if it has one.
    fn schema_example(&self, loc: &Loc) -> Option<Value> {
        let (_, schema) = self.spec.doc.deref(loc).ok()?;
        first_example(schema)
    }

    fn schema_ref_or_inline(&mut self, loc: &Loc, dir: Direction) -> Value {
        self.schema_at(loc, dir)
    }

    fn def_key(&mut self, target: &Loc, dir: Direction) -> String {
        if let Some(k) = self.keys.get(&(target.clone(), dir)) {
            return k.clone();
        }
        // Components by their names, those of split specs included (see `components`).
        let base = match self.spec.component_name(target) {
            Some(name) => name,
            None => format!("f{}{}", target.file.0, target.pointer),
        };
        let mut key: String = base
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        key.push_str(match dir {
            Direction::Request => ".request",
            Direction::Response => ".response",
        });
        while !self.used.insert(key.clone()) {
            key.push('_');
        }
        self.keys.insert((target.clone(), dir), key.clone());
        self.queue.push_back((target.clone(), dir, key.clone()));
        // Reserve the slot so that the key is unique even before it is filled.
        self.defs.insert(key.clone(), Value::Bool(true));
        key
    }

    fn schema_at(&mut self, loc: &Loc, dir: Direction) -> Value {
        // Borrowed from the spec, not from `self`: no copy of the schema is needed.
        let spec: &'a Spec = self.spec;
        let Some(value) = spec.doc.get(loc) else {
            return Value::Bool(true);
        };
        self.schema(loc, value, dir, 0)
    }

    fn resolved(&self, loc: &Loc) -> Option<&'a Value> {
        let spec: &'a Spec = self.spec;
        spec.doc.deref(loc).ok().map(|(_, v)| v)
    }

    fn schema(&mut self, loc: &Loc, value: &Value, dir: Direction, depth: usize) -> Value {
        let Value::Object(map) = value else {
            return match value {
                Value::Bool(_) => value.clone(),
                _ => Value::Bool(true),
            };
        };
        if depth > 64 {
            return Value::Bool(true);
        }
        let v30 = self.spec.doc.version == Version::V30;
        if let Some(Value::String(reference)) = map.get("$ref") {
            let target = match self.spec.doc.resolve_ref(loc.file, reference) {
                Ok(t) if self.spec.doc.get(&t).is_some() => t,
                _ => return Value::Bool(true),
            };
            let key = self.def_key(&target, dir);
            let reference = json!({ "$ref": format!("#/$defs/{key}") });
            // 3.0 ignores everything next to `$ref`; 3.1 applies it.
            if v30 || map.len() == 1 {
                return reference;
            }
            let mut rest = map.clone();
            rest.remove("$ref");
            let siblings = self.schema(loc, &Value::Object(rest), dir, depth + 1);
            return json!({ "allOf": [reference, siblings] });
        }
        let mut out = Map::new();
        let mut required: Vec<Value> = Vec::new();
        let mut drop_required: Vec<String> = Vec::new();
        for (key, child) in map {
            if key.starts_with("x-") || DROPPED_KEYS.contains(&key.as_str()) {
                continue;
            }
            let at = loc.child(key);
            if SCHEMA_KEYS.contains(&key.as_str()) {
                out.insert(key.clone(), self.schema(&at, child, dir, depth + 1));
            } else if SCHEMA_LIST_KEYS.contains(&key.as_str()) {
                let items = child.as_array().map(|items| {
                    items
                        .iter()
                        .enumerate()
                        .map(|(i, item)| {
                            self.schema(&at.child(&i.to_string()), item, dir, depth + 1)
                        })
                        .collect::<Vec<_>>()
                });
                out.insert(key.clone(), Value::Array(items.unwrap_or_default()));
            } else if SCHEMA_MAP_KEYS.contains(&key.as_str()) {
                let mut props = Map::new();
                if let Value::Object(children) = child {
                    for (name, prop) in children {
                        let prop_loc = at.child(name);
                        let resolved = self.resolved(&prop_loc).unwrap_or(prop);
                        let flag = |k: &str| {
                            prop.get(k).and_then(Value::as_bool).unwrap_or(false)
                                || resolved.get(k).and_then(Value::as_bool).unwrap_or(false)
                        };
                        if key == "properties" && dir == Direction::Request && flag("readOnly") {
                            drop_required.push(name.clone());
                        }
                        if key == "properties" && dir == Direction::Response && flag("writeOnly") {
                            drop_required.push(name.clone());
                            props.insert(name.clone(), Value::Bool(false));
                            continue;
                        }
                        props.insert(name.clone(), self.schema(&prop_loc, prop, dir, depth + 1));
                    }
                }
                out.insert(key.clone(), Value::Object(props));
            } else if key == "required" {
                if let Value::Array(names) = child {
                    for n in names {
                        if !required.contains(n) {
                            required.push(n.clone());
                        }
                    }
                }
            } else if (key == "exclusiveMinimum" || key == "exclusiveMaximum") && child.is_boolean()
            {
                let bound = if key == "exclusiveMinimum" {
                    "minimum"
                } else {
                    "maximum"
                };
                if child == &Value::Bool(true)
                    && let Some(limit) = map.get(bound)
                {
                    out.insert(key.clone(), limit.clone());
                }
            } else if key == "$defs" || key == "definitions" {
                // Local definitions are reached through `$ref`s, which go to the table.
                continue;
            } else {
                out.insert(key.clone(), child.clone());
            }
        }
        // A boolean `exclusiveMinimum` replaced `minimum`.
        for (ex, bound) in [
            ("exclusiveMinimum", "minimum"),
            ("exclusiveMaximum", "maximum"),
        ] {
            if map.get(ex) == Some(&Value::Bool(true)) {
                out.remove(bound);
            }
        }
        required.retain(|n| {
            !n.as_str()
                .is_some_and(|n| drop_required.iter().any(|d| d == n))
        });
        if !required.is_empty() {
            out.insert("required".into(), Value::Array(required));
        }
        // `nullable: true` (3.0; also honoured in 3.1 documents that still use it).
        if map
            .get("nullable")
            .and_then(Value::as_bool)
            .unwrap_or(false)
        {
            match out.get_mut("type") {
                Some(Value::String(t)) => {
                    let t = t.clone();
                    out.insert("type".into(), json!([t, "null"]));
                }
                Some(Value::Array(ts)) => {
                    if !ts.contains(&json!("null")) {
                        ts.push(json!("null"));
                    }
                }
                _ => {
                    return json!({ "anyOf": [Value::Object(out), { "type": "null" }] });
                }
            }
            if let Some(Value::Array(values)) = out.get_mut("enum")
                && !values.contains(&Value::Null)
            {
                values.push(Value::Null);
            }
        }
        // `allOf: [{$ref: User}, {nullable: true}]`: Asana's way to make a reference nullable.
        if crate::components::nullable_member(value) {
            return json!({ "anyOf": [Value::Object(out), { "type": "null" }] });
        }
        Value::Object(out)
    }
}
