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
use serde_json::json;

use super::body::{BodyError, BodyReader};
use super::config::{Config, OnViolation};
use super::contract::{Contract, OpSpec, SpecBundle, Violation};
use super::media::find_media;
use super::problem::{RESPONSE_VIOLATION, error_response, request_error};
use super::response::response_violations;

/// Validates the requests and responses of a router against the spec.
///
/// `routes!` validates its handlers by itself (each against its own operation). For a router
/// built by hand:
///
/// ```
/// use contract_runtime::{ContractLayer, OnViolation};
/// # async fn list_pets() -> axum::Json<Vec<serde_json::Value>> { axum::Json(Vec::new()) }
///
/// let app: axum::Router = axum::Router::new()
///     .route("/pets", axum::routing::get(list_pets))
///     .layer(ContractLayer::new(contract_runtime::spec!()).on_violation(OnViolation::Log));
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
    /// ```
    /// # use axum::{Json, extract::Path, routing::get};
    /// # use contract_runtime::{ContractLayer, Schema, contract, routes, spec};
    /// # #[derive(serde::Serialize, Schema)]
    /// # struct Pet { id: i64, name: String, tag: Option<String> }
    /// # #[contract("listPets")]
    /// # async fn list_pets() -> Json<Vec<Pet>> { Json(Vec::new()) }
    /// # #[contract("showPetById")]
    /// # async fn show_pet(Path(id): Path<i64>) -> Json<Pet> {
    /// #     Json(Pet { id, name: "Rex".into(), tag: None })
    /// # }
    /// # async fn metrics() -> &'static str { "up 1" }
    /// let app: axum::Router = routes!(partial; list_pets, show_pet)
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

#[cfg(test)]
mod tests {
    use super::super::body::read_body;
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
}
