//! A type bound to a component (or a webhook or callback payload), checked where it is declared:
//! fields against properties, unit variants against enum values, tags against discriminators, and
//! the whole shape where the macro cannot decide.

use contract_spec::{Loc, Lookup, Place, Spec};
use proc_macro2::TokenStream;
use quote::quote;

use crate::diag::{Diagnostic, Errors};
use crate::expect::{self, Expecter};
use crate::parse::schema::{FieldModel, SchemaOpts, is_option};
use crate::parse::serde_attr::{self, Container};
use crate::{load, rust};

/// The payload `lit` names: a component where its schema is a reference to one (the type then
/// binds to the component), else its inline schema, checked where the type is declared.
pub(crate) fn bind_payload(
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
pub(crate) fn bind(
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

/// What the derive makes of the type itself, before any spec: its serde attributes, wire
/// fields or unit variants, and its shape as an unbound type.
pub(crate) struct TypeModel<'m, 'a> {
    pub(crate) input: &'a syn::DeriveInput,
    pub(crate) container: &'m Container,
    pub(crate) fields: &'m [FieldModel<'a>],
    pub(crate) unit_variants: &'m [(&'a syn::Variant, String)],
    pub(crate) inline: &'m TokenStream,
    pub(crate) fields_tokens: &'m TokenStream,
}

/// A type bound to a component (or a webhook or callback payload): check it where it is
/// declared.
/// Where a type is checked: the component (or payload) and the type's own model.
struct Target<'t, 'm, 'a> {
    spec: &'t Spec,
    subject: &'t str,
    loc: &'t Loc,
    place: &'t Place,
    expecter: &'t Expecter<'t>,
    model: &'t TypeModel<'m, 'a>,
}

pub(crate) fn check_component(
    spec: &Spec,
    shared: &crate::expect::ExpectationMemo,
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
        inline,
        fields_tokens,
        ..
    } = *model;
    let ident = &input.ident;
    let place = spec.doc.place(loc);
    let expecter = Expecter::new(spec, Some(shared));
    let target = Target {
        spec,
        subject,
        loc,
        place: &place,
        expecter: &expecter,
        model,
    };
    let named_struct =
        matches!(&input.data, syn::Data::Struct(s) if matches!(s.fields, syn::Fields::Named(_)));
    if named_struct && !fields.iter().any(|f| f.attrs.flatten) {
        return check_fields(&target, errors);
    }
    if !model.unit_variants.is_empty() {
        check_unit_variants(&target, errors);
        return TokenStream::new();
    }
    let schema = spec
        .doc
        .deref(loc)
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
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

/// A struct with named fields: each field against its property, and the required properties
/// against the fields.
fn check_fields(target: &Target<'_, '_, '_>, errors: &mut Errors) -> TokenStream {
    let Target {
        spec,
        subject,
        loc,
        place,
        expecter,
        model,
    } = *target;
    let TypeModel { input, fields, .. } = *model;
    let ident = &input.ident;
    let Some(model) = expecter.object_model(loc) else {
        errors.at(
            ident.span(),
            Diagnostic::new(format!(
                "{subject} is not an object schema, but `{ident}` is a struct with named fields"
            ))
            .spec(place),
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
                .spec(place);
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
        if crate::check::fits::is_json_value(ty)
            || (admits_null && crate::check::fits::fits_any_nullable(ty))
        {
            continue;
        }
        let mut expect = expecter.expect(prop_loc);
        if admits_null {
            expect = expect::nullable(&expect);
        }
        if crate::check::fits::trivially_fits(ty, &expect) {
            continue;
        }
        if let Some(expected) = crate::check::fits::scalar_mismatch(ty, &expect) {
            let rust = rust::rust_type(spec, prop_loc);
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
                |l| rust::rust_type(spec, l),
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
                .help(format!("add `{}: {ty},`", rust::snake_case(&prop.name))),
            );
        }
    }
    out
}

/// A unit-only enum: its variants against the enum's values, both ways.
fn check_unit_variants(target: &Target<'_, '_, '_>, errors: &mut Errors) {
    let schema = target
        .spec
        .doc
        .deref(target.loc)
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let Target {
        subject,
        place,
        model,
        ..
    } = *target;
    let TypeModel {
        input,
        unit_variants,
        ..
    } = *model;
    let ident = &input.ident;
    let Some(values) = schema.get("enum").and_then(|e| e.as_array()) else {
        errors.at(
            ident.span(),
            Diagnostic::new(format!(
                "`{ident}` is a unit-only enum, but {subject} has no `enum` values"
            ))
            .spec(place),
        );
        return;
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
            .spec(place);
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
                    .spec(place)
                    .help(format!("add a variant for it (with `#[serde(rename = \"{value}\")]` if its name differs)")),
            );
        }
    }
}

/// A const item that fails compilation with the comparison of `shape`/`fields` (expressions)
/// with `expect`.
pub(crate) fn shape_check(
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
