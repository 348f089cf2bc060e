//! SARIF 2.1.0 output of the notifications (`--report-format sarif`, `--sarif FILE`).
//!
//! Code-scanning services (GitHub, and GitLab through a converter) show SARIF
//! results inline on pull requests. What we write, and why:
//! * one run, tool `ing2gw`, one rule per notification code present (rule id =
//!   the code; the rule text is taken from the first notification of that code
//!   and the first suggestion given for it: there is no per-code catalog text);
//! * levels: error → `error`, warning → `warning`, info → `note`;
//! * locations: the file span as a URI relative to the repository root
//!   (`--sarif-root`, default: the git top level of the first `-f` input, else
//!   the current directory) with `uriBaseId` `%SRCROOT%`; a notification
//!   without a span of its own points at the first line of its object's
//!   document ([`ObjectSpans`]). A file outside that
//!   root, stdin and cluster objects get no physical location (an absolute path
//!   of this machine is never written): the object is a logical location;
//! * accepted notifications (`--accept`) are kept, with an external suppression
//!   and the accept reason as justification, so code scanning shows them as
//!   dismissed instead of silently losing them;
//! * a partial fingerprint per result (code, object, field) lets a service follow
//!   a finding when lines move;
//! * deterministic: results in the notification order of `--report`, rules sorted
//!   by code, no timestamps, no machine paths.
//!
//! The writer is a function of the notification list, so every command that has
//! notifications (print, verify, validate) writes SARIF the same way.

use super::{Code, Notification, ObjectRef, Report, Severity};
use crate::input::SourceSpan;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

/// The `$schema` written in every log (the SARIF 2.1.0 schema's usual address).
pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// The base id every relative artifact URI is resolved against.
pub const SRCROOT: &str = "%SRCROOT%";

/// Where locations are made relative to: the repository root.
#[derive(Debug, Clone)]
pub struct SarifRoot {
    /// Absolute, symlinks resolved when the directory exists.
    root: PathBuf,
    /// The directory relative input names are resolved against.
    cwd: PathBuf,
}

impl SarifRoot {
    /// `explicit` is `--sarif-root`; else the git top level (the nearest parent
    /// holding `.git`) of the first file input; else the current directory.
    pub fn new(explicit: Option<&Path>, inputs: &[String]) -> Result<Self, String> {
        let cwd = std::env::current_dir()
            .map_err(|e| format!("cannot read the current directory: {e}"))?;
        let root = match explicit {
            Some(dir) => {
                let abs = cwd.join(dir);
                if !abs.is_dir() {
                    return Err(format!("--sarif-root {}: not a directory", dir.display()));
                }
                abs
            }
            None => inputs
                .iter()
                .flat_map(|i| i.split(','))
                .find(|i| !i.is_empty() && *i != "-")
                .and_then(|first| git_toplevel(&cwd.join(first)))
                .unwrap_or_else(|| cwd.clone()),
        };
        Ok(SarifRoot {
            root: resolve(&root),
            cwd,
        })
    }

    /// A root given as is (tests): `root` and `cwd` must be absolute.
    pub fn with_dirs(root: PathBuf, cwd: PathBuf) -> Self {
        SarifRoot {
            root: resolve(&root),
            cwd,
        }
    }

    /// The URI of `file` (an input name as notifications carry it) relative to
    /// the root, `/`-separated and percent-encoded; `None` for stdin or a file
    /// outside the root.
    pub fn relative_uri(&self, file: &str) -> Option<String> {
        if file.is_empty() || file.starts_with('<') || file == "-" {
            return None;
        }
        let abs = resolve(&self.cwd.join(file));
        let rel = abs.strip_prefix(&self.root).ok()?;
        let mut parts = Vec::new();
        for c in rel.components() {
            match c {
                Component::Normal(p) => parts.push(percent_encode(&p.to_string_lossy())),
                _ => return None,
            }
        }
        (!parts.is_empty()).then(|| parts.join("/"))
    }
}

/// The nearest directory at or above `path` (a file or a folder) that holds a
/// `.git` entry (a repository or a worktree), without running git.
fn git_toplevel(path: &Path) -> Option<PathBuf> {
    let start = resolve(path);
    let mut dir = if start.is_dir() {
        start.as_path()
    } else {
        start.parent()?
    };
    loop {
        if dir.join(".git").exists() {
            return Some(dir.to_path_buf());
        }
        dir = dir.parent()?;
    }
}

/// `path` with symlinks resolved when it exists, else lexically normalised.
fn resolve(path: &Path) -> PathBuf {
    if let Ok(p) = path.canonicalize() {
        return p;
    }
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
fn percent_encode(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Where each input object's document starts: the location of a notification
/// that names an object but no span of its own (code scanning shows a result
/// without a file location nowhere in the code).
pub type ObjectSpans = BTreeMap<ObjectRef, SourceSpan>;

/// SARIF level of a severity.
pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The SARIF 2.1.0 log of `notes`: `tool_version` is the full version string
/// (`ing2gw --version`), `semantic_version` the crate version.
pub fn to_sarif(
    notes: &[Notification],
    root: &SarifRoot,
    objects: &ObjectSpans,
    tool_version: &str,
    semantic_version: &str,
) -> Value {
    let mut report = Report::default();
    report.extend(notes.iter().cloned());
    let notes = report.finish();
    let rules = rules(&notes);
    let index: BTreeMap<Code, usize> = rules.keys().enumerate().map(|(i, c)| (*c, i)).collect();
    let results: Vec<Value> = notes
        .iter()
        .map(|n| result(n, index.get(&n.code).copied().unwrap_or(0), root, objects))
        .collect();
    json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "ing2gw",
                    "version": tool_version,
                    "semanticVersion": semantic_version,
                    "rules": rules.into_values().collect::<Vec<_>>(),
                }
            },
            "originalUriBaseIds": {
                SRCROOT: {
                    "description": {
                        "text": "The repository root (--sarif-root; default: the git top level of the input)."
                    }
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    })
}

/// `to_sarif` as pretty JSON text with a final newline.
pub fn to_sarif_string(
    notes: &[Notification],
    root: &SarifRoot,
    objects: &ObjectSpans,
    tool_version: &str,
    semantic_version: &str,
) -> String {
    let log = to_sarif(notes, root, objects, tool_version, semantic_version);
    serde_json::to_string_pretty(&log).unwrap_or_else(|_| "{}".into()) + "\n"
}

/// One rule per code, sorted by code.
fn rules(notes: &[Notification]) -> BTreeMap<Code, Value> {
    let mut by_code: BTreeMap<Code, Vec<&Notification>> = BTreeMap::new();
    for n in notes {
        by_code.entry(n.code).or_default().push(n);
    }
    by_code
        .into_iter()
        .map(|(code, list)| {
            let worst = list
                .iter()
                .map(|n| n.severity)
                .max()
                .unwrap_or(Severity::Info);
            // The project has no per-code catalog text yet: the rule describes the
            // code with its first notification and the first suggestion given.
            let example = list.first().map_or("", |n| n.message.as_str());
            let mut full = format!("ing2gw notification `{code}`. Example: {example}");
            if let Some(todo) = list.iter().find_map(|n| n.suggestion.as_deref()) {
                full.push_str(&format!("\nWhat to do: {todo}"));
            }
            let short = format!("ing2gw notification `{code}`");
            let help = format!(
                "{full}\n\nSee docs/commands/print.md (Notifications) for how to accept a known \
                 finding (--accept {code}:NAMESPACE/NAME)."
            );
            let rule = json!({
                "id": code.0,
                "shortDescription": { "text": short },
                "fullDescription": { "text": full },
                "help": { "text": help },
                "defaultConfiguration": { "level": level(worst) },
            });
            (code, rule)
        })
        .collect()
}

fn result(n: &Notification, rule_index: usize, root: &SarifRoot, objects: &ObjectSpans) -> Value {
    let mut text = n.message.clone();
    if let Some(s) = &n.suggestion {
        text.push_str("\nSuggestion: ");
        text.push_str(s);
    }
    let mut location = serde_json::Map::new();
    let span = n
        .span
        .as_ref()
        .or_else(|| n.object.as_ref().and_then(|o| objects.get(o)));
    if let Some(span) = span
        && let Some(uri) = root.relative_uri(&span.file)
    {
        let mut region = serde_json::Map::new();
        region.insert("startLine".into(), json!(span.line.max(1)));
        region.insert("startColumn".into(), json!(span.column.max(1)));
        location.insert(
            "physicalLocation".into(),
            json!({
                "artifactLocation": { "uri": uri, "uriBaseId": SRCROOT },
                "region": region,
            }),
        );
    }
    if let Some(obj) = &n.object {
        let mut logical = json!({
            "name": obj.name,
            "fullyQualifiedName": obj.to_string(),
            "kind": "resource",
        });
        if let Some(field) = &n.field {
            logical["decoratedName"] = json!(format!("{obj} {field}"));
        }
        location.insert("logicalLocations".into(), json!([logical]));
    }
    let mut result = json!({
        "ruleId": n.code.0,
        "ruleIndex": rule_index,
        "level": level(n.severity),
        "message": { "text": text },
        "partialFingerprints": { "ing2gwFinding/v1": fingerprint(n) },
    });
    if !location.is_empty() {
        result["locations"] = json!([Value::Object(location)]);
    }
    let mut properties = serde_json::Map::new();
    if let Some(obj) = &n.object {
        properties.insert("object".into(), json!(obj.to_string()));
    }
    if let Some(field) = &n.field {
        properties.insert("field".into(), json!(field));
    }
    if !properties.is_empty() {
        result["properties"] = Value::Object(properties);
    }
    if n.accepted {
        let mut suppression = json!({ "kind": "external", "status": "accepted" });
        if let Some(reason) = &n.accepted_reason {
            suppression["justification"] = json!(reason);
        }
        result["suppressions"] = json!([suppression]);
    }
    result
}

/// Stable across line moves: code, object and field, hashed.
fn fingerprint(n: &Notification) -> String {
    let mut h = Sha256::new();
    h.update(n.code.0.as_bytes());
    h.update([0]);
    if let Some(o) = &n.object {
        h.update(o.to_string().as_bytes());
    }
    h.update([0]);
    if let Some(f) = &n.field {
        h.update(f.as_bytes());
    }
    let digest = h.finalize();
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root() -> (tempfile::TempDir, SarifRoot) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("repo/k8s")).unwrap();
        std::fs::write(dir.path().join("repo/k8s/app.yaml"), "x").unwrap();
        let root = SarifRoot::with_dirs(dir.path().join("repo"), dir.path().join("repo/k8s"));
        (dir, root)
    }

    fn note(sev: Severity, code: &'static str, file: &str) -> Notification {
        Notification::new(sev, Code(code), "a message")
            .object(&ObjectRef::new("Ingress", Some("shop"), "web"))
            .field("nginx.ingress.kubernetes.io/x")
            .span(Some(SourceSpan {
                file: file.into(),
                line: 7,
                column: 3,
                offset: 0,
                length: 0,
            }))
    }

    #[test]
    fn paths_are_relative_to_the_root_and_never_absolute() {
        let (dir, root) = root();
        assert_eq!(
            root.relative_uri("app.yaml").as_deref(),
            Some("k8s/app.yaml")
        );
        assert_eq!(
            root.relative_uri("./app.yaml").as_deref(),
            Some("k8s/app.yaml")
        );
        let abs = dir.path().join("repo/k8s/app.yaml");
        assert_eq!(
            root.relative_uri(&abs.to_string_lossy()).as_deref(),
            Some("k8s/app.yaml")
        );
        assert_eq!(root.relative_uri("../../outside.yaml"), None);
        assert_eq!(root.relative_uri("<stdin>"), None);
        assert_eq!(
            root.relative_uri("a b#.yaml").as_deref(),
            Some("k8s/a%20b%23.yaml")
        );
    }

    #[test]
    fn levels_rules_and_locations() {
        let (dir, root) = root();
        let mut accepted = note(Severity::Warning, "b-code", "app.yaml");
        accepted.accepted = true;
        accepted.accepted_reason = Some("known".into());
        let notes = vec![
            note(Severity::Error, "b-code", "app.yaml"),
            note(Severity::Info, "a-code", "../../outside.yaml"),
            accepted,
        ];
        let log = to_sarif(&notes, &root, &ObjectSpans::new(), "1 (commit x)", "1");
        let run = &log["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        assert_eq!(rules[0]["id"], "a-code");
        assert_eq!(rules[1]["id"], "b-code");
        assert_eq!(rules[1]["defaultConfiguration"]["level"], "error");
        let results = run["results"].as_array().unwrap();
        let levels: Vec<_> = results.iter().map(|r| r["level"].clone()).collect();
        assert_eq!(levels, [json!("error"), json!("warning"), json!("note")]);
        let loc = &results[0]["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "k8s/app.yaml");
        assert_eq!(loc["region"]["startLine"], 7);
        assert_eq!(loc["region"]["startColumn"], 3);
        assert_eq!(results[0]["ruleIndex"], 1);
        assert_eq!(results[1]["suppressions"][0]["justification"], "known");
        // Outside the root: only the logical location.
        assert!(results[2]["locations"][0].get("physicalLocation").is_none());
        assert_eq!(
            results[2]["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
            "Ingress shop/web"
        );
        let text = serde_json::to_string(&log).unwrap();
        assert!(!text.contains(&*dir.path().to_string_lossy()), "{text}");
    }

    #[test]
    fn output_is_independent_of_input_order() {
        let (_dir, root) = root();
        let a = note(Severity::Error, "b-code", "app.yaml");
        let b = note(Severity::Info, "a-code", "app.yaml").field("other");
        let none = ObjectSpans::new();
        let one = to_sarif_string(&[a.clone(), b.clone()], &root, &none, "1", "1");
        let two = to_sarif_string(&[b, a], &root, &none, "1", "1");
        assert_eq!(one, two);
    }
}
