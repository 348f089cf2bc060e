//! BackendTrafficPolicy: rate limits, upstream timeouts, retries, load
//! balancing and affinity, body size, error pages, compression, service-upstream.
//!
//! What ingress-nginx does (per location): `limit-rps`/`limit-rpm` are
//! `limit_req` zones keyed by client address with `burst = limit ×
//! limit-burst-multiplier` and `nodelay` (503 beyond; `limit-whitelist`
//! addresses are exempt); `limit-connections` is `limit_conn` per client
//! address. `proxy-connect-timeout`, `proxy-read-timeout` and
//! `proxy-send-timeout` bound the upstream connect and the silences between
//! reads and writes. `proxy-next-upstream*` retries on another endpoint.
//! `load-balance`, `upstream-hash-by` and `affinity: cookie` choose the
//! endpoint. `proxy-body-size` answers 413 above the size. `custom-http-errors`
//! replaces upstream answers with those codes by the default backend's page.
//! `service-upstream` proxies to the Service's cluster IP.
//!
//! What Envoy Gateway offers (v1.9) and what we emit, on the route rule:
//! `rateLimit` `type: Local` with one rule per unit and address family whose
//! client selector is `sourceCIDR {type: Distinct}` (one bucket per client
//! address, per Envoy replica as nginx is per controller replica);
//! `timeout.tcp.connectTimeout`; `timeout.http.streamIdleTimeout` for the read /
//! send timeouts (the larger of the two); `retry` (triggers and status codes
//! from the nginx conditions, `numRetries` = tries − 1); `loadBalancer`
//! (`RoundRobin`, `LeastRequest` for `ewma` and `least_conn`, `ConsistentHash`
//! by `Cookie` for affinity, by `SourceIP`, `Header`, `Cookie` or `QueryParams`
//! for `upstream-hash-by`); `requestBuffer.limit` (413 above it);
//! `responseOverride` per code; `compressor`; `routingType: Service`.
//!
//! An Ingress's rate limit is one nginx zone shared by all its locations, and
//! a Local limit counts per route rule: the limit is split evenly between the
//! rules that carry it (see [`RateLimitShares`]).
//!
//! What we warn: the rate limit has no burst (the bucket holds one unit's
//! worth: stricter than nginx), answers 429 instead of 503 and exempts nobody
//! (`limit-whitelist` clients are limited too: stricter); `limit-connections`
//! has no per-client equivalent and stays fail-closed. Read/send timeouts are
//! approximated. Error pages are a fixed inline body, not the default backend's
//! page. Request buffering breaks streaming uploads and upgrades.

use super::targeting::{PolicyTarget, Sources, duration, object};
use crate::emit::access::Located;
use crate::emit::standard::EmittedRule;
use crate::gwapi::GatewayObject;
use crate::gwapi::envoy_gateway::*;
use crate::ir::*;
use crate::report::{Code, Notification, ObjectRef, Report};

pub const EG_BACKEND_TRAFFIC_POLICY: Code = Code("envoy-gateway-backend-traffic-policy");
pub const EG_APPROXIMATED: Code = Code("envoy-gateway-approximated");
pub const EG_NOT_EXPRESSIBLE: Code = Code("envoy-gateway-not-expressible");

/// Whether a BackendTrafficPolicy expresses this requirement (see
/// `security_policy::expresses`).
pub fn expresses(req: &AccessRequirement) -> bool {
    matches!(req, AccessRequirement::RateLimit { connections: 0, .. })
}

/// Collects the policy's pieces with their notifications.
struct Builder<'a> {
    target: &'a PolicyTarget,
    what: String,
    spec: BackendTrafficPolicySpec,
    sources: Sources,
    notes: Vec<Notification>,
}

impl Builder<'_> {
    fn info(&mut self, from: &Provenance, field: &str, message: String) {
        self.sources.add(from);
        self.notes.push(
            Notification::info(
                EG_BACKEND_TRAFFIC_POLICY,
                format!(
                    "{}: {message} → {} {field}",
                    self.target.describe(),
                    self.what
                ),
            )
            .located(from),
        );
    }
    fn approximated(&mut self, from: &Provenance, field: &str, message: String, suggest: &str) {
        self.sources.add(from);
        self.notes.push(
            Notification::warning(
                EG_APPROXIMATED,
                format!(
                    "{}: {message} (emitted as {} {field})",
                    self.target.describe(),
                    self.what
                ),
            )
            .suggest(suggest)
            .located(from),
        );
    }
    fn not_expressible(&mut self, from: &Provenance, message: String, suggest: &str) {
        self.notes.push(
            Notification::warning(
                EG_NOT_EXPRESSIBLE,
                format!(
                    "{}: {message}; Envoy Gateway has no equivalent, nothing is emitted for it",
                    self.target.describe()
                ),
            )
            .suggest(suggest)
            .located(from),
        );
    }
}

fn rate_limit_rules(requests: u32, unit: &str) -> Vec<RateLimitRule> {
    ["0.0.0.0/0", "::/0"]
        .into_iter()
        .map(|cidr| RateLimitRule {
            client_selectors: vec![ClientSelector {
                source_cidr: SourceMatch {
                    kind: "Distinct".into(),
                    value: cidr.into(),
                },
            }],
            limit: RateLimitValue {
                requests,
                unit: unit.into(),
            },
        })
        .collect()
}

/// How many emitted route rules carry each rate limit of an Ingress.
/// ingress-nginx keeps one zone per Ingress (`<ns>_<name>_<uid>_rps`), shared
/// by all its locations, while an Envoy Gateway Local rate limit counts per
/// route rule: the limit is split between them so the total stays within
/// nginx's (stricter per path, never wider).
pub type RateLimitShares = std::collections::BTreeMap<(Option<ObjectRef>, String), u32>;

fn share_key(req: &AccessRequirement, from: &Provenance) -> (Option<ObjectRef>, String) {
    (from.object.clone(), req.describe())
}

/// Counts the rules sharing each Ingress's rate limits.
pub fn rate_limit_shares(rules: &[EmittedRule]) -> RateLimitShares {
    let mut shares = RateLimitShares::new();
    for e in rules {
        for f in &e.rule.filters {
            if let Filter::AccessControl(req @ AccessRequirement::RateLimit { .. }) = &f.filter
                && expresses(req)
            {
                *shares.entry(share_key(req, &f.from)).or_default() += 1;
            }
        }
    }
    shares
}

fn rate_limit(b: &mut Builder, e: &EmittedRule, shares: &RateLimitShares) {
    let mut rules = Vec::new();
    for f in &e.rule.filters {
        let Filter::AccessControl(
            req @ AccessRequirement::RateLimit {
                rps,
                rpm,
                burst_multiplier,
                exempt,
                ..
            },
        ) = &f.filter
        else {
            continue;
        };
        if !expresses(req) {
            continue;
        }
        let n = shares
            .get(&share_key(req, &f.from))
            .copied()
            .unwrap_or(1)
            .max(1);
        if *rps > 0 {
            rules.extend(rate_limit_rules(rps / n, "Second"));
        }
        if *rpm > 0 {
            rules.extend(rate_limit_rules(rpm / n, "Minute"));
        }
        if rules.is_empty() {
            continue;
        }
        let mut differences = Vec::new();
        if n > 1 {
            let each: Vec<String> = [(*rps, "s"), (*rpm, "min")]
                .into_iter()
                .filter(|(l, _)| *l > 0)
                .map(|(l, u)| format!("{}/{u}", l / n))
                .collect();
            differences.push(format!("ingress-nginx counts all {n} paths of the Ingress in one zone per client; Envoy Gateway counts per route rule, so each of the {n} rules gets 1/{n} of the limit ({}): a client using one path is limited sooner (stricter), all paths together never exceed the limit", each.join(", ")));
        }
        differences.extend([
            format!("no burst: a client gets at most the limit per second/minute where nginx allowed bursts of ×{burst_multiplier} (stricter)"),
            "over the limit Envoy Gateway answers 429 where ingress-nginx answers 503 (limit-req-status-code)".to_string(),
        ]);

        if !exempt.is_empty() {
            differences.push(format!("the limit-whitelist addresses ({}) are limited too: a Local rate limit rule keeps one source CIDR selector, so it cannot exempt a range (stricter)", exempt.join(", ")));
        }
        b.approximated(
            &f.from,
            "spec.rateLimit",
            format!(
                "{} per client address and replica: {}",
                req.describe(),
                differences.join("; ")
            ),
            "check that legitimate clients stay under the limit without a burst allowance; raise the limit if they do not",
        );
    }
    if !rules.is_empty() {
        b.spec.rate_limit = Some(RateLimit {
            kind: "Local".into(),
            local: LocalRateLimit { rules },
        });
    }
}

/// nginx `proxy-next-upstream` conditions → Envoy retry triggers and codes.
fn retry(b: &mut Builder, n: &NextUpstream, from: &Provenance) {
    let mut triggers = Vec::new();
    let mut codes = Vec::new();
    let mut unknown = Vec::new();
    let mut off = false;
    for c in &n.conditions {
        match c.as_str() {
            "error" => triggers.extend(["connect-failure", "reset"]),
            "timeout" => triggers.push("reset"),
            "off" => off = true,
            "non_idempotent" | "invalid_header" => unknown.push(c.clone()),
            other => match other
                .strip_prefix("http_")
                .and_then(|s| s.parse::<u16>().ok())
            {
                Some(code) => codes.push(code),
                None => unknown.push(c.clone()),
            },
        }
    }
    if !codes.is_empty() {
        triggers.push("retriable-status-codes");
    }
    triggers.sort_unstable();
    triggers.dedup();
    codes.sort_unstable();
    codes.dedup();
    let num_retries = if off {
        Some(0)
    } else if n.tries > 0 {
        Some(n.tries.saturating_sub(1))
    } else {
        None
    };
    if !off && triggers.is_empty() {
        return;
    }
    b.spec.retry = Some(EgRetry {
        num_retries,
        retry_on: RetryOn {
            triggers: if off {
                Vec::new()
            } else {
                triggers.into_iter().map(String::from).collect()
            },
            http_status_codes: if off { Vec::new() } else { codes },
        },
        per_retry: None,
    });
    let mut notes = vec!["Envoy retries every method, where nginx retries non-idempotent requests (POST, PATCH, LOCK) only with `non_idempotent`".to_string()];
    if n.timeout_ms > 0 {
        notes.push(format!(
            "proxy-next-upstream-timeout ({}) has no equivalent (it bounds all attempts together)",
            duration(n.timeout_ms)
        ));
    }
    if !unknown.is_empty() {
        notes.push(format!(
            "conditions without an Envoy trigger: {}",
            unknown.join(", ")
        ));
    }
    b.approximated(
        from,
        "spec.retry",
        format!(
            "proxy-next-upstream `{}`: {}",
            n.conditions.join(" "),
            notes.join("; ")
        ),
        "keep retries off for routes whose requests must not be repeated",
    );
}

fn load_balancer(b: &mut Builder, e: &EmittedRule, p: &RulePolicy) {
    if let Some(a) = &p.affinity {
        if e.rule.session_persistence.is_some() {
            // The standard sessionPersistence field (experimental channel) already carries it.
            return;
        }
        let c = &a.value;
        let mut attributes = std::collections::BTreeMap::new();
        if let Some(path) = &c.path {
            attributes.insert("Path".to_string(), path.clone());
        }
        if let Some(s) = &c.same_site {
            attributes.insert("SameSite".to_string(), s.clone());
        }
        if let Some(d) = &c.domain {
            attributes.insert("Domain".to_string(), d.clone());
        }
        b.spec.load_balancer = Some(LoadBalancer {
            kind: "ConsistentHash".into(),
            consistent_hash: Some(ConsistentHash {
                kind: "Cookie".into(),
                header: None,
                cookie: Some(HashCookie {
                    name: c.name.clone(),
                    // 0s: a session cookie (no Max-Age), as nginx without max-age/expires.
                    ttl: Some(duration(c.ttl_seconds.unwrap_or(0).saturating_mul(1000))),
                    attributes,
                }),
                query_params: Vec::new(),
            }),
        });
        let mut diffs = vec!["the cookie carries a hash, not nginx's endpoint id: clients move when endpoints are added or removed (like `affinity-mode: balanced`)".to_string()];
        if c.persistent {
            diffs.push("`affinity-mode: persistent` is not kept across scaling".into());
        }
        if c.secure {
            diffs.push("the `Secure` cookie attribute is not set".into());
        }
        if c.change_on_failure {
            diffs.push("session-cookie-change-on-failure has no equivalent".into());
        }
        b.approximated(
            &a.from,
            "spec.loadBalancer.consistentHash.cookie",
            format!("cookie affinity `{}`: {}", c.name, diffs.join("; ")),
            "expect some clients to change endpoint when the backend scales",
        );
        if let Some(lb) = &p.load_balance {
            b.info(
                &lb.from,
                "spec.loadBalancer",
                "the load-balance algorithm gives way to the cookie affinity, as in ingress-nginx"
                    .into(),
            );
        }
        return;
    }
    let Some(lb) = &p.load_balance else { return };
    let (kind, hash, note): (&str, Option<ConsistentHash>, Option<String>) = match &lb.value {
        LoadBalance::RoundRobin => ("RoundRobin", None, None),
        LoadBalance::Ewma => (
            "LeastRequest",
            None,
            Some("`ewma` (peak latency) → LeastRequest (fewest active requests), the closest Envoy algorithm".into()),
        ),
        LoadBalance::LeastConnections => ("LeastRequest", None, None),
        LoadBalance::Hash { expression, key, subset } => {
            let hash = |kind: &str| ConsistentHash {
                kind: kind.into(),
                header: None,
                cookie: None,
                query_params: Vec::new(),
            };
            let h = match key {
                HashKey::ClientIp => Some(hash("SourceIP")),
                HashKey::Header(name) => Some(ConsistentHash {
                    header: Some(NamedKey { name: name.clone() }),
                    ..hash("Header")
                }),
                HashKey::Cookie(name) => Some(ConsistentHash {
                    cookie: Some(HashCookie {
                        name: name.clone(),
                        ttl: None,
                        attributes: Default::default(),
                    }),
                    ..hash("Cookie")
                }),
                HashKey::QueryParameter(name) => Some(ConsistentHash {
                    query_params: vec![NamedKey { name: name.clone() }],
                    ..hash("QueryParams")
                }),
                HashKey::RequestUri | HashKey::Other => None,
            };
            let Some(h) = h else {
                b.not_expressible(
                    &lb.from,
                    format!("upstream-hash-by `{expression}` hashes an expression Envoy Gateway cannot hash (it hashes a header, cookie, query parameter or the client address)"),
                    "hash on a header the clients send instead, or accept round-robin",
                );
                return;
            };
            let note = subset.then(|| "upstream-hash-by-subset: Envoy hashes over every endpoint, not over subsets".to_string());
            ("ConsistentHash", Some(h), note)
        }
    };
    b.spec.load_balancer = Some(LoadBalancer {
        kind: kind.into(),
        consistent_hash: hash,
    });
    match note {
        Some(n) => b.approximated(&lb.from, "spec.loadBalancer", n, "nothing to do"),
        None => b.info(
            &lb.from,
            "spec.loadBalancer",
            format!("load balancing `{kind}`"),
        ),
    }
}

fn timeouts(b: &mut Builder, p: &RulePolicy) {
    let mut t = EgTimeout::default();
    if let Some(c) = &p.connect_timeout_ms {
        t.tcp = Some(TcpTimeout {
            connect_timeout: duration(c.value),
        });
        b.info(
            &c.from,
            "spec.timeout.tcp.connectTimeout",
            format!("upstream connect timeout {}", duration(c.value)),
        );
    }
    let idle = [&p.read_timeout_ms, &p.send_timeout_ms]
        .into_iter()
        .flatten()
        .max_by_key(|s| s.value);
    if let Some(i) = idle {
        t.http = Some(HttpTimeout {
            request_timeout: None,
            stream_idle_timeout: Some(duration(i.value)),
        });
        b.approximated(
            &i.from,
            "spec.timeout.http.streamIdleTimeout",
            format!("proxy-read-timeout / proxy-send-timeout → one idle timeout of {} for the whole stream in both directions (nginx times reads and writes to the upstream separately)", duration(i.value)),
            "nothing to do unless one direction needs a shorter timeout",
        );
    }
    if t != EgTimeout::default() {
        b.spec.timeout = Some(t);
    }
}

/// A Kubernetes quantity for a byte count (`1Mi`, `512Ki`, `1000`).
fn quantity(bytes: u64) -> String {
    const UNITS: [(&str, u64); 3] = [("Gi", 1 << 30), ("Mi", 1 << 20), ("Ki", 1 << 10)];
    for (suffix, size) in UNITS {
        if bytes >= size && bytes.is_multiple_of(size) {
            return format!("{}{suffix}", bytes / size);
        }
    }
    bytes.to_string()
}

fn body_and_pages(b: &mut Builder, p: &RulePolicy) {
    // Envoy's buffer limit is a 32-bit byte count (the CRD refuses more): a
    // larger nginx limit cannot be buffered, so none is set, and it is said.
    if let Some(l) = &p.body_limit_bytes
        && let Some(bytes) = l.value
        && bytes > u64::from(u32::MAX)
    {
        b.approximated(
            &l.from,
            "spec.requestBuffer.limit",
            format!("the body limit {} is above the largest Envoy can buffer (4294967295 bytes), so no requestBuffer is emitted and request bodies of any size reach the backend (ingress-nginx answers 413 above the limit)", quantity(bytes)),
            "lower proxy-body-size to 4Gi or less if the limit matters, or enforce it in the backend",
        );
    } else if let Some(l) = &p.body_limit_bytes
        && let Some(bytes) = l.value
    {
        b.spec.request_buffer = Some(RequestBuffer {
            limit: quantity(bytes),
        });
        b.approximated(
            &l.from,
            "spec.requestBuffer.limit",
            format!("request bodies above {} get 413 as in ingress-nginx; Envoy buffers each whole request body first, which does not suit streaming uploads, WebSocket or gRPC streaming on this rule", quantity(bytes)),
            "do not use it on rules that stream request bodies or upgrade connections",
        );
    }
    if let Some(ep) = &p.error_pages {
        b.spec.response_override = ep
            .value
            .codes
            .iter()
            .map(|code| ResponseOverride {
                matches: ResponseMatch {
                    status_codes: vec![StatusCodeMatch {
                        kind: "Value".into(),
                        value: *code,
                    }],
                },
                response: CustomResponse {
                    content_type: "text/plain".into(),
                    body: CustomResponseBody {
                        kind: "Inline".into(),
                        inline: format!("{code}\n"),
                    },
                },
            })
            .collect();
        let backend = ep
            .value
            .backend
            .as_ref()
            .map(|s| format!("Service {}/{}", s.namespace, s.service))
            .unwrap_or_else(|| "the controller's default backend".into());
        b.approximated(
            &ep.from,
            "spec.responseOverride",
            format!("custom-http-errors {}: upstream answers with these codes keep their status but their body is replaced by a fixed text, not the page of {backend} (Envoy Gateway cannot fetch it)", ep.value.codes.iter().map(u16::to_string).collect::<Vec<_>>().join(",")),
            "put your error page in a ConfigMap and reference it with response.body.type: ValueRef",
        );
    }
    if let Some(buf) = &p.buffering {
        b.not_expressible(
            &buf.from,
            "proxy buffering settings (Envoy streams responses; its buffers are sized per connection)".into(),
            "nothing to do unless the backend relies on nginx buffering slow clients",
        );
    }
}

fn compression(b: &mut Builder, c: &Sourced<Compression>) {
    let mut kinds = Vec::new();
    if c.value.brotli {
        kinds.push("Brotli");
    }
    if c.value.gzip {
        kinds.push("Gzip");
    }
    if kinds.is_empty() {
        return;
    }
    b.spec.compressor = kinds
        .iter()
        .map(|k| Compressor { kind: (*k).into() })
        .collect();
    if c.value.types.is_empty() {
        b.info(
            &c.from,
            "spec.compressor",
            format!("{} compression", kinds.join(", ")),
        );
    } else {
        b.approximated(
            &c.from,
            "spec.compressor",
            format!("{} compression: Envoy compresses its default content types, not the configured list ({})", kinds.join(", "), c.value.types.join(" ")),
            "nothing to do unless the list matters",
        );
    }
}

fn build(target: &PolicyTarget) -> Builder<'_> {
    Builder {
        target,
        what: format!(
            "BackendTrafficPolicy {}/{}",
            target.namespace,
            target.policy_name()
        ),
        spec: BackendTrafficPolicySpec {
            target_refs: vec![target.target.clone()],
            ..Default::default()
        },
        sources: Sources::default(),
        notes: Vec::new(),
    }
}

fn finish(b: Builder, report: &mut Report, out: &mut Vec<GatewayObject>) {
    report.extend(b.notes);
    if b.spec.is_empty() {
        return;
    }
    if let Some(o) = object(
        "BackendTrafficPolicy",
        b.target.policy_name(),
        &b.target.namespace,
        &b.sources,
        b.spec,
        report,
    ) {
        out.push(o);
    }
}

/// The BackendTrafficPolicy of one route rule, if it has facts Envoy Gateway expresses.
///
/// A route-level BackendTrafficPolicy replaces the Gateway's for that route
/// (Envoy Gateway does not merge them by default), so the Gateway-wide facts
/// (`gateway`) are repeated in it.
pub fn emit(
    e: &EmittedRule,
    gateway: Option<&GatewayPolicy>,
    shares: &RateLimitShares,
    report: &mut Report,
    out: &mut Vec<GatewayObject>,
) {
    let target = PolicyTarget::rule(e);
    let mut b = build(&target);
    rate_limit(&mut b, e, shares);
    let gateway_compression = gateway.and_then(|g| g.compression.as_ref());
    if let Some(p) = e.rule.policy.as_deref() {
        timeouts(&mut b, p);
        if let Some(n) = &p.next_upstream {
            retry(&mut b, &n.value, &n.from);
        }
        load_balancer(&mut b, e, p);
        body_and_pages(&mut b, p);
        if let Some(c) = &p.compression {
            compression(&mut b, c);
        }
        if let Some(s) = &p.service_upstream
            && s.value
        {
            b.spec.routing_type = Some("Service".into());
            b.info(
                &s.from,
                "spec.routingType",
                "service-upstream (the Service's cluster IP)".into(),
            );
        }
    }
    let own_compression = e
        .rule
        .policy
        .as_deref()
        .is_some_and(|p| p.compression.is_some());
    if !b.spec.is_empty()
        && !own_compression
        && let Some(c) = gateway_compression
    {
        // Silent: the Gateway-wide policy already reported it.
        let saved = std::mem::take(&mut b.notes);
        compression(&mut b, c);
        b.notes = saved;
    }
    finish(b, report, out);
}

/// The Gateway-wide BackendTrafficPolicy (ConfigMap compression).
pub fn emit_gateway(gw: &Gateway, report: &mut Report, out: &mut Vec<GatewayObject>) {
    let target = PolicyTarget::gateway(&gw.id);
    let mut b = build(&target);
    if let Some(c) = &gw.policy.compression {
        compression(&mut b, c);
    }
    finish(b, report, out);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_use_binary_suffixes() {
        assert_eq!(quantity(1 << 20), "1Mi");
        assert_eq!(quantity(8 << 10), "8Ki");
        assert_eq!(quantity(1000), "1000");
    }

    #[test]
    fn only_connection_limits_stay_unexpressed() {
        let rl = |connections| AccessRequirement::RateLimit {
            rps: 5,
            rpm: 0,
            connections,
            burst_multiplier: 5,
            exempt: Vec::new(),
        };
        assert!(expresses(&rl(0)));
        assert!(!expresses(&rl(3)));
    }
}
