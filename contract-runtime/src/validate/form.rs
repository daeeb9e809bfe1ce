//! Form bodies (`multipart/form-data`, `application/x-www-form-urlencoded`) read into the JSON
//! object their schema describes, so that they are validated like a JSON body: each part under
//! its name, its text read by the property's type (`"3"` is the integer 3 where the schema
//! says `integer`), JSON parts parsed, repeated parts gathered where the property is an array.

use serde_json::{Map, Value};

use super::coerce::{primary_type, scalar};
use super::contract::{Contract, Media, Violation};

/// One part of a form body.
pub(crate) struct Part {
    pub name: String,
    /// The part's own `Content-Type` (multipart only).
    pub content_type: Option<String>,
    pub bytes: bytes::Bytes,
}

/// Whether the body of `media` is read as a form.
pub(crate) fn is_form(media: &str) -> bool {
    is_multipart(media) || essence_is(media, "application/x-www-form-urlencoded")
}

pub(crate) fn is_multipart(media: &str) -> bool {
    essence_is(media, "multipart/form-data")
}

fn essence_is(media: &str, essence: &str) -> bool {
    super::media::essence(media).eq_ignore_ascii_case(essence)
}

/// The parts of a form body whose `Content-Type` is `content_type`; an error for a body that
/// is not a well-formed form.
pub(crate) async fn parts(content_type: &str, bytes: bytes::Bytes) -> Result<Vec<Part>, String> {
    if !is_multipart(content_type) {
        return Ok(form_urlencoded::parse(&bytes)
            .map(|(name, value)| Part {
                name: name.into_owned(),
                content_type: None,
                bytes: bytes::Bytes::from(value.into_owned()),
            })
            .collect());
    }
    multipart(content_type, bytes).await
}

#[cfg(feature = "multipart")]
async fn multipart(content_type: &str, bytes: bytes::Bytes) -> Result<Vec<Part>, String> {
    let boundary = multer::parse_boundary(content_type).map_err(|e| e.to_string())?;
    let body =
        futures_util::stream::once(std::future::ready(Ok::<_, std::convert::Infallible>(bytes)));
    let mut form = multer::Multipart::new(body, boundary);
    let mut parts = Vec::new();
    while let Some(field) = form.next_field().await.map_err(|e| e.to_string())? {
        let name = field.name().unwrap_or_default().to_string();
        let content_type = field.content_type().map(|m| m.essence_str().to_string());
        let bytes = field.bytes().await.map_err(|e| e.to_string())?;
        parts.push(Part {
            name,
            content_type,
            bytes,
        });
    }
    Ok(parts)
}

/// Without the `multipart` feature, multipart bodies are not read (they pass).
#[cfg(not(feature = "multipart"))]
async fn multipart(_: &str, _: bytes::Bytes) -> Result<Vec<Part>, String> {
    Err(String::from("unread"))
}

/// Whether multipart bodies can be read (the `multipart` feature).
pub(crate) const READS_MULTIPART: bool = cfg!(feature = "multipart");

/// The JSON object the parts stand for, by the properties of `schema`; the parts that cannot
/// be read as their property says (a JSON part that does not parse, a single value given
/// twice) as violations.
pub(crate) fn to_value(
    contract: &Contract,
    schema: &Value,
    media: &Media,
    parts: &[Part],
) -> Result<Value, Vec<Violation>> {
    let mut properties = Map::new();
    collect_properties(contract, schema, &mut properties, 0);
    let mut object = Map::new();
    let mut violations = Vec::new();
    let mut names: Vec<&str> = Vec::new();
    // `metadata[order_id]=6735`, `expand[]=customer`, `items[0][price]=p_1`: a property's
    // members, in the brackets convention (OpenAPI's `deepObject`), read into one value.
    let mut nested: Vec<(&str, Value)> = Vec::new();
    for part in parts {
        if let Some((base, segments)) = bracketed(&part.name) {
            let text = Value::String(String::from_utf8_lossy(&part.bytes).into_owned());
            match nested.iter_mut().find(|(b, _)| *b == base) {
                Some((_, tree)) => insert(tree, &segments, text),
                None => {
                    let mut tree = Value::Null;
                    insert(&mut tree, &segments, text);
                    nested.push((base, tree));
                }
            }
        } else if !names.contains(&part.name.as_str()) {
            names.push(&part.name);
        }
    }
    for (base, tree) in nested {
        let property = properties.get(base).cloned().unwrap_or(Value::Bool(true));
        object.insert(base.to_string(), coerce(contract, &property, tree, 0));
    }
    for name in names {
        let given: Vec<&Part> = parts.iter().filter(|p| p.name == name).collect();
        let property = properties.get(name).map(|p| contract.resolve(p));
        let ty = property.and_then(|p| primary_type(contract, p));
        let encoded = media
            .encoding
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, m)| m.as_str());
        let read = |part: &Part, ty: Option<&str>| -> Result<Value, String> {
            let is_json = encoded
                .or(part.content_type.as_deref())
                .is_some_and(super::is_json)
                || matches!(ty, Some("object"));
            if is_json {
                return serde_json::from_slice(&part.bytes).map_err(|e| e.to_string());
            }
            Ok(scalar(ty, &String::from_utf8_lossy(&part.bytes)))
        };
        let value = if ty == Some("array") {
            let items = property
                .and_then(|p| p.get("items"))
                .and_then(|i| primary_type(contract, i));
            given
                .iter()
                .map(|part| read(part, items))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::Array)
        } else if given.len() > 1 {
            violations.push(Violation {
                pointer: pointer_to(name),
                schema_path: String::new(),
                rule: "repeated".into(),
                message: format!(
                    "the part `{name}` is given {} times, but it takes a single value",
                    given.len()
                ),
            });
            continue;
        } else {
            read(given[0], ty)
        };
        match value {
            Ok(value) => {
                object.insert(name.to_string(), value);
            }
            Err(e) => violations.push(Violation {
                pointer: pointer_to(name),
                schema_path: String::new(),
                rule: "json".into(),
                message: format!("the part `{name}` is not valid JSON: {e}"),
            }),
        }
    }
    if violations.is_empty() {
        Ok(Value::Object(object))
    } else {
        Err(violations)
    }
}

/// `("items", ["0", "price"])` for `items[0][price]`; `None` for a name without brackets.
fn bracketed(name: &str) -> Option<(&str, Vec<&str>)> {
    let open = name.find('[')?;
    if open == 0 || !name.ends_with(']') {
        return None;
    }
    let inner = &name[open + 1..name.len() - 1];
    Some((&name[..open], inner.split("][").collect()))
}

/// Puts `value` at `segments` of `tree` (`""`: the next item of an array).
fn insert(tree: &mut Value, segments: &[&str], value: Value) {
    let Some((first, rest)) = segments.split_first() else {
        match tree {
            Value::Null => *tree = value,
            Value::Array(items) => items.push(value),
            other => *other = Value::Array(vec![other.take(), value]),
        }
        return;
    };
    if first.is_empty() {
        if !tree.is_array() {
            *tree = Value::Array(Vec::new());
        }
        if let Value::Array(items) = tree {
            let mut item = Value::Null;
            insert(&mut item, rest, value);
            items.push(item);
        }
        return;
    }
    if !tree.is_object() {
        *tree = Value::Object(Map::new());
    }
    if let Value::Object(map) = tree {
        insert(
            map.entry(first.to_string()).or_insert(Value::Null),
            rest,
            value,
        );
    }
}

/// A form value read by its schema: texts as the scalars the schema says, an object with
/// index keys (`items[0]`, `items[1]`) as an array, one text where an array is expected as its
/// one item.
fn coerce(contract: &Contract, schema: &Value, value: Value, depth: u8) -> Value {
    if depth > 32 {
        return value;
    }
    let schema = contract.resolve(schema);
    let ty = primary_type(contract, schema);
    let items = || schema.get("items").cloned().unwrap_or(Value::Bool(true));
    match (ty, value) {
        (Some("array"), Value::Object(map))
            if map.keys().all(|k| k.bytes().all(|b| b.is_ascii_digit())) =>
        {
            let mut indexed: Vec<(u64, Value)> = map
                .into_iter()
                .map(|(k, v)| (k.parse().unwrap_or(u64::MAX), v))
                .collect();
            indexed.sort_by_key(|(i, _)| *i);
            let schema = items();
            Value::Array(
                indexed
                    .into_iter()
                    .map(|(_, v)| coerce(contract, &schema, v, depth + 1))
                    .collect(),
            )
        }
        (Some("array"), Value::Array(list)) => {
            let schema = items();
            Value::Array(
                list.into_iter()
                    .map(|v| coerce(contract, &schema, v, depth + 1))
                    .collect(),
            )
        }
        (Some("array"), text @ Value::String(_)) => {
            Value::Array(vec![coerce(contract, &items(), text, depth + 1)])
        }
        (_, Value::Object(map)) => {
            let mut properties = Map::new();
            collect_properties(contract, schema, &mut properties, 0);
            let additional = schema.get("additionalProperties").filter(|a| a.is_object());
            Value::Object(
                map.into_iter()
                    .map(|(k, v)| {
                        let member = properties.get(&k).or(additional).cloned();
                        let v = match member {
                            Some(member) => coerce(contract, &member, v, depth + 1),
                            None => v,
                        };
                        (k, v)
                    })
                    .collect(),
            )
        }
        (ty, Value::String(text)) => scalar(ty, &text),
        (_, other) => other,
    }
}

/// The `properties` of `schema` and of the members of its `allOf`, `oneOf` and `anyOf` (the
/// first property of a name wins: only its type is used, to read the part's text).
fn collect_properties(
    contract: &Contract,
    schema: &Value,
    into: &mut Map<String, Value>,
    depth: u8,
) {
    if depth > 8 {
        return;
    }
    let schema = contract.resolve(schema);
    if let Some(Value::Object(properties)) = schema.get("properties") {
        for (name, property) in properties {
            into.entry(name.clone()).or_insert_with(|| property.clone());
        }
    }
    for combinator in ["allOf", "oneOf", "anyOf"] {
        if let Some(Value::Array(members)) = schema.get(combinator) {
            for member in members {
                collect_properties(contract, member, into, depth + 1);
            }
        }
    }
}

fn pointer_to(name: &str) -> String {
    let mut pointer = String::new();
    contract_schema::escape_pointer(name, &mut pointer);
    pointer
}
