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
        ("POST", p) if p.ends_with("/photo") => &[400, 404, 413, 415, 422],
        ("DELETE", p) if p.starts_with("/pets/") => &[400, 401, 404],
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
    headers: Vec<(&'static str, String)>,
}

/// A multipart body of `(name, text)` parts, with the boundary `B`.
fn form(parts: &[(&str, &str)]) -> Vec<u8> {
    let mut body = String::new();
    for (name, text) in parts {
        body.push_str(&format!(
            "--B\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{text}\r\n"
        ));
    }
    body.push_str("--B--\r\n");
    body.into_bytes()
}

fn hostile_requests() -> Vec<Hostile> {
    let json = Some("application/json");
    let post = |what, body: Vec<u8>| Hostile {
        what,
        method: "POST",
        uri: "/pets".into(),
        content_type: json,
        body,
        headers: Vec::new(),
    };
    let get = |what, uri: String| Hostile {
        what,
        method: "GET",
        uri,
        content_type: None,
        body: Vec::new(),
        headers: Vec::new(),
    };
    let upload = |what, content_type, body| Hostile {
        what,
        method: "POST",
        uri: "/pets/1/photo".into(),
        content_type: Some(content_type),
        body,
        headers: Vec::new(),
    };
    let delete = |what, headers| Hostile {
        what,
        method: "DELETE",
        uri: "/pets/1".into(),
        content_type: None,
        body: Vec::new(),
        headers,
    };
    let multipart = "multipart/form-data; boundary=B";
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
            headers: Vec::new(),
        },
        Hostile {
            what: "no content type",
            method: "POST",
            uri: "/pets".into(),
            content_type: None,
            body: br#"{"name": "rex"}"#.to_vec(),
            headers: Vec::new(),
        },
        Hostile {
            what: "a malformed content type",
            method: "POST",
            uri: "/pets".into(),
            content_type: Some("application/;;json"),
            body: br#"{"name": "rex"}"#.to_vec(),
            headers: Vec::new(),
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
        delete("a delete without credentials", Vec::new()),
        delete(
            "a delete with an empty Authorization header",
            vec![("authorization", String::new())],
        ),
        delete(
            "a delete with a wrong token",
            vec![("authorization", "Bearer guess".into())],
        ),
        delete(
            "a 64 KiB token",
            vec![("authorization", format!("Bearer {}", "t".repeat(64 * 1024)))],
        ),
        upload("a multipart body without parts", multipart, form(&[])),
        upload(
            "a multipart body without its boundary",
            "multipart/form-data",
            form(&[("photo", "x")]),
        ),
        upload(
            "a multipart body that never ends",
            multipart,
            b"--B\r\nContent-Disposition: form-data; name=\"photo\"\r\n\r\nxx".to_vec(),
        ),
        upload(
            "a caption over maxLength",
            multipart,
            form(&[("photo", "x"), ("caption", &"c".repeat(81))]),
        ),
        upload(
            "a part the schema does not know",
            multipart,
            form(&[("photo", "x"), ("../../etc/passwd", "x")]),
        ),
        upload(
            "10,000 repeated captions",
            multipart,
            form(
                &[("photo", "x")]
                    .into_iter()
                    .chain(std::iter::repeat_n(("caption", "c"), 10_000))
                    .collect::<Vec<_>>(),
            ),
        ),
    ]
}

async fn send(app: &axum::Router, h: &Hostile) -> (StatusCode, String, Value) {
    let mut request = Request::builder().method(h.method).uri(h.uri.as_str());
    if let Some(ct) = h.content_type {
        request = request.header("content-type", ct);
    }
    for (name, value) in &h.headers {
        request = request.header(*name, value);
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

/// Thousands of headers, and a 64 KiB one, on a valid request: the validator reads the
/// headers it declares only, and answers as for any valid request.
#[tokio::test]
async fn huge_headers_are_answered_as_the_request_deserves() {
    let app = petstore::app();
    let mut request = Request::get("/pets?limit=5");
    for i in 0..2_000 {
        request = request.header(format!("x-filler-{i}"), "v".repeat(32));
    }
    let request = request
        .header("x-huge", "h".repeat(64 * 1024))
        .body(Body::empty())
        .unwrap();
    let response = tokio::time::timeout(Duration::from_secs(10), app.oneshot(request))
        .await
        .expect("an answer within 10 s")
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

/// A body that would run to 1 GiB, produced as it is read: the 413 comes once the limit is
/// passed, having pulled no more than the limit and one chunk, so memory stays flat however
/// large the body claims to be.
#[tokio::test]
async fn a_body_far_over_the_limit_is_refused_before_it_is_read_whole() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    const CHUNK: usize = 64 * 1024;
    struct Endless {
        pulled: Arc<AtomicUsize>,
    }
    impl http_body::Body for Endless {
        type Data = axum::body::Bytes;
        type Error = std::convert::Infallible;

        fn poll_frame(
            self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
            let before = self.pulled.fetch_add(CHUNK, Ordering::Relaxed);
            if before >= 1 << 30 {
                return std::task::Poll::Ready(None);
            }
            let chunk = if before == 0 {
                let mut start = b"{\"name\": \"".to_vec();
                start.resize(CHUNK, b'a');
                axum::body::Bytes::from(start)
            } else {
                axum::body::Bytes::from(vec![b'a'; CHUNK])
            };
            std::task::Poll::Ready(Some(Ok(http_body::Frame::data(chunk))))
        }
    }
    let pulled = Arc::new(AtomicUsize::new(0));
    let request = Request::post("/pets")
        .header("content-type", "application/json")
        .body(Body::new(Endless {
            pulled: pulled.clone(),
        }))
        .unwrap();
    let response = tokio::time::timeout(Duration::from_secs(10), petstore::app().oneshot(request))
        .await
        .expect("an answer within 10 s")
        .unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let limit = 2 * 1024 * 1024;
    let read = pulled.load(Ordering::Relaxed);
    assert!(
        read <= limit + CHUNK,
        "{read} bytes pulled for a {limit}-byte limit"
    );
}
