//! JS values -> core inputs: timestamps (`Date`, epoch ms, ISO string) and durations
//! (seconds, text such as `"45m"`, or dbt's `{count, period}`).

use fleetops::freshness::DurationSpec;
use fleetops::time::{self, Timestamp};
use napi::bindgen_prelude::*;
use napi::JsDate;
use napi_derive::napi;

use crate::errors::{self, invalid_argument, IntoJs};

/// dbt's duration shape.
#[napi(object)]
pub struct DbtDuration {
    /// How many periods.
    pub count: f64,
    /// `minute`, `hour` or `day`.
    pub period: String,
}

/// A timestamp: `Date`, epoch milliseconds, or an ISO-8601 string with an offset. Rust reads
/// it as `Unknown` so that a value of the wrong type throws fleetops' `INVALID_ARGUMENT`.
/// (Declared for `index.d.ts` only.)
#[allow(dead_code)]
#[napi]
pub type TimeLike<'a> = Either3<JsDate<'a>, f64, String>;

/// What the binding receives for a `TimeLike`.
pub type Time<'a> = Unknown<'a>;

/// A duration: seconds, text, or `{count, period}`. (Declared for `index.d.ts`; Rust reads
/// it as `Unknown` so that `null` means "not given" and a wrong type is `INVALID_ARGUMENT`.)
#[allow(dead_code)]
#[napi]
pub type DurationLike = Either3<f64, String, DbtDuration>;

/// What the binding receives for a `DurationLike`.
pub type Duration<'a> = Unknown<'a>;

/// Converts a JS timestamp.
pub fn timestamp(value: &Time<'_>) -> errors::Result<Timestamp> {
    match value.get_type().js()? {
        // SAFETY: the value's JS type was checked just before (the match arm), and it is the type cast to.
        ValueType::Number => time::from_epoch_millis(unsafe { value.cast::<f64>() }.js()?).js(),
        // SAFETY: the value's JS type was checked just before (the match arm), and it is the type cast to.
        ValueType::String => time::parse_timestamp(&unsafe { value.cast::<String>() }.js()?).js(),
        ValueType::Object if value.is_date().js()? => {
            // SAFETY: the value's JS type was checked just before (the match arm), and it is the type cast to.
            time::from_epoch_millis(unsafe { value.cast::<JsDate<'_>>() }.js()?.value_of().js()?).js()
        }
        other => {
            Err(invalid_argument(format!("expected a Date, epoch milliseconds or an ISO-8601 string, got {other}")))
        }
    }
}

/// Converts an optional JS timestamp (`null`/`undefined` -> `None`).
pub fn opt_timestamp(value: Option<&Time<'_>>) -> errors::Result<Option<Timestamp>> {
    match value {
        Some(v) if !matches!(v.get_type().js()?, ValueType::Null | ValueType::Undefined) => timestamp(v).map(Some),
        _ => Ok(None),
    }
}

/// `now` if given, else the current time.
pub fn now_or_current(value: Option<&Time<'_>>) -> errors::Result<Timestamp> {
    Ok(opt_timestamp(value)?.unwrap_or_else(time::now))
}

/// Converts a JS duration.
pub fn duration(value: &Duration<'_>) -> errors::Result<DurationSpec> {
    Ok(match value.get_type().js()? {
        // SAFETY: the value's JS type was checked just before (the match arm), and it is the type cast to.
        ValueType::Number => DurationSpec::Seconds(unsafe { value.cast::<f64>() }.js()?),
        // SAFETY: the value's JS type was checked just before (the match arm), and it is the type cast to.
        ValueType::String => DurationSpec::Text(unsafe { value.cast::<String>() }.js()?),
        ValueType::Object => {
            // SAFETY: this conversion checks the JS value's type itself and fails (Err) on any other.
            let d = unsafe { value.cast::<DbtDuration>() }
                .map_err(|_| invalid_argument("a dbt duration needs a numeric 'count' and a string 'period'"))?;
            DurationSpec::Dbt { count: d.count, period: d.period.clone() }
        }
        other => {
            return Err(invalid_argument(format!(
                "expected seconds, text like '45m' or {{count, period}}, got {other}"
            )))
        }
    })
}

/// Converts an optional JS duration (`null`/`undefined` -> `None`).
pub fn opt_duration(value: Option<&Duration<'_>>) -> errors::Result<Option<DurationSpec>> {
    match value {
        Some(v) if !matches!(v.get_type().js()?, ValueType::Null | ValueType::Undefined) => duration(v).map(Some),
        _ => Ok(None),
    }
}

/// An optional count from a JavaScript number, by the core's one rule (whole, 0 ..= 2^53, at
/// most `max`): napi's own `u32` conversion wraps `-1` to 4294967295 and truncates 2.5.
pub fn opt_count(v: Option<f64>, max: u64, what: &str) -> errors::Result<Option<u64>> {
    v.map(|x| fleetops::wire::count_from_f64(x, what).and_then(|n| fleetops::wire::count_at_most(n, max, what)))
        .transpose()
        .js()
}

/// A plain object read as a map (labels, a record of tables): napi would read a string, an
/// array or a typed array as a map of their indices (`'ab'` as `{0: 'a', 1: 'b'}`), so
/// anything but a plain object is refused before it is read.
#[derive(Clone)]
pub struct Record<M>(pub M);

impl<M> std::ops::Deref for Record<M> {
    type Target = M;
    fn deref(&self) -> &M {
        &self.0
    }
}

impl<M: ToNapiValue> ToNapiValue for Record<M> {
    unsafe fn to_napi_value(env: napi::sys::napi_env, value: Self) -> napi::Result<napi::sys::napi_value> {
        // SAFETY: `env` is the live handle napi passed to this conversion.
        unsafe { M::to_napi_value(env, value.0) }
    }
}

impl<M> TypeName for Record<M> {
    fn type_name() -> &'static str {
        "Record"
    }
    fn value_type() -> ValueType {
        ValueType::Object
    }
}

impl<M> ValidateNapiValue for Record<M> {}

impl<M: FromNapiValue> FromNapiValue for Record<M> {
    unsafe fn from_napi_value(env: napi::sys::napi_env, value: napi::sys::napi_value) -> napi::Result<Self> {
        let (mut kind, mut array, mut typed) = (0, false, false);
        // SAFETY: `env` and `value` are the live handles napi passed to this conversion.
        unsafe {
            napi::sys::napi_typeof(env, value, &mut kind);
            napi::sys::napi_is_array(env, value, &mut array);
            napi::sys::napi_is_typedarray(env, value, &mut typed);
        }
        if kind != napi::sys::ValueType::napi_object || array || typed {
            let got = match kind {
                napi::sys::ValueType::napi_string => "a string",
                napi::sys::ValueType::napi_number => "a number",
                napi::sys::ValueType::napi_null => "null",
                napi::sys::ValueType::napi_undefined => "undefined",
                _ if array => "an array",
                _ if typed => "a typed array",
                _ => "another kind of value",
            };
            let err = fleetops::wire::wrong_type("an object", got);
            return Err(napi::Error::new(napi::Status::InvalidArg, err.to_string()));
        }
        // SAFETY: as above; the value was checked to be a plain object.
        unsafe { M::from_napi_value(env, value) }.map(Record)
    }
}
