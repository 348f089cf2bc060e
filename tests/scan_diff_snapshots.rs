//! `scan` and `diff` on `testdata/scan` and `testdata/diff`, run as the built
//! binary: snapshots of every scan format and of a diff, and diff's exit codes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the binary from the crate root (paths in the output stay relative).
fn ing2gw(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ing2gw"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .env_remove("KUBECONFIG")
        .output()
        .expect("the ing2gw binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn snapshot(name: &str, value: &str) {
    insta::with_settings!({
        snapshot_path => "../snapshots",
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!(name, value);
    });
}

const RISKY: &str = "testdata/scan/risky/ingresses.yaml";
const DIFF_INPUT: &str = "testdata/diff/basic/ingresses.yaml";
const DIFF_AGAINST: &str = "testdata/diff/basic/against.yaml";

#[test]
fn scan_formats() {
    for format in ["table", "markdown", "json"] {
        let out = ing2gw(&["scan", "-f", RISKY, "-o", format]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        snapshot(&format!("scan__risky__{format}"), &text(&out.stdout));
    }
}

const INVALID: &str = "testdata/scan/invalid/ingresses.yaml";

/// An Ingress that does not decode is shown (and counted blocked) in every
/// format, with its invalid-object message, as `print` shows it.
#[test]
fn scan_shows_undecodable_ingresses() {
    for format in ["table", "markdown", "json"] {
        let out = ing2gw(&["scan", "-f", INVALID, "-o", format]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let stdout = text(&out.stdout);
        assert!(
            stdout.contains("broken")
                && (stdout.contains("invalid, blocked")
                    || stdout.contains("\"invalid\": \"Ingress does not decode")),
            "{format}: {stdout}"
        );
        snapshot(&format!("scan__invalid__{format}"), &stdout);
    }
    let out = ing2gw(&["scan", "-f", INVALID, "-o", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(report["summary"]["ingresses"], 2);
    assert_eq!(report["summary"]["served_ingresses"], 1);
    assert_eq!(report["summary"]["invalid_ingresses"], 1);
    let broken = &report["namespaces"][0]["ingresses"][0];
    assert_eq!(broken["name"], "broken");
    assert_eq!(broken["served"], false);
    assert!(
        broken["invalid"]
            .as_str()
            .is_some_and(|m| m.contains("does not decode") && m.contains("ingresses.yaml:")),
        "{broken}"
    );
    assert_eq!(broken["notifications"]["error"], 1);
}

#[test]
fn scan_json_is_the_same_report_as_the_table() {
    let out = ing2gw(&["scan", "-f", RISKY, "-o", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(report["summary"]["ingresses"], 6);
    assert_eq!(report["summary"]["served_ingresses"], 5);
    assert_eq!(report["shared_hosts"][0]["host"], "shop.example.com");
    let risks = &report["summary"]["risks"];
    for kind in [
        "snippet",
        "auth",
        "allowlist",
        "regex-host",
        "canary-shared-service",
    ] {
        assert!(risks[kind].as_u64().unwrap_or(0) > 0, "{kind} in {risks}");
    }
}

#[test]
fn scan_of_unreadable_input_is_exit_2() {
    let out = ing2gw(&["scan", "-f", "testdata/does-not-exist"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("does-not-exist"));
}

#[test]
fn diff_against_an_older_output() {
    let out = ing2gw(&[
        "diff",
        "-f",
        DIFF_INPUT,
        "--against",
        DIFF_AGAINST,
        "-q",
        "--color",
        "never",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    // Server-set fields, CRD defaults and key order are not differences.
    assert!(!stdout.contains("Gateway gateway-system/nginx"), "{stdout}");
    assert!(!stdout.contains("resourceVersion"), "{stdout}");
    assert!(
        text(&out.stderr).contains("1 changed, 1 only generated"),
        "{}",
        text(&out.stderr)
    );
    snapshot("diff__basic", &stdout);
}

fn print_to(dir: &Path) -> PathBuf {
    let out_dir = dir.join("gateway");
    let out = ing2gw(&[
        "print",
        "-f",
        DIFF_INPUT,
        "-q",
        "--output-dir",
        out_dir.to_str().expect("utf-8"),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    out_dir
}

#[test]
fn diff_exit_0_when_the_committed_output_is_current() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out_dir = print_to(dir.path());
    let out = ing2gw(&[
        "diff",
        "-f",
        DIFF_INPUT,
        "--against",
        out_dir.to_str().expect("utf-8"),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "");
    assert!(text(&out.stderr).contains("0 changed"));
}

#[test]
fn diff_exit_1_when_a_file_changed_and_colour_on_request() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out_dir = print_to(dir.path());
    let route = out_dir.join("store/httproute-catalog.example.com.yaml");
    let edited = std::fs::read_to_string(&route)
        .expect("route file")
        .replace("port: 8080", "port: 9090");
    std::fs::write(&route, edited).expect("write");
    let out = ing2gw(&[
        "diff",
        "-f",
        DIFF_INPUT,
        "--against",
        out_dir.to_str().expect("utf-8"),
        "--color",
        "always",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains('\u{1b}'), "coloured: {stdout}");
    assert!(stdout.contains("port: 9090"), "{stdout}");
    assert!(stdout.contains("port: 8080"), "{stdout}");
}

#[test]
fn diff_exit_2_on_a_bad_path_or_bad_yaml() {
    let out = ing2gw(&["diff", "-f", DIFF_INPUT, "--against", "testdata/nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("testdata/nope"));

    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("bad.yaml");
    std::fs::write(&bad, "kind: HTTPRoute\nmetadata: {name: [\n").expect("write");
    let out = ing2gw(&[
        "diff",
        "-f",
        DIFF_INPUT,
        "--against",
        bad.to_str().expect("utf-8"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("not valid YAML"),
        "{}",
        text(&out.stderr)
    );

    let out = ing2gw(&["diff", "-f", "testdata/nope", "--against", DIFF_AGAINST]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn diff_requires_against() {
    let out = ing2gw(&["diff", "-f", DIFF_INPUT]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--against"));
}

/// The shared corpus of real manifests (skipped when absent): every Ingress is in
/// the report, and what it says about Ingresses does not depend on file order.
#[test]
fn corpus_scan_lists_every_ingress_and_is_deterministic() {
    use ing2gw::input::read_sources;
    use ing2gw::{options::TranslateOptions, pipeline, scan};
    let corpus = root().join("../shared/corpus");
    if !corpus.is_dir() {
        eprintln!("skipped: {} not found", corpus.display());
        return;
    }
    let all = read_sources(&[corpus.display().to_string()]).expect("readable corpus");
    // The corpus gathers unrelated repositories, and some reuse an Ingress identity
    // (`default/canary` …). Given together, kubectl keeps the last copy, so the
    // result depends on file order by design (each copy is a `duplicate-object`
    // error). Order independence is checked on the files whose identities are
    // unique.
    let mut seen = std::collections::BTreeSet::new();
    let mut files = Vec::new();
    for f in &all {
        let ids: Vec<_> = pipeline::load(std::slice::from_ref(f))
            .input
            .ingresses
            .iter()
            .map(|i| i.obj.clone())
            .collect();
        if ids.iter().all(|id| !seen.contains(id)) {
            seen.extend(ids);
            files.push(f.clone());
        }
    }
    assert!(
        files.len() * 5 >= all.len() * 4,
        "most corpus files have unique identities"
    );
    let full = pipeline::load(&all);
    let duplicates = full.report.clone().finish();
    assert!(
        files.len() == all.len()
            || duplicates
                .iter()
                .any(|n| n.code == ing2gw::input::DUPLICATE_OBJECT),
        "repeated identities across files are reported"
    );
    let options = TranslateOptions::default();
    let run = |files: &[ing2gw::input::SourceFile]| {
        let loaded = pipeline::load(files);
        let t = pipeline::translate(&loaded.input, &options, loaded.report);
        let report = scan::scan(&loaded.input, &options, &t.notifications, "files");
        (loaded.input.ingresses.len(), report)
    };
    let (count, forward) = run(&files);
    let listed: usize = forward.namespaces.iter().map(|n| n.ingresses.len()).sum();
    // Undecodable Ingresses are listed too (marked invalid, blocked).
    let invalid = forward.summary.invalid_ingresses;
    let marked: usize = forward
        .namespaces
        .iter()
        .flat_map(|n| &n.ingresses)
        .filter(|i| i.invalid.is_some())
        .count();
    assert_eq!(marked, invalid);
    assert_eq!(listed, count + invalid);
    assert_eq!(forward.summary.ingresses, count + invalid);
    files.reverse();
    let (_, backward) = run(&files);
    // Notification counts may differ with file order (first-wins merging); the
    // per-Ingress annotations, risks and shared hosts must not.
    assert_eq!(forward.shared_hosts, backward.shared_hosts);
    assert_eq!(
        forward.summary.annotations_by_support,
        backward.summary.annotations_by_support
    );
}

/// Issue 15.6: routes emitted fail-closed answer HTTP 500, so the Ingresses are
/// blocked and the blockers say why ("Top blockers: none" was the bug); every
/// Ingress has a verdict with its reasons (codes and texts).
#[test]
fn scan_lists_fail_closed_routes_as_blockers_with_verdicts() {
    let out = ing2gw(&["scan", "-f", RISKY, "-o", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let blockers = report["summary"]["top_blockers"]
        .as_array()
        .expect("blockers");
    assert!(
        blockers
            .iter()
            .any(|b| b["code"] == "access-fail-closed" && b["field"] == "auth-url"),
        "{blockers:?}"
    );
    assert_eq!(report["summary"]["verdicts"]["blocked"], 2);
    assert_eq!(report["summary"]["verdicts"]["ready"], 1);
    assert_eq!(report["fail_closed"][0]["name"], "storefront");
    let shop = &report["namespaces"]
        .as_array()
        .expect("namespaces")
        .iter()
        .find(|n| n["namespace"] == "shop")
        .expect("shop")["ingresses"];
    let storefront = shop
        .as_array()
        .expect("ingresses")
        .iter()
        .find(|i| i["name"] == "storefront")
        .expect("storefront");
    assert_eq!(storefront["verdict"], "blocked");
    assert_eq!(storefront["reasons"][0]["code"], "access-fail-closed");
    assert!(
        storefront["reasons"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("HTTP 500")),
        "{storefront}"
    );
    let counts = report["summary"]["annotations"]
        .as_array()
        .expect("annotation counts");
    assert!(
        counts
            .iter()
            .any(|a| a["name"] == "auth-url" && a["ingresses"] == 1)
    );

    let md = text(&ing2gw(&["scan", "-f", RISKY, "-o", "markdown"]).stdout);
    let summary = md.find("## Estate summary").expect("summary");
    let blockers = md.find("## Blockers").expect("blockers");
    let detail = md.find("### Namespace shop").expect("namespace detail");
    assert!(summary < blockers && blockers < detail, "{md}");
    assert!(md.contains("| access-fail-closed | auth-url | 1 |"), "{md}");
}

fn write(dir: &Path, name: &str, content: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, content).expect("write");
    path
}

/// 18.2: `--fail-on` is a CI gate without jq, and `--baseline` fails only on
/// problems an earlier JSON scan did not list.
#[test]
fn scan_fail_on_and_baseline() {
    let out = ing2gw(&["scan", "-f", RISKY, "--fail-on", "blocked", "-o", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(
        err.contains("shop/storefront: blocked (access-fail-closed)"),
        "{err}"
    );
    assert!(
        serde_json::from_slice::<serde_json::Value>(&out.stdout).is_ok(),
        "report still written"
    );

    // An accepted notification does not raise the verdict.
    let accepted = ing2gw(&[
        "scan",
        "-f",
        RISKY,
        "--fail-on",
        "blocked",
        "--accept",
        "access-fail-closed:shop/storefront",
    ]);
    assert_eq!(accepted.status.code(), Some(1));
    let accepted_err = text(&accepted.stderr);
    assert!(accepted_err.contains("payments/pay"), "{accepted_err}");
    assert!(!accepted_err.contains("shop/storefront"), "{accepted_err}");

    let dir = tempfile::tempdir().expect("tempdir");
    let baseline = write(dir.path(), "baseline.json", &text(&out.stdout));
    let baseline = baseline.to_str().expect("utf-8");
    for level in ["blocked", "review"] {
        let out = ing2gw(&[
            "scan",
            "-f",
            RISKY,
            "--fail-on",
            level,
            "--baseline",
            baseline,
        ]);
        assert_eq!(out.status.code(), Some(0), "{level}: {}", text(&out.stderr));
    }
    // A new blocked Ingress: only it fails the gate.
    let grown = std::fs::read_to_string(root().join(RISKY)).expect("input")
        + "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: admin\n  namespace: shop\n  annotations:\n    nginx.ingress.kubernetes.io/whitelist-source-range: 10.0.0.0/8\nspec:\n  ingressClassName: nginx\n  rules:\n  - host: admin.example.com\n    http:\n      paths:\n      - {path: /, pathType: Prefix, backend: {service: {name: admin, port: {number: 80}}}}\n";
    let input = write(dir.path(), "grown.yaml", &grown);
    let input = input.to_str().expect("utf-8");
    let out = ing2gw(&[
        "scan",
        "-f",
        input,
        "--fail-on",
        "blocked",
        "--baseline",
        baseline,
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(err.contains("1 Ingress(es) with new problems"), "{err}");
    assert!(
        err.contains("shop/admin: blocked (access-fail-closed)"),
        "{err}"
    );
    assert!(!err.contains("shop/storefront"), "{err}");
    // Without --fail-on the scan never fails; a bad baseline is a usage error.
    assert_eq!(ing2gw(&["scan", "-f", input]).status.code(), Some(0));
    let bad = write(dir.path(), "bad.json", "[]");
    let out = ing2gw(&[
        "scan",
        "-f",
        RISKY,
        "--fail-on",
        "blocked",
        "--baseline",
        bad.to_str().expect("utf-8"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("not the JSON of `ing2gw scan -o json`"));
}

const HOSTILE: &str = "testdata/scan/hostile/ingresses.yaml";

/// 18.2: names, keys and values from manifests are escaped in the HTML page
/// (and in Markdown, which GitHub renders with inline HTML); the page loads
/// nothing from outside.
#[test]
fn scan_html_escapes_manifest_text_and_is_self_contained() {
    let out = ing2gw(&["scan", "-f", HOSTILE, "-o", "html"]);
    // The first Ingress's name is invalid: an input error, the report is written.
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let html = text(&out.stdout);
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    assert!(!html.to_lowercase().contains("<script"), "{html}");
    assert!(!html.contains("<img"), "{html}");
    assert!(!html.contains("</td></tr></table><"), "{html}");
    assert!(
        html.contains("&lt;script&gt;alert(&#39;key&#39;)&lt;/script&gt;")
            && html.contains("&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;img src=x"),
        "{html}"
    );
    assert!(
        html.contains("&lt;script&gt;alert(&#39;name&#39;)"),
        "{html}"
    );
    for external in ["<link", "<iframe", "href=\"http", "@import", "url("] {
        assert!(!html.contains(external), "{external} in {html}");
    }
    assert!(html.contains("@media print"));
    let md = text(&ing2gw(&["scan", "-f", HOSTILE, "-o", "markdown"]).stdout);
    assert!(!md.contains("<script"), "{md}");

    let out = ing2gw(&["scan", "-f", RISKY, "-o", "html"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    snapshot("scan__risky__html", &text(&out.stdout));
}

/// Issue 15.5: a folder with a Namespace and a hand-written policy next to the
/// generated files (listed in its kustomization.yaml, as a user does) diffs
/// clean: they are "not managed", counted, and compared only with
/// `--include-unmanaged`. GitOps annotations added to a generated file are not
/// differences either.
#[test]
fn diff_against_a_folder_compares_only_what_ing2gw_manages() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out_dir = print_to(dir.path());
    write(
        &out_dir,
        "namespace.yaml",
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: store}\n",
    );
    write(
        &out_dir,
        "store/policy.yaml",
        "apiVersion: gateway.envoyproxy.io/v1alpha1\nkind: SecurityPolicy\nmetadata: {name: admin-auth, namespace: store}\nspec:\n  targetRefs: [{group: gateway.networking.k8s.io, kind: HTTPRoute, name: admin.example.com}]\n",
    );
    let kustomization = out_dir.join("kustomization.yaml");
    let k = std::fs::read_to_string(&kustomization).expect("kustomization")
        + "- namespace.yaml\n- store/policy.yaml\n";
    std::fs::write(&kustomization, k).expect("write");
    let route = out_dir.join("store/httproute-catalog.example.com.yaml");
    let edited = std::fs::read_to_string(&route).expect("route").replacen(
        "annotations:\n",
        "annotations:\n    argocd.argoproj.io/sync-wave: \"2\"\n",
        1,
    );
    assert!(edited.contains("sync-wave"), "{edited}");
    std::fs::write(&route, edited).expect("write");
    let against = out_dir.to_str().expect("utf-8");

    let out = ing2gw(&["diff", "-f", DIFF_INPUT, "--against", against, "-q"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}\n{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let err = text(&out.stderr);
    assert!(
        err.contains("2 object(s) in") && err.contains("not managed by ing2gw, not compared"),
        "{err}"
    );
    assert!(
        err.contains("Namespace store") && err.contains("SecurityPolicy store/admin-auth"),
        "{err}"
    );
    assert!(
        err.contains("2 not managed by ing2gw (not compared)"),
        "{err}"
    );

    let out = ing2gw(&[
        "diff",
        "-f",
        DIFF_INPUT,
        "--against",
        against,
        "-q",
        "--include-unmanaged",
        "--color",
        "never",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("# Namespace store: only in the compared objects"),
        "{stdout}"
    );
    assert!(
        stdout.contains("# SecurityPolicy store/admin-auth: only in the compared objects"),
        "{stdout}"
    );
}
