//! The spec's types as Rust: the type a schema maps to, whether it admits `null` (an `Option`),
//! names as fields, and the handler signature an operation expects, for messages that can be
//! fixed in one step and for code written against a spec.
//!
//! ```
//! use contract_check::rust;
//!
//! let dir = std::env::temp_dir().join(format!("contract-check-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir).unwrap();
//! let file = dir.join("openapi.yaml");
//! std::fs::write(&file, r#"
//! openapi: 3.0.3
//! info: { title: Pets, version: "1" }
//! paths:
//!   /pets/{petId}:
//!     get:
//!       operationId: showPet
//!       parameters:
//!         - { name: petId, in: path, required: true, schema: { type: integer, format: int64 } }
//!       responses:
//!         "200":
//!           description: The pet.
//!           content:
//!             application/json:
//!               schema: { type: array, items: { type: string, nullable: true } }
//! "#).unwrap();
//! let spec = contract_spec::Spec::load(&file, &dir).unwrap();
//! let op = &spec.operations[0];
//! assert_eq!(rust::path_extractor(&spec, op), "Path(pet_id): Path<i64>");
//! let body = op.loc.child("responses").child("200").child("content")
//!     .child("application/json").child("schema");
//! assert_eq!(rust::rust_type(&spec, &body), "Vec<Option<String>>");
//! # std::fs::remove_dir_all(&dir).unwrap();
//! ```

use contract_spec::{Operation, ParamIn, Spec};
use serde_json::Value;

/// `petId` → `pet_id`; anything that is not a valid identifier part becomes `_`.
///
/// ```
/// use contract_check::rust::snake_case;
/// assert_eq!(snake_case("petId"), "pet_id");
/// assert_eq!(snake_case("X-Request-ID"), "x_request_id");
/// assert_eq!(snake_case("type"), "r#type");
/// ```
pub fn snake_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    let mut prev_lower = false;
    for ch in name.chars() {
        if ch.is_ascii_uppercase() {
            if prev_lower {
                out.push('_');
            }
            out.push(ch.to_ascii_lowercase());
            prev_lower = false;
        } else if ch.is_ascii_alphanumeric() {
            out.push(ch);
            prev_lower = ch.is_ascii_lowercase() || ch.is_ascii_digit();
        } else {
            if !out.ends_with('_') {
                out.push('_');
            }
            prev_lower = false;
        }
    }
    let out = out.trim_matches('_').to_string();
    match out.chars().next() {
        None => "value".into(),
        Some(c) if c.is_ascii_digit() => format!("_{out}"),
        // Keywords that cannot be raw identifiers get a trailing `_` instead.
        _ if ["self", "super", "crate"].contains(&out.as_str()) => format!("{out}_"),
        _ if syn::parse_str::<syn::Ident>(&out).is_err() => format!("r#{out}"),
        _ => out,
    }
}

/// The Rust type a schema maps to, as text (components by name).
pub fn rust_type(spec: &Spec, loc: &contract_spec::Loc) -> String {
    rust_type_at(spec, loc, 0)
}

/// Nesting past which a type is written `serde_json::Value`: a schema may contain itself
/// without a component between (`items: {$ref: '#/…'}` pointing back up).
pub(crate) const MAX_TYPE_DEPTH: usize = 8;

pub(crate) fn rust_type_at(spec: &Spec, loc: &contract_spec::Loc, depth: usize) -> String {
    if depth > MAX_TYPE_DEPTH {
        return "serde_json::Value".into();
    }
    if let Some(Value::String(reference)) = spec.doc.get(loc).and_then(|v| v.get("$ref"))
        && let Ok(target) = spec.doc.resolve_ref(loc.file, reference)
        && let Some(name) = spec.component_name(&target)
    {
        return name;
    }
    let Ok((loc, schema)) = spec.doc.deref(loc) else {
        return "serde_json::Value".into();
    };
    // `allOf: [{$ref: User}, {nullable: true}]`: the one member that carries the schema.
    if let Some(i) = contract_spec::single_member(schema) {
        let member = rust_type_at(spec, &loc.child("allOf").child(&i.to_string()), depth + 1);
        return if contract_spec::nullable_member(schema) {
            format!("Option<{member}>")
        } else {
            member
        };
    }
    let is = |t: &str| match schema.get("type") {
        Some(Value::String(s)) => s == t,
        Some(Value::Array(ts)) => ts.iter().any(|x| x == t),
        _ => false,
    };
    if is("array") {
        let items = element_type(spec, &loc.child("items"), depth + 1);
        return format!("Vec<{items}>");
    }
    if schema.get("properties").is_none()
        && schema
            .get("additionalProperties")
            .is_some_and(Value::is_object)
    {
        let values = element_type(spec, &loc.child("additionalProperties"), depth + 1);
        return format!("HashMap<String, {values}>");
    }
    let composite = ["oneOf", "anyOf", "allOf"]
        .iter()
        .any(|k| schema.get(*k).is_some());
    if is("object") || schema.get("properties").is_some() || composite {
        return "serde_json::Value".into();
    }
    param_type(spec, Some(&loc))
}

/// An array item's or a map value's type: an `Option` where the schema admits `null`, since
/// serde refuses a `null` into anything else.
fn element_type(spec: &Spec, loc: &contract_spec::Loc, depth: usize) -> String {
    let ty = rust_type_at(spec, loc, depth);
    let admits_null = spec.doc.get(loc).is_some_and(is_nullable)
        || spec.doc.deref(loc).is_ok_and(|(_, v)| is_nullable(v));
    if admits_null && !ty.starts_with("Option<") && ty != "serde_json::Value" {
        format!("Option<{ty}>")
    } else {
        ty
    }
}

/// A schema as a help line names it: the Rust type it maps to, or, where that would be
/// `serde_json::Value`, what the spec says (an object's properties, a `oneOf`'s alternatives).
pub fn describe_schema(spec: &Spec, loc: &contract_spec::Loc) -> String {
    let ty = rust_type(spec, loc);
    if ty != "serde_json::Value" {
        return format!("`{ty}`");
    }
    let Ok((loc, schema)) = spec.doc.deref(loc) else {
        return format!("`{ty}`");
    };
    const SHOWN: usize = 8;
    if let Some(Value::Object(props)) = schema.get("properties") {
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let mut names: Vec<String> = props
            .keys()
            .take(SHOWN)
            .map(|name| {
                let ty = rust_type(spec, &loc.child("properties").child(name));
                let optional = if required.contains(&name.as_str()) {
                    ""
                } else {
                    ", optional"
                };
                format!("`{name}` ({ty}{optional})")
            })
            .collect();
        if props.len() > SHOWN {
            names.push(format!("and {} more", props.len() - SHOWN));
        }
        return format!("an object with {}", names.join(", "));
    }
    for (key, words) in [
        ("oneOf", "one of"),
        ("anyOf", "any of"),
        ("allOf", "all of"),
    ] {
        if let Some(Value::Array(alternatives)) = schema.get(key) {
            let names: Vec<String> = (0..alternatives.len().min(SHOWN))
                .map(|i| {
                    format!(
                        "`{}`",
                        rust_type(spec, &loc.child(key).child(&i.to_string()))
                    )
                })
                .collect();
            return format!("{words} {}", names.join(", "));
        }
    }
    format!("`{ty}`")
}

/// The Rust type a parameter schema maps to, as text.
pub(crate) fn param_type(spec: &Spec, schema: Option<&contract_spec::Loc>) -> String {
    spec.rust_scalar(schema).to_string()
}

/// `Path(pet_id): Path<i64>` or `Path((owner, repo)): Path<(String, String)>`.
pub fn path_extractor(spec: &Spec, op: &Operation) -> String {
    let params: Vec<(String, String)> = op
        .template_params
        .iter()
        .map(|name| {
            let schema = op
                .path_params()
                .find(|p| &p.name == name)
                .and_then(|p| p.schema.as_ref());
            (snake_case(name), param_type(spec, schema))
        })
        .collect();
    match params.as_slice() {
        [] => String::new(),
        [(name, ty)] => format!("Path({name}): Path<{ty}>"),
        many => {
            let names: Vec<&str> = many.iter().map(|(n, _)| n.as_str()).collect();
            let types: Vec<&str> = many.iter().map(|(_, t)| t.as_str()).collect();
            format!("Path(({})): Path<({})>", names.join(", "), types.join(", "))
        }
    }
}

/// A handler signature that fits the operation, for "missing handler" messages.
pub fn handler_sketch(spec: &Spec, op: &Operation) -> String {
    let fn_name = snake_case(op.operation_id.as_deref().unwrap_or(&format!(
        "{} {}",
        op.method.key(),
        op.path
    )));
    let mut args = Vec::new();
    let path = path_extractor(spec, op);
    if !path.is_empty() {
        args.push(path);
    }
    if op.parameters.iter().any(|p| p.location == ParamIn::Query) {
        args.push("Query(query): Query<…>".into());
    }
    if op.request_body.is_some() {
        args.push("Json(body): Json<…>".into());
    }
    format!(
        "#[contract(\"{}\")] async fn {fn_name}({}) -> …",
        op.selector(),
        args.join(", ")
    )
}

/// The JSON types a schema names (`type: T` or `type: [T, …]`).
///
/// ```
/// let schema = serde_json::json!({ "type": ["string", "null"] });
/// assert_eq!(contract_check::rust::types(&schema), ["string", "null"]);
/// ```
pub fn types(schema: &Value) -> Vec<&str> {
    match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// Whether a schema admits `null`: 3.0's `nullable`, a `null` type, enum value or `oneOf`/`anyOf`
/// alternative, or an `allOf` member that says so. Such a value is an `Option` in Rust.
///
/// ```
/// use contract_check::rust::is_nullable;
/// use serde_json::json;
/// assert!(is_nullable(&json!({ "type": "string", "nullable": true })));
/// assert!(is_nullable(&json!({ "oneOf": [{ "type": "null" }, { "$ref": "#/x" }] })));
/// assert!(!is_nullable(&json!({ "type": "string" })));
/// ```
pub fn is_nullable(schema: &Value) -> bool {
    schema
        .get("nullable")
        .and_then(Value::as_bool)
        .unwrap_or(false)
        || types(schema).contains(&"null")
        || schema
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(|e| e.contains(&Value::Null))
        || contract_spec::nullable_member(schema)
        || ["oneOf", "anyOf"].iter().any(|k| {
            schema
                .get(*k)
                .and_then(Value::as_array)
                .is_some_and(|alts| alts.iter().any(|a| types(a) == ["null"]))
        })
}

#[cfg(test)]
mod tests {
    use super::{describe_schema, snake_case};
    use contract_spec::{FileId, Loc, Spec};

    #[test]
    fn help_lines_name_a_schema_by_what_the_spec_says() {
        let dir = std::env::temp_dir().join(format!("contract-describe-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("openapi.yaml");
        std::fs::write(
            &path,
            r#"openapi: 3.0.3
info: { title: t, version: "1" }
paths: {}
components:
  schemas:
    Pet: { type: object, properties: { id: { type: integer } } }
    Pets: { type: array, items: { $ref: '#/components/schemas/Pet' } }
    Counts: { type: object, additionalProperties: { type: integer, format: int32 } }
    Inline:
      type: object
      required: [name]
      properties: { name: { type: string }, tags: { type: array, items: { type: string } } }
    Either: { oneOf: [{ $ref: '#/components/schemas/Pet' }, { type: string }] }
"#,
        )
        .unwrap();
        let spec = Spec::load(&path, &dir).unwrap();
        let component = |name: &str| {
            Loc::root(FileId(0))
                .child("components")
                .child("schemas")
                .child(name)
        };
        let describe = |name: &str| describe_schema(&spec, &component(name));
        assert_eq!(describe("Pets"), "`Vec<Pet>`");
        assert_eq!(describe("Counts"), "`HashMap<String, i32>`");
        assert_eq!(
            describe("Inline"),
            "an object with `name` (String), `tags` (Vec<String>, optional)"
        );
        assert_eq!(describe("Either"), "one of `Pet`, `String`");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn snake() {
        assert_eq!(snake_case("petId"), "pet_id");
        assert_eq!(snake_case("listPets"), "list_pets");
        assert_eq!(snake_case("get /pets/{id}"), "get_pets_id");
        assert_eq!(snake_case("type"), "r#type");
        assert_eq!(snake_case("2fa"), "_2fa");
        assert_eq!(snake_case("X-Request-ID"), "x_request_id");
        assert_eq!(snake_case("self"), "self_");
        assert_eq!(snake_case("Self"), "self_");
    }
}
