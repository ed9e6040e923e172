//! Everything the CLI writes to a terminal goes through here: laid-out text with its control
//! characters shown visibly, JSON with the escapes that keep a terminal inert
//! ([`fleetops::escape`]). A table name or alert key from an input file cannot move the cursor,
//! retitle the window or print a fake "ALL CLEAR".

use fleetops::escape::{json, terminal};
use serde::Serialize;

/// Prints laid-out text (line feeds kept, every other control character shown).
pub fn text(s: &str) {
    print!("{}", terminal::text(s));
}

/// Prints laid-out text and a line feed.
pub fn line(s: &str) {
    println!("{}", terminal::text(s));
}

/// Prints an error message on stderr.
pub fn error(s: &str) {
    eprintln!("fleetops: {}", terminal::text(s));
}

/// Prints `value` as indented JSON.
pub fn json_pretty<T: Serialize + ?Sized>(value: &T) {
    println!("{}", json::pretty(value));
}

/// Prints `value` as one line of JSON.
pub fn json_line<T: Serialize + ?Sized>(value: &T) {
    println!("{}", json::compact(value));
}

/// One value from input (a name, a key, a cell) for a line of text: line breaks shown too.
pub fn v(s: &str) -> String {
    terminal::value(s)
}

/// `println!` through [`line`].
macro_rules! say {
    () => {
        $crate::out::line("")
    };
    ($($t:tt)*) => {
        $crate::out::line(&format!($($t)*))
    };
}
pub(crate) use say;
