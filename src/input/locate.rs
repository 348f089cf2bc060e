//! Where things are in a document's text: the byte ranges of the items of a
//! `List` and the value of a `key:` field. Decoding works on `serde_json::Value`s,
//! which carry no positions, so notifications about an object inside a `List` (or
//! about one field) find their place here, in one linear pass over the text.

use serde::Deserialize;
use std::ops::Range;

/// Byte ranges (relative to `doc`) of the elements of the top-level `items`
/// array of the JSON object `doc`. `None` when `doc` is not shaped that way (for
/// example YAML in block style), so the caller falls back to the whole document.
pub fn json_items(doc: &str) -> Option<Vec<Range<usize>>> {
    let mut s = JsonScan {
        b: doc.as_bytes(),
        i: 0,
    };
    s.ws();
    s.expect(b'{')?;
    loop {
        s.ws();
        if s.peek()? == b'}' {
            return None;
        }
        let key = s.string()?;
        s.ws();
        s.expect(b':')?;
        s.ws();
        if doc.get(key) == Some("\"items\"") {
            return s.array_elements();
        }
        s.value()?;
        s.ws();
        if s.peek()? == b',' {
            s.i += 1;
        }
    }
}

/// A tolerant scanner over JSON text that is already known to parse: it skips
/// values by their brackets and strings, and gives up (`None`) on anything else.
struct JsonScan<'a> {
    b: &'a [u8],
    i: usize,
}

impl JsonScan<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    fn expect(&mut self, c: u8) -> Option<()> {
        (self.peek()? == c).then(|| self.i += 1)
    }

    /// A string starting at the cursor; returns its range, quotes included.
    fn string(&mut self) -> Option<Range<usize>> {
        let start = self.i;
        self.expect(b'"')?;
        loop {
            match self.peek()? {
                b'\\' => self.i += 2,
                b'"' => {
                    self.i += 1;
                    return Some(start..self.i);
                }
                _ => self.i += 1,
            }
        }
    }

    /// Any value starting at the cursor; returns its range.
    fn value(&mut self) -> Option<Range<usize>> {
        let start = self.i;
        match self.peek()? {
            b'"' => {
                self.string()?;
            }
            b'{' | b'[' => {
                let mut depth = 0usize;
                loop {
                    match self.peek()? {
                        b'"' => {
                            self.string()?;
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth = depth.checked_sub(1)?;
                            if depth == 0 {
                                self.i += 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                    self.i += 1;
                }
            }
            _ => {
                while let Some(c) = self.peek() {
                    if matches!(c, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r') {
                        break;
                    }
                    self.i += 1;
                }
            }
        }
        (self.i > start).then_some(start..self.i)
    }

    /// The elements of the array starting at the cursor.
    fn array_elements(&mut self) -> Option<Vec<Range<usize>>> {
        self.expect(b'[')?;
        let mut out = Vec::new();
        loop {
            self.ws();
            match self.peek()? {
                b']' => return Some(out),
                b',' => self.i += 1,
                _ => out.push(self.value()?),
            }
        }
    }
}

/// Byte ranges (relative to `doc`) of the items of the top-level `items` sequence
/// of the YAML document `doc`: each runs from the item's first node to the next
/// item's (the last one to the end of the document). `None` when the positions
/// are unknown or out of order (aliases), so the caller falls back to `doc`.
pub fn yaml_items(doc: &str, options: serde_saphyr::Options) -> Option<Vec<Range<usize>>> {
    #[derive(Deserialize)]
    struct Items {
        items: Vec<serde_saphyr::Spanned<serde::de::IgnoredAny>>,
    }
    let parsed: Items = serde_saphyr::from_str_with_options(doc, options).ok()?;
    let starts: Vec<usize> = parsed
        .items
        .iter()
        .map(|s| {
            s.referenced
                .span()
                .byte_offset()
                .and_then(|o| usize::try_from(o).ok())
        })
        .collect::<Option<_>>()?;
    let ends = starts.iter().skip(1).copied().chain([doc.len()]);
    let ranges: Vec<Range<usize>> = starts.iter().zip(ends).map(|(&s, e)| s..e).collect();
    ranges
        .iter()
        .all(|r| r.start < r.end && r.end <= doc.len())
        .then_some(ranges)
}

/// Where the value of field `key` is in `doc` (YAML block or flow style, or
/// JSON), preferring an occurrence whose value is `value`: the range of the value
/// (of the key when the value is empty). A textual search, so it may pick a
/// same-named field elsewhere in the object; callers fall back to the document.
pub fn key_value(doc: &str, key: &str, value: Option<&str>) -> Option<Range<usize>> {
    let mut first = None;
    for (at, _) in doc.match_indices(key) {
        let before = doc[..at].chars().next_back();
        if !before.is_none_or(|c| c.is_whitespace() || matches!(c, '{' | ',' | '"' | '\'')) {
            continue;
        }
        let mut rest = &doc[at + key.len()..];
        if before.is_some_and(|c| c == '"' || c == '\'') {
            match rest.strip_prefix(['"', '\'']) {
                Some(r) => rest = r,
                None => continue,
            }
        }
        let Some(after_colon) = rest.trim_start_matches([' ', '\t']).strip_prefix(':') else {
            continue;
        };
        let v = after_colon.trim_start_matches([' ', '\t']);
        let start = doc.len() - v.len();
        let token_len = v
            .find(['\n', '\r', ',', '}', ']', '#'])
            .unwrap_or(v.len())
            .min(v.trim_end().len());
        let token = v[..token_len].trim_end();
        let range = if token.is_empty() {
            at..at + key.len()
        } else {
            start..start + token.len()
        };
        let Some(want) = value else {
            return Some(range);
        };
        let unquoted = token
            .strip_prefix(['"', '\''])
            .and_then(|t| t.strip_suffix(['"', '\'']))
            .unwrap_or(token);
        if unquoted == want {
            return Some(range);
        }
        first.get_or_insert(range);
    }
    first
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_items_of_a_list() {
        let doc = r#" {"kind": "List", "x": {"items": [9]}, "items" : [ {"a": "]}\"{"}, [1, 2] ,3,"s" ], "z": 1}"#;
        let items = json_items(doc).unwrap();
        let texts: Vec<&str> = items.iter().map(|r| &doc[r.clone()]).collect();
        assert_eq!(texts, [r#"{"a": "]}\"{"}"#, "[1, 2]", "3", "\"s\""]);
        assert_eq!(json_items(r#"{"items": []}"#), Some(vec![]));
        assert_eq!(json_items("kind: List\nitems: []"), None);
        assert_eq!(json_items(r#"{"items": {"a": 1}}"#), None);
        assert_eq!(json_items(r#"{"items": [{"a": 1"#), None);
    }

    #[test]
    fn yaml_items_of_a_list() {
        let doc = "kind: List\nitems:\n- a: 1\n  b: 2\n- {c: 3}\n-   d\n";
        let items = yaml_items(doc, serde_saphyr::Options::default()).unwrap();
        let texts: Vec<&str> = items.iter().map(|r| &doc[r.clone()]).collect();
        assert_eq!(texts, ["a: 1\n  b: 2\n- ", "{c: 3}\n-   ", "d\n"]);
        assert_eq!(
            yaml_items("items: x\n", serde_saphyr::Options::default()),
            None
        );
    }

    #[test]
    fn key_values_in_each_style() {
        let yaml = "metadata:\n  annotations: {x/name: a}\n  name: ../x # c\n";
        let r = key_value(yaml, "name", Some("../x")).unwrap();
        assert_eq!(&yaml[r], "../x");
        let flow = "{metadata: {namespace: 'A b', name: x}}";
        let r = key_value(flow, "namespace", Some("A b")).unwrap();
        assert_eq!(&flow[r], "'A b'");
        let json = r#"{"metadata":{"name" : "a","namespace":"B"}}"#;
        let r = key_value(json, "namespace", None).unwrap();
        assert_eq!(&json[r], "\"B\"");
        // Another value falls back to the first occurrence of the key.
        let r = key_value(json, "name", Some("zz")).unwrap();
        assert_eq!(&json[r], "\"a\"");
        assert_eq!(key_value("servicename: x", "name", None), None);
        let empty = "metadata:\n  name:\n";
        let r = key_value(empty, "name", None).unwrap();
        assert_eq!(&empty[r], "name");
    }
}
