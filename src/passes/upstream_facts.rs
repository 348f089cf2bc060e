//! Traffic-policy facts of the **upstream** (Service port) settings:
//! `load-balance`, `upstream-hash-by` (+ `-subset`), `service-upstream`.
//! Recorded by the `misc` pass, which claims and reports these annotations.
//!
//! ## What ingress-nginx does
//! These keys configure the Lua balancer of an upstream, one per Service port.
//! The first Ingress (ingress-nginx order) whose rules reference the port
//! creates the upstream and decides them for every host and path routing there
//! (reference §2.13, `createUpstreams`); `load-balance` and `service-upstream`
//! default to their ConfigMap keys. `upstream-hash-by` wins over `load-balance`,
//! and cookie `affinity` wins over both.
//!
//! ## What we record
//! On every proxying rule, from the upstream of its first backend (the primary
//! Service; a canary backend shares the primary's rule): `RulePolicy.load_balance`
//! — `Hash` for `upstream-hash-by` (the nginx expression as written, the key we
//! recognise in it, the subset flag), else `RoundRobin`/`Ewma` from `load-balance`
//! or the ConfigMap — unless the rule already carries a cookie-affinity fact
//! (affinity decides the balancer then); `RulePolicy.service_upstream` from
//! `service-upstream` or the ConfigMap. Provenance: the owning Ingress's
//! annotation (with the rule's indices when the rule is its own) or the
//! ConfigMap key. Invalid values (`chash` without a key, `sticky_*`, unknown
//! algorithms, non-booleans) record nothing; `misc` reports them as today.

use super::annotated::{self, Setting};
use super::{PassContext, parse_go_bool};
use crate::input::InputIngress;
use crate::ir::*;
use std::collections::BTreeMap;

const KEYS: &[&str] = &["load-balance", "upstream-hash-by", "service-upstream"];

/// The balancing and service-upstream settings of one owning Ingress.
type UpstreamFacts = (Option<Setting<LoadBalance>>, Option<Setting<bool>>);

/// A Service port, whatever the weight of the backend.
type ServicePort = (String, String, u16);

fn service_port(b: &Backend) -> ServicePort {
    (b.namespace.clone(), b.service.clone(), b.port)
}

/// Records the upstream facts on every proxying rule.
pub fn record(cx: &PassContext, ir: &mut Ir) {
    let annotated_any = cx
        .ingresses
        .iter()
        .any(|ing| KEYS.iter().any(|k| annotated::value(cx, ing, k).is_some()));
    let configured = ["load-balance", "service-upstream"]
        .iter()
        .any(|k| cx.config.value(k).is_some());
    if !annotated_any && !configured {
        return;
    }
    // The first Ingress (sorted order) whose rules reference a Service port owns its upstream.
    let mut owner: BTreeMap<ServicePort, usize> = BTreeMap::new();
    for rule in ir.hosts.values().flat_map(|h| h.rules.iter()) {
        if rule.from.annotation.is_some() {
            continue;
        }
        let (Some(pos), Action::Forward(bs)) = (
            rule.from.object.as_ref().and_then(|o| cx.position(o)),
            &rule.action,
        ) else {
            continue;
        };
        for b in bs {
            let e = owner.entry(service_port(b)).or_insert(pos);
            *e = (*e).min(pos);
        }
    }
    // The facts of each owning Ingress, computed once.
    let mut facts: BTreeMap<usize, UpstreamFacts> = BTreeMap::new();
    for host in ir.hosts.values_mut() {
        for rule in host.rules.iter_mut() {
            let Action::Forward(bs) = &rule.action else {
                continue;
            };
            let Some(&pos) = bs.first().and_then(|b| owner.get(&service_port(b))) else {
                continue;
            };
            let ing = cx.ingresses[pos];
            let (lb, su) = facts
                .entry(pos)
                .or_insert_with(|| (load_balance(cx, ing), service_upstream(cx, ing)));
            let base = if rule.from.object.as_ref() == Some(&ing.obj) {
                rule.from.clone()
            } else {
                Provenance::object(&ing.obj)
            };
            let has_affinity = rule.policy.as_ref().is_some_and(|p| p.affinity.is_some());
            if let Some(lb) = lb.as_ref().filter(|_| !has_affinity) {
                rule.policy_mut().load_balance = Some(lb.at(cx, ing, &base));
            }
            if let Some(su) = su {
                rule.policy_mut().service_upstream = Some(su.at(cx, ing, &base));
            }
        }
    }
}

/// `upstream-hash-by` (wins), else `load-balance` (annotation, else ConfigMap).
fn load_balance(cx: &PassContext, ing: &InputIngress) -> Option<Setting<LoadBalance>> {
    if let Some(expression) = annotated::value(cx, ing, "upstream-hash-by").map(str::trim) {
        return Some(Setting {
            value: LoadBalance::Hash {
                expression: expression.to_string(),
                key: hash_key(expression),
                subset: cx.annotation_bool(ing, "upstream-hash-by-subset", false),
            },
            key: "upstream-hash-by".into(),
            annotation: true,
        });
    }
    annotated::setting(cx, ing, "load-balance", |v| match v {
        // Case-sensitive, as ingress-nginx compares it.
        "round_robin" => Some(LoadBalance::RoundRobin),
        "ewma" => Some(LoadBalance::Ewma),
        // chash/chashsubset need upstream-hash-by; sticky_* need affinity.
        _ => None,
    })
}

fn service_upstream(cx: &PassContext, ing: &InputIngress) -> Option<Setting<bool>> {
    annotated::setting(cx, ing, "service-upstream", parse_go_bool)
}

/// What an `upstream-hash-by` expression hashes, when it is one nginx variable
/// with a Gateway-level equivalent.
pub fn hash_key(expression: &str) -> HashKey {
    let var = expression
        .strip_prefix("${")
        .and_then(|v| v.strip_suffix('}'))
        .or_else(|| expression.strip_prefix('$'));
    let Some(var) = var.filter(|v| v.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_'))
    else {
        return HashKey::Other;
    };
    match var {
        "remote_addr" | "binary_remote_addr" => HashKey::ClientIp,
        "request_uri" => HashKey::RequestUri,
        _ => {
            if let Some(h) = var.strip_prefix("http_").filter(|h| !h.is_empty()) {
                // nginx exposes header `X-User-Id` as `$http_x_user_id`.
                HashKey::Header(h.replace('_', "-"))
            } else if let Some(c) = var.strip_prefix("cookie_").filter(|c| !c.is_empty()) {
                HashKey::Cookie(c.to_string())
            } else if let Some(a) = var.strip_prefix("arg_").filter(|a| !a.is_empty()) {
                HashKey::QueryParameter(a.to_string())
            } else {
                HashKey::Other
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passes::test_support::{configmap, ingress, ir_of, policy};

    #[test]
    fn hash_keys() {
        assert_eq!(hash_key("$remote_addr"), HashKey::ClientIp);
        assert_eq!(hash_key("${binary_remote_addr}"), HashKey::ClientIp);
        assert_eq!(hash_key("$request_uri"), HashKey::RequestUri);
        assert_eq!(
            hash_key("$http_x_user_id"),
            HashKey::Header("x-user-id".into())
        );
        assert_eq!(
            hash_key("$cookie_session"),
            HashKey::Cookie("session".into())
        );
        assert_eq!(
            hash_key("$arg_tenant"),
            HashKey::QueryParameter("tenant".into())
        );
        assert_eq!(hash_key("$host$request_uri"), HashKey::Other);
        assert_eq!(hash_key("$http_"), HashKey::Other);
        assert_eq!(hash_key("request_uri"), HashKey::Other);
    }

    #[test]
    fn hash_wins_and_owner_decides_the_upstream() {
        // Same (no) creation time: name descending puts `b` first, so `b`
        // owns the shared port.
        let yaml = ingress(
            "b",
            "b.example",
            "/",
            "shared",
            &[
                ("upstream-hash-by", "$http_x_user_id"),
                ("upstream-hash-by-subset", "true"),
                ("load-balance", "ewma"),
            ],
        ) + &ingress("a", "a.example", "/", "shared", &[("load-balance", "ewma")]);
        let ir = ir_of(&yaml);
        let b = policy(&ir, "b.example", "/").expect("policy on b");
        let lb = b.load_balance.as_ref().expect("load balance");
        assert_eq!(
            lb.value,
            LoadBalance::Hash {
                expression: "$http_x_user_id".into(),
                key: HashKey::Header("x-user-id".into()),
                subset: true
            }
        );
        assert_eq!(
            lb.from.annotation.as_deref(),
            Some("nginx.ingress.kubernetes.io/upstream-hash-by")
        );
        assert_eq!(lb.from.object.as_ref().map(|o| o.name.as_str()), Some("b"));
        assert_eq!(lb.from.path, Some(0));
        // a's rule routes to the same upstream: b's hash applies, not a's ewma.
        let a = policy(&ir, "a.example", "/").expect("policy on a");
        let lb = a.load_balance.as_ref().expect("load balance on a");
        assert!(matches!(lb.value, LoadBalance::Hash { .. }));
        assert_eq!(lb.from.object.as_ref().map(|o| o.name.as_str()), Some("b"));
        assert_eq!(lb.from.path, None);
    }

    #[test]
    fn configmap_default_and_invalid_values() {
        let yaml = configmap(&[("load-balance", "ewma"), ("service-upstream", "true")])
            + &ingress("plain", "p.example", "/", "p", &[])
            + &ingress(
                "rr",
                "r.example",
                "/",
                "r",
                &[
                    ("load-balance", "round_robin"),
                    ("service-upstream", "false"),
                ],
            )
            + &ingress(
                "bad",
                "x.example",
                "/",
                "x",
                &[("load-balance", "chash"), ("service-upstream", "maybe")],
            );
        let ir = ir_of(&yaml);
        let p = policy(&ir, "p.example", "/").expect("ConfigMap facts");
        let lb = p.load_balance.as_ref().expect("lb");
        assert_eq!(lb.value, LoadBalance::Ewma);
        assert_eq!(lb.from.annotation.as_deref(), Some("load-balance"));
        assert_eq!(
            lb.from.object.as_ref().map(|o| o.name.as_str()),
            Some("ingress-nginx-controller")
        );
        assert_eq!(p.service_upstream.as_ref().map(|s| s.value), Some(true));
        let r = policy(&ir, "r.example", "/").expect("annotation facts");
        assert_eq!(
            r.load_balance.as_ref().map(|s| &s.value),
            Some(&LoadBalance::RoundRobin)
        );
        assert_eq!(r.service_upstream.as_ref().map(|s| s.value), Some(false));
        // Invalid annotations fall back to the ConfigMap, as ingress-nginx does.
        let x = policy(&ir, "x.example", "/").expect("fallback facts");
        assert_eq!(
            x.load_balance.as_ref().map(|s| &s.value),
            Some(&LoadBalance::Ewma)
        );
        assert_eq!(
            x.service_upstream
                .as_ref()
                .map(|s| s.from.annotation.as_deref()),
            Some(Some("service-upstream"))
        );
    }

    #[test]
    fn nothing_set_records_nothing() {
        let ir = ir_of(&ingress("plain", "p.example", "/", "p", &[]));
        assert!(policy(&ir, "p.example", "/").is_none_or(|p| p.is_empty()));
    }
}
