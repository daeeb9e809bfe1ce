//! Types bound to the payloads the service sends: a webhook whose body is a component (the
//! type binds to the component), a webhook with an inline body, and a callback, named
//! `operationId.callbackName`.
use contract_runtime::Schema;
use serde::Serialize;

#[derive(Serialize, Schema)]
#[schema(webhook = "orderNotification", spec = "specs/webhooks.yaml")]
pub struct OrderEvent {
    pub id: String,
    pub total: f64,
    pub status: Option<String>,
}

#[derive(Serialize, Schema)]
#[schema(webhook = "inventoryAlert", spec = "specs/webhooks.yaml")]
pub struct InventoryAlert {
    pub sku: String,
    pub remaining: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warehouse: Option<String>,
}

#[derive(Serialize, Schema)]
#[serde(rename_all = "lowercase")]
pub enum Event {
    Created,
    Cancelled,
}

#[derive(Serialize, Schema)]
#[schema(callback = "createSubscription.onEvent", spec = "specs/webhooks.yaml")]
pub struct SubscriptionEvent {
    pub event: Event,
    pub at: String,
}

fn main() {}
