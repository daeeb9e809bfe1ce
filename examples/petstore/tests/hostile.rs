//! Hostile requests against the example (request validation on): every answer is a 4xx
//! problem+json that the operation declares, never a 5xx, a panic or a hang. CI runs this file
//! in debug and in release builds.

use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

/// The 4xx statuses the spec declares for each operation the requests below reach.
fn declared(method: &str, path: &str) -> &'static [u16] {
    match (method, path.split('?').next().unwrap_or(path)) {
        ("POST", "/pets") => &[400, 413, 415, 422],
        ("GET", "/pets") => &[400],
        ("PUT", p) if p.starts_with("/pets/") => &[400, 404, 413, 415, 422],
        (_, p) if p.starts_with("/pets/") => &[400, 404],
        (_, p) if p.starts_with("/owners/") => &[400, 404],
        _ => &[],
    }
}

struct Hostile {
    what: &'static str,
    method: &'static str,
    uri: String,
    content_type: Option<&'static str>,
    body: Vec<u8>,
}

fn hostile_requests() -> Vec<Hostile> {
    let json = Some("application/json");
    let post = |what, body: Vec<u8>| Hostile {
        what,
        method: "POST",
        uri: "/pets".into(),
        content_type: json,
        body,
    };
    let get = |what, uri: String| Hostile {
        what,
        method: "GET",
        uri,
        content_type: None,
        body: Vec::new(),
    };
    let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n)).into_bytes();
    let deep_object = |n: usize| {
        format!(
            "{{\"name\": \"rex\", \"tag\": {}null{}}}",
            "{\"a\": ".repeat(n),
            "}".repeat(n)
        )
        .into_bytes()
    };
    vec![
        post("100,000-deep arrays", deep(100_000)),
        post("a 1,000-deep object in a property", deep_object(1_000)),
        post("a 5 MB body, over the 64 KiB limit", {
            let mut body = b"{\"name\": \"".to_vec();
            body.extend(std::iter::repeat_n(b'a', 5 * 1024 * 1024));
            body.extend(b"\"}");
            body
        }),
        post(
            "a 20,000-digit number where a string is expected",
            format!("{{\"name\": {}}}", "9".repeat(20_000)).into_bytes(),
        ),
        post(
            "a 20,000-digit number as a whole body",
            "1".repeat(20_000).into_bytes(),
        ),
        post(
            "a name over maxLength",
            format!("{{\"name\": \"{}\"}}", "x".repeat(60_000)).into_bytes(),
        ),
        post("invalid UTF-8", b"{\"name\": \"\xff\xfe\"}".to_vec()),
        post("a lone surrogate escape", br#"{"name": "\udc00"}"#.to_vec()),
        post(
            "a repeated key",
            br#"{"name": "rex", "name": "max"}"#.to_vec(),
        ),
        post("truncated JSON", br#"{"name": "re"#.to_vec()),
        post("no body at all", Vec::new()),
        post(
            "a string status outside the enum",
            br#"{"name": "rex", "status": "gone"}"#.to_vec(),
        ),
        Hostile {
            what: "a text/plain body",
            method: "POST",
            uri: "/pets".into(),
            content_type: Some("text/plain"),
            body: br#"{"name": "rex"}"#.to_vec(),
        },
        Hostile {
            what: "no content type",
            method: "POST",
            uri: "/pets".into(),
            content_type: None,
            body: br#"{"name": "rex"}"#.to_vec(),
        },
        Hostile {
            what: "a malformed content type",
            method: "POST",
            uri: "/pets".into(),
            content_type: Some("application/;;json"),
            body: br#"{"name": "rex"}"#.to_vec(),
        },
        get(
            "a path parameter past i64",
            "/pets/99999999999999999999999".into(),
        ),
        get("a negative id, below minimum", "/pets/-5".into()),
        get(
            "an encoded traversal as the id",
            "/pets/%2e%2e%2f%2e%2e%2fetc".into(),
        ),
        get("an invalid percent-encoding", "/pets/%FF%FE".into()),
        get("a NUL in the id", "/pets/1%00".into()),
        get(
            "an owner id over maxLength",
            format!("/owners/{}/pets/1", "o".repeat(10_000)),
        ),
        get("a limit past i32", "/pets?limit=99999999999".into()),
        get("a limit that is not a number", "/pets?limit=ten".into()),
        get(
            "1,000 repeated limits",
            format!("/pets?{}", vec!["limit=5"; 1000].join("&")),
        ),
        get(
            "an encoded ampersand flood in the query",
            format!("/pets?limit={}", "%26".repeat(10_000)),
        ),
    ]
}

async fn send(app: &axum::Router, h: &Hostile) -> (StatusCode, String, Value) {
    let mut request = Request::builder().method(h.method).uri(h.uri.as_str());
    if let Some(ct) = h.content_type {
        request = request.header("content-type", ct);
    }
    let request = request.body(Body::from(h.body.clone())).unwrap();
    let response = tokio::time::timeout(Duration::from_secs(10), app.clone().oneshot(request))
        .await
        .unwrap_or_else(|_| panic!("{}: no answer within 10 s", h.what))
        .unwrap();
    let status = response.status();
    let ct = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        ct,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn hostile_requests_get_declared_4xx_problems() {
    let app = petstore::app();
    let mut wrong = Vec::new();
    for h in hostile_requests() {
        let (status, ct, body) = send(&app, &h).await;
        let ok = status.is_client_error()
            && declared(h.method, &h.uri).contains(&status.as_u16())
            && ct == "application/problem+json"
            && body["status"] == status.as_u16();
        if !ok {
            wrong.push(format!("{}: {status} {ct} {body}", h.what));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // The service is still up.
    let health = Request::get("/health").body(Body::empty()).unwrap();
    assert_eq!(app.oneshot(health).await.unwrap().status(), StatusCode::OK);
}
