//! Plain arguments (numbers, strings, flags) read with fleetops' errors: pyo3's own extraction
//! raises a bare `TypeError` (or `UnicodeEncodeError` for a lone surrogate) before any fleetops
//! code runs, and Node gives `INVALID_ARGUMENT` for the same call. A wrong type here is an
//! `InvalidArgumentError` worded by the core; a `bool` is not a number (as in JavaScript).

use fleetops::wire::{not_unicode, wrong_type};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyList, PyMapping, PyString, PyTuple};

use crate::errors::to_py;

fn type_name(ob: &Bound<'_, PyAny>) -> String {
    ob.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "an object".into())
}

/// A float argument: an int or a float (numpy scalars too), never a bool.
#[derive(Clone, Copy)]
pub struct Num(pub f64);

impl<'py> FromPyObject<'_, 'py> for Num {
    type Error = PyErr;
    fn extract(ob: Borrowed<'_, 'py, PyAny>) -> PyResult<Self> {
        if ob.is_instance_of::<PyBool>() || ob.is_instance_of::<PyString>() {
            return Err(to_py(wrong_type("a number", &type_name(&ob))));
        }
        ob.extract::<f64>().map(Num).map_err(|_| to_py(wrong_type("a number", &type_name(&ob))))
    }
}

/// A string argument, valid Unicode.
#[derive(Clone)]
pub struct Text(pub String);

impl<'py> FromPyObject<'_, 'py> for Text {
    type Error = PyErr;
    fn extract(ob: Borrowed<'_, 'py, PyAny>) -> PyResult<Self> {
        text_of(&ob).map(|s| Text(s.to_owned()))
    }
}

/// A string argument read in place, with [`Text`]'s errors.
pub fn text_of<'a>(ob: &'a Bound<'_, PyAny>) -> PyResult<&'a str> {
    text_of_borrowed(ob.as_borrowed())
}

/// [`text_of`] for a reference lent for `'a` (a container's item): the text lives as long as
/// the loan, not as long as a local handle.
pub fn text_of_borrowed<'a>(ob: Borrowed<'a, '_, PyAny>) -> PyResult<&'a str> {
    let s = ob.cast::<PyString>().map_err(|_| to_py(wrong_type("a string", &type_name(&ob))))?;
    let mut len: pyo3::ffi::Py_ssize_t = 0;
    // SAFETY: `s` is a str; its UTF-8 form is cached inside the object, which lives for `'a`.
    let data = unsafe { pyo3::ffi::PyUnicode_AsUTF8AndSize(s.as_ptr(), &mut len) };
    if data.is_null() {
        drop(PyErr::take(ob.py())); // lone surrogates: refused with fleetops' own error
        return Err(to_py(not_unicode("the argument")));
    }
    // SAFETY: CPython returned `len` bytes of valid UTF-8 owned by the string.
    Ok(unsafe { std::str::from_utf8_unchecked(std::slice::from_raw_parts(data.cast(), len as usize)) })
}

/// A boolean argument (numpy's too).
#[derive(Clone, Copy)]
pub struct Flag(pub bool);

impl<'py> FromPyObject<'_, 'py> for Flag {
    type Error = PyErr;
    fn extract(ob: Borrowed<'_, 'py, PyAny>) -> PyResult<Self> {
        ob.extract::<bool>().map(Flag).map_err(|_| to_py(wrong_type("a boolean", &type_name(&ob))))
    }
}

/// An integer argument (numpy's too), never a bool or a float.
#[derive(Clone, Copy)]
pub struct Int(pub i64);

impl<'py> FromPyObject<'_, 'py> for Int {
    type Error = PyErr;
    fn extract(ob: Borrowed<'_, 'py, PyAny>) -> PyResult<Self> {
        if ob.is_instance_of::<PyBool>() || ob.is_instance_of::<pyo3::types::PyFloat>() {
            return Err(to_py(wrong_type("an integer", &type_name(&ob))));
        }
        ob.extract::<i64>().map(Int).map_err(|_| to_py(wrong_type("an integer", &type_name(&ob))))
    }
}

/// A pair: a tuple or list of two items.
pub struct Pair<A, B>(pub A, pub B);

impl<'py, A, B> FromPyObject<'_, 'py> for Pair<A, B>
where
    A: for<'a> FromPyObject<'a, 'py, Error = PyErr>,
    B: for<'a> FromPyObject<'a, 'py, Error = PyErr>,
{
    type Error = PyErr;
    fn extract(ob: Borrowed<'_, 'py, PyAny>) -> PyResult<Self> {
        let two = || to_py(wrong_type("a pair (a tuple of two)", &type_name(&ob)));
        if ob.is_instance_of::<PyString>() || !(ob.is_instance_of::<PyTuple>() || ob.is_instance_of::<PyList>()) {
            return Err(two());
        }
        let items: Vec<Bound<'py, PyAny>> = ob.try_iter()?.collect::<PyResult<_>>()?;
        match items.as_slice() {
            [a, b] => Ok(Pair(a.extract::<A>()?, b.extract::<B>()?)),
            _ => Err(two()),
        }
    }
}

/// Bytes (a saved state): `bytes`, `bytearray` or anything with the buffer protocol.
pub struct Bytes(pub Vec<u8>);

impl<'py> FromPyObject<'_, 'py> for Bytes {
    type Error = PyErr;
    fn extract(ob: Borrowed<'_, 'py, PyAny>) -> PyResult<Self> {
        if let Ok(b) = ob.cast::<pyo3::types::PyBytes>() {
            return Ok(Bytes(b.as_bytes().to_vec()));
        }
        pyo3::buffer::PyBuffer::<u8>::get(&ob)
            .and_then(|buf| buf.to_vec(ob.py()))
            .map(Bytes)
            .map_err(|_| to_py(wrong_type("bytes", &type_name(&ob))))
    }
}

/// The items of a list argument (any iterable but a string, bytes or a mapping, which would
/// be read as their characters or keys).
pub fn items<'py>(ob: &Bound<'py, PyAny>) -> PyResult<Bound<'py, pyo3::types::PyIterator>> {
    if ob.is_instance_of::<PyString>() || ob.is_instance_of::<pyo3::types::PyBytes>() || ob.is_instance_of::<PyDict>() {
        return Err(to_py(wrong_type("a list", &type_name(ob))));
    }
    ob.try_iter().map_err(|_| to_py(wrong_type("a list", &type_name(ob))))
}

/// An instance of one of fleetops' classes (a policy, the engine to merge).
pub struct Class<'py, T: pyo3::PyClass>(pub Bound<'py, T>);

impl<'py, T: pyo3::PyClass> FromPyObject<'_, 'py> for Class<'py, T> {
    type Error = PyErr;
    fn extract(ob: Borrowed<'_, 'py, PyAny>) -> PyResult<Self> {
        ob.cast::<T>().map(|c| Class(c.to_owned())).map_err(|_| to_py(wrong_type(T::NAME, &type_name(&ob))))
    }
}

/// Any value, read later (the `Error = PyErr` form `List` and `Pair` need).
pub struct Any<'py>(pub Bound<'py, PyAny>);

impl<'py> FromPyObject<'_, 'py> for Any<'py> {
    type Error = PyErr;
    fn extract(ob: Borrowed<'_, 'py, PyAny>) -> PyResult<Self> {
        Ok(Any(ob.to_owned()))
    }
}

/// A mapping argument (a dict or any `collections.abc.Mapping`).
pub fn mapping<'py>(ob: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyMapping>> {
    ob.cast::<PyMapping>().cloned().map_err(|_| to_py(wrong_type("a mapping", &type_name(ob))))
}

/// A list of one of the above.
pub struct List<T>(pub Vec<T>);

impl<'py, T: for<'a> FromPyObject<'a, 'py, Error = PyErr>> FromPyObject<'_, 'py> for List<T> {
    type Error = PyErr;
    fn extract(ob: Borrowed<'_, 'py, PyAny>) -> PyResult<Self> {
        if ob.is_instance_of::<PyString>() {
            return Err(to_py(wrong_type("a list", "str")));
        }
        let items = ob.try_iter().map_err(|_| to_py(wrong_type("a list", &type_name(&ob))))?;
        items.map(|item| item?.extract::<T>()).collect::<PyResult<Vec<T>>>().map(List)
    }
}

/// Unwraps the arguments above into their plain values.
pub trait Plain {
    /// The plain value.
    type Out;
    /// Unwraps it.
    fn plain(self) -> Self::Out;
}

impl Plain for Num {
    type Out = f64;
    fn plain(self) -> f64 {
        self.0
    }
}

impl Plain for Text {
    type Out = String;
    fn plain(self) -> String {
        self.0
    }
}

impl Plain for Flag {
    type Out = bool;
    fn plain(self) -> bool {
        self.0
    }
}

impl Plain for Int {
    type Out = i64;
    fn plain(self) -> i64 {
        self.0
    }
}

impl<A: Plain, B: Plain> Plain for Pair<A, B> {
    type Out = (A::Out, B::Out);
    fn plain(self) -> (A::Out, B::Out) {
        (self.0.plain(), self.1.plain())
    }
}

impl<T: Plain> Plain for List<T> {
    type Out = Vec<T::Out>;
    fn plain(self) -> Vec<T::Out> {
        self.0.into_iter().map(Plain::plain).collect()
    }
}

impl<T: Plain> Plain for Option<T> {
    type Out = Option<T::Out>;
    fn plain(self) -> Option<T::Out> {
        self.map(Plain::plain)
    }
}

/// `plain!(a, b, c)` rebinds each argument to its plain value.
macro_rules! plain {
    ($($arg:ident),+ $(,)?) => {
        $(let $arg = $crate::args::Plain::plain($arg);)+
    };
}
pub(crate) use plain;
