use axum::extract::Path;
use contract_runtime::{contract, Schema};

#[contract("showPet", spec = "specs/types.yaml")]
async fn show_pet(Path(id): Path<String>) {
    let _ = id;
}

#[derive(Schema)]
pub struct AnimalPath {
    pub kind: String,
    pub identifier: String,
}

#[contract("getAnimal", spec = "specs/types.yaml")]
async fn get_animal(Path(p): Path<AnimalPath>) {
    let _ = p;
}

// A std scalar in a tuple, against its path parameter (`kind` is a string enum): the macro's
// own error, on that element.
#[contract("getAnimal", spec = "specs/types.yaml")]
async fn get_animal_by_tuple(Path((kind, id)): Path<(bool, String)>) {
    let _ = (kind, id);
}

fn main() {}
