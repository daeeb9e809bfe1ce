//! Request validation: parameters (coerced from their text form by their schema's type) and
//! bodies. A bad request is answered with 400, 413, 415 or 422, never passed on.

use axum::body::Body;
use axum::extract::{FromRequestParts, RawPathParams, Request};
use axum::response::Response;
use http::{StatusCode, header};
use serde_json::Value;

use std::borrow::Cow;

use super::body::{TooLarge, read_body};
use super::coerce::{coerce, primary_type};
use super::contract::{Contract, Credential, OpSpec, Violation};
use super::media::find_media;
use super::problem::{error_response, request_error};
use crate::binding::{PathTypes, RequestTypes, fields_of};
use crate::schema::{Field, Shape};

pub(crate) async fn validate(
    contract: &Contract,
    op: &OpSpec,
    request: Request,
    limit: usize,
    types: Option<&RequestTypes>,
) -> Result<Request, Response> {
    let (mut parts, body) = request.into_parts();
    let refuse = |status: StatusCode, detail: &str, violations: Vec<Violation>| {
        request_error(contract, op, status, detail, violations)
    };
    if op.is_secured() && !carries_credentials(op, &parts) {
        return Err(unauthenticated(contract, op));
    }
    if !op.params.is_empty() {
        let violations = parameters(contract, op, &mut parts, types).await;
        if !violations.is_empty() {
            return Err(refuse(
                StatusCode::BAD_REQUEST,
                "the request's parameters do not match the OpenAPI contract",
                violations,
            ));
        }
    }

    let Some((required, content)) = &op.body else {
        return Ok(Request::from_parts(parts, body));
    };
    let bytes = match read_body(body, limit).await {
        Ok(bytes) => bytes,
        Err(e) if e.is::<TooLarge>() => {
            return Err(refuse(
                StatusCode::PAYLOAD_TOO_LARGE,
                &format!("the request body is larger than {limit} bytes"),
                Vec::new(),
            ));
        }
        Err(e) => {
            return Err(refuse(
                StatusCode::BAD_REQUEST,
                &format!("the request body could not be read: {e}"),
                Vec::new(),
            ));
        }
    };
    if bytes.is_empty() {
        if *required {
            return Err(refuse(
                StatusCode::BAD_REQUEST,
                "the request body is required",
                Vec::new(),
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
        return Err(refuse(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            &format!(
                "Content-Type `{}` is not declared for this body (declared: {})",
                content_type.unwrap_or("none"),
                declared.join(", ")
            ),
            Vec::new(),
        ));
    };
    if let Some(site) = media.site
        && super::form::is_form(&media.media)
        && (super::form::READS_MULTIPART || !super::form::is_multipart(&media.media))
        && let Some(schema) = contract.schema(site)
    {
        let form_type = content_type.unwrap_or_default();
        let parts = match super::form::parts(form_type, bytes.clone()).await {
            Ok(parts) => parts,
            Err(e) => {
                return Err(refuse(
                    StatusCode::BAD_REQUEST,
                    &format!("the request body is not a well-formed form: {e}"),
                    Vec::new(),
                ));
            }
        };
        let violations = match super::form::to_value(contract, schema, media, &parts) {
            Ok(value) => contract.check(site, &value),
            Err(mut violations) => {
                for v in &mut violations {
                    v.schema_path = contract.site_location(site).to_string();
                }
                violations
            }
        };
        if !violations.is_empty() {
            return Err(refuse(
                StatusCode::UNPROCESSABLE_ENTITY,
                "the request body does not match the OpenAPI contract",
                violations,
            ));
        }
    }
    if let (Some(site), true) = (media.site, media.is_json)
        && !contract.accepts(site, &bytes)
    {
        let value: Value = match parse_without_repeated_keys(&bytes) {
            Ok(v) => v,
            Err(e) => {
                return Err(refuse(
                    StatusCode::BAD_REQUEST,
                    &format!("the request body is not valid JSON: {e}"),
                    Vec::new(),
                ));
            }
        };
        let violations = contract.check(site, &value);
        if !violations.is_empty() {
            return Err(refuse(
                StatusCode::UNPROCESSABLE_ENTITY,
                "the request body does not match the OpenAPI contract",
                violations,
            ));
        }
    }
    // The handler's own type, where it reads the body as JSON: what the spec allows and the
    // type cannot hold (a number past `u8`, a string no variant is named) is refused here,
    // in the same form, rather than by the extractor.
    let mut bytes = bytes;
    if let (Some((type_name, Some(fits))), true) = (types.and_then(|t| t.body), media.is_json)
        && let Err((pointer, message)) = fits(&bytes)
    {
        // `2.0` is an integer to the spec, and not to serde's `i64`: the same body with its
        // integral floats written as integers, when the type takes that, is the body meant.
        let respelled = integers_spelled_out(&bytes).map(|respelled| {
            let fit = fits(&respelled);
            (respelled, fit)
        });
        match respelled {
            Some((respelled, Ok(()))) => {
                parts
                    .headers
                    .insert(header::CONTENT_LENGTH, respelled.len().into());
                bytes = respelled;
            }
            failed => {
                // What the respelled body still does not fit is the value to name.
                let (pointer, message) = match failed {
                    Some((_, Err(still))) => still,
                    _ => (pointer, message),
                };
                return Err(refuse(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "the request body does not fit the handler's type",
                    vec![Violation {
                        pointer,
                        schema_path: format!(
                            "{}: request body (Rust type `{type_name}`)",
                            op.label()
                        ),
                        rule: "rust-type".into(),
                        message: format!("`{type_name}` cannot hold the body: {message}"),
                    }],
                ));
            }
        }
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

/// Whether the request carries every credential of one of the operation's security
/// alternatives (presence only: checking them is the application's job).
fn carries_credentials(op: &OpSpec, parts: &http::request::Parts) -> bool {
    let Some(alternatives) = &op.security else {
        return true;
    };
    let present = |c: &Credential| match c.location.as_str() {
        "header" => parts
            .headers
            .get(c.name.as_str())
            .is_some_and(|v| !v.is_empty()),
        "query" => parts.uri.query().is_some_and(|q| {
            form_urlencoded::parse(q.as_bytes()).any(|(k, v)| k == c.name.as_str() && !v.is_empty())
        }),
        "cookie" => cookies(parts).any(|(k, v)| k == c.name && !v.is_empty()),
        _ => true,
    };
    alternatives.iter().any(|needs| needs.iter().all(present))
}

/// The request's cookies, as `(name, value)` pairs.
fn cookies(parts: &http::request::Parts) -> impl Iterator<Item = (&str, &str)> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
}

/// The 401 for a request to a secured operation without credentials: in the form the
/// operation declares for 401 where it does, else problem+json; it names the schemes.
fn unauthenticated(contract: &Contract, op: &OpSpec) -> Response {
    let alternatives = op.security.as_deref().unwrap_or_default();
    let described: Vec<String> = alternatives
        .iter()
        .map(|needs| {
            needs
                .iter()
                .map(|c| {
                    let place = match c.location.as_str() {
                        "header" => format!("the `{}` header", c.name),
                        other => format!("the {other} parameter `{}`", c.name),
                    };
                    format!("`{}` ({place})", c.scheme)
                })
                .collect::<Vec<_>>()
                .join(" and ")
        })
        .collect();
    let detail = format!(
        "this operation requires credentials: {}",
        described.join(", or ")
    );
    let violations = vec![Violation {
        pointer: String::new(),
        schema_path: format!("{}: security", op.label()),
        rule: "security".into(),
        message: detail.clone(),
    }];
    let mut response = if op.response(401).is_some() {
        request_error(contract, op, StatusCode::UNAUTHORIZED, &detail, violations)
    } else {
        error_response(StatusCode::UNAUTHORIZED, &detail, op, violations, None)
    };
    // RFC 9110 asks a 401 to name a challenge; the HTTP schemes have one.
    let challenges: Vec<String> = alternatives
        .iter()
        .flatten()
        .filter_map(Credential::http_scheme)
        .collect();
    if let Some(first) = challenges.first()
        && let Ok(value) = http::HeaderValue::from_str(first)
    {
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, value);
    }
    response
}

/// The JSON text `bytes` with each integral float (`438.0`, `4e2`) within 64 bits written as
/// an integer; `None` when there is none (or the text does not parse).
fn integers_spelled_out(bytes: &[u8]) -> Option<bytes::Bytes> {
    fn respell(value: &mut Value) -> bool {
        match value {
            Value::Number(n) if n.is_f64() => {
                let f = n.as_f64().unwrap_or(f64::NAN);
                let integral = f.fract() == 0.0 && f.abs() < 9.2e18;
                if integral {
                    *value = Value::from(f as i64);
                }
                integral
            }
            Value::Array(items) => items.iter_mut().fold(false, |any, v| respell(v) | any),
            Value::Object(map) => map.values_mut().fold(false, |any, v| respell(v) | any),
            _ => false,
        }
    }
    let mut value: Value = serde_json::from_slice(bytes).ok()?;
    respell(&mut value).then(|| bytes::Bytes::from(value.to_string()))
}

/// The parameters' violations: of the spec's schemas, then of the handler's Rust types.
async fn parameters(
    contract: &Contract,
    op: &OpSpec,
    parts: &mut http::request::Parts,
    types: Option<&RequestTypes>,
) -> Vec<Violation> {
    let has = |location: &str| op.params.iter().any(|p| p.location == location);
    let raw_path = if has("path") {
        RawPathParams::from_request_parts(parts, &()).await.ok()
    } else {
        None
    };
    let path_params: Vec<(&str, &str)> = raw_path.iter().flat_map(|p| p.iter()).collect();
    let query: Vec<(Cow<str>, Cow<str>)> = match parts.uri.query() {
        Some(q) if has("query") => form_urlencoded::parse(q.as_bytes()).collect(),
        _ => Vec::new(),
    };
    let cookies: Vec<(&str, &str)> = if has("cookie") {
        cookies(parts).collect()
    } else {
        Vec::new()
    };

    let mut violations = Vec::new();
    for p in &op.params {
        let raw: Vec<&str> = match p.location.as_str() {
            "path" => pick(&path_params, &p.name),
            "query" => pick(&query, &p.name),
            "cookie" => pick(&cookies, &p.name),
            _ => parts
                .headers
                .get_all(p.name.as_str())
                .iter()
                .filter_map(|v| v.to_str().ok())
                .collect(),
        };
        let parameter = || format!("{}: {} parameter `{}`", op.label(), p.location, p.name);
        if raw.is_empty() {
            if p.required {
                violations.push(Violation {
                    pointer: String::new(),
                    schema_path: parameter(),
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
                schema_path: parameter(),
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
        let before = violations.len();
        for mut v in contract.check(site, &value) {
            v.message = format!("{} parameter `{}`: {}", p.location, p.name, v.message);
            violations.push(v);
        }
        if violations.len() > before || raw.len() > 1 {
            continue;
        }
        if let Some(shape) = types.and_then(|t| rust_type_of(t, &p.location, &p.name))
            && let Some(rust) = text_misfit(shape, raw[0])
        {
            violations.push(Violation {
                pointer: String::new(),
                schema_path: parameter(),
                rule: "rust-type".into(),
                message: format!(
                    "{} parameter `{}`: `{}` does not fit the handler's `{rust}`",
                    p.location,
                    p.name,
                    super::shortened(raw[0].to_string(), 64)
                ),
            });
        }
    }
    violations
}

fn pick<'a, K: AsRef<str>, V: AsRef<str>>(pairs: &'a [(K, V)], name: &str) -> Vec<&'a str> {
    pairs
        .iter()
        .filter(|(k, _)| k.as_ref() == name)
        .map(|(_, v)| v.as_ref())
        .collect()
}

/// The Rust type a handler reads parameter `name` (at `location`) into, where it says.
fn rust_type_of(types: &RequestTypes, location: &str, name: &str) -> Option<&'static Shape> {
    let field = |fields: &'static [Field]| fields.iter().find(|f| f.name == name).map(|f| f.shape);
    match location {
        "path" => match types.path {
            PathTypes::None => None,
            PathTypes::Each(pairs) => pairs.iter().find(|(n, _)| *n == name).map(|(_, s)| *s),
            PathTypes::One {
                single,
                shape,
                fields,
            } => match (fields_of(shape, fields).unwrap_or_default(), single) {
                ([], Some(single)) if single == name => Some(shape),
                ([], _) => None,
                (fields, _) => field(fields),
            },
        },
        "query" => {
            let (shape, fields) = types.query?;
            field(fields_of(shape, fields).unwrap_or_default())
        }
        _ => None,
    }
}

/// The Rust type that cannot hold `text` (a parameter's value, read as axum's `Path` and
/// `Query` read it), named; `None` when it fits or the shape says nothing checkable.
fn text_misfit(shape: &Shape, text: &str) -> Option<String> {
    let fits = match *shape {
        Shape::Option(inner) => return text_misfit(inner, text),
        Shape::Bool => text.parse::<bool>().is_ok(),
        Shape::Int { bits, signed } => {
            let fits = match (bits, signed) {
                (8, true) => text.parse::<i8>().is_ok(),
                (16, true) => text.parse::<i16>().is_ok(),
                (32, true) => text.parse::<i32>().is_ok(),
                (64, true) => text.parse::<i64>().is_ok(),
                (8, false) => text.parse::<u8>().is_ok(),
                (16, false) => text.parse::<u16>().is_ok(),
                (32, false) => text.parse::<u32>().is_ok(),
                (64, false) => text.parse::<u64>().is_ok(),
                (_, true) => text.parse::<i128>().is_ok(),
                (_, false) => text.parse::<u128>().is_ok(),
            };
            if fits {
                return None;
            }
            return Some(format!("{}{bits}", if signed { "i" } else { "u" }));
        }
        Shape::Float { bits } => {
            // Rust reads a number past the type's range as infinity, which no client meant.
            let written_infinite = text
                .trim_start_matches(['+', '-'])
                .to_ascii_lowercase()
                .starts_with("inf");
            let fits = if bits == 32 {
                text.parse::<f32>()
                    .is_ok_and(|f| f.is_finite() || written_infinite)
            } else {
                text.parse::<f64>()
                    .is_ok_and(|f| f.is_finite() || written_infinite)
            };
            if fits {
                return None;
            }
            return Some(format!("f{bits}"));
        }
        Shape::Enum(values) => {
            if values.contains(&text) {
                return None;
            }
            return Some(format!(
                "enum of {}",
                values
                    .iter()
                    .map(|v| format!("`{v}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        _ => true,
    };
    (!fits).then(|| match shape {
        Shape::Bool => "bool".to_string(),
        _ => "type".to_string(),
    })
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
