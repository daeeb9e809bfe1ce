//! What validation does: which directions it checks and what it does on a violation.

/// What to do when a response breaks the contract. A 4xx response that breaks it is only
/// logged, whatever the mode: a bad request must never turn into a 500.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnViolation {
    /// Replace the response with a 500 `application/problem+json` naming the violation (the default).
    Respond,
    /// Log it (through `tracing`) and send the response unchanged.
    Log,
    /// Panic: for tests, so that a violation fails them where it happens.
    Panic,
}

#[derive(Debug, Clone)]
pub(crate) struct Config {
    pub responses: bool,
    pub requests: bool,
    pub on_violation: OnViolation,
    pub body_limit: usize,
    /// Paths served outside the spec on purpose (see [`ContractLayer::allow_undeclared`]).
    pub undeclared: &'static [&'static str],
}

impl Config {
    /// What `routes!` validates: requests, and responses (a violation answered with a 500).
    pub(crate) const ROUTES: Config = Config {
        responses: true,
        requests: true,
        on_violation: OnViolation::Respond,
        body_limit: 2 * 1024 * 1024,
        undeclared: &[],
    };
}
