//! Items the macros' generated code refers to. Not public API: no stability guarantees.

pub mod expect;

pub use expect::*;

pub use crate::binding::*;
pub use crate::responses::{Body, ResponseVariant, Responses};
pub use crate::schema::{Field, Schema, Shape};
pub use axum::Router;
pub use axum::http::StatusCode;
pub use axum::response::{IntoResponse, Response};

use axum::handler::Handler;
use core::marker::PhantomData;

/// Whether a return type describes its responses: `Probe::<T>::RESPONSES` is `Some` when
/// `T: Responses` (the inherent const wins) and `None` otherwise (the trait's default), so an
/// opaque return type is accepted and left to run-time validation. `Probe::<T>::SIDES` is
/// `Some` when `T` is a `Result` of two such types: a return type the macro cannot see is one,
/// such as an alias `type ApiResult<T> = Result<Json<T>, ApiError>`.
pub struct Probe<T: ?Sized>(PhantomData<T>);

impl<T: Responses + ?Sized> Probe<T> {
    pub const RESPONSES: Option<&'static [ResponseVariant]> = Some(T::RESPONSES);
}

impl<A: Responses, B: Responses> Probe<Result<A, B>> {
    pub const SIDES: Option<[&'static [ResponseVariant]; 2]> = Some([A::RESPONSES, B::RESPONSES]);
}

/// A request type's shape for [`RequestTypes`]: the type's own where it has a `Schema` (and
/// `Any` otherwise, which checks nothing: the missing impl is reported by the check itself).
impl<T: Schema + ?Sized> Probe<T> {
    pub const SHAPE: &'static Shape = T::SHAPE_REF;
    pub const FIELDS: Option<&'static [Field]> = T::FIELDS;
}

/// A JSON body's [`BodyCheck`], where the type deserializes.
impl<T: serde::de::DeserializeOwned> Probe<T> {
    pub const BODY: Option<BodyCheck> = Some(body_check::<T>);
}

pub trait ProbeFallback {
    const RESPONSES: Option<&'static [ResponseVariant]> = None;
    const SIDES: Option<[&'static [ResponseVariant]; 2]> = None;
    const SHAPE: &'static Shape = &Shape::Any;
    const FIELDS: Option<&'static [Field]> = None;
    const BODY: Option<BodyCheck> = None;
}

impl<T: ?Sized> ProbeFallback for Probe<T> {}
pub use crate::validate::{RouteContract, Validated, on_validated};
pub use axum::routing::{MethodFilter, on};

/// `routes!`' router: `build(Router::new(), |mut router| { router = <h as Operation>::mount(…); …
/// router })`. Its first argument is
/// checked against the router type the caller expects (`let app: Router = routes!(…)`, a fn's
/// return type), which fixes the state type `S` before rustc checks the closure, so each
/// handler's `Handler<T, S>` bound is settled where it is met. A plain `.route` chain leaves `S`
/// open to its end and re-examines every pending bound at each call: quadratic in the handler
/// count (1.0 s of type checking for DigitalOcean's 659 routes, 0.3 s this way). Where nothing
/// fixes `S` early (`routes!(…).with_state(…)`), it costs what a chain does.
pub fn build<S, F>(router: Router<S>, mount: F) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    F: FnOnce(Router<S>) -> Router<S>,
{
    mount(router)
}

/// Implemented by the hidden marker type `#[contract]` defines next to each handler (a braced
/// struct named like the fn: it lives in the type namespace, so the fn keeps its name).
pub trait Operation {
    /// The operation the handler is bound to: one const (one body for rustc to check a
    /// handler, where a const an item of it cost three).
    const BINDING: Binding;

    /// `router` with `handler` at this operation's route, its responses checked against the
    /// operation when `ON`. `routes!` writes a call of this a handler, `<h as Operation>::mount(
    /// router, &contract, h)`: a short statement for rustc to take in, where a
    /// `.route(<h as Operation>::PATH, on_validated(…))` link of a chain cost it three
    /// projections, a method lookup and the chain's nesting.
    /// The Rust types of the handler's path, query and JSON body, for request validation:
    /// a value the types cannot hold is refused before the extractors see it.
    const REQUEST: RequestTypes = RequestTypes::NONE;

    fn mount<H, T, S, const ON: bool>(
        router: Router<S>,
        contract: &RouteContract<ON>,
        handler: H,
    ) -> Router<S>
    where
        H: Handler<T, S>,
        T: 'static,
        S: Clone + Send + Sync + 'static,
    {
        let Binding {
            method,
            path,
            index,
            ..
        } = Self::BINDING;
        router.route(
            path,
            on_validated(contract, method, handler, index, &Self::REQUEST),
        )
    }
}

/// How many handlers each operation has.
pub const fn count_bindings<const N: usize>(bindings: &[Binding]) -> [u8; N] {
    let mut counts = [0u8; N];
    let mut i = 0;
    while i < bindings.len() {
        let index = bindings[i].index;
        if index < N {
            counts[index] = counts[index].saturating_add(1);
        }
        i += 1;
    }
    counts
}

pub const fn any_unbound(bindings: &[Binding]) -> bool {
    let mut i = 0;
    while i < bindings.len() {
        if bindings[i].index == usize::MAX {
            return true;
        }
        i += 1;
    }
    false
}

/// A handler bound to an operation of another spec than its `routes!`.
pub const OTHER_SPEC: u8 = 1;
/// A handler bound to an operation that an earlier handler of the `routes!` is bound to.
pub const BOUND_TWICE: u8 = 2;

/// What is wrong with each handler of a `routes!` (0: nothing), in one pass over all of them:
/// one const evaluation per `routes!` rather than one per handler (each costs rustc ~0.2 ms
/// however little it does). A handler whose binding failed is skipped: it was reported already.
pub const fn binding_problems<const H: usize, const N: usize>(
    bindings: &[Binding; H],
    spec: u64,
) -> [u8; H] {
    let mut seen = [false; N];
    let mut problems = [0u8; H];
    let mut i = 0;
    while i < H {
        let (of, index) = (bindings[i].spec, bindings[i].index);
        if index != usize::MAX {
            if of != spec {
                problems[i] = OTHER_SPEC;
            } else if index < N {
                if seen[index] {
                    problems[i] = BOUND_TWICE;
                }
                seen[index] = true;
            }
        }
        i += 1;
    }
    problems
}

/// Position of the first handler with a problem; `usize::MAX` when there is none.
pub const fn first_problem(problems: &[u8]) -> usize {
    let mut i = 0;
    while i < problems.len() {
        if problems[i] != 0 {
            return i;
        }
        i += 1;
    }
    usize::MAX
}

/// Fails compilation at the handler whose match arm `routes!` spanned on it. One const fails
/// once, so the message names the other handlers with a problem (`names` is the list as written,
/// one per line; `spec` the spec as `routes!` shows it).
#[track_caller]
pub const fn binding_failed<const CAP: usize>(
    handler: usize,
    spec: &str,
    bindings: &[Binding],
    problems: &[u8],
    names: &str,
) {
    let mut buf = [0u8; CAP];
    let names = names.as_bytes();
    let mut len = 0;
    if handler < problems.len() && problems[handler] == OTHER_SPEC {
        let (start, end) = nth_line(names, handler);
        len = append(&mut buf, len, "handler `");
        len = append_bytes(&mut buf, len, names, start, end);
        len = append(
            &mut buf,
            len,
            "` is bound to an operation of another spec than this `routes!` (`",
        );
        len = append(&mut buf, len, spec);
        len = append(
            &mut buf,
            len,
            "`)\nhelp: give the handler and `routes!` the same `spec = \"…\"`",
        );
    } else if handler < bindings.len() {
        len = append(&mut buf, len, "operation ");
        len = append(&mut buf, len, bindings[handler].label);
        len = append(
            &mut buf,
            len,
            " is bound by more than one handler in this `routes!`: keep one",
        );
    }
    let first = first_problem(problems);
    let (mut start, mut i, mut others) = (0, 0, 0);
    let mut at = 0;
    while at <= names.len() {
        if at == names.len() || names[at] == b'\n' {
            if i < problems.len() && problems[i] != 0 && i != first {
                let sep = if others == 0 {
                    "\nnote: more handlers of this `routes!` are bound wrongly, reported once this one is fixed: `"
                } else {
                    "`, `"
                };
                len = append(&mut buf, len, sep);
                len = append_bytes(&mut buf, len, names, start, at);
                others += 1;
            }
            i += 1;
            start = at + 1;
        }
        at += 1;
    }
    if others > 0 {
        len = append(&mut buf, len, "`");
    }
    panic!("{}", report_str(&buf, len));
}

/// Where line `n` of `text` starts and ends.
const fn nth_line(text: &[u8], n: usize) -> (usize, usize) {
    let (mut start, mut line, mut at) = (0, 0, 0);
    while at < text.len() {
        if text[at] == b'\n' {
            if line == n {
                return (start, at);
            }
            line += 1;
            start = at + 1;
        }
        at += 1;
    }
    if line == n {
        (start, text.len())
    } else {
        (text.len(), text.len())
    }
}

/// Whether every operation has a handler.
pub const fn all_covered(counts: &[u8]) -> bool {
    let mut i = 0;
    while i < counts.len() {
        if counts[i] == 0 {
            return false;
        }
        i += 1;
    }
    true
}

/// Fails compilation, listing the operations without a handler. `routes!` calls it only when
/// `all_covered` is false and every handler bound, so that a complete router never evaluates
/// the messages. `messages` holds one per operation, back to back; `ends` the end of each, a
/// little-endian `u32` apiece: two literals for `routes!` to emit, where an array of messages
/// was one literal an operation for rustc to take in on every build.
#[track_caller]
pub const fn report_uncovered<const CAP: usize>(
    counts: &[u8],
    messages: &str,
    ends: &[u8],
    header: &str,
    footer: &str,
) {
    let (buf, len) = missing_report::<CAP>(counts, messages.as_bytes(), ends, header, footer);
    panic!("{}", report_str(&buf, len));
}

/// Concatenates the messages of the operations without a handler into one report, between
/// `header` and `footer`.
const fn missing_report<const CAP: usize>(
    counts: &[u8],
    messages: &[u8],
    ends: &[u8],
    header: &str,
    footer: &str,
) -> ([u8; CAP], usize) {
    let mut buf = [0u8; CAP];
    let mut len = append(&mut buf, 0, header);
    let mut i = 0;
    while i < counts.len() {
        if counts[i] == 0 {
            let (start, end) = nth_span(messages, ends, i);
            len = append_bytes(&mut buf, len, messages, start, end);
        }
        i += 1;
    }
    len = append(&mut buf, len, footer);
    (buf, len)
}

/// Where text `n` of `texts` starts and ends, `ends` holding the end of each as a little-endian
/// `u32`; an empty span past the last.
const fn nth_span(texts: &[u8], ends: &[u8], n: usize) -> (usize, usize) {
    let start = if n == 0 {
        0
    } else {
        end_of(texts, ends, n - 1)
    };
    let end = end_of(texts, ends, n);
    if start <= end {
        (start, end)
    } else {
        (end, end)
    }
}

/// The end of text `i` (see [`nth_span`]), within `texts`.
const fn end_of(texts: &[u8], ends: &[u8], i: usize) -> usize {
    let at = 4 * i;
    if at + 4 > ends.len() {
        return texts.len();
    }
    let end = u32::from_le_bytes([ends[at], ends[at + 1], ends[at + 2], ends[at + 3]]) as usize;
    if end < texts.len() { end } else { texts.len() }
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

const fn append_bytes<const CAP: usize>(
    buf: &mut [u8; CAP],
    mut len: usize,
    bytes: &[u8],
    from: usize,
    to: usize,
) -> usize {
    let mut i = from;
    while i < to && len < CAP {
        buf[len] = bytes[i];
        len += 1;
        i += 1;
    }
    len
}

/// The report so far; cut before a character the buffer's end split in two.
const fn report_str(buf: &[u8], len: usize) -> &str {
    let (head, _) = buf.split_at(len);
    match core::str::from_utf8(head) {
        Ok(s) => s,
        Err(e) => match core::str::from_utf8(head.split_at(e.valid_up_to()).0) {
            Ok(s) => s,
            Err(_) => "",
        },
    }
}

/// The type a field serialized by a function of its own (serde's `with`) is described as:
/// any shape, so its values are left to run-time validation.
pub type Unchecked = serde_json::Value;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binding_problems_flag_the_later_handler_and_other_specs() {
        const SPEC: u64 = 7;
        // Handlers: op 0, op 1, op 0 again, a failed binding, op 2 of another spec, op 1 again.
        let bind = |spec, index| Binding {
            spec,
            index,
            method: RouteMethod::Filter(MethodFilter::GET),
            path: "/",
            label: "`GET /`",
        };
        let bindings = [
            bind(SPEC, 0),
            bind(SPEC, 1),
            bind(SPEC, 0),
            bind(0, usize::MAX),
            bind(8, 2),
            bind(SPEC, 1),
        ];
        let problems = binding_problems::<6, 3>(&bindings, SPEC);
        assert_eq!(problems, [0, 0, BOUND_TWICE, 0, OTHER_SPEC, BOUND_TWICE]);
        assert_eq!(first_problem(&problems), 2);
        assert_eq!(first_problem(&[0, 0]), usize::MAX);
        // An index past the spec's operations (a stale marker) is not counted, not a panic.
        assert_eq!(binding_problems::<1, 1>(&[bind(SPEC, 5)], SPEC), [0]);
        assert_eq!(count_bindings::<3>(&bindings), [2, 2, 1]);
        assert!(any_unbound(&bindings) && !any_unbound(&bindings[..3]));
    }

    #[test]
    fn lines_are_found_by_number() {
        let names = b"get_pet\nlist_pets\nadd_pet";
        let line = |n| {
            let (start, end) = nth_line(names, n);
            std::str::from_utf8(&names[start..end]).unwrap()
        };
        assert_eq!(
            [line(0), line(1), line(2), line(3)],
            ["get_pet", "list_pets", "add_pet", ""]
        );
        assert_eq!(nth_line(b"", 0), (0, 0));
    }

    #[test]
    fn the_coverage_report_lists_only_operations_without_a_handler() {
        let counts = [1, 0, 2, 0];
        let messages = b"a\nbb\nc\nd\n";
        let ends = [2u32, 5, 7, 9].map(u32::to_le_bytes).concat();
        assert!(all_covered(&[1, 2]) && !all_covered(&counts));
        let (buf, len) = missing_report::<64>(&counts, messages, &ends, "[", "]");
        assert_eq!(report_str(&buf, len), "[bb\nd\n]");
        // Spans past the ends given, or ends past the text, are cut rather than read.
        assert_eq!(nth_span(messages, &ends, 4), (9, 9));
        assert_eq!(nth_span(b"ab", &ends, 1), (2, 2));
    }

    #[test]
    fn reports_are_cut_on_a_character_boundary() {
        let text = "héllo".as_bytes();
        // Byte 2 is inside `é`: the report stops before it.
        assert_eq!(report_str(text, 2), "h");
        assert_eq!(report_str(text, text.len()), "héllo");
        let mut buf = [0u8; 8];
        let len = append(&mut buf, 0, "abc");
        let len = append_bytes(&mut buf, len, b"xyz0123456", 0, 10);
        assert_eq!(report_str(&buf, len), "abcxyz01");
    }
}
