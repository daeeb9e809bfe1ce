//! A handler's responses (its return type's variants) against the operation's declared
//! responses.

use super::*;

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
pub(super) const fn status_match(key: Str, status: u16) -> u8 {
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

pub(super) const fn find_response(responses: SpecResponses, status: u16) -> Option<SpecResponse> {
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

pub(super) const fn declared<const CAP: usize>(
    mut r: Report<CAP>,
    responses: SpecResponses,
) -> Report<CAP> {
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
pub(super) const HELP_LINE_LEN: usize = 200;

/// `help` with what `response` sends added (`200 sends a JSON body: `Pet``), or `…` where the
/// line would grow past [`HELP_LINE_LEN`].
pub(super) const fn help_part<const CAP: usize>(
    help: Report<CAP>,
    response: SpecResponse,
) -> Report<CAP> {
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
