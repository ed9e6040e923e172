//! De-duplication: streaming keep-first within an event-time horizon (replay-safe through
//! saved state), batch keep-first / keep-last by key, and the key hashing both share.
//!
//! - [`Deduper`]: per-event `first` / `duplicate` / `late` / `future` with watermarks, in an
//!   exact mode (optionally capped) or a time-decaying Bloom mode; save, restore, merge.
//! - [`keep_mask`] / [`keep_indices`]: which rows of a batch survive.
//! - [`key_hash`] / [`KeyHasher`]: text and composite keys as documented 64-bit hashes.

mod batch;
mod bloom;
mod exact;
mod key;
mod spec;
pub mod state;
mod stream;
mod zeroed;

pub use batch::{keep_indices, keep_mask, Keep};
pub use key::{collision_probability, key_hash, keys_from_f64, KeyHasher, KeyPart, KeyValue};
pub use spec::DeduperSpec;
pub use stream::{DedupConfig, DedupCounts, DedupMode, DedupStats, Deduper, Outcome};

/// Prefetches the cache line at `p` (a hint; never faults).
#[inline(always)]
pub(crate) fn batch_prefetch<T>(p: *const T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: prefetching is a hint and never faults, whatever the address.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(p.cast());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}
