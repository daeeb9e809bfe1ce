//! The message a failed check writes: a fixed buffer filled in const evaluation, and how
//! shapes and expectations are described in it.

use super::*;

/// Room for one report; longer reports are cut.
pub const REPORT_CAP: usize = 2048;

/// A message being built in a const context. A check runs first with `CAP = 0`, which only
/// counts mismatches, and again with [`REPORT_CAP`] to write them when there are any.
pub struct Report<const CAP: usize> {
    pub(super) buf: [u8; CAP],
    pub(super) len: usize,
    /// How many mismatch lines were written.
    pub count: usize,
}

impl<const CAP: usize> Report<CAP> {
    /// A report with nothing written: a constant, where `new()` costs the const evaluator a
    /// call.
    pub const EMPTY: Self = Report {
        buf: [0; CAP],
        len: 0,
        count: 0,
    };

    pub const fn new() -> Self {
        Self::EMPTY
    }

    pub const fn push(mut self, text: &str) -> Self {
        if CAP == 0 {
            return self;
        }
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() && self.len < CAP {
            self.buf[self.len] = bytes[i];
            self.len += 1;
            i += 1;
        }
        self
    }

    pub(super) const fn push_str(self, text: Str) -> Self {
        if CAP == 0 {
            return self;
        }
        self.push(text.as_str())
    }

    /// Appends `text`, indenting every line after the first by four more spaces.
    pub const fn push_nested(mut self, text: &str) -> Self {
        if CAP == 0 {
            return self;
        }
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() && self.len < CAP {
            self.buf[self.len] = bytes[i];
            self.len += 1;
            if bytes[i] == b'\n' {
                self = self.push("    ");
            }
            i += 1;
        }
        self
    }

    pub const fn push_u16(self, n: u16) -> Self {
        if CAP == 0 {
            return self;
        }
        let mut digits = [0u8; 5];
        let mut len = 0;
        let mut n = n;
        loop {
            digits[4 - len] = b'0' + (n % 10) as u8;
            len += 1;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        let (_, tail) = digits.split_at(5 - len);
        match core::str::from_utf8(tail) {
            Ok(s) => self.push(s),
            Err(_) => self,
        }
    }

    pub const fn is_empty(&self) -> bool {
        self.count == 0
    }

    pub const fn as_str(&self) -> &str {
        let (head, _) = self.buf.split_at(self.len);
        match core::str::from_utf8(head) {
            Ok(s) => s,
            // A cut in the middle of a character: drop the partial one.
            Err(e) => match core::str::from_utf8(head.split_at(e.valid_up_to()).0) {
                Ok(s) => s,
                Err(_) => "contract check failed",
            },
        }
    }

    /// Starts a mismatch line: `\n  - <at>: `.
    pub const fn line(self, at: &str) -> Self {
        let mut r = self.push("\n  - ");
        r.count += 1;
        if at.is_empty() {
            r
        } else {
            r.push(at).push(": ")
        }
    }

    /// The finished message: `header`, the lines, `footer`; empty when nothing mismatched.
    pub const fn finish(self, header: &str, footer: &str) -> Self {
        if self.count == 0 || CAP == 0 {
            return self;
        }
        let mut out = Report::EMPTY.push(header);
        out.count = self.count;
        out.push(self.as_str()).push(footer)
    }
}

impl<const CAP: usize> Default for Report<CAP> {
    fn default() -> Self {
        Self::new()
    }
}

pub const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Whether `value` is one of `list`.
pub(super) const fn contains(list: &[&str], value: Str) -> bool {
    let mut i = 0;
    while i < list.len() {
        if value.eq(list[i]) {
            return true;
        }
        i += 1;
    }
    false
}

/// Writes what a shape is, in the words of the messages (`i64`, `string (uuid)`, `component `Pet``).
pub const fn describe_shape<const CAP: usize>(r: Report<CAP>, shape: &Shape) -> Report<CAP> {
    match shape {
        Shape::Any => r.push("any value"),
        Shape::Bool => r.push("`bool`"),
        Shape::Int { bits, signed } => {
            let r = r.push(if *signed { "`i" } else { "`u" });
            r.push_u16(*bits as u16).push("`")
        }
        Shape::Float { bits } => r.push("`f").push_u16(*bits as u16).push("`"),
        Shape::Str { format } => {
            if format.is_empty() {
                r.push("`string`")
            } else {
                r.push("`string` (").push(format).push(")")
            }
        }
        Shape::Enum(_) => r.push("a string enum"),
        Shape::Array(item) => describe_shape(r.push("array of "), item),
        Shape::Map(v) => describe_shape(r.push("map of "), v),
        Shape::Option(inner) => describe_shape(r.push("`Option` of "), inner),
        Shape::Named(n) => r.push("the type bound to component `").push(n).push("`"),
        Shape::Object(_) => r.push("an object (an unbound struct)"),
        Shape::OneOf(_) => r.push("an enum of several shapes"),
        Shape::Unit => r.push("no body (`()`)"),
        Shape::Unsupported(why) => r.push(why),
    }
}

/// Writes what the spec expects (`integer (int64)`, `component `Pet``).
pub const fn describe_expect<const CAP: usize>(r: Report<CAP>, expect: Expect) -> Report<CAP> {
    if CAP == 0 {
        return r;
    }
    match expect.node() {
        Node::Any => r.push("any value"),
        Node::Bool => r.push("`boolean`"),
        Node::Integer(f) => with_format(r.push("`integer`"), f),
        Node::Number(f) => with_format(r.push("`number`"), f),
        Node::String(f) => with_format(r.push("`string`"), f),
        Node::Enum(values) => {
            let mut r = r.push("one of ");
            let mut it = values;
            let mut first = true;
            while let Some((v, rest)) = it.next() {
                if !first {
                    r = r.push(", ");
                }
                first = false;
                r = r.push("`").push_str(v).push("`");
                it = rest;
            }
            r
        }
        Node::Array(item) => describe_expect(r.push("array of "), item),
        Node::Map(v) => describe_expect(r.push("map of "), v),
        Node::Nullable(inner) => describe_expect(r, inner).push(" or null"),
        Node::Component { name, .. } => r.push("component `").push_str(name).push("`"),
        Node::Object { .. } => r.push("an object"),
        Node::OneOf(_) => r.push("one of several schemas (`oneOf`/`anyOf`)"),
    }
}

pub(super) const fn with_format<const CAP: usize>(r: Report<CAP>, format: Str) -> Report<CAP> {
    if format.is_empty() {
        r
    } else {
        r.push(" (").push_str(format).push(")")
    }
}

pub(super) const fn mismatch<const CAP: usize>(
    r: Report<CAP>,
    at: &str,
    shape: &Shape,
    expect: Expect,
) -> Report<CAP> {
    let r = r.line(at);
    if CAP == 0 {
        return r;
    }
    let r = describe_expect(r.push("expected "), expect);
    describe_shape(r.push(", found "), shape)
}
