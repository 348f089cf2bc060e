//! `--regex-dialect portable` changes the spelling of the emitted regular
//! expressions, never their effect: on every testdata case (standard and
//! envoy-gateway targets) `verify` gives the same verdict, outcome and deciding
//! route for every probe with both dialects, and the portable output carries no
//! inline flag, non-capturing group or Perl class.

#[path = "support/cases.rs"]
mod cases;

use ing2gw::emit::regex_dialect::REGEX_NOT_PORTABLE;
use ing2gw::input::read_sources;
use ing2gw::{output, pipeline, verify};

fn run(input: &std::path::Path, args: &[String], dialect: &str) -> (String, Vec<String>, usize) {
    let mut args = args.to_vec();
    args.extend(["--regex-dialect".to_string(), dialect.to_string()]);
    let options = cases::print_options(&args);
    let files = read_sources(&[input.display().to_string()]).expect("readable");
    let loaded = pipeline::load(&files);
    let t = pipeline::translate(&loaded.input, &options, loaded.report);
    let implementation = options.target.implementation;
    let report = verify::verify(
        &loaded.input,
        &options,
        &t.objects,
        &t.notifications,
        2000,
        verify::Verifying::OwnTranslation,
        implementation,
    );
    let verdicts = report
        .results
        .iter()
        .map(|r| {
            format!(
                "{:?} {} | nginx {:?} | gw {:?} via {:?} | {:?}",
                r.probe, r.probe.target, r.ingress_nginx, r.gateway_api, r.route, r.verdict
            )
        })
        .collect();
    let kept = t
        .notifications
        .iter()
        .filter(|n| n.code == REGEX_NOT_PORTABLE)
        .count();
    (output::to_yaml(&t.objects).expect("yaml"), verdicts, kept)
}

#[test]
fn portable_dialect_verifies_the_same_on_testdata() {
    let mut cases_run = 0;
    let mut changed = 0;
    for input in cases::testdata_inputs(&["input.yaml"]) {
        let dir = input.parent().expect("case folder");
        let args = cases::case_args(dir);
        if args.iter().any(|a| a.contains("regex-dialect")) {
            continue;
        }
        let mut targets = vec![args.clone()];
        if !args.iter().any(|a| a.contains("implementation")) {
            let mut eg = args.clone();
            eg.extend(["--implementation".to_string(), "envoy-gateway".to_string()]);
            targets.push(eg);
        }
        for args in targets {
            let (re2_yaml, re2, _) = run(&input, &args, "re2");
            let (portable_yaml, portable, kept) = run(&input, &args, "portable");
            cases_run += 1;
            if re2_yaml != portable_yaml {
                changed += 1;
            }
            assert_eq!(re2.len(), portable.len(), "{}", dir.display());
            for (a, b) in re2.iter().zip(&portable) {
                assert_eq!(a, b, "{} {args:?}", dir.display());
            }
            if kept == 0 {
                for line in portable_yaml.lines() {
                    let non_portable = ["(?i)", "(?:", "\\d", "\\w", "\\s", "(?P<"];
                    assert!(
                        !non_portable.iter().any(|p| line.contains(p)),
                        "{}: {line}",
                        dir.display()
                    );
                }
            }
        }
    }
    eprintln!(
        "{cases_run} case translations verified with both dialects; {changed} had regexes to rewrite"
    );
    assert!(cases_run > 100 && changed > 10, "{cases_run} {changed}");
}
