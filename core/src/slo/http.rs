//! HTTP responses as SLO outcomes: a 5xx is the service's fault and counts against the budget;
//! a 4xx is the client's and does not, unless the caller lists it (some count 429 when their
//! own throttling turns users away).

/// Responses an in-process HTTP recorder (`fleetops/express`) buffers before it records them
/// in one batch: one crossing into the core per 4,096 requests keeps recording under a
/// microsecond each, and a flush (a status read, `close()`) records the rest at once.
pub const RECORD_BATCH: u32 = 4096;

/// How often (ms) such a recorder re-reads the wall clock to re-anchor its monotonic clock:
/// timestamps follow NTP steps within a second, while each request reads one cheap clock.
pub const CLOCK_RESYNC_MS: u32 = 1000;

/// The status a recorder gives a request that ended without a response: the client gave up,
/// the socket was destroyed, or the server timed it out. It counts as bad: a timeout outage
/// must burn the budget, not vanish from it.
pub const NO_RESPONSE: u16 = 0;

/// Whether a response with `status` is good: a response (not [`NO_RESPONSE`]) below 500 and
/// not in `extra_bad`.
///
/// ```
/// use fleetops::slo::{status_is_good, NO_RESPONSE};
/// assert!(status_is_good(404, &[]));
/// assert!(!status_is_good(503, &[]));
/// assert!(!status_is_good(429, &[429]));
/// assert!(!status_is_good(NO_RESPONSE, &[]));
/// ```
pub fn status_is_good(status: u16, extra_bad: &[u16]) -> bool {
    status != NO_RESPONSE && status < 500 && !extra_bad.contains(&status)
}

/// [`status_is_good`] over a column: 1 good, 0 bad (the form `record_batch_epoch` takes).
pub fn http_outcomes(status: &[u16], extra_bad: &[u16]) -> Vec<u8> {
    status.iter().map(|&s| status_is_good(s, extra_bad) as u8).collect()
}
