//! The on-disk cache reuses a file's parsed value only for the same bytes, and a derived
//! artifact only for the same bytes of every file; a missing or corrupt entry is a miss.

use std::path::{Path, PathBuf};

use contract_spec::{Spec, disk};

struct Fixture {
    dir: PathBuf,
    cache: PathBuf,
    root: PathBuf,
}

impl Fixture {
    fn new(name: &str) -> Fixture {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("parts")).unwrap();
        let root = dir.join("openapi.yaml");
        std::fs::write(
            &root,
            "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    $ref: './parts/a.yaml'\n",
        )
        .unwrap();
        std::fs::write(dir.join("parts/a.yaml"), OP_A).unwrap();
        let dir = dir.canonicalize().unwrap();
        Fixture {
            cache: dir.join("cache"),
            root: dir.join("openapi.yaml"),
            dir,
        }
    }

    /// A load as `cache::load_cached` does it: through the cache, writing what it parsed.
    fn load(&self) -> Spec {
        let preparsed = disk::read_values(&self.cache, &self.root, &self.dir);
        let spec = Spec::load_with(&self.root, &self.dir, preparsed).unwrap();
        if spec.doc.parsed_files > 0 {
            let complete = spec.doc.unresolved.is_empty();
            disk::write_values(
                &self.cache,
                &self.root,
                &self.dir,
                spec.doc.cacheable(),
                complete,
            );
        }
        spec
    }

    fn write(&self, file: &str, text: &str) {
        std::fs::write(self.dir.join(file), text).unwrap();
    }

    fn entries(&self) -> Vec<PathBuf> {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(&self.cache)
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        entries.sort();
        entries
    }
}

const OP_A: &str = "get:\n  operationId: getA\n  responses: {'200': {description: ok}}\n";

fn ids(spec: &Spec) -> Vec<String> {
    spec.operations
        .iter()
        .filter_map(|o| o.operation_id.clone())
        .collect()
}

#[test]
fn unchanged_files_are_not_parsed_again_and_an_edited_one_is() {
    let f = Fixture::new("disk-cache-edit");
    assert_eq!(f.load().doc.parsed_files, 2, "nothing cached yet");
    assert_eq!(f.load().doc.parsed_files, 0);
    // Same length, other bytes: the hash tells them apart.
    f.write("parts/a.yaml", &OP_A.replace("getA", "getB"));
    let spec = f.load();
    assert_eq!(spec.doc.parsed_files, 1, "only the edited file");
    assert_eq!(ids(&spec), ["getB"]);
    let again = f.load();
    assert_eq!(again.doc.parsed_files, 0);
    assert_eq!(ids(&again), ["getB"]);
}

#[test]
fn a_new_reference_is_followed_although_every_cached_file_is_unchanged() {
    let f = Fixture::new("disk-cache-new-ref");
    f.write(
        "openapi.yaml",
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    $ref: './parts/a.yaml'\n  /b:\n    $ref: './parts/b.yaml'\n",
    );
    let spec = f.load();
    assert_eq!(
        spec.doc.unresolved.len(),
        1,
        "parts/b.yaml does not exist yet"
    );
    // The missing file appears; no cached file changed, but the walk must run again.
    f.write("parts/b.yaml", &OP_A.replace("getA", "getB"));
    let spec = f.load();
    assert!(spec.doc.unresolved.is_empty());
    assert_eq!(ids(&spec), ["getA", "getB"]);
    assert_eq!(spec.doc.parsed_files, 1, "only the new file");
}

#[test]
fn a_file_no_longer_referenced_is_dropped() {
    let f = Fixture::new("disk-cache-dropped-ref");
    f.load();
    f.write(
        "openapi.yaml",
        &format!(
            "openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n{}",
            OP_A.lines()
                .map(|l| format!("    {l}\n"))
                .collect::<String>()
        ),
    );
    let spec = f.load();
    assert_eq!(spec.doc.files.len(), 1);
    assert_eq!(ids(&spec), ["getA"]);
}

#[test]
fn a_corrupt_or_truncated_entry_is_a_miss() {
    let f = Fixture::new("disk-cache-corrupt");
    f.load();
    let entries = f.entries();
    assert_eq!(entries.len(), 1, "{entries:?}");
    let text = std::fs::read(&entries[0]).unwrap();
    for broken in [&text[..text.len() / 2], b"not json", b""] {
        std::fs::write(&entries[0], broken).unwrap();
        let spec = f.load();
        assert_eq!(spec.doc.parsed_files, 2);
        assert_eq!(ids(&spec), ["getA"]);
    }
}

#[test]
fn an_artifact_is_rebuilt_exactly_when_a_file_changes() {
    let f = Fixture::new("disk-cache-artifact");
    let builds = std::cell::Cell::new(0);
    let artifact = |spec: &Spec| {
        spec.cached_artifact(Some(&f.cache), "test.txt", || {
            builds.set(builds.get() + 1);
            format!("{:?}", ids(spec))
        })
    };
    assert_eq!(artifact(&f.load()), r#"["getA"]"#);
    assert_eq!(artifact(&f.load()), r#"["getA"]"#);
    assert_eq!(builds.get(), 1);
    f.write("parts/a.yaml", &OP_A.replace("getA", "getC"));
    assert_eq!(artifact(&f.load()), r#"["getC"]"#);
    assert_eq!(builds.get(), 2);
    // Without a cache folder, every call builds.
    let spec = f.load();
    assert_eq!(spec.cached_artifact(None, "test.txt", || "x".into()), "x");
}

#[test]
fn load_cached_reads_and_writes_the_folder_it_is_given() {
    // `dir()` is the process's choice; the helpers never write anywhere else.
    let f = Fixture::new("disk-cache-nowhere");
    let spec = Spec::load(&f.root, &f.dir).unwrap();
    assert_eq!(spec.doc.parsed_files, 2);
    assert!(f.entries().is_empty());
    assert!(!Path::new(&f.cache).exists());
}
