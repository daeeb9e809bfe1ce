//! Checking a value against compiled nodes, collecting violations with their instance and
//! schema pointers when asked to.

use super::*;

/// The type bit of a value; an integral float (`1.0`) is an integer, as JSON Schema says.
pub(crate) fn bit_of(value: &Value) -> u8 {
    match value {
        Value::Null => NULL,
        Value::Bool(_) => BOOLEAN,
        Value::Number(n) if is_integer(n) => INTEGER,
        Value::Number(_) => NUMBER,
        Value::String(_) => STRING,
        Value::Array(_) => ARRAY,
        Value::Object(_) => OBJECT,
    }
}

pub(crate) fn is_integer(n: &Number) -> bool {
    n.is_i64()
        || n.is_u64()
        || n.as_f64()
            .is_some_and(|f| f.is_finite() && f.fract() == 0.0)
}

/// Numbers compared exactly where both are 64-bit integers, as `f64` otherwise.
pub(crate) fn compare(a: &Number, b: &Number) -> Option<std::cmp::Ordering> {
    if let (Some(x), Some(y)) = (a.as_i64(), b.as_i64()) {
        return Some(x.cmp(&y));
    }
    if let (Some(x), Some(y)) = (a.as_u64(), b.as_u64()) {
        return Some(x.cmp(&y));
    }
    // One a negative `i64`, the other a `u64` past `i64::MAX`.
    if a.is_i64() && b.is_u64() {
        return Some(std::cmp::Ordering::Less);
    }
    if a.is_u64() && b.is_i64() {
        return Some(std::cmp::Ordering::Greater);
    }
    a.as_f64()?.partial_cmp(&b.as_f64()?)
}

/// JSON equality: numbers by value (`1` equals `1.0`).
pub(crate) fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => compare(x, y) == Some(std::cmp::Ordering::Equal),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| equal(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| equal(v, w)))
        }
        _ => a == b,
    }
}

pub(crate) fn is_multiple(value: &Number, of: &Number) -> bool {
    if let (Some(v), Some(m)) = (value.as_i64(), of.as_i64())
        && m != 0
    {
        return v % m == 0;
    }
    if let (Some(v), Some(m)) = (value.as_u64(), of.as_u64())
        && m != 0
    {
        return v % m == 0;
    }
    let (Some(v), Some(m)) = (value.as_f64(), of.as_f64()) else {
        return true;
    };
    let quotient = v / m;
    if !quotient.is_finite() {
        return true;
    }
    // Decimal multiples (`0.01`) are inexact in binary: a relative tolerance, erring to accept.
    (quotient - quotient.round()).abs() <= 1e-9 * quotient.abs().max(1.0)
}

/// A value as messages show it, cut short: a 5 MB body must not become a 5 MB message.
pub(crate) fn shown(value: &Value) -> String {
    shortened(value.to_string(), 80)
}

pub(crate) struct Run<'n, 'c> {
    pub(crate) nodes: &'n [Node],
    /// Where violations go, and how many are wanted; `None` answers valid or not only.
    pub(crate) collect: Option<(&'c mut Vec<Violation>, usize)>,
    pub(crate) instance_path: String,
    pub(crate) schema_path: String,
    pub(crate) depth: u32,
    /// Schema levels since the last descent into the value.
    pub(crate) hops: u32,
}

impl Run<'_, '_> {
    pub(crate) fn full(&self) -> bool {
        self.collect
            .as_ref()
            .is_some_and(|(found, limit)| found.len() >= *limit)
    }

    /// Records a violation at `keyword` (relative to the current schema path).
    pub(crate) fn fail(&mut self, keyword: &str, message: String) {
        if let Some((found, limit)) = &mut self.collect
            && found.len() < *limit
        {
            found.push(Violation {
                pointer: self.instance_path.clone(),
                schema_path: format!("{}/{keyword}", self.schema_path),
                rule: keyword.to_string(),
                message,
            });
        }
    }

    /// Whether `value` is valid at `node`, with no violations recorded (for `anyOf`, `oneOf`,
    /// `not`, `if` and `contains`).
    pub(crate) fn quietly(&self, node: usize, value: &Value) -> bool {
        let mut run = Run {
            nodes: self.nodes,
            collect: None,
            instance_path: String::new(),
            schema_path: String::new(),
            depth: self.depth,
            hops: self.hops,
        };
        run.check(node, value)
    }

    /// Checks `value` against `node` with `segment` appended to the schema path (and `key` to
    /// the instance path).
    pub(crate) fn descend(
        &mut self,
        node: usize,
        value: &Value,
        segment: Segment,
        key: Option<Key>,
    ) -> bool {
        let (schema_len, instance_len) = (self.schema_path.len(), self.instance_path.len());
        if self.collect.is_some() {
            self.push_path(segment, key);
        }
        let hops = self.hops;
        self.hops = if key.is_some() { 0 } else { hops + 1 };
        let valid = self.check(node, value);
        self.hops = hops;
        self.schema_path.truncate(schema_len);
        self.instance_path.truncate(instance_len);
        valid
    }

    #[inline(never)]
    pub(crate) fn push_path(&mut self, segment: Segment, key: Option<Key>) {
        match segment {
            Segment::Keyword(keyword) => {
                self.schema_path.push('/');
                self.schema_path.push_str(keyword);
            }
            Segment::Indexed(keyword, i) => {
                let _ = write!(self.schema_path, "/{keyword}/{i}");
            }
            Segment::Named(keyword, name) => {
                self.schema_path.push('/');
                self.schema_path.push_str(keyword);
                escape_pointer(name, &mut self.schema_path);
            }
        }
        match key {
            Some(Key::Index(i)) => {
                let _ = write!(self.instance_path, "/{i}");
            }
            Some(Key::Name(name)) => escape_pointer(name, &mut self.instance_path),
            None => {}
        }
    }

    pub(crate) fn check(&mut self, node: usize, value: &Value) -> bool {
        if self.depth > MAX_CHECK_DEPTH || self.hops > MAX_HOPS {
            return true;
        }
        let k = match self.nodes.get(node) {
            Some(Node::Keywords(k)) => k,
            Some(Node::Bool(true)) | None => return true,
            Some(Node::Bool(false)) => {
                self.fail(
                    "falseSchema",
                    format!("False schema does not allow {}", shown(value)),
                );
                return false;
            }
        };
        self.depth += 1;
        let valid = self.keywords(k, value);
        self.depth -= 1;
        valid
    }

    /// The keywords of one schema. Checks that do not recurse live in [`Run::local`], and
    /// messages are built out of line: this frame is on the stack once per schema level.
    pub(crate) fn keywords(&mut self, k: &Keywords, value: &Value) -> bool {
        let collecting = self.collect.is_some();
        let mut valid = true;
        // A failed check: outside collection (or with enough collected) the first one decides.
        macro_rules! failed {
            () => {{
                valid = false;
                if !collecting || self.full() {
                    return false;
                }
            }};
        }
        macro_rules! sub {
            ($ok:expr) => {
                if !$ok {
                    failed!();
                }
            };
        }
        match self.local(k, value) {
            Local::Valid => {}
            // Nothing else is meaningful against a value of the wrong type.
            Local::WrongType => return false,
            Local::Invalid => failed!(),
        }
        if let Some(target) = k.reference {
            sub!(self.descend(target, value, Segment::Keyword("$ref"), None));
        }
        match value {
            Value::Array(items) => {
                for (i, (item, node)) in items.iter().zip(&k.prefix_items).enumerate() {
                    sub!(self.descend(
                        *node,
                        item,
                        Segment::Indexed("prefixItems", i),
                        Some(Key::Index(i))
                    ));
                }
                if let Some(node) = k.items {
                    for (i, item) in items.iter().enumerate().skip(k.prefix_items.len()) {
                        sub!(self.descend(
                            node,
                            item,
                            Segment::Keyword("items"),
                            Some(Key::Index(i))
                        ));
                    }
                }
                if let Some(node) = k.contains {
                    let matching = items.iter().filter(|i| self.quietly(node, i)).count() as u64;
                    if matching < k.min_contains.unwrap_or(1) {
                        self.fail_value("contains", value, Message::Contains);
                        failed!();
                    }
                    if k.max_contains.is_some_and(|max| matching > max) {
                        self.fail_value("maxContains", value, Message::MaxContains);
                        failed!();
                    }
                }
            }
            Value::Object(object) => {
                for (name, node) in &k.dependent_schemas {
                    if object.contains_key(name) {
                        sub!(self.descend(
                            *node,
                            value,
                            Segment::Named("dependentSchemas", name),
                            None
                        ));
                    }
                }
                let mut unexpected = false;
                for (key, item) in object {
                    let mut matched = false;
                    if let Ok(at) = k.properties.binary_search_by(|(n, _)| n.as_str().cmp(key)) {
                        matched = true;
                        let node = k.properties[at].1;
                        sub!(self.descend(
                            node,
                            item,
                            Segment::Named("properties", key),
                            Some(Key::Name(key))
                        ));
                    }
                    for (source, re, node) in &k.pattern_properties {
                        if re.is_match(key) {
                            matched = true;
                            sub!(self.descend(
                                *node,
                                item,
                                Segment::Named("patternProperties", source),
                                Some(Key::Name(key))
                            ));
                        }
                    }
                    if !matched && let Some(node) = k.additional {
                        if matches!(self.nodes.get(node), Some(Node::Bool(false))) {
                            unexpected = true;
                            failed!();
                        } else {
                            sub!(self.descend(
                                node,
                                item,
                                Segment::Keyword("additionalProperties"),
                                Some(Key::Name(key))
                            ));
                        }
                    }
                    if let Some(node) = k.property_names {
                        let name = Value::String(key.clone());
                        sub!(self.descend(node, &name, Segment::Keyword("propertyNames"), None));
                    }
                }
                if unexpected {
                    self.fail_unexpected(k, object);
                }
            }
            _ => {}
        }
        for (i, node) in k.all_of.iter().enumerate() {
            sub!(self.descend(*node, value, Segment::Indexed("allOf", i), None));
        }
        if !k.any_of.is_empty() && !k.any_of.iter().any(|n| self.quietly(*n, value)) {
            self.fail_value("anyOf", value, Message::AnyOf);
            failed!();
        }
        if !k.one_of.is_empty() {
            let passing = k
                .one_of
                .iter()
                .filter(|n| self.quietly(**n, value))
                .take(2)
                .count();
            if passing != 1 {
                let message = if passing == 0 {
                    Message::OneOfNone
                } else {
                    Message::OneOfMany
                };
                self.fail_value("oneOf", value, message);
                failed!();
            }
        }
        if let Some(node) = k.not
            && self.quietly(node, value)
        {
            self.fail_value("not", value, Message::Not);
            failed!();
        }
        if let Some((condition, then, otherwise)) = k.condition {
            let branch = if self.quietly(condition, value) {
                then.map(|n| (n, "then"))
            } else {
                otherwise.map(|n| (n, "else"))
            };
            if let Some((node, keyword)) = branch {
                sub!(self.descend(node, value, Segment::Keyword(keyword), None));
            }
        }
        valid
    }

    /// The checks of one schema that look at `value` alone.
    #[inline(never)]
    pub(crate) fn local(&mut self, k: &Keywords, value: &Value) -> Local {
        let collecting = self.collect.is_some();
        let mut verdict = Local::Valid;
        macro_rules! fail {
            ($keyword:expr, $($message:tt)*) => {{
                verdict = Local::Invalid;
                if !collecting || self.full() {
                    return verdict;
                }
                self.fail($keyword, format!($($message)*));
            }};
        }
        if k.types & bit_of(value) == 0 {
            self.fail(
                "type",
                format!("{} is not of type {}", shown(value), type_names(k.types)),
            );
            return Local::WrongType;
        }
        if let Some(values) = &k.enumeration
            && !values.iter().any(|v| equal(v, value))
        {
            let list = Value::Array(values.iter().take(16).cloned().collect());
            let more = if values.len() > 16 { " (and more)" } else { "" };
            fail!(
                "enum",
                "{} is not one of {}{more}",
                shown(value),
                shown(&list)
            );
        }
        if let Some(constant) = &k.constant
            && !equal(constant, value)
        {
            fail!("const", "{} was expected", shown(constant));
        }
        match value {
            Value::Number(n) => {
                use std::cmp::Ordering::{Greater, Less};
                if let Some(m) = &k.minimum
                    && compare(n, m) == Some(Less)
                {
                    fail!("minimum", "{n} is less than the minimum of {m}");
                }
                if let Some(m) = &k.maximum
                    && compare(n, m) == Some(Greater)
                {
                    fail!("maximum", "{n} is greater than the maximum of {m}");
                }
                if let Some(m) = &k.exclusive_minimum
                    && compare(n, m) != Some(Greater)
                {
                    fail!(
                        "exclusiveMinimum",
                        "{n} is less than or equal to the minimum of {m}"
                    );
                }
                if let Some(m) = &k.exclusive_maximum
                    && compare(n, m) != Some(Less)
                {
                    fail!(
                        "exclusiveMaximum",
                        "{n} is greater than or equal to the maximum of {m}"
                    );
                }
                if let Some(m) = &k.multiple_of
                    && !is_multiple(n, m)
                {
                    fail!("multipleOf", "{n} is not a multiple of {m}");
                }
                if let Some(format) = k.format
                    && !number_fits(format, n)
                {
                    fail!("format", "{n} is not a \"{}\"", format.name());
                }
            }
            Value::String(s) => {
                if k.min_length.is_some() || k.max_length.is_some() {
                    let length = s.chars().count() as u64;
                    if let Some(min) = k.min_length
                        && length < min
                    {
                        fail!(
                            "minLength",
                            "{} is shorter than {min} character{}",
                            shown(value),
                            plural(min)
                        );
                    }
                    if let Some(max) = k.max_length
                        && length > max
                    {
                        fail!(
                            "maxLength",
                            "{} is longer than {max} character{}",
                            shown(value),
                            plural(max)
                        );
                    }
                }
                if let Some((source, re)) = &k.pattern
                    && !re.is_match(s)
                {
                    fail!("pattern", "{} does not match \"{source}\"", shown(value));
                }
                if let Some(format) = k.format
                    && !string_fits(format, s)
                {
                    fail!("format", "{} is not a \"{}\"", shown(value), format.name());
                }
            }
            Value::Array(items) => {
                let n = items.len() as u64;
                if let Some(min) = k.min_items
                    && n < min
                {
                    fail!(
                        "minItems",
                        "{} has less than {min} item{}",
                        shown(value),
                        plural(min)
                    );
                }
                if let Some(max) = k.max_items
                    && n > max
                {
                    fail!(
                        "maxItems",
                        "{} has more than {max} item{}",
                        shown(value),
                        plural(max)
                    );
                }
                if k.unique_items && !unique(items) {
                    fail!("uniqueItems", "{} has non-unique elements", shown(value));
                }
            }
            Value::Object(object) => {
                let n = object.len() as u64;
                if let Some(min) = k.min_properties
                    && n < min
                {
                    fail!(
                        "minProperties",
                        "{} has less than {min} propert{}",
                        shown(value),
                        if min == 1 { "y" } else { "ies" }
                    );
                }
                if let Some(max) = k.max_properties
                    && n > max
                {
                    fail!(
                        "maxProperties",
                        "{} has more than {max} propert{}",
                        shown(value),
                        if max == 1 { "y" } else { "ies" }
                    );
                }
                for name in &k.required {
                    if !object.contains_key(name) {
                        fail!("required", "\"{name}\" is a required property");
                    }
                }
                for (name, deps) in &k.dependent_required {
                    if object.contains_key(name) {
                        for dep in deps {
                            if !object.contains_key(dep) {
                                fail!(
                                    "dependentRequired",
                                    "\"{dep}\" is a required property when \"{name}\" is present"
                                );
                            }
                        }
                    }
                }
            }
            _ => {}
        }
        verdict
    }

    #[cold]
    #[inline(never)]
    pub(crate) fn fail_value(&mut self, keyword: &str, value: &Value, message: Message) {
        if self.collect.is_none() {
            return;
        }
        let shown = shown(value);
        let text = match message {
            Message::Contains => format!("None of {shown} are valid under the given schema"),
            Message::MaxContains => format!("{shown} contains too many matching items"),
            Message::AnyOf => format!(
                "{shown} is not valid under any of the schemas listed in the 'anyOf' keyword"
            ),
            Message::OneOfNone => format!(
                "{shown} is not valid under any of the schemas listed in the 'oneOf' keyword"
            ),
            Message::OneOfMany => format!(
                "{shown} is valid under more than one of the schemas listed in the 'oneOf' keyword"
            ),
            Message::Not => {
                format!("{shown} is not allowed here (it matches the schema under 'not')")
            }
        };
        self.fail(keyword, text);
    }

    #[cold]
    #[inline(never)]
    pub(crate) fn fail_unexpected(&mut self, k: &Keywords, object: &Map<String, Value>) {
        if self.collect.is_none() || self.full() {
            return;
        }
        let names: Vec<String> = object
            .keys()
            .filter(|key| {
                k.properties
                    .binary_search_by(|(n, _)| n.as_str().cmp(key))
                    .is_err()
                    && !k
                        .pattern_properties
                        .iter()
                        .any(|(_, re, _)| re.is_match(key))
            })
            .map(|n| format!("'{n}'"))
            .collect();
        let verb = if names.len() == 1 { "was" } else { "were" };
        self.fail(
            "additionalProperties",
            format!(
                "Additional properties are not allowed ({} {verb} unexpected)",
                names.join(", ")
            ),
        );
    }
}

pub(crate) enum Local {
    Valid,
    Invalid,
    WrongType,
}

#[derive(Clone, Copy)]
pub(crate) enum Message {
    Contains,
    MaxContains,
    AnyOf,
    OneOfNone,
    OneOfMany,
    Not,
}

/// A step into the schema, written out only when violations are collected.
#[derive(Clone, Copy)]
pub(crate) enum Segment<'a> {
    Keyword(&'static str),
    Indexed(&'static str, usize),
    Named(&'static str, &'a str),
}

/// A step into the instance.
#[derive(Clone, Copy)]
pub(crate) enum Key<'a> {
    Index(usize),
    Name(&'a str),
}

pub(crate) fn plural(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

pub(crate) fn unique(items: &[Value]) -> bool {
    // Quadratic only in the worst case: most arrays hold strings or numbers, sorted here.
    if items.iter().all(Value::is_string) {
        let mut strings: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
        strings.sort_unstable();
        return strings.windows(2).all(|w| w[0] != w[1]);
    }
    items
        .iter()
        .enumerate()
        .all(|(i, a)| items[i + 1..].iter().all(|b| !equal(a, b)))
}
