//! `Deduper`, `dedup_mask`, `dedup_indices`, `key_hash`, `key_hashes`.

use fleetops::dedup::{self as core, DeduperSpec, Keep, KeyHasher};
use fleetops::time::EpochUnit;
use pyo3::prelude::*;
use pyo3::types::PyBytes;

use crate::convert::{opt_timestamp, owned_f64, timestamp, with_f64_slice};
use crate::engine::Engine;
use crate::errors::IntoPyResult;
use crate::keys::{hashes_of_columns, key, owned_keys, u64_array, with_keys};

/// The u64 of one key: an int as is, a str or a tuple of parts hashed (XXH3-64).
#[pyfunction]
pub fn key_hash(key_obj: Bound<'_, PyAny>) -> PyResult<u64> {
    crate::errors::guard(|| key(&mut KeyHasher::new(), &key_obj))
}

/// Composite-key hashes of columns: row `i` is `(columns[0][i], columns[1][i], ...)`.
#[pyfunction]
pub fn key_hashes<'py>(py: Python<'py>, columns: Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    crate::errors::guard(|| u64_array(py, &hashes_of_columns(&columns)?))
}

/// Runs `f` (`keep_mask` or `keep_indices`) on the keys and the optional order column.
fn batch<T>(
    keys: &Bound<'_, PyAny>,
    keep: Option<&str>,
    order_by: Option<&Bound<'_, PyAny>>,
    f: fleetops::dedup::KeepFn<T>,
) -> PyResult<T> {
    let keep = Keep::parse_or_default(keep).py()?;
    with_keys(keys, |k| match order_by {
        None => f(k, keep, None).py(),
        Some(o) => with_f64_slice(o, |o| f(k, keep, Some(o)).py()),
    })
}

/// One byte per row, 1 for the rows that survive (`np.frombuffer(m, dtype=bool)`).
#[pyfunction]
#[pyo3(signature = (keys, *, keep=None, order_by=None))]
pub fn dedup_mask<'py>(
    py: Python<'py>,
    keys: Bound<'py, PyAny>,
    keep: Option<crate::args::Text>,
    order_by: Option<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyBytes>> {
    crate::args::plain!(keep);
    crate::errors::guard(|| {
        let keep = Keep::parse_or_default(keep.as_deref()).py()?;
        // Written straight into the bytes object Python gets: no second buffer, no copy.
        with_keys(&keys, |k| {
            let fill =
                |o: Option<&[f64]>| PyBytes::new_with(py, k.len(), |out| core::keep_mask_into(k, keep, o, out).py());
            match order_by.as_ref() {
                None => fill(None),
                Some(o) => with_f64_slice(o, |o| fill(Some(o))),
            }
        })
    })
}

/// The surviving rows' indices, ascending, as `array('Q')`.
#[pyfunction]
#[pyo3(signature = (keys, *, keep=None, order_by=None))]
pub fn dedup_indices<'py>(
    py: Python<'py>,
    keys: Bound<'py, PyAny>,
    keep: Option<crate::args::Text>,
    order_by: Option<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    crate::args::plain!(keep);
    crate::errors::guard(|| u64_array(py, &batch(&keys, keep.as_deref(), order_by.as_ref(), core::keep_indices)?))
}

/// Streaming keep-first de-duplication with watermarks; see the core docs.
#[pyclass(module = "fleetops", frozen, name = "Deduper")]
pub struct Deduper {
    inner: Engine<core::Deduper>,
}

impl Deduper {
    /// See `_panic_for_test`.
    pub(crate) fn panic_while_locked_for_test(&self, py: Python<'_>, message: &str) -> PyResult<()> {
        self.inner.with(py, |_| fleetops::error::panic_for_test(message))
    }
}

#[pymethods]
impl Deduper {
    #[new]
    #[pyo3(signature = (horizon, *, allowed_lateness=None, max_future=None, max_keys=None, mode=None, expected_keys=None, fpr=None))]
    fn new(
        horizon: Bound<'_, PyAny>,
        allowed_lateness: Option<Bound<'_, PyAny>>,
        max_future: Option<Bound<'_, PyAny>>,
        max_keys: Option<Bound<'_, PyAny>>,
        mode: Option<Bound<'_, PyAny>>,
        expected_keys: Option<Bound<'_, PyAny>>,
        fpr: Option<Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        crate::errors::guard(|| {
            let horizon = Some(horizon);
            let spec: DeduperSpec = crate::convert::spec(crate::convert::given!(
                horizon,
                allowed_lateness,
                max_future,
                max_keys,
                mode,
                expected_keys,
                fpr
            ))?;
            Ok(Self { inner: Engine::new(core::Deduper::new(spec.build().py()?).py()?) })
        })
    }

    /// `"first"`, `"duplicate"`, `"late"` or `"future"` (only when `now` is given).
    #[pyo3(signature = (key, at, *, now=None, assume_tz=None))]
    fn observe(
        &self,
        py: Python<'_>,
        key: Bound<'_, PyAny>,
        at: Bound<'_, PyAny>,
        now: Option<Bound<'_, PyAny>>,
        assume_tz: Option<crate::args::Text>,
    ) -> PyResult<&'static str> {
        crate::args::plain!(assume_tz);
        crate::errors::guard(|| {
            let k = crate::keys::key(&mut KeyHasher::new(), &key)?;
            let at = timestamp(&at, assume_tz.as_deref())?;
            let now = opt_timestamp(now.as_ref(), assume_tz.as_deref())?;
            Ok(self.inner.with(py, |d| d.observe(k, at, now))?.as_str())
        })
    }

    /// One code per event (0 first, 1 duplicate, 2 late, 3 future) for keys and epoch-second
    /// times (numpy arrays read in place). All or nothing.
    #[pyo3(signature = (keys, at, *, now=None))]
    fn observe_batch<'py>(
        &self,
        py: Python<'py>,
        keys: Bound<'py, PyAny>,
        at: Bound<'py, PyAny>,
        now: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyBytes>> {
        crate::errors::guard(|| {
            let now = opt_timestamp(now.as_ref(), None)?;
            let (keys, at) = (owned_keys(&keys)?, owned_f64(&at)?);
            let codes = self.inner.detached(py, |d| d.observe_batch_epoch(&keys, &at, EpochUnit::Seconds, now))?;
            Ok(PyBytes::new(py, &codes))
        })
    }

    /// Counts, live keys, memory, watermark (and the estimated false-positive rate in bloom mode).
    fn stats<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        crate::errors::guard(|| {
            let stats = self.inner.with(py, |d| Ok(d.stats()))?;
            crate::pyser::to_py(py, &stats)
        })
    }

    /// The watermark as an ISO-8601 string, or None before the first event.
    #[getter]
    fn watermark(&self, py: Python<'_>) -> PyResult<Option<String>> {
        crate::errors::guard(|| Ok(self.inner.with(py, |d| Ok(d.watermark()))?.map(fleetops::time::to_iso)))
    }

    /// Bytes held for keys.
    #[getter]
    fn memory_bytes(&self, py: Python<'_>) -> PyResult<usize> {
        crate::errors::guard(|| self.inner.with(py, |d| Ok(d.memory_bytes())))
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        crate::errors::guard(|| {
            let s = self.inner.with(py, |d| Ok(d.stats()))?;
            Ok(format!(
                "Deduper(mode={:?}, live_keys={}, first={}, duplicate={})",
                s.mode, s.live_keys, s.counts.first, s.counts.duplicate
            ))
        })
    }
}

// The saved-state methods, written once (crate::engine::saved_methods).
crate::engine::saved_methods!(Deduper, merge);
