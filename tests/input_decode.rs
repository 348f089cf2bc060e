//! Decoding untrusted documents (issue 10): Kubernetes name rules at decode,
//! non-Kubernetes files skipped with one info, Secrets never printed, positions of
//! `List` items, unknown apiVersions and out-of-range ports, JSON duplicate keys,
//! malformed Lists, the parser budget, and a seeded property test over decoding.

use ing2gw::input::SourceFile;
use ing2gw::options::TranslateOptions;
use ing2gw::pipeline::{self, Loaded};
use ing2gw::report::{Notification, Severity};
use proptest::prelude::*;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

// Notification codes, spelled out: they are a stable interface (CI scripts filter on them).
const INPUT_ERROR: &str = "invalid-input";
const INVALID_OBJECT: &str = "invalid-object";
const EMPTY_NAMESPACE: &str = "empty-namespace";
const NOT_KUBERNETES: &str = "not-kubernetes";
const TEMPLATE_SKIPPED: &str = "template-skipped";
const UNKNOWN_API_VERSION: &str = "unknown-api-version";

/// Kubernetes' rules, written independently of the implementation: a DNS-1123
/// label (namespaces) or subdomain (names).
fn dns1123(s: &str, subdomain: bool) -> bool {
    let label = |l: &str| {
        let b = l.as_bytes();
        !b.is_empty()
            && b.iter()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
            && b[0] != b'-'
            && b[b.len() - 1] != b'-'
    };
    if subdomain {
        s.len() <= 253 && s.split('.').all(label)
    } else {
        s.len() <= 63 && label(s)
    }
}

fn load(name: &str, text: &str) -> (Loaded, Vec<Notification>) {
    let files = vec![SourceFile {
        name: name.to_string(),
        text: text.into(),
    }];
    let loaded = pipeline::load(&files);
    let notes = loaded.report.clone().finish();
    (loaded, notes)
}

fn with_code<'a>(notes: &'a [Notification], code: &str) -> Vec<&'a Notification> {
    notes.iter().filter(|n| n.code.0 == code).collect()
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ing2gw"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("binary runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn ingress(ns: &str, name: &str, host: &str, port: i64) -> String {
    format!(
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: {name}\n  namespace: {ns}\nspec:\n  ingressClassName: nginx\n  rules:\n  - host: {host}\n    http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend:\n          service:\n            name: web\n            port:\n              number: {port}\n"
    )
}

// ---- item 1: names and namespaces -------------------------------------------

#[test]
fn invalid_namespaces_and_names_are_errors_and_never_reach_the_output() {
    let docs = [
        ingress("'../../x'", "a", "a.example.com", 80),
        ingress("..", "b", "b.example.com", 80),
        ingress("/abs", "c", "c.example.com", 80),
        ingress("Prod", "d", "d.example.com", 80),
        ingress("\"a\\nb\"", "e", "e.example.com", 80),
        ingress("ok", "'../f'", "f.example.com", 80),
        ingress("ok", "G", "g.example.com", 80),
        ingress("ok", "fine", "fine.example.com", 80),
    ];
    let text = docs.join("---\n");
    let (loaded, notes) = load("names.yaml", &text);
    let names: Vec<&str> = loaded.input.ingresses.iter().map(|i| i.name()).collect();
    assert_eq!(names, ["fine"]);
    let errors = with_code(&notes, INVALID_OBJECT);
    assert_eq!(errors.len(), 7, "{errors:#?}");
    for e in &errors {
        let span = e.span.as_ref().expect("a position");
        assert_eq!(&*span.file, "names.yaml");
        assert!(e.message.contains("DNS-1123"), "{}", e.message);
        assert!(!e.message.contains('\n'), "{}", e.message);
    }
    // The first error points at the namespace value of the first document.
    let traversal = errors
        .iter()
        .find(|e| e.message.contains("../../x"))
        .expect("named");
    assert_eq!(
        traversal.span.as_ref().map(|s| (s.line, s.column)),
        Some((5, 14))
    );
    let t = pipeline::translate(&loaded.input, &options(), loaded.report);
    let yaml = ing2gw::output::to_yaml(&t.objects).expect("yaml");
    assert!(!yaml.contains(".."), "{yaml}");
    assert!(!yaml.contains("/abs"));
}

#[test]
fn output_dir_never_receives_an_invalid_namespace() {
    let tmp = tempfile::tempdir().expect("tmp");
    let input = tmp.path().join("in.yaml");
    std::fs::write(
        &input,
        ingress("../../escaped", "a", "a.example.com", 80)
            + "---\n"
            + &ingress("ok", "b", "b.example.com", 80),
    )
    .expect("write");
    let out = tmp.path().join("deep/er/out");
    let o = run(&[
        "print",
        "-f",
        input.to_str().expect("utf-8"),
        "--output-dir",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("invalid-object"), "{}", stderr(&o));
    let mut files = Vec::new();
    walk(tmp.path(), &mut files);
    assert!(
        files
            .iter()
            .all(|f| !f.to_string_lossy().contains("escaped")),
        "{files:?}"
    );
    let written: Vec<_> = files.iter().filter(|f| f.starts_with(&out)).collect();
    assert!(written.len() > 1, "{files:?}");
}

fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        }
        out.push(p);
    }
}

#[test]
fn empty_namespace_is_a_warning_and_means_default() {
    let (loaded, notes) = load("e.yaml", &ingress("\"\"", "a", "a.example.com", 80));
    assert_eq!(loaded.input.ingresses.len(), 1);
    assert_eq!(loaded.input.ingresses[0].namespace(), "default");
    let w = with_code(&notes, EMPTY_NAMESPACE);
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].severity, Severity::Warning);
    assert_eq!(w[0].span.as_ref().map(|s| s.line), Some(5));
}

#[test]
fn missing_names_are_errors_with_a_position_for_every_kind() {
    let text = "apiVersion: v1\nkind: Service\nmetadata: {namespace: a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  namespace: a\n---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {namespace: a}\n---\napiVersion: v1\nkind: Secret\n";
    let (loaded, notes) = load("m.yaml", text);
    assert!(loaded.input.services.is_empty());
    assert!(loaded.input.config_maps.is_empty());
    assert!(loaded.input.ingresses.is_empty());
    assert!(loaded.input.secrets.is_empty());
    let errors = with_code(&notes, INVALID_OBJECT);
    let lines: Vec<usize> = errors
        .iter()
        .filter_map(|e| e.field.as_ref())
        .filter_map(|f| f.strip_prefix("m.yaml:"))
        .filter_map(|f| f.split(':').next()?.parse().ok())
        .collect();
    let mut sorted = lines.clone();
    sorted.sort();
    assert_eq!(sorted, [3, 7, 12, 14], "{errors:#?}");
}

// ---- item 5: non-Kubernetes files -------------------------------------------

#[test]
fn print_on_a_repository_skips_non_kubernetes_files() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path();
    let write = |rel: &str, text: &str| {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    };
    write(
        "chart/values.yaml",
        "replicaCount: 1\nimage:\n  repository: nginx\n---\n- a\n- b\n---\njust a scalar\n",
    );
    write(
        "chart/Chart.yaml",
        "apiVersion: v2\nname: demo\nversion: 0.1.0\n",
    );
    write(
        "chart/templates/ingress.yaml",
        "{{- if .Values.ingress.enabled }}\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: {{ .Release.Name }}\n{{- end }}\n",
    );
    write(
        "package.json",
        "{\"name\": \"x\", \"version\": \"1.0.0\"}\n",
    );
    write(
        "tsconfig.json",
        "{\n  // comments are not JSON\n  \"compilerOptions\": {}\n}\n",
    );
    write(
        ".github/workflows/ci.yml",
        "on: [push]\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n    - run: echo ${{ secrets.TOKEN }}\n",
    );
    write(
        "deploy/ingress.yaml",
        &ingress("web", "site", "site.example.com", 80),
    );
    let o = run(&["print", "-f", root.to_str().expect("utf-8")]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(String::from_utf8_lossy(&o.stdout).contains("site.example.com"));
    // One info per non-Kubernetes file (values.yaml has three such documents);
    // stderr shows 3 of a code in full and counts them all.
    assert!(
        err.contains("template-skipped 1 (warning)") && err.contains("not-kubernetes 5 (info)"),
        "{err}"
    );
    assert!(err.contains("skipped 3 document(s)"), "{err}");
    // Their content is never shown.
    assert!(!err.contains("repository: nginx"), "{err}");
    assert!(!err.contains("secrets.TOKEN"), "{err}");
}

#[test]
fn a_broken_kubernetes_document_stays_an_error() {
    let (_, notes) = load(
        "b.yaml",
        "apiVersion: v1\nkind: Service\nmetadata: {name: [x\n",
    );
    assert_eq!(with_code(&notes, INPUT_ERROR).len(), 1);
    let (_, notes) = load("t.yaml", "kind: Ingress\nmetadata: {name: {{ .x }}\n");
    let t = with_code(&notes, TEMPLATE_SKIPPED);
    assert_eq!(t.len(), 1);
    assert_eq!(
        t[0].severity,
        Severity::Warning,
        "a template of an Ingress is a warning"
    );
    let (_, notes) = load("v.yaml", "a: [1\n");
    assert_eq!(with_code(&notes, NOT_KUBERNETES).len(), 1);
    assert!(with_code(&notes, INPUT_ERROR).is_empty());
}

// ---- item 7: Secrets -----------------------------------------------------------

const SECRET_VALUE: &str = "c3VwZXItc2VjcmV0LXRva2Vu";

/// Runs `print` on `text` saved as `name`; the Secret value must appear neither on
/// stderr nor in `--report`, and some notification must have been produced.
fn assert_secret_hidden(name: &str, text: &str) {
    let tmp = tempfile::tempdir().expect("tmp");
    let input = tmp.path().join(name);
    std::fs::write(&input, text).expect("write");
    let report = tmp.path().join("report.json");
    let o = run(&[
        "print",
        "-f",
        input.to_str().expect("utf-8"),
        "--report",
        report.to_str().expect("utf-8"),
    ]);
    let err = stderr(&o);
    let json = std::fs::read_to_string(&report).unwrap_or_default();
    assert!(
        json.contains("\"severity\": \"error\""),
        "{name}: expected an error notification\n{err}"
    );
    assert!(
        !err.contains(SECRET_VALUE),
        "{name} leaks on stderr:\n{err}"
    );
    assert!(!json.contains(SECRET_VALUE), "{name} leaks in --report");
    assert!(!String::from_utf8_lossy(&o.stdout).contains(SECRET_VALUE));
}

#[test]
fn secret_values_never_appear_in_error_snippets() {
    let v = SECRET_VALUE;
    let cases = [
        (
            "comment.yaml",
            format!(
                "apiVersion: v1\nkind: Secret # c\nmetadata: {{name: s}}\ndata:\n  k: {v}\n  bad: [\n"
            ),
        ),
        (
            "quoted.yaml",
            format!(
                "apiVersion: v1\nkind: 'Secret'\nmetadata: {{name: s}}\ndata:\n  k: {v}\n  bad: [\n"
            ),
        ),
        (
            "tab.yaml",
            format!(
                "apiVersion: v1\nkind:\tSecret\nmetadata: {{name: s}}\ndata:\n  k: {v}\n  bad: [\n"
            ),
        ),
        (
            "flow.yaml",
            format!(
                "{{apiVersion: v1, kind: Secret, metadata: {{name: s}}, data: {{k: {v}, bad: [}}\n"
            ),
        ),
        (
            "escaped.yaml",
            format!(
                "apiVersion: v1\nkind: \"\\x53ecret\"\nmetadata: {{name: s}}\ndata:\n  k: {v}\n  bad: [\n"
            ),
        ),
        (
            "in-list.yaml",
            format!(
                "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Secret\n  metadata: {{name: s}}\n  data:\n    k: {v}\n    bad: [\n"
            ),
        ),
        (
            "broken.json",
            format!(
                "{{\"apiVersion\": \"v1\", \"kind\" : \"Secret\", \"data\": {{\"k\": \"{v}\", }}}}\n"
            ),
        ),
        (
            "dup.json",
            format!(
                "{{\"apiVersion\": \"v1\", \"kind\": \"Secret\", \"data\": {{\"k\": \"{v}\", \"k\": \"{v}\"}}}}\n"
            ),
        ),
        // Valid Secrets next to a broken Ingress: the snippet of the Ingress must not show them.
        (
            "neighbour.json",
            format!(
                "{{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{{\"name\":\"s\"}},\"data\":{{\"k\":\"{v}\"}}}}\n{{\"apiVersion\":\"networking.k8s.io/v1\",\"kind\":\"Ingress\",\"metadata\":{{\"name\":\"x\"}},\"spec\":{{\"rules\":\"bad\"}}}}\n"
            ),
        ),
        (
            "one-line-list.json",
            format!(
                "{{\"kind\":\"List\",\"apiVersion\":\"v1\",\"items\":[{{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{{\"name\":\"s\"}},\"data\":{{\"k\":\"{v}\"}}}},{{\"apiVersion\":\"networking.k8s.io/v1\",\"kind\":\"Ingress\",\"metadata\":{{\"name\":\"x\",\"namespace\":\"../x\"}}}}]}}\n"
            ),
        ),
        (
            "list-neighbour.yaml",
            format!(
                "apiVersion: v1\nkind: List\nitems:\n- {{apiVersion: v1, kind: Secret, metadata: {{name: s}}, data: {{k: {v}}}}}\n- {{apiVersion: networking.k8s.io/v1, kind: Ingress, metadata: {{name: x}}, spec: {{rules: bad}}}}\n"
            ),
        ),
        (
            "invalid-secret-name.yaml",
            format!("apiVersion: v1\nkind: Secret\nmetadata:\n  name: Bad_Name\ndata:\n  k: {v}\n"),
        ),
    ];
    for (name, text) in &cases {
        assert_secret_hidden(name, text);
    }
}

// ---- item 8: positions inside Lists ----------------------------------------------

#[test]
fn list_items_get_their_own_positions() {
    let item = |ns: &str| {
        format!(
            "- apiVersion: networking.k8s.io/v1\n  kind: Ingress\n  metadata:\n    name: x\n    namespace: {ns}\n"
        )
    };
    let yaml = format!(
        "apiVersion: v1\nkind: List\nitems:\n{}{}{}",
        item("A"),
        item("B"),
        item("C")
    );
    let (_, notes) = load("l.yaml", &yaml);
    let mut lines: Vec<usize> = with_code(&notes, INVALID_OBJECT)
        .iter()
        .filter_map(|n| n.span.as_ref().map(|s| s.line))
        .collect();
    lines.sort();
    assert_eq!(lines, [8, 13, 18]);

    let json_item = |ns: &str| {
        format!(
            "{{\"apiVersion\": \"networking.k8s.io/v1\", \"kind\": \"Ingress\",\n  \"metadata\": {{\"name\": \"x\", \"namespace\": \"{ns}\"}}}}"
        )
    };
    let json = format!(
        "{{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [\n{},\n{},\n{}]}}\n",
        json_item("A"),
        json_item("B"),
        json_item("C")
    );
    let (_, notes) = load("l.json", &json);
    let mut spans: Vec<(usize, usize)> = with_code(&notes, INVALID_OBJECT)
        .iter()
        .filter_map(|n| n.span.as_ref().map(|s| (s.line, s.column)))
        .collect();
    spans.sort();
    assert_eq!(spans, [(3, 42), (5, 42), (7, 42)]);
}

/// A one-line JSON List of 1,000 Ingresses with the same unknown annotation: each
/// notification points into its own item (all pointed at item 0), and every
/// lookup is bounded by its item, so the whole run is linear (every item searched
/// the whole document: 1,000 items 11 s, 2,000 items 44 s in a debug build).
#[test]
fn a_large_one_line_json_list_is_linear() {
    let items: Vec<String> = (0..1000)
        .map(|i| {
            format!(
                "{{\"apiVersion\":\"networking.k8s.io/v1\",\"kind\":\"Ingress\",\"metadata\":{{\"name\":\"i{i}\",\"namespace\":\"n\",\"annotations\":{{\"nginx.ingress.kubernetes.io/unknown\":\"x\",\"nginx.ingress.kubernetes.io/proxy-body-size\":\"{i}m\"}}}},\"spec\":{{\"ingressClassName\":\"nginx\",\"rules\":[{{\"host\":\"h{i}.example.com\",\"http\":{{\"paths\":[{{\"path\":\"/p{i}\",\"pathType\":\"Prefix\",\"backend\":{{\"service\":{{\"name\":\"s\",\"port\":{{\"number\":80}}}}}}}}]}}}}]}}}}"
            )
        })
        .collect();
    let text = format!(
        "{{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[{}]}}",
        items.join(",")
    );
    let start = Instant::now();
    let (loaded, _) = load("big.json", &text);
    assert_eq!(loaded.input.ingresses.len(), 1000);
    let t = pipeline::translate(&loaded.input, &options(), loaded.report);
    let elapsed = start.elapsed();
    // Each item's notification points into that item, not at item 0.
    let columns: std::collections::BTreeSet<usize> = t
        .notifications
        .iter()
        .filter(|n| n.message.contains("nginx.ingress.kubernetes.io/unknown"))
        .filter_map(|n| n.span.as_ref().map(|s| s.column))
        .collect();
    assert_eq!(columns.len(), 1000, "distinct columns");
    assert!(elapsed < Duration::from_secs(60), "took {elapsed:?}");
}

// ---- item 19: apiVersions and ports -------------------------------------------

#[test]
fn unknown_ingress_api_versions_are_errors() {
    let text = ingress("a", "x", "x.example.com", 80)
        .replace("networking.k8s.io/v1", "networking.k8s.io/v2")
        + "---\n"
        + &ingress("a", "y", "y.example.com", 80).replace("networking.k8s.io/v1", "extensions/v1")
        + "---\napiVersion: v2\nkind: Service\nmetadata: {name: s}\n---\napiVersion: traefik.io/v1\nkind: Ingress\nmetadata: {name: crd}\n";
    let (loaded, notes) = load("v.yaml", &text);
    assert!(loaded.input.ingresses.is_empty());
    let errors = with_code(&notes, UNKNOWN_API_VERSION);
    assert_eq!(errors.len(), 3, "{errors:#?}");
    assert!(
        errors
            .iter()
            .all(|e| e.severity == Severity::Error && e.span.is_some())
    );
    // Another group's `Ingress` is another resource: counted as skipped.
    assert!(
        loaded
            .input
            .skipped_kinds
            .contains_key("Ingress (traefik.io/v1)")
    );
}

#[test]
fn out_of_range_ports_are_errors_and_never_emitted() {
    for port in [70000, -1, 0] {
        let (loaded, notes) = load("p.yaml", &ingress("a", "x", "x.example.com", port));
        assert!(loaded.input.ingresses.is_empty(), "port {port}");
        let errors = with_code(&notes, INVALID_OBJECT);
        assert_eq!(errors.len(), 1, "port {port}");
        assert!(
            errors[0]
                .message
                .contains("spec.rules[0].http.paths[0].backend.service.port.number")
        );
        assert_eq!(errors[0].span.as_ref().map(|s| s.line), Some(18));
        let t = pipeline::translate(&loaded.input, &options(), loaded.report);
        let yaml = ing2gw::output::to_yaml(&t.objects).expect("yaml");
        assert!(!yaml.contains("port: 0"), "{yaml}");
    }
    let beta = "apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: b}\nspec:\n  backend: {serviceName: s, servicePort: 0}\n";
    let (loaded, notes) = load("b.yaml", beta);
    assert!(loaded.input.ingresses.is_empty());
    assert!(
        with_code(&notes, INVALID_OBJECT)[0]
            .message
            .contains("spec.defaultBackend")
    );
    let service = "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports:\n  - {name: web, port: 0}\n";
    let (loaded, notes) = load("s.yaml", service);
    assert!(loaded.input.services.is_empty());
    assert_eq!(with_code(&notes, INVALID_OBJECT).len(), 1);
}

// ---- item 21: duplicate keys, Lists, names ---------------------------------------

#[test]
fn json_duplicate_keys_are_input_errors_like_yaml() {
    let json = "{\"apiVersion\": \"v1\", \"kind\": \"Service\",\n \"metadata\": {\"name\": \"a\", \"name\": \"b\"}}\n";
    let (loaded, notes) = load("d.json", json);
    assert_eq!(loaded.input.input_errors, 1);
    let e = with_code(&notes, INPUT_ERROR);
    assert_eq!(e.len(), 1);
    assert!(e[0].message.contains("duplicate key"), "{}", e[0].message);
    assert_eq!(e[0].span.as_ref().map(|s| s.line), Some(2));
    let yaml = "apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n  name: b\n";
    let (loaded, notes) = load("d.yaml", yaml);
    assert_eq!(loaded.input.input_errors, 1);
    assert_eq!(with_code(&notes, INPUT_ERROR).len(), 1);
}

#[test]
fn list_items_that_are_not_a_list_are_errors() {
    let (_, notes) = load(
        "l.yaml",
        "apiVersion: v1\nkind: List\nmetadata: {}\nitems: oops\n",
    );
    let e = with_code(&notes, INVALID_OBJECT);
    assert_eq!(e.len(), 1, "{notes:#?}");
    assert!(e[0].message.contains("`items` must be a list"));
    assert_eq!(e[0].field.as_deref(), Some("l.yaml:4:8"));
    let (_, notes) = load(
        "l.yaml",
        "apiVersion: v1\nkind: List\nitems:\n- 1\n- {apiVersion: v1, kind: Service, metadata: {name: s}}\n",
    );
    let e = with_code(&notes, INVALID_OBJECT);
    assert_eq!(e.len(), 1, "{notes:#?}");
    assert_eq!(e[0].span.as_ref().map(|s| s.line), Some(4));
}

// ---- issue 13 item 0: budget scales with the input -------------------------------

#[test]
fn a_5000_ingress_list_decodes() {
    let mut text = String::from("apiVersion: v1\nkind: List\nitems:\n");
    // What `kubectl get ingress -A -o yaml` adds to every Ingress.
    let server_fields = "  annotations:\n    nginx.ingress.kubernetes.io/ssl-redirect: \"false\"\n    nginx.ingress.kubernetes.io/proxy-body-size: 8m\n  creationTimestamp: \"2024-01-01T00:00:00Z\"\n  generation: 1\n  labels: {app: web, team: a, tier: front}\n  resourceVersion: \"12345\"\n  uid: 0b0e1c9e-0000-4000-8000-000000000000\n";
    let status = "status:\n  loadBalancer:\n    ingress:\n    - ip: 192.0.2.1\n      ports: [{port: 80, protocol: TCP}, {port: 443, protocol: TCP}]\n";
    for i in 0..5000 {
        let doc = ingress("team", &format!("i{i}"), &format!("h{i}.example.com"), 80).replacen(
            "metadata:\n",
            &format!("metadata:\n{server_fields}"),
            1,
        ) + status;
        for (j, line) in doc.lines().enumerate() {
            text.push_str(if j == 0 { "- " } else { "  " });
            text.push_str(line);
            text.push('\n');
        }
    }
    let (loaded, notes) = load("big.yaml", &text);
    assert_eq!(loaded.input.input_errors, 0, "{:?}", notes.first());
    assert_eq!(
        loaded.input.ingresses.len(),
        5000,
        "{:?}",
        &notes[..notes.len().min(3)]
    );
}

#[test]
fn an_alias_bomb_is_a_clear_error_and_fast() {
    let mut text = String::from(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\nx0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
    );
    for i in 1..12 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        text.push_str(&format!("x{i}: &a{i} [{refs}]\n"));
    }
    let start = Instant::now();
    let (loaded, notes) = load("bomb.yaml", &text);
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(loaded.input.input_errors, 1);
    assert!(loaded.input.config_maps.is_empty());
    let e = with_code(&notes, INPUT_ERROR);
    assert!(e[0].message.contains("not valid YAML"), "{}", e[0].message);
}

// ---- property test -------------------------------------------------------------

fn options() -> TranslateOptions {
    TranslateOptions {
        watch_without_class: true,
        ..Default::default()
    }
}

fn name_like() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?",
        "[a-z0-9.-]{0,12}",
        Just("..".to_string()),
        Just("../../x".to_string()),
        Just("/abs".to_string()),
        Just(String::new()),
        "[A-Za-z0-9_ ./\\\\\n\t:é-]{0,16}",
        "[a-z]{64,70}",
    ]
}

fn kind() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        Just("Ingress"),
        Just("Service"),
        Just("ConfigMap"),
        Just("Secret"),
        Just("IngressClass"),
        Just("Pod"),
        Just("List"),
    ]
}

fn api_version() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        Just("networking.k8s.io/v1"),
        Just("networking.k8s.io/v1beta1"),
        Just("extensions/v1beta1"),
        Just("networking.k8s.io/v2"),
        Just("v1"),
        Just(""),
    ]
}

fn object() -> impl Strategy<Value = serde_json::Value> {
    (
        kind(),
        api_version(),
        proptest::option::of(name_like()),
        proptest::option::of(name_like()),
        proptest::collection::vec(-2i64..70_000, 0..3),
    )
        .prop_map(|(kind, api, name, ns, ports)| {
            let mut meta = serde_json::Map::new();
            if let Some(n) = name {
                meta.insert("name".into(), n.into());
            }
            if let Some(ns) = ns {
                meta.insert("namespace".into(), ns.into());
            }
            let paths: Vec<_> = ports
                .iter()
                .map(|p| serde_json::json!({"path": "/", "pathType": "Prefix", "backend": {"service": {"name": "s", "port": {"number": p}}}}))
                .collect();
            serde_json::json!({
                "apiVersion": api,
                "kind": kind,
                "metadata": meta,
                "spec": {"ingressClassName": "nginx", "rules": [{"host": "a.example.com", "http": {"paths": paths}}],
                         "ports": ports.iter().map(|p| serde_json::json!({"port": p})).collect::<Vec<_>>()},
                "data": {"k": "v"},
            })
        })
}

fn document() -> impl Strategy<Value = serde_json::Value> {
    prop_oneof![
        3 => object(),
        1 => proptest::collection::vec(object(), 0..4)
            .prop_map(|items| serde_json::json!({"apiVersion": "v1", "kind": "List", "items": items})),
        1 => Just(serde_json::json!({"name": "values", "replicas": 2})),
        1 => Just(serde_json::json!([1, 2])),
        1 => Just(serde_json::json!({"kind": "List", "items": "oops"})),
    ]
}

fn check_decoded(loaded: &Loaded) -> Result<(), TestCaseError> {
    let valid_ns = |ns: Option<&str>| ns.is_some_and(|ns| dns1123(ns, false));
    let valid_name = |n: &str| dns1123(n, true);
    let set = &loaded.input;
    for i in &set.ingresses {
        prop_assert!(
            valid_ns(Some(i.namespace())) && valid_name(i.name()),
            "{:?}",
            i.obj
        );
    }
    for o in set
        .services
        .iter()
        .map(|s| &s.obj)
        .chain(set.config_maps.iter().map(|c| &c.obj))
        .chain(set.secrets.iter().map(|s| &s.obj))
    {
        prop_assert!(
            valid_ns(o.namespace.as_deref()) && valid_name(&o.name),
            "{o:?}"
        );
    }
    for c in &set.ingress_classes {
        prop_assert!(valid_name(&c.obj.name));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        rng_seed: proptest::test_runner::RngSeed::Fixed(0x1_0010),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Random YAML and JSON documents: decoding never panics, every decoded object
    /// has a valid name and namespace, and the translated output holds no invalid
    /// namespace either.
    #[test]
    fn decoding_random_documents(docs in proptest::collection::vec(document(), 1..5), json in any::<bool>(), flow in any::<bool>()) {
        let (name, text) = if json {
            ("p.json", docs.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n"))
        } else {
            let yaml: Vec<String> = docs
                .iter()
                .map(|d| if flow { d.to_string() } else { serde_saphyr::to_string(d).unwrap_or_default() })
                .collect();
            ("p.yaml", yaml.join("---\n"))
        };
        let (loaded, notes) = load(name, &text);
        check_decoded(&loaded)?;
        for n in &notes {
            prop_assert!(!n.message.contains('\n'), "{}", n.message);
        }
        let t = pipeline::translate(&loaded.input, &options(), loaded.report);
        for o in &t.objects {
            let v = serde_json::to_value(o).map_err(|e| TestCaseError::fail(e.to_string()))?;
            if let Some(ns) = v.pointer("/metadata/namespace").and_then(|n| n.as_str()) {
                prop_assert!(dns1123(ns, false), "emitted namespace {ns:?}");
            }
        }
    }

    /// Arbitrary text in YAML and JSON files never panics the decoder.
    #[test]
    fn decoding_arbitrary_text(text in "(apiVersion|kind|items|metadata|name|namespace|List|Secret|[-:{}\\[\\],\"' \n\t#&*!|>]|[a-z0-9]{1,4}){0,60}", json in any::<bool>()) {
        let (loaded, _) = load(if json { "a.json" } else { "a.yaml" }, &text);
        check_decoded(&loaded)?;
    }
}
