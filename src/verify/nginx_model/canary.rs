//! Canary Ingresses (reference §2.13): attached to the primary **upstream**, decided
//! per request by header, then cookie, then weight.

use super::annotations::CanaryPolicy;
use super::{NginxModel, Upstream};
use crate::input::{InputIngress, InputSet};
use crate::verify::request::{Probe, ServiceTarget};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The alternative backend of one primary upstream.
#[derive(Debug, Clone)]
pub struct Canary {
    /// The canary's own upstream name and Service port.
    pub upstream: String,
    pub target: ServiceTarget,
    pub policy: CanaryPolicy,
    /// Index of the canary Ingress in the model.
    pub ingress: usize,
    /// Set when the canary's behaviour depends on something not modelled.
    pub not_modelled: Option<String>,
}

/// Which backend a canary decision picks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Primary,
    Canary,
    NotModelled(String),
    /// A random choice: `canary` of `total` requests go to the canary.
    Weighted {
        canary: u64,
        total: u64,
    },
}

/// Primary upstream name → its canary (first canary Ingress in order wins).
pub fn attach(
    model: &NginxModel,
    ingresses: &[&InputIngress],
    input: &InputSet,
) -> BTreeMap<String, Canary> {
    let mut out: BTreeMap<String, Canary> = BTreeMap::new();
    // Looked up once per canary path: built once, not scanned per path (an
    // estate of 20,000 Ingresses has a thousand canaries and 8,000 servers).
    let servers: HashMap<&str, &super::Server> =
        model.servers.iter().map(|s| (s.name.as_str(), s)).collect();
    let primaries: HashSet<&str> = model
        .servers
        .iter()
        .flat_map(|s| &s.locations)
        .filter_map(|l| match &l.upstream {
            Upstream::Service { name, .. } => Some(name.as_str()),
            _ => None,
        })
        .collect();
    for (idx, ing) in ingresses.iter().enumerate() {
        let Some(policy) = model.ingresses[idx].ann.canary.clone() else {
            continue;
        };
        let rules = ing
            .ingress
            .spec
            .as_ref()
            .and_then(|s| s.rules.as_deref())
            .unwrap_or_default();
        for rule in rules {
            let host = match rule.host.as_deref() {
                Some(h) if !h.is_empty() => h.to_ascii_lowercase(),
                _ => super::build::CATCH_ALL.to_string(),
            };
            // Server names are unique (the model's servers come from a map).
            let Some(server) = servers.get(host.as_str()) else {
                continue;
            };
            for p in rule
                .http
                .as_ref()
                .map(|h| h.paths.as_slice())
                .unwrap_or_default()
            {
                let path = p
                    .path
                    .clone()
                    .filter(|s| !s.is_empty())
                    .unwrap_or_else(|| "/".into());
                let exact = p.path_type == "Exact";
                let Some(primary) = server.locations.iter().find(|l| {
                    l.path == path && l.exact == exact && l.ingress.is_some() && !l.implicit
                }) else {
                    continue;
                };
                let Upstream::Service {
                    name: primary_name, ..
                } = &primary.upstream
                else {
                    continue;
                };
                let Upstream::Service { name, target } = upstream_of(ing, &p.backend, input) else {
                    continue;
                };
                let shared = primaries.contains(name.as_str());
                out.entry(primary_name.clone()).or_insert_with(|| Canary {
                    upstream: name.clone(),
                    target,
                    not_modelled: shared.then(|| {
                        format!("canary Service port {name} is also a primary backend (ingress-nginx #8004/#9458)")
                    }).or_else(|| policy_not_modelled(&policy)),
                    policy: policy.clone(),
                    ingress: idx,
                });
            }
        }
    }
    out
}

/// Canary settings the model (and the plain-nginx rendering) cannot reproduce.
fn policy_not_modelled(p: &CanaryPolicy) -> Option<String> {
    let var_safe = |s: &str| s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if let Some(h) = p.header.as_deref().filter(|h| !var_safe(h)) {
        return Some(format!("canary-by-header `{h}` is not a plain header name"));
    }
    if let Some(c) = p
        .cookie
        .as_deref()
        .filter(|c| !c.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
    {
        return Some(format!("canary-by-cookie `{c}` is not a plain cookie name"));
    }
    match &p.header_pattern {
        Some((pat, None)) => Some(format!(
            "canary-by-header-pattern `{pat}` cannot be evaluated here"
        )),
        Some((pat, Some(re))) if p.header_value.is_none() && re.is_match("").unwrap_or(true) => {
            Some(format!(
                "canary-by-header-pattern `{pat}` matches an absent header"
            ))
        }
        _ => None,
    }
}

fn upstream_of(
    ing: &InputIngress,
    b: &k8s_openapi::api::networking::v1::IngressBackend,
    input: &InputSet,
) -> Upstream {
    super::build::upstream_of(ing, b, input)
}

/// `balancer.lua` `route_to_alternative_balancer` for a request without affinity cookie.
pub fn decide(c: &Canary, probe: &Probe) -> Decision {
    if let Some(why) = &c.not_modelled {
        return Decision::NotModelled(why.clone());
    }
    let p = &c.policy;
    if let Some(h) = &p.header
        && let Some(v) = probe.headers.get(&h.to_ascii_lowercase())
    {
        if let Some(want) = &p.header_value {
            if v == want {
                return Decision::Canary;
            }
        } else if let Some((_, Some(re))) = &p.header_pattern {
            match re.is_match(v) {
                Ok(true) => return Decision::Canary,
                Ok(false) => {}
                Err(e) => return Decision::NotModelled(e.to_string()),
            }
        } else if v == "always" {
            return Decision::Canary;
        } else if v == "never" {
            return Decision::Primary;
        }
    }
    if let Some(name) = &p.cookie
        && let Some(v) = cookie(probe, name)
    {
        if v == "always" {
            return Decision::Canary;
        }
        if v == "never" {
            return Decision::Primary;
        }
    }
    if p.weight <= 0 {
        Decision::Primary
    } else if p.weight >= p.weight_total {
        Decision::Canary
    } else {
        // 0 < weight < total, so both are positive.
        Decision::Weighted {
            canary: p.weight.unsigned_abs(),
            total: p.weight_total.unsigned_abs(),
        }
    }
}

/// The value of cookie `name` in the probe's `cookie` header (nginx `$cookie_NAME`).
fn cookie<'a>(probe: &'a Probe, name: &str) -> Option<&'a str> {
    probe.headers.get("cookie")?.split(';').find_map(|kv| {
        let (k, v) = kv.trim().split_once('=')?;
        k.eq_ignore_ascii_case(name).then_some(v)
    })
}
