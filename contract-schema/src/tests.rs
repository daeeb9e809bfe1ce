use serde_json::{Value, json};

use super::*;

fn valid(schema: Value, instance: Value) -> bool {
    Validator::new(&schema, &Map::new()).is_valid(&instance)
}

fn rules(schema: Value, defs: Value, instance: Value) -> Vec<(String, String)> {
    let Value::Object(defs) = defs else {
        panic!("defs must be an object")
    };
    Validator::new(&schema, &defs)
        .errors(&instance, 10)
        .into_iter()
        .map(|v| (v.pointer, v.rule))
        .collect()
}

#[test]
fn types_with_integral_floats_as_integers() {
    assert!(valid(json!({"type": "integer"}), json!(1.0)));
    assert!(!valid(json!({"type": "integer"}), json!(1.5)));
    assert!(valid(json!({"type": "number"}), json!(3)));
    assert!(valid(json!({"type": ["string", "null"]}), json!(null)));
    assert!(!valid(json!({"type": ["string", "null"]}), json!(0)));
    assert!(valid(json!({"type": "mystery"}), json!(0)));
}

#[test]
fn numbers_compare_exactly_past_f64() {
    let schema = json!({"maximum": 9_007_199_254_740_993_i64});
    assert!(valid(schema.clone(), json!(9_007_199_254_740_993_i64)));
    assert!(!valid(schema, json!(9_007_199_254_740_994_i64)));
    assert!(!valid(json!({"minimum": 0}), json!(-1)));
    assert!(valid(json!({"minimum": -1}), json!(u64::MAX)));
    assert!(!valid(json!({"exclusiveMaximum": 10}), json!(10)));
    assert!(valid(json!({"multipleOf": 0.01}), json!(19.99)));
    assert!(!valid(json!({"multipleOf": 3}), json!(10)));
    assert!(!valid(json!({"format": "int32"}), json!(2_147_483_648_i64)));
    assert!(valid(json!({"format": "int32"}), json!(-2_147_483_648_i64)));
    assert!(!valid(json!({"format": "int64"}), json!(1e19)));
}

#[test]
fn strings_lengths_patterns_and_formats() {
    assert!(valid(json!({"maxLength": 2}), json!("éé")));
    assert!(!valid(json!({"maxLength": 2}), json!("abc")));
    assert!(valid(json!({"pattern": "^[a-z]+$"}), json!("abc")));
    assert!(!valid(json!({"pattern": "^[a-z]+$"}), json!("ab1")));
    // A look-ahead is beyond the engine: not checked rather than refused.
    assert!(valid(json!({"pattern": "^(?=a)b$"}), json!("zzz")));
    for (format, good, bad) in [
        ("date", "2024-02-29", "2023-02-29"),
        (
            "date-time",
            "2024-01-31T23:59:60.5+01:00",
            "2024-01-31T24:00:00Z",
        ),
        ("time", "08:30:00Z", "08:30"),
        (
            "uuid",
            "123e4567-e89b-12d3-a456-426614174000",
            "123e4567e89b12d3a456426614174000",
        ),
        ("ipv4", "192.168.0.1", "192.168.0.256"),
        ("ipv6", "::1", "1::2::3"),
        ("email", "a@example.com", "a example.com"),
        ("uri", "https://example.com/a?b", "//example.com"),
    ] {
        assert!(
            valid(json!({"format": format}), json!(good)),
            "{format}: {good}"
        );
        assert!(
            !valid(json!({"format": format}), json!(bad)),
            "{format}: {bad}"
        );
    }
    assert!(valid(json!({"format": "hostname"}), json!("not a host")));
    // Formats constrain their own type only.
    assert!(valid(json!({"format": "date"}), json!(3)));
}

#[test]
fn objects_and_arrays() {
    let schema = json!({
        "type": "object",
        "required": ["id"],
        "properties": {"id": {"type": "integer"}, "tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": true}},
        "additionalProperties": false
    });
    assert!(valid(schema.clone(), json!({"id": 1, "tags": ["a", "b"]})));
    assert_eq!(
        rules(
            schema,
            json!({}),
            json!({"tags": ["a", "a", 3], "extra": 1})
        ),
        [
            (String::new(), "required".to_string()),
            ("/tags".into(), "uniqueItems".into()),
            ("/tags/2".into(), "type".into()),
            (String::new(), "additionalProperties".into()),
        ]
    );
    assert!(valid(
        json!({"prefixItems": [{"type": "integer"}], "items": {"type": "string"}}),
        json!([1, "a"])
    ));
    assert!(!valid(
        json!({"prefixItems": [{"type": "integer"}], "items": {"type": "string"}}),
        json!(["a"])
    ));
    assert!(!valid(json!({"contains": {"const": 3}}), json!([1, 2])));
    assert!(valid(
        json!({"patternProperties": {"^x-": {"type": "string"}}, "additionalProperties": false}),
        json!({"x-a": "b"})
    ));
    assert!(!valid(
        json!({"propertyNames": {"maxLength": 2}}),
        json!({"abc": 1})
    ));
    assert!(!valid(
        json!({"dependentRequired": {"a": ["b"]}}),
        json!({"a": 1})
    ));
    assert!(valid(json!({"enum": [1, "a"]}), json!(1.0)));
}

#[test]
fn combinators_references_and_cycles() {
    let defs = json!({
        "Node": {"type": "object", "properties": {"next": {"$ref": "#/$defs/Node"}, "v": {"type": "integer"}}},
        "Loop": {"$ref": "#/$defs/Loop"}
    });
    let schema = json!({"$ref": "#/$defs/Node"});
    assert_eq!(
        rules(schema, defs.clone(), json!({"next": {"next": {"v": "x"}}})),
        [("/next/next/v".to_string(), "type".to_string())]
    );
    // A cycle of references with nothing else in it accepts (and ends).
    assert!(rules(json!({"$ref": "#/$defs/Loop"}), defs, json!(1)).is_empty());
    let one_of = json!({"oneOf": [{"type": "integer"}, {"minimum": 0}]});
    assert!(valid(one_of.clone(), json!(-1)));
    assert!(!valid(one_of, json!(1)));
    assert!(!valid(
        json!({"anyOf": [{"type": "string"}, {"type": "null"}]}),
        json!(1)
    ));
    assert!(!valid(json!({"not": {"type": "string"}}), json!("a")));
    assert!(!valid(
        json!({"allOf": [{"minimum": 1}, {"maximum": 0}]}),
        json!(0)
    ));
    let conditional =
        json!({"if": {"minimum": 10}, "then": {"multipleOf": 10}, "else": {"maximum": 5}});
    assert!(valid(conditional.clone(), json!(20)));
    assert!(!valid(conditional.clone(), json!(15)));
    assert!(!valid(conditional, json!(7)));
    assert!(!valid(json!(false), json!(null)));
    assert!(valid(
        json!({"$ref": "#/components/schemas/Elsewhere"}),
        json!(1)
    ));
}

#[test]
fn deep_values_fit_a_worker_thread_stack() {
    let defs = json!({"Tree": {"type": "array", "items": {"allOf": [{"$ref": "#/$defs/Tree"}]}}});
    let Value::Object(defs) = defs else {
        unreachable!()
    };
    let validator = Validator::new(&json!({"$ref": "#/$defs/Tree"}), &defs);
    let mut value = json!([]);
    for _ in 0..127 {
        value = json!([value]);
    }
    let mut broken = json!(["leaf"]);
    for _ in 0..126 {
        broken = json!([broken]);
    }
    // A tokio worker's stack (2 MiB), in this debug build.
    let found = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            (
                validator.is_valid(&value),
                validator.errors(&broken, 10).len(),
            )
        })
        .map(|t| t.join());
    assert!(matches!(found, Ok(Ok((true, 1)))), "{found:?}");
}

#[test]
fn messages_are_cut_short() {
    let long = "x".repeat(10_000);
    let found = Validator::new(&json!({"type": "integer"}), &Map::new()).errors(&json!(long), 10);
    assert_eq!(found.len(), 1);
    assert!(found[0].message.len() < 200, "{}", found[0].message);
}

#[test]
fn deep_schemas_do_not_overflow() {
    let mut schema = json!({"type": "integer"});
    for _ in 0..10_000 {
        let mut map = Map::new();
        map.insert("items".into(), schema);
        schema = Value::Object(map);
    }
    let validator = Validator::new(&schema, &Map::new());
    assert!(validator.is_valid(&json!([[[1]]])));
    drop_deep(schema);
}

/// Drops a deeply nested value without recursing as deep as it is.
fn drop_deep(value: Value) {
    let mut stack = vec![value];
    while let Some(mut v) = stack.pop() {
        match &mut v {
            Value::Object(m) => stack.extend(std::mem::take(m).into_iter().map(|(_, v)| v)),
            Value::Array(a) => stack.append(a),
            _ => {}
        }
    }
}
