use axum::Json;
use contract_runtime::Responses;

#[derive(Responses)]
pub enum Out {
    NoStatus(Json<u8>),
    #[response(status = 999)]
    Weird,
    #[response(status = 200)]
    Named { body: Json<u8> },
}

#[derive(Responses)]
pub struct NotAnEnum;

fn main() {}
