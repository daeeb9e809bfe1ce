//! Every accepted mapping between Rust types and the spec's schemas (`specs/types.yaml`):
//! components by name and by `#[schema(name)]`, `allOf`, renames, `Option` for optional and
//! nullable, `default`, `skip_serializing_if`, maps, string enums, `oneOf` with a tagged enum,
//! aliases, generics, `flatten`, nested modules, and every return form.
use std::collections::{BTreeMap, HashMap};

use axum::body::Bytes;
use axum::extract::{Form, Path, Query};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use contract_runtime::{contract, routes, Responses, Schema};
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Schema)]
#[schema(spec = "specs/types.yaml")]
#[serde(rename_all = "lowercase")]
pub enum PetStatus {
    Available,
    Pending,
    Sold,
}

/// A component that admits null itself (`nullable: true` on `Priority`), referenced by
/// properties: an `Option` fits it, required or not, as a `String` or as the bound enum.
#[derive(Serialize, Deserialize, Schema)]
#[schema(spec = "specs/types.yaml")]
#[serde(rename_all = "lowercase")]
pub enum Priority {
    Low,
    High,
}

#[derive(Serialize, Deserialize, Schema)]
#[schema(spec = "specs/types.yaml")]
pub struct Task {
    pub priority: Option<String>,
    pub level: Option<String>,
    pub rank: Option<Priority>,
}

mod model {
    use super::*;

    #[derive(Serialize, Deserialize, Schema)]
    #[schema(spec = "specs/types.yaml")]
    pub struct NewPet {
        pub name: String,
        #[serde(default)]
        pub tag: Option<String>,
        pub status: Option<PetStatus>,
    }

    /// `Pet` is `allOf: [NewPet, {id, owner}]`: the merged properties.
    #[derive(Serialize, Deserialize, Schema)]
    #[schema(spec = "specs/types.yaml")]
    pub struct Pet {
        pub id: super::PetId,
        pub name: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub tag: Option<String>,
        pub status: Option<PetStatus>,
        pub owner: Option<Box<Owner>>,
    }

    #[derive(Serialize, Deserialize, Schema)]
    #[schema(spec = "specs/types.yaml")]
    pub struct Owner {
        pub name: String,
        /// Required but nullable: `Option` without `default`.
        pub address: Option<String>,
        #[serde(default)]
        pub labels: BTreeMap<String, String>,
    }
}

type PetId = i64;

#[derive(Serialize, Schema)]
#[schema(name = "Error", spec = "specs/types.yaml")]
#[serde(rename_all = "camelCase")]
pub struct ApiError {
    code: i32,
    message: String,
    #[serde(skip)]
    internal: (),
}

#[derive(Deserialize, Schema)]
pub struct ListQuery {
    limit: Option<u16>,
    status: PetStatus,
    #[serde(default)]
    tag: String,
}

#[derive(Serialize, Schema)]
#[schema(spec = "specs/types.yaml")]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Animal {
    Cat { lives: i32 },
    Dog { good: bool },
}

#[derive(Deserialize, Schema)]
#[serde(rename_all = "lowercase")]
pub enum AnimalKind {
    Cat,
    Dog,
}

#[derive(Deserialize, Schema)]
pub struct Rename {
    name: String,
}

/// A generic inline shape (not used by a handler here: it must simply derive).
#[derive(Serialize, Schema)]
pub struct Page<T> {
    items: Vec<T>,
    next: Option<String>,
}

/// A field serialized by a function of its own: any shape.
#[derive(Serialize, Schema)]
pub struct Reading {
    #[serde(serialize_with = "as_text")]
    weight: f64,
    unit: String,
}

fn as_text<S: serde::Serializer>(weight: &f64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&weight.to_string())
}

#[derive(Responses)]
pub enum CreatePet {
    /// Headers before the body, as axum's tuples send them; the body is checked as ever.
    #[response(status = 201)]
    Created([(axum::http::HeaderName, String); 1], Json<model::Pet>),
    #[response(status = 422)]
    Invalid(Json<ApiError>),
}

#[derive(Responses)]
pub enum DeletePet {
    #[response(status = 204)]
    Deleted,
    /// Matched by the spec's `default` response.
    #[response(status = 500)]
    Failed(Json<ApiError>),
}

type PetList = Json<Vec<model::Pet>>;

#[contract("listPets", spec = "specs/types.yaml")]
async fn list_pets(Query(q): Query<ListQuery>) -> PetList {
    let _ = (q.limit, q.status, q.tag);
    Json(Vec::new())
}

#[contract("createPet", spec = "specs/types.yaml")]
async fn create_pet(Json(new): Json<model::NewPet>) -> CreatePet {
    let _ = (new.name, new.tag, new.status);
    CreatePet::Invalid(Json(ApiError { code: 1, message: String::new(), internal: () }))
}

#[contract("showPet", spec = "specs/types.yaml")]
async fn show_pet(Path(id): Path<PetId>) -> Result<Json<model::Pet>, (StatusCode, Json<ApiError>)> {
    Err((StatusCode::NOT_FOUND, Json(ApiError { code: id as i32, message: String::new(), internal: () })))
}

#[contract("deletePet", spec = "specs/types.yaml")]
async fn delete_pet(Path(id): Path<u32>) -> DeletePet {
    let _ = id;
    DeletePet::Deleted
}

#[contract("renamePet", spec = "specs/types.yaml")]
async fn rename_pet(Path(id): Path<i64>, Form(rename): Form<Rename>) -> StatusCode {
    let _ = (id, rename.name);
    StatusCode::NO_CONTENT
}

#[contract("uploadPhoto", spec = "specs/types.yaml")]
async fn upload_photo(Path(id): Path<i64>, body: Bytes) -> impl IntoResponse {
    let _ = (id, body);
    StatusCode::NO_CONTENT
}

#[contract("getInventory", spec = "specs/types.yaml")]
async fn get_inventory() -> Json<HashMap<String, i32>> {
    Json(HashMap::new())
}

#[contract("getAnimal", spec = "specs/types.yaml")]
async fn get_animal(Path((kind, id)): Path<(AnimalKind, String)>) -> Json<Animal> {
    let _ = (kind, id);
    Json(Animal::Dog { good: true })
}

mod alt {
    use super::*;

    #[derive(Deserialize, Schema)]
    pub struct Paging {
        pub limit: Option<i32>,
    }

    #[derive(Deserialize, Schema)]
    pub struct FlatQuery {
        #[serde(flatten)]
        pub paging: Paging,
        pub status: PetStatus,
        pub tag: Option<String>,
    }

    #[contract("listPets", spec = "specs/types.yaml")]
    pub async fn list_pets(Query(q): Query<FlatQuery>) -> Json<Vec<serde_json::Value>> {
        let _ = (q.paging.limit, q.status, q.tag);
        Json(Vec::new())
    }

    /// A `Result` behind a generic alias: both sides are checked through `Responses`.
    pub type ApiResult<T> = Result<Json<T>, NotFound>;

    #[derive(Responses)]
    pub enum NotFound {
        #[response(status = 404)]
        Missing(Json<ApiError>),
    }

    /// A status chosen at run time with a JSON body, behind aliases: the body must fit one of
    /// the declared JSON responses (here `default`'s `Error`).
    pub type Failure = (StatusCode, Json<ApiError>);
    pub type Removal = Result<Removed, Failure>;

    #[derive(Responses)]
    pub enum Removed {
        #[response(status = 204)]
        Gone,
    }

    #[contract("deletePet", spec = "specs/types.yaml")]
    pub async fn delete_pet(Path(id): Path<u32>) -> Removal {
        let _ = id;
        Ok(Removed::Gone)
    }

    #[contract("showPet", spec = "specs/types.yaml")]
    pub async fn show_pet(Path(id): Path<PetId>) -> ApiResult<model::Pet> {
        let message = format!("no pet {id}");
        Err(NotFound::Missing(Json(ApiError { code: 404, message, internal: () })))
    }
}

fn main() {
    let _app: axum::Router = routes!(spec = "specs/types.yaml";
        list_pets, create_pet, show_pet, delete_pet, rename_pet, upload_photo, get_inventory, get_animal);
    let _alt: axum::Router = routes!(partial, spec = "specs/types.yaml"; alt::list_pets, alt::show_pet, alt::delete_pet);
    let _ = std::mem::size_of::<Page<u8>>();
}
