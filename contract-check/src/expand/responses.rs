//! `#[derive(Responses)]`: an enum with one variant per response status. It implements
//! `IntoResponse` (each variant sent with its status) and describes its variants so that the
//! handler macro can check them against the operation.

use proc_macro2::TokenStream;
use quote::quote;

use crate::diag::Errors;
use crate::parse::types::extractor_arg;

pub fn expand(input: TokenStream) -> TokenStream {
    let input: syn::DeriveInput = match syn::parse2(input) {
        Ok(i) => i,
        Err(e) => return e.to_compile_error(),
    };
    let ident = &input.ident;
    let syn::Data::Enum(data) = &input.data else {
        return syn::Error::new(
            ident.span(),
            "`Responses` is derived for an enum with one variant per response status",
        )
        .to_compile_error();
    };
    let mut errors = Errors::default();
    let mut descriptions = Vec::new();
    let mut arms = Vec::new();
    for variant in &data.variants {
        let vident = &variant.ident;
        let name = vident.to_string();
        let mut status: Option<u16> = None;
        for attr in variant
            .attrs
            .iter()
            .filter(|a| a.path().is_ident("response"))
        {
            let result = attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("status") {
                    let lit: syn::LitInt = meta.value()?.parse()?;
                    let code: u16 = lit.base10_parse()?;
                    if !(100..=599).contains(&code) {
                        return Err(syn::Error::new(
                            lit.span(),
                            "an HTTP status is between 100 and 599",
                        ));
                    }
                    status = Some(code);
                    Ok(())
                } else {
                    Err(meta.error("unknown `response` option: expected `status = 200`"))
                }
            });
            if let Err(e) = result {
                errors.push(e);
            }
        }
        let Some(status) = status else {
            errors.at(
                vident.span(),
                format!("variant `{name}` needs its status: `#[response(status = 200)]`"),
            );
            continue;
        };
        let status_tokens = quote!(::contract_runtime::__private::StatusCode::from_u16(#status)
            .unwrap_or(::contract_runtime::__private::StatusCode::INTERNAL_SERVER_ERROR));
        match &variant.fields {
            syn::Fields::Unit => {
                descriptions.push(quote!(::contract_runtime::ResponseVariant {
                    name: #name, status: #status, body: ::contract_runtime::Body::Empty,
                }));
                arms.push(quote!(Self::#vident => ::contract_runtime::__private::IntoResponse::into_response(#status_tokens)));
            }
            // `Created(Json<Pet>)`, or with response parts before the body (headers, say):
            // `Created([(HeaderName, String); 1], Json<Pet>)`, sent as axum sends a tuple.
            syn::Fields::Unnamed(fields) if !fields.unnamed.is_empty() && fields.unnamed.len() <= 16 => {
                let ty = &fields.unnamed[fields.unnamed.len() - 1].ty;
                let body = match extractor_arg(ty, "Json") {
                    Some(inner) => quote!(::contract_runtime::Body::Json(
                        &<#inner as ::contract_runtime::Schema>::SHAPE,
                        <#inner as ::contract_runtime::Schema>::FIELDS,
                    )),
                    None => quote!(::contract_runtime::Body::Other),
                };
                descriptions.push(quote!(::contract_runtime::ResponseVariant { name: #name, status: #status, body: #body }));
                let bound: Vec<syn::Ident> = (0..fields.unnamed.len())
                    .map(|i| quote::format_ident!("part{i}"))
                    .collect();
                arms.push(quote!(Self::#vident(#(#bound),*) => ::contract_runtime::__private::IntoResponse::into_response((#status_tokens, #(#bound),*))));
            }
            _ => errors.at(
                vident.span(),
                format!("variant `{name}` must be a unit variant (no body) or hold its body, after any headers: `{name}(Json<T>)`, `{name}([(HeaderName, String); 1], Json<T>)`"),
            ),
        }
    }
    if !errors.is_empty() {
        // The bad variants are reported; keep the match exhaustive so that is all.
        arms.push(quote!(#[allow(unreachable_patterns)] _ => ::contract_runtime::__private::IntoResponse::into_response(
            ::contract_runtime::__private::StatusCode::INTERNAL_SERVER_ERROR
        )));
    }
    let errors = errors.into_tokens();
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    quote! {
        impl #impl_generics ::contract_runtime::Responses for #ident #ty_generics #where_clause {
            const RESPONSES: &'static [::contract_runtime::ResponseVariant] = &[#(#descriptions),*];
        }
        impl #impl_generics ::contract_runtime::__private::IntoResponse for #ident #ty_generics #where_clause {
            fn into_response(self) -> ::contract_runtime::__private::Response {
                match self {
                    #(#arms,)*
                }
            }
        }
        #errors
    }
}
