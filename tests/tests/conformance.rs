//! Conformance by default: `routes!` and `ContractLayer` validate requests in every build,
//! refuse values the handler's Rust types cannot hold before the extractors see them, and
//! answer whatever an extractor still rejects in the operation's declared error form.

use axum::body::Body;
use axum::extract::{FromRequestParts, Path, Query};
use axum::http::request::Parts;
use axum::http::{Request, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use contract_runtime::{ContractLayer, Schema, contract, routes};
use http_body_util::BodyExt;
use serde::Deserialize;
use serde_json::{Value, json};
use tower::ServiceExt;

#[derive(Deserialize, Schema)]
#[schema(spec = "specs/conformance.yaml")]
struct ListParams {
    page: Option<i64>,
    price: Option<f32>,
}

#[contract("listEvents", spec = "specs/conformance.yaml")]
async fn list_events(Query(params): Query<ListParams>) -> Json<Vec<i64>> {
    Json(vec![
        params.page.unwrap_or(0),
        params.price.unwrap_or(0.0) as i64,
    ])
}

#[derive(Deserialize, Schema)]
#[schema(spec = "specs/conformance.yaml")]
struct NewEvent {
    name: String,
    seats: u8,
}

#[contract("createEvent", spec = "specs/conformance.yaml")]
async fn create_event(Json(event): Json<NewEvent>) -> StatusCode {
    let _ = (event.name, event.seats);
    StatusCode::CREATED
}

#[contract("showEvent", spec = "specs/conformance.yaml")]
async fn show_event(Path(id): Path<i64>) -> Json<i64> {
    Json(id)
}

/// A custom extractor the validator knows nothing of, rejecting with axum's usual text/plain.
struct Ticket(String);

impl<S: Send + Sync> FromRequestParts<S> for Ticket {
    type Rejection = axum::response::Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path(code) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        if code.starts_with("T-") {
            Ok(Ticket(code))
        } else {
            Err((StatusCode::UNPROCESSABLE_ENTITY, "not a ticket code").into_response())
        }
    }
}

#[contract("showTicket", spec = "specs/conformance.yaml")]
async fn show_ticket(ticket: Ticket) -> StatusCode {
    let _ = ticket.0;
    StatusCode::OK
}

fn app() -> Router {
    routes!(spec = "specs/conformance.yaml"; list_events, create_event, show_event, show_ticket)
}

async fn send(app: &Router, request: Request<Body>) -> (StatusCode, String, Value) {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        content_type,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

fn get_request(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).unwrap()
}

fn post(uri: &str, body: &str) -> Request<Body> {
    Request::post(uri)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap()
}

fn rules(body: &Value) -> Vec<&str> {
    body["violations"]
        .as_array()
        .map(|vs| vs.iter().filter_map(|v| v["rule"].as_str()).collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn values_the_rust_types_cannot_hold_are_refused_by_the_validator() {
    let app = app();
    let (status, media, body) = send(&app, get_request("/events?page=3&price=2.5")).await;
    assert_eq!(
        (status, media.as_str()),
        (StatusCode::OK, "application/json")
    );
    assert_eq!(body, json!([3, 2]));

    // Integers to the spec (`type: integer` has no bound), but past `i64`.
    for page in ["-8760701025953326825472", "9223372036854775808"] {
        let (status, media, body) = send(&app, get_request(&format!("/events?page={page}"))).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(media, "application/problem+json");
        assert_eq!(rules(&body), ["rust-type"], "{body}");
        let message = body["violations"][0]["message"].as_str().unwrap();
        assert!(
            message.contains("`page`") && message.contains("`i64`"),
            "{message}"
        );
    }
    // `format: float` says nothing of range; an `f32` holds at most 3.4e38.
    let (status, _, body) = send(&app, get_request("/events?price=2.75e73")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(rules(&body), ["rust-type"], "{body}");
    assert!(
        body["violations"][0]["message"]
            .as_str()
            .unwrap()
            .contains("`f32`"),
        "{body}"
    );

    // A path parameter past `i64`.
    let (status, _, body) = send(&app, get_request("/events/99999999999999999999")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(rules(&body), ["rust-type"], "{body}");

    // A body field past `u8`, at its pointer; 400 because the operation declares no 422.
    let (status, media, body) = send(&app, post("/events", r#"{"name":"gala","seats":300}"#)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(media, "application/problem+json");
    assert_eq!(rules(&body), ["rust-type"], "{body}");
    assert_eq!(body["violations"][0]["pointer"], "/seats", "{body}");
    assert!(
        body["violations"][0]["message"]
            .as_str()
            .unwrap()
            .contains("u8"),
        "{body}"
    );
    let (status, _, _) = send(&app, post("/events", r#"{"name":"gala","seats":200}"#)).await;
    assert_eq!(status, StatusCode::CREATED);
    // `200.0` is an integer to the spec; the handler gets it as `200`, which its `u8` reads.
    let (status, _, body) = send(&app, post("/events", r#"{"name":"gala","seats":200.0}"#)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, _, body) = send(&app, post("/events", r#"{"name":"gala","seats":300.0}"#)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
}

#[tokio::test]
async fn spec_violations_get_the_declared_status_and_form() {
    let app = app();
    // A body breaking the schema is a 422 where declared; `createEvent` declares 400 only.
    let (status, media, body) = send(&app, post("/events", r#"{"name":"gala"}"#)).await;
    assert_eq!(
        (status, media.as_str()),
        (StatusCode::BAD_REQUEST, "application/problem+json")
    );
    assert_eq!(rules(&body), ["required"], "{body}");
    assert_eq!(body["status"], 400, "{body}");
    // An undeclared media type is a 415 where declared, else the declared 400.
    let request = Request::post("/events")
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Body::from("gala"))
        .unwrap();
    let (status, media, _) = send(&app, request).await;
    assert_eq!(
        (status, media.as_str()),
        (StatusCode::BAD_REQUEST, "application/problem+json")
    );
    // A malformed path parameter never reaches the handler.
    let (status, _, body) = send(&app, get_request("/events/abc")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(rules(&body), ["type"], "{body}");
}

#[tokio::test]
async fn an_extractor_rejection_is_answered_in_the_declared_form() {
    let app = app();
    let (status, _, _) = send(&app, get_request("/tickets/T-1")).await;
    assert_eq!(status, StatusCode::OK);
    // The custom extractor's text/plain 422 is not declared: `showTicket` declares a 404 with
    // an `Error` body (`code`, `message`, nothing else), the nearest client error it has.
    let (status, media, body) = send(&app, get_request("/tickets/nope")).await;
    assert_eq!(
        (status, media.as_str()),
        (StatusCode::NOT_FOUND, "application/json"),
        "{body}"
    );
    assert!(body["code"].is_i64(), "{body}");
    assert_eq!(body["message"], "not a ticket code", "{body}");
    assert_eq!(body.as_object().map(|o| o.len()), Some(2), "{body}");
}

#[tokio::test]
async fn a_layer_validates_requests_by_default_and_answers_rejections_in_form() {
    let spec = contract_runtime::spec!("specs/conformance.yaml");
    let router = || Router::new().route("/events/{eventId}", get(show_event));
    let layered = router().layer(ContractLayer::new(spec));
    let (status, media, body) = send(&layered, get_request("/events/abc")).await;
    assert_eq!(
        (status, media.as_str()),
        (StatusCode::BAD_REQUEST, "application/problem+json")
    );
    assert_eq!(rules(&body), ["type"], "{body}");

    // Opted out: axum's `Path` rejects it, with a text/plain 400 the layer puts in the
    // declared form (RFC 9457's members; the extractor's text as `detail`).
    let opted_out = router().layer(ContractLayer::new(spec).validate_requests(false));
    let (status, media, body) = send(&opted_out, get_request("/events/abc")).await;
    assert_eq!(
        (status, media.as_str()),
        (StatusCode::BAD_REQUEST, "application/problem+json")
    );
    assert_eq!(body["status"], 400, "{body}");
    assert!(
        body["title"].is_string() && body["type"].is_string(),
        "{body}"
    );
    assert!(body["detail"].as_str().unwrap().contains("parse"), "{body}");
    assert!(rules(&body).is_empty(), "{body}");
}

#[contract("createEvent", spec = "specs/conformance.yaml")]
async fn create_any_event(Json(event): Json<Value>) -> StatusCode {
    let _ = event;
    StatusCode::CREATED
}

#[tokio::test]
async fn routes_opts_out_of_request_validation() {
    let unchecked: Router = routes!(validate_requests = false, partial, spec = "specs/conformance.yaml"; create_any_event);
    let checked: Router = routes!(partial, spec = "specs/conformance.yaml"; create_any_event);
    let breaking = r#"{"name":"gala"}"#;
    assert_eq!(
        send(&unchecked, post("/events", breaking)).await.0,
        StatusCode::CREATED
    );
    assert_eq!(
        send(&checked, post("/events", breaking)).await.0,
        StatusCode::BAD_REQUEST
    );

    // Opted out, the `Json<NewEvent>` extractor refuses the body with axum's text/plain 422,
    // which `createEvent` does not declare: answered as its declared 400 problem+json.
    let typed: Router =
        routes!(validate_requests = false, partial, spec = "specs/conformance.yaml"; create_event);
    let (status, media, body) = send(&typed, post("/events", breaking)).await;
    assert_eq!(
        (status, media.as_str()),
        (StatusCode::BAD_REQUEST, "application/problem+json")
    );
    assert_eq!(body["status"], 400, "{body}");
    assert!(body["detail"].as_str().unwrap().contains("seats"), "{body}");
}
