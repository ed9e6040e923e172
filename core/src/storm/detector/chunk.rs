//! What a batch and its shards share: the batch's columns and the chunk sizes (its own module,
//! so that `batch` and `shards` depend on it rather than on each other).

use super::Name;

/// Alerts a batch hashes and prefetches ahead of the one it judges.
pub(super) const AHEAD: usize = 12;

/// Alerts in a chunk judged a shard per thread; the shards meet after each.
pub(super) const CHUNK: usize = 16 * 1024;

/// The columns of a batch, read by position: alert `i` is at `at_ms(i)`, its key id is
/// `id_of(i)`, and `key(i, f)` calls `f` with its key name.
pub(in crate::storm) struct Cols<'a, A, I, K> {
    pub n: usize,
    pub at_ms: A,
    pub id_of: I,
    pub key: K,
    pub firing: Option<&'a [u8]>,
    pub now_ms: Option<i64>,
}

impl<A, I, K> Cols<'_, A, I, K>
where
    A: Fn(usize) -> i64,
    K: Fn(usize, &mut dyn FnMut(&str)),
{
    /// Whether alert `i` fires (no flags: every alert does).
    #[inline(always)]
    pub(super) fn fires(&self, i: usize) -> bool {
        self.firing.is_none_or(|f| f[i] != 0)
    }

    /// Alert `i`'s key name, written into `buf` when first asked for.
    pub(super) fn with_name<R>(&self, i: usize, buf: &mut String, f: impl FnOnce(&mut Name<'_>) -> R) -> R {
        let mut write = |b: &mut String| (self.key)(i, &mut |name| b.push_str(name));
        f(&mut Name { buf, write: &mut write, ready: false })
    }
}
