use super::*;

// Encodings written out by hand, as the macros emit them.
const INT64: &[u8] = &[tag::INTEGER, 5, 0, 0, 0, b'i', b'n', b't', b'6', b'4'];
/// `enum: [open, done]`, as the macros encode it.
fn status() -> &'static [u8] {
    enum_node(&["open", "done"])
}

fn enum_node(values: &[&str]) -> &'static [u8] {
    let mut hashes: Vec<u64> = values.iter().map(|v| fnv1a(v.as_bytes())).collect();
    hashes.sort_unstable();
    let mut payload = (values.len() as u32).to_le_bytes().to_vec();
    for h in hashes {
        payload.extend_from_slice(&h.to_le_bytes());
    }
    for v in values {
        payload.extend_from_slice(&(v.len() as u16).to_le_bytes());
        payload.extend_from_slice(v.as_bytes());
    }
    node(tag::ENUM, &payload).leak()
}
/// `{ id: integer (int64), required; tag: string }`
const PET: &[u8] = &[
    tag::OBJECT,
    27,
    0,
    0,
    0,
    0, // not extensible
    2,
    0,
    b'i',
    b'd',
    1,
    tag::INTEGER,
    5,
    0,
    0,
    0,
    b'i',
    b'n',
    b't',
    b'6',
    b'4', //
    3,
    0,
    b't',
    b'a',
    b'g',
    0,
    tag::STRING,
    0,
    0,
    0,
    0,
];

const fn fields(list: &'static [Field]) -> Shape {
    Shape::Object(list)
}

fn value(shape: &Shape, fields: Option<&'static [Field]>, expect: &'static [u8]) -> String {
    let quick = diff_value::<0>(shape, fields, Expect::new(expect), "h", "f");
    let full = diff_value::<REPORT_CAP>(shape, fields, Expect::new(expect), "h", "f");
    // The counting run and the writing run agree.
    assert_eq!(quick.count, full.count);
    full.as_str().to_string()
}

#[test]
fn decodes_nodes_and_lists() {
    assert!(matches!(Expect::new(INT64).node(), Node::Integer(f) if f.eq("int64")));
    let Node::Enum(values) = Expect::new(status()).node() else {
        panic!("not an enum")
    };
    assert!(values.contains("open") && values.contains("done") && !values.contains("o"));
    let Node::Object { props, extra } = Expect::new(PET).node() else {
        panic!("not an object")
    };
    assert!(!extra);
    let (id, rest) = props.next().unwrap();
    assert!(id.name.eq("id") && id.required);
    let (tag_prop, rest) = rest.next().unwrap();
    assert_eq!(tag_prop.name.as_str(), "tag");
    assert!(!tag_prop.required && rest.next().is_none());
    // Truncated input reads as "any value" or an empty list, never out of bounds.
    assert!(matches!(Expect::new(&PET[..3]).node(), Node::Any));
    let Node::Object { props, .. } = Expect::new(&PET[..12]).node() else {
        panic!("not an object")
    };
    assert!(
        props
            .next()
            .is_some_and(|(p, rest)| p.name.eq("id") && rest.next().is_none())
    );
}

const I64: Shape = Shape::Int {
    bits: 64,
    signed: true,
};
const STR: Shape = Shape::Str { format: "" };
/// A struct whose one field, `ident`, is not a property of `PET`.
static IDENT_ONLY: [Field; 1] = [Field {
    name: "ident",
    shape: &I64,
    optional: false,
    omittable: false,
    flatten: None,
}];

#[test]
fn reports_mismatches_only_when_there_are_some() {
    assert_eq!(value(&I64, None, INT64), "");
    assert_eq!(
        value(&STR, None, INT64),
        "h\n  - expected `integer` (int64), found `string`f"
    );
    static GOOD: [Field; 1] = [Field {
        name: "id",
        shape: &I64,
        optional: false,
        omittable: false,
        flatten: None,
    }];
    assert_eq!(value(&fields(&GOOD), None, PET), "");
    assert_eq!(
        value(&fields(&IDENT_ONLY), None, PET),
        "h\n  - `ident` is not in the spec (unused in the spec: `id`, `tag`)\n  - missing required `id`f"
    );
    const OPEN_DONE: Shape = Shape::Enum(&["open", "closed"]);
    assert_eq!(
        value(&OPEN_DONE, None, status()),
        "h\n  - the value `closed` is not in the spec's enum\n  - the spec's enum value `done` has no variantf"
    );
}

#[test]
fn a_struct_in_a_list_is_compared_field_by_field() {
    const LIST: Shape = Shape::Array(&Shape::Object(&IDENT_ONLY));
    let pets: &'static [u8] = node(tag::ARRAY, PET).leak();
    assert_eq!(
        value(&LIST, None, pets),
        "h\n  - in its items:\n      - `ident` is not in the spec (unused in the spec: `id`, `tag`)\n      - missing required `id`f"
    );
    // A scalar item is said in one line.
    const STRINGS: Shape = Shape::Array(&STR);
    let ints: &'static [u8] = node(tag::ARRAY, INT64).leak();
    assert_eq!(
        value(&STRINGS, None, ints),
        "h\n  - expected array of `integer` (int64), found array of `string`f"
    );
}

/// A node as the macros encode one: tag, payload length, payload.
fn node(tag: u8, payload: &[u8]) -> Vec<u8> {
    let mut bytes = vec![tag];
    bytes.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    bytes.extend_from_slice(payload);
    bytes
}

/// `$ref` to a component named `name` whose schema is `inline`.
fn component(name: &str, inline: &[u8]) -> &'static [u8] {
    let mut payload = (name.len() as u16).to_le_bytes().to_vec();
    payload.extend_from_slice(name.as_bytes());
    payload.extend_from_slice(inline);
    node(tag::COMPONENT, &payload).leak()
}

#[test]
fn the_help_line_stays_short() {
    let long = "a JSON body: ".to_string() + &"x".repeat(120);
    let mut bytes = Vec::new();
    for key in ["200", "201", "202"] {
        for text in [key, "application/json", long.as_str()] {
            bytes.extend_from_slice(&(text.len() as u16).to_le_bytes());
            bytes.extend_from_slice(text.as_bytes());
        }
        bytes.push(1);
        bytes.extend_from_slice(INT64);
    }
    const STR_SHAPE: Shape = Shape::Str { format: "" };
    let report = diff_responses::<REPORT_CAP>(
        &[&[crate::responses::ResponseVariant {
            name: "(StatusCode, Json)",
            status: 0,
            body: crate::responses::Body::Json(&STR_SHAPE, None),
        }]],
        SpecResponses::new(Vec::leak(bytes)),
        "h",
        "",
    );
    let help = report.as_str().lines().last().unwrap();
    assert!(
        help.starts_with("help: 200 sends a JSON body: xxx"),
        "{help}"
    );
    assert!(
        help.ends_with("; …") && help.len() <= 200,
        "{} bytes: {help}",
        help.len()
    );
}

#[test]
fn large_enums_are_matched_by_hash() {
    let names: Vec<String> = (0..5000).map(|i| format!("zone{i:04}")).collect();
    let values: Vec<&str> = names.iter().map(String::as_str).collect();
    let spec = enum_node(&values);
    let variants: &'static [&'static str] = values
        .iter()
        .map(|v| &*v.to_string().leak())
        .collect::<Vec<_>>()
        .leak();
    let all: &'static Shape = Box::leak(Box::new(Shape::Enum(variants)));
    assert_eq!(value(all, None, spec), "");
    // One variant misspelt: named, and the value it left without a variant counted.
    let mut wrong = variants.to_vec();
    wrong[17] = "zone-0017";
    let wrong: &'static Shape = Box::leak(Box::new(Shape::Enum(wrong.leak())));
    assert_eq!(
        value(wrong, None, spec),
        "h\n  - the value `zone-0017` is not in the spec's enum\n  - 1 of the spec's enum values have no variantf"
    );
    // A value not in a small enum is offered the nearest, case aside.
    const MISSPELT: Shape = Shape::Enum(&["Opne", "done"]);
    assert_eq!(
        value(&MISSPELT, None, status()),
        "h\n  - the value `Opne` is not in the spec's enum (did you mean `open`?)\n  - the spec's enum value `open` has no variantf"
    );
    // Small enums name the value without a variant.
    const OPEN: Shape = Shape::Enum(&["open"]);
    assert_eq!(
        value(&OPEN, None, status()),
        "h\n  - the spec's enum value `done` has no variantf"
    );
}

#[test]
fn a_component_that_admits_null_admits_an_option() {
    const OPT_STR: Shape = Shape::Option(&STR);
    const OPT_NAMED: Shape = Shape::Option(&Shape::Named("Kind"));
    let nullable = component("Kind", &node(tag::NULLABLE, status()));
    assert_eq!(value(&OPT_STR, None, nullable), "");
    assert_eq!(value(&STR, None, nullable), "");
    assert_eq!(value(&OPT_NAMED, None, nullable), "");
    // Under an outer `nullable` too (a property that may be absent).
    let twice: &'static [u8] = node(tag::NULLABLE, nullable).leak();
    assert_eq!(value(&OPT_STR, None, twice), "");
    let plain = component("Kind", status());
    assert_eq!(value(&STR, None, plain), "");
    assert_eq!(
        value(&OPT_STR, None, plain),
        "h\n  - is an `Option`, but the spec does not allow null here (expected component `Kind`)f"
    );
    assert_eq!(
        value(&OPT_NAMED, None, plain),
        "h\n  - is an `Option`, but the spec does not allow null here (expected component `Kind`)f"
    );
    const INT: Shape = Shape::Int {
        bits: 64,
        signed: true,
    };
    assert_eq!(
        value(&Shape::Option(&INT), None, nullable),
        "h\n  - expected one of `open`, `done`, found `i64`f"
    );
}

/// An object node of `(name, required)` string properties.
fn object(props: &[(String, bool)]) -> &'static [u8] {
    let mut payload = vec![0];
    for (name, required) in props {
        payload.extend_from_slice(&(name.len() as u16).to_le_bytes());
        payload.extend_from_slice(name.as_bytes());
        payload.push(*required as u8);
        payload.extend(node(tag::STRING, &[]));
    }
    node(tag::OBJECT, &payload).leak()
}

fn string_fields(names: &[&str], optional: bool) -> &'static [Field] {
    let fields: Vec<Field> = names
        .iter()
        .map(|name| Field {
            name: String::leak(name.to_string()),
            shape: &STR,
            optional,
            omittable: false,
            flatten: None,
        })
        .collect();
    fields.leak()
}

fn params(fields: &'static [Field], expect: &'static [u8]) -> String {
    let shape = Shape::Object(fields);
    let quick = diff_params::<0>(&shape, None, Expect::new(expect), "h", "f");
    let full = diff_params::<REPORT_CAP>(&shape, None, Expect::new(expect), "h", "f");
    assert_eq!(quick.count, full.count);
    full.as_str().to_string()
}

#[test]
fn finds_fields_in_any_order_and_the_required_ones_missing() {
    // 70 properties: past the 64 the found set records; every third one required.
    let names: Vec<String> = (0..70).map(|i| format!("p{i}")).collect();
    let props: Vec<(String, bool)> = names
        .iter()
        .map(|n| {
            (
                n.clone(),
                names.iter().position(|m| m == n).unwrap() % 3 == 0,
            )
        })
        .collect();
    let spec = object(&props);
    let all: Vec<&str> = names.iter().map(String::as_str).collect();
    assert_eq!(params(string_fields(&all, true), spec), "");
    let reversed: Vec<&str> = all.iter().rev().copied().collect();
    assert_eq!(params(string_fields(&reversed, true), spec), "");
    // Some in order, one out of order, one twice; p3 and p66 (required) left out.
    let some = ["p0", "p1", "p5", "p2", "p6", "p69", "p6"];
    let mut rest: Vec<&str> = all[7..]
        .iter()
        .copied()
        .filter(|n| *n != "p66" && *n != "p69")
        .collect();
    rest.extend(some);
    assert_eq!(
        params(string_fields(&rest, true), spec),
        "h\n  - missing required `p3`\n  - missing required `p66`f"
    );
    // A required parameter need not be an `Option`; an optional one must be.
    let spec = object(&[("a".into(), true), ("b".into(), false)]);
    assert_eq!(
        params(string_fields(&["b", "a"], false), spec),
        "h\n  - `b` is optional in the spec, but the field is neither an `Option` nor `#[serde(default)]`: a request without it would be rejectedf"
    );
}

#[test]
fn matches_responses_by_status() {
    // 200 with an int64 body, 4XX without content.
    let mut bytes = vec![3, 0, b'2', b'0', b'0', 16, 0];
    bytes.extend_from_slice(b"application/json");
    bytes.extend_from_slice(&[6, 0]);
    bytes.extend_from_slice(b"an i64");
    bytes.push(1);
    bytes.extend_from_slice(INT64);
    bytes.extend_from_slice(&[3, 0, b'4', b'X', b'X', 0, 0, 7, 0]);
    bytes.extend_from_slice(b"no body");
    bytes.push(0);
    let responses = SpecResponses::new(Vec::leak(bytes));
    assert!(find_response(responses, 200).is_some_and(|r| r.json.is_some()));
    assert!(find_response(responses, 404).is_some_and(|r| r.key.eq("4XX")));
    assert!(find_response(responses, 500).is_none());
    let report = diff_responses::<REPORT_CAP>(
        &[&[crate::responses::ResponseVariant {
            name: "Gone",
            status: 410,
            body: crate::responses::Body::Empty,
        }]],
        responses,
        "",
        "",
    );
    assert!(report.is_empty(), "{}", report.as_str());
    // A failing response's help line says what that status sends, and only that.
    const STR_SHAPE: Shape = Shape::Str { format: "" };
    let report = diff_responses::<REPORT_CAP>(
        &[&[
            crate::responses::ResponseVariant {
                name: "Found",
                status: 200,
                body: crate::responses::Body::Json(&STR_SHAPE, None),
            },
            crate::responses::ResponseVariant {
                name: "Missing",
                status: 404,
                body: crate::responses::Body::Empty,
            },
        ]],
        responses,
        "h",
        "\nspec: s",
    );
    assert_eq!(
        report.as_str(),
        "h\n  - `Found` (200) does not fit the declared body:\n      - expected `integer` (int64), found `string`\nspec: s\nhelp: 200 sends an i64"
    );
}
