//! Maps a JSON pointer back to a line and column of the source text.
//!
//! Only messages need locations, but the handler macro writes them into every check it emits,
//! so lookups must be cheap even in multi-megabyte documents. A [`Locator`] scans each
//! container of the text at most once, recording where all of its children are, and answers
//! every later lookup from that index. JSON is walked exactly; YAML through its block structure
//! (indentation). Inside flow collections the walk stops at the deepest node it found, which
//! is on the right line or close above it.
//!
//! Written by hand because no YAML or JSON crate keeps positions for a pointer's lookup: once
//! indexed, one `file:line:col` in Stripe's 4 MB spec costs 23 µs (BENCHMARKS.md, "Macro
//! pipeline stages").

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// One content line of a YAML block: where its text starts and the text after the indentation.
#[derive(Clone, Copy, Debug)]
struct Line {
    offset: usize,
    indent: usize,
    start: usize,
    len: usize,
}

/// A YAML node's block: an optional first line (the content after `- ` of a sequence item)
/// followed by the lines `start..end` of the line table.
#[derive(Clone, Copy, Debug)]
struct Block {
    first: Option<Line>,
    start: usize,
    end: usize,
}

#[derive(Clone, Copy, Debug)]
struct Node {
    /// Where to point a message: the key of a mapping entry, the `-` of an item.
    report: usize,
    /// JSON: where the value starts. YAML: unused.
    value: usize,
    block: Block,
}

/// The location index of one source file.
#[derive(Debug)]
pub struct Locator {
    is_json: bool,
    line_starts: OnceLock<Vec<usize>>,
    lines: OnceLock<Vec<Line>>,
    /// Pointer (decoded segments joined by `\u{0}`) → node; parents whose children were scanned.
    nodes: Mutex<(HashMap<String, Node>, std::collections::HashSet<String>)>,
}

impl Locator {
    pub fn new(is_json: bool) -> Self {
        Locator {
            is_json,
            line_starts: OnceLock::new(),
            lines: OnceLock::new(),
            nodes: Mutex::new(Default::default()),
        }
    }

    /// Line and column (1-based) of the node at `segments` (decoded) in `text`.
    pub fn locate(&self, text: &str, segments: &[String]) -> (usize, usize) {
        let offset = self.offset(text, segments);
        self.line_col(text, offset)
    }

    fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let starts = self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        });
        let offset = offset.min(text.len());
        let line = starts.partition_point(|&s| s <= offset).max(1);
        let line_start = starts[line - 1];
        let col = text
            .get(line_start..offset)
            .map_or(1, |s| s.chars().count() + 1);
        (line, col)
    }

    fn offset(&self, text: &str, segments: &[String]) -> usize {
        let mut nodes = self.nodes.lock().unwrap_or_else(|p| p.into_inner());
        let root = match nodes.0.get("") {
            Some(n) => *n,
            None => {
                let n = if self.is_json {
                    json_root(text)
                } else {
                    self.yaml_root(text)
                };
                nodes.0.insert(String::new(), n);
                n
            }
        };
        let mut key = String::new();
        let mut found = root;
        for seg in segments {
            let parent = key.clone();
            key.push('\u{0}');
            key.push_str(seg);
            if let Some(n) = nodes.0.get(&key) {
                found = *n;
                continue;
            }
            if nodes.1.insert(parent.clone()) {
                let children = if self.is_json {
                    json_children(text, found)
                } else {
                    self.yaml_children(text, found.block)
                };
                for (name, node) in children {
                    let mut child_key = parent.clone();
                    child_key.push('\u{0}');
                    child_key.push_str(&name);
                    nodes.0.entry(child_key).or_insert(node);
                }
            }
            match nodes.0.get(&key) {
                Some(n) => found = *n,
                None => break,
            }
        }
        found.report
    }

    fn yaml_lines(&self, text: &str) -> &[Line] {
        self.lines.get_or_init(|| {
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
                        start: offset + indent,
                        len: trimmed.len(),
                    });
                }
                offset += raw.len();
            }
            lines
        })
    }

    fn yaml_root(&self, text: &str) -> Node {
        let lines = self.yaml_lines(text);
        Node {
            report: lines.first().map_or(0, |l| l.offset),
            value: 0,
            block: Block {
                first: None,
                start: 0,
                end: lines.len(),
            },
        }
    }

    /// Every child of a YAML block: keys of a mapping, or indexes of a sequence.
    fn yaml_children(&self, text: &str, block: Block) -> Vec<(String, Node)> {
        let lines = self.yaml_lines(text);
        let content = |l: &Line| text.get(l.start..l.start + l.len).unwrap_or("");
        let at = |i: usize| -> Option<Line> {
            match (block.first, i) {
                (Some(f), 0) => Some(f),
                (Some(_), i) => lines
                    .get(block.start + i - 1)
                    .copied()
                    .filter(|_| block.start + i - 1 < block.end),
                (None, i) => lines
                    .get(block.start + i)
                    .copied()
                    .filter(|_| block.start + i < block.end),
            }
        };
        // Position `i` in the block → index into the line table (`None` for the first line).
        let table_index = |i: usize| -> Option<usize> {
            match block.first {
                Some(_) if i == 0 => None,
                Some(_) => Some(block.start + i - 1),
                None => Some(block.start + i),
            }
        };
        let count = block.end.saturating_sub(block.start) + usize::from(block.first.is_some());
        let Some(first) = at(0) else {
            return Vec::new();
        };
        let indent = first.indent;
        let mut out = Vec::new();
        if is_seq_item(content(&first)) {
            let starts: Vec<usize> = (0..count)
                .filter(|&i| at(i).is_some_and(|l| l.indent == indent && is_seq_item(content(&l))))
                .collect();
            for (n, &i) in starts.iter().enumerate() {
                let Some(item) = at(i) else { continue };
                let c = content(&item);
                let rest = c[1..].trim_start_matches(' ');
                let shift = c.len() - rest.len();
                let next = starts.get(n + 1).copied().unwrap_or(count);
                let first = (!rest.is_empty()).then_some(Line {
                    offset: item.offset + shift,
                    indent: item.indent + shift,
                    start: item.start + shift,
                    len: item.len - shift,
                });
                let start = table_index(i + 1).unwrap_or(block.start);
                let end = table_index(next).unwrap_or(block.start).max(start);
                let end = if next >= count { block.end } else { end };
                out.push((
                    n.to_string(),
                    Node {
                        report: item.offset,
                        value: 0,
                        block: Block { first, start, end },
                    },
                ));
            }
            return out;
        }
        let keys: Vec<(usize, String, bool)> = (0..count)
            .filter_map(|i| {
                let l = at(i)?;
                if l.indent != indent || is_seq_item(content(&l)) {
                    return None;
                }
                let (key, inline) = line_key(content(&l))?;
                Some((i, key, inline))
            })
            .collect();
        for (n, (i, key, inline)) in keys.iter().enumerate() {
            let Some(line) = at(*i) else { continue };
            let next = keys.get(n + 1).map_or(count, |k| k.0);
            let start = table_index(i + 1).unwrap_or(block.start);
            let end = if next >= count {
                block.end
            } else {
                table_index(next).unwrap_or(start)
            };
            let block = if *inline {
                Block {
                    first: None,
                    start,
                    end: start,
                }
            } else {
                Block {
                    first: None,
                    start,
                    end: end.max(start),
                }
            };
            out.push((
                key.clone(),
                Node {
                    report: line.offset,
                    value: 0,
                    block,
                },
            ));
        }
        out
    }
}

fn is_seq_item(content: &str) -> bool {
    content == "-" || content.starts_with("- ")
}

/// The key of a mapping line and whether its value is on the same line.
fn line_key(content: &str) -> Option<(String, bool)> {
    let (key, rest) = if let Some(quoted) = content.strip_prefix('"') {
        let end = quoted.find("\":")?;
        (
            quoted[..end].replace("\\\"", "\"").replace("\\\\", "\\"),
            &quoted[end + 1..],
        )
    } else if let Some(quoted) = content.strip_prefix('\'') {
        let end = quoted.find("':")?;
        (quoted[..end].replace("''", "'"), &quoted[end + 1..])
    } else {
        let colon = content.char_indices().find(|&(i, c)| {
            c == ':'
                && content[i + 1..]
                    .chars()
                    .next()
                    .is_none_or(|n| n == ' ' || n == '\t')
        })?;
        (
            content[..colon.0].trim_end().to_string(),
            &content[colon.0..],
        )
    };
    let after = rest.strip_prefix(':')?;
    if !(after.is_empty() || after.starts_with(' ') || after.starts_with('\t')) {
        return None;
    }
    let inline = after.trim_start();
    Some((key, !inline.is_empty() && !inline.starts_with('#')))
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

fn empty_block() -> Block {
    Block {
        first: None,
        start: 0,
        end: 0,
    }
}

fn json_root(text: &str) -> Node {
    let mut cur = JsonCursor {
        bytes: text.as_bytes(),
        pos: 0,
    };
    cur.skip_ws();
    Node {
        report: cur.pos,
        value: cur.pos,
        block: empty_block(),
    }
}

/// Every child of the JSON container at `node.value`: keys (reported at the key) or indexes.
fn json_children(text: &str, node: Node) -> Vec<(String, Node)> {
    let mut cur = JsonCursor {
        bytes: text.as_bytes(),
        pos: node.value,
    };
    let mut out = Vec::new();
    let mut scan = || -> Option<()> {
        cur.skip_ws();
        match cur.peek()? {
            b'{' => {
                cur.pos += 1;
                loop {
                    cur.skip_ws();
                    if cur.peek()? == b'}' {
                        return Some(());
                    }
                    let key_at = cur.pos;
                    let key = cur.string()?;
                    cur.skip_ws();
                    if cur.peek()? != b':' {
                        return None;
                    }
                    cur.pos += 1;
                    cur.skip_ws();
                    out.push((
                        key,
                        Node {
                            report: key_at,
                            value: cur.pos,
                            block: empty_block(),
                        },
                    ));
                    cur.skip_value()?;
                    cur.skip_ws();
                    if cur.peek()? == b',' {
                        cur.pos += 1;
                    }
                }
            }
            b'[' => {
                cur.pos += 1;
                let mut i = 0;
                loop {
                    cur.skip_ws();
                    if cur.peek()? == b']' {
                        return Some(());
                    }
                    out.push((
                        i.to_string(),
                        Node {
                            report: cur.pos,
                            value: cur.pos,
                            block: empty_block(),
                        },
                    ));
                    cur.skip_value()?;
                    cur.skip_ws();
                    if cur.peek()? == b',' {
                        cur.pos += 1;
                    }
                    i += 1;
                }
            }
            _ => Some(()),
        }
    };
    let _ = scan();
    out
}

/// One-off lookup (builds a fresh index).
#[cfg(test)]
pub fn locate(text: &str, is_json: bool, segments: &[String]) -> (usize, usize) {
    Locator::new(is_json).locate(text, segments)
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
