//! The petstore example: every operation of `openapi.yaml` implemented by a hand-written axum
//! handler, bound to the spec with `#[contract]` and mounted with `routes!`.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, HeaderName, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use contract_runtime::{Responses, Schema, contract};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, Schema)]
#[serde(rename_all = "lowercase")]
pub enum PetStatus {
    #[default]
    Available,
    Pending,
    Sold,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Schema)]
pub struct Pet {
    pub id: i64,
    pub name: String,
    pub tag: Option<String>,
    pub status: PetStatus,
    pub owner: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Schema)]
pub struct NewPet {
    pub name: String,
    pub tag: Option<String>,
    #[serde(default)]
    pub status: PetStatus,
    pub owner: Option<String>,
}

/// The query of `listPets`: an inline shape, checked against the parameters where it is used.
#[derive(Debug, Deserialize, Schema)]
pub struct ListParams {
    pub limit: Option<i32>,
    pub tag: Option<String>,
}

/// What `uploadPhoto` answers.
#[derive(Debug, Serialize, Schema)]
pub struct Photo {
    #[serde(rename = "petId")]
    pub pet_id: i64,
    pub bytes: u64,
    pub caption: Option<String>,
}

#[derive(Debug, Serialize, Schema)]
pub struct Health {
    pub status: &'static str,
}

/// RFC 9457 problem details, the error body of every operation.
#[derive(Debug, Serialize, Schema)]
pub struct Problem {
    pub title: String,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl Problem {
    fn new(status: StatusCode, detail: impl Into<String>) -> Json<Problem> {
        Json(Problem {
            title: status.canonical_reason().unwrap_or("error").to_string(),
            status: status.as_u16(),
            detail: Some(detail.into()),
        })
    }

    fn response(status: StatusCode, detail: impl Into<String>) -> Response {
        (status, Problem::new(status, detail)).into_response()
    }
}

/// `showPetById`, `showOwnedPet`: the pet, or 404.
#[derive(Responses)]
pub enum ShowPet {
    #[response(status = 200)]
    Found(Json<Pet>),
    #[response(status = 404)]
    Missing(Json<Problem>),
}

/// `createPet`: 201 with the new pet and its `Location`, or 422.
#[derive(Responses)]
pub enum CreatePet {
    #[response(status = 201)]
    Created([(HeaderName, String); 1], Json<Pet>),
    #[response(status = 422)]
    Invalid(Json<Problem>),
}

/// `updatePet`.
#[derive(Responses)]
pub enum UpdatePet {
    #[response(status = 200)]
    Updated(Json<Pet>),
    #[response(status = 404)]
    Missing(Json<Problem>),
    #[response(status = 422)]
    Invalid(Json<Problem>),
}

/// `deletePet`: 204 without a body, 401 without the staff token, or 404.
#[derive(Responses)]
pub enum DeletePet {
    #[response(status = 204)]
    Deleted,
    #[response(status = 401)]
    Unauthorized([(HeaderName, &'static str); 1], Json<Problem>),
    #[response(status = 404)]
    Missing(Json<Problem>),
}

/// `uploadPhoto`.
#[derive(Responses)]
pub enum UploadPhoto {
    #[response(status = 201)]
    Attached(Json<Photo>),
    #[response(status = 404)]
    Missing(Json<Problem>),
    #[response(status = 400)]
    Malformed(Json<Problem>),
}

/// The bearer token of the staff who may delete pets: `PETSTORE_TOKEN`, else `staff-token`.
fn staff_token() -> String {
    std::env::var("PETSTORE_TOKEN").unwrap_or_else(|_| "staff-token".to_string())
}

/// The in-memory store behind the handlers.
#[derive(Default)]
pub struct Store {
    next_id: i64,
    pets: BTreeMap<i64, Pet>,
}

pub type AppState = Arc<Mutex<Store>>;

fn lock(state: &AppState) -> std::sync::MutexGuard<'_, Store> {
    state
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn invalid(new: &NewPet) -> Option<Json<Problem>> {
    let len = new.name.chars().count();
    (len == 0 || len > 64).then(|| {
        Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "`name` must have 1 to 64 characters",
        )
    })
}

#[contract("listPets")]
async fn list_pets(
    State(state): State<AppState>,
    Query(params): Query<ListParams>,
) -> Result<Json<Vec<Pet>>, Response> {
    let limit = params.limit.unwrap_or(100);
    if !(1..=100).contains(&limit) {
        return Err(Problem::response(
            StatusCode::BAD_REQUEST,
            "`limit` must be between 1 and 100",
        ));
    }
    let store = lock(&state);
    let pets: Vec<Pet> = store
        .pets
        .values()
        .filter(|p| params.tag.is_none() || p.tag == params.tag)
        .take(limit as usize)
        .cloned()
        .collect();
    Ok(Json(pets))
}

#[contract("createPet")]
async fn create_pet(State(state): State<AppState>, Json(new): Json<NewPet>) -> CreatePet {
    if let Some(problem) = invalid(&new) {
        return CreatePet::Invalid(problem);
    }
    let mut store = lock(&state);
    store.next_id += 1;
    let pet = Pet {
        id: store.next_id,
        name: new.name,
        tag: new.tag,
        status: new.status,
        owner: new.owner,
    };
    store.pets.insert(pet.id, pet.clone());
    let location = format!("/pets/{}", pet.id);
    CreatePet::Created([(header::LOCATION, location)], Json(pet))
}

#[contract("GET /pets/{petId}")]
async fn show_pet(State(state): State<AppState>, Path(pet_id): Path<i64>) -> ShowPet {
    match lock(&state).pets.get(&pet_id) {
        Some(pet) => ShowPet::Found(Json(pet.clone())),
        None => ShowPet::Missing(Problem::new(
            StatusCode::NOT_FOUND,
            format!("no pet {pet_id}"),
        )),
    }
}

#[contract("updatePet")]
async fn update_pet(
    State(state): State<AppState>,
    Path(pet_id): Path<i64>,
    Json(new): Json<NewPet>,
) -> UpdatePet {
    if let Some(problem) = invalid(&new) {
        return UpdatePet::Invalid(problem);
    }
    let mut store = lock(&state);
    let Some(pet) = store.pets.get_mut(&pet_id) else {
        return UpdatePet::Missing(Problem::new(
            StatusCode::NOT_FOUND,
            format!("no pet {pet_id}"),
        ));
    };
    *pet = Pet {
        id: pet_id,
        name: new.name,
        tag: new.tag,
        status: new.status,
        owner: new.owner,
    };
    UpdatePet::Updated(Json(pet.clone()))
}

#[contract("deletePet")]
async fn delete_pet(
    State(state): State<AppState>,
    Path(pet_id): Path<i64>,
    headers: HeaderMap,
) -> DeletePet {
    // Request validation has seen that a bearer token is there; whether it is the right one
    // is the application's business.
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if token != Some(staff_token().as_str()) {
        return DeletePet::Unauthorized(
            [(header::WWW_AUTHENTICATE, "Bearer")],
            Problem::new(StatusCode::UNAUTHORIZED, "a staff token is required"),
        );
    }
    match lock(&state).pets.remove(&pet_id) {
        Some(_) => DeletePet::Deleted,
        None => DeletePet::Missing(Problem::new(
            StatusCode::NOT_FOUND,
            format!("no pet {pet_id}"),
        )),
    }
}

#[contract("showOwnedPet")]
async fn show_owned_pet(
    State(state): State<AppState>,
    Path((owner_id, pet_id)): Path<(String, i64)>,
) -> ShowPet {
    match lock(&state).pets.get(&pet_id) {
        Some(pet) if pet.owner.as_deref() == Some(owner_id.as_str()) => {
            ShowPet::Found(Json(pet.clone()))
        }
        _ => ShowPet::Missing(Problem::new(
            StatusCode::NOT_FOUND,
            format!("owner {owner_id} has no pet {pet_id}"),
        )),
    }
}

#[contract("uploadPhoto")]
async fn upload_photo(
    State(state): State<AppState>,
    Path(pet_id): Path<i64>,
    mut form: Multipart,
) -> UploadPhoto {
    if !lock(&state).pets.contains_key(&pet_id) {
        return UploadPhoto::Missing(Problem::new(
            StatusCode::NOT_FOUND,
            format!("no pet {pet_id}"),
        ));
    }
    // Request validation has checked the parts against the spec: `photo` is there, and
    // `caption` is short text.
    let mut photo = Photo {
        pet_id,
        bytes: 0,
        caption: None,
    };
    loop {
        let field = match form.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => {
                return UploadPhoto::Malformed(Problem::new(
                    StatusCode::BAD_REQUEST,
                    format!("malformed multipart body: {e}"),
                ));
            }
        };
        let name = field.name().unwrap_or_default().to_string();
        let Ok(bytes) = field.bytes().await else {
            return UploadPhoto::Malformed(Problem::new(
                StatusCode::BAD_REQUEST,
                "a part could not be read",
            ));
        };
        match name.as_str() {
            "photo" => photo.bytes = bytes.len() as u64,
            "caption" => photo.caption = Some(String::from_utf8_lossy(&bytes).into_owned()),
            _ => {}
        }
    }
    UploadPhoto::Attached(Json(photo))
}

#[contract("health")]
async fn health() -> Json<Health> {
    Json(Health { status: "ok" })
}

/// The whole service: every operation of the spec, with a fresh store. `routes!` validates
/// each request against its operation and the handler's types before the handler runs (a bad
/// one gets the 400, 413, 415 or 422 problem+json the spec declares), and each response in
/// debug builds.
#[cfg(not(feature = "unvalidated"))]
pub fn app() -> Router {
    contract_runtime::routes!(
        list_pets,
        create_pet,
        show_pet,
        update_pet,
        delete_pet,
        show_owned_pet,
        upload_photo,
        health
    )
    .with_state(AppState::default())
}

/// The same handlers on plain axum routes, nothing validated: the baseline that
/// `bench/load.sh` and the binary-size figure in BENCHMARKS.md compare against.
#[cfg(feature = "unvalidated")]
pub fn app() -> Router {
    use axum::routing::get;
    Router::new()
        .route("/pets", get(list_pets).post(create_pet))
        .route(
            "/pets/{petId}",
            get(show_pet).put(update_pet).delete(delete_pet),
        )
        .route("/owners/{ownerId}/pets/{petId}", get(show_owned_pet))
        .route("/pets/{petId}/photo", axum::routing::post(upload_photo))
        .route("/health", get(health))
        .with_state(AppState::default())
}
