//! Readable stderr at scale (issue 13 item 4): a notification code that repeats
//! is shown a few times in full, then as one summary line (count, a few objects,
//! "--report"); `--report` keeps every instance; the final summary counts every
//! code; a 10,000-Ingress estate stays under 200 KB of stderr; and a spinner is
//! never drawn when stderr is not a terminal.

use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;
use std::process::{Command, Output};

fn ing2gw(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ing2gw"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("the ing2gw binary runs")
}

/// `n` Ingresses in one multi-document file, a mix like a real estate: plain
/// paths, TLS, `proxy-read-timeout`, `rewrite-target` with capture groups, CORS,
/// `proxy-body-size`; hosts shared by three Ingresses across 50 namespaces.
fn estate(n: usize) -> String {
    let mut out = String::new();
    for i in 0..n {
        let annotations = match i % 20 {
            0..=5 => r#"{nginx.ingress.kubernetes.io/proxy-read-timeout: "120"}"#,
            6..=8 => r#"{nginx.ingress.kubernetes.io/rewrite-target: "/$2"}"#,
            9 | 10 => r#"{nginx.ingress.kubernetes.io/enable-cors: "true"}"#,
            11 => r#"{nginx.ingress.kubernetes.io/proxy-body-size: 8m}"#,
            _ => "{}",
        };
        let (path, path_type) = match i % 20 {
            6..=8 => ("/svc(/|$)(.*)".to_string(), "ImplementationSpecific"),
            _ => (format!("/p{i}"), "Prefix"),
        };
        let host = format!("app-{}.example.com", i / 3);
        let tls = if i % 5 == 0 {
            format!("  tls: [{{hosts: [{host}], secretName: tls-{i}}}]\n")
        } else {
            String::new()
        };
        let _ = write!(
            out,
            "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: ing-{i}\n  \
             namespace: team-{}\n  annotations: {annotations}\nspec:\n  ingressClassName: nginx\n{tls}  \
             rules:\n  - host: {host}\n    http:\n      paths:\n      - path: {path}\n        \
             pathType: {path_type}\n        backend: {{service: {{name: svc-{i}, port: {{number: 80}}}}}}\n",
            i % 50
        );
    }
    out
}

/// Notifications per code (and severity) in a `--report` file.
fn report_counts(path: &Path) -> BTreeMap<(String, String), usize> {
    let report: Value =
        serde_json::from_slice(&std::fs::read(path).expect("report written")).expect("JSON");
    let mut counts = BTreeMap::new();
    for n in report["notifications"].as_array().expect("notifications") {
        let key = (
            n["code"].as_str().expect("code").to_string(),
            n["severity"].as_str().expect("severity").to_string(),
        );
        *counts.entry(key).or_default() += 1;
    }
    counts
}

/// The `ing2gw: by code: …` line, as (code, severity) → count.
fn summary_counts(stderr: &str) -> BTreeMap<(String, String), usize> {
    let line = stderr
        .lines()
        .find_map(|l| l.strip_prefix("ing2gw: by code: "))
        .unwrap_or_else(|| panic!("no by-code summary in:\n{stderr}"));
    line.split(", ")
        .map(|entry| {
            let mut words = entry.split(' ');
            let code = words.next().expect("code").to_string();
            let count = words.next().expect("count").parse().expect("a count");
            let severity = words.next().expect("severity").trim_matches(['(', ')']);
            ((code, severity.to_string()), count)
        })
        .collect()
}

#[test]
fn a_repeated_code_is_summarised_and_the_report_keeps_every_instance() {
    let dir = tempfile::tempdir().expect("temp dir");
    // Ten Ingresses with proxy-read-timeout: ten `timeouts` warnings.
    let input: String = (0..10)
        .map(|i| {
            format!(
                "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web-{i}\n  \
                 namespace: shop\n  annotations: {{nginx.ingress.kubernetes.io/proxy-read-timeout: \"30\"}}\n\
                 spec:\n  ingressClassName: nginx\n  rules:\n  - host: h{i}.example.com\n    http:\n      \
                 paths:\n      - {{path: /, pathType: Prefix, backend: {{service: {{name: web, port: {{number: 80}}}}}}}}\n"
            )
        })
        .collect();
    std::fs::write(dir.path().join("in.yaml"), input).expect("input written");
    let out = ing2gw(
        dir.path(),
        &["print", "-f", "in.yaml", "--report", "report.json"],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    // Three in full (each names its file position), then one line for the rest.
    assert_eq!(
        stderr.matches("timeouts.request").count(),
        3,
        "three in full:\n{stderr}"
    );
    assert!(
        stderr.contains(
            "warning[timeouts]: 7 more not shown (10 in all), e.g. Ingress shop/web-3, \
             Ingress shop/web-4, Ingress shop/web-5, …; --report FILE lists every one"
        ),
        "{stderr}"
    );
    assert_eq!(
        summary_counts(&stderr).get(&("timeouts".into(), "warning".into())),
        Some(&10)
    );
    let report = report_counts(&dir.path().join("report.json"));
    assert_eq!(
        report.get(&("timeouts".into(), "warning".into())),
        Some(&10)
    );
    assert_eq!(summary_counts(&stderr), report, "every code counted");
}

/// 10,000 Ingresses used to print megabytes of notifications (17 MB in the
/// issue); now every code and its count, well under 200 KB. stderr is a pipe
/// here, so no spinner may be drawn: no carriage return, no escape sequence.
#[test]
fn ten_thousand_ingresses_give_a_readable_stderr() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("estate.yaml"), estate(10_000)).expect("estate written");
    let out = ing2gw(
        dir.path(),
        &[
            "print",
            "-f",
            "estate.yaml",
            "-o",
            "json",
            "--report",
            "report.json",
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        stderr.chars().take(5000).collect::<String>()
    );
    assert!(
        out.stderr.len() < 200_000,
        "stderr is {} bytes:\n{}",
        out.stderr.len(),
        stderr.chars().take(5000).collect::<String>()
    );
    let report = report_counts(&dir.path().join("report.json"));
    let total: usize = report.values().sum();
    assert!(
        total > 10_000,
        "the estate raises many notifications: {total}"
    );
    assert_eq!(summary_counts(&stderr), report, "every code with its count");
    assert!(
        !out.stderr.contains(&b'\r') && !out.stderr.contains(&0x1b),
        "no progress drawing on a pipe"
    );
}

/// A run that waits on its input for longer than the spinner's delay: stdin
/// stays open (and empty) for `seconds`.
fn slow_stdin_run(seconds: u64) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ing2gw"))
        .args(["print", "-f", "-"])
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the ing2gw binary runs");
    let stdin = child.stdin.take();
    std::thread::sleep(std::time::Duration::from_secs(seconds));
    drop(stdin);
    child.wait_with_output().expect("ing2gw ends")
}

#[test]
fn no_spinner_when_stderr_is_a_pipe() {
    let out = slow_stdin_run(4);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("no Ingress found"), "{stderr}");
    assert!(
        !out.stderr.contains(&b'\r') && !out.stderr.contains(&0x1b),
        "progress drawn on a pipe: {stderr:?}"
    );
}

/// The positive side, on a pseudo-terminal made by util-linux `script`: the
/// stage is shown while the input is read, and the line is cleared afterwards.
#[test]
fn spinner_on_a_terminal_for_a_slow_run() {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("SKIPPED: util-linux `script` is not installed (needed for a pseudo-terminal)");
        return;
    }
    let bin = env!("CARGO_BIN_EXE_ing2gw");
    let out = Command::new("script")
        .args([
            "-qec",
            &format!("sleep 5 | '{bin}' print -f - > /dev/null"),
            "/dev/null",
        ])
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("script runs");
    let tty = String::from_utf8_lossy(&out.stdout);
    assert!(tty.contains("reading input"), "{tty:?}");
    assert!(
        tty.contains("\u{1b}[2K"),
        "the spinner line is cleared: {tty:?}"
    );
    assert!(tty.contains("no Ingress found"), "{tty:?}");
}
