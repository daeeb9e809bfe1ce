//! What response validation costs, as ratios in one run (`cargo bench -p contract-tests --bench
//! validation`): plain axum; the layer with validation off (what a release build would pay if
//! it kept the layer: `routes!` does not even add it there); validating as debug builds do,
//! through `ContractLayer` on a router built by hand and through `routes!`, whose handlers are
//! each checked against their own operation; and the bare `jsonschema` validation of the same
//! body, parsed (the floor) and from its bytes (what the layer did before it validated while
//! parsing).

use std::path::PathBuf;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, Query};
use axum::handler::Handler;
use axum::http::Request;
use axum::routing::get;
use contract_runtime::__private::{Operation, RouteContract, on_validated};
use contract_runtime::{ContractLayer, contract};
use criterion::{BenchmarkId, Criterion};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

fn pet(i: usize) -> Value {
    json!({"id": i + 1, "name": "rex", "status": "available", "tag": null, "weight": 12.5})
}

/// The Pet schema of `specs/runtime.yaml`, as the bundle states it (for the floor).
fn pet_schema() -> Value {
    json!({
        "type": "object",
        "required": ["id", "name", "status"],
        "properties": {
            "id": {"type": "integer", "format": "int64"},
            "name": {"type": "string", "minLength": 1, "maxLength": 10, "pattern": "^[a-z]+$"},
            "status": {"type": "string", "enum": ["available", "pending", "sold"]},
            "tag": {"type": ["string", "null"]},
            "weight": {"type": "number", "exclusiveMinimum": 0},
            "secret": false
        }
    })
}

#[contract("showPet", spec = "specs/runtime.yaml")]
async fn show_pet(Path(_pet_id): Path<i64>) -> axum::Json<Value> {
    axum::Json(pet(0))
}

#[contract("listPets", spec = "specs/runtime.yaml")]
async fn list_pets(Query(_query): Query<Value>) -> axum::Json<Value> {
    axum::Json(Value::Array((0..1000).map(pet).collect()))
}

/// Handlers build their bodies (as real ones do) rather than capture them: tower clones a
/// service per call, and a captured 1000-item body would be deep-copied each time.
fn router(layer: Option<ContractLayer>) -> Router {
    let app = Router::new()
        .route("/pets/{petId}", get(show_pet))
        .route("/pets", get(list_pets));
    match layer {
        Some(layer) => app.layer(layer),
        None => app,
    }
}

fn debug_routes(spec: contract_runtime::SpecBundle) -> Router {
    let contract = RouteContract::<true>::new(spec);
    let router = mount::<show_pet, _, _>(Router::new(), &contract, show_pet);
    mount::<list_pets, _, _>(router, &contract, list_pets)
}

/// One route as `routes!` writes it for the handler whose marker type is `Op`.
fn mount<Op: Operation, H: Handler<T, ()>, T: 'static>(
    router: Router,
    contract: &RouteContract<true>,
    handler: H,
) -> Router {
    router.route(
        Op::PATH,
        on_validated(contract, Op::METHOD, handler, Op::INDEX),
    )
}

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let spec = contract_runtime::spec!("specs/runtime.yaml");
    let variants = [
        ("plain axum", router(None)),
        (
            "layer, validation off",
            router(Some(ContractLayer::new(spec).validate_responses(false))),
        ),
        (
            "layer, validating",
            router(Some(ContractLayer::new(spec).validate_responses(true))),
        ),
        // The same handlers as `routes!` mounts them in a debug build: each wrapped with its
        // operation, no layer. (Its expansion, written out: `routes!` validates where the crate
        // using it has `debug_assertions`, which a bench build has not.)
        ("routes!, validating", debug_routes(spec)),
    ];
    let floor = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .with_pattern_options(jsonschema::PatternOptions::regex())
        .build(&pet_schema())
        .unwrap();
    let list_floor = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .with_pattern_options(jsonschema::PatternOptions::regex())
        .build(&json!({"type": "array", "items": pet_schema()}))
        .unwrap();
    for (body, uri) in [
        ("small object", "/pets/1"),
        ("1000-item array", "/pets?kind=cat"),
    ] {
        let mut group = c.benchmark_group(body);
        group
            .measurement_time(Duration::from_secs(3))
            .warm_up_time(Duration::from_secs(1));
        for (name, app) in &variants {
            // A response that does not validate would make the comparison meaningless.
            let status = rt
                .block_on(
                    app.clone()
                        .oneshot(Request::get(uri).body(Body::empty()).unwrap()),
                )
                .unwrap()
                .status();
            assert_eq!(status, 200, "{name} {uri}");
            group.bench_function(BenchmarkId::from_parameter(name), |b| {
                b.to_async(&rt).iter(|| async {
                    let response = app
                        .clone()
                        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
                        .await
                        .unwrap();
                    response.into_body().collect().await.unwrap().to_bytes()
                })
            });
        }
        let (validator, value) = if uri == "/pets/1" {
            (&floor, pet(0))
        } else {
            (&list_floor, Value::Array((0..1000).map(pet).collect()))
        };
        assert!(validator.is_valid(&value));
        group.bench_function(BenchmarkId::from_parameter("bare jsonschema"), |b| {
            b.iter(|| validator.is_valid(&value))
        });
        // What validating a body cost before the layer validated while parsing.
        let text = serde_json::to_vec(&value).unwrap();
        group.bench_function(BenchmarkId::from_parameter("parse + jsonschema"), |b| {
            b.iter(|| validator.is_valid(&serde_json::from_slice::<Value>(&text).unwrap()))
        });
        group.finish();
    }
}

/// One HTTP/1.1 exchange over a kept-alive loopback connection (a served router, as in
/// production): writes the request, reads the response through its `content-length`.
async fn exchange(stream: &mut tokio::net::TcpStream, request: &[u8], buf: &mut Vec<u8>) -> usize {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    stream.write_all(request).await.unwrap();
    buf.clear();
    let mut chunk = [0u8; 65536];
    loop {
        let n = stream.read(&mut chunk).await.unwrap();
        assert!(n > 0, "connection closed");
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let len: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            if buf.len() >= end + 4 + len {
                return len;
            }
        }
    }
}

fn bench_tcp(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let spec = contract_runtime::spec!("specs/runtime.yaml");
    let mut group = c.benchmark_group("small object over loopback TCP");
    group
        .measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_secs(1));
    for (name, app) in [
        ("plain axum", router(None)),
        (
            "layer, validating",
            router(Some(ContractLayer::new(spec).validate_responses(true))),
        ),
    ] {
        let mut stream = rt.block_on(async {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let addr = listener.local_addr().unwrap();
            tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
            tokio::net::TcpStream::connect(addr).await.unwrap()
        });
        let request = b"GET /pets/1 HTTP/1.1\r\nhost: localhost\r\n\r\n";
        let mut buf = Vec::new();
        assert!(rt.block_on(exchange(&mut stream, request, &mut buf)) > 0);
        group.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| rt.block_on(exchange(&mut stream, request, &mut buf)))
        });
    }
    group.finish();
}

/// Mean time of one benchmark from criterion's saved estimates, in nanoseconds.
fn mean(group: &str, name: &str) -> Option<f64> {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"));
    let path = target
        .join("criterion")
        .join(group)
        .join(name)
        .join("new/estimates.json");
    let value: Value = serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
    value["mean"]["point_estimate"].as_f64()
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    bench(&mut c);
    bench_tcp(&mut c);
    c.final_summary();
    println!("\nratios to plain axum (same run):");
    for group in [
        "small object",
        "1000-item array",
        "small object over loopback TCP",
    ] {
        let Some(base) = mean(group, "plain axum") else {
            println!("  {group}: no estimates found (run through `cargo bench`)");
            continue;
        };
        for name in [
            "layer, validation off",
            "layer, validating",
            "routes!, validating",
            "bare jsonschema",
            "parse + jsonschema",
        ] {
            if let Some(t) = mean(group, name) {
                println!(
                    "  {group:>16} | {name:<22} {:>10.1} µs  {:>6.2}x",
                    t / 1000.0,
                    t / base
                );
            }
        }
        println!(
            "  {group:>16} | {:<22} {:>10.1} µs  {:>6.2}x",
            "plain axum",
            base / 1000.0,
            1.0
        );
    }
}
