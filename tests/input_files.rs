//! Reading untrusted input folders (docs/security.md, "Reading input"): symlinks,
//! FIFOs, devices and system files, size limits, non-UTF-8 files, and the size of
//! what is rendered for very long lines. Plus a seeded property test over random
//! folder trees: no panic, nothing outside the tree read, stderr bounded.

use ing2gw::input::{ByteSize, ReadLimits, ReadOptions, read_inputs};
use ing2gw::pipeline;
use ing2gw::report::{Severity, render};
use proptest::prelude::*;
use std::io::Write;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Longest any of these runs may take: a FIFO or `/dev/zero` used to block forever.
const DEADLINE: Duration = Duration::from_secs(60);

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_ing2gw"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c.env_remove("NO_COLOR");
    c
}

/// Runs the binary and kills it if it outlives [`DEADLINE`] (the test then fails).
fn run_with(mut cmd: Command, stdin: Option<&[u8]>) -> Output {
    cmd.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    })
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("binary runs");
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().expect("stdin");
        // The reader may stop early (over the limit): a broken pipe is expected.
        let _ = pipe.write_all(input);
    }
    wait(child)
}

fn wait(mut child: Child) -> Output {
    let start = Instant::now();
    // Drain the pipes in threads so a large stderr cannot block the child.
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let out = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = std::io::Read::read_to_end(&mut out, &mut v);
        v
    });
    let err = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = std::io::Read::read_to_end(&mut err, &mut v);
        v
    });
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            panic!("ing2gw did not finish within {DEADLINE:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: out.join().expect("stdout thread"),
        stderr: err.join().expect("stderr thread"),
    }
}

fn run(args: &[&str]) -> Output {
    let mut cmd = bin();
    cmd.args(args);
    run_with(cmd, None)
}

fn code(o: &Output) -> i32 {
    o.status
        .code()
        .expect("exited normally (no panic, no signal)")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn ingress(name: &str, host: &str) -> String {
    format!(
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: {name}\n  namespace: default\nspec:\n  ingressClassName: nginx\n  rules:\n  - host: {host}\n    http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend:\n          service:\n            name: web\n            port:\n              number: 80\n"
    )
}

fn write(path: &Path, text: impl AsRef<[u8]>) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(path, text).expect("write");
}

fn symlink(target: impl AsRef<Path>, link: &Path) {
    std::os::unix::fs::symlink(target, link).expect("symlink");
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().expect("mkfifo");
    assert!(status.success());
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 temp path")
}

/// Invalid YAML holding a marker: if the file were read, the syntax error's source
/// window would print the marker.
const SECRET: &str = "TOP-SECRET-7f3a";

fn secret_file(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("outside").join("secret.yaml");
    write(&path, format!("token: {SECRET}\n  bad: [\n"));
    path
}

#[test]
fn symlinks_in_folders_are_skipped_with_a_warning() {
    let dir = tempfile::tempdir().expect("tempdir");
    let tree = dir.path().join("in");
    write(&tree.join("app.yaml"), ingress("app", "app.example.com"));
    let secret = secret_file(dir.path());
    symlink(&secret, &tree.join("leak.yaml"));
    symlink(dir.path().join("outside"), &tree.join("linked-dir"));
    symlink("/proc/self/environ", &tree.join("env.yaml"));
    let mut cmd = bin();
    cmd.args(["print", "-f", s(&tree)])
        .env("ING2GW_TEST_TOKEN", "ci-token-0d1e");
    let o = run_with(cmd, None);
    let (out, err) = (stdout(&o), stderr(&o));
    assert_eq!(code(&o), 0, "warnings only: {err}");
    assert!(out.contains("app.example.com"), "{out}");
    for leaked in [SECRET, "ci-token-0d1e"] {
        assert!(!err.contains(leaked) && !out.contains(leaked), "{err}");
    }
    for link in ["leak.yaml", "linked-dir", "env.yaml"] {
        assert!(err.contains(link), "{link} named: {err}");
    }
    assert!(
        err.contains("by code: skipped-symlink 3 (warning)"),
        "{err}"
    );
    assert!(err.contains("--follow-symlinks"), "{err}");
    // --fail-on warning turns a skipped link into a failure.
    let o = run(&["print", "-f", s(&tree), "--fail-on", "warning"]);
    assert_eq!(code(&o), 1);
}

#[test]
fn follow_symlinks_reads_files_and_folders_once_but_never_system_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let tree = dir.path().join("in");
    write(&tree.join("app.yaml"), ingress("app", "app.example.com"));
    write(
        &dir.path().join("shared/base.yaml"),
        ingress("base", "base.example.com"),
    );
    symlink(dir.path().join("shared"), &tree.join("base"));
    symlink(
        dir.path().join("shared/base.yaml"),
        &tree.join("again.yaml"),
    );
    // A cycle: in/loop → in.
    symlink(&tree, &tree.join("loop"));
    let mut cmd = bin();
    cmd.args(["print", "-f", s(&tree), "--follow-symlinks"]);
    let o = run_with(cmd, None);
    let (out, err) = (stdout(&o), stderr(&o));
    assert_eq!(code(&o), 0, "{err}");
    assert!(out.contains("app.example.com") && out.contains("base.example.com"));
    // Read once: no duplicate-object error, one HTTPRoute per host.
    assert_eq!(out.matches("kind: HTTPRoute").count(), 2, "{out}");
    assert!(!err.contains("skipped-symlink: ") || err.contains("read already"));

    symlink("/proc/self/environ", &tree.join("env.yaml"));
    symlink("/dev/zero", &tree.join("zero.yaml"));
    let mut cmd = bin();
    cmd.args(["print", "-f", s(&tree), "--follow-symlinks"])
        .env("ING2GW_TEST_TOKEN", "ci-token-0d1e");
    let o = run_with(cmd, None);
    let (out, err) = (stdout(&o), stderr(&o));
    assert_eq!(code(&o), 2, "refused files are input errors: {err}");
    assert!(!err.contains("ci-token-0d1e") && !out.contains("ci-token-0d1e"));
    assert!(err.contains("by code: special-file 2 (error)"), "{err}");
    assert!(
        err.contains("under /proc") && err.contains("under /dev"),
        "{err}"
    );
    assert!(out.contains("app.example.com"), "the rest is translated");
}

#[test]
fn named_symlink_to_a_file_is_read_but_named_special_files_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let real = dir.path().join("real.yaml");
    write(&real, ingress("app", "app.example.com"));
    let link = dir.path().join("link.yaml");
    symlink(&real, &link);
    let o = run(&["print", "-f", s(&link)]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("app.example.com"));

    let fifo = dir.path().join("pipe.yaml");
    mkfifo(&fifo);
    let proc_link = dir.path().join("environ.yaml");
    symlink("/proc/self/environ", &proc_link);
    for (path, says) in [
        (fifo.as_path(), "FIFO"),
        (Path::new("/dev/zero"), "device"),
        (Path::new("/proc/self/environ"), "under /proc"),
        (proc_link.as_path(), "under /proc"),
    ] {
        let o = run(&["print", "-f", s(path)]);
        assert_eq!(code(&o), 2, "{path:?}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(
            err.contains("refusing to read") && err.contains(says),
            "{path:?}: {err}"
        );
    }
}

#[test]
fn fifo_in_a_folder_does_not_hang_the_run() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        &dir.path().join("app.yaml"),
        ingress("app", "app.example.com"),
    );
    mkfifo(&dir.path().join("pipe.yaml"));
    for follow in [false, true] {
        let mut cmd = bin();
        cmd.args(["print", "-f", s(dir.path())]);
        if follow {
            cmd.arg("--follow-symlinks");
        }
        let o = run_with(cmd, None);
        let err = stderr(&o);
        assert_eq!(code(&o), 2, "{err}");
        assert!(
            err.contains("special-file") && err.contains("pipe.yaml"),
            "{err}"
        );
        assert!(stdout(&o).contains("app.example.com"));
    }
}

#[test]
fn oversized_files_are_errors_and_the_rest_is_translated() {
    let dir = tempfile::tempdir().expect("tempdir");
    let big = dir.path().join("big.yaml");
    let mut text = ingress("big", "big.example.com");
    text.push_str(&"# padding\n".repeat(300));
    write(&big, &text);
    write(
        &dir.path().join("small.yaml"),
        ingress("small", "small.example.com"),
    );
    let o = run(&["print", "-f", s(dir.path()), "--max-file-size", "2Ki"]);
    let (out, err) = (stdout(&o), stderr(&o));
    assert_eq!(code(&o), 2, "{err}");
    assert!(
        err.contains("input-too-large") && err.contains("big.yaml"),
        "{err}"
    );
    assert!(err.contains("2Ki per file"), "{err}");
    assert!(out.contains("small.example.com") && !out.contains("big.example.com"));

    // The run's limit: files past it are named in one notification.
    let o = run(&["print", "-f", s(dir.path()), "--max-input-size", "3500"]);
    let err = stderr(&o);
    assert_eq!(code(&o), 2, "{err}");
    assert!(
        err.contains("3500 per run") && err.contains("small.yaml"),
        "{err}"
    );
    assert!(err.contains("this file was not read"), "{err}");
    assert!(stdout(&o).contains("big.example.com"));

    // stdin is bounded too.
    let mut cmd = bin();
    cmd.args(["print", "-f", "-", "--max-file-size", "1Ki"]);
    let o = run_with(cmd, Some(text.as_bytes()));
    let err = stderr(&o);
    assert_eq!(code(&o), 2, "{err}");
    assert!(
        err.contains("<stdin>") && err.contains("1Ki per file"),
        "{err}"
    );

    // The default limit (64Mi) refuses a sparse 65 MiB file without reading it.
    let huge = dir.path().join("huge.yaml");
    std::fs::File::create(&huge)
        .and_then(|f| f.set_len(65 * 1024 * 1024))
        .expect("sparse file");
    let o = run(&["print", "-f", s(&huge)]);
    let err = stderr(&o);
    assert_eq!(code(&o), 2, "{err}");
    assert!(err.contains("64Mi per file"), "{err}");

    let o = run(&["print", "-f", s(&huge), "--max-file-size", "64MB"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("unknown size suffix"), "{}", stderr(&o));
}

#[test]
fn a_non_utf8_file_is_reported_and_the_rest_translated() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(&dir.path().join("a.yaml"), ingress("a", "a.example.com"));
    let mut bad = ingress("b", "b.example.com").into_bytes();
    // Line 4 is `  name: b`: make it `  name: b\xff`.
    let at = bad
        .windows(9)
        .position(|w| w == b"  name: b")
        .expect("name line")
        + 9;
    bad.insert(at, 0xff);
    write(&dir.path().join("b.yaml"), &bad);
    write(&dir.path().join("c.yaml"), ingress("c", "c.example.com"));
    let o = run(&["print", "-f", s(dir.path())]);
    let (out, err) = (stdout(&o), stderr(&o));
    assert_eq!(code(&o), 2, "{err}");
    assert!(
        out.contains("a.example.com") && out.contains("c.example.com"),
        "{out}"
    );
    assert!(err.contains("not-utf8"), "{err}");
    assert!(
        err.contains(&format!(
            "b.yaml:4:10] not UTF-8: byte 0xff at byte offset {at}"
        )),
        "{err}"
    );
    // scan names the file too (its report has no place for it).
    let o = run(&["scan", "-f", s(dir.path())]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("b.yaml:4:10: not UTF-8"),
        "{}",
        stderr(&o)
    );
}

/// A one-line JSON List of `n` Ingresses whose backends do not resolve (one error
/// each), followed by `tail`.
fn one_line_json(n: usize, tail: &str) -> String {
    let items: Vec<serde_json::Value> = (0..n)
        .map(|i| {
            serde_json::json!({
                "apiVersion": "networking.k8s.io/v1",
                "kind": "Ingress",
                "metadata": {"name": format!("app-{i}"), "namespace": "default",
                    "annotations": {"nginx.ingress.kubernetes.io/no-such-annotation": "x"}},
                "spec": {"ingressClassName": "nginx", "rules": [{"host": format!("h{i}.example.com"),
                    "http": {"paths": [{"path": "/", "pathType": "Prefix",
                        "backend": {"service": {"name": "web", "port": {"name": "http"}}}}]}}]}
            })
        })
        .collect();
    let list = serde_json::json!({"apiVersion": "v1", "kind": "List", "items": items});
    format!("{list}{tail}")
}

#[test]
fn one_line_json_renders_small_windows_without_panicking() {
    let dir = tempfile::tempdir().expect("tempdir");
    // 400 Ingresses on one line: every notification used to print the whole line.
    let file = dir.path().join("all.json");
    let text = one_line_json(400, "\n");
    assert!(!text.trim_end().contains('\n') && text.len() > 100_000);
    write(&file, &text);
    let o = run(&["print", "-f", s(&file)]);
    let err = stderr(&o);
    assert_eq!(
        code(&o),
        1,
        "unresolved backends are errors: {}",
        &err[..err.len().min(2000)]
    );
    // 400 notifications: 3 rendered in full, the rest counted on one line.
    assert!(
        err.contains("unresolved-backend 400 (error)"),
        "{}",
        &err[..err.len().min(2000)]
    );
    // Each rendered notification shows at most a few hundred bytes of the line.
    assert!(err.len() < 20_000, "{} bytes of stderr", err.len());
    assert!(err.contains('…'), "cut lines are marked");

    // A syntax error past column 65535 used to panic inside miette.
    let file = dir.path().join("broken.json");
    write(&file, one_line_json(200, " {\"kind\": oops}\n"));
    let o = run(&["print", "-f", s(&file)]);
    let err = stderr(&o);
    assert_eq!(code(&o), 2, "{}", &err[..err.len().min(2000)]);
    assert!(
        err.contains("invalid-input"),
        "{}",
        &err[..err.len().min(2000)]
    );
    assert!(err.len() < 1_000_000, "{} bytes of stderr", err.len());
}

/// One entry of a random folder tree.
#[derive(Debug, Clone)]
enum Entry {
    File(String, Vec<u8>),
    /// A file whose name is not UTF-8.
    OddName(Vec<u8>),
    Dir(String),
    /// A link to the outside secret, to a folder of the tree, to itself, or nowhere.
    Link(String, u8),
}

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z]{1,6}\\.(yaml|yml|json)",
        "[a-z]{1,6}",
        "[ a-zé\\-_.\\n\\t:]{1,8}\\.yaml",
        Just(".hidden.yaml".to_string()),
        Just("--.yaml".to_string()),
    ]
}

fn content() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..200),
        Just(ingress("x", "x.example.com").into_bytes()),
        "[a-z: \\-\\[\\]{}\"\\n]{0,120}".prop_map(String::into_bytes),
        (0usize..3).prop_map(|k| one_line_json(k + 1, "x").into_bytes()),
        // One long line with a syntax error somewhere in it.
        "[a-z{}\\[\\]\":, ]{1500,3500}".prop_map(|l| format!("{{\"kind\": [{l}\n").into_bytes()),
    ]
}

fn entry() -> impl Strategy<Value = (Vec<u8>, Entry)> {
    let path = proptest::collection::vec(0u8..4, 0..3);
    (
        path,
        prop_oneof![
            (name(), content()).prop_map(|(n, c)| Entry::File(n, c)),
            content().prop_map(Entry::OddName),
            name().prop_map(Entry::Dir),
            (name(), any::<u8>()).prop_map(|(n, k)| Entry::Link(n, k)),
        ],
    )
}

fn build(root: &Path, outside: &Path, entries: &[(Vec<u8>, Entry)]) {
    let dirs = ["a", "b", "c d", "é"];
    for (at, e) in entries {
        let mut dir = root.to_path_buf();
        for i in at {
            dir.push(dirs[usize::from(*i) % dirs.len()]);
        }
        let _ = std::fs::create_dir_all(&dir);
        let _ = match e {
            Entry::File(n, c) => std::fs::write(dir.join(n), c),
            Entry::OddName(c) => {
                use std::os::unix::ffi::OsStrExt;
                let name = std::ffi::OsStr::from_bytes(b"not-utf8-\xff\xfe.yaml");
                std::fs::write(dir.join(name), c)
            }
            Entry::Dir(n) => std::fs::create_dir_all(dir.join(n)),
            Entry::Link(n, k) => {
                let target = match k % 5 {
                    0 => outside.to_path_buf(),
                    1 => outside.parent().expect("outside folder").to_path_buf(),
                    2 => root.to_path_buf(),
                    3 => dir.join(n),
                    _ => root.join("missing.yaml"),
                };
                std::os::unix::fs::symlink(target, dir.join(n))
            }
        };
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 64,
        rng_seed: proptest::test_runner::RngSeed::Fixed(0x1a2b_3c4d),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Random trees through read → decode → translate → render: no panic, nothing
    /// outside the tree read, stderr bounded by the notifications.
    #[test]
    fn random_trees_read_safely(
        entries in proptest::collection::vec(entry(), 0..12),
        follow_symlinks in any::<bool>(),
    ) {
        let dir = tempfile::tempdir().expect("tempdir");
        let outside = secret_file(dir.path());
        let root = dir.path().join("tree");
        std::fs::create_dir_all(&root).expect("mkdir");
        build(&root, &outside, &entries);
        let options = ReadOptions {
            limits: ReadLimits {
                max_file_size: ByteSize(4096),
                max_input_size: ByteSize(16 * 1024),
            },
            follow_symlinks,
        };
        let read = read_inputs(&[root.display().to_string()], &options)
            .expect("the root is readable");
        let total: usize = read.files.iter().map(|f| f.text.len()).sum();
        prop_assert!(total <= 16 * 1024);
        let root_name = root.display().to_string();
        for f in &read.files {
            prop_assert!(f.name.starts_with(&root_name));
            prop_assert!(f.text.len() <= 4096);
            // Only a followed link may lead outside the tree, and only to a regular file.
            prop_assert!(follow_symlinks || !f.text.contains(SECRET), "{} read the outside file", f.name);
        }
        let mut loaded = pipeline::load(&read.files);
        loaded.report.extend(read.notifications());
        let t = pipeline::translate(&loaded.input, &Default::default(), loaded.report);
        let text = render::render_human(&t.notifications, &loaded.sources, false, Severity::Info);
        prop_assert!(follow_symlinks || !text.contains(SECRET));
        // Every notification renders within its own text plus a bounded source window.
        let bound: usize = t
            .notifications
            .iter()
            .map(|n| 3 * (n.message.len() + n.field.as_ref().map_or(0, String::len)) + 4_000)
            .sum();
        prop_assert!(text.len() <= bound + 200, "{} bytes rendered", text.len());
    }
}

#[test]
fn help_documents_the_input_flags_with_an_example() {
    for command in ["print", "scan", "diff", "verify"] {
        let o = run(&[command, "--help"]);
        let help = stdout(&o);
        for flag in ["--follow-symlinks", "--max-file-size", "--max-input-size"] {
            assert!(help.contains(flag), "{command} --help lacks {flag}");
        }
        assert!(help.contains("[default: 64Mi]") && help.contains("[default: 256Mi]"));
    }
    let help = stdout(&run(&["print", "--help"]));
    assert!(help.contains("ing2gw print -f repo/ --follow-symlinks --max-file-size 256Mi"));
}
