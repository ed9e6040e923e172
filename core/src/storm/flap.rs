//! Flap detection, Nagios' way: the last 21 states of a key, the percent of state changes
//! among its 20 transitions weighted from 0.75 (oldest) to 1.25 (newest), flapping above the
//! high threshold and until it drops below the low one. State per key: 4 bytes (packed).

use serde::{Deserialize, Serialize};

/// States remembered.
pub const HISTORY: u32 = 21;

/// The last states of one key (bit 0 = newest; 1 = problem).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlapState {
    bits: u32,
    len: u8,
    /// Whether the key is flapping now.
    pub flapping: bool,
}

impl FlapState {
    /// Records a state; returns the new weighted percent state change.
    pub fn record(&mut self, problem: bool) -> f64 {
        self.bits = ((self.bits << 1) | u32::from(problem)) & ((1 << HISTORY) - 1);
        self.len = (self.len + 1).min(HISTORY as u8);
        self.percent()
    }

    /// Nagios' curved percent state change. States not seen yet count as equal to the oldest
    /// one seen (as Nagios fills a new history with the first state).
    ///
    /// Transition `x` (1 = oldest .. 20 = newest) weighs `0.75 + (x - 1) * 0.5 / 19`, that is
    /// `(55 + 2x) / 76`, and the percent is the weighted changes times 100 / 20; summing the
    /// integer numerators first makes the result exact up to one final rounding.
    pub fn percent(&self) -> f64 {
        percent_of(self.weighted_changes())
    }

    /// The weighted changes in units of 1/76: the percent is this times 5 / 76.
    pub(crate) fn weighted_changes(&self) -> u32 {
        if self.len < 2 {
            return 0;
        }
        let all = (1u32 << HISTORY) - 1;
        let seen = (1u32 << self.len) - 1;
        if self.bits == 0 || self.bits == seen {
            return 0; // one state throughout (most keys, most of the time): no change to weigh
        }
        let oldest = (self.bits >> (self.len - 1)) & 1;
        let bits = if oldest == 1 { self.bits | (all & !seen) } else { self.bits & seen };
        // Bit `a` of `changes`: the states at ages a and a + 1 differ (age 0 = newest), which is
        // transition x = 20 - a, weighing 55 + 2x = 95 - 2a; summed ten bits at a time from two
        // 1024-entry tables (4 KiB, in L1 on a hot path; x86-64's baseline has no popcount).
        let changes = (bits ^ (bits >> 1)) & ((1 << (HISTORY - 1)) - 1);
        u32::from(WEIGHTS[0][(changes & 0x3ff) as usize]) + u32::from(WEIGHTS[1][(changes >> 10) as usize])
    }

    /// Records a state and applies thresholds given as weighted changes (see
    /// [`Thresholds`]); the batch path's version of `record` + `update`, with no float.
    #[inline]
    pub(crate) fn record_weighted(&mut self, problem: bool, t: Thresholds) -> (u32, Option<bool>) {
        self.bits = ((self.bits << 1) | u32::from(problem)) & ((1 << HISTORY) - 1);
        self.len = (self.len + 1).min(HISTORY as u8);
        let w = self.weighted_changes();
        let change = if !self.flapping && w >= t.enter {
            self.flapping = true;
            Some(true)
        } else if self.flapping && w < t.leave {
            self.flapping = false;
            Some(false)
        } else {
            None
        };
        (w, change)
    }

    /// Whether a restored state is one `record` could have made.
    pub(crate) fn is_valid(&self) -> bool {
        u32::from(self.len) <= HISTORY && self.bits >> self.len == 0
    }

    /// The state in 32 bits (history, length, flapping), for per-key tables.
    pub(crate) fn pack(self) -> u32 {
        self.bits | u32::from(self.len) << HISTORY | u32::from(self.flapping) << (HISTORY + 5)
    }

    /// The state packed by [`pack`](Self::pack).
    pub(crate) fn unpack(packed: u32) -> Self {
        Self {
            bits: packed & ((1 << HISTORY) - 1),
            len: (packed >> HISTORY & 0x1f) as u8,
            flapping: packed >> (HISTORY + 5) & 1 == 1,
        }
    }
}

/// `WEIGHTS[h][m]`: the summed weights of the changes in mask `m` of ages `10h .. 10h + 9`.
static WEIGHTS: [[u16; 1024]; 2] = {
    let mut t = [[0u16; 1024]; 2];
    let mut h = 0;
    while h < 2 {
        let mut m = 0;
        while m < 1024 {
            let mut sum = 0;
            let mut bit = 0;
            while bit < 10 {
                if m >> bit & 1 == 1 {
                    sum += 95 - 2 * (10 * h + bit);
                }
                bit += 1;
            }
            t[h][m] = sum as u16;
            m += 1;
        }
        h += 1;
    }
    t
};

/// The percent of weighted changes `w` (in units of 1/76).
pub(crate) fn percent_of(w: u32) -> f64 {
    f64::from(w) * 5.0 / 76.0
}

/// Flap thresholds as weighted changes: flapping starts at `w >= enter` (percent > high) and
/// stops at `w < leave` (percent < low). The percent only grows with `w`, so these compare
/// exactly as the percents would.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Thresholds {
    enter: u32,
    leave: u32,
}

impl Thresholds {
    /// The smallest weighted changes past each percent threshold.
    pub(crate) fn new(high: f64, low: f64) -> Self {
        const MAX: u32 = 55 * (HISTORY - 1) + (HISTORY - 1) * HISTORY; // every transition changed
        let first = |past: &dyn Fn(f64) -> bool| (0..=MAX).find(|&w| past(percent_of(w))).unwrap_or(MAX + 1);
        Self { enter: first(&|p| p > high), leave: first(&|p| p >= low) }
    }
}

/// Nagios' default high flap threshold: flapping starts above 20 % state change.
pub const FLAP_HIGH_PERCENT: f64 = 20.0;
/// Nagios' default low flap threshold: flapping stops below 5 % state change.
pub const FLAP_LOW_PERCENT: f64 = 5.0;

/// Checks flap thresholds: `0 <= low <= high <= 100` (NaN is refused).
pub(crate) fn check_thresholds(high: f64, low: f64) -> crate::Result<()> {
    if !(0.0..=100.0).contains(&low) || !(0.0..=100.0).contains(&high) || low > high {
        return Err(crate::FleetopsError::InvalidThreshold(format!(
            "need 0 <= flap_low <= flap_high <= 100, got low {low} and high {high}"
        )));
    }
    Ok(())
}

/// Percent state change and flapping after each of `states` (true = problem), with the
/// hysteresis thresholds (default [`FLAP_HIGH_PERCENT`] and [`FLAP_LOW_PERCENT`]): the series a
/// dashboard or a test wants.
pub fn flap_series(states: &[bool], high: Option<f64>, low: Option<f64>) -> crate::Result<FlapSeries> {
    let (high, low) = (high.unwrap_or(FLAP_HIGH_PERCENT), low.unwrap_or(FLAP_LOW_PERCENT));
    check_thresholds(high, low)?;
    let mut f = FlapState::default();
    let (percents, flapping) = states
        .iter()
        .map(|&s| {
            let p = f.record(s);
            f.update(p, high, low);
            (p, f.flapping)
        })
        .unzip();
    Ok(FlapSeries { percents, flapping })
}

/// `flap_series`' thresholds as options.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FlapSpec {
    /// Flapping starts above this percent (default [`FLAP_HIGH_PERCENT`]).
    pub high: Option<f64>,
    /// ... and stops below this one (default [`FLAP_LOW_PERCENT`]).
    pub low: Option<f64>,
}

impl FlapSpec {
    /// The series of `states` at these thresholds.
    pub fn series(&self, states: &[bool]) -> crate::Result<FlapSeries> {
        flap_series(states, self.high, self.low)
    }
}

/// What [`flap_series`] returns: one entry per state.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct FlapSeries {
    /// Nagios' weighted percent state change after each state.
    pub percents: Vec<f64>,
    /// Whether the series is flapping after each state.
    pub flapping: Vec<bool>,
}

impl FlapState {
    /// Applies the thresholds to a new percent; returns `Some(true)` when flapping starts and
    /// `Some(false)` when it stops.
    pub fn update(&mut self, percent: f64, high: f64, low: f64) -> Option<bool> {
        if !self.flapping && percent > high {
            self.flapping = true;
            Some(true)
        } else if self.flapping && percent < low {
            self.flapping = false;
            Some(false)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Nagios' loop, transition by transition, as the weights are written in its docs.
    fn by_loop(f: &FlapState) -> f64 {
        if f.len < 2 {
            return 0.0;
        }
        let state = |pos: u32| (f.bits >> (HISTORY - 1 - pos).min(f.len as u32 - 1)) & 1;
        let mut changes = 0.0;
        for x in 1..HISTORY {
            if state(x) != state(x - 1) {
                changes += (x - 1) as f64 * 0.5 / (HISTORY - 2) as f64 + 0.75;
            }
        }
        changes * 100.0 / (HISTORY - 1) as f64
    }

    #[test]
    fn bit_counting_matches_the_loop_for_every_length() {
        let mut x = 0x9e37_79b9u32;
        for len in 0..=HISTORY as u8 {
            for _ in 0..20_000 {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                let f = FlapState {
                    bits: x & ((1 << HISTORY) - 1) & ((1u64 << len) - 1) as u32,
                    len,
                    flapping: x & 1 == 1,
                };
                assert!((f.percent() - by_loop(&f)).abs() < 1e-9, "{f:?}");
                assert_eq!(FlapState::unpack(f.pack()), f);
            }
        }
        // Alternating states: every transition changes, 100 %.
        let f = FlapState { bits: 0x0015_5555, len: 21, flapping: false };
        assert_eq!(f.percent(), 100.0);
    }

    #[test]
    fn weighted_thresholds_decide_as_the_percents_do() {
        let mut x = 0x1234_5678u32;
        for (high, low) in [(20.0, 5.0), (30.0, 30.0), (0.0, 0.0), (100.0, 99.0), (25.0, 10.0), (50.0, 50.0)] {
            let t = Thresholds::new(high, low);
            let (mut a, mut b) = (FlapState::default(), FlapState::default());
            for _ in 0..50_000 {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                let problem = x.is_multiple_of(3) || (x >> 8) % 7 < 3;
                let p = a.record(problem);
                let expected = a.update(p, high, low);
                let (w, got) = b.record_weighted(problem, t);
                assert_eq!((percent_of(w), got, b), (p, expected, a));
            }
        }
    }
}
