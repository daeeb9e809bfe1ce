// Also compiled into the `tests` crate (`include!`), which does not depend on this one: no
// inner attributes or imports here.

/// The real-world corpus the tests run on: `../shared/specs` beside the repository, when it is
/// there. A test that finds no corpus skips with a message; where `CI` is set, a missing corpus
/// fails the test instead, so that CI never passes by skipping what it was meant to run.
#[doc(hidden)]
pub fn corpus_dir() -> Option<std::path::PathBuf> {
    let in_ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false");
    corpus_at(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/specs"),
        in_ci,
    )
}

pub(crate) fn corpus_at(dir: std::path::PathBuf, in_ci: bool) -> Option<std::path::PathBuf> {
    if dir.is_dir() {
        return Some(dir.canonicalize().unwrap_or(dir));
    }
    assert!(
        !in_ci,
        "{} is missing and CI is set: the corpus tests must run in CI",
        dir.display()
    );
    eprintln!("skipped: {} is not present", dir.display());
    None
}
