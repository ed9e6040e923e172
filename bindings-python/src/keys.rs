//! Python keys -> core keys: uint64/int64/float64 buffers read in place, or sequences of
//! ints, strings and tuples (composite keys). Which key means which u64 is the core's rule
//! (`KeyHasher::key`); this file only reads Python objects.

use fleetops::dedup::{KeyHasher, KeyPart, KeyValue};
use fleetops::FleetopsError;
use pyo3::buffer::PyBuffer;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyFloat, PyInt, PyList, PyString, PyTuple};

use crate::errors::{to_py, IntoPyResult};

fn bad(msg: String) -> PyErr {
    to_py(FleetopsError::InvalidArgument(msg))
}

/// One key part: str, int or float.
fn part<'a>(obj: &'a Bound<'_, PyAny>) -> PyResult<KeyPart<'a>> {
    if obj.is_instance_of::<PyBool>() {
        return Err(bad("a key part cannot be a bool".into()));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(KeyPart::Text(s.to_str().map_err(|_| crate::errors::to_py(fleetops::wire::not_unicode("a key")))?));
    }
    if obj.is_instance_of::<PyInt>() {
        return obj
            .extract::<i64>()
            .map(KeyPart::Int)
            .map_err(|_| bad("a key part integer must fit in 64 bits".into()));
    }
    if obj.is_instance_of::<PyFloat>() {
        return Ok(KeyPart::Float(obj.extract()?));
    }
    Err(bad(format!("a key part must be str, int or float, not {}", obj.get_type().name()?)))
}

/// The u64 of one key: int, float (whole), str, or a tuple/list of parts.
pub fn key(hasher: &mut KeyHasher, obj: &Bound<'_, PyAny>) -> PyResult<u64> {
    if obj.is_instance_of::<PyBool>() || obj.is_none() {
        return Err(bad(format!("a key cannot be {}", obj.repr()?)));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(
            hasher.hash_text(s.to_str().map_err(|_| crate::errors::to_py(fleetops::wire::not_unicode("a key")))?)
        );
    }
    if obj.is_instance_of::<PyInt>() {
        let i: i128 = obj.extract().map_err(|_| bad("a key integer must be in 0 ..= 2^64 - 1".into()))?;
        return hasher.key(KeyValue::Int(i)).py();
    }
    if obj.is_instance_of::<PyFloat>() {
        return hasher.key(KeyValue::Float(obj.extract()?)).py();
    }
    if obj.is_instance_of::<PyTuple>() || obj.is_instance_of::<PyList>() {
        let items: Vec<Bound<'_, PyAny>> = obj.try_iter()?.collect::<PyResult<_>>()?;
        let parts = items.iter().map(part).collect::<PyResult<Vec<_>>>()?;
        return hasher.key(KeyValue::Parts(&parts)).py();
    }
    // numpy scalars and other integer-likes.
    if let Ok(i) = obj.extract::<i128>() {
        return hasher.key(KeyValue::Int(i)).py();
    }
    Err(bad(format!("a key must be int, str or a tuple of parts, not {}", obj.get_type().name()?)))
}

/// Runs `f` on the keys of a column: a uint64/int64 buffer is read in place, a float64 one
/// is checked (whole numbers only), anything else is read item by item.
pub fn with_keys<T>(obj: &Bound<'_, PyAny>, f: impl FnOnce(&[u64]) -> PyResult<T>) -> PyResult<T> {
    if let Some(ptr) = PyBuffer::<u64>::get(obj).ok().as_ref().and_then(PyBuffer::as_slice_ptr) {
        // SAFETY: the buffer outlives this call and the GIL is held, so nothing writes to it.
        return f(unsafe { ptr.as_ref() });
    }
    if let Some(ptr) = PyBuffer::<i64>::get(obj).ok().as_ref().and_then(PyBuffer::as_slice_ptr) {
        // SAFETY: as above.
        return f(fleetops::dedup::keys_from_i64(unsafe { ptr.as_ref() }).py()?);
    }
    if let Some(ptr) = PyBuffer::<f64>::get(obj).ok().as_ref().and_then(PyBuffer::as_slice_ptr) {
        // SAFETY: as above.
        return f(&fleetops::dedup::keys_from_f64(unsafe { ptr.as_ref() }).py()?);
    }
    if obj.hasattr("to_numpy")? && !obj.is_instance_of::<PyList>() {
        let array = obj.call_method0("to_numpy")?;
        if PyBuffer::<u8>::get(&array).is_ok() || array.getattr("dtype")?.getattr("kind")?.extract::<String>()? != "O" {
            return with_keys(&array, f);
        }
        return with_keys(&array.call_method0("tolist")?, f);
    }
    let mut hasher = KeyHasher::new();
    let keys = crate::args::items(obj)?
        .enumerate()
        .map(|(i, item)| key(&mut hasher, &item?).map_err(|e| at_index(e, i)))
        .collect::<PyResult<Vec<u64>>>()?;
    f(&keys)
}

/// Keys copied out of Python (as [`with_keys`] reads them), for a call that releases the GIL.
pub fn owned_keys(obj: &Bound<'_, PyAny>) -> PyResult<Vec<u64>> {
    with_keys(obj, |k| Ok(k.to_vec()))
}

/// Prefixes a fleetops error's message with the index it came from.
fn at_index(err: PyErr, i: usize) -> PyErr {
    Python::attach(|py| {
        let msg = err.value(py).to_string();
        PyErr::from_type(err.get_type(py), format!("index {i}: {msg}"))
    })
}

/// Composite keys from columns: row `i` is the key `(columns[0][i], columns[1][i], ...)`.
pub fn hashes_of_columns(columns: &Bound<'_, PyAny>) -> PyResult<Vec<u64>> {
    let cols: Vec<Vec<Bound<'_, PyAny>>> = crate::args::items(columns)?
        .map(|c| {
            let c = c?;
            let c = if c.hasattr("tolist")? { c.call_method0("tolist")? } else { c };
            crate::args::items(&c)?.collect::<PyResult<Vec<_>>>()
        })
        .collect::<PyResult<_>>()?;
    let rows = cols.first().map_or(0, Vec::len);
    if let Some(c) = cols.iter().position(|c| c.len() != rows) {
        return Err(bad(format!("column {c} has {} values, column 0 has {rows}", cols[c].len())));
    }
    let mut hasher = KeyHasher::new();
    let mut parts = Vec::with_capacity(cols.len());
    (0..rows)
        .map(|r| {
            parts.clear();
            for c in &cols {
                parts.push(part(&c[r]).map_err(|e| at_index(e, r))?);
            }
            hasher.hash(&parts).py().map_err(|e| at_index(e, r))
        })
        .collect()
}

/// A `array.array('Q')` of `values` (numpy reads it without a copy: `np.asarray(a)`).
pub fn u64_array<'py>(py: Python<'py>, values: &[u64]) -> PyResult<Bound<'py, PyAny>> {
    let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_ne_bytes()).collect();
    py.import("array")?.getattr("array")?.call1(("Q", PyBytes::new(py, &bytes)))
}
