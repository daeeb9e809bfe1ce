//! Security requirements (presence of credentials, 401 otherwise) and response headers, under
//! `ContractLayer` and the sweep. Response checks hold in debug builds; in release the layer
//! leaves responses alone (this test also runs with `--release` in CI).

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use contract_runtime::testing::Sweep;
use contract_runtime::{ContractLayer, SpecBundle};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

fn spec() -> SpecBundle {
    contract_runtime::spec!("specs/secured.yaml")
}

/// Handlers that answer whatever comes (authentication is left to the layer), with the
/// response headers the spec declares unless `broken`.
fn handlers(broken: bool) -> Router {
    Router::new()
        .route(
            "/notes",
            get(move || async move {
                let limit = if broken { "lots" } else { "41" };
                ([("x-rate-limit", limit)], Json(json!(["a", "b"])))
            })
            .post(move |Json(_): Json<Value>| async move {
                if broken {
                    StatusCode::CREATED.into_response()
                } else {
                    (StatusCode::CREATED, [(header::LOCATION, "/notes/7")]).into_response()
                }
            }),
        )
        .route(
            "/notes/{id}",
            get(|| async { Json(json!("a note")) }).delete(|| async { StatusCode::NO_CONTENT }),
        )
        .route("/export", get(|| async { Json(json!(["a"])) }))
}

fn app() -> Router {
    handlers(false).layer(ContractLayer::new(spec()))
}

async fn send(app: &Router, request: Request<Body>) -> (StatusCode, HeaderMap, Value) {
    let response = app.clone().oneshot(request).await.unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    (status, headers, body)
}

fn request(method: &str, uri: &str, headers: &[(&str, &str)]) -> Request<Body> {
    let mut builder = Request::builder().method(method).uri(uri);
    for (k, v) in headers {
        builder = builder.header(*k, *v);
    }
    if method == "POST" {
        builder
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(r#"{"text":"hi"}"#))
            .unwrap()
    } else {
        builder.body(Body::empty()).unwrap()
    }
}

#[tokio::test]
async fn a_secured_operation_without_credentials_gets_401_naming_the_scheme() {
    let (status, headers, body) = send(&app(), request("POST", "/notes", &[])).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    // The operation declares its 401 as problem+json with `title` and `status`.
    assert_eq!(headers[header::CONTENT_TYPE], "application/problem+json");
    assert_eq!(headers[header::WWW_AUTHENTICATE], "Bearer");
    assert_eq!(body["status"], 401);
    let detail = body["detail"].as_str().unwrap();
    assert!(
        detail.contains("`bearerAuth` (the `Authorization` header)"),
        "{detail}"
    );
    assert_eq!(body["violations"][0]["rule"], "security");

    let (status, _, _) = send(
        &app(),
        request("POST", "/notes", &[("authorization", "Bearer t")]),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
}

#[tokio::test]
async fn security_is_overridden_per_operation_and_may_be_optional() {
    let app = app();
    // `security: []` on the operation: public, whatever the root says.
    assert_eq!(
        send(&app, request("GET", "/notes", &[])).await.0,
        StatusCode::OK
    );
    // `- apiKey: []` or `- {}`: credentials are optional.
    assert_eq!(
        send(&app, request("GET", "/notes/1", &[])).await.0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn an_alternative_needs_all_its_schemes_and_any_alternative_will_do() {
    let app = app();
    let only_key = send(&app, request("DELETE", "/notes/1", &[("x-api-key", "k")])).await;
    assert_eq!(only_key.0, StatusCode::UNAUTHORIZED, "{}", only_key.2);
    let detail = only_key.2["detail"].as_str().unwrap().to_string();
    assert!(
        detail.contains("`apiKey` (the `X-API-Key` header) and `sid` (the cookie parameter `sid`)"),
        "{detail}"
    );
    // No challenge for API keys: RFC 9110 has none for them.
    assert!(!only_key.1.contains_key(header::WWW_AUTHENTICATE));
    let both = request(
        "DELETE",
        "/notes/1",
        &[("x-api-key", "k"), ("cookie", "theme=dark; sid=abc")],
    );
    assert_eq!(send(&app, both).await.0, StatusCode::NO_CONTENT);
    let empty_cookie = request(
        "DELETE",
        "/notes/1",
        &[("x-api-key", "k"), ("cookie", "sid=")],
    );
    assert_eq!(send(&app, empty_cookie).await.0, StatusCode::UNAUTHORIZED);

    // A query key, or HTTP basic in its place.
    let by_key = send(&app, request("GET", "/export?key=k", &[])).await;
    assert_eq!(by_key.0, StatusCode::OK);
    let by_basic = request("GET", "/export", &[("authorization", "Basic dTpw")]);
    assert_eq!(send(&app, by_basic).await.0, StatusCode::OK);
    let (status, headers, body) = send(&app, request("GET", "/export?other=k", &[])).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // Not declared by the operation: problem+json, with the basic scheme's challenge.
    assert_eq!(headers[header::CONTENT_TYPE], "application/problem+json");
    assert_eq!(headers[header::WWW_AUTHENTICATE], "Basic");
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains(", or `basicAuth`")
    );
}

#[tokio::test]
async fn the_presence_check_goes_with_request_validation() {
    let app = handlers(false).layer(ContractLayer::new(spec()).validate_requests(false));
    assert_eq!(
        send(&app, request("POST", "/notes", &[])).await.0,
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn response_headers_are_validated_with_the_body_in_debug_builds() {
    let app = handlers(true).layer(ContractLayer::new(spec()));
    let created = send(
        &app,
        request("POST", "/notes", &[("authorization", "Bearer t")]),
    )
    .await;
    let listed = send(&app, request("GET", "/notes", &[])).await;
    if cfg!(debug_assertions) {
        let (status, headers, body) = created;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{body}");
        assert_eq!(headers[header::CONTENT_TYPE], "application/problem+json");
        assert_eq!(body["responseStatus"], 201);
        assert_eq!(body["violations"][0]["rule"], "header");
        assert_eq!(
            body["violations"][0]["message"],
            "the required response header `Location` is missing"
        );
        let (status, _, body) = listed;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{body}");
        let violation = &body["violations"][0];
        assert_eq!(violation["rule"], "type", "{violation}");
        assert!(
            violation["message"]
                .as_str()
                .unwrap()
                .starts_with("response header `X-Rate-Limit`:"),
            "{violation}"
        );
    } else {
        assert_eq!(created.0, StatusCode::CREATED);
        assert!(!created.1.contains_key(header::LOCATION));
        assert_eq!(listed.0, StatusCode::OK);
    }
}

#[tokio::test]
async fn declared_response_headers_pass_and_content_type_is_the_media_types_business() {
    let app = handlers(false).layer(ContractLayer::new(spec()).validate_responses(true));
    let (status, headers, body) = send(
        &app,
        request("POST", "/notes", &[("authorization", "Bearer t")]),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(headers[header::LOCATION], "/notes/7");
    // The spec lists `Content-Type: text/csv` under the 200's headers: ignored.
    let (status, _, body) = send(&app, request("GET", "/notes", &[])).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn the_sweep_fails_an_operation_that_serves_requests_without_credentials() {
    // Without request validation nothing refuses a request without credentials.
    let open = handlers(false).layer(ContractLayer::new(spec()).validate_requests(false));
    let report = Sweep::new(open, spec()).cases(2).run().await;
    let security: Vec<_> = report
        .failures
        .iter()
        .filter(|f| f.rule == "security")
        .collect();
    let mut operations: Vec<&str> = security.iter().map(|f| f.operation.as_str()).collect();
    operations.sort();
    assert_eq!(
        operations,
        [
            "createNote (POST /notes)",
            "deleteNote (DELETE /notes/{id})",
            "exportNotes (GET /export)",
        ],
        "{report}"
    );
    assert!(
        security[0].request.ends_with("(without credentials)"),
        "{report}"
    );

    // The presence check refuses them, and the sweep's own requests carry placeholders.
    let report = Sweep::new(app(), spec()).cases(2).run().await;
    report.assert_ok();
}

#[tokio::test]
async fn the_sweep_sends_the_credentials_it_is_given() {
    async fn only_with_token(headers: HeaderMap) -> axum::response::Response {
        if headers
            .get(header::AUTHORIZATION)
            .is_some_and(|v| v == "Bearer s3cret")
        {
            (StatusCode::CREATED, [(header::LOCATION, "/notes/1")]).into_response()
        } else {
            StatusCode::OK.into_response()
        }
    }
    let app = Router::new()
        .route("/notes", axum::routing::post(only_with_token))
        .layer(ContractLayer::new(spec()).validate_responses(true));
    let sweep = || {
        Sweep::new(app.clone(), spec())
            .only(&["createNote"])
            .cases(3)
    };
    let report = sweep().credentials("bearerAuth", "s3cret").run().await;
    report.assert_ok();
    // With the placeholder, the handler answers a 200, which the operation does not declare.
    let report = sweep().run().await;
    assert!(
        report
            .failures
            .iter()
            .any(|f| f.rule == "status" && f.message.contains("status 200 is not declared")),
        "{report}"
    );
}

#[tokio::test]
async fn the_sweep_checks_response_headers() {
    let app = handlers(true).layer(ContractLayer::new(spec()).validate_responses(false));
    let report = Sweep::new(app, spec())
        .cases(1)
        .invalid_requests(false)
        .run()
        .await;
    let rules: Vec<(&str, &str)> = report
        .failures
        .iter()
        .map(|f| (f.operation.as_str(), f.rule.as_str()))
        .collect();
    assert!(
        rules.contains(&("createNote (POST /notes)", "header")),
        "{report}"
    );
    assert!(
        rules.contains(&("listNotes (GET /notes)", "type")),
        "{report}"
    );
}

#[tokio::test]
async fn an_endpoint_outside_the_spec_is_a_violation_in_debug_builds() {
    let app = handlers(false)
        .route("/admin/stats", get(|| async { "42" }))
        .route("/metrics", get(|| async { "up 1" }))
        .route("/internal/{name}", get(|| async { "ok" }))
        .layer(ContractLayer::new(spec()).allow_undeclared(&["/metrics", "/internal/"]));
    let (status, headers, body) = send(&app, request("GET", "/admin/stats", &[])).await;
    if cfg!(debug_assertions) {
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{body}");
        assert_eq!(headers[header::CONTENT_TYPE], "application/problem+json");
        assert_eq!(body["violations"][0]["rule"], "undeclared-endpoint");
        assert_eq!(body["responseStatus"], 200);
        assert!(
            body["detail"]
                .as_str()
                .unwrap()
                .starts_with("GET /admin/stats is served, but the spec declares no such operation"),
            "{body}"
        );
    } else {
        assert_eq!(status, StatusCode::OK);
    }
    // Listed once on the layer: served as they are.
    assert_eq!(
        send(&app, request("GET", "/metrics", &[])).await.0,
        StatusCode::OK
    );
    assert_eq!(
        send(&app, request("GET", "/internal/x", &[])).await.0,
        StatusCode::OK
    );
    // What HTTP implies passes: `HEAD` of a declared `GET`, a CORS preflight.
    let head = send(&app, request("HEAD", "/export?key=k", &[])).await;
    assert_eq!(head.0, StatusCode::OK);
    let preflight = request(
        "OPTIONS",
        "/export",
        &[
            ("origin", "https://example.com"),
            ("access-control-request-method", "GET"),
        ],
    );
    let cors = handlers(false)
        .route("/admin/stats", get(|| async { "42" }))
        .layer(axum::middleware::from_fn(
            |request: axum::extract::Request, next: axum::middleware::Next| async move {
                if request.method() == axum::http::Method::OPTIONS {
                    return StatusCode::NO_CONTENT.into_response();
                }
                next.run(request).await
            },
        ))
        .layer(ContractLayer::new(spec()));
    assert_eq!(send(&cors, preflight).await.0, StatusCode::NO_CONTENT);
    // The router's own answers to what it does not serve pass.
    assert_eq!(
        send(&app, request("GET", "/nowhere", &[])).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        send(&app, request("PUT", "/export", &[])).await.0,
        StatusCode::METHOD_NOT_ALLOWED
    );
}
