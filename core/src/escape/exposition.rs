//! The Prometheus text exposition format (0.0.4): label values escape `\`, `"` and line feed;
//! HELP text escapes `\` and line feed. Metric names are checked, never escaped (see
//! [`promql::check_prefix`](super::promql::check_prefix)).

/// A label value, without its quotes.
pub fn label_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// HELP text.
pub fn help(text: &str) -> String {
    text.replace('\\', "\\\\").replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_cannot_end_the_line_or_the_quotes() {
        assert_eq!(label_value("a\"} 1\nevil 2"), "a\\\"} 1\\nevil 2");
        assert_eq!(label_value("c:\\x"), "c:\\\\x");
        assert_eq!(help("a\nb\\"), "a\\nb\\\\");
    }
}
