//! From Ingresses to nginx servers and locations (reference §2.2–2.7, §3.2 steps 1–3).

use super::annotations::{self, IngressAnnotations};
use super::canary;
use super::pcre::Pcre;
use super::{Denied, IngressEntry, Location, LocationKind, Modifier, NginxModel, Server, Upstream};
use crate::input::{InputIngress, InputSet};
use crate::ir::HostKey;
use crate::options::TranslateOptions;
use crate::passes::{class_selection, controller_validation, ingress_order, locations};
use crate::report::Report;
use crate::verify::request::ServiceTarget;
use k8s_openapi::api::networking::v1::IngressBackend;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The catch-all server's name.
pub const CATCH_ALL: &str = crate::ir::CATCH_ALL_SERVER;

pub fn build(input: &InputSet, options: &TranslateOptions) -> NginxModel {
    let mut scratch = Report::default();
    let mut selected = class_selection::select(input, options, &mut scratch);
    selected.sort_by(|a, b| ingress_order::compare(a.0, b.0));
    let config = crate::pipeline::controller_config(input, options, &mut scratch);
    let prefix = options.annotation_prefix.as_str();
    // The translation's controller screen: rejected Ingresses are not served at
    // all; denied ones answer 503 (client-certificate errors: 403 for the host).
    // Ingresses with a host the API server rejects never reach the controller.
    let candidates: Vec<&InputIngress> = selected.iter().map(|s| s.0).collect();
    let invalid_hosts = crate::passes::hostnames::screen(&candidates, &mut scratch);
    selected.retain(|(ing, _)| !invalid_hosts.contains(&ing.obj));
    let controller = controller_validation::model(options, &config, &mut scratch);
    let candidates: Vec<&InputIngress> = selected.iter().map(|s| s.0).collect();
    let verdicts =
        controller_validation::screen(&candidates, input, options, &controller, &mut scratch);
    selected.retain(|(ing, _)| !verdicts.rejected.contains(&ing.obj));

    let mut model = NginxModel {
        http_redirect_code: config.http_redirect_code(),
        no_tls_redirect_locations: config.no_tls_redirect_locations(),
        global_not_modelled: global_not_modelled(&config),
        cm_body_limit: super::body::BodyLimit::configmap(config.get("proxy-body-size")),
        cm_ssl: (
            config.bool("ssl-redirect", true),
            config.bool("force-ssl-redirect", false),
            config.bool("preserve-trailing-slash", false),
        ),
        ..NginxModel::default()
    };

    let mut ingresses: Vec<&InputIngress> = Vec::new();
    for (ing, _) in &selected {
        let mut ann = annotations::read(ing, prefix, &config);
        if ann.dropped.is_some() {
            continue;
        }
        let denied = verdicts.denied.get(&ing.obj).map(|d| Denied {
            whole_host: d.whole_host,
        });
        if denied.is_some() {
            // `return 503` (or the host's 403) comes before anything they configure.
            ann.location_not_modelled = None;
            ann.host_not_modelled = None;
        }
        let is_canary = ann.canary.is_some();
        model.ingresses.push(IngressEntry {
            obj: ing.obj.clone(),
            ann,
            canary: is_canary,
            denied,
        });
        ingresses.push(ing);
    }

    let mut servers: BTreeMap<String, Server> = BTreeMap::new();
    servers.insert(CATCH_ALL.into(), Server::new(CATCH_ALL, None));
    // Per server, the first location added for each path (the root aside):
    // what `getBackendServers`'s scan for a same-path location finds, without
    // a walk over all of them per path (quadratic on a host of thousands).
    let mut first_of_path: HashMap<String, HashMap<String, usize>> = HashMap::new();
    let mut catch_all_root_set = false;
    for (idx, ing) in ingresses.iter().enumerate() {
        if model.ingresses[idx].canary {
            continue;
        }
        let spec = ing.ingress.spec.as_ref();
        let rules = spec.and_then(|s| s.rules.as_deref()).unwrap_or_default();
        let default_backend = spec.and_then(|s| s.default_backend.as_ref());
        if rules.is_empty() {
            if let (Some(b), false) = (default_backend, catch_all_root_set) {
                catch_all_root_set = true;
                let server = servers
                    .entry(CATCH_ALL.into())
                    .or_insert_with(|| Server::new(CATCH_ALL, None));
                if let Some(why) = &model.ingresses[idx].ann.host_not_modelled {
                    server
                        .not_modelled
                        .get_or_insert(format!("{}: {why}", model.ingresses[idx].obj));
                }
                // `createServers`: the root stops being the default backend, so a
                // later host-less `/` path is "already configured".
                let root = &mut server.locations[0];
                root.upstream = upstream_of(ing, b, input);
                root.ingress = Some(idx);
                root.implicit = false;
                root.no_rewrite_redirect = true;
            }
            continue;
        }
        for rule in rules {
            let name = HostKey::server_name(rule.host.as_deref());
            let server = servers.entry(name.clone()).or_insert_with(|| {
                let mut s = Server::new(&name, Some(idx));
                if let Some(b) = default_backend {
                    s.locations[0].upstream = upstream_of(ing, b, input);
                }
                s
            });
            if let Some(why) = &model.ingresses[idx].ann.host_not_modelled
                && server.not_modelled.is_none()
            {
                server.not_modelled = Some(format!("{}: {why}", model.ingresses[idx].obj));
            }
            if model.ingresses[idx]
                .denied
                .as_ref()
                .is_some_and(|d| d.whole_host)
            {
                server.forbidden = true;
            }
            let paths = rule
                .http
                .as_ref()
                .map(|h| h.paths.as_slice())
                .unwrap_or_default();
            let firsts = first_of_path.entry(name).or_default();
            for p in paths {
                let path = p
                    .path
                    .clone()
                    .filter(|s| !s.is_empty())
                    .unwrap_or_else(|| "/".into());
                let exact = p.path_type == "Exact";
                let upstream = upstream_of(ing, &p.backend, input);
                if !exact && path == "/" {
                    let root = &mut server.locations[0];
                    if root.implicit {
                        root.implicit = false;
                        root.no_rewrite_redirect = false;
                        root.ingress = Some(idx);
                        root.upstream = upstream;
                    }
                    continue;
                }
                // `getBackendServers` stops at the first location with the same
                // path: same type → "already configured"; another type → added,
                // even if a same-type twin comes later (then nginx rejects the
                // duplicate, ingress-nginx#10090).
                // The root comes first in that scan once it is configured.
                let first_same_path = (server.locations.first())
                    .filter(|root| !root.implicit && root.path == path)
                    .or_else(|| firsts.get(&path).and_then(|&i| server.locations.get(i)));
                if first_same_path.is_some_and(|l| l.exact == exact) {
                    continue;
                }
                firsts.entry(path.clone()).or_insert(server.locations.len());
                server.locations.push(Location {
                    path: path.clone(),
                    name: path,
                    exact,
                    modifier: Modifier::Prefix,
                    ingress: Some(idx),
                    upstream,
                    kind: LocationKind::Ingress,
                    implicit: false,
                    no_rewrite_redirect: false,
                    regex: None,
                    rewrite: None,
                });
            }
        }
        // Any non-canary Ingress with a TLS section gives its hosts a certificate.
        if spec
            .and_then(|s| s.tls.as_ref())
            .is_some_and(|t| !t.is_empty())
        {
            for rule in rules {
                if let Some(h) = HostKey::of_rule(rule.host.as_deref()).hostname() {
                    model.cert_hosts.insert(h.to_string());
                }
            }
        }
    }

    for server in servers.values_mut() {
        finish_server(server, &model.ingresses);
        if let Some((dup, owners)) = duplicate_location(server)
            && model.rejected.is_none()
        {
            model.rejected_by = owners
                .into_iter()
                .filter_map(|i| model.ingresses.get(i).map(|e| e.obj.clone()))
                .collect();
            model.rejected = Some(format!(
                "server {} has two `location {dup}` blocks: nginx rejects the configuration (`duplicate location`) and ingress-nginx keeps serving its previous one",
                server.name
            ));
            model.rejected_by.dedup();
        }
    }
    model.servers = servers.into_values().collect();
    for server in &mut model.servers {
        server.location_index = super::location::LocationIndex::new(&server.locations);
    }
    let broken = model
        .servers
        .iter()
        .flat_map(|s| &s.locations)
        .flat_map(|l| l.regex.iter().chain(l.rewrite.iter().map(|r| &r.0)))
        .find_map(|re| {
            re.compiled
                .as_ref()
                .err()
                .map(|e| (re.source.clone(), e.clone()))
        });
    // nginx has no `$0` capture (verified: `unknown "0" variable`); other `$name`s
    // are variables nginx may or may not know.
    for l in model.servers.iter().flat_map(|s| &s.locations) {
        let Some((_, target)) = &l.rewrite else {
            continue;
        };
        let vars = target
            .match_indices('$')
            .filter_map(|(i, _)| target[i + 1..].chars().next());
        for next in vars {
            if next == '0' && model.rejected.is_none() {
                model.rejected_by = l
                    .ingress
                    .and_then(|i| model.ingresses.get(i))
                    .map(|e| e.obj.clone())
                    .into_iter()
                    .collect();
                model.rejected = Some(format!(
                    "rewrite-target `{target}` uses `$0`: nginx rejects the configuration (unknown variable)"
                ));
            } else if !next.is_ascii_digit() {
                model.global_not_modelled.get_or_insert(format!(
                    "rewrite-target `{target}` uses an nginx variable (nginx may reject the configuration)"
                ));
            }
        }
    }
    if let Some((source, e)) = broken {
        // nginx may reject the whole configuration; nothing is decided without it.
        model
            .global_not_modelled
            .get_or_insert(format!("regex `{source}` cannot be evaluated here ({e})"));
    }
    model.canaries = canary::attach(&model, &ingresses, input);
    model.alias_hosts = alias_hosts(&model, &ingresses, prefix);
    model
}

impl Server {
    fn new(name: &str, owner: Option<usize>) -> Self {
        Server {
            name: name.to_string(),
            wildcard: name.strip_prefix("*.").map(String::from),
            regex_mode: false,
            forbidden: false,
            app_root: None,
            not_modelled: None,
            locations: vec![Location {
                path: "/".into(),
                name: "/".into(),
                exact: false,
                modifier: Modifier::Prefix,
                ingress: owner,
                upstream: Upstream::Default,
                kind: LocationKind::Ingress,
                implicit: true,
                no_rewrite_redirect: false,
                regex: None,
                rewrite: None,
            }],
            location_index: super::location::LocationIndex::default(),
        }
    }
}

/// The upstream name ingress-nginx gives a backend (`ns-svc-port`, port number or name).
pub(super) fn upstream_of(ing: &InputIngress, b: &IngressBackend, input: &InputSet) -> Upstream {
    let Some(svc) = &b.service else {
        return Upstream::Unresolved("Resource backend".into());
    };
    let ns = ing.namespace();
    let port = svc.port.as_ref();
    let Some(wanted) = crate::passes::ingress_rules::backend_port_key(port) else {
        return Upstream::Unresolved("backend without port".into());
    };
    // The Service port nginx sends to (number, targetPort or name, first in the
    // Service's order), named by its number as a backendRef would; without the
    // Service (or an ExternalName without ports) the Ingress's own value.
    let port = match input.service(ns, &svc.name).and_then(|s| s.spec.as_ref()) {
        Some(spec)
            if !(spec.type_.as_deref() == Some("ExternalName")
                && spec.ports.as_deref().unwrap_or_default().is_empty()) =>
        {
            match crate::passes::ingress_rules::nginx_service_port(
                spec.ports.as_deref().unwrap_or_default(),
                &wanted,
            ) {
                Some(p) => p.port.to_string(),
                None => {
                    return Upstream::Unresolved(format!(
                        "Service {ns}/{} has no port `{wanted}` (503)",
                        svc.name
                    ));
                }
            }
        }
        _ => wanted,
    };
    let raw_port = svc
        .port
        .as_ref()
        .and_then(|p| p.number.map(|n| n.to_string()).or_else(|| p.name.clone()))
        .unwrap_or_default();
    Upstream::Service {
        name: format!("{ns}-{}-{raw_port}", svc.name),
        target: ServiceTarget {
            namespace: ns.to_string(),
            name: svc.name.clone(),
            port,
        },
    }
}

fn own_regex(ann: &IngressAnnotations, path: &str) -> bool {
    ann.use_regex || needs_rewrite(ann, path)
}

/// `needsRewrite`: a rewrite-target that differs from the location path.
pub fn needs_rewrite(ann: &IngressAnnotations, path: &str) -> bool {
    ann.rewrite_target.as_deref().is_some_and(|t| t != path)
}

/// Servers with at least this many locations compile their regexes on every
/// core (below it, handing them to other threads costs more than it saves).
const PARALLEL_LOCATIONS: usize = 64;

/// Sort, expand, regex mode, modifiers, app-root, rewrite regexes.
fn finish_server(server: &mut Server, ingresses: &[IngressEntry]) {
    let ann_of = |l: &Location| -> Option<&IngressAnnotations> {
        l.ingress
            .filter(|_| !l.no_rewrite_redirect)
            .map(|i| &ingresses[i].ann)
    };
    server
        .locations
        .sort_by(|a, b| locations::compare_paths(&a.path, &b.path));
    let exact_paths: BTreeSet<String> = server
        .locations
        .iter()
        .filter(|l| l.exact)
        .map(|l| l.path.clone())
        .collect();
    let mut expanded = Vec::new();
    for loc in std::mem::take(&mut server.locations) {
        let own = ann_of(&loc).is_some_and(|a| own_regex(a, &loc.path));
        let names = locations::expand(
            locations::PathLocation {
                path: &loc.path,
                exact: loc.exact,
                own_regex: own,
            },
            exact_paths.contains(&loc.path),
        );
        for (name, exact) in names {
            expanded.push(Location {
                name,
                modifier: if exact {
                    Modifier::Exact
                } else {
                    Modifier::Prefix
                },
                ..loc.clone()
            });
        }
    }
    server.locations = expanded;
    server.regex_mode = server
        .locations
        .iter()
        .any(|l| ann_of(l).is_some_and(|a| own_regex(a, &l.path)));
    server.app_root = server.locations.iter().find_map(|l| {
        let root = ann_of(l).and_then(|a| a.app_root.clone())?;
        Some((root, l.ingress))
    });
    let regex_mode = server.regex_mode;
    let compile = |l: &mut Location| {
        if regex_mode {
            l.modifier = Modifier::Regex;
            l.regex = Some(Pcre::new(&format!("^{}", l.name), true));
        }
        let target = l
            .ingress
            .filter(|_| !l.no_rewrite_redirect)
            .and_then(|i| {
                let a = &ingresses.get(i)?.ann;
                needs_rewrite(a, &l.path).then(|| a.rewrite_target.clone())
            })
            .flatten();
        l.rewrite = target.map(|t| (Pcre::new(&l.path, true), t));
    };
    // A regex host of thousands of locations spends most of verify's time
    // compiling them: on every core. Small servers stay on this thread.
    if server.locations.len() >= PARALLEL_LOCATIONS {
        use rayon::prelude::*;
        server.locations.par_iter_mut().for_each(compile);
    } else {
        server.locations.iter_mut().for_each(compile);
    }
    if server.name == CATCH_ALL {
        for (name, kind) in [
            ("/healthz", LocationKind::Healthz),
            ("/nginx_status", LocationKind::NginxStatus),
        ] {
            server.locations.push(Location {
                path: name.into(),
                name: name.into(),
                exact: false,
                modifier: Modifier::Prefix,
                ingress: None,
                upstream: Upstream::Default,
                kind,
                implicit: false,
                no_rewrite_redirect: true,
                regex: None,
                rewrite: None,
            });
        }
    }
}

/// A non-regex location rendered twice (nginx: `duplicate location`).
/// The first duplicated location of `server`, with the Ingresses (indices) of
/// both blocks, so the report can name the object to fix or `--exclude`.
fn duplicate_location(server: &Server) -> Option<(String, Vec<usize>)> {
    let mut seen: BTreeMap<String, Option<usize>> = BTreeMap::new();
    for l in &server.locations {
        let key = match l.modifier {
            Modifier::Regex => continue,
            Modifier::Exact => format!("= \"{}\"", l.name),
            Modifier::Prefix => format!("\"{}\"", l.name),
        };
        if let Some(first) = seen.get(&key) {
            let owners = first.iter().chain(l.ingress.iter()).copied().collect();
            return Some((key, owners));
        }
        seen.insert(key, l.ingress);
    }
    None
}

/// ConfigMap settings that change routing in ways the model does not follow.
fn global_not_modelled(cm: &crate::passes::ControllerConfig) -> Option<String> {
    let mut keys = Vec::new();
    for (k, v) in &cm.data {
        let set = !v.trim().is_empty();
        let hit = match k.as_str() {
            "relative-redirects" | "use-port-in-redirects" => cm.bool(k, false),
            "enable-annotation-validation" => !cm.bool(k, true),
            // annotations-risk-level and the word blocklist are applied by the
            // controller screen (rejected Ingresses).
            "custom-http-errors" => set,
            k if k.ends_with("-snippet") => set,
            _ => false,
        };
        if hit {
            keys.push(k.clone());
        }
    }
    (!keys.is_empty()).then(|| {
        format!(
            "controller ConfigMap keys not modelled: {}",
            keys.join(", ")
        )
    })
}

/// Host names served through server-alias / from-to-www-redirect (not modelled).
fn alias_hosts(model: &NginxModel, ingresses: &[&InputIngress], prefix: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (i, ing) in ingresses.iter().enumerate() {
        if model.ingresses[i].canary {
            continue;
        }
        let hosts: Vec<String> = ing
            .ingress
            .spec
            .as_ref()
            .and_then(|s| s.rules.as_ref())
            .into_iter()
            .flatten()
            .filter_map(|r| r.host.clone())
            .collect();
        if let Some(v) = ing.annotation(&format!("{prefix}server-alias")) {
            out.extend(
                v.split([',', ' '])
                    .map(|s| s.trim().to_ascii_lowercase())
                    .filter(|s| !s.is_empty()),
            );
        }
        if ing
            .annotation(&format!("{prefix}from-to-www-redirect"))
            .and_then(crate::passes::parse_go_bool)
            .unwrap_or(false)
        {
            for h in hosts {
                let h = h.to_ascii_lowercase();
                out.insert(match h.strip_prefix("www.") {
                    Some(apex) => apex.to_string(),
                    None => format!("www.{h}"),
                });
            }
        }
    }
    out
}
