//! Every catalog annotation appears in at least one `testdata/` case, and routes
//! whose access control is not expressible are never emitted open by default.

use ing2gw::catalog::ANNOTATIONS;
use ing2gw::input::read_sources;
use ing2gw::options::TranslateOptions;
use ing2gw::{output, pipeline};

#[path = "support/cases.rs"]
mod cases;

use cases::root;

const PREFIX: &str = "nginx.ingress.kubernetes.io/";

#[test]
fn every_catalog_annotation_has_a_testdata_case() {
    let files = cases::testdata_inputs(&["input.yaml"]);
    let text: String = files
        .iter()
        .map(|f| std::fs::read_to_string(f).expect("readable"))
        .collect();
    let missing: Vec<&str> = ANNOTATIONS
        .iter()
        .map(|a| a.name)
        .filter(|name| !text.contains(&format!("{PREFIX}{name}:")))
        .collect();
    assert!(
        missing.is_empty(),
        "{} catalog annotation(s) appear in no testdata/**/input.yaml: {}",
        missing.len(),
        missing.join(", ")
    );
}

/// Translates one testdata case with `options`; returns the HTTPRoute rules (JSON).
fn route_rules(case: &str, options: &TranslateOptions) -> Vec<serde_json::Value> {
    let path = root().join("testdata").join(case).join("input.yaml");
    let files = read_sources(&[path.display().to_string()]).expect("readable");
    let loaded = pipeline::load(&files);
    let t = pipeline::translate(&loaded.input, options, loaded.report);
    let json: serde_json::Value =
        serde_json::from_str(&output::to_json(&t.objects).expect("serialisable")).expect("json");
    json["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|o| o["kind"] == "HTTPRoute")
        .flat_map(|o| o["spec"]["rules"].as_array().cloned().unwrap_or_default())
        .collect()
}

/// A rule is open when it forwards to a backend and nothing (an ExtensionRef policy
/// filter, a redirect) stands in front of it.
fn is_open(rule: &serde_json::Value) -> bool {
    let forwards = rule["backendRefs"]
        .as_array()
        .is_some_and(|b| b.iter().any(|r| r["weight"].as_u64() != Some(0)));
    let guarded = rule["filters"].as_array().is_some_and(|fs| {
        fs.iter()
            .any(|f| f["type"] == "ExtensionRef" || f["type"] == "RequestRedirect")
    });
    forwards && !guarded
}

const ACCESS_CASES: &[&str] = &[
    "annotations/access-control/all-keys",
    "annotations/basic-auth/all-keys",
    "annotations/external-auth/all-keys",
    "annotations/controller/denied-locations",
    "annotations/access-control/no-tls-redirect-exempt",
];

#[test]
fn untranslatable_access_control_is_never_open_by_default() {
    for case in ACCESS_CASES {
        let rules = route_rules(case, &TranslateOptions::default());
        assert!(!rules.is_empty(), "{case}: no rules emitted at all");
        for rule in &rules {
            assert!(!is_open(rule), "{case}: open rule {rule}");
        }
    }
}

#[test]
fn allow_insecure_translation_opens_routes_the_controller_serves() {
    let options = TranslateOptions {
        allow_insecure_translation: true,
        ..TranslateOptions::default()
    };
    let rules = route_rules("annotations/access-control/all-keys", &options);
    assert!(rules.iter().any(is_open), "expected open rules: {rules:?}");
    // Denied today (503): stays closed even with the flag.
    let denied = route_rules("annotations/controller/denied-locations", &options);
    assert!(
        !denied.iter().any(is_open),
        "denied Ingress opened: {denied:?}"
    );
}

/// ingress-nginx applies all location annotations of the Ingress that owns a host's
/// implicit `/` to that location (reference §2.3): the implicit-root redirect rule
/// gets the same filters as the Ingress's own path rules.
#[test]
fn implicit_root_rule_carries_the_owner_filters() {
    let options = TranslateOptions {
        nginx_configmap: Some(("ingress-nginx".into(), "ingress-nginx-controller".into())),
        ..TranslateOptions::default()
    };
    let rules = route_rules("annotations/redirect/implicit-root-filters", &options);
    let by_name = |n: &str| {
        rules
            .iter()
            .find(|r| r["name"] == n)
            .unwrap_or_else(|| panic!("no rule {n}: {rules:?}"))
    };
    let path_rule = by_name("old-site-r0-p0");
    let root_rule = by_name("old-site-implicit-root-redirect");
    let types = |r: &serde_json::Value| -> Vec<String> {
        r["filters"]
            .as_array()
            .expect("filters")
            .iter()
            .map(|f| f["type"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    assert_eq!(
        types(path_rule),
        ["CORS", "ResponseHeaderModifier", "RequestRedirect"]
    );
    assert_eq!(path_rule["filters"], root_rule["filters"]);
}
