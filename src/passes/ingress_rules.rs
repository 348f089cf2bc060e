//! Hosts, paths and backends: the annotation-free core of every Ingress.
//!
//! ## What ingress-nginx does
//! One nginx `server` per host, created by the first Ingress (sorted order) with a
//! rule for it; that Ingress also owns the implicit `/` location, served by its
//! `spec.defaultBackend` or the controller's default backend (404). Rules without
//! `host` go to the catch-all server `_` only: a host that has its own server never
//! reaches them. Paths: empty → `/`; ImplementationSpecific and a missing pathType
//! are Prefix. Same host + path + pathType (in two Ingresses or twice in one):
//! the first wins, the later one is ignored — except that the check stops at the
//! first location with the same path, so after a same-path location of the other
//! type a same-type duplicate is added again (kubernetes/ingress-nginx#10090),
//! which nginx rejects on a plain host (reload fails). Prefix `/foo` and Prefix `/foo/` on one plain-mode host both
//! render `location "/foo/"`, which nginx rejects (`duplicate location`): the reload
//! fails and the controller keeps serving its previous configuration. Canary
//! Ingresses create no locations. Backends are Service ports; a named port is
//! resolved through the Service.
//!
//! ## What Gateway API offers
//! HTTPRoute rules with `Exact` and `PathPrefix` matches (segment-wise prefix, as
//! nginx's `"P/"` + `= "P"`), backendRefs to Service ports (numbers only).
//!
//! ## What we emit
//! One rule per Ingress path (Exact → Exact, Prefix/IS → PathPrefix), named after
//! its source; the owner's `spec.defaultBackend` as a `PathPrefix /` rule when no
//! Ingress defines `/`; a rule-less Ingress's `spec.defaultBackend` as the `/` of
//! the catch-all host. Paths Gateway API rejects as Exact/PathPrefix values (e.g.
//! `{`, `|`, spaces) become an equivalent escaped `RegularExpression`.
//!
//! ## What we warn
//! Path conflicts (naming winner and loser), duplicate-location reload failures,
//! unresolvable named ports and Resource backends (the rule then answers 500 until
//! fixed). Host-less rules that Gateway API also applies to named hosts are named
//! by the emitter, which knows each host's final `/` rules.

use super::{Pass, PassContext};
use crate::input::{InputIngress, TokenIndex};
use crate::ir::*;
use crate::report::{Code, Notification, ObjectRef, Report};
use k8s_openapi::api::core::v1::ServicePort;
use k8s_openapi::api::networking::v1::{HTTPIngressPath, IngressBackend, IngressRule};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use std::collections::{BTreeMap, BTreeSet};

pub const PATH_CONFLICT: Code = Code("path-conflict");
pub const DUPLICATE_LOCATION: Code = Code("duplicate-location");
pub const UNRESOLVED_BACKEND: Code = Code("unresolved-backend");
pub const SERVICE_PORT: Code = Code("service-port");
pub const CANARY_INGRESS: Code = Code("canary-ingress");
pub const HOSTLESS_RULES: Code = Code("hostless-rules");
pub const EMPTY_INGRESS: Code = Code("empty-ingress");
pub const PATH_AS_REGEX: Code = Code("path-as-regex");
pub const PATH_ENCODED: Code = Code("path-percent-encoded");
pub const DEFAULT_BACKEND_UNUSED: Code = Code("default-backend-unused");
pub const WILDCARD_DEPTH: Code = Code("wildcard-host-depth");

pub struct IngressRules;

impl Pass for IngressRules {
    fn name(&self) -> &'static str {
        "ingress-rules"
    }
    fn run(&self, cx: &PassContext, ir: &mut Ir, report: &mut Report) {
        // ingress-nginx creates the catch-all server `_` itself and lets the first
        // rule-less Ingress with a defaultBackend configure its `/` before any path
        // is added (`createServers`), whatever that Ingress's place in the order.
        let mut claimed_roots = BTreeSet::new();
        for (i, ing) in cx.ingresses.iter().enumerate() {
            let gateway = cx.gateway_for(i);
            ensure_gateway(ir, cx, i, &gateway);
            if !cx.is_canary(ing) && !has_rules(ing) {
                add_ruleless(cx, ing, &gateway, ir, &mut claimed_roots, report);
            }
        }
        // Path texts already defined per host: the duplicate checks below scan a
        // host's rules only for a path seen before (a host with thousands of
        // paths made that scan quadratic). A superset is safe: the scan decides.
        let mut defined: PathsDefined = ir
            .hosts
            .values()
            .flat_map(|h| {
                h.rules
                    .iter()
                    .filter(|r| r.from.path.is_some())
                    .map(|r| (h.id.clone(), r.source_path.path.clone()))
            })
            .collect();
        for (i, ing) in cx.ingresses.iter().enumerate() {
            if cx.is_canary(ing) {
                report.push(
                    Notification::info(CANARY_INGRESS, "canary Ingress: ingress-nginx creates no routes of its own for it; its backend is mixed into the primary Ingress's routes (see the canary notifications)")
                        .object(&ing.obj)
                        .span(cx.annotation_span(ing, "canary")),
                );
                continue;
            }
            if has_rules(ing) {
                let gateway = cx.gateway_for(i);
                add_ingress(cx, ing, &gateway, ir, &claimed_roots, &mut defined, report);
            }
        }
        unused_default_backends(cx, ir, report);
        finish_hosts(ir, report);
        wildcard_depth(cx, ir, report);
    }
}

/// nginx's `server_name *.example.com` matches exactly one more label (§2.4), a
/// Gateway API hostname wildcard one or more: deeper hosts change servers.
fn wildcard_depth(cx: &PassContext, ir: &Ir, report: &mut Report) {
    for host in ir.hosts.values() {
        let HostKey::Named(name) = &host.id.host else {
            continue;
        };
        let Some(domain) = name.strip_prefix("*.") else {
            continue;
        };
        let ingresses: BTreeSet<&crate::report::ObjectRef> = host
            .rules
            .iter()
            .filter_map(|r| r.from.object.as_ref())
            .chain(std::iter::once(&host.owner))
            .collect();
        for obj in ingresses {
            let span = cx.ingress(obj).and_then(|ing| ing.span_of(name));
            report.push(
                Notification::warning(WILDCARD_DEPTH, format!("host {name}: ingress-nginx's wildcard server matches exactly one more label (`a.{domain}`, not `a.b.{domain}`), a Gateway API wildcard hostname one or more: requests for deeper hosts such as `a.b.{domain}`, which ingress-nginx sent to the default backend (or another server), now reach these routes"))
                    .object(obj)
                    .span(span)
                    .suggest("if deeper hosts must not reach these routes, list the concrete hostnames, or add a more specific wildcard route (e.g. `*.b.example.com`) answering 404"),
            );
        }
    }
}

/// A ruled Ingress's defaultBackend serves only the hosts it created first; say
/// so when it created none, rather than dropping it silently.
fn unused_default_backends(cx: &PassContext, ir: &Ir, report: &mut Report) {
    let owners: BTreeSet<&crate::report::ObjectRef> = ir
        .hosts
        .values()
        .filter(|h| h.id.host != HostKey::CatchAll)
        .map(|h| &h.owner)
        .collect();
    for ing in &cx.ingresses {
        let has_default = ing
            .ingress
            .spec
            .as_ref()
            .is_some_and(|s| s.default_backend.is_some());
        if has_default && has_rules(ing) && !cx.is_canary(ing) && !owners.contains(&ing.obj) {
            report.push(
                Notification::info(DEFAULT_BACKEND_UNUSED, "spec.defaultBackend is not used: ingress-nginx uses it only for the hosts this Ingress creates first, and older Ingresses created all of its hosts (host-less rules go to the catch-all server, whose `/` only a rule-less Ingress sets)")
                    .object(&ing.obj)
                    .field("spec.defaultBackend")
                    .span(
                        ing.origin
                            .find_exact("defaultBackend:")
                            .or_else(|| ing.span_of("backend:")),
                    )
                    .suggest("remove it, or add a `/` path to the Ingress if unmatched requests should reach it"),
            );
        }
    }
}

/// The paths of an Ingress rule (none without `http`).
pub fn rule_paths(rule: &IngressRule) -> &[HTTPIngressPath] {
    rule.http
        .as_ref()
        .map(|h| h.paths.as_slice())
        .unwrap_or_default()
}

/// A path as ingress-nginx reads it: missing or empty is `/`.
pub fn written_path(p: &HTTPIngressPath) -> String {
    p.path
        .clone()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "/".into())
}

fn has_rules(ing: &InputIngress) -> bool {
    !ing.rules().is_empty()
}

/// A rule-less Ingress: its `spec.defaultBackend` is the catch-all server's `/`.
fn add_ruleless(
    cx: &PassContext,
    ing: &InputIngress,
    gateway: &GatewayId,
    ir: &mut Ir,
    claimed: &mut BTreeSet<HostId>,
    report: &mut Report,
) {
    let Some(default) = ing
        .ingress
        .spec
        .as_ref()
        .and_then(|s| s.default_backend.as_ref())
    else {
        report.push(
            Notification::warning(EMPTY_INGRESS, "Ingress has neither rules nor spec.defaultBackend; ingress-nginx serves nothing for it")
                .object(&ing.obj)
                .span(ing.doc_span()),
        );
        return;
    };
    let id = HostId {
        gateway: gateway.clone(),
        host: HostKey::CatchAll,
    };
    let host = ir
        .hosts
        .get_or_insert_with(&id, || new_host(id.clone(), ing, cx, report));
    if claimed.insert(id) {
        host.implicit_root.backend =
            resolve_backend(cx, ing, default, "spec.defaultBackend", report);
        host.implicit_root.from = Provenance::object(&ing.obj);
    } else {
        report.push(
            Notification::warning(
                PATH_CONFLICT,
                format!(
                    "spec.defaultBackend ignored: the catch-all `/` is already served by {}",
                    host.implicit_root
                        .from
                        .object
                        .as_ref()
                        .map(|o| o.to_string())
                        .unwrap_or_default()
                ),
            )
            .object(&ing.obj)
            .field("spec.defaultBackend")
            .span(ing.span_of("defaultBackend"))
            .suggest("keep one catch-all Ingress; ingress-nginx uses the oldest"),
        );
    }
}

fn ensure_gateway(ir: &mut Ir, cx: &PassContext, i: usize, id: &GatewayId) {
    ir.gateways.entry(id.clone()).or_insert_with(|| Gateway {
        id: id.clone(),
        gateway_class: cx.options.gateway_class_for(&cx.classes[i]),
        ingress_class: cx.classes[i].clone(),
        https: Default::default(),
        passthrough: Default::default(),
        client_validation: Default::default(),
        policy: Default::default(),
    });
}

fn new_host(id: HostId, ing: &InputIngress, cx: &PassContext, report: &mut Report) -> VirtualHost {
    // The catch-all server exists before any Ingress is read, so a ruled
    // Ingress's defaultBackend never becomes its `/` (see `add_ruleless`).
    let backend = match id.host {
        HostKey::Named(_) => ing
            .ingress
            .spec
            .as_ref()
            .and_then(|s| s.default_backend.as_ref())
            .and_then(|b| resolve_backend(cx, ing, b, "spec.defaultBackend", report)),
        HostKey::CatchAll => None,
    };
    VirtualHost {
        id,
        owner: ing.obj.clone(),
        rules: Rules::default(),
        tls: None,
        regex_mode: None,
        implicit_root: ImplicitRoot {
            backend,
            https_redirect: None,
            from: Provenance::object(&ing.obj),
        },
    }
}

/// (host, path text) of every path rule added so far.
type PathsDefined = std::collections::HashSet<(HostId, String)>;

fn add_ingress(
    cx: &PassContext,
    ing: &InputIngress,
    gateway: &GatewayId,
    ir: &mut Ir,
    claimed_roots: &BTreeSet<HostId>,
    defined: &mut PathsDefined,
    report: &mut Report,
) {
    // How often each path text was seen in this Ingress: a repeated path's span
    // points at its own occurrence.
    let mut seen_paths: BTreeMap<String, usize> = BTreeMap::new();
    let paths_at = path_index(ing);
    for (ri, rule) in ing.rules().iter().enumerate() {
        let key = HostKey::of_rule(rule.host.as_deref());
        let id = HostId {
            gateway: gateway.clone(),
            host: key,
        };
        ir.hosts
            .get_or_insert_with(&id, || new_host(id.clone(), ing, cx, report));
        for (pi, p) in rule_paths(rule).iter().enumerate() {
            let Some(host) = ir.hosts.get(&id) else {
                continue;
            };
            let raw = written_path(p);
            let path_type = match p.path_type.as_str() {
                "Exact" => SourcePathType::Exact,
                "Prefix" => SourcePathType::Prefix,
                "ImplementationSpecific" => SourcePathType::ImplementationSpecific,
                _ => SourcePathType::Unset,
            };
            let from = Provenance::from(ProvenanceData {
                object: Some(ing.obj.clone()),
                rule: Some(ri),
                path: Some(pi),
                annotation: None,
                span: {
                    let nth = seen_paths.entry(raw.clone()).or_default();
                    *nth += 1;
                    path_span(ing, paths_at.as_ref(), &raw, *nth - 1)
                },
            });
            // A rule-less Ingress's defaultBackend already is the catch-all `/`,
            // and it is not the controller's default: the path is "already configured".
            if raw == "/" && !path_type.is_exact() && claimed_roots.contains(&id) {
                report.push(
                    Notification::warning(
                        PATH_CONFLICT,
                        format!(
                            "host-less path `/` is ignored by ingress-nginx: the catch-all `/` is served by the spec.defaultBackend of {}",
                            host.implicit_root.from.object.as_ref().map(|o| o.to_string()).unwrap_or_default()
                        ),
                    )
                    .object(&ing.obj)
                    .field(format!("spec.rules[{ri}].http.paths[{pi}]"))
                    .span(from.span.clone())
                    .suggest("remove one of the two catch-all definitions"),
                );
                continue;
            }
            let kind = if path_type.is_exact() {
                "Exact"
            } else {
                "Prefix"
            };
            let same_type = |r: &&Rule| {
                r.source_path.path == raw
                    && r.source_path.path_type.is_exact() == path_type.is_exact()
                    && r.from.path.is_some()
            };
            // ingress-nginx's dedupe stops at the first location with the same
            // path (Prefix `/` replaces the implicit root instead).
            let seen_before = defined.contains(&(id.clone(), raw.clone()));
            let first_same_path = host
                .rules
                .iter()
                .filter(|_| seen_before)
                .find(|r| r.source_path.path == raw && r.from.path.is_some());
            let slips_through = (raw != "/" || path_type.is_exact())
                && first_same_path.is_some_and(|r| !same_type(&r));
            if let Some(winner) = host.rules.iter().filter(|_| seen_before).find(same_type) {
                let same_object = winner.from.object.as_ref() == Some(&ing.obj);
                let where_ = if same_object && in_document(ing, winner.from.span.as_ref()) {
                    format!(
                        "earlier in this Ingress (spec.rules[{}].http.paths[{}])",
                        winner.from.rule.unwrap_or_default(),
                        winner.from.path.unwrap_or_default()
                    )
                } else if same_object {
                    // Two documents with one namespace/name (e.g. the same manifest
                    // in two files): the cluster keeps only one of them.
                    format!(
                        "by another document of {}{} (the cluster keeps only one object of that name)",
                        ing.obj,
                        winner
                            .from
                            .span
                            .as_ref()
                            .map(|s| format!(" at {}:{}:{}", s.file, s.line, s.column))
                            .unwrap_or_default()
                    )
                } else {
                    format!(
                        "by {}",
                        winner
                            .from
                            .object
                            .as_ref()
                            .map(|o| o.to_string())
                            .unwrap_or_default()
                    )
                };
                let n = if slips_through {
                    // ingress-nginx#10090: the other-type location ends the loop
                    // before the same-type twin, so the twin is added again.
                    Notification::error(
                        DUPLICATE_LOCATION,
                        format!(
                            "path `{raw}` ({kind}) on host {} is already defined {where_}, but ingress-nginx's duplicate check stops at the first `{raw}` location, which has the other path type, so it adds this one again (kubernetes/ingress-nginx#10090): on a plain host nginx rejects the duplicate location, every reload fails and the controller keeps its last good configuration (in regex mode nginx accepts it and the first wins); the translation keeps only the first",
                            id.host
                        ),
                    )
                    .suggest("remove the duplicate path; the configuration live today may be older than these Ingresses")
                } else {
                    Notification::warning(
                        PATH_CONFLICT,
                        format!(
                            "path `{raw}` ({kind}) on host {} is already defined {where_}; ingress-nginx uses the first and ignores this one",
                            id.host
                        ),
                    )
                    .suggest("remove the duplicate path, or move it to the Ingress that should own it")
                };
                report.push(
                    n.object(&ing.obj)
                        .field(format!("spec.rules[{ri}].http.paths[{pi}]"))
                        .span(from.span.clone()),
                );
                continue;
            }
            let backend = resolve_backend(
                cx,
                ing,
                &p.backend,
                &format!("spec.rules[{ri}].http.paths[{pi}].backend"),
                report,
            );
            let path_match = path_match(&raw, path_type, &id.host, &ing.obj, &from, report);
            defined.insert((id.clone(), raw.clone()));
            ir.hosts.push_rule(
                &id,
                Rule::new(
                    ing.namespace(),
                    format!("{}-r{ri}-p{pi}", ing.name()),
                    path_match,
                    SourcePath::new(raw, path_type),
                    Action::Forward(backend.into_iter().collect()),
                    from,
                ),
            );
        }
    }
}

/// The ways a path is written: `path: P`, quoted or not, or JSON; the value
/// after each prefix ends with the closing quote of its form.
const PATH_FORMS: [(&str, &str); 4] = [
    ("path: ", ""),
    ("path: \"", "\""),
    ("path: '", "'"),
    ("\"path\": \"", "\""),
];

/// The [`PATH_FORMS`] prefixes of one Ingress's document, indexed once.
fn path_index(ing: &InputIngress) -> Option<TokenIndex<'_>> {
    let prefixes = PATH_FORMS.map(|(prefix, _)| prefix);
    ing.origin
        .document()
        .map(|doc| TokenIndex::new(doc, &prefixes))
}

/// Where a path is written: `path: P`, quoted or not, else the document.
/// The span of occurrence `nth` (from 0) of path `raw` in the Ingress's source.
fn path_span(
    ing: &InputIngress,
    index: Option<&TokenIndex<'_>>,
    raw: &str,
    nth: usize,
) -> Option<crate::input::SourceSpan> {
    PATH_FORMS
        .iter()
        .enumerate()
        .find_map(|(form, (prefix, close))| {
            let value = format!("{raw}{close}");
            match index.filter(|_| TokenIndex::indexable(&value)) {
                Some(index) => index
                    .nth_token(form, &value, nth)
                    .or_else(|| index.first(form, &value))
                    .and_then(|at| ing.origin.span_in_document(at, prefix.len() + value.len())),
                None => {
                    let needle = format!("{prefix}{value}");
                    ing.origin
                        .find_nth_token(&needle, nth)
                        .or_else(|| ing.origin.find_exact(&needle))
                }
            }
        })
        .or_else(|| ing.doc_span())
}

/// Exact/PathPrefix on the percent-encoded path (`paths::encode`: nginx
/// matches the decoded path, Gateway API the path as sent), or an escaped regex
/// when Gateway API would reject the value.
fn path_match(
    written: &str,
    t: SourcePathType,
    host: &HostKey,
    obj: &ObjectRef,
    from: &Provenance,
    report: &mut Report,
) -> PathMatch {
    let encoded = crate::paths::encode::encode_path(written);
    if encoded != written {
        report.push(
            Notification::warning(
                PATH_ENCODED,
                format!(
                    "path `{written}` on host {host} has characters a request carries percent-encoded: ingress-nginx matches the decoded path, Gateway API implementations the path as sent, so the match is on `{encoded}` (UTF-8, upper-case hex, as browsers send it); a client that spells it differently (lower-case hex, other bytes encoded, a raw character) reaches it only if the implementation normalises percent-encoding"
                ),
            )
            .object(obj)
            .span(from.span.clone())
            .suggest("test these requests on your implementation; prefer paths of plain URL characters"),
        );
    }
    let raw = encoded.as_str();
    if is_valid_gateway_path(raw) {
        return if t.is_exact() {
            PathMatch::Exact(raw.into())
        } else {
            PathMatch::Prefix(raw.into())
        };
    }
    let escaped = regex_syntax::escape(raw);
    report.push(
        Notification::info(PATH_AS_REGEX, format!("path `{raw}` is not a valid Gateway API Exact/PathPrefix value; emitted as an equivalent RegularExpression"))
            .object(obj)
            .span(from.span.clone()),
    );
    if t.is_exact() {
        PathMatch::Regex(escaped)
    } else {
        let trimmed = regex_syntax::escape(raw.trim_end_matches('/'));
        PathMatch::Regex(format!("{trimmed}(/.*)?"))
    }
}

/// Gateway API's validation of Exact/PathPrefix values.
pub fn is_valid_gateway_path(p: &str) -> bool {
    if !p.starts_with('/')
        || p.contains("//")
        || p.contains("/./")
        || p.contains("/../")
        || p.ends_with("/.")
        || p.ends_with("/..")
    {
        return false;
    }
    let b = p.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'%' {
            if i + 2 >= b.len() {
                return false;
            }
            if !(b[i + 1].is_ascii_hexdigit() && b[i + 2].is_ascii_hexdigit()) {
                return false;
            }
            i += 3;
            continue;
        }
        if !(c.is_ascii_alphanumeric() || b"-/._~!$&'()*+,;=:@".contains(&c)) {
            return false;
        }
        i += 1;
    }
    true
}

/// The Service port ingress-nginx sends a backend port to (`serviceEndpoints` in
/// its controller): the first port, in the Service's order, whose number,
/// targetPort (number or name) or name equals the Ingress's port, compared as
/// strings. Gateway API resolves a backendRef port against the Service port
/// number only, so the caller emits the number of the port found here.
pub fn nginx_service_port<'s>(ports: &'s [ServicePort], wanted: &str) -> Option<&'s ServicePort> {
    ports.iter().find(|sp| {
        sp.port.to_string() == wanted
            || sp
                .target_port
                .as_ref()
                .is_some_and(|t| int_or_string(t) == wanted)
            || sp.name.as_deref() == Some(wanted)
    })
}

/// The backend port as ingress-nginx keys it: the name when set, else the number.
pub fn backend_port_key(
    port: Option<&k8s_openapi::api::networking::v1::ServiceBackendPort>,
) -> Option<String> {
    port.and_then(|p| p.name.clone())
        .filter(|n| !n.is_empty())
        .or_else(|| port.and_then(|p| p.number).map(|n| n.to_string()))
}

/// Go's `IntOrString.String()`. (An unset targetPort is defaulted to the port by
/// the API server, which the number comparison already covers.)
fn int_or_string(v: &IntOrString) -> String {
    match v {
        IntOrString::Int(i) => i.to_string(),
        IntOrString::String(s) => s.clone(),
    }
}

/// A Service backend with the Service port number a backendRef needs (see
/// [`nginx_service_port`]); errors become notifications.
pub fn resolve_backend(
    cx: &PassContext,
    ing: &InputIngress,
    b: &IngressBackend,
    field: &str,
    report: &mut Report,
) -> Option<Backend> {
    let ns = ing.namespace();
    let Some(svc) = &b.service else {
        let what = b
            .resource
            .as_ref()
            .map(|r| format!("{}/{}", r.kind, r.name))
            .unwrap_or_else(|| "nothing".into());
        report.push(
            Notification::error(UNRESOLVED_BACKEND, format!("Resource backend ({what}) is not supported; the rule was emitted without a backend and answers 500"))
                .object(&ing.obj)
                .field(field.to_string())
                .span(ing.span_of("resource:"))
                .suggest("replace the Resource backend by a Service, or add a backendRef for your implementation's kind by hand"),
        );
        return None;
    };
    let port = svc.port.as_ref();
    let wanted = match backend_port_key(port) {
        Some(key) => key,
        None => {
            report.push(
                Notification::error(
                    UNRESOLVED_BACKEND,
                    format!("backend Service {} has no port", svc.name),
                )
                .object(&ing.obj)
                .field(field.to_string())
                .span(ing.span_of(&svc.name)),
            );
            return None;
        }
    };
    let numeric = wanted.parse::<u16>().ok();
    let service = cx.service(ns, &svc.name);
    let external = service
        .and_then(|s| s.spec.as_ref())
        .is_some_and(|s| s.type_.as_deref() == Some("ExternalName"));
    let ports = service
        .and_then(|s| s.spec.as_ref())
        .and_then(|s| s.ports.as_deref())
        .unwrap_or_default();
    let resolved = match (service, numeric) {
        // Without the Service a number is taken as the Service port, as Gateway API does.
        (None, Some(n)) => Some(n),
        (None, None) => {
            report.push(
                Notification::error(UNRESOLVED_BACKEND, format!("named port `{wanted}` of Service {ns}/{} cannot be resolved: the Service is not in the input; the rule answers 500 until fixed", svc.name))
                    .object(&ing.obj)
                    .field(field.to_string())
                    .span(ing.span_of(&svc.name))
                    .suggest("pass the Service manifest with -f, read from the cluster, or use a port number in the Ingress"),
            );
            None
        }
        // An ExternalName Service without ports: ingress-nginx dials the number itself.
        (Some(_), Some(n)) if external && ports.is_empty() => Some(n),
        (Some(_), _) => match nginx_service_port(ports, &wanted) {
            Some(sp) => {
                let number = u16::try_from(sp.port).ok();
                // A match by name is what every reader expects; a match by
                // targetPort sends the backendRef to another port number.
                let by_target = sp.name.as_deref() != Some(wanted.as_str()) && numeric != number;
                if let Some(number) = number
                    && by_target
                {
                    report.push(
                        Notification::info(SERVICE_PORT, format!("backend port `{wanted}` of Service {ns}/{}: ingress-nginx takes the first Service port whose number, targetPort or name is `{wanted}`, here port {number} (targetPort `{wanted}`); the backendRef uses port {number}", svc.name))
                            .object(&ing.obj)
                            .field(field.to_string())
                            .span(ing.span_of(&wanted)),
                    );
                }
                number
            }
            None => {
                report.push(
                    Notification::error(UNRESOLVED_BACKEND, format!("Service {ns}/{} has no port whose number, targetPort or name is `{wanted}`: ingress-nginx has no endpoints for it (503); the rule is emitted without a backend and answers 500", svc.name))
                        .object(&ing.obj)
                        .field(field.to_string())
                        .span(ing.span_of(&wanted))
                        .suggest("fix the port in the Ingress or the Service"),
                );
                None
            }
        },
    };
    resolved.map(|port| Backend {
        namespace: ns.to_string(),
        service: svc.name.clone(),
        port,
        weight: None,
    })
}

/// True when `span` points into `ing`'s own document (or there are no spans to
/// tell documents apart, as for objects read from the cluster).
fn in_document(ing: &InputIngress, span: Option<&crate::input::SourceSpan>) -> bool {
    match (&ing.origin, span) {
        (
            crate::input::Origin::File {
                file,
                doc_offset,
                doc_len,
                ..
            },
            Some(s),
        ) => s.file == *file && (*doc_offset..doc_offset + doc_len).contains(&s.offset),
        _ => true,
    }
}

/// Whole-host checks once every Ingress was added.
fn finish_hosts(ir: &mut Ir, report: &mut Report) {
    for (id, host) in &ir.hosts {
        // Prefix `/foo` and Prefix `/foo/` render the same nginx location.
        let mut prefixes: BTreeMap<&str, &Rule> = BTreeMap::new();
        for r in host
            .rules
            .iter()
            .filter(|r| !r.source_path.path_type.is_exact())
        {
            prefixes.entry(r.source_path.path.as_str()).or_insert(r);
        }
        for p in prefixes.keys() {
            if *p != "/" && !p.ends_with('/') {
                let with_slash = format!("{p}/");
                if let Some(b) = prefixes.get(with_slash.as_str()) {
                    report.push(
                        Notification::error(
                            DUPLICATE_LOCATION,
                            format!(
                                "Prefix `{p}` and Prefix `{with_slash}` on host {} both become nginx `location \"{with_slash}\"`: nginx rejects the duplicate, so ingress-nginx never loaded this configuration and still serves an older one",
                                id.host
                            ),
                        )
                        .object(b.from.object.as_ref().unwrap_or(&host.owner))
                        .span(b.from.span.clone())
                        .suggest("keep one of the two paths; the translation emits both, which may differ from what is live today"),
                    );
                }
            }
        }
    }
    // The owner's spec.defaultBackend serves the host's unmatched paths.
    let mut roots = Vec::new();
    for host in ir.hosts.values() {
        let has_root = host
            .rules
            .iter()
            .any(|r| r.source_path.path == "/" && !r.source_path.path_type.is_exact());
        if has_root && let Some(b) = &host.implicit_root.backend {
            let from = host
                .implicit_root
                .from
                .object
                .as_ref()
                .unwrap_or(&host.owner);
            report.push(
                Notification::info(
                    DEFAULT_BACKEND_UNUSED,
                    format!(
                        "spec.defaultBackend ({}:{}) is not used for host {}: a `/` Prefix path serves its unmatched requests, as in ingress-nginx",
                        b.service, b.port, host.id.host
                    ),
                )
                .object(from)
                .field("spec.defaultBackend"),
            );
        }
        if let (false, Some(b)) = (has_root, host.implicit_root.backend.clone()) {
            let owner = host
                .implicit_root
                .from
                .object
                .clone()
                .unwrap_or(host.owner.clone());
            roots.push((
                host.id.clone(),
                Rule::new(
                    b.namespace.clone(),
                    format!("{}-default-backend", owner.name),
                    PathMatch::Prefix("/".into()),
                    SourcePath::new("/", SourcePathType::Prefix),
                    Action::Forward(vec![b]),
                    Provenance::from(ProvenanceData {
                        object: Some(owner),
                        rule: None,
                        path: None,
                        annotation: None,
                        span: None,
                    }),
                ),
            ));
        }
    }
    for (id, rule) in roots {
        ir.hosts.push_rule(&id, rule);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_port_is_found_by_number_target_port_or_name_in_port_order() {
        let port = |name: &str, number: i32, target: Option<IntOrString>| ServicePort {
            name: Some(name.into()),
            port: number,
            target_port: target,
            ..Default::default()
        };
        let ports = [
            port("http", 80, Some(IntOrString::Int(8080))),
            port("alt", 8080, Some(IntOrString::Int(9090))),
            port("admin", 9000, Some(IntOrString::String("web".into()))),
            port("plain", 7000, None),
        ];
        let found = |w: &str| nginx_service_port(&ports, w).map(|p| p.port);
        assert_eq!(
            found("8080"),
            Some(80),
            "targetPort of an earlier port wins"
        );
        assert_eq!(found("80"), Some(80));
        assert_eq!(found("alt"), Some(8080));
        assert_eq!(found("web"), Some(9000));
        assert_eq!(found("7000"), Some(7000));
        assert_eq!(found("9090"), Some(8080));
        assert_eq!(found("6000"), None);
    }

    #[test]
    fn gateway_path_validation() {
        assert!(is_valid_gateway_path("/api/v1"));
        assert!(is_valid_gateway_path("/a%20b"));
        assert!(!is_valid_gateway_path("/a b"));
        assert!(!is_valid_gateway_path("/a{1}"));
        assert!(!is_valid_gateway_path("/a//b"));
        assert!(!is_valid_gateway_path("/a%2"));
        assert!(!is_valid_gateway_path("api"));
    }
}
