//! Helpers shared by the integration tests.

/// A seeded xorshift64: `rnd(n)` is a number below `n`, the same on every run.
pub fn xorshift(mut x: u64) -> impl FnMut(u64) -> u64 {
    move |n| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % n
    }
}
