//! `TypedHeader<T>` of the `headers` crate, matched by the header's name: a required header
//! read as is, an optional one through `Option`; `Authorization` is the security schemes'
//! business (never a parameter), and `HeaderMap` reads anything, unchecked.
use axum::extract::Path;
use axum::http::HeaderMap;
use axum::Json;
use axum_extra::headers::authorization::Bearer;
use axum_extra::headers::{Authorization, IfNoneMatch, UserAgent};
use axum_extra::TypedHeader;
use contract_runtime::contract;

#[contract("showReport", spec = "specs/headers.yaml")]
async fn show_report(
    Path(id): Path<i64>,
    TypedHeader(agent): TypedHeader<UserAgent>,
    etag: Option<TypedHeader<IfNoneMatch>>,
    token: Option<TypedHeader<Authorization<Bearer>>>,
    headers: HeaderMap,
) -> Json<String> {
    let _ = (id, agent, etag, token, headers.get("range"));
    Json(String::new())
}

fn main() {
    let _: axum::Router = contract_runtime::routes!(spec = "specs/headers.yaml"; show_report);
}
