//! What response validation costs, as ratios in one run (`cargo bench -p contract-tests --bench
//! validation`): plain axum; the layer with validation off (what a release build would pay if
//! it kept the layer: `routes!` does not even add it there); validating as debug builds do,
//! through `ContractLayer` on a router built by hand and through `routes!`, whose handlers are
//! each checked against their own operation; and the bare `jsonschema` validation of the same
//! body, parsed (the floor) and from its bytes (what the layer did before it validated while
//! parsing). Criterion reports each variant on its own; the ratios printed at the end come from
//! the variants taking turns (`interleaved`), which this machine's drift cannot skew.

use std::hint::black_box;
use std::time::{Duration, Instant};

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
    let binding = Op::BINDING;
    router.route(
        binding.path,
        on_validated(
            contract,
            binding.method,
            handler,
            binding.index,
            &Op::REQUEST,
        ),
    )
}

/// The routers compared, plain axum first.
fn variants(spec: contract_runtime::SpecBundle) -> [(&'static str, Router); 4] {
    [
        ("plain axum", router(None)),
        (
            "layer, validation off",
            router(Some(
                ContractLayer::new(spec)
                    .validate_requests(false)
                    .validate_responses(false),
            )),
        ),
        (
            "layer, validating",
            router(Some(ContractLayer::new(spec).validate_responses(true))),
        ),
        // The same handlers as `routes!` mounts them in a debug build: each wrapped with its
        // operation, no layer. (Its expansion, written out: `routes!` validates where the crate
        // using it has `debug_assertions`, which a bench build has not.)
        ("routes!, validating", debug_routes(spec)),
    ]
}

/// The bare `jsonschema` validator of the body `uri` answers with, and that body.
fn floor(uri: &str) -> (jsonschema::Validator, Value) {
    let (schema, value) = if uri == "/pets/1" {
        (pet_schema(), pet(0))
    } else {
        (
            json!({"type": "array", "items": pet_schema()}),
            Value::Array((0..1000).map(pet).collect()),
        )
    };
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .with_pattern_options(jsonschema::PatternOptions::regex())
        .build(&schema)
        .unwrap();
    assert!(validator.is_valid(&value));
    (validator, value)
}

/// The runtime every variant is driven on (one thread, as criterion's async bencher uses it).
fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// The bench's spec, embedded once.
fn spec() -> contract_runtime::SpecBundle {
    contract_runtime::spec!("specs/runtime.yaml")
}

/// One request for `uri` through `app`, its response read whole.
async fn request(app: &Router, uri: &str) -> (axum::http::StatusCode, axum::body::Bytes) {
    let response = app
        .clone()
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    (
        status,
        response.into_body().collect().await.unwrap().to_bytes(),
    )
}

/// `app` served on a loopback port, and a kept-alive connection to it.
fn serve(rt: &tokio::runtime::Runtime, app: Router) -> tokio::net::TcpStream {
    rt.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        tokio::net::TcpStream::connect(addr).await.unwrap()
    })
}

/// The request the TCP variants send.
const TCP_REQUEST: &[u8] = b"GET /pets/1 HTTP/1.1\r\nhost: localhost\r\n\r\n";

fn bench(c: &mut Criterion) {
    let rt = runtime();
    let variants = variants(spec());
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
            let (status, _) = rt.block_on(request(app, uri));
            assert_eq!(status, 200, "{name} {uri}");
            group.bench_function(BenchmarkId::from_parameter(name), |b| {
                b.to_async(&rt).iter(|| request(app, uri))
            });
        }
        let (validator, value) = floor(uri);
        let validator = &validator;
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
    let rt = runtime();
    let spec = spec();
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
        let mut stream = serve(&rt, app);
        let mut buf = Vec::new();
        assert!(rt.block_on(exchange(&mut stream, TCP_REQUEST, &mut buf)) > 0);
        group.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| rt.block_on(exchange(&mut stream, TCP_REQUEST, &mut buf)))
        });
    }
    group.finish();
}

/// A batch of `n` calls of one variant, timed.
type Batch<'a> = Box<dyn FnMut(u32) -> Duration + 'a>;

/// `n` requests for `uri` through `app`, each response read whole.
fn requests<'a>(rt: &'a tokio::runtime::Runtime, app: &'a Router, uri: &'a str) -> Batch<'a> {
    Box::new(move |n| {
        let start = Instant::now();
        rt.block_on(async {
            for _ in 0..n {
                black_box(request(app, uri).await);
            }
        });
        start.elapsed()
    })
}

/// The ratios this bench reports. Criterion times each variant in its own few seconds, one
/// after another, and this machine drifts by 10-30% between such spells; so here the variants
/// take turns in short batches (about 10 ms each), round after round, and each ratio is the
/// median over rounds of the variant's time per call over plain axum's in the same round.
fn interleaved(rt: &tokio::runtime::Runtime, spec: contract_runtime::SpecBundle) {
    let apps = variants(spec);
    println!(
        "\nratios to plain axum, the variants taking turns (median over rounds, and the middle half of the rounds):"
    );
    for (group, uri) in [
        ("small object", "/pets/1"),
        ("1000-item array", "/pets?kind=cat"),
    ] {
        let (validator, value) = floor(uri);
        let text = serde_json::to_vec(&value).unwrap();
        let mut batches: Vec<(&str, Batch)> = apps
            .iter()
            .map(|(name, app)| (*name, requests(rt, app, uri)))
            .collect();
        batches.push((
            "bare jsonschema",
            Box::new(|n| {
                let start = Instant::now();
                for _ in 0..n {
                    black_box(validator.is_valid(black_box(&value)));
                }
                start.elapsed()
            }),
        ));
        batches.push((
            "parse + jsonschema",
            Box::new(|n| {
                let start = Instant::now();
                for _ in 0..n {
                    let parsed = serde_json::from_slice::<Value>(black_box(&text)).unwrap();
                    black_box(validator.is_valid(&parsed));
                }
                start.elapsed()
            }),
        ));
        report(group, &mut batches);
    }
    // Served over kept-alive loopback connections, as in production.
    let mut batches: Vec<(&str, Batch)> = Vec::new();
    for (name, app) in apps {
        if name == "layer, validation off" {
            continue;
        }
        let mut stream = serve(rt, app);
        let mut buf = Vec::new();
        batches.push((
            name,
            Box::new(move |n| {
                let start = Instant::now();
                rt.block_on(async {
                    for _ in 0..n {
                        black_box(exchange(&mut stream, TCP_REQUEST, &mut buf).await);
                    }
                });
                start.elapsed()
            }),
        ));
    }
    report("small object over loopback TCP", &mut batches);
}

/// Times the batches in turns, round after round, and prints each one's median time per call
/// and its ratio to the first one's (the median over rounds, and the middle half of them).
fn report(group: &str, batches: &mut [(&str, Batch)]) {
    const ROUNDS: usize = 41;
    // Calls per batch: about 10 ms of plain axum, after a warm-up of every variant.
    for (_, batch) in batches.iter_mut() {
        batch(20);
    }
    let once = batches[0].1(50) / 50;
    let n =
        (Duration::from_millis(10).as_nanos() / once.as_nanos().max(1)).clamp(1, 100_000) as u32;
    let mut per_call: Vec<Vec<f64>> = vec![Vec::new(); batches.len()];
    for _ in 0..ROUNDS {
        for (i, (_, batch)) in batches.iter_mut().enumerate() {
            per_call[i].push(batch(n).as_nanos() as f64 / f64::from(n));
        }
    }
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        (v[v.len() / 2], v[v.len() / 4], v[v.len() * 3 / 4])
    };
    for (i, (name, _)) in batches.iter().enumerate() {
        let ratios: Vec<f64> = per_call[i]
            .iter()
            .zip(&per_call[0])
            .map(|(t, b)| t / b)
            .collect();
        let (time, _, _) = median(per_call[i].clone());
        let (ratio, low, high) = median(ratios);
        println!(
            "  {group:>16} | {name:<22} {:>10.2} µs  {ratio:>5.2}x  ({low:.2}-{high:.2})",
            time / 1000.0
        );
    }
}

/// `bench/validation-instructions.sh` runs this under callgrind, which counts the instructions
/// of `counted` alone: `VALIDATION_BENCH_COUNT` requests of one variant (`VALIDATION_BENCH_VARIANT`,
/// small object), after as many uncounted ones (validators compiled, caches warm).
fn count_instructions(variant: &str, n: u32) {
    let rt = runtime();
    let apps = variants(spec());
    let Some((_, app)) = apps.iter().find(|(name, _)| *name == variant) else {
        panic!("no variant {variant:?}");
    };
    let mut batch = requests(&rt, app, "/pets/1");
    batch(n);
    counted(&mut batch, n);
}

#[inline(never)]
fn counted(batch: &mut Batch, n: u32) {
    black_box(batch(n));
}

fn main() {
    if let (Ok(variant), Ok(n)) = (
        std::env::var("VALIDATION_BENCH_VARIANT"),
        std::env::var("VALIDATION_BENCH_COUNT"),
    ) {
        count_instructions(
            &variant,
            n.parse().expect("VALIDATION_BENCH_COUNT: a number"),
        );
        return;
    }
    let mut c = Criterion::default().configure_from_args();
    bench(&mut c);
    bench_tcp(&mut c);
    c.final_summary();
    // Not when criterion runs as a test (`cargo test --benches`), lists its benchmarks or
    // runs one under a profiler (`--profile-time`).
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--bench") && !args.iter().any(|a| a == "--profile-time") {
        interleaved(&runtime(), spec());
    }
}
