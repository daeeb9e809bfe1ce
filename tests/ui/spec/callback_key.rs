use contract_runtime::Schema;
use serde::Serialize;

// The callback's key is a plain word, not a runtime expression such as
// `{$request.body#/callbackUrl}`.
#[derive(Serialize, Schema)]
#[schema(callback = "subscribe.onEvent", spec = "specs/bad-callback.yaml")]
pub struct Event {
    pub event: Option<String>,
}



// The webhook's body refers to a schema that is not there.
#[derive(Serialize, Schema)]
#[schema(webhook = "newEvent", spec = "specs/bad-callback.yaml")]
pub struct NewEvent {
    pub event: Option<String>,
}
fn main() {}
