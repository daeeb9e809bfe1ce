//! Values generated to fit (or, on purpose, to break) the bundle's schemas. Deterministic: the
//! same seed gives the same values.

use serde_json::{Map, Value, json};

use crate::validate::Contract;

/// splitmix64: small, fast, and good enough to vary test inputs.
pub(crate) struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }

    pub fn coin(&mut self) -> bool {
        self.next() & 1 == 1
    }
}

/// Whether a schema only describes (title, description, examples, …) and constrains nothing.
fn annotates_only(schema: &Value) -> bool {
    schema.as_object().is_some_and(|map| {
        map.keys()
            .all(|k| contract_schema::ANNOTATIONS.contains(&k.as_str()) || k.starts_with("x-"))
    })
}

fn types(schema: &Value) -> Vec<&str> {
    match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// The main type of a schema (`null` only when it is the only one).
pub(crate) fn main_type<'a>(contract: &'a Contract, schema: &'a Value) -> &'a str {
    let schema = contract.resolve(schema);
    let ts = types(schema);
    if let Some(t) = ts.iter().find(|t| **t != "null") {
        return t;
    }
    if ts.contains(&"null") {
        return "null";
    }
    if schema.get("properties").is_some() {
        return "object";
    }
    if schema.get("items").is_some() {
        return "array";
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(Value::Array(items)) = schema.get(key)
            && let Some(first) = items.first()
        {
            return main_type(contract, first);
        }
    }
    if let Some(Value::Array(values)) = schema.get("enum")
        && let Some(v) = values.iter().find(|v| !v.is_null())
    {
        return match v {
            Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
            Value::Number(_) => "number",
            Value::Bool(_) => "boolean",
            _ => "string",
        };
    }
    "string"
}

/// A value that fits `schema`.
pub(crate) fn valid(contract: &Contract, schema: &Value, rng: &mut Rng, depth: usize) -> Value {
    let schema = contract.resolve(schema);
    let Value::Object(map) = schema else {
        return if schema == &Value::Bool(false) {
            Value::Null
        } else {
            json!("x")
        };
    };
    if let Some(c) = map.get("const") {
        return c.clone();
    }
    if let Some(Value::Array(values)) = map.get("enum") {
        let non_null: Vec<&Value> = values.iter().filter(|v| !v.is_null()).collect();
        if !non_null.is_empty() {
            return non_null[rng.below(non_null.len() as u64) as usize].clone();
        }
    }
    if let Some(Value::Array(members)) = map.get("allOf") {
        let mut merged = Map::new();
        let mut other = None;
        // A member that only annotates (`$ref` with a sibling `description`, as bundled:
        // `allOf: [{$ref}, {description}]`) constrains nothing: a value made up for it would
        // replace the referenced schema's (a `format: date` got "abc").
        for m in members
            .iter()
            .filter(|m| !annotates_only(contract.resolve(m)))
        {
            match valid(contract, m, rng, depth + 1) {
                Value::Object(o) => merged.extend(o),
                v => other = Some(v),
            }
        }
        let own = if map.get("properties").is_some() {
            object(contract, map, rng, depth)
        } else {
            Map::new()
        };
        merged.extend(own);
        return if merged.is_empty() {
            other.unwrap_or(Value::Object(merged))
        } else {
            Value::Object(merged)
        };
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(Value::Array(options)) = map.get(key) {
            let options: Vec<&Value> = options
                .iter()
                .filter(|o| types(contract.resolve(o)) != ["null"])
                .collect();
            if !options.is_empty() {
                return valid(
                    contract,
                    options[rng.below(options.len() as u64) as usize],
                    rng,
                    depth + 1,
                );
            }
        }
    }
    if depth > 8 {
        return Value::Null;
    }
    match main_type(contract, schema) {
        "integer" => {
            let (lo, hi) = int_bounds(map);
            // Bounds may be anywhere in `i64` (`int64` schemas state its limits).
            let v = lo
                .saturating_add(rng.below(hi.saturating_sub(lo).clamp(0, 1000) as u64 + 1) as i64);
            match map.get("multipleOf").and_then(Value::as_i64) {
                Some(m) if m > 0 => {
                    json!(
                        (v / m)
                            .max(lo.div_euclid(m).saturating_add(1))
                            .saturating_mul(m)
                    )
                }
                _ => json!(v),
            }
        }
        "number" => {
            let lo = map.get("minimum").and_then(Value::as_f64).unwrap_or(0.0);
            let lo = map
                .get("exclusiveMinimum")
                .and_then(Value::as_f64)
                .map_or(lo, |e| e + 0.5);
            let hi = map
                .get("maximum")
                .and_then(Value::as_f64)
                .unwrap_or(lo + 100.0);
            let hi = map
                .get("exclusiveMaximum")
                .and_then(Value::as_f64)
                .map_or(hi, |e| e - 0.5);
            json!(lo + (hi - lo).max(0.0) * (rng.below(100) as f64 / 100.0))
        }
        "boolean" => json!(rng.coin()),
        "null" => Value::Null,
        "array" => {
            let min = map.get("minItems").and_then(Value::as_u64).unwrap_or(0);
            let max = map
                .get("maxItems")
                .and_then(Value::as_u64)
                .unwrap_or(min.max(2));
            let n = (min.max(1)).min(max);
            let items = map.get("items").cloned().unwrap_or(Value::Bool(true));
            Value::Array(
                (0..n)
                    .map(|_| valid(contract, &items, rng, depth + 1))
                    .collect(),
            )
        }
        "object" => Value::Object(object(contract, map, rng, depth)),
        _ => json!(string(map, rng)),
    }
}

fn int_bounds(map: &Map<String, Value>) -> (i64, i64) {
    let lo = map.get("minimum").and_then(Value::as_i64).unwrap_or(1);
    let lo = map
        .get("exclusiveMinimum")
        .and_then(Value::as_i64)
        .map_or(lo, |e| e.saturating_add(1));
    let hi = map
        .get("maximum")
        .and_then(Value::as_i64)
        .unwrap_or(lo.saturating_add(100));
    let hi = map
        .get("exclusiveMaximum")
        .and_then(Value::as_i64)
        .map_or(hi, |e| e.saturating_sub(1));
    (lo, hi.max(lo))
}

fn object(
    contract: &Contract,
    map: &Map<String, Value>,
    rng: &mut Rng,
    depth: usize,
) -> Map<String, Value> {
    let mut out = Map::new();
    let required: Vec<&str> = map
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if let Some(Value::Object(props)) = map.get("properties") {
        for (name, prop) in props {
            if prop == &Value::Bool(false) {
                continue;
            }
            if required.contains(&name.as_str()) || rng.coin() {
                out.insert(name.clone(), valid(contract, prop, rng, depth + 1));
            }
        }
    }
    for name in required {
        out.entry(name.to_string()).or_insert_with(|| json!("x"));
    }
    out
}

fn string(map: &Map<String, Value>, rng: &mut Rng) -> String {
    let format = map.get("format").and_then(Value::as_str).unwrap_or("");
    let fixed = match format {
        "date-time" => Some("2024-01-02T03:04:05Z"),
        "date" => Some("2024-01-02"),
        "time" => Some("03:04:05Z"),
        "uuid" => Some("123e4567-e89b-42d3-a456-426614174000"),
        "email" => Some("user@example.com"),
        "uri" | "url" => Some("https://example.com/a"),
        "hostname" => Some("example.com"),
        "ipv4" => Some("127.0.0.1"),
        "ipv6" => Some("::1"),
        "byte" => Some("aGVsbG8="),
        _ => None,
    };
    if let Some(f) = fixed {
        return f.to_string();
    }
    let min = map.get("minLength").and_then(Value::as_u64).unwrap_or(1) as usize;
    let max = map
        .get("maxLength")
        .and_then(Value::as_u64)
        .map_or(usize::MAX, |m| m as usize);
    let fit = |s: &str| -> String {
        let mut s: String = s.chars().take(max).collect();
        while s.chars().count() < min {
            s.push(s.chars().last().unwrap_or('a'));
        }
        s
    };
    let candidates = ["abc", "rex", "a1b2", "x", "ABC", "123", "a-b_c", "abc def"];
    let start = rng.below(candidates.len() as u64) as usize;
    if let Some(pattern) = map.get("pattern").and_then(Value::as_str)
        && let Ok(re) = regex_lite::Regex::new(pattern)
    {
        for i in 0..candidates.len() {
            let c = fit(candidates[(start + i) % candidates.len()]);
            if re.is_match(&c) {
                return c;
            }
        }
        if let Some(sample) = sample_pattern(pattern, rng)
            && re.is_match(&sample)
            && (min..=max).contains(&sample.chars().count())
        {
            return sample;
        }
    }
    fit(candidates[start])
}

/// A string that a simple pattern matches (`^[A-Z]{3}-[0-9]{4}$`, `\d+(\.\d+)?`): literals,
/// `.`, `\d`/`\w`/`\s`, classes, groups (their first alternative) and quantifiers. `None` for
/// what it does not read; the caller checks the result against the pattern anyway.
fn sample_pattern(pattern: &str, rng: &mut Rng) -> Option<String> {
    fn sequence(chars: &[char], i: &mut usize, rng: &mut Rng, depth: u8) -> Option<String> {
        if depth > 8 {
            return None;
        }
        let mut out = String::new();
        while *i < chars.len() {
            let c = chars[*i];
            let atom: String = match c {
                ')' | '|' => break,
                '^' | '$' => {
                    *i += 1;
                    continue;
                }
                '(' => {
                    *i += 1;
                    if chars.get(*i) == Some(&'?') {
                        // `(?:…)`: a group that does not capture.
                        *i += 2;
                    }
                    let first = sequence(chars, i, rng, depth + 1)?;
                    // Skip the other alternatives.
                    let mut open = 0usize;
                    while *i < chars.len() {
                        match chars[*i] {
                            '\\' => *i += 1,
                            '(' => open += 1,
                            ')' if open == 0 => break,
                            ')' => open -= 1,
                            _ => {}
                        }
                        *i += 1;
                    }
                    if chars.get(*i) != Some(&')') {
                        return None;
                    }
                    *i += 1;
                    first
                }
                '[' => {
                    *i += 1;
                    if chars.get(*i) == Some(&'^') {
                        return None;
                    }
                    let first = match chars.get(*i)? {
                        '\\' => {
                            *i += 1;
                            escaped(*chars.get(*i)?)?
                        }
                        c => *c,
                    };
                    while *i < chars.len() && chars[*i] != ']' {
                        if chars[*i] == '\\' {
                            *i += 1;
                        }
                        *i += 1;
                    }
                    *i += 1;
                    first.to_string()
                }
                '\\' => {
                    *i += 1;
                    let e = escaped(*chars.get(*i)?)?;
                    *i += 1;
                    e.to_string()
                }
                '.' => {
                    *i += 1;
                    "a".to_string()
                }
                '*' | '+' | '?' | '{' => return None,
                c => {
                    *i += 1;
                    c.to_string()
                }
            };
            let (low, high) = match chars.get(*i) {
                Some('*') => (0, 2),
                Some('+') => (1, 3),
                Some('?') => (0, 1),
                Some('{') => {
                    let close = chars[*i..].iter().position(|c| *c == '}')? + *i;
                    let inner: String = chars[*i + 1..close].iter().collect();
                    let (a, b) = match inner.split_once(',') {
                        Some((a, "")) => {
                            (a.trim().parse().ok()?, a.trim().parse::<u64>().ok()? + 2)
                        }
                        Some((a, b)) => (a.trim().parse().ok()?, b.trim().parse().ok()?),
                        None => (inner.trim().parse().ok()?, inner.trim().parse().ok()?),
                    };
                    *i = close;
                    (a, b)
                }
                _ => (1, 1),
            };
            if (low, high) != (1, 1) {
                *i += 1;
                if matches!(chars.get(*i), Some('?' | '+')) {
                    *i += 1; // lazy or possessive
                }
            }
            if high < low || high > 64 {
                return None;
            }
            let n = low + rng.below(high - low + 1);
            for _ in 0..n {
                out.push_str(&atom);
            }
        }
        Some(out)
    }
    fn escaped(c: char) -> Option<char> {
        match c {
            'd' => Some('7'),
            'w' => Some('k'),
            's' => Some(' '),
            'D' | 'W' | 'S' | 'b' | 'B' | 'p' | 'P' => None,
            c => Some(c),
        }
    }
    let chars: Vec<char> = pattern.chars().collect();
    let mut i = 0;
    let out = sequence(&chars, &mut i, rng, 0)?;
    (i >= chars.len()).then_some(out)
}

/// Text that a parameter of this schema must reject, and why, when there is such text.
pub(crate) fn invalid_text(contract: &Contract, schema: &Value) -> Option<(String, &'static str)> {
    let schema = contract.resolve(schema);
    if schema.get("enum").is_some() {
        return Some(("zz-not-in-enum".into(), "a value outside the enum"));
    }
    match main_type(contract, schema) {
        "integer" | "number" => Some(("not-a-number".into(), "a value of the wrong type")),
        "boolean" => Some(("maybe".into(), "a value of the wrong type")),
        "string" => {
            if let Some(max) = schema.get("maxLength").and_then(Value::as_u64) {
                return Some((
                    "x".repeat(max as usize + 1),
                    "a value longer than maxLength",
                ));
            }
            None
        }
        _ => None,
    }
}

#[cfg(test)]
mod pattern_tests {
    use super::*;

    #[test]
    fn simple_patterns_are_sampled() {
        let mut rng = Rng::new(1);
        for pattern in [
            "^[A-Z]{3}-[0-9]{4}$",
            "^\\d+(\\.\\d{1,2})?$",
            "^(?:EUR|USD)$",
            "^prd_[a-z0-9]{26}$",
            "^[a-zA-Z0-9._%+-]+@[a-z]+\\.[a-z]{2,}$",
        ] {
            let re = regex_lite::Regex::new(pattern).unwrap();
            for _ in 0..20 {
                let sample = sample_pattern(pattern, &mut rng).unwrap_or_default();
                assert!(re.is_match(&sample), "{pattern}: {sample}");
            }
        }
        // Negated classes and look-arounds are not read.
        assert_eq!(sample_pattern("^[^a]+$", &mut rng), None);
    }
}
