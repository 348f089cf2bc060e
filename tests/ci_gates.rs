//! Exit codes and gates CI can trust (issue 12): `--accept` and the accept file,
//! `no-ingress`, the `-o`/`--output-dir` combination, the top-level help.

use std::path::Path;
use std::process::{Command, Output};

fn bin(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_ing2gw"));
    c.current_dir(dir);
    c.env("NO_COLOR", "1");
    c
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str]) -> Output {
    bin(root()).args(args).output().expect("binary runs")
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exited normally")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn output_format_with_output_dir_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("gw");
    let o = run(&[
        "print",
        "-f",
        "testdata/core/list-input/input.yaml",
        "-o",
        "json",
        "--output-dir",
        out.to_str().expect("utf-8 path"),
    ]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("--output-dir"), "{}", stderr(&o));
    assert!(!out.exists(), "nothing written");
}

#[test]
fn input_without_ingress_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("svc.yaml");
    std::fs::write(
        &file,
        "apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: a}\nspec: {ports: [{port: 80}]}\n",
    )
    .expect("write");
    let f = file.to_str().expect("utf-8 path");
    let print = run(&["print", "-f", f]);
    assert_eq!(code(&print), 0, "documented: still exit 0 by default");
    assert!(stderr(&print).contains("no-ingress"), "{}", stderr(&print));
    assert!(stderr(&print).contains("no Ingress found"), "{}", stderr(&print));
    assert_eq!(code(&run(&["print", "-f", f, "--fail-on", "warning"])), 1);
    let scan = run(&["scan", "-f", f]);
    assert_eq!(code(&scan), 0);
    assert!(stderr(&scan).contains("no Ingress found"), "{}", stderr(&scan));
    let verify = run(&["verify", "-f", f]);
    assert!(stderr(&verify).contains("no Ingress found"), "{}", stderr(&verify));
}

#[test]
fn top_level_help_describes_every_command_exit_codes() {
    let help = stdout(&run(&["--help"]));
    for needle in ["diff", "verify", "print", "scan", "141", "no-ingress"] {
        let exit_codes = help.split("Exit codes").nth(1).unwrap_or_default();
        assert!(exit_codes.contains(needle), "{needle} in:\n{help}");
    }
}
