//! `StormDetector`, `RateLimiter`, `Grouper`, `escalations_due`, `fingerprint`,
//! `label_matches`, `flap_series`.

use fleetops::storm::{self as core, Alert, EscalationSpec, GroupSpec, LimitSpec, MatcherSpec, StormSpec};
use pyo3::prelude::*;

use crate::engine::Engine;
use pyo3::types::{PyBytes, PyDict, PyMapping};

use crate::convert::{now_or_current, opt_timestamp, timestamp, to_json};
use crate::errors::{to_py, IntoPyResult};

use crate::pyser::to_py as json;

/// Options given as keyword arguments (`**options`), read by the core's one serde path.
fn spec<T: serde::de::DeserializeOwned + Default>(_py: Python<'_>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<T> {
    match kwargs {
        None => Ok(T::default()),
        Some(k) => crate::convert::spec(crate::convert::plain(k.as_any())?),
    }
}

/// Labels from a mapping or a sequence of pairs, as owned strings.
/// Labels: a mapping of names to values, or `(name, value)` pairs, all strings. `None` (only
/// where labels are optional) is no labels.
fn labels(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<(String, String)>> {
    use crate::args::{List, Pair, Plain, Text};
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(vec![]);
    };
    if let Ok(m) = obj.cast::<PyMapping>() {
        return m.items()?.iter().map(|kv| Ok(kv.extract::<Pair<Text, Text>>()?.plain())).collect();
    }
    Ok(obj.extract::<List<Pair<Text, Text>>>()?.plain())
}

/// Labels where they are required: `None` is refused like any other non-label value.
fn required_labels(obj: &Bound<'_, PyAny>) -> PyResult<Vec<(String, String)>> {
    if obj.is_none() {
        return Err(to_py(fleetops::wire::wrong_type("labels (a mapping of strings)", "NoneType")));
    }
    labels(Some(obj))
}

fn borrow(pairs: &[(String, String)]) -> Vec<(&str, &str)> {
    pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

/// Runs `f` on required labels (its own list, to reorder at will); a `dict` (the usual form)
/// is read in place, with no copy of its items or strings.
fn with_labels<T>(obj: &Bound<'_, PyAny>, f: impl FnOnce(&mut [(&str, &str)]) -> T) -> PyResult<T> {
    if let Ok(dict) = obj.cast_exact::<PyDict>() {
        let (py, mut pairs, mut at) = (obj.py(), Vec::with_capacity(dict.len()), 0);
        let (mut key, mut value) = (std::ptr::null_mut(), std::ptr::null_mut());
        // SAFETY: `PyDict_Next` lends the dict's own references; the dict outlives this call
        // and no Python code runs while the strings are read (no hashing, no comparison, no
        // allocation of Python objects), so nothing can change the dict or free its strings.
        while unsafe { pyo3::ffi::PyDict_Next(dict.as_ptr(), &mut at, &mut key, &mut value) } != 0 {
            let (k, v) = unsafe { (Borrowed::from_ptr(py, key), Borrowed::from_ptr(py, value)) };
            pairs.push((crate::args::text_of_borrowed(k)?, crate::args::text_of_borrowed(v)?));
        }
        return Ok(f(&mut pairs));
    }
    Ok(f(&mut borrow(&required_labels(obj)?)))
}

/// Alertmanager's fingerprint of a label set.
#[pyfunction]
pub fn fingerprint(labels_obj: Bound<'_, PyAny>) -> PyResult<u64> {
    crate::errors::guard(|| with_labels(&labels_obj, core::fingerprint_in_place))
}

/// Whether an Alertmanager-style matcher (`{"name", "op", "value"}`) matches the labels.
#[pyfunction]
pub fn label_matches(matcher: Bound<'_, PyAny>, labels_obj: Bound<'_, PyAny>) -> PyResult<bool> {
    crate::errors::guard(|| {
        let spec: MatcherSpec = crate::convert::spec(crate::convert::plain(&matcher)?)?;
        let m = core::Matcher::try_from(spec).py()?;
        with_labels(&labels_obj, |labels| m.matches(labels))
    })
}

/// Nagios' percent state change and flapping after each state (True = problem).
#[pyfunction]
#[pyo3(signature = (states, *, high=None, low=None))]
pub fn flap_series<'py>(
    py: Python<'py>,
    states: crate::args::List<crate::args::Flag>,
    high: Option<Bound<'py, PyAny>>,
    low: Option<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    crate::args::plain!(states);
    crate::errors::guard(|| {
        let spec: core::FlapSpec = crate::convert::spec(crate::convert::given!(high, low))?;
        json(py, &spec.series(&states).py()?)
    })
}

/// What is due at `now` for alert records (dicts with `id`, `raised_at`, `severity`,
/// `priority`, `acked_at`, `actioned_at`, `resolved_at`).
#[pyfunction]
#[pyo3(signature = (alerts, now=None, *, assume_tz=None, **policy))]
pub fn escalations_due<'py>(
    py: Python<'py>,
    alerts: Bound<'py, PyAny>,
    now: Option<Bound<'py, PyAny>>,
    assume_tz: Option<crate::args::Text>,
    policy: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    crate::args::plain!(assume_tz);
    crate::errors::guard(|| {
        // As in Node: every argument converted first, then the policy checked, then the alerts.
        let alerts = to_json(py, &alerts)?;
        let policy = spec::<EscalationSpec>(py, policy)?.build().py()?;
        let records = core::records_from_json(alerts).py()?;
        json(py, &core::escalations_due(&records, &policy, now_or_current(now.as_ref(), assume_tz.as_deref())?))
    })
}

/// The storm detector; keyword options override the defaults (see `StormConfig`).
#[pyclass(module = "fleetops", frozen, name = "StormDetector")]
pub struct StormDetector {
    inner: Engine<core::StormDetector>,
}

#[pymethods]
impl StormDetector {
    #[new]
    #[pyo3(signature = (**options))]
    fn new(py: Python<'_>, options: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        crate::errors::guard(|| {
            Ok(Self {
                inner: Engine::new(core::StormDetector::new(spec::<StormSpec>(py, options)?.build().py()?).py()?),
            })
        })
    }

    /// Judges one alert: `{"action", "reason", "events"}`.
    #[pyo3(signature = (key, at, *, labels=None, firing=None, now=None, assume_tz=None))]
    #[allow(clippy::too_many_arguments)]
    fn observe<'py>(
        &self,
        py: Python<'py>,
        key: crate::args::Text,
        at: Bound<'py, PyAny>,
        labels: Option<Bound<'py, PyAny>>,
        firing: Option<crate::args::Flag>,
        now: Option<Bound<'py, PyAny>>,
        assume_tz: Option<crate::args::Text>,
    ) -> PyResult<Bound<'py, PyAny>> {
        crate::args::plain!(key, firing, assume_tz);
        let firing = firing.unwrap_or(true);
        crate::errors::guard(|| {
            let pairs = self::labels(labels.as_ref())?;
            let alert = Alert { key: &key, labels: &borrow(&pairs), at: timestamp(&at, assume_tz.as_deref())?, firing };
            let now = opt_timestamp(now.as_ref(), assume_tz.as_deref())?;
            json(py, &self.inner.with(py, |d| Ok(d.observe(&alert, now)))?)
        })
    }

    /// Judges a batch (keys, epoch-second times, optional firing flags): one action code per
    /// alert (0 notify, 1 suppress, 2 mute) and the events. Keys are names, or numeric ids as a
    /// uint64/int64 array (read in place). All times are checked first.
    #[pyo3(signature = (keys, at, firing=None, *, now=None, assume_tz=None))]
    fn observe_batch<'py>(
        &self,
        py: Python<'py>,
        keys: Bound<'py, PyAny>,
        at: Bound<'py, PyAny>,
        firing: Option<crate::args::List<crate::args::Flag>>,
        now: Option<Bound<'py, PyAny>>,
        assume_tz: Option<crate::args::Text>,
    ) -> PyResult<(Bound<'py, PyBytes>, Bound<'py, PyAny>)> {
        crate::args::plain!(assume_tz);
        crate::errors::guard(|| {
            let now = opt_timestamp(now.as_ref(), assume_tz.as_deref())?;
            let flags: Option<Vec<u8>> =
                firing.map(|f| crate::args::Plain::plain(f).into_iter().map(u8::from).collect());
            // Copied out of Python first: the core runs with the GIL released.
            let t = crate::convert::owned_f64(&at)?;
            let times = core::Times::Epoch(&t, fleetops::time::EpochUnit::Seconds);
            let (codes, events) = if pyo3::buffer::PyBuffer::<u64>::get(&keys).is_ok()
                || pyo3::buffer::PyBuffer::<i64>::get(&keys).is_ok()
            {
                let ids = crate::keys::owned_keys(&keys)?;
                self.inner.detached(py, |d| d.observe_batch_ids(ids.as_slice(), times, flags.as_deref(), now))?
            } else if pyo3::buffer::PyBuffer::<f64>::get(&keys).is_ok() {
                // Whole-number ids as floats (what a JavaScript caller sends): checked by the core.
                let ids = crate::convert::owned_f64(&keys)?;
                self.inner.detached(py, |d| d.observe_batch_ids(core::Ids::F64(&ids), times, flags.as_deref(), now))?
            } else {
                let names = crate::args::Plain::plain(keys.extract::<crate::args::List<crate::args::Text>>()?);
                self.inner.detached(py, |d| d.observe_batch_names(&names, times, flags.as_deref(), now))?
            };
            Ok((PyBytes::new(py, &codes), json(py, &events)?))
        })
    }

    /// Storm ends due by `now` (call periodically).
    #[pyo3(signature = (now=None, *, assume_tz=None))]
    fn advance<'py>(
        &self,
        py: Python<'py>,
        now: Option<Bound<'py, PyAny>>,
        assume_tz: Option<crate::args::Text>,
    ) -> PyResult<Bound<'py, PyAny>> {
        crate::args::plain!(assume_tz);
        crate::errors::guard(|| self.inner.json_at(py, now.as_ref(), assume_tz.as_deref(), |d, now| d.advance(now)))
    }

    /// Replaces the mute list (dicts with `id`, `key` and/or `matchers`, `starts_at`,
    /// `ends_at`, `reason`); per-key state is kept.
    fn set_mutes(&self, py: Python<'_>, mutes: Bound<'_, PyAny>) -> PyResult<()> {
        crate::errors::guard(|| {
            let mutes = core::mutes_from_json(to_json(py, &mutes)?).py()?;
            self.inner.with(py, |d| d.set_mutes(mutes))
        })
    }

    /// The configuration as saved with the state (durations in milliseconds).
    #[getter]
    fn config<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        crate::errors::guard(|| json(py, &self.inner.with(py, |d| Ok(d.config().clone()))?))
    }

    /// Totals, storming and flapping keys, alerts caught per mute.
    fn stats<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        crate::errors::guard(|| json(py, &self.inner.with(py, |d| Ok(d.stats()))?))
    }

    /// The detector saved in `data` when it restores and was made with these options, else a
    /// new one: `(detector, None)` or `(new detector, why the saved one was set aside)`.
    #[staticmethod]
    #[pyo3(signature = (data, place, **options))]
    fn restore_or_new(
        py: Python<'_>,
        data: Option<&[u8]>,
        place: crate::args::Text,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<(Self, Option<String>)> {
        crate::args::plain!(place);
        crate::errors::guard(|| {
            let config = spec::<StormSpec>(py, options)?.build().py()?;
            let (detector, reset) = core::StormDetector::restore_or_new(data, config, &place).py()?;
            Ok((Self { inner: Engine::new(detector) }, reset))
        })
    }

    /// Bytes of per-key state.
    #[getter]
    fn memory_bytes(&self, py: Python<'_>) -> PyResult<usize> {
        crate::errors::guard(|| self.inner.with(py, |d| Ok(d.memory_bytes())))
    }
}

/// Per-client rate limiting (GCRA by default: the runbook's 60 a minute).
#[pyclass(module = "fleetops", frozen, name = "RateLimiter")]
pub struct RateLimiter {
    inner: Engine<core::RateLimiter>,
}

#[pymethods]
impl RateLimiter {
    #[new]
    #[pyo3(signature = (**options))]
    fn new(py: Python<'_>, options: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        crate::errors::guard(|| {
            Ok(Self { inner: Engine::new(core::RateLimiter::new(spec::<LimitSpec>(py, options)?.build().py()?).py()?) })
        })
    }

    /// `{"allowed", "limit", "remaining", "retry_after", "retry_after_header", "reset_after"}` for one request.
    #[pyo3(signature = (key, now=None, *, assume_tz=None))]
    fn check<'py>(
        &self,
        py: Python<'py>,
        key: crate::args::Text,
        now: Option<Bound<'py, PyAny>>,
        assume_tz: Option<crate::args::Text>,
    ) -> PyResult<Bound<'py, PyAny>> {
        crate::args::plain!(key, assume_tz);
        crate::errors::guard(|| {
            self.inner.json_at(py, now.as_ref(), assume_tz.as_deref(), |l, now| l.check(core::key_id_of(&key), now))
        })
    }
}

/// Alertmanager-style grouping timers.
#[pyclass(module = "fleetops", frozen, name = "Grouper")]
pub struct Grouper {
    inner: Engine<core::Grouper>,
}

#[pymethods]
impl Grouper {
    #[new]
    #[pyo3(signature = (**options))]
    fn new(py: Python<'_>, options: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        crate::errors::guard(|| {
            Ok(Self { inner: Engine::new(core::Grouper::new(spec::<GroupSpec>(py, options)?.build().py()?).py()?) })
        })
    }

    /// Adds an alert that was passed on.
    #[pyo3(signature = (labels, at, *, firing=None, assume_tz=None))]
    fn add(
        &self,
        py: Python<'_>,
        labels: Bound<'_, PyAny>,
        at: Bound<'_, PyAny>,
        firing: Option<crate::args::Flag>,
        assume_tz: Option<crate::args::Text>,
    ) -> PyResult<()> {
        crate::args::plain!(firing, assume_tz);
        let firing = firing.unwrap_or(true);
        crate::errors::guard(|| {
            let pairs = required_labels(&labels)?;
            let at = timestamp(&at, assume_tz.as_deref())?;
            self.inner.with(py, |g| {
                g.add(&borrow(&pairs), at, firing);
                Ok(())
            })
        })
    }

    /// Notifications due by `now`.
    #[pyo3(signature = (now=None, *, assume_tz=None))]
    fn due<'py>(
        &self,
        py: Python<'py>,
        now: Option<Bound<'py, PyAny>>,
        assume_tz: Option<crate::args::Text>,
    ) -> PyResult<Bound<'py, PyAny>> {
        crate::args::plain!(assume_tz);
        crate::errors::guard(|| self.inner.json_at(py, now.as_ref(), assume_tz.as_deref(), |g, now| g.due(now)))
    }
}

// The saved-state methods, written once (crate::engine::saved_methods).
crate::engine::saved_methods!(StormDetector);
crate::engine::saved_methods!(RateLimiter);

/// The kill-switch table's mutes, and what was skipped: `tables` is `[(source, rows)]`, each
/// row a mapping with `key`, `until` and `reason`, or in place of the rows a string saying why
/// the file could not be read. The rules (one mute per key until its latest `until`, bad rows
/// reported, at most `MAX_MUTES`) are the core's `KillSwitch`.
#[pyfunction]
pub fn kill_switch_mutes<'py>(
    py: Python<'py>,
    tables: Bound<'py, PyAny>,
) -> PyResult<(Bound<'py, PyAny>, Vec<String>)> {
    crate::errors::guard(|| {
        let mut table = core::KillSwitch::new();
        for item in tables.try_iter()? {
            let (source, rows): (String, Bound<'py, PyAny>) = item?.extract()?;
            if let Ok(why) = rows.extract::<String>() {
                table.unreadable(&source, &why);
                continue;
            }
            for (i, row) in rows.try_iter()?.enumerate() {
                let row = row?;
                let field = |name: &str| row.get_item(name).ok().filter(|v| !v.is_none());
                let key = field("key").and_then(|k| k.extract::<String>().ok());
                let until = match field("until") {
                    Some(u) => timestamp(&u, None)
                        .map_err(|e| fleetops::FleetopsError::InvalidTimestamp(e.value(py).to_string())),
                    None => Err(fleetops::FleetopsError::InvalidTimestamp("no until".into())),
                };
                let reason = field("reason").and_then(|r| r.extract::<String>().ok());
                table.row(&source, i + 1, key.as_deref(), until, reason.as_deref());
            }
        }
        let (mutes, skipped) = table.finish();
        Ok((json(py, &mutes)?, skipped))
    })
}
