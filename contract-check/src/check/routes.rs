//! What `routes!` needs of its spec, all of it kept by a slice: the operations, their handler
//! sketches for the coverage message, and the lint problems.

use crate::rust;

/// What `routes!` needs of its spec, all of it a slice keeps (see `contract_spec::load_slice`).
pub(crate) struct Facts {
    /// How many operations the spec has.
    pub(crate) operations: usize,
    pub(crate) display: String,
    /// One line per operation for the coverage message (none for `partial`).
    pub(crate) coverage: Vec<String>,
    /// The spec's lint problems, rendered.
    pub(crate) lints: Vec<String>,
}

impl Facts {
    pub(crate) fn of(spec: &contract_spec::Spec, partial: bool) -> Facts {
        let coverage = if partial {
            Vec::new()
        } else {
            spec.operations
                .iter()
                .map(|op| {
                    format!(
                        "\n  - {} {} ({}), {}\n    {}",
                        op.method,
                        op.path,
                        op.operation_id
                            .as_deref()
                            .map_or("no operationId".into(), |id| format!("`{id}`")),
                        spec.doc.place(&op.loc),
                        rust::handler_sketch(spec, op)
                    )
                })
                .collect()
        };
        Facts {
            operations: spec.operations.len(),
            display: spec.root_display().to_string(),
            coverage,
            lints: crate::lint::messages(spec),
        }
    }

    pub(crate) fn to_value(&self) -> serde_json::Value {
        serde_json::json!({
            "operations": self.operations,
            "display": self.display,
            "coverage": self.coverage,
            "lints": self.lints,
        })
    }

    pub(crate) fn from_value(value: &serde_json::Value) -> Option<Facts> {
        let strings = |key: &str| {
            value
                .get(key)?
                .as_array()?
                .iter()
                .map(|line| line.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()
        };
        Some(Facts {
            operations: usize::try_from(value.get("operations")?.as_u64()?).ok()?,
            display: value.get("display")?.as_str()?.to_string(),
            coverage: strings("coverage")?,
            lints: strings("lints")?,
        })
    }
}
