//! Parallel work (rayon: YAML documents parsed, objects serialised and verify
//! probes run on every core) must not change any output: the same input gives
//! byte-identical stdout and `--report` with one thread or two, and in any
//! document order. The estate is large enough to span several parse and
//! serialisation chunks and carries the annotations whose passes use the IR's
//! rule index (rewrite, use-regex, CORS, timeouts, canary, affinity, access).

use std::path::Path;
use std::process::{Command, Output};

const INGRESSES: usize = 700;

fn ingress(i: usize) -> String {
    let ns = format!("team{}", i % 9);
    // Hosts shared by several Ingresses, across namespaces.
    let host = format!("h{}.example.com", i % 230);
    let mut annotations: Vec<(String, String)> = Vec::new();
    let p = "nginx.ingress.kubernetes.io/";
    let mut path = format!("/svc{i}");
    let mut path_type = "Prefix";
    match i % 20 {
        0..=2 => {
            annotations.push((format!("{p}rewrite-target"), "/$2".into()));
            annotations.push((format!("{p}use-regex"), "true".into()));
            path = format!("/app{i}(/|$)(.*)");
            path_type = "ImplementationSpecific";
        }
        3 | 4 => {
            annotations.push((format!("{p}use-regex"), "true".into()));
            path = format!("/re{i}/[0-9]+");
            path_type = "ImplementationSpecific";
        }
        5 | 6 => {
            annotations.push((format!("{p}enable-cors"), "true".into()));
            annotations.push((
                format!("{p}cors-allow-origin"),
                "https://a.example.com".into(),
            ));
        }
        7 => {
            annotations.push((format!("{p}affinity"), "cookie".into()));
        }
        8 => {
            annotations.push((format!("{p}whitelist-source-range"), "10.0.0.0/8".into()));
        }
        _ => {}
    }
    if i.is_multiple_of(3) {
        annotations.push((format!("{p}proxy-read-timeout"), "120".into()));
    }
    let tls = if i.is_multiple_of(5) {
        format!(
            "  tls:\n  - hosts: [{host}]\n    secretName: tls-{}\n",
            i % 230
        )
    } else {
        String::new()
    };
    let mut out = String::new();
    out.push_str(&ingress_doc(
        &ns,
        &format!("ing{i}"),
        &host,
        &path,
        path_type,
        &format!("svc{i}"),
        &annotations,
        &tls,
    ));
    // A canary for every 25th Ingress, on its own Service.
    if i.is_multiple_of(25) {
        out.push_str("---\n");
        out.push_str(&ingress_doc(
            &ns,
            &format!("ing{i}-canary"),
            &host,
            &path,
            path_type,
            &format!("svc{i}-canary"),
            &[
                (format!("{p}canary"), "true".into()),
                (format!("{p}canary-weight"), "20".into()),
            ],
            "",
        ));
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn ingress_doc(
    ns: &str,
    name: &str,
    host: &str,
    path: &str,
    path_type: &str,
    service: &str,
    annotations: &[(String, String)],
    tls: &str,
) -> String {
    let mut a = String::new();
    if !annotations.is_empty() {
        a.push_str("  annotations:\n");
        for (k, v) in annotations {
            a.push_str(&format!("    {k}: \"{v}\"\n"));
        }
    }
    format!(
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: {name}\n  namespace: {ns}\n{a}spec:\n  ingressClassName: nginx\n{tls}  rules:\n  - host: {host}\n    http:\n      paths:\n      - path: {path}\n        pathType: {path_type}\n        backend:\n          service:\n            name: {service}\n            port:\n              number: 80\n"
    )
}

/// The estate in document order `order` (a permutation of 0..INGRESSES).
fn estate(order: impl Iterator<Item = usize>) -> String {
    order.map(ingress).collect::<Vec<_>>().join("---\n")
}

fn run(dir: &Path, file: &str, threads: usize, args: &[&str]) -> (Output, String) {
    let report = dir.join(format!("{file}.{threads}.{}.report.json", args[0]));
    let mut c = Command::new(env!("CARGO_BIN_EXE_ing2gw"));
    c.args(args)
        .arg("-f")
        .arg(dir.join(file))
        .arg("--report")
        .arg(&report)
        .env("RAYON_NUM_THREADS", threads.to_string())
        .env("NO_COLOR", "1");
    let out = c.output().expect("binary runs");
    let report = std::fs::read_to_string(&report).unwrap_or_default();
    (out, report)
}

fn estates() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("a.yaml"), estate(0..INGRESSES)).expect("write");
    // A fixed shuffle: stride 11 through the indices (11 and 700 are coprime,
    // so every Ingress appears once).
    let shuffled = (0..INGRESSES).map(|k| k * 11 % INGRESSES);
    std::fs::write(dir.path().join("b.yaml"), estate(shuffled)).expect("write");
    dir
}

#[test]
fn print_is_identical_on_one_or_two_threads_and_in_any_document_order() {
    let dir = estates();
    let args = ["print", "--fail-on", "never", "-q"];
    let (one, one_report) = run(dir.path(), "a.yaml", 1, &args);
    assert_eq!(
        one.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&one.stderr)
    );
    let stdout = String::from_utf8_lossy(&one.stdout).to_string();
    // Enough objects for several serialisation chunks, and the features exercised.
    assert!(
        stdout.matches("\n---\n").count() > 600,
        "objects: {}",
        stdout.len()
    );
    for needle in [
        "ReplacePrefixMatch",
        "RegularExpression",
        "weight: 20",
        "timeouts:",
    ] {
        assert!(stdout.contains(needle), "output lacks {needle}");
    }
    assert!(one_report.contains("\"code\""), "report: {one_report}");
    let (two, two_report) = run(dir.path(), "a.yaml", 2, &args);
    assert!(
        one.stdout == two.stdout,
        "stdout differs between 1 and 2 threads"
    );
    assert_eq!(
        one_report, two_report,
        "--report differs between 1 and 2 threads"
    );
    let (shuffled, _) = run(dir.path(), "b.yaml", 2, &args);
    assert!(
        one.stdout == shuffled.stdout,
        "stdout differs when the documents are shuffled"
    );
}

/// verify of `file` on one and on two threads: the same output (which holds
/// `needle`) and exit code.
fn verify_on_one_and_two_threads(dir: &Path, file: &str, needle: &str) {
    let args = ["verify", "--output", "json"];
    let (one, _) = run(dir, file, 1, &args);
    let (two, _) = run(dir, file, 2, &args);
    let text = String::from_utf8_lossy(&one.stdout).to_string();
    assert!(text.contains(needle), "verify output: {text}");
    assert_eq!(one.status.code(), two.status.code());
    assert!(
        one.stdout == two.stdout,
        "verify of {file} differs between 1 and 2 threads"
    );
}

#[test]
fn verify_is_identical_on_one_or_two_threads() {
    let dir = estates();
    verify_on_one_and_two_threads(dir.path(), "a.yaml", "\"probes\"");
}

/// `diff --against DIR` parses the folder's files, judges its objects and
/// compares the pairs on every core: with one thread or two, its stdout and
/// stderr are the same, whether the folder is current or edited (a changed
/// route, a broken one, a file removed, an extra object, a stale one).
/// One regex host of many locations: verify compiles its location regexes
/// on every core.
#[test]
fn verify_of_a_large_regex_host_is_identical_on_one_or_two_threads() {
    let dir = tempfile::tempdir().expect("temp dir");
    let paths: String = (0..150)
        .map(|i| {
            format!(
                "      - {{path: \"/r{i}/v[0-9]+/(.*)\", pathType: ImplementationSpecific, backend: {{service: {{name: s{}, port: {{number: 80}}}}}}}}\n",
                i % 7
            )
        })
        .collect();
    std::fs::write(
        dir.path().join("r.yaml"),
        format!(
            "apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: regex
  namespace: web
  annotations:
    nginx.ingress.kubernetes.io/use-regex: \"true\"
    nginx.ingress.kubernetes.io/rewrite-target: /$1
spec:
  ingressClassName: nginx
  rules:
  - host: regex.example.com
    http:
      paths:
{paths}"
        ),
    )
    .expect("write");
    verify_on_one_and_two_threads(dir.path(), "r.yaml", "/r149/v");
}

#[test]
fn diff_against_a_folder_is_identical_on_one_or_two_threads() {
    let dir = estates();
    let committed = dir.path().join("committed");
    let print = Command::new(env!("CARGO_BIN_EXE_ing2gw"))
        .args(["print", "--fail-on", "never", "-q", "-f"])
        .arg(dir.path().join("a.yaml"))
        .arg("--output-dir")
        .arg(&committed)
        .output()
        .expect("binary runs");
    assert_eq!(
        print.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&print.stderr)
    );
    let diff = |threads: usize| {
        let out = Command::new(env!("CARGO_BIN_EXE_ing2gw"))
            .current_dir(dir.path())
            .args([
                "diff",
                "-f",
                "a.yaml",
                "--against",
                "committed",
                "--color",
                "never",
            ])
            .env("RAYON_NUM_THREADS", threads.to_string())
            .env("NO_COLOR", "1")
            .output()
            .expect("binary runs");
        let stdout = String::from_utf8_lossy(&out.stdout).to_string();
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        (out.status.code(), stdout, stderr)
    };
    let (code, _, stderr) = diff(2);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains(" 0 changed"), "{stderr}");

    // Edit the committed folder: every fifth route of team3 changed (its
    // first backend port), one of team4 broken (port 0), every route file of
    // team5 removed, an extra object and a stale ing2gw route added.
    let mut routes: Vec<_> = std::fs::read_dir(committed.join("team3"))
        .expect("team3")
        .map(|e| e.expect("entry").path())
        .collect();
    routes.sort();
    for route in routes.iter().step_by(5) {
        let text = std::fs::read_to_string(route).expect("route");
        std::fs::write(route, text.replacen("port: 80\n", "port: 8080\n", 1)).expect("write");
    }
    let mut team4: Vec<_> = std::fs::read_dir(committed.join("team4"))
        .expect("team4")
        .map(|e| e.expect("entry").path())
        .collect();
    team4.sort();
    let broken = std::fs::read_to_string(&team4[0]).expect("route");
    std::fs::write(&team4[0], broken.replacen("port: 80\n", "port: 0\n", 1)).expect("write");
    std::fs::remove_dir_all(committed.join("team5")).expect("remove team5");
    std::fs::write(
        committed.join("extra.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: extra, namespace: team1}\ndata: {a: \"1\"}\n",
    )
    .expect("write");
    std::fs::write(
        committed.join("team1/httproute-stale.yaml"),
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: stale\n  namespace: team1\n  annotations:\n    gateway.networking.k8s.io/generator: ing2gw-0.1.0\nspec:\n  hostnames: [stale.example.com]\n",
    )
    .expect("write");
    let one = diff(1);
    let two = diff(2);
    assert_eq!(one.0, Some(1), "{}", one.2);
    for needle in [
        "manifest-invalid",
        "not managed by ing2gw",
        "(no longer generated)",
    ] {
        assert!(one.2.contains(needle), "stderr lacks {needle}: {}", one.2);
    }
    for needle in [
        "-      port: 8080",
        "+      port: 80",
        ": only generated",
        "# HTTPRoute team1/stale: only in the compared objects",
    ] {
        assert!(one.1.contains(needle), "stdout lacks {needle}: {}", one.1);
    }
    assert!(
        one.1 == two.1,
        "diff's stdout differs between 1 and 2 threads"
    );
    assert!(
        one.2 == two.2,
        "diff's stderr differs between 1 and 2 threads"
    );
}
