//! The spec side of a check, as the macros emit it, and the const-evaluated comparison of a
//! Rust [`Shape`] against it. A mismatch is written as text into a fixed buffer so that the
//! compile error names the field and both types; `const` evaluation fails `cargo check`.
//!
//! Everything here runs in rustc's const evaluator, where each call and each library helper
//! costs far more than at run time (`<[u8]>::split_at` and `str::from_utf8` among them). So the
//! encoded spec side is read by index, strings are compared byte by byte
//! in place, and a check first runs with a [`Report`] of capacity 0, building its message only
//! when something mismatched.

use crate::binding::fields_of;
use crate::schema::{Field, Schema, Shape};

use contract_schema::encoding::HEADER;
pub use contract_schema::encoding::tag;
use contract_schema::hash::fnv1a;

/// Where the payload of the node at `$p` in `$b` ends, at most `$limit`; the caller has checked
/// that its header fits. A macro rather than a const fn: the hot paths read it inline, where a
/// call costs the const evaluator as much as several statements; and it takes locals, since
/// binding expressions again would cost copies.
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

/// The values of an enum node: their count, their hashes ([`fnv1a`]) in ascending order,
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
        let wanted = fnv1a(s.as_bytes());
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

mod diff;
mod report;
mod responses;
#[cfg(test)]
mod tests;

pub use diff::*;
pub use report::*;
pub use responses::*;

// The checks the macros emit: each is the whole initializer of a `const _: () = …;` item.
// `#[track_caller]` makes a failure point at the call, which the macros span over the
// offending type. A call that names its type as a generic argument costs rustc less than the
// same check written with `<T as Schema>::SHAPE` projections, and
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
