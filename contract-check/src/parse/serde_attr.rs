//! The serde attributes that change a type's wire shape, read the way serde reads them.

use syn::spanned::Spanned;

use crate::diag::Errors;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RenameRule {
    Lower,
    Upper,
    Pascal,
    Camel,
    Snake,
    ScreamingSnake,
    Kebab,
    ScreamingKebab,
}

impl RenameRule {
    pub(crate) fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "lowercase" => Self::Lower,
            "UPPERCASE" => Self::Upper,
            "PascalCase" => Self::Pascal,
            "camelCase" => Self::Camel,
            "snake_case" => Self::Snake,
            "SCREAMING_SNAKE_CASE" => Self::ScreamingSnake,
            "kebab-case" => Self::Kebab,
            "SCREAMING-KEBAB-CASE" => Self::ScreamingKebab,
            _ => return None,
        })
    }

    /// serde's rule for struct fields, which are snake_case in Rust.
    pub fn field(self, name: &str) -> String {
        match self {
            Self::Lower | Self::Snake => name.to_string(),
            Self::Upper | Self::ScreamingSnake => name.to_ascii_uppercase(),
            Self::Pascal => name
                .split('_')
                .map(|w| {
                    let mut c = w.chars();
                    c.next().map_or_else(String::new, |f| {
                        f.to_ascii_uppercase().to_string() + c.as_str()
                    })
                })
                .collect(),
            Self::Camel => {
                let pascal = Self::Pascal.field(name);
                let mut c = pascal.chars();
                c.next().map_or_else(String::new, |f| {
                    f.to_ascii_lowercase().to_string() + c.as_str()
                })
            }
            Self::Kebab => name.replace('_', "-"),
            Self::ScreamingKebab => name.to_ascii_uppercase().replace('_', "-"),
        }
    }

    /// serde's rule for enum variants, which are PascalCase in Rust.
    pub fn variant(self, name: &str) -> String {
        match self {
            Self::Pascal => name.to_string(),
            Self::Lower => name.to_ascii_lowercase(),
            Self::Upper => name.to_ascii_uppercase(),
            Self::Camel => {
                let mut c = name.chars();
                c.next().map_or_else(String::new, |f| {
                    f.to_ascii_lowercase().to_string() + c.as_str()
                })
            }
            Self::Snake => {
                let mut out = String::new();
                for (i, ch) in name.char_indices() {
                    if i > 0 && ch.is_uppercase() {
                        out.push('_');
                    }
                    out.push(ch.to_ascii_lowercase());
                }
                out
            }
            Self::ScreamingSnake => Self::Snake.variant(name).to_ascii_uppercase(),
            Self::Kebab => Self::Snake.variant(name).replace('_', "-"),
            Self::ScreamingKebab => Self::ScreamingSnake.variant(name).replace('_', "-"),
        }
    }
}

/// Container attributes (`#[serde(...)]` on the struct or enum).
#[derive(Debug, Default)]
pub(crate) struct Container {
    pub rename_all: Option<RenameRule>,
    pub tag: Option<String>,
    pub content: Option<String>,
    pub untagged: bool,
    pub transparent: bool,
    pub default: bool,
}

/// Field or variant attributes.
#[derive(Debug, Default)]
pub(crate) struct Member {
    pub rename: Option<String>,
    pub skip_ser: bool,
    pub skip_de: bool,
    pub default: bool,
    pub flatten: bool,
    pub skip_serializing_if: bool,
    /// `with`, `serialize_with`, `deserialize_with`: the wire shape is not the type's.
    pub custom: bool,
    pub other: bool,
}

/// Reads `key = "value"` or `key(serialize = "value", …)` (taking the serialize side).
pub(crate) fn string_value(meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<String> {
    if meta.input.peek(syn::Token![=]) {
        let lit: syn::LitStr = meta.value()?.parse()?;
        return Ok(lit.value());
    }
    let mut found = None;
    meta.parse_nested_meta(|inner| {
        let lit: syn::LitStr = inner.value()?.parse()?;
        if inner.path.is_ident("serialize") || found.is_none() {
            found = Some(lit.value());
        }
        Ok(())
    })?;
    found.ok_or_else(|| meta.error("expected a string"))
}

/// Skips whatever follows a key we do not interpret (`= expr` or `( … )`).
pub(crate) fn skip_rest(meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) {
        let _: syn::Expr = meta.value()?.parse()?;
    } else if meta.input.peek(syn::token::Paren) {
        let _group: proc_macro2::Group = meta.input.parse()?;
    }
    Ok(())
}

/// Runs `read` on each `key …` of the `#[serde(…)]` attributes in `attrs`, with the key as
/// written (empty for a path that is not an identifier); each malformed attribute goes to
/// `report`.
fn each_serde_key(
    attrs: &[syn::Attribute],
    mut read: impl FnMut(&str, &syn::meta::ParseNestedMeta<'_>) -> syn::Result<()>,
    mut report: impl FnMut(&syn::Attribute, syn::Error),
) {
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let result = attr.parse_nested_meta(|meta| {
            let key = meta
                .path
                .get_ident()
                .map(ToString::to_string)
                .unwrap_or_default();
            read(&key, &meta)
        });
        if let Err(e) = result {
            report(attr, e);
        }
    }
}

pub(crate) fn container(attrs: &[syn::Attribute], errors: &mut Errors) -> Container {
    let mut c = Container::default();
    each_serde_key(
        attrs,
        |key, meta| {
            match key {
                "rename_all" => {
                    let rule = string_value(meta)?;
                    c.rename_all = Some(
                        RenameRule::parse(&rule)
                            .ok_or_else(|| meta.error(format!(
                        "unknown rename rule `{rule}`: serde accepts lowercase, UPPERCASE, PascalCase, camelCase, snake_case, SCREAMING_SNAKE_CASE, kebab-case, SCREAMING-KEBAB-CASE"
                    )))?,
                    );
                }
                "tag" => c.tag = Some(string_value(meta)?),
                "content" => c.content = Some(string_value(meta)?),
                "untagged" => c.untagged = true,
                "transparent" => c.transparent = true,
                "default" => {
                    c.default = true;
                    skip_rest(meta)?;
                }
                _ => skip_rest(meta)?,
            }
            Ok(())
        },
        |_, e| errors.push(e),
    );
    c
}

pub(crate) fn member(attrs: &[syn::Attribute], errors: &mut Errors) -> Member {
    let mut m = Member::default();
    each_serde_key(
        attrs,
        |key, meta| {
            match key {
                "rename" => m.rename = Some(string_value(meta)?),
                "skip" => {
                    m.skip_ser = true;
                    m.skip_de = true;
                }
                "skip_serializing" => m.skip_ser = true,
                "skip_deserializing" => m.skip_de = true,
                "default" => {
                    m.default = true;
                    skip_rest(meta)?;
                }
                "flatten" => m.flatten = true,
                "skip_serializing_if" => {
                    m.skip_serializing_if = true;
                    skip_rest(meta)?;
                }
                "with" | "serialize_with" | "deserialize_with" => {
                    m.custom = true;
                    skip_rest(meta)?;
                }
                "other" => m.other = true,
                _ => skip_rest(meta)?,
            }
            Ok(())
        },
        |attr, e| errors.push(syn::Error::new(attr.span(), e)),
    );
    m
}

/// The identifier as written, without `r#`.
pub(crate) fn unraw(ident: &syn::Ident) -> String {
    let s = ident.to_string();
    s.strip_prefix("r#").map(str::to_string).unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::RenameRule::*;

    #[test]
    fn rules_match_serde() {
        assert_eq!(Camel.field("pet_id"), "petId");
        assert_eq!(Pascal.field("pet_id"), "PetId");
        assert_eq!(Kebab.field("pet_id"), "pet-id");
        assert_eq!(ScreamingSnake.field("pet_id"), "PET_ID");
        assert_eq!(Lower.variant("OutOfStock"), "outofstock");
        assert_eq!(Snake.variant("OutOfStock"), "out_of_stock");
        assert_eq!(Kebab.variant("OutOfStock"), "out-of-stock");
        assert_eq!(Camel.variant("OutOfStock"), "outOfStock");
        assert_eq!(ScreamingSnake.variant("OutOfStock"), "OUT_OF_STOCK");
    }
}
