//! Options from any language: [`Plain`], the value both bindings turn a native options
//! argument into (a Python dict of keyword arguments, a JavaScript options object), and
//! [`parse`], the one serde path from it into the core's spec types and their defaults.
//!
//! Unlike JSON, a `Plain` carries NaN and the infinities, so they reach the spec's own checks
//! (and their codes: `INVALID_COUNT`, `INVALID_DURATION`, ...) from Python and from Node alike.
//! A whole float within 2^53 reads as the integer it is: JavaScript has no other kind of
//! integer, so `5.0` and `5` are the same count in both languages.

use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};

use crate::error::{FleetopsError, Result};

/// Plain data: what an options argument is made of in every language.
#[derive(Debug, Clone, PartialEq)]
pub enum Plain {
    /// `None` / `null` (and JavaScript's `undefined`): "not given".
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer (Python `int`) below zero or up to `i64::MAX`.
    Int(i64),
    /// An integer past `i64::MAX`.
    UInt(u64),
    /// A float, NaN and infinities included.
    Float(f64),
    /// A string (durations such as `45m`, instants as ISO-8601).
    Text(String),
    /// A list or tuple.
    List(Vec<Plain>),
    /// A mapping with string keys, in the caller's order.
    Map(Vec<(String, Plain)>),
}

/// How field names are written in the messages: as Python (`max_keys`) or Node (`maxKeys`)
/// spells them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// `snake_case`, as the core and Python.
    Snake,
    /// `camelCase`, as Node.
    Camel,
}

/// Reads a spec type from plain data: a wrong type is `INVALID_ARGUMENT` naming the field, an
/// unknown name is `INVALID_ARGUMENT` naming the option, never ignored.
pub fn parse<T: DeserializeOwned>(value: Plain, case: Case) -> Result<T> {
    T::deserialize(value).map_err(|e| e.into_fleetops(case))
}

/// [`parse`] for a value that is itself one argument, named `name` in its errors:
/// `mutes[0].matchers: expected a list, got the number 5`, `unknown option 'alerts[2].foo'`.
pub fn parse_named<T: DeserializeOwned>(value: Plain, case: Case, name: &str) -> Result<T> {
    T::deserialize(value).map_err(|e| e.at(Step::Field(name.to_owned())).into_fleetops(case))
}

/// A mapping of the given entries (a binding's keyword arguments), leaving out the `None`s.
pub fn given(entries: impl IntoIterator<Item = (&'static str, Option<Plain>)>) -> Plain {
    Plain::Map(entries.into_iter().filter_map(|(k, v)| v.map(|v| (k.to_owned(), v))).collect())
}

impl From<&serde_json::Value> for Plain {
    /// JSON as plain data (a spec read from a file: the same path as a binding's options).
    fn from(v: &serde_json::Value) -> Self {
        use serde_json::Value;
        match v {
            Value::Null => Plain::Null,
            Value::Bool(b) => Plain::Bool(*b),
            Value::Number(n) => match (n.as_i64(), n.as_u64()) {
                (Some(i), _) => Plain::Int(i),
                (None, Some(u)) => Plain::UInt(u),
                _ => Plain::Float(n.as_f64().unwrap_or(f64::NAN)),
            },
            Value::String(s) => Plain::Text(s.clone()),
            Value::Array(a) => Plain::List(a.iter().map(Plain::from).collect()),
            Value::Object(o) => Plain::Map(o.iter().map(|(k, v)| (k.clone(), Plain::from(v))).collect()),
        }
    }
}

impl Plain {
    /// The value as JSON, for the few inputs the core reads as JSON: a non-finite float is
    /// refused there, as JSON cannot carry it.
    pub fn into_json(self) -> Result<serde_json::Value> {
        use serde_json::Value;
        Ok(match self {
            Self::Null => Value::Null,
            Self::Bool(b) => Value::Bool(b),
            Self::Int(i) => Value::from(i),
            Self::UInt(u) => Value::from(u),
            Self::Float(f) => match whole(f) {
                Some(Whole::Neg(i)) => Value::from(i),
                Some(Whole::Pos(u)) => Value::from(u),
                None => match serde_json::Number::from_f64(f) {
                    Some(n) => Value::Number(n),
                    None => return Err(crate::wire::not_plain_data(&format!("the number {f}"))),
                },
            },
            Self::Text(s) => Value::String(s),
            Self::List(items) => Value::Array(items.into_iter().map(Self::into_json).collect::<Result<_>>()?),
            Self::Map(entries) => {
                Value::Object(entries.into_iter().map(|(k, v)| Ok((k, v.into_json()?))).collect::<Result<_>>()?)
            }
        })
    }

    /// Adds an entry to a mapping (a positional argument that belongs to the spec).
    pub fn with(self, key: &str, value: Plain) -> Self {
        match self {
            Self::Map(mut entries) => {
                entries.insert(0, (key.to_owned(), value));
                Self::Map(entries)
            }
            Self::Null => Self::Map(vec![(key.to_owned(), value)]),
            other => other,
        }
    }
}

enum Whole {
    Neg(i64),
    Pos(u64),
}

/// The integer a float is, when it is whole and within 2^53 (where every integer is exact).
fn whole(f: f64) -> Option<Whole> {
    const EXACT: f64 = 9_007_199_254_740_992.0;
    if f.fract() != 0.0 || f.abs() > EXACT {
        return None; // NaN and the infinities fail `fract() == 0` too
    }
    Some(if f < 0.0 { Whole::Neg(f as i64) } else { Whole::Pos(f as u64) })
}

/// A serde error on the way into a spec, with where it happened.
#[derive(Debug)]
pub struct OptionError {
    /// Field names and list indices from the outside in.
    path: Vec<Step>,
    message: String,
    /// The unknown option, when that is the error.
    unknown: Option<String>,
    /// The required option left out, when that is the error.
    missing: Option<String>,
    /// A value of the wrong type (a string where a number goes), not a wrong value.
    wrong_type: bool,
}

#[derive(Debug)]
enum Step {
    Field(String),
    Index(usize),
}

impl OptionError {
    fn at(mut self, step: Step) -> Self {
        self.path.insert(0, step);
        self
    }

    fn into_fleetops(self, case: Case) -> FleetopsError {
        let name = |n: &str| match case {
            Case::Snake => n.to_owned(),
            Case::Camel => crate::wire::camel_name(n),
        };
        let mut path = String::new();
        for step in &self.path {
            match step {
                Step::Field(f) if path.is_empty() => path.push_str(&name(f)),
                Step::Field(f) => {
                    path.push('.');
                    path.push_str(&name(f));
                }
                Step::Index(i) => path.push_str(&format!("[{i}]")),
            }
        }
        let message = match self.missing {
            Some(field) => format!("missing option '{}'", name(&field)),
            None => self.message,
        };
        match self.unknown {
            Some(field) if path.is_empty() => crate::wire::unknown_options(&[name(&field)]),
            Some(field) => crate::wire::unknown_options(&[format!("{path}.{}", name(&field))]),
            None => {
                let message = if path.is_empty() { message } else { format!("{path}: {message}") };
                if self.wrong_type {
                    FleetopsError::WrongType(message)
                } else {
                    FleetopsError::InvalidArgument(message)
                }
            }
        }
    }
}

impl std::fmt::Display for OptionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for OptionError {}

impl de::Error for OptionError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Self { path: vec![], message: msg.to_string(), unknown: None, missing: None, wrong_type: false }
    }

    fn unknown_field(field: &str, _expected: &'static [&'static str]) -> Self {
        Self {
            path: vec![],
            message: format!("unknown option '{field}'"),
            unknown: Some(field.to_owned()),
            missing: None,
            wrong_type: false,
        }
    }

    fn missing_field(field: &'static str) -> Self {
        Self {
            path: vec![],
            message: format!("missing option '{field}'"),
            unknown: None,
            missing: Some(field.to_owned()),
            wrong_type: false,
        }
    }

    /// A list where options go (`[]` for `{}`): serde would say "invalid length 0, expected
    /// struct DeduperSpec with 3 elements".
    fn invalid_length(_len: usize, exp: &dyn de::Expected) -> Self {
        Self {
            wrong_type: true,
            ..Self::custom(crate::wire::wrong_type(&expected_words(&exp.to_string()), "a list").detail())
        }
    }

    /// In the words of the data a caller passes, not serde's Rust ones ("unit value",
    /// "struct DeduperSpec", "sequence"), and the same as `wire::wrong_type`'s.
    fn invalid_type(unexp: de::Unexpected<'_>, exp: &dyn de::Expected) -> Self {
        let got = match unexp {
            de::Unexpected::Unit | de::Unexpected::Option => "null".to_owned(),
            de::Unexpected::Bool(b) => b.to_string(),
            de::Unexpected::Unsigned(n) => format!("the number {n}"),
            de::Unexpected::Signed(n) => format!("the number {n}"),
            de::Unexpected::Float(x) => format!("the number {x}"),
            de::Unexpected::Char(c) => format!("the string {:?}", c.to_string()),
            de::Unexpected::Str(t) if t.chars().count() <= 40 => format!("the string {t:?}"),
            de::Unexpected::Str(_) => "a string".to_owned(),
            de::Unexpected::Seq => "a list".to_owned(),
            de::Unexpected::Map => "a mapping".to_owned(),
            other => other.to_string(),
        };
        Self {
            wrong_type: true,
            ..Self::custom(crate::wire::wrong_type(&expected_words(&exp.to_string()), &got).detail())
        }
    }
}

/// serde's name for what a visitor expected, as a caller would say it.
fn expected_words(serde_words: &str) -> String {
    let integer = |t: &str| matches!(t, "i8" | "i16" | "i32" | "i64" | "i128" | "u8" | "u16" | "u32" | "u64" | "u128");
    match serde_words {
        s if s.starts_with("struct ") => "options (a mapping of names to values)".to_owned(),
        s if integer(s) => "an integer".to_owned(),
        "f32" | "f64" => "a number".to_owned(),
        "a sequence" => "a list".to_owned(),
        "a map" => "a mapping".to_owned(),
        "unit" => "null".to_owned(),
        s if s.starts_with("a borrowed string") => "a string".to_owned(),
        s if s.starts_with("tuple of ") || s.starts_with("an array of length") => "a list".to_owned(),
        s => s.to_owned(),
    }
}

impl<'de> IntoDeserializer<'de, OptionError> for Plain {
    type Deserializer = Self;
    fn into_deserializer(self) -> Self {
        self
    }
}

impl<'de> de::Deserializer<'de> for Plain {
    type Error = OptionError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, OptionError> {
        match self {
            Self::Null => visitor.visit_unit(),
            Self::Bool(b) => visitor.visit_bool(b),
            Self::Int(i) => visitor.visit_i64(i),
            Self::UInt(u) => visitor.visit_u64(u),
            Self::Float(f) => match whole(f) {
                Some(Whole::Neg(i)) => visitor.visit_i64(i),
                Some(Whole::Pos(u)) => visitor.visit_u64(u),
                None => visitor.visit_f64(f),
            },
            Self::Text(s) => visitor.visit_string(s),
            Self::List(items) => visitor.visit_seq(Items { items: items.into_iter().enumerate() }),
            Self::Map(entries) => visitor.visit_map(Entries { entries: entries.into_iter(), key: None, value: None }),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, OptionError> {
        match self {
            Self::Null => visitor.visit_none(),
            other => visitor.visit_some(other),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _: &'static str, visitor: V) -> Result<V::Value, OptionError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, OptionError> {
        match self {
            Self::Text(s) => visitor.visit_enum(s.into_deserializer()),
            other => other.deserialize_any(visitor),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

struct Items {
    items: std::iter::Enumerate<std::vec::IntoIter<Plain>>,
}

impl<'de> de::SeqAccess<'de> for Items {
    type Error = OptionError;

    fn next_element_seed<T: de::DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, OptionError> {
        match self.items.next() {
            Some((i, item)) => seed.deserialize(item).map(Some).map_err(|e| e.at(Step::Index(i))),
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct Entries {
    entries: std::vec::IntoIter<(String, Plain)>,
    key: Option<String>,
    value: Option<Plain>,
}

impl<'de> de::MapAccess<'de> for Entries {
    type Error = OptionError;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, OptionError> {
        match self.entries.next() {
            Some((k, v)) => {
                self.value = Some(v);
                let key = seed.deserialize(Plain::Text(k.clone()))?;
                self.key = Some(k);
                Ok(Some(key))
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, OptionError> {
        let value = self.value.take().unwrap_or(Plain::Null);
        let key = self.key.take().unwrap_or_default();
        seed.deserialize(value).map_err(|e| e.at(Step::Field(key)))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dedup::DeduperSpec;
    use crate::slo::CountsSpec;

    fn map(entries: &[(&str, Plain)]) -> Plain {
        Plain::Map(entries.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect())
    }

    #[test]
    fn nan_reaches_the_specs_own_check() {
        let spec: CountsSpec =
            parse(map(&[("good", Plain::Int(1)), ("total", Plain::Float(f64::NAN))]), Case::Snake).unwrap();
        assert_eq!(spec.build().unwrap_err().code(), "INVALID_COUNT");
    }

    #[test]
    fn whole_floats_are_counts_and_others_are_not() {
        let spec: DeduperSpec = parse(map(&[("max_keys", Plain::Float(5.0))]), Case::Snake).unwrap();
        assert_eq!(spec.max_keys, Some(5));
        for bad in [Plain::Float(2.5), Plain::Int(-1), Plain::Bool(true), Plain::Float(f64::NAN)] {
            let err = parse::<DeduperSpec>(map(&[("max_keys", bad.clone())]), Case::Camel).unwrap_err();
            assert_eq!(err.code(), "INVALID_ARGUMENT", "{bad:?}");
            assert!(err.to_string().contains("maxKeys:"), "{err}");
        }
    }

    #[test]
    fn unknown_names_are_named_in_the_callers_case() {
        let err = parse::<DeduperSpec>(map(&[("max_key", Plain::Int(1))]), Case::Snake).unwrap_err();
        assert_eq!(err.to_string(), "invalid argument: unknown option 'max_key'");
        let tiers = Plain::List(vec![map(&[("name", Plain::Text("a".into())), ("long_window", Plain::Int(1))])]);
        let err = parse::<crate::slo::BurnPolicySpec>(map(&[("tiers", tiers)]), Case::Camel).unwrap_err();
        assert_eq!(err.to_string(), "invalid argument: unknown option 'tiers[0].longWindow'");
    }

    #[test]
    fn null_is_not_given() {
        let spec: DeduperSpec =
            parse(map(&[("horizon", Plain::Text("1h".into())), ("mode", Plain::Null)]), Case::Snake).unwrap();
        assert!(spec.mode.is_none());
        assert_eq!(given([("a", None), ("b", Some(Plain::Int(1)))]), map(&[("b", Plain::Int(1))]));
    }

    #[test]
    fn wrong_shapes_are_worded_as_the_caller_wrote_them() {
        // serde's own words would be "invalid type: unit value, expected struct DeduperSpec",
        // "invalid length 0, ..." and "missing field `time_left`": Rust names a caller never wrote.
        let says = |value: Plain| parse::<DeduperSpec>(value, Case::Camel).unwrap_err().to_string();
        assert_eq!(says(Plain::Null), "invalid argument: expected options (a mapping of names to values), got null");
        assert_eq!(
            says(Plain::List(vec![])),
            "invalid argument: expected options (a mapping of names to values), got a list"
        );
        assert_eq!(
            says(map(&[("max_keys", Plain::Text("many".into()))])),
            "invalid argument: maxKeys: expected an integer, got the string \"many\""
        );
        let err = parse::<crate::slo::ForecastSpec>(map(&[("period", Plain::Text("30d".into()))]), Case::Camel);
        assert_eq!(err.unwrap_err().to_string(), "invalid argument: missing option 'timeLeft'");
        let err = parse::<crate::slo::ForecastSpec>(map(&[("period", Plain::Text("30d".into()))]), Case::Snake);
        assert_eq!(err.unwrap_err().to_string(), "invalid argument: missing option 'time_left'");
        let long = "x".repeat(41);
        let err = parse::<Vec<u32>>(Plain::List(vec![Plain::Text(long), Plain::Bool(true)]), Case::Snake).unwrap_err();
        assert_eq!(err.to_string(), "invalid argument: [0]: expected an integer, got a string");
    }

    #[test]
    fn a_named_argument_leads_the_path() {
        let mutes = Plain::List(vec![map(&[("matchers", Plain::Int(5))])]);
        let err = parse_named::<Vec<crate::storm::Mute>>(mutes, Case::Snake, "mutes").unwrap_err();
        assert_eq!(err.to_string(), "invalid argument: mutes[0].matchers: expected a list, got the number 5");
        let err = parse_named::<Vec<crate::storm::Mute>>(Plain::Bool(true), Case::Snake, "mutes").unwrap_err();
        assert_eq!(err.to_string(), "invalid argument: mutes: expected a list, got true");
    }

    #[test]
    fn json_refuses_what_it_cannot_carry() {
        assert_eq!(Plain::Float(3.0).into_json().unwrap(), serde_json::json!(3));
        assert_eq!(Plain::Float(f64::INFINITY).into_json().unwrap_err().code(), "INVALID_ARGUMENT");
    }
}
