//! What `#[contract]` records about a handler: the Rust types its extractors hold, the
//! operation it binds and the method it is routed for.

use axum::handler::Handler;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, on};

use crate::schema::{Field, Shape};

/// What a handler's extractors can hold, as `#[contract]` read them from its signature.
#[derive(Clone, Copy, Debug)]
pub struct RequestTypes {
    pub path: PathTypes,
    /// `Query<T>`: `T`'s shape and fields (named as on the wire).
    pub query: Option<(&'static Shape, Option<&'static [Field]>)>,
    /// `Json<T>`: `T`'s name, and a check that the body deserializes into it.
    pub body: Option<(&'static str, Option<BodyCheck>)>,
}

/// The Rust types of `Path<…>`.
#[derive(Clone, Copy, Debug)]
pub enum PathTypes {
    None,
    /// A tuple: the template's parameter names in order, each with its element's shape.
    Each(&'static [(&'static str, &'static Shape)]),
    /// One type: a struct (its fields, by name) or, for a template with one parameter
    /// (`single`), that parameter's type.
    One {
        single: Option<&'static str>,
        shape: &'static Shape,
        fields: Option<&'static [Field]>,
    },
}

/// Deserializes a JSON body into the handler's type and drops it: the JSON pointer and
/// serde's message where that fails.
pub type BodyCheck = fn(&[u8]) -> Result<(), (String, String)>;

impl RequestTypes {
    pub const NONE: RequestTypes = RequestTypes {
        path: PathTypes::None,
        query: None,
        body: None,
    };
}

/// [`BodyCheck`] for `T`.
pub fn body_check<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<(), (String, String)> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Ok(_) => Ok(()),
        Err(e) => {
            let pointer = pointer_of(e.path());
            Err((pointer, e.into_inner().to_string()))
        }
    }
}

fn pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path.iter() {
        out.push('/');
        match segment {
            Segment::Seq { index } => out.push_str(&index.to_string()),
            Segment::Map { key } => out.push_str(&key.replace('~', "~0").replace('/', "~1")),
            Segment::Enum { variant } => out.push_str(variant),
            Segment::Unknown => out.push('?'),
        }
    }
    out
}

/// A handler's operation, as `routes!` checks it.
#[derive(Clone, Copy)]
pub struct Binding {
    /// Identifies the spec the handler was checked against (a hash of its canonical path: the
    /// binding check compares one integer per handler, where comparing the paths byte by byte in
    /// rustc's const evaluator cost a third of a millisecond per handler).
    pub spec: u64,
    /// Index of the operation in the spec; `usize::MAX` when binding failed (already reported).
    pub index: usize,
    pub method: RouteMethod,
    /// The path template, which is also axum 0.8's route syntax.
    pub path: &'static str,
    /// The operation as messages name it. The handler carries it, so that `routes!` needs no
    /// list of every operation's label: with `partial`, that list grew with the spec, not with
    /// the handlers mounted.
    pub label: &'static str,
}

/// The method a handler is routed for.
#[derive(Clone, Copy, Debug)]
pub enum RouteMethod {
    /// One axum routes by its own filter.
    Filter(MethodFilter),
    /// One axum has no filter for (`QUERY`, a method of 3.2's `additionalOperations`): the
    /// path's fallback serves it, and answers other methods with 405.
    Named(&'static str),
}

/// `handler` routed for `method` on its path.
pub fn on_method<H, T, S>(method: RouteMethod, handler: H) -> axum::routing::MethodRouter<S>
where
    H: Handler<T, S>,
    T: 'static,
    S: Clone + Send + Sync + 'static,
{
    match method {
        RouteMethod::Filter(filter) => on(filter, handler),
        RouteMethod::Named(name) => {
            axum::routing::MethodRouter::new().fallback(OnlyMethod { name, handler })
        }
    }
}

/// A handler for one method axum has no filter for; any other method gets 405.
#[derive(Clone)]
pub struct OnlyMethod<H> {
    name: &'static str,
    handler: H,
}

impl<H, T, S> Handler<T, S> for OnlyMethod<H>
where
    H: Handler<T, S>,
    T: 'static,
    S: Send + 'static,
{
    type Future = std::pin::Pin<Box<dyn std::future::Future<Output = Response> + Send>>;

    fn call(self, request: axum::extract::Request, state: S) -> Self::Future {
        if request.method().as_str() == self.name {
            Box::pin(self.handler.call(request, state))
        } else {
            let allow = http::HeaderValue::from_static(self.name);
            Box::pin(async move {
                let mut response = StatusCode::METHOD_NOT_ALLOWED.into_response();
                response.headers_mut().insert(http::header::ALLOW, allow);
                response
            })
        }
    }
}

/// The fields a type serializes as, when it is an object.
pub const fn fields_of(
    shape: &Shape,
    fields: Option<&'static [Field]>,
) -> Option<&'static [Field]> {
    match (fields, shape) {
        (Some(f), _) => Some(f),
        (None, Shape::Object(f)) => Some(f),
        _ => None,
    }
}
