//! Every annotation key in the real-world corpus (`../shared/corpus`) is accounted
//! for: a registered pass handles it, or a notification about that Ingress names it
//! (or names the whole Ingress as skipped or rejected). Skips when the corpus is absent.

use ing2gw::input::read_sources;
use ing2gw::options::TranslateOptions;
use ing2gw::passes::{class_selection, controller_validation, registry};
use ing2gw::pipeline;
use ing2gw::report::Notification;
use std::collections::BTreeSet;
use std::path::PathBuf;

#[path = "support/cases.rs"]
mod cases;

fn corpus_files() -> Option<Vec<PathBuf>> {
    cases::corpus_files(&["yaml", "yml"])
}

/// Whole-Ingress verdicts: every key of that Ingress is accounted for by them.
fn names_whole_ingress(n: &Notification) -> bool {
    n.code == class_selection::INGRESS_SKIPPED || n.code == controller_validation::INGRESS_REJECTED
}

#[test]
fn every_corpus_annotation_is_translated_or_named() {
    let Some(files) = corpus_files() else {
        eprintln!("skipped: ../shared/corpus is absent");
        return;
    };
    assert!(!files.is_empty(), "../shared/corpus has no YAML files");
    let claimed: BTreeSet<&str> = registry()
        .iter()
        .flat_map(|p| p.annotations().iter().copied())
        .collect();
    let options = TranslateOptions::default();
    let prefix = options.annotation_prefix.clone();
    let (mut occurrences, mut by_pass, mut by_notice, mut by_verdict) = (0, 0, 0, 0);
    let mut keys = BTreeSet::new();
    let mut failures = Vec::new();
    for file in &files {
        let sources = read_sources(&[file.display().to_string()]).expect("readable corpus file");
        let loaded = pipeline::load(&sources);
        let t = pipeline::translate(&loaded.input, &options, loaded.report);
        for ing in &loaded.input.ingresses {
            let about: Vec<&Notification> = t
                .notifications
                .iter()
                .filter(|n| n.object.as_ref() == Some(&ing.obj))
                .collect();
            let whole = about.iter().any(|n| names_whole_ingress(n));
            for key in ing.annotations().keys() {
                let Some(short) = key.strip_prefix(prefix.as_str()) else {
                    continue;
                };
                occurrences += 1;
                keys.insert(short.to_string());
                if whole {
                    by_verdict += 1;
                } else if claimed.contains(short) {
                    by_pass += 1;
                } else if about
                    .iter()
                    .any(|n| n.field.as_deref() == Some(key.as_str()))
                {
                    by_notice += 1;
                } else {
                    failures.push(format!("{}: {} `{key}`", file.display(), ing.obj));
                }
            }
        }
    }
    eprintln!(
        "corpus: {} files, {occurrences} annotation occurrences of {} distinct keys: {by_pass} handled by passes, {by_notice} named in a specific notification, {by_verdict} on Ingresses skipped or rejected as a whole",
        files.len(),
        keys.len()
    );
    assert!(
        occurrences > 0,
        "the corpus has no ingress-nginx annotations"
    );
    assert!(
        failures.is_empty(),
        "{} annotation occurrence(s) neither translated nor named:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
