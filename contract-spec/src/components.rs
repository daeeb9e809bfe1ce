//! Component names: which schemas a type can bind to by name.
//!
//! A component is a schema under the root's `components.schemas`, or a schema that lives in a
//! file of its own (or a fragment of one) and is reached by a `$ref` from a schema position:
//! split specs (Redocly's layout, DigitalOcean's) keep every schema so. Such a schema is named
//! as `redocly bundle` names it when it bundles: the file's stem (`components/schemas/Order.yaml`
//! → `Order`), or the fragment's last segment (`models/droplet.yml#/droplet` → `droplet`). A
//! name the root gives (`Order: {$ref: 'schemas/order.yaml'}`) takes precedence, and a file's
//! schema whose name the root already gives to another schema stays unnamed.
//!
//! Root components are named by their pointer alone; the names of the other files' schemas
//! need every file, so they are derived once per spec and kept beside the spec's slices (see
//! the `slice` module), where a later process finds them without the whole document.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::source::{FileId, Loc};
use crate::{Spec, disk, pointer};

/// The names of schemas outside the root's `components.schemas`.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct Components {
    /// Name → the distinct schemas that would take it (more than one: a collision).
    by_name: BTreeMap<String, Vec<Loc>>,
    /// A `$ref` target → its name (also the files a root component refers to).
    by_loc: HashMap<Loc, String>,
}

/// What a component name stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// The schema so named.
    Found(Loc),
    /// Two or more different schemas would take the name.
    Ambiguous(Vec<Loc>),
    /// No schema has the name.
    Missing,
}

/// The pointer of root component `name`.
pub fn root_component_loc(name: &str) -> Loc {
    Loc::root(FileId(0))
        .child("components")
        .child("schemas")
        .child(name)
}

/// `#/components/schemas/NAME` in the root file → `NAME`.
pub fn root_component_name(loc: &Loc) -> Option<String> {
    if loc.file != FileId(0) {
        return None;
    }
    let rest = loc.pointer.strip_prefix("/components/schemas/")?;
    (!rest.contains('/')).then(|| pointer::decode(rest))
}

impl Components {
    /// The names of the schemas found in files other than the root's `components.schemas`.
    pub fn file_names(&self) -> impl Iterator<Item = &str> {
        self.by_name.keys().map(String::as_str)
    }

    fn derive(spec: &Spec) -> Components {
        let files = &spec.doc.files;
        let value_at = |loc: &Loc| {
            files
                .get(loc.file.0)
                .and_then(|f| pointer::resolve(&f.value, &loc.pointer))
        };
        let target_of = |at: &Loc, value: &Value| {
            let reference = value.get("$ref")?.as_str()?;
            let target = spec.doc.resolve_ref(at.file, reference).ok()?;
            value_at(&target).map(|_| target)
        };
        let mut out = Components::default();
        let root_names: Vec<String> = files
            .first()
            .and_then(|f| f.value.pointer("/components/schemas"))
            .and_then(Value::as_object)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        // Names the root gives to other files' schemas: `Order: {$ref: 'schemas/order.yaml'}`.
        for name in &root_names {
            let mut at = root_component_loc(name);
            for _ in 0..MAX_HOPS {
                let Some(next) = value_at(&at).and_then(|v| target_of(&at, v)) else {
                    break;
                };
                if root_component_name(&next).is_some() {
                    break;
                }
                out.by_loc
                    .entry(next.clone())
                    .or_insert_with(|| name.clone());
                at = next;
            }
        }
        let mut refs = Vec::new();
        for (i, file) in files.iter().enumerate() {
            scan(&file.value, &mut String::new(), None, None, 0, &mut |p| {
                refs.push(Loc {
                    file: FileId(i),
                    pointer: p.to_string(),
                })
            });
        }
        // Each schema `$ref` and the hops its target makes (a file that is only a `$ref`).
        let mut finals: BTreeMap<String, Vec<Loc>> = BTreeMap::new();
        for at in refs {
            let mut at = at;
            for _ in 0..MAX_HOPS {
                let Some(target) = value_at(&at).and_then(|v| target_of(&at, v)) else {
                    break;
                };
                if root_component_name(&target).is_some() || out.by_loc.contains_key(&target) {
                    break;
                }
                let Some(name) = files
                    .get(target.file.0)
                    .and_then(|f| file_schema_name(&target, &f.path))
                else {
                    break;
                };
                if root_names.contains(&name) {
                    break;
                }
                let end = final_target(&target, &value_at, &target_of);
                let ends = finals.entry(name.clone()).or_default();
                if !ends.contains(&end) {
                    ends.push(end);
                    out.by_name
                        .entry(name.clone())
                        .or_default()
                        .push(target.clone());
                }
                out.by_loc.insert(target.clone(), name);
                at = target;
            }
        }
        // A name two schemas would take names neither: binding it is an error, and each is
        // compared where it is used, as an unnamed schema.
        out.by_loc
            .retain(|_, name| out.by_name.get(name).is_none_or(|locs| locs.len() == 1));
        out
    }

    fn from_disk(spec: &Spec) -> Option<Components> {
        let text = spec.stored_artifact(ARTIFACT)?;
        let stored: Stored = serde_json::from_str(&text).ok()?;
        let files = spec.doc.files.len();
        let ok = |loc: &Loc| loc.file.0 < files;
        if !stored.names.iter().all(|(_, l)| ok(l)) || !stored.aliases.iter().all(|(l, _)| ok(l)) {
            return None;
        }
        let mut out = Components::default();
        for (name, loc) in stored.names {
            out.by_name.entry(name).or_default().push(loc);
        }
        out.by_loc = stored.aliases.into_iter().collect();
        Some(out)
    }

    fn to_stored(&self) -> String {
        let stored = Stored {
            names: self
                .by_name
                .iter()
                .flat_map(|(n, locs)| locs.iter().map(move |l| (n.clone(), l.clone())))
                .collect(),
            aliases: self
                .by_loc
                .iter()
                .map(|(l, n)| (l.clone(), n.clone()))
                .collect(),
        };
        serde_json::to_string(&stored).unwrap_or_default()
    }
}

#[derive(Serialize, Deserialize)]
struct Stored {
    names: Vec<(String, Loc)>,
    aliases: Vec<(Loc, String)>,
}

const ARTIFACT: &str = "components.json";
const MAX_HOPS: usize = 64;
/// Deeper than any real spec nests its schemas; a hostile one is not scanned further.
const MAX_SCAN_DEPTH: usize = 256;

/// Where a chain of `$ref`s from `loc` ends.
fn final_target<'v>(
    loc: &Loc,
    value_at: &impl Fn(&Loc) -> Option<&'v Value>,
    target_of: &impl Fn(&Loc, &Value) -> Option<Loc>,
) -> Loc {
    let mut at = loc.clone();
    for _ in 0..MAX_HOPS {
        match value_at(&at).and_then(|v| target_of(&at, v)) {
            Some(next) => at = next,
            None => break,
        }
    }
    at
}

/// `Order.yaml` → `Order`; `models/droplet.yml#/droplet` → `droplet`.
fn file_schema_name(target: &Loc, path: &Path) -> Option<String> {
    if target.pointer.is_empty() {
        return path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .filter(|s| !s.is_empty());
    }
    let last = target.pointer.rsplit('/').next()?;
    let name = pointer::decode(last);
    // An array element (`allOf/0`) is no name.
    (!name.is_empty() && !name.bytes().all(|b| b.is_ascii_digit())).then_some(name)
}

use crate::keywords::{LITERAL_KEYS, NAMED_MAPS, SCHEMA_KEYS, SCHEMA_LIST_KEYS, SCHEMA_MAP_KEYS};

/// Keys of spec objects (parameters, media types) whose value is a schema.
const SCHEMA_HOLDERS: &[&str] = &["schema", "itemSchema"];
/// Maps of schemas outside a schema (`components.schemas`) or beside its properties.
const SCHEMA_TABLES: &[&str] = &["$defs", "definitions", "schemas"];

/// Calls `found` with the pointer of every object holding a `$ref` at a schema position.
fn scan(
    value: &Value,
    at: &mut String,
    key: Option<&str>,
    parent_key: Option<&str>,
    depth: usize,
    found: &mut impl FnMut(&str),
) {
    if depth > MAX_SCAN_DEPTH {
        return;
    }
    match value {
        Value::Object(map) => {
            let keys_are_names = key.is_some_and(|k| NAMED_MAPS.contains(&k));
            if !keys_are_names
                && map.get("$ref").is_some_and(Value::is_string)
                && is_schema_position(key, parent_key)
            {
                found(at);
            }
            for (child_key, child) in map {
                if !keys_are_names
                    && (child_key.starts_with("x-")
                        || child_key == "$ref"
                        || child_key == "examples"
                        || LITERAL_KEYS.contains(&child_key.as_str()))
                {
                    continue;
                }
                let len = at.len();
                at.push('/');
                at.push_str(&pointer::encode(child_key));
                scan(child, at, Some(child_key), key, depth + 1, found);
                at.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let len = at.len();
                at.push('/');
                at.push_str(&i.to_string());
                // An array's items are reached under the array's key.
                scan(item, at, key, parent_key, depth + 1, found);
                at.truncate(len);
            }
        }
        _ => {}
    }
}

/// Whether an object reached under `key` (inside a map reached under `parent_key`) is a
/// schema. Array items are seen under their array's key (`allOf`).
fn is_schema_position(key: Option<&str>, parent_key: Option<&str>) -> bool {
    let Some(key) = key else { return false };
    if parent_key.is_some_and(|p| SCHEMA_MAP_KEYS.contains(&p) || SCHEMA_TABLES.contains(&p)) {
        return true;
    }
    let in_named_map = parent_key.is_some_and(|p| NAMED_MAPS.contains(&p));
    !in_named_map
        && (SCHEMA_KEYS.contains(&key)
            || SCHEMA_HOLDERS.contains(&key)
            || SCHEMA_LIST_KEYS.contains(&key))
}

/// Whether a key only annotates a schema, changing no value it admits: JSON Schema's
/// annotations, extensions, and (here) 3.0's `nullable`, which callers look at apart.
fn annotates(key: &str) -> bool {
    key == "nullable" || key.starts_with("x-") || contract_schema::ANNOTATIONS.contains(&key)
}

/// Whether `schema` only annotates: every key is an annotation (`description`, `nullable`…)
/// or an extension.
pub fn annotation_only(schema: &Value) -> bool {
    schema
        .as_object()
        .is_some_and(|map| map.keys().all(|k| annotates(k)))
}

/// For `allOf: [X, …]` whose other members only annotate (`[{$ref: User}, {nullable: true}]`,
/// Asana's nullable reference, or `[{$ref}, {description}]`) and that adds nothing of its own
/// beside: the index of `X`, which the schema is.
pub fn single_member(schema: &Value) -> Option<usize> {
    let map = schema.as_object()?;
    let members = map.get("allOf")?.as_array()?;
    let own_keys_annotate = map.keys().all(|k| k == "allOf" || annotates(k));
    if !own_keys_annotate {
        return None;
    }
    let mut carrying = members
        .iter()
        .enumerate()
        .filter(|(_, m)| !annotation_only(m));
    match (carrying.next(), carrying.next()) {
        (Some((i, _)), None) => Some(i),
        _ => None,
    }
}

/// Whether `schema` admits null through an annotating `allOf` member (`{nullable: true}`).
pub fn nullable_member(schema: &Value) -> bool {
    single_member(schema).is_some()
        && schema
            .get("allOf")
            .and_then(Value::as_array)
            .is_some_and(|members| {
                members.iter().any(|m| {
                    annotation_only(m) && m.get("nullable").and_then(Value::as_bool) == Some(true)
                })
            })
}

/// The `$ref` a schema is only another name for: `{$ref: Y}` (with annotations beside it) or
/// an `allOf` of one such member; not when it admits null where its target may not.
fn alias_ref(schema: &Value) -> Option<(&str, Option<usize>)> {
    let nullable = schema.get("nullable").and_then(Value::as_bool) == Some(true);
    if nullable || nullable_member(schema) {
        return None;
    }
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let rest_annotates = schema
            .as_object()
            .is_some_and(|m| m.keys().all(|k| k == "$ref" || annotates(k)));
        return rest_annotates.then_some((reference, None));
    }
    let i = single_member(schema)?;
    let member = schema.get("allOf")?.get(i)?;
    let reference = member.get("$ref")?.as_str()?;
    let member_annotates = member.as_object().is_some_and(|m| {
        m.keys().all(|k| {
            k == "$ref" || k == "nullable" || contract_schema::ANNOTATIONS.contains(&k.as_str())
        })
    });
    member_annotates.then_some((reference, Some(i)))
}

/// Components derived in this process, by spec digest: the whole document's and its slices'
/// checks share them.
static DERIVED: OnceLock<Mutex<HashMap<u64, Arc<Components>>>> = OnceLock::new();

impl Spec {
    /// The names of the schemas outside the root's `components.schemas` (see the module).
    pub fn components(&self) -> Arc<Components> {
        self.components
            .get_or_init(|| {
                if self.doc.files.len() <= 1 {
                    return Arc::default();
                }
                let digest = self.doc.digest();
                let memo = DERIVED.get_or_init(Default::default);
                let lock = || memo.lock().unwrap_or_else(|p| p.into_inner());
                if let Some(found) = lock().get(&digest) {
                    return found.clone();
                }
                let derived = if self.doc.is_sparse() {
                    match Components::from_disk(self) {
                        Some(c) => c,
                        None => {
                            // Only the whole document can tell: the check is made against it.
                            self.doc.note_miss();
                            return Arc::default();
                        }
                    }
                } else {
                    let derived = Components::derive(self);
                    let _ = self
                        .cached_artifact(disk::dir().as_deref(), ARTIFACT, || derived.to_stored());
                    derived
                };
                let derived = Arc::new(derived);
                lock().insert(digest, derived.clone());
                derived
            })
            .clone()
    }

    /// The component name of the schema at `loc` (a `$ref`'s target), if it has one.
    pub fn component_name(&self, loc: &Loc) -> Option<String> {
        if let Some(name) = root_component_name(loc) {
            return Some(name);
        }
        if self.doc.files.len() <= 1 {
            return None;
        }
        self.components().by_loc.get(loc).cloned()
    }

    /// The schema component `name` stands for.
    pub fn component(&self, name: &str) -> Lookup {
        let root = root_component_loc(name);
        if self.doc.get(&root).is_some() {
            return Lookup::Found(root);
        }
        if self.doc.files.len() <= 1 {
            return Lookup::Missing;
        }
        match self.components().by_name.get(name).map(Vec::as_slice) {
            Some([one]) => Lookup::Found(one.clone()),
            Some(many) if many.len() > 1 => Lookup::Ambiguous(many.to_vec()),
            _ => Lookup::Missing,
        }
    }

    /// The name a type bound to component `name` (at `loc`) is compared by: an alias component
    /// (`StoryRequest: {$ref: StoryBase}`, or an `allOf` of that one member) is its target's
    /// name, followed to the end of the chain, so that a type bound to either fits both.
    pub fn canonical_component(&self, name: &str, loc: &Loc) -> String {
        let mut name = name.to_string();
        let mut at = loc.clone();
        for _ in 0..MAX_HOPS {
            let Some(schema) = self.doc.get(&at) else {
                break;
            };
            let Some((reference, member)) = alias_ref(schema) else {
                break;
            };
            let from = match member {
                Some(i) => at.child("allOf").child(&i.to_string()),
                None => at.clone(),
            };
            let Ok(target) = self.doc.resolve_ref(from.file, reference) else {
                break;
            };
            let Some(next) = self.component_name(&target) else {
                break;
            };
            if next == name {
                break;
            }
            name = next;
            at = target;
        }
        name
    }

    /// Every component name, for suggestions: the root's and the other files'.
    pub fn component_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .doc
            .root()
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        if self.doc.files.len() > 1 {
            names.extend(self.components().file_names().map(str::to_string));
        }
        names
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_redocly() {
        let loc = |p: &str| Loc {
            file: FileId(1),
            pointer: p.into(),
        };
        let path = Path::new("/a/components/schemas/Order.yaml");
        assert_eq!(file_schema_name(&loc(""), path).as_deref(), Some("Order"));
        assert_eq!(
            file_schema_name(&loc("/droplet"), Path::new("/m/droplet.yml")).as_deref(),
            Some("droplet")
        );
        assert_eq!(
            file_schema_name(&loc("/components/schemas/a~1b"), path).as_deref(),
            Some("a/b")
        );
        assert_eq!(file_schema_name(&loc("/allOf/0"), path), None);
    }

    #[test]
    fn idioms_of_one_member() {
        let j = |v: &str| serde_json::from_str::<Value>(v).unwrap();
        let nullable_ref = j(r##"{"allOf": [{"$ref": "#/a"}, {"nullable": true}]}"##);
        assert_eq!(single_member(&nullable_ref), Some(0));
        assert!(nullable_member(&nullable_ref));
        assert_eq!(alias_ref(&nullable_ref), None);
        let described =
            j(r##"{"description": "d", "allOf": [{"description": "e"}, {"$ref": "#/a"}]}"##);
        assert_eq!(single_member(&described), Some(1));
        assert!(!nullable_member(&described));
        assert_eq!(alias_ref(&described), Some(("#/a", Some(1))));
        assert_eq!(
            alias_ref(&j(r##"{"$ref": "#/a", "description": "d"}"##)),
            Some(("#/a", None))
        );
        let merged = j(r##"{"allOf": [{"$ref": "#/a"}, {"properties": {"x": {}}}]}"##);
        assert_eq!(single_member(&merged), None);
        let own = j(r##"{"type": "object", "allOf": [{"$ref": "#/a"}]}"##);
        assert_eq!(single_member(&own), None);
    }

    #[test]
    fn schema_positions() {
        assert!(is_schema_position(Some("schema"), Some("application/json")));
        assert!(is_schema_position(Some("items"), None));
        assert!(is_schema_position(Some("owner"), Some("properties")));
        assert!(is_schema_position(Some("Order"), Some("schemas")));
        assert!(is_schema_position(Some("allOf"), Some("x")));
        assert!(!is_schema_position(Some("200"), Some("responses")));
        assert!(!is_schema_position(Some("parameters"), Some("get")));
        // A response named `schema` is a response.
        assert!(!is_schema_position(Some("schema"), Some("responses")));
        assert!(!is_schema_position(None, None));
    }

    #[test]
    fn scan_finds_schema_refs_only() {
        let value = serde_json::json!({
            "paths": {"/a": {"get": {
                "parameters": [{"$ref": "p.yaml"}],
                "responses": {"200": {"$ref": "r.yaml"}},
                "requestBody": {"content": {"application/json": {"schema": {"$ref": "s.yaml"}}}}
            }}},
            "x-tool": {"schema": {"$ref": "no.yaml"}},
            "properties": {"$ref": {"type": "string"}},
            "allOf": [{"$ref": "a.yaml"}, {"properties": {"o": {"$ref": "o.yaml"}}}],
            "example": {"schema": {"$ref": "no.yaml"}}
        });
        let mut found = Vec::new();
        scan(&value, &mut String::new(), None, None, 0, &mut |p| {
            found.push(p.to_string())
        });
        found.sort();
        assert_eq!(
            found,
            [
                "/allOf/0",
                "/allOf/1/properties/o",
                "/paths/~1a/get/requestBody/content/application~1json/schema",
            ]
        );
    }
}
