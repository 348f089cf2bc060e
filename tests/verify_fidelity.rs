//! Issue 11 regression cases for `ing2gw verify`: each `testdata/verify/fidelity-*`
//! folder holds an `ingress.yaml` (or an `input.yaml`, which the translate
//! snapshots also cover) and `gateway.yaml`, the wrong translation ing2gw
//! produced before the fix (hand-kept). verify must fail on the wrong translation
//! (exit 1, an unexplained divergence) and pass on ing2gw's own translation today.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn verify(args: &[&str]) -> (i32, Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_ing2gw"))
        .arg("verify")
        .args(args)
        .args(["-o", "json"])
        .current_dir(root())
        .env("NO_COLOR", "1")
        .output()
        .expect("binary runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let json = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{e}: {stdout}\n{}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap_or(-1), json)
}

fn cases() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root().join("testdata/verify"))
        .expect("testdata/verify readable")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("fidelity-"))
        })
        .collect();
    dirs.sort();
    dirs
}

fn unexplained(json: &Value) -> u64 {
    json["summary"]["unexplained"]
        .as_u64()
        .unwrap_or_else(|| panic!("summary.unexplained missing: {}", json["summary"]))
}

#[test]
fn verify_fails_on_the_wrong_translations_and_passes_on_ours() {
    let cases = cases();
    assert!(!cases.is_empty(), "no fidelity cases");
    for dir in cases {
        let ing = ["input.yaml", "ingress.yaml"]
            .iter()
            .map(|f| dir.join(f))
            .find(|p| p.exists())
            .unwrap_or_else(|| panic!("{}: no input.yaml or ingress.yaml", dir.display()))
            .display()
            .to_string();
        let wrong = dir.join("gateway.yaml").display().to_string();
        let (code, json) = verify(&["-f", &ing, "--gateway-api", &wrong]);
        assert_eq!(
            code,
            1,
            "{}: verify passed the wrong translation",
            dir.display()
        );
        assert!(unexplained(&json) > 0, "{}", dir.display());
        let (code, json) = verify(&["-f", &ing]);
        assert_eq!(
            (code, unexplained(&json)),
            (0, 0),
            "{}: verify fails on ing2gw's own translation",
            dir.display()
        );
    }
}
