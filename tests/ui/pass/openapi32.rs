//! OpenAPI 3.2: a `query` operation and one of `additionalOperations` bound by operationId and
//! by route, and mounted by `routes!`; an operation without `responses`; `$self`, tag
//! `parent`/`kind`, `deprecated` and the new security scheme fields load.
use axum::extract::Path;
use axum::http::StatusCode;
use axum::Json;
use contract_runtime::{contract, routes, Schema};
use serde::{Deserialize, Serialize};

#[derive(Deserialize, Schema)]
#[schema(spec = "specs/v32.yaml")]
pub struct FlightQuery {
    pub origin: String,
    pub passengers: Option<u32>,
}

#[derive(Serialize, Schema)]
#[schema(spec = "specs/v32.yaml")]
pub struct Flight {
    pub number: String,
}

#[contract("QUERY /flights/search", spec = "specs/v32.yaml")]
async fn search_flights(Json(query): Json<FlightQuery>) -> Json<Vec<Flight>> {
    let _ = (query.origin, query.passengers);
    Json(Vec::new())
}

#[contract("listSearches", spec = "specs/v32.yaml")]
async fn list_searches() -> Json<Vec<String>> {
    Json(Vec::new())
}

#[contract("PURGE /flights/{id}", spec = "specs/v32.yaml")]
async fn purge_flight(Path(id): Path<String>) -> StatusCode {
    let _ = id;
    StatusCode::NO_CONTENT
}

#[contract("flightStatus", spec = "specs/v32.yaml")]
async fn flight_status() -> StatusCode {
    StatusCode::OK
}

fn main() {
    let _: axum::Router = routes!(
        spec = "specs/v32.yaml";
        search_flights,
        list_searches,
        purge_flight,
        flight_status
    );
}
