//! GRPCRoute and TLSRoute: the schema constraints and CEL rules their `spec` can
//! break — parentRefs (shared with HTTPRoute), hostnames, at most 16 rules (GRPC:
//! 128 matches in all, method match rules; TLS: exactly one rule), backendRefs
//! (ports, weights, "Must have port for Service reference"), header matches and
//! the GRPC filters.

use super::common::{
    HEADER_NAME, HOSTNAME, PRECISE_HOSTNAME, Str, backend_ref, check_str, list, opt_enum, opt_int,
    opt_str, parent_refs, req_str, unique_names,
};
use super::httproute::{header_modifier, unique_rule_names};
use super::{FieldPath, Findings, Kind};
use crate::target::gateway_api::{GatewayApiProfile, GatewayApiVersion};
use regex::Regex;
use serde_json::Value;
use std::sync::LazyLock;

/// The GRPCMethodMatch CEL patterns (Exact matches only).
static GRPC_SERVICE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^(?i)\.?[a-z_][a-z_0-9]*(\.[a-z_][a-z_0-9]*)*$").ok());
static GRPC_METHOD: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^[A-Za-z_][A-Za-z_0-9]*$").ok());

fn hostnames(spec: &Value, path: &FieldPath, max: usize, out: &mut Findings) {
    let hs = list(spec, "hostnames", path, max, out);
    for (i, h) in hs.iter().enumerate() {
        check_str(
            h,
            &path.key("hostnames").index(i),
            &Str::new(1, 253, Some(HOSTNAME)),
            out,
        );
    }
}

fn backends(rule: &Value, path: &FieldPath, out: &mut Findings) -> usize {
    let bs = list(rule, "backendRefs", path, 16, out);
    for (b, br) in bs.iter().enumerate() {
        let bp = path.key("backendRefs").index(b);
        backend_ref(br, &bp, out);
        opt_int(br, "weight", &bp, 0, 1_000_000, out);
    }
    bs.len()
}

/// GRPCRoute `spec`.
pub fn check_grpc(spec: &Value, path: &FieldPath, profile: &GatewayApiProfile, out: &mut Findings) {
    parent_refs(spec, path, out);
    hostnames(spec, path, 16, out);
    let rules = list(spec, "rules", path, 16, out);
    let rp = path.key("rules");
    let total: usize = rules
        .iter()
        .map(|r| {
            r.get("matches")
                .and_then(Value::as_array)
                .map_or(0, Vec::len)
        })
        .sum();
    if total > 128 {
        out.push(&rp, Kind::Invalid, "While 16 rules and 64 matches per rule are allowed, the total number of matches across all rules in a route must be less than 128");
    }
    unique_rule_names(rules, &rp, profile, out);
    for (i, rule) in rules.iter().enumerate() {
        let p = rp.index(i);
        opt_str(
            rule,
            "name",
            &p,
            &Str::new(1, 253, Some(PRECISE_HOSTNAME)),
            out,
        );
        let ms = list(rule, "matches", &p, 64, out);
        for (k, m) in ms.iter().enumerate() {
            grpc_match(m, &p.key("matches").index(k), out);
        }
        let fs = list(rule, "filters", &p, 16, out);
        grpc_filters(fs, &p.key("filters"), out);
        backends(rule, &p, out);
    }
}

fn grpc_match(m: &Value, path: &FieldPath, out: &mut Findings) {
    if let Some(method) = m.get("method") {
        let mp = path.key("method");
        opt_enum(method, "type", &mp, &["Exact", "RegularExpression"], out);
        opt_str(method, "service", &mp, &Str::new(0, 1024, None), out);
        opt_str(method, "method", &mp, &Str::new(0, 1024, None), out);
        let ty = method.get("type").and_then(Value::as_str);
        let service = method.get("service").and_then(Value::as_str);
        let name = method.get("method").and_then(Value::as_str);
        // `type` defaults to Exact, so the first rule always applies.
        if service.is_none() && name.is_none() {
            out.push(
                &mp,
                Kind::Invalid,
                "One or both of 'service' or 'method' must be specified",
            );
        }
        if ty.is_none_or(|t| t == "Exact") {
            if let Some(s) = service
                && !GRPC_SERVICE.as_ref().is_some_and(|re| re.is_match(s))
            {
                out.push(&mp, Kind::Invalid, "service must only contain valid characters (matching ^(?i)\\.?[a-z_][a-z_0-9]*(\\.[a-z_][a-z_0-9]*)*$)");
            }
            if let Some(s) = name
                && !GRPC_METHOD.as_ref().is_some_and(|re| re.is_match(s))
            {
                out.push(
                    &mp,
                    Kind::Invalid,
                    "method must only contain valid characters (matching ^[A-Za-z_][A-Za-z_0-9]*$)",
                );
            }
        }
    }
    let headers = list(m, "headers", path, 16, out);
    unique_names(headers, &path.key("headers"), out);
    for (i, h) in headers.iter().enumerate() {
        let hp = path.key("headers").index(i);
        opt_enum(h, "type", &hp, &["Exact", "RegularExpression"], out);
        req_str(h, "name", &hp, &Str::new(1, 256, Some(HEADER_NAME)), out);
        req_str(h, "value", &hp, &Str::new(1, 4096, None), out);
    }
}

/// GRPCRoute filters: four types, the header modifiers at most once, the field
/// matching the type.
fn grpc_filters(filters: &[Value], path: &FieldPath, out: &mut Findings) {
    const TYPES: [(&str, &str); 4] = [
        ("ResponseHeaderModifier", "responseHeaderModifier"),
        ("RequestHeaderModifier", "requestHeaderModifier"),
        ("RequestMirror", "requestMirror"),
        ("ExtensionRef", "extensionRef"),
    ];
    for t in ["RequestHeaderModifier", "ResponseHeaderModifier"] {
        let n = filters
            .iter()
            .filter(|f| f.get("type").and_then(Value::as_str) == Some(t))
            .count();
        if n > 1 {
            out.push(
                path,
                Kind::Invalid,
                format!("{t} filter cannot be repeated"),
            );
        }
    }
    for (j, f) in filters.iter().enumerate() {
        let fp = path.index(j);
        let ty = f.get("type").and_then(Value::as_str);
        match ty {
            None => out.push(&fp.key("type"), Kind::Required, "Required value"),
            Some(t) if !TYPES.iter().any(|(x, _)| *x == t) => out.push(
                &fp.key("type"),
                Kind::NotSupported,
                "supported values: ResponseHeaderModifier, RequestHeaderModifier, RequestMirror, ExtensionRef",
            ),
            Some(_) => {}
        }
        for (t, field) in TYPES {
            let has = f.get(field).is_some();
            if has && ty != Some(t) {
                out.push(
                    &fp,
                    Kind::Invalid,
                    format!("filter.{field} must be nil if the filter.type is not {t}"),
                );
            }
            if !has && ty == Some(t) {
                out.push(
                    &fp,
                    Kind::Invalid,
                    format!("filter.{field} must be specified for {t} filter.type"),
                );
            }
        }
        for field in ["requestHeaderModifier", "responseHeaderModifier"] {
            if let Some(m) = f.get(field) {
                header_modifier(m, &fp.key(field), out);
            }
        }
    }
}

/// TLSRoute `spec`, by served version: `v1alpha2` has 1–16 rules (named rules
/// unique); `v1alpha3` and `v1` require 1+ hostnames and exactly one rule, and
/// from Gateway API 1.5 carry the hostname CEL rules (no IPs). Each rule has
/// 1–16 backendRefs. Gateway API 1.6 allows 1024 hostnames.
pub fn check_tls(
    spec: &Value,
    path: &FieldPath,
    profile: &GatewayApiProfile,
    api_version: &str,
    out: &mut Findings,
) {
    let alpha2 = api_version.ends_with("/v1alpha2");
    parent_refs(spec, path, out);
    let max_hosts = if profile.at_least(GatewayApiVersion::V1_6) {
        1024
    } else {
        16
    };
    hostnames(spec, path, max_hosts, out);
    let hp = path.key("hostnames");
    if !alpha2 {
        match spec.get("hostnames").and_then(Value::as_array) {
            None if spec.get("hostnames").is_none() => {
                out.push(&hp, Kind::Required, "Required value")
            }
            Some(a) if a.is_empty() => out.push(&hp, Kind::Invalid, "should have at least 1 items"),
            _ => {}
        }
    }
    if !alpha2 && profile.at_least(GatewayApiVersion::V1_5) {
        let hs: Vec<&str> = spec
            .get("hostnames")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        if hs.iter().any(|h| h.parse::<std::net::IpAddr>().is_ok()) {
            out.push(&hp, Kind::Invalid, "Hostnames cannot contain an IP");
        }
        let label = |h: &str| super::common::matches(PRECISE_HOSTNAME, h);
        if hs.iter().any(|h| !h.contains('*') && !label(h)) {
            out.push(
                &hp,
                Kind::Invalid,
                "Hostnames must be valid based on RFC-1123",
            );
        }
        if hs
            .iter()
            .any(|h| h.contains('*') && !h.strip_prefix("*.").is_some_and(label))
        {
            out.push(&hp, Kind::Invalid, "Wildcards on hostnames must be the first label, and the rest of hostname must be valid based on RFC-1123");
        }
    }
    let rp = path.key("rules");
    if spec.get("rules").is_none() {
        out.push(&rp, Kind::Required, "Required value");
        return;
    }
    let rules = list(spec, "rules", path, if alpha2 { 16 } else { 1 }, out);
    if rules.is_empty() && spec.get("rules").is_some_and(Value::is_array) {
        out.push(&rp, Kind::Invalid, "should have at least 1 items");
    }
    if alpha2 || !profile.at_least(GatewayApiVersion::V1_5) {
        unique_rule_names(rules, &rp, profile, out);
    }
    for (i, rule) in rules.iter().enumerate() {
        let p = rp.index(i);
        if rule.get("backendRefs").is_none() {
            out.push(&p.key("backendRefs"), Kind::Required, "Required value");
        } else if backends(rule, &p, out) == 0 {
            out.push(
                &p.key("backendRefs"),
                Kind::Invalid,
                "should have at least 1 items",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::Channel;
    use serde_json::json;

    fn run(
        f: fn(&Value, &FieldPath, &GatewayApiProfile, &mut Findings),
        v: GatewayApiVersion,
        spec: Value,
    ) -> Vec<String> {
        let mut out = Findings::default();
        f(
            &spec,
            &FieldPath::root().key("spec"),
            &GatewayApiProfile::new(v, Channel::Standard),
            &mut out,
        );
        out.0.into_iter().map(|v| v.field).collect()
    }

    fn tls(v: GatewayApiVersion, spec: &Value, out: &mut Findings) {
        let p = FieldPath::root().key("spec");
        let profile = GatewayApiProfile::new(v, Channel::Standard);
        check_tls(spec, &p, &profile, "gateway.networking.k8s.io/v1", out);
    }

    #[test]
    fn grpc_method_match_needs_service_or_method_of_valid_characters() {
        let spec = json!({"rules": [{"matches": [{"method": {"type": "Exact"}}, {"method": {"service": "a b"}}, {"method": {"service": "pkg.Svc", "method": "Get"}}]}]});
        assert_eq!(
            run(check_grpc, GatewayApiVersion::V1_5, spec),
            [
                "spec.rules[0].matches[0].method",
                "spec.rules[0].matches[1].method"
            ]
        );
    }

    #[test]
    fn tls_route_has_one_rule_and_no_ip_hostnames_from_1_6() {
        let b = json!([{"name": "s", "port": 443}]);
        let spec =
            json!({"hostnames": ["10.0.0.1"], "rules": [{"backendRefs": b}, {"backendRefs": b}]});
        let mut out = Findings::default();
        tls(GatewayApiVersion::V1_6, &spec, &mut out);
        let got: Vec<_> = out.0.iter().map(|v| v.field.as_str()).collect();
        assert_eq!(got, ["spec.hostnames", "spec.rules"]);
        let spec = json!({"rules": [{"backendRefs": b}]});
        let mut out = Findings::default();
        tls(GatewayApiVersion::V1_6, &spec, &mut out);
        let got: Vec<_> = out.0.iter().map(|v| v.field.as_str()).collect();
        assert_eq!(got, ["spec.hostnames"]);
    }
}
