//! The validator against `jsonschema` on the schemas of real specs (`../shared/specs`): values
//! generated to fit each site, and the same values broken at a random place. It must accept
//! whatever `jsonschema` accepts (a request is never refused by a rule it gets wrong), and
//! refuse nearly all that `jsonschema` refuses.
use serde_json::{Map, Value};

use super::generate::{Rng, valid};
use crate::validate::defs::reached_defs;
use crate::validate::streaming::tests_support::{CORPUS_SPECS, load};
use contract_schema::Validator;

fn reference(schema: &Value, defs: &Map<String, Value>) -> Option<jsonschema::Validator> {
    let mut root = schema.as_object()?.clone();
    let reached: Map<String, Value> = reached_defs(schema, defs)
        .into_iter()
        .filter_map(|k| defs.get(k).map(|d| (k.to_string(), d.clone())))
        .collect();
    root.insert("$defs".into(), Value::Object(reached));
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .with_pattern_options(jsonschema::PatternOptions::regex())
        .should_validate_formats(true)
        .build(&Value::Object(root))
        .ok()
}

#[test]
fn agrees_with_jsonschema_on_the_corpus() {
    let Some(dir) = contract_spec::corpus_dir() else {
        return;
    };
    let mut rng = Rng::new(29);
    for file in CORPUS_SPECS {
        let contract = load(&dir, file);
        let defs = contract.defs();
        let (mut values, mut refused, mut both_refused) = (0, 0, 0);
        let step = (contract.sites.len() / 60).max(1);
        for site in (0..contract.sites.len()).step_by(step) {
            let schema = contract.sites[site].schema.clone();
            let Some(theirs) = reference(&schema, defs) else {
                continue;
            };
            let ours = Validator::new(&schema, defs);
            for k in 0..8 {
                let mut value = valid(&contract, &schema, &mut rng, 0);
                if k % 2 == 1 {
                    crate::validate::streaming::tests_support::break_somewhere(
                        &mut value, &mut rng,
                    );
                }
                let (mine, full) = (ours.is_valid(&value), theirs.is_valid(&value));
                // OpenAPI's integer formats are checked here; `jsonschema` ignores them.
                let integer_format = |v: &crate::Violation| {
                    v.rule == "format"
                        && (v.message.ends_with("\"int32\"") || v.message.ends_with("\"int64\""))
                };
                assert!(
                    mine || !full || ours.errors(&value, 10).iter().all(integer_format),
                    "{file}: {}: refused what jsonschema accepts: {value}\n{:?}",
                    contract.site_location(site),
                    ours.errors(&value, 3)
                );
                values += 1;
                refused += usize::from(!full);
                both_refused += usize::from(!full && !mine);
            }
        }
        eprintln!(
            "{file}: {values} values, jsonschema refused {refused}, this validator {both_refused} of them"
        );
        assert!(
            both_refused * 10 >= refused * 9,
            "{file}: refused only {both_refused} of the {refused} values jsonschema refuses"
        );
    }
}
