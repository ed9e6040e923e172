//! `Deduper`, `dedupMask`, `dedupIndices`, `keyHash`, `keyHashes`.

use fleetops::dedup::{self as core, DeduperSpec, Keep, KeyHasher};
use fleetops::time::EpochUnit;
use napi::bindgen_prelude::{BigInt, BigUint64Array, Uint32Array, Uint8Array, Unknown};
use napi_derive::napi;

use crate::arg;
use crate::convert::{opt_timestamp, timestamp, Time};
use crate::errors::{self, invalid_argument, IntoJs};
use crate::external::External;
use crate::keys::{hashes_of_columns, key, with_keys};
use napi::Env;

/// The u64 of one key: a number or bigint as is, a string or an array of parts hashed
/// (XXH3-64), as a bigint.
#[napi(ts_args_type = "key: KeyLike")]
pub fn key_hash(key_value: Unknown<'_>) -> errors::Result<BigInt> {
    crate::errors::guard(|| Ok(BigInt::from(key(&mut KeyHasher::new(), &key_value)?)))
}

/// Composite-key hashes of columns: row `i` is `[columns[0][i], columns[1][i], ...]`.
#[napi(ts_args_type = "columns: Array<Array<string | number | bigint>>")]
pub fn key_hashes(columns: Unknown<'_>) -> errors::Result<BigUint64Array> {
    crate::errors::guard(|| {
        let columns = arg::items(&columns, "columns")?
            .iter()
            .enumerate()
            .map(|(i, c)| arg::items(c, &format!("columns[{i}]")))
            .collect::<errors::Result<Vec<_>>>()?;
        Ok(BigUint64Array::new(hashes_of_columns(columns)?))
    })
}

/// Runs `f` (`keep_mask` or `keep_indices`) on the keys and the options `{keep, orderBy}`:
/// `keep` `"first"` (default) or `"last"`; `orderBy` the values to keep the smallest (`first`)
/// or largest (`last`) of, ties by position, as a `Float64Array` (read in place) or an array.
fn batch<T>(keys: &Unknown<'_>, options: Option<&Unknown<'_>>, f: fleetops::dedup::KeepFn<T>) -> errors::Result<T> {
    let [keep, order] = arg::fields(options, "options", ["keep", "orderBy"])?;
    let keep = Keep::parse_or_default(arg::opt_text(keep.as_ref(), "keep")?.as_deref()).js()?;
    let order = arg::opt_floats(order.as_ref(), "orderBy")?;
    with_keys(keys, |k| f(k, keep, order.as_ref().map(|o| o.as_slice())).js())
}

/// One byte per row, 1 for the rows that survive.
#[napi(ts_args_type = "keys: KeysLike, options?: DedupOptions | null")]
pub fn dedup_mask(keys: Unknown<'_>, options: Option<Unknown<'_>>) -> errors::Result<Uint8Array> {
    crate::errors::guard(|| {
        // The core writes the bytes Node gets: no second buffer, no copy.
        let bytes = |k: &[u64], keep, order: Option<&[f64]>| {
            let mut out = vec![0u8; k.len()];
            core::keep_mask_into(k, keep, order, &mut out).map(|()| out)
        };
        Ok(Uint8Array::new(batch(&keys, options.as_ref(), bytes)?))
    })
}

/// The surviving rows' indices, ascending.
#[napi(ts_args_type = "keys: KeysLike, options?: DedupOptions | null")]
pub fn dedup_indices(keys: Unknown<'_>, options: Option<Unknown<'_>>) -> errors::Result<Uint32Array> {
    crate::errors::guard(|| {
        let idx = batch(&keys, options.as_ref(), core::keep_indices)?;
        if idx.last().is_some_and(|&i| i > u64::from(u32::MAX)) {
            return Err(invalid_argument("more rows than a Uint32Array can index"));
        }
        Ok(Uint32Array::new(idx.into_iter().map(|i| i as u32).collect()))
    })
}

/// Streaming keep-first de-duplication with watermarks.
#[napi(custom_finalize)]
pub struct Deduper {
    inner: core::Deduper,
    /// What it has told V8 it holds.
    external: External,
}

crate::external::reports_external_memory!(Deduper);

#[napi]
impl Deduper {
    /// A de-duplicator; throws on a bad configuration.
    #[napi(constructor, ts_args_type = "options: DeduperOptions")]
    pub fn new(env: Env, options: Unknown<'_>) -> errors::Result<Self> {
        crate::errors::guard(|| {
            let spec: DeduperSpec = crate::convert::spec(crate::convert::plain(&options)?)?;
            Ok(Self::reported(&env, core::Deduper::new(spec.build().js()?).js()?))
        })
    }

    /// `"first"`, `"duplicate"`, `"late"` or `"future"` (only when `now` is given).
    #[napi(
        ts_args_type = "key: KeyLike, at: TimeLike, now?: TimeLike | null",
        ts_return_type = "'first' | 'duplicate' | 'late' | 'future'"
    )]
    pub fn observe(
        &mut self,
        env: Env,
        key_value: Unknown<'_>,
        at: Time<'_>,
        now: Option<Time<'_>>,
    ) -> errors::Result<&'static str> {
        let out = crate::errors::guard(|| {
            let k = key(&mut KeyHasher::new(), &key_value)?;
            let at = timestamp(&at)?;
            let now = opt_timestamp(now.as_ref())?;
            Ok(self.inner.observe(k, at, now).js()?.as_str())
        });
        self.external.set(&env, self.inner.memory_bytes());
        out
    }

    /// One code per event (0 first, 1 duplicate, 2 late, 3 future) for keys and epoch-ms
    /// times. All or nothing.
    #[napi(ts_args_type = "keys: KeysLike, atMs: Float64Array | number[], now?: TimeLike | null")]
    pub fn observe_batch(
        &mut self,
        env: Env,
        keys: Unknown<'_>,
        at_ms: Unknown<'_>,
        now: Option<Time<'_>>,
    ) -> errors::Result<Uint8Array> {
        let out = crate::errors::guard(|| {
            let at_ms = arg::floats(&at_ms, "atMs")?;
            let now = opt_timestamp(now.as_ref())?;
            let at_ms = at_ms.as_slice();
            let codes = with_keys(&keys, |k| self.inner.observe_batch_epoch(k, at_ms, EpochUnit::Millis, now).js())?;
            Ok(Uint8Array::new(codes))
        });
        self.external.set(&env, self.inner.memory_bytes());
        out
    }

    /// Counts, live keys, memory, watermark (and the estimated false-positive rate in bloom mode).
    #[napi(ts_return_type = "DedupStats")]
    pub fn stats(&self) -> errors::Result<crate::jsser::Js> {
        crate::errors::guard(|| crate::results::js(self.inner.stats()))
    }

    /// The watermark as an ISO-8601 string, or null before the first event.
    #[napi(getter)]
    pub fn watermark(&self) -> errors::Result<Option<String>> {
        crate::errors::guard(|| Ok(self.inner.watermark().map(fleetops::time::to_iso)))
    }

    /// Bytes held for keys.
    #[napi(getter)]
    pub fn memory_bytes(&self) -> errors::Result<f64> {
        crate::errors::guard(|| Ok(self.inner.memory_bytes() as f64))
    }
}

// The saved-state methods, written once (crate::external::saved_methods).
crate::external::saved_methods!(Deduper, reported, merge = "other: Deduper");
