//! affinity, affinity-mode, affinity-canary-behavior, session-cookie-*.
//!
//! ## What ingress-nginx does
//! `affinity: cookie` (the only valid value) makes the Lua balancer of the
//! **upstream** (Service port) sticky: the first Ingress that references the
//! Service port decides type and mode, so every host/path routing there is sticky.
//! The cookie is `session-cookie-name` (default `INGRESSCOOKIE`), a session cookie
//! unless `session-cookie-expires`/`-max-age` (seconds) are set, with path, domain,
//! Secure and SameSite attributes from the other keys (last Ingress wins).
//! `affinity-mode: persistent` never rebalances; `balanced` (default) may move
//! sessions when endpoints scale. Without `affinity`, session-cookie-* do nothing.
//!
//! ## What Gateway API offers
//! `sessionPersistence` on an HTTPRoute rule (experimental channel): cookie name,
//! type Cookie, absoluteTimeout, lifetimeType Session/Permanent.
//!
//! ## What we emit
//! With `--channel experimental`, sessionPersistence on every rule that routes to
//! a sticky Service port; nothing on the standard channel.
//!
//! ## What we record (traffic-policy facts)
//! `RulePolicy.affinity` (`CookieAffinity`: name, path, lifetime, SameSite,
//! Secure, domain, mode, change-on-failure) on every rule that routes to a
//! Service port this Ingress makes sticky — the same rules sessionPersistence
//! goes to, whatever the channel; an invalid affinity, an affinity that has no
//! effect (upstream decided elsewhere) and a canary's record nothing.
//!
//! ## What we warn
//! Cookie attributes and modes without a field, the upstream scope (rules of other
//! Ingresses made sticky), the standard channel (with the implementation
//! resources that replace it), and keys that do nothing.

use super::annotated::{self, note};
use super::{Pass, PassContext};
use crate::input::InputIngress;
use crate::ir::*;
use crate::options::Channel;
use crate::report::{Code, Report, Severity};
use std::collections::{BTreeMap, BTreeSet};

pub const AFFINITY: Code = Code("affinity");

const KEYS: &[&str] = &[
    "affinity",
    "affinity-mode",
    "affinity-canary-behavior",
    "session-cookie-name",
    "session-cookie-secure",
    "session-cookie-expires",
    "session-cookie-max-age",
    "session-cookie-path",
    "session-cookie-domain",
    "session-cookie-samesite",
    "session-cookie-conditional-samesite-none",
    "session-cookie-change-on-failure",
];

pub struct Affinity;

impl Pass for Affinity {
    fn name(&self) -> &'static str {
        "affinity"
    }
    fn annotations(&self) -> &'static [&'static str] {
        KEYS
    }
    fn run(&self, cx: &PassContext, ir: &mut Ir, report: &mut Report) {
        if !cx
            .ingresses
            .iter()
            .any(|ing| KEYS.iter().any(|k| annotated::value(cx, ing, k).is_some()))
        {
            return;
        }
        // The first Ingress (sorted order) referencing a Service port owns its upstream.
        // One scan of the rules keeps this linear in the size of the input.
        let mut first: BTreeMap<Backend, usize> = BTreeMap::new();
        // Every rule by the Service ports it forwards to (sessionPersistence is set
        // per port): looked up per affinity Ingress instead of scanning all rules.
        let by_port = RulesByPort::new(ir);
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
                let b = Backend {
                    weight: None,
                    ..b.clone()
                };
                let e = first.entry(b).or_insert(pos);
                *e = (*e).min(pos);
            }
        }
        let owners: BTreeMap<Backend, crate::report::ObjectRef> = first
            .into_iter()
            .map(|(b, pos)| (b, cx.ingresses[pos].obj.clone()))
            .collect();
        // Upstreams created by an Ingress without cookie affinity stay non-sticky.
        let mut sticky: BTreeSet<Backend> = owners
            .iter()
            .filter(|(_, o)| {
                cx.ingress(o).is_some_and(|i| {
                    annotated::value(cx, i, "affinity").map(str::trim) != Some("cookie")
                })
            })
            .map(|(b, _)| b.clone())
            .collect();
        for ing in &cx.ingresses {
            let set: Vec<&str> = KEYS
                .iter()
                .copied()
                .filter(|k| annotated::value(cx, ing, k).is_some())
                .collect();
            if set.is_empty() {
                continue;
            }
            match annotated::value(cx, ing, "affinity").map(str::trim) {
                Some("cookie") => {}
                Some(other) => {
                    report.push(note(cx, ing, "affinity", Severity::Warning, AFFINITY, format!("affinity `{other}` is not valid (only `cookie`): ingress-nginx does not make the backend sticky, nothing is emitted")));
                    continue;
                }
                None => {
                    report.push(note(
                        cx,
                        ing,
                        set[0],
                        Severity::Info,
                        AFFINITY,
                        format!(
                            "{} without `affinity: cookie` do nothing in ingress-nginx",
                            set.join(", ")
                        ),
                    ));
                    continue;
                }
            }
            if cx.is_canary(ing) {
                report.push(note(cx, ing, "affinity", Severity::Info, AFFINITY, "affinity on a canary Ingress: ingress-nginx uses the primary's affinity for the canary backend (unless affinity-canary-behavior: legacy); Gateway API's sessionPersistence on the primary rule covers both backends"));
                continue;
            }
            apply(cx, ing, ir, &mut sticky, &owners, &by_port, report);
        }
    }
}

/// A Service port, whatever the weight of the backend.
type ServicePort = (String, String, u16);

/// Every forwarding rule by the Service ports it sends to. A rule is kept as
/// (host ordinal, rule index), not as a [`RuleAt`]: that clones the host's id
/// (four strings) per rule of the estate, the largest allocation of the passes
/// (issue 13 memory). Ordinals follow host id order, so the sets sort like
/// `RuleAt`s.
struct RulesByPort {
    hosts: Vec<HostId>,
    by_port: BTreeMap<ServicePort, BTreeSet<(usize, usize)>>,
}

impl RulesByPort {
    fn new(ir: &Ir) -> Self {
        let mut hosts = Vec::with_capacity(ir.hosts.len());
        let mut by_port: BTreeMap<ServicePort, BTreeSet<(usize, usize)>> = BTreeMap::new();
        for (ordinal, host) in ir.hosts.values().enumerate() {
            hosts.push(host.id.clone());
            for (index, rule) in host.rules.iter().enumerate() {
                if let Action::Forward(bs) = &rule.action {
                    for b in bs {
                        by_port
                            .entry(service_port(b))
                            .or_default()
                            .insert((ordinal, index));
                    }
                }
            }
        }
        RulesByPort { hosts, by_port }
    }

    /// The rules forwarding to one of `ports`, in host then rule order.
    fn rules(&self, ports: &[Backend]) -> BTreeSet<RuleAt> {
        ports
            .iter()
            .filter_map(|m| self.by_port.get(&service_port(m)))
            .flatten()
            .map(|&(ordinal, index)| RuleAt {
                host: self.hosts[ordinal].clone(),
                index,
            })
            .collect()
    }
}

fn service_port(b: &Backend) -> ServicePort {
    (b.namespace.clone(), b.service.clone(), b.port)
}

fn seconds(cx: &PassContext, ing: &InputIngress, key: &str) -> Option<u64> {
    annotated::value(cx, ing, key)
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|v| *v > 0)
}

/// The cookie-affinity fact of `ing` on the rules of its sticky Service ports.
fn record(
    cx: &PassContext,
    ing: &InputIngress,
    ir: &mut Ir,
    hits: &BTreeSet<RuleAt>,
    name: &str,
    ttl_seconds: Option<u64>,
) {
    let text = |k: &str| annotated::value(cx, ing, k).map(|v| v.trim().to_string());
    let flag = |k: &str| cx.annotation_bool(ing, k, false);
    let fact = CookieAffinity {
        name: name.to_string(),
        path: text("session-cookie-path"),
        ttl_seconds,
        same_site: text("session-cookie-samesite"),
        conditional_same_site_none: flag("session-cookie-conditional-samesite-none"),
        secure: flag("session-cookie-secure"),
        domain: text("session-cookie-domain"),
        persistent: annotated::value(cx, ing, "affinity-mode").map(str::trim) == Some("persistent"),
        change_on_failure: flag("session-cookie-change-on-failure"),
    };
    let key = cx.full_key("affinity");
    let span = cx.annotation_span(ing, "affinity");
    for at in hits {
        let Some(rule) = ir.rule_mut(at) else {
            continue;
        };
        // A rule of another Ingress made sticky through the shared Service port
        // names the Ingress whose affinity it is.
        let base = if rule.from.object.as_ref() == Some(&ing.obj) {
            rule.from.clone()
        } else {
            Provenance::object(&ing.obj)
        };
        let from = base.with_annotation(&key, span.clone());
        let p = rule.policy_mut();
        if p.affinity.is_none() {
            p.affinity = Some(Sourced::new(fact.clone(), from));
        }
    }
}

fn apply(
    cx: &PassContext,
    ing: &InputIngress,
    ir: &mut Ir,
    sticky: &mut BTreeSet<Backend>,
    owners: &BTreeMap<Backend, crate::report::ObjectRef>,
    by_port: &RulesByPort,
    report: &mut Report,
) {
    let name = annotated::value(cx, ing, "session-cookie-name")
        .map(str::trim)
        .unwrap_or("INGRESSCOOKIE")
        .to_string();
    let lifetime = seconds(cx, ing, "session-cookie-max-age")
        .or_else(|| seconds(cx, ing, "session-cookie-expires"));
    let mut lost = Vec::new();
    for k in [
        "session-cookie-path",
        "session-cookie-domain",
        "session-cookie-samesite",
        "session-cookie-secure",
        "session-cookie-conditional-samesite-none",
        "session-cookie-change-on-failure",
    ] {
        if let Some(v) = annotated::value(cx, ing, k) {
            lost.push(format!("{k} `{v}`"));
        }
    }
    if annotated::value(cx, ing, "affinity-mode").map(str::trim) == Some("persistent") {
        lost.push("affinity-mode persistent (never rebalance)".into());
    }
    // The Service ports this Ingress references: the upstreams it makes sticky.
    let mut mine: Vec<Backend> = annotated::location_rules(ir, ing)
        .iter()
        .filter_map(|at| ir.hosts.rule(at))
        .filter_map(|r| match &r.action {
            Action::Forward(b) => Some(b.clone()),
            Action::Redirect(_) => None,
        })
        .flatten()
        .map(|b| Backend { weight: None, ..b })
        .collect();
    mine.sort();
    mine.dedup();
    // Service ports whose upstream another, older Ingress created are decided there.
    let decided_elsewhere: Vec<String> = mine
        .iter()
        .filter(|b| sticky.contains(b))
        .map(|b| {
            let owner = owners.get(b).map(|o| o.to_string()).unwrap_or_default();
            format!(
                "{}/{}:{} (first used by {owner})",
                b.namespace, b.service, b.port
            )
        })
        .collect();
    if !decided_elsewhere.is_empty() {
        lost.push(format!("the balancer of {} is decided by the Ingress that references it first, so this affinity does not apply there in ingress-nginx either", decided_elsewhere.join(", ")));
    }
    mine.retain(|b| !sticky.contains(b));
    if mine.is_empty() {
        report.push(note(
            cx,
            ing,
            "affinity",
            Severity::Warning,
            AFFINITY,
            format!(
                "affinity cookie has no effect in ingress-nginx: {}; nothing is emitted",
                lost.join("; ")
            ),
        ));
        return;
    }
    sticky.extend(mine.iter().cloned());
    // The rules forwarding to one of `mine`, in host then rule order.
    let hits: BTreeSet<RuleAt> = by_port.rules(&mine);
    record(cx, ing, ir, &hits, &name, lifetime);
    let affected: Vec<String> = hits
        .iter()
        .filter_map(|at| Some((&at.host, ir.hosts.rule(at)?)))
        .filter(|(_, r)| r.from.object.as_ref() != Some(&ing.obj))
        .map(|(h, r)| {
            format!(
                "{} {} [{}]",
                h.host,
                r.source_path.path,
                r.from
                    .object
                    .as_ref()
                    .map(|o| o.to_string())
                    .unwrap_or_default()
            )
        })
        .collect();
    if !affected.is_empty() {
        lost.push(format!("stickiness belongs to the Service port in ingress-nginx, so these rules of other Ingresses are sticky too: {}", affected.join(", ")));
    }
    let summary = format!(
        "affinity cookie `{name}` ({}) on Service port(s) {}",
        lifetime
            .map(|s| format!("lifetime {s}s"))
            .unwrap_or_else(|| "session cookie".into()),
        mine.iter()
            .map(|b| format!("{}/{}:{}", b.namespace, b.service, b.port))
            .collect::<Vec<_>>()
            .join(", ")
    );
    if cx.options.channel != Channel::Experimental {
        let mut msg = format!(
            "{summary}: sessionPersistence is experimental in Gateway API v1.5, nothing is emitted for the standard channel, so sessions are not sticky"
        );
        for l in &lost {
            msg.push_str("; ");
            msg.push_str(l);
        }
        report.push(
            note(cx, ing, "affinity", Severity::Warning, AFFINITY, msg)
                .suggest("use --channel experimental, or your implementation's policy: Envoy Gateway BackendTrafficPolicy spec.loadBalancer{type: ConsistentHash, consistentHash{type: Cookie, cookie{name, ttl}}}, kgateway BackendConfigPolicy spec.loadBalancer.ringHash.hashPolicies[].cookie, Istio DestinationRule trafficPolicy.loadBalancer.consistentHash.httpCookie"),
        );
        return;
    }
    let sp = SessionPersistence {
        session_name: Some(name.clone()),
        absolute_timeout: lifetime.map(annotated::duration),
        permanent: lifetime.is_some(),
    };
    let mut n = 0;
    for at in &hits {
        let Some(rule) = ir.rule_mut(at) else {
            continue;
        };
        if rule.session_persistence.is_none() {
            rule.session_persistence = Some(sp.clone());
            n += 1;
        }
    }
    let mut msg = format!(
        "{summary} → sessionPersistence on {n} rule(s); Gateway API's cookie persistence is per rule, nginx's per Service port"
    );
    for l in &lost {
        msg.push_str("; ");
        msg.push_str(l);
    }
    report.push(note(
        cx,
        ing,
        "affinity",
        if lost.is_empty() {
            Severity::Info
        } else {
            Severity::Warning
        },
        AFFINITY,
        msg,
    ));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passes::test_support::{ingress, ir_of, policy};

    #[test]
    fn cookie_fact_on_every_rule_of_the_sticky_port_whatever_the_channel() {
        // `b` sorts first (ties: name descending) and owns the shared port.
        let yaml = ingress(
            "b",
            "b.example",
            "/",
            "shared",
            &[
                ("affinity", "cookie"),
                ("affinity-mode", "persistent"),
                ("session-cookie-name", "route"),
                ("session-cookie-max-age", "3600"),
                ("session-cookie-path", "/app"),
                ("session-cookie-samesite", "Strict"),
                ("session-cookie-secure", "true"),
                ("session-cookie-change-on-failure", "true"),
            ],
        ) + &ingress("a", "a.example", "/", "shared", &[])
            + &ingress("invalid", "i.example", "/", "other", &[("affinity", "ip")]);
        let ir = ir_of(&yaml);
        let b = policy(&ir, "b.example", "/")
            .unwrap()
            .affinity
            .as_ref()
            .unwrap();
        assert_eq!(
            b.value,
            CookieAffinity {
                name: "route".into(),
                path: Some("/app".into()),
                ttl_seconds: Some(3600),
                same_site: Some("Strict".into()),
                conditional_same_site_none: false,
                secure: true,
                domain: None,
                persistent: true,
                change_on_failure: true,
            }
        );
        assert_eq!(
            b.from.annotation.as_deref(),
            Some("nginx.ingress.kubernetes.io/affinity")
        );
        assert_eq!(b.from.path, Some(0));
        // The other Ingress's rule to the same Service port is sticky too, and says whose.
        let a = policy(&ir, "a.example", "/")
            .unwrap()
            .affinity
            .as_ref()
            .unwrap();
        assert_eq!(a.value.name, "route");
        assert_eq!(a.from.object.as_ref().map(|o| o.name.as_str()), Some("b"));
        assert_eq!(a.from.path, None);
        assert!(policy(&ir, "i.example", "/").is_none_or(|p| p.affinity.is_none()));
    }

    #[test]
    fn affinity_decided_elsewhere_records_nothing() {
        let yaml = ingress("b", "b.example", "/", "shared", &[])
            + &ingress("a", "a.example", "/", "shared", &[("affinity", "cookie")]);
        let ir = ir_of(&yaml);
        for host in ["a.example", "b.example"] {
            assert!(
                policy(&ir, host, "/").is_none_or(|p| p.affinity.is_none()),
                "{host}"
            );
        }
    }
}
