//! Every field we emit exists in the published Gateway API CRDs, and every enum
//! value is one the API server accepts. The reference is not our own structs but
//! `testdata/crds/gateway-api-v1.5.1-fields.txt`, the field paths extracted from
//! the v1.5.1 CRDs (source URL in its header): a misspelt field such as
//! `wellKnownCaCertificates` makes the API server reject the whole object.
//!
//! Checked on the output of every `testdata/` case and, when present, of every
//! file of the real-world corpus.

#[path = "support/cases.rs"]
mod cases;

use ing2gw::gwapi::GatewayObject;
use ing2gw::input::{SourceFile, read_sources};
use ing2gw::pipeline;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// `kind → path → allowed enum values` (empty set: any value).
type Schema = BTreeMap<String, BTreeMap<String, BTreeSet<String>>>;

fn schema() -> Schema {
    let text =
        std::fs::read_to_string(cases::root().join("testdata/crds/gateway-api-v1.5.1-fields.txt"))
            .expect("field list readable");
    let mut out = Schema::new();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let (kind, rest) = line.split_once(' ').expect("`Kind path` line");
        let (path, values) = match rest.split_once(" = ") {
            Some((p, v)) => (p, v.split('|').map(String::from).collect()),
            None => (rest, BTreeSet::new()),
        };
        out.entry(kind.to_string())
            .or_default()
            .insert(path.to_string(), values);
    }
    out
}

/// Field paths of `value` in the field list's notation, with the string value of each leaf.
fn paths(value: &Value, prefix: &str, out: &mut Vec<(String, Option<String>)>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let p = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                // metadata is `type: object` without a schema in the CRDs (the API server's ObjectMeta).
                if p == "metadata" {
                    out.push((p, None));
                    continue;
                }
                out.push((p.clone(), v.as_str().map(String::from)));
                paths(v, &p, out);
            }
        }
        Value::Array(items) => {
            for item in items {
                paths(item, &format!("{prefix}[]"), out);
            }
        }
        _ => {}
    }
}

/// The problems of `objects` against `schema`, one line each.
fn check(schema: &Schema, objects: &[GatewayObject], origin: &str) -> Vec<String> {
    let mut problems = Vec::new();
    for o in objects {
        if matches!(o, GatewayObject::Other(_)) {
            continue;
        }
        let value = serde_json::to_value(o).expect("serialisable");
        let kind = value["kind"].as_str().unwrap_or_default().to_string();
        let Some(fields) = schema.get(&kind) else {
            problems.push(format!(
                "{origin}: kind {kind} has no CRD in the field list"
            ));
            continue;
        };
        let mut found = Vec::new();
        paths(&value, "", &mut found);
        for (path, string) in found {
            // Map values (`options`, `labels`, …) are listed as `parent.*`.
            let generic = path
                .rsplit_once('.')
                .map(|(parent, _)| format!("{parent}.*"));
            let allowed = fields
                .get(&path)
                .or_else(|| generic.as_ref().and_then(|g| fields.get(g)));
            match allowed {
                None => problems.push(format!("{origin}: {kind} field `{path}` is not in the CRD")),
                Some(values) if !values.is_empty() => {
                    if let Some(s) = string
                        && !values.contains(&s)
                    {
                        problems.push(format!(
                            "{origin}: {kind} `{path}: {s}` is not one of {values:?}"
                        ));
                    }
                }
                Some(_) => {}
            }
        }
    }
    problems
}

fn translate(dir: &Path, files: &[SourceFile]) -> Vec<GatewayObject> {
    let loaded = pipeline::load(files);
    pipeline::translate(
        &loaded.input,
        &cases::print_options(&cases::case_args(dir)),
        loaded.report,
    )
    .objects
}

#[test]
fn field_list_knows_the_backend_tls_policy_fields() {
    let schema = schema();
    let btls = &schema["BackendTLSPolicy"];
    assert!(btls.contains_key("spec.validation.wellKnownCACertificates"));
    assert!(!btls.contains_key("spec.validation.wellKnownCaCertificates"));
    assert!(schema["HTTPRoute"].contains_key("spec.rules[].matches[].path.type"));
}

#[test]
fn testdata_output_uses_only_crd_fields() {
    let schema = schema();
    let mut problems = Vec::new();
    let mut kinds = BTreeSet::new();
    for path in cases::testdata_inputs(&["input.yaml", "input.json"]) {
        let dir = path.parent().expect("case folder");
        let files = read_sources(&[path.display().to_string()]).expect("readable");
        let objects = translate(dir, &files);
        kinds.extend(objects.iter().map(|o| o.identity().0));
        problems.extend(check(&schema, &objects, &dir.display().to_string()));
    }
    assert!(
        kinds.contains("BackendTLSPolicy") && kinds.contains("HTTPRoute"),
        "the testdata cases must emit BackendTLSPolicy and HTTPRoute: {kinds:?}"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn corpus_output_uses_only_crd_fields() {
    let Some(files) = cases::corpus_files(&["yaml", "yml", "json"]) else {
        eprintln!("corpus absent: skipped");
        return;
    };
    let schema = schema();
    let mut problems = Vec::new();
    for path in files {
        let Ok(sources) = read_sources(&[path.display().to_string()]) else {
            continue;
        };
        let objects = translate(Path::new("."), &sources);
        problems.extend(check(&schema, &objects, &path.display().to_string()));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
