//! Response validation as `routes!` sets it up: on in builds with `debug_assertions`, absent in
//! release builds. CI runs this file in both profiles.

use axum::Json;
use axum::body::Body;
use axum::extract::Path;
use axum::http::{Request, StatusCode};
use axum::response::IntoResponse;
use contract_runtime::{contract, routes};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

/// Answers with a different (mostly wrong) body per id, through an opaque return type that
/// the compile-time checks cannot see into.
#[contract("showPet", spec = "specs/runtime.yaml")]
async fn show_pet(Path(pet_id): Path<i64>) -> impl IntoResponse {
    match pet_id {
        1 => Json(json!({"id": 1, "name": "rex", "status": "available", "tag": null}))
            .into_response(),
        2 => Json(json!({"id": 2, "name": "rex", "status": "sold-out"})).into_response(),
        3 => (StatusCode::ACCEPTED, Json(json!({"message": "queued"}))).into_response(),
        4 => "plain text".into_response(),
        5 => Json(json!({"id": 5, "name": "rex", "status": "sold", "secret": "hunter2"}))
            .into_response(),
        6 => Json(json!({"id": 6, "name": "rex", "status": "sold", "weight": 0})).into_response(),
        _ => (
            StatusCode::NOT_FOUND,
            Json(json!({"message": "no such pet"})),
        )
            .into_response(),
    }
}

#[contract("showPet", spec = "specs/runtime31.yaml")]
async fn show_pet_31(Path(pet_id): Path<i64>) -> impl IntoResponse {
    show_pet(Path(pet_id)).await
}

async fn get(app: &axum::Router, uri: &str) -> (StatusCode, String, Value) {
    send(app, Request::get(uri)).await
}

async fn head(app: &axum::Router, uri: &str) -> StatusCode {
    send(app, Request::head(uri)).await.0
}

async fn send(
    app: &axum::Router,
    request: axum::http::request::Builder,
) -> (StatusCode, String, Value) {
    let response = app
        .clone()
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let ct = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let body = serde_json::from_slice(&bytes)
        .unwrap_or(Value::String(String::from_utf8_lossy(&bytes).into()));
    (status, ct, body)
}

fn assert_violation(result: &(StatusCode, String, Value), status: u16, pointer: &str, rule: &str) {
    let (code, ct, body) = result;
    assert_eq!(*code, StatusCode::INTERNAL_SERVER_ERROR, "{body}");
    assert_eq!(ct, "application/problem+json");
    assert_eq!(body["operation"], "showPet");
    assert_eq!(body["responseStatus"], status);
    assert_eq!(body["status"], 500);
    let v = &body["violations"][0];
    assert_eq!(v["pointer"], pointer, "{body}");
    assert_eq!(v["rule"], rule, "{body}");
    assert!(
        v["schemaPath"]
            .as_str()
            .unwrap()
            .contains("GET /pets/{petId}"),
        "{body}"
    );
}

#[tokio::test]
async fn debug_builds_catch_invalid_responses_and_release_builds_pass_them_through() {
    for app in [
        routes!(partial, spec = "specs/runtime.yaml"; show_pet),
        routes!(partial, spec = "specs/runtime31.yaml"; show_pet_31),
    ] {
        let ok = get(&app, "/pets/1").await;
        assert_eq!(
            ok.0,
            StatusCode::OK,
            "a valid body (tag: null is nullable) passes: {}",
            ok.2
        );
        assert_eq!(get(&app, "/pets/404").await.0, StatusCode::NOT_FOUND);

        let enum_broken = get(&app, "/pets/2").await;
        let teapot = get(&app, "/pets/3").await;
        // A malformed id is refused before the handler, with the client error `showPet`
        // declares (404, no 400), never a 500.
        assert_eq!(get(&app, "/pets/abc").await.0, StatusCode::NOT_FOUND);
        let text = get(&app, "/pets/4").await;
        let write_only = get(&app, "/pets/5").await;
        let exclusive = get(&app, "/pets/6").await;
        // A HEAD response sends no body, so only its status and media type are checked.
        assert_eq!(head(&app, "/pets/1").await, StatusCode::OK);
        assert_eq!(head(&app, "/pets/2").await, StatusCode::OK);
        let head_teapot = head(&app, "/pets/3").await;
        if cfg!(debug_assertions) {
            assert_eq!(head_teapot, StatusCode::INTERNAL_SERVER_ERROR);
            assert_violation(&enum_broken, 200, "/status", "enum");
            assert_violation(&teapot, 202, "", "status");
            assert_violation(&text, 200, "", "content-type");
            assert_violation(&write_only, 200, "/secret", "writeOnly");
            assert_violation(&exclusive, 200, "/weight", "exclusiveMinimum");
        } else {
            assert_eq!(head_teapot, StatusCode::ACCEPTED);
            assert_eq!(enum_broken.0, StatusCode::OK);
            assert_eq!(
                enum_broken.2["status"], "sold-out",
                "release passes the body through untouched"
            );
            assert_eq!(teapot.0, StatusCode::ACCEPTED);
            assert_eq!(text.2, "plain text");
            assert_eq!(
                contract_runtime::validations_performed(),
                0,
                "release builds validate nothing"
            );
        }
    }
}
