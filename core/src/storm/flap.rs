//! Flap detection, Nagios' way: the last 21 states of a key, the percent of state changes
//! among its 20 transitions weighted from 0.75 (oldest) to 1.25 (newest), flapping above the
//! high threshold and until it drops below the low one. State per key: 6 bytes.

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
    pub fn percent(&self) -> f64 {
        if self.len < 2 {
            return 0.0;
        }
        // Oldest first: position 0 .. 20; unseen older positions repeat the oldest seen state.
        let state = |pos: u32| {
            let age = HISTORY - 1 - pos; // 0 = newest
            let age = age.min(self.len as u32 - 1);
            (self.bits >> age) & 1
        };
        let mut changes = 0.0;
        for x in 1..HISTORY {
            if state(x) != state(x - 1) {
                changes += (x - 1) as f64 * 0.5 / (HISTORY - 2) as f64 + 0.75;
            }
        }
        changes * 100.0 / (HISTORY - 1) as f64
    }
}

/// Percent state change and flapping after each of `states` (true = problem), with the
/// hysteresis thresholds: the series a dashboard or a test wants.
pub fn flap_series(states: &[bool], high: f64, low: f64) -> (Vec<f64>, Vec<bool>) {
    let mut f = FlapState::default();
    states
        .iter()
        .map(|&s| {
            let p = f.record(s);
            f.update(p, high, low);
            (p, f.flapping)
        })
        .unzip()
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
