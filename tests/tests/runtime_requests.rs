//! Request validation (on by default, any build): a bad request gets 400, 413, 415 or 422 with a
//! problem+json body, never a 500 or a panic.

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::routing::get;
use axum::{Json, Router};
use contract_runtime::{ContractLayer, OnViolation};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

fn app(spec: contract_runtime::SpecBundle) -> Router {
    Router::new()
        .route(
            "/pets",
            get(|| async { Json(json!([])) }).post(|Json(mut pet): Json<Value>| async move {
                pet["id"] = json!(7);
                (StatusCode::CREATED, Json(pet))
            }),
        )
        .route(
            "/pets/{petId}",
            get(|| async { Json(json!({"id": 1, "name": "rex", "status": "sold"})) }),
        )
        .layer(
            ContractLayer::new(spec)
                .validate_requests(true)
                .validate_responses(true)
                .on_violation(OnViolation::Respond)
                .body_limit(256),
        )
}

async fn send(app: &Router, request: Request<Body>) -> (StatusCode, Value) {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

fn get_req(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).unwrap()
}

fn post(body: &str, content_type: &str) -> Request<Body> {
    Request::post("/pets")
        .header("content-type", content_type)
        .body(Body::from(body.to_string()))
        .unwrap()
}

fn rule(body: &Value) -> &str {
    body["violations"][0]["rule"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn bad_requests_get_4xx_problems() {
    for app in [
        app(contract_runtime::spec!("specs/runtime.yaml")),
        app(contract_runtime::spec!("specs/runtime31.yaml")),
    ] {
        assert_eq!(
            send(&app, get_req("/pets?kind=cat&limit=5&tags=a&tags=b"))
                .await
                .0,
            StatusCode::OK
        );

        let (status, body) = send(&app, get_req("/pets")).await;
        assert_eq!(
            (status, rule(&body)),
            (StatusCode::BAD_REQUEST, "required"),
            "{body}"
        );
        let (status, body) = send(&app, get_req("/pets?kind=cow")).await;
        assert_eq!(
            (status, rule(&body)),
            (StatusCode::BAD_REQUEST, "enum"),
            "{body}"
        );
        let (status, body) = send(&app, get_req("/pets?kind=cat&limit=abc")).await;
        assert_eq!(
            (status, rule(&body)),
            (StatusCode::BAD_REQUEST, "type"),
            "{body}"
        );
        let (status, body) = send(&app, get_req("/pets?kind=cat&limit=0")).await;
        assert_eq!(
            (status, rule(&body)),
            (StatusCode::BAD_REQUEST, "minimum"),
            "{body}"
        );
        let (status, body) = send(&app, get_req("/pets?kind=cat&tags=a&tags=toolong")).await;
        assert_eq!(
            (status, rule(&body)),
            (StatusCode::BAD_REQUEST, "maxLength"),
            "{body}"
        );
        assert_eq!(body["violations"][0]["pointer"], "/1");
        // `showPet` declares no 400: its 404 is the nearest client error it declares, with
        // the `Error` body it declares (`message`) and the problem's members beside it.
        let (status, body) = send(&app, get_req("/pets/0")).await;
        assert_eq!(
            (status, rule(&body)),
            (StatusCode::NOT_FOUND, "minimum"),
            "{body}"
        );
        assert_eq!(body["operation"], "showPet");
        assert_eq!(
            body["message"], "the request's parameters do not match the OpenAPI contract",
            "{body}"
        );
        assert_eq!(
            send(&app, get_req("/pets/abc")).await.0,
            StatusCode::NOT_FOUND
        );

        // `id` is readOnly: not required in a request.
        let (status, body) = send(
            &app,
            post(
                r#"{"name": "rex", "status": "sold", "tag": null}"#,
                "application/json",
            ),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        // A repeated key is refused by the validator, not passed on for the extractor (serde's
        // derived `Deserialize` rejects a duplicate field with a 422 of axum's own).
        for duplicated in [
            r#"{"name": "rex", "status": "sold", "name": "max"}"#,
            r#"{"name": "rex", "status": "sold", "tag": "a", "tag": "b"}"#,
        ] {
            let (status, body) = send(&app, post(duplicated, "application/json")).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
            assert!(
                body["detail"]
                    .as_str()
                    .unwrap_or_default()
                    .contains("appears twice"),
                "{body}"
            );
        }
        let (status, body) = send(&app, post(r#"{"name": "Rex1"}"#, "application/json")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let rules: Vec<&str> = body["violations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["rule"].as_str().unwrap())
            .collect();
        assert!(
            rules.contains(&"pattern") && rules.contains(&"required"),
            "{body}"
        );
        assert_eq!(
            send(&app, post("{not json", "application/json")).await.0,
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            send(&app, post("", "application/json")).await.0,
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            send(&app, post("name=rex", "text/plain")).await.0,
            StatusCode::UNSUPPORTED_MEDIA_TYPE
        );
        let big = format!(r#"{{"name": "{}"}}"#, "a".repeat(300));
        assert_eq!(
            send(&app, post(&big, "application/json")).await.0,
            StatusCode::PAYLOAD_TOO_LARGE
        );
    }
}

#[tokio::test]
async fn a_spec_pattern_cannot_hang_a_request() {
    let app = app(contract_runtime::spec!("specs/runtime.yaml"));
    let ok = Request::get("/pets?kind=cat")
        .header("x-trace", "aaaa")
        .body(Body::empty())
        .unwrap();
    assert_eq!(send(&app, ok).await.0, StatusCode::OK);
    // `^(a+)+$` backtracks exponentially on this input in a backtracking engine.
    let evil = format!("{}!", "a".repeat(4096));
    let started = Instant::now();
    let bad = Request::get("/pets?kind=cat")
        .header("x-trace", evil)
        .body(Body::empty())
        .unwrap();
    let (status, body) = send(&app, bad).await;
    assert_eq!(
        (status, rule(&body)),
        (StatusCode::BAD_REQUEST, "pattern"),
        "{body}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "took {:?}",
        started.elapsed()
    );
}
