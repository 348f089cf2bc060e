//! The man pages in `man/` (one per command and subcommand: `ing2gw.1`,
//! `ing2gw-print.1`, …) are generated from the CLI definition with clap_mangen;
//! this test regenerates them in memory and fails when a file is stale or a
//! file is left over from a removed command.
//! Regenerate with `ING2GW_BLESS=1 cargo test --test man_pages` (the same
//! variable as the completions).

use std::collections::BTreeMap;
use std::path::Path;

/// Every page: file name → roff text. The version is the crate version only, so
/// the pages do not change with every commit (`--version` adds the commit).
fn pages() -> BTreeMap<String, String> {
    fn walk(cmd: clap::Command, out: &mut BTreeMap<String, String>) {
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()).cloned() {
            walk(sub, out);
        }
        let man = clap_mangen::Man::new(cmd)
            .source(concat!("ing2gw ", env!("CARGO_PKG_VERSION")))
            .manual("ing2gw manual");
        let mut buf = Vec::new();
        man.render(&mut buf).expect("render into memory");
        out.insert(
            man.get_filename(),
            String::from_utf8(buf).expect("roff is UTF-8"),
        );
    }
    let mut cmd = ing2gw::cli::command()
        .version(env!("CARGO_PKG_VERSION"))
        .disable_help_subcommand(true);
    cmd.build();
    let mut out = BTreeMap::new();
    walk(cmd, &mut out);
    out
}

#[test]
fn man_pages_are_current() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("man");
    let bless = std::env::var_os("ING2GW_BLESS").is_some_and(|v| v == "1");
    let fresh = pages();
    // Every command has its page, and each page documents its own flags.
    for (file, cmd) in [
        ("ing2gw.1", "print"),
        ("ing2gw-print.1", "--report-format"),
        ("ing2gw-verify.1", "--sarif"),
        ("ing2gw-scan.1", "--all-namespaces"),
        ("ing2gw-diff.1", "--against"),
        ("ing2gw-annotations.1", "--implementation"),
        ("ing2gw-completions.1", "SHELL"),
    ] {
        let page = fresh.get(file).unwrap_or_else(|| panic!("no page {file}"));
        assert!(
            page.replace("\\-", "-").contains(cmd),
            "{file} does not mention {cmd}"
        );
        assert!(
            page.starts_with(".ie \\n(.g .ds Aq") || page.contains(".TH"),
            "{file} is not roff"
        );
    }
    let mut stale = Vec::new();
    for (file, text) in &fresh {
        let path = dir.join(file);
        if std::fs::read_to_string(&path).unwrap_or_default() != *text {
            if bless {
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(&path, text).unwrap();
            } else {
                stale.push(path.display().to_string());
            }
        }
    }
    // Pages of commands that no longer exist.
    for entry in std::fs::read_dir(&dir).into_iter().flatten() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".1") && !fresh.contains_key(&name) {
            if bless {
                std::fs::remove_file(&path).unwrap();
            } else {
                stale.push(format!("{} (no such command)", path.display()));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "stale man pages: {}\nregenerate them with: ING2GW_BLESS=1 cargo test --test man_pages",
        stale.join(", ")
    );
}
