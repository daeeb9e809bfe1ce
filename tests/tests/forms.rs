//! Form bodies under request validation: `multipart/form-data` part by part (required parts,
//! each part against its property, JSON parts parsed as `encoding` says, unknown parts where
//! `additionalProperties: false`) and `application/x-www-form-urlencoded` fields; and the
//! sweep's generated forms.

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{Request, StatusCode, header};
use axum::routing::post;
use contract_runtime::testing::Sweep;
use contract_runtime::{ContractLayer, SpecBundle};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

fn spec() -> SpecBundle {
    contract_runtime::spec!("specs/forms.yaml")
}

fn app() -> Router {
    Router::new()
        .route(
            "/photos",
            post(|body: Bytes| async move {
                assert!(!body.is_empty(), "the body reaches the handler whole");
                StatusCode::CREATED
            }),
        )
        .route("/subscriptions", post(|| async { StatusCode::NO_CONTENT }))
        .route("/items", post(|| async { StatusCode::CREATED }))
        .route("/charges", post(|| async { StatusCode::CREATED }))
        .layer(ContractLayer::new(spec()))
}

const BOUNDARY: &str = "XyZ";

/// A multipart body of `(name, content type, text)` parts.
fn multipart(parts: &[PartSpec]) -> Request<Body> {
    multipart_to("/photos", parts)
}

fn multipart_to(uri: &str, parts: &[PartSpec]) -> Request<Body> {
    let mut body = String::new();
    for (name, content_type, text) in parts {
        body.push_str(&format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\""
        ));
        if let Some(m) = content_type {
            body.push_str(&format!("; filename=\"{name}\"\r\nContent-Type: {m}"));
        }
        body.push_str(&format!("\r\n\r\n{text}\r\n"));
    }
    body.push_str(&format!("--{BOUNDARY}--\r\n"));
    Request::post(uri)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(Body::from(body))
        .unwrap()
}

fn urlencoded(body: &str) -> Request<Body> {
    Request::post("/subscriptions")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body.to_string()))
        .unwrap()
}

async fn send(request: Request<Body>) -> (StatusCode, Value) {
    let response = app().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

/// `(rule, pointer, message)` of the first violation.
fn first(body: &Value) -> (&str, &str, &str) {
    let v = &body["violations"][0];
    (
        v["rule"].as_str().unwrap_or_default(),
        v["pointer"].as_str().unwrap_or_default(),
        v["message"].as_str().unwrap_or_default(),
    )
}

/// A part: its name, content type (for a file) and text.
type PartSpec<'a> = (&'a str, Option<&'a str>, &'a str);

const FILE: PartSpec = ("file", Some("image/png"), "\u{1}PNG...");

#[tokio::test]
async fn a_well_formed_multipart_body_reaches_the_handler() {
    let (status, body) = send(multipart(&[
        ("title", None, "Harbour"),
        ("rating", None, "4"),
        ("tags", None, "sea"),
        ("tags", None, "boats"),
        ("meta", Some("application/json"), r#"{"camera":"X100"}"#),
        FILE,
    ]))
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

#[tokio::test]
async fn a_missing_required_part_is_named() {
    let (status, body) = send(multipart(&[("title", None, "Harbour")])).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["title"], "Request body violates the API contract");
    assert_eq!(
        first(&body),
        ("required", "", "\"file\" is a required property")
    );
}

#[tokio::test]
async fn each_part_is_checked_against_its_property() {
    let cases: [(&[PartSpec], (&str, &str)); 6] = [
        (
            &[("title", None, "Harbour"), ("rating", None, "9"), FILE],
            ("maximum", "/rating"),
        ),
        (
            &[("title", None, "Harbour"), ("rating", None, "four"), FILE],
            ("type", "/rating"),
        ),
        (
            &[("title", None, "a title far longer than twenty"), FILE],
            ("maxLength", "/title"),
        ),
        (
            &[
                ("title", None, "t"),
                ("tags", None, "a"),
                ("tags", None, "b"),
                ("tags", None, "c"),
                ("tags", None, "d"),
                FILE,
            ],
            ("maxItems", "/tags"),
        ),
        // `encoding` says `meta` is JSON (it is sent here as text, without a content type).
        (
            &[
                ("title", None, "t"),
                ("meta", None, r#"{"lens":"35mm"}"#),
                FILE,
            ],
            ("required", "/meta"),
        ),
        (
            &[("title", None, "t"), ("meta", None, "camera=X100"), FILE],
            ("json", "/meta"),
        ),
    ];
    for (parts, (rule, pointer)) in cases {
        let (status, body) = send(multipart(parts)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let (got_rule, got_pointer, _) = first(&body);
        assert_eq!((got_rule, got_pointer), (rule, pointer), "{body}");
    }
}

#[tokio::test]
async fn unknown_and_repeated_parts_are_refused() {
    let (status, body) = send(multipart(&[
        ("title", None, "t"),
        ("colour", None, "red"),
        FILE,
    ]))
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(first(&body).0, "additionalProperties", "{body}");

    let (status, body) = send(multipart(&[
        ("title", None, "a"),
        ("title", None, "b"),
        FILE,
    ]))
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        first(&body),
        (
            "repeated",
            "/title",
            "the part `title` is given 2 times, but it takes a single value"
        )
    );
}

#[tokio::test]
async fn a_body_that_is_not_a_form_is_refused() {
    // A 400 where the operation declares one; this one declares only a 422 among client errors,
    // so the refusal takes that form.
    let cases = [
        (
            "multipart/form-data; boundary=XyZ",
            "no parts here",
            "incomplete multipart stream",
        ),
        (
            "multipart/form-data",
            "--XyZ--\r\n",
            "not a well-formed form",
        ),
    ];
    for (content_type, body, detail) in cases {
        let request = Request::post("/photos")
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body))
            .unwrap();
        let (status, body) = send(request).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body["detail"].as_str().unwrap().contains(detail), "{body}");
    }
}

#[tokio::test]
async fn urlencoded_fields_are_read_by_their_types() {
    assert_eq!(
        send(urlencoded(
            "email=a%40b.example&count=2&topics=news&topics=offers"
        ))
        .await
        .0,
        StatusCode::NO_CONTENT
    );
    let (status, body) = send(urlencoded("count=2")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(first(&body).2, "\"email\" is a required property");
    let (_, body) = send(urlencoded("email=a%40b.example&count=0")).await;
    assert_eq!(first(&body).0, "minimum", "{body}");
    let (_, body) = send(urlencoded("email=a%40b.example&topics=sports")).await;
    assert_eq!(
        (first(&body).0, first(&body).1),
        ("enum", "/topics/0"),
        "{body}"
    );
}

#[tokio::test]
async fn the_sweep_sends_forms_built_from_the_schema() {
    let report = Sweep::new(app(), spec()).cases(10).run().await;
    report.assert_ok();
    // 10 valid requests each, 2 invalid multipart bodies, one of each body's breakages.
    assert!(report.requests >= 22, "{report}");

    // A handler that refuses every form shows that the sweep's forms are what it expects.
    let refusing = Router::new()
        .route(
            "/photos",
            post(|| async { StatusCode::INTERNAL_SERVER_ERROR }),
        )
        .route("/subscriptions", post(|| async { StatusCode::NO_CONTENT }))
        .route("/items", post(|| async { StatusCode::CREATED }))
        .route("/charges", post(|| async { StatusCode::CREATED }))
        .layer(ContractLayer::new(spec()));
    let report = Sweep::new(refusing, spec())
        .cases(3)
        .invalid_requests(false)
        .run()
        .await;
    assert_eq!(report.failures.len(), 3, "{report}");
}

#[tokio::test]
async fn parts_are_read_by_the_properties_of_each_alternative() {
    // `oneOf` of two objects: `volume` is read as an integer, `calories` as a number.
    let drink = multipart_to(
        "/items",
        &[("kind", None, "drink"), ("volume", None, "250")],
    );
    assert_eq!(send(drink).await.0, StatusCode::CREATED);
    let dessert = multipart_to(
        "/items",
        &[("kind", None, "dessert"), ("calories", None, "310.5")],
    );
    assert_eq!(send(dessert).await.0, StatusCode::CREATED);
    let neither = multipart_to(
        "/items",
        &[("kind", None, "drink"), ("volume", None, "a lot")],
    );
    let (status, body) = send(neither).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
}

fn charge(body: &str) -> Request<Body> {
    Request::post("/charges")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body.to_string()))
        .unwrap()
}

#[tokio::test]
async fn bracketed_names_are_read_as_nested_objects_and_arrays() {
    // Stripe's convention: `deepObject` members, `[]` items, indexed objects.
    let body = "amount=100&metadata[order_id]=6735&expand[]=customer&expand[]=invoice\
                &lines[0][price]=p_1&lines[0][quantity]=2&lines[1][price]=p_2";
    let (status, body) = send(charge(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = send(charge("amount=100&lines[0][quantity]=two")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        (first(&body).0, first(&body).1),
        ("type", "/lines/0/quantity"),
        "{body}"
    );
    let (status, body) = send(charge("amount=100&lines[0][colour]=red")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(first(&body).0, "additionalProperties", "{body}");
}
