//! The compile-time contract: every error the macros can emit, and every accepted form.

#[test]
fn ui() {
    // trybuild compiles each case in a scratch crate under `target/`; point the macros at this
    // crate so that `openapi.yaml` and `specs/…` are found as they would be in a user's crate.
    // SAFETY: set before trybuild spawns cargo, in the only test of this binary.
    unsafe { std::env::set_var("CONTRACT_MANIFEST_DIR", env!("CARGO_MANIFEST_DIR")) };
    let t = trybuild::TestCases::new();
    t.pass("ui/pass/*.rs");
    for rule in [
        "route", "path", "query", "headers", "body", "response", "schema", "spec", "coverage",
    ] {
        t.compile_fail(format!("ui/{rule}/*.rs"));
    }
}
