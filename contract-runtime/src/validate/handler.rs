//! What `routes!` mounts: each handler wrapped so that its response is checked against its own
//! operation. The operation is known when the router is built (`routes!` has it from
//! `#[contract]`), so no route is looked up per request and no layer wraps the routes.

use std::any::Any;
use std::marker::PhantomData;
use std::sync::Arc;

use axum::extract::Request;
use axum::handler::Handler;
use axum::routing::{MethodFilter, MethodRouter};

use super::contract::{Contract, SpecBundle};
use super::layer::{Check, Config, ResponseFuture};

/// The spec of a `routes!` router, parsed when `ON` (the user crate's `debug_assertions`); with
/// `ON` false nothing of the validation is compiled in.
#[doc(hidden)]
pub struct RouteContract<const ON: bool> {
    /// A `Contract`, behind `dyn Any`: its drop code is then reached through a vtable made
    /// only where one is built (when `ON`), so a release binary does not carry it, nor
    /// the validators'.
    contract: Option<Arc<dyn Any + Send + Sync>>,
}

impl<const ON: bool> RouteContract<ON> {
    pub fn new(bundle: SpecBundle) -> Self {
        RouteContract {
            contract: if ON {
                Some(Contract::new(bundle) as Arc<dyn Any + Send + Sync>)
            } else {
                None
            },
        }
    }
}

/// A handler whose responses are checked against its operation (when `ON`).
#[doc(hidden)]
pub struct Validated<H, T, S, const ON: bool> {
    handler: H,
    contract: Option<Arc<Contract>>,
    index: usize,
    marker: PhantomData<fn() -> (T, S)>,
}

impl<H: Clone, T, S, const ON: bool> Clone for Validated<H, T, S, ON> {
    fn clone(&self) -> Self {
        Validated {
            handler: self.handler.clone(),
            contract: self.contract.clone(),
            index: self.index,
            marker: PhantomData,
        }
    }
}

impl<H, T, S, const ON: bool> Handler<T, S> for Validated<H, T, S, ON>
where
    H: Handler<T, S>,
    T: 'static,
    S: 'static,
{
    type Future = ResponseFuture<H::Future>;

    fn call(self, request: Request, state: S) -> Self::Future {
        let is_head = request.method() == http::Method::HEAD;
        let future = self.handler.call(request, state);
        match self.contract {
            Some(contract) if ON && self.index < contract.ops.len() => ResponseFuture::checking(
                future,
                Check {
                    contract,
                    index: self.index,
                    is_head,
                    config: Config::ROUTES,
                },
            ),
            _ => ResponseFuture::passthrough(future),
        }
    }
}

/// `handler` routed for `method`, checked against operation `index` of the spec. The
/// `Handler` bound is stated here and on `Operation::mount` (and `Validated`'s own impl proved
/// inside this crate), so that a fn that is not a handler is reported once, at its name in
/// `routes!`.
pub fn on_validated<const ON: bool, H, T, S>(
    contract: &RouteContract<ON>,
    method: MethodFilter,
    handler: H,
    index: usize,
) -> MethodRouter<S>
where
    H: Handler<T, S>,
    T: 'static,
    S: Clone + Send + Sync + 'static,
{
    // Decided per instance: with `ON` false the wrapper is never instantiated, so nothing of
    // the validation  reaches a release binary.
    if ON {
        axum::routing::on(
            method,
            Validated::<H, T, S, ON> {
                handler,
                contract: contract.contract.clone().and_then(|c| c.downcast().ok()),
                index,
                marker: PhantomData,
            },
        )
    } else {
        axum::routing::on(method, handler)
    }
}
