//! Text for a terminal: a table name or alert key from an input file may hold escape sequences
//! that retitle the window, clear the screen or print a fake "ALL CLEAR". Control characters
//! (C0, DEL, C1) and bidirectional overrides are shown visibly instead (`\x1b`, `\u{202e}`).

use std::fmt::Write;

fn push_visible(out: &mut String, c: char) {
    let n = c as u32;
    let _ = if n < 0x100 { write!(out, "\\x{n:02x}") } else { write!(out, "\\u{{{n:x}}}") };
}

fn is_control(c: char) -> bool {
    c.is_control() || super::is_bidi_control(c) || matches!(c, '\u{2028}' | '\u{2029}')
}

/// One value (a cell, a name): every control character shown visibly, line breaks too.
pub fn value(s: &str) -> String {
    if !s.chars().any(is_control) {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_control(c) {
            push_visible(&mut out, c);
        } else {
            out.push(c);
        }
    }
    out
}

/// A block of text fleetops laid out: line feeds and tabs kept, every other control character
/// shown visibly. The last guard before the CLI writes human-readable text.
pub fn text(s: &str) -> String {
    if !s.chars().any(|c| is_control(c) && c != '\n' && c != '\t') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_control(c) && c != '\n' && c != '\t' {
            push_visible(&mut out, c);
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_are_shown_not_run() {
        let evil = "\u{1b}]0;pwned\u{7}\u{1b}[2J\u{1b}[31mALL\nCLEAR\u{9b}\u{202e}";
        assert_eq!(value(evil), "\\x1b]0;pwned\\x07\\x1b[2J\\x1b[31mALL\\x0aCLEAR\\x9b\\u{202e}");
        assert_eq!(text(evil), "\\x1b]0;pwned\\x07\\x1b[2J\\x1b[31mALL\nCLEAR\\x9b\\u{202e}");
        assert_eq!(value("trk-7 日本"), "trk-7 日本");
    }
}
