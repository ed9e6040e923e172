//! `fleetops.FleetopsError` (a `ValueError`) and one subclass per core error code, built from
//! the core's list so the two can never drift apart, plus `InvalidArgumentTypeError`: an
//! `InvalidArgumentError` that is also a `TypeError`, for a value of the wrong type inside a
//! call of the right shape. (A call of the wrong shape is pyo3's own `TypeError`.)

use std::ffi::CString;

use fleetops::error::{ERROR_KINDS, WRONG_TYPE_CLASS};
use fleetops::FleetopsError;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyType;

/// The base class, the subclasses in `ERROR_KINDS` order, and the wrong-type class.
struct ErrorTypes {
    base: Py<PyType>,
    kinds: Vec<Py<PyType>>,
    wrong_type: Py<PyType>,
}

static TYPES: PyOnceLock<ErrorTypes> = PyOnceLock::new();

fn types(py: Python<'_>) -> &ErrorTypes {
    TYPES.get_or_init(py, || {
        let make = |name: &str, base: &Bound<'_, PyType>, code: Option<&str>| {
            let qualified = CString::new(format!("fleetops.{name}")).expect("no NUL");
            // The class dict is set afterwards: `new_type` would drop a dict passed to it.
            let ty = PyErr::new_type(py, &qualified, None, Some(base), None).expect("exception type");
            ty.bind(py).setattr("code", code).expect("class attribute");
            ty
        };
        let base = make("FleetopsError", &py.get_type::<PyValueError>(), None);
        let kinds: Vec<Py<PyType>> =
            ERROR_KINDS.iter().map(|(code, name)| make(name, base.bind(py), Some(code))).collect();
        let invalid = ERROR_KINDS.iter().position(|(code, _)| *code == "INVALID_ARGUMENT").expect("a code");
        // Two bases, so made as `type(name, bases, dict)` does; `code` comes from the first.
        let bases = (kinds[invalid].bind(py).clone(), py.get_type::<PyTypeError>());
        let dict = pyo3::types::PyDict::new(py);
        dict.set_item("__module__", "fleetops").expect("a dict item");
        let wrong_type = py
            .get_type::<PyType>()
            .call1((WRONG_TYPE_CLASS, bases, dict))
            .and_then(|t| t.cast_into::<PyType>().map_err(PyErr::from))
            .expect("the wrong-type class")
            .unbind();
        ErrorTypes { base, kinds, wrong_type }
    })
}

/// Converts a core error into the matching Python exception.
pub fn to_py(err: FleetopsError) -> PyErr {
    Python::attach(|py| {
        let t = types(py);
        let ty = if let FleetopsError::WrongType(_) = err {
            t.wrong_type.bind(py)
        } else {
            let idx = ERROR_KINDS.iter().position(|(code, _)| *code == err.code());
            idx.map_or(&t.base, |i| &t.kinds[i]).bind(py)
        };
        PyErr::from_type(ty.clone(), err.to_string())
    })
}

/// Runs an exported call's body; a panic inside comes back as `fleetops.InternalError` (code
/// `INTERNAL`) instead of pyo3's `PanicException`, a `BaseException` that `except Exception`
/// would miss. Every export goes through it.
pub fn guard<T>(body: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    fleetops::error::catch_panic(body, to_py)
}

/// Extension trait: `.py()?` turns a core result into a Python one.
pub trait IntoPyResult<T> {
    /// Maps the error to its Python exception.
    fn py(self) -> PyResult<T>;
}

impl<T> IntoPyResult<T> for fleetops::Result<T> {
    fn py(self) -> PyResult<T> {
        self.map_err(to_py)
    }
}

/// Adds the exception classes to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    let t = types(py);
    m.add("FleetopsError", t.base.bind(py))?;
    for ((_, name), ty) in ERROR_KINDS.iter().zip(&t.kinds) {
        m.add(*name, ty.bind(py))?;
    }
    m.add(WRONG_TYPE_CLASS, t.wrong_type.bind(py))?;
    Ok(())
}
