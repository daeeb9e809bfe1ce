//! The encoding of a spec schema's shape that `#[contract]` embeds in a program as one byte
//! string per check, and that `contract-runtime`'s const checks read: a node is a tag byte
//! ([`tag`]), its payload's length (`u32`, little endian) and the payload. One definition for
//! the writer (the macros) and the reader (the runtime), so that the two cannot drift apart.

/// The node tags.
pub mod tag {
    /// No constraint the compiler can check (for example a schema with no `type`).
    pub const ANY: u8 = 0;
    /// `type: boolean`.
    pub const BOOL: u8 = 1;
    /// `type: integer`; payload: its `format` (empty when none).
    pub const INTEGER: u8 = 2;
    /// `type: number`; payload: its `format`.
    pub const NUMBER: u8 = 3;
    /// `type: string`; payload: its `format`.
    pub const STRING: u8 = 4;
    /// A string `enum`; payload: the values' count (`u32`), their [`fnv1a`](crate::hash::fnv1a)
    /// hashes (`u64` each) in ascending order, then the values as strings.
    pub const ENUM: u8 = 5;
    /// Payload: the item node.
    pub const ARRAY: u8 = 6;
    /// `additionalProperties: <schema>` without `properties`; payload: the value node.
    pub const MAP: u8 = 7;
    /// `nullable: true`, `type: [T, "null"]`; payload: the non-null node.
    pub const NULLABLE: u8 = 8;
    /// `$ref: '#/components/schemas/NAME'`; payload: the name as a string, then the
    /// component's own schema when it is inlined (a string enum, an integer alias…), so that
    /// unbound Rust types can match it.
    pub const COMPONENT: u8 = 9;
    /// An object; payload: a byte, 1 when `additionalProperties` allows properties not listed,
    /// then per property its name (a string), a byte (1: required) and its node.
    pub const OBJECT: u8 = 10;
    /// `oneOf` / `anyOf`; payload: the alternatives' nodes.
    pub const ONE_OF: u8 = 11;
}

/// The length of a node's header: the tag and the payload's length.
pub const HEADER: usize = 5;

/// One encoded node: its tag, the payload's length and the payload.
pub fn node(tag: u8, payload: &[u8]) -> Vec<u8> {
    let len = u32::try_from(payload.len()).unwrap_or(u32::MAX);
    let mut out = Vec::with_capacity(HEADER + payload.len());
    out.push(tag);
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(payload);
    out
}

/// A string in a payload: a `u16` length and the bytes (cut, on a character boundary, at 64 KiB).
pub fn put_str(out: &mut Vec<u8>, s: &str) {
    let mut end = s.len().min(u16::MAX as usize);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    out.extend_from_slice(&(end as u16).to_le_bytes());
    out.extend_from_slice(&s.as_bytes()[..end]);
}

/// The tag and payload of an encoded node, `None` where it is cut short.
pub fn split_node(code: &[u8]) -> Option<(u8, &[u8])> {
    let (&tag, rest) = code.split_first()?;
    let len = u32::from_le_bytes(rest.get(..4)?.try_into().ok()?) as usize;
    Some((tag, rest.get(4..4 + len)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_node_is_its_tag_length_and_payload() {
        assert_eq!(node(tag::ANY, &[]), [tag::ANY, 0, 0, 0, 0]);
        let int32 = node(tag::INTEGER, b"int32");
        assert_eq!(
            int32,
            [tag::INTEGER, 5, 0, 0, 0, b'i', b'n', b't', b'3', b'2']
        );
        assert_eq!(split_node(&int32), Some((tag::INTEGER, &b"int32"[..])));
        assert_eq!(split_node(&int32[..6]), None);
    }

    #[test]
    fn strings_are_cut_on_a_character_boundary() {
        let long = "é".repeat(40_000);
        let mut out = Vec::new();
        put_str(&mut out, &long);
        let len = u16::from_le_bytes([out[0], out[1]]) as usize;
        assert_eq!(len, 65_534);
        assert!(std::str::from_utf8(&out[2..]).is_ok());
    }
}
