//! The comparison of a Rust [`Shape`] (and its fields) with an expectation: types, formats,
//! nullability, enums, fields against properties.

use super::*;

pub(super) const fn int_fits(bits: u8, format: Str) -> bool {
    if format.eq("int32") {
        bits <= 32
    } else if format.eq("int64") {
        bits <= 64
    } else {
        true
    }
}

/// Whether `shape` fits `expect` (a capacity-0 run of [`diff`]).
pub(super) const fn fits(shape: &Shape, expect: Expect) -> bool {
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

pub(super) const fn null_not_allowed<const CAP: usize>(
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
pub(super) const fn diff_non_null<const CAP: usize>(
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
pub(super) const fn items_differ<const CAP: usize>(
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
pub(super) const fn holds_struct(shape: &Shape) -> bool {
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
pub(super) const fn closest(shape: &Shape, expect: Expect) -> Report<REPORT_CAP> {
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

pub(super) const fn diff_enum<const CAP: usize>(
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
pub(super) const fn nearest_value(wanted: &str, values: Strs) -> Str {
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
pub(super) const fn edit_distance(a: &[u8], b: Str) -> usize {
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
pub(super) const ENUM_PAIRS_NAMED: usize = 100_000;
/// The values without a variant named before the rest are counted.
pub(super) const ENUM_VALUES_NAMED: usize = 8;
/// Up to this many values, a value not in the enum is offered the nearest (an edit distance
/// per value, in const evaluation).
pub(super) const ENUM_NEAREST_VALUES: usize = 64;

/// Finds the field named `name`, looking through flattened fields.
pub(super) const fn find_field(fields: &[Field], name: Str) -> bool {
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
pub(super) struct Walk {
    /// The properties after the last one found; `index` is the first one's.
    cursor: Props,
    index: u32,
    /// Bit `i`: the `i`th property has a field (the first 64).
    found: u64,
}

/// `list` (the fields at one level of flattening) against the properties; `all` are the
/// fields at the top, for the names of unused properties.
#[allow(clippy::too_many_arguments)]
pub(super) const fn diff_field_list<const CAP: usize>(
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
pub(super) const fn unused<const CAP: usize>(
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
