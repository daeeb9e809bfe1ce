//! The operation a handler's type checks compare against: its place, the handler the spec would
//! have, its responses and its content, each built on first use.

use contract_spec::{Loc, Operation, Spec};
use proc_macro2::TokenStream;
use serde_json::Value;

use crate::expect::Expecter;
use crate::rust;

pub(crate) struct Ctx<'a> {
    pub(crate) spec: &'a Spec,
    pub(crate) op: &'a Operation,
    pub(crate) expecter: Expecter<'a>,
    /// The operation's `file:line:col` and pointer, located on first use: a handler whose
    /// checks all pass whatever the types needs none.
    pub(crate) place: std::cell::OnceCell<String>,
    /// The handler as the spec would have it, for the messages that suggest it.
    pub(crate) sketch: std::cell::OnceCell<String>,
    /// The operation's responses (encoded) and their summary, built on first use.
    pub(crate) responses: std::cell::OnceCell<TokenStream>,
}

impl Ctx<'_> {
    pub(crate) fn place(&self) -> &str {
        self.place
            .get_or_init(|| self.spec.doc.place(&self.op.loc).to_string())
    }

    pub(crate) fn sketch(&self) -> &str {
        self.sketch
            .get_or_init(|| rust::handler_sketch(self.spec, self.op))
    }
}

/// A media type a `content` map declares, and where its schema is (`None`: declared without
/// a schema, which any value of the media type fits).
pub(crate) type Declared = Option<Option<Loc>>;

/// Longest description of a response's body in a help line: longer ones are cut (a help
/// line says what one failing response expects, in a line).
pub(crate) const HELP_BODY_LEN: usize = 160;

/// The media types of a `content` map, and the JSON and form ones.
pub(crate) fn content(spec: &Spec, at: &Loc) -> (Vec<String>, Declared, Declared) {
    let Ok((loc, value)) = spec.doc.deref(at) else {
        return (Vec::new(), None, None);
    };
    let Some(Value::Object(map)) = value.get("content") else {
        return (Vec::new(), None, None);
    };
    let media: Vec<String> = map.keys().cloned().collect();
    let declared = |pred: &dyn Fn(&str) -> bool| {
        let matching = || map.iter().filter(|(m, _)| pred(m));
        // The first with a schema, else the first at all.
        matching()
            .find(|(_, v)| v.get("schema").is_some())
            .map(|(m, _)| Some(loc.child("content").child(m).child("schema")))
            .or_else(|| matching().next().map(|_| None))
    };
    let json = declared(&|m| is_json_media(m));
    let form = declared(&|m: &str| m.starts_with("application/x-www-form-urlencoded"));
    (media, json, form)
}

/// JSON, or a wildcard a JSON body is one of.
pub(crate) fn is_json_media(media: &str) -> bool {
    let m = media.split(';').next().unwrap_or("").trim();
    contract_spec::is_json_media(m) || m == "*/*" || m.eq_ignore_ascii_case("application/*")
}
