//! Python values -> core inputs (timestamps, durations) and core JSON results -> Python.

use chrono::NaiveDateTime;
use fleetops::freshness::DurationSpec;
use fleetops::time::{self, Timestamp};
use fleetops::FleetopsError;
use pyo3::buffer::PyBuffer;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDateTime, PyDelta, PyDict, PyFloat, PyInt, PyList, PyString};
use serde_json::Value;

use crate::errors::IntoPyResult;

fn bad(msg: String) -> PyErr {
    crate::errors::to_py(FleetopsError::InvalidArgument(msg))
}

/// A timestamp from an aware `datetime` (pandas / pendulum included), epoch seconds, or an
/// ISO-8601 string. A naive `datetime` is refused unless `assume_tz` names its zone.
pub fn timestamp(obj: &Bound<'_, PyAny>, assume_tz: Option<&str>) -> PyResult<Timestamp> {
    if obj.is_instance_of::<PyBool>() {
        return Err(bad("a timestamp cannot be a bool".into()));
    }
    if let Ok(dt) = obj.cast::<PyDateTime>() {
        let offset = dt.call_method0("utcoffset")?;
        if offset.is_none() {
            let naive: NaiveDateTime = dt.extract()?;
            return match assume_tz {
                Some(zone) => time::localize(naive, zone).py(),
                None => Err(crate::errors::to_py(FleetopsError::NaiveTimestamp(format!(
                    "datetime {naive} has no tzinfo; make it aware or pass assume_tz=\"UTC\""
                )))),
            };
        }
        let offset_secs: f64 = offset.call_method0("total_seconds")?.extract()?;
        let wall = naive_wall(dt)?;
        return time::from_local_with_offset(wall, offset_secs.round() as i32).py();
    }
    if obj.is_instance_of::<PyInt>() || obj.is_instance_of::<PyFloat>() {
        return time::from_epoch_seconds(obj.extract::<f64>()?).py();
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return time::parse_timestamp(s.to_str()?).py();
    }
    Err(bad(format!("expected an aware datetime, epoch seconds or an ISO-8601 string, got {}", obj.get_type().name()?)))
}

/// The wall-clock fields of an aware datetime, without its tzinfo.
fn naive_wall(dt: &Bound<'_, PyDateTime>) -> PyResult<NaiveDateTime> {
    let kwargs = PyDict::new(dt.py());
    kwargs.set_item("tzinfo", dt.py().None())?;
    dt.call_method("replace", (), Some(&kwargs))?.extract()
}

/// An optional timestamp; `None` stays `None`.
pub fn opt_timestamp(obj: Option<&Bound<'_, PyAny>>, assume_tz: Option<&str>) -> PyResult<Option<Timestamp>> {
    match obj {
        Some(o) if !o.is_none() => timestamp(o, assume_tz).map(Some),
        _ => Ok(None),
    }
}

/// `now` if given, else the current time.
pub fn now_or_current(obj: Option<&Bound<'_, PyAny>>, assume_tz: Option<&str>) -> PyResult<Timestamp> {
    Ok(opt_timestamp(obj, assume_tz)?.unwrap_or_else(time::now))
}

/// A duration from `timedelta`, float seconds, text (`45m`) or dbt's `{count, period}`.
pub fn duration(obj: &Bound<'_, PyAny>) -> PyResult<DurationSpec> {
    if obj.is_instance_of::<PyBool>() {
        return Err(bad("a duration cannot be a bool".into()));
    }
    if let Ok(td) = obj.cast::<PyDelta>() {
        return Ok(DurationSpec::Seconds(td.call_method0("total_seconds")?.extract()?));
    }
    if obj.is_instance_of::<PyInt>() || obj.is_instance_of::<PyFloat>() {
        return Ok(DurationSpec::Seconds(obj.extract()?));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(DurationSpec::Text(s.to_str()?.to_owned()));
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        let count = d.get_item("count")?.ok_or_else(|| bad("a dbt duration needs 'count'".into()))?;
        let period = d.get_item("period")?.ok_or_else(|| bad("a dbt duration needs 'period'".into()))?;
        return Ok(DurationSpec::Dbt { count: count.extract()?, period: period.extract()? });
    }
    Err(bad(format!(
        "expected a timedelta, seconds, text like '45m' or {{'count', 'period'}}, got {}",
        obj.get_type().name()?
    )))
}

/// An optional duration.
pub fn opt_duration(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Option<DurationSpec>> {
    match obj {
        Some(o) if !o.is_none() => duration(o).map(Some),
        _ => Ok(None),
    }
}

/// A core JSON result as plain Python objects (dict, list, str, float, int, bool, None).
pub fn to_python<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => match n.as_i64() {
            Some(i) => i.into_pyobject(py)?.into_any(),
            None => n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any(),
        },
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(to_python(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, v) in map {
                dict.set_item(k, to_python(py, v)?)?;
            }
            dict.into_any()
        }
    })
}

/// Runs `f` on a float64 buffer read in place (numpy, array.array('d')), or on a copy of any
/// other sequence of numbers.
pub fn with_f64_slice<T>(obj: &Bound<'_, PyAny>, f: impl FnOnce(&[f64]) -> PyResult<T>) -> PyResult<T> {
    let buffer = PyBuffer::<f64>::get(obj).ok();
    match buffer.as_ref().and_then(PyBuffer::as_slice_ptr) {
        // SAFETY: `buffer` keeps the memory alive and the GIL is held throughout, so no Python
        // code can write to it while the core reads it.
        Some(ptr) => f(unsafe { ptr.as_ref() }),
        None => f(&obj.extract::<Vec<f64>>()?),
    }
}

/// Plain Python data (dicts, lists, numbers, strings, None) as JSON, for options the core
/// reads with serde.
pub fn to_json(py: Python<'_>, obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    let text: String = py.import("json")?.call_method1("dumps", (obj,))?.extract()?;
    serde_json::from_str(&text).map_err(|e| bad(format!("not JSON-like data: {e}")))
}

/// Runs `f` on success flags read in place from a uint8 buffer or a numpy bool array (`'?'`,
/// one byte of 0 or 1 per item), or on a copy of any other sequence of booleans.
pub fn with_flag_slice<T>(obj: &Bound<'_, PyAny>, f: impl FnOnce(&[u8]) -> PyResult<T>) -> PyResult<T> {
    if let Some(ptr) = PyBuffer::<u8>::get(obj).ok().as_ref().and_then(PyBuffer::as_slice_ptr) {
        // SAFETY: as in `with_f64_slice`; the buffer outlives this call and the GIL is held.
        return f(unsafe { ptr.as_ref() });
    }
    let mut f = Some(f);
    // SAFETY: a zeroed Py_buffer is the documented initial state; it is released before return.
    unsafe {
        let mut view: pyo3::ffi::Py_buffer = std::mem::zeroed();
        let flags = pyo3::ffi::PyBUF_FORMAT | pyo3::ffi::PyBUF_C_CONTIGUOUS;
        if pyo3::ffi::PyObject_GetBuffer(obj.as_ptr(), &mut view, flags) == 0 {
            let is_bool = view.itemsize == 1
                && !view.format.is_null()
                && std::ffi::CStr::from_ptr(view.format).to_bytes() == b"?";
            let result = match (is_bool, f.take()) {
                (true, Some(f)) => Some(f(std::slice::from_raw_parts(view.buf as *const u8, view.len as usize))),
                (_, taken) => {
                    f = taken;
                    None
                }
            };
            pyo3::ffi::PyBuffer_Release(&mut view);
            if let Some(result) = result {
                return result;
            }
        } else {
            pyo3::ffi::PyErr_Clear();
        }
    }
    let flags: Vec<bool> = obj.extract()?;
    (f.take().expect("not used yet"))(&flags.into_iter().map(u8::from).collect::<Vec<u8>>())
}

/// A float64 buffer or sequence copied out of Python, for a call that releases the GIL.
pub fn owned_f64(obj: &Bound<'_, PyAny>) -> PyResult<Vec<f64>> {
    with_f64_slice(obj, |s| Ok(s.to_vec()))
}

/// Success flags copied out of Python (as [`with_flag_slice`] reads them), for a call that
/// releases the GIL.
pub fn owned_flags(obj: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    with_flag_slice(obj, |s| Ok(s.to_vec()))
}
