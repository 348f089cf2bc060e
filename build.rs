//! Build script: records the git commit the binary is built from, for
//! `ing2gw --version` ("0.1.0 (commit 1a2b3c4d5e6f)").
//!
//! Never fails: without git, outside a repository (a crates.io tarball) or with
//! an unusable git it records "unknown". Packagers building from a tarball can
//! pass the commit with `ING2GW_BUILD_COMMIT=<sha>`.

use std::path::PathBuf;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=ING2GW_BUILD_COMMIT");
    let commit = std::env::var("ING2GW_BUILD_COMMIT")
        .ok()
        .filter(|c| valid(c))
        .or_else(git_commit)
        .unwrap_or_else(|| "unknown".to_string());
    println!("cargo:rustc-env=ING2GW_GIT_COMMIT={commit}");
    // Rebuild when HEAD moves: HEAD itself (branch switch, detached commit) and the
    // refs it may point at. In a worktree the git dir differs from the common dir.
    for dir in [
        git(&["rev-parse", "--git-dir"]),
        git(&["rev-parse", "--git-common-dir"]),
    ]
    .into_iter()
    .flatten()
    {
        let dir = PathBuf::from(dir);
        for file in ["HEAD", "packed-refs", "refs/heads"] {
            let path = dir.join(file);
            if path.exists() {
                println!("cargo:rerun-if-changed={}", path.display());
            }
        }
    }
}

/// The 12-digit abbreviation of HEAD, when git answers.
fn git_commit() -> Option<String> {
    git(&["rev-parse", "--short=12", "HEAD"]).filter(|c| valid(c))
}

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(std::env::var_os("CARGO_MANIFEST_DIR")?)
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8(out.stdout).ok()?;
    Some(text.trim().to_string())
}

/// A commit id: 7 to 40 hex digits (nothing else reaches the version string).
fn valid(c: &str) -> bool {
    (7..=40).contains(&c.len()) && c.bytes().all(|b| b.is_ascii_hexdigit())
}
