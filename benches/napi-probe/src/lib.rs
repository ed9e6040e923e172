//! The floor of a call from Node through napi-rs: a function and a class whose methods do
//! nothing but what every binding call must (convert an argument, borrow the object), so
//! `benches/call_bench.mjs` can set fleetops' calls beside them in the same run.

use napi_derive::napi;

/// A function that returns its argument.
#[napi]
pub fn noop(x: f64) -> f64 {
    x
}

/// A class with one counter.
#[napi]
pub struct Probe {
    n: u32,
}

#[napi]
impl Probe {
    /// A probe at zero.
    #[napi(constructor)]
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        Self { n: 0 }
    }

    /// The counter (a getter, as `LatencyHistogram.count`).
    #[napi(getter)]
    pub fn count(&self) -> u32 {
        self.n
    }

    /// Adds one (a `&mut self` method taking a number, as `LatencyHistogram.record`).
    #[napi]
    pub fn record(&mut self, _value: f64) {
        self.n = self.n.wrapping_add(1);
    }

    /// Adds one and names an outcome (a `&mut self` method taking three numbers and returning
    /// a short string: the call shape of `Deduper.observe(key, at, now)`).
    #[napi]
    pub fn observe(&mut self, _key: f64, _at: f64, _now: f64) -> &'static str {
        self.n = self.n.wrapping_add(1);
        "first"
    }
}
