//! ClientTrafficPolicy: what the controller's ConfigMap says about the client
//! side, on the Gateway that replaces the controller.
//!
//! What ingress-nginx does: `use-forwarded-headers` (with `proxy-real-ip-cidr`,
//! `forwarded-for-header`, `compute-full-forwarded-for`) takes the client
//! address from X-Forwarded-For sent by trusted hops; `use-proxy-protocol`
//! requires the PROXY protocol header; `ssl-protocols`/`ssl-ciphers` bound TLS;
//! nginx merges slashes and decodes the path before matching;
//! `client-header-timeout` and `keep-alive` bound the client connection.
//!
//! What Envoy Gateway offers (v1.9) and what we emit, one policy per Gateway:
//! `clientIPDetection.xForwardedFor.trustedCIDRs` (or `customHeader` for another
//! header name), `proxyProtocol`, `tls.minVersion`/`maxVersion`/`ciphers`,
//! `path.disableMergeSlashes`/`escapedSlashesAction`,
//! `timeout.http.requestHeadersReceivedTimeout`/`idleTimeout`.
//!
//! What we warn: TLS 1.3 cipher suites are not configurable in Envoy;
//! `client-body-timeout` and `large-client-header-buffers` have no field.

use super::targeting::{PolicyTarget, Sources, duration, object};
use crate::emit::access::Located;
use crate::emit::standard::https_listener_name;
use crate::gwapi::GatewayObject;
use crate::gwapi::envoy_gateway::*;
use crate::ir::{AccessRequirement, Filter, Gateway, Ir, Provenance, SecretRef};
use crate::report::{Code, Notification, Report};
use std::collections::BTreeMap;

pub const EG_CLIENT_TRAFFIC_POLICY: Code = Code("envoy-gateway-client-traffic-policy");

/// `TLSv1.2` → `1.2`.
fn tls_version(v: &str) -> Option<&'static str> {
    match v.trim() {
        "TLSv1" | "TLSv1.0" => Some("1.0"),
        "TLSv1.1" => Some("1.1"),
        "TLSv1.2" => Some("1.2"),
        "TLSv1.3" => Some("1.3"),
        _ => None,
    }
}

/// Whether a listener ClientTrafficPolicy enforces this requirement on a rule
/// of `route_namespace`: client certificates whose CA Secret is in that
/// namespace (the policy lives in the Gateway's namespace and reaches it through
/// a ReferenceGrant naming that one Secret; a CA in a third namespace keeps the
/// standard emitter's rule: fail-closed without --allow-cross-namespace-grants).
pub fn expresses_in(req: &AccessRequirement, route_namespace: &str) -> bool {
    matches!(req, AccessRequirement::ClientCertificate { ca_secret, .. } if ca_secret.namespace == route_namespace)
}

/// The client-certificate CA each HTTPS host of `gw` must validate with a
/// listener policy (first rule wins, as the first Ingress in nginx).
pub fn client_cas(gw: &Gateway, ir: &Ir) -> BTreeMap<String, (SecretRef, Provenance)> {
    let mut cas = BTreeMap::new();
    for host in ir.hosts.values().filter(|h| h.id.gateway == gw.id) {
        let Some(hostname) = host.id.host.hostname() else {
            continue;
        };
        for rule in host.rules.iter() {
            for f in &rule.filters {
                if let Filter::AccessControl(
                    req @ AccessRequirement::ClientCertificate { ca_secret, .. },
                ) = &f.filter
                    && expresses_in(req, &rule.namespace)
                {
                    cas.entry(hostname.to_string())
                        .or_insert_with(|| (ca_secret.clone(), f.from.clone()));
                }
            }
        }
    }
    cas
}

/// Where the HTTPS listener of `hostname` is: the Gateway or a ListenerSet.
fn listener_parent(
    gw: &Gateway,
    hostname: &str,
    objects: &[GatewayObject],
) -> Option<PolicyTarget> {
    let section = https_listener_name(hostname);
    objects.iter().find_map(|o| match o {
        GatewayObject::Gateway(g)
            if g.metadata.name == gw.id.name
                && g.metadata.namespace.as_deref() == Some(gw.id.namespace.as_str())
                && g.spec.listeners.iter().any(|l| l.name == section) =>
        {
            let mut t = PolicyTarget::gateway(&gw.id);
            t.target.section_name = Some(section.clone());
            Some(t)
        }
        GatewayObject::ListenerSet(ls)
            if ls.spec.listeners.iter().any(|l| l.name == section)
                && ls.spec.parent_ref.name == gw.id.name =>
        {
            Some(PolicyTarget {
                namespace: ls.metadata.namespace.clone().unwrap_or_default(),
                target: PolicyTargetRef {
                    group: crate::gwapi::GROUP.into(),
                    kind: "ListenerSet".into(),
                    name: ls.metadata.name.clone(),
                    section_name: Some(section.clone()),
                },
            })
        }
        _ => None,
    })
}

/// The ClientTrafficPolicies of one Gateway: one for the Gateway if its
/// ConfigMap facts need one, and one per HTTPS listener that validates client
/// certificates (a listener policy replaces the Gateway's for that listener,
/// so it repeats the Gateway's settings). Returns the hostnames whose listener
/// could not be found: their rules must be closed by the caller.
pub fn emit(
    gw: &Gateway,
    ir: &Ir,
    objects: &[GatewayObject],
    features: super::version::Features,
    report: &mut Report,
    out: &mut Vec<GatewayObject>,
) -> Vec<String> {
    let gateway = PolicyTarget::gateway(&gw.id);
    let (spec, sources, notes) = gateway_spec(gw, &gateway, features);
    report.extend(notes);
    let empty = ClientTrafficPolicySpec {
        target_refs: spec.target_refs.clone(),
        ..Default::default()
    };
    if spec != empty
        && let Some(o) = object(
            "ClientTrafficPolicy",
            gateway.policy_name(),
            &gateway.namespace,
            &sources,
            spec.clone(),
            report,
        )
    {
        out.push(o);
    }
    let mut unattached = Vec::new();
    for (hostname, (ca, from)) in client_cas(gw, ir) {
        let Some(target) = listener_parent(gw, &hostname, objects) else {
            unattached.push(hostname);
            continue;
        };
        let name = target.policy_name();
        let mut listener_spec = spec.clone();
        listener_spec.target_refs = vec![target.target.clone()];
        let tls = listener_spec.tls.get_or_insert_with(ClientTls::default);
        tls.client_validation = Some(ClientValidation {
            ca_certificate_refs: vec![SecretObjectReference {
                kind: Some("Secret".into()),
                name: ca.name.clone(),
                namespace: (ca.namespace != target.namespace).then(|| ca.namespace.clone()),
            }],
        });
        let mut listener_sources = sources.clone();
        listener_sources.add(&from);
        report.push(
            Notification::info(
                EG_CLIENT_TRAFFIC_POLICY,
                format!(
                    "host {hostname}: client certificates signed by the CA in Secret {}/{} → ClientTrafficPolicy {}/{name} spec.tls.clientValidation on {} (always required: stricter than `auth-tls-verify-client: optional`)",
                    ca.namespace, ca.name, target.namespace, target.describe()
                ),
            )
            .located(&from),
        );
        if ca.namespace != target.namespace {
            out.push(GatewayObject::ReferenceGrant(
                crate::gwapi::ReferenceGrant {
                    api_version: crate::gwapi::API_VERSION_V1.into(),
                    kind: "ReferenceGrant".into(),
                    metadata: crate::gwapi::ObjectMeta {
                        name: crate::emit::names::derived(&name, "ca"),
                        namespace: Some(ca.namespace.clone()),
                        labels: BTreeMap::new(),
                        annotations: crate::gwapi::Annotations::from([(
                            crate::gwapi::GENERATOR_ANNOTATION.to_string(),
                            crate::gwapi::generator_value(),
                        )]),
                    },
                    spec: crate::gwapi::ReferenceGrantSpec {
                        from: vec![crate::gwapi::ReferenceGrantFrom {
                            group: EG_GROUP.into(),
                            kind: "ClientTrafficPolicy".into(),
                            namespace: target.namespace.clone(),
                        }],
                        to: vec![crate::gwapi::ReferenceGrantTo {
                            group: String::new(),
                            kind: "Secret".into(),
                            name: Some(ca.name.clone()),
                        }],
                    },
                },
            ));
        }
        if let Some(o) = object(
            "ClientTrafficPolicy",
            name,
            &target.namespace,
            &listener_sources,
            listener_spec,
            report,
        ) {
            out.push(o);
        }
    }
    unattached
}

/// The Gateway-wide client settings, with their sources and notifications.
fn gateway_spec(
    gw: &Gateway,
    target: &PolicyTarget,
    features: super::version::Features,
) -> (ClientTrafficPolicySpec, Sources, Vec<Notification>) {
    let p = &gw.policy;
    let name = target.policy_name();
    let what = format!("ClientTrafficPolicy {}/{name}", target.namespace);
    let mut spec = ClientTrafficPolicySpec {
        target_refs: vec![target.target.clone()],
        ..Default::default()
    };
    let mut sources = Sources::default();
    let mut notes: Vec<Notification> = Vec::new();
    // Pushed after the `info` closure (which holds `notes`) is done.
    let mut late: Vec<Notification> = Vec::new();
    let mut info = |from: &Provenance, text: String, sources: &mut Sources| {
        sources.add(from);
        notes.push(
            Notification::info(
                EG_CLIENT_TRAFFIC_POLICY,
                format!(
                    "Gateway {}/{}: {text} ({what})",
                    gw.id.namespace, gw.id.name
                ),
            )
            .located(from),
        );
    };
    if let Some(c) = &p.client_ip
        && c.value.use_forwarded_headers
    {
        let header = c.value.forwarded_for_header.as_str();
        let custom = !header.is_empty() && !header.eq_ignore_ascii_case("X-Forwarded-For");
        spec.client_ip_detection = Some(if custom {
            ClientIpDetection {
                x_forwarded_for: None,
                custom_header: Some(NamedKey {
                    name: header.to_string(),
                }),
            }
        } else {
            let trusted = if c.value.trusted_cidrs.is_empty() {
                vec!["0.0.0.0/0".to_string(), "::/0".to_string()]
            } else {
                c.value
                    .trusted_cidrs
                    .iter()
                    .map(|c| super::as_cidr(c))
                    .collect()
            };
            ClientIpDetection {
                x_forwarded_for: Some(XForwardedFor {
                    trusted_cidrs: trusted,
                    num_trusted_hops: None,
                }),
                custom_header: None,
            }
        });
        info(
            &c.from,
            format!(
                "client address from {} sent by trusted hops → spec.clientIPDetection (IP allow/deny lists and rate limits use it)",
                if custom { header } else { "X-Forwarded-For" }
            ),
            &mut sources,
        );
    }
    if let Some(pp) = &p.proxy_protocol
        && pp.value
    {
        // v1.5 replaced the boolean by a settings object.
        let field = if features.proxy_protocol_settings() {
            spec.proxy_protocol = Some(ProxyProtocolSettings::default());
            "spec.proxyProtocol"
        } else {
            spec.enable_proxy_protocol = Some(true);
            "spec.enableProxyProtocol"
        };
        info(
            &pp.from,
            format!("PROXY protocol required → {field}"),
            &mut sources,
        );
    }
    let mut tls = ClientTls::default();
    if let Some(v) = &p.tls_protocols {
        let mut versions: Vec<&str> = v.value.iter().filter_map(|s| tls_version(s)).collect();
        versions.sort_unstable();
        if let (Some(min), Some(max)) = (versions.first(), versions.last()) {
            tls.min_version = Some((*min).into());
            tls.max_version = Some((*max).into());
            info(
                &v.from,
                format!("TLS versions {min} to {max} → spec.tls.minVersion/maxVersion"),
                &mut sources,
            );
        }
    }
    if let Some(c) = &p.tls_ciphers {
        tls.ciphers = c.value.clone();
        info(
            &c.from,
            "ssl-ciphers → spec.tls.ciphers (TLS 1.2 and below; Envoy does not configure TLS 1.3 suites; names OpenSSL and BoringSSL share only)".into(),
            &mut sources,
        );
    }
    if tls != ClientTls::default() {
        spec.tls = Some(tls);
    }
    if let Some(n) = &p.path_normalisation {
        spec.path = Some(PathSettings {
            escaped_slashes_action: n
                .value
                .decode_percent
                .then(|| "UnescapeAndForward".to_string()),
            disable_merge_slashes: !n.value.merge_slashes,
        });
        info(
            &n.from,
            "path normalisation before matching → spec.path".into(),
            &mut sources,
        );
    }
    if let Some(t) = &p.client_timeouts {
        // `requestHeadersReceivedTimeout` arrived in Envoy Gateway v1.9.
        let header_field = features.request_headers_received_timeout();
        if let Some(ms) = t.value.header_ms.filter(|_| !header_field) {
            late.push(
                Notification::warning(
                    super::backend_traffic_policy::EG_NEEDS_NEWER,
                    format!(
                        "Gateway {}/{}: client-header-timeout ({}) needs ClientTrafficPolicy spec.timeout.http.requestHeadersReceivedTimeout, which Envoy Gateway v1.9 introduced; the targeted {} lacks it, nothing is emitted for it",
                        gw.id.namespace, gw.id.name, duration(ms), features.name()
                    ),
                )
                .suggest("target Envoy Gateway v1.9 or later (--implementation envoy-gateway@1.9) once it runs in the cluster")
                .located(&t.from),
            );
        }
        let http = ClientHttpTimeout {
            request_headers_received_timeout: t
                .value
                .header_ms
                .filter(|_| header_field)
                .map(duration),
            idle_timeout: t.value.keep_alive_ms.map(duration),
        };
        if http != ClientHttpTimeout::default() {
            spec.timeout = Some(ClientTimeout { http: Some(http) });
            info(
                &t.from,
                "client header / keep-alive timeouts → spec.timeout.http".into(),
                &mut sources,
            );
        }
        if t.value.body_ms.is_some() {
            notes.push(
                Notification::warning(
                    super::backend_traffic_policy::EG_NOT_EXPRESSIBLE,
                    format!("Gateway {}/{}: client-body-timeout (silence between two body reads) has no Envoy Gateway field; nothing is emitted for it", gw.id.namespace, gw.id.name),
                )
                .located(&t.from),
            );
        }
    }
    if let Some(h) = &p.max_header_bytes {
        notes.push(
            Notification::warning(
                super::backend_traffic_policy::EG_NOT_EXPRESSIBLE,
                format!("Gateway {}/{}: large-client-header-buffers ({} bytes per header line) has no Envoy Gateway field (Envoy limits the whole header block, 60 KiB by default); nothing is emitted for it", gw.id.namespace, gw.id.name, h.value),
            )
            .located(&h.from),
        );
    }
    notes.extend(late);
    (spec, sources, notes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nginx_protocol_names_become_versions() {
        assert_eq!(tls_version("TLSv1.2"), Some("1.2"));
        assert_eq!(tls_version("SSLv3"), None);
    }
}
