//! Webhook and callback payloads at run time: validated before they are sent in debug builds
//! (not looked at in release; this test also runs with `--release` in CI), and valid examples
//! for the receiving side's tests.

use contract_runtime::SpecBundle;
use serde::Serialize;
use serde_json::json;

fn spec() -> SpecBundle {
    contract_runtime::spec!("specs/webhooks.yaml")
}

#[derive(Serialize)]
struct InventoryAlert {
    sku: String,
    remaining: i64,
}

#[test]
fn a_payload_breaking_its_schema_is_reported_in_debug_builds_only() {
    let alerts = spec().webhook("inventoryAlert");
    let good = InventoryAlert {
        sku: "ABC-1234".into(),
        remaining: 2,
    };
    assert!(alerts.validate(&good).is_ok());
    let bad = InventoryAlert {
        sku: "abc".into(),
        remaining: -1,
    };
    let result = alerts.validate(&bad);
    if cfg!(debug_assertions) {
        let error = result.unwrap_err();
        let mut found: Vec<(String, String)> = error
            .violations
            .iter()
            .map(|v| (v.pointer.clone(), v.rule.clone()))
            .collect();
        found.sort();
        assert_eq!(
            found,
            [
                ("/remaining".to_string(), "minimum".to_string()),
                ("/sku".to_string(), "pattern".to_string()),
            ]
        );
        assert!(
            error
                .to_string()
                .starts_with("the payload of `inventoryAlert` breaks the OpenAPI contract")
        );
    } else {
        assert!(result.is_ok(), "release builds do not validate payloads");
    }
    // `violations` looks in every build.
    assert_eq!(
        alerts.violations(&json!({"sku": "ABC-1234"}))[0].rule,
        "required"
    );
}

#[test]
fn callbacks_and_component_payloads_are_validated_alike() {
    let events = spec().callback("createSubscription.onEvent");
    assert!(
        events
            .violations(&json!({"event": "created", "at": "2026-12-05T10:00:00Z"}))
            .is_empty()
    );
    let wrong = events.violations(&json!({"event": "renamed", "at": "2026-12-05T10:00:00Z"}));
    assert_eq!(
        (wrong[0].pointer.as_str(), wrong[0].rule.as_str()),
        ("/event", "enum")
    );
    let orders = spec().webhook("orderNotification");
    assert_eq!(
        orders.violations(&json!({"id": "o1", "total": -3}))[0].rule,
        "minimum"
    );
}

#[test]
fn an_unknown_payload_is_named_with_those_there_are() {
    let v = spec().webhook("orderNotifications").violations(&json!({}));
    assert_eq!(v[0].rule, "payload");
    assert!(
        v[0].message.contains("`orderNotification`"),
        "{}",
        v[0].message
    );
}

#[test]
fn examples_are_valid_payloads_for_the_receiving_side() {
    let examples = contract_runtime::testing::payload_examples(spec(), "inventoryAlert", 5);
    assert_eq!(examples.len(), 5);
    // The spec's own example first.
    assert_eq!(examples[0], json!({"sku": "ABC-1234", "remaining": 3}));
    let alerts = spec().webhook("inventoryAlert");
    for e in &examples {
        assert!(alerts.violations(e).is_empty(), "{e}");
    }
    let events = spec().callback("createSubscription.onEvent").examples(3, 7);
    assert_eq!(events.len(), 3);
    assert!(
        events
            .iter()
            .all(|e| e["event"] == "created" || e["event"] == "cancelled")
    );
}
