//! A call of the wrong shape (an argument missing, one too many, an unknown keyword) as a
//! fleetops error. pyo3 checks a call's shape before any fleetops code runs and raises a bare
//! `TypeError`, and CPython does the same for a method without parameters. So at import every
//! exported function, method and constructor is registered again, behind a trampoline that
//! turns exactly a bare `TypeError` into `InvalidArgumentError` (code `INVALID_ARGUMENT`, what
//! Node throws for a call it cannot read), the original kept as `__cause__`; an unknown
//! keyword is the core's "unknown option 'x'". That is also why no signature takes
//! `**kwargs` just to catch unknown names: pyo3 then uses the tuple-and-dict calling
//! convention, ~700-900 instructions a call more than fastcall (only `restore_or_new`, whose
//! keywords are its options, keeps one). A successful call pays one indirect call. Names, docs
//! and text signatures are the originals', so `inspect`, `help()` and stubtest see no change.
//!
//! Each trampoline is a function of its own (a const generic index into a table of originals):
//! CPython passes a method only its instance and arguments, no pointer to the definition.

use std::ffi::c_int;
use std::ptr::null_mut;
use std::sync::OnceLock;

use fleetops::FleetopsError;
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyType};

/// What a `METH_FASTCALL | METH_KEYWORDS` definition points to.
type Fast = unsafe extern "C" fn(
    *mut ffi::PyObject,
    *const *mut ffi::PyObject,
    ffi::Py_ssize_t,
    *mut ffi::PyObject,
) -> *mut ffi::PyObject;
/// What a `METH_VARARGS | METH_KEYWORDS` definition points to: pyo3's choice for a signature
/// with `**options` (`StormDetector.restore_or_new`).
type Varargs = unsafe extern "C" fn(*mut ffi::PyObject, *mut ffi::PyObject, *mut ffi::PyObject) -> *mut ffi::PyObject;
/// What a `METH_NOARGS` definition points to.
type NoArgs = unsafe extern "C" fn(*mut ffi::PyObject, *mut ffi::PyObject) -> *mut ffi::PyObject;
/// A type's constructor slot.
type New = unsafe extern "C" fn(*mut ffi::PyTypeObject, *mut ffi::PyObject, *mut ffi::PyObject) -> *mut ffi::PyObject;

/// Trampolines of each kind: 8 x 16 fastcall, 16 with `**options`, 2 x 16 without arguments,
/// 16 constructors. Import fails with `INTERNAL` if the module ever exports more (so
/// a new export cannot slip past).
const ROWS_FAST: usize = 8;
const ROWS_NOARGS: usize = 2;
const ROW: usize = 16;

static FAST: [OnceLock<Fast>; ROWS_FAST * ROW] = [const { OnceLock::new() }; ROWS_FAST * ROW];
static VARARGS: [OnceLock<Varargs>; ROW] = [const { OnceLock::new() }; ROW];
static NOARGS: [OnceLock<(NoArgs, String)>; ROWS_NOARGS * ROW] = [const { OnceLock::new() }; ROWS_NOARGS * ROW];
static NEW: [OnceLock<New>; ROW] = [const { OnceLock::new() }; ROW];

/// Replaces a pending bare `TypeError` (exactly that class: fleetops' own errors and other
/// exceptions pass untouched) by `InvalidArgumentError` with the same text. Inlined: a call
/// that succeeded pays one test.
///
/// # Safety
/// The GIL is held and `out` is what a CPython call returned.
#[inline(always)]
unsafe fn retag(out: *mut ffi::PyObject) -> *mut ffi::PyObject {
    if out.is_null() {
        // SAFETY: as this function's.
        unsafe { retag_error() };
    }
    out
}

/// [`retag`]'s work once a call failed.
///
/// # Safety
/// The GIL is held.
#[cold]
#[inline(never)]
unsafe fn retag_error() {
    // SAFETY: the GIL is held (the caller's contract); PyErr_Occurred only reads.
    if unsafe { ffi::PyErr_Occurred() } == unsafe { ffi::PyExc_TypeError } {
        // SAFETY: the GIL is held.
        let py = unsafe { Python::assume_attached() };
        // A `TypeError`, so not a `PanicException`, which `fetch` would resume.
        let shape = PyErr::fetch(py);
        let err = crate::errors::to_py(call_shape_error(&shape.value(py).to_string()));
        err.set_cause(py, Some(shape));
        err.restore(py);
    }
}

/// pyo3's text for a keyword no parameter has (`f() got an unexpected keyword argument 'x'`)
/// becomes the core's unknown option, worded as Node words an unknown option key; any other
/// shape error keeps pyo3's text (which names the function and the argument).
fn call_shape_error(pyo3_text: &str) -> FleetopsError {
    match pyo3_text.split_once(" got an unexpected keyword argument '").and_then(|(_, n)| n.strip_suffix('\'')) {
        Some(name) => fleetops::wire::unknown_options(&[name.to_owned()]),
        None => FleetopsError::InvalidArgument(pyo3_text.to_owned()),
    }
}

unsafe extern "C" fn fast<const HI: usize, const LO: usize>(
    slf: *mut ffi::PyObject,
    args: *const *mut ffi::PyObject,
    nargs: ffi::Py_ssize_t,
    kwnames: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    let original = FAST[HI * ROW + LO].get().expect("set before the trampoline is registered");
    // SAFETY: CPython's arguments passed on unchanged to the definition they were meant for.
    unsafe { retag(original(slf, args, nargs, kwnames)) }
}

unsafe extern "C" fn varargs<const HI: usize, const LO: usize>(
    slf: *mut ffi::PyObject,
    args: *mut ffi::PyObject,
    kwargs: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    let original = VARARGS[HI * ROW + LO].get().expect("set before the trampoline is registered");
    // SAFETY: CPython's arguments passed on unchanged to the definition they were meant for.
    unsafe { retag(original(slf, args, kwargs)) }
}

unsafe extern "C" fn noargs<const HI: usize, const LO: usize>(
    slf: *mut ffi::PyObject,
    _args: *const *mut ffi::PyObject,
    nargs: ffi::Py_ssize_t,
    kwnames: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    let (original, name) = NOARGS[HI * ROW + LO].get().expect("set before the trampoline is registered");
    // SAFETY: `kwnames` is null or a tuple (the fastcall convention).
    let keywords = if kwnames.is_null() { 0 } else { unsafe { ffi::PyTuple_GET_SIZE(kwnames) } };
    let given = ffi::PyVectorcall_NARGS(nargs as usize) + keywords;
    if given != 0 {
        // SAFETY: the GIL is held (CPython is calling us).
        let py = unsafe { Python::assume_attached() };
        let err = if given == keywords {
            // SAFETY: a tuple of keyword names (the fastcall convention), borrowed for the call.
            let names = unsafe { Bound::from_borrowed_ptr(py, kwnames) };
            let names: Vec<String> = names.try_iter().into_iter().flatten().flatten().map(|n| n.to_string()).collect();
            fleetops::wire::unknown_options(&names)
        } else {
            fleetops::wire::takes_no_arguments(name, given as usize)
        };
        crate::errors::to_py(err).restore(py);
        return null_mut();
    }
    // SAFETY: a `METH_NOARGS` function takes its instance (or module) and null.
    unsafe { original(slf, null_mut()) }
}

unsafe extern "C" fn new<const LO: usize>(
    ty: *mut ffi::PyTypeObject,
    args: *mut ffi::PyObject,
    kwargs: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    let original = NEW[LO].get().expect("set before the trampoline is registered");
    // SAFETY: CPython's arguments passed on unchanged to the slot they were meant for.
    unsafe { retag(original(ty, args, kwargs)) }
}

macro_rules! row {
    ($f:ident, $hi:literal) => {
        [
            $f::<$hi, 0>,
            $f::<$hi, 1>,
            $f::<$hi, 2>,
            $f::<$hi, 3>,
            $f::<$hi, 4>,
            $f::<$hi, 5>,
            $f::<$hi, 6>,
            $f::<$hi, 7>,
            $f::<$hi, 8>,
            $f::<$hi, 9>,
            $f::<$hi, 10>,
            $f::<$hi, 11>,
            $f::<$hi, 12>,
            $f::<$hi, 13>,
            $f::<$hi, 14>,
            $f::<$hi, 15>,
        ]
    };
}

static FAST_TRAMPOLINES: [[Fast; ROW]; ROWS_FAST] = [
    row!(fast, 0),
    row!(fast, 1),
    row!(fast, 2),
    row!(fast, 3),
    row!(fast, 4),
    row!(fast, 5),
    row!(fast, 6),
    row!(fast, 7),
];
static VARARGS_TRAMPOLINES: [Varargs; ROW] = row!(varargs, 0);
static NOARGS_TRAMPOLINES: [[Fast; ROW]; ROWS_NOARGS] = [row!(noargs, 0), row!(noargs, 1)];
static NEW_TRAMPOLINES: [New; ROW] = [
    new::<0>, new::<1>, new::<2>, new::<3>, new::<4>, new::<5>, new::<6>, new::<7>, new::<8>, new::<9>, new::<10>,
    new::<11>, new::<12>, new::<13>, new::<14>, new::<15>,
];

/// Hands out the trampolines in order.
#[derive(Default)]
struct Registrar {
    fast: usize,
    varargs: usize,
    noargs: usize,
    new: usize,
}

fn too_many(what: &str) -> PyErr {
    crate::errors::to_py(FleetopsError::Internal(format!("more {what} than arity.rs has trampolines for")))
}

/// Stores `original` in the next free slot of `table` and returns the slot's index.
fn claim<T>(table: &[OnceLock<T>], next: &mut usize, original: T, what: &str) -> PyResult<usize> {
    let index = *next;
    let slot = table.get(index).ok_or_else(|| too_many(what))?;
    // Already set only if the module were initialized twice, which pyo3 refuses.
    let _ = slot.set(original);
    *next += 1;
    Ok(index)
}

impl Registrar {
    /// A copy of `def` calling through a trampoline.
    fn wrap(&mut self, def: &ffi::PyMethodDef, qualname: String) -> PyResult<*mut ffi::PyMethodDef> {
        const SHAPE: c_int =
            ffi::METH_VARARGS | ffi::METH_NOARGS | ffi::METH_O | ffi::METH_FASTCALL | ffi::METH_KEYWORDS;
        let binding = def.ml_flags & (ffi::METH_CLASS | ffi::METH_STATIC);
        let (meth, shape) = match def.ml_flags & SHAPE {
            s if s == ffi::METH_FASTCALL | ffi::METH_KEYWORDS => {
                // SAFETY: the flags say which member of the union is set.
                let i = claim(&FAST, &mut self.fast, unsafe { def.ml_meth.PyCFunctionFastWithKeywords }, "functions")?;
                (ffi::PyMethodDefPointer { PyCFunctionFastWithKeywords: FAST_TRAMPOLINES[i / ROW][i % ROW] }, s)
            }
            ffi::METH_NOARGS => {
                // SAFETY: as above.
                let original = (unsafe { def.ml_meth.PyCFunction }, qualname);
                let i = claim(&NOARGS, &mut self.noargs, original, "functions without arguments")?;
                // Checked by the trampoline instead of CPython, which would raise `TypeError`.
                let t = NOARGS_TRAMPOLINES[i / ROW][i % ROW];
                (ffi::PyMethodDefPointer { PyCFunctionFastWithKeywords: t }, ffi::METH_FASTCALL | ffi::METH_KEYWORDS)
            }
            s if s == ffi::METH_VARARGS | ffi::METH_KEYWORDS => {
                // SAFETY: as above.
                let i =
                    claim(&VARARGS, &mut self.varargs, unsafe { def.ml_meth.PyCFunctionWithKeywords }, "**options")?;
                (ffi::PyMethodDefPointer { PyCFunctionWithKeywords: VARARGS_TRAMPOLINES[i] }, s)
            }
            _ => {
                return Err(crate::errors::to_py(FleetopsError::Internal(format!(
                    "{qualname}: a calling convention arity.rs does not wrap"
                ))))
            }
        };
        let wrapped =
            ffi::PyMethodDef { ml_name: def.ml_name, ml_meth: meth, ml_flags: shape | binding, ml_doc: def.ml_doc };
        // Definitions live as long as the functions made from them: the process.
        Ok(Box::leak(Box::new(wrapped)))
    }

    fn wrap_new(&mut self, ty: &Bound<'_, PyType>) -> PyResult<()> {
        let tp = ty.as_type_ptr();
        // SAFETY: a live type object, read and written under the GIL before any instance exists.
        let Some(original) = (unsafe { (*tp).tp_new }) else { return Ok(()) };
        let i = claim(&NEW, &mut self.new, original, "classes")?;
        // SAFETY: as above; PyType_Modified drops caches that may hold the old slot.
        unsafe {
            (*tp).tp_new = Some(NEW_TRAMPOLINES[i]);
            ffi::PyType_Modified(tp);
        }
        Ok(())
    }
}

/// The definition behind a builtin function object.
///
/// # Safety
/// `f` is a `builtin_function_or_method`.
unsafe fn def_of_function<'a>(f: &Bound<'_, PyAny>) -> &'a ffi::PyMethodDef {
    // SAFETY: the caller checked the type; the definition outlives the function.
    unsafe { &*(*f.as_ptr().cast::<ffi::PyCFunctionObject>()).m_ml }
}

/// Puts every export of `m` (its functions, and its classes' methods, class and static methods
/// and constructors) behind a trampoline. Run once, as the module's last step of import.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    let mut reg = Registrar::default();
    let exports: Vec<(String, Bound<'_, PyAny>)> =
        m.dict().iter().map(|(k, v)| Ok((k.extract::<String>()?, v))).collect::<PyResult<_>>()?;
    for (name, value) in exports {
        // SAFETY: reading an object's type pointer.
        if unsafe { ffi::PyCFunction_Check(value.as_ptr()) } != 0 {
            // SAFETY: checked just above.
            let def = unsafe { def_of_function(&value) };
            let wrapped = reg.wrap(def, name.clone())?;
            // SAFETY: a builtin function's fields, read under the GIL.
            let (slf, module) = unsafe {
                let f = &*value.as_ptr().cast::<ffi::PyCFunctionObject>();
                (f.m_self, f.m_module)
            };
            // SAFETY: a valid definition; `slf` and `module` are the original's (borrowed).
            let func = unsafe { Bound::from_owned_ptr_or_err(py, ffi::PyCFunction_NewEx(wrapped, slf, module))? };
            m.setattr(name.as_str(), func)?;
        } else if let Ok(ty) = value.cast::<PyType>() {
            if !ty.is_subclass_of::<pyo3::exceptions::PyBaseException>()? {
                register_class(&mut reg, ty)?;
            }
        }
    }
    Ok(())
}

fn register_class(reg: &mut Registrar, ty: &Bound<'_, PyType>) -> PyResult<()> {
    let py = ty.py();
    let tp = ty.as_type_ptr();
    let class = ty.name()?.to_string();
    // SAFETY: a heap type's own dict (borrowed), alive as long as the type.
    let dict = unsafe { Bound::from_borrowed_ptr(py, (*tp).tp_dict) }.cast_into::<PyDict>()?;
    let members: Vec<(String, Bound<'_, PyAny>)> =
        dict.iter().map(|(k, v)| Ok((k.extract::<String>()?, v))).collect::<PyResult<_>>()?;
    for (name, member) in members {
        let kind = member.get_type().as_type_ptr();
        let qualname = format!("{class}.{name}");
        let (method, classmethod, staticmethod) = (
            kind == &raw mut ffi::PyMethodDescr_Type,
            kind == &raw mut ffi::PyClassMethodDescr_Type,
            kind == &raw mut ffi::PyStaticMethod_Type,
        );
        let replacement = if method || classmethod {
            // SAFETY: a method descriptor's definition outlives it.
            let def = unsafe { &*(*member.as_ptr().cast::<ffi::PyMethodDescrObject>()).d_method };
            let w = reg.wrap(def, qualname)?;
            // SAFETY: a valid definition for this type.
            unsafe {
                if method {
                    ffi::PyDescr_NewMethod(tp, w)
                } else {
                    ffi::PyDescr_NewClassMethod(tp, w)
                }
            }
        } else if staticmethod {
            let func = member.getattr("__func__")?;
            // SAFETY: pyo3 makes a static method from a builtin function.
            if unsafe { ffi::PyCFunction_Check(func.as_ptr()) } == 0 {
                continue;
            }
            // SAFETY: checked just above.
            let def = unsafe { def_of_function(&func) };
            let w = reg.wrap(def, qualname)?;
            // SAFETY: a valid definition with no `self`; the new function is then owned.
            let inner = unsafe { Bound::from_owned_ptr_or_err(py, ffi::PyCFunction_NewEx(w, null_mut(), null_mut()))? };
            // SAFETY: wraps the function (a new reference).
            unsafe { ffi::PyStaticMethod_New(inner.as_ptr()) }
        } else {
            continue;
        };
        // SAFETY: a new reference or null with an error set.
        let replacement = unsafe { Bound::from_owned_ptr_or_err(py, replacement)? };
        dict.set_item(name, replacement)?;
    }
    reg.wrap_new(ty)?;
    // SAFETY: the type's dict changed under it; drop its attribute caches.
    unsafe { ffi::PyType_Modified(tp) };
    Ok(())
}
