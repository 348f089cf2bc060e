//! `scan -o html` in a real headless browser (Debian's chromium): the page loads
//! without console errors (a Content-Security-Policy violation, a failed load or
//! a script error would be one), the DOM has the report, and a screenshot is not
//! empty. Skipped with a notice when chromium is absent, unless
//! `ING2GW_REQUIRE_CHROMIUM=1` (CI, see `.ci/run`). `CHROMIUM` names the binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn chromium() -> Option<PathBuf> {
    let names = std::env::var("CHROMIUM")
        .ok()
        .into_iter()
        .chain(["chromium", "chromium-browser", "google-chrome"].map(String::from));
    for name in names {
        let found = Command::new("sh")
            .args(["-c", &format!("command -v '{name}'")])
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
            .filter(|p| !p.is_empty());
        if let Some(path) = found {
            return Some(PathBuf::from(path));
        }
    }
    if std::env::var("ING2GW_REQUIRE_CHROMIUM").is_ok_and(|v| v == "1") {
        panic!("ING2GW_REQUIRE_CHROMIUM=1 but no chromium on PATH (apt-get install chromium)");
    }
    eprintln!("skipped: chromium not found (apt-get install chromium; CI requires it)");
    None
}

/// Runs headless chromium on a local file with `extra` arguments; stderr has the
/// console (`--enable-logging=stderr`).
fn browse(browser: &Path, profile: &Path, page: &Path, extra: &[&str]) -> Output {
    let url = format!("file://{}", page.display());
    Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-extensions",
            "--disable-background-networking",
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=1280,2000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(url)
        .output()
        .expect("chromium runs")
}

/// Console errors and refused loads in chromium's log.
fn console_errors(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| {
            (l.contains("CONSOLE") && (l.contains("ERROR") || l.contains("Uncaught")))
                || l.contains("Refused to")
                || l.contains("Content Security Policy")
                || l.contains("net::ERR_")
        })
        .collect()
}

fn scan_html(input: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_ing2gw"))
        .args(["scan", "-f", input, "-o", "html"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("KUBECONFIG")
        .output()
        .expect("ing2gw runs");
    String::from_utf8(out.stdout).expect("utf-8")
}

#[test]
fn scan_html_loads_cleanly_in_headless_chromium() {
    let Some(browser) = chromium() else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    let profile = dir.path().join("profile");

    // The detector sees a console error when there is one: an inline script is
    // refused by the page's policy.
    let control = dir.path().join("control.html");
    let risky = scan_html("testdata/scan/risky/ingresses.yaml");
    std::fs::write(
        &control,
        risky.replace(
            "</body>",
            "<script>console.error('control')</script></body>",
        ),
    )
    .expect("write");
    let out = browse(&browser, &profile, &control, &["--dump-dom"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !console_errors(&err).is_empty(),
        "the control page's refused script is seen: {err}"
    );

    for (name, input) in [
        ("risky", "testdata/scan/risky/ingresses.yaml"),
        ("hostile", "testdata/scan/hostile/ingresses.yaml"),
    ] {
        let page = dir.path().join(format!("{name}.html"));
        std::fs::write(&page, scan_html(input)).expect("write");
        let out = browse(&browser, &profile, &page, &["--dump-dom"]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{name}: chromium failed: {err}");
        assert_eq!(console_errors(&err), Vec::<&str>::new(), "{name}: {err}");
        let dom = String::from_utf8_lossy(&out.stdout);
        assert!(dom.contains("ing2gw migration readiness"), "{name}: {dom}");
        assert!(dom.contains("Estate summary"), "{name}");
        // Hostile text stays text: no element came from the manifests.
        assert!(!dom.to_lowercase().contains("<script"), "{name}: {dom}");
        assert!(!dom.contains("<img"), "{name}: {dom}");

        let shot = dir.path().join(format!("{name}.png"));
        let arg = format!("--screenshot={}", shot.display());
        let out = browse(&browser, &profile, &page, &[&arg]);
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let png = std::fs::read(&shot).expect("screenshot written");
        assert!(png.starts_with(b"\x89PNG"), "{name}: not a PNG");
        // A blank 1280x2000 page compresses to a few kB; the report is more.
        assert!(
            png.len() > 20_000,
            "{name}: screenshot of {} bytes",
            png.len()
        );
    }
}
