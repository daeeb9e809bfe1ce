//! OpenAPI 3.2 at run time: `routes!` mounts a `query` operation and one of
//! `additionalOperations` (axum has no filter for either: the path's fallback serves them and
//! answers other methods with 405), and request validation reads the `QUERY` body.

use axum::body::Body;
use axum::extract::Path;
use axum::http::{Request, StatusCode, header};
use axum::{Json, Router};
use contract_runtime::{Schema, contract, routes};
use http_body_util::BodyExt;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tower::ServiceExt;

#[derive(Deserialize, Schema)]
#[schema(spec = "specs/v32.yaml")]
struct FlightQuery {
    origin: String,
    passengers: Option<u32>,
}

#[derive(Serialize, Schema)]
#[schema(spec = "specs/v32.yaml")]
struct Flight {
    number: String,
}

#[contract("searchFlights", spec = "specs/v32.yaml")]
async fn search_flights(Json(query): Json<FlightQuery>) -> Json<Vec<Flight>> {
    let number = format!("{}{}", query.origin, query.passengers.unwrap_or(1));
    Json(vec![Flight { number }])
}

#[contract("listSearches", spec = "specs/v32.yaml")]
async fn list_searches() -> Json<Vec<String>> {
    Json(vec!["ATL".into()])
}

#[contract("purgeFlight", spec = "specs/v32.yaml")]
async fn purge_flight(Path(id): Path<String>) -> StatusCode {
    let _ = id;
    StatusCode::NO_CONTENT
}

#[contract("flightStatus", spec = "specs/v32.yaml")]
async fn flight_status() -> StatusCode {
    StatusCode::OK
}

fn app() -> Router {
    routes!(spec = "specs/v32.yaml"; search_flights, list_searches, purge_flight, flight_status)
}

async fn send(method: &str, uri: &str, body: Option<&str>) -> (StatusCode, String, Value) {
    let mut request = Request::builder().method(method).uri(uri);
    let body = match body {
        Some(text) => {
            request = request.header(header::CONTENT_TYPE, "application/json");
            Body::from(text.to_string())
        }
        None => Body::empty(),
    };
    let response = app().oneshot(request.body(body).unwrap()).await.unwrap();
    let status = response.status();
    let allow = response
        .headers()
        .get(header::ALLOW)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        allow,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn query_is_routed_beside_get_and_validated() {
    let (status, _, body) = send(
        "QUERY",
        "/flights/search",
        Some(r#"{"origin":"ATL","passengers":2}"#),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body, serde_json::json!([{"number": "ATL2"}]));
    // The same path's GET is its own operation.
    let (status, _, body) = send("GET", "/flights/search", None).await;
    assert_eq!((status, body), (StatusCode::OK, serde_json::json!(["ATL"])));
    // The QUERY body is validated like any other.
    let (status, _, body) = send("QUERY", "/flights/search", Some(r#"{"origin":"ATLANTA"}"#)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["violations"][0]["pointer"], "/origin");
    // A method the path does not serve.
    let (status, allow, _) = send("DELETE", "/flights/search", None).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(allow, "QUERY");
}

#[tokio::test]
async fn an_additional_operation_is_routed_and_other_methods_get_405() {
    let (status, _, _) = send("PURGE", "/flights/BA1", None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, allow, _) = send("GET", "/flights/BA1", None).await;
    assert_eq!(
        (status, allow.as_str()),
        (StatusCode::METHOD_NOT_ALLOWED, "PURGE")
    );
    // Methods are case-sensitive in HTTP.
    let (status, _, _) = send("purge", "/flights/BA1", None).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn the_sweep_drives_query_operations() {
    let report =
        contract_runtime::testing::Sweep::new(app(), contract_runtime::spec!("specs/v32.yaml"))
            .cases(5)
            .run()
            .await;
    report.assert_ok();
    assert_eq!(report.operations, 4);
}
