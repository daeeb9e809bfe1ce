//! The spec side of a check, as the macros emit it, and the const-evaluated comparison of a
//! Rust [`Shape`] against it. A mismatch is written as text into a fixed buffer so that the
//! compile error names the field and both types; `const` evaluation fails `cargo check`.

use crate::schema::{Field, Shape};

/// What the spec expects at one place.
#[derive(Debug, Clone, Copy)]
pub enum Expect {
    /// No constraint the compiler can check (for example a schema with no `type`).
    Any,
    Bool,
    /// `type: integer`, with its `format` (`""` when none).
    Integer(&'static str),
    /// `type: number`, with its `format`.
    Number(&'static str),
    /// `type: string`, with its `format`.
    String(&'static str),
    /// A string `enum`.
    Enum(&'static [&'static str]),
    Array(&'static Expect),
    /// `additionalProperties: <schema>` without `properties`.
    Map(&'static Expect),
    /// `nullable: true`, `type: [T, "null"]`.
    Nullable(&'static Expect),
    /// `$ref: '#/components/schemas/NAME'`; `inline` is the component's own schema when it is
    /// not an object (a string enum, an integer alias…), so unbound Rust types can match it.
    Component {
        name: &'static str,
        inline: Option<&'static Expect>,
    },
    /// An object. `extra`: `additionalProperties` allows properties not listed.
    Object {
        props: &'static [Prop],
        extra: bool,
    },
    /// `oneOf` / `anyOf`.
    OneOf(&'static [Expect]),
}

/// A property of an object (or a parameter, for `Query` and `Path` structs).
#[derive(Debug, Clone, Copy)]
pub struct Prop {
    pub name: &'static str,
    pub expect: &'static Expect,
    pub required: bool,
}

/// Room for one report; longer reports are cut.
pub const REPORT_CAP: usize = 2048;

/// A message being built in a const context.
pub struct Report {
    buf: [u8; REPORT_CAP],
    len: usize,
    /// How many mismatch lines were written.
    pub count: usize,
}

impl Report {
    pub const fn new() -> Self {
        Report {
            buf: [0; REPORT_CAP],
            len: 0,
            count: 0,
        }
    }

    pub const fn push(mut self, text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() && self.len < REPORT_CAP {
            self.buf[self.len] = bytes[i];
            self.len += 1;
            i += 1;
        }
        self
    }

    /// Appends `text`, indenting every line after the first by four more spaces.
    pub const fn push_nested(mut self, text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() && self.len < REPORT_CAP {
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
    pub const fn finish(self, header: &str, footer: &str) -> Report {
        if self.count == 0 {
            return self;
        }
        let mut out = Report::new().push(header);
        out.count = self.count;
        out.push(self.as_str()).push(footer)
    }
}

impl Default for Report {
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

const fn contains(list: &[&str], s: &str) -> bool {
    let mut i = 0;
    while i < list.len() {
        if str_eq(list[i], s) {
            return true;
        }
        i += 1;
    }
    false
}

/// Writes what a shape is, in the words of the messages (`i64`, `string (uuid)`, `component `Pet``).
pub const fn describe_shape(r: Report, shape: &Shape) -> Report {
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
pub const fn describe_expect(r: Report, expect: &Expect) -> Report {
    match expect {
        Expect::Any => r.push("any value"),
        Expect::Bool => r.push("`boolean`"),
        Expect::Integer(f) => with_format(r.push("`integer`"), f),
        Expect::Number(f) => with_format(r.push("`number`"), f),
        Expect::String(f) => with_format(r.push("`string`"), f),
        Expect::Enum(values) => {
            let mut r = r.push("one of ");
            let mut i = 0;
            while i < values.len() {
                if i > 0 {
                    r = r.push(", ");
                }
                r = r.push("`").push(values[i]).push("`");
                i += 1;
            }
            r
        }
        Expect::Array(item) => describe_expect(r.push("array of "), item),
        Expect::Map(v) => describe_expect(r.push("map of "), v),
        Expect::Nullable(inner) => describe_expect(r, inner).push(" or null"),
        Expect::Component { name, .. } => r.push("component `").push(name).push("`"),
        Expect::Object { .. } => r.push("an object"),
        Expect::OneOf(_) => r.push("one of several schemas (`oneOf`/`anyOf`)"),
    }
}

const fn with_format(r: Report, format: &str) -> Report {
    if format.is_empty() {
        r
    } else {
        r.push(" (").push(format).push(")")
    }
}

const fn mismatch(r: Report, at: &str, shape: &Shape, expect: &Expect) -> Report {
    let r = describe_expect(r.line(at).push("expected "), expect);
    describe_shape(r.push(", found "), shape)
}

const fn int_fits(bits: u8, format: &str) -> bool {
    if str_eq(format, "int32") {
        bits <= 32
    } else if str_eq(format, "int64") {
        bits <= 64
    } else {
        true
    }
}

/// Compares `shape` with `expect`, appending a line per mismatch. `at` names the place
/// (`field `name``) for the lines.
pub const fn diff(r: Report, at: &str, shape: &Shape, expect: &Expect) -> Report {
    // Values the Rust side cannot constrain, or the spec does not.
    if let Shape::Any = shape {
        return r;
    }
    match expect {
        Expect::Any => r,
        Expect::Nullable(inner) => match shape {
            Shape::Option(s) => diff(r, at, s, inner),
            _ => diff(r, at, shape, inner),
        },
        _ => match shape {
            Shape::Option(_) => {
                let r = r
                    .line(at)
                    .push("is an `Option`, but the spec does not allow null here (expected ");
                describe_expect(r, expect).push(")")
            }
            _ => diff_non_null(r, at, shape, expect),
        },
    }
}

const fn diff_non_null(r: Report, at: &str, shape: &Shape, expect: &Expect) -> Report {
    match (expect, shape) {
        (_, Shape::Unsupported(_)) => mismatch(r, at, shape, expect),
        (Expect::Bool, Shape::Bool) => r,
        (Expect::Integer(format), Shape::Int { bits, .. }) => {
            if int_fits(*bits, format) {
                r
            } else {
                mismatch(r, at, shape, expect)
            }
        }
        (Expect::Number(format), Shape::Float { bits }) => {
            if str_eq(format, "float") || *bits == 64 {
                r
            } else {
                mismatch(r, at, shape, expect)
            }
        }
        (Expect::String(format), Shape::Str { format: have }) => {
            // A plain Rust string holds any format; a typed one (Uuid) must be that format.
            if have.is_empty() || format.is_empty() || str_eq(format, have) {
                r
            } else {
                mismatch(r, at, shape, expect)
            }
        }
        (Expect::String(_), Shape::Enum(_)) => r,
        // A `String` may carry an enum value; run-time validation checks which.
        (Expect::Enum(_), Shape::Str { format }) if format.is_empty() => r,
        (Expect::Enum(values), Shape::Enum(variants)) => diff_enum(r, at, values, variants),
        (Expect::Array(item), Shape::Array(s)) => {
            let r2 = diff(Report::new(), "", s, item);
            if r2.is_empty() {
                r
            } else {
                mismatch(r, at, shape, expect)
            }
        }
        (Expect::Map(v), Shape::Map(s)) => {
            let r2 = diff(Report::new(), "", s, v);
            if r2.is_empty() {
                r
            } else {
                mismatch(r, at, shape, expect)
            }
        }
        (Expect::Component { name, .. }, Shape::Named(have)) => {
            if str_eq(name, have) {
                r
            } else {
                mismatch(r, at, shape, expect)
            }
        }
        (
            Expect::Component {
                inline: Some(inline),
                ..
            },
            _,
        ) => diff_non_null(r, at, shape, inline),
        (Expect::Component { name, inline: None }, _) => {
            let r = mismatch(r, at, shape, expect);
            r.push(" (derive `Schema` for a type named `")
                .push(name)
                .push("`, or with `#[schema(name = \"")
                .push(name)
                .push("\")]`)")
        }
        (Expect::Object { props, extra }, Shape::Object(fields)) => {
            diff_fields(r, at, fields, props, *extra)
        }
        (Expect::Object { .. }, Shape::Map(_)) => r,
        (_, Shape::OneOf(shapes)) => {
            // Every variant must fit what the spec expects; show the first that does not.
            let mut i = 0;
            while i < shapes.len() {
                let sub = diff(Report::new(), "", &shapes[i], expect);
                if !sub.is_empty() {
                    let r = r
                        .line(at)
                        .push("variant ")
                        .push_u16(i as u16 + 1)
                        .push(" of the enum fits no alternative of the spec:");
                    return r.push_nested(closest(&shapes[i], expect).as_str());
                }
                i += 1;
            }
            r
        }
        (Expect::OneOf(options), _) => {
            let mut i = 0;
            while i < options.len() {
                if diff(Report::new(), "", shape, &options[i]).is_empty() {
                    return r;
                }
                i += 1;
            }
            mismatch(r, at, shape, expect)
        }
        _ => mismatch(r, at, shape, expect),
    }
}

/// The mismatches against the alternative that fits best (fewest mismatches).
const fn closest(shape: &Shape, expect: &Expect) -> Report {
    let Expect::OneOf(options) = expect else {
        return diff(Report::new(), "", shape, expect);
    };
    let mut best = diff(Report::new(), "", shape, &options[0]);
    let mut i = 1;
    while i < options.len() {
        let r = match options[i] {
            Expect::Component {
                inline: Some(inner),
                ..
            } => diff(Report::new(), "", shape, inner),
            other => diff(Report::new(), "", shape, &other),
        };
        if r.count < best.count {
            best = r;
        }
        i += 1;
    }
    best
}

const fn diff_enum(mut r: Report, at: &str, values: &[&str], variants: &[&str]) -> Report {
    let mut i = 0;
    while i < variants.len() {
        if !contains(values, variants[i]) {
            r = r
                .line(at)
                .push("the value `")
                .push(variants[i])
                .push("` is not in the spec's enum");
        }
        i += 1;
    }
    i = 0;
    while i < values.len() {
        if !contains(variants, values[i]) {
            r = r
                .line(at)
                .push("the spec's enum value `")
                .push(values[i])
                .push("` has no variant");
        }
        i += 1;
    }
    r
}

/// Finds the field named `name`, looking through flattened fields.
const fn find_field<'a>(fields: &'a [Field], name: &str) -> Option<&'a Field> {
    let mut i = 0;
    while i < fields.len() {
        let f = &fields[i];
        if let Some(inner) = f.flatten {
            if let Some(found) = find_field(inner, name) {
                return Some(found);
            }
        } else if str_eq(f.name, name) {
            return Some(f);
        }
        i += 1;
    }
    None
}

const fn find_prop<'a>(props: &'a [Prop], name: &str) -> Option<&'a Prop> {
    let mut i = 0;
    while i < props.len() {
        if str_eq(props[i].name, name) {
            return Some(&props[i]);
        }
        i += 1;
    }
    None
}

const fn is_nullable(expect: &Expect) -> bool {
    matches!(expect, Expect::Nullable(_) | Expect::Any)
}

/// Fields of an object against the spec's properties: unknown fields, missing required ones,
/// optionality and types.
pub const fn diff_fields(
    mut r: Report,
    at: &str,
    fields: &[Field],
    props: &[Prop],
    extra: bool,
) -> Report {
    r = diff_field_list(r, at, fields, props, extra);
    let mut i = 0;
    while i < props.len() {
        let p = &props[i];
        if p.required && find_field(fields, p.name).is_none() {
            r = r.line(at).push("missing required `").push(p.name).push("`");
        }
        i += 1;
    }
    r
}

const fn diff_field_list(
    mut r: Report,
    at: &str,
    fields: &[Field],
    props: &[Prop],
    extra: bool,
) -> Report {
    let mut i = 0;
    while i < fields.len() {
        let f = &fields[i];
        if let Some(inner) = f.flatten {
            r = diff_field_list(r, at, inner, props, extra);
            i += 1;
            continue;
        }
        match find_prop(props, f.name) {
            None => {
                if !extra {
                    r = r
                        .line(at)
                        .push("`")
                        .push(f.name)
                        .push("` is not in the spec");
                    let mut j = 0;
                    let mut first = true;
                    while j < props.len() {
                        if find_field(field_slice(fields), props[j].name).is_none() {
                            r = r
                                .push(if first {
                                    " (unused in the spec: "
                                } else {
                                    ", "
                                })
                                .push("`")
                                .push(props[j].name)
                                .push("`");
                            first = false;
                        }
                        j += 1;
                    }
                    if !first {
                        r = r.push(")");
                    }
                }
            }
            Some(p) => {
                let value = match f.shape {
                    Shape::Option(inner) if !p.required || is_nullable(p.expect) => inner,
                    other => other,
                };
                if p.required && !is_nullable(p.expect) && matches!(f.shape, Shape::Option(_)) {
                    r = r.line(at).push("`").push(f.name).push(
                        "` is required and not nullable in the spec, but the field is an `Option`",
                    );
                } else if p.required && f.omittable {
                    r = r.line(at).push("`").push(f.name).push(
                        "` is required in the spec, but `skip_serializing_if` may leave it out",
                    );
                } else {
                    let expect = match p.expect {
                        Expect::Nullable(inner) => inner,
                        other => other,
                    };
                    let sub = diff(Report::new(), "", value, expect);
                    if !sub.is_empty() {
                        r = r.line(at).push("`").push(f.name).push("`: expected ");
                        r = describe_expect(r, expect);
                        r = describe_shape(r.push(", found "), value);
                    }
                }
            }
        }
        i += 1;
    }
    r
}

const fn field_slice(fields: &[Field]) -> &[Field] {
    fields
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

/// Fields that must be optional because the request may leave them out.
const fn diff_optionality(mut r: Report, fields: &[Field], props: &[Prop]) -> Report {
    let mut i = 0;
    while i < fields.len() {
        let f = &fields[i];
        if let Some(inner) = f.flatten {
            r = diff_optionality(r, inner, props);
        } else if let Some(p) = find_prop(props, f.name)
            && !p.required
            && !f.optional
        {
            r = r.line("").push("`").push(f.name).push("` is optional in the spec, but the field is neither an `Option` nor `#[serde(default)]`: a request without it would be rejected");
        }
        i += 1;
    }
    r
}

/// `Query<T>` / `Path<T>` with a struct: `T`'s fields against the parameters.
pub const fn diff_params(
    shape: &Shape,
    fields: Option<&'static [Field]>,
    params: &[Prop],
    header: &str,
    footer: &str,
) -> Report {
    let r = match fields_of(shape, fields) {
        Some(fields) => diff_optionality(
            diff_fields(Report::new(), "", fields, params, false),
            fields,
            params,
        ),
        None => match shape {
            // A map takes whatever is sent.
            Shape::Map(_) | Shape::Any => Report::new(),
            _ => describe_shape(
                Report::new()
                    .line("")
                    .push("expected a struct with one field per parameter, found "),
                shape,
            ),
        },
    };
    r.finish(header, footer)
}

/// A body or a single value against its schema.
pub const fn diff_value(
    shape: &Shape,
    fields: Option<&'static [Field]>,
    expect: &Expect,
    header: &str,
    footer: &str,
) -> Report {
    let r = match (expect, fields_of(shape, fields), shape) {
        // An unbound struct against an inline object: compare field by field.
        (Expect::Object { props, extra }, Some(fields), Shape::Object(_)) => {
            diff_fields(Report::new(), "", fields, props, *extra)
        }
        _ => diff(Report::new(), "", shape, expect),
    };
    r.finish(header, footer)
}

/// What the spec declares for one response.
#[derive(Debug, Clone, Copy)]
pub struct SpecResponse {
    /// `"200"`, `"2XX"` or `"default"`.
    pub key: &'static str,
    /// The schema of its JSON content, when it has one.
    pub json: Option<&'static Expect>,
    /// Its media types, for messages (`""` when it has no content).
    pub media: &'static str,
}

/// 2 for an exact match, 1 for a range (`2XX`) or `default`, 0 for none.
const fn status_match(key: &str, status: u16) -> u8 {
    let k = key.as_bytes();
    if k.len() == 3 {
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
    if str_eq(key, "default") { 1 } else { 0 }
}

const fn find_response(responses: &[SpecResponse], status: u16) -> Option<&SpecResponse> {
    let mut best: Option<&SpecResponse> = None;
    let mut best_rank = 0;
    let mut i = 0;
    while i < responses.len() {
        let rank = status_match(responses[i].key, status)
            + if str_eq(responses[i].key, "default") {
                0
            } else {
                1
            };
        if status_match(responses[i].key, status) > 0 && rank > best_rank {
            best = Some(&responses[i]);
            best_rank = rank;
        }
        i += 1;
    }
    best
}

const fn declared(mut r: Report, responses: &[SpecResponse]) -> Report {
    let mut i = 0;
    while i < responses.len() {
        r = r
            .push(if i == 0 { "" } else { ", " })
            .push(responses[i].key);
        i += 1;
    }
    r
}

/// A handler's responses against the operation's.
pub const fn diff_responses(
    variants: &[crate::responses::ResponseVariant],
    responses: &[SpecResponse],
    header: &str,
    footer: &str,
) -> Report {
    use crate::responses::Body;
    let mut r = Report::new();
    let mut i = 0;
    while i < variants.len() {
        let v = &variants[i];
        i += 1;
        if v.status == 0 {
            // Status chosen at run time: the body must fit one of the declared JSON bodies.
            if let Body::Json(shape, fields) = v.body {
                let mut fits = false;
                let mut j = 0;
                while j < responses.len() {
                    if let Some(e) = responses[j].json
                        && diff_value(shape, fields, e, "", "").is_empty()
                    {
                        fits = true;
                    }
                    j += 1;
                }
                if !fits {
                    r = describe_shape(r.line("").push("`").push(v.name).push("` sends "), shape);
                    r = declared(
                        r.push(", which fits no declared JSON response (declared: "),
                        responses,
                    )
                    .push(")");
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
            continue;
        };
        match (v.body, spec.json) {
            (Body::Json(shape, fields), Some(expect)) => {
                let sub = diff_value(shape, fields, expect, "", "");
                if !sub.is_empty() {
                    r = r
                        .line("")
                        .push("`")
                        .push(v.name)
                        .push("` (")
                        .push_u16(v.status)
                        .push(") does not fit the declared body:");
                    r = r.push_nested(sub.as_str());
                }
            }
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
                    r.push(spec.media)
                };
                r = r.push(" for ").push(spec.key);
            }
            (Body::Empty, _) if !spec.media.is_empty() => {
                r = r
                    .line("")
                    .push("`")
                    .push(v.name)
                    .push("` (")
                    .push_u16(v.status)
                    .push(") sends no body, but the spec declares ")
                    .push(spec.media);
            }
            _ => {}
        }
    }
    r.finish(header, footer)
}

/// `Path<T>` with one parameter: a struct is compared field by field, anything else as a value.
pub const fn diff_path_single(
    shape: &Shape,
    fields: Option<&'static [Field]>,
    params: &[Prop],
    header: &str,
    footer: &str,
) -> Report {
    if fields_of(shape, fields).is_some() || params.is_empty() {
        diff_params(shape, fields, params, header, footer)
    } else {
        diff_value(shape, fields, params[0].expect, header, footer)
    }
}
