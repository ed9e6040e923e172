//! Python values -> core inputs (timestamps, durations) and core JSON results -> Python.

use chrono::NaiveDateTime;
use fleetops::freshness::DurationSpec;
use fleetops::options::Plain;
use fleetops::time::{self, Timestamp};
use fleetops::FleetopsError;
use pyo3::buffer::PyBuffer;
use pyo3::prelude::*;
use pyo3::types::{
    PyBool, PyDateTime, PyDelta, PyDeltaAccess, PyDict, PyFloat, PyInt, PyList, PyString, PyTzInfoAccess,
};
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
        // `datetime.timezone.utc`, the usual zone, is UTC without asking it.
        if dt.get_tzinfo().is_some_and(|tz| tz.is(utc(obj.py()))) {
            return time::from_local_with_offset(naive_wall(dt)?, 0).py();
        }
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
        let offset = offset.cast::<PyDelta>().map_err(|_| bad("utcoffset() did not return a timedelta".into()))?;
        let offset_secs = i64::from(offset.get_days()) * 86_400
            + i64::from(offset.get_seconds())
            + (i64::from(offset.get_microseconds()) + 500_000) / 1_000_000;
        return time::from_local_with_offset(naive_wall(dt)?, offset_secs as i32).py();
    }
    if obj.is_instance_of::<PyInt>() || obj.is_instance_of::<PyFloat>() {
        // An int past f64's range (2**1100) is out of range as an instant, not an OverflowError.
        return time::from_epoch_seconds(obj.extract::<f64>().unwrap_or(f64::INFINITY)).py();
    }
    if obj.is_instance_of::<PyString>() {
        return time::parse_timestamp(crate::args::text_of(obj)?).py();
    }
    Err(bad(format!("expected an aware datetime, epoch seconds or an ISO-8601 string, got {}", obj.get_type().name()?)))
}

/// `datetime.timezone.utc`, looked up once.
fn utc(py: Python<'_>) -> &Py<pyo3::types::PyTzInfo> {
    static UTC: pyo3::sync::PyOnceLock<Py<pyo3::types::PyTzInfo>> = pyo3::sync::PyOnceLock::new();
    UTC.get_or_init(py, || pyo3::types::PyTzInfo::utc(py).expect("datetime.timezone.utc").to_owned().unbind())
}

/// The wall-clock fields of an aware datetime, without its tzinfo: read from the object's own
/// fields (no `replace` call, no new datetime).
fn naive_wall(dt: &Bound<'_, PyDateTime>) -> PyResult<NaiveDateTime> {
    use pyo3::types::{PyDateAccess, PyTimeAccess};
    chrono::NaiveDate::from_ymd_opt(dt.get_year(), u32::from(dt.get_month()), u32::from(dt.get_day()))
        .and_then(|d| {
            d.and_hms_micro_opt(
                u32::from(dt.get_hour()),
                u32::from(dt.get_minute()),
                u32::from(dt.get_second()),
                dt.get_microsecond(),
            )
        })
        .ok_or_else(|| bad(format!("{dt} is not a representable date and time")))
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

/// A duration: a `timedelta`, seconds, text like `45m` or dbt's `{"count", "period"}`, read
/// by the core's serde form as every option is.
pub fn duration(obj: &Bound<'_, PyAny>) -> PyResult<DurationSpec> {
    spec(plain(obj)?)
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

/// A column of numbers read in place from a buffer, in its own element type.
pub enum Column<'a> {
    /// float64 (numpy's default, `array('d')`).
    F64(&'a [f64]),
    /// float32.
    F32(&'a [f32]),
    /// int64.
    I64(&'a [i64]),
    /// uint64.
    U64(&'a [u64]),
    /// int32.
    I32(&'a [i32]),
    /// uint32.
    U32(&'a [u32]),
}

/// Runs `f` on a numeric buffer read in place (numpy or `array.array` of float64, float32 or
/// 32/64-bit integers: an integer column is never copied through floats), or on a float64 copy
/// of any other sequence of numbers.
pub fn with_column<T>(obj: &Bound<'_, PyAny>, f: impl FnOnce(Column<'_>) -> PyResult<T>) -> PyResult<T> {
    macro_rules! in_place {
        ($($t:ty => $variant:ident),*) => {$(
            if let Some(ptr) = PyBuffer::<$t>::get(obj).ok().as_ref().and_then(PyBuffer::as_slice_ptr) {
                // SAFETY: as in `with_f64_slice`; the buffer outlives this call and the GIL is held.
                return f(Column::$variant(unsafe { ptr.as_ref() }));
            }
        )*};
    }
    in_place!(f64 => F64, i64 => I64, u64 => U64, f32 => F32, i32 => I32, u32 => U32);
    f(Column::F64(&crate::args::Plain::plain(obj.extract::<crate::args::List<crate::args::Num>>()?)))
}

/// Plain Python data as the core's [`Plain`]: the one path every options argument takes.
/// Mappings (string keys), lists and tuples, strings, ints, floats (NaN included, for the
/// core's checks to judge), bools and None as themselves; a `timedelta` as seconds and an aware
/// `datetime` as ISO-8601 (the forms the core's durations and timestamps read). Anything else,
/// a lone surrogate or nesting past `MAX_NESTING` is an `InvalidArgumentError`.
pub fn plain(obj: &Bound<'_, PyAny>) -> PyResult<Plain> {
    plain_at(obj, 0, "$")
}

/// Plain Python data as JSON, for the few inputs the core reads as JSON (alert records, mute
/// lists, rules): as [`plain`], and a non-finite float is refused.
pub fn to_json(_py: Python<'_>, obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    plain(obj)?.into_json().py()
}

/// A core spec type from keyword arguments or a dict of options, by the core's one serde path.
pub fn spec<T: serde::de::DeserializeOwned>(value: Plain) -> PyResult<T> {
    fleetops::options::parse(value, fleetops::options::Case::Snake).py()
}

/// The keyword arguments given (each an `Option<Bound<PyAny>>` of that name), as the plain
/// mapping a core spec type is read from; `None` is "not given".
macro_rules! given {
    ($($name:ident),* $(,)?) => {
        fleetops::options::given([
            $((stringify!($name), $name.as_ref().map(|v| crate::convert::plain(v)).transpose()?)),*
        ])
    };
}
pub(crate) use given;

fn plain_at(obj: &Bound<'_, PyAny>, depth: usize, at: &str) -> PyResult<Plain> {
    use fleetops::wire::{not_plain_data, MAX_NESTING};
    let refuse = |what: String| Err(crate::errors::to_py(not_plain_data(&format!("{what} at {at}"))));
    if depth > MAX_NESTING {
        return refuse(format!("nested deeper than {MAX_NESTING}"));
    }
    if obj.is_none() {
        return Ok(Plain::Null);
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Plain::Bool(b.is_true()));
    }
    if obj.is_instance_of::<PyInt>() {
        if let Ok(i) = obj.extract::<i64>() {
            return Ok(Plain::Int(i));
        }
        if let Ok(u) = obj.extract::<u64>() {
            return Ok(Plain::UInt(u));
        }
        // Past 64 bits: the float it is closest to, as JavaScript holds it; the core's checks
        // refuse it where a count or an integer goes.
        return Ok(Plain::Float(obj.extract::<f64>().unwrap_or(f64::INFINITY)));
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return Ok(Plain::Float(f.value()));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return match s.to_str() {
            Ok(s) => Ok(Plain::Text(s.to_owned())),
            Err(_) => Err(crate::errors::to_py(fleetops::wire::not_unicode(at))),
        };
    }
    if obj.is_instance_of::<PyDelta>() {
        return Ok(Plain::Float(obj.call_method0("total_seconds")?.extract::<f64>()?));
    }
    if obj.is_instance_of::<PyDateTime>() {
        return Ok(Plain::Text(time::to_iso(timestamp(obj, None)?)));
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        let mut entries = Vec::with_capacity(d.len());
        for (k, v) in d.iter() {
            let Ok(key) = k.cast::<PyString>() else {
                return refuse(format!("a {} key", k.get_type().name()?));
            };
            let Ok(key) = key.to_str().map(str::to_owned) else {
                return Err(crate::errors::to_py(fleetops::wire::not_unicode(&format!("{at} key"))));
            };
            let value = plain_at(&v, depth + 1, &format!("{at}.{key}"))?;
            entries.push((key, value));
        }
        return Ok(Plain::Map(entries));
    }
    if obj.is_instance_of::<PyList>() || obj.is_instance_of::<pyo3::types::PyTuple>() {
        let items = obj.try_iter()?.enumerate().map(|(i, v)| plain_at(&v?, depth + 1, &format!("{at}[{i}]")));
        return Ok(Plain::List(items.collect::<PyResult<_>>()?));
    }
    if obj.hasattr("item")? && obj.hasattr("dtype")? {
        // A numpy scalar: its Python value.
        return plain_at(&obj.call_method0("item")?, depth + 1, at);
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
    use crate::args::Plain;
    let flags = obj.extract::<crate::args::List<crate::args::Flag>>()?.plain();
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
