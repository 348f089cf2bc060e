//! external-dns: `external-dns.alpha.kubernetes.io/*` (and, since external-dns
//! v0.22, `external-dns.kubernetes.io/*`) annotations of the Ingresses.
//!
//! ## What happens today
//! external-dns's `ingress` source creates records for the Ingress hosts (and
//! the `hostname` annotation), pointing at the Ingress's load-balancer address
//! (`status.loadBalancer`) or at the `target` annotation; `ttl` and the
//! provider-specific keys (`cloudflare-proxied`, `aws-weight`, `set-identifier`…)
//! tune the records.
//!
//! ## What external-dns offers for Gateway API
//! The `gateway-httproute`, `gateway-grpcroute` and `gateway-tlsroute` sources:
//! records for the route `hostnames` (intersected with the listeners'), pointing
//! at the addresses of the parent Gateway (`status.addresses`). It reads
//! `target` on the Gateway (or a ListenerSet) only, and every other annotation
//! (hostname, ttl, controller, provider-specific) on the route only.
//! `internal-hostname` is not read for Gateway API sources.
//!
//! ## What we emit
//! `target` on the Gateway that serves the Ingress; every other key on every
//! route generated from the Ingress, with its own prefix.
//!
//! ## What we warn
//! That DNS targets move to the Gateway's address and external-dns needs the
//! gateway sources (one note per Ingress); `internal-hostname` (not carried);
//! conflicting `target`s on one Gateway (the first Ingress wins); a `hostname`
//! annotation (external-dns publishes the name but the Gateway does not serve it
//! unless a route lists it). Conflicting route values (a route built from several
//! Ingresses) are reported by the emitter.

use super::{Pass, PassContext};
use crate::ir::*;
use crate::report::{Code, Notification, Report};

pub const EXTERNAL_DNS_CARRIED: Code = Code("external-dns-carried");
pub const EXTERNAL_DNS_NOT_CARRIED: Code = Code("external-dns-not-carried");
pub const EXTERNAL_DNS_CONFLICT: Code = Code("external-dns-conflict");
pub const EXTERNAL_DNS_HOSTNAME: Code = Code("external-dns-hostname");

/// The annotation prefixes of external-dns (legacy first).
pub const PREFIXES: &[&str] = &[
    "external-dns.alpha.kubernetes.io/",
    "external-dns.kubernetes.io/",
];

/// Whether `key` is an annotation of external-dns (this pass accounts for it).
pub fn owns(key: &str) -> bool {
    PREFIXES.iter().any(|p| key.starts_with(p))
}

fn short(key: &str) -> Option<&str> {
    PREFIXES.iter().find_map(|p| key.strip_prefix(p))
}

pub struct ExternalDns;

impl Pass for ExternalDns {
    fn name(&self) -> &'static str {
        "external-dns"
    }
    fn run(&self, cx: &PassContext, ir: &mut Ir, report: &mut Report) {
        for (i, ing) in cx.primaries() {
            let keys: Vec<(&String, &String)> =
                ing.annotations().iter().filter(|(k, _)| owns(k)).collect();
            if keys.is_empty() {
                continue;
            }
            let gateway = cx.gateway_for(i);
            let mut on_routes = Vec::new();
            for (key, value) in keys {
                let from = Provenance::object(&ing.obj).with_annotation(key, ing.span_of(key));
                match short(key).unwrap_or_default() {
                    "internal-hostname" => report.push(
                        Notification::warning(EXTERNAL_DNS_NOT_CARRIED, format!("`{key}` is not read by external-dns's Gateway API sources: the internal record {value} is not created from the routes"))
                            .object(&ing.obj)
                            .field(key.clone())
                            .span(ing.span_of(key))
                            .suggest("create that record another way (a Service of type LoadBalancer with the annotation, or a DNSEndpoint)"),
                    ),
                    "target" => {
                        let on = ir.carried.gateway.entry(gateway.clone()).or_default();
                        match on.get(key.as_str()) {
                            Some(kept) if kept.value != *value => {
                                let first = kept.from.object.as_ref().map(|o| o.to_string()).unwrap_or_default();
                                report.push(
                                    Notification::warning(EXTERNAL_DNS_CONFLICT, format!("`{key}: {value}` conflicts with `{}` of {first} on the shared Gateway {}/{}: external-dns reads the target from the Gateway, which carries the first one", kept.value, gateway.namespace, gateway.name))
                                        .object(&ing.obj)
                                        .field(key.clone())
                                        .span(ing.span_of(key))
                                        .suggest("give these Ingresses their own Gateway, or agree on one target"),
                                );
                            }
                            Some(_) => {}
                            None => {
                                on.insert(key.clone(), CarriedValue { value: value.clone(), from });
                            }
                        }
                    }
                    s => {
                        if s == "hostname" {
                            report.push(
                                Notification::info(EXTERNAL_DNS_HOSTNAME, format!("`{key}: {value}` is carried to the routes: external-dns publishes those names pointing at the Gateway, but the Gateway serves only the route hostnames"))
                                    .object(&ing.obj)
                                    .field(key.clone())
                                    .span(ing.span_of(key)),
                            );
                        }
                        on_routes.push(key.as_str());
                        ir.carried
                            .routes
                            .entry(ing.obj.clone())
                            .or_default()
                            .insert(key.clone(), CarriedValue { value: value.clone(), from });
                    }
                }
            }
            report.push(
                Notification::info(EXTERNAL_DNS_CARRIED, format!("external-dns annotations carried ({}); once the Ingress is gone, its records point at the Gateway's address (status.addresses) instead of the ingress-nginx load balancer", if on_routes.is_empty() { "target on the Gateway".to_string() } else { format!("to the routes: {}", on_routes.join(", ")) }))
                    .object(&ing.obj)
                    .suggest("run external-dns with --source=gateway-httproute (and gateway-grpcroute, gateway-tlsroute for those routes); while the Ingress exists both sources claim the same names: see docs/cutover.md for the order"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::input::SourceFile;
    use crate::options::TranslateOptions;
    use crate::pipeline;
    use std::sync::Arc;

    fn run(annotations: &str) -> pipeline::Translation {
        let yaml = format!(
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: a\n  namespace: shop\n  annotations:\n{annotations}spec:\n  ingressClassName: nginx\n  rules:\n  - host: a.example.com\n    http:\n      paths:\n      - {{path: /, pathType: Prefix, backend: {{service: {{name: web, port: {{number: 80}}}}}}}}\n"
        );
        let loaded = pipeline::load(&[SourceFile {
            name: "t.yaml".into(),
            text: Arc::from(yaml.as_str()),
        }]);
        pipeline::translate(&loaded.input, &TranslateOptions::default(), loaded.report)
    }

    #[test]
    fn target_goes_on_the_gateway_the_rest_on_the_routes() {
        let t = run(
            "    external-dns.alpha.kubernetes.io/target: lb.example.net\n    external-dns.alpha.kubernetes.io/ttl: \"60\"\n    external-dns.alpha.kubernetes.io/internal-hostname: a.internal\n",
        );
        let gw = t.ir.carried.gateway.values().next().expect("gateway");
        assert_eq!(
            gw["external-dns.alpha.kubernetes.io/target"].value,
            "lb.example.net"
        );
        let routes = t.ir.carried.routes.values().next().expect("routes");
        assert_eq!(
            routes.keys().collect::<Vec<_>>(),
            ["external-dns.alpha.kubernetes.io/ttl"]
        );
        let meta = |kind: &str| -> Vec<std::collections::BTreeMap<String, String>> {
            t.objects
                .iter()
                .filter(|o| o.identity().0 == kind)
                .map(|o| serde_json::to_value(o).expect("json"))
                .map(|v| serde_json::from_value(v["metadata"]["annotations"].clone()).expect("map"))
                .collect()
        };
        assert!(
            meta("Gateway")
                .iter()
                .all(|a| a["external-dns.alpha.kubernetes.io/target"] == "lb.example.net")
        );
        assert!(
            meta("HTTPRoute")
                .iter()
                .all(|a| a["external-dns.alpha.kubernetes.io/ttl"] == "60"
                    && !a.contains_key("external-dns.alpha.kubernetes.io/target"))
        );
        let codes: Vec<&str> = t.notifications.iter().map(|n| n.code.0).collect();
        assert!(codes.contains(&"external-dns-not-carried"), "{codes:?}");
        assert!(codes.contains(&"external-dns-carried"), "{codes:?}");
    }

    #[test]
    fn the_new_prefix_is_carried_too() {
        let t = run("    external-dns.kubernetes.io/ttl: \"30\"\n");
        let routes = t.ir.carried.routes.values().next().expect("routes");
        assert!(routes.contains_key("external-dns.kubernetes.io/ttl"));
    }
}
