//! HTTPRoute: the schema constraints and CEL rules of `spec` that ing2gw's output
//! can break (hostnames, parentRefs, rules, matches, filters, backendRefs, timeouts).
//!
//! Rule placement follows the CRD: a CEL rule is reported on the object carrying
//! it (`spec.rules` for the 128-match total, `spec.rules[i]` for redirect +
//! backendRefs, `spec.rules[i].filters` for "at most once", `…filters[j]` for the
//! type/field agreement, `…matches[k].path` for path values,
//! `spec.rules[i].timeouts` for backendRequest ≤ request).

use super::common::{
    DURATION, HEADER_NAME, HOSTNAME, PRECISE_HOSTNAME, Str, backend_ref, check_str, list, matches,
    opt_enum, opt_int, opt_str, parent_refs, port, req_str, unique_names,
};
use super::{FieldPath, Findings, Kind};
use crate::target::gateway_api::{GatewayApiProfile, GatewayApiVersion};
use regex::Regex;
use serde_json::Value;
use std::sync::LazyLock;

/// Characters a path value may hold (the CRD's CEL `matches`).
static PATH_CHARS: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$").ok());

pub fn check(spec: &Value, path: &FieldPath, profile: &GatewayApiProfile, out: &mut Findings) {
    known_keys(
        spec,
        path,
        &["parentRefs", "hostnames", "rules", "useDefaultBackend"],
        out,
    );
    parent_refs(spec, path, out);
    let hostnames = list(spec, "hostnames", path, 16, out);
    for (i, h) in hostnames.iter().enumerate() {
        check_str(
            h,
            &path.key("hostnames").index(i),
            &Str::new(1, 253, Some(HOSTNAME)),
            out,
        );
    }
    let rules = list(spec, "rules", path, 16, out);
    let rules_path = path.key("rules");
    let total: usize = rules
        .iter()
        .map(|r| {
            r.get("matches")
                .and_then(Value::as_array)
                .map_or(1, Vec::len)
        })
        .sum();
    if total > 128 {
        out.push(&rules_path, Kind::Invalid, "While 16 rules and 64 matches per rule are allowed, the total number of matches across all rules in a route must be less than 128");
    }
    unique_rule_names(rules, &rules_path, profile, out);
    for (i, rule) in rules.iter().enumerate() {
        check_rule(rule, &rules_path.index(i), profile, out);
    }
}

/// Experimental channel only (every version, HTTPRoute and GRPCRoute): named
/// rules are unique (a CEL rule on `spec.rules`).
pub(super) fn unique_rule_names(
    rules: &[Value],
    rules_path: &FieldPath,
    profile: &GatewayApiProfile,
    out: &mut Findings,
) {
    if profile.channel != crate::options::Channel::Experimental {
        return;
    }
    let names: Vec<&str> = rules
        .iter()
        .filter_map(|r| r.get("name").and_then(Value::as_str))
        .collect();
    if names
        .iter()
        .any(|n| names.iter().filter(|m| *m == n).count() != 1)
    {
        out.push(
            rules_path,
            Kind::Invalid,
            "Rule name must be unique within the route",
        );
    }
}

/// Fields outside the schema: the API server prunes them (and `kubectl apply
/// --validate=strict` rejects them), so emitting one is a bug.
pub(super) fn known_keys(obj: &Value, path: &FieldPath, known: &[&str], out: &mut Findings) {
    if let Some(map) = obj.as_object() {
        for k in map.keys() {
            if !known.contains(&k.as_str()) {
                out.push(&path.key(k), Kind::Invalid, "unknown field");
            }
        }
    }
}

fn check_rule(rule: &Value, path: &FieldPath, profile: &GatewayApiProfile, out: &mut Findings) {
    let mut known = vec!["name", "matches", "filters", "backendRefs", "timeouts"];
    if profile.http_route_retry() {
        known.push("retry");
    }
    if profile.session_persistence() {
        known.push("sessionPersistence");
    }
    known_keys(rule, path, &known, out);
    opt_str(
        rule,
        "name",
        path,
        &Str::new(1, 253, Some(PRECISE_HOSTNAME)),
        out,
    );
    let ms = list(rule, "matches", path, 64, out);
    for (k, m) in ms.iter().enumerate() {
        check_match(m, &path.key("matches").index(k), out);
    }
    let filters = list(rule, "filters", path, 16, out);
    filters_rules(filters, &path.key("filters"), profile, out);
    let backends = list(rule, "backendRefs", path, 16, out);
    for (b, br) in backends.iter().enumerate() {
        let bp = path.key("backendRefs").index(b);
        backend_ref(br, &bp, out);
        opt_int(br, "weight", &bp, 0, 1_000_000, out);
        let bf = list(br, "filters", &bp, 16, out);
        filters_rules(bf, &bp.key("filters"), profile, out);
    }
    // CEL on the rule.
    let has_redirect = filters.iter().any(|f| f.get("requestRedirect").is_some());
    if !backends.is_empty() && has_redirect {
        out.push(
            path,
            Kind::Invalid,
            "RequestRedirect filter must not be used together with backendRefs",
        );
    }
    let single_prefix = match rule.get("matches").and_then(Value::as_array) {
        // The default `matches` is one PathPrefix "/".
        None => true,
        Some(ms) => {
            ms.len() == 1
                && ms[0].get("path").is_some_and(|p| {
                    p.get("type")
                        .and_then(Value::as_str)
                        .unwrap_or("PathPrefix")
                        == "PathPrefix"
                })
        }
    };
    for (filter, message) in [
        (
            "requestRedirect",
            "When using RequestRedirect filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified",
        ),
        (
            "urlRewrite",
            "When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified",
        ),
    ] {
        let prefix_filters = filters
            .iter()
            .filter(|f| {
                f.get(filter).and_then(|x| x.get("path")).is_some_and(|p| {
                    p.get("type").and_then(Value::as_str) == Some("ReplacePrefixMatch")
                        && p.get("replacePrefixMatch").is_some()
                })
            })
            .count();
        if prefix_filters == 1 && !single_prefix {
            out.push(path, Kind::Invalid, message);
        }
    }
    if let Some(t) = rule.get("timeouts") {
        timeouts(t, &path.key("timeouts"), out);
    }
}

fn check_match(m: &Value, path: &FieldPath, out: &mut Findings) {
    if let Some(p) = m.get("path") {
        let pp = path.key("path");
        opt_enum(
            p,
            "type",
            &pp,
            &["Exact", "PathPrefix", "RegularExpression"],
            out,
        );
        opt_str(p, "value", &pp, &Str::new(0, 1024, None), out);
        path_value_rules(p, &pp, out);
    }
    let headers = list(m, "headers", path, 16, out);
    unique_names(headers, &path.key("headers"), out);
    for (i, h) in headers.iter().enumerate() {
        let hp = path.key("headers").index(i);
        opt_enum(h, "type", &hp, &["Exact", "RegularExpression"], out);
        req_str(h, "name", &hp, &Str::new(1, 256, Some(HEADER_NAME)), out);
        req_str(h, "value", &hp, &Str::new(1, 4096, None), out);
    }
    let qps = list(m, "queryParams", path, 16, out);
    unique_names(qps, &path.key("queryParams"), out);
    for (i, q) in qps.iter().enumerate() {
        let qp = path.key("queryParams").index(i);
        opt_enum(q, "type", &qp, &["Exact", "RegularExpression"], out);
        req_str(q, "name", &qp, &Str::new(1, 256, Some(HEADER_NAME)), out);
        req_str(q, "value", &qp, &Str::new(1, 1024, None), out);
    }
    opt_enum(
        m,
        "method",
        path,
        &[
            "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH",
        ],
        out,
    );
}

/// The CEL rules of `HTTPPathMatch` (on the path object): Exact/PathPrefix values
/// are absolute, normalised paths of allowed characters.
fn path_value_rules(p: &Value, path: &FieldPath, out: &mut Findings) {
    let ty = p
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("PathPrefix");
    // The CRD repeats the enum as a CEL rule on the path object.
    if !matches!(ty, "Exact" | "PathPrefix" | "RegularExpression") {
        out.push(
            path,
            Kind::Invalid,
            "type must be one of ['Exact', 'PathPrefix', 'RegularExpression']",
        );
    }
    let Some(value) = p.get("value").and_then(Value::as_str) else {
        return;
    };
    if !matches!(ty, "Exact" | "PathPrefix") {
        return;
    }
    let mut fail = |m: &str| out.push(path, Kind::Invalid, m);
    if !value.starts_with('/') {
        fail(
            "value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix']",
        );
    }
    for (needle, m) in [
        (
            "//",
            "must not contain '//' when type one of ['Exact', 'PathPrefix']",
        ),
        (
            "/./",
            "must not contain '/./' when type one of ['Exact', 'PathPrefix']",
        ),
        (
            "/../",
            "must not contain '/../' when type one of ['Exact', 'PathPrefix']",
        ),
        (
            "%2f",
            "must not contain '%2f' when type one of ['Exact', 'PathPrefix']",
        ),
        (
            "%2F",
            "must not contain '%2F' when type one of ['Exact', 'PathPrefix']",
        ),
        (
            "#",
            "must not contain '#' when type one of ['Exact', 'PathPrefix']",
        ),
    ] {
        if value.contains(needle) {
            fail(m);
        }
    }
    if value.ends_with("/..") {
        fail("must not end with '/..' when type one of ['Exact', 'PathPrefix']");
    }
    if value.ends_with("/.") {
        fail("must not end with '/.' when type one of ['Exact', 'PathPrefix']");
    }
    if !PATH_CHARS.as_ref().is_some_and(|re| re.is_match(value)) {
        fail(
            "must only contain valid characters (matching ^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$) for types ['Exact', 'PathPrefix']",
        );
    }
}

/// The filter type and its field, for every filter type the profile serves.
fn filter_types(profile: &GatewayApiProfile) -> Vec<(&'static str, &'static str)> {
    let mut t = vec![
        ("RequestHeaderModifier", "requestHeaderModifier"),
        ("ResponseHeaderModifier", "responseHeaderModifier"),
        ("RequestMirror", "requestMirror"),
        ("RequestRedirect", "requestRedirect"),
        ("URLRewrite", "urlRewrite"),
        ("ExtensionRef", "extensionRef"),
    ];
    if profile.cors_filter() {
        t.push(("CORS", "cors"));
    }
    if profile.external_auth_filter() {
        t.push(("ExternalAuth", "externalAuth"));
    }
    t
}

/// CEL on a filter list (at most once per type, not redirect and rewrite together)
/// and on each filter (the field matches the type), plus each filter's schema.
fn filters_rules(
    filters: &[Value],
    path: &FieldPath,
    profile: &GatewayApiProfile,
    out: &mut Findings,
) {
    if filters.is_empty() {
        return;
    }
    let types = filter_types(profile);
    let count = |t: &str| {
        filters
            .iter()
            .filter(|f| f.get("type").and_then(Value::as_str) == Some(t))
            .count()
    };
    if count("RequestRedirect") > 0 && count("URLRewrite") > 0 {
        out.push(path, Kind::Invalid, "May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but not both");
    }
    for t in [
        "CORS",
        "RequestHeaderModifier",
        "ResponseHeaderModifier",
        "RequestRedirect",
        "URLRewrite",
    ] {
        if (t != "CORS" || profile.cors_filter()) && count(t) > 1 {
            out.push(
                path,
                Kind::Invalid,
                format!("{t} filter cannot be repeated"),
            );
        }
    }
    for (j, f) in filters.iter().enumerate() {
        let fp = path.index(j);
        let mut known = vec!["type"];
        known.extend(types.iter().map(|(_, field)| *field));
        known_keys(f, &fp, &known, out);
        let ty = f.get("type").and_then(Value::as_str);
        let allowed: Vec<&str> = types.iter().map(|(t, _)| *t).collect();
        match ty {
            None => out.push(&fp.key("type"), Kind::Required, "Required value"),
            Some(t) if !allowed.contains(&t) => out.push(
                &fp.key("type"),
                Kind::NotSupported,
                format!("supported values: {}", allowed.join(", ")),
            ),
            Some(_) => {}
        }
        for (t, field) in &types {
            let has = f.get(*field).is_some();
            if has && ty != Some(*t) {
                out.push(
                    &fp,
                    Kind::Invalid,
                    format!("filter.{field} must be nil if the filter.type is not {t}"),
                );
            }
            if !has && ty == Some(*t) {
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
        if let Some(r) = f.get("requestRedirect") {
            let rp = fp.key("requestRedirect");
            opt_enum(r, "scheme", &rp, &["http", "https"], out);
            opt_str(
                r,
                "hostname",
                &rp,
                &Str::new(1, 253, Some(PRECISE_HOSTNAME)),
                out,
            );
            port(r, "port", &rp, out);
            // 303/307/308 joined the enum in Gateway API 1.5.
            let codes: &[i64] = if profile.at_least(GatewayApiVersion::V1_5) {
                &[301, 302, 303, 307, 308]
            } else {
                &[301, 302]
            };
            if let Some(code) = r.get("statusCode")
                && !code.as_i64().is_some_and(|c| codes.contains(&c))
            {
                let list: Vec<String> = codes.iter().map(i64::to_string).collect();
                out.push(
                    &rp.key("statusCode"),
                    Kind::NotSupported,
                    format!("supported values: {}", list.join(", ")),
                );
            }
            if let Some(p) = r.get("path") {
                path_modifier(p, &rp.key("path"), out);
            }
        }
        if let Some(r) = f.get("urlRewrite") {
            let rp = fp.key("urlRewrite");
            opt_str(
                r,
                "hostname",
                &rp,
                &Str::new(1, 253, Some(PRECISE_HOSTNAME)),
                out,
            );
            if let Some(p) = r.get("path") {
                path_modifier(p, &rp.key("path"), out);
            }
        }
        if let Some(m) = f.get("requestMirror") {
            let mp = fp.key("requestMirror");
            match m.get("backendRef") {
                Some(b) => backend_ref(b, &mp.key("backendRef"), out),
                None => out.push(&mp.key("backendRef"), Kind::Required, "Required value"),
            }
            opt_int(m, "percent", &mp, 0, 100, out);
            if m.get("percent").is_some() && m.get("fraction").is_some() {
                out.push(
                    &mp,
                    Kind::Invalid,
                    "Only one of percent or fraction may be specified in HTTPRequestMirrorFilter",
                );
            }
        }
    }
}

/// `HTTPHeaderFilter`: set/add are maps keyed by name (≤ 16), remove a set (≤ 16).
pub(super) fn header_modifier(m: &Value, path: &FieldPath, out: &mut Findings) {
    for key in ["set", "add"] {
        let items = list(m, key, path, 16, out);
        unique_names(items, &path.key(key), out);
        for (i, h) in items.iter().enumerate() {
            let hp = path.key(key).index(i);
            req_str(h, "name", &hp, &Str::new(1, 256, Some(HEADER_NAME)), out);
            req_str(h, "value", &hp, &Str::new(1, 4096, None), out);
        }
    }
    let remove = list(m, "remove", path, 16, out);
    let mut seen = std::collections::BTreeSet::new();
    for (i, r) in remove.iter().enumerate() {
        if let Some(s) = r.as_str()
            && !seen.insert(s)
        {
            out.push(
                &path.key("remove").index(i),
                Kind::Duplicate,
                format!("Duplicate value: {s:?}"),
            );
        }
    }
}

/// `HTTPPathModifier` and its four CEL rules (type ⇔ field).
fn path_modifier(p: &Value, path: &FieldPath, out: &mut Findings) {
    opt_enum(
        p,
        "type",
        path,
        &["ReplaceFullPath", "ReplacePrefixMatch"],
        out,
    );
    opt_str(p, "replaceFullPath", path, &Str::new(0, 1024, None), out);
    opt_str(p, "replacePrefixMatch", path, &Str::new(0, 1024, None), out);
    let ty = p.get("type").and_then(Value::as_str);
    let full = p.get("replaceFullPath").is_some();
    let prefix = p.get("replacePrefixMatch").is_some();
    if ty == Some("ReplaceFullPath") && !full {
        out.push(
            path,
            Kind::Invalid,
            "replaceFullPath must be specified when type is set to 'ReplaceFullPath'",
        );
    }
    if full && ty != Some("ReplaceFullPath") {
        out.push(
            path,
            Kind::Invalid,
            "type must be 'ReplaceFullPath' when replaceFullPath is set",
        );
    }
    if ty == Some("ReplacePrefixMatch") && !prefix {
        out.push(
            path,
            Kind::Invalid,
            "replacePrefixMatch must be specified when type is set to 'ReplacePrefixMatch'",
        );
    }
    if prefix && ty != Some("ReplacePrefixMatch") {
        out.push(
            path,
            Kind::Invalid,
            "type must be 'ReplacePrefixMatch' when replacePrefixMatch is set",
        );
    }
}

/// `HTTPRouteTimeouts`: both durations match GEP-2257, and (CEL)
/// "backendRequest timeout cannot be longer than request timeout" unless request is 0s.
fn timeouts(t: &Value, path: &FieldPath, out: &mut Findings) {
    opt_str(
        t,
        "request",
        path,
        &Str::new(0, usize::MAX, Some(DURATION)),
        out,
    );
    opt_str(
        t,
        "backendRequest",
        path,
        &Str::new(0, usize::MAX, Some(DURATION)),
        out,
    );
    let ms = |k: &str| t.get(k).and_then(Value::as_str).and_then(duration_ms);
    if let (Some(req), Some(be)) = (ms("request"), ms("backendRequest"))
        && req != 0
        && be > req
    {
        out.push(
            path,
            Kind::Invalid,
            "backendRequest timeout cannot be longer than request timeout",
        );
    }
}

/// A GEP-2257 duration (`1h30m`, `500ms`) in milliseconds.
pub fn duration_ms(s: &str) -> Option<u64> {
    if !matches(DURATION, s) {
        return None;
    }
    let mut total = 0u64;
    let mut digits = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        let n: u64 = digits.parse().ok()?;
        digits.clear();
        let unit = match c {
            'h' => 3_600_000,
            'm' if chars.peek() == Some(&'s') => {
                chars.next();
                1
            }
            'm' => 60_000,
            's' => 1000,
            _ => return None,
        };
        total += n * unit;
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::Channel;
    use serde_json::json;

    fn fields(spec: Value) -> Vec<String> {
        let mut out = Findings::default();
        let profile = GatewayApiProfile::new(GatewayApiVersion::V1_5, Channel::Standard);
        check(&spec, &FieldPath::root().key("spec"), &profile, &mut out);
        let mut f: Vec<String> = out.0.into_iter().map(|v| v.field).collect();
        f.sort();
        f
    }

    fn rule(n: usize) -> Value {
        json!({"matches": [{"path": {"type": "PathPrefix", "value": format!("/r{n}")}}], "backendRefs": [{"name": "s", "port": 80}]})
    }

    #[test]
    fn at_most_16_rules_and_128_matches() {
        let rules: Vec<_> = (0..17).map(rule).collect();
        assert_eq!(fields(json!({"rules": rules})), ["spec.rules"]);
        let many: Vec<_> = (0..64)
            .map(|i| json!({"path": {"value": format!("/m{i}")}}))
            .collect();
        let rules: Vec<_> = (0..3)
            .map(|_| json!({"matches": many.clone(), "backendRefs": [{"name": "s", "port": 80}]}))
            .collect();
        assert_eq!(fields(json!({"rules": rules})), ["spec.rules"]);
    }

    #[test]
    fn redirect_excludes_backends_and_rewrite() {
        let r = json!({"filters": [{"type": "RequestRedirect", "requestRedirect": {"scheme": "https"}}], "backendRefs": [{"name": "s", "port": 80}]});
        assert_eq!(fields(json!({"rules": [r]})), ["spec.rules[0]"]);
        let r = json!({"filters": [{"type": "RequestRedirect", "requestRedirect": {}}, {"type": "URLRewrite", "urlRewrite": {}}]});
        assert_eq!(fields(json!({"rules": [r]})), ["spec.rules[0].filters"]);
    }

    #[test]
    fn replace_prefix_match_needs_one_prefix_match() {
        let f = json!([{"type": "URLRewrite", "urlRewrite": {"path": {"type": "ReplacePrefixMatch", "replacePrefixMatch": "/"}}}]);
        let r = json!({"matches": [{"path": {"type": "Exact", "value": "/a"}}], "filters": f, "backendRefs": [{"name": "s", "port": 80}]});
        assert_eq!(fields(json!({"rules": [r]})), ["spec.rules[0]"]);
        let r = json!({"matches": [{"path": {"type": "PathPrefix", "value": "/a"}}], "filters": f, "backendRefs": [{"name": "s", "port": 80}]});
        assert!(fields(json!({"rules": [r]})).is_empty());
    }

    #[test]
    fn filter_field_must_match_type() {
        let r = json!({"filters": [{"type": "RequestHeaderModifier", "responseHeaderModifier": {}}], "backendRefs": [{"name": "s", "port": 80}]});
        assert_eq!(
            fields(json!({"rules": [r]})),
            ["spec.rules[0].filters[0]", "spec.rules[0].filters[0]"]
        );
        let r = json!({"filters": [{"type": "Bogus"}], "backendRefs": [{"name": "s", "port": 80}]});
        assert_eq!(
            fields(json!({"rules": [r]})),
            ["spec.rules[0].filters[0].type"]
        );
    }

    #[test]
    fn path_values_are_normalised_absolute_paths() {
        for bad in [
            "a", "/a//b", "/a/./b", "/a/../b", "/a%2fb", "/a#b", "/a/..", "/a/.", "/a b",
        ] {
            let r = json!({"matches": [{"path": {"type": "Exact", "value": bad}}], "backendRefs": [{"name": "s", "port": 80}]});
            let mut got = fields(json!({"rules": [r]}));
            got.dedup(); // "/a#b" breaks two rules on the same field
            assert_eq!(got, ["spec.rules[0].matches[0].path"], "{bad}");
        }
        let r = json!({"matches": [{"path": {"type": "RegularExpression", "value": "a b"}}], "backendRefs": [{"name": "s", "port": 80}]});
        assert!(fields(json!({"rules": [r]})).is_empty());
    }

    #[test]
    fn hostnames_headers_and_timeouts() {
        assert_eq!(
            fields(json!({"hostnames": ["www.*.example.com", "ok.example.com", "a."]})),
            ["spec.hostnames[0]", "spec.hostnames[2]"]
        );
        let r = json!({"matches": [{"headers": [{"name": "bad header", "value": "v"}, {"name": "X", "value": "v"}, {"name": "X", "value": "w"}]}], "backendRefs": [{"name": "s", "port": 80}]});
        assert_eq!(
            fields(json!({"rules": [r]})),
            [
                "spec.rules[0].matches[0].headers[0].name",
                "spec.rules[0].matches[0].headers[2]"
            ]
        );
        let r = json!({"timeouts": {"request": "10s", "backendRequest": "1m"}, "backendRefs": [{"name": "s", "port": 80}]});
        assert_eq!(fields(json!({"rules": [r]})), ["spec.rules[0].timeouts"]);
        assert_eq!(duration_ms("1h2m3s4ms"), Some(3_723_004));
        assert_eq!(duration_ms("1d"), None);
    }

    #[test]
    fn unknown_fields_and_experimental_fields_in_standard() {
        let r = json!({"retry": {"attempts": 2}, "backendRefs": [{"name": "s", "port": 80}]});
        assert_eq!(
            fields(json!({"rules": [r], "bogus": 1})),
            ["spec.bogus", "spec.rules[0].retry"]
        );
    }
}
