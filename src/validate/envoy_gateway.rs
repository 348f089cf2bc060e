//! Envoy Gateway's kinds (v1.9.1 CRDs, `gateway.envoyproxy.io/v1alpha1`): the
//! fields ing2gw emits and the CEL rules they can break.
//!
//! - The three policies: `targetRef` xor `targetRefs`, each reference in group
//!   `gateway.networking.k8s.io` and of a kind the policy attaches to (rules on
//!   `spec`), reference field patterns.
//! - ClientTrafficPolicy: TLS version enums, `minVersion ≤ maxVersion`, no
//!   ciphers with a 1.3 minimum, exactly one client-IP detection method.
//! - BackendTrafficPolicy: load-balancer and consistent-hash type ⇔ field,
//!   retry triggers and status codes, response overrides (one of response or
//!   redirect; an Inline body has `inline`).
//! - SecurityPolicy: authorization actions, each rule with a principal (of at
//!   least one kind) or a CEL expression, extAuth with exactly one of grpc/http and
//!   a backend.
//! - HTTPRouteFilter: URL rewrite path type ⇔ `replaceRegexMatch`.
//! - Backend: 1–256 endpoints, each with exactly one address, FQDNs not mixed.
//!
//! Not covered (ing2gw never emits them): the rest of these large schemas.

use super::common::{
    DURATION, GROUP, KIND, PRECISE_HOSTNAME, Str, check_int, list, opt_enum, opt_str, req_str,
};
use super::{FieldPath, Findings, Kind};
use serde_json::Value;

const GATEWAY_GROUP: &str = "gateway.networking.k8s.io";

/// `kind` → (the target kinds the CEL rules accept, as the message words them).
fn target_kinds(kind: &str) -> Option<(&'static [&'static str], &'static str)> {
    match kind {
        "ClientTrafficPolicy" => Some((&["Gateway", "ListenerSet"], "Gateway or ListenerSet")),
        "SecurityPolicy" => Some((
            &[
                "Gateway",
                "ListenerSet",
                "HTTPRoute",
                "GRPCRoute",
                "TCPRoute",
            ],
            "Gateway/ListenerSet/HTTPRoute/GRPCRoute/TCPRoute",
        )),
        "BackendTrafficPolicy" => Some((
            &[
                "Gateway",
                "ListenerSet",
                "HTTPRoute",
                "GRPCRoute",
                "UDPRoute",
                "TCPRoute",
                "TLSRoute",
            ],
            "Gateway/ListenerSet/HTTPRoute/GRPCRoute/TCPRoute/UDPRoute/TLSRoute",
        )),
        _ => None,
    }
}

/// Validates the `spec` of an Envoy Gateway kind (no-op for other kinds).
pub fn check(kind: &str, spec: &Value, path: &FieldPath, out: &mut Findings) {
    if let Some(kinds) = target_kinds(kind) {
        targets(spec, path, kinds, out);
    }
    match kind {
        "ClientTrafficPolicy" => client_traffic(spec, path, out),
        "BackendTrafficPolicy" => backend_traffic(spec, path, out),
        "SecurityPolicy" => security(spec, path, out),
        "HTTPRouteFilter" => route_filter(spec, path, out),
        "Backend" => backend(spec, path, out),
        _ => {}
    }
}

fn target_ref(r: &Value, path: &FieldPath, out: &mut Findings) {
    req_str(r, "group", path, &Str::new(0, 253, Some(GROUP)), out);
    req_str(r, "kind", path, &Str::new(1, 63, Some(KIND)), out);
    req_str(r, "name", path, &Str::new(1, 253, None), out);
    opt_str(
        r,
        "sectionName",
        path,
        &Str::new(1, 253, Some(PRECISE_HOSTNAME)),
        out,
    );
}

/// The policies' reference fields and their CEL rules on `spec`.
fn targets(spec: &Value, path: &FieldPath, (kinds, words): (&[&str], &str), out: &mut Findings) {
    let one = spec.get("targetRef");
    let many = spec.get("targetRefs");
    if let Some(r) = one {
        target_ref(r, &path.key("targetRef"), out);
    }
    let refs = list(spec, "targetRefs", path, usize::MAX, out);
    for (i, r) in refs.iter().enumerate() {
        target_ref(r, &path.key("targetRefs").index(i), out);
    }
    let selectors = spec
        .get("targetSelectors")
        .and_then(Value::as_array)
        .is_some_and(|a| !a.is_empty());
    if one.is_some() == many.is_some() && !selectors {
        out.push(
            path,
            Kind::Invalid,
            "either targetRef or targetRefs must be used",
        );
    }
    let s = |r: &Value, k: &str| r.get(k).and_then(Value::as_str).map(str::to_string);
    // A reference without group or kind makes the CEL evaluation fail; the API
    // server then reports the rule on `spec` too.
    let group_ok = |r: &Value| s(r, "group").as_deref() == Some(GATEWAY_GROUP);
    let kind_ok = |r: &Value| s(r, "kind").is_some_and(|k| kinds.contains(&k.as_str()));
    if let Some(r) = one {
        if !group_ok(r) {
            out.push(
                path,
                Kind::Invalid,
                "this policy can only have a targetRef.group of gateway.networking.k8s.io",
            );
        }
        if !kind_ok(r) {
            out.push(
                path,
                Kind::Invalid,
                format!("this policy can only have a targetRef.kind of {words}"),
            );
        }
    }
    if many.is_some() {
        if !refs.iter().all(group_ok) {
            out.push(
                path,
                Kind::Invalid,
                "this policy can only have a targetRefs[*].group of gateway.networking.k8s.io",
            );
        }
        if !refs.iter().all(kind_ok) {
            out.push(
                path,
                Kind::Invalid,
                format!("this policy can only have a targetRefs[*].kind of {words}"),
            );
        }
    }
}

const TLS_VERSIONS: [&str; 5] = ["Auto", "1.0", "1.1", "1.2", "1.3"];

fn client_traffic(spec: &Value, path: &FieldPath, out: &mut Findings) {
    if let Some(tls) = spec.get("tls") {
        let tp = path.key("tls");
        opt_enum(tls, "minVersion", &tp, &TLS_VERSIONS, out);
        opt_enum(tls, "maxVersion", &tp, &TLS_VERSIONS, out);
        let v = |k: &str| tls.get(k).and_then(Value::as_str);
        if v("minVersion") == Some("1.3") && tls.get("ciphers").is_some() {
            out.push(
                &tp,
                Kind::Invalid,
                "setting ciphers has no effect if the minimum possible TLS version is 1.3",
            );
        }
        // Auto is the lowest minimum and the highest maximum.
        let rank = |s: &str, auto: usize| {
            if s == "Auto" {
                Some(auto)
            } else {
                TLS_VERSIONS.iter().position(|x| *x == s)
            }
        };
        if let (Some(min), Some(max)) = (v("minVersion"), v("maxVersion")) {
            match (rank(min, 0), rank(max, 5)) {
                (Some(a), Some(b)) if a <= b => {}
                _ => out.push(
                    &tp,
                    Kind::Invalid,
                    "minVersion must be smaller or equal to maxVersion",
                ),
            }
        }
    }
    if let Some(c) = spec.get("clientIPDetection") {
        let cp = path.key("clientIPDetection");
        let set = ["xForwardedFor", "customHeader", "directSourceIP"]
            .iter()
            .filter(|k| c.get(**k).is_some())
            .count();
        if set != 1 {
            out.push(
                &cp,
                Kind::Invalid,
                "exactly one of xForwardedFor, customHeader, or directSourceIP must be set",
            );
        }
        if let Some(x) = c.get("xForwardedFor") {
            let xp = cp.key("xForwardedFor");
            let cidrs = list(x, "trustedCIDRs", &xp, usize::MAX, out);
            if x.get("trustedCIDRs").is_some() && cidrs.is_empty() {
                out.push(
                    &xp.key("trustedCIDRs"),
                    Kind::Invalid,
                    "should have at least 1 items",
                );
            }
            if x.get("numTrustedHops").is_some() == x.get("trustedCIDRs").is_some() {
                out.push(
                    &xp,
                    Kind::Invalid,
                    "only one of numTrustedHops or trustedCIDRs must be set",
                );
            }
        }
    }
}

const RETRY_TRIGGERS: [&str; 13] = [
    "5xx",
    "gateway-error",
    "reset",
    "reset-before-request",
    "connect-failure",
    "retriable-4xx",
    "refused-stream",
    "retriable-status-codes",
    "cancelled",
    "deadline-exceeded",
    "internal",
    "resource-exhausted",
    "unavailable",
];

/// A `type` field that selects which sibling field must be set (and no other).
fn type_selects(
    obj: &Value,
    path: &FieldPath,
    ty: &str,
    field: &str,
    message: &str,
    out: &mut Findings,
) {
    let is = obj.get("type").and_then(Value::as_str) == Some(ty);
    if is != obj.get(field).is_some() {
        out.push(path, Kind::Invalid, message);
    }
}

fn backend_traffic(spec: &Value, path: &FieldPath, out: &mut Findings) {
    if let Some(lb) = spec.get("loadBalancer") {
        let lp = path.key("loadBalancer");
        match lb.get("type") {
            None => out.push(&lp.key("type"), Kind::Required, "Required value"),
            Some(_) => opt_enum(
                lb,
                "type",
                &lp,
                &[
                    "ConsistentHash",
                    "LeastRequest",
                    "Random",
                    "RoundRobin",
                    "BackendUtilization",
                    "DynamicModule",
                ],
                out,
            ),
        }
        type_selects(
            lb,
            &lp,
            "ConsistentHash",
            "consistentHash",
            "If LoadBalancer type is consistentHash, consistentHash field needs to be set.",
            out,
        );
        if let Some(ch) = lb.get("consistentHash") {
            let cp = lp.key("consistentHash");
            match ch.get("type") {
                None => out.push(&cp.key("type"), Kind::Required, "Required value"),
                Some(_) => opt_enum(
                    ch,
                    "type",
                    &cp,
                    &["SourceIP", "Header", "Headers", "Cookie", "QueryParams"],
                    out,
                ),
            }
            type_selects(
                ch,
                &cp,
                "Header",
                "header",
                "If consistent hash type is header, the header field must be set.",
                out,
            );
            type_selects(
                ch,
                &cp,
                "Cookie",
                "cookie",
                "If consistent hash type is cookie, the cookie field must be set.",
                out,
            );
            for (field, path_key) in [("header", "header"), ("cookie", "cookie")] {
                if let Some(x) = ch.get(field) {
                    req_str(
                        x,
                        "name",
                        &cp.key(path_key),
                        &Str::new(0, usize::MAX, None),
                        out,
                    );
                }
            }
        }
    }
    if let Some(r) = spec.get("retry") {
        let rp = path.key("retry");
        if let Some(n) = r.get("numRetries") {
            check_int(n, &rp.key("numRetries"), 0, i64::MAX, out);
        }
        if let Some(on) = r.get("retryOn") {
            let op = rp.key("retryOn");
            for (i, t) in list(on, "triggers", &op, usize::MAX, out)
                .iter()
                .enumerate()
            {
                if !t.as_str().is_some_and(|t| RETRY_TRIGGERS.contains(&t)) {
                    out.push(
                        &op.key("triggers").index(i),
                        Kind::NotSupported,
                        format!("supported values: {}", RETRY_TRIGGERS.join(", ")),
                    );
                }
            }
            for (i, c) in list(on, "httpStatusCodes", &op, usize::MAX, out)
                .iter()
                .enumerate()
            {
                check_int(c, &op.key("httpStatusCodes").index(i), 100, 599, out);
            }
        }
    }
    if let Some(t) = spec.get("timeout") {
        let tp = path.key("timeout");
        for (group, key) in [
            ("http", "streamIdleTimeout"),
            ("http", "connectionIdleTimeout"),
            ("tcp", "connectTimeout"),
        ] {
            if let Some(g) = t.get(group) {
                opt_str(
                    g,
                    key,
                    &tp.key(group),
                    &Str::new(0, usize::MAX, Some(DURATION)),
                    out,
                );
            }
        }
    }
    for (i, o) in list(spec, "responseOverride", path, usize::MAX, out)
        .iter()
        .enumerate()
    {
        let op = path.key("responseOverride").index(i);
        if o.get("response").is_some() == o.get("redirect").is_some() {
            out.push(
                &op,
                Kind::Invalid,
                "exactly one of response or redirect must be specified",
            );
        }
        if let Some(body) = o.pointer("/response/body") {
            let bp = op.key("response").key("body");
            opt_enum(body, "type", &bp, &["Inline", "ValueRef"], out);
            let ty = body.get("type").and_then(Value::as_str);
            if ty.is_none_or(|t| t == "Inline") && body.get("inline").is_none() {
                out.push(&bp, Kind::Invalid, "inline must be set for type Inline");
            }
        }
    }
}

fn security(spec: &Value, path: &FieldPath, out: &mut Findings) {
    if let Some(a) = spec.get("authorization") {
        let ap = path.key("authorization");
        opt_enum(a, "defaultAction", &ap, &["Allow", "Deny"], out);
        for (i, r) in list(a, "rules", &ap, usize::MAX, out).iter().enumerate() {
            let rp = ap.key("rules").index(i);
            match r.get("action") {
                None => out.push(&rp.key("action"), Kind::Required, "Required value"),
                Some(_) => opt_enum(r, "action", &rp, &["Allow", "Deny"], out),
            }
            opt_str(r, "name", &rp, &Str::new(1, 253, None), out);
            if r.get("principal").is_none() && r.get("cel").is_none() {
                out.push(
                    &rp,
                    Kind::Invalid,
                    "at least one of principal or cel must be specified",
                );
            }
            if let Some(p) = r.get("principal")
                && !["clientCIDRs", "jwt", "headers", "clientIPGeoLocations"]
                    .iter()
                    .any(|k| p.get(*k).is_some())
            {
                out.push(&rp.key("principal"), Kind::Invalid, "at least one of clientCIDRs, jwt, headers, or clientIPGeoLocations must be specified");
            }
        }
    }
    if let Some(e) = spec.get("extAuth") {
        let ep = path.key("extAuth");
        let (grpc, http) = (e.get("grpc"), e.get("http"));
        if grpc.is_none() && http.is_none() {
            out.push(&ep, Kind::Invalid, "one of grpc or http must be specified");
        }
        if grpc.is_some() == http.is_some() {
            out.push(
                &ep,
                Kind::Invalid,
                "only one of grpc or http can be specified",
            );
        }
        if let Some(h) = http {
            let hp = ep.key("http");
            let refs = list(h, "backendRefs", &hp, usize::MAX, out);
            if h.get("backendRef").is_none() && refs.is_empty() {
                out.push(
                    &hp,
                    Kind::Invalid,
                    "backendRef or backendRefs needs to be set",
                );
            }
            for (i, r) in refs.iter().enumerate() {
                super::common::backend_ref(r, &hp.key("backendRefs").index(i), out);
            }
            if h.get("path").is_some() && h.get("pathOverride").is_some() {
                out.push(
                    &hp,
                    Kind::Invalid,
                    "only one of path or pathOverride can be specified",
                );
            }
        }
    }
}

fn route_filter(spec: &Value, path: &FieldPath, out: &mut Findings) {
    if let Some(p) = spec.pointer("/urlRewrite/path") {
        let pp = path.key("urlRewrite").key("path");
        match p.get("type") {
            None => out.push(&pp.key("type"), Kind::Required, "Required value"),
            Some(_) => opt_enum(p, "type", &pp, &["ReplaceRegexMatch"], out),
        }
        type_selects(
            p,
            &pp,
            "ReplaceRegexMatch",
            "replaceRegexMatch",
            "If HTTPPathModifier type is ReplaceRegexMatch, replaceRegexMatch field needs to be set.",
            out,
        );
        if let Some(r) = p.get("replaceRegexMatch") {
            let rp = pp.key("replaceRegexMatch");
            req_str(r, "pattern", &rp, &Str::new(1, usize::MAX, None), out);
            req_str(r, "substitution", &rp, &Str::new(0, usize::MAX, None), out);
        }
    }
}

/// FQDN endpoint hostnames may end with a dot.
pub(super) const FQDN: &str =
    r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\.?$";

fn backend(spec: &Value, path: &FieldPath, out: &mut Findings) {
    let eps = list(spec, "endpoints", path, 256, out);
    let ep = path.key("endpoints");
    if spec.get("endpoints").is_some_and(Value::is_array) && eps.is_empty() {
        out.push(&ep, Kind::Invalid, "should have at least 1 items");
    }
    let has = |e: &Value, k: &str| e.get(k).is_some();
    // Mixed: some endpoints are FQDNs and some are not.
    if eps.iter().any(|e| has(e, "fqdn")) && !eps.iter().all(|e| has(e, "fqdn")) {
        out.push(
            &ep,
            Kind::Invalid,
            "fqdn addresses cannot be mixed with other address types",
        );
    }
    for (i, e) in eps.iter().enumerate() {
        let p = ep.index(i);
        let n = ["fqdn", "ip", "unix"].iter().filter(|k| has(e, k)).count();
        if n == 0 {
            out.push(
                &p,
                Kind::Invalid,
                "one of fqdn, ip or unix must be specified",
            );
        }
        if n != 1 {
            out.push(
                &p,
                Kind::Invalid,
                "only one of fqdn, ip or unix can be specified",
            );
        }
        if let Some(f) = e.get("fqdn") {
            let fp = p.key("fqdn");
            match f.get("hostname") {
                Some(h) => super::common::check_str(
                    h,
                    &fp.key("hostname"),
                    &Str::new(1, 253, Some(FQDN)),
                    out,
                ),
                None => out.push(&fp.key("hostname"), Kind::Required, "Required value"),
            }
            match f.get("port") {
                Some(v) => check_int(v, &fp.key("port"), 0, 65535, out),
                None => out.push(&fp.key("port"), Kind::Required, "Required value"),
            }
        }
    }
    if let Some(t) = spec.get("tls") {
        let cas = t
            .get("caCertificateRefs")
            .and_then(Value::as_array)
            .is_some_and(|a| !a.is_empty());
        let known = t
            .get("wellKnownCACertificates")
            .and_then(Value::as_str)
            .is_some_and(|s| !s.is_empty());
        if cas && known {
            out.push(
                &path.key("tls"),
                Kind::Invalid,
                "must not contain both CACertificateRefs and WellKnownCACertificates",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fields(kind: &str, spec: Value) -> Vec<String> {
        let mut out = Findings::default();
        check(kind, &spec, &FieldPath::root().key("spec"), &mut out);
        out.0.into_iter().map(|v| v.field).collect()
    }

    #[test]
    fn policies_target_gateway_api_kinds_once() {
        let r = json!({"group": "gateway.networking.k8s.io", "kind": "HTTPRoute", "name": "r"});
        assert!(fields("SecurityPolicy", json!({"targetRefs": [r]})).is_empty());
        assert_eq!(
            fields("ClientTrafficPolicy", json!({"targetRefs": [r]})),
            ["spec"]
        );
        assert_eq!(
            fields("SecurityPolicy", json!({"targetRefs": [r], "targetRef": r})),
            ["spec"]
        );
        assert_eq!(fields("BackendTrafficPolicy", json!({})), ["spec"]);
    }

    #[test]
    fn client_traffic_tls_versions_and_ip_detection() {
        let r = json!([{"group": "gateway.networking.k8s.io", "kind": "Gateway", "name": "g"}]);
        let spec = json!({"targetRefs": r, "tls": {"minVersion": "1.3", "maxVersion": "1.2", "ciphers": ["x"]}, "clientIPDetection": {}});
        assert_eq!(
            fields("ClientTrafficPolicy", spec),
            ["spec.tls", "spec.tls", "spec.clientIPDetection"]
        );
    }

    #[test]
    fn backend_endpoints_have_one_address() {
        let spec =
            json!({"endpoints": [{"fqdn": {"hostname": "a.example.com.", "port": 443}}, {}]});
        assert_eq!(
            fields("Backend", spec),
            ["spec.endpoints", "spec.endpoints[1]", "spec.endpoints[1]"]
        );
    }
}
