//! The spec's own correctness, as Spectral's correctness rules check it: examples that break
//! their schemas (`oas3-valid-media-example`, `oas3-valid-schema-example`), typed enums with
//! values of another type or the same value twice, two parameters with one name and location,
//! a security requirement naming a scheme the document does not declare, and (3.0) a `$ref`
//! with siblings, which 3.0 ignores. Style rules (descriptions, tags, contact) stay out.
//!
//! Each problem is placed at the offending node (the example, the enum, the parameter) and
//! reported once per spec, by `routes!` and `spec!` (see the macros).

use std::collections::HashSet;

use serde_json::Value;

use crate::Spec;
use crate::bundle::Translator;
use crate::document::Version;
use crate::error::SpecError;
use crate::source::{FileId, Loc};

/// An example to validate: the value, where it is, and the schema it illustrates.
struct Example {
    value: Value,
    at: Loc,
    schema: Loc,
    request: bool,
    rule: &'static str,
}

/// The spec's correctness problems, in document order.
pub fn lint(spec: &Spec) -> Vec<SpecError> {
    let mut linter = Linter {
        spec,
        problems: Vec::new(),
        examples: Vec::new(),
        walked: HashSet::new(),
    };
    linter.operations();
    linter.components();
    linter.security();
    linter.check_examples();
    linter.problems
}

struct Linter<'a> {
    spec: &'a Spec,
    problems: Vec<SpecError>,
    examples: Vec<Example>,
    walked: HashSet<Loc>,
}

/// How deep a schema is walked for its examples and enums.
const MAX_DEPTH: usize = 32;

impl Linter<'_> {
    fn problem(&mut self, at: &Loc, rule: &str, message: String) {
        // A help line, when the message has one, stays a note of its own.
        let (message, help) = match message.split_once('\n') {
            Some((message, help)) => (message.to_string(), Some(help.to_string())),
            None => (message, None),
        };
        let mut problem =
            SpecError::new(format!("spec lint `{rule}`: {message}")).at(self.spec.doc.place(at));
        if let Some(help) = help {
            problem = problem.note(help);
        }
        self.problems.push(problem);
    }

    fn operations(&mut self) {
        let doc = &self.spec.doc;
        let mut item_lists: Vec<Loc> = Vec::new();
        for op in &self.spec.operations {
            // Parameters: their examples, their schemas, and the same name and place twice.
            let item = op.loc.parent();
            for list in [item.child("parameters"), op.loc.child("parameters")] {
                if item_lists.contains(&list) {
                    continue;
                }
                item_lists.push(list.clone());
                self.parameter_list(&list);
            }
            if let Some(body) = &op.request_body
                && let Ok((body, _)) = doc.deref(body)
            {
                self.content(&body.child("content"), true);
            }
            if let Some(responses) = &op.responses
                && let Some(Value::Object(map)) = doc.get(responses)
            {
                for status in map.keys().filter(|k| !k.starts_with("x-")) {
                    if let Ok((response, _)) = doc.deref(&responses.child(status)) {
                        self.content(&response.child("content"), false);
                        if let Some(Value::Object(headers)) = doc.get(&response.child("headers")) {
                            for name in headers.keys() {
                                let at = response.child("headers").child(name);
                                if let Ok((header, value)) = doc.deref(&at) {
                                    self.examples_of(
                                        &header,
                                        value,
                                        &header.child("schema"),
                                        false,
                                        "oas3-valid-media-example",
                                    );
                                    self.schema(&header.child("schema"), 0);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    fn parameter_list(&mut self, list: &Loc) {
        let doc = &self.spec.doc;
        let Some(Value::Array(items)) = doc.get(list) else {
            return;
        };
        let mut seen: Vec<(String, String)> = Vec::new();
        for i in 0..items.len() {
            let Ok((param, value)) = doc.deref(&list.child(&i.to_string())) else {
                continue;
            };
            let name = value
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let place = value.get("in").and_then(Value::as_str).unwrap_or_default();
            let key = (name.to_string(), place.to_string());
            if seen.contains(&key) {
                self.problem(
                    &param,
                    "operation-parameters",
                    format!("the {place} parameter `{name}` is declared twice in one list"),
                );
            }
            seen.push(key);
            self.examples_of(
                &param,
                value,
                &param.child("schema"),
                true,
                "oas3-valid-media-example",
            );
            self.schema(&param.child("schema"), 0);
        }
    }

    /// Each media type of a `content`: its examples against its schema, and the schema.
    fn content(&mut self, content: &Loc, request: bool) {
        let Some(Value::Object(media)) = self.spec.doc.get(content) else {
            return;
        };
        for name in media.keys() {
            let at = content.child(name);
            let Some(value) = self.spec.doc.get(&at) else {
                continue;
            };
            self.examples_of(
                &at,
                value,
                &at.child("schema"),
                request,
                "oas3-valid-media-example",
            );
            self.schema(&at.child("schema"), 0);
        }
    }

    /// `example`, and each of `examples` (a map of Example Objects), of the object at `at`.
    fn examples_of(
        &mut self,
        at: &Loc,
        value: &Value,
        schema: &Loc,
        request: bool,
        rule: &'static str,
    ) {
        if self.spec.doc.get(schema).is_none() {
            return;
        }
        if let Some(example) = value.get("example") {
            self.examples.push(Example {
                value: example.clone(),
                at: at.child("example"),
                schema: schema.clone(),
                request,
                rule,
            });
        }
        if let Some(Value::Object(examples)) = value.get("examples") {
            for name in examples.keys() {
                let Ok((example, object)) = self.spec.doc.deref(&at.child("examples").child(name))
                else {
                    continue;
                };
                if let Some(v) = object.get("value") {
                    self.examples.push(Example {
                        value: v.clone(),
                        at: example.child("value"),
                        schema: schema.clone(),
                        request,
                        rule,
                    });
                }
            }
        }
    }

    fn components(&mut self) {
        let schemas = Loc::root(FileId(0)).child("components").child("schemas");
        if let Some(Value::Object(map)) = self.spec.doc.get(&schemas) {
            for name in map.keys() {
                self.schema(&schemas.child(name), 0);
            }
        }
    }

    /// A schema's own example, its enum, its `$ref` siblings, and the schemas inside it.
    fn schema(&mut self, at: &Loc, depth: usize) {
        if depth > MAX_DEPTH || !self.walked.insert(at.clone()) {
            return;
        }
        let doc = &self.spec.doc;
        let Some(Value::Object(map)) = doc.get(at) else {
            return;
        };
        if let Some(Value::String(reference)) = map.get("$ref") {
            if doc.version == Version::V30
                && let Some(sibling) = map.keys().find(|k| *k != "$ref" && !k.starts_with("x-"))
            {
                self.problem(
                    &at.child(sibling),
                    "no-$ref-siblings",
                    format!(
                        "`{sibling}` beside `$ref`: OpenAPI 3.0 ignores everything next to a `$ref`"
                    ),
                );
            }
            if let Ok(target) = doc.resolve_ref(at.file, reference) {
                self.schema(&target, depth + 1);
            }
            return;
        }
        let value = Value::Object(map.clone());
        if let Some(example) = map.get("example") {
            self.examples.push(Example {
                value: example.clone(),
                at: at.child("example"),
                schema: at.clone(),
                request: true,
                rule: "oas3-valid-schema-example",
            });
        }
        if doc.version != Version::V30
            && let Some(Value::Array(examples)) = map.get("examples")
        {
            for (i, example) in examples.iter().enumerate() {
                self.examples.push(Example {
                    value: example.clone(),
                    at: at.child("examples").child(&i.to_string()),
                    schema: at.clone(),
                    request: true,
                    rule: "oas3-valid-schema-example",
                });
            }
        }
        self.enum_values(at, &value);
        for key in ["items", "additionalProperties", "not"] {
            if map.get(key).is_some_and(Value::is_object) {
                self.schema(&at.child(key), depth + 1);
            }
        }
        for key in ["allOf", "anyOf", "oneOf"] {
            if let Some(Value::Array(list)) = map.get(key) {
                for i in 0..list.len() {
                    self.schema(&at.child(key).child(&i.to_string()), depth + 1);
                }
            }
        }
        if let Some(Value::Object(props)) = map.get("properties") {
            for name in props.keys() {
                self.schema(&at.child("properties").child(name), depth + 1);
            }
        }
    }

    /// A typed `enum` whose values are of another type, or hold one value twice.
    fn enum_values(&mut self, at: &Loc, schema: &Value) {
        let Some(Value::Array(values)) = schema.get("enum") else {
            return;
        };
        for (i, value) in values.iter().enumerate() {
            if values[..i].contains(value) {
                self.problem(
                    &at.child("enum").child(&i.to_string()),
                    "typed-enum",
                    format!("`enum` lists {value} twice"),
                );
            }
        }
        let types: Vec<&str> = match schema.get("type") {
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
            _ => return,
        };
        let nullable = schema.get("nullable") == Some(&Value::Bool(true));
        for (i, value) in values.iter().enumerate() {
            let fits = match value {
                Value::Null => nullable || types.contains(&"null"),
                Value::Bool(_) => types.contains(&"boolean"),
                Value::Number(n) => {
                    types.contains(&"number")
                        || (types.contains(&"integer")
                            && (n.is_i64()
                                || n.is_u64()
                                || n.as_f64().is_some_and(|f| f.fract() == 0.0)))
                }
                Value::String(_) => types.contains(&"string"),
                Value::Array(_) => types.contains(&"array"),
                Value::Object(_) => types.contains(&"object"),
            };
            if !fits {
                self.problem(
                    &at.child("enum").child(&i.to_string()),
                    "typed-enum",
                    format!(
                        "the `enum` value {value} is not of the schema's type `{}`",
                        types.join(", ")
                    ),
                );
            }
        }
    }

    /// Security requirements naming a scheme `components.securitySchemes` does not declare.
    fn security(&mut self) {
        let doc = &self.spec.doc;
        let declared: Vec<String> = doc
            .root()
            .pointer("/components/securitySchemes")
            .and_then(Value::as_object)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        let mut requirements = vec![Loc::root(FileId(0)).child("security")];
        requirements.extend(
            self.spec
                .operations
                .iter()
                .map(|op| op.loc.child("security")),
        );
        for list in requirements {
            let Some(Value::Array(alternatives)) = doc.get(&list) else {
                continue;
            };
            for (i, alternative) in alternatives.iter().enumerate() {
                let Some(names) = alternative.as_object() else {
                    continue;
                };
                for name in names.keys() {
                    if !declared.contains(name) {
                        let mut message = format!(
                            "the security requirement names `{name}`, which `components.securitySchemes` does not declare"
                        );
                        if let Some(near) =
                            crate::suggest::nearest(name, declared.iter().map(String::as_str))
                                .first()
                        {
                            message.push_str(&format!("\nhelp: did you mean `{near}`?"));
                        }
                        self.problem(
                            &list.child(&i.to_string()).child(name),
                            "oas3-operation-security-defined",
                            message,
                        );
                    }
                }
            }
        }
    }

    /// Every example collected, against its schema in the bundle's JSON Schema form.
    fn check_examples(&mut self) {
        let examples = std::mem::take(&mut self.examples);
        let mut translator = Translator::new(self.spec);
        let schemas: Vec<Value> = examples
            .iter()
            .map(|e| translator.schema(&e.schema, e.request))
            .collect();
        let defs = translator.finish();
        for (example, schema) in examples.iter().zip(&schemas) {
            let validator = contract_schema::Validator::new(schema, &defs);
            if validator.is_valid(&example.value) {
                continue;
            }
            let first = validator.errors(&example.value, 1);
            let Some(v) = first.first() else { continue };
            let at = if v.pointer.is_empty() {
                String::new()
            } else {
                format!(" at `{}`", v.pointer)
            };
            self.problem(
                &example.at,
                example.rule,
                format!(
                    "the example breaks its schema{at}: {} ({})",
                    v.message, v.rule
                ),
            );
        }
    }
}
