//! Splits files into documents, parses YAML/JSON with positions, and decodes the
//! kinds ing2gw uses. Bad documents become error notifications with file, line and
//! column; the other documents are still processed.

use super::objects::*;
use super::{LineIndex, Origin, SourceFile, SourceSpan, v1beta1};
use crate::report::{Code, Notification, ObjectRef, Report};
use serde_json::Value;
use std::sync::Arc;

/// A document is not valid YAML/JSON.
pub const INPUT_ERROR: Code = Code("invalid-input");
/// A Kubernetes object does not decode into its type.
pub const INVALID_OBJECT: Code = Code("invalid-object");
/// Objects of kinds ing2gw does not use.
pub const SKIPPED_KINDS: Code = Code("skipped-kinds");

/// Decodes every document of `file` into `set`.
pub fn decode_documents(file: &SourceFile, set: &mut InputSet, report: &mut Report) {
    let errors = for_each_document(file, report, |value, origin, doc, report| {
        decode_value(value, origin, doc, set, report)
    });
    set.input_errors += errors;
}

/// Parses every YAML/JSON document of `file` and hands each to `f` with its origin
/// (and, for YAML, the document text for precise error positions). Syntax errors
/// become notifications; returns how many there were.
pub fn for_each_document(
    file: &SourceFile,
    report: &mut Report,
    mut f: impl FnMut(Value, &Origin, Option<&str>, &mut Report),
) -> usize {
    let mut errors = 0;
    let is_json = file.name.ends_with(".json")
        || (file.name == "<stdin>" && file.text.trim_start().starts_with(['{', '[']));
    let lines = Arc::new(LineIndex::new(&file.text));
    if is_json {
        errors += decode_json(file, &lines, report, &mut f);
    } else {
        for (offset, len) in split_yaml_documents(&file.text) {
            let doc = &file.text[offset..offset + len];
            if doc.trim().is_empty() || doc.lines().all(is_comment_or_blank) {
                continue;
            }
            let origin = Origin::File {
                file: file.name.clone(),
                text: file.text.clone(),
                lines: lines.clone(),
                doc_offset: offset,
                doc_len: len,
            };
            match serde_saphyr::from_str::<Value>(doc) {
                Ok(value) => f(value, &origin, Some(doc), report),
                Err(e) => {
                    errors += 1;
                    report.push(yaml_error(file, offset, doc, &e));
                }
            }
        }
    }
    errors
}

/// Decodes objects read from the cluster (no file positions).
pub fn decode_values(values: Vec<Value>, set: &mut InputSet, report: &mut Report) {
    for v in values {
        decode_value(v, &Origin::Cluster, None, set, report);
    }
}

fn is_comment_or_blank(l: &str) -> bool {
    let t = l.trim();
    t.is_empty() || t.starts_with('#')
}

/// Byte ranges of the documents of a YAML stream, split at `---` / `...` lines.
fn split_yaml_documents(text: &str) -> Vec<(usize, usize)> {
    let mut docs = Vec::new();
    let mut start = 0;
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let bare = line.trim_end_matches(['\n', '\r']);
        let is_start = bare == "---" || bare.starts_with("--- ") || bare.starts_with("---\t");
        let is_end = bare == "...";
        if is_start || is_end {
            docs.push((start, pos - start));
            start = if is_start { pos + 3 } else { pos + line.len() };
        }
        pos += line.len();
    }
    docs.push((start, text.len() - start));
    docs
}

fn looks_like_secret(doc: &str) -> bool {
    doc.lines()
        .any(|l| l.trim_end() == "kind: Secret" || l.trim_end() == "kind: \"Secret\"")
        || doc.contains("\"kind\":\"Secret\"")
        || doc.contains("\"kind\": \"Secret\"")
}

fn yaml_error(
    file: &SourceFile,
    doc_offset: usize,
    doc: &str,
    e: &serde_saphyr::Error,
) -> Notification {
    let (line, col) = e
        .location()
        .map(|l| (l.line() as usize, l.column() as usize))
        .unwrap_or((1, 1));
    let offset = doc_offset + offset_of(doc, line, col);
    syntax_error(
        file,
        offset,
        looks_like_secret(doc).then_some(
            "a Secret document is not valid YAML (details withheld: Secret data is never printed)",
        ),
        || format!("not valid YAML: {}", yaml_message(e)),
        "fix the syntax of this document; the other documents were still processed",
    )
}

/// An input error at byte `offset` of `file`. For a Secret (`secret_message` set)
/// neither the parser's message nor the span is shown: both could echo its data.
fn syntax_error(
    file: &SourceFile,
    offset: usize,
    secret_message: Option<&str>,
    message: impl FnOnce() -> String,
    suggestion: &str,
) -> Notification {
    let span = SourceSpan::at(&file.name, &file.text, offset, 1);
    let field = format!("{}:{}:{}", file.name, span.line, span.column);
    let (message, span) = match secret_message {
        Some(m) => (m.to_string(), None),
        None => (message(), Some(span)),
    };
    Notification::error(INPUT_ERROR, message)
        .span(span)
        .field(field)
        .suggest(suggestion)
}

/// Only `metadata`, to locate errors in documents whose spec shape differs from v1.
#[derive(serde::Deserialize)]
struct MetadataOnly {
    #[serde(rename = "metadata")]
    _metadata: Option<k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta>,
}

/// The parser's message without its position: that position is relative to the
/// document, while the notification carries the file's line and column.
fn yaml_message(e: &serde_saphyr::Error) -> String {
    let text = e.without_snippet().to_string();
    match text.rsplit_once(" at line ") {
        Some((message, pos)) if pos.contains(", column ") => message.to_string(),
        _ => text,
    }
}

/// Byte offset in `doc` of 1-based `line`/`col`.
fn offset_of(doc: &str, line: usize, col: usize) -> usize {
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

fn decode_json(
    file: &SourceFile,
    lines: &Arc<LineIndex>,
    report: &mut Report,
    f: &mut impl FnMut(Value, &Origin, Option<&str>, &mut Report),
) -> usize {
    let mut stream = serde_json::Deserializer::from_str(&file.text).into_iter::<Value>();
    loop {
        let start = stream.byte_offset();
        match stream.next() {
            None => return 0,
            Some(Ok(value)) => {
                let end = stream.byte_offset();
                let origin = Origin::File {
                    file: file.name.clone(),
                    text: file.text.clone(),
                    lines: lines.clone(),
                    doc_offset: start,
                    doc_len: end - start,
                };
                f(value, &origin, None, report);
            }
            Some(Err(e)) => {
                report.push(syntax_error(
                    file,
                    offset_of(&file.text, e.line(), e.column()),
                    looks_like_secret(&file.text).then_some(
                        "a JSON document containing a Secret is not valid (details withheld)",
                    ),
                    || format!("not valid JSON: {e}"),
                    "fix the JSON syntax; documents before this point were processed",
                ));
                return 1;
            }
        }
    }
}

fn str_at<'a>(v: &'a Value, ptr: &str) -> Option<&'a str> {
    v.pointer(ptr).and_then(Value::as_str)
}

fn decode_value(
    mut value: Value,
    origin: &Origin,
    yaml_doc: Option<&str>,
    set: &mut InputSet,
    report: &mut Report,
) {
    if value.is_null() {
        return;
    }
    let Some(kind) = str_at(&value, "/kind").map(str::to_string) else {
        report.push(
            Notification::error(INVALID_OBJECT, "document is not a Kubernetes object: expected a mapping with `apiVersion` and `kind`")
                .span(origin.doc_span()),
        );
        return;
    };
    let api_version = str_at(&value, "/apiVersion").unwrap_or("").to_string();
    if kind.ends_with("List") {
        if let Some(Value::Array(items)) = value.get_mut("items").map(Value::take) {
            for item in items {
                decode_value(item, origin, None, set, report);
            }
        }
        return;
    }
    let ns = str_at(&value, "/metadata/namespace")
        .unwrap_or("default")
        .to_string();
    let name = str_at(&value, "/metadata/name").unwrap_or("").to_string();
    match (kind.as_str(), api_version.as_str()) {
        (
            "Ingress",
            "networking.k8s.io/v1" | "networking.k8s.io/v1beta1" | "extensions/v1beta1",
        ) => {
            let v1 = api_version == "networking.k8s.io/v1";
            if !v1 {
                v1beta1::convert(&mut value);
            }
            set_default_namespace(&mut value);
            match serde_json::from_value::<k8s_openapi::api::networking::v1::Ingress>(value) {
                Ok(ing) if ing.metadata.name.as_deref().is_some_and(|n| !n.is_empty()) => set
                    .ingresses
                    .push(InputIngress::new(ing, origin.clone(), api_version)),
                Ok(_) => invalid(
                    report,
                    &kind,
                    &ns,
                    &name,
                    "metadata.name is missing".into(),
                    None,
                ),
                Err(e) => {
                    // Re-decode from the YAML text to get the line and column of the bad field.
                    let located = yaml_doc.and_then(|doc| {
                        let e = if v1 {
                            serde_saphyr::from_str::<k8s_openapi::api::networking::v1::Ingress>(doc)
                                .err()
                        } else {
                            None
                        };
                        // v1beta1 has another shape; its metadata is still v1.
                        let e = e.or_else(|| serde_saphyr::from_str::<MetadataOnly>(doc).err())?;
                        let loc = e.location()?;
                        Some((yaml_message(&e), loc.line() as usize, loc.column() as usize))
                    });
                    let (msg, span) = match (located, origin.document()) {
                        (Some((msg, line, col)), Some(doc)) => {
                            (msg, origin.span_in_document(offset_of(doc, line, col), 1))
                        }
                        _ => (e.to_string(), origin.doc_span()),
                    };
                    invalid(report, &kind, &ns, &name, msg, span)
                }
            }
        }
        ("IngressClass", "networking.k8s.io/v1" | "networking.k8s.io/v1beta1") => {
            match serde_json::from_value::<k8s_openapi::api::networking::v1::IngressClass>(value) {
                Ok(class) => set.ingress_classes.push(InputIngressClass {
                    class,
                    origin: origin.clone(),
                    obj: ObjectRef::new("IngressClass", None, &name),
                }),
                Err(e) => invalid(report, &kind, &ns, &name, e.to_string(), origin.doc_span()),
            }
        }
        ("Service", "v1") => {
            set_default_namespace(&mut value);
            match serde_json::from_value::<k8s_openapi::api::core::v1::Service>(value) {
                Ok(service) => set.services.push(InputService {
                    service,
                    origin: origin.clone(),
                    obj: ObjectRef::new("Service", Some(&ns), &name),
                }),
                Err(e) => invalid(report, &kind, &ns, &name, e.to_string(), origin.doc_span()),
            }
        }
        ("ConfigMap", "v1") => {
            let data = value
                .get("data")
                .and_then(Value::as_object)
                .map(|m| {
                    m.iter()
                        .map(|(k, v)| {
                            let s = match v {
                                Value::String(s) => s.clone(),
                                other => other.to_string(),
                            };
                            (k.clone(), s)
                        })
                        .collect()
                })
                .unwrap_or_default();
            set.config_maps.push(InputConfigMap {
                obj: ObjectRef::new("ConfigMap", Some(&ns), &name),
                data,
                origin: origin.clone(),
            });
        }
        ("Secret", "v1") => {
            // Keep the name and type only; the value (and its data) is dropped here.
            set.secrets.push(SecretMeta {
                obj: ObjectRef::new("Secret", Some(&ns), &name),
                secret_type: str_at(&value, "/type").map(str::to_string),
            });
        }
        _ => {
            *set.skipped_kinds
                .entry(format!("{kind} ({api_version})"))
                .or_default() += 1
        }
    }
}

fn set_default_namespace(value: &mut Value) {
    if let Some(meta) = value.get_mut("metadata").and_then(Value::as_object_mut)
        && !meta.contains_key("namespace")
    {
        meta.insert("namespace".into(), Value::String("default".into()));
    }
}

fn invalid(
    report: &mut Report,
    kind: &str,
    ns: &str,
    name: &str,
    msg: String,
    span: Option<SourceSpan>,
) {
    // Valid YAML/JSON with wrong content is a finding (exit 1 via --fail-on), not
    // an input error (exit 2): real repositories hold templates like `{name}`.
    let mut n = Notification::error(INVALID_OBJECT, format!("{kind} does not decode: {msg}"))
        .object(&ObjectRef::new(kind, Some(ns), name))
        .suggest("fix the field named above; this object was skipped, the others were processed");
    if let Some(s) = &span {
        n = n.field(format!("{}:{}:{}", s.file, s.line, s.column));
    }
    report.push(n.span(span));
}

/// One info notification counting the objects of kinds ing2gw does not use.
pub fn skipped_kinds_notification(set: &InputSet) -> Option<Notification> {
    if set.skipped_kinds.is_empty() {
        return None;
    }
    let list: Vec<String> = set
        .skipped_kinds
        .iter()
        .map(|(k, n)| format!("{n} {k}"))
        .collect();
    Some(
        Notification::info(SKIPPED_KINDS, format!("skipped objects of kinds ing2gw does not use: {}", list.join(", ")))
            .suggest("these objects are not part of the Ingress-NGINX configuration; apply them unchanged if you still need them"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn splits_documents_at_markers() {
        let text = "a: 1\n---\nb: 2\n--- \nc: 3\n...\n";
        let docs: Vec<&str> = split_yaml_documents(text)
            .into_iter()
            .map(|(o, l)| &text[o..o + l])
            .collect();
        assert_eq!(docs, vec!["a: 1\n", "\nb: 2\n", " \nc: 3\n", ""]);
    }

    #[test]
    fn offset_of_line_and_column() {
        let doc = "ab\ncdé\nf";
        assert_eq!(offset_of(doc, 2, 3), 5);
        assert_eq!(offset_of(doc, 3, 1), 8);
    }

    #[test]
    fn secret_data_is_never_kept() {
        let file = SourceFile {
            name: "s.yaml".into(),
            text: Arc::from(
                "apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: n}\ntype: kubernetes.io/tls\ndata: {tls.key: c2VjcmV0}\n",
            ),
        };
        let mut set = InputSet::default();
        let mut report = Report::default();
        decode_documents(&file, &mut set, &mut report);
        assert_eq!(set.secrets.len(), 1);
        assert_eq!(
            set.secrets[0].secret_type.as_deref(),
            Some("kubernetes.io/tls")
        );
        assert!(!format!("{set:?}").contains("c2VjcmV0"));
    }

    #[test]
    fn invalid_yaml_in_secret_withholds_details() {
        let file = SourceFile {
            name: "s.yaml".into(),
            text: Arc::from("kind: Secret\ndata:\n  key: [c2VjcmV0\n"),
        };
        let mut set = InputSet::default();
        let mut report = Report::default();
        decode_documents(&file, &mut set, &mut report);
        let notes = report.finish();
        assert_eq!(notes.len(), 1);
        assert!(!format!("{notes:?}").contains("c2VjcmV0"));
    }
}
