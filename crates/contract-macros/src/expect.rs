//! Turns spec schemas into `Expect` literals for the const checks, and into an object model
//! (properties after `allOf` merging) for the checks the macros make directly.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};

use contract_spec::{FileId, Loc, Spec};
use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

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
    /// Components being expanded inline, to stop at cycles.
    expanding: RefCell<Vec<String>>,
    /// Schemas reached through a `$ref` (other than by component name) are emitted once, as
    /// named consts: specs split over files repeat the same error schema on every response.
    shared: RefCell<HashMap<String, proc_macro2::Ident>>,
    defs: RefCell<Vec<TokenStream>>,
}

/// `#/components/schemas/NAME` in the root file → `NAME`.
pub fn component_name(loc: &Loc) -> Option<String> {
    if loc.file != FileId(0) {
        return None;
    }
    let rest = loc.pointer.strip_prefix("/components/schemas/")?;
    (!rest.contains('/')).then(|| contract_spec::pointer::decode(rest))
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
        || ["oneOf", "anyOf"].iter().any(|k| {
            schema
                .get(*k)
                .and_then(Value::as_array)
                .is_some_and(|alts| alts.iter().any(|a| types(a) == ["null"]))
        })
}

impl<'a> Expecter<'a> {
    pub fn new(spec: &'a Spec) -> Self {
        Expecter {
            spec,
            expanding: RefCell::new(Vec::new()),
            shared: RefCell::new(HashMap::new()),
            defs: RefCell::new(Vec::new()),
        }
    }

    /// The const items the emitted `Expect`s refer to; put them in the same block.
    pub fn take_defs(&self) -> TokenStream {
        self.defs.borrow_mut().drain(..).collect()
    }

    /// The `Expect` expression for the schema at `loc`.
    pub fn expect(&self, loc: &Loc) -> TokenStream {
        self.expect_at(loc, 0)
    }

    /// The `Expect` for a component's own schema (not the by-name reference to it).
    pub fn expect_component_body(&self, name: &str) -> TokenStream {
        let loc = component_loc(name);
        self.expanding.borrow_mut().push(name.to_string());
        let out = self.expect_inline(&loc, 0);
        self.expanding.borrow_mut().pop();
        out
    }

    fn expect_at(&self, loc: &Loc, depth: usize) -> TokenStream {
        let any = quote!(::contract_runtime::__private::Expect::Any);
        if depth > MAX_DEPTH {
            return any;
        }
        let Some(value) = self.spec.doc.get(loc) else {
            return any;
        };
        if let Some(reference) = value.get("$ref").and_then(Value::as_str) {
            let Ok(target) = self.spec.doc.resolve_ref(loc.file, reference) else {
                return any;
            };
            // 3.1 allows siblings next to `$ref`; `nullable` is the one that changes the shape.
            let wrap_null =
                self.spec.doc.version == contract_spec::Version::V31 && is_nullable(value);
            let inner = match component_name(&target) {
                Some(name) => self.component_ref(&name, &target, depth),
                None => self.shared_ref(&target, depth),
            };
            return if wrap_null { nullable(inner) } else { inner };
        }
        self.expect_inline(loc, depth)
    }

    fn shared_ref(&self, target: &Loc, depth: usize) -> TokenStream {
        let key = format!("{}:{}", target.file.0, target.pointer);
        if let Some(ident) = self.shared.borrow().get(&key) {
            return quote!(#ident);
        }
        // A schema that refers to itself (a tree): consts cannot, so the inner use is `Any`.
        if self.expanding.borrow().contains(&key) {
            return quote!(::contract_runtime::__private::Expect::Any);
        }
        self.expanding.borrow_mut().push(key.clone());
        let value = self.expect_at(target, depth + 1);
        self.expanding.borrow_mut().retain(|k| k != &key);
        let ident = quote::format_ident!("__CONTRACT_EXPECT_{}", self.shared.borrow().len());
        self.shared.borrow_mut().insert(key, ident.clone());
        self.defs.borrow_mut().push(quote! {
            #[allow(non_upper_case_globals)]
            const #ident: ::contract_runtime::__private::Expect = #value;
        });
        quote!(#ident)
    }

    fn component_ref(&self, name: &str, target: &Loc, depth: usize) -> TokenStream {
        let inline = match self.spec.doc.deref(target) {
            Ok((loc, schema))
                if !is_object_like(schema)
                    && !self.expanding.borrow().iter().any(|n| n == name) =>
            {
                self.expanding.borrow_mut().push(name.to_string());
                let e = self.expect_inline(&loc, depth + 1);
                self.expanding.borrow_mut().pop();
                quote!(::core::option::Option::Some(&#e))
            }
            _ => quote!(::core::option::Option::None),
        };
        quote!(::contract_runtime::__private::Expect::Component { name: #name, inline: #inline })
    }

    /// A component reference that also carries the component's own schema, objects included.
    fn component_with_structure(&self, name: &str, target: &Loc, depth: usize) -> TokenStream {
        if self.expanding.borrow().iter().any(|n| n == name) {
            return self.component_ref(name, target, depth);
        }
        self.expanding.borrow_mut().push(name.to_string());
        let e = self.expect_inline(target, depth + 1);
        self.expanding.borrow_mut().pop();
        quote!(::contract_runtime::__private::Expect::Component { name: #name, inline: ::core::option::Option::Some(&#e) })
    }

    fn expect_inline(&self, loc: &Loc, depth: usize) -> TokenStream {
        let any = quote!(::contract_runtime::__private::Expect::Any);
        let Ok((loc, schema)) = self.spec.doc.deref(loc) else {
            return any;
        };
        let nullable_schema = is_nullable(schema);
        let core = self.expect_core(&loc, schema, depth);
        if nullable_schema {
            nullable(core)
        } else {
            core
        }
    }

    fn expect_core(&self, loc: &Loc, schema: &Value, depth: usize) -> TokenStream {
        let e = quote!(::contract_runtime::__private::Expect);
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
                    match target
                        .as_ref()
                        .and_then(|t| component_name(t).map(|n| (n, t)))
                    {
                        Some((name, target)) => {
                            options.push(self.component_with_structure(&name, target, depth))
                        }
                        None => options.push(self.expect_at(&alt_loc, depth + 1)),
                    }
                }
                if schema.get("properties").is_none() {
                    return match options.len() {
                        0 => quote!(#e::Any),
                        1 => options.remove(0),
                        _ => quote!(#e::OneOf(&[#(#options),*])),
                    };
                }
            }
        }
        if let Some(Value::Array(members)) = schema.get("allOf") {
            if members.len() == 1 && schema.get("properties").is_none() {
                return self.expect_at(&loc.child("allOf").child("0"), depth + 1);
            }
            if let Some(model) = self.object_model(loc) {
                return self.object_tokens(&model, depth);
            }
            return quote!(#e::Any);
        }
        let ts: Vec<&str> = types(schema).into_iter().filter(|t| *t != "null").collect();
        let format = schema.get("format").and_then(Value::as_str).unwrap_or("");
        if let Some(Value::Array(values)) = schema.get("enum") {
            let strings: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
            if !strings.is_empty()
                && strings.len() == values.iter().filter(|v| !v.is_null()).count()
            {
                return quote!(#e::Enum(&[#(#strings),*]));
            }
        }
        if let Some(Value::String(c)) = schema.get("const") {
            return quote!(#e::Enum(&[#c]));
        }
        match ts.as_slice() {
            ["integer"] => quote!(#e::Integer(#format)),
            ["number"] => quote!(#e::Number(#format)),
            ["string"] => quote!(#e::String(#format)),
            ["boolean"] => quote!(#e::Bool),
            ["array"] => {
                let items = if schema.get("items").is_some_and(Value::is_object) {
                    self.expect_at(&loc.child("items"), depth + 1)
                } else {
                    quote!(#e::Any)
                };
                quote!(#e::Array(&#items))
            }
            ["object"] | [] => {
                if schema.get("properties").is_some() {
                    match self.object_model(loc) {
                        Some(model) => self.object_tokens(&model, depth),
                        None => quote!(#e::Any),
                    }
                } else if ts.is_empty() {
                    quote!(#e::Any)
                } else {
                    let values = match schema.get("additionalProperties") {
                        Some(Value::Object(_)) => {
                            self.expect_at(&loc.child("additionalProperties"), depth + 1)
                        }
                        _ => quote!(#e::Any),
                    };
                    quote!(#e::Map(&#values))
                }
            }
            // Several types (3.1 `type: [string, integer]`): nothing a single Rust type states.
            _ => quote!(#e::Any),
        }
    }

    fn object_tokens(&self, model: &ObjectModel, depth: usize) -> TokenStream {
        let e = quote!(::contract_runtime::__private::Expect);
        let props = model.props.iter().map(|p| {
            let name = &p.name;
            let required = p.required && !p.one_way;
            let expect = match &p.loc {
                Some(loc) => self.expect_at(loc, depth + 1),
                None => quote!(#e::Any),
            };
            quote!(::contract_runtime::__private::Prop { name: #name, expect: &#expect, required: #required })
        });
        let extra = model.extra;
        quote!(#e::Object { props: &[#(#props),*], extra: #extra })
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

fn nullable(inner: TokenStream) -> TokenStream {
    quote!(::contract_runtime::__private::Expect::Nullable(&#inner))
}

pub fn component_loc(name: &str) -> Loc {
    Loc::root(FileId(0))
        .child("components")
        .child("schemas")
        .child(name)
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
