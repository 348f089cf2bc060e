//! backend-protocol, proxy-ssl-*, fastcgi-*.
//!
//! ## What ingress-nginx does
//! `backend-protocol` (HTTP default; AUTO_HTTP, HTTPS, GRPC, GRPCS, FCGI,
//! case-insensitive, an invalid value falls back to HTTP) picks `proxy_pass
//! http://`, `$scheme://` (AUTO_HTTP: the client's scheme), `https://`,
//! `grpc_pass grpc(s)://` or `fastcgi_pass` for every location of the Ingress. The
//! template compares `GRPC`/`FCGI` case-sensitively, so lower-case values lose the
//! gRPC timeouts. Upstream TLS is **not verified** by default
//! (`proxy-ssl-verify: off`) and sends no SNI (`proxy-ssl-server-name: off`);
//! `proxy-ssl-secret: ns/name` supplies the client certificate and `ca.crt`,
//! `proxy-ssl-name` the name to verify, plus ciphers, protocols and verify depth.
//! The server-level part comes from the first Ingress of the host.
//!
//! ## What Gateway API offers
//! GRPCRoute (service/method matches); BackendTLSPolicy v1 per Service (hostname
//! for SNI and verification, CA from a ConfigMap or the system CAs — always
//! verified); Gateway `spec.tls.backend.clientCertificateRef` (one client
//! certificate per Gateway); Service `appProtocol` (`kubernetes.io/h2c`) to tell the
//! implementation how to speak to a port.
//!
//! ## What we emit
//! GRPC/GRPCS rules whose paths are `/`, `/pkg.Service[/]` or Exact
//! `/pkg.Service/Method` as GRPCRoute rules; one BackendTLSPolicy per Service for
//! HTTPS/GRPCS, and the CA of proxy-ssl-secret as a ConfigMap reference, else the
//! system CAs (`wellKnownCACertificates: System`). The hostname (SNI and the name
//! verified) is the first plain hostname of: `proxy-ssl-name`; `upstream-vhost`
//! (the virtual host the backend is asked for, so the name its certificate is
//! for); an ExternalName Service's `externalName`; `<svc>.<ns>.svc`.
//!
//! nginx's `proxy-ssl-verify` is off by default, and every proxy-ssl-* annotation
//! is ignored without a usable `proxy-ssl-secret`: most HTTPS backends are
//! encrypted but not verified today. Gateway API cannot encrypt without
//! verifying. We still emit the (verifying) policy: without it the Gateway speaks
//! plain HTTP to a TLS port, which fails every request and encrypts nothing,
//! while a verifying policy can only fail closed where the certificate does not
//! verify.
//!
//! ## What we warn
//! The verification that Gateway API adds (certificates nginx accepted may be
//! refused, with the hostname each Service is verified against and where it came
//! from), proxy-ssl-* set without a usable secret (ignored by nginx), a
//! proxy-ssl-name that is not a hostname, settings without a field (ciphers,
//! protocols, depth, client certificate), gRPC paths that stay HTTPRoute rules,
//! missing appProtocol on Services in the input, AUTO_HTTP and FastCGI.

use super::annotated::{self, note};
use super::headers::is_precise_hostname;
use super::{Pass, PassContext};
use crate::input::InputIngress;
use crate::ir::*;
use crate::report::{Code, Report, Severity};
use std::collections::BTreeSet;

pub const BACKEND_PROTOCOL: Code = Code("backend-protocol");
pub const BACKEND_TLS: Code = Code("backend-tls");
pub const APP_PROTOCOL: Code = Code("app-protocol-hint");
/// How the note announcing GRPCRoute rules starts (the emitter withdraws it when
/// a GRPCRoute would conflict with an HTTPRoute, `emit/grpc_conflict.rs`).
pub const GRPCROUTE_NOTE: &str = "gRPC backends:";
/// How the warning about what GRPCRoute rules cannot carry starts (withdrawn likewise).
pub const GRPCROUTE_LIMITS_NOTE: &str = "GRPCRoute rules have no timeouts";

/// ingress-nginx's backend protocols.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    Http,
    AutoHttp,
    Https,
    Grpc,
    Grpcs,
    Fcgi,
}

impl Protocol {
    pub fn parse(v: &str) -> Option<Protocol> {
        Some(match v.trim().to_ascii_uppercase().as_str() {
            "HTTP" => Protocol::Http,
            "AUTO_HTTP" => Protocol::AutoHttp,
            "HTTPS" => Protocol::Https,
            "GRPC" => Protocol::Grpc,
            "GRPCS" => Protocol::Grpcs,
            "FCGI" => Protocol::Fcgi,
            _ => return None,
        })
    }
    fn tls(self) -> bool {
        matches!(self, Protocol::Https | Protocol::Grpcs)
    }
    fn grpc(self) -> bool {
        matches!(self, Protocol::Grpc | Protocol::Grpcs)
    }
}

const PROXY_SSL: &[&str] = &[
    "proxy-ssl-secret",
    "proxy-ssl-ciphers",
    "proxy-ssl-protocols",
    "proxy-ssl-name",
    "proxy-ssl-verify",
    "proxy-ssl-verify-depth",
    "proxy-ssl-server-name",
];

pub struct BackendProtocol;

impl Pass for BackendProtocol {
    fn name(&self) -> &'static str {
        "backend-protocol"
    }
    fn annotations(&self) -> &'static [&'static str] {
        &[
            "backend-protocol",
            "proxy-ssl-secret",
            "proxy-ssl-ciphers",
            "proxy-ssl-protocols",
            "proxy-ssl-name",
            "proxy-ssl-verify",
            "proxy-ssl-verify-depth",
            "proxy-ssl-server-name",
            "fastcgi-index",
            "fastcgi-params-configmap",
        ]
    }
    fn run(&self, cx: &PassContext, ir: &mut Ir, report: &mut Report) {
        for (_, ing) in cx.primaries() {
            let raw = annotated::value(cx, ing, "backend-protocol");
            let protocol = match raw {
                None => Protocol::Http,
                Some(v) => Protocol::parse(v).unwrap_or_else(|| {
                    if !annotated::invalid_reported(cx, "backend-protocol", v) {
report.push(note(cx, ing, "backend-protocol", Severity::Warning, BACKEND_PROTOCOL, format!("`{v}` is not a backend protocol (HTTP, HTTPS, GRPC, GRPCS, AUTO_HTTP, FCGI): ingress-nginx uses HTTP")));
}
                    Protocol::Http
                }),
            };
            if let Some(v) = raw
                && protocol.grpc()
                && v.trim() != v.trim().to_ascii_uppercase()
            {
                report.push(note(cx, ing, "backend-protocol", Severity::Info, BACKEND_PROTOCOL, format!("`{v}` is lower-case: ingress-nginx's template compares `GRPC` case-sensitively, so today these locations lack the gRPC timeouts and headers; the translation uses gRPC")));
            }
            let ssl_set: Vec<&str> = PROXY_SSL
                .iter()
                .copied()
                .filter(|k| annotated::value(cx, ing, k).is_some())
                .collect();
            if !protocol.tls() && !ssl_set.is_empty() {
                report.push(note(cx, ing, ssl_set[0], Severity::Info, BACKEND_TLS, format!("{} set while the backend protocol is not HTTPS/GRPCS: nginx does not use TLS to the backend, nothing to translate", ssl_set.join(", "))));
            }
            match protocol {
                Protocol::Http if raw.is_some_and(|v| Protocol::parse(v).is_some()) => report.push(note(cx, ing, "backend-protocol", Severity::Info, BACKEND_PROTOCOL, "backend-protocol HTTP is the default: plain HTTP to the backend, as Gateway API does")),
                Protocol::Http => {}
                Protocol::AutoHttp => report.push(note(cx, ing, "backend-protocol", Severity::Warning, BACKEND_PROTOCOL, "AUTO_HTTP: ingress-nginx speaks to the backend with the client's scheme (HTTP for HTTP requests, HTTPS for HTTPS requests); Gateway API uses one protocol per backend, plain HTTP is emitted").suggest("if the backend needs TLS for HTTPS clients, set backend-protocol HTTPS (BackendTLSPolicy)")),
                Protocol::Fcgi => report.push(note(cx, ing, "backend-protocol", Severity::Error, BACKEND_PROTOCOL, "FCGI: ingress-nginx speaks FastCGI to the backend (fastcgi_pass with fastcgi-index/fastcgi-params-configmap); Gateway API has no FastCGI backends, the routes are emitted but the Gateway will speak HTTP to a FastCGI port").suggest("put an HTTP server (e.g. nginx or a php-fpm HTTP front) in front of the FastCGI application, then point the route at it")),
                Protocol::Https | Protocol::Grpc | Protocol::Grpcs => {}
            }
            for key in ["fastcgi-index", "fastcgi-params-configmap"] {
                if protocol != Protocol::Fcgi && annotated::value(cx, ing, key).is_some() {
                    report.push(note(cx, ing, key, Severity::Info, BACKEND_PROTOCOL, format!("{key} has an effect only with backend-protocol FCGI: nothing to translate")));
                }
            }
            if protocol.grpc() {
                grpc(cx, ing, protocol.tls(), ir, report);
            }
            if protocol.tls() {
                backend_tls(cx, ing, ir, report);
            }
        }
    }
}

fn backends_of(ir: &mut Ir, ing: &InputIngress) -> BTreeSet<(String, String, u16)> {
    annotated::location_rules(ir, ing)
        .iter()
        .filter_map(|at| ir.hosts.rule(at))
        .filter_map(|r| match &r.action {
            Action::Forward(b) => Some(b.clone()),
            Action::Redirect(_) => None,
        })
        .flatten()
        .map(|b| (b.namespace, b.service, b.port))
        .collect()
}

fn grpc(cx: &PassContext, ing: &InputIngress, tls: bool, ir: &mut Ir, report: &mut Report) {
    let mut marked = Vec::new();
    let mut kept = Vec::new();
    let mut dropped = Vec::new();
    for host in ir.hosts.of_object(&ing.obj) {
        for r in host.rules.iter() {
            if r.from.object.as_ref() != Some(&ing.obj) || r.from.annotation.is_some() {
                continue;
            }
            let paths_ok = r
                .matches
                .iter()
                .all(|m| m.path.as_ref().and_then(grpc_method).is_some());
            let filters_ok = r.filters.iter().all(|f| {
                matches!(
                    f.filter,
                    Filter::RequestHeaders(_) | Filter::ResponseHeaders(_) | Filter::Mirror { .. }
                )
            });
            let forward = matches!(r.action, Action::Forward(_));
            if paths_ok && filters_ok && forward {
                if r.timeouts.is_some() || r.retry.is_some() || r.session_persistence.is_some() {
                    dropped.push(format!("{} {}", host.id.host, r.source_path.path));
                }
                marked.push((host.id.clone(), r.name.clone()));
            } else {
                kept.push(format!("{} {}", host.id.host, r.source_path.path));
            }
        }
    }
    if !marked.is_empty() {
        report.push(note(cx, ing, "backend-protocol", Severity::Info, BACKEND_PROTOCOL, format!("{GRPCROUTE_NOTE} {} rule(s) emitted as GRPCRoute (path `/` = every method, `/pkg.Service` = a service, Exact `/pkg.Service/Method` = a method)", marked.len())));
    }
    dropped.dedup();
    if !dropped.is_empty() {
        report.push(note(cx, ing, "backend-protocol", Severity::Warning, BACKEND_PROTOCOL, format!("{GRPCROUTE_LIMITS_NOTE}, retry or sessionPersistence: those of {} are not emitted", dropped.join(", "))).suggest("set them with your implementation's policy for the GRPCRoute (e.g. Envoy Gateway BackendTrafficPolicy targeting it)"));
    }
    if !kept.is_empty() {
        report.push(note(cx, ing, "backend-protocol", Severity::Warning, BACKEND_PROTOCOL, format!("gRPC paths kept as HTTPRoute rules (their path, filters or redirect have no GRPCRoute form): {}; the implementation must speak HTTP/2 to the backend", kept.join(", "))).suggest("set `appProtocol: kubernetes.io/h2c` on the Service port (GRPC) so HTTPRoute backends use HTTP/2"));
    }
    ir.grpc_rules.extend(marked);
    // appProtocol hints for Services in the input.
    for (ns, svc, port) in backends_of(ir, ing) {
        let Some(service) = cx.service(&ns, &svc) else {
            continue;
        };
        let app = service
            .spec
            .as_ref()
            .and_then(|s| s.ports.as_ref())
            .and_then(|ports| ports.iter().find(|p| p.port == i32::from(port)))
            .and_then(|p| p.app_protocol.clone());
        if app.is_none() {
            report.push(note(cx, ing, "backend-protocol", Severity::Info, APP_PROTOCOL, format!("Service {ns}/{svc} port {port} has no appProtocol: {}", if tls { "with TLS to the backend (BackendTLSPolicy), HTTP/2 is negotiated by ALPN; check that your implementation offers h2 to gRPC backends" } else { "set `kubernetes.io/h2c` so every implementation speaks HTTP/2 (cleartext) to it" })));
        }
    }
}

/// Where the BackendTLSPolicy hostname (SNI and verified name) of a Service comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HostnameSource {
    ProxySslName,
    UpstreamVhost,
    ExternalName,
    ServiceDns,
}

impl HostnameSource {
    fn describe(self) -> &'static str {
        match self {
            HostnameSource::ProxySslName => "proxy-ssl-name",
            HostnameSource::UpstreamVhost => "upstream-vhost, the Host the backend is sent",
            HostnameSource::ExternalName => "the ExternalName Service's externalName",
            HostnameSource::ServiceDns => "the Service's cluster DNS name",
        }
    }
}

/// The name the backend certificate must carry: the name the user gave
/// (proxy-ssl-name), else the virtual host the backend is asked for
/// (upstream-vhost), else the DNS name an ExternalName Service points at, else
/// the Service's cluster DNS name. Values that are not a plain hostname (ports,
/// nginx variables) are skipped.
fn tls_hostname(
    cx: &PassContext,
    ing: &InputIngress,
    ns: &str,
    svc: &str,
) -> (String, HostnameSource) {
    let plain = |v: Option<&str>| {
        v.map(|v| v.trim().trim_end_matches('.').to_ascii_lowercase())
            .filter(|v| is_precise_hostname(v))
    };
    if let Some(h) = plain(annotated::value(cx, ing, "proxy-ssl-name")) {
        return (h, HostnameSource::ProxySslName);
    }
    if let Some(h) = plain(annotated::value(cx, ing, "upstream-vhost")) {
        return (h, HostnameSource::UpstreamVhost);
    }
    let external = cx
        .input
        .service(ns, svc)
        .and_then(|s| s.spec.as_ref())
        .filter(|spec| spec.type_.as_deref() == Some("ExternalName"))
        .and_then(|spec| spec.external_name.as_deref());
    if let Some(h) = plain(external) {
        return (h, HostnameSource::ExternalName);
    }
    (format!("{svc}.{ns}.svc"), HostnameSource::ServiceDns)
}

fn backend_tls(cx: &PassContext, ing: &InputIngress, ir: &mut Ir, report: &mut Report) {
    let secret = annotated::value(cx, ing, "proxy-ssl-secret").map(str::trim);
    let key = cx.full_key("backend-protocol");
    let span = cx.annotation_span(ing, "backend-protocol");
    let mut ca = None;
    // ingress-nginx's proxyssl parser returns an empty configuration when the
    // secret is missing or refused: every other proxy-ssl-* is then ignored.
    let mut secret_used = false;
    if let Some(s) = secret {
        let (sns, sname) = s.split_once('/').unwrap_or((ing.namespace(), s));
        if sns != ing.namespace() {
            report.push(note(cx, ing, "proxy-ssl-secret", Severity::Warning, BACKEND_TLS, format!("proxy-ssl-secret {sns}/{sname} is in another namespace: BackendTLSPolicy references a CA ConfigMap in the Service's namespace; system CAs are used")));
        } else {
            secret_used = true;
            ca = Some(sname.to_string());
            report.push(note(cx, ing, "proxy-ssl-secret", Severity::Warning, BACKEND_TLS, format!("proxy-ssl-secret {sns}/{sname}: BackendTLSPolicy reads the CA from ConfigMap `{sname}` (key ca.crt), which you must create from the Secret's ca.crt; its client certificate (tls.crt/tls.key) needs Gateway `spec.tls.backend.clientCertificateRef`, one certificate for the whole Gateway")).suggest(format!("kubectl -n {sns} create configmap {sname} --from-literal=ca.crt=\"$(kubectl -n {sns} get secret {sname} -o jsonpath='{{.data.ca\\.crt}}' | base64 -d)\"")));
        }
    }
    let verify_set = annotated::value(cx, ing, "proxy-ssl-verify").map(str::trim) == Some("on");
    let verify = secret_used && verify_set;
    if !secret_used {
        let ignored: Vec<&str> = ["proxy-ssl-name", "proxy-ssl-verify"]
            .into_iter()
            .filter(|k| annotated::value(cx, ing, k).is_some())
            .collect();
        if let Some(first) = ignored.first() {
            report.push(note(cx, ing, first, Severity::Info, BACKEND_TLS, format!("{} set without a usable proxy-ssl-secret: ingress-nginx ignores every proxy-ssl-* annotation then, so today the backend certificate is not verified{}", ignored.join(", "), if ignored.contains(&"proxy-ssl-name") { "; the BackendTLSPolicy still takes proxy-ssl-name as the name to verify" } else { "" })));
        }
    }
    if let Some(v) = annotated::value(cx, ing, "proxy-ssl-name")
        && !is_precise_hostname(v.trim().trim_end_matches('.').to_ascii_lowercase().as_str())
    {
        report.push(note(cx, ing, "proxy-ssl-name", Severity::Warning, BACKEND_TLS, format!("proxy-ssl-name `{v}` is not a plain hostname (BackendTLSPolicy validation.hostname takes a DNS name without port, wildcard or nginx variables): it is not used")));
    }
    let mut lost = Vec::new();
    let mut first = None;
    for k in [
        "proxy-ssl-ciphers",
        "proxy-ssl-protocols",
        "proxy-ssl-verify-depth",
        "proxy-ssl-server-name",
    ] {
        if let Some(v) = annotated::value(cx, ing, k) {
            lost.push(format!("{k} `{v}`"));
            first.get_or_insert(k);
        }
    }
    if let Some(first) = first {
        report.push(note(
            cx,
            ing,
            first,
            Severity::Info,
            BACKEND_TLS,
            format!(
                "{} have no BackendTLSPolicy field; the implementation's defaults apply",
                lost.join(", ")
            ),
        ));
    }
    let mut created = Vec::new();
    let backends = backends_of(ir, ing);
    if backends.is_empty() {
        report.push(note(cx, ing, "backend-protocol", Severity::Warning, BACKEND_TLS, "TLS to the backend, but no rule of this Ingress has a resolvable backend (see unresolved-backend): no BackendTLSPolicy is emitted for it").suggest("resolve the backends (pass the Services with -f), then re-run"));
        return;
    }
    for (ns, svc, _port) in backends {
        if ir
            .policies
            .iter()
            .any(|p| matches!(p, Policy::BackendTls(b) if b.namespace == ns && b.service == svc))
        {
            continue;
        }
        let (hostname, source) = tls_hostname(cx, ing, &ns, &svc);
        created.push(format!(
            "{ns}/{svc} (hostname {hostname}: {})",
            source.describe()
        ));
        ir.policies.push(Policy::BackendTls(BackendTls {
            namespace: ns,
            service: svc,
            hostname,
            ca_certificate: ca.clone(),
            from: Provenance::object(&ing.obj).with_annotation(&key, span.clone()),
        }));
    }
    if created.is_empty() {
        report.push(note(cx, ing, "backend-protocol", Severity::Info, BACKEND_TLS, "TLS to the backend: every Service of this Ingress already has a BackendTLSPolicy from an earlier Ingress (one policy per Service; the earlier Ingress's settings win)"));
        return;
    }
    let ca_text = ca
        .as_deref()
        .map(|c| format!("ConfigMap {c}"))
        .unwrap_or_else(|| "system".into());
    if verify {
        report.push(
            note(cx, ing, "backend-protocol", Severity::Info, BACKEND_TLS, format!("TLS to the backend → BackendTLSPolicy for {} with CA {ca_text}; nginx verified the backend certificate too (proxy-ssl-verify on)", created.join(", ")))
                .suggest("check that each backend's certificate is valid for its hostname and issued by the CA"),
        );
        return;
    }
    // nginx encrypts without verifying. Without a BackendTLSPolicy the Gateway
    // would speak plain HTTP to a TLS port (every request fails, and nothing is
    // encrypted); a verifying policy keeps the traffic encrypted and can only fail
    // closed (5xx) where the certificate does not verify. Gateway API has no
    // "encrypt without verifying", so we emit the policy and say which names and
    // CAs it will insist on.
    let why = if verify_set {
        "proxy-ssl-verify on has no effect without a usable proxy-ssl-secret"
    } else {
        "proxy-ssl-verify off, the default"
    };
    report.push(
        note(cx, ing, "backend-protocol", Severity::Warning, BACKEND_TLS, format!("TLS to the backend → BackendTLSPolicy for {} with CA {ca_text}; ingress-nginx encrypts without verifying the backend certificate ({why}) and sends no SNI, while a BackendTLSPolicy always verifies and sends the hostname as SNI: a self-signed, expired or mismatching backend certificate that works today will make these requests fail (5xx)", created.join(", ")))
            .suggest("make each backend's certificate valid for its hostname (or set proxy-ssl-name to the name it has), or use your implementation's skip-verify setting (Envoy Gateway Backend tls.insecureSkipVerify, kgateway BackendConfigPolicy tls.insecureSkipVerify, Istio DestinationRule tls.insecureSkipVerify)"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protocols_are_case_insensitive() {
        assert_eq!(Protocol::parse("grpc"), Some(Protocol::Grpc));
        assert_eq!(Protocol::parse(" HTTPS "), Some(Protocol::Https));
        assert_eq!(Protocol::parse("h2c"), None);
        assert!(Protocol::Grpcs.tls() && Protocol::Grpcs.grpc());
    }
}
