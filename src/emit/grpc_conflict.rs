//! GRPCRoutes and HTTPRoutes that would share a listener hostname.
//!
//! Gateway API (GRPCRoute `hostnames`): when an HTTPRoute and a GRPCRoute attach
//! to one listener and their hostnames intersect, the implementation accepts
//! exactly one of them — the older, then the first by `{namespace}/{name}` — and
//! rejects the other. ingress-nginx has no such rule: a host can mix
//! `backend-protocol: GRPC` locations with plain HTTP ones, each location passing
//! its requests on with its own protocol. Separate listeners do not help: a
//! request reaches the most specific listener for its host, whatever its kind.
//!
//! So a host whose gRPC rules would share a hostname (its own, a wildcard covering
//! it, or a host-less rule) with HTTP rules on the same Gateway keeps its gRPC
//! rules as HTTPRoute rules — the path matching ingress-nginx does — and a warning
//! names the host, the Ingresses on both sides, and what the backend needs
//! (`appProtocol: kubernetes.io/h2c`, so the implementation speaks HTTP/2).

use crate::ir::{HostId, Ir, Rule, VirtualHost};
use crate::passes::backend_protocol::{BACKEND_PROTOCOL, GRPCROUTE_LIMITS_NOTE, GRPCROUTE_NOTE};
use crate::report::{Code, Notification, ObjectRef, Report};
use crate::verify::gateway_model::hostname;
use std::collections::BTreeSet;

pub const GRPC_HTTP_CONFLICT: Code = Code("grpc-http-conflict");

fn is_grpc(ir: &Ir, host: &VirtualHost, r: &Rule) -> bool {
    ir.grpc_rules.contains(&(host.id.clone(), r.name.clone()))
}

fn sources<'a>(rules: impl Iterator<Item = &'a Rule>) -> BTreeSet<String> {
    rules
        .filter_map(|r| r.from.object.as_ref())
        .map(ObjectRef::to_string)
        .collect()
}

/// The hosts whose gRPC rules must stay HTTPRoute rules, each reported once.
pub fn hosts_kept_as_http(ir: &Ir, report: &mut Report) -> BTreeSet<HostId> {
    let mut kept: BTreeSet<HostId> = BTreeSet::new();
    // A host kept as HTTP turns its gRPC rules into HTTP rules, which can conflict
    // with another gRPC host in turn: repeat until nothing changes.
    loop {
        let mut changed = false;
        for g in ir.hosts.values() {
            if kept.contains(&g.id) || !g.rules.iter().any(|r| is_grpc(ir, g, r)) {
                continue;
            }
            let mut http_hosts: BTreeSet<String> = BTreeSet::new();
            let mut http_sources: BTreeSet<String> = BTreeSet::new();
            for h in ir.hosts.values() {
                if h.id.gateway != g.id.gateway
                    || !hostname::intersect(g.id.host.hostname(), h.id.host.hostname())
                {
                    continue;
                }
                let all_http = kept.contains(&h.id);
                let http: Vec<&Rule> = h
                    .rules
                    .iter()
                    .filter(|r| all_http || !is_grpc(ir, h, r))
                    .collect();
                if http.is_empty() {
                    continue;
                }
                http_hosts.insert(h.id.host.to_string());
                http_sources.extend(sources(http.into_iter()));
            }
            if http_sources.is_empty() {
                continue;
            }
            let grpc = sources(g.rules.iter().filter(|r| is_grpc(ir, g, r)));
            report.push(
                Notification::warning(
                    GRPC_HTTP_CONFLICT,
                    format!(
                        "host {}: the GRPCRoute rules of {} and the HTTPRoute rules of {} (host {}) would be a GRPCRoute and an HTTPRoute with intersecting hostnames on the same listener of Gateway {}/{}: Gateway API accepts only one of the two (the older, then the first by namespace/name), so gRPC calls would reach the HTTP backend or the HTTP requests would fail; the gRPC rules are emitted as HTTPRoute rules, matched by path as ingress-nginx does",
                        g.id.host,
                        grpc.into_iter().collect::<Vec<_>>().join(", "),
                        http_sources.into_iter().collect::<Vec<_>>().join(", "),
                        http_hosts.into_iter().collect::<Vec<_>>().join(", "),
                        g.id.gateway.namespace,
                        g.id.gateway.name,
                    ),
                )
                .object(
                    g.rules
                        .iter()
                        .filter(|r| is_grpc(ir, g, r))
                        .find_map(|r| r.from.object.as_ref())
                        .unwrap_or(&g.owner),
                )
                .suggest("set `appProtocol: kubernetes.io/h2c` on the gRPC Services' ports (`kubernetes.io/h2c` for GRPC; GRPCS negotiates HTTP/2 over TLS) so the Gateway speaks HTTP/2 to them"),
            );
            kept.insert(g.id.clone());
            changed = true;
        }
        if !changed {
            break;
        }
    }
    withdraw_grpcroute_notes(ir, &kept, report);
    kept
}

/// The backend-protocol pass announced GRPCRoutes (and what they cannot carry);
/// an Ingress none of whose gRPC rules became one must not keep saying so.
fn withdraw_grpcroute_notes(ir: &Ir, kept: &BTreeSet<HostId>, report: &mut Report) {
    let mut still_grpc: BTreeSet<&ObjectRef> = BTreeSet::new();
    let mut moved: BTreeSet<&ObjectRef> = BTreeSet::new();
    for h in ir.hosts.values() {
        for r in h.rules.iter().filter(|r| is_grpc(ir, h, r)) {
            if let Some(o) = r.from.object.as_ref() {
                if kept.contains(&h.id) {
                    moved.insert(o);
                } else {
                    still_grpc.insert(o);
                }
            }
        }
    }
    let withdrawn: BTreeSet<&ObjectRef> = moved.difference(&still_grpc).copied().collect();
    report.retain(|n| {
        !(n.code == BACKEND_PROTOCOL
            && (n.message.starts_with(GRPCROUTE_NOTE)
                || n.message.starts_with(GRPCROUTE_LIMITS_NOTE))
            && n.object.as_ref().is_some_and(|o| withdrawn.contains(o)))
    });
}
