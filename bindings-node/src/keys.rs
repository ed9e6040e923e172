//! JS keys -> core keys: BigUint64Array / BigInt64Array / Float64Array read in place, or
//! arrays of numbers, bigints, strings and arrays (composite keys). Which key means which u64
//! is the core's rule (`KeyHasher::key`); this file only reads JS values.

use fleetops::dedup::{keys_from_f64, KeyHasher, KeyPart, KeyValue};
use napi::bindgen_prelude::*;
use napi::JsValue;

use crate::errors::{self, invalid_argument, IntoJs};

/// An owned key part (JS strings are copied out of the engine anyway).
enum Part {
    Text(String),
    Float(f64),
    Int(i64),
}

/// The core's view of owned parts.
fn borrowed(owned: &[Part]) -> Vec<KeyPart<'_>> {
    owned
        .iter()
        .map(|p| match p {
            Part::Text(s) => KeyPart::Text(s),
            Part::Float(f) => KeyPart::Float(*f),
            Part::Int(i) => KeyPart::Int(*i),
        })
        .collect()
}

fn part(value: &Unknown<'_>) -> errors::Result<Part> {
    Ok(match value.get_type().js()? {
        ValueType::String => Part::Text(crate::arg::text(value, "a key part")?),
        // SAFETY: the value's JS type was checked just before (the match arm), and it is the type cast to.
        ValueType::Number => Part::Float(unsafe { value.cast::<f64>() }.js()?),
        ValueType::BigInt => {
            // SAFETY: the value's JS type was checked just before (the match arm), and it is the type cast to.
            let (i, lossless) = unsafe { value.cast::<BigInt>() }.js()?.get_i64();
            if !lossless {
                return Err(invalid_argument("a key part bigint must fit in 64 bits"));
            }
            Part::Int(i)
        }
        other => {
            return Err(invalid_argument(format!(
                "a key part must be a string or a number, not {}",
                crate::errors::kind_words(other)
            )))
        }
    })
}

/// The u64 of one key.
pub fn key(hasher: &mut KeyHasher, value: &Unknown<'_>) -> errors::Result<u64> {
    match value.get_type().js()? {
        // SAFETY: the value's JS type was checked just before (the match arm), and it is the type cast to.
        ValueType::Number => hasher.key(KeyValue::Float(unsafe { value.cast::<f64>() }.js()?)).js(),
        ValueType::BigInt => {
            // SAFETY: the value's JS type was checked just before (the match arm), and it is the type cast to.
            let b = unsafe { value.cast::<BigInt>() }.js()?;
            let (negative, v, lossless) = b.get_u64();
            if negative || !lossless {
                return Err(invalid_argument("a bigint key must be in 0 ..= 2^64 - 1"));
            }
            Ok(v)
        }
        ValueType::String => Ok(hasher.hash_text(&crate::arg::text(value, "key")?)),
        ValueType::Object if value.is_array().js()? => {
            // SAFETY: this conversion checks the JS value's type itself and fails (Err) on any other.
            let items: Vec<Unknown<'_>> = unsafe { value.cast() }.js()?;
            let owned = items.iter().map(part).collect::<errors::Result<Vec<_>>>()?;
            let parts = borrowed(&owned);
            hasher.key(KeyValue::Parts(&parts)).js()
        }
        other => Err(invalid_argument(format!(
            "a key must be a number, bigint, string or array of parts, not {}",
            crate::errors::kind_words(other)
        ))),
    }
}

/// Runs `f` on a key column: typed arrays in place (Float64Array checked for whole numbers),
/// plain arrays item by item.
pub fn with_keys<T>(value: &Unknown<'_>, f: impl FnOnce(&[u64]) -> errors::Result<T>) -> errors::Result<T> {
    use crate::arg::typed_only;
    if value.get_type().js()? == ValueType::Object && value.is_typedarray().js()? {
        if let Ok(a) = typed_only::<BigUint64Array>(value, "keys", TypedArrayType::BigUint64, "") {
            return f(&a);
        }
        if let Ok(a) = typed_only::<BigInt64Array>(value, "keys", TypedArrayType::BigInt64, "") {
            return f(fleetops::dedup::keys_from_i64(&a).js()?);
        }
        if let Ok(a) = typed_only::<Float64Array>(value, "keys", TypedArrayType::Float64, "") {
            return f(&keys_from_f64(&a).js()?);
        }
        return Err(invalid_argument("keys must be a BigUint64Array, BigInt64Array, Float64Array or an array"));
    }
    if value.get_type().js()? != ValueType::Object || !value.is_array().js()? {
        return Err(invalid_argument("keys must be a BigUint64Array, BigInt64Array, Float64Array or an array"));
    }
    // SAFETY: this conversion checks the JS value's type itself and fails (Err) on any other.
    let items: Vec<Unknown<'_>> = unsafe { value.cast() }.js()?;
    let mut hasher = KeyHasher::new();
    let keys = items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            key(&mut hasher, item).map_err(|e| napi::Error::new(e.status, format!("index {i}: {}", e.reason)))
        })
        .collect::<errors::Result<Vec<u64>>>()?;
    f(&keys)
}

/// Composite-key hashes of columns: row `i` is `(columns[0][i], columns[1][i], ...)`.
pub fn hashes_of_columns(columns: Vec<Vec<Unknown<'_>>>) -> errors::Result<Vec<u64>> {
    let rows = columns.first().map_or(0, Vec::len);
    if let Some(c) = columns.iter().position(|c| c.len() != rows) {
        return Err(invalid_argument(format!("column {c} has {} values, column 0 has {rows}", columns[c].len())));
    }
    let mut hasher = KeyHasher::new();
    (0..rows)
        .map(|r| {
            let owned = columns.iter().map(|c| part(&c[r])).collect::<errors::Result<Vec<_>>>()?;
            let parts = borrowed(&owned);
            hasher.hash(&parts).js().map_err(|e| napi::Error::new(e.status, format!("index {r}: {}", e.reason)))
        })
        .collect()
}
