//! `contract-bench gen SPEC OUT_DIR`: writes four crates with one handler per operation of
//! SPEC (`ours`: `#[contract]` + `routes!`; `baseline`: the same handlers, no attributes;
//! `baseline-typed`: the same with the router's state type written out; `utoipa`:
//! `#[utoipa::path]` + `#[derive(OpenApi)]`), for `bench/compile.sh` to time; and
//! `ours-mutated`, `ours` with a mistake in each query struct and enum, for
//! `bench/corpus-sweep.sh`. Types and the
//! router are in `lib.rs`, the handlers in modules of 25 (`m0.rs`, `m1.rs`, ...).
//!
//! `contract-bench profile SPEC`: where the macros' time goes, per stage.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

mod types;

use contract_spec::{Loc, Operation, ParamIn, Selector, Spec};
use serde_json::Value;
use types::Types;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let result = match args.get(1).map(String::as_str) {
        Some("gen") if args.len() == 4 => generate(Path::new(&args[2]), Path::new(&args[3]), None),
        Some("gen") if args.len() == 5 => match args[4].parse() {
            Ok(first) => generate(Path::new(&args[2]), Path::new(&args[3]), Some(first)),
            Err(_) => Err(format!("not a handler count: {}", args[4])),
        },
        Some("profile") if args.len() == 3 => profile(Path::new(&args[2])),
        Some("pad") if args.len() >= 4 => pad(
            Path::new(&args[2]),
            Path::new(&args[3]),
            &args[4..].iter().map(PathBuf::from).collect::<Vec<_>>(),
        ),
        _ => Err(
            "usage: contract-bench gen SPEC OUT_DIR [FIRST] | contract-bench profile SPEC \
             | contract-bench pad SPEC OUT PADDING..."
                .to_string(),
        ),
    };
    if let Err(e) = result {
        eprintln!("{e}");
        std::process::exit(1);
    }
}

/// Writes to `out` the spec `base` grown by the paths and components of each `padding` spec,
/// after its own: the same operations come first, so `gen OUT DIR N` writes the same handlers
/// against a bigger document. The components of the `i`th padding are renamed `p{i}_NAME`
/// (and its `$ref`s with them), and so are its operationIds, so no name of `base` or of another
/// padding is taken; paths `base` already has are skipped. JSON, one line.
fn pad(base: &Path, out: &Path, padding: &[PathBuf]) -> Result<(), String> {
    let read = |path: &Path| -> Result<Value, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        if path.extension().is_some_and(|e| e == "json") {
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
        } else {
            contract_spec::yaml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
        }
    };
    fn rename_refs(value: &mut Value, prefix: &str) {
        match value {
            Value::Object(map) => {
                for (key, value) in map.iter_mut() {
                    match value {
                        // An operation's: ids must stay unique across the document.
                        Value::String(id) if key == "operationId" => *id = format!("{prefix}{id}"),
                        Value::String(target) if key == "$ref" => {
                            if let Some(rest) = target.strip_prefix("#/components/")
                                && let Some((kind, name)) = rest.split_once('/')
                            {
                                *target = format!("#/components/{kind}/{prefix}{name}");
                            }
                        }
                        _ => rename_refs(value, prefix),
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|v| rename_refs(v, prefix)),
            _ => {}
        }
    }
    let mut spec = read(base)?;
    for (i, path) in padding.iter().enumerate() {
        let mut extra = read(path)?;
        let prefix = format!("p{i}_");
        rename_refs(&mut extra, &prefix);
        let root = spec.as_object_mut().ok_or("the spec is not an object")?;
        if let Some(paths) = extra.get("paths").and_then(Value::as_object) {
            let into = root
                .entry("paths")
                .or_insert_with(|| Value::Object(Default::default()));
            for (name, item) in paths {
                if let Some(into) = into.as_object_mut() {
                    into.entry(name.clone()).or_insert_with(|| item.clone());
                }
            }
        }
        if let Some(components) = extra.get("components").and_then(Value::as_object) {
            let into = root
                .entry("components")
                .or_insert_with(|| Value::Object(Default::default()));
            for (kind, entries) in components {
                let Some(into) = into.as_object_mut().map(|into| {
                    into.entry(kind.clone())
                        .or_insert_with(|| Value::Object(Default::default()))
                }) else {
                    continue;
                };
                for (name, entry) in entries.as_object().into_iter().flatten() {
                    if let Some(into) = into.as_object_mut() {
                        into.insert(format!("{prefix}{name}"), entry.clone());
                    }
                }
            }
        }
    }
    let text = serde_json::to_string(&spec).map_err(|e| e.to_string())?;
    std::fs::write(out, text).map_err(|e| format!("{}: {e}", out.display()))
}

fn load(spec: &Path) -> Result<(PathBuf, Spec), String> {
    let spec = spec
        .canonicalize()
        .map_err(|e| format!("{}: {e}", spec.display()))?;
    let dir = spec.parent().unwrap_or(Path::new("/")).to_path_buf();
    let loaded = Spec::load(&spec, &dir).map_err(|e| e.to_string())?;
    Ok((spec, loaded))
}

fn content_media(spec: &Spec, loc: &Loc) -> Vec<String> {
    spec.doc
        .deref(loc)
        .ok()
        .and_then(|(_, v)| {
            v.get("content")
                .and_then(Value::as_object)
                .map(|m| m.keys().cloned().collect())
        })
        .unwrap_or_default()
}

fn is_json(media: &str) -> bool {
    let m = media.split(';').next().unwrap_or("").trim();
    m == "application/json" || m.ends_with("+json") || m == "*/*"
}

/// The schema of the JSON content of a request body or response at `loc`.
fn json_schema(spec: &Spec, loc: &Loc) -> Option<Loc> {
    let (loc, value) = spec.doc.deref(loc).ok()?;
    let content = value.get("content")?.as_object()?;
    let (media, _) = content
        .iter()
        .find(|(m, v)| is_json(m) && v.get("schema").is_some())?;
    Some(loc.child("content").child(media).child("schema"))
}

/// A handler fitting the operation: bodies bound to a generated component are that type, others
/// `serde_json::Value`.
struct Signature {
    args: String,
    ret: String,
    /// What `#[utoipa::path]` says of the same: `params(..)`, `request_body`, `responses(..)`.
    utoipa: String,
}

fn signature(spec: &Spec, components: &Types, op: &Operation) -> Signature {
    let mut args = Vec::new();
    let types: Vec<&str> = op
        .template_params
        .iter()
        .map(|n| {
            spec.rust_scalar(
                op.path_params()
                    .find(|p| &p.name == n)
                    .and_then(|p| p.schema.as_ref()),
            )
        })
        .collect();
    let mut utoipa_params: Vec<String> = op
        .template_params
        .iter()
        .zip(&types)
        .map(|(n, ty)| format!("({n:?} = {ty}, Path)"))
        .collect();
    let mut utoipa = Vec::new();
    match types.as_slice() {
        [] => {}
        [one] => args.push(format!(
            "axum::extract::Path(_p0): axum::extract::Path<{one}>"
        )),
        many => {
            let names: Vec<String> = (0..many.len()).map(|i| format!("_p{i}")).collect();
            args.push(format!(
                "axum::extract::Path(({},)): axum::extract::Path<({},)>",
                names.join(", "),
                many.join(", ")
            ));
        }
    }
    if op.parameters.iter().any(|p| p.location == ParamIn::Query) {
        args.push(format!(
            "axum::extract::Query(_q): axum::extract::Query<{}>",
            query_struct_name(op)
        ));
        utoipa_params.push(query_struct_name(op));
    }
    if !utoipa_params.is_empty() {
        utoipa.push(format!("params({})", utoipa_params.join(", ")));
    }
    if let Some(body) = &op.request_body {
        let media = content_media(spec, body);
        if media.iter().any(|m| is_json(m)) {
            let ty = json_schema(spec, body)
                .and_then(|schema| components.bound(spec, &schema))
                .unwrap_or("serde_json::Value");
            args.push(format!("axum::Json(_b): axum::Json<{ty}>"));
            utoipa.push(format!("request_body = {ty}"));
        } else {
            args.push("_b: axum::body::Bytes".into());
        }
    }
    let json_response = op.responses.as_ref().is_some_and(|loc| {
        spec.doc
            .get(loc)
            .and_then(Value::as_object)
            .is_some_and(|m| {
                m.keys().any(|k| {
                    content_media(spec, &loc.child(k))
                        .iter()
                        .any(|m| is_json(m))
                })
            })
    });
    // The first success response's body, when it is a generated type.
    let success = op.responses.as_ref().and_then(|loc| {
        let map = spec.doc.get(loc)?.as_object()?;
        map.keys()
            .filter(|k| k.starts_with('2'))
            .find_map(|k| json_schema(spec, &loc.child(k)))
            .and_then(|schema| components.bound(spec, &schema))
    });
    let (ret, response) = match (json_response, success) {
        (true, success) => {
            let ty = success.unwrap_or("serde_json::Value");
            (
                format!("(axum::http::StatusCode, axum::Json<{ty}>)"),
                format!("(status = 200, description = \"ok\", body = {ty})"),
            )
        }
        (false, _) => (
            "axum::response::Response".to_string(),
            "(status = 200, description = \"ok\")".to_string(),
        ),
    };
    utoipa.push(format!("responses({response})"));
    Signature {
        args: args.join(", "),
        ret,
        utoipa: utoipa.join(", "),
    }
}

fn query_struct_name(op: &Operation) -> String {
    format!("Op{}Query", op.index)
}

/// `ours` with a mistake in each query struct (a field that is no parameter) and in each enum
/// (a value the spec's enum does not have), which the checks must report: one error each.
fn mutate(text: &str, queries: &mut usize, enums: &mut usize) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        out.push_str(line);
        out.push('\n');
        if line.starts_with("pub struct Op") && line.ends_with("Query {") {
            out.push_str("    pub not_in_the_spec: Option<String>,\n");
            *queries += 1;
        } else if line.starts_with("pub enum ") {
            out.push_str("    #[serde(rename = \"not-in-the-spec\")]\n    NotInTheSpec,\n");
            *enums += 1;
        }
    }
    out
}

/// The same profile for every variant: proc macros (and what they use) optimised, the setup
/// README recommends for large specs.
/// Handlers per module file.
const PER_MODULE: usize = 25;

const PROFILE: &str = "\n[profile.dev.build-override]\nopt-level = 3\n";

/// `first`: only the first `first` operations get a handler (`routes!(partial; …)`), and no
/// component gets a struct (bodies are `serde_json::Value`): crates that differ only in the
/// size of the spec behind them.
fn generate(spec_path: &Path, out: &Path, first: Option<usize>) -> Result<(), String> {
    let (spec_path, spec) = load(spec_path)?;
    let runtime = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../contract-runtime")
        .canonicalize()
        .map_err(|e| e.to_string())?;
    // Operations whose own definition is broken would fail `ours` alone: leave them out of all.
    let ops: Vec<&Operation> = spec
        .operations
        .iter()
        .filter(|op| op.problems.is_empty())
        .take(first.unwrap_or(usize::MAX))
        .collect();
    let all = ops.len() == spec.operations.len();
    let types = if first.is_some() {
        Types::none()
    } else {
        Types::of(&spec)
    };
    let spec_text = spec_path.display().to_string();
    let ours_derives = "serde::Serialize, serde::Deserialize, contract_runtime::Schema";
    let ours_attrs =
        |component: &str| format!("#[schema(name = {component:?}, spec = {spec_text:?})]\n");
    let mut handlers = [
        types.definitions(&spec, ours_derives, &ours_attrs, false).0,
        types
            .definitions(
                &spec,
                "serde::Serialize, serde::Deserialize",
                &|_| String::new(),
                false,
            )
            .0,
        types
            .definitions(
                &spec,
                "serde::Serialize, serde::Deserialize, utoipa::ToSchema",
                &|_| String::new(),
                false,
            )
            .0,
    ];
    let (renamed_types, mutated_fields) = types.definitions(&spec, ours_derives, &ours_attrs, true);
    // Handlers live in modules of `PER_MODULE`, in operation order (which groups them by
    // path, as services group them by resource): one file of hundreds of handlers would make
    // every edit re-check the rest of that file (see `bench/compile.sh`).
    let module_count = ops.len().div_ceil(PER_MODULE);
    let prelude = "#![allow(unused_imports)]\nuse super::*;\n";
    let preludes = [
        format!("{prelude}use contract_runtime::contract;\n\n"),
        format!("{prelude}\n"),
        format!("{prelude}\n"),
    ];
    let mut modules: [Vec<String>; 3] = preludes.map(|prelude| vec![prelude; module_count]);
    let mut routes = String::new();
    for (i, op) in ops.iter().enumerate() {
        let Signature {
            args,
            ret,
            utoipa: described,
        } = signature(&spec, &types, op);
        let body = "unimplemented!(\"generated\")";
        let method = op.method.key();
        let selector = format!("{} {}", op.method.upper(), op.path);
        let m = i / PER_MODULE;
        let [ours, plain, utoipa] = &mut modules;
        let query: Vec<&contract_spec::Parameter> = op
            .parameters
            .iter()
            .filter(|p| p.location == ParamIn::Query)
            .collect();
        if !query.is_empty() {
            let name = query_struct_name(op);
            let plain_struct = types.query_struct(&spec, &query, &name, "serde::Deserialize");
            let utoipa_struct = types
                .query_struct(
                    &spec,
                    &query,
                    &name,
                    "serde::Deserialize, utoipa::IntoParams",
                )
                .replacen(
                    "pub struct",
                    "#[into_params(parameter_in = Query)]\npub struct",
                    1,
                );
            ours[m].push_str(&types.query_struct(
                &spec,
                &query,
                &name,
                "serde::Deserialize, contract_runtime::Schema",
            ));
            plain[m].push_str(&plain_struct);
            utoipa[m].push_str(&utoipa_struct);
        }
        let _ = writeln!(
            ours[m],
            "#[contract({selector:?}, spec = {:?})]\npub async fn op_{i}({args}) -> {ret} {{ {body} }}\n",
            spec_path.display().to_string()
        );
        let _ = writeln!(
            plain[m],
            "pub async fn op_{i}({args}) -> {ret} {{ {body} }}\n"
        );
        let _ = writeln!(
            utoipa[m],
            "#[utoipa::path({method}, path = {:?}, {described})]\npub async fn op_{i}({args}) -> {ret} {{ {body} }}\n",
            op.path
        );
        let filter = op.method.upper();
        let _ = writeln!(
            routes,
            "        .route({:?}, axum::routing::on(axum::routing::MethodFilter::{filter}, m{m}::op_{i}))",
            op.path
        );
    }
    let declarations: String = (0..module_count)
        .map(|m| format!("pub mod m{m};\n"))
        .collect();
    for text in &mut handlers {
        text.push_str(&declarations);
    }
    let names: Vec<String> = (0..ops.len())
        .map(|i| format!("m{}::op_{i}", i / PER_MODULE))
        .collect();
    let plain_router =
        format!("pub fn app() -> axum::Router {{\n    axum::Router::new()\n{routes}}}\n");
    // The same router with its state type written out: rustc then settles each handler's
    // bounds as it meets them, as it does for `routes!`' output (see `__private::build`).
    let typed_router =
        format!("pub fn app() -> axum::Router {{\n    axum::Router::<()>::new()\n{routes}}}\n");
    let axum = r#"axum = { version = "0.8", default-features = false, features = ["json", "query", "form", "matched-path", "tokio", "http1"] }
serde_json = "1"
serde = { version = "1", features = ["derive"] }"#;
    let ours_deps = format!(
        "{axum}\ncontract-runtime = {{ path = {:?} }}\n\n{PROFILE}",
        runtime.display().to_string()
    );
    let ours_lib = |types: &str| {
        format!(
            "#![allow(clippy::all)]\nuse contract_runtime::routes;\n\n{types}\npub fn app() -> axum::Router {{\n    routes!({}spec = {:?}; {})\n}}\n",
            if all { "" } else { "partial, " },
            spec_path.display().to_string(),
            names.join(", ")
        )
    };
    let (mut mutated_queries, mut mutated_enums) = (0, 0);
    let mut mutated_types = mutate(&renamed_types, &mut mutated_queries, &mut mutated_enums);
    mutated_types.push_str(&declarations);
    let mutated: Vec<String> = modules[0]
        .iter()
        .map(|text| mutate(text, &mut mutated_queries, &mut mutated_enums))
        .collect();
    let variants = [
        ("ours", ours_deps.clone(), ours_lib(&handlers[0])),
        ("ours-mutated", ours_deps, ours_lib(&mutated_types)),
        (
            "baseline",
            format!("{axum}\n{PROFILE}"),
            format!("#![allow(clippy::all)]\n{}\n{plain_router}", handlers[1]),
        ),
        (
            "baseline-typed",
            format!("{axum}\n{PROFILE}"),
            format!("#![allow(clippy::all)]\n{}\n{typed_router}", handlers[1]),
        ),
        (
            "utoipa",
            format!("{axum}\nutoipa = \"5\"\n{PROFILE}"),
            format!(
                "#![allow(clippy::all)]\n{}\n{plain_router}\n#[derive(utoipa::OpenApi)]\n#[openapi(paths({}))]\npub struct ApiDoc;\n",
                handlers[2],
                names.join(", ")
            ),
        ),
    ];
    let [ours, plain, utoipa] = modules;
    for (name, deps, lib) in variants {
        let dir = out.join(name);
        // A previous generation's modules go: their number depends on the spec.
        let _ = std::fs::remove_dir_all(dir.join("src"));
        std::fs::create_dir_all(dir.join("src")).map_err(|e| e.to_string())?;
        let texts = match name {
            "ours" => &ours,
            "ours-mutated" => &mutated,
            "utoipa" => &utoipa,
            _ => &plain,
        };
        for (m, text) in texts.iter().enumerate() {
            std::fs::write(dir.join(format!("src/m{m}.rs")), text).map_err(|e| e.to_string())?;
        }
        let manifest = format!(
            "[package]\nname = \"bench-{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\n{deps}\n[workspace]\n"
        );
        std::fs::write(dir.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
        std::fs::write(dir.join("src/lib.rs"), lib).map_err(|e| e.to_string())?;
    }
    println!(
        "{} handlers ({} operations, {} with problems of their own; ours-mutated: {mutated_queries} query structs, {mutated_enums} enums, {mutated_fields} fields; {} component types)",
        ops.len(),
        spec.operations.len(),
        spec.operations
            .iter()
            .filter(|op| !op.problems.is_empty())
            .count(),
        types.len()
    );
    Ok(())
}

/// The macros' pipeline stages, timed: what one rustc process pays for a crate with one
/// handler per operation.
fn profile(spec_path: &Path) -> Result<(), String> {
    let started = Instant::now();
    let (_, spec) = load(spec_path)?;
    let parse = started.elapsed();
    let started = Instant::now();
    let mut found = 0;
    for op in &spec.operations {
        let selector = Selector::Route {
            method: op.method,
            path: op.path.clone(),
        };
        if spec.find(&selector).is_ok() {
            found += 1;
        }
    }
    let resolve = started.elapsed();
    let problems = spec.problems();
    println!(
        "{} problems in the spec{}",
        problems.len(),
        problems
            .first()
            .map(|p| format!(
                ", the first: {}",
                p.to_string().lines().next().unwrap_or("")
            ))
            .unwrap_or_default()
    );
    // What a later rustc process pays: the values from the on-disk cache, the rest as always.
    let cache_dir = std::env::temp_dir().join(format!("contract-bench-{}", std::process::id()));
    let root = &spec.doc.files[0].path;
    let base = spec.doc.base_dir.clone();
    let complete = spec.doc.unresolved.is_empty();
    contract_spec::disk::write_values(&cache_dir, root, &base, spec.doc.cacheable(), complete);
    let started = Instant::now();
    let preparsed = contract_spec::disk::read_values(&cache_dir, root, &base);
    let read = started.elapsed();
    let reloaded = Spec::load_with(root, &base, preparsed).map_err(|e| e.to_string())?;
    let reload = started.elapsed();
    let _ = std::fs::remove_dir_all(&cache_dir);
    println!(
        "  load from the on-disk cache: {:>8.1} ms (reading it {:.1} ms; {} of {} files parsed)",
        reload.as_secs_f64() * 1000.0,
        read.as_secs_f64() * 1000.0,
        reloaded.doc.parsed_files,
        reloaded.doc.files.len()
    );
    let started = Instant::now();
    for op in &spec.operations {
        let _ = spec.doc.place(&op.loc);
    }
    let places = started.elapsed();
    println!(
        "  one `file:line:col` per operation: {:>8.1} ms ({:.1} µs each)",
        places.as_secs_f64() * 1000.0,
        places.as_secs_f64() * 1e6 / spec.operations.len().max(1) as f64
    );
    let started = Instant::now();
    let bundle =
        serde_json::to_string(&contract_spec::bundle::bundle(&spec)).map_err(|e| e.to_string())?;
    let bundling = started.elapsed();
    let started = Instant::now();
    let lint = contract_spec::lint::lint(&spec);
    let linting = started.elapsed();
    println!(
        "  the spec's lint: {:>8.1} ms ({} problems; {:.2}x the parse, once per `routes!` or `spec!` without a slice)",
        linting.as_secs_f64() * 1000.0,
        lint.len(),
        linting.as_secs_f64() / parse.as_secs_f64().max(1e-9)
    );
    println!(
        "{}: {} files, {} operations\n  parse + $ref walk: {:>8.1} ms (once per rustc process)\n  resolve every operation: {:>8.1} ms ({:.1} µs per handler)\n  routes! bundle: {:>8.1} ms ({} KB embedded)",
        spec_path.display(),
        spec.doc.files.len(),
        found,
        parse.as_secs_f64() * 1000.0,
        resolve.as_secs_f64() * 1000.0,
        resolve.as_secs_f64() * 1e6 / found.max(1) as f64,
        bundling.as_secs_f64() * 1000.0,
        bundle.len() / 1024
    );
    Ok(())
}
