//! The output side of the CI threat model (issue 10): `--output-dir` never writes
//! outside the folder nor through a symlink, its kustomization cannot be injected,
//! a failed write changes nothing and still reports, stale files of an earlier run
//! are removed (only those), and a closed pipe or a full disk on stdout is handled
//! instead of panicking. Ends with a seeded property test of the folder writer.

use ing2gw::gwapi::GatewayObject;
use ing2gw::output::{self, DirOptions};
use proptest::prelude::*;
use proptest::test_runner::RngSeed;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_ing2gw"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c.env("NO_COLOR", "1");
    c
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("binary runs")
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exited normally, not by a signal")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// One Ingress with one rule per host, each with `paths` paths.
fn ingress(namespace: &str, name: &str, hosts: &[&str], paths: usize) -> Value {
    let rules: Vec<Value> = hosts
        .iter()
        .map(|h| {
            let paths: Vec<Value> = (0..paths)
                .map(|i| {
                    json!({"path": format!("/p{i}"), "pathType": "Prefix",
                           "backend": {"service": {"name": "web", "port": {"number": 80}}}})
                })
                .collect();
            json!({"host": h, "http": {"paths": paths}})
        })
        .collect();
    json!({
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": {"name": name, "namespace": namespace,
                     "creationTimestamp": "2024-01-01T00:00:00Z"},
        "spec": {"ingressClassName": "nginx", "rules": rules},
    })
}

/// Writes a JSON `List` of `items` to `path`.
fn write_input(path: &Path, items: &[Value]) -> String {
    let list = json!({"apiVersion": "v1", "kind": "List", "items": items});
    // Pretty: a notification's source window is a few short lines.
    let text = serde_json::to_string_pretty(&list).expect("json");
    std::fs::write(path, text).expect("write input");
    path.to_str().expect("utf-8").to_string()
}

/// Every file and symlink under `root` (relative path → content or link target).
fn tree(root: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries {
        let p = e.expect("entry").path();
        let rel = p
            .strip_prefix(root)
            .expect("under root")
            .display()
            .to_string();
        let meta = std::fs::symlink_metadata(&p).expect("metadata");
        if meta.file_type().is_symlink() {
            let target = std::fs::read_link(&p).expect("link");
            out.insert(rel, format!("-> {}", target.display()));
        } else if meta.is_dir() {
            out.insert(format!("{rel}/"), String::new());
            walk(root, &p, out);
        } else {
            out.insert(rel, std::fs::read_to_string(&p).unwrap_or_default());
        }
    }
}

fn print_dir(input: &str, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "print",
        "-f",
        input,
        "--output-dir",
        out.to_str().expect("utf-8"),
    ];
    args.extend_from_slice(extra);
    run(&args)
}

// ---- item 1: path traversal -------------------------------------------------

#[test]
fn namespace_traversal_never_leaves_the_output_dir() {
    let root = tempfile::tempdir().expect("tempdir");
    let root = root.path();
    let abs = root.join("abs");
    let bad = [
        "../../escape".to_string(),
        "..".to_string(),
        "a/../../../b".to_string(),
        abs.display().to_string(),
    ];
    for ns in &bad {
        let out = root.join("a/b/out");
        let input = write_input(
            &root.join("input.json"),
            &[
                ingress(ns, "evil", &["evil.example.com"], 1),
                ingress("web", "good", &["good.example.com"], 1),
            ],
        );
        let before = tree(root);
        let o = print_dir(&input, &out, &[]);
        assert_eq!(code(&o), 2, "{ns}: {}", stderr(&o));
        let after = tree(root);
        for path in after.keys().filter(|p| !before.contains_key(*p)) {
            assert!(
                path.starts_with("a/") || path == "a/",
                "{ns}: {path} written outside the output dir"
            );
            assert!(
                path.starts_with("a/b/out/") || ["a/", "a/b/", "a/b/out/"].contains(&path.as_str()),
                "{ns}: {path} written outside the output dir"
            );
        }
        // The valid object is still written.
        assert!(
            out.join("web/httproute-good.example.com.yaml").is_file(),
            "{ns}: {}",
            stderr(&o)
        );
        std::fs::remove_dir_all(root.join("a")).expect("clean");
    }
}

// ---- item 2: symlinks in the output folder ---------------------------------

fn shop_input(dir: &Path) -> String {
    write_input(
        &dir.join("input.json"),
        &[ingress("web", "shop", &["shop.example.com"], 1)],
    )
}

#[cfg(unix)]
#[test]
fn output_dir_symlinks_are_refused() {
    use std::os::unix::fs::symlink;
    // Each case plants one symlink; the write is refused whole and nothing is
    // written through the link (or anywhere else).
    let cases: [(&str, bool); 5] = [
        ("", true),
        ("web", true),
        ("web/httproute-shop.example.com.yaml", false),
        ("kustomization.yaml", false),
        (".ing2gw-manifest", false),
    ];
    for (link, is_dir) in cases {
        let root = tempfile::tempdir().expect("tempdir");
        let root = root.path();
        let input = shop_input(root);
        let out = root.join("out");
        let target = root.join("victim");
        if is_dir {
            std::fs::create_dir(&target).expect("victim dir");
        } else {
            std::fs::write(&target, "precious\n").expect("victim file");
        }
        let at = if link.is_empty() {
            out.clone()
        } else {
            out.join(link)
        };
        if let Some(parent) = at.parent() {
            std::fs::create_dir_all(parent).expect("parent");
        }
        symlink(&target, &at).expect("symlink");
        let before = tree(root);
        let o = print_dir(&input, &out, &[]);
        assert_eq!(code(&o), 2, "{link}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("output-refused"),
            "{link}: {}",
            stderr(&o)
        );
        assert!(stderr(&o).contains("symlink"), "{link}: {}", stderr(&o));
        assert_eq!(tree(root), before, "{link}: nothing may change");
    }
}

// ---- item 3: kustomization injection ----------------------------------------

#[test]
fn kustomization_keys_cannot_be_injected() {
    let root = tempfile::tempdir().expect("tempdir");
    let root = root.path();
    let out = root.join("out");
    let input = write_input(
        &root.join("input.json"),
        &[
            ingress(
                "web\nnamespace: evil\nresources:\n- https://evil.example/x",
                "evil",
                &["evil.example.com"],
                1,
            ),
            ingress("web", "x: y", &["a.example.com"], 1),
            ingress("shop", "good", &["- b.example.com"], 1),
            // Invalid names are refused at decode: one valid object still gets written.
            ingress("shop", "valid", &["c.example.com"], 1),
        ],
    );
    let o = print_dir(&input, &out, &[]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    let text = std::fs::read_to_string(out.join("kustomization.yaml")).expect("kustomization");
    let k: Value = serde_saphyr::from_str(&text).expect("kustomization parses");
    let keys: Vec<&String> = k.as_object().expect("a map").keys().collect();
    assert_eq!(keys, ["apiVersion", "kind", "resources"], "{text}");
    let resources: Vec<&str> = k["resources"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|r| r.as_str().expect("a string"))
        .collect();
    assert!(!resources.is_empty());
    for r in &resources {
        assert_eq!(Path::new(r).components().count(), 2, "{r}");
        assert!(out.join(r).is_file(), "{r} listed but not written");
    }
}

// ---- item 4: atomic output, stale files -------------------------------------

/// Runs `print` with the file size limited to `kib` KiB (bash; SIGXFSZ
/// ignored, so writes past it fail with EFBIG): a disk-full stand-in that works
/// as root too.
fn print_dir_limited(input: &str, out: &Path, report: &Path, kib: u32) -> Output {
    Command::new("bash")
        .arg("-c")
        .arg(format!("trap '' XFSZ; ulimit -f {kib}; exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_ing2gw"))
        .args([
            "print",
            "-f",
            input,
            "--output-dir",
            out.to_str().expect("utf-8"),
            "--report",
            report.to_str().expect("utf-8"),
        ])
        .env("NO_COLOR", "1")
        .output()
        .expect("bash runs")
}

#[test]
fn a_failed_write_changes_nothing_and_still_reports() {
    let root = tempfile::tempdir().expect("tempdir");
    let root = root.path();
    let out = root.join("out");
    let first = shop_input(root);
    assert_eq!(code(&print_dir(&first, &out, &[])), 0);
    let before = tree(&out);
    // The second input adds a route that is written first (small) and makes the
    // shop route too large to write: long Ingress names fill its rule names and
    // its sources annotation.
    let mut items = vec![ingress("api", "api", &["api.example.com"], 1)];
    for i in 0..12 {
        let name = format!("{}{i}", "shop".repeat(60));
        let mut ing = ingress("web", &name, &["shop.example.com"], 1);
        ing["spec"]["rules"][0]["http"]["paths"][0]["path"] = json!(format!("/x{i}"));
        items.push(ing);
    }
    let second = write_input(&root.join("second.json"), &items);
    let report = root.join("report.json");
    let o = print_dir_limited(&second, &out, &report, 4);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("output-write-failed"), "{}", stderr(&o));
    assert_eq!(
        tree(&out),
        before,
        "a failed run leaves the folder as it was"
    );
    let report = std::fs::read_to_string(&report).expect("--report still written");
    assert!(report.contains("output-write-failed"), "{report}");
}

#[test]
fn a_refused_folder_changes_nothing_and_still_reports() {
    let root = tempfile::tempdir().expect("tempdir");
    let root = root.path();
    let out = root.join("out");
    let input = write_input(
        &root.join("input.json"),
        &[
            ingress("api", "api", &["api.example.com"], 1),
            ingress("web", "shop", &["shop.example.com"], 1),
        ],
    );
    std::fs::create_dir_all(out.join("api")).expect("mkdir");
    std::fs::write(out.join("api/httproute-api.example.com.yaml"), "old\n").expect("old");
    // A file where a namespace folder belongs.
    std::fs::write(out.join("web"), "not a folder\n").expect("file");
    let before = tree(&out);
    let report = root.join("report.json");
    let o = print_dir(&input, &out, &["--report", report.to_str().expect("utf-8")]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert_eq!(tree(&out), before);
    let report = std::fs::read_to_string(&report).expect("--report still written");
    assert!(report.contains("output-refused"), "{report}");
}

#[test]
fn stale_files_are_removed_and_named() {
    let root = tempfile::tempdir().expect("tempdir");
    let root = root.path();
    let out = root.join("out");
    let first = write_input(
        &root.join("first.json"),
        &[
            ingress("web", "shop", &["a.example.com", "b.example.com"], 1),
            ingress("api", "api", &["api.example.com"], 1),
        ],
    );
    assert_eq!(code(&print_dir(&first, &out, &[])), 0);
    assert!(out.join("web/httproute-b.example.com.yaml").is_file());
    assert!(out.join("api/httproute-api.example.com.yaml").is_file());
    // Files ing2gw did not write stay, whatever they look like.
    std::fs::write(out.join("README.md"), "ours\n").expect("readme");
    std::fs::write(out.join("web/notes.yaml"), "ours\n").expect("notes");
    std::fs::write(out.join("web/httproute-manual.yaml"), "ours\n").expect("manual");

    let second = write_input(
        &root.join("second.json"),
        &[ingress("web", "shop", &["a.example.com"], 1)],
    );
    let report = root.join("report.json");
    let o = print_dir(
        &second,
        &out,
        &["--report", report.to_str().expect("utf-8")],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let err = stderr(&o);
    assert!(!out.join("web/httproute-b.example.com.yaml").exists());
    assert!(!out.join("api").exists(), "an emptied folder is removed");
    assert!(
        err.contains("removed web/httproute-b.example.com.yaml"),
        "{err}"
    );
    assert!(
        err.contains("removed api/httproute-api.example.com.yaml"),
        "{err}"
    );
    assert!(err.contains("output-stale-removed"), "{err}");
    let report = std::fs::read_to_string(&report).expect("report");
    assert!(
        report.contains("web/httproute-b.example.com.yaml"),
        "{report}"
    );
    for kept in ["README.md", "web/notes.yaml", "web/httproute-manual.yaml"] {
        assert_eq!(
            std::fs::read_to_string(out.join(kept)).expect("kept"),
            "ours\n"
        );
    }
    assert!(out.join("web/httproute-a.example.com.yaml").is_file());
    let k = std::fs::read_to_string(out.join("kustomization.yaml")).expect("k");
    assert!(!k.contains("b.example.com"), "{k}");
}

#[test]
fn a_tampered_manifest_cannot_delete_other_files() {
    let root = tempfile::tempdir().expect("tempdir");
    let root = root.path();
    let out = root.join("out");
    let input = shop_input(root);
    assert_eq!(code(&print_dir(&input, &out, &[])), 0);
    std::fs::write(root.join("victim.yaml"), "precious\n").expect("victim");
    std::fs::write(out.join("README.md"), "ours\n").expect("readme");
    let victim = root.join("victim.yaml").display().to_string();
    let manifest = json!({"generator": "ing2gw", "files": [
        "../victim.yaml", victim, "README.md", "web/../../victim.yaml",
        "web/httproute-shop.example.com.yaml",
    ]});
    std::fs::write(out.join(".ing2gw-manifest"), manifest.to_string()).expect("manifest");
    let o = print_dir(&input, &out, &[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(root.join("victim.yaml")).expect("victim"),
        "precious\n"
    );
    assert!(out.join("README.md").is_file());
    assert!(
        stderr(&o).contains("not a file ing2gw writes"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn stale_files_are_kept_when_the_input_is_incomplete() {
    let root = tempfile::tempdir().expect("tempdir");
    let root = root.path();
    let out = root.join("out");
    let inputs = root.join("in");
    std::fs::create_dir(&inputs).expect("mkdir");
    write_input(
        &inputs.join("a.json"),
        &[ingress("web", "a", &["a.example.com"], 1)],
    );
    write_input(
        &inputs.join("b.json"),
        &[ingress("web", "b", &["b.example.com"], 1)],
    );
    let dir = inputs.to_str().expect("utf-8");
    assert_eq!(code(&print_dir(dir, &out, &[])), 0);
    // b.json no longer parses, or its Ingress no longer decodes: its route
    // must not look deleted.
    let undecodable = json!({"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
        "metadata": {"name": "b", "namespace": "web"}, "spec": {"rules": "nope"}});
    // (A file that does not parse and never mentions `kind` is skipped as not
    // Kubernetes, exit 0, and keeps the old files too.)
    for (broken, exit) in [
        ("{\"kind\": \"Ingress\", not json".to_string(), 2),
        ("{ not json".to_string(), 0),
        (undecodable.to_string(), 1),
    ] {
        std::fs::write(inputs.join("b.json"), broken).expect("break");
        let o = print_dir(dir, &out, &[]);
        assert_eq!(code(&o), exit, "{}", stderr(&o));
        assert!(out.join("web/httproute-b.example.com.yaml").is_file());
        assert!(stderr(&o).contains("output-stale-kept"), "{}", stderr(&o));
    }
    // Once the input is complete again and b is really gone, it is removed.
    std::fs::remove_file(inputs.join("b.json")).expect("rm");
    let o = print_dir(dir, &out, &[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(!out.join("web/httproute-b.example.com.yaml").exists());
}

// ---- item 6: broken pipes and full disks ------------------------------------

/// An input whose `print` and `scan` outputs (about 135 KiB each) are far larger
/// than a pipe buffer (64 KiB), so the child is still writing when the pipe closes.
/// Long names make the output large without many objects (fast in debug builds).
fn big_input(dir: &Path) -> String {
    let items: Vec<Value> = (0..100)
        .map(|i| {
            let name = format!("{}{i}", "app".repeat(70));
            let host = format!("app{i}.{}.example.com", "x".repeat(200));
            ingress("web", &name, &[&host], 2)
        })
        .collect();
    write_input(&dir.join("big.json"), &items)
}

/// Spawns `args` with stdout (and, if `merged`, stderr) on a pipe, reads one
/// line and closes the reading end, as `| head -1` does.
fn closed_early(args: &[&str], merged: bool) -> Output {
    let (reader, writer) = std::io::pipe().expect("pipe");
    let mut cmd = bin();
    cmd.args(args).stdin(Stdio::null());
    if merged {
        cmd.stderr(writer.try_clone().expect("clone"));
    } else {
        cmd.stderr(Stdio::piped());
    }
    cmd.stdout(writer);
    let child = cmd.spawn().expect("spawn");
    // Our copies of the writing end must go, or the pipe never breaks.
    drop(cmd);
    let mut first = String::new();
    BufReader::new(reader)
        .read_line(&mut first)
        .expect("first line");
    assert!(!first.is_empty());
    // The reader is dropped here: the child's next write gets EPIPE.
    child.wait_with_output().expect("wait")
}

#[test]
fn print_and_scan_into_a_closed_pipe_exit_141_quietly() {
    let root = tempfile::tempdir().expect("tempdir");
    let input = big_input(root.path());
    for args in [
        vec!["print", "-f", input.as_str()],
        // The table report is cut to be read (15 KB here, inside the pipe's
        // buffer, so it is written whole before the reader goes); the JSON
        // report lists every Ingress (160 KB).
        vec!["scan", "-o", "json", "-f", input.as_str()],
    ] {
        let o = closed_early(&args, false);
        let err = stderr(&o);
        assert_eq!(code(&o), 141, "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(!err.contains("Broken pipe"), "{args:?}: {err}");
    }
    // stdout and stderr on the same closed pipe (`2>&1 | head -1`).
    let o = closed_early(&["print", "-f", &input], true);
    assert_eq!(code(&o), 141);
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_on_stdout_is_exit_2_with_a_message() {
    let root = tempfile::tempdir().expect("tempdir");
    let input = shop_input(root.path());
    for args in [
        vec!["print", "-f", input.as_str()],
        vec!["scan", "-f", input.as_str()],
        vec!["annotations"],
        vec!["completions", "bash"],
        vec!["verify", "-f", input.as_str()],
        vec!["--help"],
        vec!["diff", "-f", input.as_str(), "--against", input.as_str()],
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full");
        let o = bin()
            .args(&args)
            .stdout(full)
            .output()
            .expect("binary runs");
        let err = stderr(&o);
        assert_eq!(code(&o), 2, "{args:?}: {err}");
        assert!(err.contains("cannot write to stdout"), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
    // `--report` on a full disk: the same.
    let o = run(&["print", "-f", &input, "--report", "/dev/full"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("/dev/full"), "{}", stderr(&o));
}

// ---- writer property test ---------------------------------------------------

/// Identity strings: valid names, traversal, separators, NUL, newlines, unicode,
/// absolute paths into `sentinel`, and very long strings.
fn component(sentinel: String) -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z0-9]{1,12}",
        "[a-z0-9]{1,8}(\\.[a-z0-9]{1,8}){1,3}",
        Just("..".to_string()),
        Just(".".to_string()),
        Just(String::new()),
        "(\\.\\./){1,4}[a-z]{0,4}",
        "[a-z./]{0,12}",
        Just(sentinel.clone()),
        "[a-z]{0,4}",
        "\\PC{0,12}",
        ".{0,12}",
        "[a-z]{0,3}[\\x00\n\r\t\\\\ ][a-z]{0,3}",
        "[a-z]{60,300}",
        "é[a-z]{0,4}",
    ]
}

fn object(kind: &str, namespace: &str, name: &str) -> GatewayObject {
    GatewayObject::Other(json!({
        "apiVersion": "gateway.networking.k8s.io/v1",
        "kind": kind,
        "metadata": {"name": name, "namespace": namespace},
    }))
}

fn simple_label(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

fn simple_subdomain(s: &str) -> bool {
    s.len() <= 200 && s.split('.').all(simple_label)
}

#[test]
fn dir_writer_stays_inside_and_round_trips() {
    let root = tempfile::tempdir().expect("tempdir");
    let root: PathBuf = root.path().to_path_buf();
    let sentinel = root.join("sentinel");
    std::fs::create_dir(&sentinel).expect("sentinel");
    let sentinel_str = sentinel.display().to_string();
    let config = ProptestConfig {
        cases: 192,
        rng_seed: RngSeed::Fixed(0x1_6_2_6),
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    let identities = proptest::collection::vec(
        (
            prop_oneof![
                Just("HTTPRoute".to_string()),
                Just("Gateway".to_string()),
                "[A-Za-z/.\\-]{0,8}",
            ],
            component(sentinel_str.clone()),
            component(sentinel_str.clone()),
        ),
        1..6,
    );
    let mut runner = proptest::test_runner::TestRunner::new(config);
    let case = std::cell::Cell::new(0u32);
    runner
        .run(&identities, |ids| {
            case.set(case.get() + 1);
            let out = root.join(format!("out{}", case.get()));
            let objects: Vec<GatewayObject> =
                ids.iter().map(|(k, ns, n)| object(k, ns, n)).collect();
            let result = output::write_dir(&out, &objects, DirOptions { remove_stale: true });
            // Nothing outside `out`: the root holds only the sentinel and the
            // out folders, the sentinel stays empty.
            for e in std::fs::read_dir(&root).expect("root") {
                let name = e.expect("entry").file_name().to_string_lossy().into_owned();
                prop_assert!(
                    name == "sentinel" || name.starts_with("out"),
                    "{name} created outside the output dir"
                );
            }
            prop_assert_eq!(std::fs::read_dir(&sentinel).expect("sentinel").count(), 0);
            // Valid identities round-trip; the rest are reported.
            let mut seen = std::collections::BTreeSet::new();
            for (kind, ns, name) in &ids {
                let valid = kind.bytes().all(|b| b.is_ascii_alphabetic())
                    && !kind.is_empty()
                    && simple_label(ns)
                    && simple_subdomain(name);
                if !valid || !seen.insert((kind.to_ascii_lowercase(), ns.clone(), name.clone())) {
                    continue;
                }
                let rel = format!("{ns}/{}-{name}.yaml", kind.to_ascii_lowercase());
                let text = std::fs::read_to_string(out.join(&rel));
                prop_assert!(
                    text.is_ok(),
                    "{} not written: {:?}",
                    rel,
                    result.notifications
                );
                let v: Value = serde_saphyr::from_str(&text.unwrap_or_default()).expect("yaml");
                prop_assert_eq!(v["metadata"]["namespace"].as_str(), Some(ns.as_str()));
                prop_assert_eq!(v["metadata"]["name"].as_str(), Some(name.as_str()));
                prop_assert!(result.written.contains(&rel));
            }
            // Whatever was not written is reported.
            prop_assert!(result.written.len() == ids.len() || result.errors > 0);
            Ok(())
        })
        .expect("property holds");
}
