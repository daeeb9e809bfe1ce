use serde_json::json;

use super::tests_support::contract;
use super::walk::{digits, float_fast};
use super::*;
use serde_json::Value;

/// The walker's verdict on each text, after asserting it never accepts what the full validator
/// rejects.
fn verdicts(schema: Value, defs: Value, texts: &[&str]) -> Vec<(bool, bool)> {
    let c = contract(schema, defs);
    texts
        .iter()
        .map(|text| {
            let fast = c.accepts(0, text.as_bytes());
            let full = serde_json::from_str::<Value>(text).is_ok_and(|v| c.check(0, &v).is_empty());
            assert!(
                !fast || full,
                "the walker accepted {text}, the full validator does not"
            );
            (fast, full)
        })
        .collect()
}

/// Asserts the walker and the full validator agree on each `(text, valid)`.
fn agree(schema: Value, defs: Value, cases: &[(&str, bool)]) {
    let texts: Vec<&str> = cases.iter().map(|(t, _)| *t).collect();
    for ((text, valid), (fast, full)) in cases.iter().zip(verdicts(schema, defs, &texts)) {
        assert_eq!(full, *valid, "the full validator on {text}");
        assert_eq!(fast, *valid, "walker on {text}");
    }
}

fn pet() -> Value {
    json!({
        "type": "object",
        "required": ["id", "name", "status"],
        "properties": {
            "id": {"type": "integer", "format": "int64", "minimum": 1},
            "name": {"type": "string", "minLength": 1, "maxLength": 5, "pattern": "^[a-zé]+$"},
            "status": {"type": "string", "enum": ["available", "sold"]},
            "tag": {"type": ["string", "null"]},
            "weight": {"type": "number", "exclusiveMinimum": 0},
            "secret": false,
            "born": {"type": "string", "format": "date"}
        },
        "description": "a pet",
        "x-internal": true
    })
}

#[test]
fn objects_types_enums_lengths_bounds_and_string_keywords() {
    agree(
        pet(),
        json!({}),
        &[
            (r#"{"id": 1, "name": "rex", "status": "sold"}"#, true),
            (
                r#"{"id": 1, "name": "rex", "status": "sold", "tag": null, "weight": 0.5, "other": [1]}"#,
                true,
            ),
            (
                r#"{"id": 1, "name": "éé", "status": "sold", "born": "2024-02-29"}"#,
                true,
            ),
            (r#"{"id": 1, "name": "rex"}"#, false),
            (r#"{"id": 0, "name": "rex", "status": "sold"}"#, false),
            (r#"{"id": -3, "name": "rex", "status": "sold"}"#, false),
            (r#"{"id": "1", "name": "rex", "status": "sold"}"#, false),
            (r#"{"id": 1, "name": "", "status": "sold"}"#, false),
            (r#"{"id": 1, "name": "éééééé", "status": "sold"}"#, false),
            (r#"{"id": 1, "name": "Rex", "status": "sold"}"#, false),
            (r#"{"id": 1, "name": "rex", "status": "lost"}"#, false),
            (
                r#"{"id": 1, "name": "rex", "status": "sold", "tag": 3}"#,
                false,
            ),
            (
                r#"{"id": 1, "name": "rex", "status": "sold", "weight": 0}"#,
                false,
            ),
            (
                r#"{"id": 1, "name": "rex", "status": "sold", "secret": "x"}"#,
                false,
            ),
            (
                r#"{"id": 1, "name": "rex", "status": "sold", "born": "2023-02-29"}"#,
                false,
            ),
            (r#"[{"id": 1, "name": "rex", "status": "sold"}]"#, false),
            ("null", false),
        ],
    );
}

#[test]
fn cut_and_corrupted_bodies_never_panic_nor_pass_wrongly() {
    let c = contract(pet(), json!({}));
    let text = r#"{"id": 12, "name": "r\u00e9x", "status": "sold", "tag": null, "weight": 1e3, "x": [[{}], "\"", -0.5]}"#;
    let deep = "[".repeat(5000) + &"]".repeat(5000);
    let mut inputs: Vec<Vec<u8>> = (0..text.len())
        .map(|n| text.as_bytes()[..n].to_vec())
        .collect();
    for (i, b) in text.bytes().enumerate() {
        for replacement in [b'"', b'{', b'}', b'\\', b'0', 0xff, b' '] {
            if b != replacement {
                let mut bytes = text.as_bytes().to_vec();
                bytes[i] = replacement;
                inputs.push(bytes);
            }
        }
    }
    inputs.push(deep.into_bytes());
    for bytes in &inputs {
        let fast = c.accepts(0, bytes);
        let full = serde_json::from_slice::<Value>(bytes).is_ok_and(|v| c.check(0, &v).is_empty());
        assert!(!fast || full, "accepted {}", String::from_utf8_lossy(bytes));
    }
    assert!(c.accepts(0, text.as_bytes()));
}

#[test]
fn malformed_text_is_never_accepted() {
    agree(
        json!(true),
        json!({}),
        &[
            ("{}", true),
            ("{", false),
            ("{} {}", false),
            ("", false),
            ("[1,]", false),
        ],
    );
    agree(json!(false), json!({}), &[("{}", false), ("1", false)]);
}

/// The walker reads JSON's grammar itself: it must refuse what `serde_json` refuses, and
/// read numbers and escapes as it does, through nodes it checks and nodes it skips.
#[test]
fn the_grammar_is_serde_jsons() {
    let cases: &[(&str, bool)] = &[
        (
            "[0, 1.5, -1.5e-3, 1E+2, 0.0, 18446744073709551616, -9223372036854775809]",
            true,
        ),
        (
            r#"{"a\u00e9\n": "\ud83d\ude00", "b": "\\\/\b\f\n\r\t\""}"#,
            true,
        ),
        (" \t\r\n[ ] ", true),
        ("[true, false, null, {}, [[]], \"\"]", true),
        ("01", false),
        ("-", false),
        ("1.", false),
        (".5", false),
        ("1e", false),
        ("1e+", false),
        ("+1", false),
        ("[1e400]", false),
        ("[-1e400]", false),
        (r#""\ud800""#, false),
        ("\"a\u{1}\"", false),
        (r#""\x""#, false),
        (r#""abc"#, false),
        (r#""\"#, false),
        ("[1,]", false),
        ("[,1]", false),
        ("[1 2]", false),
        (r#"{"a":1,}"#, false),
        (r#"{"a" 1}"#, false),
        (r#"{"a":1 "b":2}"#, false),
        (r#"{"a":}"#, false),
        ("{,}", false),
        ("{1:2}", false),
        ("tru", false),
        ("nul", false),
        ("falsey", false),
        ("[] x", false),
    ];
    let every_type = json!({
        "type": ["array", "object", "string", "number", "null", "boolean"],
        "items": {"type": ["array", "object", "string", "number", "null", "boolean"]},
        "additionalProperties": {"type": ["string", "number"]}
    });
    for schema in [json!(true), every_type] {
        agree(schema, json!({}), cases);
    }
    // Numbers reach the checks as `serde_json` reads them into a `Value`: `-0` and integers
    // beyond 64 bits are floats there (left to the full validator against `integer`).
    let v = verdicts(
        json!({"type": "array", "items": {"type": "integer", "maximum": 5}}),
        json!({}),
        &[
            "[-0]",
            "[18446744073709551616]",
            "[5, -5, 0]",
            "[6]",
            "[5.5]",
        ],
    );
    assert_eq!(
        v.iter().map(|v| v.0).collect::<Vec<_>>(),
        [false, false, true, false, false]
    );
}

#[test]
fn references_recursion_arrays_and_additional_properties() {
    let defs = json!({
        "Tree": {
            "type": "object",
            "required": ["name"],
            "additionalProperties": false,
            "properties": {
                "name": {"type": "string"},
                "children": {"type": "array", "items": {"$ref": "#/$defs/Tree"}, "maxItems": 2}
            }
        },
        "Alias": {"$ref": "#/$defs/Tree", "description": "the same"}
    });
    agree(
        json!({"type": "array", "items": {"$ref": "#/$defs/Alias"}, "minItems": 1}),
        defs,
        &[
            (r#"[{"name": "a"}]"#, true),
            (
                r#"[{"name": "a", "children": [{"name": "b", "children": []}]}]"#,
                true,
            ),
            ("[]", false),
            (
                r#"[{"name": "a", "children": [{"name": "b", "x": 1}]}]"#,
                false,
            ),
            (r#"[{"name": "a", "children": [{}]}]"#, false),
            (
                r#"[{"name": "a", "children": [{"name": "b"}, {"name": "c"}, {"name": "d"}]}]"#,
                false,
            ),
        ],
    );
    agree(
        json!({"type": "object", "required": ["k"], "additionalProperties": {"type": "integer"}}),
        json!({}),
        &[
            (r#"{"k": 1, "j": 2}"#, true),
            (r#"{"k": "1"}"#, false),
            (r#"{"j": 1}"#, false),
            ("{}", false),
        ],
    );
}

#[test]
fn what_the_walker_does_not_implement_is_delegated() {
    let one_of = json!({
        "type": "object",
        "properties": {
            "v": {"oneOf": [{"type": "integer"}, {"type": "string", "maxLength": 2}]},
            "u": {"type": "array", "uniqueItems": true},
            "e": {"enum": [1, "a", null]},
            "c": {"const": {"a": 1}},
            "m": {"type": "number", "multipleOf": 0.5}
        }
    });
    agree(
        one_of,
        json!({}),
        &[
            (
                r#"{"v": 1, "u": [1, 2], "e": null, "c": {"a": 1}, "m": 1.5}"#,
                true,
            ),
            (r#"{"v": "ab", "e": "a"}"#, true),
            (r#"{"v": "abc"}"#, false),
            (r#"{"v": 1.5}"#, false),
            (r#"{"u": [1, 1]}"#, false),
            (r#"{"e": 2}"#, false),
            (r#"{"c": {"a": 2}}"#, false),
            (r#"{"m": 1.25}"#, false),
        ],
    );
}

/// Floats the walker reads itself are the bits `serde_json` reads.
#[test]
fn fast_floats_are_serde_jsons() {
    let mut rng = crate::validate::generate::Rng::new(7);
    let mut fast = 0;
    for _ in 0..20_000 {
        let count = 1 + rng.below(19) as usize;
        let text: String = (0..count)
            .map(|_| char::from(b'0' + rng.below(10) as u8))
            .collect();
        let text = text.trim_start_matches('0').to_string() + "1";
        let point = rng.below(text.len() as u64) as usize;
        let mut text = format!("{}.{}", &text[..point.max(1)], &text[point.max(1)..]);
        if text.ends_with('.') {
            text.push('0');
        }
        if rng.below(2) == 0 {
            text = format!("{text}e{}", rng.below(50) as i64 - 25);
        }
        if rng.below(2) == 0 {
            text.insert(0, '-');
        }
        let bytes = text.as_bytes();
        let negative = text.starts_with('-');
        let mut at = usize::from(negative);
        let mut significand = Some(0);
        digits(bytes, &mut at, &mut significand);
        at += 1;
        let fraction = digits(bytes, &mut at, &mut significand) as i64;
        let written: i64 = text.split_once('e').map_or(0, |(_, e)| e.parse().unwrap());
        let expected: f64 = serde_json::from_str(&text).unwrap();
        if let Some(f) = float_fast(negative, significand, Some(written - fraction)) {
            fast += 1;
            assert_eq!(f.to_bits(), expected.to_bits(), "{text}");
        }
    }
    assert!(fast > 5_000, "{fast}");
}

#[test]
fn unsure_cases_are_left_to_the_full_validator() {
    // `1.0` is an integer, a repeated key counts once, and 2^63 - 1 is not exact as an
    // `f64`: the walker says "not shown valid", the full validator decides.
    let v = verdicts(
        json!({"type": "object", "properties": {"n": {"type": "integer", "minimum": 0}}, "maxProperties": 1}),
        json!({}),
        &[
            r#"{"n": 1.0}"#,
            r#"{"n": 1, "n": 2}"#,
            r#"{"n": 9223372036854775807}"#,
        ],
    );
    assert_eq!(v, [(false, true), (false, true), (false, true)]);
    // A bound that is not exact as an `f64` leaves the whole subschema to the full validator.
    agree(
        json!({"type": "array", "items": {"type": "integer", "maximum": 9223372036854775807_u64}}),
        json!({}),
        &[
            ("[9223372036854775807]", true),
            ("[9223372036854775808]", false),
            ("[1.0]", true),
        ],
    );
    // A root the walker would delegate whole is not walked at all.
    let v = verdicts(json!({"oneOf": [{"type": "integer"}]}), json!({}), &["1"]);
    assert_eq!(v, [(false, true)]);
    // Large integers without bounds, and bounds on floats, are exact.
    agree(
        json!({"type": "array", "items": {"type": "number", "maximum": 1.5}}),
        json!({}),
        &[
            ("[18446744073709551615]", false),
            ("[-9007199254740992, 1.5]", true),
        ],
    );
}

/// The walker against the full validator on the schemas of real specs (`../shared/specs`): values
/// generated to fit each response schema, and the same values broken at a random place.
mod corpus {
    use std::time::{Duration, Instant};

    use serde_json::Value;

    use super::tests_support::{CORPUS_SPECS, break_somewhere, load};
    use crate::validate::generate::{Rng, valid};

    #[test]
    fn the_walker_never_accepts_what_the_full_validator_rejects() {
        let Some(dir) = contract_spec::corpus_dir() else {
            return;
        };
        let mut rng = Rng::new(2026);
        for file in CORPUS_SPECS {
            let contract = load(&dir, file);
            let (mut sites, mut values, mut both_valid, mut only_full) = (0, 0, 0, 0);
            let mut building = Duration::ZERO;
            let mut compiling = Duration::ZERO;
            // Sites spread over the spec, at most 60 of them: compiling a validator for every
            // site of a large spec would dominate the test's time.
            let step = (contract.sites.len() / 60).max(1);
            for site in (0..contract.sites.len()).step_by(step) {
                let schema = contract.sites[site].schema.clone();
                sites += 1;
                let start = Instant::now();
                contract.accepts(site, b"null");
                building += start.elapsed();
                let start = Instant::now();
                contract.check(site, &Value::Null);
                compiling += start.elapsed();
                for k in 0..8 {
                    let mut value = valid(&contract, &schema, &mut rng, 0);
                    if k % 2 == 1 {
                        break_somewhere(&mut value, &mut rng);
                    }
                    let text = value.to_string();
                    let fast = contract.accepts(site, text.as_bytes());
                    let full = contract.check(site, &value).is_empty();
                    assert!(
                        !fast || full,
                        "{file}: {}: the walker accepted what the full validator rejects: {text}",
                        contract.site_location(site)
                    );
                    values += 1;
                    both_valid += usize::from(fast && full);
                    only_full += usize::from(!fast && full);
                }
            }
            eprintln!(
                "{file}: {sites} sites (walkers built in {building:?}, validators in {compiling:?}), {values} values: \
                 valid to both {both_valid}, only to the full validator {only_full}"
            );
            // The walker must decide most valid values itself, or it saves nothing. (On Stripe
            // about a fifth are on sites over the walker's budget, left to the full validator.)
            assert!(
                only_full * 4 <= both_valid + only_full,
                "{file}: the walker left {only_full} of {} valid values to the full validator",
                both_valid + only_full
            );
        }
    }
}
