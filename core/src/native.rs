//! What both bindings need to turn a core result into native objects the way serde_json would
//! (so Python and Node see the same data): a map key as serde_json writes it, and a hasher for
//! the `&'static str` names serde hands out, which the bindings cache native strings by.

use std::hash::Hasher;

use serde::ser::{self, Impossible, Serialize};

/// A map key as serde_json writes it: strings and chars as they are, integers and unit
/// variants written out; anything else is an error naming what it was.
pub fn map_key<T: Serialize + ?Sized>(key: &T) -> Result<String, ConvertError> {
    key.serialize(KeyText)
}

/// Hashes the address and length of a `&'static str` (or a few such words): one multiply a
/// word, as the keys are addresses, not an attacker's data.
#[derive(Debug, Default, Clone, Copy)]
pub struct AddressHasher(u64);

impl Hasher for AddressHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        bytes.iter().for_each(|&b| self.write_u64(u64::from(b)));
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0 ^ n).wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(29);
    }
}

/// A `&'static str`'s identity: its address and length (two names may share an address when
/// one is the other's prefix).
pub fn name_id(name: &'static str) -> (usize, usize) {
    (name.as_ptr() as usize, name.len())
}

/// Why a result did not convert to native objects (results convert by construction: the
/// bindings report one as `INTERNAL`).
#[derive(Debug)]
pub struct ConvertError(pub String);

impl std::fmt::Display for ConvertError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConvertError {}

impl ser::Error for ConvertError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Self(msg.to_string())
    }
}

struct KeyText;

type Key = Result<String, ConvertError>;

fn refuse<T>(what: &str) -> Result<T, ConvertError> {
    Err(ConvertError(format!("a map key must be a string, not {what}")))
}

macro_rules! integer_keys {
    ($($method:ident: $t:ty),*) => {$(
        fn $method(self, v: $t) -> Key {
            Ok(v.to_string())
        }
    )*};
}

impl ser::Serializer for KeyText {
    type Ok = String;
    type Error = ConvertError;
    type SerializeSeq = Impossible<String, ConvertError>;
    type SerializeTuple = Impossible<String, ConvertError>;
    type SerializeTupleStruct = Impossible<String, ConvertError>;
    type SerializeTupleVariant = Impossible<String, ConvertError>;
    type SerializeMap = Impossible<String, ConvertError>;
    type SerializeStruct = Impossible<String, ConvertError>;
    type SerializeStructVariant = Impossible<String, ConvertError>;

    integer_keys!(serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64, serialize_i128: i128,
        serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64, serialize_u128: u128);

    fn serialize_str(self, v: &str) -> Key {
        Ok(v.to_owned())
    }
    fn serialize_char(self, v: char) -> Key {
        Ok(v.to_string())
    }
    fn serialize_unit_variant(self, _name: &'static str, _index: u32, variant: &'static str) -> Key {
        Ok(variant.to_owned())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _name: &'static str, value: &T) -> Key {
        value.serialize(self)
    }
    fn serialize_bool(self, _v: bool) -> Key {
        refuse("a bool")
    }
    fn serialize_f32(self, _v: f32) -> Key {
        refuse("a float")
    }
    fn serialize_f64(self, _v: f64) -> Key {
        refuse("a float")
    }
    fn serialize_bytes(self, _v: &[u8]) -> Key {
        refuse("bytes")
    }
    fn serialize_none(self) -> Key {
        refuse("none")
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Key {
        refuse("an option")
    }
    fn serialize_unit(self) -> Key {
        refuse("a unit")
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Key {
        refuse("a unit struct")
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Key {
        refuse("an enum with data")
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, ConvertError> {
        refuse("a sequence")
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, ConvertError> {
        refuse("a tuple")
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, ConvertError> {
        refuse("a tuple")
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, ConvertError> {
        refuse("an enum with data")
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, ConvertError> {
        refuse("a map")
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Self::SerializeStruct, ConvertError> {
        refuse("a struct")
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, ConvertError> {
        refuse("an enum with data")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_keys_are_what_serde_json_writes() {
        #[derive(serde::Serialize)]
        enum Level {
            Warn,
        }
        assert_eq!(map_key("trips").unwrap(), "trips");
        assert_eq!(map_key(&42u64).unwrap(), "42");
        assert_eq!(map_key(&-7i32).unwrap(), "-7");
        assert_eq!(map_key(&'x').unwrap(), "x");
        assert_eq!(map_key(&Level::Warn).unwrap(), "Warn");
        assert!(map_key(&1.5f64).unwrap_err().0.contains("a float"));
        assert!(map_key(&true).unwrap_err().0.contains("a bool"));
        // serde_json agrees on every accepted one.
        let mut m = std::collections::BTreeMap::new();
        m.insert(42u64, 1);
        assert_eq!(serde_json::to_value(&m).unwrap(), serde_json::json!({"42": 1}));
    }
}
