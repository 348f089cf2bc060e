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

pub fn apply(ir: &Ir, objects: &mut [GatewayObject], report: &mut Report) {
    if ir.carried.gateway.is_empty() && ir.carried.routes.is_empty() {
        return;
    }
    // Route sources are written `namespace/name`.
    let by_source: BTreeMap<String, &BTreeMap<String, CarriedValue>> = ir
        .carried
        .routes
        .iter()
        .map(|(o, a)| (format!("{}/{}", o.namespace.as_deref().unwrap_or(""), o.name), a))
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
