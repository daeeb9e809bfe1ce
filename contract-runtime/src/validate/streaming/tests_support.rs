//! Specs and values the validators' tests share.

use serde_json::{Value, json};

use crate::validate::contract::{Contract, SpecBundle};
use crate::validate::generate::Rng;

/// The corpus specs (`../shared/specs`) the validators' tests generate values from.
pub(crate) const CORPUS_SPECS: [&str; 9] = [
    "real/stripe-spec3.yaml",
    "real/spotify-web-api.yml",
    "real/kubernetes-core-v1.json",
    "real/openai.yaml",
    "real/discord.json",
    "real/twilio-api-v2010.json",
    "real/xero-accounting.yaml",
    "real/swagger-petstore3.yaml",
    "real/redocly-museum.yaml",
];

/// The contract of a corpus spec, bundled as `routes!` bundles it.
pub(crate) fn load(dir: &std::path::Path, file: &str) -> std::sync::Arc<Contract> {
    let path = dir.join(file);
    let spec = contract_spec::Spec::load(&path, dir).unwrap_or_else(|e| panic!("{file}: {e}"));
    let text = contract_spec::bundle::bundle(&spec).to_string();
    Contract::new(SpecBundle::__from_static(Box::leak(text.into_boxed_str())))
}

/// A contract whose one site is `schema`, with `defs` as the bundle's `$defs`.
pub(crate) fn contract(schema: Value, defs: Value) -> std::sync::Arc<Contract> {
    let bundle = json!({
        "$defs": defs,
        "operations": [{
            "method": "GET",
            "path": "/x",
            "responses": {"200": {"content": {"application/json": {"schema": schema}}}}
        }]
    });
    let text: &'static str = Box::leak(bundle.to_string().into_boxed_str());
    Contract::new(SpecBundle::__from_static(text))
}

/// Replaces, removes or adds something at a random depth of `value`.
pub(crate) fn break_somewhere(value: &mut Value, rng: &mut Rng) {
    let replacements = [
        json!(null),
        json!(-1),
        json!(1.5),
        json!(""),
        json!("not-an-enum-value"),
        json!(true),
        json!([]),
        json!({}),
        json!(u64::MAX),
    ];
    let descend = rng.below(3) != 0;
    match value {
        Value::Object(map) if !map.is_empty() => {
            let key = map
                .keys()
                .nth(rng.below(map.len() as u64) as usize)
                .cloned();
            let Some(key) = key else { return };
            match rng.below(4) {
                _ if descend => break_somewhere(&mut map[&key], rng),
                0 => drop(map.remove(&key)),
                1 => drop(map.insert("zz_undeclared".into(), json!(1))),
                _ => map[&key] = replacements[rng.below(9) as usize].clone(),
            }
        }
        Value::Array(items) if !items.is_empty() && descend => {
            let i = rng.below(items.len() as u64) as usize;
            break_somewhere(&mut items[i], rng);
        }
        Value::Array(items) if rng.coin() => items.clear(),
        other => *other = replacements[rng.below(9) as usize].clone(),
    }
}
