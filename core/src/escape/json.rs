//! JSON for a terminal, a log or a browser: serde_json's output with DEL, the C1 controls,
//! LS / PS and the bidirectional controls also written as `\u` escapes (valid JSON either way;
//! raw, a terminal may act on them and older JavaScript parsers end a string at LS / PS).

use std::io;

use serde::Serialize;
use serde_json::ser::{CharEscape, Formatter, PrettyFormatter};

/// A formatter that escapes what [`super::is_plain`] does not allow, beyond JSON's own rules.
struct Safe<F>(F);

impl<F: Formatter> Formatter for Safe<F> {
    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + io::Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + io::Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
    fn write_string_fragment<W: ?Sized + io::Write>(&mut self, w: &mut W, fragment: &str) -> io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if c == ' ' || super::is_plain(c) {
                continue;
            }
            w.write_all(&fragment.as_bytes()[start..i])?;
            // \u escapes of UTF-16 units: JSON has no longer form.
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                write!(w, "\\u{u:04x}")?;
            }
            start = i + c.len_utf8();
        }
        w.write_all(&fragment.as_bytes()[start..])
    }
    fn write_char_escape<W: ?Sized + io::Write>(&mut self, w: &mut W, e: CharEscape) -> io::Result<()> {
        self.0.write_char_escape(w, e)
    }
}

fn write<T: Serialize + ?Sized, F: Formatter>(value: &T, f: F) -> String {
    let mut buf = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, Safe(f));
    // Serializing fleetops' own result types into memory cannot fail; a map with non-string
    // keys would, and is a bug caught by the tests that render every result.
    value.serialize(&mut ser).expect("results serialise to JSON");
    String::from_utf8(buf).expect("serde_json writes UTF-8")
}

/// `value` as compact JSON.
pub fn compact<T: Serialize + ?Sized>(value: &T) -> String {
    write(value, serde_json::ser::CompactFormatter)
}

/// `value` as indented JSON.
pub fn pretty<T: Serialize + ?Sized>(value: &T) -> String {
    write(value, PrettyFormatter::new())
}

/// `s` as a JSON string (for quoting a name inside a message).
pub fn string(s: &str) -> String {
    compact(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_parses_back_and_hides_nothing_raw() {
        let s = "a\u{7f}\u{85}\u{2028}\u{202e}\u{1b}\"\\ 日 🚚";
        let out = string(s);
        assert_eq!(out, r#""a\u007f\u0085\u2028\u202e\u001b\"\\ 日 🚚""#);
        assert_eq!(serde_json::from_str::<String>(&out).unwrap(), s);
        let v = serde_json::json!({"k\u{85}": [s, 1]});
        assert_eq!(serde_json::from_str::<serde_json::Value>(&pretty(&v)).unwrap(), v);
    }
}
