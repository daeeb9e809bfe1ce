//! Payloads the service sends rather than serves: the JSON request bodies of 3.1 `webhooks`
//! (by the webhook's name) and of the operations of `callbacks` (named
//! `operationId.callbackName`). Types bind to them as to components, and the run-time bundle
//! carries their schemas so that a payload can be validated before it is sent.

use serde_json::Value;

use crate::Spec;
use crate::error::SpecError;
use crate::model::Method;
use crate::source::{FileId, Loc};

/// Where a payload's schema is, and what names it.
#[derive(Debug, Clone)]
pub struct Payload {
    /// `orderNotification`, or `createSubscription.onEvent`.
    pub name: String,
    /// The JSON media type's `schema`.
    pub schema: Loc,
    /// The operation object that sends it (for messages).
    pub operation: Loc,
}

impl Spec {
    /// Every webhook and callback payload with a JSON body, by name.
    pub fn payloads(&self) -> Vec<Payload> {
        let mut out = Vec::new();
        let root = Loc::root(FileId(0));
        if let Some(Value::Object(hooks)) = self.doc.get(&root.child("webhooks")) {
            for name in hooks.keys() {
                if let Ok(Some((schema, operation))) =
                    self.json_body_of(&root.child("webhooks").child(name))
                {
                    out.push(Payload {
                        name: name.clone(),
                        schema,
                        operation,
                    });
                }
            }
        }
        for op in &self.operations {
            let Some(id) = &op.operation_id else { continue };
            let at = op.loc.child("callbacks");
            let Some(Value::Object(callbacks)) = self.doc.get(&at) else {
                continue;
            };
            for name in callbacks.keys() {
                let Ok((callback, Value::Object(expressions))) = self.doc.deref(&at.child(name))
                else {
                    continue;
                };
                // The first expression's operation with a JSON body: a callback is one request
                // the service makes, whatever URL its expression gives.
                let found = expressions.keys().find_map(|expression| {
                    self.json_body_of(&callback.child(expression))
                        .ok()
                        .flatten()
                });
                if let Some((schema, operation)) = found {
                    out.push(Payload {
                        name: format!("{id}.{name}"),
                        schema,
                        operation,
                    });
                }
            }
        }
        out
    }

    /// The payload named `name`, or an error that says what there is. A callback whose key is
    /// not a runtime expression is refused here, where a type binds to it (the operation that
    /// declares it is served whatever its callbacks say).
    pub fn payload(&self, name: &str) -> Result<Payload, SpecError> {
        let all = self.payloads();
        if let Some(found) = all.iter().find(|p| p.name == name) {
            if let Some(problem) = self.callback_key_problem(found) {
                return Err(problem);
            }
            self.doc.deref(&found.schema)?;
            return Ok(found.clone());
        }
        // A webhook of that name whose definition does not resolve: say why.
        let hook = Loc::root(FileId(0)).child("webhooks").child(name);
        if self.doc.get(&hook).is_some()
            && let Err(e) = self.json_body_of(&hook)
        {
            return Err(e);
        }
        let kind = if name.contains('.') {
            "callback"
        } else {
            "webhook or callback"
        };
        let mut message = format!(
            "no {kind} `{name}` with a JSON request body in `{}`",
            self.root_display()
        );
        let names: Vec<&str> = all.iter().map(|p| p.name.as_str()).collect();
        let callback = names
            .iter()
            .find(|n| n.rsplit_once('.').is_some_and(|(_, cb)| cb == name));
        if let Some(callback) = callback {
            message.push_str(&format!(
                "\nhelp: a callback is named `operationId.callbackName`: `{callback}`"
            ));
        } else if let Some(near) = crate::suggest::nearest(name, names.iter().copied()).first() {
            message.push_str(&format!("\nhelp: did you mean `{near}`?"));
        } else if names.is_empty() {
            message.push_str(&format!(
                "\nnote: it declares no webhooks or callbacks with JSON bodies{}",
                if kind == "callback" {
                    " (a callback is named `operationId.callbackName`)"
                } else {
                    ""
                }
            ));
        } else {
            message.push_str(&format!(
                "\nnote: the payloads are {}",
                names
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        Err(SpecError::new(message))
    }

    /// For a callback's payload: its key, when that is not a runtime expression.
    fn callback_key_problem(&self, payload: &Payload) -> Option<SpecError> {
        let (id, callback) = payload.name.split_once('.')?;
        let op = self
            .operations
            .iter()
            .find(|op| op.operation_id.as_deref() == Some(id))?;
        let (at, value) = self
            .doc
            .deref(&op.loc.child("callbacks").child(callback))
            .ok()?;
        let keys = value.as_object()?.keys();
        let bad = keys
            .filter(|k| !k.starts_with("x-"))
            .find(|k| !crate::model::is_callback_expression(k))?;
        Some(
            SpecError::new(format!(
                "the key `{bad}` of callback `{callback}` is not a runtime expression"
            ))
            .at(self.doc.place(&at.child(bad)))
            .note("help: write the callback's URL with expressions such as `{$request.body#/callbackUrl}` or `{$request.query.url}`"),
        )
    }

    /// The JSON body schema of the first operation of the path item at `item` that has one.
    fn json_body_of(&self, item: &Loc) -> Result<Option<(Loc, Loc)>, SpecError> {
        let (item, value) = self.doc.deref(item)?;
        for method in Method::ALL {
            if value.get(method.key()).is_none() {
                continue;
            }
            let (op, op_value) = self.doc.deref(&item.child(method.key()))?;
            if op_value.get("requestBody").is_none() {
                continue;
            }
            let (body, body_value) = self.doc.deref(&op.child("requestBody"))?;
            let Some(Value::Object(content)) = body_value.get("content") else {
                continue;
            };
            let json = content
                .keys()
                .find(|m| crate::model::is_json_media(m) && content[*m].get("schema").is_some());
            if let Some(media) = json {
                let schema = body.child("content").child(media).child("schema");
                return Ok(Some((schema, op)));
            }
        }
        Ok(None)
    }
}
