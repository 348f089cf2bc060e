//! The annotation-family passes over the real manifests of `../shared/corpus`
//! (skipped when the folder is absent): no panic, and every annotation a family
//! pass claims gets a notification of that pass naming the Ingress and one of the
//! family's keys, so nothing it handles disappears silently.

#[path = "support/cases.rs"]
mod cases;

use ing2gw::input::read_sources;
use ing2gw::options::TranslateOptions;
use ing2gw::passes::{self, Pass};
use ing2gw::pipeline;
use std::path::Path;

fn family_passes() -> Vec<Box<dyn Pass>> {
    vec![
        Box::new(passes::redirects::Redirects),
        Box::new(passes::cors::CorsPass),
        Box::new(passes::timeouts::TimeoutsPass),
        Box::new(passes::canary::CanaryPass),
        Box::new(passes::backend_protocol::BackendProtocol),
        Box::new(passes::headers::HeadersPass),
        Box::new(passes::passthrough::Passthrough),
        Box::new(passes::mirror::MirrorPass),
        Box::new(passes::affinity::Affinity),
        Box::new(passes::misc::Misc),
        Box::new(passes::modsecurity::ModSecurity),
    ]
}

#[test]
fn family_passes_are_registered() {
    let names: Vec<&str> = passes::registry().iter().map(|p| p.name()).collect();
    for p in family_passes() {
        assert!(names.contains(&p.name()), "{} not in registry()", p.name());
    }
}

#[test]
fn every_claimed_corpus_annotation_gets_a_notification() {
    let Some(files) = cases::corpus_files(&["yaml"]) else {
        eprintln!("corpus not present, skipped");
        return;
    };
    let options = TranslateOptions {
        watch_without_class: true,
        ..Default::default()
    };
    let prefix = options.annotation_prefix.clone();
    let families = family_passes();
    let mut checked = 0;
    let mut missing = Vec::new();
    for file in &files {
        let Ok(sources) = read_sources(&[file.display().to_string()]) else {
            continue;
        };
        let loaded = pipeline::load(&sources);
        let t = pipeline::translate(&loaded.input, &options, loaded.report);
        // The Ingresses the passes see: selected, and not rejected by the controller.
        let mut scratch = ing2gw::report::Report::default();
        let selected = passes::class_selection::select(&loaded.input, &options, &mut scratch);
        let model = passes::controller_validation::model(
            &options,
            &passes::ControllerConfig::default(),
            &mut scratch,
        );
        let candidates: Vec<_> = selected.iter().map(|s| s.0).collect();
        let verdicts = passes::controller_validation::screen(
            &candidates,
            &loaded.input,
            &options,
            &model,
            &mut scratch,
        );
        for ing in candidates
            .into_iter()
            .filter(|i| !verdicts.rejected.contains(&i.obj))
        {
            for key in ing.annotations().keys() {
                let Some(short) = key.strip_prefix(&prefix) else {
                    continue;
                };
                let Some(family) = families.iter().find(|p| p.annotations().contains(&short))
                else {
                    continue;
                };
                checked += 1;
                let keys: Vec<String> = family
                    .annotations()
                    .iter()
                    .map(|k| format!("{prefix}{k}"))
                    .collect();
                let named = t.notifications.iter().any(|n| {
                    n.object.as_ref() == Some(&ing.obj)
                        && n.field.as_ref().is_some_and(|f| keys.contains(f))
                });
                if !named {
                    missing.push(format!("{}: {} {key}", file.display(), ing.obj));
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "claimed annotations without a notification:\n{}",
        missing.join("\n")
    );
    eprintln!("{checked} claimed annotation uses checked");
}

/// A custom-headers configuration ingress-nginx denies (503 today) must not become
/// an open route: its rules are emitted without backends.
#[test]
fn denied_custom_headers_fail_closed() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/annotations/headers/custom-headers-denied/input.yaml");
    let sources = read_sources(&[path.display().to_string()]).expect("readable");
    let loaded = pipeline::load(&sources);
    let t = pipeline::translate(&loaded.input, &TranslateOptions::default(), loaded.report);
    let routes: Vec<_> = t
        .objects
        .iter()
        .filter_map(|o| match o {
            ing2gw::gwapi::GatewayObject::HttpRoute(r)
                if r.spec.hostnames == ["denied.example.com"] =>
            {
                Some(r)
            }
            _ => None,
        })
        .collect();
    assert!(
        !routes.is_empty(),
        "the denied host still gets its (closed) route"
    );
    for r in routes {
        for rule in &r.spec.rules {
            assert!(rule.backend_refs.is_empty(), "rule {:?} is open", rule.name);
        }
    }
}
