//! Where a field path (`spec.rules[0].matches[1].path`) is in a document's text.
//!
//! Why: `ing2gw validate` reports each violation at the offending field
//! (file:line:column), but the checks run on `serde_json::Value`s, which carry no
//! positions. The document is parsed a second time — only when it has a
//! violation — into a tree of positioned nodes (serde-saphyr's `Spanned`; JSON is
//! read by the same YAML parser, of which it is a subset), and the path is walked
//! in it. A path that leaves the tree (a required field that is missing) stops at
//! the deepest node that exists: the object that lacks the field.

use crate::input::{Origin, SourceSpan};
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;
use std::fmt;
use std::ops::Range;

/// One step of a field path.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
}

/// `spec.rules[0].matches` → `spec`, `rules`, 0, `matches`. A bracket holding
/// something other than a number is a map key (`metadata.labels[a.b/c]`).
fn steps(path: &str) -> Vec<Step> {
    let mut out = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('[') {
            let end = after.find(']').unwrap_or(after.len());
            let inner = &after[..end];
            out.push(match inner.parse() {
                Ok(i) => Step::Index(i),
                Err(_) => Step::Key(inner.to_string()),
            });
            rest = after.get(end + 1..).unwrap_or("");
        } else {
            let rest_trimmed = rest.strip_prefix('.').unwrap_or(rest);
            let end = rest_trimmed.find(['.', '[']).unwrap_or(rest_trimmed.len());
            if end > 0 {
                out.push(Step::Key(rest_trimmed[..end].to_string()));
            }
            rest = &rest_trimmed[end..];
        }
    }
    out
}

/// A YAML/JSON node with the position of every child.
enum Node {
    Map(Vec<(String, Spanned<Node>)>),
    Seq(Vec<Spanned<Node>>),
    Leaf,
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

macro_rules! leaf {
    ($($f:ident: $t:ty),*) => {
        $(fn $f<E: de::Error>(self, _: $t) -> Result<Node, E> { Ok(Node::Leaf) })*
    };
}

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML node")
    }
    leaf!(visit_bool: bool, visit_i64: i64, visit_u64: u64, visit_f64: f64, visit_str: &str, visit_bytes: &[u8]);
    fn visit_i128<E: de::Error>(self, _: i128) -> Result<Node, E> {
        Ok(Node::Leaf)
    }
    fn visit_u128<E: de::Error>(self, _: u128) -> Result<Node, E> {
        Ok(Node::Leaf)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Leaf)
    }
    fn visit_none<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Leaf)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<Node>>()? {
            items.push(item);
        }
        Ok(Node::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Key>()? {
            let value = map.next_value::<Spanned<Node>>()?;
            entries.push((key.0, value));
        }
        Ok(Node::Map(entries))
    }
}

/// A map key as text (`80:` is the key `80`).
struct Key(String);

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a scalar key")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Key, E> {
                Ok(Key(String::new()))
            }
        }
        d.deserialize_any(V)
    }
}

/// The byte range (in `doc`) of the value at `path`, or of the deepest node on
/// the way that exists; `None` when the document does not parse here or the
/// parser gives no positions (the caller falls back to the document).
#[cfg(test)]
pub fn field_range(doc: &str, path: &str) -> Option<Range<usize>> {
    lookup(&parse(doc)?, doc, path)
}

fn parse(doc: &str) -> Option<Spanned<Node>> {
    let options = crate::input::yaml_options(doc.len());
    serde_saphyr::from_str_with_options(doc, options).ok()
}

fn lookup(root: &Spanned<Node>, doc: &str, path: &str) -> Option<Range<usize>> {
    let mut at = root;
    for step in steps(path) {
        let next = match (&at.value, &step) {
            (Node::Map(entries), Step::Key(k)) => entries
                .iter()
                .rev() // a duplicate key: the last one wins, as in the parsed value
                .find(|(key, _)| key == k)
                .map(|(_, v)| v),
            (Node::Seq(items), Step::Index(i)) => items.get(*i),
            _ => None,
        };
        match next {
            Some(n) => at = n,
            None => break,
        }
    }
    range_of(doc, at)
}

/// The span of the value at `path` in the document `origin` was read from (see
/// [`field_range`]); `None` for the cluster or when it cannot be resolved.
pub fn field_span(origin: &Origin, path: &str) -> Option<SourceSpan> {
    field_spans(origin, &[path]).pop().flatten()
}

/// [`field_span`] of each of `paths`, the document parsed once (an object with
/// many violations costs one parse, not one per violation).
///
/// An item of a `List` is a part of its document that starts in the middle of
/// a line (after `- `) and ends where the next item starts: it is parsed with
/// the start of its first line blanked (so its lines keep their indentation)
/// and cut before the first line indented less than the item (the next item's
/// `- `, the List's `kind:`).
pub fn field_spans(origin: &Origin, paths: &[&str]) -> Vec<Option<SourceSpan>> {
    let none = || vec![None; paths.len()];
    let Origin::File {
        text, doc_offset, ..
    } = origin
    else {
        return none();
    };
    let Some(doc) = origin.document() else {
        return none();
    };
    // A whole document (or a flow/JSON item) parses as it is; a block item of
    // a List does not (its later lines are indented, its first is not).
    let (tree, parsed, shift) = match parse(doc) {
        Some(tree) => (tree, doc.to_string(), 0),
        None => {
            let line_start = text
                .get(..*doc_offset)
                .and_then(|t| t.rfind('\n'))
                .map_or(0, |i| i + 1);
            let indent = doc_offset.saturating_sub(line_start);
            if indent == 0 {
                return none();
            }
            let end = first_line_indented_less(doc, indent);
            let padded = format!("{}{}", " ".repeat(indent), &doc[..end]);
            match parse(&padded) {
                Some(tree) => (tree, padded, indent),
                None => return none(),
            }
        }
    };
    paths
        .iter()
        .map(|path| {
            let r = lookup(&tree, &parsed, path)?;
            let start = r.start.checked_sub(shift)?;
            let end = r.end.checked_sub(shift)?;
            origin.span_in_document(start, end - start)
        })
        .collect()
}

/// Byte offset of the first line after the first whose indentation is below
/// `indent` (blank and comment lines do not count), else the end.
fn first_line_indented_less(doc: &str, indent: usize) -> usize {
    let mut pos = doc.find('\n').map_or(doc.len(), |i| i + 1);
    while pos < doc.len() {
        let line = doc[pos..].split('\n').next().unwrap_or("");
        let content = line.trim_start_matches(' ');
        let blank = content.trim().is_empty() || content.starts_with('#');
        if !blank && line.len() - content.len() < indent {
            return pos;
        }
        pos += line.len() + 1;
    }
    doc.len()
}

fn range_of(doc: &str, node: &Spanned<Node>) -> Option<Range<usize>> {
    let span = node.referenced.span();
    let start = usize::try_from(span.byte_offset()?).ok()?;
    if start > doc.len() || !doc.is_char_boundary(start) {
        return None;
    }
    // A scalar: its text; a map or list: the rest of its first line.
    let len = match (&node.value, span.byte_len()) {
        (Node::Leaf, Some(len)) if len > 0 => usize::try_from(len).ok()?,
        _ => doc[start..].find(['\n', '\r']).unwrap_or(doc.len() - start),
    };
    let mut end = (start + len).min(doc.len()).max(start);
    while !doc.is_char_boundary(end) {
        end -= 1;
    }
    Some(start..end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at<'a>(doc: &'a str, path: &str) -> &'a str {
        let r = field_range(doc, path).expect("located");
        &doc[r]
    }

    #[test]
    fn paths_split_like_the_api_server_writes_them() {
        use Step::*;
        assert_eq!(
            steps("spec.rules[0].matches[12].path"),
            [
                Key("spec".into()),
                Key("rules".into()),
                Index(0),
                Key("matches".into()),
                Index(12),
                Key("path".into())
            ]
        );
        assert_eq!(
            steps("metadata.labels[a.b/c]"),
            [
                Key("metadata".into()),
                Key("labels".into()),
                Key("a.b/c".into())
            ]
        );
        assert!(steps("").is_empty());
    }

    #[test]
    fn yaml_fields_are_found_by_path() {
        let doc = "kind: HTTPRoute\nspec:\n  hostnames:\n  - ok.example.com\n  - 'www.*.example.com'\n  rules:\n  - matches:\n    - path: {type: Exact, value: /a}\n";
        assert_eq!(at(doc, "spec.hostnames[1]"), "'www.*.example.com'");
        assert_eq!(at(doc, "spec.rules[0].matches[0].path.value"), "/a");
        // A missing field: the deepest node that exists.
        assert_eq!(
            at(doc, "spec.rules[0].matches[0].path.missing"),
            "{type: Exact, value: /a}"
        );
        let r = field_range(doc, "spec.rules[0]").unwrap();
        assert_eq!(&doc[r.start..r.start + 8], "matches:");
        assert_eq!(at(doc, "kind"), "HTTPRoute");
    }

    #[test]
    fn json_fields_are_found_too() {
        let doc = "{\n  \"kind\": \"Gateway\",\n  \"spec\": {\"listeners\": [{\"name\": \"a\", \"port\": 0}]}\n}";
        assert_eq!(at(doc, "spec.listeners[0].port"), "0");
        assert_eq!(at(doc, "spec.listeners[0].name"), "\"a\"");
    }

    #[test]
    fn items_of_a_list_are_located_in_their_file() {
        use crate::input::{SourceFile, for_each_document};
        use crate::report::Report;
        let text = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: gateway.networking.k8s.io/v1\n  kind: HTTPRoute\n  metadata: {name: a}\n  spec:\n    hostnames: [a.example.com]\n- apiVersion: gateway.networking.k8s.io/v1\n  kind: HTTPRoute\n  metadata: {name: b}\n  spec:\n    hostnames:\n    - B.example.com\nmetadata:\n  resourceVersion: \"\"\n";
        let file = SourceFile {
            name: "list.yaml".into(),
            text: text.into(),
        };
        let mut origins = Vec::new();
        for_each_document(&file, &mut Report::default(), |_, origin, _, _| {
            origins.push(origin.clone())
        });
        assert_eq!(origins.len(), 2);
        let span = field_span(&origins[1], "spec.hostnames[0]").expect("located");
        assert_eq!((span.line, span.column), (14, 7));
        let span = field_span(&origins[0], "spec.hostnames[0]").expect("located");
        assert_eq!((span.line, span.column), (8, 17));
    }

    #[test]
    fn unparsable_text_gives_nothing() {
        assert_eq!(field_range("a: [", "a"), None);
    }
}
