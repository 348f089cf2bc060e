use super::*;
use crate::verify::request::{Scheme, ServiceTarget};
use serde_json::json;

fn backend() -> Outcome {
    Outcome::Backend {
        service: ServiceTarget {
            namespace: "web".into(),
            name: "app".into(),
            port: "80".into(),
        },
        uri: "/".into(),
        headers: Default::default(),
    }
}

fn object(kind: &str, name: &str, spec: Value) -> GatewayObject {
    GatewayObject::Other(json!({
        "apiVersion": "gateway.envoyproxy.io/v1alpha1",
        "kind": kind,
        "metadata": {"name": name, "namespace": "web"},
        "spec": spec,
    }))
}

fn route_ref(section: Option<&str>) -> Value {
    let mut r = json!({"group": "gateway.networking.k8s.io", "kind": "HTTPRoute", "name": "app"});
    if let Some(s) = section {
        r["sectionName"] = json!(s);
    }
    r
}

const PLACE: Place<'static> = Place {
    gateway: ("gateway-system", "eg"),
    listener: "http",
    route: ("web", "app"),
    rule: Some("main"),
};

fn probe() -> Probe {
    Probe::get(Scheme::Http, "a.example.com", "/")
}

#[test]
fn authorization_denies_outside_the_cidrs_and_defaults_to_deny() {
    let allow = |cidr: &str, default: Option<&str>| {
        let mut a = json!({"rules": [{"action": "Allow", "principal": {"clientCIDRs": [cidr]}}]});
        if let Some(d) = default {
            a["defaultAction"] = json!(d);
        }
        EnvoyGatewayPolicies::collect(&[object(
            "SecurityPolicy",
            "p",
            json!({"targetRefs": [route_ref(None)], "authorization": a}),
        )])
        .apply(&PLACE, &probe(), backend())
    };
    assert_eq!(allow("10.0.0.0/8", None), Outcome::Status { status: 403 });
    assert_eq!(allow("127.0.0.0/8", None), backend());
    assert_eq!(allow("10.0.0.0/8", Some("Allow")), backend());
}

#[test]
fn basic_auth_answers_401_after_external_auth() {
    let eg = EnvoyGatewayPolicies::collect(&[object(
        "SecurityPolicy",
        "p",
        json!({
            "targetRefs": [route_ref(None)],
            "basicAuth": {"users": {"name": "htpasswd"}},
            "extAuth": {"http": {"backendRefs": [{"name": "authz", "port": 8080}]}},
        }),
    )]);
    assert_eq!(
        eg.apply(&PLACE, &probe(), backend()),
        Outcome::ExternalAuth {
            service: "web/authz:8080".into(),
            signin: None,
            then: Box::new(Outcome::Status { status: 401 }),
        }
    );
}

/// The rule's policy replaces the route's (no merging); two on one level are
/// not modelled.
#[test]
fn the_most_specific_policy_applies() {
    let deny_all = json!({"defaultAction": "Deny"});
    let allow_all = json!({"defaultAction": "Allow"});
    let eg = EnvoyGatewayPolicies::collect(&[
        object(
            "SecurityPolicy",
            "route",
            json!({"targetRefs": [route_ref(None)], "authorization": deny_all}),
        ),
        object(
            "SecurityPolicy",
            "rule",
            json!({"targetRefs": [route_ref(Some("main"))], "authorization": allow_all}),
        ),
    ]);
    assert_eq!(eg.apply(&PLACE, &probe(), backend()), backend());
    let other_rule = Place {
        rule: Some("other"),
        ..PLACE
    };
    assert_eq!(
        eg.apply(&other_rule, &probe(), backend()),
        Outcome::Status { status: 403 }
    );
    let twice = EnvoyGatewayPolicies::collect(&[
        object(
            "SecurityPolicy",
            "a",
            json!({"targetRefs": [route_ref(None)], "authorization": allow_all}),
        ),
        object(
            "SecurityPolicy",
            "b",
            json!({"targetRefs": [route_ref(None)], "authorization": allow_all}),
        ),
    ]);
    assert!(matches!(
        twice.apply(&PLACE, &probe(), backend()),
        Outcome::NotModelled { .. }
    ));
}

#[test]
fn unmodelled_parts_are_counted_not_guessed() {
    let eg = EnvoyGatewayPolicies::collect(&[object(
        "SecurityPolicy",
        "p",
        json!({"targetRefs": [route_ref(None)], "jwt": {"providers": []}}),
    )]);
    let Outcome::NotModelled { reason } = eg.apply(&PLACE, &probe(), backend()) else {
        panic!("jwt is not modelled")
    };
    assert!(reason.contains("jwt"), "{reason}");
}

#[test]
fn response_override_replaces_the_gateways_own_status() {
    let eg = EnvoyGatewayPolicies::collect(&[object(
        "BackendTrafficPolicy",
        "p",
        json!({
            "targetRefs": [route_ref(None)],
            "requestBuffer": {"limit": "1Mi"},
            "responseOverride": [{
                "match": {"statusCodes": [{"type": "Range", "range": {"start": 500, "end": 503}}]},
                "response": {"statusCode": 503, "body": {"type": "Inline", "inline": "down"}},
            }],
        }),
    )]);
    assert_eq!(
        eg.apply(&PLACE, &probe(), Outcome::Status { status: 500 }),
        Outcome::Status { status: 503 }
    );
    assert_eq!(eg.apply(&PLACE, &probe(), backend()), backend());
    assert_eq!(
        eg.apply(&PLACE, &probe(), Outcome::Status { status: 404 }),
        Outcome::Status { status: 404 }
    );
    // A Gateway is targeted from its own namespace only (local references).
    let elsewhere = EnvoyGatewayPolicies::collect(&[object(
        "BackendTrafficPolicy",
        "p",
        json!({
            "targetRefs": [{"group": "gateway.networking.k8s.io", "kind": "Gateway", "name": "eg"}],
            "responseOverride": [{"match": {"statusCodes": [{"type": "Value", "value": 500}]}, "response": {"statusCode": 503}}],
        }),
    )]);
    assert_eq!(
        elsewhere.apply(&PLACE, &probe(), Outcome::Status { status: 500 }),
        Outcome::Status { status: 500 }
    );
}

#[test]
fn regex_rewrites_replace_every_match_with_re2_captures() {
    let f = RouteFilter::read(&json!({"urlRewrite": {"path": {
        "type": "ReplaceRegexMatch",
        "replaceRegexMatch": {"pattern": "^/api/([a-z]+)/(.*)", "substitution": "/\\2/\\1"},
    }}}));
    let RouteFilter::RegexPath {
        pattern,
        substitution,
    } = f
    else {
        panic!("a regex rewrite")
    };
    assert_eq!(
        RouteFilter::rewrite(&pattern, &substitution, "/api/users/7"),
        "/7/users"
    );
    let all = regex::Regex::new("o").expect("regex");
    assert_eq!(RouteFilter::rewrite(&all, "0$", "/foo"), "/f0$0$");
}

/// extAuth to another namespace needs a ReferenceGrant from SecurityPolicy:
/// without one Envoy Gateway refuses the policy and the route answers 500.
#[test]
fn a_security_policy_without_its_reference_grant_fails_closed() {
    let policy = object(
        "SecurityPolicy",
        "p",
        json!({
            "targetRefs": [route_ref(None)],
            "extAuth": {"http": {"backendRefs": [{"name": "authz", "namespace": "auth", "port": 8080}]}},
        }),
    );
    let eg = EnvoyGatewayPolicies::collect(std::slice::from_ref(&policy));
    assert_eq!(
        eg.apply(&PLACE, &probe(), backend()),
        Outcome::Status { status: 500 }
    );
    let grant: crate::gwapi::ReferenceGrant = serde_json::from_value(json!({
        "apiVersion": "gateway.networking.k8s.io/v1beta1",
        "kind": "ReferenceGrant",
        "metadata": {"name": "g", "namespace": "auth"},
        "spec": {
            "from": [{"group": "gateway.envoyproxy.io", "kind": "SecurityPolicy", "namespace": "web"}],
            "to": [{"group": "", "kind": "Service", "name": "authz"}],
        },
    }))
    .expect("grant");
    let eg = EnvoyGatewayPolicies::collect(&[policy, GatewayObject::ReferenceGrant(grant)]);
    assert!(matches!(
        eg.apply(&PLACE, &probe(), backend()),
        Outcome::ExternalAuth { .. }
    ));
}

#[test]
fn request_buffer_answers_413_above_its_limit() {
    let policies = |spec: Value| {
        let mut spec = spec;
        spec["targetRefs"] = json!([route_ref(Some("main"))]);
        EnvoyGatewayPolicies::collect(&[object("BackendTrafficPolicy", "b", spec)])
    };
    let buffered = policies(json!({"requestBuffer": {"limit": "2Ki"}}));
    let with = |p: &EnvoyGatewayPolicies, len: Option<u64>| {
        let mut probe = probe();
        probe.body = len;
        p.apply(&PLACE, &probe, backend())
    };
    assert_eq!(with(&buffered, None), backend());
    assert_eq!(with(&buffered, Some(2048)), backend());
    assert_eq!(with(&buffered, Some(2049)), Outcome::Status { status: 413 });
    // Decimal suffixes and plain numbers are quantities too.
    let decimal = policies(json!({"requestBuffer": {"limit": "1k"}}));
    assert_eq!(with(&decimal, Some(1001)), Outcome::Status { status: 413 });
    let number = policies(json!({"requestBuffer": {"limit": 10}}));
    assert_eq!(with(&number, Some(10)), backend());
    // A quantity the model does not read, and a connection buffer, are not
    // guessed for requests with a body.
    let odd = policies(json!({"requestBuffer": {"limit": "1.5Mi"}}));
    assert!(matches!(with(&odd, Some(1)), Outcome::NotModelled { .. }));
    assert_eq!(with(&odd, None), backend());
    let conn = policies(json!({"connection": {"bufferLimit": "1Mi"}}));
    assert!(matches!(with(&conn, Some(1)), Outcome::NotModelled { .. }));
    // responseOverride sees the 413 like any answer of the Gateway.
    let overridden = policies(json!({
        "requestBuffer": {"limit": "1Ki"},
        "responseOverride": [{"match": {"statusCodes": [{"type": "Value", "value": 413}]},
                              "response": {"statusCode": 400}}],
    }));
    assert_eq!(
        with(&overridden, Some(1025)),
        Outcome::Status { status: 400 }
    );
    // With a SecurityPolicy on the rule, which answers first is not modelled.
    let both = EnvoyGatewayPolicies::collect(&[
        object(
            "BackendTrafficPolicy",
            "b",
            json!({"targetRefs": [route_ref(None)], "requestBuffer": {"limit": "1Ki"}}),
        ),
        object(
            "SecurityPolicy",
            "s",
            json!({"targetRefs": [route_ref(None)], "basicAuth": {"users": {"name": "u"}}}),
        ),
    ]);
    assert!(
        matches!(with(&both, Some(1025)), Outcome::NotModelled { reason } if reason.contains("requestBuffer limit"))
    );
    assert_eq!(with(&both, None), Outcome::Status { status: 401 });
}
