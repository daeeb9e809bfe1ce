//! `#[derive(Schema)]`: describes a type's wire shape for the checks, and checks a type bound
//! to a spec component against it where the type is declared.

use contract_spec::Spec;
use proc_macro2::{Span, TokenStream};
use quote::quote;

use crate::diag::{Diagnostic, Errors};
use crate::expect::{self, Expecter};
use crate::load;
use crate::serde_attr::{self, Container, Member};
use crate::signature;
use contract_spec::{Loc, Lookup};

struct SchemaOpts {
    name: Option<syn::LitStr>,
    spec: Option<syn::LitStr>,
    /// `webhook = "…"` or `callback = "operationId.callbackName"`: the payload the type is.
    payload: Option<syn::LitStr>,
}

fn schema_opts(attrs: &[syn::Attribute], errors: &mut Errors) -> SchemaOpts {
    let mut opts = SchemaOpts {
        name: None,
        spec: None,
        payload: None,
    };
    for attr in attrs.iter().filter(|a| a.path().is_ident("schema")) {
        let result = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("name") {
                opts.name = Some(meta.value()?.parse()?);
            } else if meta.path.is_ident("spec") {
                opts.spec = Some(meta.value()?.parse()?);
            } else if meta.path.is_ident("webhook") || meta.path.is_ident("callback") {
                opts.payload = Some(meta.value()?.parse()?);
            } else {
                return Err(meta.error(
                    "unknown `schema` option: expected `name = \"Component\"`, `webhook = \"name\"`, `callback = \"operationId.callbackName\"` or `spec = \"path\"`",
                ));
            }
            Ok(())
        });
        if let Err(e) = result {
            errors.push(e);
        }
    }
    if let (Some(name), Some(_)) = (&opts.name, &opts.payload) {
        errors.at(
            name.span(),
            "`name` and `webhook`/`callback` both say what the type binds to: keep one",
        );
        opts.name = None;
    }
    opts
}

struct FieldModel<'a> {
    ident: Option<&'a syn::Ident>,
    ty: &'a syn::Type,
    wire: String,
    attrs: Member,
}

fn is_option(ty: &syn::Type) -> bool {
    signature::extractor_arg(ty, "Option").is_some()
}

const RT: &str = "::contract_runtime";

fn rt() -> TokenStream {
    RT.parse().unwrap_or_default()
}

/// A field of a struct's shape, as a `Field` literal whose shape is `<T as Schema>::SHAPE_REF`
/// (a `&'static Shape` constant): rustc checks every value of a type that might hold interior
/// mutability in a const initializer with a trait selection of its own, and a reference, a
/// string or a bool needs none, where a borrowed `&<T as Schema>::SHAPE` or a `Field` returned by
/// a const fn needs one per field (see BENCHMARKS.md).
fn field_tokens(
    f: &FieldModel<'_>,
    container: &Container,
    cut: Option<&syn::Ident>,
) -> TokenStream {
    let rt = rt();
    let cut_ty = cut.and_then(|own| cut_recursion(f.ty, own));
    let ty = cut_ty.as_ref().unwrap_or(f.ty);
    let name = &f.wire;
    let optional = f.attrs.default || container.default || f.attrs.skip_de || is_option(ty);
    let omittable = f.attrs.skip_serializing_if;
    let flatten = if f.attrs.flatten {
        quote!(<#ty as #rt::Schema>::FIELDS)
    } else {
        quote!(::core::option::Option::None)
    };
    let described = if f.attrs.custom {
        quote!(#rt::__private::Unchecked)
    } else {
        quote!(#ty)
    };
    quote!(#rt::Field {
        name: #name,
        shape: <#described as #rt::Schema>::SHAPE_REF,
        optional: #optional,
        omittable: #omittable,
        flatten: #flatten,
    })
}

/// `ty` with every mention of the type `own` (by its name or as `Self`) replaced by
/// `Unchecked`, or `None` when it mentions neither. An unbound type's shape is a value built
/// from its fields' shapes, so a field of its own type (`children: Vec<Self>`) would make the
/// shape contain itself, which rustc's const evaluator reports as a cycle. The recursion is cut
/// there: the outer level is checked, the nested one is what the same type already checks.
fn cut_recursion(ty: &syn::Type, own: &syn::Ident) -> Option<syn::Type> {
    fn cut(ty: &mut syn::Type, own: &syn::Ident) -> bool {
        match ty {
            syn::Type::Path(p) if p.qself.is_none() && names_type(&p.path, own) => {
                *ty = syn::parse_quote!(::contract_runtime::__private::Unchecked);
                true
            }
            syn::Type::Path(p) => {
                let mut hit = p.qself.as_mut().is_some_and(|q| cut(&mut q.ty, own));
                for segment in &mut p.path.segments {
                    if let syn::PathArguments::AngleBracketed(args) = &mut segment.arguments {
                        for arg in &mut args.args {
                            if let syn::GenericArgument::Type(t) = arg {
                                hit |= cut(t, own);
                            }
                        }
                    }
                }
                hit
            }
            syn::Type::Reference(r) => cut(&mut r.elem, own),
            syn::Type::Slice(s) => cut(&mut s.elem, own),
            syn::Type::Array(a) => cut(&mut a.elem, own),
            syn::Type::Paren(p) => cut(&mut p.elem, own),
            syn::Type::Group(g) => cut(&mut g.elem, own),
            syn::Type::Tuple(t) => t.elems.iter_mut().fold(false, |hit, e| cut(e, own) | hit),
            _ => false,
        }
    }
    fn names_type(path: &syn::Path, own: &syn::Ident) -> bool {
        path.is_ident("Self") || path.segments.last().is_some_and(|s| s.ident == *own)
    }
    let mut ty = ty.clone();
    cut(&mut ty, own).then_some(ty)
}

/// Where a struct's fields are: an inherent associated const of the type, which `SHAPE` and
/// `FIELDS` both read, so the array is type-checked and evaluated once. An associated const,
/// not a free `const` item: rustc evaluates those eagerly, and a type nothing checks should not
/// pay for its fields.
const FIELDS_CONST: &str = "__CONTRACT_FIELDS";

/// The fields' const by the type's name rather than `Self`: the checks of a bound type, outside
/// its impls, read it too.
fn fields_ref(input: &syn::DeriveInput) -> TokenStream {
    let ident = &input.ident;
    let (_, ty_generics, _) = input.generics.split_for_impl();
    let name = proc_macro2::Ident::new(FIELDS_CONST, Span::call_site());
    quote!(<#ident #ty_generics>::#name)
}

/// The inherent impl holding the fields of a struct (see `FIELDS_CONST`).
fn fields_impl(
    input: &syn::DeriveInput,
    generics: &syn::Generics,
    fields: &[TokenStream],
) -> TokenStream {
    let rt = rt();
    let ident = &input.ident;
    let name = proc_macro2::Ident::new(FIELDS_CONST, Span::call_site());
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    // A reference, so that reading it costs rustc's const checks nothing (see `field_tokens`).
    quote! {
        impl #impl_generics #ident #ty_generics #where_clause {
            #[doc(hidden)]
            #[allow(dead_code)]
            const #name: &'static [#rt::Field] = &[#(#fields),*];
        }
    }
}

/// Fields on the wire (skipped ones dropped), with their serde names.
fn wire_fields<'a>(
    fields: &'a syn::Fields,
    container: &Container,
    errors: &mut Errors,
) -> Vec<FieldModel<'a>> {
    fields
        .iter()
        .enumerate()
        .filter_map(|(i, f)| {
            let attrs = serde_attr::member(&f.attrs, errors);
            if attrs.skip_ser && attrs.skip_de {
                return None;
            }
            let wire = match (&attrs.rename, &f.ident) {
                (Some(r), _) => r.clone(),
                (None, Some(ident)) => {
                    let raw = serde_attr::unraw(ident);
                    container
                        .rename_all
                        .map_or(raw.clone(), |rule| rule.field(&raw))
                }
                (None, None) => i.to_string(),
            };
            Some(FieldModel {
                ident: f.ident.as_ref(),
                ty: &f.ty,
                wire,
                attrs,
            })
        })
        .collect()
}

fn variant_wire(v: &syn::Variant, container: &Container, attrs: &Member) -> String {
    attrs.rename.clone().unwrap_or_else(|| {
        let raw = serde_attr::unraw(&v.ident);
        container
            .rename_all
            .map_or(raw.clone(), |rule| rule.variant(&raw))
    })
}

pub fn expand(input: TokenStream) -> TokenStream {
    let input: syn::DeriveInput = match syn::parse2(input) {
        Ok(i) => i,
        Err(e) => return e.to_compile_error(),
    };
    let mut errors = Errors::default();
    let opts = schema_opts(&input.attrs, &mut errors);
    let container = serde_attr::container(&input.attrs, &mut errors);
    let rt = rt();
    let ident = &input.ident;

    let Inline {
        shape: inline,
        fields_tokens,
        field_list,
        struct_fields,
        unit_variants,
    } = inline_shape(&input, &container, None, &mut errors);
    let model = TypeModel {
        input: &input,
        container: &container,
        fields: &struct_fields,
        unit_variants: &unit_variants,
        inline: &inline,
        fields_tokens: &fields_tokens,
    };

    // Binding to a component: by `name`, or by the type's own name when the spec has it.
    let mut checks = TokenStream::new();
    let mut tracking = TokenStream::new();
    let mut bound: Option<String> = None;
    let wants = opts
        .name
        .as_ref()
        .map(syn::LitStr::value)
        .unwrap_or_else(|| ident.to_string());
    let explicit = opts.name.is_some() || opts.spec.is_some();
    let key = format!("component {wants}");
    // A slice of the spec (the component and what it references) spares a new rustc process
    // the whole spec; its answer stands only when the type checks clean within it.
    let mut slice_answer = None;
    if let Some(lit) = &opts.payload {
        // A webhook's or callback's payload: checked like a component, against its schema.
        match load::load(opts.spec.as_ref()) {
            Ok(loaded) => {
                (bound, checks) = bind_payload(&loaded, lit, &opts, &model, &mut errors);
                tracking = loaded.tracking;
            }
            Err(e) => errors.push(e),
        }
        slice_answer = Some((bound.clone(), std::mem::take(&mut checks)));
    } else if let Some(loaded) = load::load_slice(opts.spec.as_ref(), &key) {
        let mut slice_errors = Errors::default();
        let (slice_bound, slice_checks) = bind(
            &loaded,
            &wants,
            &opts,
            &model,
            &mut slice_errors,
            &load::Against::Slice,
        );
        tracking = loaded.tracking;
        if let (Ok(spec), true) = (loaded.spec.as_ref(), slice_errors.is_empty())
            && load::Against::Slice.stands(spec, slice_bound.is_some())
        {
            slice_answer = Some((slice_bound, slice_checks));
        }
        // What the slice found is found again against the whole spec, below.
        slice_errors.discard();
    }
    if let Some((slice_bound, slice_checks)) = slice_answer {
        bound = slice_bound;
        checks = slice_checks;
    } else {
        match load::load(opts.spec.as_ref()) {
            Ok(loaded) => {
                let (whole_bound, whole_checks) = bind(
                    &loaded,
                    &wants,
                    &opts,
                    &model,
                    &mut errors,
                    &load::Against::Whole(key),
                );
                bound = whole_bound;
                checks = whole_checks;
                tracking.extend(loaded.tracking);
                if let Err(e) = loaded.spec.as_ref()
                    && explicit
                {
                    errors.at(
                        opts.name
                            .as_ref()
                            .or(opts.spec.as_ref())
                            .map_or_else(Span::call_site, |l| l.span()),
                        e,
                    );
                }
            }
            // No spec for this crate: an inline shape, unless a component was asked for.
            Err(e) if explicit => errors.push(e),
            Err(_) => {}
        }
    }

    // A bound type's shape is its component's name, so its fields may name it; an unbound
    // one's is built from its fields, so they must not (see `cut_recursion`). The first pass
    // reported any error in the attributes already.
    let (shape, fields_tokens, field_list) = match &bound {
        Some(name) => (quote!(#rt::Shape::Named(#name)), fields_tokens, field_list),
        None if names_itself(&input) => {
            let mut reported = Errors::default();
            let cut = inline_shape(&input, &container, Some(ident), &mut reported);
            reported.discard();
            (cut.shape, cut.fields_tokens, cut.field_list)
        }
        None => (inline.clone(), fields_tokens, field_list),
    };
    let mut generics = input.generics.clone();
    for param in generics.type_params_mut() {
        param.bounds.push(syn::parse_quote!(#rt::Schema));
    }
    let fields_impl = field_list.map(|list| fields_impl(&input, &generics, &list));
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    let errors = errors.into_tokens();
    quote! {
        #fields_impl
        impl #impl_generics #rt::Schema for #ident #ty_generics #where_clause {
            const SHAPE: #rt::Shape = #shape;
            const FIELDS: ::core::option::Option<&'static [#rt::Field]> = #fields_tokens;
        }
        #checks
        #tracking
        #errors
    }
}

/// The shape of a type as an unbound one, and its fields when it is an object.
struct Inline<'a> {
    shape: TokenStream,
    fields_tokens: TokenStream,
    /// A struct's fields, for `fields_impl`.
    field_list: Option<Vec<TokenStream>>,
    struct_fields: Vec<FieldModel<'a>>,
    unit_variants: Vec<(&'a syn::Variant, String)>,
}

/// `cut`: the type's own name, to cut its recursion (see `cut_recursion`).
fn inline_shape<'a>(
    input: &'a syn::DeriveInput,
    container: &Container,
    cut: Option<&syn::Ident>,
    errors: &mut Errors,
) -> Inline<'a> {
    let rt = rt();
    let mut fields_tokens = quote!(::core::option::Option::None);
    let mut field_list = None;
    let mut struct_fields: Vec<FieldModel<'_>> = Vec::new();
    let mut unit_variants: Vec<(&syn::Variant, String)> = Vec::new();
    let shape = match &input.data {
        syn::Data::Struct(s) => match &s.fields {
            syn::Fields::Named(_) if !container.transparent => {
                struct_fields = wire_fields(&s.fields, container, errors);
                field_list = Some(
                    struct_fields
                        .iter()
                        .map(|f| field_tokens(f, container, cut))
                        .collect(),
                );
                let array = fields_ref(input);
                fields_tokens = quote!(::core::option::Option::Some(#array));
                quote!(#rt::Shape::Object(#array))
            }
            fields if fields.len() == 1 => {
                // Newtype and `transparent`: the wire shape is the inner type's.
                let inner = fields.iter().next().map(|f| cut_or_keep(&f.ty, cut));
                fields_tokens = quote!(<#inner as #rt::Schema>::FIELDS);
                quote!(<#inner as #rt::Schema>::SHAPE)
            }
            syn::Fields::Unit => quote!(#rt::Shape::Unit),
            _ => quote!(#rt::Shape::Unsupported("a tuple struct (a JSON array of mixed items)")),
        },
        syn::Data::Enum(e) => enum_shape(e, container, cut, &mut unit_variants, errors),
        syn::Data::Union(_) => {
            errors.at(input.ident.span(), "`Schema` cannot be derived for a union");
            quote!(#rt::Shape::Any)
        }
    };
    Inline {
        shape,
        fields_tokens,
        field_list,
        struct_fields,
        unit_variants,
    }
}

fn cut_or_keep(ty: &syn::Type, cut: Option<&syn::Ident>) -> syn::Type {
    cut.and_then(|own| cut_recursion(ty, own))
        .unwrap_or_else(|| ty.clone())
}

/// Whether a field or variant of the type names the type itself.
fn names_itself(input: &syn::DeriveInput) -> bool {
    let own = &input.ident;
    match &input.data {
        syn::Data::Struct(s) => s.fields.iter().any(|f| cut_recursion(&f.ty, own).is_some()),
        syn::Data::Enum(e) => e
            .variants
            .iter()
            .flat_map(|v| &v.fields)
            .any(|f| cut_recursion(&f.ty, own).is_some()),
        syn::Data::Union(_) => false,
    }
}

/// The payload `lit` names: a component where its schema is a reference to one (the type then
/// binds to the component), else its inline schema, checked where the type is declared.
fn bind_payload(
    loaded: &load::Loaded,
    lit: &syn::LitStr,
    opts: &SchemaOpts,
    model: &TypeModel<'_, '_>,
    errors: &mut Errors,
) -> (Option<String>, TokenStream) {
    let spec = match loaded.spec.as_ref() {
        Ok(spec) => spec,
        Err(e) => {
            errors.at(lit.span(), e);
            return (None, TokenStream::new());
        }
    };
    let name = lit.value();
    let payload = match spec.payload(&name) {
        Ok(payload) => payload,
        Err(e) => {
            errors.at(lit.span(), e);
            return (None, TokenStream::new());
        }
    };
    let component = spec
        .doc
        .get(&payload.schema)
        .and_then(|v| v.get("$ref"))
        .and_then(serde_json::Value::as_str)
        .and_then(|r| spec.doc.resolve_ref(payload.schema.file, r).ok())
        .and_then(|target| spec.component_name(&target));
    if let Some(component) = component {
        return bind(
            loaded,
            &component,
            opts,
            model,
            errors,
            &load::Against::Whole(format!("component {component}")),
        );
    }
    let kind = if name.contains('.') {
        "callback"
    } else {
        "webhook"
    };
    let subject = format!("the payload of {kind} `{name}`");
    if !model.input.generics.params.is_empty() {
        return (None, TokenStream::new());
    }
    let derived = load::derived(&loaded.spec);
    let checks = check_component(
        spec,
        &derived.expectations,
        &name,
        &subject,
        &payload.schema,
        model,
        errors,
    );
    (None, checks)
}

/// The component `wants` of `loaded`'s spec, when it has one, and the checks of the type
/// against it.
fn bind(
    loaded: &load::Loaded,
    wants: &str,
    opts: &SchemaOpts,
    model: &TypeModel<'_, '_>,
    errors: &mut Errors,
    against: &load::Against,
) -> (Option<String>, TokenStream) {
    let Ok(spec) = loaded.spec.as_ref() else {
        return (None, TokenStream::new());
    };
    against.start(spec);
    match spec.component(wants) {
        Lookup::Found(at) => {
            let mut checks = TokenStream::new();
            if model.input.generics.params.is_empty() {
                let derived = load::derived(&loaded.spec);
                let before = errors.len();
                checks = check_component(
                    spec,
                    &derived.expectations,
                    wants,
                    &format!("component `{wants}`"),
                    &at,
                    model,
                    errors,
                );
                against.finish(spec, errors.len() == before, Vec::new());
            }
            (Some(spec.canonical_component(wants, &at)), checks)
        }
        Lookup::Ambiguous(locs) => {
            // Only a name asked for explicitly, or the type's own, reaches here: both bind.
            let span = opts
                .name
                .as_ref()
                .map_or_else(|| model.input.ident.span(), syn::LitStr::span);
            let places: Vec<String> = locs
                .iter()
                .map(|l| format!("`{}`", spec.doc.place(l).short()))
                .collect();
            errors.at(
                span,
                Diagnostic::new(format!(
                    "component name `{wants}` is taken by {} different schemas of `{}`: {}",
                    locs.len(),
                    spec.root_display(),
                    places.join(", ")
                ))
                .help(format!("name the one to bind under the root's `components.schemas` (`{wants}Alias: {{$ref: '…'}}`) and use `#[schema(name = \"{wants}Alias\")]`")),
            );
            (None, TokenStream::new())
        }
        Lookup::Missing => {
            if let Some(lit) = &opts.name {
                let names = spec.component_names();
                let mut msg = Diagnostic::new(format!(
                    "no component `{wants}` in `{}` (looked under `#/components/schemas`{})",
                    spec.root_display(),
                    if spec.doc.files.len() > 1 {
                        " and at the schemas other files hold, named by file or fragment"
                    } else {
                        ""
                    }
                ));
                if let Some(near) =
                    contract_spec::suggest::nearest(wants, names.iter().map(String::as_str)).first()
                {
                    msg = msg.help(format!("did you mean `{near}`?"));
                }
                errors.at(lit.span(), msg);
            }
            (None, TokenStream::new())
        }
    }
}

fn enum_shape<'a>(
    e: &'a syn::DataEnum,
    container: &Container,
    cut: Option<&syn::Ident>,
    unit_variants: &mut Vec<(&'a syn::Variant, String)>,
    errors: &mut Errors,
) -> TokenStream {
    let rt = rt();
    let all_unit = e
        .variants
        .iter()
        .all(|v| matches!(v.fields, syn::Fields::Unit));
    if all_unit && !container.untagged && container.tag.is_none() {
        let mut names = Vec::new();
        for v in &e.variants {
            let attrs = serde_attr::member(&v.attrs, errors);
            if attrs.skip_ser && attrs.skip_de {
                continue;
            }
            let wire = variant_wire(v, container, &attrs);
            if !attrs.other {
                names.push(wire.clone());
            }
            unit_variants.push((v, wire));
        }
        return quote!(#rt::Shape::Enum(&[#(#names),*]));
    }
    if !container.untagged && container.tag.is_none() {
        return quote!(#rt::Shape::Unsupported(
            "an externally tagged enum (serde's default for enums with data), which OpenAPI cannot describe: use `#[serde(tag = \"…\")]` or `#[serde(untagged)]`"
        ));
    }
    let mut shapes = Vec::new();
    for v in &e.variants {
        let attrs = serde_attr::member(&v.attrs, errors);
        if attrs.skip_ser && attrs.skip_de {
            continue;
        }
        let wire = variant_wire(v, container, &attrs);
        let payload_fields: Vec<TokenStream> = match &v.fields {
            syn::Fields::Named(_) => wire_fields(&v.fields, container, errors)
                .iter()
                .map(|f| field_tokens(f, &Container::default(), cut))
                .collect(),
            _ => Vec::new(),
        };
        let payload = match &v.fields {
            syn::Fields::Named(_) => quote!(#rt::Shape::Object(&[#(#payload_fields),*])),
            syn::Fields::Unnamed(f) if f.unnamed.len() == 1 => {
                let ty = cut_or_keep(&f.unnamed[0].ty, cut);
                quote!(<#ty as #rt::Schema>::SHAPE)
            }
            syn::Fields::Unit => quote!(#rt::Shape::Unit),
            syn::Fields::Unnamed(_) => quote!(#rt::Shape::Unsupported("a tuple variant")),
        };
        let shape = match (&container.tag, &container.content) {
            (None, _) => payload,
            (Some(tag), Some(content)) => quote!(#rt::Shape::Object(&[
                #rt::Field { name: #tag, shape: &#rt::Shape::Enum(&[#wire]), optional: false, omittable: false, flatten: None },
                #rt::Field { name: #content, shape: &#payload, optional: false, omittable: false, flatten: None },
            ])),
            (Some(tag), None) => {
                let flattened = match &v.fields {
                    syn::Fields::Named(_) => {
                        quote!(::core::option::Option::Some(&[#(#payload_fields),*]))
                    }
                    syn::Fields::Unnamed(f) if f.unnamed.len() == 1 => {
                        let ty = cut_or_keep(&f.unnamed[0].ty, cut);
                        quote!(<#ty as #rt::Schema>::FIELDS)
                    }
                    _ => quote!(::core::option::Option::Some(&[])),
                };
                quote!(#rt::Shape::Object(&[
                    #rt::Field { name: #tag, shape: &#rt::Shape::Enum(&[#wire]), optional: false, omittable: false, flatten: None },
                    #rt::Field { name: "", shape: &#rt::Shape::Any, optional: false, omittable: false, flatten: #flattened },
                ]))
            }
        };
        shapes.push(shape);
    }
    quote!(#rt::Shape::OneOf(&[#(#shapes),*]))
}

/// What the derive makes of the type itself, before any spec: its serde attributes, wire
/// fields or unit variants, and its shape as an unbound type.
struct TypeModel<'m, 'a> {
    input: &'a syn::DeriveInput,
    container: &'m Container,
    fields: &'m [FieldModel<'a>],
    unit_variants: &'m [(&'a syn::Variant, String)],
    inline: &'m TokenStream,
    fields_tokens: &'m TokenStream,
}

/// A type bound to a component (or a webhook or callback payload): check it where it is
/// declared.
fn check_component(
    spec: &Spec,
    shared: &crate::load::ExpectationMemo,
    // The component's name (the expansion of a recursive schema stops at it), and what the
    // type is checked against, for messages: "component `Pet`".
    component: &str,
    subject: &str,
    loc: &Loc,
    model: &TypeModel<'_, '_>,
    errors: &mut Errors,
) -> TokenStream {
    let TypeModel {
        input,
        container,
        fields,
        unit_variants,
        inline,
        fields_tokens,
    } = *model;
    let ident = &input.ident;
    let place = spec.doc.place(loc);
    let expecter = Expecter::new(spec, Some(shared));
    let schema = spec
        .doc
        .deref(loc)
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let named_struct =
        matches!(&input.data, syn::Data::Struct(s) if matches!(s.fields, syn::Fields::Named(_)));
    let has_flatten = fields.iter().any(|f| f.attrs.flatten);
    if named_struct && !has_flatten {
        let Some(model) = expecter.object_model(loc) else {
            errors.at(
                ident.span(),
                Diagnostic::new(format!(
                    "{subject} is not an object schema, but `{ident}` is a struct with named fields"
                ))
                .spec(&place),
            );
            return TokenStream::new();
        };
        let mut out = TokenStream::new();
        // Properties a misnamed field was matched to: not reported again as missing.
        let mut suggested: Vec<String> = Vec::new();
        for f in fields {
            let Some(field_ident) = f.ident else { continue };
            let Some(prop) = model.get(&f.wire) else {
                if !model.extra {
                    let msg = Diagnostic::new(format!(
                        "`{ident}` has a field `{}`, but {subject} has no such property",
                        f.wire
                    ))
                    .spec(&place);
                    let names = model.props.iter().map(|p| p.name.as_str());
                    let msg = match contract_spec::suggest::nearest(&f.wire, names).first() {
                        Some(near) => {
                            suggested.push(near.to_string());
                            msg.help(format!(
                                "did you mean `{near}`? (rename the field, or add `#[serde(rename = \"{near}\")]`)"
                            ))
                        }
                        None => msg.help(format!(
                            "the properties are {}",
                            model
                                .props
                                .iter()
                                .map(|p| format!("`{}`", p.name))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )),
                    };
                    errors.at(field_ident.span(), msg);
                }
                continue;
            };
            let prop_place = prop
                .loc
                .as_ref()
                .map_or_else(|| place.clone(), |l| spec.doc.place(l));
            if model.strictly_required(&prop.name) && !prop.nullable && is_option(f.ty) {
                errors.on(
                    f.ty,
                    Diagnostic::new(format!(
                        "property `{}` of {subject} is required and not nullable, but the field is an `Option`",
                        prop.name
                    ))
                    .spec(&prop_place)
                    .help("drop the `Option`, or mark the property `nullable` in the spec"),
                );
                continue;
            }
            if model.strictly_required(&prop.name) && f.attrs.skip_serializing_if {
                errors.at(
                    field_ident.span(),
                    Diagnostic::new(format!(
                        "property `{}` of {subject} is required, but `skip_serializing_if` may leave it out",
                        prop.name
                    ))
                    .spec(&prop_place),
                );
                continue;
            }
            if f.attrs.custom {
                continue;
            }
            let Some(prop_loc) = &prop.loc else { continue };
            let ty = f.ty;
            let admits_null = !model.strictly_required(&prop.name) || prop.nullable;
            if expect::is_json_value(ty) || (admits_null && expect::fits_any_nullable(ty)) {
                continue;
            }
            let mut expect = expecter.expect(prop_loc);
            if admits_null {
                expect = expect::nullable(&expect);
            }
            if expect::trivially_fits(ty, &expect) {
                continue;
            }
            if let Some(expected) = expect::scalar_mismatch(ty, &expect) {
                let rust = signature::rust_type(spec, prop_loc);
                let rust = if is_option(ty) {
                    format!("Option<{rust}>")
                } else {
                    rust
                };
                errors.on(
                    ty,
                    Diagnostic::new(format!(
                        "field `{field_ident}` of `{ident}` is `{}`, but property `{}` of {subject} is {expected}",
                        quote!(#ty).to_string().replace(' ', ""),
                        prop.name
                    ))
                    .spec(&prop_place)
                    .help(format!("use `{rust}`")),
                );
                continue;
            }
            let header = format!(
                "field `{field_ident}` of `{ident}` does not match property `{}` of {subject}:",
                prop.name
            );
            let footer = Diagnostic::footer(&prop_place, None);
            let expect = expect::tokens(&expect);
            out.extend(crate::diag::const_check(
                ty,
                "check_body",
                Some(ty),
                quote!(#expect, #header, #footer),
            ));
        }
        let present: Vec<&str> = fields.iter().map(|f| f.wire.as_str()).collect();
        for prop in &model.props {
            if model.strictly_required(&prop.name)
                && !present.contains(&prop.name.as_str())
                && !suggested.contains(&prop.name)
            {
                let ty = prop.loc.as_ref().map_or_else(
                    || "serde_json::Value".to_string(),
                    |l| signature::rust_type(spec, l),
                );
                let ty = if prop.nullable {
                    format!("Option<{ty}>")
                } else {
                    ty
                };
                errors.at(
                    ident.span(),
                    Diagnostic::new(format!(
                        "`{ident}` is missing the required property `{}` of {subject}",
                        prop.name,
                    ))
                    .spec(
                        prop.loc
                            .as_ref()
                            .map_or_else(|| place.clone(), |l| spec.doc.place(l)),
                    )
                    .help(format!(
                        "add `{}: {ty},`",
                        signature::snake_case(&prop.name)
                    )),
                );
            }
        }
        return out;
    }

    if !unit_variants.is_empty() {
        let Some(values) = schema.get("enum").and_then(|e| e.as_array()) else {
            errors.at(
                ident.span(),
                Diagnostic::new(format!(
                    "`{ident}` is a unit-only enum, but {subject} has no `enum` values"
                ))
                .spec(&place),
            );
            return TokenStream::new();
        };
        let values: Vec<&str> = values.iter().filter_map(|v| v.as_str()).collect();
        // Sets: an enum may have thousands of values (Stripe's timezones).
        let value_set: std::collections::HashSet<&str> = values.iter().copied().collect();
        let wire_set: std::collections::HashSet<&str> =
            unit_variants.iter().map(|(_, w)| w.as_str()).collect();
        for (variant, wire) in unit_variants {
            if !value_set.contains(wire.as_str()) {
                let msg = Diagnostic::new(format!(
                    "variant `{}` of `{ident}` is `{wire}` on the wire, which is not a value of {subject}'s enum",
                    variant.ident
                ))
                .spec(&place);
                let msg = if let Some(near) =
                    contract_spec::suggest::nearest(wire, values.iter().copied()).first()
                {
                    msg.help(format!(
                        "did you mean `{near}`? (add `#[serde(rename = \"{near}\")]`)"
                    ))
                } else {
                    msg.help(format!(
                        "the values are {}",
                        values
                            .iter()
                            .map(|v| format!("`{v}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                };
                errors.at(variant.ident.span(), msg);
            }
        }
        let mut reported = Errors::default();
        let has_other = matches!(&input.data, syn::Data::Enum(e) if e.variants.iter().any(|v| serde_attr::member(&v.attrs, &mut reported).other));
        reported.discard();
        for value in &values {
            if !wire_set.contains(value) && !has_other {
                errors.at(
                    ident.span(),
                    Diagnostic::new(format!("{subject}'s enum value `{value}` has no variant in `{ident}`"))
                        .spec(&place)
                        .help(format!("add a variant for it (with `#[serde(rename = \"{value}\")]` if its name differs)")),
                );
            }
        }
        return TokenStream::new();
    }

    // A `discriminator` names the property that tells the alternatives apart: serde's tag.
    if let (syn::Data::Enum(_), Some(property)) = (
        &input.data,
        schema
            .pointer("/discriminator/propertyName")
            .and_then(|v| v.as_str()),
    ) && container.tag.as_deref() != Some(property)
    {
        let found = match (&container.tag, container.untagged) {
            (Some(tag), _) => format!("`#[serde(tag = \"{tag}\")]`"),
            (None, true) => "`#[serde(untagged)]`".to_string(),
            (None, false) => "no tag (serde's external tagging)".to_string(),
        };
        errors.at(
            ident.span(),
            Diagnostic::new(format!(
                "{subject} is discriminated by the property `{property}`, but `{ident}` has {found}"
            ))
            .spec(spec.doc.place(&loc.child("discriminator")))
            .help(format!("add `#[serde(tag = \"{property}\")]`")),
        );
        return TokenStream::new();
    }

    // Everything else (flattened structs, enums with data, newtypes): one check of the whole shape.
    let expect = expecter.expect_component_body(component, loc);
    let header = format!("`{ident}` does not match {subject}:");
    let footer = Diagnostic::footer(&place, None);
    shape_check(
        ident,
        inline.clone(),
        fields_tokens.clone(),
        expect,
        &header,
        &footer,
    )
}

/// A const item that fails compilation with the comparison of `shape`/`fields` (expressions)
/// with `expect`.
pub fn shape_check(
    over: &impl quote::ToTokens,
    shape: TokenStream,
    fields: TokenStream,
    expect: Vec<u8>,
    header: &str,
    footer: &str,
) -> TokenStream {
    let expect = expect::tokens(&expect);
    crate::diag::const_check(
        over,
        "check_shape",
        None,
        quote!(&#shape, #fields, #expect, #header, #footer),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    fn cut(ty: &str) -> Option<String> {
        let own: syn::Ident = syn::parse_quote!(Tree);
        let ty: syn::Type = syn::parse_str(ty).unwrap();
        cut_recursion(&ty, &own).map(|t| t.to_token_stream().to_string().replace(' ', ""))
    }

    #[test]
    fn recursion_is_cut_where_the_type_names_itself() {
        let unchecked = "::contract_runtime::__private::Unchecked";
        assert_eq!(cut("Vec<Tree>"), Some(format!("Vec<{unchecked}>")));
        assert_eq!(
            cut("Option<Box<Self>>"),
            Some(format!("Option<Box<{unchecked}>>"))
        );
        assert_eq!(cut("crate::model::Tree<T>"), Some(unchecked.to_string()));
        assert_eq!(
            cut("HashMap<String, (u8, [Tree; 2], &'static Tree)>"),
            Some(format!(
                "HashMap<String,(u8,[{unchecked};2],&'static{unchecked})>"
            ))
        );
        assert_eq!(cut("Vec<Trees>"), None);
        assert_eq!(cut("model::Tree::Item"), None);
        assert_eq!(cut("String"), None);
    }

    #[test]
    fn fields_are_one_inherent_const_that_shape_and_fields_read() {
        for item in [
            "struct A { x: u8, y: Vec<String> }",
            "struct A<T> { x: Vec<T> }",
            "struct A { next: Option<Box<Self>> }",
        ] {
            let out = expand(item.parse().unwrap()).to_string();
            assert_eq!(out.matches("const __CONTRACT_FIELDS").count(), 1, "{out}");
            assert_eq!(out.matches("> :: __CONTRACT_FIELDS").count(), 2, "{out}");
            assert!(out.contains("SHAPE_REF"), "{out}");
        }
    }
}
