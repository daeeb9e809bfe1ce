//! Per-status responses of an operation, described at compile time.

use axum::Json;

use crate::schema::{Field, Schema, Shape};

/// What one response variant sends.
#[derive(Debug, Clone, Copy)]
pub enum Body {
    /// No body.
    Empty,
    /// A JSON body of this shape (and its fields, when it is an object).
    Json(&'static Shape, Option<&'static [Field]>),
    /// A body the checks do not look into (text, bytes, a custom `IntoResponse`).
    Other,
}

/// One response a handler can send.
#[derive(Debug, Clone, Copy)]
pub struct ResponseVariant {
    /// The variant's name, for messages.
    pub name: &'static str,
    /// The status code, or 0 when only known at run time.
    pub status: u16,
    /// What the variant sends as its body.
    pub body: Body,
}

/// The responses a type can produce, for checking against the operation's `responses`.
///
/// Derive it on an enum with one variant per status:
///
/// ```
/// # use axum::Json;
/// # use contract_runtime::{Responses, Schema};
/// # #[derive(serde::Serialize, Schema)]
/// # struct Pet { id: i64, name: String, tag: Option<String> }
/// # #[derive(serde::Serialize, Schema)]
/// # struct Problem { title: String, status: u16 }
/// #[derive(Responses)]
/// enum ShowPet {
///     #[response(status = 200)] Found(Json<Pet>),
///     #[response(status = 404)] Missing(Json<Problem>),
///     #[response(status = 204)] Gone,
/// }
///
/// let response = axum::response::IntoResponse::into_response(ShowPet::Gone);
/// assert_eq!(response.status(), 204);
/// ```
///
/// The derive also implements `axum::response::IntoResponse`, sending each variant with its
/// status.
pub trait Responses {
    /// One entry per variant.
    const RESPONSES: &'static [ResponseVariant];
}

impl<T: Schema> Responses for Json<T> {
    const RESPONSES: &'static [ResponseVariant] = &[ResponseVariant {
        name: "Json",
        status: 200,
        body: Body::Json(&T::SHAPE, T::FIELDS),
    }];
}

/// `(StatusCode, Json<T>)`: a JSON body sent with a status chosen at run time, so `T` must fit
/// one of the operation's declared JSON responses. The handler macro reads this form in a
/// return type directly; the impl covers it behind an alias, such as the error side of
/// `type ApiResult<T> = Result<Json<T>, (StatusCode, Json<ApiError>)>`.
impl<T: Schema> Responses for (axum::http::StatusCode, Json<T>) {
    const RESPONSES: &'static [ResponseVariant] = &[ResponseVariant {
        name: "(StatusCode, Json)",
        status: 0,
        body: Body::Json(&T::SHAPE, T::FIELDS),
    }];
}
