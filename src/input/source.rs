use serde::Serialize;
use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

/// A position in an input file: 1-based line and column plus the byte range,
/// so notifications can point at the exact text with miette.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct SourceSpan {
    /// Shared by every span of the file (one name, not one copy per span).
    #[serde(serialize_with = "serialize_str")]
    pub file: Arc<str>,
    pub line: usize,
    pub column: usize,
    #[serde(skip)]
    pub offset: usize,
    #[serde(skip)]
    pub length: usize,
}

impl SourceSpan {
    /// The span of `length` bytes at byte `offset` of `text`.
    pub fn at(file: &str, text: &str, offset: usize, length: usize) -> Self {
        let offset = offset.min(text.len());
        let before = &text[..floor_char_boundary(text, offset)];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        SourceSpan {
            file: Arc::from(file),
            line,
            column,
            offset,
            length: length.min(text.len() - offset),
        }
    }
}

fn serialize_str<S: serde::Serializer>(s: &Arc<str>, ser: S) -> Result<S::Ok, S::Error> {
    ser.serialize_str(s)
}

/// Byte offsets of the line starts of a file, so that an offset becomes a line
/// and column in O(log n): counting newlines from the file start for every span
/// (one per path) made large files quadratic.
#[derive(Debug, PartialEq, Eq)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        LineIndex {
            starts: std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect(),
        }
    }

    /// Same result as [`SourceSpan::at`] for the text this index was built from.
    pub fn span(&self, file: &Arc<str>, text: &str, offset: usize, length: usize) -> SourceSpan {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let column = text[start..floor_char_boundary(text, offset)]
            .chars()
            .count()
            + 1;
        SourceSpan {
            file: file.clone(),
            line,
            column,
            offset,
            length: length.min(text.len() - offset),
        }
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// One input file (or stdin) as read.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Display name: the path as given, or `<stdin>`.
    pub name: String,
    pub text: Arc<str>,
}

/// The text of every input file, for rendering snippets.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    files: BTreeMap<String, Arc<str>>,
}

impl SourceMap {
    pub fn insert(&mut self, file: &SourceFile) {
        self.files.insert(file.name.clone(), file.text.clone());
    }

    /// Like [`Self::insert`], with the bytes of `withheld` (Secrets) replaced by
    /// `*` so that no snippet shows them, whatever span it is around. Byte
    /// offsets and line breaks are kept, so every other span still points right.
    pub fn insert_withholding(&mut self, file: &SourceFile, withheld: &[Range<usize>]) {
        if withheld.is_empty() {
            return self.insert(file);
        }
        let mut ranges = withheld.to_vec();
        ranges.sort_by_key(|r| r.start);
        let mut ranges = ranges.into_iter().peekable();
        let mut text = String::with_capacity(file.text.len());
        for (at, c) in file.text.char_indices() {
            while ranges.next_if(|r| r.end <= at).is_some() {}
            let hidden = ranges.peek().is_some_and(|r| r.contains(&at));
            if matches!(c, '\n' | '\r') || !hidden {
                text.push(c);
            } else {
                text.extend(std::iter::repeat_n('*', c.len_utf8()));
            }
        }
        self.files.insert(file.name.clone(), Arc::from(text));
    }
    pub fn text(&self, name: &str) -> Option<&str> {
        self.files.get(name).map(|t| &**t)
    }
}

/// Where an object came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A document of a file: the file, the document's text and its byte offset in the file.
    File {
        file: Arc<str>,
        text: Arc<str>,
        /// Line starts of `text`, shared by every document of the file.
        lines: Arc<LineIndex>,
        doc_offset: usize,
        doc_len: usize,
    },
    /// Read from the cluster (no file span).
    Cluster,
}

impl Origin {
    /// The text of the document, when read from a file.
    pub fn document(&self) -> Option<&str> {
        match self {
            Origin::File {
                text,
                doc_offset,
                doc_len,
                ..
            } => text.get(*doc_offset..*doc_offset + *doc_len),
            Origin::Cluster => None,
        }
    }

    /// The byte range of the document in its file, when read from a file.
    pub fn byte_range(&self) -> Option<Range<usize>> {
        match self {
            Origin::File {
                doc_offset,
                doc_len,
                ..
            } => Some(*doc_offset..doc_offset + doc_len),
            Origin::Cluster => None,
        }
    }

    /// The origin of a part of this document (a `List` item), `range` being
    /// relative to the document.
    pub fn part(&self, range: Range<usize>) -> Origin {
        match self {
            Origin::File {
                file,
                text,
                lines,
                doc_offset,
                doc_len,
            } => {
                let start = range.start.min(*doc_len);
                Origin::File {
                    file: file.clone(),
                    text: text.clone(),
                    lines: lines.clone(),
                    doc_offset: doc_offset + start,
                    doc_len: range.end.clamp(start, *doc_len) - start,
                }
            }
            Origin::Cluster => Origin::Cluster,
        }
    }

    /// The span of the value of field `key` in this document (preferring the
    /// occurrence whose value is `value`), else of the document.
    pub fn find_field(&self, key: &str, value: Option<&str>) -> Option<SourceSpan> {
        self.document()
            .and_then(|doc| super::locate::key_value(doc, key, value))
            .and_then(|r| self.span_in_document(r.start, r.len()))
            .or_else(|| self.doc_span())
    }

    /// The span of `len` bytes at byte `offset` of the document, when read from a file.
    pub fn span_in_document(&self, offset: usize, len: usize) -> Option<SourceSpan> {
        match self {
            Origin::File {
                file,
                text,
                lines,
                doc_offset,
                ..
            } => Some(lines.span(file, text, doc_offset + offset, len)),
            Origin::Cluster => None,
        }
    }

    /// The span of the whole document (first line).
    pub fn doc_span(&self) -> Option<SourceSpan> {
        // Point at the first line with content, not at the rest of the
        // `---` marker or at leading comments.
        let doc = self.document()?;
        let mut start = 0;
        for line in doc.split_inclusive('\n') {
            let t = line.trim();
            if !t.is_empty() && !t.starts_with('#') {
                start += line.len() - line.trim_start().len();
                break;
            }
            start += line.len();
        }
        if start >= doc.len() {
            start = 0;
        }
        let len = doc[start..].find('\n').unwrap_or(doc.len() - start);
        self.span_in_document(start, len)
    }

    /// The span of the first occurrence of `needle` in this document, if any.
    pub fn find_exact(&self, needle: &str) -> Option<SourceSpan> {
        let i = self.document()?.find(needle)?;
        self.span_in_document(i, needle.len())
    }

    /// The span of occurrence `nth` (from 0) of `needle` as a whole value: the
    /// next character ends it (`/foo` does not count inside `/foobar`).
    pub fn find_nth_token(&self, needle: &str, nth: usize) -> Option<SourceSpan> {
        let doc = self.document()?;
        let (i, _) = doc
            .match_indices(needle)
            .filter(|(i, _)| {
                doc[i + needle.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| c.is_whitespace() || matches!(c, ',' | '}' | ']' | '#'))
            })
            .nth(nth)?;
        self.span_in_document(i, needle.len())
    }

    /// The span of the first line of this document containing `needle` (e.g. an
    /// annotation key), falling back to the document start.
    pub fn find_span(&self, needle: &str) -> Option<SourceSpan> {
        self.find_exact(needle).or_else(|| self.doc_span())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nth_token_skips_longer_values_and_counts_repeats() {
        let text = "x\n- path: /foobar\n- path: /foo\n- {path: /foo, a: b}\n";
        let origin = Origin::File {
            file: "f".into(),
            text: Arc::from(text),
            lines: Arc::new(LineIndex::new(text)),
            doc_offset: 2,
            doc_len: text.len() - 2,
        };
        let line = |n| origin.find_nth_token("path: /foo", n).map(|s| s.line);
        assert_eq!(line(0), Some(3));
        assert_eq!(line(1), Some(4));
        assert_eq!(line(2), None);
    }

    #[test]
    fn line_index_agrees_with_counting() {
        let text = "ab\ncdé\n\nfgh\n";
        let index = LineIndex::new(text);
        for offset in 0..=text.len() {
            if text.is_char_boundary(offset) {
                assert_eq!(
                    index.span(&Arc::from("f"), text, offset, 1),
                    SourceSpan::at("f", text, offset, 1),
                    "offset {offset}"
                );
            }
        }
    }
}
