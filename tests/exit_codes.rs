//! The exit codes documented in docs/commands/*.md and docs/verify.md hold: for
//! print, scan, verify and diff, one case per documented code 0, 1 and 2 (141 is
//! covered in tests/cli.rs, the `--fail-on`/`--accept` gates in tests/ci_gates.rs).

use std::path::Path;
use std::process::Command;

// A TLS host with HSTS: warnings, no error.
const TLS: &str = "testdata/core/hsts-default/input.yaml";

fn code(args: &[&str]) -> i32 {
    let out = Command::new(env!("CARGO_BIN_EXE_ing2gw"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .expect("binary runs");
    out.status.code().expect("exited normally")
}

fn tmp(name: &str, text: &str) -> (tempdir::Dir, String) {
    let dir = tempdir::Dir::new();
    let path = dir.0.join(name);
    std::fs::write(&path, text).expect("temp file written");
    let p = path.display().to_string();
    (dir, p)
}

mod tempdir {
    /// A per-test directory under the target dir, removed on drop.
    pub struct Dir(pub std::path::PathBuf);
    impl Dir {
        pub fn new() -> Self {
            static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
            let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let p = std::env::temp_dir().join(format!("ing2gw-exit-{}-{n}", std::process::id()));
            std::fs::create_dir_all(&p).expect("temp dir");
            Dir(p)
        }
    }
    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

const NOT_YAML: &str = "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: x\n";

#[test]
fn print_exit_codes() {
    assert_eq!(code(&["print", "-f", TLS]), 0, "success");
    assert_eq!(
        code(&["print", "-f", TLS, "--fail-on", "warning"]),
        1,
        "a notification at or above --fail-on"
    );
    let (_d, bad) = tmp("bad.yaml", NOT_YAML);
    assert_eq!(code(&["print", "-f", &bad]), 2, "invalid YAML");
}

#[test]
fn scan_exit_codes() {
    assert_eq!(code(&["scan", "-f", TLS]), 0, "report written");
    // scan documents no exit 1: findings never fail it.
    assert_eq!(code(&["scan", "-f", "testdata/scan/risky"]), 0, "findings");
    let (_d, bad) = tmp("bad.yaml", NOT_YAML);
    assert_eq!(code(&["scan", "-f", &bad]), 2, "undecodable document");
    let (_d2, obj) = tmp(
        "obj.yaml",
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: y, namespace: a}\nspec: {rules: 5}\n",
    );
    assert_eq!(
        code(&["scan", "-f", &obj]),
        0,
        "an Ingress that does not decode is counted, not an input error"
    );
}

#[test]
fn verify_exit_codes() {
    assert_eq!(code(&["verify", "-f", TLS]), 0, "everything explained");
    assert_eq!(
        code(&["verify", "-f", "testdata/paths/"]),
        1,
        "rejected configuration / nothing compared"
    );
    assert_eq!(
        code(&["verify", "-f", TLS, "--exclude", "no/such-ingress"]),
        2,
        "--exclude naming no Ingress"
    );
}

#[test]
fn diff_exit_codes() {
    let out = Command::new(env!("CARGO_BIN_EXE_ing2gw"))
        .args(["print", "-f", TLS])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("binary runs");
    let (_d, same) = tmp("gateway.yaml", &String::from_utf8_lossy(&out.stdout));
    assert_eq!(
        code(&["diff", "-f", TLS, "--against", &same]),
        0,
        "no differences"
    );
    let other = Path::new("testdata/core/default-backend/input.yaml");
    assert!(Path::new(env!("CARGO_MANIFEST_DIR")).join(other).exists());
    assert_eq!(
        code(&[
            "diff",
            "-f",
            &other.display().to_string(),
            "--against",
            &same
        ]),
        1,
        "differences found"
    );
    assert_eq!(
        code(&["diff", "-f", TLS, "--against", "/nonexistent/gateway.yaml"]),
        2,
        "unreadable --against"
    );
}
