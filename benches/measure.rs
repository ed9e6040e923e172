//! Shared by the Rust benchmarks (each includes it with `#[path]`): contenders timed
//! round-robin, so every run of each sees the same machine state, and summed up as the median
//! with the min-max of the runs. Best-of-N would hide the spread.
#![allow(dead_code)] // each bench uses the part it needs

use std::time::Instant;

/// Median, min and max.
pub fn spread(mut xs: Vec<f64>) -> (f64, f64, f64) {
    xs.sort_by(f64::total_cmp);
    (xs[xs.len() / 2], xs[0], xs[xs.len() - 1])
}

/// Seconds of each contender's `runs` runs, taken round-robin.
pub fn round_robin(runs: usize, contenders: &mut [&mut dyn FnMut()]) -> Vec<Vec<f64>> {
    let mut secs = vec![Vec::with_capacity(runs); contenders.len()];
    for _ in 0..runs {
        for (f, out) in contenders.iter_mut().zip(&mut secs) {
            let start = Instant::now();
            f();
            out.push(start.elapsed().as_secs_f64());
        }
    }
    secs
}

/// "median M unit/s (min a, max b)" of `n` events per run, from each run's seconds.
pub fn rate(n: usize, secs: &[f64], unit: &str) -> String {
    let (med, lo, hi) = spread(secs.iter().map(|s| n as f64 / s / 1e6).collect());
    format!("{med:>7.1} M {unit}/s (min {lo:.1}, max {hi:.1})")
}
