//! Runs the `ing2gw verify` binary from the repository root and parses its JSON
//! report (shared by the verify regression tests).

use serde_json::Value;
use std::path::Path;
use std::process::Command;

pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `ing2gw verify ARGS -o json`: the exit code and the parsed report.
pub fn verify(args: &[&str]) -> (i32, Value) {
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
