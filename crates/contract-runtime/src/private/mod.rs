//! Items the macros' generated code refers to. Not public API: no stability guarantees.

pub mod expect;

pub use expect::*;

pub use crate::responses::{Body, ResponseVariant, Responses};
pub use crate::schema::{Field, Schema, Shape};
pub use axum::Router;
pub use axum::http::StatusCode;
pub use axum::response::{IntoResponse, Response};

use core::marker::PhantomData;

/// Whether a return type describes its responses: `Probe::<T>::RESPONSES` is `Some` when
/// `T: Responses` (the inherent const wins) and `None` otherwise (the trait's default), so an
/// opaque return type is accepted and left to run-time validation.
pub struct Probe<T: ?Sized>(PhantomData<T>);

impl<T: Responses + ?Sized> Probe<T> {
    pub const RESPONSES: Option<&'static [ResponseVariant]> = Some(T::RESPONSES);
}

pub trait ProbeFallback {
    const RESPONSES: Option<&'static [ResponseVariant]> = None;
}

impl<T: ?Sized> ProbeFallback for Probe<T> {}
pub use axum::routing::{MethodFilter, on};

/// Implemented by the hidden marker type `#[contract]` defines next to each handler (a braced
/// struct named like the fn: it lives in the type namespace, so the fn keeps its name).
pub trait Operation {
    /// Canonical path of the spec the handler was checked against.
    const SPEC: &'static str;
    /// Index of the operation in the spec; `usize::MAX` when binding failed (already reported).
    const INDEX: usize;
    const METHOD: MethodFilter;
    /// The path template, which is also axum 0.8's route syntax.
    const PATH: &'static str;
    /// Message for a second handler bound to the same operation.
    const DUPLICATE: &'static str;
}

/// How many handlers each operation has.
pub const fn count_bindings<const N: usize>(indexes: &[usize]) -> [u8; N] {
    let mut counts = [0u8; N];
    let mut i = 0;
    while i < indexes.len() {
        if indexes[i] < N {
            counts[indexes[i]] = counts[indexes[i]].saturating_add(1);
        }
        i += 1;
    }
    counts
}

pub const fn any_unbound(indexes: &[usize]) -> bool {
    let mut i = 0;
    while i < indexes.len() {
        if indexes[i] == usize::MAX {
            return true;
        }
        i += 1;
    }
    false
}

const fn bound_at_most_once(counts: &[u8], index: usize) -> bool {
    index >= counts.len() || counts[index] <= 1
}

/// A handler listed in `routes!`: bound to an operation of the same spec, and the only handler
/// of that operation. (A handler whose binding failed was reported already.)
#[track_caller]
pub const fn check_binding<H: Operation + ?Sized>(spec: &str, counts: &[u8], other_spec: &str) {
    if H::INDEX == usize::MAX {
        return;
    }
    if !str_eq(H::SPEC, spec) {
        panic!("{}", other_spec);
    }
    if !bound_at_most_once(counts, H::INDEX) {
        panic!("{}", H::DUPLICATE);
    }
}

/// Fails compilation, listing the operations without a handler, when there are any (and no
/// handler failed to bind, which was reported already).
#[track_caller]
pub const fn check_coverage<const CAP: usize>(
    counts: &[u8],
    messages: &[&str],
    header: &str,
    footer: &str,
    skip: bool,
) {
    let mut i = 0;
    while i < counts.len() && counts[i] > 0 {
        i += 1;
    }
    if skip || i == counts.len() {
        return;
    }
    let (buf, len) = missing_report::<CAP>(counts, messages, header, footer, skip);
    panic!("{}", report_str(&buf, len));
}

/// Concatenates the messages of the operations without a handler into one report (empty when
/// all are covered, or when a handler failed to bind and was reported already).
const fn missing_report<const CAP: usize>(
    counts: &[u8],
    messages: &[&str],
    header: &str,
    footer: &str,
    skip: bool,
) -> ([u8; CAP], usize) {
    let mut buf = [0u8; CAP];
    let mut len = 0;
    if skip {
        return (buf, 0);
    }
    let mut any = false;
    let mut i = 0;
    while i < counts.len() && i < messages.len() {
        if counts[i] == 0 {
            if !any {
                len = append(&mut buf, len, header);
                any = true;
            }
            len = append(&mut buf, len, messages[i]);
        }
        i += 1;
    }
    if any {
        len = append(&mut buf, len, footer);
    }
    (buf, len)
}

const fn append<const CAP: usize>(buf: &mut [u8; CAP], mut len: usize, text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() && len < CAP {
        buf[len] = bytes[i];
        len += 1;
        i += 1;
    }
    len
}

const fn report_str(buf: &[u8], len: usize) -> &str {
    let (head, _) = buf.split_at(len);
    match core::str::from_utf8(head) {
        Ok(s) => s,
        Err(_) => "routes! does not cover every operation of the spec",
    }
}
