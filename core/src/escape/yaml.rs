//! YAML double-quoted scalars.
//!
//! JSON's quoting leaves DEL, the C1 controls, NEL (U+0085) and LS / PS (U+2028 / U+2029) raw;
//! YAML 1.1 reads the last three as line breaks and refuses the others, so one such name would
//! stop a whole rule file from loading. Everything that is not [plain](super::is_plain) is
//! written as a `\u` escape.

/// `s` as a YAML double-quoted scalar that reads back as `s`.
pub fn string(s: &str) -> String {
    super::double_quoted(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_breaks_and_controls_are_escaped() {
        assert_eq!(string("a"), "\"a\"");
        assert_eq!(string("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(string("\u{85}\u{2028}\u{2029}\u{7f}\u{9b}\u{0}"), r#""\u0085\u2028\u2029\u007f\u009b\u0000""#);
        assert_eq!(string("日本 🚚"), "\"日本 🚚\"");
    }
}
