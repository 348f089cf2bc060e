//! Writes the annotations the cert-manager and external-dns passes carried (see
//! `crate::ir::Carried`) onto the generated objects, for every emitter: Gateway
//! annotations by Gateway identity, route annotations on every route whose
//! `ing2gw.io/sources` names the Ingress.

use super::standard::SOURCES_ANNOTATION;
use crate::gwapi::{GatewayObject, ObjectMeta};
use crate::ir::{CarriedValue, GatewayId, Ir};
use crate::report::{Code, Notification, ObjectRef, Report};
use std::collections::BTreeMap;

/// A route built from several Ingresses whose carried values disagree.
pub const CARRIED_CONFLICT: Code = Code("carried-annotation-conflict");
/// HTTPS listeners moved to a ListenerSet of a Gateway with cert-manager annotations.
pub const CERT_MANAGER_LISTENER_SET: Code = Code("cert-manager-listenerset");

pub fn apply(ir: &Ir, objects: &mut [GatewayObject], report: &mut Report) {
    if ir.carried.gateway.is_empty() && ir.carried.routes.is_empty() {
        return;
    }
    // Route sources are written `namespace/name`.
    let by_source: BTreeMap<String, &BTreeMap<String, CarriedValue>> = ir
        .carried
        .routes
        .iter()
        .map(|(o, a)| {
            (
                format!("{}/{}", o.namespace.as_deref().unwrap_or(""), o.name),
                a,
            )
        })
        .collect();
    for o in objects.iter_mut() {
        let (kind, meta) = match o {
            GatewayObject::Gateway(g) => {
                let id = GatewayId {
                    namespace: g.metadata.namespace.clone().unwrap_or_default(),
                    name: g.metadata.name.clone(),
                };
                if let Some(a) = ir.carried.gateway.get(&id) {
                    for (k, v) in a {
                        g.metadata.annotations.insert(k.clone(), v.value.clone());
                    }
                }
                continue;
            }
            GatewayObject::HttpRoute(r) => ("HTTPRoute", &mut r.metadata),
            GatewayObject::GrpcRoute(r) => ("GRPCRoute", &mut r.metadata),
            GatewayObject::TlsRoute(r) => ("TLSRoute", &mut r.metadata),
            _ => continue,
        };
        route(kind, meta, &by_source, report);
    }
    listener_sets(ir, objects, report);
}

/// cert-manager's Gateway support reads Gateways, not ListenerSets (before
/// cert-manager 1.20): the HTTPS listeners the emitter moved to ListenerSets
/// (past 64 listeners) get no certificate from the carried annotations.
fn listener_sets(ir: &Ir, objects: &[GatewayObject], report: &mut Report) {
    for o in objects {
        let GatewayObject::ListenerSet(set) = o else {
            continue;
        };
        let parent = &set.spec.parent_ref;
        let id = GatewayId {
            namespace: parent
                .namespace
                .clone()
                .or_else(|| set.metadata.namespace.clone())
                .unwrap_or_default(),
            name: parent.name.clone(),
        };
        let issued = ir.carried.gateway.get(&id).is_some_and(|a| {
            a.contains_key("cert-manager.io/issuer")
                || a.contains_key("cert-manager.io/cluster-issuer")
        });
        let tls = set
            .spec
            .listeners
            .iter()
            .filter(|l| l.tls.is_some())
            .count();
        if issued && tls > 0 {
            let object = ObjectRef::new(
                "ListenerSet",
                set.metadata.namespace.as_deref(),
                &set.metadata.name,
            );
            report.push(
                Notification::warning(CERT_MANAGER_LISTENER_SET, format!("{tls} HTTPS listener(s) of Gateway {}/{} are in this ListenerSet: cert-manager's Gateway support does not read ListenerSets (before cert-manager 1.20), so the carried cert-manager annotations issue no certificate for them", id.namespace, id.name))
                    .object(&object)
                    .suggest("keep Certificates for these Secrets (the ingress-shim ones, orphaned when the Ingress is deleted: see docs/cutover.md), or use --gateway-per-namespace so each Gateway stays under 64 listeners"),
            );
        }
    }
}

fn route(
    kind: &str,
    meta: &mut ObjectMeta,
    by_source: &BTreeMap<String, &BTreeMap<String, CarriedValue>>,
    report: &mut Report,
) {
    let Some(sources) = meta.annotations.get(SOURCES_ANNOTATION).cloned() else {
        return;
    };
    let mut set: BTreeMap<String, (String, String)> = BTreeMap::new();
    for src in sources.split(',') {
        let Some(carried) = by_source.get(src) else {
            continue;
        };
        for (k, v) in carried.iter() {
            match set.get(k) {
                Some((kept, first)) if *kept != v.value => {
                    let object = ObjectRef::new(kind, meta.namespace.as_deref(), &meta.name);
                    report.push(
                        Notification::warning(CARRIED_CONFLICT, format!("{kind} {} serves Ingresses {first} and {src}, whose `{k}` differ (`{kept}`, `{}`): it carries the first", meta.name, v.value))
                            .object(&object)
                            .field(k.clone())
                            .suggest("give the Ingresses the same value, or separate hosts"),
                    );
                }
                Some(_) => {}
                None => {
                    set.insert(k.clone(), (v.value.clone(), src.to_string()));
                }
            }
        }
    }
    for (k, (v, _)) in set {
        meta.annotations.insert(k, v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gwapi::{Listener, ListenerSet, ListenerSetSpec, ListenerTls, ParentReference};
    use crate::ir::{CarriedValue, Provenance};

    fn listener_set(tls: bool) -> GatewayObject {
        GatewayObject::ListenerSet(ListenerSet {
            api_version: "gateway.networking.k8s.io/v1".into(),
            kind: "ListenerSet".into(),
            metadata: ObjectMeta {
                name: "overflow".into(),
                namespace: Some("shop".into()),
                ..Default::default()
            },
            spec: ListenerSetSpec {
                parent_ref: ParentReference {
                    name: "nginx".into(),
                    namespace: Some("gateway-system".into()),
                    ..Default::default()
                },
                listeners: vec![Listener {
                    name: "https-a".into(),
                    tls: tls.then(ListenerTls::default),
                    ..Default::default()
                }],
            },
        })
    }

    fn ir_with_issuer() -> Ir {
        let mut ir = Ir::default();
        ir.carried
            .gateway
            .entry(GatewayId {
                namespace: "gateway-system".into(),
                name: "nginx".into(),
            })
            .or_default()
            .insert(
                "cert-manager.io/cluster-issuer".into(),
                CarriedValue {
                    value: "le".into(),
                    from: Provenance::default(),
                },
            );
        ir
    }

    #[test]
    fn https_listeners_in_listener_sets_are_flagged_under_cert_manager() {
        let mut report = Report::default();
        apply(&ir_with_issuer(), &mut [listener_set(true)], &mut report);
        let codes: Vec<_> = report.finish().iter().map(|n| n.code.0).collect();
        assert_eq!(codes, ["cert-manager-listenerset"]);
        let mut report = Report::default();
        apply(&ir_with_issuer(), &mut [listener_set(false)], &mut report);
        assert!(report.finish().is_empty());
        let mut report = Report::default();
        apply(&Ir::default(), &mut [listener_set(true)], &mut report);
        assert!(report.finish().is_empty());
    }
}
