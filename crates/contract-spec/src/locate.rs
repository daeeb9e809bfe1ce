//! Maps a JSON pointer back to a line and column of the source text.
//!
//! Only error paths need a location, so instead of keeping a span for every node of a
//! multi-megabyte document we walk the text again when an error is rendered. JSON is walked
//! exactly. YAML is walked through its block structure (indentation); inside flow collections
//! or anchors the walk stops and answers with the deepest node it found, which is still on the
//! right line or close above it.

/// Line and column (1-based) of the node at `pointer` (decoded segments) in `text`.
pub fn locate(text: &str, is_json: bool, segments: &[String]) -> (usize, usize) {
    let offset = if is_json {
        json_offset(text, segments)
    } else {
        yaml_offset(text, segments)
    };
    line_col(text, offset)
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let col = before
        .rsplit_once('\n')
        .map_or(before, |(_, tail)| tail)
        .chars()
        .count()
        + 1;
    (line, col)
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

// ---- JSON ------------------------------------------------------------------------------------

struct JsonCursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl JsonCursor<'_> {
    fn skip_ws(&mut self) {
        while self.pos < self.bytes.len() && self.bytes[self.pos].is_ascii_whitespace() {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// Reads a string token, decoding the escapes that matter for key comparison.
    fn string(&mut self) -> Option<String> {
        if self.peek() != Some(b'"') {
            return None;
        }
        self.pos += 1;
        let mut out = Vec::new();
        while let Some(b) = self.peek() {
            self.pos += 1;
            match b {
                b'"' => return Some(String::from_utf8_lossy(&out).into_owned()),
                b'\\' => {
                    let esc = self.peek()?;
                    self.pos += 1;
                    match esc {
                        b'n' => out.push(b'\n'),
                        b't' => out.push(b'\t'),
                        b'r' => out.push(b'\r'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'u' => {
                            let hex = self.bytes.get(self.pos..self.pos + 4)?;
                            self.pos += 4;
                            let code =
                                u32::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?;
                            let ch = char::from_u32(code).unwrap_or('\u{fffd}');
                            let mut buf = [0u8; 4];
                            out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                        }
                        other => out.push(other),
                    }
                }
                other => out.push(other),
            }
        }
        None
    }

    fn skip_value(&mut self) -> Option<()> {
        self.skip_ws();
        match self.peek()? {
            b'"' => {
                self.string()?;
            }
            open @ (b'{' | b'[') => {
                let close = if open == b'{' { b'}' } else { b']' };
                self.pos += 1;
                loop {
                    self.skip_ws();
                    if self.peek()? == close {
                        self.pos += 1;
                        break;
                    }
                    if open == b'{' {
                        self.string()?;
                        self.skip_ws();
                        if self.peek()? != b':' {
                            return None;
                        }
                        self.pos += 1;
                    }
                    self.skip_value()?;
                    self.skip_ws();
                    if self.peek()? == b',' {
                        self.pos += 1;
                    }
                }
            }
            _ => {
                while let Some(b) = self.peek() {
                    if matches!(b, b',' | b'}' | b']') || b.is_ascii_whitespace() {
                        break;
                    }
                    self.pos += 1;
                }
            }
        }
        Some(())
    }
}

fn json_offset(text: &str, segments: &[String]) -> usize {
    let mut cur = JsonCursor {
        bytes: text.as_bytes(),
        pos: 0,
    };
    cur.skip_ws();
    let mut found = cur.pos;
    for seg in segments {
        match json_step(&mut cur, seg) {
            Some(at) => found = at,
            None => break,
        }
    }
    found
}

/// Moves the cursor from the start of a container to the start of its child `seg`; returns
/// the offset to report for that child (its key for objects, its value for arrays).
fn json_step(cur: &mut JsonCursor<'_>, seg: &str) -> Option<usize> {
    cur.skip_ws();
    match cur.peek()? {
        b'{' => {
            cur.pos += 1;
            loop {
                cur.skip_ws();
                if cur.peek()? == b'}' {
                    return None;
                }
                let key_at = cur.pos;
                let key = cur.string()?;
                cur.skip_ws();
                if cur.peek()? != b':' {
                    return None;
                }
                cur.pos += 1;
                if key == seg {
                    cur.skip_ws();
                    return Some(key_at);
                }
                cur.skip_value()?;
                cur.skip_ws();
                if cur.peek()? == b',' {
                    cur.pos += 1;
                }
            }
        }
        b'[' => {
            let index: usize = seg.parse().ok()?;
            cur.pos += 1;
            for _ in 0..index {
                cur.skip_value()?;
                cur.skip_ws();
                if cur.peek()? != b',' {
                    return None;
                }
                cur.pos += 1;
            }
            cur.skip_ws();
            Some(cur.pos)
        }
        _ => None,
    }
}

// ---- YAML ------------------------------------------------------------------------------------

/// One content line of a YAML block: where it starts and its text after the indentation.
#[derive(Clone, Copy)]
struct Line<'a> {
    offset: usize,
    indent: usize,
    content: &'a str,
}

fn yaml_lines(text: &str) -> Vec<Line<'_>> {
    let mut lines = Vec::new();
    let mut offset = 0;
    for raw in text.split_inclusive('\n') {
        let body = raw.trim_end_matches(['\n', '\r']);
        let trimmed = body.trim_start_matches(' ');
        let indent = body.len() - trimmed.len();
        if !(trimmed.is_empty()
            || trimmed.starts_with('#')
            || trimmed.starts_with("---")
            || trimmed.starts_with("..."))
        {
            lines.push(Line {
                offset: offset + indent,
                indent,
                content: trimmed,
            });
        }
        offset += raw.len();
    }
    lines
}

fn yaml_offset(text: &str, segments: &[String]) -> usize {
    let lines = yaml_lines(text);
    let mut block: Vec<Line<'_>> = lines;
    let mut found = block.first().map_or(0, |l| l.offset);
    for seg in segments {
        match yaml_step(&block, seg) {
            Some((at, child)) => {
                found = at;
                block = child;
            }
            None => break,
        }
    }
    found
}

/// Given the lines of a block node, finds child `seg` and returns its offset and its own block.
fn yaml_step<'a>(block: &[Line<'a>], seg: &str) -> Option<(usize, Vec<Line<'a>>)> {
    let first = block.first()?;
    let indent = first.indent;
    if is_seq_item(first.content) {
        let index: usize = seg.parse().ok()?;
        let starts: Vec<usize> = block
            .iter()
            .enumerate()
            .filter(|(_, l)| l.indent == indent && is_seq_item(l.content))
            .map(|(i, _)| i)
            .collect();
        let start = *starts.get(index)?;
        let end = starts.get(index + 1).copied().unwrap_or(block.len());
        let item = &block[start];
        // The item's own content begins after "- ": treat it as a line at that column.
        let rest = item.content[1..].trim_start_matches(' ');
        let shift = item.content.len() - rest.len();
        let mut child = Vec::new();
        if !rest.is_empty() {
            child.push(Line {
                offset: item.offset + shift,
                indent: item.indent + shift,
                content: rest,
            });
        }
        child.extend_from_slice(&block[start + 1..end]);
        return Some((item.offset, child));
    }
    for (i, line) in block.iter().enumerate() {
        if line.indent != indent {
            continue;
        }
        let Some(value) = key_value(line.content, seg) else {
            continue;
        };
        let mut child = Vec::new();
        let inline = value.trim_start();
        if !inline.is_empty() && !inline.starts_with('#') {
            // The value is on the key's line (a scalar or a flow collection): nothing below it.
            return Some((line.offset, child));
        }
        for next in &block[i + 1..] {
            let nested =
                next.indent > indent || (next.indent == indent && is_seq_item(next.content));
            if !nested {
                break;
            }
            // A sequence at the key's own indentation ends at the first non-item line.
            if next.indent == indent && child.first().is_some_and(|c: &Line<'_>| c.indent != indent)
            {
                break;
            }
            child.push(*next);
        }
        return Some((line.offset, child));
    }
    None
}

fn is_seq_item(content: &str) -> bool {
    content == "-" || content.starts_with("- ")
}

/// If `content` is the line `seg: value` (key plain or quoted), returns the text after the colon.
fn key_value<'a>(content: &'a str, seg: &str) -> Option<&'a str> {
    let rest = if let Some(quoted) = content.strip_prefix('"') {
        let end = quoted.find("\":")?;
        if unescape_double(&quoted[..end]) != seg {
            return None;
        }
        &quoted[end + 1..]
    } else if let Some(quoted) = content.strip_prefix('\'') {
        let end = quoted.find("':")?;
        if quoted[..end].replace("''", "'") != seg {
            return None;
        }
        &quoted[end + 1..]
    } else {
        let rest = content.strip_prefix(seg)?;
        let rest = rest.trim_start_matches(' ');
        if !rest.starts_with(':') {
            return None;
        }
        rest
    };
    let after = rest.strip_prefix(':')?;
    if after.is_empty() || after.starts_with(' ') || after.starts_with('\t') {
        Some(after)
    } else {
        None
    }
}

fn unescape_double(s: &str) -> String {
    s.replace("\\\"", "\"").replace("\\\\", "\\")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segs(p: &[&str]) -> Vec<String> {
        p.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn json_pointer_lands_on_key() {
        let text = "{\n  \"a\": {\"b\": [1, {\"c\": 2}]},\n  \"d\": 3\n}";
        assert_eq!(locate(text, true, &segs(&["d"])), (3, 3));
        assert_eq!(locate(text, true, &segs(&["a", "b", "1", "c"])), (2, 19));
        // A missing key answers with the deepest node found.
        assert_eq!(locate(text, true, &segs(&["a", "zz"])), (2, 3));
    }

    #[test]
    fn json_minified_and_escaped_keys() {
        let text = r#"{"p":{"/a\/b":{"get":1},"x":{"get":2}}}"#;
        assert_eq!(locate(text, true, &segs(&["p", "x", "get"])), (1, 30));
        assert_eq!(locate(text, true, &segs(&["p", "/a/b"])), (1, 7));
    }

    #[test]
    fn yaml_block_mappings_and_sequences() {
        let text = "\
openapi: 3.0.0
paths:
  /pets/{id}:
    get:
      parameters:
        - name: id
          in: path
        - name: q
          in: query
      responses:
        '200':
          description: ok
tags:
- name: a
- name: b
";
        assert_eq!(
            locate(text, false, &segs(&["paths", "/pets/{id}", "get"])),
            (4, 5)
        );
        assert_eq!(
            locate(
                text,
                false,
                &segs(&["paths", "/pets/{id}", "get", "parameters", "1", "in"])
            ),
            (9, 11)
        );
        assert_eq!(
            locate(
                text,
                false,
                &segs(&["paths", "/pets/{id}", "get", "responses", "200"])
            ),
            (11, 9)
        );
        assert_eq!(locate(text, false, &segs(&["tags", "1", "name"])), (15, 3));
    }

    #[test]
    fn yaml_ignores_deeper_lookalikes_and_block_scalars() {
        let text = "\
a:
  description: |
    b: not a key
  b: real
";
        assert_eq!(locate(text, false, &segs(&["a", "b"])), (4, 3));
    }
}
