//! mirror-target, mirror-host, mirror-request-body (and the retired mirror-uri).
//!
//! ## What ingress-nginx does
//! `mirror-target: <url>` adds `mirror /_mirror-<uid>` to every location of the
//! Ingress and an internal location that `proxy_pass`es to the URL: each request is
//! copied there, the mirror's response is ignored, but the original request waits
//! for the mirror subrequest to finish. The URL usually ends in `$request_uri`
//! (otherwise the mirror receives the internal `/_mirror-<uid>` path). The mirror's
//! `Host` is `mirror-host` (default: the target's host); `mirror-request-body: off`
//! mirrors without the body. `mirror-uri` is not read by current controllers.
//!
//! ## What Gateway API offers
//! `RequestMirror` to a backendRef (a Service port), optional percent or fraction;
//! the mirror keeps the request path and Host; the original does not wait.
//!
//! ## What we emit
//! A RequestMirror filter on every rule of the Ingress when the target names an
//! in-cluster Service (`svc` or `svc.ns.svc[.cluster.local]`), port from
//! the URL or its scheme.
//!
//! ## What we warn
//! External targets (need an implementation backend kind), fixed target paths,
//! mirror-host, mirror-request-body off, HTTPS targets (BackendTLSPolicy needed).
//!
//! ## nginx variables in the target
//! nginx evaluates the URL per request. `$request_uri` is what a Gateway API
//! mirror sends anyway (the original path and query); every other variable
//! (`$host`, `$uri`, `$1`, …) has no equivalent in a RequestMirror backendRef, and
//! `http://$host/…` is not a Service named `$host` but the request's own host,
//! resolved by DNS. Such targets are reported by name and no mirror is emitted.

use super::annotated::{self, note};
use super::nginx_vars::{self, NginxVar};
use super::{Pass, PassContext};
use crate::input::InputIngress;
use crate::ir::*;
use crate::report::{Code, Report, Severity};

pub const MIRROR: Code = Code("mirror");

pub struct MirrorPass;

/// A mirror target inside the cluster: (namespace, service, port, https, path).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MirrorTarget {
    pub namespace: String,
    pub service: String,
    pub port: u16,
    pub https: bool,
    /// The path of the URL with `$request_uri` removed (empty when none).
    pub fixed_path: String,
    pub keeps_uri: bool,
}

/// The nginx variables of a mirror-target other than `$request_uri` (which a
/// Gateway API mirror reproduces: it keeps the original path and query).
pub fn untranslatable_variables(v: &str) -> Vec<NginxVar> {
    nginx_vars::variables(v)
        .into_iter()
        .filter(|var| !matches!(var, NginxVar::Named(n) if n == "request_uri"))
        .collect()
}

/// Parses a mirror-target URL; `None` when it does not name a Service (or
/// uses nginx variables other than `$request_uri`: nginx evaluates them per
/// request, so the text is no Service name).
pub fn parse_target(v: &str, default_ns: &str) -> Option<MirrorTarget> {
    if !untranslatable_variables(v).is_empty() {
        return None;
    }
    let keeps_uri = v.contains("$request_uri");
    let cleaned = v.replace("$request_uri", "");
    let uri: http::Uri = cleaned.parse().ok()?;
    let https = match uri.scheme_str()? {
        "http" => false,
        "https" => true,
        _ => return None,
    };
    let host = uri.host()?.to_ascii_lowercase();
    if host.parse::<std::net::IpAddr>().is_ok() {
        return None;
    }
    let labels: Vec<&str> = host.trim_end_matches('.').split('.').collect();
    let (service, namespace) = match labels.as_slice() {
        [svc] => (*svc, default_ns),
        [svc, ns, "svc"] => (*svc, *ns),
        [svc, ns, "svc", "cluster", "local"] => (*svc, *ns),
        _ => return None,
    };
    // Port 0 names no Service port (and Gateway API's range is 1-65535): not a
    // target a backendRef can name.
    let port = match uri.port_u16() {
        Some(0) => return None,
        Some(p) => p,
        None => {
            if https {
                443
            } else {
                80
            }
        }
    };
    let path = uri.path().trim_end_matches('/').to_string();
    Some(MirrorTarget {
        namespace: namespace.to_string(),
        service: service.to_string(),
        port,
        https,
        fixed_path: path,
        keeps_uri,
    })
}

impl Pass for MirrorPass {
    fn name(&self) -> &'static str {
        "mirror"
    }
    fn annotations(&self) -> &'static [&'static str] {
        &[
            "mirror-target",
            "mirror-host",
            "mirror-request-body",
            "mirror-uri",
        ]
    }
    fn run(&self, cx: &PassContext, ir: &mut Ir, report: &mut Report) {
        for (_, ing) in cx.primaries() {
            if annotated::value(cx, ing, "mirror-uri").is_some() {
                report.push(note(cx, ing, "mirror-uri", Severity::Warning, MIRROR, "mirror-uri is not read by the modelled controller version (replaced by mirror-target): no mirroring happens today, nothing is emitted"));
            }
            if let Some(target) = annotated::value(cx, ing, "mirror-target") {
                mirror(cx, ing, target.trim(), ir, report);
            }
        }
    }
}

fn mirror(cx: &PassContext, ing: &InputIngress, target: &str, ir: &mut Ir, report: &mut Report) {
    let vars = untranslatable_variables(target);
    if !vars.is_empty() {
        report.push(
            note(cx, ing, "mirror-target", Severity::Warning, MIRROR, format!(
                "mirror-target `{target}` uses nginx variables ({}) that nginx evaluates per request{}; a RequestMirror backendRef names one fixed Service, so no mirror is emitted: requests to {} are not mirrored",
                nginx_vars::list(&vars),
                if vars.iter().any(|v| matches!(v, NginxVar::Named(n) if n == "host" || n == "server_name")) {
                    " (`$host` is the request's own host, resolved by DNS, not a Service)"
                } else {
                    ""
                },
                hosts_and_paths(ing),
            ))
            .suggest("mirror to a fixed in-cluster Service URL ending in `$request_uri` (e.g. `http://shadow.<ns>.svc:8080$request_uri`), or use your implementation's backend kind for external mirrors"),
        );
        return;
    }
    let Some(t) = parse_target(target, ing.namespace()) else {
        report.push(
            note(cx, ing, "mirror-target", Severity::Warning, MIRROR, format!("mirror-target `{target}` is not an in-cluster Service URL: standard RequestMirror needs a Service backendRef, nothing is emitted"))
                .suggest("mirror to a Service (e.g. an ExternalName Service, if your implementation supports it), or use your implementation's backend kind (Envoy Gateway `Backend`, kgateway `Backend`) as the mirror backendRef"),
        );
        return;
    };
    let mut lost = Vec::new();
    if !t.keeps_uri {
        lost.push("the target has no `$request_uri`, so nginx sends the mirror the internal `/_mirror-<uid>` path; Gateway API mirrors the original path".to_string());
    }
    if !t.fixed_path.is_empty() {
        lost.push(format!(
            "the path prefix `{}` of the target cannot be added",
            t.fixed_path
        ));
    }
    if t.namespace != ing.namespace() {
        lost.push(format!(
            "the Service is in namespace {}: HTTPRoutes of {} reach it only through a ReferenceGrant there, emitted only with --allow-cross-namespace-grants",
            t.namespace,
            ing.namespace()
        ));
    }
    if t.https {
        lost.push("the target is HTTPS: add a BackendTLSPolicy for the Service".into());
    }
    if let Some(h) = annotated::value(cx, ing, "mirror-host") {
        lost.push(format!("mirror-host `{h}` (the mirror's Host header) has no Gateway API field; the mirror gets the original Host"));
    }
    if annotated::value(cx, ing, "mirror-request-body").map(str::trim) == Some("off") {
        lost.push("mirror-request-body off: Gateway API always mirrors the body".into());
    }
    let backend = Backend {
        namespace: t.namespace.clone(),
        service: t.service.clone(),
        port: t.port,
        weight: None,
    };
    let key = cx.full_key("mirror-target");
    let span = cx.annotation_span(ing, "mirror-target");
    let mut n = 0;
    for at in annotated::location_rules(ir, ing) {
        let Some(rule) = ir.rule_mut(&at) else {
            continue;
        };
        if matches!(rule.action, Action::Redirect(_)) {
            continue;
        }
        let from = Provenance::from(ProvenanceData {
            annotation: Some(key.clone()),
            span: span.clone(),
            ..ProvenanceData::clone(&rule.from)
        });
        rule.filters.push(RuleFilter {
            filter: Filter::Mirror {
                backend: backend.clone(),
                percent: None,
            },
            from,
        });
        n += 1;
    }
    if n == 0 {
        return;
    }
    let mut msg = format!(
        "mirror-target → RequestMirror to Service {}/{} port {} on {n} rule(s); nginx makes the original request wait for the mirror, Gateway implementations do not",
        t.namespace, t.service, t.port
    );
    for l in &lost {
        msg.push_str("; ");
        msg.push_str(l);
    }
    let sev = if lost.is_empty() {
        Severity::Info
    } else {
        Severity::Warning
    };
    report.push(note(cx, ing, "mirror-target", sev, MIRROR, msg));
}

/// `host/path, …` of the Ingress's rules, for messages that must name what they affect.
fn hosts_and_paths(ing: &InputIngress) -> String {
    let mut out: Vec<String> = Vec::new();
    for rule in ing.rules() {
        let host = rule.host.as_deref().unwrap_or("*");
        for path in rule.http.iter().flat_map(|h| &h.paths) {
            out.push(format!("{host}{}", path.path.as_deref().unwrap_or("/")));
        }
    }
    if out.is_empty() {
        out.push("the default backend".into());
    }
    out.sort();
    out.dedup();
    out.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_are_not_service_names() {
        assert!(parse_target("http://$host/x$request_uri", "web").is_none());
        assert!(parse_target("http://shadow$uri", "web").is_none());
        assert!(parse_target("http://shadow/$1", "web").is_none());
        assert_eq!(
            untranslatable_variables("http://$host:8080$request_uri"),
            vec![NginxVar::Named("host".into())]
        );
        assert!(untranslatable_variables("http://shadow$request_uri").is_empty());
        assert!(parse_target("http://shadow$request_uri", "web").is_some());
    }

    #[test]
    fn service_targets() {
        let t = parse_target(
            "http://shadow.testing.svc.cluster.local:8080$request_uri",
            "web",
        )
        .unwrap();
        assert_eq!(
            (t.namespace.as_str(), t.service.as_str(), t.port),
            ("testing", "shadow", 8080)
        );
        assert!(t.keeps_uri && t.fixed_path.is_empty());
        let t = parse_target("https://shadow/v2$request_uri", "web").unwrap();
        assert_eq!((t.namespace.as_str(), t.port, t.https), ("web", 443, true));
        assert_eq!(t.fixed_path, "/v2");
    }

    #[test]
    fn external_targets_are_not_services() {
        assert!(parse_target("https://test.env.example.com$request_uri", "web").is_none());
        assert!(parse_target("http://10.0.0.1/$request_uri", "web").is_none());
        assert!(parse_target("https://example.com$request_uri", "web").is_none());
    }
}
