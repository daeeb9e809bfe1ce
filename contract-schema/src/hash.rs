//! The one hash of the workspace: FNV-1a, a `const fn`, so that the spec cache's build key is
//! computed at compile time and the runtime's const checks hash enum values as the macros did
//! when they wrote them.

const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const PRIME: u64 = 0x0100_0000_01b3;

const fn fold(mut hash: u64, bytes: &[u8]) -> u64 {
    let mut i = 0;
    while i < bytes.len() {
        hash = (hash ^ bytes[i] as u64).wrapping_mul(PRIME);
        i += 1;
    }
    hash
}

/// FNV-1a of `bytes`: a spec's id, an enum node's values.
pub const fn fnv1a(bytes: &[u8]) -> u64 {
    fold(OFFSET, bytes)
}

/// FNV-1a of `parts`, each followed by a separator, so that moving text between parts changes
/// the hash.
pub const fn fnv1a_parts(parts: &[&str]) -> u64 {
    let mut hash = OFFSET;
    let mut p = 0;
    while p < parts.len() {
        hash = fold(hash, parts[p].as_bytes());
        hash = (hash ^ 0xff).wrapping_mul(PRIME);
        p += 1;
    }
    hash
}
