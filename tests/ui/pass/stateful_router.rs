// Handlers that take the router's state, mounted three ways: the state type fixed by the
// binding's type, by the enclosing fn's return type, or only later by `with_state`.
use axum::extract::{Path, State};
use contract_runtime::{contract, routes};

#[derive(Clone, Default)]
struct AppState {
    greeting: &'static str,
}

#[contract("showPetById")]
async fn show_pet(State(state): State<AppState>, Path(pet_id): Path<i64>) -> String {
    format!("{} {pet_id}", state.greeting)
}

#[contract("GET /version")]
async fn version() -> &'static str {
    "1.0"
}

fn typed_by_return() -> axum::Router<AppState> {
    routes!(partial; show_pet, version)
}

fn main() {
    let typed_by_binding: axum::Router<AppState> = routes!(partial; show_pet, version);
    let typed_later = routes!(partial; show_pet, version).with_state(AppState::default());
    let _: axum::Router = typed_by_binding.with_state(AppState { greeting: "hi" });
    let _: axum::Router = typed_by_return().with_state(AppState::default());
    let _: axum::Router = typed_later;
}
