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
