//! The closed loop: the spec that the compiler enforces also generates the tests.

use axum::Json;
use axum::body::Body;
use axum::extract::Path;
use axum::http::Request;
use axum::response::IntoResponse;
use contract_runtime::testing::Sweep;
use contract_runtime::{contract, routes};
use serde_json::json;
use tower::ServiceExt;

/// Every operation of the petstore, with examples and generated inputs, answers per the spec;
/// invalid requests never get a 5xx.
#[tokio::test]
async fn petstore_conforms_to_its_spec() {
    let report = Sweep::new(petstore::app(), contract_runtime::spec!())
        .cases(25)
        .path_value("petId", 1)
        .path_value("ownerId", "ann")
        .credentials("bearerAuth", "staff-token")
        .setup(|app| async move {
            let create = Request::post("/pets")
                .header("content-type", "application/json")
                .body(Body::from(r#"{"name": "rex", "owner": "ann"}"#))
                .unwrap();
            let response = app.oneshot(create).await.unwrap();
            assert_eq!(response.status(), 201, "setup creates pet 1");
        })
        .run()
        .await;
    println!("{report}");
    assert_eq!(report.operations, 8);
    assert!(report.requests >= 8 * 25);
    report.assert_ok();
}

/// A handler that answers with an enum value outside the spec, through `impl IntoResponse`
/// (which the compile-time checks accept): the sweep catches it.
#[contract("showPetById")]
async fn broken_show_pet(Path(pet_id): Path<i64>) -> impl IntoResponse {
    Json(json!({"id": pet_id, "name": "rex", "status": "sold-out"}))
}

#[tokio::test]
async fn the_sweep_catches_a_broken_handler() {
    let app: axum::Router = routes!(partial; broken_show_pet);
    let report = Sweep::new(app, contract_runtime::spec!())
        .only(&["showPetById"])
        .cases(3)
        .invalid_requests(false)
        .run()
        .await;
    assert_eq!(report.operations, 1);
    assert!(!report.is_ok(), "the broken handler must be reported");
    let failure = &report.failures[0];
    assert_eq!(failure.operation, "showPetById (GET /pets/{petId})");
    // Debug builds: `routes!`'s layer turns the violation into a 500 problem, which the sweep
    // reads; release builds: the sweep's own validation finds it. Same rule and place.
    assert_eq!(failure.rule, "enum", "{failure:?}");
    assert!(failure.message.contains("/status"), "{failure:?}");
    assert_eq!(
        failure.status,
        if cfg!(debug_assertions) { 500 } else { 200 }
    );
}
