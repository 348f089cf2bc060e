//! Every command line quoted in README.md and docs/commands/*.md (lines starting
//! with `ing2gw ` in ```sh blocks) must parse with the real CLI definition, so a
//! renamed or removed flag in the docs fails here, and must **run**: each page's
//! examples run in order in a temporary folder populated from
//! `testdata/docs-examples/` (so `k8s/`, `ingresses/`, `app.yaml`, … exist, and
//! `gateway/`, `gateway.yaml`, `report.json` are written there), cluster examples
//! (`-A`, `-n`) against the fake API server loaded with `k8s/`, a `kubectl … |`
//! producer replaced by `kubectl-get.yaml` on stdin, a `> file` redirection
//! honoured (a later example may read the file). Each example has an expectation
//! below: its exit code (one the README's exit-code table lists for the command,
//! and the one the docs' comment names when it says `exit N`) and a recognisable
//! part of its output.

#[path = "support/fake_apiserver.rs"]
mod fake_apiserver;

use fake_apiserver::{FakeApiServer, Fixture};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// One documented command line: the `ing2gw …` part of a shell line, with what
/// feeds it and where its output goes.
#[derive(Debug, Clone, PartialEq)]
struct Example {
    /// `ing2gw …` without redirection.
    command: String,
    /// The command whose output is piped into ing2gw (`kubectl get …`).
    stdin_from: Option<String>,
    /// `> file`.
    stdout_to: Option<String>,
    /// What ing2gw's output is piped into (`jq …`).
    piped_to: Option<String>,
    /// The trailing `# comment`.
    comment: String,
}

/// The `ing2gw …` command lines of the ```sh blocks in `text`: `$ ` prompts
/// dropped, `\` continuations joined, pipelines and `> file` split off.
fn examples(text: &str) -> Vec<Example> {
    let mut out = Vec::new();
    let mut in_sh = false;
    let mut pending = String::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if let Some(lang) = trimmed.strip_prefix("```") {
            in_sh = !in_sh && matches!(lang, "sh" | "bash" | "shell" | "console");
            pending.clear();
            continue;
        }
        if !in_sh {
            continue;
        }
        let line = trimmed.strip_prefix("$ ").unwrap_or(trimmed);
        let (line, comment) = match line.find(" #") {
            Some(i) => (line[..i].trim_end(), line[i + 2..].trim()),
            None => (line, ""),
        };
        if let Some(head) = line.strip_suffix('\\') {
            pending.push_str(head.trim_end());
            pending.push(' ');
            continue;
        }
        let full = std::mem::take(&mut pending) + line;
        let segments: Vec<&str> = full.split(" | ").map(str::trim).collect();
        let Some(at) = segments
            .iter()
            .position(|s| s.starts_with("ing2gw ") || *s == "ing2gw")
        else {
            continue;
        };
        let segment = segments[at];
        let (command, stdout_to) = match segment.find(" > ") {
            Some(i) => (&segment[..i], Some(segment[i + 3..].trim().to_string())),
            None => (segment, None),
        };
        let rest = segments[at + 1..].join(" | ");
        out.push(Example {
            command: command.trim().to_string(),
            stdin_from: at.checked_sub(1).map(|i| segments[..=i].join(" | ")),
            stdout_to,
            piped_to: (!rest.is_empty()).then_some(rest),
            comment: comment.to_string(),
        });
    }
    out
}

/// A tiny POSIX-ish word splitter: whitespace, single and double quotes.
fn split_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                in_word = true;
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            (None, c) => {
                word.push(c);
                in_word = true;
            }
        }
    }
    assert!(quote.is_none(), "unbalanced quote in {line:?}");
    if in_word {
        words.push(word);
    }
    words
}

/// What one documented example does on the example inputs.
struct Expect {
    page: &'static str,
    command: &'static str,
    code: i32,
    /// Parts of stdout (or of the file it is redirected to).
    stdout: &'static [&'static str],
    /// Parts of stderr.
    stderr: &'static [&'static str],
}

const fn ex(
    page: &'static str,
    command: &'static str,
    code: i32,
    stdout: &'static [&'static str],
    stderr: &'static [&'static str],
) -> Expect {
    Expect {
        page,
        command,
        code,
        stdout,
        stderr,
    }
}

const README: &str = "README.md";
const ANNOTATIONS: &str = "docs/commands/annotations.md";
const DIFF: &str = "docs/commands/diff.md";
const PRINT: &str = "docs/commands/print.md";
const SCAN: &str = "docs/commands/scan.md";
const STATUS: &str = "docs/commands/status.md";
const CUTOVER: &str = "docs/cutover.md";
const VERIFY: &str = "docs/commands/verify.md";
const VALIDATE: &str = "docs/commands/validate.md";
const CLUSTER: &str = "docs/cluster.md";
const CI: &str = "docs/ci.md";

/// Pages whose cluster already holds ing2gw's output of `k8s/` (they describe
/// the state after `kubectl apply`).
const APPLIED: &[&str] = &[CLUSTER, CUTOVER];

/// Every documented example, in page order. The example inputs are small and
/// clean (k8s/: shop/web with TLS and a `proxy-read-timeout` — two warnings —,
/// shop/legacy, payments/checkout, the IngressClass and the controller
/// ConfigMap), so the codes other than 0 are the documented gates at work.
#[rustfmt::skip]
const EXPECTED: &[Expect] = &[
    ex(README, "ing2gw print -f ingresses/", 0, &["kind: HTTPRoute", "blog.example.com"], &["ing2gw: 0 error(s)"]),
    ex(README, "ing2gw print -f a.yaml,b.yaml -o json --report r.json", 0, &["\"kind\": \"List\"", "a.example.com", "b.example.com"], &[]),
    ex(README, "ing2gw print -f -", 0, &["pay.example.com"], &[]),
    ex(README, "ing2gw print -f k8s/ --output-dir gateway/", 0, &[], &["wrote", "gateway"]),
    ex(README, "ing2gw print -f ingresses/ --implementation envoy-gateway", 0, &["gatewayClassName: eg"], &[]),
    ex(README, "ing2gw print -f testdata/paths/regex-dialect-portable/input.yaml --regex-dialect portable", 0, &["/[Uu][Ss][Ee][Rr][Ss]/[0-9]+.*"], &[]),
    ex(README, "ing2gw verify -f k8s/", 0, &["shop.example.com"], &[]),
    ex(README, "ing2gw validate -f gateway/", 0, &[], &["object(s) checked against Gateway API", ": valid"]),
    ex(README, "ing2gw annotations", 0, &["rewrite-target"], &[]),
    ex(README, "ing2gw scan -A", 0, &["shop", "payments", "cluster context fake"], &[]),
    ex(README, "ing2gw scan -A -o markdown", 0, &["|", "shop"], &[]),
    ex(README, "ing2gw print -A --output-dir gateway/", 0, &[], &["wrote"]),
    ex(README, "ing2gw verify -A", 0, &["shop.example.com"], &[]),
    ex(README, "ing2gw verify -A --gateway-api gateway/", 0, &["shop.example.com"], &[]),
    ex(README, "ing2gw diff -A --against gateway/", 0, &[], &["ing2gw diff: 0 changed", "unchanged"]),
    ex(README, "ing2gw diff -A --against cluster", 1, &["HTTPRoute"], &["only generated"]),
    ex(ANNOTATIONS, "ing2gw annotations", 0, &["rewrite-target"], &[]),
    ex(ANNOTATIONS, "ing2gw annotations -o json", 0, &["\"support\": \"unsupported\""], &[]),
    ex(ANNOTATIONS, "ing2gw annotations -o markdown", 0, &["| `rewrite-target` |"], &[]),
    ex(ANNOTATIONS, "ing2gw annotations --implementation envoy-gateway", 0, &["envoy-gateway", "not-expressible"], &[]),
    ex(ANNOTATIONS, "ing2gw annotations --implementation istio -o json", 0, &["\"level\": \"not-expressible\""], &[]),
    ex(DIFF, "ing2gw diff -f ingresses/ --against gateway/", 0, &[], &["ing2gw diff: 0 changed", "unchanged"]),
    ex(DIFF, "ing2gw diff -A --against cluster", 1, &["HTTPRoute"], &["only generated"]),
    ex(DIFF, "ing2gw diff -f k8s/ --against gateway.yaml --color never", 0, &[], &["ing2gw diff: 0 changed", "6 unchanged"]),
    ex(PRINT, "ing2gw print -n payments --routes-only", 0, &["kind: HTTPRoute", "pay.example.com"], &["partial-selection"]),
    ex(PRINT, "ing2gw print -f k8s/ --host pay.example.com", 0, &["pay.example.com"], &["partial-selection"]),
    ex(DIFF, "ing2gw diff -f k8s/ -A --against cluster", 1, &["HTTPRoute"], &["only generated"]),
    ex(DIFF, "ing2gw diff -A --against cluster --ignore-annotation team.example.com/ --ignore-field spec.infrastructure", 1, &["HTTPRoute"], &["only generated"]),
    ex(PRINT, "ing2gw print -f ingresses/", 0, &["kind: HTTPRoute"], &[]),
    ex(PRINT, "ing2gw print -f app.yaml,svc.yaml -o json --report report.json", 0, &["app.example.com"], &[]),
    ex(PRINT, "ing2gw print -f -", 0, &["pay.example.com"], &[]),
    ex(PRINT, "ing2gw print -f k8s/ --output-dir gateway/ --fail-on warning", 1, &[], &["wrote", "ssl-redirect-trailing-slash"]),
    ex(PRINT, "ing2gw print -f k8s/ --nginx-configmap ingress-nginx/ingress-nginx-controller", 0, &["statusCode: 301"], &[]),
    ex(PRINT, "ing2gw print -f testdata/core/tls-redirect-default/input.yaml --fail-on warning --accept ssl-redirect-trailing-slash --accept tls-default-certificate:web/secure", 0, &["secure.example.com"], &["0 warning(s), 3 info, 6 accepted (ssl-redirect-trailing-slash 4, tls-default-certificate 2)"]),
    ex(SCAN, "ing2gw scan -A", 0, &["shop"], &[]),
    ex(SCAN, "ing2gw scan -n shop -n payments -o markdown", 0, &["shop", "payments"], &[]),
    ex(SCAN, "ing2gw scan -f k8s/ -o json", 0, &["\"summary\""], &[]),
    ex(SCAN, "ing2gw scan -f k8s/ --implementation istio", 0, &["on istio"], &[]),
    ex(STATUS, "ing2gw status -A", 1, &["no object generated by ing2gw found"], &[]),
    ex(STATUS, "ing2gw status -n gateway-system -n shop -o json", 1, &["\"ready\": false"], &[]),
    ex(STATUS, "ing2gw status -A --wait --timeout 2s", 1, &[], &["still not ready"]),
    ex(SCAN, "ing2gw scan -f k8s/ -o html", 0, &["<!DOCTYPE html>", "Estate summary"], &[]),
    ex(SCAN, "ing2gw scan -f k8s/ --output json", 0, &["\"verdicts\""], &[]),
    ex(SCAN, "ing2gw scan -f k8s/ --fail-on blocked --baseline baseline.json", 0, &["Estate summary"], &["no new problem"]),
    ex(SCAN, "ing2gw scan -f k8s/ --fail-on review -o markdown", 1, &["## Blockers"], &["needs review"]),
    ex(VERIFY, "ing2gw verify -f k8s/", 0, &["shop.example.com"], &[]),
    ex(VERIFY, "ing2gw verify -A", 0, &["shop.example.com"], &[]),
    ex(VERIFY, "ing2gw print -f app.yaml", 0, &["app.example.com"], &[]),
    ex(VERIFY, "ing2gw verify -f app.yaml --gateway-api gateway.yaml", 0, &["app.example.com"], &[]),
    ex(VERIFY, "ing2gw verify -f k8s/ --report verify.json --budget 20000", 0, &[], &[]),
    ex(VERIFY, "ing2gw verify -f k8s/ --exclude shop/legacy", 0, &["shop/legacy"], &[]),
    ex(VERIFY, "ing2gw verify -f k8s/ --implementation envoy-gateway", 0, &["envoy-gateway"], &[]),
    ex(VERIFY, "ing2gw verify -f k8s/ --emit-probes smoke.sh", 0, &["shop.example.com"], &["wrote", "smoke.sh"]),
    ex(VERIFY, "ing2gw verify -f k8s/ --emit-probes smoke.hurl --gateway-address 203.0.113.8", 0, &["shop.example.com"], &["wrote", "smoke.hurl"]),
    ex(VALIDATE, "ing2gw print -f k8s/ --output-dir gateway/", 0, &[], &["wrote"]),
    ex(VALIDATE, "ing2gw validate -f gateway/", 0, &[], &["6 object(s) checked against Gateway API 1.6 (standard channel): valid"]),
    ex(VALIDATE, "ing2gw validate -f gateway/ --gateway-api-version 1.4 --channel experimental", 1, &[], &["Gateway API 1.4 (experimental channel): 1 problem(s)", "statusCode: 308", "supported values: 301, 302"]),
    ex(VALIDATE, "ing2gw validate -f edited.yaml", 1, &[], &["edited.yaml:37:13", "spec.rules[0].backendRefs[0].port", "2 problem(s)"]),
    ex(VALIDATE, "ing2gw validate -f gateway/ --report validate.json", 0, &[], &[": valid"]),
    ex(VALIDATE, "ing2gw validate -f edited.yaml --sarif validate.sarif", 1, &[], &["manifest-invalid"]),
    ex(VALIDATE, "ing2gw validate -A", 0, &[], &["0 object(s) checked"]),
    ex(CUTOVER, "ing2gw scan -A -o markdown", 0, &["shop", "payments"], &[]),
    ex(CUTOVER, "ing2gw print -A --output-dir gateway/ --report report.json", 0, &[], &["wrote"]),
    ex(CUTOVER, "ing2gw verify -A", 0, &["shop.example.com"], &[]),
    ex(CUTOVER, "ing2gw diff -A --against gateway/", 0, &[], &["ing2gw diff: 0 changed"]),
    ex(CUTOVER, "ing2gw status -A", 1, &["Gateway gateway-system/nginx: NOT READY", "Accepted not reported yet"], &[]),
    ex(CUTOVER, "ing2gw status -A -o json", 1, &["\"ready\": false"], &[]),
    ex(CUTOVER, "ing2gw print -A --host-map '*.example.com=*.canary.example.com' --output-dir gateway-canary/", 0, &[], &["wrote", "host-map-certificate"]),
    ex(CUTOVER, "ing2gw verify -A --host-map '*.example.com=*.canary.example.com'", 0, &["shop.example.com → shop.canary.example.com"], &[]),
    ex(CUTOVER, "ing2gw diff -A --against cluster", 0, &[], &["ing2gw diff: 0 changed"]),
    ex(CLUSTER, "ing2gw print -n payments --routes-only", 0, &["kind: HTTPRoute"], &["partial-selection"]),
    ex(CLUSTER, "ing2gw print -n shop --merge-gateway cluster -o json", 0, &["\"kind\": \"Gateway\"", "https-shop.example.com"], &["merged the selection's listeners"]),
    ex(CLUSTER, "ing2gw print -A --host pay.example.com -o json", 0, &["pay.example.com"], &["selection"]),
    ex(CLUSTER, "ing2gw scan -A", 0, &["shop", "payments"], &[]),
    ex(CLUSTER, "ing2gw print -A --output-dir gateway/ --report report.json", 0, &[], &["wrote"]),
    ex(CLUSTER, "ing2gw diff -A --against gateway/", 0, &[], &["ing2gw diff: 0 changed"]),
    ex(CLUSTER, "ing2gw diff -A --against cluster", 0, &[], &["ing2gw diff: 0 changed"]),
    ex(CI, "ing2gw print -f k8s/ --output-dir gateway/", 0, &[], &["wrote"]),
    ex(CI, "ing2gw diff -f k8s/ --against gateway/", 0, &[], &["ing2gw diff: 0 changed"]),
    ex(CI, "ing2gw print -f k8s/ --sarif ing2gw.sarif --fail-on never", 0, &["kind: HTTPRoute"], &[]),
    ex(CI, "ing2gw verify -f k8s/ --sarif verify.sarif", 0, &["shop.example.com"], &[]),
    ex(CI, "ing2gw validate -f gateway/ --sarif validate.sarif", 0, &[], &[": valid"]),
    ex(CI, "ing2gw print -f k8s/ --report ing2gw.sarif --report-format sarif --fail-on never", 0, &["kind: HTTPRoute"], &[]),
];

/// Commands run on a page before its examples: the state the examples assume
/// (diff.md compares with "the output committed last time").
const SETUP: &[(&str, &str)] = &[
    (DIFF, "ing2gw print -f ingresses/ --output-dir gateway/"),
    (DIFF, "ing2gw print -f k8s/ > gateway.yaml"),
];

/// The exit codes README.md's table lists per command (a `—` cell: not used).
fn documented_codes(readme: &str) -> Vec<(String, BTreeSet<i32>)> {
    let table: Vec<Vec<String>> = readme
        .split("### Exit codes")
        .nth(1)
        .expect("README.md has an exit-code table")
        .lines()
        .skip_while(|l| !l.starts_with("| code | `print`"))
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            l.trim_matches('|')
                .split(" | ")
                .map(|c| c.trim().to_string())
                .collect()
        })
        .collect();
    let header = table.first().expect("header row");
    header
        .iter()
        .enumerate()
        .skip(1)
        .map(|(col, commands)| {
            let codes = table
                .iter()
                .skip(1)
                .filter_map(|row| {
                    let code = row.first()?.parse().ok()?;
                    (row.get(col).is_some_and(|c| c != "—")).then_some(code)
                })
                .collect();
            (commands.clone(), codes)
        })
        .collect()
}

/// Copies `from` into `to` recursively (the example inputs into the temp folder).
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create the example folder");
    for entry in std::fs::read_dir(from).expect("example inputs readable") {
        let entry = entry.expect("dir entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy an example input");
        }
    }
}

/// Every YAML file under `dir`, concatenated as one multi-document stream.
fn manifests_under(dir: &Path) -> String {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("readable") {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    files
        .iter()
        .map(|f| std::fs::read_to_string(f).expect("readable manifest"))
        .collect::<Vec<_>>()
        .join("\n---\n")
}

struct Ran {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs one example in `dir`: `testdata/…` arguments name the repository's
/// files, a piped producer is replaced by `stdin`, `> file` is written in `dir`.
fn run(root: &Path, dir: &Path, kubeconfig: &Path, example: &Example, stdin: &[u8]) -> Ran {
    let words: Vec<String> = split_words(&example.command)
        .into_iter()
        .skip(1)
        .map(|w| {
            if w.starts_with("testdata/") {
                root.join(&w).display().to_string()
            } else {
                w
            }
        })
        .collect();
    let mut child = Command::new(env!("CARGO_BIN_EXE_ing2gw"))
        .args(&words)
        .current_dir(dir)
        .env("KUBECONFIG", kubeconfig)
        .env("HOME", kubeconfig.parent().expect("kubeconfig folder"))
        .env("NO_COLOR", "1")
        .env_remove("KUBERNETES_SERVICE_HOST")
        .env_remove("KUBERNETES_SERVICE_PORT")
        .stdin(if example.stdin_from.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the ing2gw binary runs");
    if let Some(mut input) = child.stdin.take() {
        input.write_all(stdin).expect("stdin written");
    }
    let out = child.wait_with_output().expect("the ing2gw binary ends");
    if let Some(file) = &example.stdout_to {
        std::fs::write(dir.join(file), &out.stdout).expect("redirected stdout written");
    }
    Ran {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `(exit N …)` in a comment: the code the docs give for that line (the pages
/// say every other example exits 0).
fn promised_code(comment: &str) -> Option<i32> {
    let at = comment.find("(exit ")?;
    comment[at + 6..]
        .split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()
}

/// What an example writes besides stdout is there and is what the docs say:
/// `--report FILE` is JSON, `-o json | jq …` gets JSON, and
/// `annotations -o markdown > annotations.md` is exactly docs/annotations.md.
fn written_files_hold_up(
    root: &Path,
    dir: &Path,
    example: &Example,
    words: &[String],
    got: &Ran,
) -> Vec<String> {
    let mut wrong = Vec::new();
    if let Some(report) = words.windows(2).find(|w| w[0] == "--report").map(|w| &w[1]) {
        let json = std::fs::read(dir.join(report)).unwrap_or_default();
        if serde_json::from_slice::<serde_json::Value>(&json).is_err() {
            wrong.push(format!("--report {report} is not a JSON file"));
        }
    }
    // `--sarif FILE` and `--report FILE --report-format sarif` are SARIF 2.1.0.
    let sarif_files = words.windows(2).filter_map(|w| match w[0].as_str() {
        "--sarif" => Some(&w[1]),
        "--report" if words.iter().any(|x| x == "sarif") => Some(&w[1]),
        _ => None,
    });
    for file in sarif_files {
        let text = std::fs::read(dir.join(file)).unwrap_or_default();
        let log: serde_json::Value = serde_json::from_slice(&text).unwrap_or_default();
        if log["version"] != "2.1.0" || !log["runs"][0]["results"].is_array() {
            wrong.push(format!("{file} is not a SARIF 2.1.0 log"));
        }
    }
    if example
        .piped_to
        .as_deref()
        .is_some_and(|p| p.starts_with("jq "))
        && serde_json::from_str::<serde_json::Value>(&got.stdout).is_err()
    {
        wrong.push("stdout piped into jq is not JSON".to_string());
    }
    if example.stdout_to.as_deref() == Some("annotations.md") {
        let doc = std::fs::read_to_string(root.join("docs/annotations.md")).unwrap_or_default();
        if got.stdout != doc {
            wrong.push("annotations -o markdown differs from docs/annotations.md".to_string());
        }
    }
    wrong
}

fn doc_pages(root: &Path) -> Vec<PathBuf> {
    let mut pages: Vec<_> = std::fs::read_dir(root.join("docs/commands"))
        .expect("docs/commands exists")
        .map(|e| e.expect("readable dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    pages.sort();
    pages.insert(0, root.join("README.md"));
    // The cluster workflow and CI pages quote full command lines too.
    pages.push(root.join(CLUSTER));
    // So does the cutover procedure.
    pages.push(root.join(CUTOVER));
    pages.push(root.join(CI));
    pages
}

#[test]
fn documented_command_lines_parse_and_run() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let inputs = root.join("testdata/docs-examples");
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    let codes = documented_codes(&readme);
    let stdin = std::fs::read(inputs.join("kubectl-get.yaml")).expect("kubectl-get.yaml");
    let k8s = manifests_under(&inputs.join("k8s"));
    let (_server, kubeconfig) = FakeApiServer::start(Fixture::new().manifests(&k8s));
    // A cluster where ing2gw's output of k8s/ has been applied, for pages whose
    // examples run "after applying".
    let printed = run(
        root,
        &inputs,
        &kubeconfig,
        &examples("```sh\ning2gw print -f k8s/\n```\n")[0],
        &[],
    );
    assert_eq!(printed.code, Some(0), "{}", printed.stderr);
    let (_applied_server, applied_kubeconfig) =
        FakeApiServer::start(Fixture::new().manifests(&k8s).manifests(&printed.stdout));

    let mut failures = Vec::new();
    let mut used = vec![false; EXPECTED.len()];
    let mut ran = 0;
    for file in doc_pages(root) {
        let text = std::fs::read_to_string(&file).expect("doc readable");
        let page = file
            .strip_prefix(root)
            .unwrap_or(&file)
            .display()
            .to_string();
        let lines = examples(&text);
        if text.contains("```sh") && text.contains("\ning2gw ") {
            assert!(!lines.is_empty(), "{page}: no ing2gw example extracted");
        }
        let dir = tempfile::tempdir().expect("temp dir");
        copy_tree(&inputs, dir.path());
        let kubeconfig = if APPLIED.contains(&page.as_str()) {
            &applied_kubeconfig
        } else {
            &kubeconfig
        };
        for (_, setup) in SETUP.iter().filter(|(p, _)| *p == page) {
            let setup = examples(&format!("```sh\n{setup}\n```\n"));
            let ran = run(root, dir.path(), kubeconfig, &setup[0], &stdin);
            assert!(
                matches!(ran.code, Some(0 | 1)),
                "{page}: setup `{}` failed:\n{}",
                setup[0].command,
                ran.stderr
            );
        }
        for example in lines {
            let line = &example.command;
            let words = split_words(line);
            eprintln!("{page}: {line}");
            if let Err(e) = ing2gw::cli::command().try_get_matches_from(&words) {
                failures.push(format!("{page}: `{line}` does not parse:\n{e}"));
                continue;
            }
            let Some(i) = EXPECTED
                .iter()
                .position(|e| e.page == page && e.command == line)
            else {
                failures.push(format!(
                    "{page}: `{line}` has no expectation in tests/doc_examples.rs EXPECTED"
                ));
                continue;
            };
            used[i] = true;
            let expect = &EXPECTED[i];
            let command = words.get(1).map(String::as_str).unwrap_or_default();
            let listed = codes
                .iter()
                .find(|(c, _)| c.contains(&format!("`{command}`")))
                .map(|(_, codes)| codes);
            if !listed.is_some_and(|l| l.contains(&expect.code)) {
                failures.push(format!(
                    "{page}: `{line}`: exit {} is not in README.md's exit-code table for `{command}`",
                    expect.code
                ));
            }
            let promised = promised_code(&example.comment).unwrap_or(0);
            if promised != expect.code {
                failures.push(format!(
                    "{page}: `{line}`: the docs say exit {promised} (a `(exit N)` comment, else 0), \
                     the expectation {}",
                    expect.code
                ));
            }
            let got = run(root, dir.path(), kubeconfig, &example, &stdin);
            ran += 1;
            eprintln!("  exit {:?}", got.code);
            let mut wrong = Vec::new();
            if got.code != Some(expect.code) {
                wrong.push(format!("exited {:?}, expected {}", got.code, expect.code));
            }
            for part in expect.stdout {
                if !got.stdout.contains(part) {
                    wrong.push(format!("stdout lacks {part:?}"));
                }
            }
            for part in expect.stderr {
                if !got.stderr.contains(part) {
                    wrong.push(format!("stderr lacks {part:?}"));
                }
            }
            wrong.extend(written_files_hold_up(
                root,
                dir.path(),
                &example,
                &words,
                &got,
            ));
            if !wrong.is_empty() {
                failures.push(format!(
                    "{page}: `{line}`: {}\n--- stdout:\n{}\n--- stderr:\n{}",
                    wrong.join("; "),
                    got.stdout.chars().take(3000).collect::<String>(),
                    got.stderr.chars().take(3000).collect::<String>()
                ));
            }
        }
    }
    for (e, used) in EXPECTED.iter().zip(&used) {
        if !used {
            failures.push(format!(
                "{}: `{}` is expected but no longer documented",
                e.page, e.command
            ));
        }
    }
    assert_eq!(ran, EXPECTED.len(), "every documented example ran");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn extraction_handles_prompts_pipes_redirects_and_continuations() {
    let doc = "```sh\n$ ing2gw print -f a/ > out.yaml  # comment, exit 0 when fine\n\
               kubectl get ingress -o yaml | ing2gw print -f -\n\
               ing2gw scan -f k8s/ \\\n  -o json | jq '.summary'\n```\n\
               ```yaml\ning2gw: not a command\n```\n";
    let got = examples(doc);
    let commands: Vec<&str> = got.iter().map(|e| e.command.as_str()).collect();
    assert_eq!(
        commands,
        [
            "ing2gw print -f a/",
            "ing2gw print -f -",
            "ing2gw scan -f k8s/ -o json",
        ]
    );
    assert_eq!(got[0].stdout_to.as_deref(), Some("out.yaml"));
    assert_eq!(promised_code(&got[0].comment), None);
    assert_eq!(
        promised_code("the live objects (exit 1 until applied)"),
        Some(1)
    );
    assert_eq!(
        got[1].stdin_from.as_deref(),
        Some("kubectl get ingress -o yaml")
    );
    assert_eq!(got[2].piped_to.as_deref(), Some("jq '.summary'"));
    assert_eq!(
        split_words("ing2gw x 'a b' \"c\""),
        ["ing2gw", "x", "a b", "c"]
    );
    // The parse check has teeth: a flag the CLI does not know is rejected.
    assert!(
        ing2gw::cli::command()
            .try_get_matches_from(split_words("ing2gw print -f a/ --no-such-flag"))
            .is_err()
    );
    // The README's table is read per command.
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let codes = documented_codes(&readme);
    let scan = codes
        .iter()
        .find(|(c, _)| c == "`scan`")
        .expect("a scan column");
    assert_eq!(scan.1, BTreeSet::from([0, 1, 2, 141]));
}

/// Every long flag of a command is documented on its page, or for the shared flags
/// on the pages the others refer to (print's translation and input flags in
/// docs/commands/print.md, the kubectl-style cluster flags in docs/cluster.md), so a
/// new flag cannot be left out of the tables.
#[test]
fn every_flag_is_documented() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cluster = std::fs::read_to_string(root.join("docs/cluster.md")).expect("cluster.md");
    let print = std::fs::read_to_string(root.join("docs/commands/print.md")).expect("print.md");
    let mut missing = Vec::new();
    let mut checked = 0;
    for sub in ing2gw::cli::command().get_subcommands() {
        let page = root.join(format!("docs/commands/{}.md", sub.get_name()));
        let Ok(text) = std::fs::read_to_string(&page) else {
            continue;
        };
        for arg in sub.get_arguments() {
            let Some(long) = arg.get_long() else { continue };
            if long == "help" {
                continue;
            }
            let flag = format!("--{long}");
            checked += 1;
            if ![&text, &cluster, &print].iter().any(|t| t.contains(&flag)) {
                missing.push(format!("{}: {flag}", page.display()));
            }
        }
    }
    assert!(checked > 0, "no flag checked");
    assert!(
        missing.is_empty(),
        "undocumented flags:\n{}",
        missing.join("\n")
    );
}

/// docs/commands/print.md says which kinds carry `ing2gw.io/sources`; the emitted
/// objects of a TLS input (Gateway, HTTPRoutes, ReferenceGrant) must agree.
#[test]
fn sources_annotation_doc_matches_output() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("docs/commands/print.md")).expect("print.md");
    let start = text
        .find("Every object carries")
        .expect("print.md describes the annotations");
    let para = text[start..].split("\n\n").next().unwrap_or_default();
    let (carry, not_carry) = para
        .split_once(';')
        .expect("print.md names the kinds without ing2gw.io/sources");
    let out = Command::new(env!("CARGO_BIN_EXE_ing2gw"))
        .args([
            "print",
            "-f",
            "testdata/core/tls-redirect-default/input.yaml",
            "-o",
            "json",
        ])
        .current_dir(root)
        .output()
        .expect("binary runs");
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON output");
    let items = list["items"].as_array().expect("a List");
    let mut kinds = std::collections::BTreeSet::new();
    for item in items {
        let kind = item["kind"].as_str().expect("kind").to_string();
        let has = item["metadata"]["annotations"]
            .get("ing2gw.io/sources")
            .is_some();
        let doc_side = if has { carry } else { not_carry };
        assert!(
            doc_side.contains(&kind),
            "{kind} {} ing2gw.io/sources but print.md does not say so",
            if has { "carries" } else { "lacks" }
        );
        kinds.insert(kind);
    }
    assert!(kinds.contains("ReferenceGrant") && kinds.contains("Gateway"));
}
