//! A sharded `print` (src/shard) writes exactly what the whole-input run
//! writes: stdout, stderr and exit code, on every corpus manifest, every
//! fixture, the corpus read at once, and the bench's estates. `--shard-ingresses
//! 1` makes every group of related Ingresses its own shard (the most splitting);
//! `0` translates the whole input at once.

#[path = "../benches/support/estate.rs"]
#[allow(dead_code)]
mod estate;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn print(inputs: &[&Path], shard: &str, extra: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_ing2gw"));
    c.arg("print").arg("--shard-ingresses").arg(shard);
    for i in inputs {
        c.arg("-f").arg(i);
    }
    c.args(extra).env("NO_COLOR", "1");
    c.output().expect("run ing2gw")
}

/// Whole and sharded runs of `inputs` agree; returns how many objects they wrote.
fn agree(inputs: &[&Path], extra: &[&str]) -> usize {
    let whole = print(inputs, "0", extra);
    for shard in ["1", "3"] {
        let sharded = print(inputs, shard, extra);
        let what = format!("{inputs:?} {extra:?} with --shard-ingresses {shard}");
        assert_eq!(
            whole.status.code(),
            sharded.status.code(),
            "exit code: {what}"
        );
        assert!(
            whole.stdout == sharded.stdout,
            "stdout differs: {what}\n{}",
            first_difference(&whole.stdout, &sharded.stdout)
        );
        assert!(
            whole.stderr == sharded.stderr,
            "stderr differs: {what}\n{}",
            first_difference(&whole.stderr, &sharded.stderr)
        );
    }
    String::from_utf8_lossy(&whole.stdout)
        .matches("\n---\n")
        .count()
}

fn first_difference(a: &[u8], b: &[u8]) -> String {
    let (a, b) = (String::from_utf8_lossy(a), String::from_utf8_lossy(b));
    let diff = similar::TextDiff::from_lines(a.as_ref(), b.as_ref());
    diff.unified_diff()
        .context_radius(3)
        .to_string()
        .chars()
        .take(4000)
        .collect()
}

fn manifests(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            manifests(&p, out);
        } else if p.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(p);
        }
    }
}

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")
}

#[test]
fn every_corpus_manifest_translates_the_same_sharded() {
    let mut files = Vec::new();
    manifests(&corpus(), &mut files);
    assert!(files.len() >= 100, "corpus missing: {}", files.len());
    for f in &files {
        agree(&[f], &[]);
    }
}

/// The corpus files a run can be sharded with, as the partition itself
/// decides (no gRPC backend, client certificate or wildcard CORS origin).
fn shardable_corpus() -> Vec<PathBuf> {
    let mut files = Vec::new();
    manifests(&corpus(), &mut files);
    let prefix = ing2gw::options::TranslateOptions::default().annotation_prefix;
    files
        .into_iter()
        .filter(|p| {
            let file = ing2gw::input::SourceFile {
                name: p.display().to_string(),
                text: std::sync::Arc::from(std::fs::read_to_string(p).unwrap_or_default()),
            };
            let loaded = ing2gw::pipeline::load_with(std::slice::from_ref(&file), true);
            ing2gw::shard::partition::shards(&loaded.input, &prefix, 1)
                .expect("partition")
                .is_some()
        })
        .collect()
}

#[test]
fn the_whole_corpus_at_once_translates_the_same_sharded() {
    // Across files, hosts, Services and the catch-all server are shared: the
    // partition must keep them together, under every option that changes
    // what is emitted.
    // Removed when the test ends, failed or not.
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().to_path_buf();
    let files = shardable_corpus();
    assert!(files.len() > 80, "{}", files.len());
    for (i, f) in files.iter().enumerate() {
        std::fs::copy(f, dir.join(format!("{i:03}.yaml"))).expect("copy");
    }
    let written = agree(&[&dir], &[]);
    assert!(written > 50, "{written}");
    for options in [
        &["--gateway-per-namespace"][..],
        &["--quirks", "none"],
        &["--channel", "experimental"],
        &["--allow-cross-namespace-grants"],
        &["--watch-ingress-without-class"],
        &["--default-ssl-certificate", "ingress-nginx/default-cert"],
        &["--allow-insecure-translation"],
        &["--regex-dialect", "re2"],
    ] {
        agree(&[&dir], options);
    }
    agree(&[&corpus()], &[]);
}

#[test]
fn every_fixture_translates_the_same_sharded() {
    let mut files = Vec::new();
    manifests(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata"),
        &mut files,
    );
    assert!(files.len() >= 20, "{}", files.len());
    for f in &files {
        agree(&[f], &[]);
    }
}

#[test]
fn bench_estates_translate_the_same_sharded() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().to_path_buf();
    let estates = [
        ("realistic.yaml", estate::realistic(600, 7).0),
        ("regex-host.yaml", estate::regex_host(200)),
        ("shared-secret.yaml", estate::shared_secret(150)),
        ("namespaces.yaml", estate::namespace_per_ingress(120)),
    ];
    for (name, text) in estates {
        let path = dir.join(name);
        std::fs::write(&path, text).expect("write estate");
        // More than 64 HTTPS hosts: routes move to ListenerSets once the
        // layout of the whole run is known.
        let written = agree(&[&path], &[]);
        assert!(written > 5, "{name}: {written}");
    }
    let realistic = dir.join("realistic.yaml");
    // Profiles that rename or drop ListenerSets: those runs stay whole.
    for profile in [
        ["--gateway-api-version", "1.4", "--channel", "experimental"],
        ["--gateway-api-version", "1.4", "--channel", "standard"],
    ] {
        agree(&[&realistic], &profile);
    }
    let out = print(&[&realistic], "1", &[]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("kind: ListenerSet"),
        "the estate overflows the Gateway"
    );
}

/// The library's sharded run itself (the CLI tests above cannot tell which
/// path ran): the corpus, packed, split into many shards, translated shard by
/// shard, equals the whole translation.
#[test]
fn the_sharded_pipeline_runs_and_agrees_with_the_whole_one() {
    use ing2gw::input::SourceFile;
    use ing2gw::options::TranslateOptions;
    use ing2gw::pipeline;
    let mut files = Vec::new();
    manifests(&corpus(), &mut files);
    // What makes a run unshardable (partition::shards) is left out: gRPC
    // backends, client certificates, wildcard CORS origins.
    let files: Vec<SourceFile> = files
        .iter()
        .map(|p| SourceFile {
            name: p.display().to_string(),
            text: std::sync::Arc::from(std::fs::read_to_string(p).expect("read")),
        })
        .filter(|f| {
            !f.text.to_ascii_uppercase().contains("GRPC")
                && !f.text.contains("auth-tls-secret")
                && !f
                    .text
                    .lines()
                    .any(|l| l.contains("cors-allow-origin") && l.contains('*'))
        })
        .collect();
    assert!(files.len() > 80, "{}", files.len());
    let options = TranslateOptions::default();
    assert!(ing2gw::shard::eligible(&options));

    let whole = pipeline::load(&files);
    let whole_input_count = whole.input.ingresses.len();
    let whole = pipeline::translate_owned(whole.input, &options, whole.report);
    let whole_yaml = ing2gw::output::to_yaml(&whole.objects).expect("yaml");

    let packed = pipeline::load_with(&files, true);
    assert_eq!(packed.input.ingresses.len(), whole_input_count);
    assert!(packed.input.ingresses.iter().all(|i| i.is_packed()));
    let shards = ing2gw::shard::partition::shards(&packed.input, &options.annotation_prefix, 1)
        .expect("partition")
        .expect("each file is shardable, so all of them are");
    assert!(shards.len() > 20, "{} shards", shards.len());
    let sharded =
        ing2gw::shard::translate(packed.input, &shards, &options, packed.report).expect("sharded");
    let sharded_yaml: String = sharded
        .yaml_chunks()
        .collect::<Result<Vec<_>, _>>()
        .expect("yaml")
        .concat();
    assert!(
        sharded_yaml == whole_yaml,
        "{}",
        first_difference(whole_yaml.as_bytes(), sharded_yaml.as_bytes())
    );
    assert_eq!(
        sharded.notifications(&options).expect("notes"),
        whole.notifications
    );
}
