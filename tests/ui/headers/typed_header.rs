use axum::extract::Path;
use axum::Json;
use axum_extra::headers::{IfModifiedSince, IfNoneMatch, Range, UserAgent};
use axum_extra::TypedHeader;
use contract_runtime::contract;

// `If-None-Match` is optional: a bare `TypedHeader` refuses requests without it.
// `If-Modified-Since` is not declared. `Range` is declared as an integer.
#[contract("showReport", spec = "specs/headers.yaml")]
async fn show_report(
    Path(id): Path<i64>,
    TypedHeader(agent): TypedHeader<UserAgent>,
    TypedHeader(etag): TypedHeader<IfNoneMatch>,
    since: Option<TypedHeader<IfModifiedSince>>,
    range: Option<TypedHeader<Range>>,
) -> Json<String> {
    let _ = (id, agent, etag, since, range);
    Json(String::new())
}

fn main() {}
