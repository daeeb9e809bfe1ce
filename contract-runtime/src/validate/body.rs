//! Reading a whole body up to a limit.

use std::pin::Pin;
use std::task::{Context, Poll};

use axum::body::Body;

pub(crate) type BodyError = Box<dyn std::error::Error + Send + Sync>;

/// Reads a whole body, at most `limit` bytes. A body sent in one frame (what `Json`, `String`
/// and `Bytes` responses are) is handed back without copying.
pub(crate) struct BodyReader {
    body: Body,
    limit: usize,
    first: bytes::Bytes,
    joined: Option<bytes::BytesMut>,
}

/// A body over its limit (413 for a request).
#[derive(Debug)]
pub(crate) struct TooLarge(usize);

impl std::fmt::Display for TooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the body is larger than {} bytes", self.0)
    }
}

impl std::error::Error for TooLarge {}

impl BodyReader {
    pub(crate) fn new(body: Body, limit: usize) -> Self {
        BodyReader {
            body,
            limit,
            first: bytes::Bytes::new(),
            joined: None,
        }
    }

    pub(crate) fn poll_read(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Result<bytes::Bytes, BodyError>> {
        use http_body::Body as _;
        // A body that knows it has ended (a `Json` one, after its one frame) is not polled
        // again just to hear so.
        while !self.body.is_end_stream() {
            let Some(frame) = std::task::ready!(Pin::new(&mut self.body).poll_frame(cx)) else {
                break;
            };
            // Trailers are not part of what the spec describes; they are dropped as `to_bytes` does.
            let Ok(data) = frame?.into_data() else {
                continue;
            };
            let read = self.joined.as_ref().map_or(self.first.len(), |j| j.len());
            if read + data.len() > self.limit {
                return Poll::Ready(Err(TooLarge(self.limit).into()));
            }
            match &mut self.joined {
                Some(joined) => joined.extend_from_slice(&data),
                None if self.first.is_empty() => self.first = data,
                None => {
                    let mut both = bytes::BytesMut::from(&self.first[..]);
                    both.extend_from_slice(&data);
                    self.joined = Some(both);
                }
            }
        }
        let whole = match self.joined.take() {
            Some(joined) => joined.freeze(),
            None => std::mem::take(&mut self.first),
        };
        Poll::Ready(Ok(whole))
    }
}

/// The whole body, at most `limit` bytes (an error beyond).
pub(crate) async fn read_body(body: Body, limit: usize) -> Result<bytes::Bytes, BodyError> {
    let mut reader = BodyReader::new(body, limit);
    std::future::poll_fn(|cx| reader.poll_read(cx)).await
}
