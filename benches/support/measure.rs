//! Runs one program as a child process and measures it from the outside: wall
//! time, CPU time (user + system) and peak resident set size, all from the
//! child's own `rusage` (`wait4`), so the bench's memory and threads never count.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What one run cost, and where its output went.
#[derive(Debug, Clone)]
pub struct Run {
    pub wall: Duration,
    pub cpu: Duration,
    /// Peak resident set size in bytes (`ru_maxrss`).
    pub peak_rss: u64,
    /// Exit code, or `None` when a signal ended the child.
    pub exit_code: Option<i32>,
    /// Killed by us after the time limit: the figures are lower bounds.
    pub timed_out: bool,
    pub stdout: PathBuf,
    pub stderr: PathBuf,
}

impl Run {
    pub fn stdout_bytes(&self) -> u64 {
        std::fs::metadata(&self.stdout).map_or(0, |m| m.len())
    }

    pub fn stderr_bytes(&self) -> u64 {
        std::fs::metadata(&self.stderr).map_or(0, |m| m.len())
    }
}

/// `out` with `suffix` appended (not `with_extension`: `estate.print` and
/// `estate.scan` must not both become `estate.stdout`).
pub fn suffixed(out: &Path, suffix: &str) -> PathBuf {
    let mut name = out.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn duration(tv: libc::timeval) -> Duration {
    Duration::from_secs(u64::try_from(tv.tv_sec).unwrap_or(0))
        + Duration::from_micros(u64::try_from(tv.tv_usec).unwrap_or(0))
}

/// Runs `program args…` with stdout and stderr sent to `<out>.stdout` and
/// `<out>.stderr`, and waits for it with `wait4`, which hands back the child's
/// rusage: `ru_maxrss` is its peak RSS (KiB on Linux), `ru_utime + ru_stime` its
/// CPU time over all its threads. A child still running after `limit` is killed
/// (`timed_out`), so one quadratic command cannot stall the whole bench.
pub fn run(program: &Path, args: &[&str], out: &Path, limit: Option<Duration>) -> io::Result<Run> {
    let stdout = suffixed(out, ".stdout");
    let stderr = suffixed(out, ".stderr");
    let start = Instant::now();
    let child = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(File::create(&stdout)?)
        .stderr(File::create(&stderr)?)
        // The bench measures the tool as run in a pipeline: no colours, no
        // progress bars, whatever the terminal the bench runs in.
        .env("NO_COLOR", "1")
        .spawn()?;
    let pid = libc::pid_t::try_from(child.id())
        .map_err(|_| io::Error::other("child pid out of range"))?;
    let mut status: libc::c_int = 0;
    // SAFETY: an all-zero rusage is a valid value; wait4 fills it in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let mut timed_out = false;
    loop {
        // Without a limit, block; with one, poll (the 20 ms granularity only
        // delays the kill, the rusage figures are the kernel's).
        let flags = if limit.is_some() && !timed_out {
            libc::WNOHANG
        } else {
            0
        };
        // SAFETY: `pid` is our own, not yet reaped child (std's `Child` is never
        // waited on, so nothing else reaps it); the pointers are valid for writes.
        let r = unsafe { libc::wait4(pid, &mut status, flags, &mut usage) };
        if r == pid {
            break;
        }
        if r == 0 {
            if limit.is_some_and(|l| start.elapsed() > l) {
                // SAFETY: signalling our own unreaped child; its pid cannot be reused.
                unsafe { libc::kill(pid, libc::SIGKILL) };
                timed_out = true;
            } else {
                std::thread::sleep(Duration::from_millis(20));
            }
            continue;
        }
        let err = io::Error::last_os_error();
        if err.kind() != io::ErrorKind::Interrupted {
            return Err(err);
        }
    }
    let wall = start.elapsed();
    let exit_code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    Ok(Run {
        wall,
        cpu: duration(usage.ru_utime) + duration(usage.ru_stime),
        peak_rss: u64::try_from(usage.ru_maxrss).unwrap_or(0) * 1024,
        exit_code,
        timed_out,
        stdout,
        stderr,
    })
}

/// Objects by kind in a multi-document YAML stream or a JSON `List`, counted from
/// the top-level `kind:` lines (YAML) or `"kind":` keys of the items (JSON) — no
/// parsing, so counting costs nothing next to the run measured.
pub fn kinds(text: &str) -> std::collections::BTreeMap<String, usize> {
    let mut kinds = std::collections::BTreeMap::new();
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') {
        // A JSON List: items are objects directly under "items"; their "kind" keys
        // sit at the items' indentation (serde_json pretty output: 6 spaces).
        for line in text.lines() {
            if let Some(rest) = line.strip_prefix("      \"kind\": \"") {
                let kind = rest.trim_end_matches([',', '"']);
                *kinds.entry(kind.to_string()).or_insert(0) += 1;
            }
        }
    } else {
        for line in text.lines() {
            if let Some(kind) = line.strip_prefix("kind: ") {
                *kinds.entry(kind.trim().to_string()).or_insert(0) += 1;
            }
        }
    }
    kinds
}

/// `HTTPRoute 12, Gateway 1`: a kind count for a table cell.
pub fn kinds_summary(kinds: &std::collections::BTreeMap<String, usize>) -> String {
    kinds
        .iter()
        .map(|(kind, n)| format!("{kind} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `ing2gw: 0 error(s), 12 warning(s), 30 info` → `42 (0 error, 12 warning, 30
/// info)`: the summary line counts all notifications, also those `-q` hides.
pub fn notifications(stderr: &str) -> String {
    let Some(line) = stderr
        .lines()
        .rev()
        .find(|l| l.starts_with("ing2gw:") && l.contains("error(s)"))
    else {
        return "n/a".to_string();
    };
    let numbers: Vec<usize> = line
        .trim_start_matches("ing2gw:")
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|w| w.parse().ok())
        .collect();
    match numbers.as_slice() {
        [errors, warnings, infos, ..] => format!(
            "{} ({errors} error, {warnings} warning, {infos} info)",
            errors + warnings + infos
        ),
        _ => line.to_string(),
    }
}

/// ingress2gateway prints each notification as a box opening with
/// `┌─ WARN  ───…`: count them by severity (`3 WARN, 1 INFO`).
pub fn peer_notifications(stderr: &str) -> String {
    let mut by_level: std::collections::BTreeMap<&str, usize> = Default::default();
    for line in stderr.lines() {
        if let Some(level) = line
            .strip_prefix("┌─ ")
            .and_then(|rest| rest.split_whitespace().next())
        {
            *by_level.entry(level).or_insert(0) += 1;
        }
    }
    let total: usize = by_level.values().sum();
    let parts: Vec<String> = by_level.iter().map(|(l, n)| format!("{n} {l}")).collect();
    format!("{total} ({})", parts.join(", "))
}
