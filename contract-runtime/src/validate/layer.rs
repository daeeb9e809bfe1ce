//! The tower layer: finds the operation from axum's matched path, validates the request (when
//! asked) and the response, and acts on violations.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::body::Body;
use axum::extract::{MatchedPath, Request};
use axum::response::{IntoResponse, Response};
use http::{HeaderValue, StatusCode, header};
use serde_json::{Value, json};

use super::contract::{Contract, Media, OpSpec, SpecBundle, Violation};

/// What to do when a response breaks the contract. A 4xx response that breaks it is only
/// logged, whatever the mode: a bad request must never turn into a 500.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnViolation {
    /// Replace the response with a 500 `application/problem+json` naming the violation (the default).
    Respond,
    /// Log it (through `tracing`) and send the response unchanged.
    Log,
    /// Panic: for tests, so that a violation fails them where it happens.
    Panic,
}

#[derive(Debug, Clone)]
pub(crate) struct Config {
    pub responses: bool,
    pub requests: bool,
    pub on_violation: OnViolation,
    pub body_limit: usize,
    /// Paths served outside the spec on purpose (see [`ContractLayer::allow_undeclared`]).
    pub undeclared: &'static [&'static str],
}

/// Validates the requests and responses of a router against the spec.
///
/// `routes!` validates its handlers by itself (each against its own operation). For a router
/// built by hand:
///
/// ```ignore
/// use contract_runtime::{ContractLayer, OnViolation};
///
/// let app = axum::Router::new()
///     .route("/pets", axum::routing::get(list_pets))
///     .layer(ContractLayer::new(contract_runtime::spec!()));
/// ```
///
/// Request validation is on by default in every build ([`ContractLayer::validate_requests`]
/// opts out); response validation is on by default where `debug_assertions` are (use
/// [`ContractLayer::validate_responses`] to decide otherwise). A bad request gets a 400 (422
/// for a well-formed body that breaks its schema, 413 for a body over
/// [`ContractLayer::body_limit`], 415 for an undeclared media type), or the nearest client
/// error the operation declares, never a 500; an undeclared client error from the router (an
/// extractor's rejection) is answered in the operation's declared form.
#[derive(Debug, Clone)]
pub struct ContractLayer {
    contract: &'static Contract,
    config: Config,
}

impl Config {
    /// What `routes!` validates: requests, and responses (a violation answered with a 500).
    pub(crate) const ROUTES: Config = Config {
        responses: true,
        requests: true,
        on_violation: OnViolation::Respond,
        body_limit: 2 * 1024 * 1024,
        undeclared: &[],
    };
}

impl ContractLayer {
    /// A layer for `spec` (`spec!()`): requests validated, responses validated where
    /// `debug_assertions` are on, a violation answered with a 500 problem+json.
    pub fn new(spec: SpecBundle) -> Self {
        ContractLayer {
            contract: Contract::shared(spec),
            config: Config {
                responses: cfg!(debug_assertions),
                ..Config::ROUTES
            },
        }
    }

    /// Whether responses are validated (default: in builds with `debug_assertions`).
    pub fn validate_responses(mut self, on: bool) -> Self {
        self.config.responses = on;
        self
    }

    /// Whether requests are validated (default: on, in every build).
    pub fn validate_requests(mut self, on: bool) -> Self {
        self.config.requests = on;
        self
    }

    /// What a response that breaks the contract gets (default: [`OnViolation::Respond`]).
    pub fn on_violation(mut self, mode: OnViolation) -> Self {
        self.config.on_violation = mode;
        self
    }

    /// The largest request body read for validation (default 2 MiB); a larger one gets 413.
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.config.body_limit = bytes;
        self
    }

    /// Paths the router serves outside the spec on purpose (`/metrics`, `/health`): each the
    /// route as written in `.route(…)`, or a prefix ending in `/` for everything under it.
    ///
    /// Where responses are validated (debug builds by default), a request the router serves
    /// at a method and path the spec does not declare (a `.route()` added beside `routes!`)
    /// breaks the contract like a bad response does: a 500 problem+json under
    /// [`OnViolation::Respond`], logged, with rule `undeclared-endpoint`. Only a layer that
    /// sees the whole router can tell, so apply this one last:
    ///
    /// ```ignore
    /// let app = routes!(list_pets, show_pet)
    ///     .route("/metrics", get(metrics))
    ///     .layer(ContractLayer::new(spec!()).allow_undeclared(&["/metrics"]));
    /// ```
    pub fn allow_undeclared(mut self, paths: &'static [&'static str]) -> Self {
        self.config.undeclared = paths;
        self
    }
}

impl<S> tower_layer::Layer<S> for ContractLayer {
    type Service = ContractService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        ContractService {
            inner,
            contract: self.contract,
            config: self.config.clone(),
        }
    }
}

/// The service [`ContractLayer`] wraps around a route.
#[derive(Debug, Clone)]
pub struct ContractService<S> {
    inner: S,
    contract: &'static Contract,
    config: Config,
}

type BoxFuture = Pin<Box<dyn Future<Output = Response> + Send>>;

impl<S> tower_service::Service<Request> for ContractService<S>
where
    S: tower_service::Service<Request, Response = Response, Error = Infallible>
        + Clone
        + Send
        + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = ResponseFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let passthrough = ResponseFuture::passthrough;
        if !self.config.requests && !self.config.responses {
            return passthrough(self.inner.call(request));
        }
        let found = request.extensions().get::<MatchedPath>().and_then(|path| {
            self.contract
                .find_index(request.method().as_str(), path.as_str())
        });
        let Some(index) = found.filter(|i| *i < self.contract.ops.len()) else {
            if self.config.responses
                && let Some(path) = request.extensions().get::<MatchedPath>()
                && !self.is_allowed_outside(path.as_str(), request.uri().path())
                && !self.is_implied(&request, path.as_str())
            {
                let (method, path) = (request.method().clone(), path.as_str().to_string());
                let on_violation = self.config.on_violation;
                let future = self.inner.call(request);
                return ResponseFuture::boxed(Box::pin(async move {
                    let Ok(response) = future.await;
                    undeclared_endpoint(&method, &path, response, on_violation)
                }));
            }
            return passthrough(self.inner.call(request));
        };
        let check = Check {
            contract: self.contract,
            index,
            is_head: request.method() == http::Method::HEAD,
            config: self.config.clone(),
        };
        if !self.config.requests {
            return ResponseFuture::checking(self.inner.call(request), check);
        }
        // The request body is read and validated before the handler runs: an async block.
        // The clone that was driven to readiness serves this call.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        ResponseFuture {
            state: State::Boxed {
                future: Box::pin(async move {
                    let op = &check.contract.ops[check.index];
                    let limit = check.config.body_limit;
                    let request =
                        match super::request::validate(check.contract, op, request, limit, None)
                            .await
                        {
                            Ok(request) => request,
                            Err(rejection) => return rejection,
                        };
                    let future = inner.call(request);
                    let Ok(response) = if check.config.responses {
                        ResponseFuture::checking(future, check).await
                    } else {
                        future.await
                    };
                    response
                }),
            },
        }
    }
}

impl<S> ContractService<S> {
    /// Whether a request the spec declares no operation for is one HTTP implies: `HEAD` where
    /// `GET` is declared (axum serves it with the `GET` handler), and a CORS preflight.
    fn is_implied(&self, request: &Request, route: &str) -> bool {
        let method = request.method();
        (method == http::Method::HEAD && self.contract.find_index("GET", route).is_some())
            || (method == http::Method::OPTIONS
                && request
                    .headers()
                    .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD))
    }

    /// Whether a route the spec does not declare is served outside it on purpose.
    fn is_allowed_outside(&self, route: &str, path: &str) -> bool {
        self.config.undeclared.iter().any(|allowed| {
            *allowed == route || (allowed.ends_with('/') && path.starts_with(allowed))
        })
    }
}

/// A response the router served at a method and path the spec does not declare. 404 and 405
/// are the router's own answers to what it does not serve, and pass.
fn undeclared_endpoint(
    method: &http::Method,
    route: &str,
    response: Response,
    on_violation: OnViolation,
) -> Response {
    let status = response.status();
    if matches!(
        status,
        StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED
    ) {
        return response;
    }
    let message = format!(
        "{method} {route} is served, but the spec declares no such operation: declare it, \
         or list the path in `ContractLayer::allow_undeclared`"
    );
    tracing::error!("{message}");
    match on_violation {
        OnViolation::Log => response,
        OnViolation::Panic => panic!("{message}"),
        OnViolation::Respond => {
            let body = json!({
                "type": "about:blank",
                "title": RESPONSE_VIOLATION,
                "status": 500,
                "detail": message,
                "method": method.as_str(),
                "path": route,
                "responseStatus": status.as_u16(),
                "violations": [{
                    "pointer": "",
                    "schemaPath": "paths",
                    "rule": "undeclared-endpoint",
                    "message": message,
                }],
            });
            let mut response =
                (StatusCode::INTERNAL_SERVER_ERROR, body.to_string()).into_response();
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/problem+json"),
            );
            response
        }
    }
}

/// What a response is checked against.
pub(crate) struct Check {
    pub contract: &'static Contract,
    /// Within `contract.ops` (checked when the `Check` is made).
    pub index: usize,
    pub is_head: bool,
    pub config: Config,
}

impl Check {
    /// Whether the response's body is read: to validate it, or to answer an undeclared client
    /// error (an extractor's rejection) in the operation's declared form.
    fn reads(&self, response: &Response) -> bool {
        self.config.responses
            || response.status().is_client_error() && {
                let op = &self.contract.ops[self.index];
                let content_type = response
                    .headers()
                    .get(header::CONTENT_TYPE)
                    .and_then(|v| v.to_str().ok());
                !is_declared(op, response.status(), content_type)
            }
    }
}

/// Whether the operation declares a response of this status and media type.
fn is_declared(op: &OpSpec, status: StatusCode, content_type: Option<&str>) -> bool {
    if op.responses_undocumented {
        return true;
    }
    match op.response(status.as_u16()) {
        None => false,
        Some((_, content)) if content.is_empty() => content_type.is_none(),
        Some((_, content)) => content_type.is_some_and(|ct| find_media(content, ct).is_some()),
    }
}

/// What the wrapped future yields: a tower service's `Result<Response, Infallible>`, or an
/// axum handler's `Response`.
pub trait ResponseOutput {
    #[doc(hidden)]
    fn into_response(self) -> Response;
    #[doc(hidden)]
    fn from_response(response: Response) -> Self;
}

impl ResponseOutput for Response {
    fn into_response(self) -> Response {
        self
    }

    fn from_response(response: Response) -> Self {
        response
    }
}

impl ResponseOutput for Result<Response, Infallible> {
    fn into_response(self) -> Response {
        let Ok(response) = self;
        response
    }

    fn from_response(response: Response) -> Self {
        Ok(response)
    }
}

pin_project_lite::pin_project! {
    /// The future of [`ContractService`] (and of a handler `routes!` mounts): the inner
    /// response, checked. Written out rather than an `async` block so that a validated call
    /// allocates nothing for itself and one that is not validated costs nothing.
    pub struct ResponseFuture<F> {
        #[pin]
        state: State<F>,
    }
}

pin_project_lite::pin_project! {
    #[project = StateProj]
    enum State<F> {
        Passthrough { #[pin] future: F },
        Calling { #[pin] future: F, check: Option<Check> },
        // Boxed: a body that is not whole when the handler returns is rare, and the future is
        // moved several times by value before it is pinned (the parts alone are ~100 bytes).
        Reading { reading: Box<Reading> },
        Boxed { future: BoxFuture },
        Done,
    }
}

struct Reading {
    reader: BodyReader,
    parts: Option<http::response::Parts>,
    check: Option<Check>,
}

impl<F> ResponseFuture<F> {
    pub(crate) fn passthrough(future: F) -> Self {
        ResponseFuture {
            state: State::Passthrough { future },
        }
    }

    pub(crate) fn boxed(future: BoxFuture) -> Self {
        ResponseFuture {
            state: State::Boxed { future },
        }
    }

    pub(crate) fn checking(future: F, check: Check) -> Self {
        ResponseFuture {
            state: State::Calling {
                future,
                check: Some(check),
            },
        }
    }
}

impl<F, O> Future for ResponseFuture<F>
where
    F: Future<Output = O>,
    O: ResponseOutput,
{
    type Output = O;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        loop {
            let state = self.as_mut().project().state;
            let next = match state.project() {
                StateProj::Passthrough { future } => return future.poll(cx),
                StateProj::Boxed { future } => {
                    return future.as_mut().poll(cx).map(O::from_response);
                }
                StateProj::Calling { future, check } => {
                    let response = std::task::ready!(future.poll(cx)).into_response();
                    let Some(check) = check.take() else {
                        return Poll::Ready(O::from_response(response));
                    };
                    if !check.reads(&response) {
                        self.as_mut().project().state.set(State::Done);
                        return Poll::Ready(O::from_response(response));
                    }
                    // A stream is never read whole: it may not end.
                    if check.config.responses
                        && let Some(kind) = response
                            .headers()
                            .get(header::CONTENT_TYPE)
                            .and_then(|v| v.to_str().ok())
                            .and_then(super::stream::stream_kind)
                    {
                        self.as_mut().project().state.set(State::Done);
                        return Poll::Ready(O::from_response(check_stream(&check, response, kind)));
                    }
                    let (parts, body) = response.into_parts();
                    let mut reader = BodyReader::new(body, RESPONSE_LIMIT);
                    // Most bodies are whole already (`Json`, `String`, `Bytes`): checked here,
                    // without moving the reader, the parts and the check into the next state.
                    match reader.poll_read(cx) {
                        Poll::Ready(read) => {
                            self.as_mut().project().state.set(State::Done);
                            return Poll::Ready(O::from_response(check_response(
                                &check, parts, read,
                            )));
                        }
                        Poll::Pending => State::Reading {
                            reading: Box::new(Reading {
                                reader,
                                parts: Some(parts),
                                check: Some(check),
                            }),
                        },
                    }
                }
                StateProj::Reading { reading } => {
                    let read = std::task::ready!(reading.reader.poll_read(cx));
                    let (Some(parts), Some(check)) = (reading.parts.take(), reading.check.take())
                    else {
                        panic!("`ResponseFuture` polled after it completed");
                    };
                    self.as_mut().project().state.set(State::Done);
                    return Poll::Ready(O::from_response(check_response(&check, parts, read)));
                }
                StateProj::Done => panic!("`ResponseFuture` polled after it completed"),
            };
            self.as_mut().project().state.set(next);
        }
    }
}

/// A media type without its parameters: `application/json; charset=utf-8` → `application/json`.
pub(crate) fn essence(media: &str) -> &str {
    media.split(';').next().unwrap_or("").trim()
}

/// `application/json; charset=utf-8` matches `application/json`; `image/*` matches `image/png`.
pub(crate) fn media_matches(declared: &str, actual: &str) -> bool {
    let (d, a) = (essence(declared), essence(actual));
    if d.eq_ignore_ascii_case(a) || d == "*/*" {
        return true;
    }
    match d.strip_suffix("/*") {
        Some(prefix) => a
            .split('/')
            .next()
            .is_some_and(|t| t.eq_ignore_ascii_case(prefix)),
        None => false,
    }
}

pub(crate) fn is_json(media: &str) -> bool {
    let m = essence(media);
    m.eq_ignore_ascii_case("application/json")
        || m.len() >= 5 && m.as_bytes()[m.len() - 5..].eq_ignore_ascii_case(b"+json")
}

pub(crate) fn find_media<'a>(declared: &'a [Media], actual: &str) -> Option<&'a Media> {
    // The response's `Content-Type` is most often the declared media type, spelled the same.
    if let Some(same) = declared.iter().find(|m| m.media == actual) {
        return Some(same);
    }
    declared
        .iter()
        .find(|m| media_matches(&m.media, actual) && !m.media.contains('*'))
        .or_else(|| declared.iter().find(|m| media_matches(&m.media, actual)))
}

type BodyError = Box<dyn std::error::Error + Send + Sync>;

/// Reads a whole body, at most `limit` bytes. A body sent in one frame (what `Json`, `String`
/// and `Bytes` responses are) is handed back without copying.
struct BodyReader {
    body: Body,
    limit: usize,
    first: bytes::Bytes,
    joined: Option<bytes::BytesMut>,
}

/// A body over its limit (413 for a request).
#[derive(Debug)]
pub(crate) struct TooLarge(usize);

impl std::fmt::Display for TooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the body is larger than {} bytes", self.0)
    }
}

impl std::error::Error for TooLarge {}

impl BodyReader {
    fn new(body: Body, limit: usize) -> Self {
        BodyReader {
            body,
            limit,
            first: bytes::Bytes::new(),
            joined: None,
        }
    }

    fn poll_read(&mut self, cx: &mut Context<'_>) -> Poll<Result<bytes::Bytes, BodyError>> {
        use http_body::Body as _;
        // A body that knows it has ended (a `Json` one, after its one frame) is not polled
        // again just to hear so.
        while !self.body.is_end_stream() {
            let Some(frame) = std::task::ready!(Pin::new(&mut self.body).poll_frame(cx)) else {
                break;
            };
            // Trailers are not part of what the spec describes; they are dropped as `to_bytes` does.
            let Ok(data) = frame?.into_data() else {
                continue;
            };
            let read = self.joined.as_ref().map_or(self.first.len(), |j| j.len());
            if read + data.len() > self.limit {
                return Poll::Ready(Err(TooLarge(self.limit).into()));
            }
            match &mut self.joined {
                Some(joined) => joined.extend_from_slice(&data),
                None if self.first.is_empty() => self.first = data,
                None => {
                    let mut both = bytes::BytesMut::from(&self.first[..]);
                    both.extend_from_slice(&data);
                    self.joined = Some(both);
                }
            }
        }
        let whole = match self.joined.take() {
            Some(joined) => joined.freeze(),
            None => std::mem::take(&mut self.first),
        };
        Poll::Ready(Ok(whole))
    }
}

/// The whole body, at most `limit` bytes (an error beyond).
pub(crate) async fn read_body(body: Body, limit: usize) -> Result<bytes::Bytes, BodyError> {
    let mut reader = BodyReader::new(body, limit);
    std::future::poll_fn(|cx| reader.poll_read(cx)).await
}

/// Responses larger than this are passed through unvalidated (and the skip is logged).
const RESPONSE_LIMIT: usize = 16 * 1024 * 1024;

fn check_response(
    check: &Check,
    parts: http::response::Parts,
    read: Result<bytes::Bytes, BodyError>,
) -> Response {
    let op = &check.contract.ops[check.index];
    let bytes = match read {
        Ok(bytes) => bytes,
        Err(e) => {
            tracing::warn!("contract: response of {} not validated: {e}", op.label());
            return error_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the response body could not be read",
                op,
                Vec::new(),
                None,
            );
        }
    };
    let status = parts.status;
    // UTF-8 rather than `to_str`'s visible-ASCII check, byte by byte: only compared with the
    // declared media types (all ASCII) and quoted in messages.
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| std::str::from_utf8(v.as_bytes()).ok());
    if status.is_client_error() && !is_declared(op, status, content_type) {
        // An extractor's rejection (or the handler's own undeclared client error): the same
        // answer in the form the operation declares for client errors.
        let detail = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).into_owned();
        tracing::warn!(
            operation = %op.label(),
            status = status.as_u16(),
            "an undeclared client error is answered in the operation's declared form: {detail}"
        );
        return request_error(check.contract, op, status, &detail, Vec::new());
    }
    if !check.config.responses {
        return Response::from_parts(parts, Body::from(bytes));
    }
    super::count_validation();
    let violations = response_violations(
        check.contract,
        op,
        status,
        &parts.headers,
        &bytes,
        check.is_head,
    );
    finish(
        op,
        status,
        violations,
        Response::from_parts(parts, Body::from(bytes)),
        &check.config,
    )
}

/// A streamed response: its status, headers and media type checked as it starts, and each
/// item as it passes where the media type has an `itemSchema`.
fn check_stream(check: &Check, response: Response, kind: super::stream::StreamKind) -> Response {
    let op = &check.contract.ops[check.index];
    let status = response.status();
    super::count_validation();
    let violations =
        response_violations(check.contract, op, status, response.headers(), &[], false);
    if !violations.is_empty() {
        return violation(op, status, violations, response, &check.config);
    }
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let media = op
        .response(status.as_u16())
        .and_then(|(_, content)| find_media(content, content_type));
    let Some((media, item_site)) = media.and_then(|m| Some((m, m.item_site?))) else {
        return response;
    };
    let what = format!(
        "{} response {} {}",
        op.label(),
        status.as_u16(),
        media.media
    );
    let (parts, body) = response.into_parts();
    let body = super::stream::ItemChecked::new(
        body,
        kind,
        check.contract,
        (item_site, media.data_site),
        what,
        check.config.on_violation,
    );
    Response::from_parts(parts, Body::new(body))
}

/// What is wrong with a response: its status, media type or body.
pub(crate) fn response_violations(
    contract: &Contract,
    op: &OpSpec,
    status: StatusCode,
    headers: &http::HeaderMap,
    bytes: &[u8],
    is_head: bool,
) -> Vec<Violation> {
    if op.responses_undocumented {
        return Vec::new();
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| std::str::from_utf8(v.as_bytes()).ok());
    let Some((key, content)) = op.response(status.as_u16()) else {
        let declared: Vec<&str> = op.responses.iter().map(|(k, _)| k.as_str()).collect();
        return vec![Violation {
            pointer: String::new(),
            schema_path: format!("{} responses", op.label()),
            rule: "status".into(),
            message: format!(
                "status {} is not declared (declared: {})",
                status.as_u16(),
                declared.join(", ")
            ),
        }];
    };
    let mut violations = header_violations(contract, op, key, headers);
    if content.is_empty() {
        if !bytes.is_empty() && !is_head {
            violations.push(Violation {
                pointer: String::new(),
                schema_path: format!("{} responses/{key}", op.label()),
                rule: "content".into(),
                message: format!(
                    "status {key} declares no content, but the response has a {}-byte body",
                    bytes.len()
                ),
            });
        }
        return violations;
    }
    if is_head || (bytes.is_empty() && status == StatusCode::NOT_MODIFIED) {
        return violations;
    }
    match content_type.and_then(|ct| find_media(content, ct)) {
        None => {
            let declared: Vec<&str> = content.iter().map(|m| m.media.as_str()).collect();
            violations.push(Violation {
                pointer: String::new(),
                schema_path: format!("{} responses/{key}/content", op.label()),
                rule: "content-type".into(),
                message: format!(
                    "Content-Type `{}` is not declared for {key} (declared: {})",
                    content_type.unwrap_or("none"),
                    declared.join(", ")
                ),
            });
        }
        Some(media) => {
            if let (Some(site), true) = (media.site, media.is_json)
                && !contract.accepts(site, bytes)
            {
                match serde_json::from_slice::<Value>(bytes) {
                    Ok(value) => violations.extend(contract.check(site, &value)),
                    Err(e) => violations.push(Violation {
                        pointer: String::new(),
                        schema_path: contract.site_location(site).to_string(),
                        rule: "json".into(),
                        message: format!("the body is not valid JSON: {e}"),
                    }),
                }
            }
        }
    }
    violations
}

/// What is wrong with the headers of the response under `key`: a required one missing, or a
/// value that breaks its schema (read as a `simple`-style parameter is).
fn header_violations(
    contract: &Contract,
    op: &OpSpec,
    key: &str,
    headers: &http::HeaderMap,
) -> Vec<Violation> {
    let mut violations = Vec::new();
    for declared in op.headers_of(key) {
        let at = || format!("{} responses/{key}/headers/{}", op.label(), declared.name);
        let values: Vec<&str> = headers
            .get_all(declared.name.as_str())
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        if values.is_empty() {
            if declared.required {
                violations.push(Violation {
                    pointer: String::new(),
                    schema_path: at(),
                    rule: "header".into(),
                    message: format!(
                        "the required response header `{}` is missing",
                        declared.name
                    ),
                });
            }
            continue;
        }
        let Some(site) = declared.site else { continue };
        let Some(schema) = contract.schema(site) else {
            continue;
        };
        let joined = values.join(",");
        let value = super::request::coerce(contract, schema, &[joined.as_str()], false);
        for mut v in contract.check(site, &value) {
            v.message = format!("response header `{}`: {}", declared.name, v.message);
            violations.push(v);
        }
    }
    violations
}

fn finish(
    op: &OpSpec,
    status: StatusCode,
    violations: Vec<Violation>,
    response: Response,
    config: &Config,
) -> Response {
    if violations.is_empty() {
        response
    } else {
        violation(op, status, violations, response, config)
    }
}

fn violation(
    op: &OpSpec,
    status: StatusCode,
    violations: Vec<Violation>,
    response: Response,
    config: &Config,
) -> Response {
    let summary = violations
        .iter()
        .map(|v| {
            format!(
                "{} at `{}` ({}): {}",
                v.rule,
                if v.pointer.is_empty() {
                    "/"
                } else {
                    &v.pointer
                },
                v.schema_path,
                v.message
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    tracing::error!(
        operation = %op.label(),
        status = status.as_u16(),
        "response breaks the OpenAPI contract: {summary}"
    );
    // A client error stays a client error: axum's own rejections (a path segment that does not
    // parse, say) are 4xx responses the spec rarely declares, and a bad request must never
    // become a 500. Such violations are logged only.
    let mode = if status.is_client_error() {
        OnViolation::Log
    } else {
        config.on_violation
    };
    match mode {
        OnViolation::Log => response,
        OnViolation::Panic => panic!(
            "response of {} ({}) breaks the OpenAPI contract: {summary}",
            op.label(),
            status.as_u16()
        ),
        OnViolation::Respond => {
            let detail = format!(
                "the {} response of {} does not match the OpenAPI contract",
                status.as_u16(),
                op.label()
            );
            error_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                &detail,
                op,
                violations,
                Some(status.as_u16()),
            )
        }
    }
}

/// The title of the 500 that replaces a response breaking the contract: how the test sweep
/// tells it from the application's own server errors.
pub(crate) const RESPONSE_VIOLATION: &str = "Response violates the API contract";

/// A refused request, answered in the form the operation declares for client errors: the
/// status `wanted` where it is declared (exactly, as `4XX` or as `default`), else 400 where that
/// is, else the nearest declared 4xx; as `application/problem+json` (RFC 9457), or the JSON
/// media type the response declares, in a document its schema accepts.
pub(crate) fn request_error(
    contract: &Contract,
    op: &OpSpec,
    wanted: StatusCode,
    detail: &str,
    violations: Vec<Violation>,
) -> Response {
    let status = declared_status(op, wanted);
    let declared = op.response(status.as_u16()).map(|(_, content)| content);
    let Some(content) = declared else {
        return error_response(status, detail, op, violations, None);
    };
    if content.is_empty() {
        tracing::debug!(operation = %op.label(), "request refused: {detail}");
        return status.into_response();
    }
    let media = content
        .iter()
        .find(|m| essence(&m.media).eq_ignore_ascii_case("application/problem+json"))
        .or_else(|| content.iter().find(|m| m.is_json));
    let Some(media) = media else {
        if let Some(text) = content
            .iter()
            .find(|m| media_matches(&m.media, "text/plain"))
        {
            let mut response = (status, detail.to_string()).into_response();
            if let Ok(value) = HeaderValue::from_str(&text.media) {
                response.headers_mut().insert(header::CONTENT_TYPE, value);
            }
            return response;
        }
        return error_response(status, detail, op, violations, None);
    };
    let full = problem(status, detail, op, &violations, None);
    let body = match media.site {
        Some(site) if !contract.check(site, &full).is_empty() => {
            match fitting_problem(contract, site, status, detail) {
                // The schema's own members, and the problem's beside them where it allows.
                Some(Value::Object(fitting)) => {
                    let mut merged = full.clone();
                    if let Value::Object(members) = &mut merged {
                        members.extend(fitting.clone());
                    }
                    if contract.check(site, &merged).is_empty() {
                        merged
                    } else {
                        Value::Object(fitting)
                    }
                }
                Some(fitting) => fitting,
                None => full,
            }
        }
        _ => full,
    };
    let mut response = (status, body.to_string()).into_response();
    let content_type = if media.media.contains('*') {
        HeaderValue::from_static("application/problem+json")
    } else {
        HeaderValue::from_str(&media.media)
            .unwrap_or_else(|_| HeaderValue::from_static("application/problem+json"))
    };
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, content_type);
    response
}

/// The status a refusal that wants `wanted` is answered with.
fn declared_status(op: &OpSpec, wanted: StatusCode) -> StatusCode {
    if op.response(wanted.as_u16()).is_some() {
        return wanted;
    }
    let declared = op
        .responses
        .iter()
        .filter_map(|(k, _)| k.parse::<u16>().ok())
        .filter(|s| (400..500).contains(s));
    let nearest = declared.min_by_key(|s| {
        // 400 first, then by distance (the lower on a tie).
        (u16::from(*s != 400), s.abs_diff(wanted.as_u16()), *s)
    });
    nearest
        .and_then(|s| StatusCode::from_u16(s).ok())
        .unwrap_or(wanted)
}

/// A problem document the declared error schema at `site` accepts: RFC 9457's members alone,
/// else a value generated from the schema with its message-like strings set to `detail`.
fn fitting_problem(
    contract: &Contract,
    site: usize,
    status: StatusCode,
    detail: &str,
) -> Option<Value> {
    let minimal = json!({
        "type": "about:blank",
        "title": status.canonical_reason().unwrap_or("Bad Request"),
        "status": status.as_u16(),
        "detail": detail,
    });
    if contract.check(site, &minimal).is_empty() {
        return Some(minimal);
    }
    let schema = contract.schema(site)?;
    let mut rng = crate::testing::generate::Rng::new(u64::from(status.as_u16()));
    let mut value = crate::testing::generate::valid(contract, schema, &mut rng, 0);
    if !contract.check(site, &value).is_empty() {
        return None;
    }
    if let Value::Object(map) = &mut value {
        for key in ["detail", "message", "error", "title", "description"] {
            if let Some(slot) = map.get_mut(key).filter(|v| v.is_string()) {
                let before = std::mem::replace(slot, Value::String(detail.to_string()));
                if !contract.check(site, &value).is_empty()
                    && let Some(slot) = value.get_mut(key)
                {
                    *slot = before;
                }
                break;
            }
        }
        if let Some(slot) = value.get_mut("status").filter(|v| v.is_u64()) {
            let before = std::mem::replace(slot, json!(status.as_u16()));
            if !contract.check(site, &value).is_empty()
                && let Some(slot) = value.get_mut("status")
            {
                *slot = before;
            }
        }
    }
    Some(value)
}

fn problem(
    status: StatusCode,
    detail: &str,
    op: &OpSpec,
    violations: &[Violation],
    response_status: Option<u16>,
) -> Value {
    let title = match status.as_u16() {
        500 => RESPONSE_VIOLATION,
        401 => "Unauthorized",
        413 => "Request body too large",
        415 => "Unsupported media type",
        422 => "Request body violates the API contract",
        _ => "Request violates the API contract",
    };
    let mut body = json!({
        "type": "about:blank",
        "title": title,
        "status": status.as_u16(),
        "detail": detail,
        "operation": op.operation_id,
        "method": op.method,
        "path": op.path,
        "violations": violations,
    });
    if let Some(s) = response_status {
        body["responseStatus"] = json!(s);
    }
    body
}

/// A problem+json response (RFC 9457).
pub(crate) fn error_response(
    status: StatusCode,
    detail: &str,
    op: &OpSpec,
    violations: Vec<Violation>,
    response_status: Option<u16>,
) -> Response {
    let body = problem(status, detail, op, &violations, response_status);
    let mut response = (status, body.to_string()).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::VecDeque;

    /// A body sent in the given chunks, each one ready when polled.
    struct Chunks(VecDeque<&'static [u8]>);

    impl http_body::Body for Chunks {
        type Data = bytes::Bytes;
        type Error = Infallible;

        fn poll_frame(
            mut self: Pin<&mut Self>,
            _: &mut Context<'_>,
        ) -> Poll<Option<Result<http_body::Frame<bytes::Bytes>, Infallible>>> {
            Poll::Ready(
                self.0
                    .pop_front()
                    .map(|c| Ok(http_body::Frame::data(bytes::Bytes::from_static(c)))),
            )
        }
    }

    /// Runs a future whose body frames are all ready (no executor needed).
    fn ready<F: Future>(future: F) -> F::Output {
        let mut future = std::pin::pin!(future);
        match future
            .as_mut()
            .poll(&mut Context::from_waker(std::task::Waker::noop()))
        {
            Poll::Ready(out) => out,
            Poll::Pending => panic!("the body was not ready"),
        }
    }

    fn read(chunks: &[&'static [u8]], limit: usize) -> Result<bytes::Bytes, String> {
        let body = Body::new(Chunks(chunks.iter().copied().collect()));
        ready(read_body(body, limit)).map_err(|e| e.to_string())
    }

    #[test]
    fn bodies_are_read_whole_and_limited() {
        assert_eq!(read(&[], 10).unwrap(), "");
        assert_eq!(read(&[b"{}"], 10).unwrap(), "{}");
        assert_eq!(read(&[b"[1,", b"2", b",3]"], 10).unwrap(), "[1,2,3]");
        assert_eq!(read(&[b"", b"ab"], 10).unwrap(), "ab");
        assert!(read(&[b"0123456", b"789ab"], 10).is_err());
        assert!(read(&[b"0123456789ab"], 10).is_err());
        assert_eq!(read(&[b"01234", b"56789"], 10).unwrap(), "0123456789");
    }

    /// A body whose chunks each come one poll after the last (the first too): not whole when
    /// the handler returns.
    struct Slow(VecDeque<&'static [u8]>, bool);

    impl http_body::Body for Slow {
        type Data = bytes::Bytes;
        type Error = Infallible;

        fn poll_frame(
            mut self: Pin<&mut Self>,
            cx: &mut Context<'_>,
        ) -> Poll<Option<Result<http_body::Frame<bytes::Bytes>, Infallible>>> {
            self.1 = !self.1;
            if self.1 {
                cx.waker().wake_by_ref();
                return Poll::Pending;
            }
            Poll::Ready(
                self.0
                    .pop_front()
                    .map(|c| Ok(http_body::Frame::data(bytes::Bytes::from_static(c)))),
            )
        }
    }

    /// The response a slow body gets once checked, and how many polls that took.
    fn check_slow(chunks: &[&'static [u8]]) -> (StatusCode, String, usize) {
        let contract = crate::validate::streaming::tests_support::contract(
            json!({"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}}),
            json!({}),
        );
        let body = Body::new(Slow(chunks.iter().copied().collect(), false));
        let response = Response::builder()
            .header(header::CONTENT_TYPE, "application/json")
            .body(body)
            .unwrap();
        let check = Check {
            contract: Box::leak(Box::new(contract)),
            index: 0,
            is_head: false,
            config: Config::ROUTES,
        };
        let mut future = std::pin::pin!(ResponseFuture::checking(
            std::future::ready(response),
            check
        ));
        let mut cx = Context::from_waker(std::task::Waker::noop());
        for polls in 1..100 {
            if let Poll::Ready(response) = future.as_mut().poll(&mut cx) {
                let status = response.status();
                let body = ready(read_body(response.into_body(), usize::MAX)).unwrap();
                return (status, String::from_utf8_lossy(&body).into_owned(), polls);
            }
        }
        panic!("the response never came");
    }

    #[test]
    fn a_body_not_whole_when_the_handler_returns_is_read_then_checked() {
        let (status, body, polls) = check_slow(&[b"{\"id\"", b": 7}"]);
        assert_eq!((status, body.as_str()), (StatusCode::OK, r#"{"id": 7}"#));
        assert!(polls > 2, "{polls} polls");
        let (status, body, _) = check_slow(&[b"{\"id\"", b": \"7\"}"]);
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{body}");
        assert!(body.contains("/id"), "{body}");
    }

    #[test]
    fn media_types_match_by_essence_and_wildcard() {
        assert!(media_matches(
            "application/json",
            "application/json; charset=utf-8"
        ));
        assert!(media_matches("Application/JSON", "application/json"));
        assert!(media_matches("image/*", "IMAGE/png"));
        assert!(media_matches("*/*", "text/plain"));
        assert!(!media_matches("image/*", "text/png"));
        assert!(!media_matches("application/json", "application/jsonx"));
        assert!(!media_matches("text/plain", ""));
    }

    #[test]
    fn json_media_types() {
        assert!(is_json("application/json"));
        assert!(is_json("application/problem+JSON; charset=utf-8"));
        assert!(is_json(" APPLICATION/JSON "));
        assert!(!is_json("text/json5"));
        assert!(!is_json("json"));
        assert!(!is_json("application/x-ndjson"));
    }
}
