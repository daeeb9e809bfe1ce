//! The operations of a spec: method, path template, operationId and resolved parameters,
//! plus the per-operation problems (undeclared path parameters, duplicate operationIds).

use std::collections::HashMap;
use std::fmt;

use serde_json::Value;

use crate::document::Document;
use crate::error::SpecError;
use crate::source::Loc;

/// HTTP methods an OpenAPI path item can hold: the fixed fields (3.2 adds `query`) and the
/// methods of 3.2's `additionalOperations`, by the name the spec gives them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Method {
    /// `get`.
    Get,
    /// `put`.
    Put,
    /// `post`.
    Post,
    /// `delete`.
    Delete,
    /// `options`.
    Options,
    /// `head`.
    Head,
    /// `patch`.
    Patch,
    /// `trace`.
    Trace,
    /// `query` (3.2).
    Query,
    /// A method of `additionalOperations` (`LINK`, `PURGE`): upper-case, interned.
    Other(&'static str),
}

impl Method {
    /// The methods that are fixed fields of a path item.
    pub const ALL: [Method; 9] = [
        Method::Get,
        Method::Put,
        Method::Post,
        Method::Delete,
        Method::Options,
        Method::Head,
        Method::Patch,
        Method::Trace,
        Method::Query,
    ];

    /// The key in a path item (`get`), or the name in `additionalOperations`.
    pub fn key(self) -> &'static str {
        match self {
            Method::Get => "get",
            Method::Put => "put",
            Method::Post => "post",
            Method::Delete => "delete",
            Method::Options => "options",
            Method::Head => "head",
            Method::Patch => "patch",
            Method::Trace => "trace",
            Method::Query => "query",
            Method::Other(name) => name,
        }
    }

    /// The upper-case name (`GET`).
    pub fn upper(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
            Method::Query => "QUERY",
            Method::Other(name) => name,
        }
    }

    /// A fixed method by its key or name, in any case.
    pub fn parse(s: &str) -> Option<Method> {
        Method::ALL
            .into_iter()
            .find(|m| m.key().eq_ignore_ascii_case(s))
    }

    /// A fixed method, else an `additionalOperations` one when `s` is an HTTP method token
    /// (`LINK`); such names are compared as written, as HTTP compares methods.
    pub fn parse_any(s: &str) -> Option<Method> {
        if let Some(m) = Method::parse(s) {
            return Some(m);
        }
        let token = !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
        token.then(|| Method::Other(intern(s)))
    }

    /// Whether axum routes this method by a `MethodFilter` of its own.
    pub fn is_standard(self) -> bool {
        !matches!(self, Method::Query | Method::Other(_))
    }
}

/// `s`, kept for the process: the extension methods of the specs a compiler process reads are
/// few, and each is kept once.
fn intern(s: &str) -> &'static str {
    static KEPT: std::sync::Mutex<Vec<&'static str>> = std::sync::Mutex::new(Vec::new());
    let mut kept = KEPT.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(k) = kept.iter().find(|k| **k == s) {
        return k;
    }
    let k: &'static str = Box::leak(s.to_string().into_boxed_str());
    kept.push(k);
    k
}

impl serde::Serialize for Method {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.upper())
    }
}

impl<'de> serde::Deserialize<'de> for Method {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Method, D::Error> {
        let name = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Method::parse_any(&name)
            .ok_or_else(|| serde::de::Error::custom(format!("not an HTTP method: `{name}`")))
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.upper())
    }
}

/// Where a parameter is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum ParamIn {
    /// `in: path`.
    Path,
    /// `in: query`.
    Query,
    /// `in: header`.
    Header,
    /// `in: cookie`.
    Cookie,
}

impl ParamIn {
    fn parse(s: &str) -> Option<ParamIn> {
        Some(match s {
            "path" => ParamIn::Path,
            "query" => ParamIn::Query,
            "header" => ParamIn::Header,
            "cookie" => ParamIn::Cookie,
            _ => return None,
        })
    }
}

/// A parameter of an operation, after `$ref` resolution and path-level merging.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Parameter {
    /// The name on the wire.
    pub name: String,
    /// Where the parameter is sent.
    pub location: ParamIn,
    /// Whether a request must carry it (path parameters always).
    pub required: bool,
    /// Where the parameter object is.
    pub loc: Loc,
    /// Where its schema is, when it has one.
    pub schema: Option<Loc>,
}

/// One operation: a method on a path.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Operation {
    /// Position in [`crate::Spec::operations`]: stable for a given document.
    pub index: usize,
    /// The HTTP method.
    pub method: Method,
    /// The path template (`/pets/{petId}`), which is also axum's route syntax.
    pub path: String,
    /// The operationId, when the spec gives one.
    pub operation_id: Option<String>,
    /// The operation object (after following a `$ref`).
    pub loc: Loc,
    /// The path item's parameters and the operation's own, the latter replacing the former.
    pub parameters: Vec<Parameter>,
    /// The names in the path template, in order.
    pub template_params: Vec<String>,
    /// The request body (possibly a `$ref`).
    pub request_body: Option<Loc>,
    /// The responses map.
    pub responses: Option<Loc>,
    /// Problems of this operation's own definition (never in a slice: only a spec without
    /// problems is sliced).
    #[serde(skip)]
    pub problems: Vec<SpecError>,
}

impl Operation {
    /// `listPets (GET /pets)` or `GET /pets` when it has no operationId.
    pub fn label(&self) -> String {
        match &self.operation_id {
            Some(id) => format!("`{id}` ({} {})", self.method, self.path),
            None => format!("`{} {}`", self.method, self.path),
        }
    }

    /// The selector a user writes in `#[contract("…")]`: the operationId when there is one.
    pub fn selector(&self) -> String {
        match &self.operation_id {
            Some(id) => id.clone(),
            None => format!("{} {}", self.method, self.path),
        }
    }

    /// The parameters `in: path`.
    pub fn path_params(&self) -> impl Iterator<Item = &Parameter> {
        self.parameters
            .iter()
            .filter(|p| p.location == ParamIn::Path)
    }
}

/// The `{name}`s of a path template, in order.
pub fn template_params(path: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find(['{', '}']) {
        if rest.as_bytes()[open] == b'}' {
            return Err(format!("unbalanced `}}` in path template `{path}`"));
        }
        let after = &rest[open + 1..];
        let close = after
            .find(['{', '}'])
            .filter(|&i| after.as_bytes()[i] == b'}')
            .ok_or_else(|| format!("unbalanced `{{` in path template `{path}`"))?;
        let name = &after[..close];
        if name.is_empty() {
            return Err(format!("empty parameter `{{}}` in path template `{path}`"));
        }
        out.push(name.to_string());
        rest = &after[close + 1..];
    }
    Ok(out)
}

/// Reads every operation under `paths` (3.1 `webhooks` are not operations to serve).
pub fn operations(doc: &Document) -> Vec<Operation> {
    let mut ops = Vec::new();
    let root = Loc::root(crate::source::FileId(0));
    let paths_loc = root.child("paths");
    let Some(Value::Object(paths)) = doc.get(&paths_loc) else {
        return ops;
    };
    for path in paths.keys() {
        if !path.starts_with('/') {
            continue; // `x-` extensions and stray keys
        }
        let item_loc = paths_loc.child(path);
        let (item_loc, item, item_problem) = match doc.deref(&item_loc) {
            Ok((loc, value)) => (loc, value, None),
            Err(e) => (item_loc.clone(), &Value::Null, Some(e)),
        };
        let mut shared = Vec::new();
        let mut shared_problems = Vec::new();
        read_parameters(
            doc,
            &item_loc.child("parameters"),
            item.get("parameters"),
            &mut shared,
            &mut shared_problems,
        );
        // 3.2: `query`, and any other method under `additionalOperations`.
        let v32 = doc.is_v32();
        let additional: Vec<(Method, Loc)> = match item.get("additionalOperations") {
            Some(Value::Object(more)) if v32 => more
                .keys()
                .filter_map(|name| {
                    let method = Method::parse_any(name)?;
                    let at = item_loc.child("additionalOperations").child(name);
                    Some((method, at))
                })
                .collect(),
            _ => Vec::new(),
        };
        let fixed = Method::ALL
            .into_iter()
            .filter(|m| v32 || *m != Method::Query)
            .filter(|m| item.get(m.key()).is_some())
            .map(|m| (m, item_loc.child(m.key())));
        let mut methods: Vec<(Method, Loc)> = fixed.collect();
        for (method, at) in additional {
            // A fixed method written again under `additionalOperations` is refused by the
            // spec (it must use its field); the field's operation is the one served.
            if !methods
                .iter()
                .any(|(m, _)| m.upper().eq_ignore_ascii_case(method.upper()))
            {
                methods.push((method, at));
            }
        }
        for (method, declared_at) in methods {
            let mut problems: Vec<SpecError> = item_problem.iter().cloned().collect();
            problems.extend(shared_problems.iter().cloned());
            let (loc, op) = match doc.deref(&declared_at) {
                Ok((loc, value)) => (loc, value),
                Err(e) => {
                    problems.push(e);
                    (declared_at.clone(), &Value::Null)
                }
            };
            let mut parameters = shared.clone();
            let mut own = Vec::new();
            read_parameters(
                doc,
                &loc.child("parameters"),
                op.get("parameters"),
                &mut own,
                &mut problems,
            );
            for p in own {
                // An operation's parameter replaces the path item's one of the same name and place.
                parameters.retain(|q: &Parameter| !(q.name == p.name && q.location == p.location));
                parameters.push(p);
            }
            let template = match template_params(path) {
                Ok(t) => t,
                Err(msg) => {
                    problems.push(SpecError::new(msg).at(doc.place(&paths_loc.child(path))));
                    Vec::new()
                }
            };
            // With an unreadable parameter we cannot tell which are declared: that problem suffices.
            if problems.is_empty() {
                check_path_params(
                    doc,
                    method,
                    path,
                    &template,
                    &parameters,
                    &declared_at,
                    &mut problems,
                );
            }
            item_schema_problems(doc, &loc, op, &mut problems);
            ops.push(Operation {
                index: ops.len(),
                method,
                path: path.clone(),
                operation_id: op
                    .get("operationId")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                request_body: op.get("requestBody").map(|_| loc.child("requestBody")),
                responses: op.get("responses").map(|_| loc.child("responses")),
                loc,
                parameters,
                template_params: template,
                problems,
            });
        }
    }
    mark_duplicate_ids(doc, &mut ops);
    ops
}

/// Whether `key` of a callback is a runtime expression: literal text with `{$…}` expressions
/// (`{$request.body#/callbackUrl}`, `https://hooks.example.com/{$request.query.id}`), or a URL.
pub fn is_callback_expression(key: &str) -> bool {
    let valid = |expr: &str| {
        let Some(expr) = expr.strip_prefix('$') else {
            return false;
        };
        if matches!(expr, "url" | "method" | "statusCode") {
            return true;
        }
        let source = expr
            .strip_prefix("request.")
            .or_else(|| expr.strip_prefix("response."));
        match source {
            Some(rest) => {
                rest == "body"
                    || rest.starts_with("body#/")
                    || ["header.", "query.", "path."]
                        .iter()
                        .any(|p| rest.strip_prefix(p).is_some_and(|name| !name.is_empty()))
            }
            None => false,
        }
    };
    let mut rest = key;
    let mut expressions = 0;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            return false;
        };
        if !valid(&rest[open + 1..open + close]) {
            return false;
        }
        expressions += 1;
        rest = &rest[open + close + 1..];
    }
    if rest.contains('}') {
        return false;
    }
    expressions > 0
        || key.starts_with("http://")
        || key.starts_with("https://")
        || key.starts_with('/')
}

/// Whether `media` is JSON: `application/json` or a `+json` type, parameters aside.
pub fn is_json_media(media: &str) -> bool {
    let essence = media.split(';').next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case("application/json")
        || essence.to_ascii_lowercase().ends_with("+json")
}

/// Whether items of `media` can have an `itemSchema` (3.2's sequential media types).
pub fn is_sequential_media(media: &str) -> bool {
    let essence = media
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    matches!(
        essence.as_str(),
        "text/event-stream"
            | "application/jsonl"
            | "application/x-ndjson"
            | "application/x-jsonlines"
    ) || essence.ends_with("json-seq")
        || essence.starts_with("multipart/")
}

/// `itemSchema` on a media type of the operation's request body or responses whose content is
/// not a sequence of items: the spec means something it does not say.
fn item_schema_problems(doc: &Document, op_loc: &Loc, op: &Value, problems: &mut Vec<SpecError>) {
    let mut contents: Vec<Loc> = Vec::new();
    if op.get("requestBody").is_some()
        && let Ok((body, _)) = doc.deref(&op_loc.child("requestBody"))
    {
        contents.push(body.child("content"));
    }
    if let Some(Value::Object(responses)) = op.get("responses") {
        for status in responses.keys() {
            if let Ok((response, _)) = doc.deref(&op_loc.child("responses").child(status)) {
                contents.push(response.child("content"));
            }
        }
    }
    for content in contents {
        let Some(Value::Object(media)) = doc.get(&content) else {
            continue;
        };
        for (name, entry) in media {
            if entry.get("itemSchema").is_some() && !is_sequential_media(name) {
                problems.push(
                    SpecError::new(format!(
                        "`itemSchema` describes the items of a stream, but `{name}` is not a sequential media type"
                    ))
                    .at(doc.place(&content.child(name).child("itemSchema")))
                    .note("help: use `schema` for a whole body, or a sequential media type (`text/event-stream`, `application/jsonl`, `application/x-ndjson`, `application/json-seq`)"),
                );
            }
        }
    }
}

fn read_parameters(
    doc: &Document,
    list_loc: &Loc,
    list: Option<&Value>,
    out: &mut Vec<Parameter>,
    problems: &mut Vec<SpecError>,
) {
    let Some(list) = list else { return };
    let Value::Array(items) = list else {
        problems.push(SpecError::new("`parameters` must be a list").at(doc.place(list_loc)));
        return;
    };
    for i in 0..items.len() {
        let at = list_loc.child(&i.to_string());
        let (loc, param) = match doc.deref(&at) {
            Ok(found) => found,
            Err(e) => {
                problems.push(e);
                continue;
            }
        };
        let name = param.get("name").and_then(Value::as_str);
        let location = param
            .get("in")
            .and_then(Value::as_str)
            .and_then(ParamIn::parse);
        let (Some(name), Some(location)) = (name, location) else {
            problems.push(
                SpecError::new(
                    "parameter without a valid `name` and `in` (path, query, header or cookie)",
                )
                .at(doc.place(&loc)),
            );
            continue;
        };
        let required = location == ParamIn::Path
            || param
                .get("required")
                .and_then(Value::as_bool)
                .unwrap_or(false);
        let schema = param
            .get("schema")
            .map(|_| loc.child("schema"))
            .or_else(|| {
                // `content`-style parameters carry their schema under a single media type.
                let content = param.get("content")?.as_object()?;
                let (media, media_obj) = content.iter().next()?;
                media_obj.get("schema")?;
                Some(loc.child("content").child(media).child("schema"))
            });
        out.push(Parameter {
            name: name.to_string(),
            location,
            required,
            loc,
            schema,
        });
    }
}

fn check_path_params(
    doc: &Document,
    method: Method,
    path: &str,
    template: &[String],
    parameters: &[Parameter],
    op_loc: &Loc,
    problems: &mut Vec<SpecError>,
) {
    for name in template {
        if !parameters
            .iter()
            .any(|p| p.location == ParamIn::Path && &p.name == name)
        {
            let mut err = SpecError::new(format!(
                "path parameter `{{{name}}}` of `{method} {path}` is not declared with `in: path`"
            ))
            .at(doc.place(op_loc));
            let declared: Vec<&str> = parameters
                .iter()
                .filter(|p| p.location == ParamIn::Path)
                .map(|p| p.name.as_str())
                .collect();
            if let Some(near) = crate::suggest::nearest(name, declared.iter().copied()).first() {
                err = err.note(format!(
                    "note: a path parameter `{near}` is declared; the template and the declaration must use the same name"
                ));
            } else {
                err = err.note(format!(
                    "help: add `{{ name: {name}, in: path, required: true, schema: {{ type: string }} }}` to the operation's `parameters`"
                ));
            }
            problems.push(err);
        }
    }
    for p in parameters.iter().filter(|p| p.location == ParamIn::Path) {
        if !template.contains(&p.name) {
            problems.push(
                SpecError::new(format!(
                    "path parameter `{}` is declared but `{method} {path}` has no `{{{}}}` in its template",
                    p.name, p.name
                ))
                .at(doc.place(&p.loc)),
            );
        }
    }
}

fn mark_duplicate_ids(doc: &Document, ops: &mut [Operation]) {
    let mut by_id: HashMap<String, Vec<usize>> = HashMap::new();
    for op in ops.iter() {
        if let Some(id) = &op.operation_id {
            by_id.entry(id.clone()).or_default().push(op.index);
        }
    }
    for (id, indexes) in by_id {
        if indexes.len() < 2 {
            continue;
        }
        let all: Vec<String> = indexes
            .iter()
            .map(|&i| {
                let op = &ops[i];
                format!(
                    "{} {} at {}",
                    op.method,
                    op.path,
                    doc.place(&op.loc.child("operationId")).short()
                )
            })
            .collect();
        for &i in &indexes {
            let at = doc.place(&ops[i].loc.child("operationId"));
            ops[i].problems.push(
                SpecError::new(format!(
                    "duplicate operationId `{id}`: {} operations declare it",
                    indexes.len()
                ))
                .at(at)
                .note(format!("note: declared by {}", all.join(", ")))
                .note("help: operationIds must be unique in a document; rename all but one"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::template_params;

    #[test]
    fn templates() {
        assert_eq!(
            template_params("/a/{b}/c/{d}.json").unwrap(),
            vec!["b", "d"]
        );
        assert!(template_params("/a/{b").is_err());
        assert!(template_params("/a/b}").is_err());
        assert!(template_params("/a/{}").is_err());
    }
}

#[cfg(test)]
mod callback_tests {
    use super::is_callback_expression;

    #[test]
    fn runtime_expressions() {
        for ok in [
            "{$request.body#/callbackUrl}",
            "{$request.query.queryUrl}",
            "http://notificationServer.com?transactionId={$request.body#/id}&email={$request.body#/email}",
            "https://example.com/hooks",
            "{$url}/done",
            "{$response.header.Location}",
        ] {
            assert!(is_callback_expression(ok), "{ok}");
        }
        for bad in [
            "{request.body#/url}",
            "{$request.cookie.x}",
            "callbackUrl",
            "{$request.body#/url",
            "{$method}}",
        ] {
            assert!(!is_callback_expression(bad), "{bad}");
        }
    }
}
