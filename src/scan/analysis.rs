//! The cross-Ingress facts behind the scan: which Ingresses this ingress-nginx
//! serves, their hosts and paths, the hosts in regex mode, and the canaries whose
//! Service is shared. Follows the reference's §2.3 (host merging), §2.7 (regex
//! mode) and §2.13 (canary).

use super::{AnnotationUse, Risk, RiskKind, SharedHost};
use crate::catalog;
use crate::input::{InputIngress, InputSet};
use crate::ir::{CATCH_ALL_SERVER, HostKey};
use crate::options::TranslateOptions;
use crate::passes::{class_selection, parse_go_bool};
use crate::report::Report;
use std::collections::{BTreeMap, BTreeSet};

/// The catch-all server of ingress-nginx (rules without a host).
const CATCH_ALL: &str = CATCH_ALL_SERVER;
const CLASS_ANNOTATION: &str = "kubernetes.io/ingress.class";
const ALLOWLISTS: [&str; 3] = [
    "whitelist-source-range",
    "allowlist-source-range",
    "denylist-source-range",
];

/// A Service port an Ingress path sends to (ingress-nginx's upstream identity).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Backend {
    namespace: String,
    service: String,
    port: String,
}

impl std::fmt::Display for Backend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}:{}", self.namespace, self.service, self.port)
    }
}

/// One rule path, normalised as the controller does (empty path → `/`,
/// missing or ImplementationSpecific pathType → Prefix).
#[derive(Debug, Clone)]
struct PathUse {
    host: String,
    path: String,
    path_type: String,
    backend: Option<Backend>,
}

impl PathUse {
    fn same_location(&self, other: &PathUse) -> bool {
        self.host == other.host && self.path == other.path && self.path_type == other.path_type
    }
    fn label(&self) -> String {
        format!("{}{}", self.host, self.path)
    }
}

pub(super) struct Facts<'a> {
    input: &'a InputSet,
    prefix: &'a str,
    /// The class each Ingress is served under, `None` when not served.
    served_class: Vec<Option<String>>,
    canary: Vec<bool>,
    hosts: Vec<BTreeSet<String>>,
    paths: Vec<Vec<PathUse>>,
    /// Host → the Ingresses (index, annotation) that switch it to regex mode.
    regex_causes: BTreeMap<String, Vec<(usize, &'static str)>>,
    /// The primaries' paths by location and by backend, built on the first
    /// canary: a scan of every primary path per canary path was quadratic.
    primary_index: std::cell::OnceCell<PrimaryIndex>,
}

/// Positions `(Ingress, path)` in `Facts::paths` of the primaries' paths.
#[derive(Default)]
struct PrimaryIndex {
    by_location: std::collections::HashMap<(String, String, String), Vec<(usize, usize)>>,
    by_backend: BTreeMap<Backend, Vec<(usize, usize)>>,
}

impl<'a> Facts<'a> {
    pub fn new(input: &'a InputSet, options: &'a TranslateOptions) -> Self {
        // Selection notifications are already in the translation's report.
        let selected = class_selection::select(input, options, &mut Report::default());
        let served_class = input
            .ingresses
            .iter()
            .map(|ing| {
                selected
                    .iter()
                    .find(|(s, _)| std::ptr::eq(*s, ing))
                    .map(|(_, class)| class.clone())
            })
            .collect();
        let prefix = options.annotation_prefix.as_str();
        let annotation = |ing: &InputIngress, key: &str| -> Option<String> {
            ing.annotation(&format!("{prefix}{key}"))
                .map(str::to_string)
        };
        let canary = input
            .ingresses
            .iter()
            .map(|ing| annotation(ing, "canary").and_then(|v| parse_go_bool(&v)) == Some(true))
            .collect();
        let mut hosts = Vec::new();
        let mut paths = Vec::new();
        for ing in &input.ingresses {
            let (h, p) = hosts_and_paths(ing);
            hosts.push(h);
            paths.push(p);
        }
        let mut facts = Facts {
            input,
            prefix,
            served_class,
            canary,
            hosts,
            paths,
            regex_causes: BTreeMap::new(),
            primary_index: Default::default(),
        };
        facts.find_regex_hosts();
        facts
    }

    fn annotation(&self, index: usize, key: &str) -> Option<&'a str> {
        self.input.ingresses[index].annotation(&format!("{}{key}", self.prefix))
    }

    pub fn served(&self, index: usize) -> bool {
        self.served_class[index].is_some()
    }

    pub fn is_canary(&self, index: usize) -> bool {
        self.canary[index]
    }

    /// The served class, else the class the Ingress asks for.
    pub fn class(&self, index: usize) -> Option<String> {
        self.served_class[index].clone().or_else(|| {
            let ing = &self.input.ingresses[index];
            ing.ingress
                .spec
                .as_ref()
                .and_then(|s| s.ingress_class_name.clone())
                .or_else(|| ing.annotation(CLASS_ANNOTATION).map(str::to_string))
        })
    }

    pub fn hosts(&self, index: usize) -> Vec<String> {
        self.hosts[index].iter().cloned().collect()
    }

    fn primaries(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.input.ingresses.len()).filter(|i| self.served(*i) && !self.canary[*i])
    }

    /// §2.7: a host is in regex mode when any location on it has `use-regex`, or a
    /// `rewrite-target` other than its own path. Canaries create no locations.
    fn find_regex_hosts(&mut self) {
        let mut causes: BTreeMap<String, Vec<(usize, &'static str)>> = BTreeMap::new();
        for i in self.primaries().collect::<Vec<_>>() {
            let use_regex = self.annotation(i, "use-regex").and_then(parse_go_bool) == Some(true);
            let target = self
                .annotation(i, "rewrite-target")
                .filter(|t| !t.is_empty());
            for host in &self.hosts[i] {
                let host_paths: Vec<&PathUse> =
                    self.paths[i].iter().filter(|p| &p.host == host).collect();
                let cause = if use_regex {
                    Some("use-regex")
                } else {
                    match target {
                        // A host-only rule still gets the implicit `/` location.
                        Some(t) if host_paths.is_empty() && t != "/" => Some("rewrite-target"),
                        Some(t) if host_paths.iter().any(|p| p.path != t) => Some("rewrite-target"),
                        _ => None,
                    }
                };
                if let Some(annotation) = cause {
                    causes
                        .entry(host.clone())
                        .or_default()
                        .push((i, annotation));
                }
            }
        }
        self.regex_causes = causes;
    }

    fn object(&self, index: usize) -> String {
        let ing = &self.input.ingresses[index];
        format!("{}/{}", ing.namespace(), ing.name())
    }

    /// The risks of one Ingress, sorted.
    pub fn risks(&self, index: usize, annotations: &[AnnotationUse]) -> Vec<Risk> {
        let mut risks = BTreeSet::new();
        let mut grouped: BTreeMap<RiskKind, Vec<&str>> = BTreeMap::new();
        for a in annotations {
            let name = a.name.as_str();
            let kind = if name.ends_with("snippet") {
                Some(RiskKind::Snippet)
            } else if name.starts_with("auth-") || name == "enable-global-auth" || name == "satisfy"
            {
                Some(RiskKind::Auth)
            } else if ALLOWLISTS.contains(&name) {
                Some(RiskKind::Allowlist)
            } else if catalog::lookup(name).is_some_and(|i| i.risky) {
                Some(RiskKind::Other)
            } else {
                None
            };
            if let Some(kind) = kind {
                grouped.entry(kind).or_default().push(name);
            }
        }
        for (kind, names) in grouped {
            let detail = match kind {
                RiskKind::Snippet => {
                    "raw nginx configuration: Gateway API has no equivalent; rewrite it by hand as filters or an implementation policy"
                }
                RiskKind::Auth => {
                    "access control: ing2gw never turns it into an open route; check the generated filter or policy, or the error naming it"
                }
                RiskKind::Allowlist => {
                    "source IP access control: needs an implementation policy; until then the route must not be exposed"
                }
                _ => "flagged risky by the annotation catalog; read its notification",
            };
            risks.insert(Risk {
                kind,
                annotation: Some(names.join(", ")),
                detail: detail.to_string(),
            });
        }
        if self.served(index) && !self.canary[index] {
            self.regex_risks(index, &mut risks);
        }
        if self.served(index) && self.canary[index] {
            self.canary_risks(index, &mut risks);
        }
        risks.into_iter().collect()
    }

    fn regex_risks(&self, index: usize, risks: &mut BTreeSet<Risk>) {
        for host in &self.hosts[index] {
            let Some(causes) = self.regex_causes.get(host) else {
                continue;
            };
            let own: Vec<&str> = causes
                .iter()
                .filter(|(i, _)| *i == index)
                .map(|(_, a)| *a)
                .collect();
            let risk = match own.first() {
                Some(annotation) => Risk {
                    kind: RiskKind::RegexHost,
                    annotation: Some((*annotation).to_string()),
                    detail: format!(
                        "puts host {host} in regex mode: every path of every Ingress on it becomes a case-insensitive regex prefix match"
                    ),
                },
                None => {
                    // All causes, sorted, so the text does not depend on input order.
                    let because: BTreeSet<String> = causes
                        .iter()
                        .map(|(i, a)| format!("{} ({a})", self.object(*i)))
                        .collect();
                    let annotations: BTreeSet<&str> = causes.iter().map(|(_, a)| *a).collect();
                    Risk {
                        kind: RiskKind::RegexHost,
                        annotation: Some(annotations.into_iter().collect::<Vec<_>>().join(", ")),
                        detail: format!(
                            "host {host} is in regex mode because of {}: this Ingress's paths are matched as case-insensitive regexes too",
                            because.into_iter().collect::<Vec<_>>().join(", ")
                        ),
                    }
                }
            };
            risks.insert(risk);
        }
    }

    /// §2.13: the canary is attached to the primary's Service port (upstream), not
    /// to the host and path, so every other location using that Service port is
    /// canaried too; and a canary Service that is also a primary backend elsewhere
    /// either never receives canary traffic or takes those paths down.
    fn canary_risks(&self, index: usize, risks: &mut BTreeSet<Risk>) {
        let idx = self.primary_index.get_or_init(|| {
            let mut idx = PrimaryIndex::default();
            for j in self.primaries() {
                for (k, p) in self.paths[j].iter().enumerate() {
                    idx.by_location
                        .entry((p.host.clone(), p.path.clone(), p.path_type.clone()))
                        .or_default()
                        .push((j, k));
                    if let Some(b) = &p.backend {
                        idx.by_backend.entry(b.clone()).or_default().push((j, k));
                    }
                }
            }
            idx
        });
        let path_at = |&(j, k): &(usize, usize)| {
            self.paths
                .get(j)
                .and_then(|paths| paths.get(k))
                .map(|p| (j, p))
        };
        let of_backend = |b: &Backend| {
            idx.by_backend
                .get(b)
                .into_iter()
                .flatten()
                .filter_map(path_at)
        };
        for canary_path in &self.paths[index] {
            let location = (
                canary_path.host.clone(),
                canary_path.path.clone(),
                canary_path.path_type.clone(),
            );
            let backends: BTreeSet<&Backend> = idx
                .by_location
                .get(&location)
                .into_iter()
                .flatten()
                .filter_map(path_at)
                .filter_map(|(_, p)| p.backend.as_ref())
                .collect();
            for backend in backends {
                let others: BTreeSet<String> = of_backend(backend)
                    .filter(|(_, p)| !p.same_location(canary_path))
                    .map(|(_, p)| p.label())
                    .collect();
                if !others.is_empty() {
                    risks.insert(Risk {
                        kind: RiskKind::CanarySharedService,
                        annotation: Some("canary".into()),
                        detail: format!(
                            "the canary for {} is attached to Service {backend}, which also serves {}: those paths get canary traffic too",
                            canary_path.label(),
                            others.into_iter().collect::<Vec<_>>().join(", ")
                        ),
                    });
                }
            }
            if let Some(own) = &canary_path.backend {
                let users: BTreeSet<String> =
                    of_backend(own).map(|(j, _)| self.object(j)).collect();
                if !users.is_empty() {
                    risks.insert(Risk {
                        kind: RiskKind::CanarySharedService,
                        annotation: Some("canary".into()),
                        detail: format!(
                            "the canary's own Service {own} is also a primary backend of {}: ingress-nginx then never routes to the canary, or drops those paths",
                            users.into_iter().collect::<Vec<_>>().join(", ")
                        ),
                    });
                }
            }
        }
    }

    /// Hosts with served Ingresses in more than one namespace.
    pub fn shared_hosts(&self) -> Vec<SharedHost> {
        let mut by_host: BTreeMap<&str, (BTreeSet<&str>, BTreeSet<String>)> = BTreeMap::new();
        for (i, ing) in self.input.ingresses.iter().enumerate() {
            if !self.served(i) {
                continue;
            }
            for host in &self.hosts[i] {
                let entry = by_host.entry(host.as_str()).or_default();
                entry.0.insert(ing.namespace());
                entry.1.insert(self.object(i));
            }
        }
        by_host
            .into_iter()
            .filter(|(_, (namespaces, _))| namespaces.len() > 1)
            .map(|(host, (namespaces, ingresses))| SharedHost {
                host: host.to_string(),
                namespaces: namespaces.into_iter().map(str::to_string).collect(),
                ingresses: ingresses.into_iter().collect(),
            })
            .collect()
    }
}

fn hosts_and_paths(ing: &InputIngress) -> (BTreeSet<String>, Vec<PathUse>) {
    let mut hosts = BTreeSet::new();
    let mut paths = Vec::new();
    let Some(spec) = ing.ingress.spec.as_ref() else {
        return (hosts, paths);
    };
    let namespace = ing.namespace();
    for rule in spec.rules.iter().flatten() {
        let host = HostKey::server_name(rule.host.as_deref());
        hosts.insert(host.clone());
        for p in rule.http.iter().flat_map(|h| h.paths.iter()) {
            let path = crate::passes::ingress_rules::written_path(p);
            let path_type = match p.path_type.as_str() {
                "Exact" => "Exact",
                _ => "Prefix",
            };
            let backend = p.backend.service.as_ref().map(|s| Backend {
                namespace: namespace.to_string(),
                service: s.name.clone(),
                port: s
                    .port
                    .as_ref()
                    .and_then(|port| {
                        port.number
                            .map(|n| n.to_string())
                            .or_else(|| port.name.clone())
                    })
                    .unwrap_or_default(),
            });
            paths.push(PathUse {
                host: host.clone(),
                path,
                path_type: path_type.to_string(),
                backend,
            });
        }
    }
    if hosts.is_empty() && spec.default_backend.is_some() {
        hosts.insert(CATCH_ALL.to_string());
    }
    (hosts, paths)
}
