//! Reading a type that derives `Schema`: its `#[schema]` options and its fields as serde puts them
//! on the wire.

use crate::diag::Errors;
use crate::parse::serde_attr::{self, Container, Member};

pub(crate) struct SchemaOpts {
    pub(crate) name: Option<syn::LitStr>,
    pub(crate) spec: Option<syn::LitStr>,
    /// `webhook = "…"` or `callback = "operationId.callbackName"`: the payload the type is.
    pub(crate) payload: Option<syn::LitStr>,
}

pub(crate) fn schema_opts(attrs: &[syn::Attribute], errors: &mut Errors) -> SchemaOpts {
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

pub(crate) struct FieldModel<'a> {
    pub(crate) ident: Option<&'a syn::Ident>,
    pub(crate) ty: &'a syn::Type,
    pub(crate) wire: String,
    pub(crate) attrs: Member,
}

pub(crate) fn is_option(ty: &syn::Type) -> bool {
    crate::parse::types::extractor_arg(ty, "Option").is_some()
}

/// Fields on the wire (skipped ones dropped), with their serde names.
pub(crate) fn wire_fields<'a>(
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

pub(crate) fn variant_wire(v: &syn::Variant, container: &Container, attrs: &Member) -> String {
    attrs.rename.clone().unwrap_or_else(|| {
        let raw = serde_attr::unraw(&v.ident);
        container
            .rename_all
            .map_or(raw.clone(), |rule| rule.variant(&raw))
    })
}
