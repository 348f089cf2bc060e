//! When a divergence counts as explained by a notification of the translation.
//!
//! The rule (documented in `docs/verify.md`, "Reading the report"): a divergence
//! for a probe of host `H`, decided on the ingress-nginx side by Ingress `I`, is
//! explained by a notification `N` iff
//!
//! 1. `N` is a **warning or error** (info notifications describe changes ing2gw
//!    considers harmless, so they never excuse a behaviour change) that does
//!    not state the behaviour was reproduced (`regex-mode`), and
//! 2. `N` names `I` as its object, and
//! 3. `N` concerns the request, that is one of:
//!    * its field is an annotation of `I` (or `ConfigMap <key>`, the controller
//!      default of one or a controller-wide key such as `block-cidrs`) that
//!      changes request handling
//!      ([`OUTCOME_ANNOTATIONS`]: routing, rewrites, redirects, headers, access
//!      control, canary …) — not e.g. a timeout or buffer size;
//!    * its field is `spec.rules[i]…` and rule `i` of `I` is for host `H`
//!      (a rule without host when `H` has no rule of its own: the catch-all);
//!    * its field is `spec.defaultBackend` or `spec.tls…` and `I` has a rule for `H`;
//!    * it has no field and its message names `H` — or, when the request reached
//!      the catch-all server through a host-less rule of `I`, names none of
//!      `I`'s hosts.
//!
//! For ing2gw's own translation, the Ingress whose rule decided on the Gateway
//! API side (named by the route's `ing2gw.io/sources` annotation and the rule
//! name `<ingress>-r<i>-p<j>…`) also stands in for `I`: a request that a
//! different Ingress's rule takes in Gateway API (e.g. a wildcard matching more
//! labels) is explained by a notification about that Ingress.
//!
//! A canary Ingress for `H` whose Service is the backend ingress-nginx chose also
//! stands in for `I`: ingress-nginx merges a canary's backend into the primary
//! Ingress's location, so the location names the primary while the canary's
//! annotations decided the backend.
//!
//! A 413 from ingress-nginx's body size limit (`proxy-body-size`) where the
//! Gateway answers otherwise is explained by the warning that the limit was not
//! carried over: about the deciding Ingress's annotation, or, for a limit from
//! the controller ConfigMap, about the ConfigMap key `proxy-body-size` (that
//! warning's object is the ConfigMap).
//!
//! When no Ingress decided (the controller answered itself: default backend,
//! catch-all server), any Ingress with a rule for `H` may stand in for `I`; and a
//! notification (any severity) **without object** whose field is a path `P` explains the
//! requests whose normalised path starts with `P` (a controller behaviour such as
//! the catch-all server's `/healthz`).

use super::request::{Outcome, Scheme};
use crate::emit::standard::SOURCES_ANNOTATION;
use crate::gwapi::GatewayObject;
use crate::input::{InputIngress, InputSet};
use crate::report::{Notification, ObjectRef, Severity};
use std::collections::BTreeMap;

/// Annotations (without prefix) whose behaviour is part of a request's outcome.
pub const OUTCOME_ANNOTATIONS: &[&str] = &[
    "allowlist-source-range",
    "app-root",
    "auth-realm",
    "auth-secret",
    "auth-secret-type",
    "auth-signin",
    "auth-tls-secret",
    "auth-tls-verify-client",
    "auth-type",
    "auth-url",
    "backend-protocol",
    "block-cidrs",
    "block-referers",
    "block-user-agents",
    "canary",
    "canary-by-cookie",
    "canary-by-header",
    "canary-by-header-pattern",
    "canary-by-header-value",
    "canary-weight",
    "canary-weight-total",
    "configuration-snippet",
    "cors-allow-credentials",
    "cors-allow-headers",
    "cors-allow-methods",
    "cors-allow-origin",
    "custom-headers",
    "custom-http-errors",
    "default-backend",
    "denylist-source-range",
    "enable-cors",
    "enable-modsecurity",
    "force-ssl-redirect",
    "from-to-www-redirect",
    "global-auth-url",
    "global-rate-limit",
    "limit-connections",
    "limit-rpm",
    "limit-rps",
    "permanent-redirect",
    "permanent-redirect-code",
    "preserve-trailing-slash",
    "rewrite-target",
    "satisfy",
    "server-alias",
    "server-snippet",
    "service-upstream",
    "ssl-passthrough",
    "ssl-redirect",
    "mirror-host",
    "mirror-target",
    "temporal-redirect",
    "temporal-redirect-code",
    "upstream-vhost",
    "use-port-in-redirects",
    "use-regex",
    "whitelist-source-range",
    "x-forwarded-prefix",
];

/// Codes of notifications that state a behaviour was translated as ingress-nginx
/// has it (`regex-mode`: "… were translated that way"): they announce no
/// difference, so they explain none.
const REPRODUCED: &[&str] = &["regex-mode"];
/// Codes of notifications about a host as a whole (whichever of its Ingresses
/// decided): they explain every divergence of a host their message names.
const HOST_WIDE_CODES: &[&str] = &["host-on-several-gateways"];

/// Finds the notifications that explain a divergence.
pub struct Explainer<'a> {
    input: &'a InputSet,
    notes: &'a [Notification],
    annotation_prefix: &'a str,
    /// (route namespace, route name, rule name) → the Ingress it was made from.
    rule_sources: BTreeMap<(String, String, String), ObjectRef>,
}

impl<'a> Explainer<'a> {
    pub fn new(input: &'a InputSet, notes: &'a [Notification], annotation_prefix: &'a str) -> Self {
        Explainer {
            input,
            notes,
            annotation_prefix,
            rule_sources: BTreeMap::new(),
        }
    }

    /// Lets the Ingress behind the deciding HTTPRoute rule explain too (ing2gw's
    /// own translation only: it names its sources).
    pub fn with_rule_sources(mut self, objects: &[GatewayObject]) -> Self {
        for o in objects {
            let GatewayObject::HttpRoute(r) = o else {
                continue;
            };
            let ns = r
                .metadata
                .namespace
                .clone()
                .unwrap_or_else(|| "default".into());
            // Each source with the prefix of the rule names it gives (`<name>-r`),
            // made once per route: a route merged from a hundred Ingresses has
            // thousands of rules.
            let sources: Vec<(ObjectRef, String)> = r
                .metadata
                .annotations
                .get(SOURCES_ANNOTATION)
                .map(|v| {
                    v.split(',')
                        .filter_map(|s| s.trim().split_once('/'))
                        .map(|(n, name)| {
                            (
                                ObjectRef::new("Ingress", Some(n), name),
                                format!("{name}-r"),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            for (i, rule) in r.spec.rules.iter().enumerate() {
                let rule_name = rule.name.clone().unwrap_or_else(|| format!("rules[{i}]"));
                let source = match sources.as_slice() {
                    [(only, _)] => Some(only.clone()),
                    many => many
                        .iter()
                        .filter(|(_, prefix)| rule_name.starts_with(prefix.as_str()))
                        .max_by_key(|(s, _)| s.name.len())
                        .map(|(s, _)| s.clone()),
                };
                if let Some(source) = source {
                    self.rule_sources
                        .insert((ns.clone(), r.metadata.name.clone(), rule_name), source);
                }
            }
        }
        self
    }

    /// The first notification that explains divergence `d`: a candidate (see
    /// [`Self::candidate`]) that also names the request's host and path — its
    /// field is the deciding Ingress path, its message quotes that path, or its
    /// code is a behaviour recognisable in the two outcomes ([`behaviour`]).
    pub fn explain(&self, d: &Divergence<'_>) -> Option<&'a Notification> {
        // A Gateway that gives no answer or fails closed has its own reason
        // (no listener, a rule emitted closed), which explains first.
        let own_reason = matches!(
            d.gateway_outcome,
            Outcome::NoResponse { .. } | Outcome::Status { status: 500 }
        );
        if !own_reason && let Some(n) = self.body_size(d) {
            return Some(n);
        }
        let found: Vec<_> = self
            .matching(d.host, d.path, d.ingress, d.nginx_outcome, d.gateway_rule)
            .filter(|(n, decider)| self.pinpoints(n, *decider, d))
            .collect();
        // A notification whose behaviour the outcomes show is the better
        // explanation than one that only names the same path.
        found
            .iter()
            .find(|(n, decider)| decider.is_none_or(|i| behaviour(n, i, d)))
            .or(found.first())
            .map(|(n, _)| *n)
            .or_else(|| self.body_size(d))
    }

    /// A 413 of ingress-nginx's body size limit that the Gateway does not
    /// give is explained by the warning that the limit was not carried over:
    /// the one about the deciding Ingress's valid `proxy-body-size`
    /// annotation, or, when the limit came from the controller ConfigMap, the
    /// one about its `proxy-body-size` key (a controller-wide warning, about
    /// the ConfigMap). nginx answers 413 for nothing else.
    fn body_size(&self, d: &Divergence<'_>) -> Option<&'a Notification> {
        if !matches!(d.nginx_outcome, Outcome::Status { status: 413 })
            || matches!(d.gateway_outcome, Outcome::Status { status: 413 })
        {
            return None;
        }
        let key = format!("{}proxy-body-size", self.annotation_prefix);
        let annotated = d
            .ingress
            .and_then(|o| self.input.ingresses.iter().find(|i| i.obj == *o))
            .and_then(|i| i.annotation(&key))
            .is_some_and(super::nginx_model::body::valid_size);
        self.notes.iter().find(|n| {
            n.severity >= Severity::Warning
                && !REPRODUCED.contains(&n.code.0)
                && if annotated {
                    n.object.as_ref() == d.ingress && n.field.as_deref() == Some(key.as_str())
                } else {
                    n.field.as_deref() == Some("ConfigMap proxy-body-size")
                }
        })
    }

    /// The first notification about the deciding Ingress and host, whether or
    /// not it names the path: what a looser rule would have taken as the
    /// explanation. Counted per code as "unexplained" when it does not
    /// [`Self::explain`] the divergence.
    pub fn candidate(
        &self,
        host: &str,
        path: &str,
        ingress: Option<&ObjectRef>,
        nginx_outcome: &Outcome,
        gateway_rule: Option<&(String, String, String)>,
    ) -> Option<&'a Notification> {
        self.matching(host, path, ingress, nginx_outcome, gateway_rule)
            .next()
            .map(|(n, _)| n)
    }

    /// Notifications about the deciding Ingress (or a stand-in) that concern the
    /// request's host, each with that Ingress (`None`: a controller notification).
    fn matching<'s>(
        &'s self,
        host: &str,
        path: &str,
        ingress: Option<&ObjectRef>,
        nginx_outcome: &Outcome,
        gateway_rule: Option<&(String, String, String)>,
    ) -> impl Iterator<Item = (&'a Notification, Option<&'a InputIngress>)> + 's {
        let host = self.server_name(&host.to_ascii_lowercase());
        let mut deciders: Vec<&InputIngress> = match ingress {
            Some(obj) => self
                .input
                .ingresses
                .iter()
                .filter(|i| i.obj == *obj)
                .collect(),
            None => self
                .input
                .ingresses
                .iter()
                .filter(|i| {
                    rule_hosts(i)
                        .iter()
                        .any(|h| h.as_deref() == Some(host.as_str()))
                })
                .collect(),
        };
        if let Some(source) = gateway_rule.and_then(|r| self.rule_sources.get(r)) {
            deciders.extend(self.input.ingresses.iter().filter(|i| i.obj == *source));
        }
        if let Outcome::Backend { service, .. } = super::compare::forwarded(nginx_outcome) {
            deciders.extend(self.input.ingresses.iter().filter(|i| {
                self.is_canary(i)
                    && i.namespace() == service.namespace
                    && rule_hosts(i)
                        .iter()
                        .any(|h| h.as_deref().is_none_or(|h| h == host))
                    && backend_services(i).contains(&service.name)
            }));
        }
        let path = path.to_string();
        let controller = ingress.is_none();
        // A controller behaviour is stated as info when it only matters to clients
        // that rely on it (`catch-all-healthz`); it still explains its requests.
        self.notes.iter().filter_map(move |n| {
            let by_controller = controller
                && n.object.is_none()
                && n.field
                    .as_deref()
                    .is_some_and(|f| f.starts_with('/') && path.starts_with(f));
            if REPRODUCED.contains(&n.code.0) {
                return None;
            }
            if by_controller {
                return Some((n, None));
            }
            if n.severity < Severity::Warning {
                return None;
            }
            let decider = deciders
                .iter()
                .find(|i| n.object.as_ref() == Some(&i.obj) && self.concerns(n, i, &host))
                .copied();
            // A notification about the whole host speaks for every Ingress of it.
            let host_wide = || {
                HOST_WIDE_CODES.contains(&n.code.0)
                    && n.message.to_ascii_lowercase().contains(host.as_str())
            };
            match decider {
                Some(i) => Some((n, Some(i))),
                None if host_wide() => Some((n, None)),
                None => None,
            }
        })
    }

    /// Whether `n`, about `decider` (`None`: a controller notification whose
    /// field is a path prefix of the request, or a host-wide one naming the
    /// host, both already checked), names the path of divergence `d` or its
    /// exact behaviour.
    fn pinpoints(
        &self,
        n: &Notification,
        decider: Option<&InputIngress>,
        d: &Divergence<'_>,
    ) -> bool {
        let Some(ing) = decider else {
            return true;
        };
        let paths = self.deciding_paths(d);
        let named = |p: &str| paths.iter().any(|q| same_path(q, p));
        if let Some(p) = n.field.as_deref().and_then(|f| field_path(ing, f))
            && named(&p)
        {
            return true;
        }
        if backticked(&n.message).any(|t| t.starts_with('/') && named(t)) {
            return true;
        }
        behaviour(n, ing, d)
    }

    /// The Ingress paths behind the nginx location and the Gateway API rule that
    /// decided `d`.
    fn deciding_paths(&self, d: &Divergence<'_>) -> Vec<String> {
        // The controller's own `/` (default backend, no deciding Ingress) is no
        // Ingress path: a message quoting `/` (e.g. a rewrite's replacement)
        // does not speak about the requests it answers.
        let mut out: Vec<String> = d
            .nginx_location
            .filter(|_| d.ingress.is_some())
            .and_then(location_path)
            .into_iter()
            .collect();
        if let Some(rule) = d.gateway_rule
            && let Some(source) = self.rule_sources.get(rule)
            && let Some((r, p)) = rule_indices(&rule.2)
            && let Some(ing) = self.input.ingresses.iter().find(|i| i.obj == *source)
            && let Some(path) = ingress_path(ing, r, p)
        {
            out.push(path);
        }
        out
    }

    /// The host name of the nginx server that receives requests for `host`: the
    /// host itself when an Ingress names it, else the wildcard `*.rest` covering
    /// exactly one more label (§2.4), so notes about a wildcard host explain the
    /// requests its server answers.
    fn server_name(&self, host: &str) -> String {
        let named = |h: &str| {
            self.input
                .ingresses
                .iter()
                .any(|i| rule_hosts(i).iter().any(|r| r.as_deref() == Some(h)))
        };
        if named(host) {
            return host.to_string();
        }
        match host.split_once('.') {
            Some((_, rest)) if named(&format!("*.{rest}")) => format!("*.{rest}"),
            _ => host.to_string(),
        }
    }

    fn is_canary(&self, ing: &InputIngress) -> bool {
        ing.annotation(&format!("{}canary", self.annotation_prefix))
            .and_then(crate::passes::parse_go_bool)
            .unwrap_or(false)
    }

    fn concerns(&self, n: &Notification, ing: &InputIngress, host: &str) -> bool {
        let hosts = rule_hosts(ing);
        let has_host = hosts.iter().any(|h| h.as_deref() == Some(host));
        // A host without a rule of its own in this Ingress is served by its
        // host-less rules only when the request reached the catch-all server.
        let catch_all = !has_host && hosts.iter().any(Option::is_none);
        let Some(field) = n.field.as_deref() else {
            let message = n.message.to_ascii_lowercase();
            // For the catch-all server, a message about none of the Ingress's
            // named hosts is about its host-less rules.
            return message.contains(host)
                || quotes_a_path_of(&n.message, &hosts, ing, host)
                || (catch_all
                    && !hosts
                        .iter()
                        .flatten()
                        .any(|named| message.contains(named.as_str())));
        };
        // An annotation, or a ConfigMap key that is an annotation's default.
        if let Some(name) = field
            .strip_prefix(self.annotation_prefix)
            .or_else(|| field.strip_prefix("ConfigMap "))
        {
            return OUTCOME_ANNOTATIONS.contains(&name);
        }
        if let Some(rest) = field.strip_prefix("spec.rules[") {
            let index = rest.split(']').next().and_then(|i| i.parse::<usize>().ok());
            return index.and_then(|i| hosts.get(i)).is_some_and(|h| match h {
                Some(h) => h == host,
                None => catch_all,
            });
        }
        if field == "spec.defaultBackend" || field.starts_with("spec.tls") {
            return has_host || catch_all;
        }
        false
    }
}

/// A divergence to explain: the probe's host and normalised path, and what
/// decided it on each side.
#[derive(Debug, Clone, Copy)]
pub struct Divergence<'d> {
    pub scheme: Scheme,
    pub host: &'d str,
    pub path: &'d str,
    /// The Ingress whose location decided in ingress-nginx (`None`: the controller).
    pub ingress: Option<&'d ObjectRef>,
    /// That nginx location, e.g. `location ~* "^/api"`.
    pub nginx_location: Option<&'d str>,
    pub nginx_outcome: &'d Outcome,
    pub gateway_outcome: &'d Outcome,
    /// (route namespace, route name, rule name) of the deciding HTTPRoute rule.
    pub gateway_rule: Option<&'d (String, String, String)>,
}

/// Codes whose notification describes a behaviour of a whole host or Ingress
/// rather than of one path (see [`behaviour`]).
pub const BEHAVIOUR_CODES: &[&str] = &[
    "ssl-redirect-trailing-slash",
    "wildcard-host-depth",
    "host-on-several-gateways",
    "locations-denied-by-controller",
    "access-denied-today",
    "access-fail-closed",
    "access-insecure-translation",
    "redirect",
    "tls-default-certificate",
    "route-unattached",
    "canary-cross-namespace",
    "mirror",
    "auth-approximated",
    "implicit-root-access",
];

/// The mirrors of an outcome (inside an external-auth decision too).
fn mirrors_of(o: &Outcome) -> Vec<super::request::Mirror> {
    match o {
        Outcome::Mirrored { mirrors, then } => {
            let mut all = mirrors.clone();
            all.extend(mirrors_of(then));
            all
        }
        Outcome::ExternalAuth { then, .. } => mirrors_of(then),
        _ => Vec::new(),
    }
}

/// An outcome with its mirrors removed.
fn without_mirrors(o: &Outcome) -> Outcome {
    match o {
        Outcome::Mirrored { then, .. } => without_mirrors(then),
        Outcome::ExternalAuth {
            service,
            signin,
            then,
        } => Outcome::ExternalAuth {
            service: service.clone(),
            signin: signin.clone(),
            then: Box::new(without_mirrors(then)),
        },
        other => other.clone(),
    }
}

/// Whether `n`, one of [`BEHAVIOUR_CODES`], explains `d`: only the divergences
/// that show its behaviour, recognised from the two outcomes.
fn behaviour(n: &Notification, ing: &InputIngress, d: &Divergence<'_>) -> bool {
    let decided_by_it = d.ingress == Some(&ing.obj);
    match n.code.0 {
        // The HTTP→HTTPS redirect drops one trailing slash in ingress-nginx.
        "ssl-redirect-trailing-slash" => match (d.nginx_outcome, d.gateway_outcome) {
            (Outcome::Redirect { location: a, .. }, Outcome::Redirect { location: b, .. }) => {
                d.scheme == Scheme::Http
                    && a != b
                    && (format!("{a}/") == *b || format!("{b}/") == *a)
            }
            _ => false,
        },
        // A wildcard hostname covers deeper names in Gateway API: the request's
        // host is at least two labels below the wildcard the message names.
        "wildcard-host-depth" => backticked_or_words(&n.message).any(|w| {
            w.strip_prefix("*.").is_some_and(|suffix| {
                d.host
                    .to_ascii_lowercase()
                    .strip_suffix(suffix)
                    .and_then(|rest| rest.strip_suffix('.'))
                    .is_some_and(|labels| labels.contains('.'))
            })
        }),
        // DNS sends the host to one of several Gateways: every path of the host.
        "host-on-several-gateways" => true,
        // ingress-nginx denies every location of the Ingress (503, or 403 for
        // client-certificate errors) while its rules stay closed.
        "locations-denied-by-controller" | "access-denied-today" => {
            decided_by_it && matches!(d.nginx_outcome, Outcome::Status { status: 403 | 503 })
        }
        // The Ingress's rules are emitted fail-closed (500); where ingress-nginx
        // refuses the probe's client (401/403) any refusal of the Gateway is
        // that same "never more open".
        "access-fail-closed" => {
            decided_by_it
                && match (d.nginx_outcome, d.gateway_outcome) {
                    (_, Outcome::Status { status: 500 }) => true,
                    (Outcome::Status { status: 401 | 403 }, Outcome::Status { status }) => {
                        *status >= 400
                    }
                    _ => false,
                }
        }
        // --allow-insecure-translation dropped the access control: what
        // ingress-nginx refuses the Gateway forwards.
        "access-insecure-translation" => {
            decided_by_it
                && matches!(d.nginx_outcome, Outcome::Status { status: 401 | 403 })
                && matches!(
                    super::compare::forwarded(d.gateway_outcome),
                    Outcome::Backend { .. }
                )
        }
        // A host served with the default certificate gets no HTTPS listener: its
        // https requests find none, and its HTTP→HTTPS redirects are emitted
        // fail-closed (500) rather than pointing at a listener that does not exist.
        "tls-default-certificate" | "route-unattached" => {
            let https_unanswered = d.scheme == Scheme::Https
                && matches!(d.gateway_outcome, Outcome::NoResponse { .. });
            let redirect_closed = d.scheme == Scheme::Http
                && matches!(d.nginx_outcome, Outcome::Redirect { location, .. } if location.starts_with("https://"))
                && matches!(d.gateway_outcome, Outcome::Status { status: 500 });
            (https_unanswered || redirect_closed)
                && n.message
                    .to_ascii_lowercase()
                    .contains(&d.host.to_ascii_lowercase())
        }
        // The Gateway API version lacks the kind that held the host's HTTPS
        // listener or TLS route (ListenerSet, TLSRoute on 1.4 standard): its
        // https requests find no listener or route for it.
        // Gateway API 1.4 has only 301/302: the redirect's code was fitted
        // (308 → 301, 307/303 → 302); same target, only the status differs.
        "not-in-gateway-api-version" if n.message.contains("redirect status codes changed") => {
            decided_by_it
                && match (d.nginx_outcome, d.gateway_outcome) {
                    (
                        Outcome::Redirect {
                            status: a,
                            location: la,
                        },
                        Outcome::Redirect {
                            status: b,
                            location: lb,
                        },
                    ) => {
                        a != b
                            && (la == lb || format!("{la}/") == *lb || format!("{lb}/") == *la)
                            && n.message.contains(&format!("{a} → {b}"))
                    }
                    _ => false,
                }
        }
        "not-in-gateway-api-version" => {
            let https_unanswered = d.scheme == Scheme::Https
                && matches!(
                    d.gateway_outcome,
                    Outcome::NoResponse { .. } | Outcome::Status { status: 404 }
                );
            // Its HTTP→HTTPS redirect still points there.
            let redirect_to_it = d.scheme == Scheme::Http
                && matches!(d.gateway_outcome, Outcome::UnreachableRedirect { location, .. } if location.starts_with("https://"));
            (https_unanswered || redirect_to_it)
                && n.message
                    .to_ascii_lowercase()
                    .contains(&d.host.to_ascii_lowercase())
        }
        // The canary's Service is in another namespace without a ReferenceGrant:
        // what ingress-nginx sends to it answers 500.
        "canary-cross-namespace" => {
            matches!(super::compare::forwarded(d.nginx_outcome), Outcome::Backend { service, .. } if service.namespace == ing.namespace())
                && matches!(d.gateway_outcome, Outcome::Status { status: 500 })
        }
        // mirror-target copies every request of the Ingress's locations: a
        // warning (something of the mirror is lost) explains the requests
        // whose outcomes differ in their mirrors only.
        // A lost or weakened mirror only: a Gateway mirror to a destination
        // ingress-nginx never copies to (a Service named after `$host`) is a
        // wrong translation, not a loss the warning describes.
        "mirror" => {
            let nginx_mirrors = mirrors_of(d.nginx_outcome);
            decided_by_it
                && nginx_mirrors != mirrors_of(d.gateway_outcome)
                && mirrors_of(d.gateway_outcome)
                    .iter()
                    .all(|g| nginx_mirrors.iter().any(|m| m.target == g.target))
                && super::compare::canonical(&without_mirrors(d.nginx_outcome))
                    == super::compare::canonical(&without_mirrors(d.gateway_outcome))
        }
        // auth-signin without an equivalent (Envoy Gateway's extAuth): the same
        // auth service decides and the same backend serves, only the sign-in
        // redirect for refused clients is lost (they get the service's 401).
        "auth-approximated"
            if n.field
                .as_deref()
                .is_some_and(|f| f.ends_with("auth-signin")) =>
        {
            decided_by_it
                && match (d.nginx_outcome, d.gateway_outcome) {
                    (
                        Outcome::ExternalAuth {
                            service: a,
                            signin: Some(_),
                            then: ta,
                        },
                        Outcome::ExternalAuth {
                            service: b,
                            signin: None,
                            then: tb,
                        },
                    ) => a == b && super::compare::canonical(ta) == super::compare::canonical(tb),
                    _ => false,
                }
        }
        // The host's implicit `/` checks access (then answers 404) in
        // ingress-nginx; the Gateway answers 404 without the check. Only
        // divergences on that location, with nothing served on either side.
        "implicit-root-access" => {
            decided_by_it
                && d.nginx_location == Some("location \"/\"")
                && matches!(d.gateway_outcome, Outcome::Status { status: 404 })
                && match without_mirrors(d.nginx_outcome) {
                    Outcome::ExternalAuth { then, .. } => {
                        matches!(*then, Outcome::DefaultBackend)
                    }
                    Outcome::Status { status } => matches!(status, 401 | 403),
                    _ => false,
                }
                && n.message
                    .to_ascii_lowercase()
                    .contains(&format!("host {}:", d.host.to_ascii_lowercase()))
        }
        // permanent/temporal-redirect answers every location of the Ingress.
        "redirect" => {
            decided_by_it
                && matches!(d.nginx_outcome, Outcome::Redirect { .. })
                && matches!(d.gateway_outcome, Outcome::Redirect { .. })
        }
        _ => false,
    }
}

/// The `…` quoted parts of a message.
fn backticked(message: &str) -> impl Iterator<Item = &str> {
    message.split('`').skip(1).step_by(2)
}

/// Quoted parts and whitespace-separated words of a message, trimmed of
/// punctuation (host names appear both ways).
fn backticked_or_words(message: &str) -> impl Iterator<Item = &str> {
    backticked(message).chain(
        message
            .split_whitespace()
            .map(|w| w.trim_matches(|c: char| matches!(c, ',' | ':' | ';' | '(' | ')' | '`'))),
    )
}

/// Two Ingress paths are the same, up to one trailing slash (nginx's Prefix
/// location `P/` comes from path `P`).
fn same_path(a: &str, b: &str) -> bool {
    a == b || a.trim_end_matches('/') == b.trim_end_matches('/')
}

/// The Ingress path of an nginx location directive (`location = "/x"`,
/// `location "/x/"`, `location ~* "^/x"`).
fn location_path(directive: &str) -> Option<String> {
    let rest = directive.strip_prefix("location ")?;
    let (regex, rest) = match rest.strip_prefix("~* ") {
        Some(r) => (true, r),
        None => (false, rest.strip_prefix("= ").unwrap_or(rest)),
    };
    let inner = rest.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            c => out.push(c),
        }
    }
    if regex && let Some(unanchored) = out.strip_prefix('^') {
        return Some(unanchored.to_string());
    }
    Some(out)
}

/// Whether `message` quotes a path that `ing` has under a rule for `host`
/// (`hosts`: its rules' hosts, in order): the path of one rule, so the message
/// names the host through it.
fn quotes_a_path_of(
    message: &str,
    hosts: &[Option<String>],
    ing: &InputIngress,
    host: &str,
) -> bool {
    let Some(rules) = ing.ingress.spec.as_ref().and_then(|s| s.rules.as_ref()) else {
        return false;
    };
    let paths: Vec<String> = rules
        .iter()
        .enumerate()
        .filter(|(i, _)| hosts.get(*i).is_some_and(|h| h.as_deref() == Some(host)))
        .flat_map(|(i, r)| {
            let n = r.http.as_ref().map_or(0, |h| h.paths.len());
            (0..n).filter_map(move |j| ingress_path(ing, i, j))
        })
        .collect();
    backticked(message).any(|t| paths.iter().any(|p| p == t))
}

/// `(i, j)` of a rule named `<ingress>-r<i>-p<j>…` by the standard emitter.
fn rule_indices(rule: &str) -> Option<(usize, usize)> {
    rule.rmatch_indices("-r").find_map(|(at, _)| {
        let tail = rule.get(at + 2..)?;
        let (i, rest) = tail.split_once("-p")?;
        let j: String = rest.chars().take_while(char::is_ascii_digit).collect();
        Some((i.parse().ok()?, j.parse().ok()?))
    })
}

/// The path of a `spec.rules[i].http.paths[j]…` field of `ing`.
fn field_path(ing: &InputIngress, field: &str) -> Option<String> {
    let rest = field.strip_prefix("spec.rules[")?;
    let (i, rest) = rest.split_once("].http.paths[")?;
    let (j, _) = rest.split_once(']')?;
    ingress_path(ing, i.parse().ok()?, j.parse().ok()?)
}

/// Path `j` of rule `i` of `ing` (empty → `/`, as nginx reads it).
fn ingress_path(ing: &InputIngress, i: usize, j: usize) -> Option<String> {
    let rule = ing.ingress.spec.as_ref()?.rules.as_ref()?.get(i)?;
    let path = rule.http.as_ref()?.paths.get(j)?;
    Some(
        path.path
            .as_deref()
            .filter(|p| !p.is_empty())
            .unwrap_or("/")
            .to_string(),
    )
}

/// The Services `ing` routes to (rules and default backend).
fn backend_services(ing: &InputIngress) -> Vec<String> {
    let Some(spec) = ing.ingress.spec.as_ref() else {
        return vec![];
    };
    let default = spec
        .default_backend
        .iter()
        .filter_map(|b| b.service.as_ref().map(|s| s.name.clone()));
    let paths = spec
        .rules
        .iter()
        .flatten()
        .flat_map(|r| r.http.iter().flat_map(|h| h.paths.iter()))
        .filter_map(|p| p.backend.service.as_ref().map(|s| s.name.clone()));
    default.chain(paths).collect()
}

/// The host of every rule of `ing`, in order (`None` for a rule without host).
fn rule_hosts(ing: &InputIngress) -> Vec<Option<String>> {
    ing.ingress
        .spec
        .as_ref()
        .and_then(|s| s.rules.as_ref())
        .map(|rules| {
            rules
                .iter()
                .map(|r| {
                    crate::ir::HostKey::of_rule(r.host.as_deref())
                        .hostname()
                        .map(str::to_string)
                })
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::SourceFile;
    use crate::report::Code;
    use std::sync::Arc;

    fn input() -> InputSet {
        let text = "apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: a, namespace: default}
spec:
  rules:
  - host: a.example.com
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: s, port: {number: 80}}}}]}
  - host: b.example.com
";
        crate::pipeline::load(&[SourceFile {
            name: "i.yaml".into(),
            text: Arc::from(text),
        }])
        .input
    }

    fn note(sev: Severity, field: Option<&str>, message: &str) -> Notification {
        let mut n = Notification::new(sev, Code("x"), message).object(&ObjectRef::new(
            "Ingress",
            Some("default"),
            "a",
        ));
        n.field = field.map(String::from);
        n
    }

    #[test]
    fn only_warnings_about_the_deciding_ingress_and_the_request_explain() {
        let input = input();
        let a = ObjectRef::new("Ingress", Some("default"), "a");
        let other = ObjectRef::new("Ingress", Some("default"), "b");
        let p = "nginx.ingress.kubernetes.io/";
        let check = |n: Notification, host: &str, ing: Option<&ObjectRef>| {
            let notes = [n];
            Explainer::new(&input, &notes, p)
                .candidate(host, "/x", ing, &Outcome::Status { status: 404 }, None)
                .is_some()
        };
        let regex = Some("nginx.ingress.kubernetes.io/use-regex");
        assert!(check(
            note(Severity::Warning, regex, "m"),
            "a.example.com",
            Some(&a)
        ));
        assert!(!check(
            note(Severity::Info, regex, "m"),
            "a.example.com",
            Some(&a)
        ));
        assert!(!check(
            note(Severity::Warning, regex, "m"),
            "a.example.com",
            Some(&other)
        ));
        // Issue 11 item 5: "translated that way" announces no difference.
        let mut reproduced = note(
            Severity::Warning,
            None,
            "host a.example.com is in regex mode",
        );
        reproduced.code = Code("regex-mode");
        assert!(!check(reproduced.clone(), "a.example.com", Some(&a)));
        reproduced.code = Code("x");
        assert!(check(reproduced, "a.example.com", Some(&a)));
        let cm = Some("ConfigMap whitelist-source-range");
        assert!(check(
            note(Severity::Error, cm, "m"),
            "a.example.com",
            Some(&a)
        ));
        let cm_timeout = Some("ConfigMap proxy-read-timeout");
        assert!(!check(
            note(Severity::Error, cm_timeout, "m"),
            "a.example.com",
            Some(&a)
        ));
        let timeout = Some("nginx.ingress.kubernetes.io/proxy-read-timeout");
        assert!(!check(
            note(Severity::Warning, timeout, "m"),
            "a.example.com",
            Some(&a)
        ));
        let rule1 = Some("spec.rules[1].http.paths[0]");
        assert!(check(
            note(Severity::Warning, rule1, "m"),
            "b.example.com",
            Some(&a)
        ));
        assert!(!check(
            note(Severity::Warning, rule1, "m"),
            "a.example.com",
            Some(&a)
        ));
        assert!(check(
            note(Severity::Error, None, "host a.example.com: x"),
            "a.example.com",
            Some(&a)
        ));
        assert!(!check(
            note(Severity::Error, None, "host c.example.com"),
            "a.example.com",
            Some(&a)
        ));
        // b.example.com has no rule of its own in an Ingress with host-less rules
        // only: the catch-all case (input() has none, so the message must name it).
        assert!(!check(
            note(Severity::Warning, None, "host (any host): x"),
            "c.example.com",
            Some(&a)
        ));
        // Default backend: any Ingress with a rule for the host may explain.
        assert!(check(
            note(Severity::Warning, regex, "m"),
            "b.example.com",
            None
        ));
        assert!(!check(
            note(Severity::Warning, regex, "m"),
            "c.example.com",
            None
        ));
    }

    #[test]
    fn a_controller_notification_explains_requests_under_its_path() {
        let input = input();
        let mut n = Notification::info(Code("catch-all-healthz"), "m");
        n.field = Some("/healthz".into());
        let notes = [n];
        let e = Explainer::new(&input, &notes, "nginx.ingress.kubernetes.io/");
        let s = Outcome::Status { status: 200 };
        assert!(
            e.candidate("unknown.invalid", "/healthzx", None, &s, None)
                .is_some()
        );
        assert!(
            e.candidate("unknown.invalid", "/other", None, &s, None)
                .is_none()
        );
        let a = ObjectRef::new("Ingress", Some("default"), "a");
        assert!(
            e.candidate("a.example.com", "/healthz", Some(&a), &s, None)
                .is_none()
        );
    }

    #[test]
    fn a_canary_ingress_explains_when_its_backend_was_chosen() {
        let text = "apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: canary
  namespace: default
  annotations: {nginx.ingress.kubernetes.io/canary: \"true\"}
spec:
  rules:
  - host: a.example.com
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: new, port: {number: 80}}}}]}
";
        let input = crate::pipeline::load(&[SourceFile {
            name: "c.yaml".into(),
            text: Arc::from(text),
        }])
        .input;
        let mut n = Notification::warning(Code("x"), "m").object(&ObjectRef::new(
            "Ingress",
            Some("default"),
            "canary",
        ));
        n.field = Some("nginx.ingress.kubernetes.io/canary-weight".into());
        let notes = [n];
        let e = Explainer::new(&input, &notes, "nginx.ingress.kubernetes.io/");
        let prod = ObjectRef::new("Ingress", Some("default"), "prod");
        let to = |name: &str| Outcome::Backend {
            service: crate::verify::request::ServiceTarget {
                namespace: "default".into(),
                name: name.into(),
                port: "80".into(),
            },
            uri: "/".into(),
            headers: Default::default(),
        };
        assert!(
            e.candidate("a.example.com", "/", Some(&prod), &to("new"), None)
                .is_some()
        );
        assert!(
            e.candidate("a.example.com", "/", Some(&prod), &to("old"), None)
                .is_none()
        );
        assert!(
            e.candidate("b.example.com", "/", Some(&prod), &to("new"), None)
                .is_none()
        );
    }

    #[test]
    fn the_ingress_behind_the_deciding_route_rule_explains() {
        let input = input();
        let route = "apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: r
  namespace: default
  annotations: {ing2gw.io/sources: 'default/a,default/ab'}
spec:
  rules:
  - name: a-r0-p0
  - name: ab-r0-p0
  - name: redirect-to-https
";
        let mut report = crate::report::Report::default();
        let objects = crate::gwapi::decode_gateway_objects(
            &[SourceFile {
                name: "r.yaml".into(),
                text: Arc::from(route),
            }],
            &mut report,
        )
        .objects;
        let mut n = note(Severity::Warning, None, "host a.example.com: wildcard");
        n.object = Some(ObjectRef::new("Ingress", Some("default"), "a"));
        let notes = [n];
        let e = Explainer::new(&input, &notes, "nginx.ingress.kubernetes.io/")
            .with_rule_sources(&objects);
        let other = ObjectRef::new("Ingress", Some("default"), "other");
        let s = Outcome::Status { status: 404 };
        let rule = |r: &str| ("default".to_string(), "r".to_string(), r.to_string());
        assert!(
            e.candidate(
                "a.example.com",
                "/",
                Some(&other),
                &s,
                Some(&rule("a-r0-p0"))
            )
            .is_some()
        );
        assert!(
            e.candidate(
                "a.example.com",
                "/",
                Some(&other),
                &s,
                Some(&rule("ab-r0-p0"))
            )
            .is_none()
        );
        assert!(
            e.candidate(
                "a.example.com",
                "/",
                Some(&other),
                &s,
                Some(&rule("redirect-to-https"))
            )
            .is_none()
        );
    }

    #[test]
    fn a_host_level_note_on_a_host_less_ingress_covers_the_catch_all() {
        let text = "apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: ui, namespace: default}
spec:
  rules:
  - http: {paths: [{path: /ui, pathType: Prefix, backend: {service: {name: ui, port: {number: 80}}}}]}
  - host: named.example.com
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: ui, port: {number: 80}}}}]}
";
        let input = crate::pipeline::load(&[SourceFile {
            name: "h.yaml".into(),
            text: Arc::from(text),
        }])
        .input;
        let ui = ObjectRef::new("Ingress", Some("default"), "ui");
        let s = Outcome::Status { status: 404 };
        let explains = |message: &str| {
            let notes = [Notification::warning(Code("x"), message).object(&ui)];
            Explainer::new(&input, &notes, "nginx.ingress.kubernetes.io/")
                .candidate("unknown.invalid", "/UI", Some(&ui), &s, None)
                .is_some()
        };
        assert!(explains("path `/ui` on host (any host): case differs"));
        assert!(!explains(
            "path `/` on host named.example.com: case differs"
        ));
    }

    /// Issue 11: only a notification naming the request's path (field or quoted
    /// path) or its exact behaviour explains; any warning on the host does not.
    #[test]
    fn a_divergence_is_explained_only_by_its_path_or_behaviour() {
        let input = input();
        let a = ObjectRef::new("Ingress", Some("default"), "a");
        let redirect = |to: &str| Outcome::Redirect {
            status: 308,
            location: to.into(),
        };
        let backend = Outcome::Status { status: 404 };
        let explains = |n: Notification, nginx: &Outcome, gateway: &Outcome, location: &str| {
            let notes = [n];
            let e = Explainer::new(&input, &notes, "nginx.ingress.kubernetes.io/");
            e.explain(&Divergence {
                scheme: Scheme::Http,
                host: "a.example.com",
                path: "/x",
                ingress: Some(&a),
                nginx_location: Some(location),
                nginx_outcome: nginx,
                gateway_outcome: gateway,
                gateway_rule: None,
            })
            .is_some()
        };
        let s500 = Outcome::Status { status: 500 };
        let other_path = note(
            Severity::Warning,
            None,
            "host a.example.com: `/other` differs",
        );
        assert!(!explains(other_path, &backend, &s500, "location \"/\""));
        let this_path = note(Severity::Warning, None, "host a.example.com: `/` differs");
        assert!(explains(this_path, &backend, &s500, "location \"/\""));
        let by_field = note(
            Severity::Warning,
            Some("spec.rules[0].http.paths[0].backend"),
            "m",
        );
        assert!(explains(by_field, &backend, &s500, "location \"/\""));
        let annotation_only = note(
            Severity::Warning,
            Some("nginx.ingress.kubernetes.io/use-regex"),
            "m",
        );
        assert!(!explains(
            annotation_only,
            &backend,
            &s500,
            "location \"/\""
        ));
        let mut slash = note(
            Severity::Warning,
            None,
            "host a.example.com: trailing slash",
        );
        slash.code = Code("ssl-redirect-trailing-slash");
        let (stripped, kept) = (
            redirect("https://a.example.com/x"),
            redirect("https://a.example.com/x/"),
        );
        assert!(explains(slash.clone(), &stripped, &kept, "location \"/\""));
        assert!(!explains(slash, &backend, &s500, "location \"/\""));
    }

    /// Corpus 006 and 038: the controller's default `/` is no Ingress path, and
    /// a lost auth-signin explains only "same auth, same backend, no sign-in".
    #[test]
    fn default_location_and_lost_sign_in() {
        let input = input();
        let a = ObjectRef::new("Ingress", Some("default"), "a");
        let explains =
            |n: Notification, ingress: Option<&ObjectRef>, nginx: &Outcome, gateway: &Outcome| {
                let notes = [n];
                let e = Explainer::new(&input, &notes, "nginx.ingress.kubernetes.io/");
                e.explain(&Divergence {
                    scheme: Scheme::Https,
                    host: "a.example.com",
                    path: "/",
                    ingress,
                    nginx_location: Some("location \"/\""),
                    nginx_outcome: nginx,
                    gateway_outcome: gateway,
                    gateway_rule: None,
                })
                .is_some()
            };
        let (s404, s500) = (
            Outcome::Status { status: 404 },
            Outcome::Status { status: 500 },
        );
        let quotes_slash = note(
            Severity::Warning,
            None,
            "host a.example.com: ReplacePrefixMatch `/`",
        );
        assert!(explains(quotes_slash.clone(), Some(&a), &s404, &s500));
        assert!(!explains(quotes_slash, None, &s404, &s500));
        let backend = Outcome::Status { status: 200 };
        let auth = |signin: Option<&str>, service: &str| Outcome::ExternalAuth {
            service: service.into(),
            signin: signin.map(String::from),
            then: Box::new(backend.clone()),
        };
        let mut lost = note(
            Severity::Warning,
            Some("nginx.ingress.kubernetes.io/auth-signin"),
            "`auth-signin` has no equivalent",
        );
        lost.code = Code("auth-approximated");
        let with = auth(Some("https://login.example.com"), "auth/svc:80");
        assert!(explains(
            lost.clone(),
            Some(&a),
            &with,
            &auth(None, "auth/svc:80")
        ));
        assert!(!explains(
            lost.clone(),
            Some(&a),
            &with,
            &auth(None, "other/svc:80")
        ));
        assert!(!explains(lost.clone(), Some(&a), &with, &s500));
        lost.field = Some("nginx.ingress.kubernetes.io/auth-url".into());
        assert!(!explains(lost, Some(&a), &with, &auth(None, "auth/svc:80")));
    }

    #[test]
    fn locations_and_rule_names_give_their_ingress_path() {
        assert_eq!(location_path("location = \"/x\"").as_deref(), Some("/x"));
        assert_eq!(location_path("location \"/x/\"").as_deref(), Some("/x/"));
        assert_eq!(
            location_path("location ~* \"^/items/\\\\d+\"").as_deref(),
            Some("/items/\\d+")
        );
        assert_eq!(rule_indices("app-r2-p10"), Some((2, 10)));
        assert_eq!(rule_indices("app-r0-p1-canary-header"), Some((0, 1)));
        assert_eq!(rule_indices("app-r0-p1-redirect"), Some((0, 1)));
        assert_eq!(rule_indices("redirect-to-https"), None);
    }
}
