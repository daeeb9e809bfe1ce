//! Turns spec schemas into encoded `Expect`s for the const checks, and into an object model
//! (properties after `allOf` merging) for the checks the macros make directly.
//!
//! An expectation is built as bytes in plain Rust and emitted as one byte-string literal: the
//! encoding is `contract_schema::encoding`'s, which the runtime's const checks read. Building token
//! trees instead cost more than the rest of the macro, and rustc's type-checking of the struct
//! literals more than the rest of the crate.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use contract_schema::encoding::{node, put_str, tag};
use contract_schema::hash::fnv1a;
use contract_spec::{Loc, Recorded, Spec};
use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

/// An enum node: the values' count, their hashes in ascending order (the const checks look a
/// variant up by binary search), then the values.
pub(crate) fn enum_node<'v>(values: impl IntoIterator<Item = &'v str>) -> Vec<u8> {
    let values: Vec<&str> = values.into_iter().collect();
    let mut hashes: Vec<u64> = values.iter().map(|v| fnv1a(v.as_bytes())).collect();
    hashes.sort_unstable();
    let count = u32::try_from(values.len()).unwrap_or(u32::MAX);
    let mut payload = count.to_le_bytes().to_vec();
    for h in hashes {
        payload.extend_from_slice(&h.to_le_bytes());
    }
    for v in values {
        put_str(&mut payload, v);
    }
    node(tag::ENUM, &payload)
}

pub(crate) fn any() -> Vec<u8> {
    node(tag::ANY, &[])
}

pub(crate) fn nullable(inner: &[u8]) -> Vec<u8> {
    node(tag::NULLABLE, inner)
}

/// An object node (also the parameters of an operation): `(name, required, node)` each.
pub(crate) fn object<'p>(
    props: impl IntoIterator<Item = (&'p str, bool, Vec<u8>)>,
    extra: bool,
) -> Vec<u8> {
    let mut payload = vec![u8::from(extra)];
    for (name, required, expect) in props {
        put_str(&mut payload, name);
        payload.push(u8::from(required));
        payload.extend_from_slice(&expect);
    }
    node(tag::OBJECT, &payload)
}

/// The `Expect` expression for an encoded node.
pub(crate) fn tokens(code: &[u8]) -> TokenStream {
    let lit = syn::LitByteStr::new(code, proc_macro2::Span::call_site());
    quote!(::contract_runtime::__private::Expect::new(#lit))
}

/// Nesting depth beyond which a schema is expected as "any value" (keeps literals small).
pub(crate) const MAX_DEPTH: usize = 6;

/// A property of an object schema.
#[derive(Debug, Clone)]
pub(crate) struct PropModel {
    pub name: String,
    pub required: bool,
    pub nullable: bool,
    /// `readOnly`/`writeOnly`: present in only one direction, so never required of a type
    /// that may serve both.
    pub one_way: bool,
    /// Where the property's schema is (None when it is only listed in `required`).
    pub loc: Option<Loc>,
}

/// An object schema: its properties and whether others are allowed.
#[derive(Debug, Clone, Default)]
pub(crate) struct ObjectModel {
    pub props: Vec<PropModel>,
    pub extra: bool,
}

impl ObjectModel {
    pub fn get(&self, name: &str) -> Option<&PropModel> {
        self.props.iter().find(|p| p.name == name)
    }

    /// Required in every direction: must be present and, unless nullable, not `Option`.
    pub fn strictly_required(&self, name: &str) -> bool {
        self.get(name).is_some_and(|p| p.required && !p.one_way)
    }
}

pub(crate) struct Expecter<'a> {
    pub spec: &'a Spec,
    /// Components (by name) and other schemas (by `file:pointer`) being expanded, to stop at
    /// cycles.
    pub(crate) expanding: RefCell<Vec<String>>,
    /// Schemas reached through a `$ref` (other than by component name), by place and depth:
    /// specs split over files repeat the same error schema on every response.
    pub(crate) memo: RefCell<HashMap<(String, usize), Memoized>>,
    /// How many times the expansion stack changed a result so far (a cycle cut, a component
    /// left unexpanded because it is being expanded): an expansion during which it did depends
    /// on where it started, so it is not memoized.
    pub(crate) cuts: Cell<usize>,
    /// Every name looked up in the expansion stack so far (and found absent, unless `cuts`
    /// moved): a memoized expansion is reused only where none of its names is being expanded.
    pub(crate) consulted: RefCell<Vec<String>>,
    /// Expectations of whole schemas, shared with the other invocations of the process.
    pub(crate) shared: Option<&'a crate::expect::ExpectationMemo>,
}

/// An expansion made without a cut, and the names it found absent from the expansion stack:
/// under another stack it is the same only if none of them is on it.
#[derive(Clone)]
pub(crate) struct Memoized {
    pub(crate) code: Arc<[u8]>,
    pub(crate) consulted: Arc<[String]>,
    /// What the expansion read of the spec: a reuse stands for these reads (see
    /// `contract_spec::Document::record`).
    pub(crate) reads: Arc<[Recorded]>,
}

impl<'a> Expecter<'a> {
    pub fn new(spec: &'a Spec, shared: Option<&'a crate::expect::ExpectationMemo>) -> Self {
        Expecter {
            spec,
            expanding: RefCell::new(Vec::new()),
            memo: RefCell::new(HashMap::new()),
            cuts: Cell::new(0),
            consulted: RefCell::new(Vec::new()),
            shared,
        }
    }

    /// The encoded expectation for the schema at `loc`.
    pub fn expect(&self, loc: &Loc) -> Vec<u8> {
        // From an empty expansion stack the result depends on `loc` alone.
        let Some(shared) = self.shared.filter(|_| self.expanding.borrow().is_empty()) else {
            return self.expect_at(loc, 0);
        };
        let lock = || shared.by_place.lock().unwrap_or_else(|p| p.into_inner());
        let doc = &self.spec.doc;
        if let Some((code, reads)) = lock().get(loc).cloned() {
            doc.replay(&reads);
            return code.to_vec();
        }
        let mark = doc.recording_mark();
        let code = self.expect_at(loc, 0);
        let reads = doc.recorded_since(mark);
        lock().insert(loc.clone(), (code.as_slice().into(), reads.into()));
        code
    }

    /// The expectation of a component's own schema (not the by-name reference to it), which
    /// is at `loc`.
    pub fn expect_component_body(&self, name: &str, loc: &Loc) -> Vec<u8> {
        self.expanding.borrow_mut().push(name.to_string());
        let out = self.expect_inline(loc, 0);
        self.expanding.borrow_mut().pop();
        out
    }

    pub(crate) fn expect_at(&self, loc: &Loc, depth: usize) -> Vec<u8> {
        if depth > MAX_DEPTH {
            return any();
        }
        let Some(value) = self.spec.doc.get(loc) else {
            return any();
        };
        if let Some(reference) = value.get("$ref").and_then(Value::as_str) {
            let Ok(target) = self.spec.doc.resolve_ref(loc.file, reference) else {
                return any();
            };
            // 3.1 allows siblings next to `$ref`; `nullable` is the one that changes the shape.
            let wrap_null = self.spec.doc.version == contract_spec::Version::V31
                && crate::rust::is_nullable(value);
            // A schema named by its file carries its structure: a type bound to it is compared
            // by name, and an unbound one field by field.
            let named = self.spec.component_name(&target);
            let named = named.map(|n| self.spec.canonical_component(&n, &target));
            let inner = match named {
                Some(name) if contract_spec::root_component_name(&target).is_some() => {
                    self.component_ref(&name, &target, depth)
                }
                Some(name) => self.component_with_structure(&name, &target, depth),
                None => self.shared_ref(&target, depth),
            };
            return if wrap_null { nullable(&inner) } else { inner };
        }
        self.expect_inline(loc, depth)
    }

    pub(crate) fn shared_ref(&self, target: &Loc, depth: usize) -> Vec<u8> {
        let key = (format!("{}:{}", target.file.0, target.pointer), depth);
        let memoized = self.memo.borrow().get(&key).cloned();
        if let Some(code) = memoized.and_then(|m| self.reuse(&m)) {
            return code;
        }
        // A schema that refers to itself (a tree): the inner use is `Any`.
        if self.is_expanding(&key.0) {
            self.cuts.set(self.cuts.get() + 1);
            return any();
        }
        let (code, memoized) = self.expanding_as(&key.0, || self.expect_at(target, depth + 1));
        if let Some(memoized) = memoized {
            self.memo.borrow_mut().insert(key, memoized);
        }
        code
    }

    /// `expand` run with `name` on the expansion stack, and its memo entry unless it cut.
    pub(crate) fn expanding_as(
        &self,
        name: &str,
        expand: impl FnOnce() -> Vec<u8>,
    ) -> (Vec<u8>, Option<Memoized>) {
        let cuts = self.cuts.get();
        let first_consulted = self.consulted.borrow().len();
        let mark = self.spec.doc.recording_mark();
        self.expanding.borrow_mut().push(name.to_string());
        let code = expand();
        self.expanding.borrow_mut().pop();
        if self.cuts.get() != cuts {
            return (code, None);
        }
        let mut consulted = self.consulted.borrow()[first_consulted..].to_vec();
        consulted.sort_unstable();
        consulted.dedup();
        let memoized = Memoized {
            code: code.as_slice().into(),
            consulted: consulted.into(),
            reads: self.spec.doc.recorded_since(mark).into(),
        };
        (code, Some(memoized))
    }

    /// A memoized expansion, if it holds under the current expansion stack.
    pub(crate) fn reuse(&self, memoized: &Memoized) -> Option<Vec<u8>> {
        let stack = self.expanding.borrow();
        if memoized.consulted.iter().any(|n| stack.contains(n)) {
            return None;
        }
        self.consulted
            .borrow_mut()
            .extend(memoized.consulted.iter().cloned());
        self.spec.doc.replay(&memoized.reads);
        Some(memoized.code.to_vec())
    }

    pub(crate) fn component_ref(&self, name: &str, target: &Loc, depth: usize) -> Vec<u8> {
        let mut payload = Vec::new();
        put_str(&mut payload, name);
        if let Ok((_, schema)) = self.spec.doc.deref(target)
            && is_object_like(schema)
            && crate::rust::is_nullable(schema)
        {
            // An object component that admits null (Box's `FileMini`): an `Option` of a type
            // bound to it fits wherever it is referenced, items included.
            return nullable(&node(tag::COMPONENT, &payload));
        }
        if let Ok((loc, schema)) = self.spec.doc.deref(target)
            && !is_object_like(schema)
        {
            if self.is_expanding(name) {
                self.cuts.set(self.cuts.get() + 1);
            } else {
                let (inline, _) = self.expanding_as(name, || self.expect_inline(&loc, depth + 1));
                payload.extend(inline);
            }
        }
        node(tag::COMPONENT, &payload)
    }

    pub(crate) fn is_expanding(&self, name: &str) -> bool {
        self.consulted.borrow_mut().push(name.to_string());
        self.expanding.borrow().iter().any(|n| n == name)
    }

    /// A component reference that also carries the component's own schema, objects included.
    pub(crate) fn component_with_structure(
        &self,
        name: &str,
        target: &Loc,
        depth: usize,
    ) -> Vec<u8> {
        if self.is_expanding(name) {
            self.cuts.set(self.cuts.get() + 1);
            if contract_spec::root_component_name(target).is_none() {
                // A schema named by its file that contains itself: the inner level is the one
                // being compared, so any unbound shape fits it (as an unnamed schema's cut).
                let mut payload = Vec::new();
                put_str(&mut payload, name);
                payload.extend(any());
                return node(tag::COMPONENT, &payload);
            }
            return self.component_ref(name, target, depth);
        }
        let key = (name.to_string(), depth);
        let lock = |shared: &'a crate::expect::ExpectationMemo| {
            shared.structures.lock().unwrap_or_else(|p| p.into_inner())
        };
        let memoized = self
            .shared
            .and_then(|shared| lock(shared).get(&key).cloned());
        if let Some(code) = memoized.and_then(|m| self.reuse(&m)) {
            return code;
        }
        let (code, memoized) = self.expanding_as(name, || {
            let mut payload = Vec::new();
            put_str(&mut payload, name);
            payload.extend(self.expect_inline(target, depth + 1));
            node(tag::COMPONENT, &payload)
        });
        if let (Some(shared), Some(memoized)) = (self.shared, memoized) {
            lock(shared).insert(key, memoized);
        }
        code
    }

    pub(crate) fn expect_inline(&self, loc: &Loc, depth: usize) -> Vec<u8> {
        let Ok((loc, schema)) = self.spec.doc.deref(loc) else {
            return any();
        };
        let core = self.expect_core(&loc, schema, depth);
        if crate::rust::is_nullable(schema) {
            nullable(&core)
        } else {
            core
        }
    }

    pub(crate) fn expect_core(&self, loc: &Loc, schema: &Value, depth: usize) -> Vec<u8> {
        for key in ["oneOf", "anyOf"] {
            if let Some(Value::Array(alts)) = schema.get(key) {
                let mut options = Vec::new();
                for (i, alt) in alts.iter().enumerate() {
                    if crate::rust::types(alt) == ["null"] {
                        continue;
                    }
                    let alt_loc = loc.child(key).child(&i.to_string());
                    // Alternatives are often components; an enum's struct variants must be
                    // able to match them field by field, so they carry their structure.
                    let target = alt
                        .get("$ref")
                        .and_then(Value::as_str)
                        .and_then(|r| self.spec.doc.resolve_ref(loc.file, r).ok());
                    match target.as_ref().and_then(|t| {
                        self.spec
                            .component_name(t)
                            .map(|n| (self.spec.canonical_component(&n, t), t))
                    }) {
                        Some((name, target)) => {
                            options.push(self.component_with_structure(&name, target, depth))
                        }
                        None => options.push(self.expect_at(&alt_loc, depth + 1)),
                    }
                }
                if schema.get("properties").is_none() {
                    return match options.len() {
                        0 => any(),
                        1 => options.remove(0),
                        _ => node(tag::ONE_OF, &options.concat()),
                    };
                }
            }
        }
        if let Some(Value::Array(_)) = schema.get("allOf") {
            // One member that carries the schema, the others annotating (`nullable`, which
            // `expect_inline` applies, or a description).
            if let Some(i) = contract_spec::single_member(schema) {
                return self.expect_at(&loc.child("allOf").child(&i.to_string()), depth + 1);
            }
            return match self.object_model(loc) {
                Some(model) => self.object_code(&model, depth),
                None => any(),
            };
        }
        let ts: Vec<&str> = crate::rust::types(schema)
            .into_iter()
            .filter(|t| *t != "null")
            .collect();
        let format = schema.get("format").and_then(Value::as_str).unwrap_or("");
        if let Some(Value::Array(values)) = schema.get("enum") {
            let strings: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
            if !strings.is_empty()
                && strings.len() == values.iter().filter(|v| !v.is_null()).count()
            {
                return enum_node(strings);
            }
        }
        if let Some(Value::String(c)) = schema.get("const") {
            return enum_node([c.as_str()]);
        }
        match ts.as_slice() {
            ["integer"] => node(tag::INTEGER, format.as_bytes()),
            ["number"] => node(tag::NUMBER, format.as_bytes()),
            ["string"] => node(tag::STRING, format.as_bytes()),
            ["boolean"] => node(tag::BOOL, &[]),
            ["array"] => {
                let items = if schema.get("items").is_some_and(Value::is_object) {
                    self.expect_at(&loc.child("items"), depth + 1)
                } else {
                    any()
                };
                node(tag::ARRAY, &items)
            }
            ["object"] | [] => {
                if schema.get("properties").is_some() {
                    match self.object_model(loc) {
                        Some(model) => self.object_code(&model, depth),
                        None => any(),
                    }
                } else if ts.is_empty() {
                    any()
                } else {
                    let values = match schema.get("additionalProperties") {
                        Some(Value::Object(_)) => {
                            self.expect_at(&loc.child("additionalProperties"), depth + 1)
                        }
                        _ => any(),
                    };
                    node(tag::MAP, &values)
                }
            }
            // Several types (3.1 `type: [string, integer]`): nothing a single Rust type states.
            _ => any(),
        }
    }

    pub(crate) fn object_code(&self, model: &ObjectModel, depth: usize) -> Vec<u8> {
        object(
            model.props.iter().map(|p| {
                let expect = match &p.loc {
                    Some(loc) => self.expect_at(loc, depth + 1),
                    None => any(),
                };
                (p.name.as_str(), p.required && !p.one_way, expect)
            }),
            model.extra,
        )
    }

    /// The properties of the object schema at `loc`, with `allOf` members merged.
    pub fn object_model(&self, loc: &Loc) -> Option<ObjectModel> {
        let mut props: BTreeMap<String, PropModel> = BTreeMap::new();
        let mut order: Vec<String> = Vec::new();
        let mut required: Vec<String> = Vec::new();
        let mut extra = false;
        let mut object_like = false;
        self.collect(
            loc,
            &mut props,
            &mut order,
            &mut required,
            &mut extra,
            &mut object_like,
            0,
        );
        if !object_like {
            return None;
        }
        for name in &required {
            if !props.contains_key(name) {
                order.push(name.clone());
                props.insert(
                    name.clone(),
                    PropModel {
                        name: name.clone(),
                        required: true,
                        nullable: false,
                        one_way: false,
                        loc: None,
                    },
                );
            }
        }
        let props = order
            .into_iter()
            .filter_map(|n| {
                let mut p = props.remove(&n)?;
                p.required = required.contains(&n);
                Some(p)
            })
            .collect();
        Some(ObjectModel { props, extra })
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) fn collect(
        &self,
        loc: &Loc,
        props: &mut BTreeMap<String, PropModel>,
        order: &mut Vec<String>,
        required: &mut Vec<String>,
        extra: &mut bool,
        object_like: &mut bool,
        depth: usize,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        let Ok((loc, schema)) = self.spec.doc.deref(loc) else {
            return;
        };
        if schema.get("properties").is_some() || crate::rust::types(schema).contains(&"object") {
            *object_like = true;
        }
        if let Some(Value::Object(map)) = schema.get("properties") {
            for (name, prop) in map {
                let prop_loc = loc.child("properties").child(name);
                let resolved = self
                    .spec
                    .doc
                    .deref(&prop_loc)
                    .map(|(_, v)| v)
                    .unwrap_or(prop);
                let flag = |k: &str| {
                    prop.get(k).and_then(Value::as_bool).unwrap_or(false)
                        || resolved.get(k).and_then(Value::as_bool).unwrap_or(false)
                };
                if !props.contains_key(name) {
                    order.push(name.clone());
                }
                props.insert(
                    name.clone(),
                    PropModel {
                        name: name.clone(),
                        required: false,
                        nullable: crate::rust::is_nullable(prop)
                            || crate::rust::is_nullable(resolved),
                        one_way: flag("readOnly") || flag("writeOnly"),
                        loc: Some(prop_loc),
                    },
                );
            }
        }
        if let Some(Value::Array(names)) = schema.get("required") {
            for n in names.iter().filter_map(Value::as_str) {
                if !required.iter().any(|r| r == n) {
                    required.push(n.to_string());
                }
            }
        }
        match schema.get("additionalProperties") {
            Some(Value::Bool(true)) | Some(Value::Object(_)) => *extra = true,
            _ => {}
        }
        if let Some(Value::Array(members)) = schema.get("allOf") {
            for i in 0..members.len() {
                self.collect(
                    &loc.child("allOf").child(&i.to_string()),
                    props,
                    order,
                    required,
                    extra,
                    object_like,
                    depth + 1,
                );
            }
        }
    }
}

/// Objects are compared by component name; everything else may be expanded inline.
pub(crate) fn is_object_like(schema: &Value) -> bool {
    schema.get("properties").is_some()
        || schema.get("allOf").is_some()
        || schema.get("oneOf").is_some()
        || schema.get("anyOf").is_some()
        || crate::rust::types(schema).contains(&"object")
        || schema.get("$ref").is_some()
}

/// A whole schema's encoded expectation, and what its expansion read of the spec.
pub(crate) type MemoizedSchema = (Arc<[u8]>, Arc<[Recorded]>);

/// Encoded expectations shared by the invocations of a process.
#[derive(Default)]
pub(crate) struct ExpectationMemo {
    /// Whole schemas, by place.
    pub by_place: Mutex<HashMap<Loc, MemoizedSchema>>,
    /// Components expanded with their structure (an alternative of a `oneOf`/`anyOf`), by name
    /// and the depth they were expanded at: Stripe's expandable fields name the same few
    /// components hundreds of times.
    pub structures: Mutex<HashMap<(String, usize), crate::expect::Memoized>>,
}

#[cfg(test)]
mod tests;
