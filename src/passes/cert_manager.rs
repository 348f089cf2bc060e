//! cert-manager: `cert-manager.io/*` annotations of the Ingresses.
//!
//! ## What happens today (ingress-nginx + cert-manager's ingress-shim)
//! An Ingress with `cert-manager.io/cluster-issuer` or `cert-manager.io/issuer`
//! makes cert-manager create one Certificate per `spec.tls` entry, named after
//! its `secretName`, in the Ingress's namespace, **owned by the Ingress**: when the
//! Ingress is deleted, Kubernetes garbage-collects the Certificate and renewal of
//! the Secret stops (the Secret itself stays unless cert-manager runs with
//! `--enable-certificate-owner-ref`).
//!
//! ## What cert-manager offers for Gateway API
//! The same annotations on a Gateway (cert-manager's gateway-shim, enabled with
//! `enableGatewayAPI` in its controller configuration — `--enable-gateway-api`
//! on older releases): one Certificate per listener Secret, with the listener
//! `hostname`s as `dnsNames`. It only handles listeners with a hostname,
//! `tls.mode: Terminate` and a Secret **in the Gateway's namespace**; a
//! namespaced `cert-manager.io/issuer` must be in the Gateway's namespace too.
//! Supported on Gateways: issuer, cluster-issuer, issuer-kind, issuer-group,
//! common-name, email-sans, subject-*, duration, renew-before, usages,
//! revision-history-limit, private-key-algorithm/-encoding/-size/-rotation-policy.
//! ListenerSets are not read (before cert-manager 1.20).
//!
//! ## What we emit
//! Those annotations on the Gateway that serves the Ingress (the first Ingress in
//! ingress-nginx order wins a key).
//!
//! ## What we warn
//! Conflicting values across Ingresses sharing the Gateway; keys without a
//! Gateway equivalent (`acme.cert-manager.io/*`, `kubernetes.io/tls-acme`,
//! `cert-manager.io/alt-names`…); listeners whose Secret is in another namespace
//! than the Gateway (not issued by the gateway-shim) or that come from an
//! Ingress without cert-manager (the gateway-shim would take their Secret over);
//! a namespaced Issuer that the Gateway's namespace may not have; and, per
//! Secret, that the ingress-shim Certificate dies with the Ingress, with the safe
//! order of operations.

use super::{Pass, PassContext};
use crate::input::InputIngress;
use crate::ir::*;
use crate::report::{Code, Notification, Report};
use std::collections::BTreeMap;

pub const CERT_MANAGER_CARRIED: Code = Code("cert-manager-carried");
pub const CERT_MANAGER_CONFLICT: Code = Code("cert-manager-conflict");
pub const CERT_MANAGER_NOT_CARRIED: Code = Code("cert-manager-not-carried");
pub const CERT_MANAGER_CROSS_NAMESPACE: Code = Code("cert-manager-cross-namespace");
pub const CERT_MANAGER_ISSUER_NAMESPACE: Code = Code("cert-manager-issuer-namespace");
pub const CERT_MANAGER_UNMANAGED_SECRET: Code = Code("cert-manager-unmanaged-secret");
pub const CERT_MANAGER_INGRESS_OWNED: Code = Code("cert-manager-ingress-owned");

const PREFIX: &str = "cert-manager.io/";

/// `cert-manager.io/` keys cert-manager's gateway-shim reads on a Gateway.
pub const GATEWAY_KEYS: &[&str] = &[
    "cluster-issuer",
    "common-name",
    "duration",
    "email-sans",
    "issuer",
    "issuer-group",
    "issuer-kind",
    "private-key-algorithm",
    "private-key-encoding",
    "private-key-rotation-policy",
    "private-key-size",
    "renew-before",
    "revision-history-limit",
    "subject-countries",
    "subject-localities",
    "subject-organizationalunits",
    "subject-organizations",
    "subject-postalcodes",
    "subject-provinces",
    "subject-serialnumber",
    "subject-streetaddresses",
    "usages",
];

/// Whether `key` is an annotation of cert-manager (this pass accounts for it).
pub fn owns(key: &str) -> bool {
    key.starts_with(PREFIX) || key.starts_with("acme.cert-manager.io/") || key == TLS_ACME
}

const TLS_ACME: &str = "kubernetes.io/tls-acme";

fn issuer_of(ing: &InputIngress) -> Option<(&'static str, &str)> {
    ["cluster-issuer", "issuer"].into_iter().find_map(|k| {
        ing.annotation(&format!("{PREFIX}{k}"))
            .filter(|v| !v.trim().is_empty())
            .map(|v| (k, v))
    })
}

pub struct CertManager;

impl Pass for CertManager {
    fn name(&self) -> &'static str {
        "cert-manager"
    }
    fn run(&self, cx: &PassContext, ir: &mut Ir, report: &mut Report) {
        // Ingresses with an issuer, per Gateway, in ingress-nginx order.
        let mut managed: BTreeMap<GatewayId, Vec<usize>> = BTreeMap::new();
        for (i, ing) in cx.primaries() {
            let not_carried: Vec<&str> = ing
                .annotations()
                .keys()
                .filter(|k| owns(k))
                .filter(|k| {
                    k.strip_prefix(PREFIX)
                        .is_none_or(|short| !GATEWAY_KEYS.contains(&short))
                })
                .map(String::as_str)
                .collect();
            if !not_carried.is_empty() {
                report.push(
                    Notification::warning(CERT_MANAGER_NOT_CARRIED, format!("cert-manager annotations without a Gateway equivalent are not carried: {}", not_carried.join(", ")))
                        .object(&ing.obj)
                        .field(not_carried[0].to_string())
                        .span(ing.span_of(not_carried[0]))
                        .suggest("cert-manager's Gateway support reads cert-manager.io/issuer or cluster-issuer and the certificate settings (see docs/cutover.md); HTTP-01 solvers for Gateways are configured on the Issuer (gatewayHTTPRoute)"),
                );
            }
            if issuer_of(ing).is_some() {
                managed.entry(cx.gateway_for(i)).or_default().push(i);
            }
        }
        for (gateway, indices) in &managed {
            carry(cx, ir, report, gateway, indices);
            listeners(cx, ir, report, gateway);
        }
        for indices in managed.values() {
            for &i in indices {
                ingress_owned(cx.ingresses[i], report);
            }
        }
    }
}

/// The cert-manager keys of the Ingresses `indices` onto `gateway`.
fn carry(
    cx: &PassContext,
    ir: &mut Ir,
    report: &mut Report,
    gateway: &GatewayId,
    indices: &[usize],
) {
    let on = ir.carried.gateway.entry(gateway.clone()).or_default();
    for &i in indices {
        let ing = cx.ingresses[i];
        for (key, value) in ing.annotations() {
            let Some(short) = key.strip_prefix(PREFIX) else {
                continue;
            };
            if !GATEWAY_KEYS.contains(&short) {
                continue;
            }
            // issuer and cluster-issuer name one issuer between them.
            let rival = match short {
                "issuer" => on.get(&format!("{PREFIX}cluster-issuer")),
                "cluster-issuer" => on.get(&format!("{PREFIX}issuer")),
                _ => None,
            };
            let held = on.get(key).or(rival);
            match held {
                Some(kept) if kept.value != *value || !on.contains_key(key) => {
                    let first = kept
                        .from
                        .object
                        .as_ref()
                        .map(|o| o.to_string())
                        .unwrap_or_default();
                    let kept_key = kept.from.annotation.clone().unwrap_or_default();
                    report.push(
                        Notification::warning(CERT_MANAGER_CONFLICT, format!("`{key}: {value}` conflicts with `{kept_key}: {}` of {first}, which shares Gateway {}/{}: the Gateway carries the first one, so this Ingress's certificates come from that issuer", kept.value, gateway.namespace, gateway.name))
                            .object(&ing.obj)
                            .field(key.clone())
                            .span(ing.span_of(key))
                            .suggest("use one issuer per Gateway, or give these Ingresses their own Gateway (--gateway-per-namespace, or another ingress class)"),
                    );
                }
                Some(_) => {}
                None => {
                    on.insert(
                        key.clone(),
                        CarriedValue {
                            value: value.clone(),
                            from: Provenance::object(&ing.obj)
                                .with_annotation(key, ing.span_of(key)),
                        },
                    );
                }
            }
        }
        if let Some(("issuer", name)) = issuer_of(ing)
            && ing.namespace() != gateway.namespace
        {
            let key = format!("{PREFIX}issuer");
            report.push(
                Notification::warning(CERT_MANAGER_ISSUER_NAMESPACE, format!("Issuer `{name}` is namespaced: cert-manager looks for it in the Gateway's namespace {}, not in {}", gateway.namespace, ing.namespace()))
                    .object(&ing.obj)
                    .field(key.clone())
                    .span(ing.span_of(&key))
                    .suggest(format!("create the Issuer in {} (or use a ClusterIssuer), or use --gateway-per-namespace", gateway.namespace)),
            );
        }
    }
    let keys: Vec<String> = on
        .iter()
        .map(|(k, v)| format!("{k}: {}", v.value))
        .collect();
    if !keys.is_empty() {
        report.push(
            Notification::info(CERT_MANAGER_CARRIED, format!("cert-manager annotations carried to Gateway {}/{}: {}", gateway.namespace, gateway.name, keys.join(", ")))
                .suggest("cert-manager issues Gateway certificates only with its Gateway API support enabled (controller config enableGatewayAPI: true; --enable-gateway-api on older releases)"),
        );
    }
}

/// What the gateway-shim will and will not do with the listeners of `gateway`.
fn listeners(cx: &PassContext, ir: &Ir, report: &mut Report, gateway: &GatewayId) {
    let Some(gw) = ir.gateways.get(gateway) else {
        return;
    };
    for l in gw.https.values() {
        let Some(ing) = l.from.object.as_ref().and_then(|o| cx.ingress(o)) else {
            continue;
        };
        let managed = issuer_of(ing).is_some();
        let secret = format!("{}/{}", l.secret.namespace, l.secret.name);
        if l.secret.namespace != gateway.namespace {
            if managed {
                report.push(
                    Notification::warning(CERT_MANAGER_CROSS_NAMESPACE, format!("listener for {} uses Secret {secret}, outside the Gateway's namespace {}: cert-manager's Gateway support does not issue it, so nothing renews it once the Ingress is gone", l.hostname, gateway.namespace))
                        .object(&ing.obj)
                        .suggest("use --gateway-per-namespace (Gateway and Secret in one namespace), or keep a Certificate for this Secret in its namespace (see docs/cutover.md)"),
                );
            }
        } else if !managed {
            report.push(
                Notification::warning(CERT_MANAGER_UNMANAGED_SECRET, format!("listener for {} uses Secret {secret}, which no cert-manager annotation manages today; on Gateway {}/{} with cert-manager annotations, cert-manager will issue into it and replace its certificate", l.hostname, gateway.namespace, gateway.name))
                    .object(&ing.obj)
                    .suggest("give this Ingress its own Gateway, or move its certificate to cert-manager knowingly"),
            );
        }
    }
}

/// One warning per Secret of a cert-manager Ingress: its Certificate dies with it.
fn ingress_owned(ing: &InputIngress, report: &mut Report) {
    let Some(spec) = ing.ingress.spec.as_ref() else {
        return;
    };
    let mut secrets: Vec<&str> = spec
        .tls
        .as_deref()
        .unwrap_or_default()
        .iter()
        .filter_map(|t| t.secret_name.as_deref())
        .filter(|s| !s.is_empty())
        .collect();
    secrets.sort_unstable();
    secrets.dedup();
    let ns = ing.namespace();
    for s in secrets {
        report.push(
            Notification::warning(CERT_MANAGER_INGRESS_OWNED, format!("Certificate {ns}/{s} (Secret {s}) was created by cert-manager's ingress-shim and is owned by this Ingress: deleting the Ingress garbage-collects the Certificate and renewal of Secret {ns}/{s} stops"))
                .object(&ing.obj)
                .field(format!("spec.tls secretName {s}"))
                .span(ing.span_of(s))
                .suggest("safe order: apply the Gateway, check `ing2gw status` and that the Gateway's Certificate is Ready (`kubectl get certificate -n NS`), then delete the Ingress with `kubectl delete ingress --cascade=orphan` so the Certificate survives until nothing needs it (docs/cutover.md)"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::input::SourceFile;
    use crate::ir::GatewayId;
    use crate::options::TranslateOptions;
    use crate::pipeline;
    use std::sync::Arc;

    fn ingress(name: &str, ns: &str, host: &str, annotations: &[(&str, &str)]) -> String {
        let a: String = annotations
            .iter()
            .map(|(k, v)| format!("    {k}: {v:?}\n"))
            .collect();
        format!(
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: {name}\n  namespace: {ns}\n  annotations:\n{a}spec:\n  ingressClassName: nginx\n  tls:\n  - hosts: [{host}]\n    secretName: {name}-tls\n  rules:\n  - host: {host}\n    http:\n      paths:\n      - {{path: /, pathType: Prefix, backend: {{service: {{name: web, port: {{number: 80}}}}}}}}\n---\n"
        )
    }

    fn run(yaml: &str, options: TranslateOptions) -> pipeline::Translation {
        let loaded = pipeline::load(&[SourceFile {
            name: "t.yaml".into(),
            text: Arc::from(yaml),
        }]);
        pipeline::translate(&loaded.input, &options, loaded.report)
    }

    fn codes(t: &pipeline::Translation) -> Vec<&str> {
        t.notifications.iter().map(|n| n.code.0).collect()
    }

    #[test]
    fn gateway_keys_are_carried_and_others_named() {
        let t = run(
            &ingress(
                "a",
                "shop",
                "a.example.com",
                &[
                    ("cert-manager.io/cluster-issuer", "le"),
                    ("cert-manager.io/usages", "server auth"),
                    ("cert-manager.io/alt-names", "x.example.com"),
                ],
            ),
            TranslateOptions {
                gateway_per_namespace: true,
                ..Default::default()
            },
        );
        let on = &t.ir.carried.gateway[&GatewayId {
            namespace: "shop".into(),
            name: "nginx".into(),
        }];
        assert_eq!(on["cert-manager.io/cluster-issuer"].value, "le");
        assert_eq!(on["cert-manager.io/usages"].value, "server auth");
        assert!(!on.contains_key("cert-manager.io/alt-names"));
        let c = codes(&t);
        assert!(c.contains(&"cert-manager-not-carried"), "{c:?}");
        assert!(c.contains(&"cert-manager-ingress-owned"), "{c:?}");
        // Same namespace as the Gateway: issued, no cross-namespace warning.
        assert!(!c.contains(&"cert-manager-cross-namespace"), "{c:?}");
        assert!(!c.contains(&"foreign-annotations"), "{c:?}");
    }

    #[test]
    fn conflicting_issuers_on_one_gateway_keep_the_first() {
        let yaml = ingress(
            "a",
            "shop",
            "a.example.com",
            &[("cert-manager.io/cluster-issuer", "le")],
        ) + &ingress(
            "b",
            "blog",
            "b.example.com",
            &[("cert-manager.io/cluster-issuer", "other")],
        );
        let t = run(&yaml, TranslateOptions::default());
        let on = t.ir.carried.gateway.values().next().expect("carried");
        assert_eq!(on.len(), 1);
        let c = codes(&t);
        assert!(c.contains(&"cert-manager-conflict"), "{c:?}");
        assert_eq!(
            c.iter()
                .filter(|c| **c == "cert-manager-cross-namespace")
                .count(),
            2
        );
        // Same issuer twice: no conflict.
        let yaml = ingress(
            "a",
            "shop",
            "a.example.com",
            &[("cert-manager.io/cluster-issuer", "le")],
        ) + &ingress(
            "b",
            "blog",
            "b.example.com",
            &[("cert-manager.io/cluster-issuer", "le")],
        );
        assert!(
            !codes(&run(&yaml, TranslateOptions::default())).contains(&"cert-manager-conflict")
        );
    }

    #[test]
    fn without_cert_manager_nothing_is_carried() {
        let t = run(
            &ingress("a", "shop", "a.example.com", &[("x.io/y", "z")]),
            TranslateOptions::default(),
        );
        assert!(t.ir.carried.gateway.is_empty());
        assert!(!codes(&t).iter().any(|c| c.starts_with("cert-manager")));
    }
}
