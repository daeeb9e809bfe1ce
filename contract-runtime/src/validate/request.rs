//! Request validation: parameters (coerced from their text form by their schema's type) and
//! bodies. A bad request is answered with 400, 413, 415 or 422, never passed on.

use axum::body::Body;
use axum::extract::{FromRequestParts, RawPathParams, Request};
use axum::response::Response;
use http::{StatusCode, header};
use serde_json::Value;

use super::contract::{Contract, OpSpec, Violation};
use super::layer::{error_response, find_media};

pub(crate) async fn validate(
    contract: &Contract,
    op: &OpSpec,
    request: Request,
    limit: usize,
) -> Result<Request, Response> {
    let (mut parts, body) = request.into_parts();
    let path_params: Vec<(String, String)> =
        match RawPathParams::from_request_parts(&mut parts, &()).await {
            Ok(params) => params
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            Err(_) => Vec::new(),
        };
    let query: Vec<(String, String)> = parts
        .uri
        .query()
        .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
        .unwrap_or_default();
    let cookies: Vec<(String, String)> = parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| {
            c.trim()
                .split_once('=')
                .map(|(k, v)| (k.to_string(), v.to_string()))
        })
        .collect();

    let mut violations = Vec::new();
    for p in &op.params {
        let pick = |pairs: &[(String, String)]| -> Vec<String> {
            pairs
                .iter()
                .filter(|(k, _)| *k == p.name)
                .map(|(_, v)| v.clone())
                .collect()
        };
        let raw: Vec<String> = match p.location.as_str() {
            "path" => pick(&path_params),
            "query" => pick(&query),
            "cookie" => pick(&cookies),
            _ => parts
                .headers
                .get_all(p.name.as_str())
                .iter()
                .filter_map(|v| v.to_str().ok().map(str::to_string))
                .collect(),
        };
        if raw.is_empty() {
            if p.required {
                violations.push(Violation {
                    pointer: String::new(),
                    schema_path: format!("{}: {} parameter `{}`", op.label(), p.location, p.name),
                    rule: "required".into(),
                    message: format!(
                        "the required {} parameter `{}` is missing",
                        p.location, p.name
                    ),
                });
            }
            continue;
        }
        let Some(site) = p.site else { continue };
        let Some(schema) = contract.schema(site) else {
            continue;
        };
        // A single value given several times: serde's `Query` extractor would refuse it with
        // a 400 of its own (a repeated field), so the validator says so first.
        if raw.len() > 1
            && matches!(p.location.as_str(), "query" | "cookie")
            && primary_type(contract, schema).is_some_and(|t| t != "array" && t != "object")
        {
            violations.push(Violation {
                pointer: String::new(),
                schema_path: format!("{}: {} parameter `{}`", op.label(), p.location, p.name),
                rule: "repeated".into(),
                message: format!(
                    "the {} parameter `{}` is given {} times, but it takes a single value",
                    p.location,
                    p.name,
                    raw.len()
                ),
            });
            continue;
        }
        let value = coerce(contract, schema, &raw, p.explode);
        for mut v in contract.check(site, &value) {
            v.message = format!("{} parameter `{}`: {}", p.location, p.name, v.message);
            violations.push(v);
        }
    }
    if !violations.is_empty() {
        return Err(error_response(
            StatusCode::BAD_REQUEST,
            "the request's parameters do not match the OpenAPI contract",
            op,
            violations,
            None,
        ));
    }

    let Some((required, content)) = &op.body else {
        return Ok(Request::from_parts(parts, body));
    };
    let bytes = match super::layer::read_body(body, limit).await {
        Ok(bytes) => bytes,
        Err(e) if e.is::<super::layer::TooLarge>() => {
            return Err(error_response(
                StatusCode::PAYLOAD_TOO_LARGE,
                &format!("the request body is larger than {limit} bytes"),
                op,
                Vec::new(),
                None,
            ));
        }
        Err(e) => {
            return Err(error_response(
                StatusCode::BAD_REQUEST,
                &format!("the request body could not be read: {e}"),
                op,
                Vec::new(),
                None,
            ));
        }
    };
    if bytes.is_empty() {
        if *required {
            return Err(error_response(
                StatusCode::BAD_REQUEST,
                "the request body is required",
                op,
                Vec::new(),
                None,
            ));
        }
        return Ok(Request::from_parts(parts, Body::from(bytes)));
    }
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let Some(media) = content_type.and_then(|ct| find_media(content, ct)) else {
        let declared: Vec<&str> = content.iter().map(|m| m.media.as_str()).collect();
        return Err(error_response(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            &format!(
                "Content-Type `{}` is not declared for this body (declared: {})",
                content_type.unwrap_or("none"),
                declared.join(", ")
            ),
            op,
            Vec::new(),
            None,
        ));
    };
    if let (Some(site), true) = (media.site, media.is_json)
        && !contract.accepts(site, &bytes)
    {
        let value: Value = match parse_without_repeated_keys(&bytes) {
            Ok(v) => v,
            Err(e) => {
                return Err(error_response(
                    StatusCode::BAD_REQUEST,
                    &format!("the request body is not valid JSON: {e}"),
                    op,
                    Vec::new(),
                    None,
                ));
            }
        };
        let violations = contract.check(site, &value);
        if !violations.is_empty() {
            return Err(error_response(
                StatusCode::UNPROCESSABLE_ENTITY,
                "the request body does not match the OpenAPI contract",
                op,
                violations,
                None,
            ));
        }
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

/// A JSON body, refused where an object repeats a key: the validator would see one value and
/// serde's derived `Deserialize` rejects the repeated field, so the extractor would answer
/// with a 422 of its own that the spec does not declare.
fn parse_without_repeated_keys(bytes: &[u8]) -> Result<Value, serde_json::Error> {
    use serde::de::DeserializeSeed;
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = Unique.deserialize(&mut de)?;
    de.end()?;
    Ok(value)
}

struct Unique;

impl<'de> serde::de::DeserializeSeed<'de> for Unique {
    type Value = Value;
    fn deserialize<D: serde::Deserializer<'de>>(self, de: D) -> Result<Value, D::Error> {
        de.deserialize_any(Unique)
    }
}

impl<'de> serde::de::Visitor<'de> for Unique {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(Unique)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if object.contains_key(&key) {
                return Err(serde::de::Error::custom(format_args!(
                    "the key `{key}` appears twice in one object"
                )));
            }
            let value = map.next_value_seed(Unique)?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

/// The first type a schema names (skipping `null`).
fn primary_type<'a>(contract: &'a Contract, schema: &'a Value) -> Option<&'a str> {
    let schema = contract.resolve(schema);
    match schema.get("type") {
        Some(Value::String(t)) => return Some(t),
        Some(Value::Array(ts)) => {
            return ts.iter().filter_map(Value::as_str).find(|t| *t != "null");
        }
        _ => {}
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        if let Some(Value::Array(items)) = schema.get(key) {
            for item in items {
                if let Some(t) = primary_type(contract, item) {
                    return Some(t);
                }
            }
        }
    }
    None
}

/// A parameter's text as the JSON value its schema describes; text that does not parse stays
/// text, so the schema reports the type error.
fn coerce(contract: &Contract, schema: &Value, raw: &[String], explode: bool) -> Value {
    if primary_type(contract, schema) == Some("array") {
        let items = contract.resolve(schema).get("items");
        let values: Vec<String> = if raw.len() > 1 || explode {
            raw.to_vec()
        } else {
            raw[0].split(',').map(str::to_string).collect()
        };
        return Value::Array(values.iter().map(|v| scalar(contract, items, v)).collect());
    }
    scalar(contract, Some(schema), &raw[0])
}

fn scalar(contract: &Contract, schema: Option<&Value>, text: &str) -> Value {
    let ty = schema.and_then(|s| primary_type(contract, s));
    match ty {
        Some("integer") => text
            .parse::<i64>()
            .map(Value::from)
            .unwrap_or_else(|_| Value::String(text.into())),
        Some("number") => text
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .unwrap_or_else(|| Value::String(text.into())),
        Some("boolean") => match text {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => Value::String(text.into()),
        },
        _ => Value::String(text.into()),
    }
}
