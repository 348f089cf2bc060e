//! Property test (seeded, so CI runs the same cases every time): whatever the set
//! of hosts — wildcards, labels past 63 characters, hosts ending like a derived
//! name (`-http`, `-grpc`, `-2`), `catch-all`, upper case and IDN (rejected with an
//! error), several namespaces and ingress classes, routes split past 16 rules —
//! no two emitted objects share an identity (kind, namespace, name), every name
//! is a valid DNS-1123 subdomain, listener names are unique per Gateway, and the
//! output is byte-identical whatever the input order.

use ing2gw::gwapi::GatewayObject;
use ing2gw::input::SourceFile;
use ing2gw::options::TranslateOptions;
use ing2gw::{output, pipeline};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};
use std::collections::BTreeSet;
use std::sync::Arc;

#[derive(Debug, Clone)]
struct HostCase {
    host: String,
    namespace: &'static str,
    class: &'static str,
    tls: bool,
    grpc: bool,
    many_paths: bool,
}

fn label() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-z][a-z0-9]{0,5}",
        1 => "[a-z][a-z0-9-]{60,68}[a-z]",
        1 => "xn--[a-z]{3,6}",
        1 => "[A-Z][a-z]{1,4}",
        1 => Just("bücher".to_string()),
        1 => Just("wildcard".to_string()),
    ]
}

fn host() -> impl Strategy<Value = String> {
    (
        any::<bool>(),
        proptest::collection::vec(label(), 1..4),
        prop_oneof![
            Just(""),
            Just("-http"),
            Just("-grpc"),
            Just("-2"),
            Just("-02"),
            Just("-a1b2c3d4"),
        ],
        0..20u8,
    )
        .prop_map(|(wildcard, labels, suffix, special)| match special {
            0 => "catch-all".to_string(),
            1 => "catch-all-grpc".to_string(),
            _ => {
                let name = format!("{}{suffix}", labels.join("."));
                if wildcard { format!("*.{name}") } else { name }
            }
        })
}

fn host_case() -> impl Strategy<Value = HostCase> {
    (
        host(),
        prop_oneof![Just("a"), Just("b")],
        prop_oneof![3 => Just("nginx"), 1 => Just("nginx-internal")],
        any::<bool>(),
        prop::bool::weighted(0.2),
        prop::bool::weighted(0.1),
    )
        .prop_map(|(host, namespace, class, tls, grpc, many_paths)| HostCase {
            host,
            namespace,
            class,
            tls,
            grpc,
            many_paths,
        })
}

const CLASSES: &str = "apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {name: nginx}\nspec: {controller: k8s.io/ingress-nginx}\n---\napiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {name: nginx-internal}\nspec: {controller: k8s.io/ingress-nginx}\n";

fn ingress(i: usize, c: &HostCase) -> String {
    let annotations = if c.grpc {
        "  annotations: {nginx.ingress.kubernetes.io/backend-protocol: GRPC}\n"
    } else {
        ""
    };
    let tls = if c.tls {
        format!(
            "  tls:\n  - hosts: [\"{}\"]\n    secretName: cert-{i}\n",
            c.host
        )
    } else {
        String::new()
    };
    let count = if c.many_paths { 17 } else { 1 };
    let paths: String = (0..count)
        .map(|p| format!("      - {{path: /p{p}, pathType: Prefix, backend: {{service: {{name: svc-{i}, port: {{number: 80}}}}}}}}\n"))
        .collect();
    format!(
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: ing-{i}\n  namespace: {}\n  creationTimestamp: \"2025-01-01T00:00:{:02}Z\"\n{annotations}spec:\n  ingressClassName: {}\n{tls}  rules:\n  - host: \"{}\"\n    http:\n      paths:\n{paths}",
        c.namespace,
        i % 60,
        c.class,
        c.host
    )
}

/// Translates the documents in the given order.
fn translate(docs: &[String]) -> (Vec<GatewayObject>, String, Vec<&'static str>) {
    let file = SourceFile {
        name: "hosts.yaml".into(),
        text: Arc::from(format!("{CLASSES}---\n{}", docs.join("---\n"))),
    };
    let loaded = pipeline::load(&[file]);
    let t = pipeline::translate(&loaded.input, &TranslateOptions::default(), loaded.report);
    let yaml = output::to_yaml(&t.objects).expect("serialisable");
    let codes = t.notifications.iter().map(|n| n.code.0).collect();
    (t.objects, yaml, codes)
}

fn valid_subdomain(s: &str) -> bool {
    s.len() <= 253
        && s.split('.').all(|l| {
            !l.is_empty()
                && l.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        })
}

fn check(cases: &[HostCase]) -> Result<(), TestCaseError> {
    let docs: Vec<String> = cases
        .iter()
        .enumerate()
        .map(|(i, c)| ingress(i, c))
        .collect();
    let (objects, yaml, codes) = translate(&docs);
    let mut seen = BTreeSet::new();
    for o in &objects {
        let id = o.identity();
        prop_assert!(valid_subdomain(&id.2), "invalid name {id:?}");
        prop_assert!(seen.insert(id.clone()), "duplicate identity {id:?}\n{yaml}");
        if let GatewayObject::Gateway(g) = o {
            let mut listeners = BTreeSet::new();
            for l in &g.spec.listeners {
                prop_assert!(valid_subdomain(&l.name), "invalid listener {}", l.name);
                prop_assert!(listeners.insert(&l.name), "duplicate listener {}", l.name);
            }
        }
    }
    prop_assert!(
        !codes.contains(&"duplicate-object-identity"),
        "names collided:\n{yaml}"
    );
    // Any input order gives the same bytes.
    let mut reversed = docs.clone();
    reversed.reverse();
    prop_assert_eq!(&translate(&reversed).1, &yaml);
    let mut rotated = docs;
    rotated.rotate_left(1);
    prop_assert_eq!(&translate(&rotated).1, &yaml);
    Ok(())
}

proptest! {
    #![proptest_config(Config {
        cases: 96,
        rng_seed: RngSeed::Fixed(0x1d2e_5eed),
        failure_persistence: None,
        ..Config::default()
    })]

    #[test]
    fn emitted_identities_are_unique_and_order_independent(
        cases in proptest::collection::vec(host_case(), 1..10),
    ) {
        check(&cases)?;
    }
}

/// The collisions found by hand, kept as fixed cases.
#[test]
fn known_collisions_stay_apart() {
    let case = |host: &str, namespace, class, tls| HostCase {
        host: host.into(),
        namespace,
        class,
        tls,
        grpc: false,
        many_paths: false,
    };
    let cases = [
        case("*.example.com", "a", "nginx", true),
        case("wildcard.example.com", "a", "nginx", true),
        case("b.example.com", "a", "nginx", true),
        case("b.example.com-http", "a", "nginx", false),
        case("catch-all", "a", "nginx", false),
        case("c.example.com", "a", "nginx", false),
        case("c.example.com", "a", "nginx-internal", false),
    ];
    let result = check(&cases);
    assert!(result.is_ok(), "{result:?}");
}
