//! The API's request log: a Poisson stream with a daily rhythm (~8 requests/s on average,
//! ~5M a week), 2 % client errors (good for the SLO), 0.02 % server errors (5 % in the planted
//! bad hour) and log-normal latencies (median 120 ms, p95 ~300 ms).

use std::f64::consts::TAU;

use super::{Planted, Rng};

/// Mean requests per second over a day.
const MEAN_RATE: f64 = 8.27;

/// The request log as columns.
#[derive(Debug, Clone, Default)]
pub struct Requests {
    /// When each request finished, µs since the epoch (ascending).
    pub at_us: Vec<i64>,
    /// Its HTTP status.
    pub status: Vec<u16>,
    /// Its latency in ms.
    pub latency_ms: Vec<f64>,
}

impl Requests {
    /// Requests in the log.
    pub fn len(&self) -> usize {
        self.at_us.len()
    }

    /// Whether the log is empty.
    pub fn is_empty(&self) -> bool {
        self.at_us.is_empty()
    }
}

pub(super) fn generate(p: &Planted, rng: &mut Rng) -> Requests {
    let (start, end) = (p.start.timestamp_micros(), p.now.timestamp_micros());
    let (bad_from, bad_to) = (p.bad_from.timestamp_micros(), p.bad_to.timestamp_micros());
    let down = p.downtime_from.timestamp_micros()..p.downtime_to.timestamp_micros();
    let n = ((end - start) as f64 / 1e6 * MEAN_RATE * 1.01) as usize;
    let mut out =
        Requests { at_us: Vec::with_capacity(n), status: Vec::with_capacity(n), latency_ms: Vec::with_capacity(n) };
    let mut t = start as f64;
    loop {
        // Busiest at 15:00 UTC, quietest at 03:00.
        let hour = (t / 3.6e9).rem_euclid(24.0);
        let rate = MEAN_RATE * (1.0 + 0.6 * (TAU * (hour - 9.0) / 24.0).sin());
        t += rng.exp() / rate * 1e6;
        let at = t as i64;
        if at >= end {
            break;
        }
        let error_rate = if (bad_from..bad_to).contains(&at) { p.bad_error_rate } else { 0.0002 };
        let u = rng.unit();
        let status = if u < error_rate {
            [500, 502, 503, 504][rng.below(4) as usize]
        } else if u < error_rate + 0.02 {
            [400, 401, 404, 409][rng.below(4) as usize]
        } else {
            200
        };
        out.at_us.push(at);
        // Planned downtime: every request fails, drawn as any other (the stream stays the same).
        out.status.push(if down.contains(&at) { 503 } else { status });
        out.latency_ms.push((120.0 * (0.55 * rng.normal()).exp() * 1000.0).round() / 1000.0);
    }
    out
}
