//! The one error type of fleetops.
//!
//! Every variant carries a human message and has a stable machine [`code`](FleetopsError::code)
//! that the bindings expose unchanged: Python raises `fleetops.<Name>Error` (a subclass of
//! `fleetops.FleetopsError`, itself a `ValueError`), Node throws an `Error` whose `.code` is
//! the same string.

/// Result alias used throughout the crate.
pub type Result<T, E = FleetopsError> = std::result::Result<T, E>;

/// Everything that can go wrong in fleetops: bad input, except `Internal` (a caught panic: a bug).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FleetopsError {
    /// A duration that is negative, not a number, unparseable or in an unknown period.
    #[error("invalid duration: {0}")]
    InvalidDuration(String),
    /// Freshness tiers that are empty, unordered, duplicated or badly bounded.
    #[error("invalid tiers: {0}")]
    InvalidTiers(String),
    /// A threshold that contradicts another (warn after error, a ratio outside its range, ...).
    #[error("invalid threshold: {0}")]
    InvalidThreshold(String),
    /// A timestamp without a time zone where no zone was stated.
    #[error("naive timestamp: {0}")]
    NaiveTimestamp(String),
    /// A timestamp that is not a number, out of range or unparseable.
    #[error("invalid timestamp: {0}")]
    InvalidTimestamp(String),
    /// A time-zone name that the IANA database does not know.
    #[error("unknown time zone: {0}")]
    InvalidTimeZone(String),
    /// A cron expression that does not parse.
    #[error("invalid schedule: {0}")]
    InvalidSchedule(String),
    /// A history with no entries where at least one is needed.
    #[error("empty history: {0}")]
    EmptyHistory(String),
    /// An argument of the wrong value not covered by a more specific variant.
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    /// An argument of the wrong type (a string where a number goes). Its code is
    /// `INVALID_ARGUMENT`, as a wrong value's; Python raises `InvalidArgumentTypeError`, an
    /// `InvalidArgumentError` that is also a `TypeError`.
    #[error("invalid argument: {0}")]
    WrongType(String),
    /// Saved state that is corrupt or of a version this build cannot read.
    #[error("invalid state: {0}")]
    InvalidState(String),
    /// An objective or target outside the open interval (0, 1).
    #[error("invalid target: {0}")]
    InvalidTarget(String),
    /// An event count that is negative, not a whole number, NaN, or inconsistent (good > total).
    #[error("invalid count: {0}")]
    InvalidCount(String),
    /// A spec document (OpenSLO YAML) that does not parse, or has a field that is unknown or
    /// that fleetops does not support, named with its line.
    #[error("invalid spec: {0}")]
    InvalidSpec(String),
    /// A bug in fleetops itself (a panic caught at the language boundary): never bad input.
    #[error("internal error (a bug in fleetops; please report it): {0}")]
    Internal(String),
}

/// Every error kind as `(code, class name)`; bindings build their exception types from it.
pub const ERROR_KINDS: &[(&str, &str)] = &[
    ("INVALID_DURATION", "InvalidDurationError"),
    ("INVALID_TIERS", "InvalidTiersError"),
    ("INVALID_THRESHOLD", "InvalidThresholdError"),
    ("NAIVE_TIMESTAMP", "NaiveTimestampError"),
    ("INVALID_TIMESTAMP", "InvalidTimestampError"),
    ("INVALID_TIME_ZONE", "InvalidTimeZoneError"),
    ("INVALID_SCHEDULE", "InvalidScheduleError"),
    ("EMPTY_HISTORY", "EmptyHistoryError"),
    ("INVALID_ARGUMENT", "InvalidArgumentError"),
    ("INVALID_STATE", "InvalidStateError"),
    ("INVALID_TARGET", "InvalidTargetError"),
    ("INVALID_COUNT", "InvalidCountError"),
    ("INVALID_SPEC", "InvalidSpecError"),
    ("INTERNAL", "InternalError"),
];

/// Python's class for [`FleetopsError::WrongType`]: a subclass of `InvalidArgumentError` and
/// of `TypeError` (code `INVALID_ARGUMENT`).
pub const WRONG_TYPE_CLASS: &str = "InvalidArgumentTypeError";

impl FleetopsError {
    /// The stable machine code of this error, e.g. `"INVALID_DURATION"`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidDuration(_) => "INVALID_DURATION",
            Self::InvalidTiers(_) => "INVALID_TIERS",
            Self::InvalidThreshold(_) => "INVALID_THRESHOLD",
            Self::NaiveTimestamp(_) => "NAIVE_TIMESTAMP",
            Self::InvalidTimestamp(_) => "INVALID_TIMESTAMP",
            Self::InvalidTimeZone(_) => "INVALID_TIME_ZONE",
            Self::InvalidSchedule(_) => "INVALID_SCHEDULE",
            Self::EmptyHistory(_) => "EMPTY_HISTORY",
            Self::InvalidArgument(_) | Self::WrongType(_) => "INVALID_ARGUMENT",
            Self::InvalidState(_) => "INVALID_STATE",
            Self::InvalidTarget(_) => "INVALID_TARGET",
            Self::InvalidCount(_) => "INVALID_COUNT",
            Self::InvalidSpec(_) => "INVALID_SPEC",
            Self::Internal(_) => "INTERNAL",
        }
    }

    /// The binding-facing class name of this error, e.g. `"InvalidDurationError"`.
    pub fn class_name(&self) -> &'static str {
        if let Self::WrongType(_) = self {
            return WRONG_TYPE_CLASS;
        }
        let code = self.code();
        ERROR_KINDS.iter().find(|(c, _)| *c == code).map(|(_, name)| *name).unwrap_or("FleetopsError")
    }

    /// The message without the kind's prefix (`expected a number, got a string` for
    /// `invalid argument: expected a number, got a string`): for text that goes inside another.
    pub fn detail(&self) -> &str {
        match self {
            Self::InvalidDuration(m)
            | Self::InvalidTiers(m)
            | Self::InvalidThreshold(m)
            | Self::NaiveTimestamp(m)
            | Self::InvalidTimestamp(m)
            | Self::InvalidTimeZone(m)
            | Self::InvalidSchedule(m)
            | Self::EmptyHistory(m)
            | Self::InvalidArgument(m)
            | Self::WrongType(m)
            | Self::InvalidState(m)
            | Self::InvalidTarget(m)
            | Self::InvalidCount(m)
            | Self::InvalidSpec(m)
            | Self::Internal(m) => m,
        }
    }

    /// Prefixes the message with where the bad input was found (a row, an index, a field).
    pub fn at(self, place: impl std::fmt::Display) -> Self {
        let wrap = |m: String| format!("{place}: {m}");
        match self {
            Self::InvalidDuration(m) => Self::InvalidDuration(wrap(m)),
            Self::InvalidTiers(m) => Self::InvalidTiers(wrap(m)),
            Self::InvalidThreshold(m) => Self::InvalidThreshold(wrap(m)),
            Self::NaiveTimestamp(m) => Self::NaiveTimestamp(wrap(m)),
            Self::InvalidTimestamp(m) => Self::InvalidTimestamp(wrap(m)),
            Self::InvalidTimeZone(m) => Self::InvalidTimeZone(wrap(m)),
            Self::InvalidSchedule(m) => Self::InvalidSchedule(wrap(m)),
            Self::EmptyHistory(m) => Self::EmptyHistory(wrap(m)),
            Self::InvalidArgument(m) => Self::InvalidArgument(wrap(m)),
            Self::WrongType(m) => Self::WrongType(wrap(m)),
            Self::InvalidState(m) => Self::InvalidState(wrap(m)),
            Self::InvalidTarget(m) => Self::InvalidTarget(wrap(m)),
            Self::InvalidCount(m) => Self::InvalidCount(wrap(m)),
            Self::InvalidSpec(m) => Self::InvalidSpec(wrap(m)),
            Self::Internal(m) => Self::Internal(wrap(m)),
        }
    }

    /// The error for a panic caught at a language boundary, from its payload (the panic's
    /// message when it has one), so that no panic reaches Python or Node as an abort.
    pub fn from_panic(payload: &(dyn std::any::Any + Send)) -> Self {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".to_owned());
        Self::Internal(message)
    }
}

/// Runs `f`, turning a panic inside it into [`FleetopsError::Internal`]: what the bindings wrap
/// every exported call in. `f` is asserted unwind-safe: after a panic the engine it touched may
/// be inconsistent, which is why the error says "a bug" and names no input. Always inlined:
/// out of line it costs a one-number call from Python ~15 instructions.
#[inline(always)]
pub fn catch_panic<T, E>(
    f: impl FnOnce() -> std::result::Result<T, E>,
    convert: impl FnOnce(FleetopsError) -> E,
) -> std::result::Result<T, E> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
        .unwrap_or_else(|payload| Err(convert(FleetopsError::from_panic(&*payload))))
}

/// The error for an engine a panic left behind: the call that panicked may have stopped half
/// way, so the engine refuses further use rather than answer from a half-updated state.
pub fn engine_unusable() -> FleetopsError {
    FleetopsError::Internal(
        "this engine was left unusable by an internal error in an earlier call (a bug); restore it from a saved \
         state or make a new one"
            .into(),
    )
}

/// Panics on purpose: the hook the bindings' tests use to prove a panic comes back as an
/// `INTERNAL` error and the process survives. Not for anything else.
#[doc(hidden)]
pub fn panic_for_test(message: &str) -> Result<()> {
    panic!("{message}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_one_class_name() {
        let e = FleetopsError::InvalidState("x".into());
        assert_eq!(e.code(), "INVALID_STATE");
        assert_eq!(e.class_name(), "InvalidStateError");
        let codes: std::collections::HashSet<_> = ERROR_KINDS.iter().map(|k| k.0).collect();
        assert_eq!(codes.len(), ERROR_KINDS.len());
    }

    #[test]
    fn a_panic_becomes_an_internal_error() {
        let e = catch_panic(|| panic_for_test("boom"), |e| e).unwrap_err();
        assert_eq!((e.code(), e.class_name()), ("INTERNAL", "InternalError"));
        assert!(e.to_string().contains("boom"), "{e}");
        let e = catch_panic::<(), _>(|| panic!("{} {}", "formatted", 42), |e| e).unwrap_err();
        assert!(e.to_string().ends_with("formatted 42"), "{e}");
    }

    #[test]
    fn a_wrong_type_is_an_invalid_argument_of_its_own_class() {
        let e = crate::wire::wrong_type("a number", "a string").at("window");
        assert_eq!((e.code(), e.class_name()), ("INVALID_ARGUMENT", WRONG_TYPE_CLASS));
        assert_eq!(e.to_string(), "invalid argument: window: expected a number, got a string");
    }

    #[test]
    fn at_names_the_place() {
        let e = FleetopsError::InvalidTimestamp("NaN".into()).at("row 3");
        assert_eq!(e.to_string(), "invalid timestamp: row 3: NaN");
        assert_eq!(e.code(), "INVALID_TIMESTAMP");
    }
}
