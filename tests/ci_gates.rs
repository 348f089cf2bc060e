//! Exit codes and gates CI can trust (issue 12): `--accept` and the accept file,
//! `no-ingress`, the `-o`/`--output-dir` combination, the top-level help, the same
//! Ingress given twice.

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
    assert!(
        stderr(&print).contains("no Ingress found"),
        "{}",
        stderr(&print)
    );
    assert_eq!(code(&run(&["print", "-f", f, "--fail-on", "warning"])), 1);
    let scan = run(&["scan", "-f", f]);
    assert_eq!(code(&scan), 0);
    assert!(
        stderr(&scan).contains("no Ingress found"),
        "{}",
        stderr(&scan)
    );
    let verify = run(&["verify", "-f", f]);
    assert!(
        stderr(&verify).contains("no Ingress found"),
        "{}",
        stderr(&verify)
    );
}

#[test]
fn top_level_help_describes_every_command_exit_codes() {
    let help = stdout(&run(&["--help"]));
    for needle in ["diff", "verify", "print", "scan", "141", "no-ingress"] {
        let exit_codes = help.split("Exit codes").nth(1).unwrap_or_default();
        assert!(exit_codes.contains(needle), "{needle} in:\n{help}");
    }
}

/// Issue 12 item 3: a run on bundled testdata fails with `--fail-on warning`,
/// passes once the known findings are accepted (flag and accept file), and
/// `--report` still lists them, marked accepted with the reason.
#[test]
fn accepted_findings_pass_fail_on_warning_and_stay_in_the_report() {
    let input = root().join("testdata/core/tls-redirect-default/input.yaml");
    let input = input.to_str().expect("utf-8 path");
    let dir = tempfile::tempdir().expect("tempdir");
    let print = |extra: &[&str]| {
        let mut args = vec!["print", "-f", input, "--fail-on", "warning"];
        args.extend_from_slice(extra);
        bin(dir.path()).args(&args).output().expect("binary runs")
    };
    let plain = print(&[]);
    assert_eq!(code(&plain), 1, "{}", stderr(&plain));

    // Flags: one code everywhere, one code for one Ingress.
    let flags = print(&[
        "--accept",
        "ssl-redirect-trailing-slash",
        "--accept",
        "tls-default-certificate:web/secure",
    ]);
    assert_eq!(code(&flags), 0, "{}", stderr(&flags));
    assert!(
        stderr(&flags).contains(
            "0 warning(s), 3 info, 6 accepted (ssl-redirect-trailing-slash 4, tls-default-certificate 2)"
        ),
        "{}",
        stderr(&flags)
    );
    // Another Ingress's finding is not accepted.
    let other = print(&[
        "--accept",
        "ssl-redirect-trailing-slash",
        "--accept",
        "tls-default-certificate:web/other",
    ]);
    assert_eq!(code(&other), 1, "{}", stderr(&other));
    assert!(
        stderr(&other).contains("accept-unused"),
        "{}",
        stderr(&other)
    );

    // The accept file in the current directory, with reasons; --report keeps them.
    std::fs::write(
        dir.path().join(".ing2gw-accept.yaml"),
        "version: 1\naccept:\n  - code: ssl-redirect-trailing-slash\n    reason: clients follow the extra 301\n  - code: tls-default-certificate\n    object: Ingress/web/secure\n    reason: the default certificate covers these hosts\n",
    )
    .expect("write accept file");
    let report = dir.path().join("report.json");
    let file = print(&["--report", report.to_str().expect("utf-8 path")]);
    assert_eq!(code(&file), 0, "{}", stderr(&file));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).expect("report")).expect("json");
    let notes = json["notifications"].as_array().expect("notifications");
    let accepted: Vec<_> = notes.iter().filter(|n| n["accepted"] == true).collect();
    assert_eq!(accepted.len(), 6, "{notes:?}");
    assert!(
        accepted
            .iter()
            .any(|n| n["accepted_reason"] == "clients follow the extra 301")
    );

    // An explicit accept file that does not exist, or is malformed, is exit 2.
    let missing = print(&["--accept-file", "nope.yaml"]);
    assert_eq!(code(&missing), 2, "{}", stderr(&missing));
    std::fs::write(
        dir.path().join("bad.yaml"),
        "version: 1\naccept: [{kode: x}]\n",
    )
    .expect("write");
    let bad = print(&["--accept-file", "bad.yaml"]);
    assert_eq!(code(&bad), 2, "{}", stderr(&bad));
    assert!(stderr(&bad).contains("bad.yaml"), "{}", stderr(&bad));
}

/// The same Ingress in two folders (an overlay and its base): kubectl keeps the
/// last copy applied, so that copy is translated and the earlier one is an error
/// naming both files.
#[test]
fn the_same_ingress_twice_keeps_the_last_copy_and_names_both() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ingress = |service: &str| {
        format!(
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {{name: app, namespace: shop}}\nspec:\n  ingressClassName: nginx\n  rules:\n  - host: shop.example.com\n    http:\n      paths:\n      - {{path: /, pathType: Prefix, backend: {{service: {{name: {service}, port: {{number: 80}}}}}}}}\n"
        )
    };
    for (folder, service) in [("a-base", "old-svc"), ("b-overlay", "new-svc")] {
        std::fs::create_dir(dir.path().join(folder)).expect("mkdir");
        std::fs::write(dir.path().join(folder).join("app.yaml"), ingress(service)).expect("write");
    }
    let o = bin(dir.path())
        .args(["print", "-f", "."])
        .output()
        .expect("binary runs");
    let (out, err) = (stdout(&o), stderr(&o));
    assert_eq!(code(&o), 1, "an error by default:\n{err}");
    assert!(err.contains("duplicate-object"), "{err}");
    assert!(
        err.contains("a-base/app.yaml:1") && err.contains("b-overlay/app.yaml:1"),
        "{err}"
    );
    assert!(
        out.contains("name: new-svc"),
        "the last copy is translated:\n{out}"
    );
    assert!(!out.contains("old-svc"), "the replaced copy is not:\n{out}");
}

/// `--accept` acknowledges findings for `--fail-on`, so it belongs to exactly the
/// commands that have `--fail-on` (print); the others gate on something that is
/// not a notification, and docs/commands/print.md says why for each of them.
#[test]
fn accept_exists_wherever_fail_on_does_and_the_rest_is_explained() {
    let print_md =
        std::fs::read_to_string(root().join("docs/commands/print.md")).expect("print.md");
    let section = print_md
        .split("#### Why only `print` and `scan` have `--accept`")
        .nth(1)
        .expect("print.md explains which commands have --accept");
    let section = section.split("\n#").next().unwrap_or_default();
    let mut without = Vec::new();
    for sub in ing2gw::cli::command().get_subcommands() {
        let has = |long: &str| sub.get_arguments().any(|a| a.get_long() == Some(long));
        assert_eq!(
            has("fail-on"),
            has("accept") && has("accept-file"),
            "{}: --accept/--accept-file and --fail-on go together",
            sub.get_name()
        );
        if !has("fail-on") && ["scan", "verify", "diff"].contains(&sub.get_name()) {
            without.push(sub.get_name().to_string());
        }
    }
    assert_eq!(without, ["diff", "verify"]);
    for name in &without {
        assert!(
            section.contains(&format!("`{name}`")),
            "print.md does not say why `{name}` has no --accept"
        );
    }
    // And an `--accept` there is refused, not silently ignored.
    let o = run(&[
        "verify",
        "-f",
        "testdata/core/tls-redirect-default/input.yaml",
        "--accept",
        "x",
    ]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
}
