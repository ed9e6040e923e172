//! A fixed-length ring of slots allocated a chunk at a time, on first write: a tracker's
//! memory follows the history it has seen, not the retention it could hold (a month at one
//! minute is 1.4 MB of buckets; a tracker that saw one request holds one 32 KiB chunk).

/// Slots per chunk.
const CHUNK: usize = 1024;

/// `len` slots of `T`, each `empty` until written.
#[derive(Debug, Clone)]
pub(super) struct ChunkedRing<T> {
    len: usize,
    empty: T,
    chunks: Vec<Option<Box<[T]>>>,
    /// Chunks allocated so far (memory is known without a scan).
    allocated: usize,
}

impl<T: Copy> ChunkedRing<T> {
    /// A ring of `len` empty slots; nothing is allocated for them yet.
    pub(super) fn new(len: usize, empty: T) -> Self {
        Self { len, empty, chunks: vec![None; len.div_ceil(CHUNK)], allocated: 0 }
    }

    /// The number of slots.
    pub(super) fn len(&self) -> usize {
        self.len
    }

    /// Slot `i` (`empty` when its chunk was never written).
    #[inline]
    pub(super) fn get(&self, i: usize) -> &T {
        self.chunks[i / CHUNK].as_ref().map_or(&self.empty, |c| &c[i % CHUNK])
    }

    /// Slot `i` for writing, allocating its chunk first if needed.
    #[inline]
    pub(super) fn get_mut(&mut self, i: usize) -> &mut T {
        let (empty, allocated) = (self.empty, &mut self.allocated);
        let chunk = self.chunks[i / CHUNK].get_or_insert_with(|| {
            *allocated += 1;
            vec![empty; CHUNK].into_boxed_slice()
        });
        &mut chunk[i % CHUNK]
    }

    /// Every slot of the allocated chunks, in order (unallocated ones hold only `empty`).
    pub(super) fn allocated(&self) -> impl Iterator<Item = &T> {
        self.chunks.iter().flatten().flat_map(|c| c.iter())
    }

    /// Bytes held: the allocated chunks and the chunk table.
    pub(super) fn memory_bytes(&self) -> usize {
        let chunk = CHUNK * std::mem::size_of::<T>();
        self.allocated * chunk + self.chunks.len() * std::mem::size_of::<Option<Box<[T]>>>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_read_empty_until_written_and_chunks_come_on_first_write() {
        let mut r = ChunkedRing::new(5_000, -1i64);
        assert_eq!((r.len(), *r.get(4_999)), (5_000, -1));
        assert_eq!(r.allocated().count(), 0);
        *r.get_mut(1_500) = 7;
        *r.get_mut(1_501) = 8;
        assert_eq!((*r.get(1_500), *r.get(1_501), *r.get(1_499), *r.get(3_000)), (7, 8, -1, -1));
        assert_eq!(r.allocated().count(), CHUNK);
        assert_eq!(r.memory_bytes(), CHUNK * 8 + 5 * 16);
        *r.get_mut(4_999) = 1;
        assert_eq!(r.memory_bytes(), 2 * CHUNK * 8 + 5 * 16, "one more chunk, counted once");
        *r.get_mut(4_998) = 2;
        assert_eq!(r.memory_bytes(), 2 * CHUNK * 8 + 5 * 16);
    }
}
