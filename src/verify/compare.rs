//! Runs both models on the probes and classifies every probe.

use super::explain::{Divergence, Explainer};
use super::gateway_model::precedence::Implementation;
use super::gateway_model::{GatewayModel, GwHandled, path};
use super::request::{Outcome, Probe, ServiceTarget, Share};
use crate::report::{Code, Notification, ObjectRef, Severity};
use serde::Serialize;
use std::collections::BTreeMap;

/// What the ingress-nginx model said (the fields `ing2gw verify` uses).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NginxSide {
    pub outcome: Outcome,
    /// The Ingress whose location decided the request.
    pub ingress: Option<ObjectRef>,
    /// The nginx location that matched.
    pub location: Option<String>,
    /// The access control of the deciding location (annotation keys), when it has some.
    pub protected: Option<String>,
    /// An https request for a host no Ingress gives TLS (`spec.tls`):
    /// ingress-nginx completes the handshake with its self-signed fake
    /// certificate, which clients that verify certificates reject, and plain
    /// HTTP is how the host is reached. (A host with TLS is reached over HTTPS —
    /// ingress-nginx redirects HTTP there — whatever certificate it gets.)
    pub fake_certificate: bool,
}

/// A request ingress-nginx answers through a protected location that a Gateway
/// API rule forwards to a backend without any such check. The model does not
/// know the credentials a probe would need, so the nginx side alone is "not
/// modelled"; the Gateway side serving content is a divergence all the same.
fn served_unprotected(n: &NginxSide, gateway: &Outcome) -> bool {
    n.protected.is_some()
        && matches!(n.outcome, Outcome::NotModelled { .. })
        && matches!(forwarded(gateway), Outcome::Backend { .. })
}

/// The forwarding decision of an outcome, behind its mirrors.
pub(crate) fn forwarded(o: &Outcome) -> &Outcome {
    match o {
        Outcome::Mirrored { then, .. } => forwarded(then),
        other => other,
    }
}

/// Which model could not answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Side {
    IngressNginx,
    GatewayApi,
}

/// The notification that explains a divergence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Explanation {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    /// The notification's field (annotation, `spec.rules[i].http.paths[j]…`, path).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// How a probe's two outcomes compare.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "verdict", rename_all = "kebab-case")]
pub enum Verdict {
    Same,
    /// Different outcomes; `explained_by` is the notification that announces it.
    /// When other manifests than ing2gw's own output are verified, the
    /// translation's notifications do not vouch for them: the one that would have
    /// explained the divergence is `noted_by`, a hint, and `explained_by` is empty.
    Divergent {
        explained_by: Option<Explanation>,
        #[serde(skip_serializing_if = "Option::is_none")]
        noted_by: Option<Explanation>,
    },
    NotModelled {
        side: Side,
        reason: String,
    },
    ImplementationDefined {
        reason: String,
    },
}

/// The deciding HTTPRoute rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleRef {
    pub namespace: String,
    pub route: String,
    pub rule: String,
}

/// One probe, both outcomes and the verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProbeResult {
    pub probe: Probe,
    pub ingress_nginx: Outcome,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ingress: Option<ObjectRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    pub gateway_api: Outcome,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub route: Option<RuleRef>,
    #[serde(flatten)]
    pub verdict: Verdict,
    /// The deciding HTTPRoute is one the user edited or added (`--gateway-api`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub edited_route: bool,
}

/// Counts over all probes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub probes: usize,
    pub same: usize,
    pub divergent: usize,
    pub explained: usize,
    pub unexplained: usize,
    pub not_modelled_ingress_nginx: usize,
    pub not_modelled_gateway_api: usize,
    pub implementation_defined: usize,
    /// Reasons for "not modelled", with their counts.
    pub not_modelled_reasons: BTreeMap<String, usize>,
    /// Probes whose two outcomes were compared (same + divergent).
    pub compared: usize,
    /// Per probed host name: compared and not modelled probes.
    pub hosts: BTreeMap<String, HostSummary>,
    /// Divergences per notification code: `explained` by a notification of that
    /// code (it names the request's host and path, or its exact behaviour);
    /// `unexplained` where the only notification about the deciding Ingress and
    /// host has that code but names neither — `(none)` when there is none.
    pub by_code: BTreeMap<String, CodeCounts>,
}

/// Explained and unexplained divergences of one notification code.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct CodeCounts {
    pub explained: usize,
    pub unexplained: usize,
}

/// The `by_code` key of unexplained divergences no notification is about.
pub const NO_NOTIFICATION: &str = "(none)";

impl Summary {
    /// Hosts none of whose probes could be compared.
    pub fn uncompared_hosts(&self) -> impl Iterator<Item = &str> {
        self.hosts
            .iter()
            .filter(|(_, h)| h.compared == 0)
            .map(|(name, _)| name.as_str())
    }
}

/// Counts for one probed host.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct HostSummary {
    pub compared: usize,
    pub not_modelled: usize,
}

/// ingress-nginx would refuse the whole rendered configuration (nginx fails its
/// config test), so the controller keeps serving its previous one and no probe
/// can be answered for the new one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejected {
    pub reason: String,
    /// The Ingresses whose locations cause it: fix them, or `--exclude` them to
    /// verify the rest.
    pub ingresses: Vec<ObjectRef>,
}

/// The result of `ing2gw verify`: every probe that is not `Same`, and counts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    /// Set when ingress-nginx would reject the whole configuration; first in
    /// the JSON because nothing else in the report means anything then.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rejected: Option<Rejected>,
    /// The precedence model of `--implementation` (left out for `standard`).
    #[serde(skip_serializing_if = "Implementation::is_standard")]
    pub implementation: Implementation,
    pub summary: Summary,
    /// Gateway API routes no implementation serves (rejected by the API
    /// server, attached to no listener), with the reason.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_accepted: Vec<super::gateway_model::acceptance::NotAccepted>,
    /// Ingresses left out with `--exclude NAMESPACE/NAME`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub excluded: Vec<String>,
    /// With `--gateway-api`: how those manifests differ (in spec) from ing2gw's
    /// own translation. Empty: they are that translation, and its notifications
    /// explain divergences as for a plain `verify`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub edits: Vec<super::edits::Edit>,
    /// Input documents and objects that could not be read or decoded (each
    /// names its file and object): they were not verified.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<Notification>,
    /// With `--host-map`: original host → the name the Gateway serves it under.
    /// Probes use the original names (the model is the same under both).
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub host_map: std::collections::BTreeMap<String, String>,
    /// Probes whose verdict is not `Same`, in probe order.
    pub results: Vec<ProbeResult>,
}

impl VerifyReport {
    pub fn unexplained(&self) -> impl Iterator<Item = &ProbeResult> {
        self.results.iter().filter(|r| {
            matches!(
                r.verdict,
                Verdict::Divergent {
                    explained_by: None,
                    ..
                }
            )
        })
    }
}

/// Outcomes that are the same response written differently: ingress-nginx's
/// default backend answers 404 like a Gateway's "no matching rule", and a
/// redirect to `https://host` is one to `https://host/` (RFC 3986 §6.2.3: an
/// empty path of an http(s) URL is `/`).
pub(crate) fn canonical(o: &Outcome) -> Outcome {
    match o {
        Outcome::DefaultBackend => Outcome::Status { status: 404 },
        Outcome::NoResponse { .. } => Outcome::NoResponse {
            reason: String::new(),
        },
        Outcome::Split {
            shares,
            uri,
            headers,
        } => Outcome::Split {
            shares: reduced(shares),
            uri: uri.clone(),
            headers: headers.clone(),
        },
        Outcome::ExternalAuth {
            service,
            signin,
            then,
        } => Outcome::ExternalAuth {
            service: service.clone(),
            signin: signin.clone(),
            then: Box::new(canonical(then)),
        },
        // The implicit `/` carries the first Ingress's mirror-target, so
        // ingress-nginx also copies requests its default backend answers 404;
        // no application answers them and no Gateway API rule exists to mirror
        // them from: that copy is not compared.
        Outcome::Mirrored { then, .. } if **then == Outcome::DefaultBackend => canonical(then),
        Outcome::Mirrored { mirrors, then } => Outcome::Mirrored {
            mirrors: mirrors.clone(),
            then: Box::new(canonical(then)),
        },
        Outcome::Redirect { status, location } => Outcome::Redirect {
            status: *status,
            location: with_root_path(location),
        },
        other => other.clone(),
    }
}

/// The shares of a split as the fractions they are: one entry per backend,
/// sorted, weights divided by their greatest common divisor (25/100 of `a` and
/// 75/100 of `b` is 1:3 like weights 1 and 3).
fn reduced(shares: &[Share]) -> Vec<Share> {
    let mut merged: BTreeMap<&ServiceTarget, u64> = BTreeMap::new();
    for s in shares {
        *merged.entry(&s.service).or_default() += s.weight;
    }
    let divisor = merged.values().copied().fold(0, gcd).max(1);
    merged
        .into_iter()
        .map(|(service, weight)| Share {
            service: service.clone(),
            weight: weight / divisor,
        })
        .collect()
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// `location` with scheme and host lower-cased (they are case-insensitive,
/// RFC 3986 §6.2.2.1) and an empty path written as `/` (§6.2.3).
fn with_root_path(location: &str) -> String {
    let Some((scheme, rest)) = location.split_once("://") else {
        return location.to_string();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let slash = if tail.starts_with('/') { "" } else { "/" };
    format!(
        "{}://{}{slash}{tail}",
        scheme.to_ascii_lowercase(),
        authority.to_ascii_lowercase()
    )
}

/// Whether an ingress-nginx answer is "this request is not served" for a
/// client, so that a Gateway refusing the connection or the TLS handshake is
/// the same: an answer of the controller itself, no Ingress involved (its 404
/// default backend, the catch-all server's `/healthz`), a 404, or any answer
/// behind the fake certificate (a client that verifies certificates never sees
/// it).
fn not_served(nginx: &NginxSide) -> bool {
    nginx.fake_certificate
        || nginx.ingress.is_none()
        || matches!(canonical(&nginx.outcome), Outcome::Status { status: 404 })
}

/// The probe's path as nginx matches it (the raw path when it cannot be normalised).
fn normalised_path(p: &Probe) -> String {
    let (path, _) = path::split_target(&p.target);
    path::normalise(path).unwrap_or_else(|| path.to_string())
}

/// Under the `standard` precedence model a request that several regex rules
/// match is answered by whichever the implementation ranks first: it behaves like
/// ingress-nginx only if every rule that could win does. Otherwise the Gateway
/// side is the first such rule that differs, so the probe is a divergence.
fn against_every_order(mut g: GwHandled, nginx: &Outcome) -> GwHandled {
    if g.alternatives.is_empty()
        || matches!(
            nginx,
            Outcome::NotModelled { .. } | Outcome::ImplementationDefined { .. }
        )
    {
        return g;
    }
    let wanted = canonical(nginx);
    let pick = g
        .alternatives
        .iter()
        .find(|(o, _)| canonical(o) != wanted)
        .or_else(|| g.alternatives.first())
        .cloned();
    if let Some((outcome, route)) = pick {
        g.outcome = outcome;
        g.route = Some(route);
    }
    g
}

/// Whether the Gateway API objects are the translation the notifications
/// describe, or other manifests (`--gateway-api`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verifying {
    OwnTranslation,
    OtherManifests,
}

/// Runs `nginx` and `gateway` on every probe and classifies the results.
///
/// The probes are independent: they run on every core (rayon), and their results
/// are summed in probe order, so the report is the same whatever the threads.
pub fn compare(
    probes: &[Probe],
    nginx: impl Fn(&Probe) -> NginxSide + Sync,
    gateway: &GatewayModel,
    explainer: &Explainer<'_>,
    verifying: Verifying,
) -> VerifyReport {
    use rayon::prelude::*;
    let judged: Vec<_> = probes
        .par_iter()
        .map(|probe| judge(probe, &nginx, gateway, explainer, verifying))
        .collect();
    let mut report = VerifyReport::default();
    for (probe, (n, g, verdict, counted)) in probes.iter().zip(judged) {
        if let Some((code, explained)) = counted {
            let counts = report.summary.by_code.entry(code.to_string()).or_default();
            if explained {
                counts.explained += 1;
            } else {
                counts.unexplained += 1;
            }
        }
        let s = &mut report.summary;
        s.probes += 1;
        let host = s.hosts.entry(probe.host.to_ascii_lowercase()).or_default();
        match &verdict {
            Verdict::Same | Verdict::Divergent { .. } => {
                s.compared += 1;
                host.compared += 1;
            }
            Verdict::NotModelled { .. } => host.not_modelled += 1,
            Verdict::ImplementationDefined { .. } => {}
        }
        match &verdict {
            Verdict::Same => s.same += 1,
            Verdict::Divergent { explained_by, .. } => {
                s.divergent += 1;
                if explained_by.is_some() {
                    s.explained += 1;
                } else {
                    s.unexplained += 1;
                }
            }
            Verdict::NotModelled { side, reason } => {
                match side {
                    Side::IngressNginx => s.not_modelled_ingress_nginx += 1,
                    Side::GatewayApi => s.not_modelled_gateway_api += 1,
                }
                *s.not_modelled_reasons.entry(reason.clone()).or_default() += 1;
            }
            Verdict::ImplementationDefined { .. } => s.implementation_defined += 1,
        }
        if verdict != Verdict::Same {
            report.results.push(ProbeResult {
                probe: probe.clone(),
                ingress_nginx: n.outcome,
                ingress: n.ingress,
                location: n.location,
                gateway_api: g.outcome,
                route: g.route.map(|(namespace, route, rule)| RuleRef {
                    namespace,
                    route,
                    rule,
                }),
                verdict,
                edited_route: false,
            });
        }
    }
    report
}

/// Both models' answers to one probe and the verdict on them.
fn judge(
    probe: &Probe,
    nginx: &(impl Fn(&Probe) -> NginxSide + Sync),
    gateway: &GatewayModel,
    explainer: &Explainer<'_>,
    verifying: Verifying,
) -> (NginxSide, GwHandled, Verdict, Option<(&'static str, bool)>) {
    let n = nginx(probe);
    let g = against_every_order(gateway.handle(probe), &n.outcome);
    // The notification code a divergence is counted under (explained or not),
    // added up in probe order by the caller.
    let mut counted = None;
    let mut divergent = || {
        let path = normalised_path(probe);
        let divergence = Divergence {
            scheme: probe.scheme,
            host: &probe.host,
            path: &path,
            ingress: n.ingress.as_ref(),
            nginx_location: n.location.as_deref(),
            nginx_outcome: &n.outcome,
            gateway_outcome: &g.outcome,
            gateway_rule: g.route.as_ref(),
        };
        let explaining = explainer.explain(&divergence);
        let code = explaining
            .or_else(|| {
                explainer.candidate(
                    &probe.host,
                    &path,
                    n.ingress.as_ref(),
                    &n.outcome,
                    g.route.as_ref(),
                )
            })
            .map_or(NO_NOTIFICATION, |note| note.code.0);
        counted = Some((
            code,
            explaining.is_some() && verifying == Verifying::OwnTranslation,
        ));
        let note = explaining.map(|note| Explanation {
            code: note.code,
            severity: note.severity,
            message: note.message.clone(),
            field: note.field.clone(),
        });
        match verifying {
            Verifying::OwnTranslation => Verdict::Divergent {
                explained_by: note,
                noted_by: None,
            },
            Verifying::OtherManifests => Verdict::Divergent {
                explained_by: None,
                noted_by: note,
            },
        }
    };
    let verdict = match (&n.outcome, &g.outcome) {
        _ if served_unprotected(&n, &g.outcome) => divergent(),
        (Outcome::NotModelled { reason }, _) => Verdict::NotModelled {
            side: Side::IngressNginx,
            reason: reason.clone(),
        },
        (_, Outcome::NotModelled { reason }) => Verdict::NotModelled {
            side: Side::GatewayApi,
            reason: reason.clone(),
        },
        (Outcome::ImplementationDefined { reason }, _)
        | (_, Outcome::ImplementationDefined { reason }) => Verdict::ImplementationDefined {
            reason: reason.clone(),
        },
        (a, b) if canonical(a) == canonical(b) => Verdict::Same,
        (_, Outcome::NoResponse { .. }) if not_served(&n) => Verdict::Same,
        _ => divergent(),
    };
    (n, g, verdict, counted)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gwapi::decode_gateway_objects;
    use crate::input::{InputSet, SourceFile};
    use crate::report::{Notification, Report};
    use crate::verify::request::{Scheme, ServiceTarget};
    use std::sync::Arc;

    fn file(text: &str) -> SourceFile {
        SourceFile {
            name: "t.yaml".into(),
            text: Arc::from(text),
        }
    }

    const ROUTES: &str = "apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw}
spec:
  gatewayClassName: x
  listeners: [{name: http, port: 80, protocol: HTTP}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r}
spec:
  parentRefs: [{name: gw}]
  hostnames: [a.example.com]
  rules:
  - matches: [{path: {type: Exact, value: /Header}}]
    backendRefs: [{name: httpbin, port: 8000}]
";

    const INGRESS: &str = "apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: other, namespace: default}
spec:
  rules:
  - host: a.example.com
    http: {paths: [{path: /Header, pathType: Exact, backend: {service: {name: httpbin, port: {number: 8000}}}}]}
";

    fn httpbin(uri: &str) -> Outcome {
        Outcome::Backend {
            service: ServiceTarget {
                namespace: "default".into(),
                name: "httpbin".into(),
                port: "8000".into(),
            },
            uri: uri.into(),
            headers: BTreeMap::new(),
        }
    }

    fn run(notes: &[Notification]) -> VerifyReport {
        let mut report = Report::default();
        let objects = decode_gateway_objects(&[file(ROUTES)], &mut report).objects;
        let gw = GatewayModel::build(&objects);
        let input: InputSet = crate::pipeline::load(&[file(INGRESS)]).input;
        let explainer = Explainer::new(&input, notes, "nginx.ingress.kubernetes.io/");
        let ing = ObjectRef::new("Ingress", Some("default"), "other");
        // A stand-in for the ingress-nginx model: regex mode, case-insensitive prefix.
        let nginx = |p: &Probe| NginxSide {
            outcome: if p.target.to_ascii_lowercase().starts_with("/header") {
                httpbin(&p.target)
            } else if p.target == "/x" {
                Outcome::NotModelled { reason: "x".into() }
            } else {
                Outcome::DefaultBackend
            },
            ingress: Some(ing.clone()),
            location: Some("location ~* \"^/Header\"".into()),
            fake_certificate: false,
            protected: None,
        };
        let probes: Vec<Probe> = ["/Header", "/headers", "/nothing", "/x"]
            .iter()
            .map(|t| Probe::get(Scheme::Http, "a.example.com", t))
            .collect();
        compare(&probes, nginx, &gw, &explainer, Verifying::OwnTranslation)
    }

    #[test]
    fn splits_compare_as_fractions() {
        let share = |name: &str, weight: u64| Share {
            service: ServiceTarget {
                namespace: "default".into(),
                name: name.into(),
                port: "80".into(),
            },
            weight,
        };
        let split = |shares: Vec<Share>| Outcome::Split {
            shares,
            uri: "/".into(),
            headers: BTreeMap::new(),
        };
        let nginx = split(vec![share("a", 75), share("b", 25)]);
        assert_eq!(
            canonical(&nginx),
            canonical(&split(vec![share("b", 1), share("a", 3)]))
        );
        assert_ne!(
            canonical(&nginx),
            canonical(&split(vec![share("a", 1), share("b", 1)]))
        );
    }

    #[test]
    fn an_empty_redirect_path_is_the_root() {
        assert_eq!(
            with_root_path("https://a.example.com"),
            "https://a.example.com/"
        );
        assert_eq!(
            with_root_path("https://a.example.com?x=1"),
            "https://a.example.com/?x=1"
        );
        assert_eq!(
            with_root_path("https://a.example.com/p"),
            "https://a.example.com/p"
        );
        assert_eq!(with_root_path("/relative"), "/relative");
        assert_eq!(
            with_root_path("HTTPS://A.Example.com/P"),
            "https://a.example.com/P"
        );
    }

    #[test]
    fn classifies_probes_and_catches_a_missing_notification() {
        let r = run(&[]);
        let s = &r.summary;
        assert_eq!((s.probes, s.same, s.divergent, s.unexplained), (4, 2, 1, 1));
        assert_eq!(s.not_modelled_ingress_nginx, 1);
        let d = r.unexplained().next().expect("one unexplained divergence");
        assert_eq!(d.probe.target, "/headers");
        assert_eq!(d.gateway_api, Outcome::Status { status: 404 });
    }

    #[test]
    fn a_warning_on_the_deciding_ingress_naming_host_and_path_explains() {
        let other = ObjectRef::new("Ingress", Some("default"), "other");
        let note = Notification::warning(
            Code("path-case"),
            "a.example.com: `/Header` is matched case-insensitively",
        )
        .object(&other);
        let r = run(&[note]);
        assert_eq!((r.summary.explained, r.summary.unexplained), (1, 0));
        assert_eq!(
            r.summary.by_code.get("path-case"),
            Some(&CodeCounts {
                explained: 1,
                unexplained: 0
            })
        );
        let info = Notification::info(Code("path-case"), "a.example.com: `/Header`").object(&other);
        let r = run(&[info]);
        assert_eq!(r.summary.unexplained, 1);
        assert_eq!(
            r.summary
                .by_code
                .get(NO_NOTIFICATION)
                .map(|c| c.unexplained),
            Some(1)
        );
    }

    /// Issue 11: a warning on the host that does not name the request's path
    /// (nor its behaviour) no longer explains; it is counted as unexplained
    /// under its code.
    #[test]
    fn a_warning_on_the_host_without_the_path_does_not_explain() {
        let other = ObjectRef::new("Ingress", Some("default"), "other");
        let note = Notification::warning(
            Code("path-case"),
            "a.example.com: `/elsewhere` is matched case-insensitively",
        )
        .object(&other);
        let r = run(&[note]);
        assert_eq!((r.summary.explained, r.summary.unexplained), (0, 1));
        assert_eq!(
            r.summary.by_code.get("path-case"),
            Some(&CodeCounts {
                explained: 0,
                unexplained: 1
            })
        );
    }
}
