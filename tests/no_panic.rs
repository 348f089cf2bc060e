//! Fuzz-style property tests: whatever the input, reading and translating it
//! never panics (nor does the verifier's probe generator), and the output still
//! serialises. Inputs are arbitrary text, YAML-shaped text, and Ingresses carrying
//! random values (multi-byte characters included) for random catalog annotations.

use ing2gw::catalog::ANNOTATIONS;
use ing2gw::input::SourceFile;
use ing2gw::options::TranslateOptions;
use ing2gw::{output, pipeline};
use proptest::prelude::*;
use serde_json::json;

const PREFIX: &str = "nginx.ingress.kubernetes.io/";

/// Reads and translates one file; fails the property if the output cannot be written.
fn translate(name: &str, text: String) -> Result<(), TestCaseError> {
    let files = vec![SourceFile {
        name: name.to_string(),
        text: text.into(),
    }];
    let loaded = pipeline::load(&files);
    let options = TranslateOptions {
        watch_without_class: true,
        ..Default::default()
    };
    // The verifier's model and probe generator read the same input.
    let probes = ing2gw::verify::probes::generate_probes(&loaded.input, &options, 50);
    prop_assert!(probes.len() <= 50);
    let t = pipeline::translate(&loaded.input, &options, loaded.report);
    prop_assert!(output::to_yaml(&t.objects).is_ok());
    prop_assert!(output::to_json(&t.objects).is_ok());
    Ok(())
}

/// Annotation values: arbitrary text, and values close to what parsers accept.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        ".{0,24}",
        Just("true".to_string()),
        Just("false".to_string()),
        "-?[0-9]{1,20}",
        Just(i64::MAX.to_string()),
        Just(i64::MIN.to_string()),
        "-?[0-9]{1,4}(ms|s|m|h|k|K|m|M)?",
        "[a-zA-Z0-9/,.:*$^()?=&#% é-]{0,30}",
        "(https?://)?[a-z0-9.é]{0,12}(:[0-9]{1,6})?(/[a-z$0-9]{0,6}){0,3}",
        "([0-9]{1,3}\\.){3}[0-9]{1,3}(/[0-9]{1,3})?(,[0-9.]{1,15})?",
        "(rewrite|return|more_set_headers|location) [^;]{0,20};",
    ]
}

fn path() -> impl Strategy<Value = Option<String>> {
    proptest::option::of(prop_oneof![
        "/[a-zA-Z0-9/._é~%-]{0,16}",
        "/[a-z]{0,4}(\\(.{0,6}\\)|\\.\\*|\\$[0-9]|\\[a-z\\]\\+|\\?){0,3}",
        ".{0,12}",
    ])
}

fn ingress() -> impl Strategy<Value = serde_json::Value> {
    let names: Vec<&'static str> = ANNOTATIONS.iter().map(|a| a.name).collect();
    (
        proptest::collection::btree_map(proptest::sample::select(names), value(), 0..8),
        proptest::option::of("[a-zé*.-]{0,12}"),
        proptest::collection::vec(
            (
                path(),
                prop_oneof![
                    Just("Prefix"),
                    Just("Exact"),
                    Just("ImplementationSpecific"),
                    Just("Bogus")
                ],
            ),
            0..4,
        ),
        any::<bool>(),
    )
        .prop_map(|(annotations, host, paths, tls)| {
            let annotations: serde_json::Map<String, serde_json::Value> = annotations
                .into_iter()
                .map(|(k, v)| (format!("{PREFIX}{k}"), json!(v)))
                .collect();
            let paths: Vec<serde_json::Value> = paths
                .into_iter()
                .map(|(p, t)| {
                    json!({
                        "path": p,
                        "pathType": t,
                        "backend": {"service": {"name": "svc", "port": {"number": 80}}},
                    })
                })
                .collect();
            let mut spec = json!({
                "ingressClassName": "nginx",
                "rules": [{"host": host, "http": {"paths": paths}}],
            });
            if tls {
                spec["tls"] = json!([{"hosts": [host], "secretName": "cert"}]);
            }
            json!({
                "apiVersion": "networking.k8s.io/v1",
                "kind": "Ingress",
                "metadata": {"name": "fuzz", "namespace": "default", "annotations": annotations},
                "spec": spec,
            })
        })
}

/// An Ingress in regex mode with snippets: the parsers that slice strings by
/// position, fed multi-byte characters and regex or nginx syntax.
fn regex_ingress() -> impl Strategy<Value = serde_json::Value> {
    let text = r"[/a-zé€😀().*+?|^$\[\]{}\\:,<>=!#&~';\n PRKQEgkpdwsxbB0-9-]{0,24}";
    (
        proptest::collection::vec(text, 1..4),
        text,
        text,
        r"(rewrite|return|location|more_set_headers|if) [a-zé€/^$()\\ .*\x22'{}=-]{0,24};?\n?",
    )
        .prop_map(|(paths, target, snippet, directive)| {
            let paths: Vec<serde_json::Value> = paths
                .into_iter()
                .map(|p| {
                    json!({
                        "path": p,
                        "pathType": "ImplementationSpecific",
                        "backend": {"service": {"name": "svc", "port": {"number": 80}}},
                    })
                })
                .collect();
            json!({
                "apiVersion": "networking.k8s.io/v1",
                "kind": "Ingress",
                "metadata": {"name": "fuzz-regex", "namespace": "default", "annotations": {
                    format!("{PREFIX}use-regex"): "true",
                    format!("{PREFIX}rewrite-target"): target,
                    format!("{PREFIX}configuration-snippet"): format!("{directive}{snippet}"),
                    format!("{PREFIX}server-snippet"): format!("location {snippet} {{ {directive} }}"),
                }},
                "spec": {
                    "ingressClassName": "nginx",
                    "rules": [{"host": "a.example", "http": {"paths": paths}}],
                },
            })
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn regex_paths_and_snippets_never_panic(ing in regex_ingress()) {
        translate("fuzz.json", ing.to_string())?;
    }

    #[test]
    fn random_annotations_never_panic(
        ingresses in proptest::collection::vec(ingress(), 1..3),
    ) {
        let list = json!({"apiVersion": "v1", "kind": "List", "items": ingresses});
        translate("fuzz.json", list.to_string())?;
    }

    #[test]
    fn arbitrary_text_never_panics(text in ".{0,200}") {
        translate("fuzz.yaml", text)?;
    }

    #[test]
    fn yaml_shaped_text_never_panics(
        text in "(---\n|\\.\\.\\.\n|kind: (Ingress|Service|ConfigMap|List)\n|apiVersion: (networking.k8s.io/v1|v1|extensions/v1beta1)\n|metadata:\n|  name: [a-zé]{0,4}\n|  annotations:\n|    nginx.ingress.kubernetes.io/[a-z-]{1,12}: .{0,8}\n|spec:\n|  rules:\n|  - host: .{0,6}\n|    http:\n|      paths:\n|      - path: .{0,6}\n|items:\n|- .{0,6}\n|\\{.{0,8}\n|\t.{0,4}\n){0,24}",
    ) {
        translate("fuzz.yaml", text)?;
    }
}

/// Reads `text` as `ing2gw validate` does, validates it (field positions
/// included) and renders the notifications with their snippets.
fn validate(name: &str, text: String) -> Result<(), TestCaseError> {
    use ing2gw::input::{SourceMap, for_each_document};
    use ing2gw::report::{Report, Severity, render};
    use ing2gw::target::gateway_api::{GatewayApiProfile, GatewayApiVersion};
    let file = SourceFile {
        name: name.to_string(),
        text: text.into(),
    };
    let mut report = Report::default();
    let mut docs = Vec::new();
    for_each_document(&file, &mut report, |value, origin, _, _| {
        docs.push((value, origin.clone()))
    });
    let profile = GatewayApiProfile::new(
        GatewayApiVersion::V1_6,
        ing2gw::options::Channel::Experimental,
    );
    let checked = ing2gw::validate::manifests::check_documents(&docs, &profile, true);
    for n in &checked.notes {
        if let Some(span) = &n.span {
            prop_assert!(span.offset + span.length <= file.text.len());
            prop_assert!(file.text.is_char_boundary(span.offset));
            prop_assert!(file.text.is_char_boundary(span.offset + span.length));
        }
    }
    let mut sources = SourceMap::default();
    sources.insert(&file);
    let _ = render::render_human(&checked.notes, &sources, false, Severity::Info);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn validating_gateway_api_shaped_text_never_panics(
        text in "(---\n|kind: (HTTPRoute|Gateway|List|GRPCRoute)\n|apiVersion: gateway.networking.k8s.io/v1\n|metadata:\n|  name: [a-zé]{0,4}\n|  namespace: [a-z]{0,3}\n|spec:\n|  hostnames:\n|  - .{0,6}\n|  listeners:\n|  - name: [a-zé]{0,3}\n|    port: [0-9]{0,6}\n|  parentRefs:\n|  - \\{name: [a-z]{0,2}, sectionName: .{0,3}\\}\n|  rules:\n|  - matches:\n|    - path: \\{type: .{0,6}, value: .{0,6}\\}\n|    backendRefs:\n|    - \\{name: .{0,3}, port: [0-9]{0,6}\\}\n|items:\n|- .{0,6}\n|  - .{0,6}\n|\t.{0,4}\n){0,28}",
    ) {
        validate("fuzz.yaml", text)?;
    }
}

/// Translates one Ingress for host `a.example`, path `/` to Service `svc`, with
/// `annotations` (keys without prefix).
fn translate_one(annotations: &[(&str, String)]) -> pipeline::Translation {
    let annotations: serde_json::Map<String, serde_json::Value> = annotations
        .iter()
        .map(|(k, v)| (format!("{PREFIX}{k}"), json!(v)))
        .collect();
    let ing = json!({
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": {"name": "one", "namespace": "default", "annotations": annotations},
        "spec": {
            "ingressClassName": "nginx",
            "rules": [{"host": "a.example", "http": {"paths": [{
                "path": "/", "pathType": "Prefix",
                "backend": {"service": {"name": "svc", "port": {"number": 80}}},
            }]}}],
        },
    });
    let files = vec![SourceFile {
        name: "one.json".into(),
        text: ing.to_string().into(),
    }];
    let loaded = pipeline::load(&files);
    pipeline::translate(&loaded.input, &TranslateOptions::default(), loaded.report)
}

/// Found by `random_annotations_never_panic`: timeouts near i64::MAX overflowed
/// their sum. The request timeout is capped at the longest Gateway API duration.
#[test]
fn huge_timeouts_are_capped_not_overflowed() {
    let t = translate_one(&[
        ("proxy-connect-timeout", i64::MAX.to_string()),
        ("proxy-read-timeout", i64::MAX.to_string()),
    ]);
    let json = output::to_json(&t.objects).expect("serialisable");
    assert!(json.contains("\"request\": \"99999h\""), "{json}");
    assert!(
        t.notifications
            .iter()
            .any(|n| n.message.contains("capped at 99999h")),
        "the cap is named"
    );
}

/// Found in the panic audit: `limit-rps` past u32 wrapped to 0 ("unset"), so
/// the rate-limited route was emitted open. It must stay fail-closed.
#[test]
fn huge_rate_limit_stays_fail_closed() {
    let t = translate_one(&[("limit-rps", "4294967296".into())]);
    assert!(
        t.notifications
            .iter()
            .any(|n| n.code.0 == "access-fail-closed"),
        "{:#?}",
        t.notifications
    );
    let json = output::to_json(&t.objects).expect("serialisable");
    assert!(
        !json.contains("\"svc\""),
        "no rule forwards to the backend: {json}"
    );
}
