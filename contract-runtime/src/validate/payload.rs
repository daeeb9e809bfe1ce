//! Payloads the service sends: a webhook's or a callback's request body, validated against the
//! spec before it goes out.

use std::fmt;

use serde_json::Value;

use super::contract::{Contract, SpecBundle, Violation};

/// The payload of a webhook (by its name) or a callback (`operationId.callbackName`) of a spec:
/// [`SpecBundle::webhook`], [`SpecBundle::callback`].
///
/// ```
/// # #[derive(serde::Serialize, contract_runtime::Schema)]
/// # struct Pet { id: i64, name: String, tag: Option<String> }
/// let adopted = contract_runtime::spec!().callback("createPet.onAdopted");
/// let pet = Pet { id: 1, name: "Rex".into(), tag: None };
/// adopted.validate(&pet)?; // debug builds; nothing is checked in release
/// // client.post(callback_url).json(&pet).send().await?;
/// # if cfg!(debug_assertions) {
/// #     assert!(adopted.validate(&serde_json::json!({ "id": "one" })).is_err());
/// # }
/// # Ok::<(), contract_runtime::PayloadError>(())
/// ```
#[derive(Clone, Copy)]
pub struct Payload {
    contract: &'static Contract,
    name: &'static str,
    index: Option<usize>,
}

impl fmt::Debug for Payload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Payload")
            .field("name", &self.name)
            .field("declared", &self.index.is_some())
            .finish()
    }
}

/// A payload that breaks its schema (or names no payload of the spec).
#[derive(Debug, Clone)]
pub struct PayloadError {
    /// The webhook or callback, as named.
    pub payload: String,
    /// Each way it breaks its schema.
    pub violations: Vec<Violation>,
}

impl fmt::Display for PayloadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the payload of `{}` breaks the OpenAPI contract",
            self.payload
        )?;
        for v in &self.violations {
            let at = if v.pointer.is_empty() {
                "/"
            } else {
                &v.pointer
            };
            write!(
                f,
                "; {} at `{at}` ({}): {}",
                v.rule, v.schema_path, v.message
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for PayloadError {}

impl SpecBundle {
    /// The payload of webhook `name`.
    pub fn webhook(self, name: &'static str) -> Payload {
        Payload::find(self, name)
    }

    /// The payload of a callback, named `operationId.callbackName`.
    pub fn callback(self, name: &'static str) -> Payload {
        Payload::find(self, name)
    }
}

impl Payload {
    fn find(bundle: SpecBundle, name: &'static str) -> Payload {
        let contract = Contract::shared(bundle);
        let index = contract.payloads.iter().position(|p| p.name == name);
        Payload {
            contract,
            name,
            index,
        }
    }

    /// In builds with `debug_assertions`, whether `payload` (serialized as JSON) fits the
    /// payload's schema, with the violations when it does not; in release builds, `Ok` without
    /// a look, as for responses.
    pub fn validate<T: serde::Serialize + ?Sized>(&self, payload: &T) -> Result<(), PayloadError> {
        if !cfg!(debug_assertions) {
            return Ok(());
        }
        let value = serde_json::to_value(payload).map_err(|e| PayloadError {
            payload: self.name.to_string(),
            violations: vec![Violation {
                pointer: String::new(),
                schema_path: format!("payload `{}`", self.name),
                rule: "json".into(),
                message: format!("the payload does not serialize to JSON: {e}"),
            }],
        })?;
        let violations = self.violations(&value);
        if violations.is_empty() {
            Ok(())
        } else {
            tracing::error!(
                payload = self.name,
                "{}",
                PayloadError {
                    payload: self.name.to_string(),
                    violations: violations.clone(),
                }
            );
            Err(PayloadError {
                payload: self.name.to_string(),
                violations,
            })
        }
    }

    /// The violations of `value` against the payload's schema, in any build (at most ten).
    pub fn violations(&self, value: &Value) -> Vec<Violation> {
        let Some(spec) = self.index.and_then(|i| self.contract.payloads.get(i)) else {
            let names: Vec<String> = self
                .contract
                .payloads
                .iter()
                .map(|p| format!("`{}`", p.name))
                .collect();
            return vec![Violation {
                pointer: String::new(),
                schema_path: "webhooks".into(),
                rule: "payload".into(),
                message: format!(
                    "the spec has no webhook or callback `{}` with a JSON body (it has {})",
                    self.name,
                    if names.is_empty() {
                        "none".to_string()
                    } else {
                        names.join(", ")
                    }
                ),
            }];
        };
        match spec.site {
            Some(site) => self.contract.check(site, value),
            None => Vec::new(),
        }
    }

    /// Valid payloads, for the receiving side's tests: the spec's example first (where it fits
    /// the schema), then values generated from the schema (deterministic for a `seed`).
    pub fn examples(&self, count: usize, seed: u64) -> Vec<Value> {
        let Some(spec) = self.index.and_then(|i| self.contract.payloads.get(i)) else {
            return Vec::new();
        };
        let Some(schema) = spec.site.and_then(|s| self.contract.schema(s)) else {
            return vec![Value::Object(Default::default()); count];
        };
        let mut out = Vec::with_capacity(count);
        if let Some(example) = &spec.example
            && self.violations(example).is_empty()
        {
            out.push(example.clone());
        }
        let mut rng = super::generate::Rng::new(seed);
        let mut attempts = 0;
        while out.len() < count && attempts < count * 10 {
            attempts += 1;
            let value = super::generate::valid(self.contract, schema, &mut rng, 0);
            if self.violations(&value).is_empty() {
                out.push(value);
            }
        }
        out
    }
}
