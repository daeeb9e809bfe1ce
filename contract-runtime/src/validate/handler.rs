//! What `routes!` mounts: each handler wrapped so that its requests are validated against its
//! own operation (and its Rust types) before it runs, and its responses after it returns (in
//! debug builds). The operation is known when the router is built (`routes!` has it from
//! `#[contract]`), so no route is looked up per request and no layer wraps the routes.

use std::marker::PhantomData;

use axum::extract::Request;
use axum::handler::Handler;
use axum::routing::MethodRouter;

use crate::binding::RouteMethod;

use super::config::Config;
use super::contract::{Contract, SpecBundle};
use super::layer::{Check, ResponseFuture};
use crate::binding::RequestTypes;

/// The spec of a `routes!` router. `ON` (the user crate's `debug_assertions`) turns response
/// validation on.
#[doc(hidden)]
pub struct RouteContract<const ON: bool> {
    contract: &'static Contract,
    requests: bool,
}

impl<const ON: bool> RouteContract<ON> {
    pub fn new(bundle: SpecBundle) -> Self {
        RouteContract {
            contract: Contract::shared(bundle),
            requests: true,
        }
    }

    /// `routes!(validate_requests = false; …)`.
    pub fn validate_requests(mut self, on: bool) -> Self {
        self.requests = on;
        self
    }
}

/// A handler whose requests (and, when `ON`, responses) are checked against its operation.
#[doc(hidden)]
pub struct Validated<H, T, S, const ON: bool> {
    handler: H,
    contract: &'static Contract,
    index: usize,
    requests: bool,
    types: &'static RequestTypes,
    marker: PhantomData<fn() -> (T, S)>,
}

impl<H: Clone, T, S, const ON: bool> Clone for Validated<H, T, S, ON> {
    fn clone(&self) -> Self {
        Validated {
            handler: self.handler.clone(),
            contract: self.contract,
            index: self.index,
            requests: self.requests,
            types: self.types,
            marker: PhantomData,
        }
    }
}

impl<H, T, S, const ON: bool> Handler<T, S> for Validated<H, T, S, ON>
where
    H: Handler<T, S>,
    T: 'static,
    S: Send + 'static,
{
    type Future = ResponseFuture<H::Future>;

    fn call(self, request: Request, state: S) -> Self::Future {
        let Some(op) = self.contract.ops.get(self.index) else {
            return ResponseFuture::passthrough(self.handler.call(request, state));
        };
        let config = Config {
            responses: ON,
            requests: self.requests,
            ..Config::ROUTES
        };
        // Nothing to read from a request to an operation without parameters, body or security.
        let validate =
            self.requests && (!op.params.is_empty() || op.body.is_some() || op.is_secured());
        let check = Check {
            is_head: request.method() == http::Method::HEAD,
            contract: self.contract,
            index: self.index,
            config,
        };
        if !validate {
            return ResponseFuture::checking(self.handler.call(request, state), check);
        }
        let (handler, types) = (self.handler, self.types);
        ResponseFuture::boxed(Box::pin(async move {
            let op = &check.contract.ops[check.index];
            let limit = check.config.body_limit;
            let request =
                match super::request::validate(check.contract, op, request, limit, Some(types))
                    .await
                {
                    Ok(request) => request,
                    Err(rejection) => return rejection,
                };
            ResponseFuture::checking(handler.call(request, state), check).await
        }))
    }
}

/// `handler` routed for `method`, checked against operation `index` of the spec. The
/// `Handler` bound is stated here and on `Operation::mount` (and `Validated`'s own impl proved
/// inside this crate), so that a fn that is not a handler is reported once, at its name in
/// `routes!`.
pub fn on_validated<const ON: bool, H, T, S>(
    contract: &RouteContract<ON>,
    method: RouteMethod,
    handler: H,
    index: usize,
    types: &'static RequestTypes,
) -> MethodRouter<S>
where
    H: Handler<T, S>,
    T: 'static,
    S: Clone + Send + Sync + 'static,
{
    crate::binding::on_method(
        method,
        Validated::<H, T, S, ON> {
            handler,
            contract: contract.contract,
            index,
            requests: contract.requests,
            types,
            marker: PhantomData,
        },
    )
}
