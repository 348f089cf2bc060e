//! The real-world corpus (`../shared/corpus`, or the folder `ING2GW_CORPUS`
//! names; never copied into this repository) translated for Envoy Gateway:
//!
//! - one insta snapshot per corpus file of `ing2gw print --implementation
//!   envoy-gateway --watch-ingress-without-class` (objects + notifications), in
//!   `snapshots/corpus-envoy-gateway/`;
//! - the closing-note numbers of issue 14, standard vs envoy-gateway: route rules
//!   emitted fail-closed, "no Gateway API field" warnings, and notifications that
//!   send the user to an implementation policy ing2gw did not emit. The table is
//!   printed (`cargo test --test corpus_envoy_gateway -- --nocapture`) and kept in
//!   `docs/implementations/envoy-gateway.md`.
//!
//! Skips with a notice when the corpus is absent.

#[path = "support/cases.rs"]
mod cases;

use ing2gw::gwapi::GatewayObject;
use ing2gw::input::read_sources;
use ing2gw::report::{Notification, render};
use ing2gw::{output, pipeline};
use std::path::Path;

const ARGS: [&str; 1] = ["--watch-ingress-without-class"];

fn options(implementation: &str) -> ing2gw::options::TranslateOptions {
    let mut args: Vec<String> = ARGS.iter().map(|s| s.to_string()).collect();
    args.extend(["--implementation".to_string(), implementation.to_string()]);
    cases::print_options(&args)
}

struct Translated {
    objects: Vec<GatewayObject>,
    notifications: Vec<Notification>,
}

fn translate(file: &Path, implementation: &str) -> Option<Translated> {
    let sources = read_sources(&[file.display().to_string()]).ok()?;
    let loaded = pipeline::load(&sources);
    let t = pipeline::translate(&loaded.input, &options(implementation), loaded.report);
    Some(Translated {
        objects: t.objects,
        notifications: t.notifications,
    })
}

#[test]
fn corpus_envoy_gateway_snapshots() {
    let Some(files) = cases::corpus_files(&["yaml", "yml", "json"]) else {
        eprintln!(
            "SKIPPED corpus_envoy_gateway_snapshots: ../shared/corpus is absent (set ING2GW_CORPUS)"
        );
        return;
    };
    assert!(!files.is_empty(), "corpus folder is empty");
    for f in &files {
        let Some(t) = translate(f, "envoy-gateway") else {
            continue;
        };
        let yaml = output::to_yaml(&t.objects).expect("serialisable");
        // Positions name the corpus file by its path on this machine: keep the file name only.
        let dir = f
            .parent()
            .map(|d| format!("{}/", d.display()))
            .unwrap_or_default();
        let notes = render::render_plain(&t.notifications).replace(&dir, "corpus/");
        let text = format!("{yaml}# notifications\n{notes}");
        let name = f
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("unnamed")
            .to_string();
        insta::with_settings!({
            snapshot_path => "../snapshots/corpus-envoy-gateway",
            prepend_module_to_snapshot => false,
            omit_expression => true,
            description => format!("ing2gw print --implementation envoy-gateway {} -f corpus/{}", ARGS.join(" "), f.file_name().and_then(|n| n.to_str()).unwrap_or("")),
        }, {
            insta::assert_snapshot!(name, text);
        });
    }
}

/// Counts of one translation run over the corpus.
#[derive(Default, Debug, Clone, Copy, PartialEq, Eq)]
struct Counts {
    /// Route rules emitted fail-closed: no backendRefs and no filter that answers
    /// by itself (RequestRedirect, or an Envoy Gateway HTTPRouteFilter that may
    /// carry a direct response): every request gets HTTP 500.
    closed_rules: usize,
    /// Ingresses with at least one such rule.
    closed_ingresses: usize,
    /// Access controls kept fail-closed (`access-fail-closed`,
    /// `envoy-gateway-rule-closed`); the other closed rules have an unresolved
    /// backend or a rejected Ingress, whatever the target.
    access_closed: usize,
    /// `no-gateway-api-field` warnings (behaviour dropped, nothing emitted).
    no_field: usize,
    /// Notifications whose suggestion sends the user to an implementation policy
    /// ing2gw did not emit (for envoy-gateway: "Envoy Gateway cannot express …").
    needs_policy: usize,
    /// Objects of the `gateway.envoyproxy.io` group emitted.
    eg_objects: usize,
}

fn count(t: &Translated, implementation: &str) -> Counts {
    let mut c = Counts::default();
    let mut closed_sources = std::collections::BTreeSet::new();
    for o in &t.objects {
        let v = serde_json::to_value(o).expect("serialisable");
        if v["apiVersion"]
            .as_str()
            .is_some_and(|a| a.starts_with("gateway.envoyproxy.io/"))
        {
            c.eg_objects += 1;
        }
        if !matches!(v["kind"].as_str(), Some("HTTPRoute" | "GRPCRoute")) {
            continue;
        }
        for rule in v["spec"]["rules"].as_array().into_iter().flatten() {
            let backends = rule["backendRefs"]
                .as_array()
                .is_some_and(|b| !b.is_empty());
            let answers =
                rule["filters"].as_array().into_iter().flatten().any(|f| {
                    matches!(f["type"].as_str(), Some("RequestRedirect" | "ExtensionRef"))
                });
            if !backends && !answers {
                c.closed_rules += 1;
                if let Some(s) = v["metadata"]["annotations"]["ing2gw.io/sources"].as_str() {
                    closed_sources.extend(s.split(',').map(str::to_string));
                }
            }
        }
    }
    c.closed_ingresses = closed_sources.len();
    for n in &t.notifications {
        match n.code.0 {
            "no-gateway-api-field" => c.no_field += 1,
            "access-fail-closed" | "envoy-gateway-rule-closed" => c.access_closed += 1,
            _ => {}
        }
        let s = n.suggestion.as_deref().unwrap_or("").to_ascii_lowercase();
        let needs = if implementation == "standard" {
            [
                "your implementation's policy",
                "your implementation's polic",
                "enforce it with your implementation",
                "use your implementation:",
                "attach your implementation's",
                "block these clients with your implementation",
                "your implementation's auth policy",
                "your implementation's cors policy",
                "your implementation's skip-verify",
            ]
            .iter()
            .any(|p| s.contains(p))
        } else {
            s.contains("cannot express") && s.contains("with ing2gw's output yet")
        };
        if needs {
            c.needs_policy += 1;
        }
    }
    c
}

fn add(a: &mut Counts, b: Counts) {
    a.closed_rules += b.closed_rules;
    a.closed_ingresses += b.closed_ingresses;
    a.no_field += b.no_field;
    a.access_closed += b.access_closed;
    a.needs_policy += b.needs_policy;
    a.eg_objects += b.eg_objects;
}

#[test]
fn corpus_closing_note_numbers() {
    let Some(files) = cases::corpus_files(&["yaml", "yml", "json"]) else {
        eprintln!(
            "SKIPPED corpus_closing_note_numbers: ../shared/corpus is absent (set ING2GW_CORPUS)"
        );
        return;
    };
    let mut standard = Counts::default();
    let mut eg = Counts::default();
    for f in &files {
        if let Some(t) = translate(f, "standard") {
            add(&mut standard, count(&t, "standard"));
        }
        if let Some(t) = translate(f, "envoy-gateway") {
            add(&mut eg, count(&t, "envoy-gateway"));
        }
    }
    eprintln!(
        "corpus ({} files), ing2gw print {}:",
        files.len(),
        ARGS.join(" ")
    );
    eprintln!("| Count | standard | envoy-gateway |");
    eprintln!("|---|---|---|");
    for (what, s, e) in [
        (
            "Route rules emitted fail-closed (HTTP 500)",
            standard.closed_rules,
            eg.closed_rules,
        ),
        (
            "Ingresses with a fail-closed rule",
            standard.closed_ingresses,
            eg.closed_ingresses,
        ),
        (
            "Access controls kept fail-closed (`access-fail-closed`, `envoy-gateway-rule-closed`)",
            standard.access_closed,
            eg.access_closed,
        ),
        (
            "`no-gateway-api-field` warnings",
            standard.no_field,
            eg.no_field,
        ),
        (
            "Notifications sending to an implementation policy not emitted",
            standard.needs_policy,
            eg.needs_policy,
        ),
        (
            "`gateway.envoyproxy.io` objects emitted",
            standard.eg_objects,
            eg.eg_objects,
        ),
    ] {
        eprintln!("| {what} | {s} | {e} |");
    }
    // The Envoy Gateway target never closes more, never drops more, and emits policies.
    assert!(
        eg.closed_rules <= standard.closed_rules,
        "{eg:?} vs {standard:?}"
    );
    assert!(eg.no_field <= standard.no_field, "{eg:?} vs {standard:?}");
    assert!(
        eg.access_closed < standard.access_closed,
        "{eg:?} vs {standard:?}"
    );
    assert!(
        eg.needs_policy < standard.needs_policy,
        "{eg:?} vs {standard:?}"
    );
    assert_eq!(standard.eg_objects, 0);
    assert!(eg.eg_objects > 0);
}
