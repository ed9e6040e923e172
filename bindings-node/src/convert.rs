//! JS values -> core inputs: timestamps (`Date`, epoch ms, ISO string) and durations
//! (seconds, text such as `"45m"`, or dbt's `{count, period}`).

use fleetops::freshness::DurationSpec;
use fleetops::options::Plain;
use fleetops::time::{self, Timestamp};
use napi::bindgen_prelude::*;
use napi::JsDate;
use napi_derive::napi;

use crate::errors::{self, invalid_argument, IntoJs};

/// What the binding receives for a `TimeLike` (a `Date`, epoch milliseconds, or ISO-8601 text).
pub type Time<'a> = Unknown<'a>;

/// What the binding receives for a `DurationLike` (seconds, text, or `{count, period}`).
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

/// A JS options value as the core's [`Plain`]: the one path every options argument takes.
/// Plain objects (keys turned from camelCase to the core's snake_case by the core's rule),
/// arrays, strings, numbers (NaN included, for the core's checks to judge), booleans and null
/// as themselves, `undefined` entries left out as "not given", a `Date` as ISO-8601 and a
/// bigint as the integer it is. Anything else, or nesting past `MAX_NESTING`, is refused.
pub fn plain(value: &Unknown<'_>) -> errors::Result<Plain> {
    plain_at(value, 0, "options", Keys::Options)
}

/// [`plain`] for an argument named `name` in its errors.
pub fn plain_named(value: &Unknown<'_>, name: &str) -> errors::Result<Plain> {
    plain_at(value, 0, name, Keys::Options)
}

/// [`plain_named`] for the caller's own data passed through (a health check's `details`): keys
/// kept exactly as written.
pub fn data_named(value: &Unknown<'_>, name: &str) -> errors::Result<Plain> {
    plain_at(value, 0, name, Keys::AsWritten)
}

/// What an object's keys are: option names (camelCase, read as the core's snake_case) or data.
#[derive(Clone, Copy)]
enum Keys {
    Options,
    AsWritten,
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

fn plain_at(value: &Unknown<'_>, depth: usize, at: &str, keys: Keys) -> errors::Result<Plain> {
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
        ValueType::String => Plain::Text(crate::arg::text(value, at)?),
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
                    Some(item) => plain_at(&item, depth + 1, &format!("{at}[{i}]"), keys)?,
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
                if key.contains('\u{FFFD}') {
                    well_formed_keys(&object, at)?;
                }
                let v: Unknown<'_> = object.get_named_property_unchecked(&key).js()?;
                if v.get_type().js()? == ValueType::Undefined {
                    continue;
                }
                let value = plain_at(&v, depth + 1, &format!("{at}.{key}"), keys)?;
                let key = match keys {
                    Keys::Options => fleetops::wire::snake_name(&key),
                    Keys::AsWritten => key,
                };
                entries.push((key, value));
            }
            Plain::Map(entries)
        }
        other => return refuse(errors::kind_words(other)),
    })
}

/// Refuses an object whose own keys hold a lone surrogate (read once more as JS strings: the
/// keys napi gives as Rust strings have it replaced by U+FFFD already).
fn well_formed_keys(object: &Object<'_>, at: &str) -> errors::Result<()> {
    let names = object.get_property_names().js()?;
    let len = names.get_array_length().js()?;
    for i in 0..len {
        let name: Unknown<'_> = names.get_element(i).js()?;
        if name.get_type().js()? == ValueType::String {
            crate::arg::text(&name, &format!("{at} key"))?;
        }
    }
    Ok(())
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
