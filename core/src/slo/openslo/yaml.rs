//! YAML documents as a tree that remembers the line of every key, so that an unknown or
//! unsupported field can be named where it is. Bounded: at most [`MAX_BYTES`] of text and
//! [`MAX_DEPTH`] levels; anchors and aliases are refused (no billion laughs).

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use crate::error::{FleetopsError, Result};

/// The most text a spec may hold: 1 MiB.
pub const MAX_BYTES: usize = 1 << 20;
/// The deepest nesting read.
pub const MAX_DEPTH: usize = 32;

/// A YAML value and the line it starts on (1-based).
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Node {
    /// A scalar: its text, and whether it was quoted (a quoted `"1"` is a string).
    Scalar { text: String, quoted: bool, line: usize },
    /// A sequence.
    Seq { items: Vec<Node>, line: usize },
    /// A mapping: `(key, key's line, value)` in order.
    Map { entries: Vec<(String, usize, Node)>, line: usize },
}

impl Node {
    pub(super) fn line(&self) -> usize {
        match self {
            Node::Scalar { line, .. } | Node::Seq { line, .. } | Node::Map { line, .. } => *line,
        }
    }
}

pub(super) fn spec_error(line: usize, what: impl std::fmt::Display) -> FleetopsError {
    FleetopsError::InvalidSpec(format!("line {line}: {what}"))
}

/// An open container, a mapping's pending key beside it, and (for a mapping) the keys it
/// holds, so a repeated key is found in constant time.
type Open = (Node, Option<(String, usize)>, std::collections::HashSet<String>);

#[derive(Default)]
struct Builder {
    /// Open containers.
    stack: Vec<Open>,
    docs: Vec<Node>,
    error: Option<FleetopsError>,
}

impl Builder {
    fn push_value(&mut self, node: Node) {
        let Some((top, key, keys)) = self.stack.last_mut() else {
            self.docs.push(node);
            return;
        };
        match top {
            Node::Seq { items, .. } => items.push(node),
            Node::Map { entries, .. } => match key.take() {
                Some((k, line)) => {
                    if !keys.insert(k.clone()) && self.error.is_none() {
                        self.error = Some(spec_error(line, format!("'{k}' appears twice")));
                    }
                    entries.push((k, line, node));
                }
                None => match node {
                    Node::Scalar { text, line, .. } => *key = Some((text, line)),
                    other if self.error.is_none() => {
                        self.error = Some(spec_error(other.line(), "a mapping key must be plain text"))
                    }
                    _ => {}
                },
            },
            Node::Scalar { .. } => unreachable!("scalars are never open"),
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        if self.error.is_some() {
            return;
        }
        let line = mark.line();
        match ev {
            Event::Scalar(text, style, anchor, _) => {
                if anchor != 0 {
                    self.error = Some(spec_error(line, "YAML anchors and aliases are not read"));
                    return;
                }
                self.push_value(Node::Scalar { text, quoted: !matches!(style, TScalarStyle::Plain), line });
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if anchor != 0 {
                    self.error = Some(spec_error(line, "YAML anchors and aliases are not read"));
                    return;
                }
                if self.stack.len() >= MAX_DEPTH {
                    self.error = Some(spec_error(line, format!("nested deeper than {MAX_DEPTH}")));
                    return;
                }
                let node = if matches!(ev, Event::SequenceStart(..)) {
                    Node::Seq { items: vec![], line }
                } else {
                    Node::Map { entries: vec![], line }
                };
                self.stack.push((node, None, Default::default()));
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some((node, _, _)) = self.stack.pop() {
                    self.push_value(node);
                }
            }
            Event::Alias(_) => self.error = Some(spec_error(line, "YAML anchors and aliases are not read")),
            _ => {}
        }
    }
}

/// The documents of `text` (separated by `---`), each a tree.
pub(super) fn documents(text: &str) -> Result<Vec<Node>> {
    if text.len() > MAX_BYTES {
        return Err(FleetopsError::InvalidSpec(format!("a spec of {} bytes; at most {MAX_BYTES}", text.len())));
    }
    let mut b = Builder::default();
    Parser::new_from_str(text)
        .load(&mut b, true)
        .map_err(|e| spec_error(e.marker().line(), format!("not YAML: {}", e.info())))?;
    match b.error {
        Some(e) => Err(e),
        None => Ok(b.docs),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_keep_their_lines_and_bad_yaml_is_refused() {
        let docs = documents("a: 1\nb:\n  - x\n  - 'y'\n---\nc: {d: 2}\n").unwrap();
        assert_eq!(docs.len(), 2);
        let Node::Map { entries, .. } = &docs[0] else { panic!() };
        assert_eq!((entries[1].0.as_str(), entries[1].1), ("b", 2));
        let Node::Seq { items, .. } = &entries[1].2 else { panic!() };
        assert!(matches!(&items[1], Node::Scalar { quoted: true, line: 4, .. }));
        let code = |t: &str| documents(t).unwrap_err().to_string();
        assert!(code("a: [1\n").contains("not YAML"), "{}", code("a: [1\n"));
        assert!(code("a: &x 1\nb: *x\n").contains("anchors"));
        assert!(code("a: 1\na: 2\n").contains("line 2: 'a' appears twice"));
    }
}
