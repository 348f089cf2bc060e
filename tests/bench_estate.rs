//! The `estate` bench's generator and measuring code, exercised at tiny sizes: the
//! estates are deterministic and decode cleanly with our reader, and the bench
//! code compiles under `cargo test` (benches are not built by it). No timing is
//! asserted.

#[path = "../benches/support/estate.rs"]
#[allow(dead_code)]
mod estate;
#[path = "../benches/support/floor.rs"]
mod floor;
// The bench uses every item; the tests touch all but the timing fields, which
// they must not assert on.
#[path = "../benches/support/measure.rs"]
#[allow(dead_code)]
mod measure;

use ing2gw::input::SourceFile;
use ing2gw::pipeline;
use ing2gw::report::Severity;
use std::sync::Arc;

/// Decodes `text` as one file; returns the number of Ingresses and the
/// notifications the reader raised at error severity.
fn decode(text: &str) -> (usize, Vec<String>) {
    let file = SourceFile {
        name: "estate.yaml".into(),
        text: Arc::from(text),
    };
    let loaded = pipeline::load(std::slice::from_ref(&file));
    let errors = loaded
        .report
        .iter()
        .filter(|n| n.severity == Severity::Error)
        .map(|n| format!("{}: {}", n.code, n.message))
        .collect();
    (loaded.input.ingresses.len(), errors)
}

#[test]
fn realistic_estate_is_deterministic_per_seed() {
    let (a, mix_a) = estate::realistic(300, 7);
    let (b, mix_b) = estate::realistic(300, 7);
    assert_eq!(a, b, "same size and seed, same bytes");
    assert_eq!(mix_a, mix_b);
    let (c, _) = estate::realistic(300, 8);
    assert_ne!(a, c, "the seed changes the estate");
}

#[test]
fn realistic_estate_decodes_with_the_mix_it_claims() {
    let n = 2_000;
    let (text, mix) = estate::realistic(n, 1);
    let (ingresses, errors) = decode(&text);
    assert_eq!(ingresses, n, "every generated Ingress decodes");
    assert!(errors.is_empty(), "reader errors: {errors:?}");
    assert_eq!(mix.ingresses, n);
    // The counters are what the generator wrote: check them against the text.
    let count = |needle: &str| text.matches(needle).count();
    assert_eq!(count("/rewrite-target:"), mix.rewrite);
    assert_eq!(count("/use-regex:"), mix.regex);
    assert_eq!(count("/enable-cors:"), mix.cors);
    assert_eq!(count("/proxy-read-timeout:"), mix.timeout);
    assert_eq!(count("/canary:"), mix.canary);
    assert_eq!(count("  tls:\n"), mix.tls);
    assert_eq!(count("annotations: {}"), mix.plain);
    // The shares, within sampling noise at 2,000 Ingresses.
    let share = |k: usize| k as f64 * 100.0 / n as f64;
    for (what, got, want) in [
        ("plain", mix.plain, 40.0),
        ("tls", mix.tls, 20.0),
        ("rewrite", mix.rewrite, 15.0),
        ("regex", mix.regex, 10.0),
        ("cors", mix.cors, 10.0),
        ("timeout", mix.timeout, 30.0),
        ("canary", mix.canary, 5.0),
    ] {
        let got = share(got);
        assert!(
            (got - want).abs() <= want * 0.25,
            "{what}: {got:.1} % of Ingresses, want about {want} %"
        );
    }
    for (what, got) in [
        ("auth", mix.auth),
        ("allow-list", mix.allow_list),
        ("snippet", mix.snippet),
        ("affinity", mix.affinity),
        ("body size", mix.body_size),
    ] {
        assert!(got > 0, "the long tail has {what}");
    }
    assert!(
        mix.hosts * 2 < n && mix.hosts * 4 > n,
        "1–4 Ingresses per host"
    );
}

#[test]
fn pathological_shapes_decode() {
    for (what, text, want) in [
        ("regex host", estate::regex_host(120), 3),
        ("shared secret", estate::shared_secret(40), 40),
        (
            "namespace per Ingress",
            estate::namespace_per_ingress(40),
            40,
        ),
    ] {
        let (ingresses, errors) = decode(&text);
        assert_eq!(ingresses, want, "{what}");
        assert!(errors.is_empty(), "{what}: {errors:?}");
    }
    assert_eq!(
        estate::regex_host(120).matches("        pathType:").count(),
        120
    );
}

#[test]
fn sizes_parse_and_label() {
    assert_eq!(estate::parse_size("1k"), Some(1_000));
    assert_eq!(estate::parse_size("100K"), Some(100_000));
    assert_eq!(estate::parse_size("2500"), Some(2_500));
    assert_eq!(estate::parse_size("x"), None);
    assert_eq!(estate::size_label(10_000), "10k");
    assert_eq!(estate::size_label(2_500), "2500");
}

#[test]
fn floor_round_trips_the_estate() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("estate.yaml");
    // Past serde-saphyr's default cap of 1,024 documents per stream.
    let n = 1_100;
    let (text, _) = estate::realistic(n, 3);
    std::fs::write(&path, &text).unwrap();
    let mut out = Vec::new();
    assert_eq!(floor::floor(&path, &mut out).unwrap(), n);
    let back = String::from_utf8(out).unwrap();
    let (ingresses, errors) = decode(&back);
    assert_eq!(ingresses, n, "the floor's output is the same estate");
    assert!(errors.is_empty(), "{errors:?}");
}

/// The streaming floor parses and writes the same documents as the floor, one
/// at a time: the same objects come back.
#[test]
fn streaming_floor_writes_what_the_floor_writes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("estate.yaml");
    let n = 300;
    let (text, _) = estate::realistic(n, 5);
    std::fs::write(&path, &text).unwrap();
    let mut all = Vec::new();
    let mut streamed = Vec::new();
    assert_eq!(floor::floor(&path, &mut all).unwrap(), n);
    assert_eq!(floor::floor_streaming(&path, &mut streamed).unwrap(), n);
    let parse = |bytes: Vec<u8>| -> Vec<serde_json::Value> {
        serde_saphyr::from_multiple(&String::from_utf8(bytes).unwrap()).unwrap()
    };
    let streamed = parse(streamed);
    assert_eq!(streamed.len(), n);
    assert_eq!(parse(all), streamed);
}

/// The bench's measuring path end to end on a tiny estate: each command runs as
/// a child, is reaped by `wait4` with its rusage, and its output is counted.
#[test]
fn measured_commands_run_and_report_usage() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("estate.yaml");
    let (text, _) = estate::realistic(40, 5);
    std::fs::write(&path, &text).unwrap();
    let file = path.to_str().unwrap();
    let ing2gw = std::path::Path::new(env!("CARGO_BIN_EXE_ing2gw"));
    let print = measure::run(
        ing2gw,
        &["print", "-f", file],
        &dir.path().join("print"),
        None,
    )
    .unwrap();
    // Exit 1: the estate's allow-lists and auth are emitted fail-closed, an error
    // by design; 2 would be an input or usage error.
    assert!(
        matches!(print.exit_code, Some(0 | 1)),
        "{}",
        std::fs::read_to_string(&print.stderr).unwrap()
    );
    assert!(!print.timed_out);
    assert!(print.peak_rss > 0, "wait4 reports the child's peak RSS");
    let kinds = measure::kinds(&std::fs::read_to_string(&print.stdout).unwrap());
    assert!(kinds.get("HTTPRoute").is_some_and(|&n| n > 0), "{kinds:?}");
    assert!(kinds.contains_key("Gateway"), "{kinds:?}");
    // The bench reads the counts from the summary line: a change of its format
    // must show here, not as "n/a" in a recorded table.
    let counts = measure::notifications(&std::fs::read_to_string(&print.stderr).unwrap());
    assert!(
        counts.contains(" error, ") && counts.contains(" warning, "),
        "{counts}"
    );
    let against = print.stdout.to_str().unwrap();
    for command in ["scan", "verify"] {
        let run = measure::run(
            ing2gw,
            &[command, "-f", file],
            &dir.path().join(command),
            None,
        )
        .unwrap();
        // verify exits 1 on unexplained divergences; 2 would be a usage or input error.
        assert!(matches!(run.exit_code, Some(0 | 1)), "{command}: {run:?}");
        assert!(run.stdout_bytes() > 0, "{command} printed nothing");
    }
    // diff against print's own output: nothing changed.
    let diff = measure::run(
        ing2gw,
        &["diff", "-f", file, "--against", against],
        &dir.path().join("diff"),
        None,
    )
    .unwrap();
    assert_eq!(
        diff.exit_code,
        Some(0),
        "{}",
        std::fs::read_to_string(&diff.stdout).unwrap()
    );
}

#[test]
fn a_run_over_its_time_limit_is_killed_and_marked() {
    let dir = tempfile::tempdir().unwrap();
    let run = measure::run(
        std::path::Path::new("/bin/sh"),
        &["-c", "sleep 30"],
        &dir.path().join("sleep"),
        Some(std::time::Duration::from_millis(100)),
    )
    .unwrap();
    assert!(run.timed_out);
    assert_eq!(run.exit_code, None, "ended by SIGKILL");
}

#[test]
fn notification_counts_are_read_per_severity() {
    assert_eq!(
        measure::notifications("x\ning2gw: 2 error(s), 59 warning(s), 1747 info\n"),
        "1808 (2 error, 59 warning, 1747 info)"
    );
    assert_eq!(measure::notifications("nothing"), "n/a");
    let peer = "┌─ WARN  ───\n│  a\n└─\n┌─ INFO  ───\n│  b\n└─\n┌─ WARN  ───\n";
    assert_eq!(measure::peer_notifications(peer), "3 (1 INFO, 2 WARN)");
}
