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
