//! Core results straight to JavaScript values through serde: the values the result's JSON
//! (`serde_json::to_value`) converts to with its keys renamed, without building that JSON and a
//! renamed copy first (they were half of a small call's time). serde_json's rules hold: a
//! non-finite float is `null`, map keys are strings, and an integer past 2^53 is a BigInt (as
//! napi converts a JSON number). Object keys are camelCase, except under a field whose keys are
//! data (`fleetops::schema::data_keyed_fields`), where nothing is renamed.
//! Python's counterpart is `bindings-python/src/pyser.rs`; the differential test holds them
//! equal.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ffi::CString;
use std::hash::{BuildHasherDefault, Hasher};
use std::ptr;

use fleetops::native::{name_id, AddressHasher, ConvertError as Error};
use napi::bindgen_prelude::{ToNapiValue, TypeName, ValueType};
use napi::sys::{self, napi_env, napi_value};
use serde::ser::{self, Serialize};

/// A core result, converted to JavaScript when napi hands it over: what exports return.
pub struct Js(Box<dyn FnOnce(napi_env) -> Result<napi_value, Error>>);

impl Js {
    /// Holds `value` until napi asks for its JavaScript form.
    pub fn new<T: Serialize + 'static>(value: T) -> Self {
        Self(Box::new(move |env| value.serialize(Ser { env, rename: true })))
    }
}

impl ToNapiValue for Js {
    unsafe fn to_napi_value(env: napi_env, value: Self) -> napi::Result<napi_value> {
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| (value.0)(env))) {
            Ok(Ok(v)) => Ok(v),
            // Results convert by construction; should one not, it is the core's INTERNAL error,
            // thrown here as the export's guard would have thrown it.
            Ok(Err(Error(why))) => Err(internal(env, &format!("a result did not convert: {why}"))),
            Err(_) => Err(internal(env, "a result's conversion panicked")),
        }
    }
}

impl TypeName for Js {
    fn type_name() -> &'static str {
        "Object"
    }
    fn value_type() -> ValueType {
        ValueType::Object
    }
}

/// Throws an `INTERNAL` error and tells napi one is pending.
fn internal(env: napi_env, message: &str) -> napi::Error {
    let err = fleetops::FleetopsError::Internal(message.to_owned());
    let (code, msg) = (CString::new(err.code()).unwrap_or_default(), CString::new(err.to_string()).unwrap_or_default());
    // SAFETY: `env` is the live handle of this conversion; the strings outlive the calls.
    unsafe {
        let (mut c, mut m, mut e) = (ptr::null_mut(), ptr::null_mut(), ptr::null_mut());
        sys::napi_create_string_utf8(env, code.as_ptr(), code.as_bytes().len() as isize, &mut c);
        sys::napi_create_string_utf8(env, msg.as_ptr(), msg.as_bytes().len() as isize, &mut m);
        sys::napi_create_error(env, c, m, &mut e);
        sys::napi_throw(env, e);
    }
    napi::Error::new(napi::Status::PendingException, message.to_owned())
}

type Out = Result<napi_value, Error>;

/// A napi call's status as a result.
fn ok(status: sys::napi_status, what: &str) -> Result<(), Error> {
    if status == sys::Status::napi_ok {
        Ok(())
    } else {
        Err(Error(format!("napi could not {what} (status {status})")))
    }
}

/// A field or variant name as JavaScript writes it, NUL-terminated, and whether its value's
/// keys are data.
struct Name {
    text: CString,
    data: bool,
}

/// Names by the address and length of the `&'static str` they come from, and the renaming.
type Names = HashMap<(usize, usize, bool), Name, BuildHasherDefault<AddressHasher>>;

/// Runs `f` on `name` as JavaScript writes it (camelCase when `rename`): made once per name and
/// thread, as serde's names are `&'static str` (their address and length identify them).
fn with_name<R>(name: &'static str, rename: bool, f: impl FnOnce(&Name) -> R) -> R {
    thread_local! {
        static NAMES: RefCell<Names> = RefCell::new(HashMap::default());
    }
    NAMES.with(|names| {
        let mut names = names.borrow_mut();
        let (at, len) = name_id(name);
        let entry = names.entry((at, len, rename)).or_insert_with(|| {
            let text = if rename { fleetops::wire::camel_name(name) } else { name.to_owned() };
            let data = fleetops::schema::data_keyed_fields().contains(name);
            Name { text: CString::new(text).unwrap_or_default(), data }
        });
        f(entry)
    })
}

#[derive(Clone, Copy)]
struct Ser {
    env: napi_env,
    /// Whether object keys become camelCase here (not under a data-keyed field).
    rename: bool,
}

impl Ser {
    fn null(self) -> Out {
        let mut v = ptr::null_mut();
        // SAFETY: `env` is live for the conversion (here and in every call below).
        ok(unsafe { sys::napi_get_null(self.env, &mut v) }, "make null")?;
        Ok(v)
    }
    fn int(self, v: i64) -> Out {
        const SAFE: i64 = (1 << 53) - 1;
        let mut out = ptr::null_mut();
        if (-SAFE..=SAFE).contains(&v) {
            ok(unsafe { sys::napi_create_int64(self.env, v, &mut out) }, "make a number")?;
        } else {
            ok(unsafe { sys::napi_create_bigint_int64(self.env, v, &mut out) }, "make a BigInt")?;
        }
        Ok(out)
    }
    fn string(self, s: &str) -> Out {
        let mut v = ptr::null_mut();
        ok(
            unsafe { sys::napi_create_string_utf8(self.env, s.as_ptr().cast(), s.len() as isize, &mut v) },
            "make a string",
        )?;
        Ok(v)
    }
    fn object(self) -> Out {
        let mut v = ptr::null_mut();
        ok(unsafe { sys::napi_create_object(self.env, &mut v) }, "make an object")?;
        Ok(v)
    }
    /// How to serialize the value under a map key `name`: nothing renamed under data keys.
    fn child(self, name: &str) -> Ser {
        Ser { rename: self.rename && !fleetops::schema::data_keyed_fields().contains(name), ..self }
    }
    /// How to serialize the value under a field or variant `name` (cached: see [`with_name`]).
    fn field_child(self, name: &'static str) -> Ser {
        Ser { rename: self.rename && !with_name(name, self.rename, |n| n.data), ..self }
    }
    fn tagged(self, variant: &'static str, value: napi_value) -> Out {
        let object = self.object()?;
        let status = with_name(variant, self.rename, |n| unsafe {
            sys::napi_set_named_property(self.env, object, n.text.as_ptr(), value)
        });
        ok(status, "set a property")?;
        Ok(object)
    }
}

/// Elements of a sequence, then the array (tagged with `variant` for a tuple variant, by the
/// serializer of the object around it).
struct Seq {
    ser: Ser,
    items: Vec<napi_value>,
    variant: Option<(&'static str, Ser)>,
}

/// Entries of a map or struct, then the object (tagged with `variant` for a struct variant): a
/// struct's made by a factory function for its fields, a map's defined in one napi call.
struct Map {
    ser: Ser,
    /// A struct's field names and values.
    names: Vec<&'static str>,
    values: Vec<napi_value>,
    /// A map's entries.
    props: Vec<sys::napi_property_descriptor>,
    /// A map entry's key, renamed as the map's keys are, and how to serialize its value.
    key: Option<(napi_value, Ser)>,
    variant: Option<(&'static str, Ser)>,
}

impl ser::Serializer for Ser {
    type Ok = napi_value;
    type Error = Error;
    type SerializeSeq = Seq;
    type SerializeTuple = Seq;
    type SerializeTupleStruct = Seq;
    type SerializeTupleVariant = Seq;
    type SerializeMap = Map;
    type SerializeStruct = Map;
    type SerializeStructVariant = Map;

    fn serialize_bool(self, v: bool) -> Out {
        let mut out = ptr::null_mut();
        ok(unsafe { sys::napi_get_boolean(self.env, v, &mut out) }, "make a boolean")?;
        Ok(out)
    }
    fn serialize_i8(self, v: i8) -> Out {
        self.int(i64::from(v))
    }
    fn serialize_i16(self, v: i16) -> Out {
        self.int(i64::from(v))
    }
    fn serialize_i32(self, v: i32) -> Out {
        self.int(i64::from(v))
    }
    fn serialize_i64(self, v: i64) -> Out {
        self.int(v)
    }
    fn serialize_i128(self, v: i128) -> Out {
        match i64::try_from(v) {
            Ok(i) => self.int(i),
            Err(_) => self.serialize_u128(u128::try_from(v).map_err(|_| Error("an i128 below i64::MIN".into()))?),
        }
    }
    fn serialize_u8(self, v: u8) -> Out {
        self.int(i64::from(v))
    }
    fn serialize_u16(self, v: u16) -> Out {
        self.int(i64::from(v))
    }
    fn serialize_u32(self, v: u32) -> Out {
        self.int(i64::from(v))
    }
    fn serialize_u64(self, v: u64) -> Out {
        match i64::try_from(v) {
            Ok(i) => self.int(i),
            Err(_) => {
                let mut out = ptr::null_mut();
                ok(unsafe { sys::napi_create_bigint_uint64(self.env, v, &mut out) }, "make a BigInt")?;
                Ok(out)
            }
        }
    }
    fn serialize_u128(self, v: u128) -> Out {
        self.serialize_u64(u64::try_from(v).map_err(|_| Error("a u128 past u64::MAX".into()))?)
    }
    fn serialize_f32(self, v: f32) -> Out {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Out {
        // JSON has no NaN or infinity: serde_json writes null.
        if !v.is_finite() {
            return self.null();
        }
        let mut out = ptr::null_mut();
        ok(unsafe { sys::napi_create_double(self.env, v, &mut out) }, "make a number")?;
        Ok(out)
    }
    fn serialize_char(self, v: char) -> Out {
        self.string(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Out {
        self.string(v)
    }
    fn serialize_bytes(self, v: &[u8]) -> Out {
        let mut seq = ser::Serializer::serialize_seq(self, Some(v.len()))?;
        for b in v {
            ser::SerializeSeq::serialize_element(&mut seq, b)?;
        }
        ser::SerializeSeq::end(seq)
    }
    fn serialize_none(self) -> Out {
        self.null()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Out {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Out {
        self.null()
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Out {
        self.null()
    }
    fn serialize_unit_variant(self, _name: &'static str, _index: u32, variant: &'static str) -> Out {
        self.string(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _name: &'static str, value: &T) -> Out {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Out {
        let inner = value.serialize(self.field_child(variant))?;
        self.tagged(variant, inner)
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Seq, Error> {
        Ok(Seq { ser: self, items: Vec::with_capacity(len.unwrap_or(0)), variant: None })
    }
    fn serialize_tuple(self, len: usize) -> Result<Seq, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Seq, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Seq, Error> {
        Ok(Seq { ser: self.field_child(variant), items: Vec::with_capacity(len), variant: Some((variant, self)) })
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Map, Error> {
        Ok(Map::new(self, 0, None))
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Map, Error> {
        Ok(Map::new(self, len, None))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Map, Error> {
        Ok(Map::new(self.field_child(variant), 0, Some((variant, self))))
    }
}

impl Seq {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.items.push(value.serialize(self.ser)?);
        Ok(())
    }
    fn done(self) -> Out {
        let env = self.ser.env;
        let mut array = ptr::null_mut();
        ok(unsafe { sys::napi_create_array_with_length(env, self.items.len(), &mut array) }, "make an array")?;
        for (i, item) in self.items.into_iter().enumerate() {
            let i = u32::try_from(i).map_err(|_| Error("an array past 2^32 elements".into()))?;
            ok(unsafe { sys::napi_set_element(env, array, i, item) }, "set an element")?;
        }
        match self.variant {
            Some((v, outer)) => outer.tagged(v, array),
            None => Ok(array),
        }
    }
}

/// The four sequence traits serde splits a list into, each pushing onto the [`Seq`].
macro_rules! seq_impls {
    ($($trait:ident :: $method:ident),*) => {$(
        impl ser::$trait for Seq {
            type Ok = napi_value;
            type Error = Error;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
                self.push(value)
            }
            fn end(self) -> Out {
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

/// The most factory functions one thread keeps (a struct's shape differs with each set of
/// optional fields it skips); past it, objects are made property by property.
const MAX_FACTORIES: usize = 4_096;

/// One factory function: `(a0, a1, ...) => ({key0: a0, key1: a1, ...})` for a struct's fields.
struct Factory {
    env: usize,
    rename: bool,
    names: Vec<(usize, usize)>,
    func: sys::napi_ref,
}

/// The factory making an object of struct fields `names` (as `ser` writes them), compiled once
/// per shape, env and thread: V8 builds an object literal of a known shape far faster than it
/// adds properties one by one (a tenth of the instructions for an 11-field result). `None` for
/// no fields, or past [`MAX_FACTORIES`].
fn factory(ser: Ser, names: &[&'static str]) -> Result<Option<napi_value>, Error> {
    thread_local! {
        static FACTORIES: RefCell<HashMap<u64, Vec<Factory>, BuildHasherDefault<AddressHasher>>> =
            RefCell::new(HashMap::default());
    }
    if names.is_empty() {
        return Ok(None);
    }
    let mut h = AddressHasher::default();
    h.write_usize(ser.env as usize);
    h.write_u64(u64::from(ser.rename));
    for &n in names {
        let (at, len) = name_id(n);
        h.write_usize(at);
        h.write_usize(len);
    }
    let hash = h.finish();
    let same = |f: &Factory| {
        f.env == ser.env as usize
            && f.rename == ser.rename
            && f.names.len() == names.len()
            && f.names.iter().zip(names).all(|(&id, &n)| id == name_id(n))
    };
    let found =
        FACTORIES.with(|all| all.borrow().get(&hash).and_then(|fs| fs.iter().find(|f| same(f)).map(|f| f.func)));
    let func = match found {
        Some(func) => func,
        None => {
            let full = FACTORIES.with(|all| all.borrow().values().map(Vec::len).sum::<usize>() >= MAX_FACTORIES);
            if full {
                return Ok(None);
            }
            let Some(func) = compile(ser, names) else {
                return Ok(None);
            };
            let factory = Factory {
                env: ser.env as usize,
                rename: ser.rename,
                names: names.iter().map(|&n| name_id(n)).collect(),
                func,
            };
            FACTORIES.with(|all| all.borrow_mut().entry(hash).or_default().push(factory));
            func
        }
    };
    let mut value = ptr::null_mut();
    ok(unsafe { sys::napi_get_reference_value(ser.env, func, &mut value) }, "read a result's factory")?;
    Ok(Some(value))
}

/// Compiles the factory for struct fields `names` and keeps it alive (a reference never
/// deleted: it lives as long as its env). `None` where the env compiles no code (objects are
/// then made property by property), its exception cleared.
fn compile(ser: Ser, names: &[&'static str]) -> Option<sys::napi_ref> {
    let props: Vec<String> = names
        .iter()
        .enumerate()
        .map(|(i, &name)| {
            let key = with_name(name, ser.rename, |n| n.text.to_string_lossy().into_owned());
            // A JSON string is a JavaScript string literal.
            format!("{}:a{i}", serde_json::Value::String(key))
        })
        .collect();
    let params: Vec<String> = (0..names.len()).map(|i| format!("a{i}")).collect();
    let source = format!("(function({}){{return {{{}}}}})", params.join(","), props.join(","));
    let script = ser.string(&source).ok()?;
    let (mut func, mut reference) = (ptr::null_mut(), ptr::null_mut());
    // SAFETY: `env` is live for the conversion.
    unsafe {
        if sys::napi_run_script(ser.env, script, &mut func) != sys::Status::napi_ok {
            let mut pending = false;
            sys::napi_is_exception_pending(ser.env, &mut pending);
            if pending {
                let mut exception = ptr::null_mut();
                sys::napi_get_and_clear_last_exception(ser.env, &mut exception);
            }
            return None;
        }
        (sys::napi_create_reference(ser.env, func, 1, &mut reference) == sys::Status::napi_ok).then_some(reference)
    }
}

/// A data property: writable, enumerable and configurable, as an assignment makes it.
fn property(utf8name: *const std::ffi::c_char, name: napi_value, value: napi_value) -> sys::napi_property_descriptor {
    use sys::PropertyAttributes::{configurable, enumerable, writable};
    sys::napi_property_descriptor {
        utf8name,
        name,
        method: None,
        getter: None,
        setter: None,
        value,
        attributes: writable | enumerable | configurable,
        data: ptr::null_mut(),
    }
}

impl Map {
    fn new(ser: Ser, fields: usize, variant: Option<(&'static str, Ser)>) -> Self {
        Self {
            ser,
            names: Vec::with_capacity(fields),
            values: Vec::with_capacity(fields),
            props: Vec::new(),
            key: None,
            variant,
        }
    }
    fn field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Error> {
        self.values.push(value.serialize(self.ser.field_child(key))?);
        self.names.push(key);
        Ok(())
    }
    fn done(self) -> Out {
        let object = match factory(self.ser, &self.names)? {
            Some(make) => {
                let mut object = ptr::null_mut();
                let status = unsafe {
                    let mut undefined = ptr::null_mut();
                    sys::napi_get_undefined(self.ser.env, &mut undefined);
                    sys::napi_call_function(
                        self.ser.env,
                        undefined,
                        make,
                        self.values.len(),
                        self.values.as_ptr(),
                        &mut object,
                    )
                };
                ok(status, "call a result's factory")?;
                object
            }
            None => {
                // A map, or a struct past the factories kept: each property defined, in one call.
                let mut props = self.props;
                for (&name, &value) in self.names.iter().zip(&self.values) {
                    // The C string stays in the thread's name cache (never removed).
                    props.push(property(with_name(name, self.ser.rename, |n| n.text.as_ptr()), ptr::null_mut(), value));
                }
                let object = self.ser.object()?;
                if !props.is_empty() {
                    let status =
                        unsafe { sys::napi_define_properties(self.ser.env, object, props.len(), props.as_ptr()) };
                    ok(status, "define properties")?;
                }
                object
            }
        };
        match self.variant {
            Some((v, outer)) => outer.tagged(v, object),
            None => Ok(object),
        }
    }
}

impl ser::SerializeMap for Map {
    type Ok = napi_value;
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        let text = fleetops::native::map_key(key)?;
        let (name, value_ser) =
            if self.ser.rename { (fleetops::wire::camel_name(&text), self.ser.child(&text)) } else { (text, self.ser) };
        self.key = Some((self.ser.string(&name)?, value_ser));
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let (key, ser) = self.key.take().ok_or_else(|| Error("a map value without its key".into()))?;
        let value = value.serialize(ser)?;
        self.props.push(property(ptr::null(), key, value));
        Ok(())
    }
    fn end(self) -> Out {
        self.done()
    }
}

/// Struct fields go in as properties, for a plain struct and a struct variant alike.
macro_rules! struct_impls {
    ($($trait:ident),*) => {$(
        impl ser::$trait for Map {
            type Ok = napi_value;
            type Error = Error;
            fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Error> {
                self.field(key, value)
            }
            fn end(self) -> Out {
                self.done()
            }
        }
    )*};
}
struct_impls!(SerializeStruct, SerializeStructVariant);
