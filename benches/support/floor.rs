//! The floor program: the least any YAML-to-YAML tool must do with an estate —
//! read the file, parse every document with serde-saphyr (the parser ing2gw
//! uses) into a generic value, and serialise it back to stdout. The bench runs it
//! as a child process on the same file as the commands it measures, in the same
//! run, and reports each command's cost as a multiple of it.

use std::io::{self, Write};
use std::path::Path;

/// Parses `path` and writes it back as YAML to `out`; returns the number of
/// documents.
pub fn floor(path: &Path, out: &mut impl Write) -> io::Result<usize> {
    let text = std::fs::read_to_string(path)?;
    // The same scaling budget as ing2gw's reader (`input::documents::yaml_options`,
    // which parses one document at a time): serde-saphyr's default caps would
    // refuse a large estate.
    let mut budget = serde_saphyr::Budget::default();
    budget.max_nodes = budget.max_nodes.max(text.len().saturating_mul(2));
    budget.max_events = budget.max_events.max(text.len().saturating_mul(4));
    budget.max_total_scalar_bytes = budget.max_total_scalar_bytes.max(text.len());
    // A stream of 10k Ingresses is 10k documents (the default cap is 1,024).
    budget.max_documents = budget.max_documents.max(text.len());
    let options = serde_saphyr::options! { budget: Some(budget) };
    let docs: Vec<serde_json::Value> = serde_saphyr::from_multiple_with_options(&text, options)
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.to_string()))?;
    let yaml = serde_saphyr::to_string_multiple(&docs)
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.to_string()))?;
    out.write_all(yaml.as_bytes())?;
    out.flush()?;
    Ok(docs.len())
}

/// The streaming floor: the same parse and re-serialisation, one document at a
/// time — each document's value and text are dropped once written, so only the
/// file text and one document are ever held. Its peak RSS is what a tool that
/// translates while it reads could reach; [`floor`] (everything parsed, then
/// everything written) is what a parse-all-then-write tool pays. Documents are
/// split at `---` lines, as the estates are written.
pub fn floor_streaming(path: &Path, out: &mut impl Write) -> io::Result<usize> {
    let text = std::fs::read_to_string(path)?;
    let mut count = 0;
    let mut start = 0;
    let mut docs = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_end() == "---" {
            docs.push(start..at);
            start = at + line.len();
        }
        at += line.len();
    }
    docs.push(start..text.len());
    for range in docs {
        let doc = &text[range];
        if doc.trim().is_empty() {
            continue;
        }
        let mut budget = serde_saphyr::Budget::default();
        budget.max_nodes = budget.max_nodes.max(doc.len().saturating_mul(2));
        budget.max_events = budget.max_events.max(doc.len().saturating_mul(4));
        budget.max_total_scalar_bytes = budget.max_total_scalar_bytes.max(doc.len());
        let options = serde_saphyr::options! { budget: Some(budget) };
        let value: serde_json::Value = serde_saphyr::from_str_with_options(doc, options)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.to_string()))?;
        let yaml = serde_saphyr::to_string(&value)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.to_string()))?;
        out.write_all(b"---\n")?;
        out.write_all(yaml.as_bytes())?;
        count += 1;
    }
    out.flush()?;
    Ok(count)
}
