//! Text that leaves fleetops, escaped for where it lands: one module per destination, used by
//! every writer (rule files, OpenSLO, the exposition, the CLI, the HTML report), so a name a
//! user chose can never become code, markup or a terminal command there.
//!
//! | destination | module | rule |
//! |---|---|---|
//! | PromQL string literal | [`promql`] | Go escapes for `\`, `"` and every non-printable character |
//! | Go template text (Prometheus alert labels and annotations) | [`go_template`] | every `{{` written as the action `{{ "{{" }}` |
//! | YAML double-quoted scalar | [`yaml`] | `\`, `"` and everything outside YAML's printable set (NEL, LS, PS, DEL, C1) as `\u` escapes |
//! | Prometheus text exposition | [`exposition`] | label values and HELP text escaped; metric names checked |
//! | terminal | [`terminal`] | control characters shown visibly (`\x1b`, `\u{202e}`) |
//! | HTML | [`html`] | `&`, `<`, `>`, `"`, `'` as entities |
//! | JSON | [`json`] | serde_json's escapes plus DEL, C1, LS, PS and bidi controls as `\u` escapes |

pub mod exposition;
pub mod go_template;
pub mod html;
pub mod json;
pub mod promql;
pub mod terminal;
pub mod yaml;

/// Characters that are safe to write raw into YAML, PromQL and a terminal: printable ASCII and
/// the printable non-ASCII characters, less the ones YAML 1.1 reads as line breaks (NEL, LS,
/// PS), the byte-order mark, the non-characters U+FFFE/U+FFFF, the replacement character
/// U+FFFD (Prometheus' lexer takes it raw for a broken byte sequence) and the bidirectional
/// controls that reorder what a reader sees.
pub fn is_plain(c: char) -> bool {
    match c {
        ' '..='~' => true,
        '\u{0}'..='\u{a0}' => c == '\u{a0}',
        '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffd}' | '\u{fffe}' | '\u{ffff}' => false,
        c => !is_bidi_control(c),
    }
}

/// The Unicode bidirectional formatting characters (embeddings, overrides, isolates, marks).
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{61c}')
}

/// `s` double-quoted with the escapes PromQL (Go) and YAML share: `\"`, `\\`, `\n`, `\t`,
/// `\r`, and `\uXXXX` / `\UXXXXXXXX` for every other character that is not [plain](is_plain).
fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if is_plain(c) => out.push(c),
            c => push_u_escape(&mut out, c),
        }
    }
    out.push('"');
    out
}

/// Appends `\uXXXX` for `c`, or `\UXXXXXXXX` past the basic plane (PromQL's and YAML's forms).
fn push_u_escape(out: &mut String, c: char) {
    use std::fmt::Write;
    let n = c as u32;
    let _ = if n > 0xffff { write!(out, "\\U{n:08x}") } else { write!(out, "\\u{n:04x}") };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_is_printable_and_not_a_line_break() {
        for c in ['a', ' ', '~', 'é', '\u{a0}', '日', '🚚'] {
            assert!(is_plain(c), "{c:?}");
        }
        for c in
            ['\n', '\r', '\t', '\u{1b}', '\u{7f}', '\u{85}', '\u{9b}', '\u{2028}', '\u{2029}', '\u{202e}', '\u{feff}']
        {
            assert!(!is_plain(c), "{c:?}");
        }
    }
}
