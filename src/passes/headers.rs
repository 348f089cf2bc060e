//! upstream-vhost, connection-proxy-header, custom-headers, and the ConfigMap's
//! proxy-set-headers / add-headers.
//!
//! ## What ingress-nginx does
//! `upstream-vhost` replaces the `Host` header sent upstream (instead of the
//! request's host). `connection-proxy-header` (`close` or `keep-alive`) replaces
//! the `Connection` header sent upstream (default `$connection_upgrade`).
//! `custom-headers: [ns/]configmap` sets every key of that ConfigMap as a
//! **response** header (`more_set_headers`); each name must be listed in the
//! controller ConfigMap's `global-allowed-response-headers`, and a missing
//! ConfigMap, a name not allowed, or another namespace (unless
//! `allow-cross-namespace-resources`) denies every location of the Ingress (503).
//! An invalid upstream-vhost or connection-proxy-header makes the controller
//! ignore the whole Ingress. ConfigMap `proxy-set-headers: ns/name` adds request
//! headers to every upstream; `add-headers: ns/name` adds response headers to
//! every response. Values may contain nginx variables.
//!
//! ## What Gateway API offers
//! `URLRewrite.hostname`, `RequestHeaderModifier`, `ResponseHeaderModifier` (fixed
//! values only).
//!
//! ## What we emit
//! URLRewrite hostname for upstream-vhost (merged into an existing URLRewrite;
//! nginx variables replaced where they have one value on the rule, e.g. `$host`
//! on an exact hostname);
//! header modifiers with the ConfigMaps' fixed values; for a denied custom-headers
//! configuration, rules without backends (fail closed, as ingress-nginx's 503).
//!
//! ## What we record (traffic-policy facts)
//! `RulePolicy.upstream_host` on every proxying location rule: the upstream-vhost
//! value as nginx sends it (variables replaced where they have one value on the
//! rule; rules where they have none record nothing), also when URLRewrite cannot
//! carry it (a `host:port`).
//!
//! ## What we warn
//! Values with nginx variables, ConfigMaps missing from the input, denied
//! configurations, the hop-by-hop `Connection` header, invalid values.

use super::annotated::{self, note};
use super::nginx_vars;
use super::{Pass, PassContext};
use crate::input::{InputConfigMap, InputIngress};
use crate::ir::*;
use crate::report::{Code, Notification, Report, Severity};

pub const HEADERS: Code = Code("headers");
pub const HEADERS_DENIED: Code = Code("custom-headers-denied");
pub const HEADERS_UNRESOLVED: Code = Code("headers-configmap-missing");

pub struct HeadersPass;

/// Gateway API's `PreciseHostname` (lower-case DNS name, no port, no wildcard).
pub fn is_precise_hostname(h: &str) -> bool {
    !h.is_empty()
        && h.len() <= 253
        && h.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && l.bytes()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        })
}

impl Pass for HeadersPass {
    fn name(&self) -> &'static str {
        "headers"
    }
    fn annotations(&self) -> &'static [&'static str] {
        &[
            "upstream-vhost",
            "connection-proxy-header",
            "custom-headers",
        ]
    }
    fn run(&self, cx: &PassContext, ir: &mut Ir, report: &mut Report) {
        for (_, ing) in cx.primaries() {
            upstream_vhost(cx, ing, ir, report);
            connection(cx, ing, ir, report);
            custom_headers(cx, ing, ir, report);
        }
        global_headers(cx, ir, report);
    }
}

fn push_filter(
    cx: &PassContext,
    ing: &InputIngress,
    key: &str,
    filter: Filter,
    ir: &mut Ir,
) -> usize {
    let full = cx.full_key(key);
    let span = cx.annotation_span(ing, key);
    let mut count = 0;
    for at in annotated::location_rules(ir, ing) {
        let Some(rule) = ir.rule_mut(&at) else {
            continue;
        };
        // nginx's `more_set_headers` also marks the responses of a `return`
        // (permanent/temporal redirect); request edits are moot there, and a
        // hostname rewrite cannot go with a RequestRedirect.
        if matches!(rule.action, Action::Redirect(_))
            && !matches!(filter, Filter::ResponseHeaders(_))
        {
            continue;
        }
        let from = Provenance::from(ProvenanceData {
            annotation: Some(full.clone()),
            span: span.clone(),
            ..ProvenanceData::clone(&rule.from)
        });
        add_or_merge(rule, filter.clone(), from);
        count += 1;
    }
    count
}

/// Adds a filter; header edits and URLRewrite merge into an existing one (Gateway
/// API allows each filter type once per rule).
fn add_or_merge(rule: &mut Rule, filter: Filter, from: Provenance) {
    for existing in &mut rule.filters {
        match (&mut existing.filter, &filter) {
            (Filter::RequestHeaders(a), Filter::RequestHeaders(b))
            | (Filter::ResponseHeaders(a), Filter::ResponseHeaders(b)) => {
                for (n, v) in &b.set {
                    if !a.set.iter().any(|(x, _)| x.eq_ignore_ascii_case(n)) {
                        a.set.push((n.clone(), v.clone()));
                    }
                }
                a.add.extend(b.add.iter().cloned());
                a.remove.extend(b.remove.iter().cloned());
                return;
            }
            (Filter::UrlRewrite { hostname, .. }, Filter::UrlRewrite { hostname: h, .. }) => {
                if hostname.is_none() {
                    *hostname = h.clone();
                }
                return;
            }
            _ => {}
        }
    }
    rule.filters.push(RuleFilter { filter, from });
}

fn upstream_vhost(cx: &PassContext, ing: &InputIngress, ir: &mut Ir, report: &mut Report) {
    let Some(v) = annotated::value(cx, ing, "upstream-vhost").map(str::trim) else {
        return;
    };
    let lower = v.to_ascii_lowercase();
    if !nginx_vars::variables(v).is_empty() {
        upstream_vhost_variables(cx, ing, v, ir, report);
        return;
    }
    // The fact is the Host nginx sends, even where URLRewrite cannot carry it (a port).
    let span = cx.annotation_span(ing, "upstream-vhost");
    let key = cx.full_key("upstream-vhost");
    annotated::for_proxy_rules(ir, ing, |rule| {
        let from = rule.from.clone().with_annotation(&key, span.clone());
        rule.policy_mut().upstream_host = Some(Sourced::new(v.to_string(), from));
    });
    if !is_precise_hostname(&lower) {
        report.push(note(cx, ing, "upstream-vhost", Severity::Warning, HEADERS, format!("upstream-vhost `{v}` is not a plain hostname (ports and other characters cannot go into URLRewrite.hostname); nothing is emitted, upstreams receive the client's Host")));
        return;
    }
    let n = push_filter(
        cx,
        ing,
        "upstream-vhost",
        Filter::UrlRewrite {
            hostname: Some(lower.clone()),
            path: None,
        },
        ir,
    );
    if n > 0 {
        report.push(note(
            cx,
            ing,
            "upstream-vhost",
            Severity::Info,
            HEADERS,
            format!("upstream-vhost → URLRewrite hostname `{lower}` on {n} rule(s)"),
        ));
    }
}

/// upstream-vhost with nginx variables: nginx evaluates `proxy_set_header Host
/// "<v>"` per request. Where each variable has one value on the rule (`$host` on
/// an exact hostname, a fixed capture), the hostname is known; elsewhere nothing
/// is emitted and the rules are named.
fn upstream_vhost_variables(
    cx: &PassContext,
    ing: &InputIngress,
    v: &str,
    ir: &mut Ir,
    report: &mut Report,
) {
    let full = cx.full_key("upstream-vhost");
    let span = cx.annotation_span(ing, "upstream-vhost");
    let mut emitted = Vec::new();
    let mut unknown = Vec::new();
    let mut unknown_vars: Vec<nginx_vars::NginxVar> = Vec::new();
    let ids: Vec<HostId> = ir.hosts.of_object(&ing.obj).map(|h| h.id.clone()).collect();
    for id in ids {
        let Some(h) = ir.hosts.get_mut(&id) else {
            continue;
        };
        let host = h.id.host.hostname().map(String::from);
        for rule in h.rules.iter_mut().filter(|r| {
            r.from.object.as_ref() == Some(&ing.obj)
                && r.from.annotation.is_none()
                && !matches!(r.action, Action::Redirect(_))
        }) {
            let regex = rule
                .matches
                .iter()
                .any(|m| matches!(m.path, Some(PathMatch::Regex(_))));
            let vars = nginx_vars::VarContext::for_rule(
                host.as_deref(),
                &rule.source_path.path,
                regex,
                true,
            );
            let here = format!(
                "{} {}",
                host.as_deref().unwrap_or("(any host)"),
                rule.source_path.path
            );
            let expanded = nginx_vars::expand(v, &vars);
            if let Ok(host) = &expanded {
                let from = rule.from.clone().with_annotation(&full, span.clone());
                rule.policy_mut().upstream_host = Some(Sourced::new(host.clone(), from));
            }
            match expanded.map(|x| x.to_ascii_lowercase()) {
                Ok(name) if is_precise_hostname(&name) => {
                    let from = Provenance::from(ProvenanceData {
                        annotation: Some(full.clone()),
                        span: span.clone(),
                        ..ProvenanceData::clone(&rule.from)
                    });
                    add_or_merge(
                        rule,
                        Filter::UrlRewrite {
                            hostname: Some(name.clone()),
                            path: None,
                        },
                        from,
                    );
                    emitted.push(format!("`{name}` on {here}"));
                }
                Ok(other) => unknown.push(format!("{here} (`{other}` is not a plain hostname)")),
                Err(vars) => {
                    unknown.push(here);
                    for u in vars {
                        if !unknown_vars.contains(&u) {
                            unknown_vars.push(u);
                        }
                    }
                }
            }
        }
    }
    if !emitted.is_empty() {
        report.push(note(cx, ing, "upstream-vhost", Severity::Info, HEADERS, format!("upstream-vhost `{v}` uses nginx variables with one value per rule → URLRewrite hostname {}", emitted.join(", "))));
    }
    if !unknown.is_empty() {
        let vars = if unknown_vars.is_empty() {
            String::new()
        } else {
            format!(
                " ({} without a single value there)",
                nginx_vars::list(&unknown_vars)
            )
        };
        report.push(note(cx, ing, "upstream-vhost", Severity::Warning, HEADERS, format!("upstream-vhost `{v}` uses nginx variables{vars}: nginx computes the Host per request, Gateway API sets a fixed hostname only, so nothing is emitted on {} and upstreams receive the client's Host", unknown.join(", "))).suggest("set a fixed hostname, or keep the client's Host (the Gateway API default)"));
    }
}

fn connection(cx: &PassContext, ing: &InputIngress, ir: &mut Ir, report: &mut Report) {
    let Some(v) = annotated::value(cx, ing, "connection-proxy-header").map(str::trim) else {
        return;
    };
    if v != "close" && v != "keep-alive" {
        report.push(note(cx, ing, "connection-proxy-header", Severity::Error, HEADERS, format!("`{v}` is not `close` or `keep-alive`: since v1.12 the controller ignores this whole Ingress (validation); nothing is emitted for the annotation")));
        return;
    }
    let edits = HeaderEdits {
        set: vec![("Connection".into(), v.to_string())],
        ..Default::default()
    };
    let n = push_filter(
        cx,
        ing,
        "connection-proxy-header",
        Filter::RequestHeaders(edits),
        ir,
    );
    if n > 0 {
        report.push(note(cx, ing, "connection-proxy-header", Severity::Info, HEADERS, format!("connection-proxy-header → request header `Connection: {v}` on {n} rule(s); `Connection` is hop-by-hop and most implementations manage upstream connections themselves, so they may ignore it (WebSocket upgrades are handled by the Gateway)")));
    }
}

/// `ns/name` or `name` (in `default_ns`).
fn split_ref<'a>(v: &'a str, default_ns: &'a str) -> (&'a str, &'a str) {
    v.split_once('/').unwrap_or((default_ns, v))
}

fn custom_headers(cx: &PassContext, ing: &InputIngress, ir: &mut Ir, report: &mut Report) {
    let Some(v) = annotated::value(cx, ing, "custom-headers").map(str::trim) else {
        return;
    };
    let (ns, name) = split_ref(v, ing.namespace());
    let cross_ok = annotated::cross_namespace_allowed(cx);
    if ns != ing.namespace() && !cross_ok {
        deny(
            cx,
            ing,
            ir,
            report,
            format!(
                "custom-headers refers to ConfigMap {ns}/{name} in another namespace and allow-cross-namespace-resources is false: ingress-nginx denies every location of this Ingress (503)"
            ),
        );
        return;
    }
    let Some(cm) = cx.input.config_map(ns, name) else {
        report.push(note(cx, ing, "custom-headers", Severity::Warning, HEADERS_UNRESOLVED, format!("ConfigMap {ns}/{name} is not in the input: its response headers cannot be translated (and if it does not exist, ingress-nginx answers 503 on every path of this Ingress)")).suggest("pass the ConfigMap with -f, or read from the cluster"));
        return;
    };
    let allowed: Vec<String> = annotated::list(
        cx.config
            .get("global-allowed-response-headers")
            .unwrap_or(""),
    )
    .into_iter()
    .map(|h| h.to_ascii_lowercase())
    .collect();
    let not_allowed: Vec<&String> = cm
        .data
        .keys()
        .filter(|k| !allowed.contains(&k.to_ascii_lowercase()))
        .collect();
    if !not_allowed.is_empty() {
        let names: Vec<&str> = not_allowed.iter().map(|s| s.as_str()).collect();
        deny(
            cx,
            ing,
            ir,
            report,
            format!(
                "custom-headers: header(s) {} are not listed in the controller ConfigMap's global-allowed-response-headers: ingress-nginx denies every location of this Ingress (503)",
                names.join(", ")
            ),
        );
        return;
    }
    let (edits, skipped) = fixed_headers(cm);
    if !skipped.is_empty() {
        report.push(note(cx, ing, "custom-headers", Severity::Warning, HEADERS, format!("custom-headers: {} use nginx variables; Gateway API sets fixed values only, they are not emitted", skipped.join(", "))));
    }
    if edits.set.is_empty() {
        return;
    }
    let n = push_filter(
        cx,
        ing,
        "custom-headers",
        Filter::ResponseHeaders(edits),
        ir,
    );
    if n > 0 {
        report.push(note(
            cx,
            ing,
            "custom-headers",
            Severity::Info,
            HEADERS,
            format!(
                "custom-headers from ConfigMap {ns}/{name} → ResponseHeaderModifier on {n} rule(s)"
            ),
        ));
    }
}

/// The headers of a ConfigMap as fixed-value edits, and the names of those whose
/// value uses nginx variables (`$…`): Gateway API cannot set those.
fn fixed_headers(cm: &InputConfigMap) -> (HeaderEdits, Vec<&str>) {
    let mut edits = HeaderEdits::default();
    let mut skipped = Vec::new();
    for (k, val) in &cm.data {
        if val.contains('$') {
            skipped.push(k.as_str());
        } else {
            edits.set.push((k.clone(), val.clone()));
        }
    }
    (edits, skipped)
}

/// ingress-nginx denies the Ingress's locations (503): emit them without backends.
fn deny(cx: &PassContext, ing: &InputIngress, ir: &mut Ir, report: &mut Report, msg: String) {
    let mut n = 0;
    for at in annotated::location_rules(ir, ing) {
        let Some(rule) = ir.rule_mut(&at) else {
            continue;
        };
        rule.action = Action::Forward(Vec::new());
        n += 1;
    }
    report.push(
        note(cx, ing, "custom-headers", Severity::Error, HEADERS_DENIED, format!("{msg}; the {n} rule(s) are emitted without backends, so they fail closed as today (500 instead of 503)"))
            .suggest("fix the ConfigMap reference or the allow-list, then re-run the translation"),
    );
}

/// ConfigMap proxy-set-headers / add-headers: fixed headers on every rule.
fn global_headers(cx: &PassContext, ir: &mut Ir, report: &mut Report) {
    for (key, response) in [("proxy-set-headers", false), ("add-headers", true)] {
        let Some(v) = cx.config.get(key).map(str::trim).filter(|v| !v.is_empty()) else {
            continue;
        };
        let (ns, name) = split_ref(v, "");
        let Some(cm) = cx.input.config_map(ns, name) else {
            report.push(Notification::warning(HEADERS_UNRESOLVED, format!("controller ConfigMap {key} refers to ConfigMap {v}, which is not in the input: its headers cannot be translated")).field(format!("ConfigMap {key}")).suggest("pass the ConfigMap with -f, or read from the cluster"));
            continue;
        };
        let (edits, skipped) = fixed_headers(cm);
        if !skipped.is_empty() {
            report.push(Notification::warning(HEADERS, format!("ConfigMap {key} ({v}): {} use nginx variables and are not emitted", skipped.join(", "))).field(format!("ConfigMap {key}")).suggest("most of these (X-Real-IP, X-Forwarded-*) are set by Gateway implementations themselves; check yours"));
        }
        if edits.set.is_empty() {
            continue;
        }
        let mut n = 0;
        for rule in ir.hosts.values_mut().flat_map(|h| h.rules.iter_mut()) {
            if matches!(rule.action, Action::Redirect(_)) {
                continue;
            }
            let filter = if response {
                Filter::ResponseHeaders(edits.clone())
            } else {
                Filter::RequestHeaders(edits.clone())
            };
            let from = Provenance::from(ProvenanceData {
                annotation: Some(format!("ConfigMap {key}")),
                ..ProvenanceData::clone(&rule.from)
            });
            add_or_merge(rule, filter, from);
            n += 1;
        }
        report.push(
            Notification::info(
                HEADERS,
                format!(
                    "ConfigMap {key} ({v}) → {} on every rule ({n})",
                    if response {
                        "ResponseHeaderModifier"
                    } else {
                        "RequestHeaderModifier"
                    }
                ),
            )
            .field(format!("ConfigMap {key}")),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precise_hostnames() {
        assert!(is_precise_hostname("backend.internal"));
        assert!(!is_precise_hostname("backend:8080"));
        assert!(!is_precise_hostname("*.x"));
        assert!(!is_precise_hostname(""));
    }

    #[test]
    fn header_edits_merge_without_duplicates() {
        let mut rule = Rule {
            namespace: "d".into(),
            name: "r".into(),
            matches: Vec::new(),
            filters: Vec::new(),
            action: Action::Forward(Vec::new()),
            https_redirect: None,
            timeouts: None,
            retry: None,
            session_persistence: None,
            policy: None,
            source_path: SourcePath {
                path: "/".into(),
                path_type: SourcePathType::Prefix,
            },
            from: Provenance::default(),
        };
        let set = |n: &str, v: &str| {
            Filter::RequestHeaders(HeaderEdits {
                set: vec![(n.into(), v.into())],
                ..Default::default()
            })
        };
        add_or_merge(&mut rule, set("A", "1"), Provenance::default());
        add_or_merge(&mut rule, set("a", "2"), Provenance::default());
        add_or_merge(&mut rule, set("B", "3"), Provenance::default());
        assert_eq!(rule.filters.len(), 1);
        let Filter::RequestHeaders(e) = &rule.filters[0].filter else {
            panic!()
        };
        assert_eq!(
            e.set,
            vec![("A".to_string(), "1".to_string()), ("B".into(), "3".into())]
        );
    }
}
