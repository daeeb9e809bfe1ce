use contract_runtime::routes;

fn main() {
    let _app: axum::Router = routes!(complete; );
    let _app: axum::Router = routes!(validate_requests = "no"; );
}
