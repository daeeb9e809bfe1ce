//! Real-spec idioms at run time: what the compile-time checks accept, response validation
//! (debug builds) accepts too, and still tells apart what breaks the schema.

use axum::Json;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use contract_runtime::{Schema, contract, routes};
use http_body_util::BodyExt;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tower::ServiceExt;

#[derive(Serialize, Deserialize, Schema)]
#[schema(spec = "specs/idioms.yaml")]
struct User {
    gid: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
}

#[derive(Serialize, Deserialize, Schema)]
#[schema(spec = "specs/idioms.yaml")]
struct StoryBase {
    text: Option<String>,
}

#[derive(Serialize, Schema)]
#[schema(spec = "specs/idioms.yaml")]
struct StoryResponse {
    gid: String,
    created_by: Option<User>,
    assignee: User,
    #[serde(skip_serializing_if = "Option::is_none")]
    story: Option<StoryBase>,
}

/// `created_by` is `allOf: [{$ref: User}, {nullable: true}]`: null when the story says so.
#[contract("createStory", spec = "specs/idioms.yaml")]
async fn create_story(Json(story): Json<StoryBase>) -> (StatusCode, Json<StoryResponse>) {
    let assignee = User {
        gid: "1".into(),
        name: None,
    };
    let created_by = (story.text.as_deref() == Some("by me")).then(|| User {
        gid: "2".into(),
        name: Some("me".into()),
    });
    let response = StoryResponse {
        gid: "3".into(),
        created_by,
        assignee,
        story: Some(story),
    };
    (StatusCode::CREATED, Json(response))
}

/// The response's media type has no schema: any JSON.
#[contract("find pet by id", spec = "specs/idioms.yaml")]
async fn find_pet(axum::extract::Path(id): axum::extract::Path<i64>) -> Json<Value> {
    Json(json!([id, {"any": "thing"}]))
}

async fn send(app: &axum::Router, request: Request<Body>) -> (StatusCode, Value) {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn nullable_references_and_schemaless_media_types_pass_response_validation() {
    let app: axum::Router = routes!(partial, spec = "specs/idioms.yaml"; create_story, find_pet);
    let post = |text: &str| {
        Request::post("/stories")
            .header("content-type", "application/json")
            .body(Body::from(json!({ "text": text }).to_string()))
            .unwrap()
    };
    let (status, body) = send(&app, post("by someone")).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["created_by"], Value::Null);
    let (status, body) = send(&app, post("by me")).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["created_by"]["gid"], "2");
    let (status, body) = send(&app, Request::get("/pets/7").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body[0], 7);
}
