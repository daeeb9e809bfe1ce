//! Form bodies (`multipart/form-data`, `application/x-www-form-urlencoded`) read into the JSON
//! object their schema describes, so that they are validated like a JSON body: each part under
//! its name, its text read by the property's type (`"3"` is the integer 3 where the schema
//! says `integer`), JSON parts parsed, repeated parts gathered where the property is an array.

use serde_json::{Map, Value};

use super::contract::{Contract, Media, Violation};
use super::request::{primary_type, scalar};

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
    media
        .split(';')
        .next()
        .is_some_and(|m| m.trim().eq_ignore_ascii_case(essence))
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
    for part in parts {
        if !names.contains(&part.name.as_str()) {
            names.push(&part.name);
        }
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
