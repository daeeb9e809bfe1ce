//! The spec is parsed once per process while its files are unchanged, and again after an edit.

use std::time::Duration;

#[test]
fn parsed_once_until_edited() {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cache-test");
    std::fs::create_dir_all(dir.join("parts")).unwrap();
    let root = dir.join("openapi.yaml");
    std::fs::write(
        &root,
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    $ref: './parts/a.yaml'\n",
    )
    .unwrap();
    let part = dir.join("parts/a.yaml");
    std::fs::write(
        &part,
        "get:\n  operationId: getA\n  responses: {'200': {description: ok}}\n",
    )
    .unwrap();

    let before = contract_spec::parse_count();
    for _ in 0..50 {
        let spec = contract_spec::load_cached(&root, &dir);
        assert_eq!(spec.as_ref().as_ref().unwrap().operations.len(), 1);
    }
    assert_eq!(
        contract_spec::parse_count() - before,
        1,
        "50 loads, one parse"
    );

    // After the trust window, an edit to a referenced file is noticed.
    std::thread::sleep(Duration::from_millis(700));
    std::fs::write(
        &part,
        "get:\n  operationId: getA\n  responses: {'200': {description: ok}}\npost:\n  operationId: postA\n  responses: {'201': {description: created}}\n",
    )
    .unwrap();
    let spec = contract_spec::load_cached(&root, &dir);
    assert_eq!(spec.as_ref().as_ref().unwrap().operations.len(), 2);
    assert_eq!(contract_spec::parse_count() - before, 2);
    // Unchanged again: no parse.
    std::thread::sleep(Duration::from_millis(700));
    contract_spec::load_cached(&root, &dir);
    assert_eq!(contract_spec::parse_count() - before, 2);
}
