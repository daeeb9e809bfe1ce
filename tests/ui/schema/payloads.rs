use contract_runtime::Schema;
use serde::Serialize;

// A renamed field: the webhook's body calls it `remaining`.
#[derive(Serialize, Schema)]
#[schema(webhook = "inventoryAlert", spec = "specs/webhooks.yaml")]
pub struct InventoryAlert {
    pub sku: String,
    #[serde(rename = "left")]
    pub remaining: u32,
}

// No such webhook: the nearest is suggested.
#[derive(Serialize, Schema)]
#[schema(webhook = "orderNotifications", spec = "specs/webhooks.yaml")]
pub struct OrderEvent {
    pub id: String,
}

// A callback's field of the wrong type.
#[derive(Serialize, Schema)]
#[schema(callback = "createSubscription.onEvent", spec = "specs/webhooks.yaml")]
pub struct SubscriptionEvent {
    pub event: String,
    pub at: i64,
}

// A callback is named `operationId.callbackName`.
#[derive(Serialize, Schema)]
#[schema(callback = "onEvent", spec = "specs/webhooks.yaml")]
pub struct Bare {
    pub event: String,
}

fn main() {}
