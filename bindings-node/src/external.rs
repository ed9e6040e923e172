//! Native memory reported to V8, so that its garbage collector sees what an instance holds
//! (a tracker is megabytes behind a few bytes of JS object; unreported, a loop making them
//! reached a gigabyte before V8 felt any pressure to collect).

use napi::Env;

/// The bytes one instance has reported so far.
#[derive(Default)]
pub struct External(i64);

impl External {
    /// Reports the instance's size now (V8 is told the change since the last report).
    pub fn set(&mut self, env: &Env, bytes: usize) {
        let now = i64::try_from(bytes).unwrap_or(i64::MAX);
        // A failed report changes nothing: the next one reports the whole difference.
        if now != self.0 && env.adjust_external_memory(now - self.0).is_ok() {
            self.0 = now;
        }
    }

    /// Gives everything back (when the instance is finalized).
    pub fn release(&mut self, env: &Env) {
        self.set(env, 0);
    }
}

/// For a class `$class { inner: core::$class, external: External }`: `reported(env, inner)`
/// wraps an engine and reports its size, and the finalizer gives that size back to V8.
macro_rules! reports_external_memory {
    ($class:ident) => {
        impl $class {
            /// Wraps a core engine, telling V8 what it holds.
            fn reported(env: &napi::Env, inner: core::$class) -> Self {
                let mut made = Self { inner, external: crate::external::External::default() };
                made.external.set(env, made.inner.memory_bytes());
                made
            }
        }

        impl napi::bindgen_prelude::ObjectFinalize for $class {
            fn finalize(mut self, env: napi::Env) -> napi::Result<()> {
                self.external.release(&env);
                Ok(())
            }
        }
    };
}
pub(crate) use reports_external_memory;

/// The saved-state methods of a class `$class { inner: core::$class, .. }`, written once over
/// the core's `Saved` / `Merge`: `toBytes`, `fromBytes` and, with `merge`, `merge`. `reported`
/// classes also tell V8 what a restored or merged engine holds (see [`External`]).
macro_rules! saved_methods {
    ($class:ident, $kind:ident $(, merge = $other:literal)?) => {
        #[napi_derive::napi]
        impl $class {
            /// The saved state (versioned, checksummed bytes).
            #[napi]
            pub fn to_bytes(&self) -> crate::errors::Result<napi::bindgen_prelude::Buffer> {
                crate::errors::guard(|| Ok(fleetops::snapshot::Saved::save(&self.inner).into()))
            }

            /// Restores a saved state; bad bytes throw `INVALID_STATE`.
            #[napi(factory, ts_args_type = "data: Uint8Array")]
            pub fn from_bytes(env: napi::Env, data: napi::bindgen_prelude::Unknown<'_>) -> crate::errors::Result<Self> {
                crate::errors::guard(|| {
                    let data = crate::arg::bytes(&data, "data")?;
                    let inner = crate::errors::IntoJs::js(fleetops::snapshot::Saved::restore(&data))?;
                    Ok(crate::external::saved_methods!(@made env, inner, $kind))
                })
            }
        }
        crate::external::saved_methods!(@merge $class, $kind $(, merge = $other)?);
    };
    (@made $env:ident, $inner:ident, reported) => { Self::reported(&$env, $inner) };
    (@made $env:ident, $inner:ident, plain) => {{
        let _ = $env;
        Self { inner: $inner }
    }};
    (@merge $class:ident, $first:ident) => {};
    (@merge $class:ident, reported, merge = $other:literal) => {
        #[napi_derive::napi]
        impl $class {
            /// Folds in another engine of the same configuration.
            #[napi(ts_args_type = $other)]
            pub fn merge(&mut self, env: napi::Env, other: napi::bindgen_prelude::Unknown<'_>) -> crate::errors::Result<()> {
                let out = crate::errors::guard(|| {
                    let other = crate::arg::other::<$class>(&other, self, stringify!($class))?;
                    crate::errors::IntoJs::js(fleetops::snapshot::Merge::merge_with(&mut self.inner, &other.inner))
                });
                self.external.set(&env, self.inner.memory_bytes());
                out
            }
        }
    };
    (@merge $class:ident, plain, merge = $other:literal) => {
        #[napi_derive::napi]
        impl $class {
            /// Folds in another engine of the same configuration.
            #[napi(ts_args_type = $other)]
            pub fn merge(&mut self, other: napi::bindgen_prelude::Unknown<'_>) -> crate::errors::Result<()> {
                crate::errors::guard(|| {
                    let other = crate::arg::other::<$class>(&other, self, stringify!($class))?;
                    crate::errors::IntoJs::js(fleetops::snapshot::Merge::merge_with(&mut self.inner, &other.inner))
                })
            }
        }
    };
}
pub(crate) use saved_methods;
