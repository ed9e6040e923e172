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
        let text = s.to_str().map_err(|_| crate::errors::to_py(fleetops::wire::not_unicode("a duration")))?;
        return Ok(DurationSpec::Text(text.to_owned()));
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        let count = d.get_item("count")?.ok_or_else(|| bad("a dbt duration needs 'count'".into()))?;
        let period = d.get_item("period")?.ok_or_else(|| bad("a dbt duration needs 'period'".into()))?;
        let (count, period) = (count.extract::<crate::args::Num>()?.0, period.extract::<crate::args::Text>()?.0);
        return Ok(DurationSpec::Dbt { count, period });
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
        None => f(&crate::args::Plain::plain(obj.extract::<crate::args::List<crate::args::Num>>()?)),
    }
}

/// Plain Python data as JSON, for options the core reads with serde: the one path every
/// options argument takes. Mappings (string keys), lists and tuples, strings, ints, floats,
/// bools and None as themselves; a `timedelta` as seconds and an aware `datetime` as ISO-8601
/// (the forms the core's durations and timestamps read). Anything else, a lone surrogate, a
/// non-finite float or nesting past `MAX_NESTING` is an `InvalidArgumentError`.
pub fn to_json(_py: Python<'_>, obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    plain(obj, 0, "$")
}

fn plain(obj: &Bound<'_, PyAny>, depth: usize, at: &str) -> PyResult<Value> {
    use fleetops::wire::{not_plain_data, MAX_NESTING};
    let refuse = |what: String| Err(crate::errors::to_py(not_plain_data(&format!("{what} at {at}"))));
    if depth > MAX_NESTING {
        return refuse(format!("nested deeper than {MAX_NESTING}"));
    }
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if obj.is_instance_of::<PyInt>() {
        if let Ok(i) = obj.extract::<i64>() {
            return Ok(Value::from(i));
        }
        if let Ok(u) = obj.extract::<u64>() {
            return Ok(Value::from(u));
        }
        // Past 64 bits: the float it is closest to, as JavaScript holds it; the core's checks
        // refuse it where a count or an integer goes.
        if let Some(n) = obj.extract::<f64>().ok().and_then(serde_json::Number::from_f64) {
            return Ok(Value::Number(n));
        }
        return refuse("an integer past 64 bits".into());
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return match serde_json::Number::from_f64(f.value()) {
            Some(n) => Ok(Value::Number(n)),
            None => refuse(format!("the number {}", f.value())),
        };
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return match s.to_str() {
            Ok(s) => Ok(Value::String(s.to_owned())),
            Err(_) => refuse("a string that is not valid Unicode (a lone surrogate)".into()),
        };
    }
    if obj.is_instance_of::<PyDelta>() {
        return Ok(Value::from(obj.call_method0("total_seconds")?.extract::<f64>()?));
    }
    if obj.is_instance_of::<PyDateTime>() {
        return Ok(Value::String(time::to_iso(timestamp(obj, None)?)));
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        let mut map = serde_json::Map::new();
        for (k, v) in d.iter() {
            let Ok(key) = k.cast::<PyString>().map(|s| s.to_str().map(str::to_owned)) else {
                return refuse(format!("a {} key", k.get_type().name()?));
            };
            let Ok(key) = key else { return refuse("a key that is not valid Unicode".into()) };
            let value = plain(&v, depth + 1, &format!("{at}.{key}"))?;
            map.insert(key, value);
        }
        return Ok(Value::Object(map));
    }
    if obj.is_instance_of::<PyList>() || obj.is_instance_of::<pyo3::types::PyTuple>() {
        let items = obj.try_iter()?.enumerate().map(|(i, v)| plain(&v?, depth + 1, &format!("{at}[{i}]")));
        return Ok(Value::Array(items.collect::<PyResult<_>>()?));
    }
    if obj.hasattr("item")? && obj.hasattr("dtype")? {
        // A numpy scalar: its Python value.
        return plain(&obj.call_method0("item")?, depth + 1, at);
    }
    refuse(format!("a {}", obj.get_type().name()?))
}

/// Refuses a string that is not valid Unicode anywhere in `obj` (strings, and the keys and
/// items of dicts, lists and tuples), before anything else is read from it: Node refuses such
/// strings at its boundary, before any conversion, so both languages fail the same call alike.
pub fn check_unicode(obj: &Bound<'_, PyAny>, at: &str) -> PyResult<()> {
    fn walk(obj: &Bound<'_, PyAny>, at: &str, depth: usize) -> PyResult<()> {
        if depth > fleetops::wire::MAX_NESTING {
            return Ok(()); // deep nesting is refused where the value is read
        }
        if let Ok(s) = obj.cast::<PyString>() {
            return s.to_str().map(|_| ()).map_err(|_| crate::errors::to_py(fleetops::wire::not_unicode(at)));
        }
        if let Ok(d) = obj.cast::<PyDict>() {
            for (k, v) in d.iter() {
                walk(&k, &format!("{at} key"), depth + 1)?;
                walk(&v, at, depth + 1)?;
            }
        } else if obj.is_instance_of::<PyList>() || obj.is_instance_of::<pyo3::types::PyTuple>() {
            for v in obj.try_iter()? {
                walk(&v?, at, depth + 1)?;
            }
        }
        Ok(())
    }
    walk(obj, at, 0)
}

/// Runs `f` on success flags read in place from a uint8 buffer or a numpy bool array (`'?'`,
/// one byte of 0 or 1 per item), or on a copy of any other sequence of booleans.
pub fn with_flag_slice<T>(obj: &Bound<'_, PyAny>, f: impl FnOnce(&[u8]) -> PyResult<T>) -> PyResult<T> {
    if let Some(ptr) = PyBuffer::<u8>::get(obj).ok().as_ref().and_then(PyBuffer::as_slice_ptr) {
        // SAFETY: as in `with_f64_slice`; the buffer outlives this call and the GIL is held.
        return f(unsafe { ptr.as_ref() });
    }
    if let Some(flags) = bool_buffer(obj) {
        return f(&flags);
    }
    let flags: Vec<bool> = obj.extract()?;
    f(&flags.into_iter().map(u8::from).collect::<Vec<u8>>())
}

/// The bytes of a numpy bool array (buffer format `'?'`, one byte of 0 or 1 per item), copied
/// out so that the buffer is released before anything else runs; None for any other object.
fn bool_buffer(obj: &Bound<'_, PyAny>) -> Option<Vec<u8>> {
    // SAFETY: a zeroed Py_buffer is the documented initial state. On success the view is read
    // (format checked non-null first; `buf` only when `len > 0`, as an empty buffer's pointer
    // may be null) and released on every path before returning; nothing in between can panic
    // or call back into Python.
    unsafe {
        let mut view: pyo3::ffi::Py_buffer = std::mem::zeroed();
        let flags = pyo3::ffi::PyBUF_FORMAT | pyo3::ffi::PyBUF_C_CONTIGUOUS;
        if pyo3::ffi::PyObject_GetBuffer(obj.as_ptr(), &mut view, flags) != 0 {
            pyo3::ffi::PyErr_Clear();
            return None;
        }
        let is_bool =
            view.itemsize == 1 && !view.format.is_null() && std::ffi::CStr::from_ptr(view.format).to_bytes() == b"?";
        let bytes = match (is_bool, view.len) {
            (false, _) => None,
            (true, n) if n <= 0 || view.buf.is_null() => Some(Vec::new()),
            (true, n) => Some(std::slice::from_raw_parts(view.buf as *const u8, n as usize).to_vec()),
        };
        pyo3::ffi::PyBuffer_Release(&mut view);
        bytes
    }
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

/// An optional count by the core's one rule (whole, not negative, at most `max`): a bool, a
/// fraction, a negative or a string is an `InvalidArgumentError`, never pyo3's `TypeError` or
/// `OverflowError`. Ints of any size, numpy integers and whole floats are counts.
pub fn opt_count(obj: Option<&Bound<'_, PyAny>>, max: u64, what: &str) -> PyResult<Option<u64>> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else { return Ok(None) };
    let n = if obj.is_instance_of::<pyo3::types::PyBool>() {
        Err(fleetops::wire::not_a_count(what, "a bool"))
    } else if let Ok(i) = obj.extract::<i128>() {
        fleetops::wire::count_from_i128(i, what)
    } else if let Ok(x) = obj.extract::<f64>() {
        fleetops::wire::count_from_f64(x, what)
    } else {
        Err(fleetops::wire::not_a_count(what, &format!("a {}", obj.get_type().name()?)))
    };
    n.and_then(|n| fleetops::wire::count_at_most(n, max, what)).map(Some).py()
}
