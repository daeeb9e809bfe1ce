//! Mutated specs: every way a spec can be malformed must end in an error with a location, never a
//! panic, a hang or unbounded memory. A deterministic mutator takes real documents of the corpus
//! (`../shared/specs`) and deletes, duplicates, retypes and swaps nodes, points `$ref`s nowhere, at
//! themselves and in cycles (also across files), nests deeply, grows enums and property lists,
//! truncates files, breaks their UTF-8, adds byte-order marks and YAML anchors and aliases (alias
//! bombs included). Each mutant goes through what the macros do with a spec: load, resolve every
//! operation by id and by route, expand every operation's parameters, bodies and responses and
//! every component, write the handler sketches, and build the run-time bundle.
//!
//! `cargo test` runs a fixed sample (`MUTANTS`, 1,000 by default); `bench/mutants.sh` runs 20,000
//! in a release build.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use contract_spec::{Lookup, Selector, Spec};
use serde_json::{Map, Value, json};

use crate::expect::Expecter;
use crate::rust;

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// Every JSON pointer of `value` (containers and leaves), up to `limit`.
fn pointers(value: &Value, at: String, out: &mut Vec<String>, limit: usize) {
    if out.len() >= limit {
        return;
    }
    out.push(at.clone());
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                pointers(
                    v,
                    format!("{at}/{}", contract_spec::pointer::encode(k)),
                    out,
                    limit,
                );
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                pointers(v, format!("{at}/{i}"), out, limit);
            }
        }
        _ => {}
    }
}

/// The parent container of `pointer` and the last segment.
fn split(pointer: &str) -> Option<(&str, String)> {
    let (parent, last) = pointer.rsplit_once('/')?;
    Some((parent, contract_spec::pointer::decode(last)))
}

fn remove(root: &mut Value, pointer: &str) -> Option<Value> {
    let (parent, last) = split(pointer)?;
    match root.pointer_mut(parent)? {
        Value::Object(map) => map.remove(&last),
        Value::Array(items) => {
            let i: usize = last.parse().ok()?;
            (i < items.len()).then(|| items.remove(i))
        }
        _ => None,
    }
}

fn set(root: &mut Value, pointer: &str, value: Value) {
    if pointer.is_empty() {
        *root = value;
    } else if let Some(slot) = root.pointer_mut(pointer) {
        *slot = value;
    }
}

/// A value of another type than `old`.
fn retyped(old: &Value, rng: &mut Rng) -> Value {
    let choices = [
        Value::Null,
        json!(true),
        json!(-9_223_372_036_854_775_808_i64),
        json!(1e308),
        json!("not what was here"),
        json!([]),
        json!({}),
        json!([{"$ref": "#/"}]),
        json!({"type": ["string", "null", 7]}),
    ];
    let mut pick = choices[rng.below(choices.len())].clone();
    if &pick == old {
        pick = json!("swapped");
    }
    pick
}

/// `$ref` values that point nowhere, at themselves, into cycles or at odd places.
fn bad_ref(self_pointer: &str, other_file: Option<&str>, rng: &mut Rng) -> String {
    let choices = [
        "#/components/schemas/NoSuchThing".to_string(),
        format!("#{self_pointer}"),
        "#".to_string(),
        "#/".to_string(),
        "#/paths".to_string(),
        "no-such-file.yaml".to_string(),
        "no-such-file.yaml#/x".to_string(),
        "https://example.invalid/remote.yaml".to_string(),
        "#no-pointer".to_string(),
        "#/components/schemas/%ZZ".to_string(),
        "../../../../../../../../etc/passwd".to_string(),
        "./".to_string(),
        String::new(),
        other_file.map_or_else(|| "#/info".to_string(), |f| format!("{f}#/x/y/z")),
        other_file.map_or_else(|| "#/openapi".to_string(), str::to_string),
    ];
    choices[rng.below(choices.len())].clone()
}

/// One structural mutation of `doc` (whose own pointers are `ptrs`).
fn mutate_value(doc: &mut Value, rng: &mut Rng, other_file: Option<&str>) {
    let mut ptrs = Vec::new();
    pointers(doc, String::new(), &mut ptrs, 200_000);
    let pick = |rng: &mut Rng| ptrs[rng.below(ptrs.len())].clone();
    match rng.below(11) {
        0 => {
            remove(doc, &pick(rng));
        }
        1 => {
            // Duplicate a node under a sibling key (or at the end of its array).
            let p = pick(rng);
            if let (Some(v), Some((parent, last))) = (doc.pointer(&p).cloned(), split(&p)) {
                match doc.pointer_mut(parent) {
                    Some(Value::Object(map)) => {
                        map.insert(format!("{last}Copy"), v);
                    }
                    Some(Value::Array(items)) => items.push(v),
                    _ => {}
                }
            }
        }
        2 => {
            let p = pick(rng);
            let old = doc.pointer(&p).cloned().unwrap_or(Value::Null);
            set(doc, &p, retyped(&old, rng));
        }
        3 => {
            // Swap two nodes.
            let (a, b) = (pick(rng), pick(rng));
            if a.starts_with(&b) || b.starts_with(&a) {
                return;
            }
            if let (Some(va), Some(vb)) = (doc.pointer(&a).cloned(), doc.pointer(&b).cloned()) {
                set(doc, &a, vb);
                set(doc, &b, va);
            }
        }
        4 | 5 => {
            // A `$ref` that dangles, points at itself, or at somewhere odd.
            let p = pick(rng);
            let target = bad_ref(&p, other_file, rng);
            set(doc, &p, json!({ "$ref": target }));
        }
        6 => {
            // A cycle: a node refers to one of its ancestors, or two nodes to each other.
            let p = pick(rng);
            let (a, b) = (pick(rng), pick(rng));
            if let Some((parent, _)) = split(&p) {
                set(doc, &p, json!({ "$ref": format!("#{parent}") }));
            }
            set(doc, &a, json!({ "$ref": format!("#{b}") }));
            set(doc, &b, json!({ "$ref": format!("#{a}") }));
        }
        7 => {
            // Deep nesting of schemas, objects and arrays.
            let depth = 1 + rng.below(600);
            let mut v = json!({"type": "string"});
            for i in 0..depth {
                v = match i % 4 {
                    0 => json!({"type": "array", "items": v}),
                    1 => json!({"type": "object", "properties": {"x": v}}),
                    2 => json!({"allOf": [v]}),
                    _ => json!([v]),
                };
            }
            set(doc, &pick(rng), v);
        }
        8 => {
            // A huge enum or property list.
            let n = 1 + rng.below(5_000);
            let v = if rng.below(2) == 0 {
                json!({"type": "string", "enum": (0..n).map(|i| format!("v{i}")).collect::<Vec<_>>()})
            } else {
                let props: Map<String, Value> = (0..n)
                    .map(|i| (format!("p{i}"), json!({"$ref": format!("#/p{i}")})))
                    .collect();
                json!({"type": "object", "properties": props, "required": ["p0", "missing"]})
            };
            set(doc, &pick(rng), v);
        }
        9 => {
            // Operation-level oddities: a method, parameter or response of the wrong shape.
            let odd = [
                json!({"operationId": 7, "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/"}}}}}}),
                json!({"parameters": [{"name": "x", "in": "path"}], "responses": []}),
                json!({"parameters": {"$ref": "#/paths"}}),
                json!({"requestBody": {"content": {"*/*": {}}}, "responses": {"default": true}}),
                json!({"operationId": "", "responses": {"XXX": {}, "2XX": null}}),
            ];
            let v = odd[rng.below(odd.len())].clone();
            let path = format!("/mutant/{{id}}/{}", rng.below(100));
            if let Some(Value::Object(paths)) = doc.get_mut("paths") {
                paths.insert(path, json!({ "get": v.clone(), "post": v }));
            } else {
                set(doc, &pick(rng), v);
            }
        }
        _ => {
            // Retype the document's own frame: `openapi`, `paths`, `components`.
            let key = ["openapi", "paths", "components", "webhooks", "info"][rng.below(5)];
            let old = doc.get(key).cloned().unwrap_or(Value::Null);
            if let Value::Object(map) = doc {
                map.insert(key.to_string(), retyped(&old, rng));
            }
        }
    }
}

/// One textual mutation of a file's bytes.
fn mutate_text(text: &str, is_json: bool, rng: &mut Rng) -> Vec<u8> {
    let bytes = text.as_bytes();
    match rng.below(6) {
        0 => bytes[..rng.below(bytes.len() + 1)].to_vec(),
        1 => {
            let mut out = bytes.to_vec();
            for _ in 0..1 + rng.below(4) {
                let at = rng.below(out.len() + 1);
                out.insert(at, [0xff, 0xc3, 0x80, 0xed][rng.below(4)]);
            }
            out
        }
        2 => [&[0xef, 0xbb, 0xbf][..], bytes].concat(),
        3 if !is_json => {
            // An alias bomb: each level refers to the previous one nine times.
            let mut bomb =
                String::from("x-bomb0: &b0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
            for i in 1..1 + rng.below(12) {
                let refs = vec![format!("*b{}", i - 1); 9].join(", ");
                bomb.push_str(&format!("x-bomb{i}: &b{i} [{refs}]\n"));
            }
            format!("{text}\n{bomb}").into_bytes()
        }
        4 if !is_json => {
            // Anchors and aliases used as the spec uses nodes: a schema aliased, a merge key,
            // an alias to an undefined anchor.
            let extra = [
                "x-a: &shared {type: object, properties: {id: {type: string}}}\nx-b: *shared\n",
                "x-m: &base {a: 1}\nx-n: {<<: *base, b: 2}\n",
                "x-undefined: *nowhere\n",
                "x-self: &loop [*loop]\n",
            ];
            format!("{text}\n{}", extra[rng.below(extra.len())]).into_bytes()
        }
        _ => {
            // Cut a line out of the middle.
            let lines: Vec<&str> = text.lines().collect();
            let cut = rng.below(lines.len().max(1));
            let kept: Vec<&str> = lines
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != cut)
                .map(|(_, l)| *l)
                .collect();
            kept.join("\n").into_bytes()
        }
    }
}

/// What the macros do with a spec, through the library: whether the spec was refused, or
/// `Err` for a refusal without a place.
fn exercise(root: &Path, base: &Path) -> Result<bool, String> {
    let spec = match Spec::load(root, base) {
        Ok(spec) => spec,
        Err(e) if e.place.is_some() || e.message.contains('`') => return Ok(true),
        Err(e) => return Err(format!("a refusal without a location: {e}")),
    };
    let expecter = Expecter::new(&spec, None);
    for op in &spec.operations {
        if let Some(id) = &op.operation_id {
            let _ = spec.find(&Selector::OperationId(id.clone()));
        }
        let _ = spec.find(&Selector::Route {
            method: op.method,
            path: op.path.clone(),
        });
        for p in &op.parameters {
            if let Some(schema) = &p.schema {
                expecter.expect(schema);
                rust::rust_type(&spec, schema);
            }
        }
        for at in op.request_body.iter().chain(&op.responses) {
            if let Some(Value::Object(map)) = spec.doc.get(at) {
                for key in map.keys() {
                    let content = at.child(key).child("content");
                    let direct = at.child("content");
                    for base in [content, direct] {
                        if let Some(Value::Object(media)) = spec.doc.get(&base) {
                            for m in media.keys() {
                                let schema = base.child(m).child("schema");
                                expecter.expect(&schema);
                                rust::describe_schema(&spec, &schema);
                            }
                        }
                    }
                }
            }
        }
        rust::handler_sketch(&spec, op);
        for problem in &op.problems {
            let _ = problem.to_string();
        }
    }
    for name in spec.component_names() {
        if let Lookup::Found(loc) = spec.component(&name) {
            expecter.object_model(&loc);
            expecter.expect_component_body(&name, &loc);
            spec.canonical_component(&name, &loc);
        }
    }
    for problem in spec.problems() {
        let _ = problem.to_string();
    }
    let _ = contract_spec::bundle::bundle(&spec);
    Ok(false)
}

/// The resident memory of this process, in KiB (Linux), for the bound on memory.
fn resident_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Copies `from` (a file, or a folder's `.yaml`/`.yml`/`.json` files) into `to`.
fn copy_spec(from: &Path, to: &Path) {
    let _ = std::fs::remove_dir_all(to);
    std::fs::create_dir_all(to).unwrap();
    if from.is_file() {
        std::fs::copy(from, to.join(from.file_name().unwrap())).unwrap();
        return;
    }
    let mut stack = vec![from.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            let rel = path.strip_prefix(from).unwrap();
            if path.is_dir() {
                std::fs::create_dir_all(to.join(rel)).unwrap();
                stack.push(path);
            } else if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml" | "json")
            ) {
                std::fs::copy(&path, to.join(rel)).unwrap();
            }
        }
    }
}

fn spec_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The outcome of a run: mutants, refusals, and the slowest mutant.
pub struct Outcome {
    pub mutants: usize,
    pub refused: usize,
    pub slowest: Duration,
    pub peak_kib: u64,
}

/// Runs `count` mutants over the corpus's smaller documents; panics on the first panic, hang,
/// unlocated refusal or memory beyond the bound, naming the mutant.
pub fn run(corpus: &Path, count: usize, seed: u64) -> Outcome {
    const TIME_BOUND: Duration = Duration::from_secs(20);
    const MEMORY_BOUND_KIB: u64 = 4 * 1024 * 1024;
    // Documents small enough to load many times a second in a debug build, in both formats,
    // 3.0 and 3.1, single files and a split spec.
    let sources: Vec<(PathBuf, &str)> = [
        ("real/swagger-petstore3.yaml", "swagger-petstore3.yaml"),
        ("real/redocly-museum.yaml", "redocly-museum.yaml"),
        ("real/pagerduty-events-v2.json", "pagerduty-events-v2.json"),
        (
            "oai-examples/v3.0/petstore-expanded.yaml",
            "petstore-expanded.yaml",
        ),
        (
            "oai-examples/v3.0/callback-example.yaml",
            "callback-example.yaml",
        ),
        (
            "oai-examples/v3.1/webhook-example.yaml",
            "webhook-example.yaml",
        ),
        ("real-multi/redocly-cafe", "openapi.yaml"),
    ]
    .into_iter()
    .map(|(p, root)| (corpus.join(p), root))
    .filter(|(p, _)| p.exists())
    .collect();
    assert!(
        !sources.is_empty(),
        "no source document in {}",
        corpus.display()
    );
    let work = std::env::temp_dir().join(format!("contract-mutants-{}", std::process::id()));
    let mut rng = Rng(seed | 1);
    let mut outcome = Outcome {
        mutants: 0,
        refused: 0,
        slowest: Duration::ZERO,
        peak_kib: 0,
    };
    for n in 0..count {
        let (source, root_name) = &sources[n % sources.len()];
        let dir = work.join("m");
        copy_spec(source, &dir);
        let files = spec_files(&dir);
        let target = if files.len() > 1 && rng.below(2) == 0 {
            files[rng.below(files.len())].clone()
        } else {
            dir.join(root_name)
        };
        let other = files
            .iter()
            .find(|f| **f != target)
            .and_then(|f| f.strip_prefix(&dir).ok())
            .map(|f| f.display().to_string());
        let text = std::fs::read_to_string(&target).unwrap_or_default();
        let is_json = target.extension().is_some_and(|e| e == "json");
        let bytes = if rng.below(3) == 0 {
            mutate_text(&text, is_json, &mut rng)
        } else {
            let parsed = if is_json {
                serde_json::from_str::<Value>(&text).ok()
            } else {
                contract_spec::yaml::from_str(&text).ok()
            };
            let Some(mut doc) = parsed else { continue };
            for _ in 0..1 + rng.below(3) {
                // Refer to another file from where it sits, as split specs do.
                let other = other.as_deref().map(|o| {
                    let depth = target
                        .strip_prefix(&dir)
                        .map_or(0, |p| p.components().count() - 1);
                    format!("{}{o}", "../".repeat(depth))
                });
                mutate_value(&mut doc, &mut rng, other.as_deref());
            }
            if is_json || rng.below(2) == 0 {
                serde_json::to_vec(&doc).unwrap()
            } else {
                yaml_serde::to_string(&doc).unwrap_or_default().into_bytes()
            }
        };
        std::fs::write(&target, &bytes).unwrap();
        let label = format!(
            "mutant {n} (seed {seed}) of {}: {}",
            source.display(),
            target.display()
        );
        // A stack overflow aborts the process before any report: `MUTANT_TRACE` names each
        // mutant first.
        if std::env::var_os("MUTANT_TRACE").is_some() {
            eprintln!("{label}");
        }
        let (tx, rx) = mpsc::channel();
        let root = dir.join(root_name);
        let base = dir.clone();
        let started = Instant::now();
        std::thread::spawn(move || {
            let result = std::panic::catch_unwind(|| exercise(&root, &base));
            let _ = tx.send(result);
        });
        match rx.recv_timeout(TIME_BOUND) {
            Ok(Ok(Ok(refused))) => outcome.refused += usize::from(refused),
            Ok(Ok(Err(unlocated))) => panic!("{label}: {unlocated}"),
            Ok(Err(_)) => panic!("{label}: panicked (kept at {})", keep(&dir, n)),
            Err(_) => panic!(
                "{label}: still running after {TIME_BOUND:?} (kept at {})",
                keep(&dir, n)
            ),
        }
        let took = started.elapsed();
        outcome.slowest = outcome.slowest.max(took);
        outcome.mutants += 1;
        if let Some(kib) = resident_kib() {
            outcome.peak_kib = outcome.peak_kib.max(kib);
            assert!(kib < MEMORY_BOUND_KIB, "{label}: {kib} KiB resident");
        }
    }
    let _ = std::fs::remove_dir_all(&work);
    outcome
}

/// Keeps a failing mutant for a regression case.
fn keep(dir: &Path, n: usize) -> String {
    let kept = std::env::temp_dir().join(format!("contract-mutant-{n}"));
    copy_spec(dir, &kept);
    kept.display().to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn mutated_specs_are_refused_with_a_location_never_a_panic_or_a_hang() {
        let Some(corpus) = contract_spec::corpus_dir() else {
            return;
        };
        let count = std::env::var("MUTANTS")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(1_000);
        let seed = std::env::var("MUTANT_SEED")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(2026);
        let outcome = super::run(&corpus, count, seed);
        eprintln!(
            "{} mutants, {} refused, 0 panics, 0 hangs; slowest {:?}; peak resident memory {} MiB",
            outcome.mutants,
            outcome.refused,
            outcome.slowest,
            outcome.peak_kib / 1024
        );
        assert!(
            outcome.mutants >= count * 9 / 10,
            "{} mutants",
            outcome.mutants
        );
    }
}

/// Mutants that once crashed, cut down to what they need.
#[cfg(test)]
mod regressions {
    fn exercise(name: &str, text: &str) {
        let dir =
            std::env::temp_dir().join(format!("contract-regression-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let root = dir.join("openapi.yaml");
        std::fs::write(&root, text).unwrap();
        // The default stack of a spawned thread (2 MiB), smaller than rustc's.
        let result = std::thread::spawn(move || super::exercise(&root, &dir))
            .join()
            .expect("no panic");
        assert_eq!(result, Ok(false));
    }

    /// An array whose items are the array itself: the handler sketch's type was written
    /// without end (a stack overflow, which aborts rustc).
    #[test]
    fn an_array_of_itself() {
        exercise(
            "items-self",
            "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: d\n          content:\n            application/json:\n              schema:\n                type: array\n                items:\n                  $ref: '#/paths/~1a/get/responses/200/content/application~1json/schema'\n",
        );
    }
}

#[cfg(test)]
mod one {
    /// `MUTANT_FILE=path cargo test -p contract-macros --lib mutants::one -- --ignored`: one
    /// mutant again, in this thread (its stack trace shows where it fails).
    #[test]
    #[ignore]
    fn one_mutant() {
        let path = std::path::PathBuf::from(std::env::var("MUTANT_FILE").unwrap());
        let dir = path.parent().unwrap().to_path_buf();
        eprintln!("{:?}", super::exercise(&path, &dir));
    }
}
