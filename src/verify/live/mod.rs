//! `ing2gw verify --live`: the verify probes sent to a running ingress-nginx and
//! a running Gateway, side by side, and `--emit-probes`: the same probes as a
//! portable smoke test.
//!
//! Offline `verify` compares two models. Live, every probe goes to both
//! addresses (Host header and SNI from the probe, http or https per its scheme,
//! redirects not followed) and the answers are compared: status, `Location`,
//! the response headers ing2gw emits or models (CORS, HSTS, the headers of
//! ResponseHeaderModifier filters), and with `--compare-body` a SHA-256 of the
//! body. Each answer is also checked against what its model predicted; a
//! disagreement is printed per probe, naming the side: either the model is
//! wrong or the implementation behaves differently, and both matter.
//!
//! A live divergence that the offline verify already explains (a notification
//! announces it) is counted as explained, like offline. Probes that cannot be
//! reproduced from one client are skipped and listed: methods other than
//! GET/HEAD, client addresses inside an allow/deny list (a live client has its
//! own address), request bodies (the body size probes: nothing is uploaded to
//! real backends), values a request cannot carry.
//!
//! Host mapping: a probe models one host ([`Probe::host`]) and is sent with
//! [`SentHosts`]. With `--host-map` (a parallel test domain) the Gateway side
//! gets the mapped name through [`LiveOptions::gateway_host`], and the host of
//! a `Location` it answers is mapped back ([`LiveOptions::gateway_unhost`])
//! before it is compared, so a redirect that stays in the test domain is the
//! same redirect.

pub mod client;
pub mod endpoint;
pub mod judge;
pub mod pace;
pub mod render;
pub mod script;

use super::Predicted;
use super::compare::{Explanation, Side, Verdict, VerifyReport, forwarded};
use super::request::{DEFAULT_CLIENT, Outcome, Probe};
use client::{Client, Reply, sendable};
pub use endpoint::Endpoint;
use judge::{Comparison, ModelDisagreement};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

/// Response headers always compared: CORS and HSTS, which ing2gw translates
/// (or warns about) from annotations.
pub const ALWAYS_TRACKED: [&str; 7] = [
    "access-control-allow-origin",
    "access-control-allow-methods",
    "access-control-allow-headers",
    "access-control-allow-credentials",
    "access-control-expose-headers",
    "access-control-max-age",
    "strict-transport-security",
];

/// The compared response headers: [`ALWAYS_TRACKED`] and every header a
/// ResponseHeaderModifier filter of `objects` sets, adds or removes (found in
/// any object, so implementation-specific resources count too).
pub fn tracked_headers(objects: &[crate::gwapi::GatewayObject]) -> BTreeSet<String> {
    fn walk(v: &serde_json::Value, out: &mut BTreeSet<String>) {
        match v {
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    if k == "responseHeaderModifier" {
                        for list in ["set", "add"] {
                            for h in v.get(list).and_then(|l| l.as_array()).into_iter().flatten() {
                                if let Some(n) = h.get("name").and_then(|n| n.as_str()) {
                                    out.insert(n.to_ascii_lowercase());
                                }
                            }
                        }
                        for n in v
                            .get("remove")
                            .and_then(|l| l.as_array())
                            .into_iter()
                            .flatten()
                        {
                            if let Some(n) = n.as_str() {
                                out.insert(n.to_ascii_lowercase());
                            }
                        }
                    }
                    walk(v, out);
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|i| walk(i, out)),
            _ => {}
        }
    }
    let mut out: BTreeSet<String> = ALWAYS_TRACKED.iter().map(|s| s.to_string()).collect();
    for o in objects {
        if let Ok(v) = serde_json::to_value(o) {
            walk(&v, &mut out);
        }
    }
    // Names a response header cannot have would never match: leave them out.
    out.retain(|n| http::HeaderName::from_bytes(n.as_bytes()).is_ok());
    out
}

/// Maps a modelled host to the host sent to the Gateway (`--host-map`).
pub type HostMapper = Arc<dyn Fn(&str) -> String + Send + Sync>;

/// How a live run sends.
#[derive(Clone)]
pub struct LiveOptions {
    pub nginx: Endpoint,
    pub gateway: Endpoint,
    pub client: Client,
    pub concurrency: usize,
    /// Requests per second over both endpoints; `0` unlimited.
    pub rate: f64,
    /// Certificates are verified (not `--insecure-skip-verify`).
    pub verify_tls: bool,
    /// The hook for `--host-map`; `None` sends the modelled host to both sides.
    pub gateway_host: Option<HostMapper>,
    /// The inverse of `gateway_host`, applied to the host of a Gateway `Location`.
    pub gateway_unhost: Option<HostMapper>,
}

/// The Host header (and SNI) each side received for a probe.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SentHosts {
    pub ingress_nginx: String,
    pub gateway: String,
}

/// The live verdict on one probe.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "verdict", rename_all = "kebab-case")]
pub enum LiveVerdict {
    Same,
    Divergent {
        differences: Vec<String>,
        /// The notification that announced this divergence offline.
        #[serde(skip_serializing_if = "Option::is_none")]
        explained_by: Option<Explanation>,
        /// Offline, Gateway API left this probe to the implementation (path
        /// normalisation, `..` above the root): this is that answer, and it
        /// differs from ingress-nginx.
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        implementation_defined_offline: bool,
    },
    /// Neither endpoint answered, though ingress-nginx should have.
    Unanswered {
        reason: String,
    },
}

/// One probe sent live: both replies, the verdict and where a reply
/// contradicts its model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LiveResult {
    pub probe: Probe,
    /// Present when a side was sent another host than the modelled one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sent_hosts: Option<SentHosts>,
    pub ingress_nginx: Reply,
    pub gateway: Reply,
    #[serde(flatten)]
    pub verdict: LiveVerdict,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub model_disagreements: Vec<ModelDisagreement>,
    /// Offline verify found a divergence for this probe, yet both endpoints
    /// answer the same: one of the models is wrong about it.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub offline_divergent_live_same: bool,
}

/// A probe not sent, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    pub probe: Probe,
    pub reason: String,
}

/// Counts for one probed host (lower-cased).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct LiveHost {
    pub sent: usize,
    pub same: usize,
    pub divergent: usize,
    pub explained: usize,
    pub unanswered: usize,
    pub model_disagreements: usize,
}

/// Counts over every probe.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LiveSummary {
    pub probes: usize,
    pub sent: usize,
    pub skipped: usize,
    pub same: usize,
    pub divergent: usize,
    pub explained: usize,
    pub unexplained: usize,
    pub unanswered: usize,
    /// Replies (either side) that contradict their model.
    pub model_disagreements: usize,
    /// Probes offline verify finds divergent that both endpoints answer the same.
    pub offline_divergent_live_same: usize,
    pub hosts: BTreeMap<String, LiveHost>,
}

/// The result of `verify --live`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LiveReport {
    pub nginx_address: String,
    pub gateway_address: String,
    /// The response headers compared.
    pub compared_headers: Vec<String>,
    pub compare_body: bool,
    pub summary: LiveSummary,
    /// Probes that are not `same`, or whose replies contradict a model, in probe order.
    pub results: Vec<LiveResult>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<Skipped>,
}

impl LiveReport {
    /// Whether the run has findings (exit 1): an unexplained divergence, a
    /// probe neither side answered, or nothing compared at all.
    pub fn has_findings(&self) -> bool {
        let s = &self.summary;
        s.unexplained > 0 || s.unanswered > 0 || s.same + s.divergent == 0
    }
}

/// Whether either model splits the probe between weighted backends, where the
/// two endpoints may each pick another backend: only the status is compared.
fn is_split(p: &Predicted) -> bool {
    [&p.ingress_nginx, &p.gateway_api]
        .iter()
        .any(|o| matches!(forwarded(o), Outcome::Split { .. }))
}

/// Sends every probe of `predicted` to both endpoints and judges the replies;
/// `offline` is the offline verify of the same probes (its explanations carry
/// over). `progress(done, total)` is called as probes complete.
pub fn run(
    predicted: &[Predicted],
    offline: &VerifyReport,
    options: &LiveOptions,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<LiveReport, String> {
    let mut skipped = Vec::new();
    let mut jobs = Vec::new();
    for (i, p) in predicted.iter().enumerate() {
        let hosts = SentHosts {
            ingress_nginx: p.probe.host.clone(),
            gateway: options
                .gateway_host
                .as_ref()
                .map_or_else(|| p.probe.host.clone(), |m| m(&p.probe.host)),
        };
        let prepared = if p.probe.client != DEFAULT_CLIENT {
            Err(format!(
                "client address {} (inside an allow/deny list) cannot be chosen from here",
                p.probe.client
            ))
        } else {
            sendable(&p.probe, &hosts.ingress_nginx)
                .and_then(|n| Ok((n, sendable(&p.probe, &hosts.gateway)?)))
        };
        match prepared {
            Ok((n, g)) => jobs.push((i, hosts, n, g)),
            Err(reason) => skipped.push(Skipped {
                probe: p.probe.clone(),
                reason,
            }),
        }
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the network runtime: {e}"))?;
    let total = jobs.len();
    let replies: HashMap<usize, (Reply, Reply)> = runtime.block_on(async {
        let pace = pace::Pace::new(options.concurrency, options.rate);
        let mut set = tokio::task::JoinSet::new();
        for (i, _, n, g) in &jobs {
            let (i, n, g) = (*i, n.clone(), g.clone());
            let (pace, client) = (pace.clone(), options.client.clone());
            let scheme = predicted[i].probe.scheme;
            let (na, ga) = (options.nginx.socket(scheme), options.gateway.socket(scheme));
            set.spawn(async move {
                let one = |addr, req| {
                    let (pace, client) = (pace.clone(), client.clone());
                    async move {
                        let _slot = pace.start().await;
                        client.send(addr, &req).await
                    }
                };
                let (rn, rg) = tokio::join!(one(na, n), one(ga, g));
                (i, rn, rg)
            });
        }
        let mut out = HashMap::new();
        while let Some(done) = set.join_next().await {
            // A task only ends by returning (nothing in it panics); a join
            // error leaves that probe out, and it is reported as skipped below.
            if let Ok((i, n, g)) = done {
                out.insert(i, (n, g));
            }
            progress(out.len(), total);
        }
        out
    });
    let explanations: HashMap<&Probe, &Verdict> = offline
        .results
        .iter()
        .map(|r| (&r.probe, &r.verdict))
        .collect();
    let mut report = LiveReport {
        nginx_address: options.nginx.text(),
        gateway_address: options.gateway.text(),
        compared_headers: options.client.tracked.iter().cloned().collect(),
        compare_body: options.client.compare_body,
        summary: LiveSummary::default(),
        results: Vec::new(),
        skipped: Vec::new(),
    };
    let s = &mut report.summary;
    s.probes = predicted.len();
    for (i, hosts, _, _) in jobs {
        let p = &predicted[i];
        let Some((n, mut g)) = replies.get(&i).cloned() else {
            skipped.push(Skipped {
                probe: p.probe.clone(),
                reason: "the request task failed".into(),
            });
            continue;
        };
        if let (Some(unhost), Reply::Answered(a)) = (&options.gateway_unhost, &mut g)
            && let Some(l) = &a.location
        {
            a.location = Some(unmap_location(l, unhost.as_ref()));
        }
        let verify_tls = options.verify_tls;
        let expect_n = judge::expect(&p.ingress_nginx, p.nginx_fake_certificate, verify_tls);
        let expect_g = judge::expect(&p.gateway_api, false, verify_tls);
        let disagreements: Vec<ModelDisagreement> = [
            judge::check(Side::IngressNginx, &p.ingress_nginx, &expect_n, &n),
            judge::check(Side::GatewayApi, &p.gateway_api, &expect_g, &g),
        ]
        .into_iter()
        .flatten()
        .collect();
        let nginx_unserved = expect_n == judge::Expect::NoResponse;
        let verdict = match judge::compare(&n, &g, is_split(p), nginx_unserved) {
            Comparison::Same => LiveVerdict::Same,
            Comparison::Different(differences) => LiveVerdict::Divergent {
                differences,
                explained_by: match explanations.get(&p.probe) {
                    Some(Verdict::Divergent {
                        explained_by: Some(e),
                        ..
                    }) => Some(e.clone()),
                    _ => None,
                },
                implementation_defined_offline: matches!(
                    explanations.get(&p.probe),
                    Some(Verdict::ImplementationDefined { .. })
                ),
            },
            Comparison::Unanswered(reason) => LiveVerdict::Unanswered { reason },
        };
        s.sent += 1;
        let host = s
            .hosts
            .entry(p.probe.host.to_ascii_lowercase())
            .or_default();
        host.sent += 1;
        match &verdict {
            LiveVerdict::Same => {
                s.same += 1;
                host.same += 1;
            }
            LiveVerdict::Divergent { explained_by, .. } => {
                s.divergent += 1;
                host.divergent += 1;
                if explained_by.is_some() {
                    s.explained += 1;
                    host.explained += 1;
                } else {
                    s.unexplained += 1;
                }
            }
            LiveVerdict::Unanswered { .. } => {
                s.unanswered += 1;
                host.unanswered += 1;
            }
        }
        s.model_disagreements += disagreements.len();
        host.model_disagreements += disagreements.len();
        let offline_divergent_live_same = verdict == LiveVerdict::Same
            && matches!(explanations.get(&p.probe), Some(Verdict::Divergent { .. }));
        if offline_divergent_live_same {
            s.offline_divergent_live_same += 1;
        }
        if verdict != LiveVerdict::Same || !disagreements.is_empty() || offline_divergent_live_same
        {
            report.results.push(LiveResult {
                probe: p.probe.clone(),
                sent_hosts: (hosts.ingress_nginx != p.probe.host || hosts.gateway != p.probe.host)
                    .then_some(hosts),
                ingress_nginx: n,
                gateway: g,
                verdict,
                model_disagreements: disagreements,
                offline_divergent_live_same,
            });
        }
    }
    s.skipped = skipped.len();
    skipped.sort_by(|a, b| a.probe.cmp(&b.probe));
    report.skipped = skipped;
    Ok(report)
}

/// `location` with its host (if absolute) passed through `unhost`.
fn unmap_location(location: &str, unhost: &(dyn Fn(&str) -> String + Send + Sync)) -> String {
    let Some((scheme, rest)) = location.split_once("://") else {
        return location.to_string();
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if !h.contains(']') || h.ends_with(']') => (h, Some(p)),
        _ => (authority, None),
    };
    let host = unhost(host);
    match port {
        Some(p) => format!("{scheme}://{host}:{p}{tail}"),
        None => format!("{scheme}://{host}{tail}"),
    }
}

#[cfg(test)]
mod unmap_tests {
    use super::unmap_location;

    #[test]
    fn the_host_of_an_absolute_location_is_mapped_back() {
        let back = |h: &str| h.replace(".canary.example.com", ".example.com");
        assert_eq!(
            unmap_location("https://shop.canary.example.com/x?y", &back),
            "https://shop.example.com/x?y"
        );
        assert_eq!(
            unmap_location("https://shop.canary.example.com:8443", &back),
            "https://shop.example.com:8443"
        );
        assert_eq!(unmap_location("/relative", &back), "/relative");
    }
}
