//! The walk over a JSON text: one pass over its bytes, each value checked against its node
//! as it is read, numbers parsed where `serde_json` would agree to the bit.

use std::borrow::Cow;

use serde_json::Value;

use super::*;

/// Nesting the walker follows; deeper texts are left to `serde_json` (whose own limit is 128).
const MAX_DEPTH: u32 = 100;

/// A walk over a JSON text already known to be UTF-8: one pass over its bytes, each value
/// checked against its node as it is read. Any `false` ends the walk ("not shown valid").
/// Where the walker must agree with `serde_json` to the bit (strings with escapes, floats,
/// integers beyond 64 bits), it asks `serde_json` about that one token.
pub(super) struct Walk<'v, 't> {
    pub(super) nodes: &'v [Node],
    pub(super) text: &'t str,
    pub(super) at: usize,
    pub(super) depth: u32,
}

impl<'t> Walk<'_, 't> {
    pub(super) fn peek(&self) -> u8 {
        self.text.as_bytes().get(self.at).copied().unwrap_or(0)
    }

    pub(super) fn whitespace(&mut self) {
        while matches!(self.peek(), b' ' | b'\n' | b'\r' | b'\t') {
            self.at += 1;
        }
    }

    /// The next value, checked against `node`.
    pub(super) fn value(&mut self, node: usize) -> bool {
        match self.nodes.get(node) {
            Some(Node::Any) => self.walk(None),
            Some(Node::Checked(checked)) => self.walk(Some(checked)),
            Some(Node::Delegated(validator)) => {
                self.whitespace();
                let start = self.at;
                self.walk(None)
                    && self
                        .text
                        .get(start..self.at)
                        .and_then(|text| serde_json::from_str::<Value>(text).ok())
                        .is_some_and(|value| validator.is_valid(&value))
            }
            // Aliases are resolved when the walker is built; one left is a cycle of `$ref`s
            // with nothing else in it, which the full validator decides.
            Some(Node::Never | Node::Pending(_) | Node::Alias(_)) | None => false,
        }
    }

    /// The next value: well-formed, and accepted by `c` (any value with `None`).
    pub(super) fn walk(&mut self, c: Option<&Checked>) -> bool {
        self.whitespace();
        match self.peek() {
            b'{' => self.object(c),
            b'[' => self.array(c),
            b'"' => self
                .string()
                .is_some_and(|s| c.is_none_or(|c| c.accepts_str(&s))),
            b't' => {
                self.literal("true") && c.is_none_or(|c| c.accepts_literal(BOOLEAN, || true.into()))
            }
            b'f' => {
                self.literal("false")
                    && c.is_none_or(|c| c.accepts_literal(BOOLEAN, || false.into()))
            }
            b'n' => {
                self.literal("null") && c.is_none_or(|c| c.accepts_literal(NULL, || Value::Null))
            }
            b'-' | b'0'..=b'9' => self.number(c),
            _ => false,
        }
    }

    pub(super) fn literal(&mut self, word: &str) -> bool {
        let found = self
            .text
            .as_bytes()
            .get(self.at..)
            .is_some_and(|rest| rest.starts_with(word.as_bytes()));
        self.at += word.len();
        found
    }

    pub(super) fn enter(&mut self) -> bool {
        self.at += 1;
        self.depth += 1;
        self.depth <= MAX_DEPTH
    }

    /// An element of an array or a member's value: checked against `node`, or only read.
    /// Then `,` (`Some(true)`: more follow) or `close` (`Some(false)`: the last); `None` when
    /// the element is not shown valid or anything else follows.
    pub(super) fn element(&mut self, node: Option<usize>, close: u8) -> Option<bool> {
        let ok = match node {
            Some(node) => self.value(node),
            None => self.walk(None),
        };
        if !ok {
            return None;
        }
        self.whitespace();
        let more = match self.peek() {
            b',' => true,
            b if b == close => false,
            _ => return None,
        };
        self.at += 1;
        Some(more)
    }

    #[inline(never)]
    pub(super) fn object(&mut self, c: Option<&Checked>) -> bool {
        if c.is_some_and(|c| c.types & OBJECT == 0 || c.strings.is_some()) || !self.enter() {
            return false;
        }
        // `declared`: the declared properties met so far (the first 64), so that a repeated
        // key, which serde's derived `Deserialize` rejects, is not accepted here.
        let (mut seen, mut count, mut declared) = (0u64, 0u64, 0u64);
        self.whitespace();
        if self.peek() == b'}' {
            self.at += 1;
        } else {
            loop {
                self.whitespace();
                if self.peek() != b'"' {
                    return false;
                }
                let Some(key) = self.string() else {
                    return false;
                };
                self.whitespace();
                if self.peek() != b':' {
                    return false;
                }
                self.at += 1;
                let mut repeated = false;
                let node = c.and_then(|c| match c.property(&key) {
                    Some((node, bit, index)) => {
                        seen |= bit.map_or(0, |bit| 1 << bit);
                        if index < 64 {
                            repeated = declared & (1 << index) != 0;
                            declared |= 1 << index;
                        }
                        Some(node)
                    }
                    None => c.additional,
                });
                if repeated {
                    return false;
                }
                count += 1;
                match self.element(node, b'}') {
                    Some(true) => {}
                    Some(false) => break,
                    None => return false,
                }
            }
        }
        self.depth -= 1;
        c.is_none_or(|c| {
            seen & c.required_mask == c.required_mask
                && count >= c.min_properties
                && count <= c.max_properties
        })
    }

    pub(super) fn array(&mut self, c: Option<&Checked>) -> bool {
        if c.is_some_and(|c| c.types & ARRAY == 0 || c.strings.is_some()) || !self.enter() {
            return false;
        }
        let items = c.and_then(|c| c.items);
        let mut count = 0u64;
        self.whitespace();
        if self.peek() == b']' {
            self.at += 1;
        } else {
            loop {
                count += 1;
                match self.element(items, b']') {
                    Some(true) => {}
                    Some(false) => break,
                    None => return false,
                }
            }
        }
        self.depth -= 1;
        c.is_none_or(|c| count >= c.min_items && count <= c.max_items)
    }

    /// A string (the walk is at its opening quote), unescaped.
    #[inline]
    pub(super) fn string(&mut self) -> Option<Cow<'t, str>> {
        let bytes = self.text.as_bytes();
        let start = self.at + 1;
        let mut at = start;
        while bytes
            .get(at)
            .is_some_and(|b| !STRING_STOPS[usize::from(*b)])
        {
            at += 1;
        }
        if bytes.get(at) == Some(&b'"') {
            self.at = at + 1;
            return self.text.get(start..at).map(Cow::Borrowed);
        }
        self.escaped_string(at)
    }

    /// The rest of a string from `at`, an escape or a control character: escapes are rare in
    /// responses, so the closing quote is found, then the string unescaped as `serde_json`
    /// does, surrogate pairs and errors included.
    #[cold]
    #[inline(never)]
    pub(super) fn escaped_string(&mut self, mut at: usize) -> Option<Cow<'t, str>> {
        let bytes = self.text.as_bytes();
        let start = self.at;
        if bytes.get(at) != Some(&b'\\') {
            return None;
        }
        loop {
            match *bytes.get(at)? {
                b'"' => break,
                b'\\' => at += 2,
                _ => at += 1,
            }
        }
        self.at = at + 1;
        serde_json::from_str::<String>(self.text.get(start..=at)?)
            .ok()
            .map(Cow::Owned)
    }

    /// A number, read as `serde_json` reads it into a `Value`: an integer within 64 bits as
    /// that integer, anything else (`-0` included) as the `f64` `serde_json` makes of it.
    #[inline(never)]
    pub(super) fn number(&mut self, c: Option<&Checked>) -> bool {
        let bytes = self.text.as_bytes();
        let start = self.at;
        let negative = bytes.get(start) == Some(&b'-');
        let mut at = start + usize::from(negative);
        let mut significand = Some(0);
        match bytes.get(at) {
            Some(b'0') => at += 1,
            Some(b'1'..=b'9') => {
                digits(bytes, &mut at, &mut significand);
            }
            _ => return false,
        }
        let (mut integer, mut exponent) = (true, Some(0i64));
        if bytes.get(at) == Some(&b'.') {
            at += 1;
            integer = false;
            match digits(bytes, &mut at, &mut significand) {
                0 => return false,
                n => exponent = i64::try_from(n).ok().map(|n| -n),
            }
        }
        if matches!(bytes.get(at), Some(b'e' | b'E')) {
            at += 1;
            integer = false;
            let sign = match bytes.get(at) {
                Some(b'-') => -1,
                Some(b'+') => 1,
                _ => 0,
            };
            at += usize::from(sign != 0);
            let mut written = Some(0);
            if digits(bytes, &mut at, &mut written) == 0 {
                return false;
            }
            let written = written.and_then(|e| i64::try_from(e).ok());
            exponent = exponent
                .zip(written)
                .and_then(|(e, w)| e.checked_add(if sign < 0 { -w } else { w }));
        }
        self.at = at;
        let Some(c) = c else {
            // Skipped: only whether `serde_json` reads it matters (`1e400` is out of its range).
            return integer
                || float_fast(negative, significand, exponent).is_some()
                || self
                    .text
                    .get(start..at)
                    .is_some_and(|t| serde_json::from_str::<f64>(t).is_ok());
        };
        if integer && let Some(u) = significand {
            if !negative {
                return c.accepts_integer(|| Value::from(u), exact_int(u.into()));
            }
            if let Ok(i) = i64::try_from(-i128::from(u))
                && i < 0
            {
                return c.accepts_integer(|| Value::from(i), exact_int(i.into()));
            }
        }
        let float = float_fast(negative, significand, exponent)
            .or_else(|| serde_json::from_str::<f64>(self.text.get(start..at)?).ok());
        float.is_some_and(|v| c.accepts_float(v))
    }
}

/// Reads ASCII digits from `at` into `significand` (`None` once past `u64`); how many.
pub(super) fn digits(bytes: &[u8], at: &mut usize, significand: &mut Option<u64>) -> usize {
    let from = *at;
    while let Some(digit) = bytes.get(*at).filter(|b| b.is_ascii_digit()) {
        *significand = significand
            .and_then(|s| s.checked_mul(10))
            .and_then(|s| s.checked_add(u64::from(digit - b'0')));
        *at += 1;
    }
    *at - from
}

/// The `f64` `serde_json` makes of `significand × 10^exponent`, where both are small enough
/// for that to be one exactly rounded multiplication or division of exact values (Clinger's
/// fast path): `serde_json` does just that without its `float_roundtrip` feature and rounds
/// exactly with it, so the bits are the same either way. `None` for the rest, which
/// `serde_json` itself then reads.
pub(super) fn float_fast(
    negative: bool,
    significand: Option<u64>,
    exponent: Option<i64>,
) -> Option<f64> {
    const POW10: [f64; 23] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];
    let exponent = exponent?;
    let pow = *POW10.get(usize::try_from(exponent.unsigned_abs()).ok()?)?;
    let f = significand.filter(|s| *s <= 1 << 53)? as f64;
    let f = if exponent >= 0 { f * pow } else { f / pow };
    Some(if negative { -f } else { f })
}

/// The bytes that end a run of plain characters in a JSON string: its closing quote, an escape,
/// or a control character (never allowed raw). One lookup per byte.
static STRING_STOPS: [bool; 256] = {
    let mut stops = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        stops[b] = true;
        b += 1;
    }
    stops[b'"' as usize] = true;
    stops[b'\\' as usize] = true;
    stops
};

/// Byte-wise equality, inline: the names compared are short, where a call to `memcmp` costs
/// more than the comparison.
pub(super) fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

/// An integer as an `f64`, when that is exact.
pub(super) fn exact_int(i: i128) -> Option<f64> {
    (i.unsigned_abs() <= 1 << 53).then_some(i as f64)
}

impl Checked {
    /// A declared property's node, its bit in the `required` mask and its index.
    pub(super) fn property(&self, key: &str) -> Option<(usize, Option<u32>, usize)> {
        // Most objects declare a handful of properties: a scan comparing lengths first beats
        // a binary search's string comparisons there.
        let index = if self.properties.len() <= 16 {
            let key = key.as_bytes();
            self.properties
                .iter()
                .position(|(name, _, _)| same(name.as_bytes(), key))
        } else {
            self.properties
                .binary_search_by(|(name, _, _)| name.as_str().cmp(key))
                .ok()
        };
        let (_, node, bit) = self.properties.get(index?)?;
        Some((*node, *bit, index?))
    }

    pub(super) fn scalar(&self, value: impl FnOnce() -> Value) -> bool {
        self.scalar.as_ref().is_none_or(|v| v.is_valid(&value()))
    }

    /// `true`, `false` or `null` (`bit`), its `Value` made only for the keywords handed on.
    pub(super) fn accepts_literal(&self, bit: u8, value: impl FnOnce() -> Value) -> bool {
        self.types & bit != 0 && self.strings.is_none() && self.scalar(value)
    }

    pub(super) fn in_bounds(&self, n: f64) -> bool {
        self.minimum.is_none_or(|m| n >= m)
            && self.maximum.is_none_or(|m| n <= m)
            && self.exclusive_minimum.is_none_or(|m| n > m)
            && self.exclusive_maximum.is_none_or(|m| n < m)
    }

    pub(super) fn has_bounds(&self) -> bool {
        self.minimum.is_some()
            || self.maximum.is_some()
            || self.exclusive_minimum.is_some()
            || self.exclusive_maximum.is_some()
    }

    pub(super) fn accepts_integer(
        &self,
        value: impl FnOnce() -> Value,
        exact: Option<f64>,
    ) -> bool {
        let in_bounds = match exact {
            Some(n) => self.in_bounds(n),
            None => !self.has_bounds(),
        };
        self.types & INTEGER != 0 && self.strings.is_none() && in_bounds && self.scalar(value)
    }

    pub(super) fn accepts_float(&self, v: f64) -> bool {
        // `1.0` is an integer to JSON Schema; the walker leaves that case to the full validator.
        self.types & NUMBER != 0
            && self.strings.is_none()
            && self.in_bounds(v)
            && self.scalar(|| Value::from(v))
    }

    pub(super) fn accepts_str(&self, v: &str) -> bool {
        let fits = || {
            if self.min_length == 0 && self.max_length == u64::MAX {
                return true;
            }
            let chars = v.chars().count() as u64;
            chars >= self.min_length && chars <= self.max_length
        };
        self.types & STRING != 0
            && self
                .strings
                .as_ref()
                .is_none_or(|s| s.iter().any(|s| same(s.as_bytes(), v.as_bytes())))
            && fits()
            && self.string_scalar(v)
    }

    /// `scalar` on a string, through a buffer kept per thread rather than a new `String`.
    pub(super) fn string_scalar(&self, v: &str) -> bool {
        thread_local! {
            static SCRATCH: RefCell<Value> = const { RefCell::new(Value::String(String::new())) };
        }
        let Some(validator) = &self.scalar else {
            return true;
        };
        SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
            Ok(mut value) => {
                if let Value::String(buffer) = &mut *value {
                    buffer.clear();
                    buffer.push_str(v);
                } else {
                    *value = Value::String(v.to_string());
                }
                validator.is_valid(&value)
            }
            Err(_) => validator.is_valid(&Value::String(v.to_string())),
        })
    }
}
