//! Runs ing2gw over every file of the real-world corpus (`../shared/corpus`, never
//! copied into this repository): translation never panics, `print` exits 0 or 1,
//! and no Secret data value ever appears in stdout, stderr or the `--report` file.
//! Skips with a message when the corpus is absent.

use base64::Engine;
use ing2gw::input::read_sources;
use ing2gw::options::TranslateOptions;
use ing2gw::{output, pipeline};
use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

#[path = "support/cases.rs"]
mod cases;

fn corpus_files() -> Option<Vec<PathBuf>> {
    cases::corpus_files(&["yaml", "yml", "json"])
}

/// Extra input that makes the Secret check meaningful whatever the corpus holds:
/// a TLS Secret, an Opaque one with `stringData`, and an Ingress that uses the first.
const SECRETS: &str = r#"apiVersion: v1
kind: Secret
metadata:
  name: corpus-probe-tls
  namespace: probe
type: kubernetes.io/tls
data:
  tls.crt: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tcHJvYmUtY2VydGlmaWNhdGUtYm9keQ==
  tls.key: LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tcHJvYmUtcHJpdmF0ZS1rZXktYm9keQ==
---
apiVersion: v1
kind: Secret
metadata:
  name: corpus-probe-opaque
  namespace: probe
stringData:
  password: s3cr3t-corpus-probe-password
  token: "probe-token-0123456789"
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: probe
  namespace: probe
spec:
  ingressClassName: nginx
  tls:
  - hosts: [probe.example.com]
    secretName: corpus-probe-tls
  rules:
  - host: probe.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: probe, port: {number: 80}}}}
"#;

/// Every Secret value of `text` (YAML or JSON, `List`s included): the `data`
/// values both encoded and decoded, and the `stringData` values.
fn secret_values(text: &str) -> Vec<String> {
    let docs: Vec<Value> = serde_saphyr::from_multiple::<Value>(text).unwrap_or_else(|_| {
        // One bad document: read the others one by one.
        text.split("\n---")
            .filter_map(|d| serde_saphyr::from_str::<Value>(d).ok())
            .collect()
    });
    let mut out = Vec::new();
    let mut stack = docs;
    while let Some(v) = stack.pop() {
        if let Some(items) = v.get("items").and_then(Value::as_array) {
            stack.extend(items.iter().cloned());
        }
        if v.get("kind").and_then(Value::as_str) != Some("Secret") {
            continue;
        }
        for (field, encoded) in [("data", true), ("stringData", false)] {
            let Some(map) = v.get(field).and_then(Value::as_object) else {
                continue;
            };
            for value in map.values().filter_map(Value::as_str) {
                out.push(value.to_string());
                if encoded
                    && let Ok(bytes) =
                        base64::engine::general_purpose::STANDARD.decode(value.trim())
                {
                    out.push(String::from_utf8_lossy(&bytes).into_owned());
                }
            }
        }
    }
    // Very short values ("a", "true") would match by coincidence.
    out.retain(|v| v.trim().len() >= 8);
    out
}

#[test]
fn corpus_translates_without_panic_and_exit_0_or_1() {
    let Some(files) = corpus_files() else {
        eprintln!("skipped: ../shared/corpus is absent");
        return;
    };
    assert!(!files.is_empty(), "corpus folder is empty");
    let options = TranslateOptions {
        watch_without_class: true,
        ..TranslateOptions::default()
    };
    let mut ingresses = 0;
    for f in &files {
        let name = f.display().to_string();
        let sources = read_sources(std::slice::from_ref(&name)).expect("corpus file readable");
        let result = std::panic::catch_unwind(|| {
            let loaded = pipeline::load(&sources);
            let n = loaded.input.ingresses.len();
            let t = pipeline::translate(&loaded.input, &options, loaded.report);
            output::to_yaml(&t.objects).expect("YAML output");
            output::to_json(&t.objects).expect("JSON output");
            n
        });
        match result {
            Ok(n) => ingresses += n,
            Err(_) => panic!("translation panicked on {name}"),
        }
        let o = Command::new(env!("CARGO_BIN_EXE_ing2gw"))
            .args(["print", "-f", &name])
            .output()
            .expect("binary runs");
        let code = o.status.code();
        assert!(
            matches!(code, Some(0 | 1)),
            "print on {name} exited {code:?}; stderr:\n{}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    // The corpus README counts well over a hundred Ingress objects.
    assert!(ingresses >= 100, "only {ingresses} Ingresses decoded");
}

#[test]
fn corpus_never_prints_secret_data() {
    let Some(files) = corpus_files() else {
        eprintln!("skipped: ../shared/corpus is absent");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let probe = dir.path().join("secrets.yaml");
    std::fs::write(&probe, SECRETS).unwrap();
    let mut secrets = secret_values(SECRETS);
    assert!(secrets.len() >= 6, "probe secrets found: {secrets:?}");
    for f in &files {
        secrets.extend(secret_values(&std::fs::read_to_string(f).unwrap()));
    }
    let report = dir.path().join("report.json");
    let corpus = files[0].parent().unwrap().display().to_string();
    for format in ["yaml", "json"] {
        let o = Command::new(env!("CARGO_BIN_EXE_ing2gw"))
            .args(["print", "-f", &corpus, "-f"])
            .arg(&probe)
            .args(["-o", format, "--watch-ingress-without-class", "--report"])
            .arg(&report)
            .output()
            .expect("binary runs");
        let stdout = String::from_utf8_lossy(&o.stdout);
        let stderr = String::from_utf8_lossy(&o.stderr);
        let report_text = std::fs::read_to_string(&report).unwrap();
        // The probe was translated: its Secret is referenced by name.
        assert!(stdout.contains("corpus-probe-tls"), "probe Ingress missing");
        for s in &secrets {
            for (what, text) in [("stdout", &stdout), ("stderr", &stderr)] {
                assert!(!text.contains(s.as_str()), "Secret value printed on {what}");
            }
            assert!(
                !report_text.contains(s.as_str()),
                "Secret value in --report"
            );
        }
    }
}
