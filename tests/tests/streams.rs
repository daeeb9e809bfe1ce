//! Streamed responses: never read whole (an endless SSE stream still flows), and with 3.2's
//! `itemSchema` each item checked as it passes, in debug builds: the first item that breaks it
//! is reported in the stream's own form, after which the stream ends. Release builds pass
//! streams through (this test also runs with `--release` in CI).

use std::convert::Infallible;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{Request, StatusCode, header};
use axum::response::IntoResponse;
use axum::response::sse::{Event, Sse};
use axum::{Json, Router};
use contract_runtime::{Schema, contract, routes};
use futures_util::stream;
use http_body_util::BodyExt;
use serde::Serialize;
use serde_json::{Value, json};
use tower::ServiceExt;

#[derive(Serialize, Schema)]
#[schema(spec = "specs/streams.yaml")]
struct Price {
    symbol: String,
    amount: f64,
}

#[contract("streamPrices", spec = "specs/streams.yaml")]
async fn stream_prices() -> Sse<impl futures_util::Stream<Item = Result<Event, Infallible>>> {
    let amounts = [10.0, 11.5, -3.0, 12.0, 13.0];
    Sse::new(stream::iter(amounts.map(|amount| {
        let price = json!({"symbol": "ACME", "amount": amount});
        Ok(Event::default().event("price").data(price.to_string()))
    })))
}

#[contract("streamLogs", spec = "specs/streams.yaml")]
async fn stream_logs() -> impl IntoResponse {
    let lines = [
        r#"{"level":"info","message":"up"}"#,
        r#"{"level":"debug","message":"noise"}"#,
        r#"{"level":"warn","message":"slow"}"#,
    ];
    let body = Body::from_stream(stream::iter(
        lines.map(|l| Ok::<_, Infallible>(Bytes::from(format!("{l}\n")))),
    ));
    ([(header::CONTENT_TYPE, "application/jsonl")], body)
}

#[contract("streamTicks", spec = "specs/streams.yaml")]
async fn stream_ticks() -> Sse<impl futures_util::Stream<Item = Result<Event, Infallible>>> {
    Sse::new(stream::repeat_with(|| Ok(Event::default().data("tick"))))
}

#[contract("snapshot", spec = "specs/streams.yaml")]
async fn snapshot() -> Json<Price> {
    Json(Price {
        symbol: "ACME".into(),
        amount: 1.0,
    })
}

fn app() -> Router {
    routes!(spec = "specs/streams.yaml"; stream_prices, stream_logs, stream_ticks, snapshot)
}

async fn body_of(uri: &str) -> String {
    let response = app()
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = tokio::time::timeout(Duration::from_secs(5), response.into_body().collect())
        .await
        .expect("the stream ends")
        .unwrap()
        .to_bytes();
    String::from_utf8(bytes.to_vec()).unwrap()
}

#[tokio::test]
async fn the_event_that_breaks_item_schema_is_reported_at_that_event() {
    let text = body_of("/prices").await;
    let events: Vec<&str> = text.split("\n\n").filter(|e| !e.is_empty()).collect();
    if cfg!(debug_assertions) {
        // Three events pass (the third is the bad one), then the report, then the end.
        assert_eq!(events.len(), 4, "{text}");
        assert!(events[2].contains("\"amount\":-3.0"), "{text}");
        let report = events[3]
            .strip_prefix("event: contract-violation\ndata: ")
            .expect("a contract-violation event");
        let problem: Value = serde_json::from_str(report).unwrap();
        assert_eq!(problem["item"], 3);
        assert_eq!(problem["violations"][0]["pointer"], "/data/amount");
        assert_eq!(problem["violations"][0]["rule"], "minimum");
        assert!(
            problem["detail"]
                .as_str()
                .unwrap()
                .starts_with("item 3 of the streamPrices")
        );
    } else {
        assert_eq!(
            events.len(),
            5,
            "release builds pass streams through: {text}"
        );
    }
}

#[tokio::test]
async fn json_lines_are_checked_line_by_line() {
    let text = body_of("/logs").await;
    let lines: Vec<&str> = text.lines().collect();
    if cfg!(debug_assertions) {
        assert_eq!(lines.len(), 3, "{text}");
        let problem: Value = serde_json::from_str(lines[2]).unwrap();
        assert_eq!(problem["item"], 2);
        assert_eq!(problem["violations"][0]["pointer"], "/level");
    } else {
        assert_eq!(lines.len(), 3);
        assert!(lines[2].contains("slow"));
    }
}

#[tokio::test]
async fn an_endless_stream_flows_under_validation() {
    let response = app()
        .oneshot(Request::get("/ticks").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let mut body = response.into_body();
    let mut seen = String::new();
    while seen.matches("data: tick").count() < 3 {
        let frame = tokio::time::timeout(Duration::from_secs(5), body.frame())
            .await
            .expect("events arrive while the stream goes on")
            .unwrap()
            .unwrap();
        if let Ok(data) = frame.into_data() {
            seen.push_str(&String::from_utf8_lossy(&data));
        }
    }
}

#[tokio::test]
async fn the_sweep_reads_the_start_of_streams_and_reports_their_items() {
    let report =
        contract_runtime::testing::Sweep::new(app(), contract_runtime::spec!("specs/streams.yaml"))
            .cases(1)
            .run()
            .await;
    let mut rules: Vec<(&str, &str)> = report
        .failures
        .iter()
        .map(|f| (f.operation.as_str(), f.rule.as_str()))
        .collect();
    rules.sort();
    if cfg!(debug_assertions) {
        assert_eq!(
            rules,
            [
                ("streamLogs (GET /logs)", "enum"),
                ("streamPrices (GET /prices)", "minimum"),
            ],
            "{report}"
        );
    } else {
        assert!(rules.is_empty(), "{report}");
    }
}
