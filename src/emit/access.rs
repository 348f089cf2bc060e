//! Fail-closed handling of access control the standard emitter cannot express.
//!
//! Standard Gateway API (v1.5) has no IP allow/deny list, password auth, rate
//! limit or certificate-subject check, and the `ExternalAuth` filter exists only
//! in the experimental channel. A rule carrying such a requirement is emitted
//! **fail-closed**: it keeps its matches (so the request cannot fall through to a
//! less specific, open rule) but has no filters and no `backendRefs`. Gateway API
//! requires a rule whose backends are all invalid and that has no filters to
//! answer every matching request with HTTP 500; an empty list has no valid
//! backend and, unlike a reference to a made-up Service name, no object created
//! later can turn it into a working backend. `--allow-insecure-translation`
//! emits the open form instead; both cases raise an error notification.
//!
//! A rule whose path Gateway API cannot express keeps a wider match that covers
//! its requests ([`AccessRequirement::UnexpressiblePath`]) and is always
//! fail-closed, whatever its other filters or action.
//!
//! Redirect rules are left alone: ingress-nginx answers redirects (app-root,
//! permanent/temporal redirect, HTTPS redirect, trailing-slash 301) before its
//! access phase, so they are not protected today either.

use crate::gwapi;
use crate::ir::*;
use crate::options::{Channel, TranslateOptions};
use crate::report::{Code, Notification, Report};
use std::collections::HashMap;

pub const ACCESS_FAIL_CLOSED: Code = Code("access-fail-closed");
pub const ACCESS_INSECURE: Code = Code("access-insecure-translation");
pub const ACCESS_DENIED_TODAY: Code = Code("access-denied-today");
pub const SATISFY_ANY_NARROWED: Code = Code("satisfy-any-narrowed");

/// Places a notification at the provenance of an IR element.
pub trait Located {
    fn located(self, from: &Provenance) -> Self;
}

impl Located for Notification {
    fn located(mut self, from: &Provenance) -> Self {
        self.object = from.object.clone();
        self.field = from.annotation.clone();
        self.span = from.span.clone();
        self
    }
}

/// What the emitter does with a rule's access control.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Emit the rule normally (its access control is enforced, or it has none).
    Open,
    /// Emit matches only: every matching request gets 500.
    FailClosed,
}

fn external_auth_enforced(options: &TranslateOptions) -> bool {
    options.channel == Channel::Experimental
}

/// Decides how an HTTPRoute rule is emitted and reports why when it is not exact.
pub fn decide(rule: &Rule, options: &TranslateOptions, report: &mut Report) -> Decision {
    decide_with(rule, options, false, report)
}

/// The same for a GRPCRoute rule, which has no ExternalAuth filter on any channel.
pub fn decide_grpc(rule: &Rule, options: &TranslateOptions, report: &mut Report) -> Decision {
    decide_with(rule, options, true, report)
}

fn decide_with(
    rule: &Rule,
    options: &TranslateOptions,
    grpc: bool,
    report: &mut Report,
) -> Decision {
    let ext_auth = !grpc && external_auth_enforced(options);
    // Its match is wider than the location it stands for (reported by the
    // regex-mode and path-protection passes): never open, not even a redirect.
    if rule.filters.iter().any(|f| {
        matches!(
            f.filter,
            Filter::AccessControl(AccessRequirement::UnexpressiblePath { .. })
        )
    }) {
        return Decision::FailClosed;
    }
    if matches!(rule.action, Action::Redirect(_)) {
        return Decision::Open;
    }
    let auth_usable = |a: &ExternalAuth| match target_external_auth(options) {
        Some(enforced) => enforced(a, &rule.namespace),
        None => ext_auth && auth_grant_allowed(a, &rule.namespace, options),
    };
    let auth_enforced = rule
        .filters
        .iter()
        .any(|f| matches!(&f.filter, Filter::ExternalAuth(a) if auth_usable(a)));
    let mut unmet: Vec<(&RuleFilter, String)> = Vec::new();
    let mut denied: Vec<(&RuleFilter, String)> = Vec::new();
    for f in &rule.filters {
        match &f.filter {
            Filter::ExternalAuth(a) if !auth_usable(a) => unmet.push((
                f,
                format!(
                    "external authentication via Service {}/{} port {} ({})",
                    a.backend.namespace,
                    a.backend.service,
                    a.backend.port,
                    if target_external_auth(options).is_some() {
                        format!("{} enforces it only for an auth Service in the route's namespace {}", options.target.implementation, rule.namespace)
                    } else if grpc {
                        "GRPCRoute has no ExternalAuth filter".to_string()
                    } else if !ext_auth {
                        "the ExternalAuth filter needs --channel experimental".to_string()
                    } else {
                        format!("the Service is not in the route's namespace {}: the ReferenceGrant it needs would let every HTTPRoute of {} use it, so it is emitted only with --allow-cross-namespace-grants", rule.namespace, rule.namespace)
                    }
                ),
            )),
            Filter::AccessControl(AccessRequirement::DeniedToday { status, reason }) => denied
                .push((
                    f,
                    format!("ingress-nginx answers {status} for these paths today ({reason})"),
                )),
            Filter::AccessControl(AccessRequirement::IgnoredToday { reason }) => denied.push((
                f,
                format!("ingress-nginx ignores this whole Ingress today ({reason}), so its routes do not exist"),
            )),
            Filter::AccessControl(req) if req.yields_to_auth() && auth_enforced => {
                report.push(
                    Notification::warning(
                        SATISFY_ANY_NARROWED,
                        format!("{} under `satisfy: any` is not emitted: the ExternalAuth filter alone is narrower (clients in the list must now authenticate too)", req.describe()),
                    )
                    .located(&f.from),
                )
            }
            // The target's own policy enforces it (its emitter attaches it).
            Filter::AccessControl(req)
                if super::target_enforces_in(options, req, &rule.namespace) => {}
            Filter::AccessControl(req) => unmet.push((f, req.describe())),
            _ => {}
        }
    }
    for (f, today) in &denied {
        report.push(
            Notification::error(
                ACCESS_DENIED_TODAY,
                format!("{today}; the rules are emitted fail-closed (no backendRefs: HTTP 500), never open"),
            )
            .suggest("fix the annotation value or the referenced object, then translate again")
            .located(&f.from),
        );
    }
    if !denied.is_empty() {
        return Decision::FailClosed;
    }
    if unmet.is_empty() {
        return Decision::Open;
    }
    let insecure = options.allow_insecure_translation;
    // Said for the target: "standard Gateway API" or the implementation.
    let cannot = match target_external_auth(options) {
        Some(_) => format!(
            "cannot be expressed in standard Gateway API nor by {}'s policies",
            options.target.implementation
        ),
        None => "cannot be expressed in standard Gateway API".to_string(),
    };
    for (f, what) in &unmet {
        // Snippet notes describe the snippet translation, not an alternative.
        let catalog_note = match f.filter {
            Filter::AccessControl(
                AccessRequirement::SnippetDirective { .. }
                | AccessRequirement::SnippetUnparsable { .. },
            ) => None,
            _ => catalog_note(&f.from),
        };
        let n = if insecure {
            Notification::error(
                ACCESS_INSECURE,
                format!("{what} {cannot}; --allow-insecure-translation: the rules are emitted WITHOUT it, so these paths are open to every client"),
            )
            .suggest(match catalog_note {
                Some(note) => format!("enforce it with your implementation before switching traffic: {note}"),
                None => "enforce it with your implementation's policy (e.g. Envoy Gateway SecurityPolicy / BackendTrafficPolicy, kgateway TrafficPolicy, Istio AuthorizationPolicy) before switching traffic".to_string(),
            })
        } else {
            Notification::error(
                ACCESS_FAIL_CLOSED,
                format!("{what} {cannot}; the rules are emitted fail-closed (no backendRefs: every request gets HTTP 500) so they are never more open than today"),
            )
            .suggest(match (&f.filter, catalog_note) {
                (Filter::ExternalAuth(_), _) if target_external_auth(options).is_some() => "run the auth Service in the route's namespace (the SecurityPolicy extAuth references it there), then translate again".to_string(),
                (Filter::ExternalAuth(_), _) if external_auth_enforced(options) => "pass --allow-cross-namespace-grants if every HTTPRoute of the namespace may use the auth Service, or run the auth Service in the route's namespace".to_string(),
                (Filter::ExternalAuth(_), _) => "use --channel experimental if your implementation supports the ExternalAuth filter, or attach your implementation's auth policy and pass --allow-insecure-translation to emit the routes".to_string(),
                (_, Some(note)) => format!("enforce it with your implementation ({note}), then emit the routes with --allow-insecure-translation"),
                _ => "attach your implementation's policy (e.g. Envoy Gateway SecurityPolicy / BackendTrafficPolicy, kgateway TrafficPolicy, Istio AuthorizationPolicy), then emit the routes with --allow-insecure-translation".to_string(),
            })
        };
        report.push(n.located(&f.from));
    }
    if insecure {
        Decision::Open
    } else {
        Decision::FailClosed
    }
}

/// Rules that stand for the same nginx location (same host, path and path type,
/// e.g. a canary's header-match rule beside the primary rule) share its access
/// control: ingress-nginx serves canary traffic through the primary location.
/// Filters missing on a rule are copied from its siblings, whatever pass order
/// created the rules.
pub fn share_location_access(rules: &[Rule]) -> Vec<Rule> {
    let is_access =
        |f: &RuleFilter| matches!(f.filter, Filter::AccessControl(_) | Filter::ExternalAuth(_));
    // ingress-nginx knows only Exact and Prefix (ImplementationSpecific = Prefix).
    // The rules of each location, in rule order: found once per host, not by a
    // scan of the host's rules per rule.
    let mut by_location: HashMap<(&str, bool), Vec<&Rule>> = HashMap::new();
    for r in rules {
        by_location
            .entry((
                r.source_path.path.as_str(),
                r.source_path.path_type.is_exact(),
            ))
            .or_default()
            .push(r);
    }
    let mut out = rules.to_vec();
    for rule in &mut out {
        let key = (
            rule.source_path.path.as_str(),
            rule.source_path.path_type.is_exact(),
        );
        let siblings = by_location.get(&key).map(Vec::as_slice).unwrap_or_default();
        let mut added = Vec::new();
        for sibling in siblings {
            for f in sibling.filters.iter().filter(|f| is_access(f)) {
                if !rule.filters.contains(f) && !added.contains(f) {
                    added.push(f.clone());
                }
            }
        }
        rule.filters.extend(added);
    }
    out
}

/// The annotation catalog's note on what to use instead (names implementation
/// resources), for the annotation an IR element came from.
fn catalog_note(from: &Provenance) -> Option<&'static str> {
    let key = from.annotation.as_deref()?;
    let short = key.rsplit('/').next()?;
    crate::catalog::lookup(short)
        .map(|i| i.note)
        .filter(|n| !n.is_empty())
}

/// Whether an ExternalAuth Service may be referenced from a route of
/// `route_namespace`: same namespace, or a ReferenceGrant is allowed
/// (`--allow-cross-namespace-grants`, see `emit/grants.rs`).
fn auth_grant_allowed(a: &ExternalAuth, route_namespace: &str, options: &TranslateOptions) -> bool {
    a.backend.namespace == route_namespace || options.allow_cross_namespace_grants
}

/// For a target that enforces external auth with a policy of its own (instead
/// of the standard ExternalAuth filter), whether it does for a given filter and
/// route namespace.
fn target_external_auth(options: &TranslateOptions) -> Option<fn(&ExternalAuth, &str) -> bool> {
    use crate::target::Implementation;
    match options.target.implementation {
        Implementation::EnvoyGateway => Some(super::envoy_gateway::enforces_external_auth),
        Implementation::Standard | Implementation::Istio => None,
    }
}

/// Whether the standard emitter writes this filter out as a Gateway API filter on
/// a rule of `route_namespace`.
pub fn emits_filter(f: &Filter, route_namespace: &str, options: &TranslateOptions) -> bool {
    match f {
        Filter::AccessControl(_) => false,
        // The target's own policy carries it (or the rule is fail-closed).
        Filter::ExternalAuth(_) if target_external_auth(options).is_some() => false,
        Filter::ExternalAuth(a) => {
            external_auth_enforced(options) && auth_grant_allowed(a, route_namespace, options)
        }
        _ => true,
    }
}

/// The fail-closed form of a rule: its name and matches, nothing else.
pub fn fail_closed(rule: gwapi::HttpRouteRule) -> gwapi::HttpRouteRule {
    gwapi::HttpRouteRule {
        name: rule.name,
        matches: rule.matches,
        ..Default::default()
    }
}

/// Gateway `tls.frontend`: per-port client-certificate validation for port 443.
/// `default` is required by the CRD (Gateway API 1.5 standard: without it the API
/// server, and Envoy Gateway's loader, reject the whole Gateway); empty, it
/// validates nothing on other ports.
pub fn frontend_tls(gw: &crate::ir::Gateway) -> Option<gwapi::GatewayTlsConfig> {
    let v = gw.client_validation.values().next()?;
    Some(gwapi::GatewayTlsConfig {
        frontend: Some(gwapi::FrontendTlsConfig {
            default: Some(gwapi::TlsConfig::default()),
            per_port: vec![gwapi::TlsPortConfig {
                port: 443,
                tls: gwapi::TlsConfig {
                    validation: Some(gwapi::FrontendTlsValidation {
                        ca_certificate_refs: vec![gwapi::ObjectReference {
                            group: Some(String::new()),
                            kind: Some("Secret".into()),
                            name: v.ca_secret.name.clone(),
                            namespace: (v.ca_secret.namespace != gw.id.namespace)
                                .then(|| v.ca_secret.namespace.clone()),
                        }],
                        mode: Some(
                            if v.optional {
                                "AllowInsecureFallback"
                            } else {
                                "AllowValidOnly"
                            }
                            .into(),
                        ),
                    }),
                },
            }],
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(action: Action, filters: Vec<Filter>) -> Rule {
        Rule {
            filters: filters
                .into_iter()
                .map(|filter| RuleFilter {
                    filter,
                    from: Provenance::default(),
                })
                .collect(),
            ..Rule::new(
                "default",
                "r",
                PathMatch::Prefix("/".into()),
                SourcePath::new("/", SourcePathType::Prefix),
                action,
                Provenance::default(),
            )
        }
    }

    fn forward() -> Action {
        Action::Forward(vec![Backend {
            namespace: "default".into(),
            service: "app".into(),
            port: 80,
            weight: None,
        }])
    }

    fn allow(satisfy_any: bool) -> Filter {
        Filter::AccessControl(AccessRequirement::SourceAllowList {
            cidrs: vec!["10.0.0.0/8".into()],
            satisfy_any,
        })
    }

    fn ext_auth() -> Filter {
        Filter::ExternalAuth(ExternalAuth {
            protocol: "HTTP".into(),
            backend: Backend {
                namespace: "default".into(),
                service: "auth".into(),
                port: 80,
                weight: None,
            },
            path: None,
            allowed_response_headers: Vec::new(),
        })
    }

    fn decide_with(r: &Rule, options: &TranslateOptions) -> (Decision, Vec<&'static str>) {
        let mut report = Report::default();
        let d = decide(r, options, &mut report);
        (d, report.iter().map(|n| n.code.0).collect())
    }

    #[test]
    fn unenforceable_access_control_fails_closed_unless_insecure() {
        let r = rule(forward(), vec![allow(false)]);
        let (d, codes) = decide_with(&r, &TranslateOptions::default());
        assert_eq!(d, Decision::FailClosed);
        assert_eq!(codes, vec![ACCESS_FAIL_CLOSED.0]);
        let insecure = TranslateOptions {
            allow_insecure_translation: true,
            ..Default::default()
        };
        let (d, codes) = decide_with(&r, &insecure);
        assert_eq!(d, Decision::Open);
        assert_eq!(codes, vec![ACCESS_INSECURE.0]);
    }

    #[test]
    fn denied_today_stays_closed_with_the_insecure_flag() {
        let r = rule(
            forward(),
            vec![Filter::AccessControl(AccessRequirement::DeniedToday {
                status: 503,
                reason: "x".into(),
            })],
        );
        let insecure = TranslateOptions {
            allow_insecure_translation: true,
            ..Default::default()
        };
        let (d, codes) = decide_with(&r, &insecure);
        assert_eq!(d, Decision::FailClosed);
        assert_eq!(codes, vec![ACCESS_DENIED_TODAY.0]);
    }

    #[test]
    fn redirects_answer_before_access_control() {
        let redirect = Action::Redirect(Redirect {
            scheme: Some("https".into()),
            hostname: None,
            path: None,
            port: None,
            status: 301,
        });
        let (d, codes) = decide_with(
            &rule(redirect, vec![allow(false)]),
            &TranslateOptions::default(),
        );
        assert_eq!(d, Decision::Open);
        assert!(codes.is_empty());
    }

    #[test]
    fn external_auth_needs_the_experimental_channel() {
        let r = rule(forward(), vec![ext_auth()]);
        assert_eq!(
            decide_with(&r, &TranslateOptions::default()).0,
            Decision::FailClosed
        );
        let experimental = TranslateOptions {
            channel: Channel::Experimental,
            ..Default::default()
        };
        assert_eq!(decide_with(&r, &experimental), (Decision::Open, vec![]));
        assert!(!emits_filter(
            &r.filters[0].filter,
            "default",
            &TranslateOptions::default()
        ));
        assert!(emits_filter(&r.filters[0].filter, "default", &experimental));
    }

    #[test]
    fn external_auth_of_another_namespace_needs_the_grant_flag() {
        let mut auth = ext_auth();
        if let Filter::ExternalAuth(a) = &mut auth {
            a.backend.namespace = "auth".into();
        }
        let r = rule(forward(), vec![auth]);
        let experimental = TranslateOptions {
            channel: Channel::Experimental,
            ..Default::default()
        };
        assert_eq!(
            decide_with(&r, &experimental),
            (Decision::FailClosed, vec![ACCESS_FAIL_CLOSED.0])
        );
        assert!(!emits_filter(
            &r.filters[0].filter,
            "default",
            &experimental
        ));
        let granted = TranslateOptions {
            allow_cross_namespace_grants: true,
            ..experimental
        };
        assert_eq!(decide_with(&r, &granted), (Decision::Open, vec![]));
        assert!(emits_filter(&r.filters[0].filter, "default", &granted));
    }

    #[test]
    fn satisfy_any_ip_lists_yield_only_to_enforced_auth() {
        let experimental = TranslateOptions {
            channel: Channel::Experimental,
            ..Default::default()
        };
        let any = rule(forward(), vec![ext_auth(), allow(true)]);
        assert_eq!(
            decide_with(&any, &experimental),
            (Decision::Open, vec![SATISFY_ANY_NARROWED.0])
        );
        // `satisfy all`: the allow-list must hold as well.
        let all = rule(forward(), vec![ext_auth(), allow(false)]);
        assert_eq!(decide_with(&all, &experimental).0, Decision::FailClosed);
        // No enforced auth on the standard channel: both unmet.
        assert_eq!(
            decide_with(&any, &TranslateOptions::default()).0,
            Decision::FailClosed
        );
    }

    #[test]
    fn rules_of_one_location_share_access_control() {
        let protected = rule(forward(), vec![allow(false)]);
        let mut canary = rule(forward(), Vec::new());
        canary.source_path.path_type = SourcePathType::ImplementationSpecific;
        let mut exact = rule(forward(), Vec::new());
        exact.source_path.path_type = SourcePathType::Exact;
        let shared = share_location_access(&[protected, canary, exact]);
        assert_eq!(shared[1].filters.len(), 1, "same nginx location");
        assert!(shared[2].filters.is_empty(), "`= /` is another location");
        assert_eq!(shared[0].filters.len(), 1, "no duplicates");
    }

    #[test]
    fn fail_closed_keeps_only_name_and_matches() {
        let full = gwapi::HttpRouteRule {
            name: Some("r".into()),
            matches: vec![gwapi::HttpRouteMatch::default()],
            filters: vec![gwapi::HttpRouteFilter::default()],
            backend_refs: vec![gwapi::HttpBackendRef::default()],
            ..Default::default()
        };
        let closed = fail_closed(full);
        assert_eq!(closed.name.as_deref(), Some("r"));
        assert_eq!(closed.matches.len(), 1);
        assert!(closed.filters.is_empty() && closed.backend_refs.is_empty());
    }
}
