//! The test sweep (`contract_runtime::testing`) names the rule a handler broke, also where the
//! spec declares server errors of its own.

use axum::Json;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use contract_runtime::testing::Sweep;
use contract_runtime::{contract, routes};

/// Answers 201, which `getJob` does not declare, through `impl IntoResponse` (which the
/// compile-time checks accept).
#[contract("getJob", spec = "specs/server-errors.yaml")]
async fn get_job(Path(id): Path<i64>) -> impl IntoResponse {
    (StatusCode::CREATED, Json(serde_json::json!({ "id": id })))
}

#[tokio::test]
async fn a_violation_is_reported_as_itself_where_5xx_is_declared() {
    let app: axum::Router = routes!(spec = "specs/server-errors.yaml"; get_job);
    let report = Sweep::new(app, contract_runtime::spec!("specs/server-errors.yaml"))
        .cases(2)
        .invalid_requests(false)
        .run()
        .await;
    assert!(!report.is_ok(), "the undeclared status must be reported");
    for failure in &report.failures {
        // Debug builds: `routes!`' layer turns the response into a 500 problem+json, which
        // the declared `5XX` does not describe; the sweep reports the status the handler sent,
        // not the problem's media type. Release builds: the sweep's own check finds it.
        assert_eq!(failure.rule, "status", "{failure:?}");
        assert!(
            failure.message.contains("status 201 is not declared"),
            "{failure:?}"
        );
        assert!(!failure.message.contains("at ``"), "{failure:?}");
    }
}

/// Echoes the booking it is sent.
#[contract("createBooking", spec = "specs/sweep-formats.yaml")]
async fn create_booking(
    Json(booking): Json<serde_json::Value>,
) -> (StatusCode, Json<serde_json::Value>) {
    (StatusCode::CREATED, Json(booking))
}

/// `day` is `{$ref: Day, description}` (bundled as `allOf: [{$ref}, {description}]`): the
/// generated requests keep `Day`'s `format: date`, so the echoed responses conform. A value
/// made up for the description alone ("abc") broke them.
#[tokio::test]
async fn generated_values_keep_a_referenced_format() {
    let app: axum::Router = routes!(spec = "specs/sweep-formats.yaml"; create_booking);
    let report = Sweep::new(app, contract_runtime::spec!("specs/sweep-formats.yaml"))
        .cases(20)
        .invalid_requests(false)
        .run()
        .await;
    assert!(report.requests >= 20);
    report.assert_ok();
}
