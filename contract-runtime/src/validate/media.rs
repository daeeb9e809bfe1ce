//! Media types: their essence, and which declared one an actual `Content-Type` matches.

use super::contract::Media;

/// A media type without its parameters: `application/json; charset=utf-8` → `application/json`.
pub(crate) fn essence(media: &str) -> &str {
    media.split(';').next().unwrap_or("").trim()
}

/// `application/json; charset=utf-8` matches `application/json`; `image/*` matches `image/png`.
pub(crate) fn media_matches(declared: &str, actual: &str) -> bool {
    let (d, a) = (essence(declared), essence(actual));
    if d.eq_ignore_ascii_case(a) || d == "*/*" {
        return true;
    }
    match d.strip_suffix("/*") {
        Some(prefix) => a
            .split('/')
            .next()
            .is_some_and(|t| t.eq_ignore_ascii_case(prefix)),
        None => false,
    }
}

pub(crate) fn is_json(media: &str) -> bool {
    let m = essence(media);
    m.eq_ignore_ascii_case("application/json")
        || m.len() >= 5 && m.as_bytes()[m.len() - 5..].eq_ignore_ascii_case(b"+json")
}

pub(crate) fn find_media<'a>(declared: &'a [Media], actual: &str) -> Option<&'a Media> {
    // The response's `Content-Type` is most often the declared media type, spelled the same.
    if let Some(same) = declared.iter().find(|m| m.media == actual) {
        return Some(same);
    }
    declared
        .iter()
        .find(|m| media_matches(&m.media, actual) && !m.media.contains('*'))
        .or_else(|| declared.iter().find(|m| media_matches(&m.media, actual)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types_match_by_essence_and_wildcard() {
        assert!(media_matches(
            "application/json",
            "application/json; charset=utf-8"
        ));
        assert!(media_matches("Application/JSON", "application/json"));
        assert!(media_matches("image/*", "IMAGE/png"));
        assert!(media_matches("*/*", "text/plain"));
        assert!(!media_matches("image/*", "text/png"));
        assert!(!media_matches("application/json", "application/jsonx"));
        assert!(!media_matches("text/plain", ""));
    }

    #[test]
    fn json_media_types() {
        assert!(is_json("application/json"));
        assert!(is_json("application/problem+JSON; charset=utf-8"));
        assert!(is_json(" APPLICATION/JSON "));
        assert!(!is_json("text/json5"));
        assert!(!is_json("json"));
        assert!(!is_json("application/x-ndjson"));
    }
}
