//! Rust types for a spec's components, as a team would write them by hand: one struct per
//! component that is a plain object, fields typed from the property schemas (a reference to
//! another such component is that type), `Option` where the property may be absent or null;
//! one unit-only enum per component that is a string enum; a struct of each operation's query
//! parameters.
//! Everything the generator does not model (compositions, inline objects) is
//! `serde_json::Value`, which every variant handles alike.

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;

use contract_check::rust::{is_nullable as nullable, snake_case};
use contract_spec::{Loc, Lookup, Spec};
use serde_json::Value;

/// The generated structs, by component name.
pub struct Types {
    /// Component name -> Rust type name and where the component's schema is.
    names: BTreeMap<String, (String, Loc)>,
}

fn is_plain_object(schema: &Value) -> bool {
    let Some(Value::Object(props)) = schema.get("properties") else {
        return false;
    };
    // A `required` name without its property is completed elsewhere (an `allOf` of another).
    let complete = schema
        .get("required")
        .and_then(Value::as_array)
        .is_none_or(|r| {
            r.iter()
                .filter_map(Value::as_str)
                .all(|n| props.contains_key(n))
        });
    complete
        && ["allOf", "oneOf", "anyOf", "discriminator", "$ref"]
            .iter()
            .all(|k| schema.get(*k).is_none())
}

/// The values of a string enum (every value a distinct string), as a unit-only Rust enum
/// holds them.
fn string_enum(schema: &Value) -> Option<Vec<&str>> {
    if schema.get("type").and_then(Value::as_str) != Some("string") {
        return None;
    }
    let values = schema.get("enum")?.as_array()?;
    let strings: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
    let distinct: HashSet<&str> = strings.iter().copied().collect();
    (!strings.is_empty() && strings.len() == values.len() && distinct.len() == strings.len())
        .then_some(strings)
}

fn type_name(component: &str, taken: &mut HashSet<String>) -> String {
    let mut name: String = component
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|s| !s.is_empty())
        .map(|s| {
            let mut chars = s.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("T{name}");
    }
    // Clear of the handlers (`op_N`) and of std names the structs' fields use.
    if ["Option", "Box", "Vec", "String", "Value", "Self"].contains(&name.as_str()) {
        name.push('_');
    }
    while !taken.insert(name.clone()) {
        name.push('_');
    }
    name
}

/// A field for `property`, named as the macros' messages name it and kept apart from the
/// type's other fields.
fn field_name(property: &str, taken: &mut HashSet<String>) -> String {
    let mut out = snake_case(property);
    while !taken.insert(out.clone()) {
        out.push('_');
    }
    out
}

impl Types {
    /// No structs: every body is `serde_json::Value`.
    pub fn none() -> Types {
        Types {
            names: BTreeMap::new(),
        }
    }

    /// The components that are plain objects or string enums: the root's
    /// `components.schemas` and the schemas other files hold (named by file or fragment).
    pub fn of(spec: &Spec) -> Types {
        let mut names = BTreeMap::new();
        let mut taken = HashSet::new();
        for component in spec.component_names() {
            let Lookup::Found(loc) = spec.component(&component) else {
                continue;
            };
            let Ok((_, schema)) = spec.doc.deref(&loc) else {
                continue;
            };
            if is_plain_object(schema) || string_enum(schema).is_some() {
                let name = type_name(&component, &mut taken);
                names.insert(component, (name, loc));
            }
        }
        Types { names }
    }

    /// How many component types there are.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// The Rust type bound to the schema at `loc`, when it is a generated component.
    pub fn bound(&self, spec: &Spec, loc: &Loc) -> Option<&str> {
        let value = spec.doc.get(loc)?;
        let reference = value.get("$ref")?.as_str()?;
        let target = spec.doc.resolve_ref(loc.file, reference).ok()?;
        self.names
            .get(&spec.component_name(&target)?)
            .map(|(name, _)| name.as_str())
    }

    /// The Rust type of a property or an array item.
    fn rust_type(&self, spec: &Spec, loc: &Loc, boxed: bool, depth: usize) -> String {
        if let Some(name) = self.bound(spec, loc) {
            return if boxed {
                format!("Box<{name}>")
            } else {
                name.to_string()
            };
        }
        let Ok((loc, schema)) = spec.doc.deref(loc) else {
            return "serde_json::Value".into();
        };
        // `allOf: [{$ref: X}, {nullable: true}]` and the like: the one member that carries the
        // schema (the caller makes it an `Option` where a member says `nullable`).
        if let Some(i) = contract_spec::single_member(schema) {
            return self.rust_type(
                spec,
                &loc.child("allOf").child(&i.to_string()),
                boxed,
                depth,
            );
        }
        if ["allOf", "oneOf", "anyOf"]
            .iter()
            .any(|k| schema.get(*k).is_some())
        {
            return "serde_json::Value".into();
        }
        let ty = match schema.get("type") {
            Some(Value::String(t)) => t.as_str(),
            Some(Value::Array(ts)) => {
                let non_null: Vec<&str> = ts
                    .iter()
                    .filter_map(Value::as_str)
                    .filter(|t| *t != "null")
                    .collect();
                match non_null.as_slice() {
                    [one] => one,
                    _ => "",
                }
            }
            _ => "",
        };
        match ty {
            "array" if depth < 3 && schema.get("items").is_some_and(Value::is_object) => {
                let item = self.rust_type(spec, &loc.child("items"), false, depth + 1);
                let item = if nullable(
                    spec.doc
                        .deref(&loc.child("items"))
                        .map(|(_, v)| v)
                        .unwrap_or(&Value::Null),
                ) {
                    format!("Option<{item}>")
                } else {
                    item
                };
                format!("Vec<{item}>")
            }
            "array" => "Vec<serde_json::Value>".into(),
            "string" | "integer" | "number" | "boolean" => spec.rust_scalar(Some(&loc)).to_string(),
            _ => "serde_json::Value".into(),
        }
    }

    /// A struct of an operation's query parameters, as `Query<T>` takes them: a field per
    /// parameter (renamed to its name), `Option` where it is not required.
    pub fn query_struct(
        &self,
        spec: &Spec,
        params: &[&contract_spec::Parameter],
        name: &str,
        derives: &str,
    ) -> String {
        let mut out = format!("#[derive({derives})]\npub struct {name} {{\n");
        let mut taken = HashSet::new();
        let mut seen = HashSet::new();
        for param in params {
            if !seen.insert(param.name.as_str()) {
                continue;
            }
            let ty = match &param.schema {
                Some(schema) => self.rust_type(spec, schema, false, 0),
                None => "serde_json::Value".to_string(),
            };
            let field = field_name(&param.name, &mut taken);
            let ty = if param.required {
                ty
            } else {
                format!("Option<{ty}>")
            };
            let _ = writeln!(
                out,
                "    #[serde(rename = {:?})]\n    pub {field}: {ty},",
                param.name
            );
        }
        out.push_str("}\n\n");
        out
    }

    /// The struct definitions; `derives` are the derive paths of the variant, `attrs` a
    /// container attribute per type (given the component name), if any. With `mutate`, each
    /// struct that has an optional property and admits no other has that property's field
    /// renamed (`<name>_renamed` on the wire): one mistake a struct, counted in the second value.
    pub fn definitions(
        &self,
        spec: &Spec,
        derives: &str,
        attrs: &dyn Fn(&str) -> String,
        mutate: bool,
    ) -> (String, usize) {
        let mut out = String::new();
        let mut mutated = 0;
        for (component, (name, loc)) in &self.names {
            let Ok((loc, schema)) = spec.doc.deref(loc) else {
                continue;
            };
            if let Some(values) = string_enum(schema) {
                let _ = writeln!(
                    out,
                    "#[derive({derives})]\n{}pub enum {name} {{",
                    attrs(component)
                );
                for (i, value) in values.iter().enumerate() {
                    let _ = writeln!(out, "    #[serde(rename = {value:?})]\n    V{i},");
                }
                out.push_str("}\n\n");
                continue;
            }
            let required: Vec<&str> = schema
                .get("required")
                .and_then(Value::as_array)
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let closed = matches!(
                schema.get("additionalProperties"),
                None | Some(Value::Bool(false))
            );
            let mut rename = None;
            if mutate && closed {
                rename = schema
                    .get("properties")
                    .and_then(Value::as_object)
                    .and_then(|props| props.keys().find(|p| !required.contains(&p.as_str())))
                    .cloned();
            }
            let _ = writeln!(
                out,
                "#[derive({derives})]\n{}pub struct {name} {{",
                attrs(component)
            );
            let mut taken = HashSet::new();
            if let Some(Value::Object(props)) = schema.get("properties") {
                for property in props.keys() {
                    let prop_loc = loc.child("properties").child(property);
                    let resolved = spec
                        .doc
                        .deref(&prop_loc)
                        .map(|(_, v)| v.clone())
                        .unwrap_or_default();
                    let own = spec.doc.get(&prop_loc).cloned().unwrap_or_default();
                    let is_required = required.contains(&property.as_str());
                    let may_be_null = nullable(&own) || nullable(&resolved);
                    let ty = self.rust_type(spec, &prop_loc, true, 0);
                    let field = field_name(property, &mut taken);
                    let wire = if rename.as_ref() == Some(property) {
                        mutated += 1;
                        format!("{property}_renamed")
                    } else {
                        property.clone()
                    };
                    let _ = writeln!(out, "    #[serde(rename = {wire:?})]");
                    if !is_required {
                        let _ = writeln!(
                            out,
                            "    #[serde(default, skip_serializing_if = \"Option::is_none\")]"
                        );
                    }
                    let ty = if !is_required || may_be_null {
                        format!("Option<{ty}>")
                    } else {
                        ty
                    };
                    let _ = writeln!(out, "    pub {field}: {ty},");
                }
            }
            out.push_str("}\n\n");
        }
        (out, mutated)
    }
}
