//! The bundle's `$defs`: following a schema's references, and collecting what it reaches.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

/// `schema` with its `#/$defs/…` references followed (a bounded number of hops).
pub(crate) fn resolve_in<'a>(defs: &'a Map<String, Value>, schema: &'a Value) -> &'a Value {
    let mut cur = schema;
    for _ in 0..16 {
        match cur
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/$defs/"))
            .and_then(|key| defs.get(key))
        {
            Some(next) => cur = next,
            None => break,
        }
    }
    cur
}

/// The keys of the `$defs` that `schema` reaches, directly or through other definitions.
pub(crate) fn reached_defs<'a>(
    schema: &'a Value,
    defs: &'a Map<String, Value>,
) -> BTreeSet<&'a str> {
    let mut reached = BTreeSet::new();
    let mut stack = vec![schema];
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(m) => {
                if let Some(key) = m
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(|r| r.strip_prefix("#/$defs/"))
                    && let Some((key, def)) = defs.get_key_value(key)
                    && reached.insert(key.as_str())
                {
                    stack.push(def);
                }
                stack.extend(m.values());
            }
            Value::Array(a) => stack.extend(a.iter()),
            _ => {}
        }
    }
    reached
}
