//! TLS sections: HTTPS listeners, certificates and the grants they need.
//!
//! ## What ingress-nginx does
//! The first non-canary Ingress (sorted order) with a rule for a host **and** a
//! non-empty `spec.tls` assigns the host's certificate: the Secret whose
//! `tls.hosts` lists the host, else the controller's default certificate. So a host
//! becomes "TLS" (and gets the HTTP→HTTPS redirect) even when it is not listed in
//! `tls.hosts`. TLS entries for hosts without rules do nothing, and host-less
//! rules never become TLS (the certificate lookup is by host name: the catch-all
//! server keeps the default certificate and plain HTTP; warned).
//!
//! ## What Gateway API offers
//! HTTPS listeners (port 443) with a hostname and `certificateRefs`; a Gateway in
//! another namespace needs a ReferenceGrant to read the Secret.
//!
//! ## What we emit
//! One HTTPS listener per TLS host with the Secret of the first Ingress; the
//! emitter adds the ReferenceGrants (or ListenerSets past 64 listeners).
//!
//! ## What we warn
//! Hosts served with the default certificate: an error unless
//! `--default-ssl-certificate` names it (as for the controller), since no
//! HTTPS listener can be generated (the emitter answers the HTTP→HTTPS
//! redirects with 500 rather than point clients at a missing listener),
//! hosts whose certificate differs between Ingresses (first wins), and TLS hosts
//! without rules.

use super::{Pass, PassContext};
use crate::ir::*;
use crate::report::{Code, Notification, Report};

pub const DEFAULT_CERTIFICATE: Code = Code("tls-default-certificate");
pub const TLS_CONFLICT: Code = Code("tls-conflict");
pub const TLS_HOST_WITHOUT_RULE: Code = Code("tls-host-without-rule");

pub struct Tls;

impl Pass for Tls {
    fn name(&self) -> &'static str {
        "tls"
    }
    fn run(&self, cx: &PassContext, ir: &mut Ir, report: &mut Report) {
        for (i, ing) in cx.primaries() {
            let Some(spec) = ing.ingress.spec.as_ref() else {
                continue;
            };
            let tls = spec.tls.as_deref().unwrap_or_default();
            if tls.is_empty() {
                continue;
            }
            let gateway = cx.gateway_for(i);
            let rule_hosts: Vec<HostKey> = spec
                .rules
                .as_deref()
                .unwrap_or_default()
                .iter()
                .map(|r| HostKey::of_rule(r.host.as_deref()))
                .collect();
            for (ti, entry) in tls.iter().enumerate() {
                for h in entry.hosts.as_deref().unwrap_or_default() {
                    let used = rule_hosts
                        .iter()
                        .filter_map(HostKey::hostname)
                        .any(|rh| covers(h, rh));
                    if !used {
                        report.push(
                            Notification::info(TLS_HOST_WITHOUT_RULE, format!("TLS host `{h}` has no rule in this Ingress; ingress-nginx ignores it here"))
                                .object(&ing.obj)
                                .field(format!("spec.tls[{ti}].hosts"))
                                .span(ing.span_of(h)),
                        );
                    }
                }
            }
            for key in rule_hosts {
                // ingress-nginx looks certificates up by the request's host name
                // (Lua `certificate.configured_for_current_request`): host-less
                // rules land on the catch-all server, which answers HTTPS with the
                // default certificate whatever `spec.tls` says and never takes the
                // ssl-redirect (only force-ssl-redirect redirects there). So the
                // catch-all is not a TLS host: no redirect, no HSTS, no listener.
                if key.hostname().is_none() {
                    report.push(
                        Notification::warning(
                            DEFAULT_CERTIFICATE,
                            "host-less rules: spec.tls does not apply to them (ingress-nginx matches certificates by host name); its catch-all server answers their HTTPS requests with the controller's default certificate and does not redirect their plain-HTTP requests to HTTPS; they are translated on the HTTP listener only, with no HTTPS listener, so their HTTPS requests are not served by the Gateway",
                        )
                        .object(&ing.obj)
                        .field("spec.tls")
                        .span(ing.span_of("tls:"))
                        .suggest("give the rules a host listed in spec.tls with a secretName, or add an HTTPS listener without hostname by hand and attach the route to it"),
                    );
                    continue;
                }
                let id = HostId {
                    gateway: gateway.clone(),
                    host: key.clone(),
                };
                let Some(host) = ir.hosts.get_mut(&id) else {
                    continue;
                };
                let entry = key.hostname().and_then(|h| {
                    tls.iter().enumerate().find(|(_, t)| {
                        t.hosts
                            .as_deref()
                            .unwrap_or_default()
                            .iter()
                            .any(|th| covers(th, h))
                    })
                });
                let own = entry
                    .and_then(|(_, t)| t.secret_name.clone().filter(|s| !s.is_empty()))
                    .map(|name| SecretRef {
                        namespace: ing.namespace().to_string(),
                        name,
                    });
                let default = cx
                    .options
                    .default_ssl_certificate
                    .as_ref()
                    .filter(|_| own.is_none() && key.hostname().is_some())
                    .map(|(namespace, name)| SecretRef {
                        namespace: namespace.clone(),
                        name: name.clone(),
                    });
                let secret = own.or(default.clone());
                let from = Provenance::from(ProvenanceData {
                    object: Some(ing.obj.clone()),
                    span: entry
                        .and_then(|(_, t)| t.secret_name.as_deref())
                        .and_then(|s| ing.span_of(s))
                        .or_else(|| ing.span_of("tls:")),
                    ..Default::default()
                });
                match &host.tls {
                    None => {
                        host.tls = Some(HostTls { secret: secret.clone(), from: from.clone() });
                        if let (Some(d), Some(hostname)) = (&default, key.hostname()) {
                            report.push(
                                Notification::info(
                                    DEFAULT_CERTIFICATE,
                                    format!("host {hostname} has no tls entry with a secretName; its HTTPS listener uses the default certificate {}/{} (--default-ssl-certificate), as ingress-nginx does", d.namespace, d.name),
                                )
                                .object(&ing.obj)
                                .field("spec.tls")
                                .span(ing.span_of("tls:")),
                            );
                        }
                        match (&secret, key.hostname()) {
                            (Some(secret), Some(hostname)) => {
                                if let Some(gw) = ir.gateways.get_mut(&gateway) {
                                    gw.https.insert(
                                        hostname.to_string(),
                                        HttpsListener { hostname: hostname.to_string(), secret: secret.clone(), from },
                                    );
                                }
                            }
                            _ => report.push(
                                Notification::error(
                                    DEFAULT_CERTIFICATE,
                                    format!(
                                        "host {key} is served over HTTPS with ingress-nginx's default certificate (no tls entry with a secretName lists it), which the translation cannot know; no HTTPS listener can be generated for it, so HTTPS requests for it are not served; where ingress-nginx redirects plain HTTP to HTTPS, the rules are emitted in an HTTPRoute without parentRefs (not served) and those plain-HTTP requests answer 500 instead of a redirect to a listener that does not exist"
                                    ),
                                )
                                .object(&ing.obj)
                                .field("spec.tls")
                                .span(ing.span_of("tls:"))
                                .suggest("add the host and a secretName to spec.tls, pass --default-ssl-certificate NAMESPACE/NAME, or add an HTTPS listener by hand and attach the route to it"),
                            ),
                        }
                    }
                    Some(existing) if existing.secret != secret => report.push(
                        Notification::warning(
                            TLS_CONFLICT,
                            format!(
                                "host {key} already has its certificate from {}; ingress-nginx ignores this Ingress's TLS entry for it",
                                existing.from.object.as_ref().map(|o| o.to_string()).unwrap_or_default()
                            ),
                        )
                        .object(&ing.obj)
                        .field("spec.tls")
                        .span(from.span.clone()),
                    ),
                    Some(_) => {}
                }
            }
        }
    }
}

/// True when TLS host `tls_host` (possibly `*.x`) covers `host` (wildcards: one label).
fn covers(tls_host: &str, host: &str) -> bool {
    let t = tls_host.to_ascii_lowercase();
    if t == host {
        return true;
    }
    match t.strip_prefix("*.") {
        Some(suffix) => host
            .split_once('.')
            .is_some_and(|(label, rest)| !label.is_empty() && rest == suffix),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::covers;

    #[test]
    fn wildcard_covers_one_label() {
        assert!(covers("*.example.com", "a.example.com"));
        assert!(!covers("*.example.com", "a.b.example.com"));
        assert!(covers("Example.com", "example.com"));
    }
}
