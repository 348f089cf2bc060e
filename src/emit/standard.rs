//! The standard Gateway API emitter.

use super::Emitter;
use super::names::{CATCH_ALL, derived, dns_label, dns_subdomain, host_name, short_hash};
use crate::gwapi::{self, GENERATOR_ANNOTATION, GROUP, GatewayObject};
use crate::ir::{self, *};
use crate::options::TranslateOptions;
use crate::report::{Code, Notification, Report};
use std::collections::{BTreeMap, BTreeSet};

/// Gateway API's limits we split on.
pub const MAX_LISTENERS: usize = 64;
pub const MAX_RULES: usize = 16;
/// Annotation listing the Ingresses an object was generated from.
pub const SOURCES_ANNOTATION: &str = "ing2gw.io/sources";

pub const LISTENER_OVERFLOW: Code = Code("listener-overflow");
pub const ROUTE_SPLIT: Code = Code("route-split");
pub const UNATTACHED_ROUTE: Code = Code("route-unattached");
pub const HOST_SPLIT: Code = Code("host-on-several-gateways");
pub const LISTENER_SCOPE: Code = Code("listenerset-namespaces");
pub const HSTS_NOT_ON_GRPC: Code = Code("hsts-not-on-grpc");

/// The label the API server sets on every namespace to its own name (immutable):
/// a selector on it names exact namespaces without asking anyone to label them.
pub const NAMESPACE_NAME_LABEL: &str = "kubernetes.io/metadata.name";

/// The narrowest `allowedListeners.namespaces` that admits ListenerSets in
/// `namespaces`: `Same` when they all live beside the Gateway, else a selector
/// listing exactly those namespaces. Returns it with a phrase for the notification.
fn allowed_listener_namespaces(
    gateway_namespace: &str,
    namespaces: &BTreeSet<String>,
) -> (gwapi::ListenerNamespaces, String) {
    if namespaces.iter().all(|ns| ns == gateway_namespace) {
        return (
            gwapi::ListenerNamespaces {
                from: "Same".into(),
                selector: None,
            },
            format!("only from its own namespace {gateway_namespace} (from: Same)"),
        );
    }
    let list: Vec<String> = namespaces.iter().cloned().collect();
    (
        gwapi::ListenerNamespaces {
            from: "Selector".into(),
            selector: Some(gwapi::LabelSelector {
                match_expressions: vec![gwapi::LabelSelectorRequirement {
                    key: NAMESPACE_NAME_LABEL.into(),
                    operator: "In".into(),
                    values: list.clone(),
                }],
                ..Default::default()
            }),
        },
        format!(
            "only from the namespaces of the certificates ({}; from: Selector on {NAMESPACE_NAME_LABEL})",
            list.join(", ")
        ),
    )
}
pub const DUPLICATE_IDENTITY: Code = Code("duplicate-object-identity");

pub struct StandardEmitter;

impl Emitter for StandardEmitter {
    fn name(&self) -> &'static str {
        "standard"
    }
    fn emit(&self, ir: &Ir, options: &TranslateOptions, report: &mut Report) -> Vec<GatewayObject> {
        self.emit_mapped(ir, options, report, None)
    }
    /// [`Emitter::emit`] for a caller that is done with the hosts of `ir`: each
    /// host's rules are dropped once its routes exist, so the IR and the emitted
    /// objects do not both reach their full size (print's memory peak, issue
    /// 13). `ir.hosts` is empty afterwards; the output is the same.
    fn emit_draining(
        &self,
        ir: &mut Ir,
        options: &TranslateOptions,
        report: &mut Report,
    ) -> Vec<GatewayObject> {
        let mut prepared = Prepared::new(ir, options, report);
        prepared.drain(ir, options, report);
        prepared.finish(ir, options, report)
    }
}

/// Where one IR rule ended up: a route rule (by `sectionName`) that forwards
/// traffic. Implementation emitters attach their policies to it. Redirect and
/// fail-closed rules (no backends) are not listed: nothing behind them to protect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmittedRule {
    /// `HTTPRoute` or `GRPCRoute`.
    pub kind: &'static str,
    /// The Gateway of the rule's host, and its hostname (None: catch-all).
    pub gateway: GatewayId,
    pub hostname: Option<String>,
    pub namespace: String,
    pub route: String,
    /// The rule's `name` in that route.
    pub section: String,
    /// The IR rule, with the access control it shares with its location's siblings.
    pub rule: Rule,
}

impl StandardEmitter {
    /// [`Emitter::emit`], also handing back (when `map` is given) which route
    /// rule each forwarding IR rule became. The output is the same either way.
    pub fn emit_mapped(
        &self,
        ir: &Ir,
        options: &TranslateOptions,
        report: &mut Report,
        mut map: Option<&mut Vec<EmittedRule>>,
    ) -> Vec<GatewayObject> {
        let mut prepared = Prepared::new(ir, options, report);
        for host in ir.hosts.values() {
            prepared.host(ir, host, options, report, map.as_deref_mut());
        }
        prepared.finish(ir, options, report)
    }
}

/// What every host's routes need, computed while the IR still has all its hosts.
struct Prepared {
    out: Vec<GatewayObject>,
    names: RouteNames,
    https_parents: BTreeMap<(GatewayId, String), gwapi::ParentReference>,
    kept_as_http: BTreeSet<HostId>,
}

impl Prepared {
    fn new(ir: &Ir, options: &TranslateOptions, report: &mut Report) -> Self {
        let mut out = Vec::new();
        let mut https_parents = BTreeMap::new();
        for gw in ir.gateways.values() {
            emit_gateway(gw, options, &mut out, &mut https_parents, report);
        }
        // A whole-IR check that only reports: made before the hosts may go.
        hostless_exposure(ir, report);
        Self::with_parents(ir, out, https_parents, report)
    }

    /// What the hosts' routes need besides their HTTPS parents (`https_parents`,
    /// final or provisional), with `out` holding what was emitted before them.
    fn with_parents(
        ir: &Ir,
        out: Vec<GatewayObject>,
        https_parents: BTreeMap<(GatewayId, String), gwapi::ParentReference>,
        report: &mut Report,
    ) -> Self {
        let kept_as_http = super::grpc_conflict::hosts_kept_as_http(ir, report);
        hosts_on_several_gateways(ir, report);
        Prepared {
            out,
            names: RouteNames::new(ir),
            https_parents,
            kept_as_http,
        }
    }

    /// The routes of every host of `ir`, freeing each host once its routes
    /// exist (`ir.hosts` is empty afterwards).
    fn drain(&mut self, ir: &mut Ir, options: &TranslateOptions, report: &mut Report) {
        let hosts = std::mem::take(&mut ir.hosts);
        for host in hosts.into_values() {
            self.host(ir, &host, options, report, None);
        }
    }

    /// The HTTPRoutes (and GRPCRoutes) of one host.
    fn host(
        &mut self,
        ir: &Ir,
        host: &VirtualHost,
        options: &TranslateOptions,
        report: &mut Report,
        mut map: Option<&mut Vec<EmittedRule>>,
    ) {
        // TLS for a passthrough host is the TLSRoute's: no HTTPS-side HTTPRoute.
        let passthrough = host.id.host.hostname().is_some_and(|h| {
            ir.gateways
                .get(&host.id.gateway)
                .is_some_and(|g| g.passthrough.contains_key(h))
        });
        let is_grpc = |r: &Rule| ir.grpc_rules.contains(&(host.id.clone(), r.name.clone()));
        let (parents, names, out) = (&self.https_parents, &self.names, &mut self.out);
        if self.kept_as_http.contains(&host.id) || !host.rules.iter().any(is_grpc) {
            emit_host_routes(host, passthrough, parents, names, options, out, report, map);
            return;
        }
        let mut http_host = host.clone();
        http_host.rules.retain(|r| !is_grpc(r));
        emit_host_routes(
            &http_host,
            passthrough,
            parents,
            names,
            options,
            out,
            report,
            map.as_deref_mut(),
        );
        let grpc: Vec<&Rule> = host.rules.iter().filter(|r| is_grpc(r)).collect();
        emit_grpc_routes(host, &grpc, parents, names, options, out, report, map);
    }

    /// TLSRoutes, BackendTLSPolicies and ReferenceGrants, after every host; sorted.
    fn finish(
        self,
        ir: &Ir,
        options: &TranslateOptions,
        report: &mut Report,
    ) -> Vec<GatewayObject> {
        let Prepared { mut out, names, .. } = self;
        tls_and_backend_policies(ir, &names, &mut out, report);
        let grants = super::grants::route_grants(
            &out,
            options,
            |n, ns| meta(n, ns, BTreeSet::new()),
            report,
        );
        out.extend(grants);
        super::sort_objects(&mut out);
        refuse_duplicates(&mut out, report);
        out
    }
}

/// What one shard's emission hands to the run-wide part (see `crate::shard`).
pub struct ShardEmission {
    /// Routes, TLSRoutes and BackendTLSPolicies, unsorted. HTTPS parents are
    /// provisional ([`provisional_parent`]): [`emit_gateways`] says which moved
    /// to a ListenerSet.
    pub objects: Vec<GatewayObject>,
    /// What [`hostless_exposure`] needs of this shard's hosts.
    pub hostless: HostlessFacts,
    /// Each provisional parent, with the HTTPS host (Gateway, hostname) it
    /// stands for.
    pub provisional: BTreeMap<gwapi::ParentReference, (GatewayId, String)>,
}

impl StandardEmitter {
    /// The routes of a shard's IR, draining its hosts: [`Emitter::emit_draining`]
    /// without what needs every host of the run (the Gateways and their listener
    /// layout, ReferenceGrants, sorting). A shard holds every Ingress that shares a
    /// host, Service or catch-all server with one of its own, so everything else
    /// the emitter decides per host is decided here as in a whole run.
    pub fn emit_shard(
        &self,
        ir: &mut Ir,
        options: &TranslateOptions,
        report: &mut Report,
    ) -> ShardEmission {
        let mut https_parents = BTreeMap::new();
        let mut provisional = BTreeMap::new();
        for gw in ir.gateways.values() {
            for l in gw.https.values() {
                let host = (gw.id.clone(), l.hostname.clone());
                let parent = provisional_parent(&gw.id, &l.hostname);
                provisional.insert(parent.clone(), host.clone());
                https_parents.insert(host, parent);
            }
        }
        let hostless = HostlessFacts::of(ir);
        let mut prepared = Prepared::with_parents(ir, Vec::new(), https_parents, report);
        prepared.drain(ir, options, report);
        let Prepared { mut out, names, .. } = prepared;
        tls_and_backend_policies(ir, &names, &mut out, report);
        ShardEmission {
            objects: out,
            hostless,
            provisional,
        }
    }
}

/// The parent a route of an HTTPS host gets while the Gateway's listener
/// layout is unknown (sharded run): the Gateway's own listener for the host, as
/// when it has room for every HTTPS listener.
pub fn provisional_parent(gateway: &GatewayId, hostname: &str) -> gwapi::ParentReference {
    gwapi::ParentReference {
        name: gateway.name.clone(),
        namespace: Some(gateway.namespace.clone()),
        section_name: Some(https_listener_name(hostname)),
        ..Default::default()
    }
}

/// The Gateways, their ListenerSets and certificate grants, with the parent
/// every HTTPS host's routes attach to (the run-wide part of a sharded run).
pub fn emit_gateways(
    gateways: &BTreeMap<GatewayId, ir::Gateway>,
    options: &TranslateOptions,
    report: &mut Report,
) -> (
    Vec<GatewayObject>,
    BTreeMap<(GatewayId, String), gwapi::ParentReference>,
) {
    let mut out = Vec::new();
    let mut parents = BTreeMap::new();
    for gw in gateways.values() {
        emit_gateway(gw, options, &mut out, &mut parents, report);
    }
    (out, parents)
}

/// The route grants (with `--allow-cross-namespace-grants`) of references
/// collected over every shard, with this emitter's object metadata.
pub fn grants_for(
    references: super::grants::References,
    options: &TranslateOptions,
    report: &mut Report,
) -> Vec<GatewayObject> {
    super::grants::grants_for(
        references,
        options,
        |n, ns| meta(n, ns, BTreeSet::new()),
        report,
    )
}

/// [`refuse_duplicates`] for a run that sorts outside the emitter.
pub fn duplicate_notification(kind: &str, namespace: &str, name: &str, n: usize) -> Notification {
    Notification::error(
        DUPLICATE_IDENTITY,
        format!("{n} generated objects would all be {kind} {namespace}/{name}; only the first is emitted, the content of the other {} is lost", n - 1),
    )
    .suggest("rename one of the hosts or Ingresses involved, and report this name collision as an ing2gw bug")
}

/// The TLSRoutes, and the BackendTLSPolicies of Services some route uses.
fn tls_and_backend_policies(
    ir: &Ir,
    names: &RouteNames,
    out: &mut Vec<GatewayObject>,
    report: &mut Report,
) {
    for r in &ir.tls_routes {
        out.push(GatewayObject::TlsRoute(tls_route(r, names)));
    }
    let used = referenced_services(out);
    for p in &ir.policies {
        match p {
            Policy::BackendTls(b) if used.contains(&(b.namespace.clone(), b.service.clone())) => {
                out.push(GatewayObject::BackendTlsPolicy(backend_tls(b)))
            }
            Policy::BackendTls(b) => report.push(unused_backend_tls(b)),
        }
    }
}

/// Base names of the routes of a host. A host with rules of one namespace on
/// several Gateways (several ingress classes) gets one route per Gateway in that
/// namespace: those names carry a hash of the Gateway so they stay apart.
/// Keys: (TLSRoute or not, host, namespace).
struct RouteNames {
    shared: BTreeSet<(bool, HostKey, String)>,
}

impl RouteNames {
    fn new(ir: &Ir) -> Self {
        let mut gateways: BTreeMap<(bool, HostKey, String), BTreeSet<&GatewayId>> = BTreeMap::new();
        for h in ir.hosts.values() {
            let owner_ns = h.owner.namespace.clone().unwrap_or_default();
            let namespaces: BTreeSet<String> = h
                .rules
                .iter()
                .map(|r| r.namespace.clone())
                .chain([owner_ns])
                .collect();
            for ns in namespaces {
                gateways
                    .entry((false, h.id.host.clone(), ns))
                    .or_default()
                    .insert(&h.id.gateway);
            }
        }
        for r in &ir.tls_routes {
            gateways
                .entry((
                    true,
                    HostKey::Named(r.hostname.clone()),
                    r.namespace.clone(),
                ))
                .or_default()
                .insert(&r.gateway);
        }
        RouteNames {
            shared: gateways
                .into_iter()
                .filter(|(_, g)| g.len() > 1)
                .map(|(k, _)| k)
                .collect(),
        }
    }

    fn base(&self, gateway: &GatewayId, host: &HostKey, namespace: &str) -> String {
        self.base_of(false, gateway, host, namespace)
    }

    fn tls_base(&self, r: &TlsPassthroughRoute) -> String {
        let host = HostKey::Named(r.hostname.clone());
        self.base_of(true, &r.gateway, &host, &r.namespace)
    }

    fn base_of(&self, tls: bool, gateway: &GatewayId, host: &HostKey, namespace: &str) -> String {
        let base = match host {
            HostKey::Named(h) => host_name(h, 240),
            HostKey::CatchAll => CATCH_ALL.to_string(),
        };
        if self
            .shared
            .contains(&(tls, host.clone(), namespace.to_string()))
        {
            derived(
                &base,
                &short_hash(&format!("{}/{}", gateway.namespace, gateway.name)),
            )
        } else {
            base
        }
    }
}

fn meta(name: String, namespace: &str, sources: BTreeSet<String>) -> gwapi::ObjectMeta {
    let mut annotations = gwapi::Annotations::default();
    annotations.insert(GENERATOR_ANNOTATION.to_string(), gwapi::generator_value());
    if !sources.is_empty() {
        annotations.insert(
            SOURCES_ANNOTATION.to_string(),
            sources.into_iter().collect::<Vec<_>>().join(","),
        );
    }
    gwapi::ObjectMeta {
        name,
        namespace: Some(namespace.to_string()),
        labels: BTreeMap::new(),
        annotations,
    }
}

fn sources_of<'a>(it: impl IntoIterator<Item = &'a Provenance>) -> BTreeSet<String> {
    it.into_iter()
        .filter_map(|p| p.object.as_ref())
        .map(|o| format!("{}/{}", o.namespace.as_deref().unwrap_or(""), o.name))
        .collect()
}

fn from_all() -> Option<gwapi::AllowedRoutes> {
    Some(gwapi::AllowedRoutes {
        namespaces: Some(gwapi::ListenerNamespaces {
            from: "All".into(),
            selector: None,
        }),
        kinds: Vec::new(),
    })
}

/// Listener name for an HTTPS hostname.
pub fn https_listener_name(hostname: &str) -> String {
    dns_subdomain(&format!("https-{}", host_name(hostname, 240)), 253)
}

/// Listener name for a TLS-passthrough hostname.
fn passthrough_listener_name(hostname: &str) -> String {
    dns_subdomain(
        &format!("tls-passthrough-{}", host_name(hostname, 230)),
        253,
    )
}

fn emit_gateway(
    gw: &ir::Gateway,
    _options: &TranslateOptions,
    out: &mut Vec<GatewayObject>,
    parents: &mut BTreeMap<(GatewayId, String), gwapi::ParentReference>,
    report: &mut Report,
) {
    let mut listeners = vec![gwapi::Listener {
        name: "http".into(),
        hostname: None,
        port: 80,
        protocol: "HTTP".into(),
        tls: None,
        allowed_routes: from_all(),
    }];
    let mut extra: Vec<(String, gwapi::Listener)> = Vec::new();
    let mut grants: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let https: Vec<&HttpsListener> = gw.https.values().collect();
    for l in &https {
        let listener = gwapi::Listener {
            name: https_listener_name(&l.hostname),
            hostname: Some(l.hostname.clone()),
            port: 443,
            protocol: "HTTPS".into(),
            tls: Some(gwapi::ListenerTls {
                mode: Some("Terminate".into()),
                certificate_refs: vec![gwapi::ObjectReference {
                    group: None,
                    kind: None,
                    name: l.secret.name.clone(),
                    namespace: (l.secret.namespace != gw.id.namespace)
                        .then(|| l.secret.namespace.clone()),
                }],
            }),
            allowed_routes: from_all(),
        };
        if listeners.len() < MAX_LISTENERS {
            if l.secret.namespace != gw.id.namespace {
                grants
                    .entry(l.secret.namespace.clone())
                    .or_default()
                    .insert(l.secret.name.clone());
            }
            parents.insert(
                (gw.id.clone(), l.hostname.clone()),
                gwapi::ParentReference {
                    name: gw.id.name.clone(),
                    namespace: Some(gw.id.namespace.clone()),
                    section_name: Some(listener.name.clone()),
                    ..Default::default()
                },
            );
            listeners.push(listener);
        } else {
            // In a ListenerSet of the Secret's namespace the reference is local.
            let mut listener = listener;
            if let Some(tls) = listener.tls.as_mut() {
                for c in &mut tls.certificate_refs {
                    c.namespace = None;
                }
            }
            extra.push((l.secret.namespace.clone(), listener));
        }
    }
    for (hostname, from) in &gw.passthrough {
        let _ = from;
        listeners.push(gwapi::Listener {
            name: passthrough_listener_name(hostname),
            hostname: Some(hostname.clone()),
            port: 443,
            protocol: "TLS".into(),
            tls: Some(gwapi::ListenerTls {
                mode: Some("Passthrough".into()),
                certificate_refs: Vec::new(),
            }),
            allowed_routes: from_all(),
        });
    }
    let sources = sources_of(gw.https.values().map(|l| &l.from));
    for v in gw.client_validation.values() {
        if v.ca_secret.namespace != gw.id.namespace {
            grants
                .entry(v.ca_secret.namespace.clone())
                .or_default()
                .insert(v.ca_secret.name.clone());
        }
    }
    let mut spec = gwapi::GatewaySpec {
        gateway_class_name: gw.gateway_class.clone(),
        listeners,
        allowed_listeners: None,
        tls: super::access::frontend_tls(gw),
    };
    if !extra.is_empty() {
        let namespaces: BTreeSet<String> = extra.iter().map(|(ns, _)| ns.clone()).collect();
        let (allowed, scope) = allowed_listener_namespaces(&gw.id.namespace, &namespaces);
        spec.allowed_listeners = Some(gwapi::AllowedListeners {
            namespaces: allowed,
        });
        report.push(
            Notification::info(
                LISTENER_SCOPE,
                format!(
                    "Gateway {}/{} accepts ListenerSets {scope}, not from every namespace: a ListenerSet elsewhere cannot attach listeners (and claim hostnames) on the shared Gateway",
                    gw.id.namespace, gw.id.name
                ),
            )
            .suggest("widen spec.allowedListeners only for namespaces you trust to publish hostnames on this Gateway"),
        );
        report.push(
            Notification::info(
                LISTENER_OVERFLOW,
                format!(
                    "Gateway {}/{} would need {} listeners (limit {MAX_LISTENERS}); {} HTTPS listeners were moved to ListenerSets in the certificates' namespaces",
                    gw.id.namespace,
                    gw.id.name,
                    1 + https.len(),
                    extra.len()
                ),
            )
            .suggest("ListenerSet is standard since Gateway API 1.5; check that your implementation supports it"),
        );
        let mut by_ns: BTreeMap<String, Vec<gwapi::Listener>> = BTreeMap::new();
        for (ns, l) in extra {
            by_ns.entry(ns).or_default().push(l);
        }
        for (ns, ls) in by_ns {
            for (chunk_index, chunk) in ls.chunks(MAX_LISTENERS).enumerate() {
                let base = format!("{}-{}", gw.id.name, gw.id.namespace);
                let name = if chunk_index == 0 {
                    dns_subdomain(&base, 253)
                } else {
                    dns_subdomain(&format!("{base}-{}", chunk_index + 1), 253)
                };
                for l in chunk {
                    if let Some(h) = &l.hostname {
                        parents.insert(
                            (gw.id.clone(), h.clone()),
                            gwapi::ParentReference {
                                group: Some(GROUP.into()),
                                kind: Some("ListenerSet".into()),
                                name: name.clone(),
                                namespace: Some(ns.clone()),
                                section_name: Some(l.name.clone()),
                                port: None,
                            },
                        );
                    }
                }
                out.push(GatewayObject::ListenerSet(gwapi::ListenerSet {
                    api_version: gwapi::API_VERSION_V1.into(),
                    kind: "ListenerSet".into(),
                    metadata: meta(name, &ns, BTreeSet::new()),
                    spec: gwapi::ListenerSetSpec {
                        parent_ref: gwapi::ParentReference {
                            group: Some(GROUP.into()),
                            kind: Some("Gateway".into()),
                            name: gw.id.name.clone(),
                            namespace: Some(gw.id.namespace.clone()),
                            ..Default::default()
                        },
                        listeners: chunk.to_vec(),
                    },
                }));
            }
        }
    }
    out.push(GatewayObject::Gateway(gwapi::Gateway {
        api_version: gwapi::API_VERSION_V1.into(),
        kind: "Gateway".into(),
        metadata: meta(gw.id.name.clone(), &gw.id.namespace, sources),
        spec,
    }));
    for (ns, secrets) in grants {
        let name = dns_subdomain(
            &format!("{}-{}-certificates", gw.id.name, gw.id.namespace),
            253,
        );
        let to = secrets
            .into_iter()
            .map(|name| gwapi::ReferenceGrantTo {
                group: String::new(),
                kind: "Secret".into(),
                name: Some(name),
            })
            .collect();
        for (name, to) in super::grants::split_grant_to(&name, to) {
            out.push(GatewayObject::ReferenceGrant(gwapi::ReferenceGrant {
                api_version: gwapi::API_VERSION_V1.into(),
                kind: "ReferenceGrant".into(),
                metadata: meta(name, &ns, BTreeSet::new()),
                spec: gwapi::ReferenceGrantSpec {
                    from: vec![gwapi::ReferenceGrantFrom {
                        group: GROUP.into(),
                        kind: "Gateway".into(),
                        namespace: gw.id.namespace.clone(),
                    }],
                    to,
                },
            }));
        }
    }
}

fn http_parent(gw: &GatewayId) -> gwapi::ParentReference {
    gwapi::ParentReference {
        name: gw.name.clone(),
        namespace: Some(gw.namespace.clone()),
        section_name: Some("http".into()),
        ..Default::default()
    }
}

/// The HTTPS listener of a named host, when it has one.
fn https_parent<'a>(
    host: &VirtualHost,
    parents: &'a BTreeMap<(GatewayId, String), gwapi::ParentReference>,
) -> Option<&'a gwapi::ParentReference> {
    let h = host.id.host.hostname()?;
    parents.get(&(host.id.gateway.clone(), h.to_string()))
}

/// A route's `hostnames`: the host's name; none for the catch-all server.
fn route_hostnames(host: &VirtualHost) -> Vec<String> {
    host.id
        .host
        .hostname()
        .map(|h| vec![h.to_string()])
        .unwrap_or_default()
}

// The route-rule map is an optional extra output of both route builders.
#[allow(clippy::too_many_arguments)]
fn emit_host_routes(
    host: &VirtualHost,
    passthrough: bool,
    parents: &BTreeMap<(GatewayId, String), gwapi::ParentReference>,
    names: &RouteNames,
    options: &TranslateOptions,
    out: &mut Vec<GatewayObject>,
    report: &mut Report,
    mut map: Option<&mut Vec<EmittedRule>>,
) {
    let gw = &host.id.gateway;
    let https_parent = https_parent(host, parents);
    let hostnames = route_hostnames(host);
    // Every rule of one nginx location carries that location's access control.
    let location_rules = super::access::share_location_access(&host.rules);
    let has_root_prefix = location_rules.iter().any(|r| matches!(r.matches.first().and_then(|m| m.path.as_ref()), Some(PathMatch::Prefix(p)) if p == "/"));
    // What plain-HTTP requests that match no rule get: the `/` rule's or the implicit root's redirect.
    let unmatched_redirect = if has_root_prefix {
        location_rules
            .iter()
            .find(|r| matches!(r.matches.first().and_then(|m| m.path.as_ref()), Some(PathMatch::Prefix(p)) if p == "/"))
            .and_then(|r| r.https_redirect.map(|h| h.status))
    } else {
        host.implicit_root.https_redirect.map(|h| h.status)
    };
    let mut by_ns: BTreeMap<&str, Vec<&Rule>> = BTreeMap::new();
    for r in &location_rules {
        by_ns.entry(r.namespace.as_str()).or_default().push(r);
    }
    let owner_ns = host.owner.namespace.clone().unwrap_or_default();
    if host.implicit_root.https_redirect.is_some() && !has_root_prefix {
        by_ns.entry(owner_ns.as_str()).or_default();
    }
    for (ns, rules) in by_ns {
        let base = names.base(gw, &host.id.host, ns);
        let sources = sources_of(rules.iter().map(|r| &r.from));
        let https_rules: Vec<gwapi::HttpRouteRule> = rules
            .iter()
            .map(|r| convert_rule(r, false, options, report))
            .collect();
        let mut http_rules: Vec<gwapi::HttpRouteRule> = rules
            .iter()
            .map(|r| convert_rule(r, true, options, report))
            .collect();
        let root_redirect = (ns == owner_ns && !has_root_prefix)
            .then_some(host.implicit_root.https_redirect)
            .flatten();
        let all_redirect = rules
            .iter()
            .all(|r| r.https_redirect.is_some() && !matches!(r.action, Action::Redirect(_)));
        let any_redirect =
            rules.iter().any(|r| r.https_redirect.is_some()) || root_redirect.is_some();
        let statuses: BTreeSet<u16> = rules
            .iter()
            .filter_map(|r| r.https_redirect.map(|h| h.status))
            .chain(root_redirect.map(|h| h.status))
            .collect();
        // One catch-all redirect is exact only if unmatched paths redirect the same way.
        // Which IR rule each route rule came from (None: a generated redirect).
        let https_origins: Vec<Option<&Rule>> = rules.iter().map(|r| Some(*r)).collect();
        let mut http_origins = https_origins.clone();
        if all_redirect && statuses.len() == 1 && statuses.first().copied() == unmatched_redirect {
            let status = statuses.into_iter().next().unwrap_or(308);
            http_rules = vec![https_redirect_rule("redirect-to-https", "/", status)];
            http_origins = vec![None];
        } else if let Some(rr) = root_redirect {
            http_rules.push(https_redirect_rule(
                &format!("{}-implicit-root", host.owner.name),
                "/",
                rr.status,
            ));
            http_origins.push(None);
        }
        let unattached = (https_parent.is_none() && any_redirect && host.tls.is_none() && !passthrough).then(|| {
            Notification::error(
                UNATTACHED_ROUTE,
                format!(
                    "host {}: force-ssl-redirect sends plain HTTP to HTTPS, but no Ingress of the host has spec.tls, so there is no HTTPS listener (ingress-nginx serves it with its default certificate); the host's rules are emitted in HTTPRoute {ns}/{base} without parentRefs (not served), and the plain-HTTP requests ingress-nginx redirects answer 500 instead of a redirect to a listener that does not exist",
                    host.id.host
                ),
            )
            .object(&host.owner)
            .suggest("add spec.tls with a secretName for the host (or pass --default-ssl-certificate NAMESPACE/NAME), or, when a TLS terminator in front of the Gateway sends plain HTTP, drop force-ssl-redirect and attach the route to the HTTP listener")
        });
        let route_sources = sources.clone();
        let mut emit = |name: String,
                        parent_refs: Vec<gwapi::ParentReference>,
                        rules: Vec<gwapi::HttpRouteRule>,
                        origins: &[Option<&Rule>]| {
            if rules.is_empty() {
                return;
            }
            let chunks: Vec<Vec<gwapi::HttpRouteRule>> =
                rules.chunks(MAX_RULES).map(|c| c.to_vec()).collect();
            if chunks.len() > 1 {
                report.push(
                    Notification::info(ROUTE_SPLIT, format!("host {} has {} rules in namespace {ns}; split into {} HTTPRoutes of at most {MAX_RULES} rules, named in rule order (Gateway API ranks matches by type and length whatever their route, and breaks remaining ties by route age, then name)", host.id.host, rules.len(), chunks.len()))
                        .object(&host.owner),
                );
            }
            let count = chunks.len();
            for (i, chunk) in chunks.into_iter().enumerate() {
                let name = part_name(&name, i, count);
                let chunk = unique_rule_names(chunk);
                if let Some(map) = map.as_deref_mut() {
                    let chunk_origins = origins.iter().skip(i * MAX_RULES);
                    for (r, origin) in chunk.iter().zip(chunk_origins) {
                        if let (Some(origin), Some(section)) = (origin, &r.name)
                            && !r.backend_refs.is_empty()
                        {
                            map.push(EmittedRule {
                                kind: "HTTPRoute",
                                gateway: gw.clone(),
                                hostname: host.id.host.hostname().map(str::to_string),
                                namespace: ns.to_string(),
                                route: name.clone(),
                                section: section.clone(),
                                rule: (*origin).clone(),
                            });
                        }
                    }
                }
                out.push(GatewayObject::HttpRoute(gwapi::HttpRoute {
                    api_version: gwapi::API_VERSION_V1.into(),
                    kind: "HTTPRoute".into(),
                    metadata: meta(name, ns, route_sources.clone()),
                    spec: gwapi::HttpRouteSpec {
                        parent_refs: parent_refs.clone(),
                        hostnames: hostnames.clone(),
                        rules: chunk,
                    },
                }));
            }
        };
        // HSTS goes on HTTPS responses only: a route serving both listeners is split.
        let hsts = https_parent.is_some() && rules.iter().any(|r| carries_hsts(r));
        match https_parent {
            Some(hp) if !any_redirect && !hsts => emit(
                base.clone(),
                vec![http_parent(gw), hp.clone()],
                https_rules,
                &https_origins,
            ),
            Some(hp) => {
                emit(base.clone(), vec![hp.clone()], https_rules, &https_origins);
                emit(
                    derived(&base, "http"),
                    vec![http_parent(gw)],
                    http_rules,
                    &http_origins,
                );
            }
            // TLS with the controller's default certificate: no HTTPS listener to
            // attach to. The rules are kept, unattached, for the user to attach; a
            // redirect would send clients to a listener that does not exist, so
            // what nginx redirects answers 500 (reported by `tls` or above).
            None if any_redirect && !passthrough => {
                emit(base.clone(), Vec::new(), https_rules, &https_origins);
                let http_rules = http_rules
                    .into_iter()
                    .map(|r| {
                        if is_https_redirect(&r) {
                            let mut closed = super::access::fail_closed(r);
                            if closed.name.as_deref() == Some("redirect-to-https") {
                                closed.name = Some("https-listener-missing".into());
                            }
                            closed
                        } else {
                            r
                        }
                    })
                    .collect();
                emit(
                    derived(&base, "http"),
                    vec![http_parent(gw)],
                    http_rules,
                    &http_origins,
                );
            }
            None => emit(
                base.clone(),
                vec![http_parent(gw)],
                http_rules,
                &http_origins,
            ),
        }
        report.extend(unattached);
    }
}

/// Two objects with one identity would overwrite each other at apply time. The
/// names are built to be injective (`emit/names.rs`); should two still meet (a
/// hash collision), only the first in print order is emitted and the loss is an
/// error.
fn refuse_duplicates(out: &mut Vec<GatewayObject>, report: &mut Report) {
    for ((kind, namespace, name), n) in super::names::duplicate_identities(out) {
        report.push(duplicate_notification(&kind, &namespace, &name, n));
    }
    out.dedup_by(|a, b| a.identity() == b.identity());
}

/// The name of part `i` (from 0) of a route split into `count` parts. Equal
/// matches in different routes are ranked by creation time, then by name:
/// zero-padded suffixes keep the parts in rule order (`-02` < `-10`, where
/// `-2` > `-10`).
fn part_name(name: &str, i: usize, count: usize) -> String {
    if i == 0 {
        return name.to_string();
    }
    let width = count.to_string().len();
    derived(name, &format!("{:0width$}", i + 1, width = width))
}

/// One ingress-nginx controller merged every Ingress of a host into one server;
/// with `--gateway-per-namespace` (or several classes) a host can end up on
/// several Gateways, i.e. several addresses, with no first-Ingress-wins merge.
fn hosts_on_several_gateways(ir: &Ir, report: &mut Report) {
    let mut by_name: BTreeMap<&str, Vec<&VirtualHost>> = BTreeMap::new();
    for h in ir.hosts.values() {
        if let Some(name) = h.id.host.hostname() {
            by_name.entry(name).or_default().push(h);
        }
    }
    for (name, hosts) in by_name.into_iter().filter(|(_, v)| v.len() > 1) {
        let gateways: Vec<String> = hosts
            .iter()
            .map(|h| format!("{}/{}", h.id.gateway.namespace, h.id.gateway.name))
            .collect();
        report.push(
            Notification::warning(
                HOST_SPLIT,
                format!(
                    "host {name} is served by {} Gateways ({}); ingress-nginx served it from one address and resolved conflicting paths in favour of the oldest Ingress, but DNS can point the host at only one of these Gateways",
                    gateways.len(),
                    gateways.join(", ")
                ),
            )
            .object(&hosts[0].owner)
            .suggest("serve the host from one Gateway (drop --gateway-per-namespace, or move its Ingresses into one namespace/class)"),
        );
    }
}

/// ingress-nginx serves host-less rules only for hosts without a server of their
/// own; a named host's unmatched paths hit its implicit `/` (404 or its owner's
/// defaultBackend). Gateway API ranks a route with a matching hostname first but
/// falls through to a hostname-less route when none of the host's rules match, so
/// every named host without a `/` rule on the HTTP listener would also reach the
/// host-less rules. Gateway API has no "answer 404" rule to close the gap: name the
/// hosts instead.
fn hostless_exposure(ir: &Ir, report: &mut Report) {
    HostlessFacts::of(ir).report(report);
}

/// What [`hostless_exposure`] needs of a set of hosts, so that a sharded run can
/// gather it shard by shard and check once.
#[derive(Debug, Default)]
pub struct HostlessFacts {
    /// Catch-all hosts with rules, by Gateway: their owner and paths.
    catch_all: BTreeMap<GatewayId, (crate::report::ObjectRef, BTreeSet<String>)>,
    /// Named hosts with neither a `/` rule nor an implicit-root redirect, by Gateway.
    exposed: BTreeMap<GatewayId, BTreeSet<String>>,
}

impl HostlessFacts {
    pub fn of(ir: &Ir) -> Self {
        let mut facts = HostlessFacts::default();
        for h in ir.hosts.values() {
            match h.id.host.hostname() {
                None if h.rules.is_empty() => {}
                None => {
                    let paths = h.rules.iter().map(|r| r.source_path.path.clone()).collect();
                    facts
                        .catch_all
                        .insert(h.id.gateway.clone(), (h.owner.clone(), paths));
                }
                Some(name) => {
                    let has_root = h
                        .rules
                        .iter()
                        .any(|r| r.source_path.path == "/" && !r.source_path.path_type.is_exact());
                    if !has_root && h.implicit_root.https_redirect.is_none() {
                        facts
                            .exposed
                            .entry(h.id.gateway.clone())
                            .or_default()
                            .insert(name.to_string());
                    }
                }
            }
        }
        facts
    }

    /// Adds the facts of hosts gathered apart (another shard).
    pub fn merge(&mut self, other: HostlessFacts) {
        self.catch_all.extend(other.catch_all);
        for (gateway, names) in other.exposed {
            self.exposed.entry(gateway).or_default().extend(names);
        }
    }

    pub fn report(&self, report: &mut Report) {
        for (gateway, (owner, paths)) in &self.catch_all {
            let Some(exposed) = self.exposed.get(gateway).filter(|e| !e.is_empty()) else {
                continue;
            };
            const SHOWN: usize = 10;
            let mut hosts = exposed
                .iter()
                .take(SHOWN)
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join(", ");
            if exposed.len() > SHOWN {
                hosts.push_str(&format!(" and {} more", exposed.len() - SHOWN));
            }
            report.push(
                Notification::warning(
                    crate::passes::ingress_rules::HOSTLESS_RULES,
                    format!(
                        "host-less paths ({}) are served by a route without hostnames, which Gateway API also uses for requests to {hosts} that match none of their own rules; ingress-nginx answers those with the host's implicit `/` (404 unless its first Ingress has a defaultBackend)",
                        paths.iter().map(String::as_str).collect::<Vec<_>>().join(", ")
                    ),
                )
                .object(owner)
                .suggest("give those hosts a `/` rule (e.g. to a Service that answers 404), or give the host-less rules a host"),
            );
        }
    }
}

/// GRPCRoutes for the gRPC rules of a host (one per namespace), on the host's
/// HTTPS listener, and on the HTTP listener (h2c) unless plain HTTP redirects.
#[allow(clippy::too_many_arguments)]
fn emit_grpc_routes(
    host: &VirtualHost,
    rules: &[&Rule],
    parents: &BTreeMap<(GatewayId, String), gwapi::ParentReference>,
    names: &RouteNames,
    options: &TranslateOptions,
    out: &mut Vec<GatewayObject>,
    report: &mut Report,
    mut map: Option<&mut Vec<EmittedRule>>,
) {
    let gw = &host.id.gateway;
    let https_parent = https_parent(host, parents);
    let mut by_ns: BTreeMap<&str, Vec<&Rule>> = BTreeMap::new();
    for r in rules {
        by_ns.entry(r.namespace.as_str()).or_default().push(r);
    }
    for (ns, rules) in by_ns {
        let base = derived(&names.base(gw, &host.id.host, ns), "grpc");
        let mut parent_refs = Vec::new();
        if !rules.iter().any(|r| r.https_redirect.is_some()) || https_parent.is_none() {
            parent_refs.push(http_parent(gw));
        }
        if https_parent.is_some() && rules.iter().any(|r| carries_hsts(r)) {
            report.push(
                Notification::info(HSTS_NOT_ON_GRPC, format!("host {}: the GRPCRoute in namespace {ns} carries no Strict-Transport-Security header (ingress-nginx adds it to HTTPS responses); gRPC clients do not use HSTS", host.id.host))
                    .object(&host.owner),
            );
        }
        parent_refs.extend(https_parent.cloned());
        let converted: Vec<gwapi::GrpcRouteRule> = rules
            .iter()
            .map(|r| grpc_rule(r, options, report))
            .collect();
        // GRPCRoute allows 16 rules too; the parts keep the rule order (as HTTPRoutes).
        let chunks: Vec<&[gwapi::GrpcRouteRule]> = converted.chunks(MAX_RULES).collect();
        if chunks.len() > 1 {
            report.push(
                Notification::info(ROUTE_SPLIT, format!("host {} has {} gRPC rules in namespace {ns}; split into {} GRPCRoutes of at most {MAX_RULES} rules, named in rule order (Gateway API ranks gRPC matches by specificity whatever their route, and breaks remaining ties by route age, then name)", host.id.host, converted.len(), chunks.len()))
                    .object(&host.owner),
            );
        }
        let sources = sources_of(rules.iter().map(|r| &r.from));
        let count = chunks.len();
        for (i, chunk) in chunks.into_iter().enumerate() {
            if let Some(map) = map.as_deref_mut() {
                let origins = rules.iter().skip(i * MAX_RULES);
                for (r, origin) in chunk.iter().zip(origins) {
                    if let Some(section) = &r.name
                        && !r.backend_refs.is_empty()
                    {
                        map.push(EmittedRule {
                            kind: "GRPCRoute",
                            gateway: gw.clone(),
                            hostname: host.id.host.hostname().map(str::to_string),
                            namespace: ns.to_string(),
                            route: part_name(&base, i, count),
                            section: section.clone(),
                            rule: (*origin).clone(),
                        });
                    }
                }
            }
            out.push(GatewayObject::GrpcRoute(gwapi::GrpcRoute {
                api_version: gwapi::API_VERSION_V1.into(),
                kind: "GRPCRoute".into(),
                metadata: meta(part_name(&base, i, count), ns, sources.clone()),
                spec: gwapi::GrpcRouteSpec {
                    parent_refs: parent_refs.clone(),
                    hostnames: route_hostnames(host),
                    rules: chunk.to_vec(),
                },
            }));
        }
    }
}

fn grpc_rule(r: &Rule, options: &TranslateOptions, report: &mut Report) -> gwapi::GrpcRouteRule {
    // GRPCRoute has no ExternalAuth filter: access control closes the rule
    // (a GRPCRoute rule without backends answers UNAVAILABLE).
    let closed =
        super::access::decide_grpc(r, options, report) == super::access::Decision::FailClosed;
    let matches = r
        .matches
        .iter()
        .filter_map(|m| {
            let method = m.path.as_ref().and_then(grpc_method)?;
            let http = convert_match(m);
            Some(gwapi::GrpcRouteMatch {
                method: method.map(|g| gwapi::GrpcMethodMatch {
                    match_type: Some("Exact".into()),
                    service: Some(g.service),
                    method: g.method,
                }),
                headers: http.headers,
            })
        })
        .filter(|m| m.method.is_some() || !m.headers.is_empty())
        .collect();
    let filters = r
        .filters
        .iter()
        .filter(|f| {
            matches!(
                f.filter,
                Filter::RequestHeaders(_) | Filter::ResponseHeaders(_) | Filter::Mirror { .. }
            )
        })
        .map(|f| convert_filter(&f.filter, &r.namespace))
        .collect();
    if closed {
        return gwapi::GrpcRouteRule {
            name: Some(dns_label(&r.name, 63)),
            matches,
            filters: Vec::new(),
            backend_refs: Vec::new(),
        };
    }
    let backend_refs = match &r.action {
        Action::Forward(backends) => backends
            .iter()
            .map(|b| gwapi::HttpBackendRef {
                name: b.service.clone(),
                namespace: (b.namespace != r.namespace).then(|| b.namespace.clone()),
                port: Some(b.port),
                weight: b.weight,
                ..Default::default()
            })
            .collect(),
        Action::Redirect(_) => Vec::new(),
    };
    gwapi::GrpcRouteRule {
        name: Some(dns_label(&r.name, 63)),
        matches,
        filters,
        backend_refs,
    }
}

fn https_redirect_rule(name: &str, prefix: &str, status: u16) -> gwapi::HttpRouteRule {
    gwapi::HttpRouteRule {
        name: Some(dns_label(name, 63)),
        matches: vec![gwapi::HttpRouteMatch {
            path: Some(gwapi::HttpPathMatch {
                match_type: Some("PathPrefix".into()),
                value: Some(prefix.into()),
            }),
            ..Default::default()
        }],
        filters: vec![redirect_filter(&Redirect {
            scheme: Some("https".into()),
            hostname: None,
            path: None,
            port: None,
            status,
        })],
        ..Default::default()
    }
}

/// Whether `rule` is an HTTP→HTTPS redirect to the same host and path.
fn is_https_redirect(rule: &gwapi::HttpRouteRule) -> bool {
    rule.filters.iter().any(|f| {
        f.request_redirect.as_ref().is_some_and(|r| {
            r.scheme.as_deref() == Some("https")
                && r.hostname.is_none()
                && r.path.is_none()
                && r.port.is_none()
        })
    })
}

/// Rule names must be unique within a route.
fn unique_rule_names(mut rules: Vec<gwapi::HttpRouteRule>) -> Vec<gwapi::HttpRouteRule> {
    let mut seen = BTreeSet::new();
    for r in &mut rules {
        if let Some(name) = &r.name {
            let mut candidate = name.clone();
            let mut n = 2;
            while !seen.insert(candidate.clone()) {
                candidate = dns_label(&format!("{name}-{n}"), 63);
                n += 1;
            }
            r.name = Some(candidate);
        }
    }
    rules
}

/// True when the HTTPS side of `r` gets the Strict-Transport-Security header:
/// forwarding rules only (redirects answered by the Gateway carry no response
/// header filter in Gateway API's conformance).
fn carries_hsts(r: &Rule) -> bool {
    matches!(r.action, Action::Forward(_))
        && r.filters
            .iter()
            .any(|f| matches!(f.filter, Filter::StrictTransportSecurity(_)))
}

fn convert_rule(
    r: &Rule,
    http_side: bool,
    options: &TranslateOptions,
    report: &mut Report,
) -> gwapi::HttpRouteRule {
    let matches = r.matches.iter().map(convert_match).collect();
    if http_side
        && let Some(h) = r.https_redirect
        && !matches!(r.action, Action::Redirect(_))
    {
        return gwapi::HttpRouteRule {
            name: Some(dns_label(&r.name, 63)),
            matches,
            filters: vec![redirect_filter(&Redirect {
                scheme: Some("https".into()),
                hostname: None,
                path: None,
                port: None,
                status: h.status,
            })],
            ..Default::default()
        };
    }
    let decision = super::access::decide(r, options, report);
    let mut filters: Vec<gwapi::HttpRouteFilter> = r
        .filters
        .iter()
        .filter(|f| super::access::emits_filter(&f.filter, &r.namespace, options))
        .filter(|f| {
            !matches!(f.filter, Filter::StrictTransportSecurity(_)) || !http_side && carries_hsts(r)
        })
        .map(|f| convert_filter(&f.filter, &r.namespace))
        .collect();
    let mut backend_refs = Vec::new();
    match &r.action {
        Action::Forward(backends) => {
            backend_refs = backends
                .iter()
                .map(|b| gwapi::HttpBackendRef {
                    name: b.service.clone(),
                    namespace: (b.namespace != r.namespace).then(|| b.namespace.clone()),
                    port: Some(b.port),
                    weight: b.weight,
                    ..Default::default()
                })
                .collect()
        }
        Action::Redirect(redirect) => filters.push(redirect_filter(redirect)),
    }
    let rule = gwapi::HttpRouteRule {
        name: Some(dns_label(&r.name, 63)),
        matches,
        filters: super::filters::merge_header_modifiers(filters),
        backend_refs,
        timeouts: r.timeouts.as_ref().map(|t| {
            Box::new(gwapi::HttpRouteTimeouts {
                request: t.request.clone(),
                backend_request: t.backend_request.clone(),
            })
        }),
        retry: r.retry.as_ref().map(|t| {
            Box::new(gwapi::HttpRouteRetry {
                codes: t.codes.clone(),
                attempts: t.attempts,
                backoff: None,
            })
        }),
        session_persistence: r.session_persistence.as_ref().map(|s| {
            Box::new(gwapi::SessionPersistence {
                session_name: s.session_name.clone(),
                persistence_type: Some("Cookie".into()),
                absolute_timeout: s.absolute_timeout.clone(),
                cookie_config: Some(gwapi::CookieConfig {
                    lifetime_type: Some(if s.permanent { "Permanent" } else { "Session" }.into()),
                }),
            })
        }),
    };
    match decision {
        super::access::Decision::Open => rule,
        super::access::Decision::FailClosed => super::access::fail_closed(rule),
    }
}

fn convert_match(m: &Match) -> gwapi::HttpRouteMatch {
    let string_match = |h: &HeaderMatch| {
        let (t, v) = match &h.value {
            StringMatch::Exact(v) => (None, v.clone()),
            StringMatch::Regex(v) => (Some("RegularExpression".to_string()), v.clone()),
        };
        gwapi::HttpHeaderMatch {
            match_type: t,
            name: h.name.clone(),
            value: v,
        }
    };
    gwapi::HttpRouteMatch {
        path: m.path.as_ref().map(|p| {
            let (t, v) = match p {
                PathMatch::Exact(v) => ("Exact", v),
                PathMatch::Prefix(v) => ("PathPrefix", v),
                PathMatch::Regex(v) => ("RegularExpression", v),
            };
            gwapi::HttpPathMatch {
                match_type: Some(t.into()),
                value: Some(v.clone()),
            }
        }),
        headers: m.headers.iter().map(string_match).collect(),
        query_params: m
            .query
            .iter()
            .map(|q| {
                let h = string_match(q);
                gwapi::HttpQueryParamMatch {
                    match_type: h.match_type,
                    name: h.name,
                    value: h.value,
                }
            })
            .collect(),
        method: m.method.clone(),
    }
}

fn path_modifier(p: &PathRewrite) -> gwapi::PathModifier {
    match p {
        PathRewrite::Full(v) => gwapi::PathModifier {
            modifier_type: "ReplaceFullPath".into(),
            replace_full_path: Some(v.clone()),
            replace_prefix_match: None,
        },
        PathRewrite::Prefix(v) => gwapi::PathModifier {
            modifier_type: "ReplacePrefixMatch".into(),
            replace_full_path: None,
            replace_prefix_match: Some(v.clone()),
        },
    }
}

fn redirect_filter(r: &Redirect) -> gwapi::HttpRouteFilter {
    gwapi::HttpRouteFilter {
        filter_type: "RequestRedirect".into(),
        request_redirect: Some(Box::new(gwapi::RequestRedirect {
            scheme: r.scheme.clone(),
            hostname: r.hostname.clone(),
            path: r.path.as_ref().map(path_modifier),
            port: r.port,
            status_code: Some(r.status),
        })),
        ..Default::default()
    }
}

fn header_modifier(e: &HeaderEdits) -> gwapi::HeaderModifier {
    let pairs = |v: &Vec<(String, String)>| {
        v.iter()
            .map(|(n, v)| gwapi::HttpHeader {
                name: n.clone(),
                value: v.clone(),
            })
            .collect()
    };
    gwapi::HeaderModifier {
        set: pairs(&e.set),
        add: pairs(&e.add),
        remove: e.remove.clone(),
    }
}

fn backend_object(b: &Backend) -> gwapi::BackendObjectReference {
    gwapi::BackendObjectReference {
        name: b.service.clone(),
        port: Some(b.port),
        ..Default::default()
    }
}

fn convert_filter(f: &Filter, route_namespace: &str) -> gwapi::HttpRouteFilter {
    let base = |t: &str| gwapi::HttpRouteFilter {
        filter_type: t.into(),
        ..Default::default()
    };
    match f {
        Filter::RequestHeaders(e) => gwapi::HttpRouteFilter {
            request_header_modifier: Some(Box::new(header_modifier(e))),
            ..base("RequestHeaderModifier")
        },
        Filter::ResponseHeaders(e) => gwapi::HttpRouteFilter {
            response_header_modifier: Some(Box::new(header_modifier(e))),
            ..base("ResponseHeaderModifier")
        },
        Filter::UrlRewrite { hostname, path } => gwapi::HttpRouteFilter {
            url_rewrite: Some(Box::new(gwapi::UrlRewrite {
                hostname: hostname.clone(),
                path: path.as_ref().map(path_modifier),
            })),
            ..base("URLRewrite")
        },
        Filter::Mirror { backend, percent } => gwapi::HttpRouteFilter {
            request_mirror: Some(Box::new(gwapi::RequestMirror {
                backend_ref: gwapi::BackendObjectReference {
                    namespace: Some(backend.namespace.clone()),
                    ..backend_object(backend)
                },
                percent: *percent,
            })),
            ..base("RequestMirror")
        },
        Filter::Cors(c) => gwapi::HttpRouteFilter {
            cors: Some(Box::new(gwapi::Cors {
                allow_origins: c.allow_origins.clone(),
                allow_credentials: c.allow_credentials,
                allow_methods: c.allow_methods.clone(),
                allow_headers: c.allow_headers.clone(),
                expose_headers: c.expose_headers.clone(),
                max_age: c.max_age,
            })),
            ..base("CORS")
        },
        Filter::ExternalAuth(a) => gwapi::HttpRouteFilter {
            external_auth: Some(Box::new(gwapi::ExternalAuth {
                protocol: a.protocol.clone(),
                backend_ref: gwapi::BackendObjectReference {
                    namespace: (a.backend.namespace != route_namespace)
                        .then(|| a.backend.namespace.clone()),
                    ..backend_object(&a.backend)
                },
                http: Some(gwapi::ExternalAuthHttp {
                    path: a.path.clone(),
                    allowed_headers: Vec::new(),
                    allowed_response_headers: a.allowed_response_headers.clone(),
                }),
            })),
            ..base("ExternalAuth")
        },
        Filter::StrictTransportSecurity(h) => gwapi::HttpRouteFilter {
            response_header_modifier: Some(Box::new(gwapi::HeaderModifier {
                set: vec![gwapi::HttpHeader {
                    name: ir::Hsts::HEADER.into(),
                    value: h.value(),
                }],
                ..Default::default()
            })),
            ..base("ResponseHeaderModifier")
        },
        // Never written out: `access::emits_filter` filters it before conversion.
        Filter::AccessControl(_) => base("AccessControl"),
    }
}

fn tls_route(r: &TlsPassthroughRoute, names: &RouteNames) -> gwapi::TlsRoute {
    gwapi::TlsRoute {
        api_version: gwapi::API_VERSION_V1.into(),
        kind: "TLSRoute".into(),
        metadata: meta(names.tls_base(r), &r.namespace, sources_of([&r.from])),
        spec: gwapi::TlsRouteSpec {
            parent_refs: vec![gwapi::ParentReference {
                name: r.gateway.name.clone(),
                namespace: Some(r.gateway.namespace.clone()),
                section_name: Some(passthrough_listener_name(&r.hostname)),
                ..Default::default()
            }],
            hostnames: vec![r.hostname.clone()],
            rules: vec![gwapi::TlsRouteRule {
                name: None,
                backend_refs: vec![backend_object(&r.backend)],
            }],
        },
    }
}

/// `(namespace, name)` of every Service an emitted HTTPRoute or GRPCRoute
/// sends requests to: rule backendRefs, RequestMirror and ExternalAuth
/// backendRefs. A BackendTLSPolicy for any other Service attaches to nothing
/// (Envoy Gateway leaves it without status).
fn referenced_services(objects: &[GatewayObject]) -> BTreeSet<(String, String)> {
    fn service<'a>(
        route_ns: &'a str,
        kind: Option<&String>,
        namespace: Option<&'a String>,
        name: &'a str,
    ) -> Option<(String, String)> {
        kind.is_none_or(|k| k == "Service").then(|| {
            (
                namespace.map_or(route_ns, String::as_str).to_string(),
                name.to_string(),
            )
        })
    }
    let mut out = BTreeSet::new();
    for o in objects {
        // (filters, backendRefs) of each rule.
        type RuleRefs<'r> = Vec<(&'r [gwapi::HttpRouteFilter], Vec<&'r gwapi::HttpBackendRef>)>;
        let (meta, rules): (&gwapi::ObjectMeta, RuleRefs<'_>) = match o {
            GatewayObject::HttpRoute(r) => (
                &r.metadata,
                r.spec
                    .rules
                    .iter()
                    .map(|rule| (rule.filters.as_slice(), rule.backend_refs.iter().collect()))
                    .collect(),
            ),
            GatewayObject::GrpcRoute(r) => (
                &r.metadata,
                r.spec
                    .rules
                    .iter()
                    .map(|rule| (rule.filters.as_slice(), rule.backend_refs.iter().collect()))
                    .collect(),
            ),
            _ => continue,
        };
        let ns = meta.namespace.as_deref().unwrap_or("default");
        for (filters, backends) in rules {
            for b in backends {
                out.extend(service(ns, b.kind.as_ref(), b.namespace.as_ref(), &b.name));
            }
            for f in filters {
                if let Some(m) = &f.request_mirror {
                    let b = &m.backend_ref;
                    out.extend(service(ns, b.kind.as_ref(), b.namespace.as_ref(), &b.name));
                }
                if let Some(a) = &f.external_auth {
                    let b = &a.backend_ref;
                    out.extend(service(ns, b.kind.as_ref(), b.namespace.as_ref(), &b.name));
                }
            }
        }
    }
    out
}

/// The BackendTLSPolicy of a Service no emitted route uses is not emitted
/// (it would attach to nothing); this corrects the backend-tls note of the
/// pass, which listed the Service before the routes were known.
fn unused_backend_tls(b: &BackendTls) -> Notification {
    let mut n = Notification::info(
        crate::passes::backend_protocol::BACKEND_TLS,
        format!(
            "no BackendTLSPolicy is emitted for Service {}/{} after all: no emitted HTTPRoute or GRPCRoute sends requests to it (its rules redirect, fail closed or pass TLS through), so the policy would attach to nothing; the TLS-to-backend settings for it are moot",
            b.namespace, b.service
        ),
    )
    .span(b.from.span.clone());
    if let Some(o) = &b.from.object {
        n = n.object(o);
    }
    if let Some(a) = &b.from.annotation {
        n = n.field(a.clone());
    }
    n
}

fn backend_tls(b: &BackendTls) -> gwapi::BackendTlsPolicy {
    gwapi::BackendTlsPolicy {
        api_version: gwapi::API_VERSION_V1.into(),
        kind: "BackendTLSPolicy".into(),
        metadata: meta(
            dns_subdomain(&b.service, 253),
            &b.namespace,
            sources_of([&b.from]),
        ),
        spec: gwapi::BackendTlsPolicySpec {
            target_refs: vec![gwapi::PolicyTargetReference {
                group: String::new(),
                kind: "Service".into(),
                name: b.service.clone(),
                section_name: None,
            }],
            validation: gwapi::BackendTlsValidation {
                ca_certificate_refs: b
                    .ca_certificate
                    .iter()
                    .map(|c| gwapi::ObjectReference {
                        group: Some(String::new()),
                        kind: Some("ConfigMap".into()),
                        name: c.clone(),
                        namespace: None,
                    })
                    .collect(),
                well_known_ca_certificates: b
                    .ca_certificate
                    .is_none()
                    .then(|| "System".to_string()),
                hostname: b.hostname.clone(),
            },
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listener_sets_are_admitted_from_the_narrowest_namespaces() {
        let ns = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
        let (same, _) = allowed_listener_namespaces("gateway-system", &ns(&["gateway-system"]));
        assert_eq!(same.from, "Same");
        assert!(same.selector.is_none());
        let (sel, text) = allowed_listener_namespaces("gateway-system", &ns(&["beta", "alpha"]));
        assert_eq!(sel.from, "Selector");
        let expr = &sel.selector.expect("selector").match_expressions[0];
        assert_eq!(
            (expr.key.as_str(), expr.operator.as_str()),
            (NAMESPACE_NAME_LABEL, "In")
        );
        assert_eq!(expr.values, ["alpha", "beta"]);
        assert!(text.contains("alpha, beta"), "{text}");
    }

    #[test]
    fn split_parts_are_named_in_rule_order() {
        assert_eq!(part_name("h-grpc", 0, 2), "h-grpc");
        assert_eq!(part_name("h-grpc", 1, 2), "h-grpc-2");
        let names: Vec<String> = (0..12).map(|i| part_name("r", i, 12)).collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
        assert_eq!(names[11], "r-12");
        assert_eq!(names[1], "r-02");
    }
}
