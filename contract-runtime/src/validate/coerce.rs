//! Parameter text read as the JSON type its schema names, so that the schema, not a parse
//! error, reports a value of the wrong type.

use serde_json::Value;

use super::contract::Contract;

/// The first type a schema names (skipping `null`).
pub(crate) fn primary_type<'a>(contract: &'a Contract, schema: &'a Value) -> Option<&'a str> {
    let schema = contract.resolve(schema);
    match schema.get("type") {
        Some(Value::String(t)) => return Some(t),
        Some(Value::Array(ts)) => {
            return ts.iter().filter_map(Value::as_str).find(|t| *t != "null");
        }
        _ => {}
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        if let Some(Value::Array(items)) = schema.get(key) {
            for item in items {
                if let Some(t) = primary_type(contract, item) {
                    return Some(t);
                }
            }
        }
    }
    None
}

/// A parameter's text as the JSON value its schema describes; text that does not parse stays
/// text, so the schema reports the type error.
pub(crate) fn coerce(contract: &Contract, schema: &Value, raw: &[&str], explode: bool) -> Value {
    let ty = primary_type(contract, schema);
    if ty == Some("array") {
        let items = contract.resolve(schema).get("items");
        let item_type = items.and_then(|s| primary_type(contract, s));
        let values: Vec<&str> = if raw.len() > 1 || explode {
            raw.to_vec()
        } else {
            raw[0].split(',').collect()
        };
        return Value::Array(values.iter().map(|v| scalar(item_type, v)).collect());
    }
    scalar(ty, raw[0])
}

/// `text` as a value of the JSON type `ty` names.
pub(crate) fn scalar(ty: Option<&str>, text: &str) -> Value {
    match ty {
        // An integer past 64 bits is still an integer to the spec (whether the handler's type
        // holds it is checked apart): read as a float, as `serde_json` reads such a number.
        Some("integer") => text
            .parse::<i64>()
            .map(Value::from)
            .or_else(|_| text.parse::<u64>().map(Value::from))
            .ok()
            .or_else(|| {
                let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
                (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| text.parse::<f64>().ok())
                    .flatten()
                    .and_then(serde_json::Number::from_f64)
                    .map(Value::Number)
            })
            .unwrap_or_else(|| Value::String(text.into())),
        Some("number") => text
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .unwrap_or_else(|| Value::String(text.into())),
        Some("boolean") => match text {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => Value::String(text.into()),
        },
        _ => Value::String(text.into()),
    }
}
