//! Core results for JavaScript (struct fields camelCase, data keys as they are: the rule is
//! [`crate::jsser`]'s).

/// A core result for JavaScript: camelCase objects made straight from the result when napi
/// hands it over ([`crate::jsser`]).
pub fn js<T: serde::Serialize + 'static>(value: T) -> crate::errors::Result<crate::jsser::Js> {
    Ok(crate::jsser::Js::new(value))
}
