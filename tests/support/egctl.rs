//! Finding the tools the Envoy Gateway checks run: Envoy Gateway's own `egctl`
//! (`tests/egctl_accept.rs`) and the Go module cache holding the published CRDs
//! (`tests/crd_schema.rs`).
//!
//! Neither is committed. `tools/egctl.sh` builds `egctl` with `go install` into
//! `~/.cache/ing2gw-egctl/<version>/egctl` (a build takes minutes, the cache makes
//! CI usable; `.ci/run` calls it before `cargo test`); the CRDs come from
//! `go mod download -json MODULE@VERSION`. Without them a test skips with a notice
//! on stderr, so a developer's `cargo test` still runs everything else; where the
//! check must happen (`CI` set, or `ING2GW_REQUIRE_EGCTL=1`, which `.ci/run`
//! exports) a missing tool fails the test with the hint.
//!
//! Include it with `#[path = "support/egctl.rs"] mod egctl;`.
#![allow(dead_code)] // each test binary uses a different part of this support module

use std::path::{Path, PathBuf};
use std::process::Command;

/// The Envoy Gateway release the output is checked against (keep in step with
/// `DEFAULT_VERSION` in `tools/egctl.sh`).
pub const EGCTL_VERSION: &str = "v1.9.1";

/// The Gateway API release ing2gw targets (the crate's `gateway-api` types; the
/// `framework` version profiles may add others).
pub const GATEWAY_API_VERSION: &str = "v1.5.1";

/// How to get egctl, for both the skip notice and the failure.
pub const EGCTL_HINT: &str = "Build it with `tools/egctl.sh` (go install into \
     ~/.cache/ing2gw-egctl/<version>/, minutes the first time), or set EGCTL=/path/to/egctl.";

/// How to get the CRDs.
pub const GO_HINT: &str = "The CRDs are read from the Go module cache (`go mod download`): \
     install Go (`apt-get install -y golang-go`) and reach the Go module proxy.";

/// What a test that needs a tool does on this machine.
#[derive(Debug, PartialEq, Eq)]
pub enum Lookup<T> {
    /// Run with this.
    Found(T),
    /// Skip, after printing this notice.
    Skip(String),
    /// Fail with this message.
    Required(String),
}

/// True when a missing tool must fail the run.
pub fn required_by_env() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "0" && v != "false")
        || std::env::var("ING2GW_REQUIRE_EGCTL").is_ok_and(|v| v == "1")
}

/// `Found`, or the skip/failure message for `test` when `found` is `None`
/// (`why` says what is missing, `hint` how to get it).
pub fn decide<T>(test: &str, found: Option<T>, required: bool, why: &str, hint: &str) -> Lookup<T> {
    match found {
        Some(t) => Lookup::Found(t),
        None if required => Lookup::Required(format!(
            "{why}: {test} needs it (CI or ING2GW_REQUIRE_EGCTL=1 is set). {hint}"
        )),
        None => Lookup::Skip(format!(
            "SKIPPED {test}: {why}. {hint} Set ING2GW_REQUIRE_EGCTL=1 to make this a failure."
        )),
    }
}

/// Resolves a lookup: the value, `None` after a visible notice, or a panic.
pub fn or_skip<T>(lookup: Lookup<T>) -> Option<T> {
    match lookup {
        Lookup::Found(t) => Some(t),
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

/// The cache folder `tools/egctl.sh` builds into.
pub fn egctl_cache() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("ING2GW_EGCTL_CACHE") {
        return Some(PathBuf::from(dir));
    }
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    Some(base.join("ing2gw-egctl"))
}

/// Where `egctl` is: `$EGCTL`, else the cached build of [`EGCTL_VERSION`].
pub fn egctl_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("EGCTL") {
        let p = PathBuf::from(p);
        return p.is_file().then_some(p);
    }
    let p = egctl_cache()?.join(EGCTL_VERSION).join("egctl");
    p.is_file().then_some(p)
}

/// The egctl binary for `test`, or `None` (after a notice) when it should skip.
pub fn egctl_or_skip(test: &str) -> Option<PathBuf> {
    or_skip(decide(
        test,
        egctl_path(),
        required_by_env(),
        &format!("egctl {EGCTL_VERSION} is not built"),
        EGCTL_HINT,
    ))
}

/// The `go` binary: `$GO`, `go` on PATH, or the usual /usr/local/go install.
pub fn go_binary() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("GO") {
        return Some(PathBuf::from(p));
    }
    let on_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join("go"))
            .find(|p| p.is_file())
    });
    on_path.or_else(|| {
        let p = Path::new("/usr/local/go/bin/go");
        p.is_file().then(|| p.to_path_buf())
    })
}

/// The folder of Go module `module@version` in the module cache, downloading it
/// through the module proxy when absent (`go mod download -json`); the error
/// says why not.
pub fn go_module_dir(module: &str, version: &str) -> Result<PathBuf, String> {
    let go = go_binary().ok_or_else(|| "go is not installed".to_string())?;
    // Outside any module, so the project's (absent) go.mod plays no part.
    let out = Command::new(&go)
        .args(["mod", "download", "-json", &format!("{module}@{version}")])
        .current_dir(std::env::temp_dir())
        .env("GOFLAGS", "-mod=mod")
        .output()
        .map_err(|e| format!("running {}: {e}", go.display()))?;
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).map_err(|e| {
        format!(
            "go mod download {module}@{version}: {e}; stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    })?;
    if let Some(err) = json.get("Error").and_then(|e| e.as_str()) {
        return Err(format!("go mod download {module}@{version}: {err}"));
    }
    let dir = json
        .get("Dir")
        .and_then(|d| d.as_str())
        .ok_or_else(|| format!("go mod download {module}@{version}: no Dir in {json}"))?;
    Ok(PathBuf::from(dir))
}

/// [`go_module_dir`] for `test`, or `None` (after a notice) when it should skip.
pub fn go_module_or_skip(test: &str, module: &str, version: &str) -> Option<PathBuf> {
    let found = go_module_dir(module, version);
    let why = match &found {
        Ok(_) => String::new(),
        Err(e) => format!("the Go module {module}@{version} is not available ({e})"),
    };
    or_skip(decide(test, found.ok(), required_by_env(), &why, GO_HINT))
}
