//! Extractors read through their wrappers: `Option<Json<T>>` and `Result<Json<T>, JsonRejection>`
//! are checked as `Json<T>`; an alias whose pattern names its extractor
//! (`Json(new): NewPetBody`) extracts the body; a custom extractor may read the query, or, in
//! last place, the body, so neither is reported missing.
use axum::extract::{FromRequest, FromRequestParts, Query, Request};
use axum::http::{request::Parts, StatusCode};
use axum::Json;
use contract_runtime::{contract, Schema};
use serde::de::DeserializeOwned;
use serde::Deserialize;

#[derive(Deserialize, Schema)]
#[schema(spec = "specs/types.yaml")]
#[serde(rename_all = "lowercase")]
pub enum PetStatus {
    Available,
    Pending,
    Sold,
}

#[derive(Deserialize, Schema)]
#[schema(spec = "specs/types.yaml")]
pub struct NewPet {
    pub name: String,
    #[serde(default)]
    pub tag: Option<String>,
    pub status: Option<PetStatus>,
}

#[derive(Deserialize, Schema)]
pub struct ListQuery {
    pub limit: Option<i32>,
    pub status: PetStatus,
    pub tag: Option<String>,
}

mod optional {
    use super::*;

    #[contract("createPet", spec = "specs/types.yaml")]
    pub async fn create_pet(new: Option<Json<NewPet>>) -> StatusCode {
        match new {
            Some(Json(new)) => {
                let _ = (new.name, new.tag, new.status);
                StatusCode::CREATED
            }
            None => StatusCode::UNPROCESSABLE_ENTITY,
        }
    }
}

mod handled {
    use super::*;
    use axum::extract::rejection::JsonRejection;

    #[contract("createPet", spec = "specs/types.yaml")]
    pub async fn create_pet(new: Result<Json<NewPet>, JsonRejection>) -> StatusCode {
        match new {
            Ok(Json(new)) => {
                let _ = new.name;
                StatusCode::CREATED
            }
            Err(rejection) => rejection.status(),
        }
    }
}

mod aliased {
    use super::*;

    pub type NewPetBody = Json<NewPet>;
    pub type PetQuery = Query<ListQuery>;

    #[contract("createPet", spec = "specs/types.yaml")]
    pub async fn create_pet(Json(new): NewPetBody) -> StatusCode {
        let _ = new.name;
        StatusCode::CREATED
    }

    #[contract("listPets", spec = "specs/types.yaml")]
    pub async fn list_pets(Query(q): PetQuery) -> StatusCode {
        let _ = q.status;
        StatusCode::OK
    }
}

mod custom {
    use super::*;

    /// A body extractor of the application's own.
    pub struct Checked<T>(pub T);

    impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Checked<T> {
        type Rejection = StatusCode;

        async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
            let Json(value) = Json::<T>::from_request(req, state)
                .await
                .map_err(|_| StatusCode::UNPROCESSABLE_ENTITY)?;
            Ok(Checked(value))
        }
    }

    /// A query extractor of the application's own.
    pub struct Filter(pub ListQuery);

    impl<S: Send + Sync> FromRequestParts<S> for Filter {
        type Rejection = StatusCode;

        async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
            let Query(q) = Query::<ListQuery>::from_request_parts(parts, state)
                .await
                .map_err(|_| StatusCode::BAD_REQUEST)?;
            Ok(Filter(q))
        }
    }

    #[contract("createPet", spec = "specs/types.yaml")]
    pub async fn create_pet(Checked(new): Checked<NewPet>) -> StatusCode {
        let _ = new.name;
        StatusCode::CREATED
    }

    #[contract("listPets", spec = "specs/types.yaml")]
    pub async fn list_pets(Filter(q): Filter) -> StatusCode {
        let _ = q.tag;
        StatusCode::OK
    }
}

fn main() {
    use contract_runtime::routes;
    let _optional: axum::Router =
        routes!(partial, spec = "specs/types.yaml"; optional::create_pet);
    let _handled: axum::Router = routes!(partial, spec = "specs/types.yaml"; handled::create_pet);
    let _aliased: axum::Router =
        routes!(partial, spec = "specs/types.yaml"; aliased::create_pet, aliased::list_pets);
    let _custom: axum::Router =
        routes!(partial, spec = "specs/types.yaml"; custom::create_pet, custom::list_pets);
}
