//! canary, canary-weight, -weight-total, -by-header, -by-header-value,
//! -by-header-pattern, -by-cookie.
//!
//! ## What ingress-nginx does
//! A canary Ingress creates no locations. Each of its rules (host, raw path,
//! pathType) names a primary location; the canary's Service port is attached as an
//! *alternative backend* to that location's **upstream** (`ns-svc-port`), so every
//! host/path routing to the same Service port is canaried, not only the one named
//! (kubernetes/ingress-nginx#4667). Only one canary per upstream counts. Per
//! request (`balancer.lua`), first decision wins: affinity cookie; header
//! `by-header`: equal to `by-header-value` → canary, else if
//! `by-header-pattern` (unanchored PCRE) matches → canary, else `always` → canary,
//! `never` → primary, anything else falls through; cookie `by-cookie`: `always` /
//! `never`; weight: canary with probability weight / total (total =
//! `canary-weight-total` when > 100, else 100). canary-* keys without
//! `canary: "true"` are dropped and the Ingress is a normal one. Other annotations
//! of a canary Ingress are ignored except load-balance, upstream-hash-by, affinity.
//! If the canary's own Service port is also a primary backend, the canary never
//! fires (#9458) or, when the canary Ingress is older, the other paths are dropped
//! (#8004).
//!
//! ## What Gateway API offers
//! Header matches (Exact, RegularExpression) and weighted backendRefs. Among rules
//! with the same path, more header matches win, then rule order.
//!
//! ## What we emit
//! For every primary rule on the canaried Service port: before it, rules with the
//! same path plus a header match — header `always`/value/pattern → canary,
//! `never` → primary, then the `Cookie` header (regex on `name=always` /
//! `name=never`) — and the rule itself with weighted backendRefs.
//!
//! A canary Ingress of another namespace than its primary is merged all the same
//! (ingress-nginx matches host/path, not namespace): the primary's HTTPRoute then
//! references the canary Service across namespaces, which needs a ReferenceGrant in
//! the canary's namespace — emitted only with `--allow-cross-namespace-grants`
//! (`emit/grants.rs`).
//!
//! ## What we warn
//! Every host/path the canary affects (naming those beyond the canary's own
//! rules), canaries that never fire or have no primary, PCRE patterns, the affinity
//! step, and annotations ignored on the canary Ingress. A cross-namespace canary
//! names both namespaces: an error (its share answers 500 without the grant), or a
//! warning saying what the flag granted.

use super::annotated::{self, note};
use super::ingress_rules::{resolve_backend, rule_paths, written_path};
use super::{Pass, PassContext};
use crate::input::InputIngress;
use crate::ir::*;
use crate::report::{Code, ObjectRef, Report, Severity};
use std::collections::{BTreeMap, BTreeSet, HashMap};

pub const CANARY: Code = Code("canary");
pub const CANARY_SCOPE: Code = Code("canary-upstream-scope");
pub const CANARY_INEFFECTIVE: Code = Code("canary-ineffective");
pub const CANARY_NOT_ENABLED: Code = Code("canary-not-enabled");
pub const CANARY_CROSS_NAMESPACE: Code = Code("canary-cross-namespace");

const KEYS: &[&str] = &[
    "canary",
    "canary-weight",
    "canary-weight-total",
    "canary-by-header",
    "canary-by-header-value",
    "canary-by-header-pattern",
    "canary-by-cookie",
];

/// Annotations a canary Ingress keeps (everything else is ignored on it).
const KEPT_ON_CANARY: &[&str] = &[
    "load-balance",
    "upstream-hash-by",
    "affinity",
    "session-cookie",
];

/// The traffic policy of a canary Ingress.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CanaryPolicy {
    pub header: Option<String>,
    pub header_value: Option<String>,
    pub header_pattern: Option<String>,
    pub cookie: Option<String>,
    pub weight: u32,
    pub total: u32,
}

impl CanaryPolicy {
    /// The header/cookie rules, in decision order: (match, goes to canary).
    pub fn matches(&self) -> Vec<(HeaderMatch, bool, &'static str)> {
        let mut out = Vec::new();
        if let Some(h) = &self.header {
            if let Some(v) = &self.header_value {
                out.push((exact(h, v), true, "canary-header"));
            } else if let Some(p) = &self.header_pattern {
                out.push((
                    HeaderMatch {
                        name: h.clone(),
                        value: StringMatch::Regex(format!(".*(?:{p}).*")),
                    },
                    true,
                    "canary-header",
                ));
            } else {
                out.push((exact(h, "always"), true, "canary-header"));
                out.push((exact(h, "never"), false, "canary-header-never"));
            }
        }
        if let Some(c) = &self.cookie {
            out.push((cookie(c, "always"), true, "canary-cookie"));
            out.push((cookie(c, "never"), false, "canary-cookie-never"));
        }
        out
    }
}

fn exact(name: &str, value: &str) -> HeaderMatch {
    HeaderMatch {
        name: name.to_string(),
        value: StringMatch::Exact(value.to_string()),
    }
}

/// A `Cookie` header regex (full-match) for cookie `name` having exactly `value`.
pub fn cookie(name: &str, value: &str) -> HeaderMatch {
    HeaderMatch {
        name: "Cookie".into(),
        value: StringMatch::Regex(format!(
            "(.*;\\s*)?{}={}(;.*)?",
            regex_syntax::escape(name),
            regex_syntax::escape(value)
        )),
    }
}

/// Parses the canary-* annotations (invalid values fall back to the defaults).
fn policy(cx: &PassContext, ing: &InputIngress, report: &mut Report) -> CanaryPolicy {
    let basic = |key: &str, report: &mut Report| -> Option<String> {
        let v = annotated::value(cx, ing, key)?.trim();
        if annotated::is_basic_chars(v) {
            Some(v.to_string())
        } else {
            if !annotated::invalid_reported(cx, key, v) {
                report.push(note(cx, ing, key, Severity::Warning, CANARY, format!("`{v}` fails ingress-nginx's validation (letters, digits, `/-._~:`): the controller ignores {key}")));
            }
            None
        }
    };
    let header = basic("canary-by-header", report);
    let header_value = basic("canary-by-header-value", report);
    let header_pattern = annotated::value(cx, ing, "canary-by-header-pattern")
        .map(|p| p.trim().to_string())
        .filter(|p| match regex::Regex::new(p) {
            Ok(_) => true,
            Err(_) => {
                report.push(note(cx, ing, "canary-by-header-pattern", Severity::Warning, CANARY, format!("`{p}` is not a regular expression Gateway API (RE2) accepts; the pattern rule is not emitted (ingress-nginx routes to the primary when its PCRE fails)")));
                false
            }
        });
    let cookie = basic("canary-by-cookie", report);
    let int = |key: &str, default: i64, report: &mut Report| match annotated::int(cx, ing, key) {
        Some(Ok(v)) => v,
        Some(Err(raw)) => {
            if !annotated::invalid_reported(cx, key, &raw) {
                report.push(note(
                    cx,
                    ing,
                    key,
                    Severity::Warning,
                    CANARY,
                    format!("`{raw}` is not an integer: ingress-nginx uses {default}"),
                ));
            }
            default
        }
        None => default,
    };
    // Go parses up to i64::MAX; saturate rather than wrap (a wrapped weight of
    // 2^32 would become 0).
    let saturate = |v: i64| u32::try_from(v.max(0)).unwrap_or(u32::MAX);
    let weight = saturate(int("canary-weight", 0, report));
    let total = int("canary-weight-total", 100, report);
    let total = if total > 100 { saturate(total) } else { 100 };
    if header.is_none() && (header_value.is_some() || header_pattern.is_some()) {
        report.push(note(
            cx,
            ing,
            "canary-by-header-value",
            Severity::Info,
            CANARY,
            "canary-by-header-value/-pattern without canary-by-header: ingress-nginx ignores them",
        ));
    }
    CanaryPolicy {
        header,
        header_value,
        header_pattern,
        cookie,
        weight,
        total,
    }
}

pub struct CanaryPass;

/// Who routes to which Service port, from one scan of every rule: the canary
/// checks look these up per canary path, and a scan per path made the pass
/// quadratic.
struct BackendUsers {
    /// The Ingress of the first rule (host id order, then rule order) forwarding
    /// to each Service port.
    first_user: HashMap<(String, String, u16), Option<ObjectRef>>,
    /// The hosts with a rule forwarding only to one (unweighted) backend: the
    /// rules a canary of that backend splits.
    sole_backend_hosts: BTreeMap<Backend, BTreeSet<HostId>>,
}

impl BackendUsers {
    fn of(ir: &Ir) -> Self {
        let mut first_user = HashMap::new();
        let mut sole_backend_hosts: BTreeMap<Backend, BTreeSet<HostId>> = BTreeMap::new();
        for host in ir.hosts.values() {
            for rule in host.rules.iter() {
                let Action::Forward(backends) = &rule.action else {
                    continue;
                };
                for b in backends {
                    first_user
                        .entry((b.namespace.clone(), b.service.clone(), b.port))
                        .or_insert_with(|| rule.from.object.clone());
                }
                if let [b] = backends.as_slice()
                    && b.weight.is_none()
                {
                    sole_backend_hosts
                        .entry(b.clone())
                        .or_default()
                        .insert(host.id.clone());
                }
            }
        }
        BackendUsers {
            first_user,
            sole_backend_hosts,
        }
    }
}

/// The canaries attached so far, with their positions by primary upstream and
/// by canary Ingress: a scan of the list per canary path made the pass
/// quadratic in the number of canaries (5,000 at 100k Ingresses).
#[derive(Default)]
struct Attachments<'a> {
    list: Vec<Attached<'a>>,
    /// The first (and only) attachment of each primary upstream.
    by_primary: BTreeMap<Backend, usize>,
    /// The attachments of each canary Ingress, ascending.
    by_ingress: HashMap<ObjectRef, Vec<usize>>,
}

impl<'a> Attachments<'a> {
    fn of_primary(&self, primary: &Backend) -> Option<&Attached<'a>> {
        self.by_primary.get(primary).map(|&i| &self.list[i])
    }

    fn push(&mut self, a: Attached<'a>) {
        let at = self.list.len();
        self.by_primary.entry(a.primary.clone()).or_insert(at);
        self.by_ingress
            .entry(a.ing.obj.clone())
            .or_default()
            .push(at);
        self.list.push(a);
    }

    /// Sets what `obj`'s canary paths name on each of its attachments.
    fn name_paths(&mut self, obj: &ObjectRef, named: &[(HostKey, String)]) {
        for &i in self.by_ingress.get(obj).into_iter().flatten() {
            self.list[i].named = named.to_vec();
        }
    }
}

/// One canary attached to a primary upstream.
struct Attached<'a> {
    ing: &'a InputIngress,
    primary: Backend,
    canary: Backend,
    policy: CanaryPolicy,
    /// (host, path) pairs the canary Ingress names itself.
    named: Vec<(HostKey, String)>,
}

impl Pass for CanaryPass {
    fn name(&self) -> &'static str {
        "canary"
    }
    fn annotations(&self) -> &'static [&'static str] {
        KEYS
    }
    fn run(&self, cx: &PassContext, ir: &mut Ir, report: &mut Report) {
        let mut attached = Attachments::default();
        // Built on the first canary: most inputs have none.
        let mut users: Option<BackendUsers> = None;
        for (index, ing) in cx.ingresses.iter().enumerate() {
            if !cx.is_canary(ing) {
                let set: Vec<&str> = KEYS[1..]
                    .iter()
                    .copied()
                    .filter(|k| cx.annotation(ing, k).is_some())
                    .collect();
                if set.is_empty()
                    && let Some(v) = cx.annotation(ing, "canary")
                {
                    report.push(note(
                        cx,
                        ing,
                        "canary",
                        Severity::Info,
                        CANARY,
                        format!("canary `{v}` is not true: a normal Ingress, nothing to translate"),
                    ));
                }
                // The controller-validation screen already reports a dropped canary group.
                let reported = cx
                    .verdicts
                    .is_dropped(&ing.obj, crate::catalog::Family::Canary);
                if let Some(first) = set.first().filter(|_| !reported) {
                    report.push(note(cx, ing, first, Severity::Warning, CANARY_NOT_ENABLED, format!("{} set without `canary: \"true\"`: ingress-nginx drops the canary settings and serves this Ingress as a normal (primary) one, which is what is translated", set.join(", "))));
                }
                continue;
            }
            ignored_annotations(cx, ing, report);
            let gateway = cx.gateway_for(index);
            let users = users.get_or_insert_with(|| BackendUsers::of(ir));
            attach(cx, ing, &gateway, ir, users, &mut attached, report);
        }
        if let Some(users) = &users {
            for a in &attached.list {
                apply(cx, a, ir, users, report);
            }
        }
    }
}

fn ignored_annotations(cx: &PassContext, ing: &InputIngress, report: &mut Report) {
    let prefix = &cx.options.annotation_prefix;
    let ignored: Vec<&str> = ing
        .annotations()
        .keys()
        .filter_map(|k| k.strip_prefix(prefix.as_str()))
        .filter(|k| !KEYS.contains(k) && !KEPT_ON_CANARY.iter().any(|p| k.starts_with(p)))
        .collect();
    if !ignored.is_empty() {
        report.push(note(cx, ing, "canary", Severity::Warning, CANARY, format!("on a canary Ingress ingress-nginx ignores every annotation except canary-*, load-balance, upstream-hash-by and affinity; ignored here: {}", ignored.join(", "))).suggest("canaried requests get the primary Ingress's settings (its location), as in ingress-nginx"));
    }
}

fn attach<'a>(
    cx: &PassContext,
    ing: &'a InputIngress,
    gateway: &GatewayId,
    ir: &Ir,
    users: &BackendUsers,
    attached: &mut Attachments<'a>,
    report: &mut Report,
) {
    let policy = policy(cx, ing, report);
    let mut named = Vec::new();
    for (ri, rule) in ing.rules().iter().enumerate() {
        let host = HostKey::of_rule(rule.host.as_deref());
        for (pi, p) in rule_paths(rule).iter().enumerate() {
            let raw = written_path(p);
            let exact = p.path_type == "Exact";
            let field = format!("spec.rules[{ri}].http.paths[{pi}].backend");
            let Some(canary) = resolve_backend(cx, ing, &p.backend, &field, report) else {
                report.push(note(cx, ing, "canary", Severity::Warning, CANARY_INEFFECTIVE, format!("canary path `{raw}`: its backend cannot be resolved (see unresolved-backend), so no canary is emitted for it")));
                continue;
            };
            let id = HostId {
                gateway: gateway.clone(),
                host: host.clone(),
            };
            let primary = ir.hosts.get(&id).and_then(|h| {
                h.rules.iter().find(|r| {
                    r.from.path.is_some()
                        && r.source_path.path == raw
                        && r.source_path.path_type.is_exact() == exact
                })
            });
            let Some(primary) = primary else {
                report.push(note(cx, ing, "canary", Severity::Warning, CANARY_INEFFECTIVE, format!("canary path `{raw}` on host {host} matches no primary Ingress path in the input (same host, path and pathType): ingress-nginx deletes this canary backend, nothing is emitted for it")));
                continue;
            };
            let primary_backend = match &primary.action {
                Action::Forward(backends) => backends.first().cloned(),
                Action::Redirect(_) => None,
            };
            let Some(primary_backend) = primary_backend else {
                report.push(note(cx, ing, "canary", Severity::Warning, CANARY_INEFFECTIVE, format!("canary path `{raw}` on host {host}: the primary rule has no resolvable backend or redirects, so no canary is emitted for it")));
                continue;
            };
            named.push((host.clone(), raw.clone()));
            if let Some(other) = attached.of_primary(&primary_backend) {
                if other.ing.obj != ing.obj {
                    report.push(note(cx, ing, "canary", Severity::Warning, CANARY_INEFFECTIVE, format!("Service {}/{} port {} already has the canary of {}: ingress-nginx consults only one canary per upstream, this one is not emitted", primary_backend.namespace, primary_backend.service, primary_backend.port, other.ing.obj)));
                }
                continue;
            }
            // The canary's own Service port must not be a primary backend anywhere.
            let shared = users.first_user.get(&(
                canary.namespace.clone(),
                canary.service.clone(),
                canary.port,
            ));
            if let Some(first) = shared {
                let owner = first.as_ref().map(|o| o.to_string()).unwrap_or_default();
                report.push(note(cx, ing, "canary", Severity::Error, CANARY_INEFFECTIVE, format!("the canary Service {}/{} port {} is also a normal backend (of {owner}): in ingress-nginx the canary then never fires (#9458) or, if the canary Ingress is older, the other Ingress's paths on it are dropped (#8004); the canary is not emitted", canary.namespace, canary.service, canary.port)).suggest("give the canary its own Service"));
                continue;
            }
            attached.push(Attached {
                ing,
                primary: primary_backend,
                canary,
                policy: policy.clone(),
                named: Vec::new(),
            });
        }
    }
    attached.name_paths(&ing.obj, &named);
}

fn apply(cx: &PassContext, a: &Attached, ir: &mut Ir, users: &BackendUsers, report: &mut Report) {
    let p = &a.policy;
    let header_rules = p.matches();
    let mut affected = Vec::new();
    // Splitting rules adds only rules routing to this primary or its canary (which
    // is nobody's primary), so the hosts found before the first split stay valid.
    for id in users
        .sole_backend_hosts
        .get(&a.primary)
        .into_iter()
        .flatten()
    {
        let Some(host) = ir.hosts.get_mut(id) else {
            continue;
        };
        let host_key = host.id.host.clone();
        host.rules.rebuild(|rules| {
        let mut out = Vec::with_capacity(rules.len());
        for rule in rules {
            let targets = matches!(&rule.action, Action::Forward(b) if b.len() == 1 && b[0].weight.is_none() && b[0] == a.primary);
            if !targets {
                out.push(rule);
                continue;
            }
            affected.push((
                host_key.clone(),
                rule.source_path.path.clone(),
                rule.from.object.clone(),
            ));
            for (m, to_canary, suffix) in &header_rules {
                let mut derived = rule.clone();
                derived.name = format!("{}-{suffix}", rule.name);
                for mm in &mut derived.matches {
                    mm.headers.push(m.clone());
                }
                let backend = if *to_canary {
                    a.canary.clone()
                } else {
                    a.primary.clone()
                };
                derived.action = Action::Forward(vec![backend]);
                out.push(derived);
            }
            let mut base = rule;
            if p.weight > 0 {
                let w = p.weight.min(p.total);
                base.action = Action::Forward(vec![
                    Backend {
                        weight: Some(p.total - w),
                        ..a.primary.clone()
                    },
                    Backend {
                        weight: Some(w),
                        ..a.canary.clone()
                    },
                ]);
            }
            out.push(base);
        }
        out
        });
    }
    let ing = a.ing;
    let mut parts = Vec::new();
    if let Some(h) = &p.header {
        parts.push(match (&p.header_value, &p.header_pattern) {
            (Some(v), _) => format!("header `{h}: {v}` → canary"),
            (None, Some(pat)) => format!("header `{h}` matching `{pat}` → canary (PCRE in nginx, RE2 here; unanchored as in nginx)"),
            _ => format!("header `{h}: always` → canary, `never` → primary"),
        });
    }
    if let Some(c) = &p.cookie {
        parts.push(format!("cookie `{c}=always` → canary, `never` → primary"));
    }
    if p.weight > 0 {
        parts.push(format!("weight {}/{}", p.weight.min(p.total), p.total));
    }
    if parts.is_empty() {
        parts.push("no header, cookie or weight: the canary receives no traffic".into());
    }
    report.push(note(cx, ing, "canary", Severity::Info, CANARY, format!("canary {}/{} port {} for {}/{} port {}: {}; ingress-nginx first honours an existing affinity cookie, which Gateway API cannot", a.canary.namespace, a.canary.service, a.canary.port, a.primary.namespace, a.primary.service, a.primary.port, parts.join("; "))));
    if a.canary.namespace != a.primary.namespace && !affected.is_empty() {
        cross_namespace(cx, a, report);
    }
    let list: Vec<String> = affected
        .iter()
        .map(|(h, path, obj)| {
            let extra = if a.named.iter().any(|(nh, np)| nh == h && np == path) {
                ""
            } else {
                " (not named by the canary Ingress)"
            };
            format!(
                "{h} {path} [{}]{extra}",
                obj.as_ref().map(|o| o.to_string()).unwrap_or_default()
            )
        })
        .collect();
    let beyond = list.iter().any(|l| l.ends_with("Ingress)"));
    report.push(
        note(cx, ing, "canary", if beyond { Severity::Warning } else { Severity::Info }, CANARY_SCOPE, format!("ingress-nginx binds the canary to the Service port {}/{}:{} (the upstream), not to a host/path: every rule routing to it is canaried, and so is the translation: {}", a.primary.namespace, a.primary.service, a.primary.port, list.join(", ")))
            .suggest("if only the canary's own paths should be split, give the other paths a different Service; then remove the extra rules"),
    );
}

/// `w` of `total` as a percentage, without a spurious fraction.
fn percent(w: u32, total: u32) -> String {
    let total = u64::from(total.max(1));
    let scaled = u64::from(w) * 1000 / total;
    if scaled % 10 == 0 {
        format!("{}%", scaled / 10)
    } else {
        format!("{}.{}%", scaled / 10, scaled % 10)
    }
}

/// ingress-nginx attaches a canary to the primary upstream whatever the two
/// Ingresses' namespaces; in Gateway API the primary's HTTPRoute must reference the
/// canary Service across namespaces, which needs a ReferenceGrant in the canary's
/// namespace (opening that Service to every HTTPRoute of the primary's).
fn cross_namespace(cx: &PassContext, a: &Attached, report: &mut Report) {
    let p = &a.policy;
    let (from, to) = (&a.primary.namespace, &a.canary.namespace);
    let mut share = Vec::new();
    if p.weight > 0 {
        share.push(format!(
            "the canary's share ({})",
            percent(p.weight.min(p.total), p.total)
        ));
    }
    if p.header.is_some() || p.cookie.is_some() {
        share.push("the requests its header/cookie sends to the canary".to_string());
    }
    let share = if share.is_empty() {
        "no request (the canary gets no traffic)".to_string()
    } else {
        share.join(" and ")
    };
    let what = format!(
        "canary {} (namespace {to}) is merged into the routes of Service {from}/{} (namespace {from}), as ingress-nginx merges canaries across namespaces; the HTTPRoutes of {from} now reference Service {to}/{}",
        a.ing.obj, a.primary.service, a.canary.service
    );
    let n = if cx.options.allow_cross_namespace_grants {
        note(cx, a.ing, "canary", Severity::Warning, CANARY_CROSS_NAMESPACE, format!("{what}, granted by a ReferenceGrant in {to} (--allow-cross-namespace-grants) that lets every HTTPRoute of {from} use {to}/{}", a.canary.service))
            .suggest(format!("make sure namespace {from} may use Service {to}/{}", a.canary.service))
    } else {
        note(cx, a.ing, "canary", Severity::Error, CANARY_CROSS_NAMESPACE, format!("{what}: {share} will answer 500 without a ReferenceGrant, which is emitted only with --allow-cross-namespace-grants"))
            .suggest(format!("pass --allow-cross-namespace-grants if every HTTPRoute of {from} may use Service {to}/{}, or move the canary Ingress and its Service into {from}", a.canary.service))
    };
    report.push(n);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages() {
        assert_eq!(percent(10, 100), "10%");
        assert_eq!(percent(1, 3), "33.3%");
        assert_eq!(percent(0, 100), "0%");
    }

    #[test]
    fn header_precedence_order() {
        let p = CanaryPolicy {
            header: Some("X-Canary".into()),
            cookie: Some("canary".into()),
            weight: 10,
            total: 100,
            ..Default::default()
        };
        let m = p.matches();
        let names: Vec<&str> = m.iter().map(|x| x.2).collect();
        assert_eq!(
            names,
            vec![
                "canary-header",
                "canary-header-never",
                "canary-cookie",
                "canary-cookie-never"
            ]
        );
        assert!(m[0].1 && !m[1].1 && m[2].1 && !m[3].1);
    }

    #[test]
    fn header_value_overrides_always_never_and_pattern() {
        let p = CanaryPolicy {
            header: Some("X-Canary".into()),
            header_value: Some("beta".into()),
            header_pattern: Some("b.*".into()),
            ..Default::default()
        };
        let m = p.matches();
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].0.value, StringMatch::Exact("beta".into()));
    }

    #[test]
    fn cookie_regex_matches_only_the_exact_value() {
        let HeaderMatch {
            value: StringMatch::Regex(re),
            ..
        } = cookie("canary", "always")
        else {
            panic!("regex expected")
        };
        let re = regex::Regex::new(&format!("^(?:{re})$")).unwrap();
        assert!(re.is_match("canary=always"));
        assert!(re.is_match("a=1; canary=always; b=2"));
        assert!(!re.is_match("canary=alwaysx"));
        assert!(!re.is_match("xcanary=always"));
    }
}
