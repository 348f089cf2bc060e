//! Tests of the Envoy Gateway emitter on IR built by the pipeline from a small
//! Ingress and then completed by hand (the traffic-policy facts), so every
//! family is exercised whatever the passes fill today.

use super::*;
use crate::input::SourceFile;
use crate::ir::*;
use crate::options::TranslateOptions;
use crate::target::{Implementation, Target};
use serde_json::Value;
use std::sync::Arc;

const INGRESS: &str = r#"
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: app
  namespace: default
spec:
  ingressClassName: nginx
  tls:
  - hosts: [app.example.com]
    secretName: app-tls
  rules:
  - host: app.example.com
    http:
      paths:
      - path: /api
        pathType: Prefix
        backend:
          service:
            name: api
            port:
              number: 80
"#;

fn eg_options() -> TranslateOptions {
    TranslateOptions {
        target: Target::new(Implementation::EnvoyGateway),
        ..Default::default()
    }
}

/// The IR of [`INGRESS`] (one host, one rule).
fn base_ir() -> Ir {
    let files = [SourceFile {
        name: "test.yaml".into(),
        text: Arc::from(INGRESS),
    }];
    let loaded = crate::pipeline::load(&files);
    crate::pipeline::translate(&loaded.input, &eg_options(), loaded.report).ir
}

fn from(annotation: &str) -> Provenance {
    Provenance::from(ProvenanceData {
        object: Some(crate::report::ObjectRef::new(
            "Ingress",
            Some("default"),
            "app",
        )),
        annotation: Some(format!("nginx.ingress.kubernetes.io/{annotation}")),
        ..Default::default()
    })
}

fn the_rule(ir: &mut Ir) -> &mut Rule {
    let host = ir.hosts.values_mut().next().expect("one host");
    host.rules.first_mut().expect("one rule")
}

fn emit(ir: &Ir) -> (Vec<Value>, Vec<crate::report::Notification>) {
    let mut report = Report::default();
    let objects = EnvoyGatewayEmitter.emit(ir, &eg_options(), &mut report);
    let values = objects
        .iter()
        .map(|o| serde_json::to_value(o).expect("serialisable"))
        .collect();
    (values, report.finish())
}

fn of_kind<'a>(objects: &'a [Value], kind: &str) -> Vec<&'a Value> {
    objects.iter().filter(|o| o["kind"] == kind).collect()
}

/// Rules of the HTTPS-side route (the one carrying the backends).
fn route_rules(objects: &[Value]) -> Vec<&Value> {
    of_kind(objects, "HTTPRoute")
        .into_iter()
        .flat_map(|r| r["spec"]["rules"].as_array().into_iter().flatten())
        .collect()
}

/// One requirement of each kind. The match in [`expected_field`] has no
/// wildcard: a new variant does not compile until this test decides about it.
fn every_requirement() -> Vec<AccessRequirement> {
    let secret = SecretRef {
        namespace: "default".into(),
        name: "users".into(),
    };
    vec![
        AccessRequirement::SourceAllowList {
            cidrs: vec!["10.0.0.0/8".into()],
            satisfy_any: false,
        },
        AccessRequirement::SourceAllowList {
            cidrs: vec!["10.0.0.0/8".into()],
            satisfy_any: true,
        },
        AccessRequirement::SourceDenyList {
            cidrs: vec!["192.0.2.0/24".into()],
            satisfy_any: false,
        },
        AccessRequirement::PasswordAuth {
            digest: false,
            secret: secret.clone(),
            realm: "r".into(),
        },
        AccessRequirement::PasswordAuth {
            digest: true,
            secret: secret.clone(),
            realm: String::new(),
        },
        AccessRequirement::ExternalAuthUrl {
            url: "https://auth.example.com/check".into(),
            reason: "external host".into(),
        },
        AccessRequirement::ExternalAuthUrl {
            url: "http://auth.example.com/check?rd=$request_uri".into(),
            reason: "nginx variables".into(),
        },
        AccessRequirement::RateLimit {
            rps: 5,
            rpm: 0,
            connections: 0,
            burst_multiplier: 5,
            exempt: Vec::new(),
        },
        AccessRequirement::RateLimit {
            rps: 0,
            rpm: 100,
            connections: 0,
            burst_multiplier: 5,
            exempt: vec!["10.0.0.0/8".into()],
        },
        AccessRequirement::RateLimit {
            rps: 5,
            rpm: 0,
            connections: 2,
            burst_multiplier: 5,
            exempt: Vec::new(),
        },
        AccessRequirement::ClientCertificate {
            ca_secret: secret.clone(),
            reason: "per port".into(),
        },
        AccessRequirement::ClientCertificate {
            ca_secret: SecretRef {
                namespace: "pki".into(),
                name: "ca".into(),
            },
            reason: "third namespace".into(),
        },
        AccessRequirement::ClientCertificateCn {
            pattern: "CN=x".into(),
        },
        AccessRequirement::SnippetDirective {
            directive: "deny all".into(),
        },
        AccessRequirement::SnippetUnparsable {
            snippet: "x".into(),
            error: "e".into(),
        },
        AccessRequirement::DeniedToday {
            status: 503,
            reason: "r".into(),
        },
        AccessRequirement::UnexpressiblePath {
            path: "/(?=x)".into(),
            cover: "/".into(),
        },
        AccessRequirement::IgnoredToday { reason: "r".into() },
        AccessRequirement::ModSecurity {
            rules: WafRules::OwaspCrs,
        },
        AccessRequirement::Blocklist {
            list: Blocklist::ClientAddress,
            entries: vec!["192.0.2.1".into()],
        },
        AccessRequirement::GlobalRateLimit {
            limit: Some(10),
            window: "1m".into(),
            key: "$remote_addr".into(),
        },
    ]
}

/// The policy kind and JSON pointer that must carry the requirement when this
/// target enforces it.
fn expected_field(req: &AccessRequirement) -> (&'static str, &'static str) {
    match req {
        AccessRequirement::SourceAllowList { .. } | AccessRequirement::SourceDenyList { .. } => (
            "SecurityPolicy",
            "/spec/authorization/rules/0/principal/clientCIDRs",
        ),
        AccessRequirement::PasswordAuth { .. } => ("SecurityPolicy", "/spec/basicAuth/users/name"),
        AccessRequirement::RateLimit { .. } => (
            "BackendTrafficPolicy",
            "/spec/rateLimit/local/rules/0/limit",
        ),
        AccessRequirement::ExternalAuthUrl { .. } => {
            ("SecurityPolicy", "/spec/extAuth/http/backendRefs/0/name")
        }
        AccessRequirement::ClientCertificate { .. } => (
            "ClientTrafficPolicy",
            "/spec/tls/clientValidation/caCertificateRefs/0/name",
        ),
        AccessRequirement::ClientCertificateCn { .. }
        | AccessRequirement::SnippetDirective { .. }
        | AccessRequirement::SnippetUnparsable { .. }
        | AccessRequirement::DeniedToday { .. }
        | AccessRequirement::UnexpressiblePath { .. }
        | AccessRequirement::IgnoredToday { .. }
        | AccessRequirement::ModSecurity { .. }
        | AccessRequirement::Blocklist { .. }
        | AccessRequirement::GlobalRateLimit { .. } => ("", ""),
    }
}

#[test]
fn every_requirement_is_enforced_exactly_when_its_policy_is_emitted() {
    for req in every_requirement() {
        let mut ir = base_ir();
        the_rule(&mut ir).filters.push(RuleFilter {
            filter: Filter::AccessControl(req.clone()),
            from: from("x"),
        });
        let (objects, _) = emit(&ir);
        let rules = route_rules(&objects);
        let open = rules
            .iter()
            .any(|r| r["backendRefs"].as_array().is_some_and(|b| !b.is_empty()));
        let enforced = crate::emit::target_enforces_in(&eg_options(), &req, "default");
        let (kind, field) = expected_field(&req);
        let field = if enforced { field } else { "/never" };
        // Rule policies target the rule; listener policies the host's HTTPS listener.
        let section = if kind == "ClientTrafficPolicy" {
            Value::from("https-app.example.com")
        } else {
            rules[0]["name"].clone()
        };
        let carried = of_kind(&objects, kind).iter().any(|p| {
            p.pointer(field).is_some() && p["spec"]["targetRefs"][0]["sectionName"] == section
        });
        assert_eq!(open, enforced, "{req:?}: open route ⇔ enforced");
        assert_eq!(carried, enforced, "{req:?}: policy emitted ⇔ enforced");
        if !enforced {
            assert!(
                of_kind(&objects, "SecurityPolicy").is_empty()
                    && of_kind(&objects, "BackendTrafficPolicy").is_empty(),
                "{req:?}: no policy for a fail-closed rule"
            );
        }
    }
}

fn ext_auth(namespace: &str) -> Filter {
    Filter::ExternalAuth(ExternalAuth {
        protocol: "HTTP".into(),
        backend: Backend {
            namespace: namespace.into(),
            service: "oauth2-proxy".into(),
            port: 4180,
            weight: None,
        },
        path: Some("/oauth2/auth".into()),
        allowed_response_headers: vec!["X-Auth-Request-User".into()],
    })
}

#[test]
fn external_auth_becomes_ext_auth_in_the_route_namespace_only() {
    for (ns, enforced) in [("default", true), ("auth", false)] {
        let mut ir = base_ir();
        the_rule(&mut ir).filters.push(RuleFilter {
            filter: ext_auth(ns),
            from: from("auth-url"),
        });
        let (objects, _) = emit(&ir);
        let rules = route_rules(&objects);
        let open = rules
            .iter()
            .any(|r| r["backendRefs"].as_array().is_some_and(|b| !b.is_empty()));
        assert_eq!(open, enforced, "auth Service in {ns}");
        // Never the standard filter: Envoy Gateway v1.9 does not implement it.
        assert!(rules.iter().all(|r| {
            r["filters"]
                .as_array()
                .is_none_or(|f| f.iter().all(|f| f["type"] != "ExternalAuth"))
        }));
        let sp = of_kind(&objects, "SecurityPolicy");
        assert_eq!(sp.len(), usize::from(enforced));
        if enforced {
            let http = &sp[0]["spec"]["extAuth"]["http"];
            assert_eq!(http["pathOverride"], "/oauth2/auth");
            assert_eq!(http["backendRefs"][0]["name"], "oauth2-proxy");
            assert_eq!(http["headersToBackend"][0], "X-Auth-Request-User");
        }
    }
}

#[test]
fn deny_rules_come_before_allow_rules_and_satisfy_any_yields_to_auth() {
    let mut ir = base_ir();
    let rule = the_rule(&mut ir);
    for f in [
        AccessRequirement::SourceAllowList {
            cidrs: vec!["10.0.0.0/8".into()],
            satisfy_any: false,
        },
        AccessRequirement::SourceDenyList {
            cidrs: vec!["10.1.0.0/16".into()],
            satisfy_any: false,
        },
    ] {
        rule.filters.push(RuleFilter {
            filter: Filter::AccessControl(f),
            from: from("allowlist-source-range"),
        });
    }
    let (objects, _) = emit(&ir);
    let auth = &of_kind(&objects, "SecurityPolicy")[0]["spec"]["authorization"];
    assert_eq!(auth["defaultAction"], "Deny");
    assert_eq!(auth["rules"][0]["action"], "Deny");
    assert_eq!(auth["rules"][1]["action"], "Allow");

    // satisfy any + basic auth: only the authentication (narrower, never wider).
    let mut ir = base_ir();
    let rule = the_rule(&mut ir);
    for f in [
        AccessRequirement::SourceAllowList {
            cidrs: vec!["10.0.0.0/8".into()],
            satisfy_any: true,
        },
        AccessRequirement::PasswordAuth {
            digest: false,
            secret: SecretRef {
                namespace: "default".into(),
                name: "users".into(),
            },
            realm: String::new(),
        },
    ] {
        rule.filters.push(RuleFilter {
            filter: Filter::AccessControl(f),
            from: from("auth-type"),
        });
    }
    let (objects, notes) = emit(&ir);
    let sp = &of_kind(&objects, "SecurityPolicy")[0]["spec"];
    assert!(sp.get("authorization").is_none());
    assert_eq!(sp["basicAuth"]["users"]["name"], "users-htpasswd");
    assert!(
        notes
            .iter()
            .any(|n| n.code == crate::emit::access::SATISFY_ANY_NARROWED)
    );
    let secret_note = notes
        .iter()
        .find(|n| n.code == EG_BASIC_AUTH_SECRET)
        .expect("tells how to create the Secret");
    assert!(
        secret_note
            .suggestion
            .as_deref()
            .is_some_and(|s| s.contains("kubectl -n default create secret generic users-htpasswd"))
    );
}

fn sourced<T>(value: T, annotation: &str) -> Option<Sourced<T>> {
    Some(Sourced::new(value, from(annotation)))
}

/// Every rule and Gateway fact the families read.
fn ir_with_all_facts() -> Ir {
    let mut ir = base_ir();
    let rule = the_rule(&mut ir);
    *rule.policy_mut() = RulePolicy {
        connect_timeout_ms: sourced(5000, "proxy-connect-timeout"),
        read_timeout_ms: sourced(120_000, "proxy-read-timeout"),
        send_timeout_ms: sourced(60_000, "proxy-send-timeout"),
        next_upstream: sourced(
            NextUpstream {
                conditions: vec!["error".into(), "timeout".into(), "http_503".into()],
                tries: 3,
                timeout_ms: 0,
            },
            "proxy-next-upstream",
        ),
        body_limit_bytes: sourced(Some(8 << 20), "proxy-body-size"),
        buffering: None,
        load_balance: sourced(LoadBalance::Ewma, "load-balance"),
        affinity: sourced(
            CookieAffinity {
                name: "SHOPID".into(),
                path: Some("/api".into()),
                ttl_seconds: Some(3600),
                same_site: Some("Lax".into()),
                ..Default::default()
            },
            "affinity",
        ),
        error_pages: sourced(
            ErrorPages {
                codes: vec![404, 503],
                backend: None,
            },
            "custom-http-errors",
        ),
        upstream_host: None,
        service_upstream: sourced(true, "service-upstream"),
        regex_rewrite: sourced(
            RegexRewrite {
                pattern: "(?i)/api(/|$)(.*)".into(),
                substitution: "/v2/\\2".into(),
            },
            "rewrite-target",
        ),
        compression: None,
    };
    rule.filters.push(RuleFilter {
        filter: Filter::UrlRewrite {
            hostname: None,
            path: Some(PathRewrite::Prefix("/v2".into())),
        },
        from: from("rewrite-target"),
    });
    // Client certificates on this host only: a listener policy beside the Gateway's.
    rule.filters.push(RuleFilter {
        filter: Filter::AccessControl(AccessRequirement::ClientCertificate {
            ca_secret: SecretRef {
                namespace: "default".into(),
                name: "client-ca".into(),
            },
            reason: "per port".into(),
        }),
        from: from("auth-tls-secret"),
    });
    let gw = ir.gateways.values_mut().next().expect("one gateway");
    gw.policy = GatewayPolicy {
        client_ip: sourced(
            ClientIp {
                use_forwarded_headers: true,
                forwarded_for_header: "X-Forwarded-For".into(),
                compute_full_forwarded_for: true,
                trusted_cidrs: vec!["10.0.0.0/8".into()],
                enable_real_ip: false,
            },
            "use-forwarded-headers",
        ),
        proxy_protocol: sourced(true, "use-proxy-protocol"),
        tls_protocols: sourced(vec!["TLSv1.2".into(), "TLSv1.3".into()], "ssl-protocols"),
        tls_ciphers: sourced(
            vec![
                "ECDHE-ECDSA-AES128-GCM-SHA256".into(),
                "ECDHE-RSA-AES128-GCM-SHA256".into(),
            ],
            "ssl-ciphers",
        ),
        max_header_bytes: None,
        path_normalisation: sourced(
            PathNormalisation {
                merge_slashes: true,
                decode_percent: false,
                resolve_dot_segments: true,
            },
            "url-normalisation",
        ),
        compression: sourced(
            Compression {
                gzip: true,
                brotli: false,
                types: Vec::new(),
            },
            "use-gzip",
        ),
        client_timeouts: sourced(
            ClientTimeouts {
                header_ms: Some(60_000),
                body_ms: None,
                keep_alive_ms: Some(75_000),
            },
            "keep-alive",
        ),
    };
    ir
}

#[test]
fn rule_facts_become_one_backend_traffic_policy_per_rule() {
    let (objects, _) = emit(&ir_with_all_facts());
    let btp = of_kind(&objects, "BackendTrafficPolicy");
    // One for the route rule, one for the Gateway (compression).
    assert_eq!(btp.len(), 2);
    let rule = btp
        .iter()
        .find(|p| p["spec"]["targetRefs"][0]["kind"] == "HTTPRoute")
        .expect("rule policy");
    let s = &rule["spec"];
    assert_eq!(s["timeout"]["tcp"]["connectTimeout"], "5s");
    assert_eq!(s["timeout"]["http"]["streamIdleTimeout"], "2m");
    assert_eq!(s["retry"]["numRetries"], 2);
    assert_eq!(
        s["retry"]["retryOn"]["triggers"],
        serde_json::json!(["connect-failure", "reset", "retriable-status-codes"])
    );
    assert_eq!(
        s["retry"]["retryOn"]["httpStatusCodes"],
        serde_json::json!([503])
    );
    // Affinity wins over load-balance, as in ingress-nginx.
    assert_eq!(
        s["loadBalancer"]["consistentHash"]["cookie"]["name"],
        "SHOPID"
    );
    assert_eq!(s["loadBalancer"]["consistentHash"]["cookie"]["ttl"], "1h");
    assert_eq!(s["requestBuffer"]["limit"], "8Mi");
    assert_eq!(s["responseOverride"].as_array().map(Vec::len), Some(2));
    assert_eq!(s["routingType"], "Service");
    // The Gateway's compression is repeated: a route policy replaces the Gateway's.
    assert_eq!(s["compressor"][0]["type"], "Gzip");
}

#[test]
fn regex_rewrite_replaces_the_standard_rewrite_with_an_extension_ref() {
    let (objects, notes) = emit(&ir_with_all_facts());
    let filter = &of_kind(&objects, "HTTPRouteFilter")[0];
    let m = &filter["spec"]["urlRewrite"]["path"]["replaceRegexMatch"];
    assert_eq!(m["pattern"], "^(?:(?i)/api(/|$)(.*))$");
    assert_eq!(m["substitution"], "/v2/\\2");
    let rule = route_rules(&objects)
        .into_iter()
        .find(|r| r["backendRefs"].as_array().is_some_and(|b| !b.is_empty()))
        .expect("forwarding rule");
    let filters = rule["filters"].as_array().expect("filters");
    assert!(filters.iter().all(|f| f["type"] != "URLRewrite"));
    let ext = filters
        .iter()
        .find(|f| f["type"] == "ExtensionRef")
        .expect("ExtensionRef");
    assert_eq!(ext["extensionRef"]["name"], filter["metadata"]["name"]);
    assert!(notes.iter().any(|n| n.code == EG_REGEX_REWRITE));
}

#[test]
fn gateway_facts_become_a_client_traffic_policy() {
    let (objects, _) = emit(&ir_with_all_facts());
    let ctp = of_kind(&objects, "ClientTrafficPolicy");
    assert_eq!(
        ctp.len(),
        2,
        "the Gateway's and the client-certificate listener's"
    );
    let (gateway, listener): (Vec<&Value>, Vec<&Value>) = ctp
        .into_iter()
        .partition(|p| p["spec"]["targetRefs"][0].get("sectionName").is_none());
    let l = &listener[0]["spec"];
    assert_eq!(l["targetRefs"][0]["sectionName"], "https-app.example.com");
    assert_eq!(
        l["tls"]["clientValidation"]["caCertificateRefs"][0]["namespace"],
        "default"
    );
    // The listener policy replaces the Gateway's there: it repeats its settings.
    assert_eq!(
        l["tls"]["minVersion"],
        gateway[0]["spec"]["tls"]["minVersion"]
    );
    assert!(
        of_kind(&objects, "ReferenceGrant")
            .iter()
            .any(|g| g["spec"]["from"][0]["kind"] == "ClientTrafficPolicy"
                && g["spec"]["to"][0]["name"] == "client-ca")
    );
    let s = &gateway[0]["spec"];
    assert_eq!(s["targetRefs"][0]["kind"], "Gateway");
    assert_eq!(
        s["clientIPDetection"]["xForwardedFor"]["trustedCIDRs"],
        serde_json::json!(["10.0.0.0/8"])
    );
    assert!(s["proxyProtocol"].is_object());
    assert_eq!(s["tls"]["minVersion"], "1.2");
    assert_eq!(s["tls"]["maxVersion"], "1.3");
    assert_eq!(s["path"]["disableMergeSlashes"], false);
    assert_eq!(s["timeout"]["http"]["idleTimeout"], "75s");
}

#[test]
fn every_fact_snapshot() {
    let (objects, notes) = emit(&ir_with_all_facts());
    if let Ok(path) = std::env::var("EGDUMP") {
        let all: Vec<GatewayObject> = objects.iter().cloned().map(GatewayObject::Other).collect();
        std::fs::write(path, crate::output::to_yaml(&all).expect("yaml")).expect("dump");
    }
    let typed: Vec<GatewayObject> = objects
        .into_iter()
        .filter_map(|v| match v["kind"].as_str() {
            // Only the Envoy Gateway objects: the standard ones have their own snapshots.
            Some(
                "SecurityPolicy"
                | "BackendTrafficPolicy"
                | "ClientTrafficPolicy"
                | "HTTPRouteFilter"
                | "ReferenceGrant",
            ) => Some(GatewayObject::Other(v)),
            _ => None,
        })
        .collect();
    let yaml = crate::output::to_yaml(&typed).expect("yaml");
    let codes: Vec<String> = notes
        .iter()
        .map(|n| format!("{} {}", n.code.0, n.message))
        .collect();
    insta::with_settings!({
        snapshot_path => concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots"),
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!("envoy_gateway__every_fact", format!("{yaml}# notifications\n{}", codes.join("\n")));
    });
}

#[test]
fn output_is_deterministic() {
    let ir = ir_with_all_facts();
    let a = emit(&ir).0;
    let b = emit(&ir).0;
    assert_eq!(a, b);
}

#[test]
fn coverage_rows_are_unique_and_name_a_kind_when_emitted() {
    let rows = EnvoyGatewayEmitter.coverage();
    let mut keys: Vec<_> = rows.iter().map(|r| r.key).collect();
    keys.sort_unstable();
    let n = keys.len();
    keys.dedup();
    assert_eq!(keys.len(), n, "duplicate coverage keys");
    for r in rows {
        let emitted = r.level != crate::emit::coverage::CoverageLevel::NotExpressible;
        assert_eq!(emitted, !r.kind.is_empty(), "{}", r.key);
    }
}

#[test]
fn external_auth_urls_go_through_a_backend() {
    use super::security_policy::ExternalUrl;
    let u = ExternalUrl::parse("https://Auth.example.com:8443/check").expect("parsed");
    assert_eq!(
        (u.https, u.host.as_str(), u.port, u.path.as_str()),
        (true, "auth.example.com", 8443, "/check")
    );
    assert_eq!(
        ExternalUrl::parse("http://auth.example.com").map(|u| u.path),
        Some("/".into())
    );
    for bad in [
        "ftp://x",
        "http://a/$uri",
        "http://a/x?y=1",
        "http://user@a/",
        "http://a:0/",
        "http://-a/",
    ] {
        assert!(ExternalUrl::parse(bad).is_none(), "{bad}");
    }
    let mut ir = base_ir();
    for path in ["/check", "/check"] {
        the_rule(&mut ir).filters.push(RuleFilter {
            filter: Filter::AccessControl(AccessRequirement::ExternalAuthUrl {
                url: format!("https://auth.example.com{path}"),
                reason: "external".into(),
            }),
            from: from("auth-url"),
        });
    }
    let (objects, _) = emit(&ir);
    let backends = of_kind(&objects, "Backend");
    assert_eq!(backends.len(), 1);
    assert_eq!(backends[0]["spec"]["endpoints"][0]["fqdn"]["port"], 443);
    assert_eq!(backends[0]["spec"]["tls"]["sni"], "auth.example.com");
    let sp = &of_kind(&objects, "SecurityPolicy")[0]["spec"]["extAuth"]["http"];
    assert_eq!(sp["backendRefs"][0]["kind"], "Backend");
    assert_eq!(
        sp["backendRefs"][0]["name"],
        backends[0]["metadata"]["name"]
    );
    assert_eq!(sp["pathOverride"], "/check");
}

#[test]
fn emitted_facts_replace_the_no_gateway_field_warning() {
    let mut ir = base_ir();
    the_rule(&mut ir).policy_mut().body_limit_bytes = sourced(Some(1 << 20), "proxy-body-size");
    let located = |code, annotation: &str| {
        crate::emit::access::Located::located(
            crate::report::Notification::warning(code, "Gateway API has no field for it"),
            &from(annotation),
        )
    };
    let mut report = Report::default();
    report.push(located(
        crate::passes::misc::NO_GATEWAY_FIELD,
        "proxy-body-size",
    ));
    report.push(located(
        crate::passes::misc::NO_GATEWAY_FIELD,
        "proxy-buffering",
    ));
    EnvoyGatewayEmitter.emit(&ir, &eg_options(), &mut report);
    let left: Vec<_> = report
        .iter()
        .filter(|n| n.code == crate::passes::misc::NO_GATEWAY_FIELD)
        .filter_map(|n| n.field.clone())
        .collect();
    assert_eq!(
        left,
        vec!["nginx.ingress.kubernetes.io/proxy-buffering".to_string()],
        "only the translated annotation's warning goes"
    );
    assert!(report.iter().any(|n| n.code == EG_APPROXIMATED));
}

#[test]
fn an_ingress_rate_limit_is_split_between_its_rules() {
    let yaml = r#"
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: api
  namespace: default
  annotations:
    nginx.ingress.kubernetes.io/limit-rps: "10"
spec:
  ingressClassName: nginx
  rules:
  - host: api.example.com
    http:
      paths:
      - path: /a
        pathType: Prefix
        backend: {service: {name: a, port: {number: 80}}}
      - path: /b
        pathType: Prefix
        backend: {service: {name: b, port: {number: 80}}}
"#;
    let files = [SourceFile {
        name: "t.yaml".into(),
        text: Arc::from(yaml),
    }];
    let loaded = crate::pipeline::load(&files);
    let t = crate::pipeline::translate(&loaded.input, &eg_options(), loaded.report);
    let objects: Vec<Value> = t
        .objects
        .iter()
        .map(|o| serde_json::to_value(o).expect("json"))
        .collect();
    let btp = of_kind(&objects, "BackendTrafficPolicy");
    assert_eq!(btp.len(), 2, "one per rule");
    for p in btp {
        assert_eq!(
            p["spec"]["rateLimit"]["local"]["rules"][0]["limit"]["requests"],
            5
        );
    }
    assert!(
        t.notifications
            .iter()
            .any(|n| n.message.contains("1/2 of the limit"))
    );
}

#[test]
fn two_authentications_on_one_rule_close_it() {
    let mut ir = base_ir();
    for name in ["users", "admins"] {
        the_rule(&mut ir).filters.push(RuleFilter {
            filter: Filter::AccessControl(AccessRequirement::PasswordAuth {
                digest: false,
                secret: SecretRef {
                    namespace: "default".into(),
                    name: name.into(),
                },
                realm: String::new(),
            }),
            from: from("auth-secret"),
        });
    }
    let (objects, notes) = emit(&ir);
    assert!(
        route_rules(&objects)
            .iter()
            .all(|r| r["backendRefs"].as_array().is_none_or(|b| b.is_empty())),
        "closed, never open without its policy"
    );
    assert!(of_kind(&objects, "SecurityPolicy").is_empty());
    assert!(notes.iter().any(|n| n.code == EG_RULE_CLOSED));
}
