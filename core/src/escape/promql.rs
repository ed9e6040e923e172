//! PromQL string literals and metric names.
//!
//! PromQL reads a double-quoted string with Go's escapes; a raw line break ends the query and a
//! raw `"` ends the string, so both are escaped, and so is every character that is not
//! [plain](super::is_plain) (the rule file is YAML, where NEL and LS would break the line).

use crate::error::{FleetopsError, Result};

/// `s` as a double-quoted PromQL string that reads back as `s`.
pub fn string(s: &str) -> String {
    super::double_quoted(s)
}

/// Whether `name` is a Prometheus metric name (`[a-zA-Z_:][a-zA-Z0-9_:]*`).
pub fn is_metric_name(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == ':')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
}

/// Refuses a metric prefix that is not a metric name (`INVALID_ARGUMENT`); colons are for
/// recording rules, so a prefix is `[a-zA-Z_][a-zA-Z0-9_]*`.
pub fn check_prefix(prefix: &str) -> Result<()> {
    if is_metric_name(prefix) && !prefix.contains(':') {
        Ok(())
    } else {
        Err(FleetopsError::InvalidArgument(format!(
            "metric prefix {} is not a Prometheus metric name ([a-zA-Z_][a-zA-Z0-9_]*)",
            super::json::string(prefix)
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_escape_quotes_backslashes_and_breaks() {
        assert_eq!(string(r#"x"} or vector(1) or x{a=""#), r#""x\"} or vector(1) or x{a=\"""#);
        assert_eq!(string("a\\b"), r#""a\\b""#);
        assert_eq!(string("a\u{85}b\u{2028}c\u{7f}\u{1F600}"), "\"a\\u0085b\\u2028c\\u007f\u{1F600}\"");
        assert!(check_prefix("fleetops").is_ok());
        for bad in ["", "9x", "a\nevil_metric 1\nb", "a:b", "a-b"] {
            assert_eq!(check_prefix(bad).unwrap_err().code(), "INVALID_ARGUMENT", "{bad:?}");
        }
    }
}
