//! Conformance testing from the spec: drive a router in process with requests built from the
//! spec's examples and from generated values, and report every response that breaks the
//! contract. Also sends invalid requests and reports any that gets a 5xx.
//!
//! ```
//! # mod petstore {
//! #     use axum::{Json, extract::Path};
//! #     use contract_runtime::{Responses, Schema, contract, routes};
//! #     #[derive(serde::Serialize, Schema)]
//! #     pub struct Pet { id: i64, name: String, tag: Option<String> }
//! #     #[derive(serde::Deserialize, Schema)]
//! #     pub struct NewPet {
//! #         name: String,
//! #         tag: Option<String>,
//! #         #[serde(rename = "callbackUrl")]
//! #         callback_url: Option<String>,
//! #     }
//! #     #[derive(serde::Serialize, Schema)]
//! #     pub struct Problem { title: String, status: u16 }
//! #     #[derive(Responses)]
//! #     pub enum Created { #[response(status = 201)] Created(Json<Pet>) }
//! #     #[derive(Responses)]
//! #     pub enum ShowPet {
//! #         #[response(status = 200)] Found(Json<Pet>),
//! #         #[response(status = 404)] Missing(Json<Problem>),
//! #     }
//! #     #[contract("listPets")]
//! #     async fn list_pets() -> Json<Vec<Pet>> { Json(Vec::new()) }
//! #     #[contract("createPet")]
//! #     async fn create_pet(Json(new): Json<NewPet>) -> Created {
//! #         Created::Created(Json(Pet { id: 1, name: new.name, tag: new.tag }))
//! #     }
//! #     #[contract("showPetById")]
//! #     async fn show_pet(Path(id): Path<i64>) -> ShowPet {
//! #         match id {
//! #             1 => ShowPet::Found(Json(Pet { id, name: "Rex".into(), tag: None })),
//! #             _ => ShowPet::Missing(Json(Problem { title: "No such pet".into(), status: 404 })),
//! #         }
//! #     }
//! #     pub fn app() -> axum::Router { routes!(list_pets, create_pet, show_pet) }
//! # }
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! // In a `#[tokio::test]`:
//! contract_runtime::testing::Sweep::new(petstore::app(), contract_runtime::spec!())
//!     .cases(20)
//!     .path_value("petId", 1)
//!     .run()
//!     .await
//!     .assert_ok();
//! # }
//! ```

use crate::validate::generate;

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use http::{Request, header};
use http_body_util::BodyExt;
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::Value;
use tower::ServiceExt;

use crate::validate::contract::{Media, OpSpec};
use crate::validate::is_json;
use crate::validate::{Contract, SpecBundle};
use generate::Rng;

type Setup = Box<dyn FnOnce(Router) -> Pin<Box<dyn Future<Output = ()> + Send>> + Send>;

/// A conformance sweep over every operation of a spec.
pub struct Sweep {
    router: Router,
    contract: Arc<Contract>,
    cases: usize,
    seed: u64,
    invalid: bool,
    path_values: HashMap<String, Value>,
    setup: Option<Setup>,
    only: Option<Vec<String>>,
    credentials: HashMap<String, String>,
}

/// One response that broke the contract.
#[derive(Debug, Clone)]
pub struct Failure {
    /// `listPets (GET /pets)`.
    pub operation: String,
    /// The request, as `METHOD uri` plus the body when there was one.
    pub request: String,
    /// The status the router answered with.
    pub status: u16,
    /// The start of the response body.
    pub response: String,
    /// The rule broken (`status`, `content-type`, a JSON Schema keyword, `server-error`).
    pub rule: String,
    /// What is wrong, and where in the spec.
    pub message: String,
}

/// The outcome of a sweep.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// How many operations were swept.
    pub operations: usize,
    /// How many requests were sent.
    pub requests: usize,
    /// Every response that broke the contract.
    pub failures: Vec<Failure>,
}

impl Report {
    /// Whether no response broke the contract.
    pub fn is_ok(&self) -> bool {
        self.failures.is_empty()
    }

    /// Panics with the report when any response broke the contract.
    #[track_caller]
    pub fn assert_ok(&self) {
        assert!(self.is_ok(), "{self}");
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "contract sweep: {} operations, {} requests, {} failures",
            self.operations,
            self.requests,
            self.failures.len()
        )?;
        for x in &self.failures {
            writeln!(
                f,
                "- {}: {} -> {}\n    {} ({}): {}",
                x.operation, x.request, x.status, x.rule, x.message, x.response
            )?;
        }
        Ok(())
    }
}

/// Valid payloads of a webhook or callback of `spec` (`operationId.callbackName`), for the
/// tests of the side that receives them: the spec's example first where it fits, then values
/// generated from the schema. See [`crate::Payload::examples`].
pub fn payload_examples(spec: SpecBundle, name: &'static str, count: usize) -> Vec<Value> {
    spec.webhook(name).examples(count, 0x5eed)
}

/// Sweeps `router` with the defaults and fails the test on any contract violation.
pub async fn assert_conforms(router: Router, spec: SpecBundle) {
    Sweep::new(router, spec).run().await.assert_ok();
}

struct Built {
    method: String,
    uri: String,
    body: Option<(String, String)>,
    headers: Vec<(String, String)>,
    /// Sent without the operation's credentials, to show it refuses such a request.
    without_credentials: bool,
}

impl Sweep {
    /// A sweep of `router` against `spec` (`spec!()`): 10 requests an operation, seed `0x5eed`,
    /// invalid requests on.
    pub fn new(router: Router, spec: SpecBundle) -> Self {
        Sweep {
            router,
            contract: Contract::new(spec),
            cases: 10,
            seed: 0x5eed,
            invalid: true,
            path_values: HashMap::new(),
            setup: None,
            only: None,
            credentials: HashMap::new(),
        }
    }

    /// Requests per operation (the first uses the spec's examples where it has them).
    pub fn cases(mut self, n: usize) -> Self {
        self.cases = n.max(1);
        self
    }

    /// The seed of the generated values: the same seed sends the same requests.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Whether to also send invalid requests (on by default); none may get a 5xx.
    pub fn invalid_requests(mut self, on: bool) -> Self {
        self.invalid = on;
        self
    }

    /// Sweeps only these operations (operationIds or `METHOD /path`), e.g. for a router built
    /// with `routes!(partial; …)`.
    pub fn only(mut self, operations: &[&str]) -> Self {
        self.only = Some(operations.iter().map(|s| s.to_string()).collect());
        self
    }

    /// A value for a path parameter that refers to state (an id that must exist).
    pub fn path_value(mut self, name: &str, value: impl Into<Value>) -> Self {
        self.path_values.insert(name.to_string(), value.into());
        self
    }

    /// The credential sent for security scheme `scheme` (its name under
    /// `components.securitySchemes`): a token for `bearer`, `oauth2` and `openIdConnect`
    /// (sent as `Authorization: Bearer <value>`), the credentials for other `http` schemes
    /// (`Authorization: <Scheme> <value>`, e.g. base64 `user:password` for `basic`), the key
    /// for `apiKey` (in its header, query parameter or cookie). A scheme without one gets a
    /// placeholder, which passes the request validator's presence check.
    ///
    /// Valid requests to a secured operation carry the credentials of its first alternative;
    /// each secured operation also gets one request without any, and a 2xx to it fails the
    /// sweep with rule `security`.
    pub fn credentials(mut self, scheme: &str, value: impl Into<String>) -> Self {
        self.credentials.insert(scheme.to_string(), value.into());
        self
    }

    /// Runs once before the sweep, with the router (to create the state the seeds refer to).
    pub fn setup<F, Fut>(mut self, f: F) -> Self
    where
        F: FnOnce(Router) -> Fut + Send + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        self.setup = Some(Box::new(move |r| Box::pin(f(r))));
        self
    }

    /// Sends every request and checks every response.
    pub async fn run(mut self) -> Report {
        if let Some(setup) = self.setup.take() {
            setup(self.router.clone()).await;
        }
        let mut report = Report {
            operations: self.contract.ops.len(),
            ..Report::default()
        };
        // Creations first and deletions last, so the state the other operations read exists.
        let selected = |op: &crate::validate::contract::OpSpec| match &self.only {
            None => true,
            Some(list) => list.iter().any(|s| {
                op.operation_id.as_deref() == Some(s.as_str())
                    || *s == format!("{} {}", op.method, op.path)
            }),
        };
        let mut order: Vec<usize> = (0..self.contract.ops.len())
            .filter(|&i| selected(&self.contract.ops[i]))
            .collect();
        report.operations = order.len();
        let rank = |m: &str| match m {
            "POST" => 0,
            "DELETE" => 2,
            _ => 1,
        };
        order.sort_by_key(|&i| rank(&self.contract.ops[i].method));
        let mut rng = Rng::new(self.seed);
        for i in order {
            for case in 0..self.cases {
                let built = self.build(i, case == 0, &mut rng);
                self.send(i, built, false, &mut report).await;
            }
            if self.invalid {
                for built in self.invalid_requests_for(i, &mut rng) {
                    self.send(i, built, true, &mut report).await;
                }
            }
            if self.contract.ops[i].is_secured() {
                let mut built = self.build(i, true, &mut rng);
                built.without_credentials = true;
                self.send(i, built, true, &mut report).await;
            }
        }
        report
    }

    fn value_for(
        &self,
        param: &crate::validate::contract::ParamSpec,
        use_example: bool,
        rng: &mut Rng,
    ) -> Value {
        if param.location == "path"
            && let Some(v) = self.path_values.get(&param.name)
        {
            return v.clone();
        }
        if use_example && let Some(e) = &param.example {
            return e.clone();
        }
        match param.site.and_then(|s| self.contract.schema(s)) {
            Some(schema) => generate::valid(&self.contract, schema, rng, 0),
            None => Value::String("x".into()),
        }
    }

    fn build(&self, index: usize, use_example: bool, rng: &mut Rng) -> Built {
        let op = &self.contract.ops[index];
        let mut values: Vec<(usize, Value)> = Vec::new();
        for (j, p) in op.params.iter().enumerate() {
            if p.required || p.location == "path" || rng.coin() {
                values.push((j, self.value_for(p, use_example, rng)));
            }
        }
        let mut built = self.assemble(index, &values);
        if let Some((required, content)) = &op.body {
            let chosen = content.iter().find(|m| m.is_json).or_else(|| {
                content
                    .iter()
                    .find(|m| m.media.starts_with("application/x-www-form-urlencoded"))
                    .or_else(|| {
                        content
                            .iter()
                            .find(|m| m.media.starts_with("multipart/form-data"))
                    })
            });
            if let Some(media) = chosen
                && (*required || rng.coin())
            {
                let value = match (&media.example, use_example) {
                    (Some(e), true) => e.clone(),
                    _ => match media.site.and_then(|s| self.contract.schema(s)) {
                        Some(schema) => generate::valid(&self.contract, schema, rng, 0),
                        None => Value::Object(Default::default()),
                    },
                };
                built.body = Some(encode_body(media, &value));
            }
        }
        built
    }

    /// Requests that must be rejected: a required parameter left out, a parameter of the
    /// wrong type or outside its constraints, a body of the wrong type.
    fn invalid_requests_for(&self, index: usize, rng: &mut Rng) -> Vec<Built> {
        let op = &self.contract.ops[index];
        let valid: Vec<(usize, Value)> = op
            .params
            .iter()
            .enumerate()
            .filter(|(_, p)| p.required || p.location == "path")
            .map(|(j, p)| (j, self.value_for(p, true, rng)))
            .collect();
        let mut out = Vec::new();
        for (j, p) in op.params.iter().enumerate() {
            if p.required && p.location != "path" {
                let without: Vec<(usize, Value)> =
                    valid.iter().filter(|(k, _)| *k != j).cloned().collect();
                out.push(self.assemble(index, &without));
            }
            if let Some((text, _why)) = p
                .site
                .and_then(|s| self.contract.schema(s))
                .and_then(|s| generate::invalid_text(&self.contract, s))
            {
                let mut broken: Vec<(usize, Value)> =
                    valid.iter().filter(|(k, _)| *k != j).cloned().collect();
                broken.push((j, Value::String(text)));
                out.push(self.assemble(index, &broken));
            }
        }
        if let Some((_, content)) = &op.body
            && let Some(media) = content.iter().find(|m| m.is_json)
        {
            let mut built = self.assemble(index, &valid);
            built.body = Some((
                media.media.clone(),
                "[\"not\", {\"the\": \"schema\"}]".into(),
            ));
            out.push(built);
            let mut built = self.assemble(index, &valid);
            built.body = Some((media.media.clone(), "{not json".into()));
            out.push(built);
        } else if let Some((_, content)) = &op.body
            && content
                .iter()
                .any(|m| m.media.starts_with("multipart/form-data"))
        {
            // A form without its parts, and one that is not a form.
            for body in [format!("--{BOUNDARY}--\r\n"), "not a form".to_string()] {
                let mut built = self.assemble(index, &valid);
                built.body = Some((format!("multipart/form-data; boundary={BOUNDARY}"), body));
                out.push(built);
            }
        }
        out
    }

    fn assemble(&self, index: usize, values: &[(usize, Value)]) -> Built {
        let op = &self.contract.ops[index];
        let mut path = op.path.clone();
        let mut query: Vec<(String, String)> = Vec::new();
        let mut headers = Vec::new();
        for (j, value) in values {
            let p = &op.params[*j];
            let texts: Vec<String> = match value {
                Value::Array(items) => items.iter().map(text).collect(),
                other => vec![text(other)],
            };
            match p.location.as_str() {
                "path" => {
                    let encoded =
                        utf8_percent_encode(&texts.join(","), NON_ALPHANUMERIC).to_string();
                    path = path.replace(&format!("{{{}}}", p.name), &encoded);
                }
                "query" => {
                    if p.explode {
                        query.extend(texts.into_iter().map(|t| (p.name.clone(), t)));
                    } else {
                        query.push((p.name.clone(), texts.join(",")));
                    }
                }
                "header" => headers.push((p.name.clone(), texts.join(","))),
                "cookie" => {
                    headers.push(("cookie".into(), format!("{}={}", p.name, texts.join(","))))
                }
                _ => {}
            }
        }
        let mut uri = path;
        if !query.is_empty() {
            let encoded: String = form_urlencoded::Serializer::new(String::new())
                .extend_pairs(&query)
                .finish();
            uri.push('?');
            uri.push_str(&encoded);
        }
        Built {
            method: op.method.clone(),
            uri,
            body: None,
            headers,
            without_credentials: false,
        }
    }

    async fn send(&self, index: usize, built: Built, invalid: bool, report: &mut Report) {
        let op = &self.contract.ops[index];
        report.requests += 1;
        let describe = match &built.body {
            Some((media, body)) => format!(
                "{} {} ({media}: {})",
                built.method,
                built.uri,
                shorten(body, 200)
            ),
            None => format!("{} {}", built.method, built.uri),
        };
        let describe = if built.without_credentials {
            format!("{describe} (without credentials)")
        } else {
            describe
        };
        let mut uri = built.uri.clone();
        let mut headers = built.headers.clone();
        if !built.without_credentials {
            self.add_credentials(op, &mut uri, &mut headers);
        }
        let mut request = Request::builder().method(built.method.as_str()).uri(&uri);
        for (k, v) in &headers {
            request = request.header(k, v);
        }
        let request = match &built.body {
            Some((media, body)) => request
                .header(header::CONTENT_TYPE, media)
                .body(Body::from(body.clone())),
            None => request.body(Body::empty()),
        };
        let Ok(request) = request else {
            return; // a generated value that cannot form a request (e.g. a header with a newline)
        };
        let response = match self.router.clone().oneshot(request).await {
            Ok(r) => r,
            Err(never) => match never {},
        };
        let status = response.status();
        let response_headers = response.headers().clone();
        let streamed = response_headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(crate::validate::stream_kind)
            .is_some();
        let bytes = if streamed {
            // A stream may not end: its start is what is checked.
            let mut body = response.into_body();
            let mut read = Vec::new();
            for _ in 0..STREAM_FRAMES {
                match body.frame().await {
                    Some(Ok(frame)) => {
                        if let Ok(data) = frame.into_data() {
                            read.extend_from_slice(&data);
                        }
                    }
                    _ => break,
                }
                if read.len() > STREAM_BYTES {
                    break;
                }
            }
            bytes::Bytes::from(read)
        } else {
            response
                .into_body()
                .collect()
                .await
                .map(|c| c.to_bytes())
                .unwrap_or_default()
        };
        let body_text = shorten(&String::from_utf8_lossy(&bytes), 300);
        let mut fail = |rule: &str, message: String| {
            report.failures.push(Failure {
                operation: op.label(),
                request: describe.clone(),
                status: status.as_u16(),
                response: body_text.clone(),
                rule: rule.to_string(),
                message,
            })
        };
        // A 500 from `ContractLayer` stands for a response that broke the contract: report
        // the violation it names, even where the spec declares a `5XX` (whose schema the
        // layer's problem+json need not fit).
        let problem: Option<Value> = status
            .is_server_error()
            .then(|| serde_json::from_slice(&bytes).ok())
            .flatten();
        let from_layer = problem
            .as_ref()
            .is_some_and(|p| p["title"] == crate::validate::RESPONSE_VIOLATION);
        if status.is_server_error()
            && (from_layer
                || op
                    .response(status.as_u16())
                    .is_none_or(|(k, _)| k == "default"))
        {
            let why = if invalid {
                "an invalid request got a server error"
            } else {
                "a valid request got a server error"
            };
            match problem.as_ref().and_then(|p| p["violations"].get(0)) {
                Some(v) => {
                    let at = match v["pointer"].as_str().unwrap_or("") {
                        "" => String::new(),
                        pointer => format!(" at `{pointer}`"),
                    };
                    fail(
                        v["rule"].as_str().unwrap_or("server-error"),
                        format!(
                            "{why}: the response broke the contract{at}: {} ({})",
                            v["message"].as_str().unwrap_or(""),
                            v["schemaPath"].as_str().unwrap_or("")
                        ),
                    )
                }
                None => fail("server-error", why.to_string()),
            }
            return;
        }
        // An item of a stream that broke its `itemSchema`, reported in the stream itself.
        if streamed
            && let Some(problem) = String::from_utf8_lossy(&bytes)
                .split(['\n', '\u{1e}'])
                .filter_map(|line| {
                    serde_json::from_str::<Value>(line.strip_prefix("data: ").unwrap_or(line)).ok()
                })
                .find(|p| p["title"] == crate::validate::RESPONSE_VIOLATION)
        {
            let v = &problem["violations"][0];
            fail(
                v["rule"].as_str().unwrap_or("item"),
                problem["detail"].as_str().unwrap_or_default().to_string(),
            );
            return;
        }
        if built.without_credentials && status.is_success() {
            fail(
                "security",
                format!(
                    "a request without credentials got {}: the operation requires {}",
                    status.as_u16(),
                    describe_security(op)
                ),
            );
            return;
        }
        if invalid {
            return;
        }
        let violations = crate::validate::response_violations(
            &self.contract,
            op,
            status,
            &response_headers,
            &bytes,
            built.method == "HEAD",
        );
        for v in violations {
            let at = if v.pointer.is_empty() {
                String::new()
            } else {
                format!(" at `{}`", v.pointer)
            };
            fail(&v.rule, format!("{}{at} ({})", v.message, v.schema_path));
        }
    }
}

impl Sweep {
    /// Adds the credentials of the operation's first security alternative to a request.
    fn add_credentials(&self, op: &OpSpec, uri: &mut String, headers: &mut Vec<(String, String)>) {
        let Some(needs) = op.security.as_ref().and_then(|a| a.first()) else {
            return;
        };
        for c in needs {
            // Placeholders: `contract:sweep` in base64 for `basic`.
            let placeholder = if c.kind == "basic" {
                "Y29udHJhY3Q6c3dlZXA="
            } else {
                "contract-sweep"
            };
            let given = self
                .credentials
                .get(&c.scheme)
                .map_or(placeholder, String::as_str);
            let value = match c.http_scheme() {
                Some(scheme) => format!("{scheme} {given}"),
                None => given.to_string(),
            };
            match c.location.as_str() {
                "header" => headers.push((c.name.clone(), value)),
                "cookie" => headers.push(("cookie".into(), format!("{}={value}", c.name))),
                "query" => {
                    let pair: String = form_urlencoded::Serializer::new(String::new())
                        .append_pair(&c.name, &value)
                        .finish();
                    uri.push(if uri.contains('?') { '&' } else { '?' });
                    uri.push_str(&pair);
                }
                _ => {}
            }
        }
    }
}

/// `` `bearerAuth` or `apiKey` `` for a message.
fn describe_security(op: &OpSpec) -> String {
    op.security
        .iter()
        .flatten()
        .map(|needs| {
            needs
                .iter()
                .map(|c| format!("`{}`", c.scheme))
                .collect::<Vec<_>>()
                .join(" and ")
        })
        .collect::<Vec<_>>()
        .join(" or ")
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn shorten(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n).collect::<String>())
    }
}

/// How much of a streamed response the sweep reads (frames, bytes): a stream may not end.
const STREAM_FRAMES: usize = 64;
const STREAM_BYTES: usize = 256 * 1024;

/// The separator of the multipart bodies the sweep sends.
const BOUNDARY: &str = "contract-sweep-boundary";

/// The `Content-Type` and text of a body of `media` holding `value`.
fn encode_body(media: &Media, value: &Value) -> (String, String) {
    let pairs = || -> Vec<(&String, &Value)> {
        value
            .as_object()
            .map(|m| m.iter().collect())
            .unwrap_or_default()
    };
    if media.media.starts_with("application/x-www-form-urlencoded") {
        // Arrays as repeated names (OpenAPI's `form` style), objects as `name[key]`
        // (`deepObject`), to any depth.
        fn append(form: &mut form_urlencoded::Serializer<String>, name: &str, v: &Value) {
            match v {
                Value::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        match item {
                            Value::Object(_) | Value::Array(_) => {
                                append(form, &format!("{name}[{i}]"), item)
                            }
                            scalar => {
                                form.append_pair(name, &text(scalar));
                            }
                        }
                    }
                }
                Value::Object(map) => {
                    for (key, member) in map {
                        append(form, &format!("{name}[{key}]"), member);
                    }
                }
                scalar => {
                    form.append_pair(name, &text(scalar));
                }
            }
        }
        let mut form = form_urlencoded::Serializer::new(String::new());
        for (name, v) in pairs() {
            append(&mut form, name, v);
        }
        return (media.media.clone(), form.finish());
    }
    if media.media.starts_with("multipart/form-data") {
        let mut body = String::new();
        for (name, v) in pairs() {
            let encoded = media
                .encoding
                .iter()
                .find(|(n, _)| n == name)
                // `image/png, image/jpeg`: one of them.
                .map(|(_, m)| m.split(',').next().unwrap_or_default().trim());
            let items: Vec<&Value> = match v {
                Value::Array(items) if encoded.is_none_or(|m| !is_json(m)) => {
                    items.iter().collect()
                }
                other => vec![other],
            };
            for item in items {
                let (content_type, text) = match (encoded, item) {
                    (Some(m), item) if is_json(m) => (Some(m), item.to_string()),
                    (Some(m), item) => (Some(m), text(item)),
                    (None, Value::Object(_) | Value::Array(_)) => {
                        (Some("application/json"), item.to_string())
                    }
                    (None, item) => (None, text(item)),
                };
                body.push_str(&format!(
                    "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\""
                ));
                if let Some(m) = content_type {
                    if !is_json(m) && !m.starts_with("text/") {
                        body.push_str(&format!("; filename=\"{name}\""));
                    }
                    body.push_str(&format!("\r\nContent-Type: {m}"));
                }
                body.push_str(&format!("\r\n\r\n{text}\r\n"));
            }
        }
        body.push_str(&format!("--{BOUNDARY}--\r\n"));
        return (format!("multipart/form-data; boundary={BOUNDARY}"), body);
    }
    (media.media.clone(), value.to_string())
}
