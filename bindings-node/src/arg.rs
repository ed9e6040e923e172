//! Positional arguments read by the binding, not by napi: every export takes its arguments as
//! `Unknown` and reads them here, so a value of the wrong type is the core's `INVALID_ARGUMENT`
//! in the core's words (`objective: expected a number, got a string`), `null` and `undefined`
//! mean "not given" wherever an argument is optional, and a string that is not valid Unicode is
//! refused instead of silently replaced.

use fleetops::options::{Case, Plain};
use fleetops::FleetopsError;
use napi::bindgen_prelude::*;
use napi::JsValue;

use crate::errors::{self, kind_words, to_js, IntoJs};

/// The error for `name` given as `got` where `expected` goes.
fn wrong(name: &str, expected: &str, got: &str) -> napi::Error<&'static str> {
    to_js(FleetopsError::WrongType(format!("{name}: expected {expected}, got {got}")))
}

/// The JS kind of `value` in the core's words (`a string`, `an array`, `null`).
fn got(value: &Unknown<'_>) -> errors::Result<&'static str> {
    let kind = value.get_type().js()?;
    Ok(match kind {
        ValueType::Object if value.is_array().js()? => "an array",
        ValueType::Object if value.is_typedarray().js()? => "a typed array",
        other => kind_words(other),
    })
}

/// Whether an optional argument was left out (`null`, `undefined`, or not passed at all).
pub fn absent(value: Option<&Unknown<'_>>) -> errors::Result<bool> {
    Ok(match value {
        None => true,
        Some(v) => matches!(v.get_type().js()?, ValueType::Null | ValueType::Undefined),
    })
}

/// An optional argument read by `read`: `None` when left out, `null` or `undefined`.
pub fn optional<T>(
    value: Option<&Unknown<'_>>,
    name: &str,
    read: impl FnOnce(&Unknown<'_>, &str) -> errors::Result<T>,
) -> errors::Result<Option<T>> {
    match value {
        Some(v) if !absent(Some(v))? => read(v, name).map(Some),
        _ => Ok(None),
    }
}

/// A number.
pub fn number(value: &Unknown<'_>, name: &str) -> errors::Result<f64> {
    if value.get_type().js()? != ValueType::Number {
        return Err(wrong(name, "a number", got(value)?));
    }
    // SAFETY: the value's JS type was checked just before, and it is the type cast to.
    unsafe { value.cast::<f64>() }.js()
}

/// An optional number.
pub fn opt_number(value: Option<&Unknown<'_>>, name: &str) -> errors::Result<Option<f64>> {
    optional(value, name, number)
}

/// A boolean.
pub fn flag(value: &Unknown<'_>, name: &str) -> errors::Result<bool> {
    if value.get_type().js()? != ValueType::Boolean {
        return Err(wrong(name, "a boolean", got(value)?));
    }
    // SAFETY: the value's JS type was checked just before, and it is the type cast to.
    unsafe { value.cast::<bool>() }.js()
}

/// An optional boolean.
pub fn opt_flag(value: Option<&Unknown<'_>>, name: &str) -> errors::Result<Option<bool>> {
    optional(value, name, flag)
}

/// A string, refused when it holds a lone UTF-16 surrogate (napi would replace it with U+FFFD,
/// silently changing a key or a name). Only a string that came out with U+FFFD is read a second
/// time, as UTF-16, to tell a real U+FFFD from a replaced surrogate.
pub fn text(value: &Unknown<'_>, name: &str) -> errors::Result<String> {
    if value.get_type().js()? != ValueType::String {
        return Err(wrong(name, "a string", got(value)?));
    }
    // SAFETY: the value's JS type was checked just before, and it is the type cast to.
    let s = unsafe { value.cast::<String>() }.js()?;
    if s.contains('\u{FFFD}') {
        // SAFETY: as above.
        let units = unsafe { value.cast::<Utf16String>() }.js()?;
        if String::from_utf16(&units).is_err() {
            return Err(to_js(fleetops::wire::not_unicode(name)));
        }
    }
    Ok(s)
}

/// An optional string.
pub fn opt_text(value: Option<&Unknown<'_>>, name: &str) -> errors::Result<Option<String>> {
    optional(value, name, text)
}

/// Any plain-data argument (a list of strings, a mapping of labels, a list of rule objects)
/// read by the core's one serde path, named `name` in its errors.
pub fn data<T: serde::de::DeserializeOwned>(value: &Unknown<'_>, name: &str) -> errors::Result<T> {
    fleetops::options::parse_named(crate::convert::plain_named(value, name)?, Case::Camel, name).js()
}

/// An optional plain-data argument.
pub fn opt_data<T: serde::de::DeserializeOwned>(value: Option<&Unknown<'_>>, name: &str) -> errors::Result<Option<T>> {
    optional(value, name, data)
}

/// The element type of a typed array, as napi numbers them.
fn typed_kind(value: &Unknown<'_>) -> errors::Result<Option<TypedArrayType>> {
    if value.get_type().js()? != ValueType::Object || !value.is_typedarray().js()? {
        return Ok(None);
    }
    let (mut kind, mut len, mut data, mut buffer, mut offset) = (0, 0, std::ptr::null_mut(), std::ptr::null_mut(), 0);
    // SAFETY: `env` and `value` are the live handles of this call; the value is a typed array.
    let status = unsafe {
        napi::sys::napi_get_typedarray_info(
            value.value().env,
            value.raw(),
            &mut kind,
            &mut len,
            &mut data,
            &mut buffer,
            &mut offset,
        )
    };
    if status != napi::sys::Status::napi_ok {
        return Err(to_js(FleetopsError::Internal("a typed array could not be read".into())));
    }
    Ok(Some(TypedArrayType::from(kind)))
}

/// A typed array of element type `kind` read in place, or `None` when `value` is not one.
fn typed<T: FromNapiValue>(value: &Unknown<'_>, kind: TypedArrayType) -> errors::Result<Option<T>> {
    if typed_kind(value)? != Some(kind) {
        return Ok(None);
    }
    // SAFETY: the value was checked to be a typed array of exactly this element type.
    unsafe { value.cast::<T>() }.js().map(Some)
}

/// A column given as a typed array (read in place) or as a plain array (copied).
pub enum Column<A, T> {
    /// The caller's typed array.
    Typed(A),
    /// A plain array's items.
    Plain(Vec<T>),
}

impl<A: std::ops::Deref<Target = [T]>, T> Column<A, T> {
    /// The items, wherever they came from.
    pub fn as_slice(&self) -> &[T] {
        match self {
            Column::Typed(a) => a,
            Column::Plain(v) => v,
        }
    }
}

/// A column: a typed array of element type `kind` read in place, or a plain array whose items
/// `item` reads (as Python takes a list wherever Node takes a typed array).
pub fn column<A: FromNapiValue, T>(
    value: &Unknown<'_>,
    name: &str,
    kind: TypedArrayType,
    expected: &str,
    item: impl Fn(&Unknown<'_>, &str) -> errors::Result<T>,
) -> errors::Result<Column<A, T>> {
    if let Some(a) = typed::<A>(value, kind)? {
        return Ok(Column::Typed(a));
    }
    if value.get_type().js()? != ValueType::Object || !value.is_array().js()? {
        return Err(wrong(name, expected, got(value)?));
    }
    // SAFETY: the value was checked to be an array just before.
    let array = unsafe { value.cast::<Array<'_>>() }.js()?;
    let mut out = Vec::with_capacity(array.len() as usize);
    for i in 0..array.len() {
        let at = format!("{name}[{i}]");
        match array.get::<Unknown<'_>>(i).js()? {
            Some(v) => out.push(item(&v, &at)?),
            None => return Err(wrong(&at, "a value", "undefined")),
        }
    }
    Ok(Column::Plain(out))
}

/// Numbers: a `Float64Array` read in place, or a plain array of numbers.
pub fn floats(value: &Unknown<'_>, name: &str) -> errors::Result<Column<Float64Array, f64>> {
    column(value, name, TypedArrayType::Float64, "a Float64Array or an array of numbers", number)
}

/// An optional `floats` argument.
pub fn opt_floats(value: Option<&Unknown<'_>>, name: &str) -> errors::Result<Option<Column<Float64Array, f64>>> {
    optional(value, name, floats)
}

/// Flags: a `Uint8Array` of 0 and 1 read in place, or a plain array of booleans (or 0 and 1).
pub fn flags(value: &Unknown<'_>, name: &str) -> errors::Result<Column<Uint8Array, u8>> {
    column(value, name, TypedArrayType::Uint8, "a Uint8Array or an array of booleans", |v, at| {
        if v.get_type().js()? == ValueType::Boolean {
            return flag(v, at).map(u8::from);
        }
        match number(v, at) {
            Ok(n) if n == 0.0 || n == 1.0 => Ok(n as u8),
            _ => Err(wrong(at, "a boolean, 0 or 1", got(v)?)),
        }
    })
}

/// An optional `flags` argument.
pub fn opt_flags(value: Option<&Unknown<'_>>, name: &str) -> errors::Result<Option<Column<Uint8Array, u8>>> {
    optional(value, name, flags)
}

/// A typed array of exactly element type `kind`, read in place (a batch column the caller
/// builds once: a plain array would be a per-call copy the batch API exists to avoid).
pub fn typed_only<A: FromNapiValue>(
    value: &Unknown<'_>,
    name: &str,
    kind: TypedArrayType,
    expected: &str,
) -> errors::Result<A> {
    typed::<A>(value, kind)?.ok_or_else(|| match got(value) {
        Ok(g) => wrong(name, expected, g),
        Err(e) => e,
    })
}

/// An instance of the class `T` (an engine inside a call or a record), read without napi's
/// own message for anything else.
pub fn instance<'a, T: 'static + MaybeTypeTag>(
    value: &Unknown<'a>,
    name: &str,
    class: &str,
) -> errors::Result<ClassInstance<'a, T>> {
    let kind = value.get_type().js()?;
    if kind == ValueType::Object {
        // SAFETY: `value` is a live object handle; the conversion checks the class and fails
        // (Err) for an object of another class, which is answered below in the core's words.
        if let Ok(found) = unsafe { ClassInstance::<T>::from_napi_value(value.value().env, value.raw()) } {
            return Ok(found);
        }
        return Err(wrong(name, &format!("a {class}"), "another kind of object"));
    }
    Err(wrong(name, &format!("a {class}"), got(value)?))
}

/// Plain data as the core's [`Plain`] for an argument `name` (re-exported for exports that
/// split an argument before the core reads it).
pub fn plain(value: &Unknown<'_>, name: &str) -> errors::Result<Plain> {
    crate::convert::plain_named(value, name)
}

/// The object `value` must be (a plain object: napi would read a string, an array or a typed
/// array as a map of their indices).
fn object<'a>(value: &Unknown<'a>, name: &str) -> errors::Result<Object<'a>> {
    let plain_object = value.get_type().js()? == ValueType::Object
        && !value.is_array().js()?
        && !value.is_typedarray().js()?
        && !value.is_date().js()?;
    if !plain_object {
        return Err(wrong(name, "an object", got(value)?));
    }
    // SAFETY: the value was checked to be an object just before.
    unsafe { value.cast::<Object<'a>>() }.js()
}

/// A label set (`{name: value}`): names kept exactly as written (they are data, not option
/// names), every value a string.
pub fn labels(value: &Unknown<'_>, name: &str) -> errors::Result<Vec<(String, String)>> {
    entries(value, name)?
        .into_iter()
        .map(|(k, v)| {
            let v = text(&v, &format!("{name}.{k}"))?;
            Ok((k, v))
        })
        .collect()
}

/// An optional label set.
pub fn opt_labels(value: Option<&Unknown<'_>>, name: &str) -> errors::Result<Vec<(String, String)>> {
    match value {
        Some(v) if !absent(Some(v))? => labels(v, name),
        _ => Ok(Vec::new()),
    }
}

/// The fields `known` of an optional options object, as given (`None` when left out or
/// `undefined`); a name it does not know is refused, never ignored. For the small options of
/// per-event calls, read without building a mapping.
pub fn fields<'a, const N: usize>(
    value: Option<&Unknown<'a>>,
    name: &str,
    known: [&str; N],
) -> errors::Result<[Option<Unknown<'a>>; N]> {
    let mut out: [Option<Unknown<'a>>; N] = [const { None }; N];
    let Some(value) = value else { return Ok(out) };
    if absent(Some(value))? {
        return Ok(out);
    }
    let object = object(value, name)?;
    let names = object.get_property_names().js()?;
    let len = names.get_array_length().js()?;
    let mut unknown = Vec::new();
    for i in 0..len {
        let key: Unknown<'_> = names.get_element(i).js()?;
        let key = text(&key, &format!("{name} key"))?;
        let v: Unknown<'a> = object.get_named_property_unchecked(&key).js()?;
        if v.get_type().js()? == ValueType::Undefined {
            continue;
        }
        match known.iter().position(|k| *k == key) {
            Some(at) => out[at] = Some(v),
            None if name == "options" => unknown.push(key),
            None => unknown.push(format!("{name}.{key}")),
        }
    }
    if !unknown.is_empty() {
        return Err(to_js(fleetops::wire::unknown_options(&unknown)));
    }
    Ok(out)
}

/// The items of an array, each to be read by the caller.
pub fn items<'a>(value: &Unknown<'a>, name: &str) -> errors::Result<Vec<Unknown<'a>>> {
    if value.get_type().js()? != ValueType::Object || !value.is_array().js()? {
        return Err(wrong(name, "an array", got(value)?));
    }
    // SAFETY: the value was checked to be an array just before.
    let array = unsafe { value.cast::<Array<'a>>() }.js()?;
    (0..array.len())
        .map(|i| match array.get::<Unknown<'a>>(i).js()? {
            Some(v) => Ok(v),
            None => Err(wrong(&format!("{name}[{i}]"), "a value", "undefined")),
        })
        .collect()
}

/// Whether `value` is an array.
pub fn is_array(value: &Unknown<'_>) -> errors::Result<bool> {
    Ok(value.get_type().js()? == ValueType::Object && value.is_array().js()?)
}

/// The entries of a plain object keyed by data (table names), names kept exactly as written.
pub fn entries<'a>(value: &Unknown<'a>, name: &str) -> errors::Result<Vec<(String, Unknown<'a>)>> {
    let object = object(value, name)?;
    let names = object.get_property_names().js()?;
    let len = names.get_array_length().js()?;
    let mut out = Vec::with_capacity(len as usize);
    for i in 0..len {
        let key: Unknown<'_> = names.get_element(i).js()?;
        let key = text(&key, &format!("{name} key"))?;
        let v: Unknown<'a> = object.get_named_property_unchecked(&key).js()?;
        out.push((key, v));
    }
    Ok(out)
}

/// Bytes: a `Buffer` or a `Uint8Array`, read in place.
pub fn bytes(value: &Unknown<'_>, name: &str) -> errors::Result<Uint8Array> {
    typed_only::<Uint8Array>(value, name, TypedArrayType::Uint8, "a Buffer or a Uint8Array")
}

/// Another engine of the class `T` for `merge`: not `this` itself (it would be borrowed twice).
pub fn other<'a, T: 'static + MaybeTypeTag>(
    value: &Unknown<'a>,
    this: &T,
    class: &str,
) -> errors::Result<ClassInstance<'a, T>> {
    let found = instance::<T>(value, "other", class)?;
    let (found_at, this_at): (*const T, *const T) = (std::ptr::addr_of!(*found), this);
    if std::ptr::eq(found_at, this_at) {
        return Err(to_js(FleetopsError::InvalidArgument(format!("a {class} cannot be merged into itself"))));
    }
    Ok(found)
}

/// Plain data as JSON (alert records, mutes, rules): option names read as the core's snake_case,
/// NaN and the infinities refused (JSON has none), as Python's records are.
pub fn json(value: &Unknown<'_>, name: &str) -> errors::Result<serde_json::Value> {
    crate::convert::plain_named(value, name)?.into_json().js()
}
