//! `ing2gw verify`: the naive translations of the seed post must show the
//! divergences the post describes (exit 1), and ing2gw's own translation of every
//! `testdata/` case must have no unexplained divergence.

use clap::Parser;
use ing2gw::cli::{Cli, Command};
use ing2gw::gwapi::decode_gateway_objects;
use ing2gw::input::read_sources;
use ing2gw::options::TranslateOptions;
use ing2gw::pipeline;
use ing2gw::report::Report;
use ing2gw::verify::compare::{ProbeResult, Verdict, VerifyReport};
use ing2gw::verify::gateway_model::GatewayModel;
use ing2gw::verify::nginx_model::NginxModel;
use ing2gw::verify::request::{Outcome, Probe, Scheme};
use ing2gw::verify::{self, render};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command as Process;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn naive(case: &str) -> (String, String) {
    let dir = root().join("testdata/verify").join(case);
    (
        dir.join("ingress.yaml").display().to_string(),
        dir.join("gateway.yaml").display().to_string(),
    )
}

fn run_cli(args: &[&str]) -> (i32, String, String) {
    let out = Process::new(env!("CARGO_BIN_EXE_ing2gw"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .output()
        .expect("binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `ing2gw verify -o json` on a naive case: exit code and the JSON report.
fn verify_naive_json(case: &str) -> (i32, Value) {
    let (ing, gw) = naive(case);
    let (code, stdout, stderr) =
        run_cli(&["verify", "-f", &ing, "--gateway-api", &gw, "-o", "json"]);
    let json = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}\n{stderr}"));
    (code, json)
}

/// Unexplained divergences of a JSON report as (target, nginx outcome, gateway outcome).
/// With `--gateway-api` every divergence is unexplained (notifications describe
/// ing2gw's own translation, not these manifests).
fn unexplained(json: &Value) -> Vec<(String, Value, Value)> {
    json["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter(|r| r["verdict"] == "divergent" && r["explained_by"].is_null())
        .map(|r| {
            (
                r["probe"]["target"].as_str().unwrap_or("").to_string(),
                r["ingress_nginx"].clone(),
                r["gateway_api"].clone(),
            )
        })
        .collect()
}

fn is_backend(o: &Value, service: &str, uri: Option<&str>) -> bool {
    o["kind"] == "backend" && o["service"]["name"] == service && uri.is_none_or(|u| o["uri"] == u)
}

fn is_404(o: &Value) -> bool {
    o["kind"] == "status" && o["status"] == 404
}

#[test]
fn naive_regex_match_routes_uuid_like_paths_to_404() {
    let (code, json) = verify_naive_json("seed-regex-match");
    assert_eq!(code, 1, "{json:#}");
    let found = unexplained(&json);
    // Seed §1: a lower-case (or longer) path reached httpbin in ingress-nginx.
    assert!(
        found
            .iter()
            .any(|(t, n, g)| { is_backend(n, "httpbin", None) && is_404(g) && t.starts_with('/') }),
        "{found:#?}"
    );
}

#[test]
fn naive_exact_header_on_a_regex_host_diverges() {
    let (code, json) = verify_naive_json("seed-regex-two-ingresses");
    assert_eq!(code, 1, "{json:#}");
    let found = unexplained(&json);
    assert!(
        found.iter().any(|(t, n, g)| {
            t.to_ascii_lowercase().starts_with("/header")
                && t != "/Header"
                && is_backend(n, "httpbin", None)
                && is_404(g)
        }),
        "{found:#?}"
    );
}

#[test]
fn naive_rewrite_target_host_diverges() {
    let (code, json) = verify_naive_json("seed-rewrite-target");
    assert_eq!(code, 1, "{json:#}");
    let found = unexplained(&json);
    // /ip-like paths were rewritten to /uuid by ingress-nginx.
    assert!(
        found.iter().any(|(t, n, g)| {
            t.to_ascii_lowercase().starts_with("/ip")
                && is_backend(n, "httpbin", Some("/uuid"))
                && is_404(g)
        }),
        "{found:#?}"
    );
}

#[test]
fn naive_trailing_slash_misses_the_301() {
    let (code, json) = verify_naive_json("seed-trailing-slash");
    assert_eq!(code, 1, "{json:#}");
    let found = unexplained(&json);
    assert!(
        found.iter().any(|(t, n, g)| {
            t == "/my-path"
                && n["kind"] == "redirect"
                && n["status"] == 301
                && n["location"] == "http://trailing-slash.example.com/my-path/"
                && is_404(g)
        }),
        "{found:#?}"
    );
}

#[test]
fn naive_path_normalization_is_implementation_defined_not_divergent() {
    let (code, json) = verify_naive_json("seed-path-normalization");
    let host = "path-normalization.example.com";
    let on_host = |verdict: &str| {
        json["results"]
            .as_array()
            .expect("results")
            .iter()
            .filter(|r| r["probe"]["host"] == host && r["verdict"] == verdict)
            .map(|r| r["probe"]["target"].as_str().unwrap_or("").to_string())
            .collect::<Vec<_>>()
    };
    // Seed §5: ////uuid and /ip/abc/../../uuid reach /uuid in ingress-nginx only
    // after normalisation, which Gateway API leaves to the implementation.
    let undefined = on_host("implementation-defined");
    assert!(
        undefined.iter().any(|t| t.starts_with("//")),
        "{undefined:?}"
    );
    assert!(
        undefined.iter().any(|t| t.contains("/../")),
        "{undefined:?}"
    );
    assert!(on_host("divergent").is_empty(), "{json:#}");
    // The only divergence: the controller's own /healthz on unknown hosts, which
    // no Gateway API manifest reproduces unless written for it.
    assert_eq!(code, 1);
    for (t, n, g) in unexplained(&json) {
        assert!(t.contains("healthz"), "{t}: {n} vs {g}");
    }
}

/// The exact requests of the seed post, run through both models directly.
fn seed_probe(case: &str, host: &str, target: &str) -> (Outcome, Outcome) {
    let (ing, gw) = naive(case);
    let loaded = pipeline::load(&read_sources(&[ing]).expect("readable"));
    let options = TranslateOptions::default();
    let nginx = NginxModel::build(&loaded.input, &options);
    let mut report = Report::default();
    let objects = decode_gateway_objects(&read_sources(&[gw]).expect("readable"), &mut report);
    let gateway = GatewayModel::build(&objects.objects);
    let probe = Probe::get(Scheme::Http, host, target);
    (nginx.handle(&probe).outcome, gateway.handle(&probe).outcome)
}

fn httpbin_uri(o: &Outcome) -> Option<&str> {
    match o {
        Outcome::Backend { service, uri, .. } if service.name == "httpbin" => Some(uri),
        _ => None,
    }
}

#[test]
fn the_seed_posts_requests_diverge_as_the_post_says() {
    let not_found = Outcome::Status { status: 404 };
    let (n, g) = seed_probe(
        "seed-regex-two-ingresses",
        "regex-match.example.com",
        "/headers",
    );
    assert_eq!((httpbin_uri(&n), &g), (Some("/headers"), &not_found));
    let (n, g) = seed_probe("seed-regex-match", "regex-match.example.com", "/uuid");
    assert_eq!((httpbin_uri(&n), &g), (Some("/uuid"), &not_found));
    let (n, g) = seed_probe("seed-rewrite-target", "rewrite-target.example.com", "/ip");
    assert_eq!((httpbin_uri(&n), &g), (Some("/uuid"), &not_found));
    let (n, g) = seed_probe(
        "seed-rewrite-target",
        "rewrite-target.example.com",
        "/headers",
    );
    assert_eq!((httpbin_uri(&n), &g), (Some("/headers"), &not_found));
    let (n, g) = seed_probe(
        "seed-trailing-slash",
        "trailing-slash.example.com",
        "/my-path",
    );
    assert_eq!(
        n,
        Outcome::Redirect {
            status: 301,
            location: "http://trailing-slash.example.com/my-path/".into()
        }
    );
    assert_eq!(g, not_found);
}

#[test]
fn naive_reports_are_snapshotted() {
    for case in [
        "seed-path-normalization",
        "seed-regex-match",
        "seed-regex-two-ingresses",
        "seed-rewrite-target",
        "seed-trailing-slash",
    ] {
        let (ing, gw) = naive(case);
        let rel = |p: &str| {
            Path::new(p)
                .strip_prefix(root())
                .map(|p| p.display().to_string())
                .unwrap_or_else(|_| p.to_string())
        };
        let (_, stdout, _) = run_cli(&["verify", "-f", &rel(&ing), "--gateway-api", &rel(&gw)]);
        insta::with_settings!({
            snapshot_path => "../snapshots",
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(format!("verify-report__{case}"), stdout);
        });
    }
}

#[test]
fn input_errors_exit_2() {
    let (code, _, stderr) = run_cli(&["verify", "-f", "testdata/does-not-exist.yaml"]);
    assert_eq!(code, 2, "{stderr}");
    let (ing, _) = naive("seed-trailing-slash");
    // An Ingress file is not a set of Gateway API manifests.
    let (code, _, stderr) = run_cli(&["verify", "-f", &ing, "--gateway-api", &ing]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("no HTTPRoute"), "{stderr}");
    let dir = tempfile::tempdir().expect("tempdir");
    let broken = dir.path().join("broken.yaml");
    std::fs::write(&broken, "kind: [unclosed\n").expect("write");
    let broken = broken.display().to_string();
    let (code, _, stderr) = run_cli(&["verify", "-f", &broken]);
    assert_eq!(code, 2, "{stderr}");
    let (code, _, stderr) = run_cli(&["verify", "-f", &ing, "--gateway-api", &broken]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("broken.yaml"), "{stderr}");
}

#[test]
fn budget_bounds_the_probes_and_report_file_matches_stdout() {
    let (ing, gw) = naive("seed-trailing-slash");
    let dir = tempfile::tempdir().expect("tempdir");
    let report = dir.path().join("report.json");
    let report_arg = report.display().to_string();
    let (_, stdout, _) = run_cli(&[
        "verify",
        "-f",
        &ing,
        "--gateway-api",
        &gw,
        "--budget",
        "10",
        "-o",
        "json",
        "--report",
        &report_arg,
    ]);
    let json: Value = serde_json::from_str(&stdout).expect("json");
    let probes = json["summary"]["probes"].as_u64().expect("count");
    assert!(probes > 0 && probes <= 10, "{probes}");
    let written = std::fs::read_to_string(&report).expect("report written");
    assert_eq!(written, stdout);
}

fn case_args(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join("args"))
        .map(|s| {
            s.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(String::from)
                .collect()
        })
        .unwrap_or_default()
}

/// Every `testdata/**/input.yaml`, sorted.
fn cases() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .expect("testdata readable")
            .map(|e| e.expect("dir entry").path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, out);
            } else if p.file_name().is_some_and(|n| n == "input.yaml") {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(&root().join("testdata"), &mut out);
    out
}

/// ing2gw's own translation of a case, verified.
fn verify_own(path: &Path) -> VerifyReport {
    let dir = path.parent().expect("case dir");
    let mut argv = vec![
        "ing2gw".to_string(),
        "verify".into(),
        "-f".into(),
        "unused".into(),
    ];
    argv.extend(case_args(dir));
    let cli = Cli::try_parse_from(&argv).expect("valid args file");
    let Command::Verify(args) = cli.command else {
        panic!("verify expected")
    };
    let rel = path
        .strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string();
    let loaded = pipeline::load(&read_sources(&[rel]).expect("readable"));
    let options = args.translate.options();
    let t = pipeline::translate(&loaded.input, &options, loaded.report);
    // As `ing2gw verify` does: the models probe the original hosts (`--host-map`).
    let mut objects = t.objects.clone();
    t.host_map.unmap(&mut objects);
    verify::verify(
        &loaded.input,
        &options,
        &objects,
        &t.notifications,
        args.budget,
        verify::Verifying::OwnTranslation,
        options.target.implementation,
    )
}

fn describe(r: &ProbeResult) -> String {
    format!(
        "{}\n    ingress-nginx: {} (Ingress {:?})\n    gateway api:   {}",
        render::request_line(&r.probe),
        render::outcome_text(&r.ingress_nginx),
        r.ingress.as_ref().map(ToString::to_string),
        render::outcome_text(&r.gateway_api),
    )
}

/// A translation bug `verify` found that belongs to another part of the code
/// base: the cases it shows up in and how to recognise its divergences.
struct KnownBug {
    cases: &'static [&'static str],
    what: &'static str,
    matches: fn(&ProbeResult) -> bool,
}

/// Translation bugs known to cause unexplained divergences, matched per probe so
/// that a new divergence still fails.
const KNOWN_BUGS: &[KnownBug] = &[];

fn known_bug(case: &str, r: &ProbeResult) -> Option<usize> {
    KNOWN_BUGS.iter().position(|b| {
        let listed = b.cases.iter().any(|c| {
            *c == case
                || c.strip_suffix('*')
                    .is_some_and(|prefix| case.starts_with(prefix))
        });
        listed && (b.matches)(r)
    })
}

#[test]
fn own_translation_of_every_case_has_no_unexplained_divergence() {
    let cases = cases();
    assert!(!cases.is_empty());
    let mut failures = Vec::new();
    let mut probes = 0;
    let mut known = vec![0usize; KNOWN_BUGS.len()];
    for path in &cases {
        let name = path
            .parent()
            .and_then(|d| d.strip_prefix(root().join("testdata")).ok())
            .map(|d| d.display().to_string())
            .unwrap_or_default();
        let report = verify_own(path);
        probes += report.summary.probes;
        assert!(report.summary.probes > 0, "{name}: no probes");
        let mut bad = Vec::new();
        for r in report.unexplained() {
            match known_bug(&name, r) {
                Some(i) => {
                    eprintln!("{name}: known bug {i}: {}", describe(r));
                    known[i] += 1
                }
                None => bad.push(describe(r)),
            }
        }
        if !bad.is_empty() {
            failures.push(format!("{name}:\n  {}", bad.join("\n  ")));
        }
    }
    assert!(
        failures.is_empty(),
        "unexplained divergences in ing2gw's own output:\n{}",
        failures.join("\n")
    );
    eprintln!("verified {} case(s), {probes} probe(s)", cases.len());
    for (bug, n) in KNOWN_BUGS.iter().zip(known) {
        // Fixed bugs are noted, not failed: their entry can go.
        eprintln!("known translation bug, {n} divergence(s): {}", bug.what);
    }
}

#[test]
fn verdicts_only_count_modelled_outcomes() {
    // The JSON of a report carries the verdict tag next to both outcomes.
    let (_, json) = verify_naive_json("seed-trailing-slash");
    for r in json["results"].as_array().expect("results") {
        assert!(
            ["divergent", "not-modelled", "implementation-defined"]
                .contains(&r["verdict"].as_str().unwrap_or("")),
            "{r}"
        );
    }
}

/// The shared corpus of real manifests (skipped when absent): ing2gw's own
/// translation has no unexplained divergence except the known bugs.
#[test]
fn corpus_own_translation_has_only_known_divergences() {
    // `ING2GW_CORPUS` names another folder, as for `tests/corpus.rs`.
    let dir = std::env::var_os("ING2GW_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared/corpus"));
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("skipped: {} not present", dir.display());
        return;
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
        })
        .collect();
    files.sort();
    let (mut probes, mut verified, mut known) = (0, 0, 0);
    let mut failures = Vec::new();
    // Every target whose emitter adds objects of its own: its policies open
    // rules the standard output keeps closed, and verify must agree.
    for target in ["standard", "envoy-gateway"] {
        let options = TranslateOptions {
            target: target.parse().expect("known target"),
            ..TranslateOptions::default()
        };
        let (mut t_probes, mut t_compared, mut t_not_modelled) = (0, 0, 0);
        for f in &files {
            let name = format!(
                "corpus/{}",
                f.file_name()
                    .map(|n| n.to_string_lossy())
                    .unwrap_or_default()
            );
            let Ok(sources) = read_sources(&[f.display().to_string()]) else {
                continue;
            };
            let loaded = pipeline::load(&sources);
            if loaded.input.input_errors > 0 {
                continue;
            }
            let t = pipeline::translate(&loaded.input, &options, loaded.report);
            let report = verify::verify(
                &loaded.input,
                &options,
                &t.objects,
                &t.notifications,
                5000,
                verify::Verifying::OwnTranslation,
                options.target.implementation,
            );
            verified += 1;
            probes += report.summary.probes;
            t_probes += report.summary.probes;
            t_compared += report.summary.compared;
            t_not_modelled +=
                report.summary.not_modelled_ingress_nginx + report.summary.not_modelled_gateway_api;
            for r in report.unexplained() {
                match known_bug(&name, r) {
                    Some(_) => known += 1,
                    None => failures.push(format!("{name} ({target}): {}", describe(r))),
                }
            }
        }
        eprintln!(
            "corpus ({target}): {t_probes} probe(s), {t_compared} compared, {t_not_modelled} not modelled"
        );
    }
    assert!(
        failures.is_empty(),
        "unexplained divergences in ing2gw's own output:\n{}",
        failures.join("\n")
    );
    eprintln!(
        "corpus: verified {verified} file(s), {probes} probe(s), {known} divergence(s) from known bugs"
    );
}

/// Issue 12 item 1: one Ingress that makes nginx refuse the whole configuration
/// (`rewrite-target` with `$0`) used to mark every probe "not modelled" and exit 0.
#[test]
fn a_rejected_configuration_is_said_first_and_fails() {
    let (code, stdout, stderr) = run_cli(&["verify", "-f", "testdata/paths/"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stdout.starts_with("error: ingress-nginx would reject the whole configuration"),
        "{stdout}"
    );
    assert!(stdout.contains("--exclude default/app"), "{stdout}");
    assert!(stdout.contains("nothing could be compared"), "{stdout}");
    let (code, stdout, _) = run_cli(&["verify", "-f", "testdata/paths/", "-o", "json"]);
    assert_eq!(code, 1);
    assert!(
        stdout.trim_start().starts_with("{\n  \"rejected\""),
        "{stdout}"
    );
    let json: Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(json["rejected"]["ingresses"][0]["name"], "app");
    assert_eq!(json["summary"]["compared"], 0);
    assert_eq!(json["summary"]["hosts"]["shop.example.com"]["compared"], 0);
}

#[test]
fn exclude_verifies_the_rest_as_if_the_ingress_were_left_out() {
    // testdata/paths/ minus the two cases that reuse the seed's Ingress name
    // (given together they are a `duplicate-object` error, which fails verify).
    let files: Vec<String> = std::fs::read_dir(root().join("testdata/paths"))
        .expect("testdata/paths")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "quirks-none" && n != "seed-regex-match")
        .map(|n| format!("testdata/paths/{n}/input.yaml"))
        .collect();
    let files = files.join(",");
    let (code, stdout, stderr) = run_cli(&[
        "verify",
        "-f",
        &files,
        "--exclude",
        "default/app",
        "-o",
        "json",
    ]);
    let json: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    assert!(json.get("rejected").is_none(), "{json:#}");
    assert_eq!(json["excluded"][0], "default/app");
    let s = &json["summary"];
    assert!(s["compared"].as_u64().expect("count") > 0, "{s:#}");
    assert_eq!(s["unexplained"], 0, "{s:#}");
    assert_eq!(code, 0, "{stderr}");
    // A typo must not pass for a run that verified something else.
    let (code, _, stderr) = run_cli(&["verify", "-f", "testdata/paths/", "--exclude", "x/y"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("x/y"), "{stderr}");
    let (code, _, stderr) = run_cli(&["verify", "-f", "testdata/paths/", "--exclude", "app"]);
    assert_eq!(code, 2, "{stderr}");
}

/// An Ingress `name` in `default` routing `a.example.com/` to Service `web`,
/// as a YAML document.
fn plain_ingress(name: &str) -> String {
    format!(
        "apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {{name: {name}, namespace: default}}
spec:
  ingressClassName: nginx
  rules:
  - host: a.example.com
    http: {{paths: [{{path: /, pathType: Prefix, backend: {{service: {{name: web, port: {{number: 80}}}}}}}}]}}
"
    )
}

/// A host whose every probe is "not modelled" (here: client-certificate auth on
/// the host) is said in the summary and fails unless `--allow-uncompared`.
#[test]
fn a_host_with_nothing_compared_fails_unless_allowed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("in.yaml");
    std::fs::write(
        &file,
        plain_ingress("plain") + "---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: alias
  namespace: default
  annotations: {nginx.ingress.kubernetes.io/server-alias: c.example.com}
spec:
  ingressClassName: nginx
  rules:
  - host: b.example.com
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
",
    )
    .expect("write");
    let f = file.display().to_string();
    let (code, stdout, stderr) = run_cli(&["verify", "-f", &f]);
    assert_eq!(code, 1, "{stdout}\n{stderr}");
    assert!(
        stdout.contains("nothing could be compared for host(s) b.example.com"),
        "{stdout}"
    );
    assert!(stdout.contains("host a.example.com: "), "{stdout}");
    let (code, stdout, _) = run_cli(&["verify", "-f", &f, "-o", "json"]);
    assert_eq!(code, 1);
    let json: Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(json["summary"]["hosts"]["b.example.com"]["compared"], 0);
    assert!(
        json["summary"]["hosts"]["a.example.com"]["compared"]
            .as_u64()
            .expect("count")
            > 0
    );
    let (code, _, stderr) = run_cli(&["verify", "-f", &f, "--allow-uncompared"]);
    assert_eq!(code, 0, "{stderr}");
}

/// Issue 12 item 2: an Ingress that does not decode was skipped silently, and
/// one invalid YAML document made verify check nothing.
#[test]
fn undecodable_input_is_named_and_the_valid_documents_are_verified() {
    let dir = tempfile::tempdir().expect("tempdir");
    let good = dir.path().join("good.yaml");
    std::fs::write(
        &good,
        plain_ingress("good")
            + "---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: bad, namespace: default}
spec:
  rules: not a list
",
    )
    .expect("write");
    let broken = dir.path().join("broken.yaml");
    std::fs::write(&broken, "kind: [unclosed\n").expect("write");
    let good = good.display().to_string();
    let broken = broken.display().to_string();
    // Only an undecodable Ingress: named on stderr, in the report, exit 1.
    let (code, stdout, stderr) = run_cli(&["verify", "-f", &good]);
    assert_eq!(code, 1, "{stdout}\n{stderr}");
    assert!(stderr.contains("Ingress default/bad"), "{stderr}");
    assert!(
        stdout.contains("skipped, not verified: Ingress default/bad"),
        "{stdout}"
    );
    // Plus invalid YAML: the valid Ingress is still verified, exit 2 like print.
    let (code, stdout, stderr) = run_cli(&["verify", "-f", &good, "-f", &broken, "-o", "json"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("broken.yaml"), "{stderr}");
    let json: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    assert!(json["summary"]["hosts"]["a.example.com"]["compared"].as_u64() > Some(0));
    let skipped = json["skipped"].to_string();
    assert!(skipped.contains("\"bad\""), "{skipped}");
    assert!(skipped.contains("broken.yaml"), "{skipped}");
}

/// Issue 12 item 6: ing2gw's own unedited output (a TLS setup) given back with
/// `--gateway-api` used to exit 1; an edit must still fail, naming it.
#[test]
fn own_unedited_output_passes_and_an_edit_is_named() {
    let input = "testdata/paths/regex-overlap/input.yaml";
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("gateway");
    let out_arg = out.display().to_string();
    let (code, _, stderr) = run_cli(&["print", "-f", input, "--output-dir", &out_arg, "-q"]);
    assert_eq!(code, 0, "{stderr}");
    let (code, stdout, stderr) = run_cli(&["verify", "-f", input, "--gateway-api", &out_arg]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(!stdout.contains("your edits"), "{stdout}");
    let route = out.join("default/httproute-shop.example.com.yaml");
    let text = std::fs::read_to_string(&route).expect("route written");
    assert!(text.contains("port: 8080"), "{text}");
    std::fs::write(&route, text.replace("port: 8080", "port: 9090")).expect("edit");
    let (code, stdout, stderr) = run_cli(&["verify", "-f", input, "--gateway-api", &out_arg]);
    assert_eq!(code, 1, "{stdout}\n{stderr}");
    assert!(
        stdout.contains("your edits (compared in spec with ing2gw's own translation): HTTPRoute default/shop.example.com (changed)"),
        "{stdout}"
    );
    assert!(stdout.contains("your edited route"), "{stdout}");
    let (_, stdout, _) = run_cli(&[
        "verify",
        "-f",
        input,
        "--gateway-api",
        &out_arg,
        "-o",
        "json",
    ]);
    let json: Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(json["edits"][0]["change"], "changed");
    let marked = json["results"]
        .as_array()
        .expect("results")
        .iter()
        .any(|r| r["edited_route"] == true);
    assert!(marked, "{json:#}");
}

/// Body size limits: ingress-nginx answers 413 above `proxy-body-size`;
/// standard Gateway API has no limit (explained by the warning about the
/// annotation or the ConfigMap key), Envoy Gateway's requestBuffer refuses
/// the same bodies.
#[test]
fn body_size_probes_diverge_explained_on_standard_and_agree_on_envoy_gateway() {
    let case = root().join("testdata/verify/body-size/input.yaml");
    let standard = verify_own(&case);
    let body_413 = |r: &&ProbeResult| {
        r.probe.body.is_some() && r.ingress_nginx == Outcome::Status { status: 413 }
    };
    let refused: Vec<&ProbeResult> = standard.results.iter().filter(body_413).collect();
    // upload (2k), files (1M), small (5K), cm.example.com and invalid (ConfigMap 3k),
    // the implicit `/` of body.example.com and the catch-all (ConfigMap 3k).
    assert!(refused.len() >= 6, "{}", refused.len());
    for r in &refused {
        let Verdict::Divergent {
            explained_by: Some(e),
            ..
        } = &r.verdict
        else {
            panic!("not explained: {}", describe(r));
        };
        let field = e.field.as_deref().unwrap_or_default();
        assert!(
            field.ends_with("proxy-body-size"),
            "{field}: {}",
            describe(r)
        );
    }
    let small = refused
        .iter()
        .find(|r| r.probe.host == "small.example.com")
        .expect("small.example.com refuses 5K + 1");
    assert_eq!(small.probe.body, Some(5 * 1024 + 1));
    // Within the limit (and on the unlimited host) both sides serve.
    assert!(
        !standard
            .results
            .iter()
            .any(|r| r.probe.body.is_some_and(|b| b == 5 * 1024)
                || r.probe.host == "unlimited.example.com" && r.probe.body.is_some()),
        "a body within the limit diverges"
    );
    // Envoy Gateway: the emitted requestBuffer gives the same 413s where the
    // location's limit is carried (annotation or ConfigMap on its own rules).
    let args = [
        "verify",
        "-f",
        "testdata/verify/body-size/input.yaml",
        "--nginx-configmap",
        "ingress-nginx/ingress-nginx-controller",
        "--implementation",
        "envoy-gateway",
        "-o",
        "json",
    ];
    let (code, stdout, stderr) = run_cli(&args);
    assert_eq!(code, 0, "{stderr}");
    let json: Value = serde_json::from_str(&stdout).expect("json");
    assert!(unexplained(&json).is_empty(), "{stdout}");
    let divergent_bodies: Vec<&Value> = json["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter(|r| r["probe"]["body"].is_u64() && r["verdict"] == "divergent")
        .collect();
    // Only the implicit `/` and the catch-all, which no emitted rule covers.
    for r in &divergent_bodies {
        assert!(
            r["gateway_api"]["status"] == 404,
            "{}",
            serde_json::to_string_pretty(r).unwrap_or_default()
        );
    }
}
