//! Splits files into documents, parses them (YAML with serde-saphyr, JSON with
//! serde_json, both rejecting duplicate keys), unwraps `List`s so that every item
//! keeps its own position, and sets aside what is not for ing2gw:
//!
//! * documents that are not Kubernetes objects (no `kind`: `values.yaml`,
//!   `Chart.yaml`, `package.json`, CI workflows, scalars, arrays) and documents that
//!   do not parse and never mention `kind`/`apiVersion` (`tsconfig.json` with
//!   comments) are skipped with one info notification per file, without showing
//!   their text (such files often hold credentials);
//! * documents that do not parse and hold `{{ … }}` are Helm/Go templates: skipped
//!   with one notification per file (a warning when they mention `Ingress`);
//! * a document that does not parse but mentions `kind` or `apiVersion` is an input
//!   error (exit 2), with file, line and column.
//!
//! Secrets never reach the terminal: the byte ranges of Secret objects (decided
//! from the parsed structure: any object whose `kind` is `Secret`, inside a `List`
//! too) and of unparseable documents that might be Secrets are returned as
//! *withheld*, and the text used to render snippets has them blanked out; an error
//! about such a document shows neither a snippet nor the parser's message.

use super::{LineIndex, Origin, SourceFile, locate};
use crate::report::{Code, Notification, Report};
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::fmt;
use std::ops::Range;
use std::sync::Arc;

/// A document is not valid YAML/JSON.
pub const INPUT_ERROR: Code = Code("invalid-input");
/// A Kubernetes object does not decode into its type, or breaks Kubernetes' rules.
pub const INVALID_OBJECT: Code = Code("invalid-object");
/// Documents that are not Kubernetes objects were skipped (one per file).
pub const NOT_KUBERNETES: Code = Code("not-kubernetes");
/// Helm/Go templates that do not parse were skipped (one per file).
pub const TEMPLATE_SKIPPED: Code = Code("template-skipped");

/// What reading the documents of one file found, besides the objects.
#[derive(Debug, Default)]
pub struct DocumentsRead {
    /// Documents that are not valid YAML/JSON and look like Kubernetes objects.
    pub errors: usize,
    /// Byte ranges of the file never to be shown: Secrets, and documents that
    /// do not parse and might be Secrets.
    pub withheld: Vec<Range<usize>>,
    /// Documents skipped although they did not parse (templates, no `kind`): what
    /// they would have produced is unknown.
    pub unparsed_skipped: usize,
}

/// Parses every document of `file` and hands each Kubernetes object to `f` with
/// its origin (a `List` item gets its own) and, for a top-level YAML document, the
/// document text for precise error positions. Syntax errors and skipped documents
/// become notifications.
pub fn for_each_document(
    file: &SourceFile,
    report: &mut Report,
    f: impl FnMut(Value, &Origin, Option<&str>, &mut Report),
) -> DocumentsRead {
    let mut walk = Walk {
        file,
        lines: Arc::new(LineIndex::new(&file.text)),
        name: Arc::from(file.name.as_str()),
        read: DocumentsRead::default(),
        skipped: Skipped::default(),
        report,
        f,
    };
    let is_json = file.name.ends_with(".json")
        || (file.name == "<stdin>" && file.text.trim_start().starts_with(['{', '[']));
    if is_json {
        walk.json();
    } else {
        walk.yaml();
    }
    walk.skipped.notify(file, walk.report);
    walk.read
}

/// Objects read from the cluster: `List`s are unwrapped like in files.
pub fn for_each_value(
    values: Vec<Value>,
    report: &mut Report,
    mut f: impl FnMut(Value, &Origin, Option<&str>, &mut Report),
) {
    let mut out = Vec::new();
    for v in values {
        unwrap_lists(v, Origin::Cluster, None, 0, &mut out, report);
    }
    for (v, origin) in out {
        f(v, &origin, None, report);
    }
}

/// The parser options: serde-saphyr's budget guards against alias bombs and
/// deep nesting, but its node and event caps also limit plain size (a
/// `kubectl get ingress -A -o yaml` of 3,400 Ingresses breached them). Those
/// scale with the document; the alias, anchor, replay and depth limits do not.
pub fn yaml_options(len: usize) -> serde_saphyr::Options {
    serde_saphyr::options! { budget: Some(scaled_budget(len)) }
}

/// [`yaml_options`] for a whole multi-document stream parsed in one call (`diff
/// --against`): the document count scales with the text too (a document takes
/// at least a few bytes, so `len / 4` bounds it).
pub fn yaml_stream_options(len: usize) -> serde_saphyr::Options {
    let mut budget = scaled_budget(len);
    budget.max_documents = budget.max_documents.max(len / 4 + 1);
    serde_saphyr::options! { budget: Some(budget) }
}

fn scaled_budget(len: usize) -> serde_saphyr::Budget {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_nodes = budget.max_nodes.max(len.saturating_mul(2));
    budget.max_events = budget.max_events.max(len.saturating_mul(4));
    budget.max_total_scalar_bytes = budget.max_total_scalar_bytes.max(len);
    budget
}

/// Documents parsed at once (in parallel) before they are handled in order.
const PARSE_CHUNK: usize = 256;

struct Walk<'a, F> {
    file: &'a SourceFile,
    lines: Arc<LineIndex>,
    /// The file's name, shared by every origin and span of the file.
    name: Arc<str>,
    read: DocumentsRead,
    skipped: Skipped,
    report: &'a mut Report,
    f: F,
}

impl<F: FnMut(Value, &Origin, Option<&str>, &mut Report)> Walk<'_, F> {
    fn origin(&self, range: Range<usize>) -> Origin {
        Origin::File {
            file: self.name.clone(),
            text: self.file.text.clone(),
            lines: self.lines.clone(),
            doc_offset: range.start,
            doc_len: range.len(),
        }
    }

    fn yaml(&mut self) {
        use rayon::prelude::*;
        let text = self.file.text.clone();
        let ranges = split_yaml_documents(&text);
        // Documents parse independently, on every core; they are then handled in
        // file order. In chunks, so only a chunk's parsed values are held at once.
        for chunk in ranges.chunks(PARSE_CHUNK) {
            let parsed: Vec<_> = chunk
                .par_iter()
                .map(|range| {
                    let doc = text.get(range.clone())?;
                    if doc.lines().all(is_comment_or_blank) {
                        return None;
                    }
                    let value =
                        serde_saphyr::from_str_with_options::<Value>(doc, yaml_options(doc.len()));
                    Some((range.clone(), doc, value))
                })
                .collect();
            for (range, doc, value) in parsed.into_iter().flatten() {
                self.yaml_document(range, doc, value);
            }
        }
    }

    fn yaml_document(
        &mut self,
        range: Range<usize>,
        doc: &str,
        value: Result<Value, serde_saphyr::Error>,
    ) {
        match value {
            Ok(value) => self.top(value, self.origin(range), Some(doc)),
            Err(e) => {
                let (line, col) = e
                    .location()
                    .map(|l| (l.line() as usize, l.column() as usize))
                    .unwrap_or((1, 1));
                let at = range.start + offset_of(doc, line, col);
                self.unparseable(range, doc, at, || {
                    (
                        format!("not valid YAML: {}", yaml_message(&e)),
                        "fix the syntax of this document; the other documents were still processed",
                    )
                });
            }
        }
    }

    fn json(&mut self) {
        let text = self.file.text.clone();
        let mut stream = serde_json::Deserializer::from_str(&text).into_iter::<Checked>();
        loop {
            let start = stream.byte_offset();
            match stream.next() {
                None => return,
                Some(Ok(Checked(value))) => {
                    let end = stream.byte_offset();
                    self.top(value, self.origin(start..end), None);
                }
                Some(Err(e)) => {
                    let rest = text.get(start..).unwrap_or_default();
                    let at = offset_of(&text, e.line(), e.column());
                    self.unparseable(start..text.len(), rest, at, || {
                        (
                            format!("not valid JSON: {e}"),
                            "fix the JSON syntax; documents before this point were processed",
                        )
                    });
                    return;
                }
            }
        }
    }

    /// A document that does not parse, at byte `range` of the file (`doc` is its
    /// text), the parser stopping at byte `at`.
    fn unparseable(
        &mut self,
        range: Range<usize>,
        doc: &str,
        at: usize,
        message: impl FnOnce() -> (String, &'static str),
    ) {
        let secret = might_be_secret(doc);
        if secret {
            self.read.withheld.push(range.clone());
        }
        let line = self
            .lines
            .span(&self.name, &self.file.text, range.start, 0)
            .line;
        if looks_like_template(doc) {
            self.read.unparsed_skipped += 1;
            self.skipped.template(line, doc.contains("Ingress"));
        } else if !mentions_kubernetes(doc) {
            self.read.unparsed_skipped += 1;
            self.skipped.other(line);
        } else {
            self.read.errors += 1;
            let span = self.lines.span(&self.name, &self.file.text, at, 1);
            let field = format!("{}:{}:{}", span.file, span.line, span.column);
            let (message, suggestion) = message();
            let n = if secret {
                // Both the snippet and the parser's message could echo Secret data.
                Notification::error(
                    INPUT_ERROR,
                    "a document that may be a Secret is not valid (details withheld: Secret data is never printed)",
                )
            } else {
                Notification::error(INPUT_ERROR, message).span(Some(span))
            };
            self.report.push(n.field(field).suggest(suggestion));
        }
    }

    fn top(&mut self, value: Value, origin: Origin, yaml_doc: Option<&str>) {
        match shape(&value) {
            Shape::Empty => {}
            Shape::Other => {
                let line = origin.doc_span().map_or(1, |s| s.line);
                self.skipped.other(line);
            }
            shape @ (Shape::List | Shape::Object) => {
                let mut out = Vec::new();
                unwrap_lists(value, origin, yaml_doc, 0, &mut out, self.report);
                // The document text only locates errors of a top-level object.
                let doc = yaml_doc.filter(|_| shape == Shape::Object);
                for (v, origin) in out {
                    if str_at(&v, "/kind") == Some("Secret")
                        && let Some(r) = origin.byte_range()
                    {
                        self.read.withheld.push(r);
                    }
                    (self.f)(v, &origin, doc, self.report);
                }
            }
        }
    }
}

/// Lists nest at most this deep (the YAML parser caps nesting anyway).
const MAX_LIST_DEPTH: usize = 16;

/// Appends the objects of `value` (itself, or the items of a `List`, recursively)
/// with their origins to `out`; malformed `List`s become notifications.
fn unwrap_lists(
    mut value: Value,
    origin: Origin,
    yaml_doc: Option<&str>,
    depth: usize,
    out: &mut Vec<(Value, Origin)>,
    report: &mut Report,
) {
    if shape(&value) != Shape::List {
        out.push((value, origin));
        return;
    }
    let kind = str_at(&value, "/kind").unwrap_or_default().to_string();
    let items = match value.get_mut("items").map(Value::take) {
        None | Some(Value::Null) => return,
        Some(Value::Array(items)) if depth < MAX_LIST_DEPTH => items,
        Some(Value::Array(_)) => {
            report.push(list_error(
                &origin,
                &kind,
                "Lists are nested too deeply".into(),
            ));
            return;
        }
        Some(other) => {
            let found = type_name(&other);
            report.push(list_error(
                &origin,
                &kind,
                format!("`items` must be a list of objects, found {found}"),
            ));
            return;
        }
    };
    let ranges = origin
        .document()
        .and_then(|doc| match yaml_doc {
            Some(yaml) => locate::yaml_items(yaml, yaml_options(yaml.len())),
            None => locate::json_items(doc),
        })
        .filter(|r| r.len() == items.len());
    let origins: Vec<Origin> = match ranges {
        Some(ranges) => ranges.into_iter().map(|r| origin.part(r)).collect(),
        None => vec![origin.clone(); items.len()],
    };
    for (i, (item, item_origin)) in items.into_iter().zip(origins).enumerate() {
        match shape(&item) {
            Shape::Object | Shape::List => {
                unwrap_lists(item, item_origin, None, depth + 1, out, report)
            }
            Shape::Empty | Shape::Other => report.push(list_error(
                &item_origin,
                &kind,
                format!(
                    "item {i} is not a Kubernetes object (a mapping with `apiVersion` and `kind`)"
                ),
            )),
        }
    }
}

fn list_error(origin: &Origin, kind: &str, message: String) -> Notification {
    let span = origin.find_field("items", None);
    let secret = origin.document().is_some_and(might_be_secret);
    let mut n = Notification::error(INVALID_OBJECT, format!("{kind}: {message}"))
        .suggest("fix the List; its objects were skipped, the other documents were processed");
    if let Some(s) = &span {
        n = n.field(format!("{}:{}:{}", s.file, s.line, s.column));
    }
    if secret { n } else { n.span(span) }
}

/// What a value is, for messages (never the value: it could be Secret data).
pub(crate) fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Shape {
    /// An empty document.
    Empty,
    /// Not a Kubernetes object: no string `kind` (scalars, arrays, config files).
    Other,
    /// A `kind: …List` with `items`.
    List,
    /// A mapping with a `kind`.
    Object,
}

fn shape(v: &Value) -> Shape {
    match v {
        Value::Null => Shape::Empty,
        Value::Object(m) => match m.get("kind") {
            Some(Value::String(k)) if k.ends_with("List") => Shape::List,
            Some(Value::String(k)) if !k.is_empty() => Shape::Object,
            _ => Shape::Other,
        },
        _ => Shape::Other,
    }
}

pub(crate) fn str_at<'a>(v: &'a Value, ptr: &str) -> Option<&'a str> {
    pointer(v, ptr).and_then(Value::as_str)
}

/// [`Value::pointer`], without its two allocations per segment when every
/// segment up to the target is an object key without escapes (`metadata/name`
/// of thousands of documents); the others are `Value::pointer`'s own.
pub(crate) fn pointer<'a>(v: &'a Value, ptr: &str) -> Option<&'a Value> {
    let Some(rest) = ptr.strip_prefix('/').filter(|_| !ptr.contains('~')) else {
        return v.pointer(ptr);
    };
    let mut at = v;
    for key in rest.split('/') {
        at = match at {
            Value::Object(map) => map.get(key)?,
            _ => return v.pointer(ptr),
        };
    }
    Some(at)
}

/// Documents skipped in one file, reported once for the file.
#[derive(Default)]
struct Skipped {
    other: usize,
    other_line: Option<usize>,
    templates: usize,
    template_line: Option<usize>,
    template_of_ingress: bool,
}

impl Skipped {
    fn other(&mut self, line: usize) {
        self.other += 1;
        self.other_line.get_or_insert(line);
    }

    fn template(&mut self, line: usize, ingress: bool) {
        self.templates += 1;
        self.template_line.get_or_insert(line);
        self.template_of_ingress |= ingress;
    }

    /// No snippet: these files (`values.yaml`, workflows) often hold credentials.
    fn notify(&self, file: &SourceFile, report: &mut Report) {
        if let Some(line) = self.other_line {
            report.push(
                Notification::info(
                    NOT_KUBERNETES,
                    format!(
                        "skipped {} document(s) that are not Kubernetes objects (no `kind`, or not YAML/JSON and no `kind`/`apiVersion`)",
                        self.other
                    ),
                )
                .field(format!("{}:{line}", file.name))
                .suggest("nothing to do if this file is not a manifest; otherwise add `apiVersion` and `kind`"),
            );
        }
        if let Some(line) = self.template_line {
            let message = format!(
                "skipped {} document(s) that look like Helm/Go templates (`{{{{ … }}}}`) and are not valid YAML/JSON",
                self.templates
            );
            let n = if self.template_of_ingress {
                Notification::warning(
                    TEMPLATE_SKIPPED,
                    format!("{message}; they mention Ingress, which is not translated"),
                )
            } else {
                Notification::info(TEMPLATE_SKIPPED, message)
            };
            report.push(n.field(format!("{}:{line}", file.name)).suggest(
                "render the chart first (`helm template …`) and pass its output to ing2gw",
            ));
        }
    }
}

fn is_comment_or_blank(l: &str) -> bool {
    let t = l.trim();
    t.is_empty() || t.starts_with('#')
}

/// Byte ranges of the documents of a YAML stream, split at `---` / `...` lines.
fn split_yaml_documents(text: &str) -> Vec<Range<usize>> {
    let mut docs = Vec::new();
    let mut start = 0;
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let bare = line.trim_end_matches(['\n', '\r']);
        let is_start = bare == "---" || bare.starts_with("--- ") || bare.starts_with("---\t");
        let is_end = bare == "...";
        if is_start || is_end {
            docs.push(start..pos.max(start));
            start = if is_start { pos + 3 } else { pos + line.len() };
        }
        pos += line.len();
    }
    docs.push(start..text.len().max(start));
    docs
}

/// Whether a document that does not parse might be a Secret. Conservative: any
/// `secret` in any case, or an escape that could spell it (`\x53`, `\u0053`, a
/// line continuation inside a quoted string).
pub fn might_be_secret(doc: &str) -> bool {
    contains_ignore_case(doc, "secret") || has_spelling_escape(doc)
}

/// Whether a document that does not parse could be a Kubernetes object.
fn mentions_kubernetes(doc: &str) -> bool {
    doc.contains("kind") || doc.contains("apiVersion") || has_spelling_escape(doc)
}

fn looks_like_template(doc: &str) -> bool {
    doc.contains("{{") && doc.contains("}}")
}

fn contains_ignore_case(haystack: &str, needle: &str) -> bool {
    haystack
        .as_bytes()
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Escapes that produce letters in YAML double-quoted or JSON strings.
fn has_spelling_escape(doc: &str) -> bool {
    doc.as_bytes()
        .windows(2)
        .any(|w| w[0] == b'\\' && matches!(w[1], b'x' | b'u' | b'U' | b'\n' | b'\r'))
}

/// The parser's message without its position: that position is relative to the
/// document, while the notification carries the file's line and column.
pub(crate) fn yaml_message(e: &serde_saphyr::Error) -> String {
    let text = e.without_snippet().to_string();
    match text.rsplit_once(" at line ") {
        Some((message, pos)) if pos.contains(", column ") => message.to_string(),
        _ => text,
    }
}

/// Byte offset in `doc` of 1-based `line`/`col`.
pub(crate) fn offset_of(doc: &str, line: usize, col: usize) -> usize {
    let mut off = 0;
    for (i, l) in doc.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            let chars: usize = l
                .chars()
                .take(col.saturating_sub(1))
                .map(char::len_utf8)
                .sum();
            return off + chars.min(l.len());
        }
        off += l.len();
    }
    doc.len().saturating_sub(1)
}

/// A JSON value read like [`Value`], except that a duplicate key in an object is
/// an error (as YAML duplicates are): serde_json silently keeps the last one,
/// which would let a later `"namespace"` or annotation hide an earlier one.
struct Checked(Value);

impl<'de> Deserialize<'de> for Checked {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(CheckedVisitor).map(Checked)
    }
}

struct CheckedVisitor;

impl<'de> Visitor<'de> for CheckedVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Checked::deserialize(d).map(|c| c.0)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(Checked(v)) = seq.next_element()? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                return Err(de::Error::custom(format!(
                    "duplicate key {}",
                    super::validate::shown(&key)
                )));
            }
            let Checked(v) = map.next_value()?;
            out.insert(key, v);
        }
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn pointer_is_value_pointer() {
        let v: Value = serde_json::json!({
            "metadata": {"name": "n", "": {"x": 1}, "a/b": 2, "m~n": 3},
            "items": [{"name": "i0"}, {"name": "i1"}],
            "s": "text",
        });
        for ptr in [
            "",
            "/",
            "/metadata",
            "/metadata/name",
            "/metadata/missing",
            "/metadata//x",
            "/metadata/a~1b",
            "/metadata/m~0n",
            "/items/1/name",
            "/items/01/name",
            "/items/+1",
            "/items/9",
            "/s/x",
            "metadata",
            "/metadata/name/x",
        ] {
            assert_eq!(pointer(&v, ptr), v.pointer(ptr), "{ptr}");
        }
    }

    use super::*;

    fn docs(text: &str) -> Vec<&str> {
        split_yaml_documents(text)
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn splits_documents_at_markers() {
        let text = "a: 1\n---\nb: 2\n--- \nc: 3\n...\n";
        assert_eq!(docs(text), vec!["a: 1\n", "\nb: 2\n", " \nc: 3\n", ""]);
    }

    #[test]
    fn offset_of_line_and_column() {
        let doc = "ab\ncdé\nf";
        assert_eq!(offset_of(doc, 2, 3), 5);
        assert_eq!(offset_of(doc, 3, 1), 8);
    }

    #[test]
    fn secret_suspicion_is_conservative() {
        for doc in [
            "kind: Secret # c\n",
            "kind: 'Secret'",
            "kind:\tSecret",
            "{kind: SECRET, data: {a: b}}",
            "kind: \"\\x53ecret\"",
            "{\"kind\": \"\\u0053ecret\"}",
            "kind: \"Sec\\\nret\"",
        ] {
            assert!(might_be_secret(doc), "{doc}");
        }
        assert!(!might_be_secret("kind: Ingress\npath: /a\\.b"));
    }

    #[test]
    fn json_duplicate_keys_are_errors() {
        let mut s =
            serde_json::Deserializer::from_str("{\"a\": 1,\n \"a\": 2}").into_iter::<Checked>();
        let e = s.next().unwrap().err().unwrap();
        assert!(e.to_string().contains("duplicate key a"), "{e}");
        assert_eq!(e.line(), 2);
        let ok: Checked =
            serde_json::from_str(r#"{"a": [1, -2, 2.5, "x", null, true, {"b": {}}]}"#).unwrap();
        assert_eq!(
            ok.0,
            serde_json::json!({"a": [1, -2, 2.5, "x", null, true, {"b": {}}]})
        );
    }
}
