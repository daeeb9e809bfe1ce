//! What is wrong with a response: its status, headers, media type and body against the
//! operation.

use http::{StatusCode, header};
use serde_json::Value;

use super::coerce::coerce;
use super::contract::{Contract, OpSpec, Violation};
use super::media::find_media;

/// What is wrong with a response: its status, media type or body.
pub(crate) fn response_violations(
    contract: &Contract,
    op: &OpSpec,
    status: StatusCode,
    headers: &http::HeaderMap,
    bytes: &[u8],
    is_head: bool,
) -> Vec<Violation> {
    if op.responses_undocumented {
        return Vec::new();
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| std::str::from_utf8(v.as_bytes()).ok());
    let Some((key, content)) = op.response(status.as_u16()) else {
        let declared: Vec<&str> = op.responses.iter().map(|(k, _)| k.as_str()).collect();
        return vec![Violation {
            pointer: String::new(),
            schema_path: format!("{} responses", op.label()),
            rule: "status".into(),
            message: format!(
                "status {} is not declared (declared: {})",
                status.as_u16(),
                declared.join(", ")
            ),
        }];
    };
    let mut violations = header_violations(contract, op, key, headers);
    if content.is_empty() {
        if !bytes.is_empty() && !is_head {
            violations.push(Violation {
                pointer: String::new(),
                schema_path: format!("{} responses/{key}", op.label()),
                rule: "content".into(),
                message: format!(
                    "status {key} declares no content, but the response has a {}-byte body",
                    bytes.len()
                ),
            });
        }
        return violations;
    }
    if is_head || (bytes.is_empty() && status == StatusCode::NOT_MODIFIED) {
        return violations;
    }
    match content_type.and_then(|ct| find_media(content, ct)) {
        None => {
            let declared: Vec<&str> = content.iter().map(|m| m.media.as_str()).collect();
            violations.push(Violation {
                pointer: String::new(),
                schema_path: format!("{} responses/{key}/content", op.label()),
                rule: "content-type".into(),
                message: format!(
                    "Content-Type `{}` is not declared for {key} (declared: {})",
                    content_type.unwrap_or("none"),
                    declared.join(", ")
                ),
            });
        }
        Some(media) => {
            if let (Some(site), true) = (media.site, media.is_json)
                && !contract.accepts(site, bytes)
            {
                match serde_json::from_slice::<Value>(bytes) {
                    Ok(value) => violations.extend(contract.check(site, &value)),
                    Err(e) => violations.push(Violation {
                        pointer: String::new(),
                        schema_path: contract.site_location(site).to_string(),
                        rule: "json".into(),
                        message: format!("the body is not valid JSON: {e}"),
                    }),
                }
            }
        }
    }
    violations
}

/// What is wrong with the headers of the response under `key`: a required one missing, or a
/// value that breaks its schema (read as a `simple`-style parameter is).
fn header_violations(
    contract: &Contract,
    op: &OpSpec,
    key: &str,
    headers: &http::HeaderMap,
) -> Vec<Violation> {
    let mut violations = Vec::new();
    for declared in op.headers_of(key) {
        let at = || format!("{} responses/{key}/headers/{}", op.label(), declared.name);
        let values: Vec<&str> = headers
            .get_all(declared.name.as_str())
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        if values.is_empty() {
            if declared.required {
                violations.push(Violation {
                    pointer: String::new(),
                    schema_path: at(),
                    rule: "header".into(),
                    message: format!(
                        "the required response header `{}` is missing",
                        declared.name
                    ),
                });
            }
            continue;
        }
        let Some(site) = declared.site else { continue };
        let Some(schema) = contract.schema(site) else {
            continue;
        };
        let joined = values.join(",");
        let value = coerce(contract, schema, &[joined.as_str()], false);
        for mut v in contract.check(site, &value) {
            v.message = format!("response header `{}`: {}", declared.name, v.message);
            violations.push(v);
        }
    }
    violations
}
