//! Memory helpers for the large per-key tables (dedup, storms): software prefetch and zeroed,
//! huge-page-backed buffers.

mod zeroed;

pub(crate) use zeroed::{Zeroable, Zeroed};

/// Prefetches the cache line at `p` (a hint; never faults).
#[inline(always)]
pub(crate) fn prefetch<T>(p: *const T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: prefetching is a hint and never faults, whatever the address.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(p.cast());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}
