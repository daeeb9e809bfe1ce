//! Resolving what a user wrote in `#[contract("…")]` to an operation, with suggestions.

use crate::Spec;
use crate::error::SpecError;
use crate::model::{Method, Operation};
use crate::suggest::nearest;

/// What `#[contract("…")]` names: an operationId, or a method and path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selector {
    /// By `operationId`.
    OperationId(String),
    /// By method and path template.
    Route {
        /// The method.
        method: Method,
        /// The path template, as the spec writes it.
        path: String,
    },
}

impl Selector {
    /// A selector is a method and path template only when its first word is an HTTP method and
    /// the rest starts with `/`; anything else is an operationId, which may contain spaces
    /// (`find pet by id` in the OAI's own examples).
    pub fn parse(text: &str) -> Result<Selector, String> {
        let text = text.trim();
        if text.is_empty() {
            return Err("empty operation: write an operationId (`\"listPets\"`) or a method and path (`\"GET /pets\"`)".into());
        }
        if let Some((first, rest)) = text.split_once(char::is_whitespace) {
            let path = rest.trim();
            // An extension method (3.2's `additionalOperations`) is written in capitals.
            let extension = || {
                first
                    .bytes()
                    .all(|b| b.is_ascii_uppercase())
                    .then(|| Method::parse_any(first))
                    .flatten()
            };
            if let Some(method) = Method::parse(first).or_else(extension)
                && path.starts_with('/')
            {
                return Ok(Selector::Route {
                    method,
                    path: path.to_string(),
                });
            }
        }
        Ok(Selector::OperationId(text.to_string()))
    }
}

/// What an unknown operationId may have meant as a route, for the not-found message.
fn route_hint(text: &str) -> Option<String> {
    if text.starts_with('/') {
        return Some(format!(
            "help: to bind by route, write the method too: `GET {text}` (or another method)"
        ));
    }
    let (first, rest) = text.split_once(char::is_whitespace)?;
    let rest = rest.trim();
    match Method::parse(first) {
        Some(method) if !rest.contains(char::is_whitespace) => Some(format!(
            "help: to bind by route, the path must start with `/`: `{method} /{rest}`"
        )),
        None if rest.starts_with('/') => Some(format!(
            "help: `{first}` is not an HTTP method: a route is `METHOD /path` with one of GET, PUT, POST, DELETE, OPTIONS, HEAD, PATCH, TRACE, QUERY, or a method of `additionalOperations` in capitals"
        )),
        _ => None,
    }
}

/// Shape of a template with parameter names erased: `/pets/{petId}` → `/pets/{}`.
fn shape(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut depth = 0;
    for ch in path.chars() {
        match ch {
            '{' => {
                depth += 1;
                out.push('{');
            }
            '}' => {
                depth -= 1;
                out.push('}');
            }
            _ if depth > 0 => {}
            _ => out.push(ch),
        }
    }
    out.trim_end_matches('/').to_string()
}

impl Spec {
    /// The operation `selector` names, or an error with the nearest ones.
    pub fn find(&self, selector: &Selector) -> Result<&Operation, SpecError> {
        match selector {
            Selector::OperationId(id) => {
                let found: Vec<&Operation> = self
                    .operations
                    .iter()
                    .filter(|op| op.operation_id.as_deref() == Some(id))
                    .collect();
                match found.as_slice() {
                    [op] => Ok(op),
                    [] => {
                        let ids = self.operations.iter().filter_map(|op| op.operation_id.as_deref());
                        let near = nearest(id, ids);
                        let mut err = SpecError::new(format!(
                            "no operation with operationId `{id}` in `{}`",
                            self.root_display()
                        ));
                        if let Some(hint) = route_hint(id) {
                            err = err.note(hint);
                        }
                        err = self.suggest(err, &near.iter().filter_map(|n| self.by_id(n)).collect::<Vec<_>>());
                        Err(err)
                    }
                    many => Err(SpecError::new(format!(
                        "operationId `{id}` is declared by {} operations in `{}`",
                        many.len(),
                        self.root_display()
                    ))
                    .note(format!(
                        "note: {}",
                        many.iter()
                            .map(|op| format!("{} {} at {}", op.method, op.path, self.doc.place(&op.loc).short()))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                    .note("help: operationIds must be unique: fix the spec, or bind by method and path (`\"GET /path\"`)")),
                }
            }
            Selector::Route { method, path } => {
                if let Some(op) = self
                    .operations
                    .iter()
                    .find(|op| op.method == *method && &op.path == path)
                {
                    return Ok(op);
                }
                let on_path: Vec<&Operation> = self
                    .operations
                    .iter()
                    .filter(|op| &op.path == path)
                    .collect();
                let mut err = SpecError::new(format!(
                    "no operation `{method} {path}` in `{}`",
                    self.root_display()
                ));
                if !on_path.is_empty() {
                    let methods: Vec<&str> = on_path.iter().map(|op| op.method.upper()).collect();
                    err = err.note(format!("note: `{path}` has {} only", methods.join(", ")));
                    return Err(self.suggest(err, &on_path));
                }
                // Same shape, other parameter names (`{id}` vs `{petId}`), or a trailing slash.
                let wanted = shape(path);
                let same_shape: Vec<&Operation> = self
                    .operations
                    .iter()
                    .filter(|op| shape(&op.path) == wanted)
                    .collect();
                let candidates: Vec<&Operation> = if same_shape.is_empty() {
                    let routes: Vec<String> = self
                        .operations
                        .iter()
                        .map(|op| format!("{} {}", op.method, op.path))
                        .collect();
                    let wanted_route = format!("{method} {path}");
                    let near = nearest(&wanted_route, routes.iter().map(String::as_str));
                    near.iter()
                        .filter_map(|r| routes.iter().position(|x| x == r))
                        .map(|i| &self.operations[i])
                        .collect()
                } else {
                    let mut v = same_shape;
                    v.sort_by_key(|op| op.method != *method);
                    v
                };
                if candidates
                    .iter()
                    .any(|op| op.path != *path && shape(&op.path) == wanted)
                {
                    err = err.note("note: path parameter names must be written as in the spec");
                }
                Err(self.suggest(err, &candidates))
            }
        }
    }

    fn by_id(&self, id: &str) -> Option<&Operation> {
        self.operations
            .iter()
            .find(|op| op.operation_id.as_deref() == Some(id))
    }

    fn suggest(&self, mut err: SpecError, near: &[&Operation]) -> SpecError {
        if let Some((first, rest)) = near.split_first() {
            let mut help = format!(
                "help: did you mean `{}` ({} {})",
                first.selector(),
                first.method,
                first.path
            );
            for op in rest.iter().take(2) {
                help.push_str(&format!(", or `{}`", op.selector()));
            }
            help.push('?');
            err = err.note(help);
        } else if self.operations.len() <= 12 && !self.operations.is_empty() {
            let all: Vec<String> = self
                .operations
                .iter()
                .map(|op| format!("`{}`", op.selector()))
                .collect();
            err = err.note(format!("note: the operations are {}", all.join(", ")));
        } else if self.operations.is_empty() {
            err = err.note("note: the document has no operations under `paths`");
        }
        err
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_both_forms() {
        assert_eq!(
            Selector::parse("listPets"),
            Ok(Selector::OperationId("listPets".into()))
        );
        assert_eq!(
            Selector::parse("get  /pets/{id}"),
            Ok(Selector::Route {
                method: Method::Get,
                path: "/pets/{id}".into()
            })
        );
        // Anything but `METHOD /path` is an operationId, spaces included.
        for id in ["find pet by id", "fetch /pets", "/pets", "GET pets"] {
            assert_eq!(Selector::parse(id), Ok(Selector::OperationId(id.into())));
        }
        // A method in capitals may be one of 3.2's `additionalOperations`.
        assert_eq!(
            Selector::parse("PURGE /pets"),
            Ok(Selector::Route {
                method: Method::Other("PURGE"),
                path: "/pets".into()
            })
        );
        assert!(Selector::parse("").is_err());
        assert!(route_hint("find pet by id").is_none());
        assert!(route_hint("GET pets").unwrap().contains("`GET /pets`"));
        assert!(route_hint("/pets").unwrap().contains("`GET /pets`"));
        assert!(
            route_hint("fetch /pets")
                .unwrap()
                .contains("not an HTTP method")
        );
    }

    #[test]
    fn shapes() {
        assert_eq!(shape("/pets/{petId}/"), "/pets/{}");
    }
}
