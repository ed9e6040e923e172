//! Core results straight to Python objects through serde: the objects the result's JSON
//! (`serde_json::to_value`, the form Node's results take) reads as, without building the JSON
//! in between (its ordered maps, hashed keys and strings were most of a small call's time). The rules are
//! serde_json's, so Python and Node still see the same data: a non-finite float is `None`, an
//! integer past `i64::MAX` a float, map keys strings (integers and unit variants written out),
//! enums externally tagged, bytes a list of ints.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use fleetops::native::{name_id, AddressHasher, ConvertError as Error};

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};
use serde::ser::{self, Serialize};

/// Python strings by the address and length of the `&'static str` they were made from.
type Names = HashMap<(usize, usize), Py<PyString>, BuildHasherDefault<AddressHasher>>;

/// A field or variant name as a Python string, made once per name and thread: serde's names
/// are `&'static str`, so their address and length identify them (interning anew on every
/// call was a third of a small call's time).
fn name<'py>(py: Python<'py>, name: &'static str) -> Bound<'py, PyString> {
    thread_local! {
        static NAMES: RefCell<Names> = RefCell::new(HashMap::default());
    }
    NAMES.with(|names| {
        names.borrow_mut().entry(name_id(name)).or_insert_with(|| PyString::intern(py, name).unbind()).bind(py).clone()
    })
}

/// A Python error met while converting, as the conversion's error.
fn py_err(e: PyErr) -> Error {
    Error(e.to_string())
}

type Out<'py> = Result<Bound<'py, PyAny>, Error>;

/// `value` as plain Python objects (dict, list, str, int, float, bool, None).
pub fn to_py<'py, T: Serialize + ?Sized>(py: Python<'py>, value: &T) -> PyResult<Bound<'py, PyAny>> {
    value
        .serialize(Ser { py })
        .map_err(|e| crate::errors::to_py(fleetops::FleetopsError::Internal(format!("a result did not convert: {e}"))))
}

#[derive(Clone, Copy)]
struct Ser<'py> {
    py: Python<'py>,
}

impl<'py> Ser<'py> {
    fn obj<T>(self, v: T) -> Out<'py>
    where
        T: IntoPyObject<'py, Output = Bound<'py, <T as IntoPyObject<'py>>::Target>>,
    {
        Ok(v.into_pyobject(self.py).map_err(|e| py_err(e.into()))?.into_any())
    }

    fn tagged(self, variant: &'static str, value: Bound<'py, PyAny>) -> Out<'py> {
        let dict = PyDict::new(self.py);
        dict.set_item(name(self.py, variant), value).map_err(py_err)?;
        Ok(dict.into_any())
    }
}

/// Elements of a sequence, then the list (tagged with `variant` for a tuple variant).
struct Seq<'py> {
    ser: Ser<'py>,
    items: Vec<Bound<'py, PyAny>>,
    variant: Option<&'static str>,
}

/// Entries of a map, then the dict.
struct Map<'py> {
    ser: Ser<'py>,
    dict: Bound<'py, PyDict>,
    key: Option<Bound<'py, PyAny>>,
}

/// Fields of a struct, then its dict (tagged with `variant` for a struct variant).
struct Struct<'py> {
    ser: Ser<'py>,
    name: &'static str,
    fields: Vec<(&'static str, Bound<'py, PyAny>)>,
    variant: Option<&'static str>,
}

/// A struct's dict as first seen: its keys in order, and a dict of those keys (all `None`) to
/// copy. Copying a dict of the same keys and replacing its values costs a third of inserting
/// each key into a fresh dict, which grows twice on the way to a dozen keys.
struct Shape {
    ids: Vec<(usize, usize)>,
    keys: Vec<Py<PyString>>,
    template: Py<PyDict>,
}

/// Shapes by the struct's name. Names are `&'static str`, one per type, so this holds one
/// entry per struct type the bindings return: bounded by the code, not by the data. Two types
/// whose names the linker merged share an entry; `Struct::dict` checks every key.
type Shapes = HashMap<(usize, usize), Shape, BuildHasherDefault<AddressHasher>>;

impl<'py> ser::Serializer for Ser<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    type SerializeSeq = Seq<'py>;
    type SerializeTuple = Seq<'py>;
    type SerializeTupleStruct = Seq<'py>;
    type SerializeTupleVariant = Seq<'py>;
    type SerializeMap = Map<'py>;
    type SerializeStruct = Struct<'py>;
    type SerializeStructVariant = Struct<'py>;

    fn serialize_bool(self, v: bool) -> Out<'py> {
        Ok(pyo3::types::PyBool::new(self.py, v).to_owned().into_any())
    }
    fn serialize_i8(self, v: i8) -> Out<'py> {
        self.obj(v)
    }
    fn serialize_i16(self, v: i16) -> Out<'py> {
        self.obj(v)
    }
    fn serialize_i32(self, v: i32) -> Out<'py> {
        self.obj(v)
    }
    fn serialize_i64(self, v: i64) -> Out<'py> {
        self.obj(v)
    }
    fn serialize_i128(self, v: i128) -> Out<'py> {
        match i64::try_from(v) {
            Ok(i) => self.obj(i),
            Err(_) => self.serialize_u128(u128::try_from(v).map_err(|_| Error("an i128 below i64::MIN".into()))?),
        }
    }
    fn serialize_u8(self, v: u8) -> Out<'py> {
        self.obj(v)
    }
    fn serialize_u16(self, v: u16) -> Out<'py> {
        self.obj(v)
    }
    fn serialize_u32(self, v: u32) -> Out<'py> {
        self.obj(v)
    }
    fn serialize_u64(self, v: u64) -> Out<'py> {
        // As a JSON number reads: an int when it fits i64, else the float.
        match i64::try_from(v) {
            Ok(i) => self.obj(i),
            Err(_) => self.obj(v as f64),
        }
    }
    fn serialize_u128(self, v: u128) -> Out<'py> {
        self.serialize_u64(u64::try_from(v).map_err(|_| Error("a u128 past u64::MAX".into()))?)
    }
    fn serialize_f32(self, v: f32) -> Out<'py> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Out<'py> {
        // JSON has no NaN or infinity: serde_json writes null.
        if v.is_finite() {
            self.obj(v)
        } else {
            self.serialize_unit()
        }
    }
    fn serialize_char(self, v: char) -> Out<'py> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Out<'py> {
        Ok(PyString::new(self.py, v).into_any())
    }
    fn serialize_bytes(self, v: &[u8]) -> Out<'py> {
        Ok(PyList::new(self.py, v).map_err(py_err)?.into_any())
    }
    fn serialize_none(self) -> Out<'py> {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Out<'py> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Out<'py> {
        Ok(self.py.None().into_bound(self.py))
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Out<'py> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _name: &'static str, _index: u32, variant: &'static str) -> Out<'py> {
        Ok(name(self.py, variant).into_any())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _name: &'static str, value: &T) -> Out<'py> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Out<'py> {
        let inner = value.serialize(self)?;
        self.tagged(variant, inner)
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Seq<'py>, Error> {
        Ok(Seq { ser: self, items: Vec::with_capacity(len.unwrap_or(0)), variant: None })
    }
    fn serialize_tuple(self, len: usize) -> Result<Seq<'py>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Seq<'py>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Seq<'py>, Error> {
        Ok(Seq { ser: self, items: Vec::with_capacity(len), variant: Some(variant) })
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Map<'py>, Error> {
        Ok(Map { ser: self, dict: PyDict::new(self.py), key: None })
    }
    fn serialize_struct(self, name: &'static str, len: usize) -> Result<Struct<'py>, Error> {
        Ok(Struct { ser: self, name, fields: Vec::with_capacity(len), variant: None })
    }
    fn serialize_struct_variant(
        self,
        name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Struct<'py>, Error> {
        Ok(Struct { ser: self, name, fields: Vec::with_capacity(len), variant: Some(variant) })
    }
}

impl<'py> Seq<'py> {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.items.push(value.serialize(self.ser)?);
        Ok(())
    }
    fn done(self) -> Out<'py> {
        let list = PyList::new(self.ser.py, self.items).map_err(py_err)?.into_any();
        match self.variant {
            Some(v) => self.ser.tagged(v, list),
            None => Ok(list),
        }
    }
}

/// The four sequence traits serde splits a list into, each pushing onto the [`Seq`].
macro_rules! seq_impls {
    ($($trait:ident :: $method:ident),*) => {$(
        impl<'py> ser::$trait for Seq<'py> {
            type Ok = Bound<'py, PyAny>;
            type Error = Error;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
                self.push(value)
            }
            fn end(self) -> Out<'py> {
                self.done()
            }
        }
    )*};
}
seq_impls!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl<'py> Struct<'py> {
    fn field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Error> {
        self.fields.push((key, value.serialize(self.ser)?));
        Ok(())
    }
    fn done(self) -> Out<'py> {
        let dict = self.dict().map_err(py_err)?.into_any();
        match self.variant {
            Some(v) => self.ser.tagged(v, dict),
            None => Ok(dict),
        }
    }
    /// The fields as a dict: a copy of the shape's template when the keys are the shape's,
    /// in order (a field skipped this time, or another type of the same name, builds afresh).
    fn dict(&self) -> PyResult<Bound<'py, PyDict>> {
        thread_local! {
            static SHAPES: RefCell<Shapes> = RefCell::new(HashMap::default());
        }
        let py = self.ser.py;
        SHAPES.with(|shapes| {
            let mut shapes = shapes.borrow_mut();
            // A struct variant's shape is its variant's: the enum's name is every variant's.
            let id = name_id(self.variant.unwrap_or(self.name));
            let shape = shapes.get(&id);
            if let Some(shape) = shape.filter(|s| s.ids.iter().copied().eq(self.fields.iter().map(|(k, _)| name_id(k))))
            {
                let dict = shape.template.bind(py).copy()?;
                for (key, (_, value)) in shape.keys.iter().zip(&self.fields) {
                    dict.set_item(key.bind(py), value)?;
                }
                return Ok(dict);
            }
            let dict = PyDict::new(py);
            for (key, value) in &self.fields {
                dict.set_item(name(py, key), value)?;
            }
            if shape.is_none() {
                let keys: Vec<Py<PyString>> = self.fields.iter().map(|(k, _)| name(py, k).unbind()).collect();
                let template = PyDict::new(py);
                for key in &keys {
                    template.set_item(key.bind(py), py.None())?;
                }
                let ids = self.fields.iter().map(|(k, _)| name_id(k)).collect();
                shapes.insert(id, Shape { ids, keys, template: template.unbind() });
            }
            Ok(dict)
        })
    }
}

impl<'py> Map<'py> {
    fn done(self) -> Out<'py> {
        Ok(self.dict.into_any())
    }
}

impl<'py> ser::SerializeMap for Map<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        let text = fleetops::native::map_key(key)?;
        self.key = Some(PyString::new(self.ser.py, &text).into_any());
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let key = self.key.take().ok_or_else(|| Error("a map value without its key".into()))?;
        self.dict.set_item(key, value.serialize(self.ser)?).map_err(py_err)?;
        Ok(())
    }
    fn end(self) -> Out<'py> {
        self.done()
    }
}

/// Struct fields go in as dict entries, for a plain struct and a struct variant alike.
macro_rules! struct_impls {
    ($($trait:ident),*) => {$(
        impl<'py> ser::$trait for Struct<'py> {
            type Ok = Bound<'py, PyAny>;
            type Error = Error;
            fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Error> {
                self.field(key, value)
            }
            fn end(self) -> Out<'py> {
                self.done()
            }
        }
    )*};
}
struct_impls!(SerializeStruct, SerializeStructVariant);
