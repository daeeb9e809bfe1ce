//! The keywords the spec's walkers share: which keys hold schemas, which hold names, which
//! hold literal data.

/// Keys whose values are literal data, never spec structure: no `$ref` in them is followed.
pub(crate) const LITERAL_KEYS: &[&str] = &["example", "default", "const", "enum", "value"];
/// Keys whose values map user-chosen names to spec objects: their keys are names, not keywords.
pub(crate) const NAMED_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
    "schemas",
    "responses",
    "parameters",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
    "pathItems",
    "paths",
    "webhooks",
    "content",
    "encoding",
    "variables",
    "mapping",
];

/// Keys whose values are schemas, inside a schema.
pub(crate) const SCHEMA_KEYS: &[&str] = &[
    "items",
    "additionalProperties",
    "not",
    "contains",
    "propertyNames",
    "if",
    "then",
    "else",
    "unevaluatedItems",
    "unevaluatedProperties",
    "additionalItems",
    "contentSchema",
];
/// Keys whose values are lists of schemas.
pub(crate) const SCHEMA_LIST_KEYS: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems"];
/// Keys whose values map names to schemas, inside a schema.
pub(crate) const SCHEMA_MAP_KEYS: &[&str] =
    &["properties", "patternProperties", "dependentSchemas"];
