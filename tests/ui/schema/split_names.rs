//! Names on a split spec: an unknown one gets the nearest file schema's name, and a name two
//! different schemas would take (`components/schemas/Status.yaml`, `models/menu.yaml#/Status`)
//! binds neither.
use contract_runtime::Schema;

#[derive(serde::Serialize, Schema)]
#[schema(name = "Oder", spec = "specs/split/openapi.yaml")]
struct Placed {
    id: String,
}

#[derive(serde::Serialize, Schema)]
#[schema(name = "Status", spec = "specs/split/openapi.yaml")]
struct Health {
    healthy: bool,
}

fn main() {}
