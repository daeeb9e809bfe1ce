//! The embedded spec at run time: operations looked up by method and path template, and one
//! validator per schema, compiled on first use and kept.

use std::collections::HashMap;

use rustc_hash::FxBuildHasher;
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::{Map, Value};

use super::defs::resolve_in;
use super::streaming::StreamingValidator;
use contract_schema::Validator;

/// The spec as `routes!` / [`crate::spec!`] embed it (a JSON document prepared at compile time).
#[derive(Debug, Clone, Copy)]
pub struct SpecBundle {
    json: &'static str,
}

impl SpecBundle {
    #[doc(hidden)]
    pub const fn __from_static(json: &'static str) -> Self {
        SpecBundle { json }
    }
}

/// Where a schema sits, for messages (`GET /pets → 200 application/json`).
pub(crate) struct Site {
    pub schema: Value,
    pub location: String,
    validator: OnceLock<Validator>,
    streaming: OnceLock<Option<StreamingValidator>>,
}

pub(crate) struct ParamSpec {
    pub example: Option<Value>,
    pub name: String,
    pub location: String,
    pub required: bool,
    pub explode: bool,
    pub site: Option<usize>,
}

pub(crate) struct Media {
    pub example: Option<Value>,
    pub media: String,
    /// `application/json` or `…+json`: its bodies are validated as JSON.
    pub is_json: bool,
    pub site: Option<usize>,
    /// The media type of each part of a form body, where the spec's `encoding` names one.
    pub encoding: Vec<(String, String)>,
    /// 3.2's `itemSchema`: each item of a stream (an SSE event as `{data, event, id, retry}`,
    /// a JSON Lines line).
    pub item_site: Option<usize>,
    /// For an SSE stream whose `data` is JSON: the `contentSchema` of `itemSchema`'s `data`.
    pub data_site: Option<usize>,
}

/// A header a response declares.
pub(crate) struct HeaderSpec {
    pub name: String,
    pub required: bool,
    pub site: Option<usize>,
}

/// One credential a security requirement needs: where the request carries it.
#[derive(Debug, Clone)]
pub(crate) struct Credential {
    /// The scheme's name under `components.securitySchemes`.
    pub scheme: String,
    /// `header`, `query` or `cookie`.
    pub location: String,
    /// The header, query parameter or cookie (`Authorization` for `http`, `oauth2`, OIDC).
    pub name: String,
    /// `apiKey`, or the HTTP authentication scheme (`bearer`, `basic`, …).
    pub kind: String,
}

impl Credential {
    /// The HTTP authentication scheme as `Authorization` and `WWW-Authenticate` write it
    /// (`Bearer`, `Basic`); `None` for an API key.
    pub fn http_scheme(&self) -> Option<String> {
        if self.location != "header" || self.kind == "apiKey" {
            return None;
        }
        let mut chars = self.kind.chars();
        let first = chars.next()?;
        Some(first.to_ascii_uppercase().to_string() + chars.as_str())
    }
}

pub(crate) struct OpSpec {
    pub method: String,
    pub path: String,
    pub operation_id: Option<String>,
    pub params: Vec<ParamSpec>,
    pub body: Option<(bool, Vec<Media>)>,
    pub responses: Vec<(String, Vec<Media>)>,
    /// The headers each response (by its key in `responses`) declares.
    pub response_headers: Vec<(String, Vec<HeaderSpec>)>,
    /// The alternatives of the effective security requirement, each the credentials it needs
    /// (an empty one: credentials are optional); `None` when the operation is not secured.
    pub security: Option<Vec<Vec<Credential>>>,
    /// The operation has no `responses` (3.1, 3.2): nothing about them is checked.
    pub responses_undocumented: bool,
}

impl OpSpec {
    pub fn label(&self) -> String {
        match &self.operation_id {
            Some(id) => format!("{id} ({} {})", self.method, self.path),
            None => format!("{} {}", self.method, self.path),
        }
    }

    /// The declared response for `status`: exact, then `2XX`-style, then `default`.
    pub fn response(&self, status: u16) -> Option<&(String, Vec<Media>)> {
        // Compared digit by digit: this runs on every validated response.
        let digits = [
            b'0' + (status / 100 % 10) as u8,
            b'0' + (status / 10 % 10) as u8,
            b'0' + (status % 10) as u8,
        ];
        let is_range =
            |k: &[u8]| k.len() == 3 && k[0] == digits[0] && k[1..].eq_ignore_ascii_case(b"XX");
        self.responses
            .iter()
            .find(|(k, _)| k.as_bytes() == digits)
            .or_else(|| self.responses.iter().find(|(k, _)| is_range(k.as_bytes())))
            .or_else(|| self.responses.iter().find(|(k, _)| k == "default"))
    }

    /// The headers the response under `key` declares.
    pub fn headers_of(&self, key: &str) -> &[HeaderSpec] {
        self.response_headers
            .iter()
            .find(|(k, _)| k == key)
            .map_or(&[], |(_, h)| h.as_slice())
    }

    /// Whether a request must carry credentials (some alternative needs one).
    pub fn is_secured(&self) -> bool {
        self.security
            .as_ref()
            .is_some_and(|alternatives| alternatives.iter().all(|a| !a.is_empty()))
    }
}

/// A payload the service sends (a webhook's or a callback's request body).
pub(crate) struct PayloadSpec {
    pub name: String,
    pub site: Option<usize>,
    pub example: Option<Value>,
}

/// The parsed bundle.
pub struct Contract {
    pub(crate) ops: Vec<OpSpec>,
    pub(crate) payloads: Vec<PayloadSpec>,
    pub(crate) sites: Vec<Site>,
    defs: Map<String, Value>,
    /// Path template → (method, operation index): looked up without allocating.
    by_route: HashMap<String, Vec<(String, usize)>, FxBuildHasher>,
    /// Validators of the subschemas walkers delegate, by the subschema's JSON text.
    shared: Mutex<HashMap<String, Arc<Validator>>>,
}

impl std::fmt::Debug for Contract {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Contract")
            .field("operations", &self.ops.len())
            .finish()
    }
}

impl Contract {
    /// Parses an embedded bundle. The bundle is produced by the macros, so a failure here is a
    /// bug; it yields a contract with no operations (nothing is validated) rather than a panic.
    pub fn new(bundle: SpecBundle) -> Arc<Contract> {
        Arc::new(Contract::parse(bundle))
    }

    /// The contract of `bundle`, parsed once per process and kept: routers and layers hold a
    /// `&'static` reference, which costs no reference counting per request. A program embeds
    /// a fixed set of bundles (one per `spec!`/`routes!` spec), so what is kept is bounded.
    pub(crate) fn shared(bundle: SpecBundle) -> &'static Contract {
        type Kept = Vec<((usize, usize), &'static Contract)>;
        static KEPT: Mutex<Kept> = Mutex::new(Vec::new());
        let key = (bundle.json.as_ptr() as usize, bundle.json.len());
        let mut kept = KEPT.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, contract)) = kept.iter().find(|(k, _)| *k == key) {
            return contract;
        }
        let contract: &'static Contract = Box::leak(Box::new(Contract::parse(bundle)));
        kept.push((key, contract));
        contract
    }

    fn parse(bundle: SpecBundle) -> Contract {
        let value: Value = serde_json::from_str(bundle.json).unwrap_or_else(|e| {
            tracing::error!(
                "contract: the embedded spec bundle does not parse ({e}); nothing will be validated"
            );
            Value::Null
        });
        Contract::from_value(value)
    }

    fn from_value(mut value: Value) -> Contract {
        let defs = match value.get_mut("$defs").map(Value::take) {
            Some(Value::Object(m)) => m,
            _ => Map::new(),
        };
        let mut sites = Vec::new();
        let mut ops = Vec::new();
        let list = match value.get_mut("operations").map(Value::take) {
            Some(Value::Array(a)) => a,
            _ => Vec::new(),
        };
        let add_site = |schema: &Value, location: String, sites: &mut Vec<Site>| -> Option<usize> {
            if schema.is_null() {
                return None;
            }
            sites.push(Site {
                schema: schema.clone(),
                location,
                validator: OnceLock::new(),
                streaming: OnceLock::new(),
            });
            Some(sites.len() - 1)
        };
        for op in list {
            let method = op["method"].as_str().unwrap_or("GET").to_string();
            let path = op["path"].as_str().unwrap_or("/").to_string();
            let label = format!("{method} {path}");
            let params = op["parameters"]
                .as_array()
                .map(|ps| {
                    ps.iter()
                        .map(|p| {
                            let name = p["name"].as_str().unwrap_or_default().to_string();
                            let location = p["in"].as_str().unwrap_or("query").to_string();
                            let site = add_site(
                                &p["schema"],
                                format!("{label}: {location} parameter `{name}`"),
                                &mut sites,
                            );
                            ParamSpec {
                                example: p.get("example").filter(|e| !e.is_null()).cloned(),
                                name,
                                location,
                                required: p["required"].as_bool().unwrap_or(false),
                                explode: p["explode"].as_bool().unwrap_or(true),
                                site,
                            }
                        })
                        .collect()
                })
                .unwrap_or_default();
            let media_list = |content: &Value, what: &str, sites: &mut Vec<Site>| -> Vec<Media> {
                let Some(m) = content.as_object() else {
                    return Vec::new();
                };
                m.iter()
                    .map(|(media, entry)| {
                        let item = entry.get("itemSchema").filter(|s| !s.is_null());
                        // An SSE event's `data` is text; its `contentSchema` describes it parsed.
                        let data = item.and_then(|item| {
                            let data = resolve_in(&defs, item).pointer("/properties/data")?;
                            resolve_in(&defs, data).get("contentSchema").cloned()
                        });
                        Media {
                            example: entry.get("example").filter(|e| !e.is_null()).cloned(),
                            media: media.clone(),
                            is_json: crate::validate::is_json(media),
                            encoding: entry["encoding"]
                                .as_object()
                                .map(|parts| {
                                    parts
                                        .iter()
                                        .filter_map(|(name, m)| {
                                            Some((name.clone(), m.as_str()?.to_string()))
                                        })
                                        .collect()
                                })
                                .unwrap_or_default(),
                            site: add_site(
                                &entry["schema"],
                                format!("{label}: {what} {media}"),
                                sites,
                            ),
                            item_site: item.and_then(|item| {
                                add_site(item, format!("{label}: {what} {media} item"), sites)
                            }),
                            data_site: data.and_then(|data| {
                                add_site(
                                    &data,
                                    format!("{label}: {what} {media} event data"),
                                    sites,
                                )
                            }),
                        }
                    })
                    .collect()
            };
            let body = op.get("requestBody").filter(|b| !b.is_null()).map(|b| {
                (
                    b["required"].as_bool().unwrap_or(false),
                    media_list(&b["content"], "request body", &mut sites),
                )
            });
            let mut response_headers = Vec::new();
            let responses = op["responses"]
                .as_object()
                .map(|m| {
                    m.iter()
                        .map(|(status, r)| {
                            let headers: Vec<HeaderSpec> = r["headers"]
                                .as_array()
                                .map(|hs| {
                                    hs.iter()
                                        .map(|h| {
                                            let name =
                                                h["name"].as_str().unwrap_or_default().to_string();
                                            HeaderSpec {
                                                site: add_site(
                                                    &h["schema"],
                                                    format!(
                                                        "{label}: response {status} header `{name}`"
                                                    ),
                                                    &mut sites,
                                                ),
                                                required: h["required"].as_bool().unwrap_or(false),
                                                name,
                                            }
                                        })
                                        .collect()
                                })
                                .unwrap_or_default();
                            if !headers.is_empty() {
                                response_headers.push((status.clone(), headers));
                            }
                            (
                                status.clone(),
                                media_list(
                                    &r["content"],
                                    &format!("response {status}"),
                                    &mut sites,
                                ),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            let security = op["security"].as_array().map(|alternatives| {
                alternatives
                    .iter()
                    .map(|needs| {
                        needs
                            .as_array()
                            .map(|list| {
                                list.iter()
                                    .map(|c| {
                                        let text =
                                            |k: &str| c[k].as_str().unwrap_or_default().to_string();
                                        Credential {
                                            scheme: text("scheme"),
                                            location: text("in"),
                                            name: text("name"),
                                            kind: text("kind"),
                                        }
                                    })
                                    .collect()
                            })
                            .unwrap_or_default()
                    })
                    .collect()
            });
            ops.push(OpSpec {
                method,
                path,
                operation_id: op["operationId"].as_str().map(str::to_string),
                params,
                body,
                responses,
                response_headers,
                security,
                responses_undocumented: op["responses"].is_null(),
            });
        }
        let payloads = match value.get_mut("payloads").map(Value::take) {
            Some(Value::Array(list)) => list
                .into_iter()
                .map(|p| {
                    let name = p["name"].as_str().unwrap_or_default().to_string();
                    PayloadSpec {
                        site: add_site(&p["schema"], format!("payload `{name}`"), &mut sites),
                        example: p.get("example").filter(|e| !e.is_null()).cloned(),
                        name,
                    }
                })
                .collect(),
            _ => Vec::new(),
        };
        let mut by_route: HashMap<String, Vec<(String, usize)>, FxBuildHasher> = HashMap::default();
        for (i, op) in ops.iter().enumerate() {
            by_route
                .entry(op.path.clone())
                .or_default()
                .push((op.method.clone(), i));
        }
        Contract {
            ops,
            payloads,
            sites,
            defs,
            by_route,
            shared: Mutex::new(HashMap::new()),
        }
    }

    /// The operation served at `path` (axum's matched path, which is the spec's template) for
    /// `method`; a router nested under a prefix matches by suffix.
    pub(crate) fn find_index(&self, method: &str, path: &str) -> Option<usize> {
        if let Some(methods) = self.by_route.get(path) {
            return methods.iter().find(|(m, _)| m == method).map(|(_, i)| *i);
        }
        self.ops
            .iter()
            .position(|op| op.method == method && path.ends_with(&op.path))
    }

    /// Validates `instance` against site `site`; the violations found (at most ten).
    pub(crate) fn check(&self, site: usize, instance: &Value) -> Vec<Violation> {
        let Some(s) = self.sites.get(site) else {
            return Vec::new();
        };
        let validator = s.validator.get_or_init(|| self.compile(&s.schema));
        // Most values are valid: answer that cheaply, collect details only on failure.
        if validator.is_valid(instance) {
            return Vec::new();
        }
        let location = s.location_pointer();
        validator
            .errors(instance, 10)
            .into_iter()
            .map(|mut v| {
                // The bundle turns `writeOnly` properties of responses into `false`.
                if v.rule == "falseSchema" {
                    v.rule = "writeOnly".into();
                    v.message = "this property must not be sent here (it is `writeOnly`, or the schema forbids it)".into();
                }
                v.schema_path = format!("{location}{}", v.schema_path);
                v
            })
            .collect()
    }

    /// Whether the JSON text `bytes` is valid at `site`, checked while parsing it. `false` when
    /// it is not, or not shown to be: [`Contract::check`] on the parsed value then decides.
    pub(crate) fn accepts(&self, site: usize, bytes: &[u8]) -> bool {
        let Some(s) = self.sites.get(site) else {
            return false;
        };
        s.streaming
            .get_or_init(|| {
                StreamingValidator::new(&s.schema, &self.defs, &|schema| {
                    self.shared_validator(schema)
                })
            })
            .as_ref()
            .is_some_and(|walker| walker.accepts(bytes))
    }

    /// A validator for a subschema, shared between the sites whose walkers delegate it.
    fn shared_validator(&self, schema: &Value) -> Option<Arc<Validator>> {
        let key = schema.to_string();
        let mut shared = self.shared.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(validator) = shared.get(&key) {
            return Some(validator.clone());
        }
        let validator = Arc::new(self.compile(schema));
        shared.insert(key, validator.clone());
        Some(validator)
    }

    #[cfg(test)]
    pub(crate) fn defs(&self) -> &Map<String, Value> {
        &self.defs
    }

    pub(crate) fn site_location(&self, site: usize) -> &str {
        self.sites.get(site).map_or("", |s| s.location.as_str())
    }

    pub(crate) fn schema(&self, site: usize) -> Option<&Value> {
        self.sites.get(site).map(|s| &s.schema)
    }

    /// Resolves a `#/$defs/…` reference of the bundle (for parameter coercion).
    pub(crate) fn resolve<'a>(&'a self, schema: &'a Value) -> &'a Value {
        resolve_in(&self.defs, schema)
    }

    /// The schema compiled for JSON Schema 2020-12, its `$ref`s resolved in the bundle's `$defs`.
    fn compile(&self, schema: &Value) -> Validator {
        Validator::new(schema, &self.defs)
    }
}

impl Site {
    fn location_pointer(&self) -> String {
        format!("{}: ", self.location)
    }
}

pub use contract_schema::Violation;

#[cfg(test)]
mod tests {
    use super::*;

    fn op(keys: &[&str]) -> OpSpec {
        OpSpec {
            method: "GET".into(),
            path: "/".into(),
            operation_id: None,
            params: Vec::new(),
            body: None,
            responses: keys.iter().map(|k| (k.to_string(), Vec::new())).collect(),
            response_headers: Vec::new(),
            security: None,
            responses_undocumented: false,
        }
    }

    #[test]
    fn response_prefers_exact_then_range_then_default() {
        fn key(o: &OpSpec, status: u16) -> Option<&str> {
            o.response(status).map(|(k, _)| k.as_str())
        }
        let o = op(&["default", "2xx", "204", "404"]);
        assert_eq!(key(&o, 204), Some("204"));
        assert_eq!(key(&o, 200), Some("2xx"));
        assert_eq!(key(&o, 404), Some("404"));
        assert_eq!(key(&o, 500), Some("default"));
        assert_eq!(key(&op(&["200", "4XX"]), 418), Some("4XX"));
        assert_eq!(key(&op(&["200"]), 500), None);
        assert_eq!(key(&op(&["20"]), 20), None);
    }
}
