//! Every document of the real-world corpus (`../shared/specs`, not part of this repository)
//! loads without a panic, and every operation resolves by operationId and by method + path.

use std::path::{Path, PathBuf};

use contract_spec::{Selector, Spec};

fn documents(corpus: &Path) -> Vec<PathBuf> {
    let mut docs = Vec::new();
    let mut push_dir = |dir: PathBuf| {
        if let Ok(entries) = std::fs::read_dir(&dir) {
            let mut files: Vec<PathBuf> =
                entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
            files.sort();
            docs.extend(files.into_iter().filter(|p| {
                matches!(
                    p.extension().and_then(|e| e.to_str()),
                    Some("yaml" | "yml" | "json")
                )
            }));
        }
    };
    push_dir(corpus.join("real"));
    push_dir(corpus.join("oai-examples/v3.0"));
    push_dir(corpus.join("oai-examples/v3.1"));
    push_dir(corpus.join("oai-examples/v3.1-dev-schema-tests/pass"));
    push_dir(corpus.join("oai-examples/v3.1-dev-schema-tests/fail"));
    push_dir(corpus.join("oai-examples/v3.2"));
    // Multi-file specs: only their root documents (the other files are fragments).
    for root in [
        "real-multi/influxdata-invocable-scripts/svc-invocable-scripts.yml",
        "real-multi/redocly-cafe/openapi.yaml",
        "real-multi/digitalocean/DigitalOcean-public.v2.yaml",
    ] {
        docs.push(corpus.join(root));
    }
    docs
}

#[test]
fn corpus_loads_and_every_operation_resolves() {
    let Some(corpus) = contract_spec::corpus_dir() else {
        return;
    };
    let (mut loaded, mut refused, mut ops_total, mut by_id, mut by_route) = (0, 0, 0, 0, 0);
    let mut with_problems = 0;
    for doc in documents(&corpus) {
        let name = doc
            .strip_prefix(&corpus)
            .unwrap_or(&doc)
            .display()
            .to_string();
        let result = std::panic::catch_unwind(|| Spec::load(&doc, &corpus));
        let spec = match result {
            Err(_) => panic!("{name}: loading panicked"),
            Ok(Err(e)) => {
                refused += 1;
                // A refusal must say what and where; only the `fail` fixtures may be refused.
                assert!(name.contains("/fail/"), "{name} was refused: {e}");
                assert!(!e.message.is_empty());
                eprintln!("refused {name}: {}", e.message);
                continue;
            }
            Ok(Ok(spec)) => spec,
        };
        loaded += 1;
        let problems = spec.problems();
        if !problems.is_empty() {
            with_problems += 1;
            eprintln!(
                "{name}: {} problem(s), first: {}",
                problems.len(),
                problems[0].message
            );
        }
        for op in &spec.operations {
            ops_total += 1;
            let route = Selector::Route {
                method: op.method,
                path: op.path.clone(),
            };
            let found = spec
                .find(&route)
                .unwrap_or_else(|e| panic!("{name}: {} {}: {e}", op.method, op.path));
            assert_eq!(found.index, op.index);
            by_route += 1;
            if let Some(id) = &op.operation_id {
                let unique = spec
                    .operations
                    .iter()
                    .filter(|o| o.operation_id.as_ref() == Some(id))
                    .count()
                    == 1;
                let found = spec.find(&Selector::OperationId(id.clone()));
                if unique {
                    assert_eq!(found.map(|o| o.index).ok(), Some(op.index), "{name}: {id}");
                    by_id += 1;
                } else {
                    assert!(found.is_err(), "{name}: duplicate id {id} must be refused");
                }
            }
        }
        // Every problem renders with a location, and every operation can be located.
        for p in problems {
            assert!(p.place.is_some(), "{name}: problem without a place: {p}");
        }
        for op in &spec.operations {
            let place = spec.doc.place(&op.loc);
            assert!(
                place.line_col.is_some_and(|(l, c)| l > 0 && c > 0),
                "{name}: {place}"
            );
        }
        // The run-time bundle is built for every document, without a panic.
        let bundle = contract_spec::bundle::bundle(&spec);
        assert_eq!(
            bundle["operations"].as_array().map(Vec::len),
            Some(spec.operations.len()),
            "{name}"
        );
    }
    eprintln!(
        "corpus: {loaded} documents loaded, {refused} refused (all `fail` fixtures), {with_problems} with reported problems; \
         {ops_total} operations, {by_route} resolved by method + path, {by_id} by operationId"
    );
    assert!(loaded >= 60, "only {loaded} documents loaded");
}

/// A later rustc process loads from the on-disk cache: the result must be the document a
/// fresh parse gives, file for file and value for value (floats included), with the same
/// operations and problems, and without parsing anything.
#[test]
fn every_document_loads_the_same_through_the_on_disk_cache() {
    let Some(corpus) = contract_spec::corpus_dir() else {
        return;
    };
    let cache = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("corpus-disk-cache");
    let _ = std::fs::remove_dir_all(&cache);
    let mut compared = 0;
    for doc in documents(&corpus) {
        let Ok(fresh) = Spec::load(&doc, &corpus) else {
            continue;
        };
        let root = &fresh.doc.files[0].path;
        let base = &fresh.doc.base_dir;
        let complete = fresh.doc.unresolved.is_empty();
        contract_spec::disk::write_values(&cache, root, base, fresh.doc.cacheable(), complete);
        let preparsed = contract_spec::disk::read_values(&cache, root, base);
        let cached = Spec::load_with(&doc, &corpus, preparsed)
            .unwrap_or_else(|e| panic!("{}: {e}", doc.display()));
        assert_eq!(cached.doc.parsed_files, 0, "{}", doc.display());
        assert_eq!(cached.doc.files.len(), fresh.doc.files.len());
        for (a, b) in cached.doc.files.iter().zip(fresh.doc.files.iter()) {
            assert_eq!(a.path, b.path);
            assert_eq!(a.display, b.display);
            assert!(a.value == b.value, "{}: values differ", a.path.display());
        }
        assert_eq!(cached.doc.digest(), fresh.doc.digest());
        assert_eq!(
            format!("{:?}", cached.operations),
            format!("{:?}", fresh.operations)
        );
        let problems = |s: &Spec| {
            s.problems()
                .iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(problems(&cached), problems(&fresh), "{}", doc.display());
        assert_eq!(
            contract_spec::bundle::bundle(&cached),
            contract_spec::bundle::bundle(&fresh)
        );
        compared += 1;
    }
    assert!(compared >= 60, "only {compared} documents compared");
}

/// The schemas of split specs bind by name: each file's schema gets the name `redocly bundle`
/// gives it, and every name stands for one schema.
#[test]
fn split_specs_name_their_file_schemas() {
    let Some(corpus) = contract_spec::corpus_dir() else {
        return;
    };
    for (root, at_least) in [
        ("real-multi/redocly-cafe/openapi.yaml", 15),
        ("real-multi/digitalocean/DigitalOcean-public.v2.yaml", 500),
    ] {
        let spec = Spec::load(&corpus.join(root), &corpus).expect(root);
        let components = spec.components();
        let names: Vec<&str> = components.file_names().collect();
        let mut ambiguous = Vec::new();
        for name in &names {
            match spec.component(name) {
                contract_spec::Lookup::Found(loc) => {
                    assert_eq!(
                        spec.component_name(&loc).as_deref(),
                        Some(*name),
                        "{root}: {name}"
                    );
                }
                contract_spec::Lookup::Ambiguous(locs) => ambiguous.push((name, locs.len())),
                contract_spec::Lookup::Missing => panic!("{root}: {name} is listed but not found"),
            }
        }
        eprintln!(
            "{root}: {} schemas named by their files, {} names taken by several schemas: {:?}",
            names.len(),
            ambiguous.len(),
            ambiguous.iter().take(10).collect::<Vec<_>>()
        );
        assert!(names.len() >= at_least, "{root}: {} names", names.len());
    }
}

#[test]
fn openapi_32_examples_load_with_their_query_operation() {
    let Some(corpus) = contract_spec::corpus_dir() else {
        return;
    };
    let dir = corpus.join("oai-examples/v3.2");
    let query = Spec::load(&dir.join("3.2-query-example.yaml"), &corpus).unwrap();
    let op = query
        .find(&Selector::OperationId("searchFlights".into()))
        .unwrap();
    assert_eq!(
        (op.method.upper(), op.path.as_str()),
        ("QUERY", "/flights/search")
    );
    assert!(op.request_body.is_some());
    // Tags with `parent` and `kind`, and operations without `responses`.
    let tags = Spec::load(&dir.join("3.2-tags-example.yaml"), &corpus).unwrap();
    assert_eq!(tags.operations.len(), 4);
    assert!(tags.operations.iter().all(|op| op.responses.is_none()));
    assert!(tags.problems().is_empty());
}

/// The repository's own 3.2 documents: `additionalOperations`, `$self`, tag `parent`/`kind`,
/// the new security scheme fields, and `itemSchema` streams.
#[test]
fn own_openapi_32_documents_load_and_bundle() {
    let specs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/specs");
    let v32 = Spec::load(&specs.join("v32.yaml"), &specs).unwrap();
    assert!(v32.problems().is_empty());
    let methods: Vec<&str> = v32.operations.iter().map(|op| op.method.upper()).collect();
    assert_eq!(methods, ["GET", "QUERY", "PURGE", "GET"]);
    assert!(contract_spec::lint::lint(&v32).is_empty());
    let streams = Spec::load(&specs.join("streams.yaml"), &specs).unwrap();
    let bundle = contract_spec::bundle::bundle(&streams);
    let prices = &bundle["operations"][0]["responses"]["200"]["content"]["text/event-stream"];
    assert_eq!(
        prices["itemSchema"]["required"],
        serde_json::json!(["data"])
    );
}

/// The lint over the corpus: no panic, every problem placed. Prints what it finds per document.
#[test]
fn the_lint_reads_every_document() {
    let Some(corpus) = contract_spec::corpus_dir() else {
        return;
    };
    let mut total = 0;
    for doc in documents(&corpus) {
        let name = doc
            .strip_prefix(&corpus)
            .unwrap_or(&doc)
            .display()
            .to_string();
        let Ok(spec) = Spec::load(&doc, &corpus) else {
            continue;
        };
        let problems = contract_spec::lint::lint(&spec);
        for p in &problems {
            assert!(p.place.is_some(), "{name}: {p}");
        }
        if !problems.is_empty() {
            let mut rules: Vec<&str> = problems
                .iter()
                .filter_map(|p| p.message.strip_prefix("spec lint `"))
                .filter_map(|m| m.split('`').next())
                .collect();
            rules.sort();
            rules.dedup();
            eprintln!(
                "{name}: {} ({}); first: {}",
                problems.len(),
                rules.join(", "),
                problems[0]
            );
        }
        total += problems.len();
    }
    eprintln!("lint: {total} problems over the corpus");
}
