//! JS values -> core inputs: timestamps (`Date`, epoch ms, ISO string) and durations
//! (seconds, text such as `"45m"`, or dbt's `{count, period}`).

use fleetops::freshness::DurationSpec;
use fleetops::options::Plain;
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
        other => Err(invalid_argument(format!(
            "expected a Date, epoch milliseconds or an ISO-8601 string, got {}",
            errors::kind_words(other)
        ))),
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

/// Converts a JS duration (seconds, text such as `"45m"`, or dbt's `{count, period}`), read by
/// the core's serde form as every option is.
pub fn duration(value: &Duration<'_>) -> errors::Result<DurationSpec> {
    spec(plain(value)?)
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
                _ if array => "an array",
                _ if typed => "a typed array",
                _ => errors::kind_words(ValueType::from(kind)),
            };
            let err = fleetops::wire::wrong_type("an object", got);
            // The detail only: the package entry words it as `INVALID_ARGUMENT` once.
            return Err(napi::Error::new(napi::Status::InvalidArg, err.detail().to_owned()));
        }
        // SAFETY: as above; the value was checked to be a plain object.
        unsafe { M::from_napi_value(env, value) }.map(Record)
    }
}

/// A JS options value as the core's [`Plain`]: the one path every options argument takes.
/// Plain objects (keys turned from camelCase to the core's snake_case by the core's rule),
/// arrays, strings, numbers (NaN included, for the core's checks to judge), booleans and null
/// as themselves, `undefined` entries left out as "not given", a `Date` as ISO-8601 and a
/// bigint as the integer it is. Anything else, or nesting past `MAX_NESTING`, is refused.
pub fn plain(value: &Unknown<'_>) -> errors::Result<Plain> {
    plain_at(value, 0, "options")
}

/// An optional options argument (`null`/`undefined`: no options) as plain data.
pub fn options(value: Option<&Unknown<'_>>) -> errors::Result<Plain> {
    match value.map(plain).transpose()? {
        None | Some(Plain::Null) => Ok(Plain::Map(vec![])),
        Some(other) => Ok(other),
    }
}

/// A core spec type from plain data, by the core's one serde path (names in the messages as
/// JavaScript writes them).
pub fn spec<T: serde::de::DeserializeOwned>(value: Plain) -> errors::Result<T> {
    fleetops::options::parse(value, fleetops::options::Case::Camel).js()
}

/// Takes `now` (a `Date`, epoch milliseconds or ISO-8601 text) out of an options mapping, so
/// that the rest is the core's spec; the current time when it is not given.
pub fn take_now(options: &mut Plain) -> errors::Result<Timestamp> {
    let Plain::Map(entries) = options else { return Ok(time::now()) };
    let Some(i) = entries.iter().position(|(k, _)| k == "now") else { return Ok(time::now()) };
    match entries.remove(i).1 {
        Plain::Null => Ok(time::now()),
        Plain::Float(ms) => time::from_epoch_millis(ms).js(),
        Plain::Int(ms) => time::from_epoch_millis(ms as f64).js(),
        Plain::UInt(ms) => time::from_epoch_millis(ms as f64).js(),
        Plain::Text(s) => time::parse_timestamp(&s).js(),
        _ => Err(invalid_argument("now: expected a Date, epoch milliseconds or an ISO-8601 string")),
    }
}

fn plain_at(value: &Unknown<'_>, depth: usize, at: &str) -> errors::Result<Plain> {
    use fleetops::wire::{not_plain_data, MAX_NESTING};
    let refuse = |what: &str| Err(errors::to_js(not_plain_data(&format!("{what} at {at}"))));
    if depth > MAX_NESTING {
        return refuse(&format!("nested deeper than {MAX_NESTING}"));
    }
    Ok(match value.get_type().js()? {
        ValueType::Undefined | ValueType::Null => Plain::Null,
        // SAFETY: the value's JS type was checked just before (the match arm), and it is the type cast to.
        ValueType::Boolean => Plain::Bool(unsafe { value.cast::<bool>() }.js()?),
        // SAFETY: as above.
        ValueType::Number => Plain::Float(unsafe { value.cast::<f64>() }.js()?),
        // SAFETY: as above.
        ValueType::String => Plain::Text(unsafe { value.cast::<String>() }.js()?),
        ValueType::BigInt => {
            // SAFETY: the value's JS type was checked just before (the match arm).
            let big = unsafe { value.cast::<BigInt>() }.js()?;
            match (big.get_i64(), big.get_u64()) {
                ((i, true), _) => Plain::Int(i),
                (_, (false, u, true)) => Plain::UInt(u),
                _ => return refuse("a bigint past 64 bits"),
            }
        }
        ValueType::Object if value.is_array().js()? => {
            // SAFETY: the match guard checked that the value is an array.
            let array = unsafe { value.cast::<Array<'_>>() }.js()?;
            let mut items = Vec::with_capacity(array.len() as usize);
            for i in 0..array.len() {
                let item = array.get::<Unknown<'_>>(i).js()?;
                items.push(match item {
                    Some(item) => plain_at(&item, depth + 1, &format!("{at}[{i}]"))?,
                    None => Plain::Null,
                });
            }
            Plain::List(items)
        }
        ValueType::Object if value.is_date().js()? => {
            // SAFETY: the match guard checked that the value is a Date.
            let ms = unsafe { value.cast::<JsDate<'_>>() }.js()?.value_of().js()?;
            Plain::Text(time::to_iso(time::from_epoch_millis(ms).js()?))
        }
        ValueType::Object if value.is_typedarray().js()? || value.is_arraybuffer().js()? => {
            return refuse("a typed array")
        }
        ValueType::Object => {
            // SAFETY: the value is an object (the match arm) and neither an array nor a Date.
            let object = unsafe { value.cast::<Object<'_>>() }.js()?;
            let mut entries = Vec::new();
            for key in Object::keys(&object).js()? {
                let v: Unknown<'_> = object.get_named_property_unchecked(&key).js()?;
                if v.get_type().js()? == ValueType::Undefined {
                    continue;
                }
                let value = plain_at(&v, depth + 1, &format!("{at}.{key}"))?;
                entries.push((fleetops::wire::snake_name(&key), value));
            }
            Plain::Map(entries)
        }
        other => return refuse(errors::kind_words(other)),
    })
}

/// A duration (seconds, text such as `"45m"` or dbt's `{count, period}`) in seconds, read as
/// every duration option is.
#[napi(ts_args_type = "duration: DurationLike")]
pub fn duration_seconds(duration: Unknown<'_>) -> errors::Result<f64> {
    errors::guard(|| Ok(time::secs_f64(self::duration(&duration)?.to_delta().js()?)))
}

/// An instant (a `Date`, epoch milliseconds or ISO-8601 text with an offset) as the core reads
/// it, written as ISO-8601 UTC.
#[napi(ts_args_type = "instant: TimeLike")]
pub fn utc_iso(instant: Unknown<'_>) -> errors::Result<String> {
    errors::guard(|| Ok(time::to_iso(timestamp(&instant)?)))
}
