//! Finding the nginx binary for the tests that run a real nginx
//! (`tests/nginx_agreement.rs`, the tokenizer differential test).
//!
//! Without nginx such a test skips with a notice on stderr, so a developer's
//! `cargo test` still runs every other test binary instead of stopping at the first
//! panic. Where the check must happen (`CI` set, or `ING2GW_REQUIRE_NGINX=1`, which
//! `.ci/run` exports) a missing nginx fails the test with the install hint.
//!
//! Include it with `#[path = "support/nginx.rs"] mod nginx;`.
#![allow(dead_code)] // each test binary uses a different part of this support module

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Child;

/// Where Debian and most distributions install nginx.
const CANDIDATES: [&str; 3] = ["/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx"];

/// How to get nginx, for both the skip notice and the failure.
pub const INSTALL_HINT: &str = "Install it with `apt-get install -y nginx-light` \
     (or set NGINX=/path/to/nginx).";

/// What a real-nginx test does on this machine.
#[derive(Debug, PartialEq, Eq)]
pub enum Lookup {
    /// Run against this binary.
    Found(PathBuf),
    /// Skip, after printing this notice.
    Skip(String),
    /// Fail with this message.
    Required(String),
}

/// The decision, from explicit inputs so it can be tested: `override_path` is
/// `$NGINX`, `required` says whether `CI` or `ING2GW_REQUIRE_NGINX=1` is set,
/// `candidates` are the paths searched when `$NGINX` is unset.
pub fn decide(
    test: &str,
    override_path: Option<PathBuf>,
    required: bool,
    candidates: &[&str],
) -> Lookup {
    let found = match override_path {
        Some(p) => p.is_file().then_some(p),
        None => candidates
            .iter()
            .map(Path::new)
            .find(|p| p.is_file())
            .map(Path::to_path_buf),
    };
    if let Some(p) = found {
        return Lookup::Found(p);
    }
    if required {
        Lookup::Required(format!(
            "nginx is not installed: {test} needs it (CI or ING2GW_REQUIRE_NGINX=1 is set). {INSTALL_HINT}"
        ))
    } else {
        Lookup::Skip(format!(
            "SKIPPED {test}: nginx is not installed. {INSTALL_HINT} \
             Set ING2GW_REQUIRE_NGINX=1 to make this a failure."
        ))
    }
}

/// True when a missing nginx must fail the run.
pub fn required_by_env() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "0" && v != "false")
        || std::env::var("ING2GW_REQUIRE_NGINX").is_ok_and(|v| v == "1")
}

/// The nginx binary for `test`, or `None` (after a notice on stderr) when the test
/// should skip. Panics with the install hint when nginx is required.
pub fn nginx_or_skip(test: &str) -> Option<PathBuf> {
    let override_path = std::env::var_os("NGINX").map(PathBuf::from);
    match decide(test, override_path, required_by_env(), &CANDIDATES) {
        Lookup::Found(p) => Some(p),
        Lookup::Skip(notice) => {
            // Not `eprintln!`: libtest captures that and hides it for a passing
            // test; a skip must be seen.
            use std::io::Write;
            let _ = writeln!(std::io::stderr(), "{notice}");
            None
        }
        Lookup::Required(message) => panic!("{message}"),
    }
}

/// A running nginx (single process, `master_process off`) and its prefix folder,
/// stopped on drop.
pub struct RunningNginx {
    pub child: Child,
    pub dir: tempfile::TempDir,
}

impl Drop for RunningNginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Free loopback ports (all bound at once so they differ, then released).
pub fn free_ports(n: usize) -> Vec<u16> {
    let listeners: Vec<TcpListener> = (0..n)
        .map(|_| TcpListener::bind("127.0.0.1:0").expect("bind loopback"))
        .collect();
    listeners
        .iter()
        .map(|l| l.local_addr().expect("addr").port())
        .collect()
}
