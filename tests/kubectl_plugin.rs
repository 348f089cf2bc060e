//! `kubectl-ing2gw`, the kubectl plugin binary: kubectl runs it with the
//! arguments after `kubectl ing2gw`. It is ing2gw whatever argv[0] says, and its
//! help reads `kubectl ing2gw …`.

use std::process::Command;

const PLUGIN: &str = env!("CARGO_BIN_EXE_kubectl-ing2gw");

fn run(bin: &str, args: &[&str]) -> (i32, String) {
    let out = Command::new(bin)
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    (out.status.code().expect("exit code"), text)
}

#[test]
fn plugin_help_reads_as_kubectl_ing2gw() {
    let (code, help) = run(PLUGIN, &["scan", "--help"]);
    assert_eq!(code, 0);
    assert!(
        help.contains("Usage: kubectl ing2gw scan [OPTIONS]"),
        "{help}"
    );
    assert!(help.contains("\n  kubectl ing2gw scan -A\n"), "{help}");
    assert!(
        !help.contains("\n  ing2gw "),
        "an example without kubectl: {help}"
    );
    // Pipelines keep kubectl's own command and name the plugin after the pipe.
    let (_, print) = run(PLUGIN, &["print", "--help"]);
    assert!(
        print.contains("kubectl get ingress -A -o yaml | kubectl ing2gw print -f -"),
        "{print}"
    );
    let (_, top) = run(PLUGIN, &["--help"]);
    assert!(top.contains("Usage: kubectl ing2gw <COMMAND>"), "{top}");
}

#[test]
fn plugin_runs_the_same_commands() {
    let args = ["print", "-f", "testdata/docs-examples/app.yaml"];
    let (code, plugin) = run(PLUGIN, &args);
    let (code2, standalone) = run(env!("CARGO_BIN_EXE_ing2gw"), &args);
    assert_eq!((code, code2), (0, 0));
    assert!(plugin.contains("kind: HTTPRoute"));
    assert_eq!(plugin, standalone);
}

#[cfg(unix)]
#[test]
fn help_does_not_depend_on_argv0() {
    // Each binary under another name (a symlink: argv[0] is the link's name;
    // a copy could hit ETXTBSY while other tests spawn processes) documents
    // itself as before.
    let dir = tempfile::tempdir().expect("temp dir");
    for (i, (bin, expected)) in [
        (PLUGIN, "Usage: kubectl ing2gw scan"),
        (env!("CARGO_BIN_EXE_ing2gw"), "Usage: ing2gw scan"),
    ]
    .into_iter()
    .enumerate()
    {
        let link = dir.path().join(format!("renamed-tool-{i}"));
        std::os::unix::fs::symlink(bin, &link).expect("symlink the binary");
        let (code, help) = run(&link.to_string_lossy(), &["scan", "--help"]);
        assert_eq!(code, 0);
        assert!(help.contains(expected), "{help}");
    }
}

#[test]
fn version_names_the_commit() {
    let (code, version) = run(PLUGIN, &["--version"]);
    assert_eq!(code, 0);
    let rest = version
        .trim()
        .strip_prefix(concat!("ing2gw ", env!("CARGO_PKG_VERSION"), " (commit "))
        .and_then(|r| r.strip_suffix(')'))
        .unwrap_or_else(|| panic!("unexpected --version: {version}"));
    assert!(
        rest == "unknown" || (rest.len() == 12 && rest.bytes().all(|b| b.is_ascii_hexdigit())),
        "{version}"
    );
    // Built from a git checkout (this test runs in one), the commit is known.
    if std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.git")).exists() {
        assert_ne!(rest, "unknown", "{version}");
    }
}
