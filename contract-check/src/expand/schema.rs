//! `#[derive(Schema)]`: describes a type's wire shape for the checks, and checks a type bound to a
//! spec component against it where the type is declared.

use proc_macro2::{Span, TokenStream};
use quote::quote;

use crate::check::schema::{TypeModel, bind, bind_payload};
use crate::diag::Errors;
use crate::emit::schema::{Inline, fields_impl, inline_shape, names_itself, rt};
use crate::load;
use crate::parse::schema::schema_opts;
use crate::parse::serde_attr;

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
