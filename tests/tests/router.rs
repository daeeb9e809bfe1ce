//! `routes!` mounts each handler at its spec method and path, merging methods on one path.

use axum::body::Body;
use axum::extract::Path;
use axum::http::{Method, Request, StatusCode};
use contract_runtime::{contract, routes};
use http_body_util::BodyExt;
use tower::ServiceExt;

#[contract("listPets")]
async fn list_pets() -> axum::Json<Vec<serde_json::Value>> {
    axum::Json(Vec::new())
}

#[contract("createPet")]
async fn create_pet(axum::Json(_pet): axum::Json<serde_json::Value>) -> StatusCode {
    StatusCode::CREATED
}

#[contract("showPetById")]
async fn show_pet(Path(pet_id): Path<i64>) -> axum::Json<serde_json::Value> {
    axum::Json(serde_json::json!({"id": pet_id, "name": "pet"}))
}

#[contract("DELETE /pets/{petId}")]
async fn delete_pet(Path(pet_id): Path<i64>) -> StatusCode {
    assert!(pet_id > 0);
    StatusCode::NO_CONTENT
}

#[contract("showOwnedPet")]
async fn show_owned_pet(Path((owner_id, pet_id)): Path<(String, i64)>) -> String {
    format!("{owner_id} owns {pet_id}")
}

#[contract("GET /version")]
async fn version() -> &'static str {
    "1.0"
}

async fn call(app: &axum::Router, method: Method, uri: &str) -> (StatusCode, String) {
    let builder = Request::builder().method(method.clone()).uri(uri);
    let request = if method == Method::POST {
        builder
            .header("content-type", "application/json")
            .body(Body::from(r#"{"id": 1, "name": "rex"}"#))
    } else {
        builder.body(Body::empty())
    };
    let response = app.clone().oneshot(request.unwrap()).await.unwrap();
    let status = response.status();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8(body.to_vec()).unwrap())
}

#[tokio::test]
async fn every_handler_answers_at_its_spec_route() {
    let app: axum::Router = routes!(
        list_pets,
        create_pet,
        show_pet,
        delete_pet,
        show_owned_pet,
        version
    );
    assert_eq!(
        call(&app, Method::GET, "/pets").await,
        (StatusCode::OK, "[]".into())
    );
    assert_eq!(
        call(&app, Method::POST, "/pets").await,
        (StatusCode::CREATED, String::new())
    );
    assert_eq!(
        call(&app, Method::GET, "/pets/7").await,
        (StatusCode::OK, r#"{"id":7,"name":"pet"}"#.into())
    );
    assert_eq!(
        call(&app, Method::DELETE, "/pets/7").await.0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        call(&app, Method::GET, "/owners/ann/pets/3").await,
        (StatusCode::OK, "ann owns 3".into())
    );
    assert_eq!(
        call(&app, Method::GET, "/version").await,
        (StatusCode::OK, "1.0".into())
    );
}

#[tokio::test]
async fn methods_and_paths_outside_the_spec_are_not_served() {
    let app: axum::Router = routes!(
        list_pets,
        create_pet,
        show_pet,
        delete_pet,
        show_owned_pet,
        version
    );
    assert_eq!(
        call(&app, Method::PUT, "/pets/7").await.0,
        StatusCode::METHOD_NOT_ALLOWED
    );
    assert_eq!(
        call(&app, Method::GET, "/dogs").await.0,
        StatusCode::NOT_FOUND
    );
    // A path parameter that does not parse is refused with a 4xx the operation declares, in
    // its declared form (404 without content: `showPetById` declares no 400), never a 500 or
    // an undeclared status.
    assert_eq!(
        call(&app, Method::GET, "/pets/abc").await,
        (StatusCode::NOT_FOUND, String::new())
    );
}

#[tokio::test]
async fn partial_mounts_a_subset() {
    let app: axum::Router = routes!(partial; show_pet);
    assert_eq!(
        call(&app, Method::GET, "/pets/1").await,
        (StatusCode::OK, r#"{"id":1,"name":"pet"}"#.into())
    );
    assert_eq!(
        call(&app, Method::GET, "/pets").await.0,
        StatusCode::NOT_FOUND
    );
}

mod other_spec {
    use axum::extract::Path;
    use contract_runtime::contract;

    #[contract("getItem", spec = "specs/two-ops.json")]
    pub async fn get_item(Path(item_id): Path<String>) -> String {
        format!("item {item_id}")
    }

    #[contract("putItem", spec = "specs/two-ops.json")]
    pub async fn put_item() -> axum::http::StatusCode {
        axum::http::StatusCode::NO_CONTENT
    }
}

#[tokio::test]
async fn handlers_from_another_module_and_spec() {
    let app: axum::Router =
        routes!(spec = "specs/two-ops.json"; other_spec::get_item, other_spec::put_item);
    assert_eq!(
        call(&app, Method::GET, "/items/x1").await,
        (StatusCode::OK, "item x1".into())
    );
    assert_eq!(
        call(&app, Method::PUT, "/items/x1").await.0,
        StatusCode::NO_CONTENT
    );
}
