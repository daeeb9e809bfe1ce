//! An unbound enum against an inline enum of 5,000 values: the value the spec lacks is named
//! with the nearest, the first of the values without a variant are named and the rest counted.
use contract_runtime::Schema;

#[derive(serde::Deserialize, Schema)]
#[serde(rename_all = "lowercase")]
pub enum Tz {
    Zone0000,
    Zone0001,
    Zonee0002,
}

#[derive(serde::Deserialize, Schema)]
#[schema(spec = "specs/idioms.yaml")]
pub struct ReportRequest {
    pub timezone: Tz,
}

fn main() {}
