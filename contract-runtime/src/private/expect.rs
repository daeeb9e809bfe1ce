//! The spec side of a check, as the macros emit it, and the const-evaluated comparison of a
//! Rust [`Shape`] against it. A mismatch is written as text into a fixed buffer so that the
//! compile error names the field and both types; `const` evaluation fails `cargo check`.
//!
//! Everything here runs in rustc's const evaluator, where each call and each library helper
//! costs far more than at run time (measured: `<[u8]>::split_at` and `str::from_utf8` about
//! 50 µs each). So the encoded spec side is read by index, strings are compared byte by byte
//! in place, and a check first runs with a [`Report`] of capacity 0, building its message only
//! when something mismatched.

use crate::schema::{Field, Schema, Shape};

/// The node tags of [`Expect`]'s encoding.
pub mod tag {
    /// No constraint the compiler can check (for example a schema with no `type`).
    pub const ANY: u8 = 0;
    pub const BOOL: u8 = 1;
    /// `type: integer`; payload: its `format` (empty when none).
    pub const INTEGER: u8 = 2;
    /// `type: number`; payload: its `format`.
    pub const NUMBER: u8 = 3;
    /// `type: string`; payload: its `format`.
    pub const STRING: u8 = 4;
    /// A string `enum`; payload: the values, as strings.
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

/// Header of a node: the tag and the payload length.
const HEADER: usize = 5;

/// Where the payload of the node at `$p` in `$b` ends, at most `$limit`; the caller has checked
/// that its header fits. A macro rather than a const fn: the hot paths read it inline, where a
/// call costs the const evaluator as much as several statements (measured: 8% of a check);
/// and it takes locals, since binding expressions again would cost copies (measured: 5%).
macro_rules! payload_end {
    ($b:ident, $p:ident, $limit:ident) => {{
        let len = $b[$p + 1] as usize
            | ($b[$p + 2] as usize) << 8
            | ($b[$p + 3] as usize) << 16
            | ($b[$p + 4] as usize) << 24;
        let start = $p + HEADER;
        if len < $limit - start {
            start + len
        } else {
            $limit
        }
    }};
}

/// What the spec expects at one place, as the macros encode it: one byte string per check,
/// so that rustc reads a single literal token instead of type-checking a tree of struct
/// literals (which cost seconds on specs with hundreds of operations).
///
/// A node is a tag byte ([`tag`]), the length of its payload (`u32`, little endian) and the
/// payload: a format as UTF-8, strings as a `u16` length and their bytes, child nodes one after
/// another. The length makes skipping a node O(1).
#[derive(Debug, Clone, Copy)]
pub struct Expect {
    bytes: &'static [u8],
    /// Where this node starts in `bytes`.
    pos: usize,
}

/// A string inside an encoding.
#[derive(Debug, Clone, Copy)]
pub struct Str {
    bytes: &'static [u8],
    pos: usize,
    len: usize,
}

impl Str {
    /// The string at `pos` (its `u16` length, then the bytes), and the position after it.
    const fn read(bytes: &'static [u8], pos: usize, end: usize) -> (Str, usize) {
        if pos + 2 > end {
            return (
                Str {
                    bytes,
                    pos: end,
                    len: 0,
                },
                end,
            );
        }
        let len = bytes[pos] as usize | (bytes[pos + 1] as usize) << 8;
        let start = pos + 2;
        let len = if len < end - start { len } else { end - start };
        (
            Str {
                bytes,
                pos: start,
                len,
            },
            start + len,
        )
    }

    const fn is_empty(self) -> bool {
        self.len == 0
    }

    pub const fn eq(self, s: &str) -> bool {
        let s = s.as_bytes();
        let n = s.len();
        if n != self.len {
            return false;
        }
        let (bytes, pos) = (self.bytes, self.pos);
        let mut i = 0;
        while i < n {
            if bytes[pos + i] != s[i] {
                return false;
            }
            i += 1;
        }
        true
    }

    /// The text, for messages (slow in const evaluation: used when a check failed).
    pub const fn as_str(self) -> &'static str {
        let (_, tail) = self.bytes.split_at(self.pos);
        match core::str::from_utf8(tail.split_at(self.len).0) {
            Ok(s) => s,
            Err(_) => "",
        }
    }
}

/// What a node is, decoded one level deep.
#[derive(Clone, Copy)]
pub enum Node {
    Any,
    Bool,
    Integer(Str),
    Number(Str),
    String(Str),
    Enum(Strs),
    Array(Expect),
    Map(Expect),
    Nullable(Expect),
    Component { name: Str, inline: Option<Expect> },
    Object { props: Props, extra: bool },
    OneOf(Nodes),
}

impl Expect {
    /// The node a macro emitted.
    pub const fn new(bytes: &'static [u8]) -> Expect {
        Expect { bytes, pos: 0 }
    }

    pub const ANY: Expect = Expect::new(&[tag::ANY, 0, 0, 0, 0]);

    pub const fn node(self) -> Node {
        let b = self.bytes;
        let p = self.pos;
        let total = b.len();
        if p + HEADER > total {
            return Node::Any;
        }
        let end = payload_end!(b, p, total);
        let start = p + HEADER;
        // Each value built costs the evaluator an aggregate: only the tag's own are built.
        let inner = Expect {
            bytes: b,
            pos: start,
        };
        match b[p] {
            tag::BOOL => Node::Bool,
            tag::INTEGER => Node::Integer(Str {
                bytes: b,
                pos: start,
                len: end - start,
            }),
            tag::NUMBER => Node::Number(Str {
                bytes: b,
                pos: start,
                len: end - start,
            }),
            tag::STRING => Node::String(Str {
                bytes: b,
                pos: start,
                len: end - start,
            }),
            tag::ENUM => Node::Enum(Strs::read(b, start, end)),
            tag::ARRAY => Node::Array(inner),
            tag::MAP => Node::Map(inner),
            tag::NULLABLE => Node::Nullable(inner),
            tag::COMPONENT => {
                let (name, next) = Str::read(b, start, end);
                Node::Component {
                    name,
                    inline: if next < end {
                        Some(Expect {
                            bytes: b,
                            pos: next,
                        })
                    } else {
                        None
                    },
                }
            }
            tag::OBJECT if start < end => Node::Object {
                props: Props(List {
                    bytes: b,
                    pos: start + 1,
                    end,
                }),
                extra: b[start] == 1,
            },
            tag::ONE_OF => Node::OneOf(Nodes(List {
                bytes: b,
                pos: start,
                end,
            })),
            _ => Node::Any,
        }
    }

    /// The position after this node (where its payload ends).
    const fn after(self) -> usize {
        let b = self.bytes;
        let p = self.pos;
        let total = b.len();
        if p + HEADER > total {
            return total;
        }
        payload_end!(b, p, total)
    }
}

/// A run of items inside an encoding.
#[derive(Debug, Clone, Copy)]
struct List {
    bytes: &'static [u8],
    pos: usize,
    end: usize,
}

/// The values of an enum node: their count, their hashes ([`str_hash`]) in ascending order,
/// then the values themselves in the spec's order. Membership is a binary search over the
/// hashes, so an enum of thousands of values is checked in a few steps a variant (a string
/// comparison per pair would run into rustc's limit on long const evaluations).
#[derive(Clone, Copy)]
pub struct Strs {
    list: List,
    hashes: usize,
    count: usize,
}

impl Strs {
    /// The enum payload at `pos..end`.
    const fn read(bytes: &'static [u8], pos: usize, end: usize) -> Strs {
        let empty = Strs {
            list: List {
                bytes,
                pos: end,
                end,
            },
            hashes: end,
            count: 0,
        };
        if pos + 4 > end {
            return empty;
        }
        let count = bytes[pos] as usize
            | (bytes[pos + 1] as usize) << 8
            | (bytes[pos + 2] as usize) << 16
            | (bytes[pos + 3] as usize) << 24;
        let hashes = pos + 4;
        if count > (end - hashes) / 8 {
            return empty;
        }
        Strs {
            list: List {
                bytes,
                pos: hashes + 8 * count,
                end,
            },
            hashes,
            count,
        }
    }

    pub const fn next(self) -> Option<(Str, Strs)> {
        let l = self.list;
        if l.pos >= l.end {
            return None;
        }
        let (s, pos) = Str::read(l.bytes, l.pos, l.end);
        Some((
            s,
            Strs {
                list: List { pos, ..l },
                ..self
            },
        ))
    }

    /// How many values the enum has.
    const fn len(self) -> usize {
        self.count
    }

    const fn hash_at(self, i: usize) -> u64 {
        let b = self.list.bytes;
        let p = self.hashes + 8 * i;
        u64::from_le_bytes([
            b[p],
            b[p + 1],
            b[p + 2],
            b[p + 3],
            b[p + 4],
            b[p + 5],
            b[p + 6],
            b[p + 7],
        ])
    }

    /// Whether `s` is one of the values.
    const fn contains(self, s: &str) -> bool {
        let wanted = str_hash(s.as_bytes());
        let (mut low, mut high) = (0, self.count);
        while low < high {
            let mid = low + (high - low) / 2;
            let h = self.hash_at(mid);
            if h == wanted {
                return true;
            }
            if h < wanted {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        false
    }
}

/// FNV-1a of a string's bytes: how an enum node indexes its values (the macros hash alike).
pub const fn str_hash(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut i = 0;
    while i < bytes.len() {
        hash = (hash ^ bytes[i] as u64).wrapping_mul(0x0100_0000_01b3);
        i += 1;
    }
    hash
}

/// A list of nodes (`oneOf` alternatives).
#[derive(Clone, Copy)]
pub struct Nodes(List);

impl Nodes {
    pub const fn next(self) -> Option<(Expect, Nodes)> {
        let l = self.0;
        if l.pos >= l.end {
            return None;
        }
        let e = Expect {
            bytes: l.bytes,
            pos: l.pos,
        };
        Some((
            e,
            Nodes(List {
                pos: e.after(),
                ..l
            }),
        ))
    }
}

/// A property of an object (or a parameter, for `Query` and `Path` structs).
#[derive(Clone, Copy)]
pub struct Prop {
    pub name: Str,
    pub expect: Expect,
    pub required: bool,
}

/// The properties of an object node.
#[derive(Clone, Copy)]
pub struct Props(List);

impl Props {
    const EMPTY: Props = Props(List {
        bytes: &[],
        pos: 0,
        end: 0,
    });

    /// The first property and the rest. `Str::read` is written out and the node's end read
    /// inline: the checks step through properties more than through anything else, and each
    /// call costs the const evaluator about as much as five statements.
    pub const fn next(self) -> Option<(Prop, Props)> {
        let List { bytes: b, pos, end } = self.0;
        if pos + 2 > end {
            return None;
        }
        let name_len = b[pos] as usize | (b[pos + 1] as usize) << 8;
        let flag = pos + 2 + name_len;
        if flag >= end {
            return None;
        }
        let node = flag + 1;
        let after = if node + HEADER > end {
            end
        } else {
            payload_end!(b, node, end)
        };
        Some((
            Prop {
                name: Str {
                    bytes: b,
                    pos: pos + 2,
                    len: name_len,
                },
                expect: Expect {
                    bytes: b,
                    pos: node,
                },
                required: b[flag] == 1,
            },
            Props(List {
                bytes: b,
                pos: after,
                end,
            }),
        ))
    }

    /// The property named `name`, its index and the properties after it, searching from `from`
    /// (the properties from index `from_index` on) to the end, then from the start.
    const fn find_from(
        self,
        from: Props,
        from_index: u32,
        name: &str,
    ) -> Option<(Prop, u32, Props)> {
        let mut it = from;
        let mut i = from_index;
        while let Some((p, rest)) = it.next() {
            if p.name.eq(name) {
                return Some((p, i, rest));
            }
            it = rest;
            i += 1;
        }
        let mut it = self;
        let mut i = 0;
        while i < from_index {
            let Some((p, rest)) = it.next() else {
                break;
            };
            if p.name.eq(name) {
                return Some((p, i, rest));
            }
            it = rest;
            i += 1;
        }
        None
    }

    /// Bit `i` set when the `i`th property is required (the first 64), and how many there are.
    const fn required_set(self) -> (u64, u32) {
        let mut set = 0;
        let mut count = 0;
        let mut it = self;
        while let Some((p, rest)) = it.next() {
            if p.required && count < 64 {
                set |= 1 << count;
            }
            count += 1;
            it = rest;
        }
        (set, count)
    }
}

/// The properties of an object node (the parameters of `Query` and `Path` checks are one);
/// none for any other node.
const fn props_of(expect: Expect) -> Props {
    match expect.node() {
        Node::Object { props, .. } => props,
        _ => Props::EMPTY,
    }
}

/// Room for one report; longer reports are cut.
pub const REPORT_CAP: usize = 2048;

/// A message being built in a const context. A check runs first with `CAP = 0`, which only
/// counts mismatches, and again with [`REPORT_CAP`] to write them when there are any.
pub struct Report<const CAP: usize> {
    buf: [u8; CAP],
    len: usize,
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

    const fn push_str(self, text: Str) -> Self {
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
const fn contains(list: &[&str], value: Str) -> bool {
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

const fn with_format<const CAP: usize>(r: Report<CAP>, format: Str) -> Report<CAP> {
    if format.is_empty() {
        r
    } else {
        r.push(" (").push_str(format).push(")")
    }
}

const fn mismatch<const CAP: usize>(
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

const fn int_fits(bits: u8, format: Str) -> bool {
    if format.eq("int32") {
        bits <= 32
    } else if format.eq("int64") {
        bits <= 64
    } else {
        true
    }
}

/// Whether `shape` fits `expect` (a capacity-0 run of [`diff`]).
const fn fits(shape: &Shape, expect: Expect) -> bool {
    diff(Report::<0>::EMPTY, "", shape, expect).count == 0
}

/// Compares `shape` with `expect`, appending a line per mismatch. `at` names the place
/// (`field `name``) for the lines.
pub const fn diff<const CAP: usize>(
    r: Report<CAP>,
    at: &str,
    shape: &Shape,
    expect: Expect,
) -> Report<CAP> {
    // Values the Rust side cannot constrain, or the spec does not.
    if let Shape::Any = shape {
        return r;
    }
    let node = expect.node();
    match node {
        Node::Any => r,
        Node::Nullable(inner) => match shape {
            Shape::Option(s) => diff(r, at, s, inner),
            _ => diff(r, at, shape, inner),
        },
        // A component may itself admit null (`nullable: true`, `type: [.., "null"]`): an
        // `Option` of a type bound to it fits, and an unbound shape is compared with its schema.
        Node::Component {
            inline: Some(inline),
            ..
        } => match (shape, inline.node()) {
            (Shape::Option(s), Node::Nullable(_)) => diff(r, at, s, expect),
            (Shape::Option(_), _) => null_not_allowed(r, at, expect),
            (Shape::Named(_) | Shape::Unsupported(_), _) => {
                diff_non_null(r, at, shape, expect, node)
            }
            _ => diff(r, at, shape, inline),
        },
        _ => match shape {
            Shape::Option(_) => null_not_allowed(r, at, expect),
            _ => diff_non_null(r, at, shape, expect, node),
        },
    }
}

const fn null_not_allowed<const CAP: usize>(
    r: Report<CAP>,
    at: &str,
    expect: Expect,
) -> Report<CAP> {
    let r = r
        .line(at)
        .push("is an `Option`, but the spec does not allow null here (expected ");
    describe_expect(r, expect).push(")")
}

/// `diff` of a node that is not nullable; `node` is `expect` decoded (once: each decoding
/// costs the const evaluator a call).
const fn diff_non_null<const CAP: usize>(
    r: Report<CAP>,
    at: &str,
    shape: &Shape,
    expect: Expect,
    node: Node,
) -> Report<CAP> {
    match (node, shape) {
        (_, Shape::Unsupported(_)) => mismatch(r, at, shape, expect),
        (Node::Bool, Shape::Bool) => r,
        (Node::Integer(format), Shape::Int { bits, .. }) => {
            if int_fits(*bits, format) {
                r
            } else {
                mismatch(r, at, shape, expect)
            }
        }
        (Node::Number(format), Shape::Float { bits }) => {
            if format.eq("float") || *bits == 64 {
                r
            } else {
                mismatch(r, at, shape, expect)
            }
        }
        (Node::String(format), Shape::Str { format: have }) => {
            // A plain Rust string holds any format; a typed one (Uuid) must be that format.
            if have.is_empty() || format.is_empty() || format.eq(have) {
                r
            } else {
                mismatch(r, at, shape, expect)
            }
        }
        (Node::String(_), Shape::Enum(_)) => r,
        // A `String` may carry an enum value; run-time validation checks which.
        (Node::Enum(_), Shape::Str { format }) if format.is_empty() => r,
        (Node::Enum(values), Shape::Enum(variants)) => diff_enum(r, at, values, variants),
        (Node::Array(item), Shape::Array(s)) => {
            if fits(s, item) {
                r
            } else {
                items_differ(r, at, shape, expect, s, item, "items")
            }
        }
        (Node::Map(v), Shape::Map(s)) => {
            if fits(s, v) {
                r
            } else {
                items_differ(r, at, shape, expect, s, v, "values")
            }
        }
        (Node::Component { name, .. }, Shape::Named(have)) => {
            if name.eq(have) {
                r
            } else {
                mismatch(r, at, shape, expect)
            }
        }
        (
            Node::Component {
                inline: Some(inline),
                ..
            },
            _,
        ) => diff(r, at, shape, inline),
        (Node::Component { name, inline: None }, _) => {
            let r = mismatch(r, at, shape, expect);
            r.push(" (derive `Schema` for a type named `")
                .push_str(name)
                .push("`, or with `#[schema(name = \"")
                .push_str(name)
                .push("\")]`)")
        }
        (Node::Object { props, extra }, Shape::Object(fields)) => {
            diff_fields(r, at, fields, props, extra, false)
        }
        (Node::Object { .. }, Shape::Map(_)) => r,
        (_, Shape::OneOf(shapes)) => {
            // Every variant must fit what the spec expects; show the first that does not.
            let mut i = 0;
            while i < shapes.len() {
                if !fits(&shapes[i], expect) {
                    let r = r
                        .line(at)
                        .push("variant ")
                        .push_u16(i as u16 + 1)
                        .push(" of the enum fits no alternative of the spec:");
                    if CAP == 0 {
                        return r;
                    }
                    return r.push_nested(closest(&shapes[i], expect).as_str());
                }
                i += 1;
            }
            r
        }
        (Node::OneOf(options), _) => {
            let mut it = options;
            while let Some((option, rest)) = it.next() {
                if fits(shape, option) {
                    return r;
                }
                it = rest;
            }
            mismatch(r, at, shape, expect)
        }
        _ => mismatch(r, at, shape, expect),
    }
}

/// An array (or a map) whose items (`item_shape`) do not fit the spec's (`item`): the mismatch,
/// or, when the items are structs (or lists or maps), what differs in them (a field of a
/// struct nested in a `Vec`, say), which one line could not say.
const fn items_differ<const CAP: usize>(
    r: Report<CAP>,
    at: &str,
    shape: &Shape,
    expect: Expect,
    item_shape: &Shape,
    item: Expect,
    what: &str,
) -> Report<CAP> {
    // A scalar item is said in full by the line (`array of `string``); a struct is not.
    if CAP == 0 || !holds_struct(item_shape) {
        return mismatch(r, at, shape, expect);
    }
    let sub = diff(Report::<REPORT_CAP>::EMPTY, "", item_shape, item);
    if sub.count == 0 {
        return mismatch(r, at, shape, expect);
    }
    r.line(at)
        .push("in its ")
        .push(what)
        .push(":")
        .push_nested(sub.as_str())
}

/// Whether `shape` is an unbound struct or enum, or a list, map or `Option` of one: what a
/// comparison in detail can say more of than the line that names both sides (anything else
/// would repeat that line).
const fn holds_struct(shape: &Shape) -> bool {
    match shape {
        // An enum with data: its variants against the alternatives, which name a serde tag
        // that differs from the discriminator. A unit-only enum: the variants and values that
        // differ, with the nearest.
        Shape::Object(_) | Shape::OneOf(_) | Shape::Enum(_) => true,
        Shape::Array(s) | Shape::Map(s) | Shape::Option(s) => holds_struct(s),
        _ => false,
    }
}

/// The mismatches against the alternative that fits best (fewest mismatches).
const fn closest(shape: &Shape, expect: Expect) -> Report<REPORT_CAP> {
    let Node::OneOf(options) = expect.node() else {
        return diff(Report::EMPTY, "", shape, expect);
    };
    let mut best: Option<Report<REPORT_CAP>> = None;
    let mut it = options;
    while let Some((option, rest)) = it.next() {
        let target = match (best.is_some(), option.node()) {
            (
                true,
                Node::Component {
                    inline: Some(inner),
                    ..
                },
            ) => inner,
            _ => option,
        };
        let r = diff(Report::EMPTY, "", shape, target);
        best = match best {
            Some(b) if b.count <= r.count => Some(b),
            _ => Some(r),
        };
        it = rest;
    }
    match best {
        Some(b) => b,
        None => Report::EMPTY,
    }
}

const fn diff_enum<const CAP: usize>(
    mut r: Report<CAP>,
    at: &str,
    values: Strs,
    variants: &[&str],
) -> Report<CAP> {
    let mut i = 0;
    let mut found = 0;
    while i < variants.len() {
        if values.contains(variants[i]) {
            found += 1;
        } else {
            r = r
                .line(at)
                .push("the value `")
                .push(variants[i])
                .push("` is not in the spec's enum");
            if CAP > 0 && values.len() <= ENUM_NEAREST_VALUES {
                let near = nearest_value(variants[i], values);
                if !near.is_empty() {
                    r = r.push(" (did you mean `").push_str(near).push("`?)");
                }
            }
        }
        i += 1;
    }
    if found >= values.len() {
        return r;
    }
    let missing = values.len() - found;
    // Which values lack a variant takes a comparison per pair: named, a few, only where that
    // stays small; counted otherwise.
    let mut named = 0;
    if CAP > 0 && values.len() * variants.len() <= ENUM_PAIRS_NAMED {
        let mut it = values;
        while let Some((value, rest)) = it.next() {
            if named == ENUM_VALUES_NAMED {
                break;
            }
            if !contains(variants, value) {
                r = r
                    .line(at)
                    .push("the spec's enum value `")
                    .push_str(value)
                    .push("` has no variant");
                named += 1;
            }
            it = rest;
        }
    }
    if named < missing {
        let rest = missing - named;
        r = r
            .line(at)
            .push(if named > 0 { "and " } else { "" })
            .push_u16(if rest > u16::MAX as usize {
                u16::MAX
            } else {
                rest as u16
            })
            .push(if named > 0 { " more" } else { "" })
            .push(" of the spec's enum values have no variant");
    }
    r
}

/// The value of `values` nearest to `wanted` in edits (within half its length, as the macros
/// suggest names), or an empty string.
const fn nearest_value(wanted: &str, values: Strs) -> Str {
    let mut best = Str {
        bytes: &[],
        pos: 0,
        len: 0,
    };
    let mut best_distance = wanted.len() / 2 + 1;
    let mut it = values;
    while let Some((value, rest)) = it.next() {
        let d = edit_distance(wanted.as_bytes(), value);
        if d < best_distance {
            best_distance = d;
            best = value;
        }
        it = rest;
    }
    best
}

/// Levenshtein distance of two short strings, ASCII case ignored (`usize::MAX` past 32 bytes).
const fn edit_distance(a: &[u8], b: Str) -> usize {
    const MAX: usize = 32;
    if a.len() > MAX || b.len > MAX {
        return usize::MAX;
    }
    let mut row = [0usize; MAX + 1];
    let mut j = 0;
    while j <= b.len {
        row[j] = j;
        j += 1;
    }
    let mut i = 1;
    while i <= a.len() {
        let mut diagonal = row[0];
        row[0] = i;
        let mut j = 1;
        while j <= b.len {
            let above = row[j];
            let same = a[i - 1].eq_ignore_ascii_case(&b.bytes[b.pos + j - 1]);
            let substitute = diagonal + if same { 0 } else { 1 };
            let mut best = if above + 1 < row[j - 1] + 1 {
                above + 1
            } else {
                row[j - 1] + 1
            };
            if substitute < best {
                best = substitute;
            }
            row[j] = best;
            diagonal = above;
            j += 1;
        }
        i += 1;
    }
    row[b.len]
}

/// Above this many (value, variant) pairs, the values without a variant are counted rather
/// than named.
const ENUM_PAIRS_NAMED: usize = 100_000;
/// The values without a variant named before the rest are counted.
const ENUM_VALUES_NAMED: usize = 8;
/// Up to this many values, a value not in the enum is offered the nearest (an edit distance
/// per value, in const evaluation).
const ENUM_NEAREST_VALUES: usize = 64;

/// Finds the field named `name`, looking through flattened fields.
const fn find_field(fields: &[Field], name: Str) -> bool {
    let mut i = 0;
    while i < fields.len() {
        let f = &fields[i];
        if let Some(inner) = f.flatten {
            if find_field(inner, name) {
                return true;
            }
        } else if name.eq(f.name) {
            return true;
        }
        i += 1;
    }
    false
}

/// Fields of an object against the spec's properties: unknown fields, missing required ones,
/// optionality (`params`: the request may leave out an optional parameter) and types.
///
/// One pass over the fields: each is looked up from where the previous one was found, so that
/// fields written in the spec's order (the common case) cost one step each, and the properties
/// found are marked in a bit set, so that the missing required ones are known without looking
/// each up again (const evaluation costs rustc about 1,200 instructions a MIR statement).
pub const fn diff_fields<const CAP: usize>(
    r: Report<CAP>,
    at: &str,
    fields: &[Field],
    props: Props,
    extra: bool,
    params: bool,
) -> Report<CAP> {
    let mut walk = Walk {
        cursor: props,
        index: 0,
        found: 0,
    };
    let mut r = diff_field_list(r, at, fields, fields, props, extra, params, &mut walk);
    let (required, count) = props.required_set();
    if required & !walk.found == 0 && count <= 64 {
        return r;
    }
    let mut it = props;
    let mut i = 0;
    while let Some((p, rest)) = it.next() {
        let found = if i < 64 {
            walk.found & (1 << i) != 0
        } else {
            find_field(fields, p.name)
        };
        if p.required && !found {
            r = r
                .line(at)
                .push("missing required `")
                .push_str(p.name)
                .push("`");
        }
        it = rest;
        i += 1;
    }
    r
}

/// Where [`diff_field_list`] is in the properties, and which it found.
struct Walk {
    /// The properties after the last one found; `index` is the first one's.
    cursor: Props,
    index: u32,
    /// Bit `i`: the `i`th property has a field (the first 64).
    found: u64,
}

/// `list` (the fields at one level of flattening) against the properties; `all` are the
/// fields at the top, for the names of unused properties.
#[allow(clippy::too_many_arguments)]
const fn diff_field_list<const CAP: usize>(
    mut r: Report<CAP>,
    at: &str,
    all: &[Field],
    list: &[Field],
    props: Props,
    extra: bool,
    params: bool,
    walk: &mut Walk,
) -> Report<CAP> {
    let mut i = 0;
    while i < list.len() {
        let f = &list[i];
        i += 1;
        if let Some(inner) = f.flatten {
            r = diff_field_list(r, at, inner, inner, props, extra, params, walk);
            continue;
        }
        let Some((p, index, rest)) = props.find_from(walk.cursor, walk.index, f.name) else {
            if !extra {
                r = r
                    .line(at)
                    .push("`")
                    .push(f.name)
                    .push("` is not in the spec");
                if CAP > 0 {
                    r = unused(r, all, props);
                }
            }
            continue;
        };
        walk.cursor = rest;
        walk.index = index + 1;
        if index < 64 {
            walk.found |= 1 << index;
        }
        // The node is decoded once here: each decoding costs the const evaluator a call.
        let (nullable, expect) = match p.expect.node() {
            Node::Nullable(inner) => (true, inner),
            Node::Any => (true, p.expect),
            _ => (false, p.expect),
        };
        let value = match f.shape {
            Shape::Option(inner) if !p.required || nullable => inner,
            other => other,
        };
        if p.required && !nullable && matches!(f.shape, Shape::Option(_)) {
            r =
                r.line(at).push("`").push(f.name).push(
                    "` is required and not nullable in the spec, but the field is an `Option`",
                );
        } else if p.required && f.omittable {
            r = r
                .line(at)
                .push("`")
                .push(f.name)
                .push("` is required in the spec, but `skip_serializing_if` may leave it out");
        } else if !fits(value, expect) {
            r = r.line(at).push("`").push(f.name).push("`: expected ");
            r = describe_expect(r, expect);
            r = describe_shape(r.push(", found "), value);
            // An unbound struct (or a list or map of one) is compared field by field: say
            // which, where the line above only names the two sides.
            if CAP > 0 && holds_struct(value) {
                let sub = diff(Report::<REPORT_CAP>::EMPTY, "", value, expect);
                if sub.count > 0 {
                    r = r.push(":").push_nested(sub.as_str());
                }
            }
        }
        if params && !p.required && !f.optional {
            r = r.line("").push("`").push(f.name).push("` is optional in the spec, but the field is neither an `Option` nor `#[serde(default)]`: a request without it would be rejected");
        }
    }
    r
}

/// ` (unused in the spec: `a`, `b`)`: the properties no field takes.
const fn unused<const CAP: usize>(
    mut r: Report<CAP>,
    fields: &[Field],
    props: Props,
) -> Report<CAP> {
    let mut first = true;
    let mut it = props;
    while let Some((p, rest)) = it.next() {
        if !find_field(fields, p.name) {
            r = r
                .push(if first {
                    " (unused in the spec: "
                } else {
                    ", "
                })
                .push("`")
                .push_str(p.name)
                .push("`");
            first = false;
        }
        it = rest;
    }
    if !first {
        r = r.push(")");
    }
    r
}

/// The fields a type serializes as, when it is an object.
pub const fn fields_of(
    shape: &Shape,
    fields: Option<&'static [Field]>,
) -> Option<&'static [Field]> {
    match (fields, shape) {
        (Some(f), _) => Some(f),
        (None, Shape::Object(f)) => Some(f),
        _ => None,
    }
}

/// `Query<T>` / `Path<T>` with a struct: `T`'s fields against the parameters (an object node).
pub const fn diff_params<const CAP: usize>(
    shape: &Shape,
    fields: Option<&'static [Field]>,
    params: Expect,
    header: &str,
    footer: &str,
) -> Report<CAP> {
    let props = props_of(params);
    let r = match fields_of(shape, fields) {
        Some(fields) => diff_fields(Report::EMPTY, "", fields, props, false, true),
        None => match shape {
            // A map takes whatever is sent.
            Shape::Map(_) | Shape::Any => Report::EMPTY,
            _ => describe_shape(
                Report::EMPTY
                    .line("")
                    .push("expected a struct with one field per parameter, found "),
                shape,
            ),
        },
    };
    r.finish(header, footer)
}

/// A body or a single value against its schema.
pub const fn diff_value<const CAP: usize>(
    shape: &Shape,
    fields: Option<&'static [Field]>,
    expect: Expect,
    header: &str,
    footer: &str,
) -> Report<CAP> {
    if let (Shape::Any, None) = (shape, fields) {
        return Report::EMPTY;
    }
    let r = match shape {
        // An unbound struct against an inline object: compare field by field.
        Shape::Object(own) => match expect.node() {
            Node::Object { props, extra } => {
                let fields = match fields {
                    Some(fields) => fields,
                    None => own,
                };
                diff_fields(Report::EMPTY, "", fields, props, extra, false)
            }
            _ => diff(Report::EMPTY, "", shape, expect),
        },
        _ => diff(Report::EMPTY, "", shape, expect),
    };
    if CAP == 0 {
        return r;
    }
    r.finish(header, footer)
}

/// `Path<T>` with one parameter: a struct is compared field by field, anything else as a value.
pub const fn diff_path_single<const CAP: usize>(
    shape: &Shape,
    fields: Option<&'static [Field]>,
    params: Expect,
    header: &str,
    footer: &str,
) -> Report<CAP> {
    match props_of(params).next() {
        Some((first, _)) if fields_of(shape, fields).is_none() => {
            diff_value(shape, fields, first.expect, header, footer)
        }
        _ => diff_params(shape, fields, params, header, footer),
    }
}

/// What the spec declares for one response.
#[derive(Clone, Copy)]
pub struct SpecResponse {
    /// `"200"`, `"2XX"` or `"default"`.
    pub key: Str,
    /// The schema of its JSON content, when it has one.
    pub json: Option<Expect>,
    /// Its media types, for messages (empty when it has no content).
    pub media: Str,
    /// What it sends, in the words of a help line (`a JSON body: `Pet``).
    pub help: Str,
}

/// An operation's responses, encoded like [`Expect`]: per response its key, media types and
/// help text (strings), a byte (1: a JSON schema follows) and the schema's node.
#[derive(Debug, Clone, Copy)]
pub struct SpecResponses {
    bytes: &'static [u8],
    pos: usize,
}

impl SpecResponses {
    /// The responses a macro emitted.
    pub const fn new(bytes: &'static [u8]) -> SpecResponses {
        SpecResponses { bytes, pos: 0 }
    }

    pub const fn next(self) -> Option<(SpecResponse, SpecResponses)> {
        let b = self.bytes;
        if self.pos >= b.len() {
            return None;
        }
        let (key, pos) = Str::read(b, self.pos, b.len());
        let (media, pos) = Str::read(b, pos, b.len());
        let (help, pos) = Str::read(b, pos, b.len());
        if pos >= b.len() {
            return None;
        }
        let (json, next) = if b[pos] == 1 {
            let e = Expect {
                bytes: b,
                pos: pos + 1,
            };
            (Some(e), e.after())
        } else {
            (None, pos + 1)
        };
        Some((
            SpecResponse {
                key,
                json,
                media,
                help,
            },
            SpecResponses {
                bytes: b,
                pos: next,
            },
        ))
    }
}

/// 2 for an exact match, 1 for a range (`2XX`) or `default`, 0 for none.
const fn status_match(key: Str, status: u16) -> u8 {
    if key.len == 3 {
        let k = [
            key.bytes[key.pos],
            key.bytes[key.pos + 1],
            key.bytes[key.pos + 2],
        ];
        let digits = [
            (status / 100) as u8 + b'0',
            ((status / 10) % 10) as u8 + b'0',
            (status % 10) as u8 + b'0',
        ];
        if k[0] == digits[0] && k[1] == digits[1] && k[2] == digits[2] {
            return 2;
        }
        if k[0] == digits[0] && (k[1] == b'X' || k[1] == b'x') && (k[2] == b'X' || k[2] == b'x') {
            return 1;
        }
        return 0;
    }
    if key.eq("default") { 1 } else { 0 }
}

const fn find_response(responses: SpecResponses, status: u16) -> Option<SpecResponse> {
    let mut best: Option<SpecResponse> = None;
    let mut best_rank = 0;
    let mut it = responses;
    while let Some((response, rest)) = it.next() {
        let matched = status_match(response.key, status);
        let rank = matched + if response.key.eq("default") { 0 } else { 1 };
        if matched > 0 && rank > best_rank {
            best = Some(response);
            best_rank = rank;
        }
        it = rest;
    }
    best
}

const fn declared<const CAP: usize>(mut r: Report<CAP>, responses: SpecResponses) -> Report<CAP> {
    let mut it = responses;
    let mut first = true;
    while let Some((response, rest)) = it.next() {
        r = r.push(if first { "" } else { ", " }).push_str(response.key);
        first = false;
        it = rest;
    }
    r
}

/// The help line's longest length: it says what the failing statuses send, in a line.
const HELP_LINE_LEN: usize = 200;

/// `help` with what `response` sends added (`200 sends a JSON body: `Pet``), or `…` where the
/// line would grow past [`HELP_LINE_LEN`].
const fn help_part<const CAP: usize>(help: Report<CAP>, response: SpecResponse) -> Report<CAP> {
    let lead = if help.len == 0 { "\nhelp: " } else { "; " };
    let part = lead.len() + response.key.len + " sends ".len() + response.help.len;
    if help.len + part > HELP_LINE_LEN {
        // Once: a line already cut ends with the ellipsis.
        let (head, _) = help.buf.split_at(help.len);
        if head.len() >= 3 && head[head.len() - 1] == 0xa6 {
            return help;
        }
        let cut = if help.len == 0 {
            "\nhelp: …"
        } else {
            "; …"
        };
        return help.push(cut);
    }
    help.push(lead)
        .push_str(response.key)
        .push(" sends ")
        .push_str(response.help)
}

/// A handler's responses against the operation's.
pub const fn diff_responses<const CAP: usize>(
    lists: &[&[crate::responses::ResponseVariant]],
    responses: SpecResponses,
    header: &str,
    footer: &str,
) -> Report<CAP> {
    use crate::responses::Body;
    let mut r = Report::EMPTY;
    // What each failing declared response expects, for the help line.
    let mut help = Report::<CAP>::EMPTY;
    let mut undeclared = false;
    let (mut list, mut i) = (0, 0);
    while list < lists.len() {
        let variants = lists[list];
        if i >= variants.len() {
            (list, i) = (list + 1, 0);
            continue;
        }
        let v = &variants[i];
        i += 1;
        if v.status == 0 {
            // Status chosen at run time: the body must fit one of the declared JSON bodies.
            if let Body::Json(shape, fields) = v.body {
                let mut fits = false;
                let mut it = responses;
                while let Some((response, rest)) = it.next() {
                    if let Some(e) = response.json
                        && diff_value::<0>(shape, fields, e, "", "").count == 0
                    {
                        fits = true;
                        break;
                    }
                    it = rest;
                }
                if !fits {
                    r = describe_shape(r.line("").push("`").push(v.name).push("` sends "), shape);
                    r = declared(
                        r.push(", which fits no declared JSON response (declared: "),
                        responses,
                    )
                    .push(")");
                    let mut it = responses;
                    while let Some((response, rest)) = it.next() {
                        if CAP > 0 && response.json.is_some() {
                            help = help_part(help, response);
                        }
                        it = rest;
                    }
                }
            }
            continue;
        }
        let Some(spec) = find_response(responses, v.status) else {
            r = r
                .line("")
                .push("`")
                .push(v.name)
                .push("` responds ")
                .push_u16(v.status)
                .push(", which the operation does not declare (declared: ");
            r = declared(r, responses).push(")");
            undeclared = true;
            continue;
        };
        let before = r.count;
        match (v.body, spec.json) {
            (Body::Json(shape, fields), Some(expect))
                if diff_value::<0>(shape, fields, expect, "", "").count != 0 =>
            {
                r = r
                    .line("")
                    .push("`")
                    .push(v.name)
                    .push("` (")
                    .push_u16(v.status)
                    .push(") does not fit the declared body:");
                if CAP > 0 {
                    let sub = diff_value::<REPORT_CAP>(shape, fields, expect, "", "");
                    r = r.push_nested(sub.as_str());
                }
            }
            (Body::Json(..), Some(_)) => {}
            (Body::Json(..), None) => {
                r = r
                    .line("")
                    .push("`")
                    .push(v.name)
                    .push("` (")
                    .push_u16(v.status)
                    .push(") sends a JSON body, but the spec declares ");
                r = if spec.media.is_empty() {
                    r.push("no content")
                } else {
                    r.push_str(spec.media)
                };
                r = r.push(" for ").push_str(spec.key);
            }
            (Body::Empty, _) if !spec.media.is_empty() => {
                r = r
                    .line("")
                    .push("`")
                    .push(v.name)
                    .push("` (")
                    .push_u16(v.status)
                    .push(") sends no body, but the spec declares ")
                    .push_str(spec.media);
            }
            _ => {}
        }
        if CAP > 0 && r.count > before {
            help = help_part(help, spec);
        }
    }
    if CAP > 0 && undeclared && help.len == 0 {
        help = help.push("\nhelp: answer with a declared status, or declare this one in the spec");
    }
    r.finish(header, footer).push(help.as_str())
}

// The checks the macros emit: each is the whole initializer of a `const _: () = …;` item.
// `#[track_caller]` makes a failure point at the call, which the macros span over the
// offending type. A call that names its type as a generic argument costs rustc less than the
// same check written with `<T as Schema>::SHAPE` projections (measured: about 1.5x less), and
// each check runs first with a capacity-0 report, writing its message only when it fails.

/// Runs `$diff` counting only, and again writing the message when it found mismatches.
macro_rules! check {
    ($diff:ident($($arg:expr),* $(,)?)) => {
        if $diff::<0>($($arg),*).count != 0 {
            let report = $diff::<REPORT_CAP>($($arg),*);
            panic!("{}", report.as_str());
        }
    };
}

/// A request body (or a field) of type `T` against its schema.
#[track_caller]
pub const fn check_body<T: Schema + ?Sized>(expect: Expect, header: &str, footer: &str) {
    check!(diff_value(&T::SHAPE, T::FIELDS, expect, header, footer));
}

/// A type's own shape against its component (for `#[derive(Schema)]`).
#[track_caller]
pub const fn check_shape(
    shape: &Shape,
    fields: Option<&'static [Field]>,
    expect: Expect,
    header: &str,
    footer: &str,
) {
    check!(diff_value(shape, fields, expect, header, footer));
}

/// `Query<T>` against the operation's query parameters (an object node).
#[track_caller]
pub const fn check_query<T: Schema + ?Sized>(params: Expect, header: &str, footer: &str) {
    check!(diff_params(&T::SHAPE, T::FIELDS, params, header, footer));
}

/// `Path<T>` against the path parameters (an object node).
#[track_caller]
pub const fn check_path<T: Schema + ?Sized>(params: Expect, header: &str, footer: &str) {
    check!(diff_path_single(
        &T::SHAPE,
        T::FIELDS,
        params,
        header,
        footer
    ));
}

/// One element of a `Path` tuple against its parameter (an object node of one property).
#[track_caller]
pub const fn check_path_element<T: Schema + ?Sized>(params: Expect, header: &str, footer: &str) {
    check!(diff_path_single(&T::SHAPE, None, params, header, footer));
}

/// A return type's responses, when it describes them (`variants`: `Probe::RESPONSES`; `sides`:
/// `Probe::SIDES`), against the operation's.
#[track_caller]
pub const fn check_responses(
    variants: Option<&[crate::responses::ResponseVariant]>,
    sides: Option<[&[crate::responses::ResponseVariant]; 2]>,
    responses: SpecResponses,
    header: &str,
    footer: &str,
) {
    match (variants, sides) {
        (Some(variants), _) => check!(diff_responses(&[variants], responses, header, footer)),
        (None, Some(sides)) => check!(diff_responses(&sides, responses, header, footer)),
        (None, None) => {}
    }
}

/// `Json<T>` (`status` 200) or `(StatusCode, Json<T>)` (`status` 0: any) against the
/// operation's responses.
#[track_caller]
pub const fn check_json_response<T: Schema + ?Sized>(
    status: u16,
    responses: SpecResponses,
    header: &str,
    footer: &str,
) {
    let variants = [crate::responses::ResponseVariant {
        name: "Json",
        status,
        body: crate::responses::Body::Json(const { &T::SHAPE }, T::FIELDS),
    }];
    check!(diff_responses(&[&variants], responses, header, footer));
}

#[cfg(test)]
mod tests {
    use super::*;

    // Encodings written out by hand, as the macros emit them.
    const INT64: &[u8] = &[tag::INTEGER, 5, 0, 0, 0, b'i', b'n', b't', b'6', b'4'];
    /// `enum: [open, done]`, as the macros encode it.
    fn status() -> &'static [u8] {
        enum_node(&["open", "done"])
    }

    fn enum_node(values: &[&str]) -> &'static [u8] {
        let mut hashes: Vec<u64> = values.iter().map(|v| str_hash(v.as_bytes())).collect();
        hashes.sort_unstable();
        let mut payload = (values.len() as u32).to_le_bytes().to_vec();
        for h in hashes {
            payload.extend_from_slice(&h.to_le_bytes());
        }
        for v in values {
            payload.extend_from_slice(&(v.len() as u16).to_le_bytes());
            payload.extend_from_slice(v.as_bytes());
        }
        node(tag::ENUM, &payload).leak()
    }
    /// `{ id: integer (int64), required; tag: string }`
    const PET: &[u8] = &[
        tag::OBJECT,
        27,
        0,
        0,
        0,
        0, // not extensible
        2,
        0,
        b'i',
        b'd',
        1,
        tag::INTEGER,
        5,
        0,
        0,
        0,
        b'i',
        b'n',
        b't',
        b'6',
        b'4', //
        3,
        0,
        b't',
        b'a',
        b'g',
        0,
        tag::STRING,
        0,
        0,
        0,
        0,
    ];

    const fn fields(list: &'static [Field]) -> Shape {
        Shape::Object(list)
    }

    fn value(shape: &Shape, fields: Option<&'static [Field]>, expect: &'static [u8]) -> String {
        let quick = diff_value::<0>(shape, fields, Expect::new(expect), "h", "f");
        let full = diff_value::<REPORT_CAP>(shape, fields, Expect::new(expect), "h", "f");
        // The counting run and the writing run agree.
        assert_eq!(quick.count, full.count);
        full.as_str().to_string()
    }

    #[test]
    fn decodes_nodes_and_lists() {
        assert!(matches!(Expect::new(INT64).node(), Node::Integer(f) if f.eq("int64")));
        let Node::Enum(values) = Expect::new(status()).node() else {
            panic!("not an enum")
        };
        assert!(values.contains("open") && values.contains("done") && !values.contains("o"));
        let Node::Object { props, extra } = Expect::new(PET).node() else {
            panic!("not an object")
        };
        assert!(!extra);
        let (id, rest) = props.next().unwrap();
        assert!(id.name.eq("id") && id.required);
        let (tag_prop, rest) = rest.next().unwrap();
        assert_eq!(tag_prop.name.as_str(), "tag");
        assert!(!tag_prop.required && rest.next().is_none());
        // Truncated input reads as "any value" or an empty list, never out of bounds.
        assert!(matches!(Expect::new(&PET[..3]).node(), Node::Any));
        let Node::Object { props, .. } = Expect::new(&PET[..12]).node() else {
            panic!("not an object")
        };
        assert!(
            props
                .next()
                .is_some_and(|(p, rest)| p.name.eq("id") && rest.next().is_none())
        );
    }

    const I64: Shape = Shape::Int {
        bits: 64,
        signed: true,
    };
    const STR: Shape = Shape::Str { format: "" };
    /// A struct whose one field, `ident`, is not a property of `PET`.
    static IDENT_ONLY: [Field; 1] = [Field {
        name: "ident",
        shape: &I64,
        optional: false,
        omittable: false,
        flatten: None,
    }];

    #[test]
    fn reports_mismatches_only_when_there_are_some() {
        assert_eq!(value(&I64, None, INT64), "");
        assert_eq!(
            value(&STR, None, INT64),
            "h\n  - expected `integer` (int64), found `string`f"
        );
        static GOOD: [Field; 1] = [Field {
            name: "id",
            shape: &I64,
            optional: false,
            omittable: false,
            flatten: None,
        }];
        assert_eq!(value(&fields(&GOOD), None, PET), "");
        assert_eq!(
            value(&fields(&IDENT_ONLY), None, PET),
            "h\n  - `ident` is not in the spec (unused in the spec: `id`, `tag`)\n  - missing required `id`f"
        );
        const OPEN_DONE: Shape = Shape::Enum(&["open", "closed"]);
        assert_eq!(
            value(&OPEN_DONE, None, status()),
            "h\n  - the value `closed` is not in the spec's enum\n  - the spec's enum value `done` has no variantf"
        );
    }

    #[test]
    fn a_struct_in_a_list_is_compared_field_by_field() {
        const LIST: Shape = Shape::Array(&Shape::Object(&IDENT_ONLY));
        let pets: &'static [u8] = node(tag::ARRAY, PET).leak();
        assert_eq!(
            value(&LIST, None, pets),
            "h\n  - in its items:\n      - `ident` is not in the spec (unused in the spec: `id`, `tag`)\n      - missing required `id`f"
        );
        // A scalar item is said in one line.
        const STRINGS: Shape = Shape::Array(&STR);
        let ints: &'static [u8] = node(tag::ARRAY, INT64).leak();
        assert_eq!(
            value(&STRINGS, None, ints),
            "h\n  - expected array of `integer` (int64), found array of `string`f"
        );
    }

    /// A node as the macros encode one: tag, payload length, payload.
    fn node(tag: u8, payload: &[u8]) -> Vec<u8> {
        let mut bytes = vec![tag];
        bytes.extend_from_slice(&(payload.len() as u32).to_le_bytes());
        bytes.extend_from_slice(payload);
        bytes
    }

    /// `$ref` to a component named `name` whose schema is `inline`.
    fn component(name: &str, inline: &[u8]) -> &'static [u8] {
        let mut payload = (name.len() as u16).to_le_bytes().to_vec();
        payload.extend_from_slice(name.as_bytes());
        payload.extend_from_slice(inline);
        node(tag::COMPONENT, &payload).leak()
    }

    #[test]
    fn the_help_line_stays_short() {
        let long = "a JSON body: ".to_string() + &"x".repeat(120);
        let mut bytes = Vec::new();
        for key in ["200", "201", "202"] {
            for text in [key, "application/json", long.as_str()] {
                bytes.extend_from_slice(&(text.len() as u16).to_le_bytes());
                bytes.extend_from_slice(text.as_bytes());
            }
            bytes.push(1);
            bytes.extend_from_slice(INT64);
        }
        const STR_SHAPE: Shape = Shape::Str { format: "" };
        let report = diff_responses::<REPORT_CAP>(
            &[&[crate::responses::ResponseVariant {
                name: "(StatusCode, Json)",
                status: 0,
                body: crate::responses::Body::Json(&STR_SHAPE, None),
            }]],
            SpecResponses::new(Vec::leak(bytes)),
            "h",
            "",
        );
        let help = report.as_str().lines().last().unwrap();
        assert!(
            help.starts_with("help: 200 sends a JSON body: xxx"),
            "{help}"
        );
        assert!(
            help.ends_with("; …") && help.len() <= 200,
            "{} bytes: {help}",
            help.len()
        );
    }

    #[test]
    fn large_enums_are_matched_by_hash() {
        let names: Vec<String> = (0..5000).map(|i| format!("zone{i:04}")).collect();
        let values: Vec<&str> = names.iter().map(String::as_str).collect();
        let spec = enum_node(&values);
        let variants: &'static [&'static str] = values
            .iter()
            .map(|v| &*v.to_string().leak())
            .collect::<Vec<_>>()
            .leak();
        let all: &'static Shape = Box::leak(Box::new(Shape::Enum(variants)));
        assert_eq!(value(all, None, spec), "");
        // One variant misspelt: named, and the value it left without a variant counted.
        let mut wrong = variants.to_vec();
        wrong[17] = "zone-0017";
        let wrong: &'static Shape = Box::leak(Box::new(Shape::Enum(wrong.leak())));
        assert_eq!(
            value(wrong, None, spec),
            "h\n  - the value `zone-0017` is not in the spec's enum\n  - 1 of the spec's enum values have no variantf"
        );
        // A value not in a small enum is offered the nearest, case aside.
        const MISSPELT: Shape = Shape::Enum(&["Opne", "done"]);
        assert_eq!(
            value(&MISSPELT, None, status()),
            "h\n  - the value `Opne` is not in the spec's enum (did you mean `open`?)\n  - the spec's enum value `open` has no variantf"
        );
        // Small enums name the value without a variant.
        const OPEN: Shape = Shape::Enum(&["open"]);
        assert_eq!(
            value(&OPEN, None, status()),
            "h\n  - the spec's enum value `done` has no variantf"
        );
    }

    #[test]
    fn a_component_that_admits_null_admits_an_option() {
        const OPT_STR: Shape = Shape::Option(&STR);
        const OPT_NAMED: Shape = Shape::Option(&Shape::Named("Kind"));
        let nullable = component("Kind", &node(tag::NULLABLE, status()));
        assert_eq!(value(&OPT_STR, None, nullable), "");
        assert_eq!(value(&STR, None, nullable), "");
        assert_eq!(value(&OPT_NAMED, None, nullable), "");
        // Under an outer `nullable` too (a property that may be absent).
        let twice: &'static [u8] = node(tag::NULLABLE, nullable).leak();
        assert_eq!(value(&OPT_STR, None, twice), "");
        let plain = component("Kind", status());
        assert_eq!(value(&STR, None, plain), "");
        assert_eq!(
            value(&OPT_STR, None, plain),
            "h\n  - is an `Option`, but the spec does not allow null here (expected component `Kind`)f"
        );
        assert_eq!(
            value(&OPT_NAMED, None, plain),
            "h\n  - is an `Option`, but the spec does not allow null here (expected component `Kind`)f"
        );
        const INT: Shape = Shape::Int {
            bits: 64,
            signed: true,
        };
        assert_eq!(
            value(&Shape::Option(&INT), None, nullable),
            "h\n  - expected one of `open`, `done`, found `i64`f"
        );
    }

    /// An object node of `(name, required)` string properties.
    fn object(props: &[(String, bool)]) -> &'static [u8] {
        let mut payload = vec![0];
        for (name, required) in props {
            payload.extend_from_slice(&(name.len() as u16).to_le_bytes());
            payload.extend_from_slice(name.as_bytes());
            payload.push(*required as u8);
            payload.extend(node(tag::STRING, &[]));
        }
        node(tag::OBJECT, &payload).leak()
    }

    fn string_fields(names: &[&str], optional: bool) -> &'static [Field] {
        let fields: Vec<Field> = names
            .iter()
            .map(|name| Field {
                name: String::leak(name.to_string()),
                shape: &STR,
                optional,
                omittable: false,
                flatten: None,
            })
            .collect();
        fields.leak()
    }

    fn params(fields: &'static [Field], expect: &'static [u8]) -> String {
        let shape = Shape::Object(fields);
        let quick = diff_params::<0>(&shape, None, Expect::new(expect), "h", "f");
        let full = diff_params::<REPORT_CAP>(&shape, None, Expect::new(expect), "h", "f");
        assert_eq!(quick.count, full.count);
        full.as_str().to_string()
    }

    #[test]
    fn finds_fields_in_any_order_and_the_required_ones_missing() {
        // 70 properties: past the 64 the found set records; every third one required.
        let names: Vec<String> = (0..70).map(|i| format!("p{i}")).collect();
        let props: Vec<(String, bool)> = names
            .iter()
            .map(|n| {
                (
                    n.clone(),
                    names.iter().position(|m| m == n).unwrap() % 3 == 0,
                )
            })
            .collect();
        let spec = object(&props);
        let all: Vec<&str> = names.iter().map(String::as_str).collect();
        assert_eq!(params(string_fields(&all, true), spec), "");
        let reversed: Vec<&str> = all.iter().rev().copied().collect();
        assert_eq!(params(string_fields(&reversed, true), spec), "");
        // Some in order, one out of order, one twice; p3 and p66 (required) left out.
        let some = ["p0", "p1", "p5", "p2", "p6", "p69", "p6"];
        let mut rest: Vec<&str> = all[7..]
            .iter()
            .copied()
            .filter(|n| *n != "p66" && *n != "p69")
            .collect();
        rest.extend(some);
        assert_eq!(
            params(string_fields(&rest, true), spec),
            "h\n  - missing required `p3`\n  - missing required `p66`f"
        );
        // A required parameter need not be an `Option`; an optional one must be.
        let spec = object(&[("a".into(), true), ("b".into(), false)]);
        assert_eq!(
            params(string_fields(&["b", "a"], false), spec),
            "h\n  - `b` is optional in the spec, but the field is neither an `Option` nor `#[serde(default)]`: a request without it would be rejectedf"
        );
    }

    #[test]
    fn matches_responses_by_status() {
        // 200 with an int64 body, 4XX without content.
        let mut bytes = vec![3, 0, b'2', b'0', b'0', 16, 0];
        bytes.extend_from_slice(b"application/json");
        bytes.extend_from_slice(&[6, 0]);
        bytes.extend_from_slice(b"an i64");
        bytes.push(1);
        bytes.extend_from_slice(INT64);
        bytes.extend_from_slice(&[3, 0, b'4', b'X', b'X', 0, 0, 7, 0]);
        bytes.extend_from_slice(b"no body");
        bytes.push(0);
        let responses = SpecResponses::new(Vec::leak(bytes));
        assert!(find_response(responses, 200).is_some_and(|r| r.json.is_some()));
        assert!(find_response(responses, 404).is_some_and(|r| r.key.eq("4XX")));
        assert!(find_response(responses, 500).is_none());
        let report = diff_responses::<REPORT_CAP>(
            &[&[crate::responses::ResponseVariant {
                name: "Gone",
                status: 410,
                body: crate::responses::Body::Empty,
            }]],
            responses,
            "",
            "",
        );
        assert!(report.is_empty(), "{}", report.as_str());
        // A failing response's help line says what that status sends, and only that.
        const STR_SHAPE: Shape = Shape::Str { format: "" };
        let report = diff_responses::<REPORT_CAP>(
            &[&[
                crate::responses::ResponseVariant {
                    name: "Found",
                    status: 200,
                    body: crate::responses::Body::Json(&STR_SHAPE, None),
                },
                crate::responses::ResponseVariant {
                    name: "Missing",
                    status: 404,
                    body: crate::responses::Body::Empty,
                },
            ]],
            responses,
            "h",
            "\nspec: s",
        );
        assert_eq!(
            report.as_str(),
            "h\n  - `Found` (200) does not fit the declared body:\n      - expected `integer` (int64), found `string`\nspec: s\nhelp: 200 sends an i64"
        );
    }
}
