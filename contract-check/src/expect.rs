//! Turns spec schemas into encoded `Expect`s for the const checks, and into an object model
//! (properties after `allOf` merging) for the checks the macros make directly.
//!
//! An expectation is built as bytes in plain Rust and emitted as one byte-string literal: the
//! encoding is `contract_schema::encoding`'s, which the runtime's const checks read. Building token trees instead cost more than the rest of the macro, and rustc's
//! type-checking of the struct literals more than the rest of the crate.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use contract_schema::encoding::{node, put_str, split_node, tag};
use contract_schema::hash::fnv1a;
use contract_spec::{Loc, Recorded, Spec};
use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

/// An enum node: the values' count, their hashes in ascending order (the const checks look a
/// variant up by binary search), then the values.
pub fn enum_node<'v>(values: impl IntoIterator<Item = &'v str>) -> Vec<u8> {
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

pub fn any() -> Vec<u8> {
    node(tag::ANY, &[])
}

pub fn nullable(inner: &[u8]) -> Vec<u8> {
    node(tag::NULLABLE, inner)
}

/// An object node (also the parameters of an operation): `(name, required, node)` each.
pub fn object<'p>(
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
pub fn tokens(code: &[u8]) -> TokenStream {
    let lit = syn::LitByteStr::new(code, proc_macro2::Span::call_site());
    quote!(::contract_runtime::__private::Expect::new(#lit))
}

/// Nesting depth beyond which a schema is expected as "any value" (keeps literals small).
const MAX_DEPTH: usize = 6;

/// A property of an object schema.
#[derive(Debug, Clone)]
pub struct PropModel {
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
pub struct ObjectModel {
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

pub struct Expecter<'a> {
    pub spec: &'a Spec,
    /// Components (by name) and other schemas (by `file:pointer`) being expanded, to stop at
    /// cycles.
    expanding: RefCell<Vec<String>>,
    /// Schemas reached through a `$ref` (other than by component name), by place and depth:
    /// specs split over files repeat the same error schema on every response.
    memo: RefCell<HashMap<(String, usize), Memoized>>,
    /// How many times the expansion stack changed a result so far (a cycle cut, a component
    /// left unexpanded because it is being expanded): an expansion during which it did depends
    /// on where it started, so it is not memoized.
    cuts: Cell<usize>,
    /// Every name looked up in the expansion stack so far (and found absent, unless `cuts`
    /// moved): a memoized expansion is reused only where none of its names is being expanded.
    consulted: RefCell<Vec<String>>,
    /// Expectations of whole schemas, shared with the other invocations of the process.
    shared: Option<&'a crate::load::ExpectationMemo>,
}

/// An expansion made without a cut, and the names it found absent from the expansion stack:
/// under another stack it is the same only if none of them is on it.
#[derive(Clone)]
pub struct Memoized {
    code: Arc<[u8]>,
    consulted: Arc<[String]>,
    /// What the expansion read of the spec: a reuse stands for these reads (see
    /// `contract_spec::Document::record`).
    reads: Arc<[Recorded]>,
}

fn types(schema: &Value) -> Vec<&str> {
    match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

pub fn is_nullable(schema: &Value) -> bool {
    schema
        .get("nullable")
        .and_then(Value::as_bool)
        .unwrap_or(false)
        || types(schema).contains(&"null")
        || schema
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(|e| e.contains(&Value::Null))
        || contract_spec::nullable_member(schema)
        || ["oneOf", "anyOf"].iter().any(|k| {
            schema
                .get(*k)
                .and_then(Value::as_array)
                .is_some_and(|alts| alts.iter().any(|a| types(a) == ["null"]))
        })
}

impl<'a> Expecter<'a> {
    pub fn new(spec: &'a Spec, shared: Option<&'a crate::load::ExpectationMemo>) -> Self {
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

    fn expect_at(&self, loc: &Loc, depth: usize) -> Vec<u8> {
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
            let wrap_null =
                self.spec.doc.version == contract_spec::Version::V31 && is_nullable(value);
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

    fn shared_ref(&self, target: &Loc, depth: usize) -> Vec<u8> {
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
    fn expanding_as(
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
    fn reuse(&self, memoized: &Memoized) -> Option<Vec<u8>> {
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

    fn component_ref(&self, name: &str, target: &Loc, depth: usize) -> Vec<u8> {
        let mut payload = Vec::new();
        put_str(&mut payload, name);
        if let Ok((_, schema)) = self.spec.doc.deref(target)
            && is_object_like(schema)
            && is_nullable(schema)
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

    fn is_expanding(&self, name: &str) -> bool {
        self.consulted.borrow_mut().push(name.to_string());
        self.expanding.borrow().iter().any(|n| n == name)
    }

    /// A component reference that also carries the component's own schema, objects included.
    fn component_with_structure(&self, name: &str, target: &Loc, depth: usize) -> Vec<u8> {
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
        let lock = |shared: &'a crate::load::ExpectationMemo| {
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

    fn expect_inline(&self, loc: &Loc, depth: usize) -> Vec<u8> {
        let Ok((loc, schema)) = self.spec.doc.deref(loc) else {
            return any();
        };
        let core = self.expect_core(&loc, schema, depth);
        if is_nullable(schema) {
            nullable(&core)
        } else {
            core
        }
    }

    fn expect_core(&self, loc: &Loc, schema: &Value, depth: usize) -> Vec<u8> {
        for key in ["oneOf", "anyOf"] {
            if let Some(Value::Array(alts)) = schema.get(key) {
                let mut options = Vec::new();
                for (i, alt) in alts.iter().enumerate() {
                    if types(alt) == ["null"] {
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
        let ts: Vec<&str> = types(schema).into_iter().filter(|t| *t != "null").collect();
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

    fn object_code(&self, model: &ObjectModel, depth: usize) -> Vec<u8> {
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
    fn collect(
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
        if schema.get("properties").is_some() || types(schema).contains(&"object") {
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
                        nullable: is_nullable(prop) || is_nullable(resolved),
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
fn is_object_like(schema: &Value) -> bool {
    schema.get("properties").is_some()
        || schema.get("allOf").is_some()
        || schema.get("oneOf").is_some()
        || schema.get("anyOf").is_some()
        || types(schema).contains(&"object")
        || schema.get("$ref").is_some()
}

/// Whether the Rust type `ty` passes any check against the encoded node `code`, decided from
/// the tokens: `serde_json::Value`, std scalars, `Option` and `Vec` of them against the
/// matching nodes. Such checks are not emitted: on large specs most fields and bodies are
/// these, and every const item costs rustc time. (A type shadowing `String` or `i64` would
/// escape the check; rustc still type-checks its use.)
pub fn trivially_fits(ty: &syn::Type, code: &[u8]) -> bool {
    let Some((tag, payload)) = split_node(code) else {
        return false;
    };
    if tag == tag::ANY || is_json_value(ty) {
        return true;
    }
    let syn::Type::Path(tp) = ty else {
        return false;
    };
    if tp.qself.is_some() {
        return false;
    }
    let Some(last) = tp.path.segments.last() else {
        return false;
    };
    // `String`, `std::string::String`, `alloc::string::String`, not `crate::String`.
    if !is_std_path(&tp.path) {
        return false;
    }
    let arg = match &last.arguments {
        syn::PathArguments::AngleBracketed(args) if args.args.len() == 1 => match &args.args[0] {
            syn::GenericArgument::Type(t) => Some(t),
            _ => None,
        },
        syn::PathArguments::None => None,
        _ => return false,
    };
    let name = last.ident.to_string();
    match (name.as_str(), arg) {
        ("Option", Some(inner)) => tag == tag::NULLABLE && trivially_fits(inner, payload),
        (_, _) if tag == tag::NULLABLE => trivially_fits(ty, payload),
        ("Vec", Some(item)) => tag == tag::ARRAY && trivially_fits(item, payload),
        ("String", None) => tag == tag::STRING || tag == tag::ENUM,
        ("bool", None) => tag == tag::BOOL,
        ("i8" | "i16" | "i32" | "u8" | "u16" | "u32", None) => tag == tag::INTEGER,
        ("i64" | "u64", None) => tag == tag::INTEGER && payload != b"int32",
        ("f64", None) => tag == tag::NUMBER,
        ("f32", None) => tag == tag::NUMBER && payload == b"float",
        _ => false,
    }
}

/// What the spec expects, when `ty` is a std scalar (`String`, `bool`, an integer or a float,
/// or an `Option` of one where the spec admits null) that cannot hold it: decided from the
/// tokens and the spec alone, so that the macro reports it directly (rust-analyzer shows it as
/// you type) rather than through const evaluation. It agrees with the const check: for these
/// types [`trivially_fits`] decides exactly what the const check would.
pub fn scalar_mismatch(ty: &syn::Type, code: &[u8]) -> Option<String> {
    let (mut tag, mut payload) = split_node(code)?;
    let mut ty = ty;
    if let Some(inner) = std_arg(ty, "Option") {
        if tag != tag::NULLABLE {
            return None;
        }
        ty = inner;
        (tag, payload) = split_node(payload)?;
    }
    let name = std_scalar(ty)?;
    // Nullability aside, and a scalar component's own schema (a std scalar binds to none).
    loop {
        match tag {
            tag::NULLABLE => (tag, payload) = split_node(payload)?,
            tag::COMPONENT => {
                let len = u16::from_le_bytes(payload.get(..2)?.try_into().ok()?) as usize;
                (tag, payload) = split_node(payload.get(2 + len..)?)?;
            }
            _ => break,
        }
    }
    let format = || {
        std::str::from_utf8(payload)
            .ok()
            .filter(|f| !f.is_empty())
            .map_or_else(String::new, |f| format!(" ({f})"))
    };
    let expected = match tag {
        tag::INTEGER => format!("`integer`{}", format()),
        tag::NUMBER => format!("`number`{}", format()),
        tag::STRING => format!("`string`{}", format()),
        tag::BOOL => "`boolean`".to_string(),
        tag::ENUM => "a string `enum`".to_string(),
        _ => return None,
    };
    let node = node(tag, payload);
    (!trivially_fits(&syn::parse_str(name).ok()?, &node)).then_some(expected)
}

/// `T` of `NAME<T>`, for a std type `NAME`.
fn std_arg<'t>(ty: &'t syn::Type, name: &str) -> Option<&'t syn::Type> {
    let syn::Type::Path(tp) = ty else { return None };
    let last = tp.path.segments.last()?;
    if tp.qself.is_some() || last.ident != name || !is_std_path(&tp.path) {
        return None;
    }
    match &last.arguments {
        syn::PathArguments::AngleBracketed(args) if args.args.len() == 1 => match &args.args[0] {
            syn::GenericArgument::Type(t) => Some(t),
            _ => None,
        },
        _ => None,
    }
}

/// `String`, `std::string::String`, …: a path of one segment or from `std`, `core`, `alloc`.
fn is_std_path(path: &syn::Path) -> bool {
    path.segments.len() == 1
        || matches!(
            path.segments
                .first()
                .map(|s| s.ident.to_string())
                .as_deref(),
            Some("std" | "core" | "alloc")
        )
}

/// The name of a std scalar type (`String`, `bool`, `i8` to `u64`, `f32`, `f64`).
fn std_scalar(ty: &syn::Type) -> Option<&'static str> {
    let syn::Type::Path(tp) = ty else { return None };
    let last = tp.path.segments.last()?;
    if tp.qself.is_some() || !last.arguments.is_none() || !is_std_path(&tp.path) {
        return None;
    }
    const SCALARS: &[&str] = &[
        "String", "bool", "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "f32", "f64",
    ];
    let name = last.ident.to_string();
    SCALARS.iter().find(|s| **s == name).copied()
}

/// Whether `ty` passes the check against every node that admits null, whatever it holds
/// (`serde_json::Value`, `Option<serde_json::Value>`): its expectation need not be built, and
/// on specs like Stripe's (expandable fields written as `anyOf` of an id and a whole object)
/// building it is most of the macro's work.
pub fn fits_any_nullable(ty: &syn::Type) -> bool {
    // An empty `oneOf` is matched by no scalar, so only `Value` passes it.
    trivially_fits(ty, &nullable(&node(tag::ONE_OF, &[])))
}

/// `serde_json::Value` (or `::serde_json::Value`).
pub fn is_json_value(ty: &syn::Type) -> bool {
    let syn::Type::Path(tp) = ty else {
        return false;
    };
    let names: Vec<String> = tp
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    tp.qself.is_none()
        && names == ["serde_json", "Value"]
        && tp.path.segments.iter().all(|s| s.arguments.is_none())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn std_scalars_are_decided_from_the_tokens() {
        let ty = |s: &str| syn::parse_str::<syn::Type>(s).unwrap();
        let int64 = node(tag::INTEGER, b"int64");
        let int32 = node(tag::INTEGER, b"int32");
        let string = node(tag::STRING, b"uuid");
        assert_eq!(
            scalar_mismatch(&ty("String"), &int64).as_deref(),
            Some("`integer` (int64)")
        );
        assert_eq!(
            scalar_mismatch(&ty("std::string::String"), &nullable(&int64)).as_deref(),
            Some("`integer` (int64)")
        );
        assert_eq!(
            scalar_mismatch(&ty("u64"), &int32).as_deref(),
            Some("`integer` (int32)")
        );
        assert_eq!(scalar_mismatch(&ty("i32"), &int64), None, "narrower fits");
        assert_eq!(scalar_mismatch(&ty("String"), &string), None);
        assert_eq!(
            scalar_mismatch(&ty("bool"), &enum_node(["a", "b"])).as_deref(),
            Some("a string `enum`")
        );
        // A scalar component's own schema is what a std scalar is compared with.
        let mut component = Vec::new();
        put_str(&mut component, "Id");
        component.extend(int64.clone());
        let component = node(tag::COMPONENT, &component);
        assert_eq!(
            scalar_mismatch(&ty("String"), &component).as_deref(),
            Some("`integer` (int64)")
        );
        // Left to the const check: an `Option` where null is not allowed, a user's type, any
        // value, an object.
        assert_eq!(scalar_mismatch(&ty("Option<String>"), &int64), None);
        assert_eq!(scalar_mismatch(&ty("crate::String"), &int64), None);
        assert_eq!(scalar_mismatch(&ty("String"), &any()), None);
        assert_eq!(scalar_mismatch(&ty("String"), &object([], false)), None);
        assert_eq!(
            scalar_mismatch(&ty("Option<f32>"), &nullable(&node(tag::NUMBER, b"double")))
                .as_deref(),
            Some("`number` (double)")
        );
    }

    #[test]
    fn encodes_nodes_with_their_payload_length() {
        assert_eq!(any(), [tag::ANY, 0, 0, 0, 0]);
        assert_eq!(
            node(tag::INTEGER, b"int32"),
            [tag::INTEGER, 5, 0, 0, 0, b'i', b'n', b't', b'3', b'2']
        );
        assert_eq!(nullable(&any()), [tag::NULLABLE, 5, 0, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(
            object([("id", true, any())], true),
            [
                tag::OBJECT,
                11,
                0,
                0,
                0,
                1,
                2,
                0,
                b'i',
                b'd',
                1,
                0,
                0,
                0,
                0,
                0
            ]
        );
    }

    #[test]
    fn decides_trivial_fits_from_the_tokens() {
        let ty = |s: &str| syn::parse_str::<syn::Type>(s).unwrap();
        let string = node(tag::STRING, b"uuid");
        let int32 = node(tag::INTEGER, b"int32");
        assert!(trivially_fits(&ty("serde_json::Value"), &int32));
        assert!(trivially_fits(&ty("Uuid"), &any()));
        assert!(trivially_fits(&ty("String"), &string));
        assert!(trivially_fits(
            &ty("std::string::String"),
            &nullable(&string)
        ));
        assert!(trivially_fits(&ty("Option<String>"), &nullable(&string)));
        assert!(trivially_fits(&ty("i32"), &int32));
        assert!(trivially_fits(
            &ty("Vec<i64>"),
            &node(tag::ARRAY, &node(tag::INTEGER, b""))
        ));
        // Left to the const check: could fail, or a type the macro cannot see into.
        assert!(!trivially_fits(&ty("i64"), &int32));
        assert!(!trivially_fits(&ty("Option<String>"), &string));
        assert!(!trivially_fits(&ty("Option<serde_json::Value>"), &string));
        assert!(!trivially_fits(&ty("crate::String"), &string));
        assert!(!trivially_fits(&ty("Uuid"), &string));
        assert!(!trivially_fits(&ty("f32"), &node(tag::NUMBER, b"double")));
        assert!(fits_any_nullable(&ty("serde_json::Value")));
        assert!(fits_any_nullable(&ty("Option<serde_json::Value>")));
        assert!(fits_any_nullable(&ty(
            "std::option::Option<serde_json::Value>"
        )));
        assert!(!fits_any_nullable(&ty("Option<String>")));
        assert!(!fits_any_nullable(&ty("Option<Vec<serde_json::Value>>")));
        assert!(!fits_any_nullable(&ty("crate::Option<serde_json::Value>")));
    }

    #[test]
    fn cuts_long_strings_on_a_character_boundary() {
        let long = "é".repeat(40_000); // 80,000 bytes
        let mut out = Vec::new();
        put_str(&mut out, &long);
        let len = u16::from_le_bytes([out[0], out[1]]) as usize;
        assert_eq!(len, 65_534);
        assert!(std::str::from_utf8(&out[2..]).is_ok());
    }
}

/// The memoized expansions against fresh ones on real specs (`../shared/specs`, next to the
/// repository), in two orders and from non-empty expansion stacks: reuse must never change an
/// expectation.
#[cfg(test)]
mod memo_tests {
    use super::*;
    use contract_spec::FileId;

    fn component_names(spec: &Spec) -> Vec<String> {
        spec.doc
            .get(&Loc::root(FileId(0)).child("components").child("schemas"))
            .and_then(Value::as_object)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    }

    fn property_locs(spec: &Spec, names: &[String]) -> Vec<Loc> {
        let fresh = Expecter::new(spec, None);
        names
            .iter()
            .filter_map(|name| fresh.object_model(&contract_spec::root_component_loc(name)))
            .flat_map(|model| model.props.into_iter().filter_map(|p| p.loc))
            .collect()
    }

    #[test]
    fn memoized_expansions_equal_fresh_ones() {
        let Some(dir) = contract_spec::corpus_dir().map(|c| c.join("real")) else {
            return;
        };
        for file in ["stripe-spec3.yaml", "openai.yaml", "asana.yaml"] {
            let spec = Spec::load(&dir.join(file), &dir).expect(file);
            let names = component_names(&spec);
            let locs = property_locs(&spec, &names);
            assert!(locs.len() > 100, "{file}: {} properties", locs.len());
            for reversed in [false, true] {
                let shared = crate::load::ExpectationMemo::default();
                let mut order: Vec<usize> = (0..names.len()).collect();
                if reversed {
                    order.reverse();
                }
                for &i in &order {
                    let name = &names[i];
                    let loc = contract_spec::root_component_loc(name);
                    let memo =
                        Expecter::new(&spec, Some(&shared)).expect_component_body(name, &loc);
                    let fresh = Expecter::new(&spec, None).expect_component_body(name, &loc);
                    assert!(memo == fresh, "{file}: component {name}");
                }
                for loc in &locs {
                    let memo = Expecter::new(&spec, Some(&shared)).expect(loc);
                    let fresh = Expecter::new(&spec, None).expect(loc);
                    assert!(memo == fresh, "{file}: {}", loc.pointer);
                }
                assert!(
                    !shared.structures.lock().unwrap().is_empty(),
                    "{file}: nothing memoized"
                );
            }
        }
    }

    #[test]
    fn a_memoized_expansion_is_not_reused_where_a_name_it_consulted_is_being_expanded() {
        let Some(dir) = contract_spec::corpus_dir().map(|c| c.join("real")) else {
            return;
        };
        let spec = Spec::load(&dir.join("swagger-petstore3.yaml"), &dir).expect("petstore");
        let expecter = Expecter::new(&spec, None);
        let memoized = Memoized {
            code: any().into(),
            consulted: vec!["Pet".to_string(), "Tag".to_string()].into(),
            reads: Vec::new().into(),
        };
        assert_eq!(expecter.reuse(&memoized), Some(any()));
        assert_eq!(*expecter.consulted.borrow(), ["Pet", "Tag"]);
        expecter.expanding.borrow_mut().push("Tag".to_string());
        assert_eq!(expecter.reuse(&memoized), None);
    }
}
