//! The one way a Python object holds a core engine: behind a mutex, so a shared object can be
//! used from several threads (pyclasses are `frozen`: pyo3 never raises "Already borrowed").
//!
//! Discipline, which every method follows: convert the Python inputs first (that may run Python
//! code: a tzinfo, a generator, `__index__`), with no lock held; then lock and call the core;
//! then convert the result. The lock is never held while Python code runs or while the GIL is
//! being acquired, so it cannot deadlock with the GIL. Batch calls run the core with the GIL
//! released, on inputs already copied out of Python buffers (another thread may write to a
//! numpy array while the GIL is released).
//!
//! A panic inside the core (caught by `errors::guard`) poisons the mutex; the engine then
//! refuses every later call with `InternalError` instead of answering from a state the panic
//! may have left half updated.

use std::sync::{Mutex, MutexGuard, TryLockError};

use pyo3::prelude::*;

use crate::errors::IntoPyResult;

/// A core engine shared by Python threads.
pub struct Engine<T>(Mutex<T>);

fn unusable<T>() -> PyResult<T> {
    Err(fleetops::error::engine_unusable()).py()
}

impl<T: Send> Engine<T> {
    /// Wraps a new engine.
    pub fn new(inner: T) -> Self {
        Self(Mutex::new(inner))
    }

    /// A short call: runs `f` with the GIL held when the engine is free, or waits for it (and
    /// runs `f`) with the GIL released when another thread holds it.
    pub fn with<R: Send>(&self, py: Python<'_>, f: impl FnOnce(&mut T) -> fleetops::Result<R> + Send) -> PyResult<R> {
        match self.0.try_lock() {
            Ok(mut engine) => f(&mut engine).py(),
            Err(TryLockError::Poisoned(_)) => unusable(),
            Err(TryLockError::WouldBlock) => self.detached(py, f),
        }
    }

    /// A call on memory Python owns (a buffer read in place): runs `f` with the GIL held
    /// throughout, waiting for the engine if another thread has it. That cannot deadlock: a
    /// thread holds the engine without the GIL only in [`detached`](Self::detached), whose
    /// work never needs the GIL.
    pub fn holding_gil<R>(&self, _py: Python<'_>, f: impl FnOnce(&mut T) -> fleetops::Result<R>) -> PyResult<R> {
        match self.0.lock() {
            Ok(mut engine) => f(&mut engine).py(),
            Err(_) => unusable(),
        }
    }

    /// A long call (a batch, saving, merging): runs `f` with the GIL released, so other Python
    /// threads go on meanwhile.
    pub fn detached<R: Send>(
        &self,
        py: Python<'_>,
        f: impl FnOnce(&mut T) -> fleetops::Result<R> + Send,
    ) -> PyResult<R> {
        match py.detach(|| self.0.lock().map(|mut engine| f(&mut engine)).map_err(|_| ())) {
            Ok(result) => result.py(),
            Err(_) => unusable(),
        }
    }

    /// A read at an instant, as Python data: `f` on the engine at `now` (default: the current
    /// time; a naive `now` in `assume_tz`), the result converted to plain dicts.
    pub fn json_at<'py, R: serde::Serialize + Send>(
        &self,
        py: Python<'py>,
        now: Option<&Bound<'py, PyAny>>,
        assume_tz: Option<&str>,
        f: impl FnOnce(&mut T, fleetops::time::Timestamp) -> R + Send,
    ) -> PyResult<Bound<'py, PyAny>> {
        let now = crate::convert::now_or_current(now, assume_tz)?;
        let result = self.with(py, |e| Ok(f(e, now)))?;
        crate::pyser::to_py(py, &result)
    }

    /// Folds `other` into this engine with `f` (both locked, the GIL released); `a.merge(a)`
    /// merges a copy. Locks are taken in address order, so `a.merge(b)` and `b.merge(a)` on two
    /// threads cannot deadlock.
    pub fn merge_from(
        &self,
        py: Python<'_>,
        other: &Engine<T>,
        f: impl FnOnce(&mut T, &T) -> fleetops::Result<()> + Send,
    ) -> PyResult<()>
    where
        T: Clone + Sync,
    {
        if std::ptr::eq(self, other) {
            let copy = self.detached(py, |e| Ok(e.clone()))?;
            return self.detached(py, |e| f(e, &copy));
        }
        let result = py.detach(|| -> Result<fleetops::Result<()>, ()> {
            fn lock<T>(m: &Mutex<T>) -> Result<MutexGuard<'_, T>, ()> {
                m.lock().map_err(|_| ())
            }
            let (mut ours, theirs) = if (self as *const Self) < (other as *const Self) {
                let ours = lock(&self.0)?;
                (ours, lock(&other.0)?)
            } else {
                let theirs = lock(&other.0)?;
                (lock(&self.0)?, theirs)
            };
            Ok(f(&mut ours, &theirs))
        });
        match result {
            Ok(r) => r.py(),
            Err(()) => unusable(),
        }
    }
}

/// The saved-state methods of a pyclass `Class { inner: Engine<E> }`, written once over the
/// core's `Saved` / `Merge`: `to_bytes` (the GIL released), `from_bytes`, and with `merge`, the
/// exact merge of two engines (locked in address order, see [`Engine::merge_from`]).
macro_rules! saved_methods {
    ($class:ident) => {
        #[pyo3::pymethods]
        impl $class {
            /// The saved state (versioned, checksummed bytes).
            fn to_bytes<'py>(&self, py: pyo3::Python<'py>) -> pyo3::PyResult<pyo3::Bound<'py, pyo3::types::PyBytes>> {
                crate::errors::guard(|| {
                    let bytes = self.inner.detached(py, |e| Ok(fleetops::snapshot::Saved::save(e)))?;
                    Ok(pyo3::types::PyBytes::new(py, &bytes))
                })
            }

            /// Restores a saved state; bad bytes raise `InvalidStateError`.
            #[staticmethod]
            fn from_bytes(data: crate::args::Bytes) -> pyo3::PyResult<Self> {
                crate::errors::guard(|| {
                    let engine = crate::errors::IntoPyResult::py(fleetops::snapshot::Saved::restore(&data.0))?;
                    Ok(Self { inner: crate::engine::Engine::new(engine) })
                })
            }
        }
    };
    ($class:ident, merge) => {
        crate::engine::saved_methods!($class);

        #[pyo3::pymethods]
        impl $class {
            /// Folds in another engine of the same configuration.
            fn merge(&self, py: pyo3::Python<'_>, other: crate::args::Class<'_, $class>) -> pyo3::PyResult<()> {
                crate::errors::guard(|| {
                    let other = other.0.get();
                    self.inner.merge_from(py, &other.inner, |a, b| fleetops::snapshot::Merge::merge_with(a, b))
                })
            }
        }
    };
}
pub(crate) use saved_methods;
