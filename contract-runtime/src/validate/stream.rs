//! Streamed responses (`text/event-stream`, JSON Lines, JSON text sequences): never read whole.
//! Their status, headers and media type are checked when they start; with 3.2's `itemSchema`,
//! each item is checked as it passes (an SSE event as the object `{data, event, id, retry}`,
//! its `data` also against `contentSchema` when that is JSON), without holding more of the
//! stream than the item being read.

use std::pin::Pin;
use std::task::{Context, Poll};

use axum::body::Body;
use bytes::Bytes;
use http_body::Frame;
use serde_json::{Map, Value, json};

use super::config::OnViolation;
use super::contract::{Contract, Violation};
use super::problem::RESPONSE_VIOLATION;

/// How a sequential media type separates its items.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum StreamKind {
    /// `text/event-stream`: events separated by a blank line.
    Events,
    /// `application/jsonl`, `application/x-ndjson`: one JSON text a line.
    Lines,
    /// `application/json-seq` (RFC 7464): JSON texts after an RS byte.
    Sequence,
}

/// The kind of stream `media` is, if it is one.
pub(crate) fn stream_kind(media: &str) -> Option<StreamKind> {
    let essence = super::media::essence(media).to_ascii_lowercase();
    match essence.as_str() {
        "text/event-stream" => Some(StreamKind::Events),
        "application/jsonl" | "application/x-ndjson" | "application/x-jsonlines" => {
            Some(StreamKind::Lines)
        }
        e if e == "application/json-seq" || e.ends_with("+json-seq") => Some(StreamKind::Sequence),
        _ => None,
    }
}

/// The most of one item held while it is read; a longer one is passed on unchecked.
const ITEM_LIMIT: usize = 1024 * 1024;

pin_project_lite::pin_project! {
    /// A response body whose items are checked as they pass.
    pub(crate) struct ItemChecked {
        #[pin]
        inner: Body,
        kind: StreamKind,
        contract: &'static Contract,
        item_site: usize,
        data_site: Option<usize>,
        // `listEvents (GET /events) response 200 text/event-stream`, for messages.
        what: String,
        on_violation: OnViolation,
        buffer: Vec<u8>,
        skipping: bool,
        items: usize,
        // The frame that reports a violation, sent after the offending item; then the end.
        report: Option<Bytes>,
        ended: bool,
    }
}

impl ItemChecked {
    pub(crate) fn new(
        inner: Body,
        kind: StreamKind,
        contract: &'static Contract,
        (item_site, data_site): (usize, Option<usize>),
        what: String,
        on_violation: OnViolation,
    ) -> Self {
        ItemChecked {
            inner,
            kind,
            contract,
            item_site,
            data_site,
            what,
            on_violation,
            buffer: Vec::new(),
            skipping: false,
            items: 0,
            report: None,
            ended: false,
        }
    }
}

impl http_body::Body for ItemChecked {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let this = self.project();
        if let Some(report) = this.report.take() {
            *this.ended = true;
            return Poll::Ready(Some(Ok(Frame::data(report))));
        }
        if *this.ended {
            return Poll::Ready(None);
        }
        let frame = std::task::ready!(this.inner.poll_frame(cx));
        if let Some(Ok(frame)) = &frame
            && let Some(data) = frame.data_ref()
        {
            let checker = Checker {
                kind: *this.kind,
                contract: this.contract,
                item_site: *this.item_site,
                data_site: *this.data_site,
            };
            let found = feed(&checker, this.buffer, this.skipping, this.items, data);
            if let Some((index, violations)) = found {
                let summary = describe(&violations);
                let message = format!(
                    "item {index} of the {} stream breaks its `itemSchema`: {summary}",
                    this.what
                );
                tracing::error!("{message}");
                match this.on_violation {
                    OnViolation::Log => {}
                    OnViolation::Panic => panic!("{message}"),
                    OnViolation::Respond => {
                        *this.report = Some(report_frame(*this.kind, &message, index, violations));
                    }
                }
            }
        }
        Poll::Ready(frame)
    }
}

struct Checker<'a> {
    kind: StreamKind,
    contract: &'a Contract,
    item_site: usize,
    data_site: Option<usize>,
}

/// Reads `data` into `buffer` and checks each item it completes; the first item (1-based)
/// that breaks its schema, with the violations.
fn feed(
    checker: &Checker<'_>,
    buffer: &mut Vec<u8>,
    skipping: &mut bool,
    items: &mut usize,
    data: &[u8],
) -> Option<(usize, Vec<Violation>)> {
    let mut found = None;
    for &byte in data {
        buffer.push(byte);
        let complete = match checker.kind {
            StreamKind::Events => buffer.ends_with(b"\n\n") || buffer.ends_with(b"\r\n\r\n"),
            StreamKind::Lines => byte == b'\n',
            StreamKind::Sequence => byte == 0x1e,
        };
        if !complete {
            if buffer.len() > ITEM_LIMIT {
                buffer.clear();
                *skipping = true;
            }
            continue;
        }
        let item = std::mem::take(buffer);
        if std::mem::take(skipping) {
            continue;
        }
        if let Some(violations) = check_item(checker, &item) {
            *items += 1;
            if !violations.is_empty() && found.is_none() {
                found = Some((*items, violations));
            }
        }
    }
    found
}

/// The violations of one item; `None` when the text holds no item (a blank line, an SSE
/// comment or keep-alive).
fn check_item(checker: &Checker<'_>, item: &[u8]) -> Option<Vec<Violation>> {
    let text = String::from_utf8_lossy(item);
    let value = match checker.kind {
        StreamKind::Events => event_object(&text)?,
        StreamKind::Lines | StreamKind::Sequence => {
            let text = text.trim_matches(|c: char| c.is_whitespace() || c == '\u{1e}');
            if text.is_empty() {
                return None;
            }
            match serde_json::from_str::<Value>(text) {
                Ok(value) => value,
                Err(e) => {
                    return Some(vec![Violation {
                        pointer: String::new(),
                        schema_path: checker.contract.site_location(checker.item_site).into(),
                        rule: "json".into(),
                        message: format!("the item is not valid JSON: {e}"),
                    }]);
                }
            }
        }
    };
    let mut violations = checker.contract.check(checker.item_site, &value);
    if violations.is_empty()
        && let Some(site) = checker.data_site
        && let Some(Ok(data)) = value
            .get("data")
            .and_then(Value::as_str)
            .map(serde_json::from_str::<Value>)
    {
        violations = checker.contract.check(site, &data);
        for v in &mut violations {
            v.pointer = format!("/data{}", v.pointer);
        }
    }
    Some(violations)
}

/// An SSE event as OpenAPI 3.2 models it: `{data, event, id, retry}`, the `data` lines joined.
fn event_object(text: &str) -> Option<Value> {
    let mut event = Map::new();
    let mut data: Option<String> = None;
    for line in text.lines() {
        if line.is_empty() || line.starts_with(':') {
            continue;
        }
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line, ""),
        };
        match field {
            "data" => {
                let joined = data.get_or_insert_with(String::new);
                if !joined.is_empty() {
                    joined.push('\n');
                }
                joined.push_str(value);
            }
            "event" | "id" => {
                event.insert(field.to_string(), Value::String(value.to_string()));
            }
            "retry" => {
                if let Ok(ms) = value.parse::<u64>() {
                    event.insert("retry".into(), json!(ms));
                }
            }
            _ => {}
        }
    }
    if let Some(data) = data {
        event.insert("data".into(), Value::String(data));
    }
    (!event.is_empty()).then_some(Value::Object(event))
}

fn describe(violations: &[Violation]) -> String {
    violations
        .iter()
        .map(|v| {
            let at = if v.pointer.is_empty() {
                "/"
            } else {
                &v.pointer
            };
            format!("{} at `{at}`: {}", v.rule, v.message)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The item that reports a violation, in the stream's own form: an SSE event named
/// `contract-violation`, or a JSON text, holding a problem document.
fn report_frame(
    kind: StreamKind,
    message: &str,
    index: usize,
    violations: Vec<Violation>,
) -> Bytes {
    let problem = json!({
        "type": "about:blank",
        "title": RESPONSE_VIOLATION,
        "status": 500,
        "detail": message,
        "item": index,
        "violations": violations,
    });
    let text = match kind {
        StreamKind::Events => format!("event: contract-violation\ndata: {problem}\n\n"),
        StreamKind::Lines => format!("{problem}\n"),
        StreamKind::Sequence => format!("\u{1e}{problem}\n"),
    };
    Bytes::from(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_read_as_openapi_models_them() {
        assert_eq!(
            event_object("event: price\nid: 7\nretry: 50\ndata: {\"a\":\ndata: 1}\n\n"),
            Some(json!({"event": "price", "id": "7", "retry": 50, "data": "{\"a\":\n1}"}))
        );
        assert_eq!(event_object(": keep-alive\n\n"), None);
        assert_eq!(event_object("data\n\n"), Some(json!({"data": ""})));
    }

    #[test]
    fn stream_kinds() {
        assert_eq!(
            stream_kind("text/event-stream; charset=utf-8"),
            Some(StreamKind::Events)
        );
        assert_eq!(stream_kind("application/x-ndjson"), Some(StreamKind::Lines));
        assert_eq!(
            stream_kind("application/geo+json-seq"),
            Some(StreamKind::Sequence)
        );
        assert_eq!(stream_kind("application/json"), None);
    }
}
