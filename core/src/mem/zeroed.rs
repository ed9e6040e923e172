//! A fixed-size buffer of zero-initialised plain values for the large hash tables: allocated
//! zeroed (the kernel hands out untouched pages) and, on Linux, marked for transparent huge
//! pages, so random probes into hundreds of MB do not also miss the TLB on every access.

use std::alloc::{alloc_zeroed, dealloc, handle_alloc_error, Layout};
use std::ops::{Deref, DerefMut};
use std::ptr::NonNull;

/// Huge-page size; buffers at least this big are mapped directly and aligned to it.
const HUGE: usize = 2 << 20;

/// Types whose all-zero bit pattern is a valid value.
///
/// # Safety
/// Implementors must be plain data for which all-zero bytes are a valid value.
pub(crate) unsafe trait Zeroable: Copy {}
// SAFETY: integers are valid when zero.
unsafe impl Zeroable for u64 {}

pub(crate) struct Zeroed<T: Zeroable> {
    ptr: NonNull<T>,
    len: usize,
    /// Linux, large buffers: the whole mapping (start, bytes) to unmap on drop.
    #[cfg(target_os = "linux")]
    mapping: Option<(*mut libc::c_void, usize)>,
}

// SAFETY: `Zeroed` owns its memory like a `Box<[T]>`.
unsafe impl<T: Zeroable + Send> Send for Zeroed<T> {}
// SAFETY: as above; shared access only reads.
unsafe impl<T: Zeroable + Sync> Sync for Zeroed<T> {}

impl<T: Zeroable> Zeroed<T> {
    fn layout(len: usize) -> Layout {
        let bytes = len.checked_mul(std::mem::size_of::<T>()).expect("table size overflows").max(1);
        Layout::from_size_align(bytes, std::mem::align_of::<T>()).expect("valid layout")
    }

    /// `len` zero values (a failed allocation aborts, as `Vec`'s does).
    pub(crate) fn new(len: usize) -> Self {
        Self::try_new(len).unwrap_or_else(|| handle_alloc_error(Self::layout(len)))
    }

    /// `len` zero values; `None` when the memory cannot be had (the caller says why).
    pub(crate) fn try_new(len: usize) -> Option<Self> {
        let layout = Self::layout(len);
        #[cfg(target_os = "linux")]
        if layout.size() >= HUGE {
            // Fresh anonymous pages are zero and untouched; map 2 MiB more to align the start
            // so that the kernel can back the buffer with huge pages from the first fault.
            let bytes = layout.size() + HUGE;
            // SAFETY: an anonymous private mapping with no address hint.
            let raw = unsafe {
                libc::mmap(
                    std::ptr::null_mut(),
                    bytes,
                    libc::PROT_READ | libc::PROT_WRITE,
                    libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                    -1,
                    0,
                )
            };
            if raw == libc::MAP_FAILED {
                return None;
            }
            let aligned = (raw as usize).next_multiple_of(HUGE) as *mut libc::c_void;
            // SAFETY: the range lies inside our mapping; the advice is only a hint.
            unsafe { libc::madvise(aligned, layout.size(), libc::MADV_HUGEPAGE) };
            let ptr = NonNull::new(aligned.cast::<T>()).expect("mmap returned null");
            return Some(Self { ptr, len, mapping: Some((raw, bytes)) });
        }
        // SAFETY: the layout has a non-zero size.
        let raw = unsafe { alloc_zeroed(layout) };
        let ptr = NonNull::new(raw.cast::<T>())?;
        Some(Self {
            ptr,
            len,
            #[cfg(target_os = "linux")]
            mapping: None,
        })
    }
}

impl<T: Zeroable> Deref for Zeroed<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        // SAFETY: `ptr` holds `len` initialised (zeroed or written) values.
        unsafe { std::slice::from_raw_parts(self.ptr.as_ptr(), self.len) }
    }
}

impl<T: Zeroable> DerefMut for Zeroed<T> {
    fn deref_mut(&mut self) -> &mut [T] {
        // SAFETY: as in `deref`, and `&mut self` is unique.
        unsafe { std::slice::from_raw_parts_mut(self.ptr.as_ptr(), self.len) }
    }
}

impl<T: Zeroable> Clone for Zeroed<T> {
    fn clone(&self) -> Self {
        let mut copy = Self::new(self.len);
        copy.copy_from_slice(self);
        copy
    }
}

impl<T: Zeroable> Drop for Zeroed<T> {
    fn drop(&mut self) {
        #[cfg(target_os = "linux")]
        if let Some((raw, bytes)) = self.mapping {
            // SAFETY: the mapping made in `new`, unmapped once.
            unsafe { libc::munmap(raw, bytes) };
            return;
        }
        // SAFETY: allocated in `new` with this very layout.
        unsafe { dealloc(self.ptr.as_ptr().cast(), Self::layout(self.len)) }
    }
}

impl<T: Zeroable> Default for Zeroed<T> {
    fn default() -> Self {
        Self::new(0)
    }
}
