//! Problem documents (RFC 9457): how a refused request, and a response replaced for breaking
//! the contract, are answered.

use axum::response::{IntoResponse, Response};
use http::{HeaderValue, StatusCode, header};
use serde_json::{Value, json};

use super::contract::{Contract, OpSpec, Violation};
use super::media::{essence, media_matches};

/// The title of the 500 that replaces a response breaking the contract: how the test sweep
/// tells it from the application's own server errors.
pub(crate) const RESPONSE_VIOLATION: &str = "Response violates the API contract";

/// A refused request, answered in the form the operation declares for client errors: the
/// status `wanted` where it is declared (exactly, as `4XX` or as `default`), else 400 where that
/// is, else the nearest declared 4xx; as `application/problem+json` (RFC 9457), or the JSON
/// media type the response declares, in a document its schema accepts.
pub(crate) fn request_error(
    contract: &Contract,
    op: &OpSpec,
    wanted: StatusCode,
    detail: &str,
    violations: Vec<Violation>,
) -> Response {
    let status = declared_status(op, wanted);
    let declared = op.response(status.as_u16()).map(|(_, content)| content);
    let Some(content) = declared else {
        return error_response(status, detail, op, violations, None);
    };
    if content.is_empty() {
        tracing::debug!(operation = %op.label(), "request refused: {detail}");
        return status.into_response();
    }
    let media = content
        .iter()
        .find(|m| essence(&m.media).eq_ignore_ascii_case("application/problem+json"))
        .or_else(|| content.iter().find(|m| m.is_json));
    let Some(media) = media else {
        if let Some(text) = content
            .iter()
            .find(|m| media_matches(&m.media, "text/plain"))
        {
            let mut response = (status, detail.to_string()).into_response();
            if let Ok(value) = HeaderValue::from_str(&text.media) {
                response.headers_mut().insert(header::CONTENT_TYPE, value);
            }
            return response;
        }
        return error_response(status, detail, op, violations, None);
    };
    let full = problem(status, detail, op, &violations, None);
    let body = match media.site {
        Some(site) if !contract.check(site, &full).is_empty() => {
            match fitting_problem(contract, site, status, detail) {
                // The schema's own members, and the problem's beside them where it allows.
                Some(Value::Object(fitting)) => {
                    let mut merged = full.clone();
                    if let Value::Object(members) = &mut merged {
                        members.extend(fitting.clone());
                    }
                    if contract.check(site, &merged).is_empty() {
                        merged
                    } else {
                        Value::Object(fitting)
                    }
                }
                Some(fitting) => fitting,
                None => full,
            }
        }
        _ => full,
    };
    let mut response = (status, body.to_string()).into_response();
    let content_type = if media.media.contains('*') {
        HeaderValue::from_static("application/problem+json")
    } else {
        HeaderValue::from_str(&media.media)
            .unwrap_or_else(|_| HeaderValue::from_static("application/problem+json"))
    };
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, content_type);
    response
}

/// The status a refusal that wants `wanted` is answered with.
fn declared_status(op: &OpSpec, wanted: StatusCode) -> StatusCode {
    if op.response(wanted.as_u16()).is_some() {
        return wanted;
    }
    let declared = op
        .responses
        .iter()
        .filter_map(|(k, _)| k.parse::<u16>().ok())
        .filter(|s| (400..500).contains(s));
    let nearest = declared.min_by_key(|s| {
        // 400 first, then by distance (the lower on a tie).
        (u16::from(*s != 400), s.abs_diff(wanted.as_u16()), *s)
    });
    nearest
        .and_then(|s| StatusCode::from_u16(s).ok())
        .unwrap_or(wanted)
}

/// A problem document the declared error schema at `site` accepts: RFC 9457's members alone,
/// else a value generated from the schema with its message-like strings set to `detail`.
fn fitting_problem(
    contract: &Contract,
    site: usize,
    status: StatusCode,
    detail: &str,
) -> Option<Value> {
    let minimal = json!({
        "type": "about:blank",
        "title": status.canonical_reason().unwrap_or("Bad Request"),
        "status": status.as_u16(),
        "detail": detail,
    });
    if contract.check(site, &minimal).is_empty() {
        return Some(minimal);
    }
    let schema = contract.schema(site)?;
    let mut rng = super::generate::Rng::new(u64::from(status.as_u16()));
    let mut value = super::generate::valid(contract, schema, &mut rng, 0);
    if !contract.check(site, &value).is_empty() {
        return None;
    }
    if let Value::Object(map) = &mut value {
        for key in ["detail", "message", "error", "title", "description"] {
            if let Some(slot) = map.get_mut(key).filter(|v| v.is_string()) {
                let before = std::mem::replace(slot, Value::String(detail.to_string()));
                if !contract.check(site, &value).is_empty()
                    && let Some(slot) = value.get_mut(key)
                {
                    *slot = before;
                }
                break;
            }
        }
        if let Some(slot) = value.get_mut("status").filter(|v| v.is_u64()) {
            let before = std::mem::replace(slot, json!(status.as_u16()));
            if !contract.check(site, &value).is_empty()
                && let Some(slot) = value.get_mut("status")
            {
                *slot = before;
            }
        }
    }
    Some(value)
}

fn problem(
    status: StatusCode,
    detail: &str,
    op: &OpSpec,
    violations: &[Violation],
    response_status: Option<u16>,
) -> Value {
    let title = match status.as_u16() {
        500 => RESPONSE_VIOLATION,
        401 => "Unauthorized",
        413 => "Request body too large",
        415 => "Unsupported media type",
        422 => "Request body violates the API contract",
        _ => "Request violates the API contract",
    };
    let mut body = json!({
        "type": "about:blank",
        "title": title,
        "status": status.as_u16(),
        "detail": detail,
        "operation": op.operation_id,
        "method": op.method,
        "path": op.path,
        "violations": violations,
    });
    if let Some(s) = response_status {
        body["responseStatus"] = json!(s);
    }
    body
}

/// A problem+json response (RFC 9457).
pub(crate) fn error_response(
    status: StatusCode,
    detail: &str,
    op: &OpSpec,
    violations: Vec<Violation>,
    response_status: Option<u16>,
) -> Response {
    let body = problem(status, detail, op, &violations, response_status);
    let mut response = (status, body.to_string()).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    response
}
