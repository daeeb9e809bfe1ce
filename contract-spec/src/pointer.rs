//! JSON pointer segments (RFC 6901).

use std::borrow::Cow;

use serde_json::Value;

/// A JSON pointer segment for `segment` (RFC 6901: `~` as `~0`, `/` as `~1`).
pub fn encode(segment: &str) -> String {
    // Most segments need no escape: one copy rather than two `replace` passes.
    if !segment.contains(['~', '/']) {
        return segment.to_string();
    }
    segment.replace('~', "~0").replace('/', "~1")
}

/// The raw text of an encoded JSON pointer segment.
pub fn decode(segment: &str) -> String {
    unescape(segment).into_owned()
}

/// A segment unescaped, borrowed where it holds no `~`.
fn unescape(segment: &str) -> Cow<'_, str> {
    if segment.contains('~') {
        Cow::Owned(segment.replace("~1", "/").replace("~0", "~"))
    } else {
        Cow::Borrowed(segment)
    }
}

/// The value `pointer` names inside `root`: what `Value::pointer` answers, without its two new
/// `String`s per segment (a macro resolves thousands of pointers into a large spec).
pub fn resolve<'v>(root: &'v Value, pointer: &str) -> Option<&'v Value> {
    if pointer.is_empty() {
        return Some(root);
    }
    pointer
        .strip_prefix('/')?
        .split('/')
        .try_fold(root, |target, segment| match target {
            Value::Object(map) => map.get(&*unescape(segment)),
            Value::Array(list) => index(segment).and_then(|i| list.get(i)),
            _ => None,
        })
}

/// An array index as RFC 6901 writes it: digits, no sign, no leading zero.
fn index(segment: &str) -> Option<usize> {
    if segment.starts_with('+') || segment.len() > 1 && segment.starts_with('0') {
        return None;
    }
    segment.parse().ok()
}

/// The decoded segments of an encoded pointer (`/a~1b/0` → `["a/b", "0"]`).
pub fn segments(pointer: &str) -> Vec<String> {
    if pointer.is_empty() {
        return Vec::new();
    }
    pointer
        .trim_start_matches('/')
        .split('/')
        .map(decode)
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn resolves_as_serde_json_does() {
        let doc = json!({
            "paths": {"/pets/{id}": {"get": {"x~y": [10, {"a": 1}]}}},
            "": {"": 2},
            "list": [0, 1, 2],
        });
        let pointers = [
            "",
            "/",
            "//",
            "/paths",
            "/paths/~1pets~1{id}/get",
            "/paths/~1pets~1{id}/get/x~0y/1/a",
            "/paths/~1pets~1{id}/get/x~0y/01",
            "/paths/~1pets~1{id}/get/x~0y/+1",
            "/paths/~1pets~1{id}/get/x~0y/-1",
            "/paths/~1pets~1{id}/get/x~0y/2",
            "/list/0",
            "/list/00",
            "/list/99999999999999999999999",
            "/paths/~2",
            "/missing/x",
            "paths",
            "/paths/~1pets~1{id}/get/x~0y/0/deeper",
        ];
        for pointer in pointers {
            assert_eq!(
                super::resolve(&doc, pointer),
                doc.pointer(pointer),
                "{pointer:?}"
            );
        }
    }

    #[test]
    fn round_trip() {
        assert_eq!(super::encode("plain"), "plain");
        assert_eq!(super::encode("/pets/{id}~x"), "~1pets~1{id}~0x");
        assert_eq!(
            super::segments("/paths/~1pets~1{id}/get"),
            vec!["paths", "/pets/{id}", "get"]
        );
    }
}
