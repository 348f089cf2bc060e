//! The test inputs several test binaries walk: the `testdata/` cases (with their
//! optional `args` file of extra `ing2gw print` flags) and the shared real-world
//! corpus (`../shared/corpus`, absent on some machines: callers skip cleanly).
//!
//! Include it with `#[path = "support/cases.rs"] mod cases;`.
#![allow(dead_code)] // each test binary uses a different part of this support module

use clap::Parser;
use ing2gw::cli::{Cli, Command};
use ing2gw::options::TranslateOptions;
use std::path::{Path, PathBuf};

/// The crate root (where `testdata/` and `snapshots/` are).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every file below `testdata/` whose name is one of `names` (e.g. `input.yaml`),
/// depth first in sorted order, so failures come in a stable order.
pub fn testdata_inputs(names: &[&str]) -> Vec<PathBuf> {
    fn walk(dir: &Path, names: &[&str], out: &mut Vec<PathBuf>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .expect("testdata readable")
            .map(|e| e.expect("dir entry").path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, names, out);
            } else if p
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| names.contains(&n))
            {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(&root().join("testdata"), names, &mut out);
    out
}

/// The flags of a case folder's `args` file: one per line, blank lines and `#`
/// comments ignored; none when there is no such file.
pub fn case_args(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join("args"))
        .map(|s| {
            s.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(String::from)
                .collect()
        })
        .unwrap_or_default()
}

/// The translation options of `ing2gw print -f unused <args>`.
pub fn print_options(args: &[String]) -> TranslateOptions {
    let mut argv = vec![
        "ing2gw".to_string(),
        "print".into(),
        "-f".into(),
        "unused".into(),
    ];
    argv.extend(args.iter().cloned());
    let cli = Cli::try_parse_from(&argv).expect("valid args file");
    let Command::Print(print) = cli.command else {
        panic!("print expected")
    };
    print.translate.options()
}

/// The files of `../shared/corpus` (or of the folder `ING2GW_CORPUS` names)
/// with one of `extensions`, sorted; `None` when the corpus is absent.
pub fn corpus_files(extensions: &[&str]) -> Option<Vec<PathBuf>> {
    let dir = std::env::var_os("ING2GW_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared/corpus"));
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .ok()?
        .map(|e| e.expect("dir entry").path())
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| extensions.contains(&e))
        })
        .collect();
    files.sort();
    Some(files)
}

/// The objects `ing2gw print <args> --implementation <implementation>` emits for
/// `input` (none when it cannot be read). A case that names its own target in
/// `args` keeps it (it is translated twice the same way).
pub fn translate(
    input: &Path,
    args: &[String],
    implementation: &str,
) -> Vec<ing2gw::gwapi::GatewayObject> {
    let Ok(files) = ing2gw::input::read_sources(&[input.display().to_string()]) else {
        return Vec::new();
    };
    let mut args = args.to_vec();
    if !args.iter().any(|a| a == "--implementation") {
        args.extend(["--implementation".into(), implementation.into()]);
    }
    let loaded = ing2gw::pipeline::load(&files);
    ing2gw::pipeline::translate(&loaded.input, &print_options(&args), loaded.report).objects
}
