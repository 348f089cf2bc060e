//! Gateway API version profiles: one rich case (`testdata/profiles/rich`:
//! TLS passthrough, CORS, client certificates, a ReferenceGrant) translated for
//! every `--gateway-api-version` × `--channel`, snapshotted; and the ListenerSet
//! overflow case (`testdata/core/many-https-hosts`) checked per profile.

#[path = "support/cases.rs"]
mod cases;

use cases::{print_options, root};
use ing2gw::gwapi::GatewayObject;
use ing2gw::input::read_sources;
use ing2gw::report::{Severity, render};
use ing2gw::{output, pipeline};

const PROFILES: [(&str, &str); 6] = [
    ("1.4", "standard"),
    ("1.4", "experimental"),
    ("1.5", "standard"),
    ("1.5", "experimental"),
    ("1.6", "standard"),
    ("1.6", "experimental"),
];

fn translate(case: &str, args: &[&str]) -> pipeline::Translation {
    // Read by absolute path, named relative to the repository so the snapshots
    // do not depend on where the checkout is.
    let path = root().join(case).join("input.yaml");
    let mut files = read_sources(&[path.display().to_string()]).expect("readable");
    for f in &mut files {
        f.name = format!("{case}/input.yaml");
    }
    let loaded = pipeline::load(&files);
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    pipeline::translate(&loaded.input, &print_options(&args), loaded.report)
}

fn profile_args<'a>(version: &'a str, channel: &'a str) -> [&'a str; 4] {
    ["--gateway-api-version", version, "--channel", channel]
}

#[test]
fn rich_case_per_version_and_channel() {
    for (version, channel) in PROFILES {
        let t = translate("testdata/profiles/rich", &profile_args(version, channel));
        let text = format!(
            "{}# notifications\n{}",
            output::to_yaml(&t.objects).expect("serialisable"),
            render::render_plain(&t.notifications)
        );
        insta::with_settings!({
            snapshot_path => "../snapshots",
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(format!("profiles__rich__{version}-{channel}"), text);
        });
    }
}

fn api_versions(t: &pipeline::Translation, kind: &str) -> Vec<String> {
    let v = serde_json::to_value(&t.objects).expect("json");
    v.as_array()
        .expect("array")
        .iter()
        .filter(|o| o["kind"] == kind)
        .map(|o| o["apiVersion"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn rich_case_kinds_follow_the_profile() {
    let t = translate("testdata/profiles/rich", &profile_args("1.4", "standard"));
    assert_eq!(
        api_versions(&t, "ReferenceGrant"),
        ["gateway.networking.k8s.io/v1beta1"]
    );
    assert!(api_versions(&t, "TLSRoute").is_empty());
    assert!(t.notifications.iter().any(|n| n.severity == Severity::Error
        && n.code.0 == "not-in-gateway-api-version"
        && n.message.contains("vault.example.com")));
    let json = serde_json::to_string(&t.objects).expect("json");
    assert!(!json.contains("\"cors\""), "no CORS filter on 1.4 standard");
    assert!(
        !json.contains("\"frontend\""),
        "no tls.frontend on 1.4 standard"
    );
    // The client-certificate host fails closed instead of opening.
    assert!(
        t.notifications
            .iter()
            .any(|n| n.code.0 == "access-fail-closed" && n.message.contains("client"))
    );

    let t = translate(
        "testdata/profiles/rich",
        &profile_args("1.4", "experimental"),
    );
    assert_eq!(
        api_versions(&t, "ReferenceGrant"),
        ["gateway.networking.k8s.io/v1beta1"]
    );
    assert_eq!(
        api_versions(&t, "TLSRoute"),
        ["gateway.networking.k8s.io/v1alpha2"]
    );
    let json = serde_json::to_string(&t.objects).expect("json");
    assert!(json.contains("\"cors\"") && json.contains("\"frontend\""));

    for v in ["1.5", "1.6"] {
        let t = translate("testdata/profiles/rich", &profile_args(v, "standard"));
        assert_eq!(
            api_versions(&t, "ReferenceGrant"),
            ["gateway.networking.k8s.io/v1"]
        );
        assert_eq!(
            api_versions(&t, "TLSRoute"),
            ["gateway.networking.k8s.io/v1"]
        );
        assert!(
            !t.notifications
                .iter()
                .any(|n| n.code.0 == "not-in-gateway-api-version")
        );
    }
}

fn parent_kinds(t: &pipeline::Translation) -> Vec<(Option<String>, Option<String>)> {
    let mut out = Vec::new();
    for o in &t.objects {
        if let GatewayObject::HttpRoute(r) = o {
            for p in &r.spec.parent_refs {
                if p.kind.is_some() {
                    out.push((p.group.clone(), p.kind.clone()));
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

#[test]
fn listener_sets_per_profile() {
    let case = "testdata/core/many-https-hosts";
    let t = translate(case, &profile_args("1.5", "standard"));
    assert!(!api_versions(&t, "ListenerSet").is_empty());
    assert_eq!(
        parent_kinds(&t),
        [(
            Some("gateway.networking.k8s.io".into()),
            Some("ListenerSet".into())
        )]
    );

    let t = translate(case, &profile_args("1.4", "experimental"));
    assert!(api_versions(&t, "ListenerSet").is_empty());
    let x = api_versions(&t, "XListenerSet");
    assert!(!x.is_empty());
    assert!(
        x.iter()
            .all(|v| v == "gateway.networking.x-k8s.io/v1alpha1")
    );
    assert_eq!(
        parent_kinds(&t),
        [(
            Some("gateway.networking.x-k8s.io".into()),
            Some("XListenerSet".into())
        )]
    );

    let t = translate(case, &profile_args("1.4", "standard"));
    assert!(api_versions(&t, "ListenerSet").is_empty());
    assert!(api_versions(&t, "XListenerSet").is_empty());
    assert!(
        parent_kinds(&t).is_empty(),
        "no parentRef to a ListenerSet that is not emitted"
    );
    let json = serde_json::to_string(&t.objects).expect("json");
    assert!(!json.contains("allowedListeners"));
    assert!(t.notifications.iter().any(|n| n.severity == Severity::Error
        && n.code.0 == "not-in-gateway-api-version"
        && n.message.contains("ListenerSet")));
}

#[test]
fn implementation_version_sets_the_default_profile() {
    // Envoy Gateway 1.6 is built on Gateway API 1.4: ReferenceGrant v1beta1, no TLSRoute.
    let t = translate(
        "testdata/profiles/rich",
        &["--implementation", "envoy-gateway@1.6"],
    );
    // The certificate grant, and Envoy Gateway's grant of the client CA to its
    // listener ClientTrafficPolicy: every one at v1beta1.
    let grants = api_versions(&t, "ReferenceGrant");
    assert!(!grants.is_empty());
    assert!(
        grants
            .iter()
            .all(|v| v == "gateway.networking.k8s.io/v1beta1"),
        "{grants:?}"
    );
    assert!(api_versions(&t, "TLSRoute").is_empty());
    // standard's versions are Gateway API releases.
    let t = translate(
        "testdata/profiles/rich",
        &["--implementation", "standard@1.4"],
    );
    assert_eq!(
        api_versions(&t, "ReferenceGrant"),
        ["gateway.networking.k8s.io/v1beta1"]
    );
    // An unknown version: the nearest known one, with a warning.
    let t = translate(
        "testdata/profiles/rich",
        &["--implementation", "envoy-gateway@2.0"],
    );
    assert!(t.notifications.iter().any(
        |n| n.code.0 == "target-profile" && n.message.contains("is not a version ing2gw knows")
    ));
    // Envoy Gateway 1.9: Gateway API 1.6.
    let t = translate(
        "testdata/profiles/rich",
        &["--implementation", "envoy-gateway@1.9"],
    );
    assert_eq!(
        api_versions(&t, "TLSRoute"),
        ["gateway.networking.k8s.io/v1"]
    );
    assert!(!t.notifications.iter().any(|n| n.code.0 == "target-profile"));
    // An explicit version above what it is built on: a warning.
    let t = translate(
        "testdata/profiles/rich",
        &[
            "--implementation",
            "envoy-gateway@1.6",
            "--gateway-api-version",
            "1.5",
        ],
    );
    assert_eq!(
        api_versions(&t, "TLSRoute"),
        ["gateway.networking.k8s.io/v1"]
    );
    assert!(
        t.notifications
            .iter()
            .any(|n| n.severity == Severity::Warning
                && n.code.0 == "target-profile"
                && n.message.contains("newer than the Gateway API 1.4"))
    );
    // Implementation class defaults; --gateway-class still wins.
    let class = |t: &pipeline::Translation| {
        t.objects
            .iter()
            .find_map(|o| match o {
                GatewayObject::Gateway(g) => Some(g.spec.gateway_class_name.clone()),
                _ => None,
            })
            .expect("a Gateway")
    };
    assert_eq!(
        class(&translate(
            "testdata/profiles/rich",
            &["--implementation", "envoy-gateway"]
        )),
        "eg"
    );
    assert_eq!(
        class(&translate(
            "testdata/profiles/rich",
            &["--implementation", "istio"]
        )),
        "istio"
    );
    assert_eq!(class(&translate("testdata/profiles/rich", &[])), "ing2gw");
    assert_eq!(
        class(&translate(
            "testdata/profiles/rich",
            &["--implementation", "istio", "--gateway-class", "mine"]
        )),
        "mine"
    );
}

#[test]
fn notifications_name_a_concrete_target() {
    let case = "testdata/annotations/access-control/allowlist";
    let generic = translate(case, &[]);
    let istio = translate(case, &["--implementation", "istio"]);
    let fail_closed = |t: &pipeline::Translation| {
        t.notifications
            .iter()
            .find(|n| n.code.0 == "access-fail-closed")
            .and_then(|n| n.suggestion.clone())
            .expect("a fail-closed notification")
    };
    let g = fail_closed(&generic);
    assert!(g.contains("your implementation") && !g.contains("Istio cannot"));
    let i = fail_closed(&istio);
    assert!(
        i.starts_with("Istio cannot express `nginx.ingress.kubernetes.io/"),
        "{i}"
    );
    assert!(!i.contains("your implementation"), "{i}");
}
