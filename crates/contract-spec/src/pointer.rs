//! JSON pointer segments (RFC 6901).

pub fn encode(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

pub fn decode(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
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
    #[test]
    fn round_trip() {
        assert_eq!(super::encode("/pets/{id}~x"), "~1pets~1{id}~0x");
        assert_eq!(
            super::segments("/paths/~1pets~1{id}/get"),
            vec!["paths", "/pets/{id}", "get"]
        );
    }
}
