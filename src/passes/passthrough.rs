//! ssl-passthrough.
//!
//! ## What ingress-nginx does
//! With the controller flag `--enable-ssl-passthrough`, any Ingress of a host with
//! `ssl-passthrough: "true"` makes port 443 for that host an L4 SNI proxy: the TLS
//! connection goes, unterminated, to the backend of the host's `/` location (its
//! Prefix `/` path, else the owner's default backend). Every other path and
//! annotation of the host is ignored for HTTPS; plain HTTP is still served by
//! nginx as usual. Without the flag the annotation does nothing.
//!
//! ## What Gateway API offers
//! A `TLS` listener with `mode: Passthrough` and a `TLSRoute` (v1, standard since
//! v1.5) per SNI hostname.
//!
//! ## What we emit
//! A passthrough listener and a TLSRoute to the `/` backend for each such host;
//! the host's HTTPS listener is dropped (both would claim port 443 for the name).
//! The HTTP routes stay.
//!
//! ## What we warn
//! The controller flag it depends on, hosts whose `/` has no backend, paths that
//! are not reachable over HTTPS, and HTTPS listeners that were replaced.

use super::{Pass, PassContext};
use crate::ir::*;
use crate::report::{Code, Notification, Report};

pub const PASSTHROUGH: Code = Code("ssl-passthrough");

pub struct Passthrough;

impl Pass for Passthrough {
    fn name(&self) -> &'static str {
        "ssl-passthrough"
    }
    fn annotations(&self) -> &'static [&'static str] {
        &["ssl-passthrough"]
    }
    fn run(&self, cx: &PassContext, ir: &mut Ir, report: &mut Report) {
        let key = cx.full_key("ssl-passthrough");
        for (_, ing) in cx.primaries() {
            if !cx.annotation_bool(ing, "ssl-passthrough", false) {
                if let Some(v) = cx.annotation(ing, "ssl-passthrough") {
                    report.push(
                        Notification::info(PASSTHROUGH, format!("ssl-passthrough `{v}` is not true: TLS is terminated as usual, nothing to translate"))
                            .object(&ing.obj)
                            .field(key.clone())
                            .span(cx.annotation_span(ing, "ssl-passthrough")),
                    );
                }
                continue;
            }
            let span = cx.annotation_span(ing, "ssl-passthrough");
            let from = Provenance::object(&ing.obj).with_annotation(&key, span.clone());
            let hosts: Vec<HostId> = ir
                .hosts
                .of_object(&ing.obj)
                .filter(|h| {
                    h.id.host.hostname().is_some()
                        && h.rules
                            .iter()
                            .any(|r| r.from.object.as_ref() == Some(&ing.obj))
                })
                .map(|h| h.id.clone())
                .collect();
            for id in hosts {
                let Some(hostname) = id.host.hostname().map(str::to_string) else {
                    continue;
                };
                if ir
                    .gateways
                    .get(&id.gateway)
                    .is_some_and(|g| g.passthrough.contains_key(&hostname))
                {
                    continue;
                }
                let Some(host) = ir.hosts.get(&id) else {
                    continue;
                };
                let root_rule = host
                    .rules
                    .iter()
                    .find(|r| r.source_path.path == "/" && !r.source_path.path_type.is_exact());
                let root = root_rule
                    .and_then(|r| match &r.action {
                        Action::Forward(b) => b.first().cloned(),
                        Action::Redirect(_) => None,
                    })
                    .or_else(|| host.implicit_root.backend.clone());
                let other_paths: Vec<String> = host
                    .rules
                    .iter()
                    .filter(|r| {
                        r.from.path.is_some()
                            && (r.source_path.path != "/" || r.source_path.path_type.is_exact())
                    })
                    .map(|r| r.source_path.path.clone())
                    .collect();
                let Some(backend) = root else {
                    let why = if root_rule.is_some() {
                        "the backend of its `/` path could not be resolved (see unresolved-backend)"
                    } else {
                        "the host has no `/` backend, so ingress-nginx passes TLS to its default backend"
                    };
                    report.push(
                        Notification::error(
                            PASSTHROUGH,
                            format!(
                                "ssl-passthrough on host {hostname}: {why}; no TLSRoute is emitted"
                            ),
                        )
                        .object(&ing.obj)
                        .field(key.clone())
                        .span(span.clone())
                        .suggest("add a Prefix `/` path for the host pointing at the TLS backend"),
                    );
                    continue;
                };
                let mut msg = format!(
                    "ssl-passthrough on host {hostname}: TLS on port 443 is passed unterminated to Service {}/{} port {} (TLS listener + TLSRoute); this needs ingress-nginx's --enable-ssl-passthrough today, without it the annotation did nothing",
                    backend.namespace, backend.service, backend.port
                );
                if !other_paths.is_empty() {
                    msg.push_str(&format!("; paths {} are not reachable over HTTPS (only over plain HTTP), as in ingress-nginx", other_paths.join(", ")));
                }
                if let Some(gw) = ir.gateways.get_mut(&id.gateway) {
                    if gw.https.remove(&hostname).is_some() {
                        msg.push_str("; the host's HTTPS listener was replaced by the passthrough listener (ingress-nginx never terminates TLS for it)");
                    }
                    gw.passthrough.insert(hostname.clone(), from.clone());
                }
                report.push(
                    Notification::warning(PASSTHROUGH, msg)
                        .object(&ing.obj)
                        .field(key.clone())
                        .span(span.clone()),
                );
                ir.tls_routes.push(TlsPassthroughRoute {
                    gateway: id.gateway.clone(),
                    namespace: backend.namespace.clone(),
                    hostname,
                    backend,
                    from: from.clone(),
                });
            }
        }
    }
}
