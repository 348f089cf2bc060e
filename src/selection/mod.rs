//! Partial selections (`-n`, `-l`, `--host`, a context's namespace): translate
//! some Ingresses without breaking what the others need.
//!
//! # What ingress-nginx does
//! It builds one nginx `server` per host from *every* Ingress of its class,
//! whatever the namespace: one Ingress's `use-regex` switches the whole host to
//! regex mode, the first Ingress's certificate wins the host, and so on. The
//! Gateway (one per controller) carries the listeners of every host.
//!
//! # What we do
//! - The selection is translated **in its context**: every Ingress served by the
//!   controller that shares a host with a selected one is translated alongside
//!   ([`narrow`]), so host-wide behaviour (regex mode, certificate choice) is kept.
//!   Their own routes are not emitted, and a `selection-shares-hosts` warning
//!   names them.
//! - Routes (and the policies attached to them) are emitted when they come from a
//!   selected Ingress. A route is one object per namespace and host: when it also
//!   carries the rules of an excluded Ingress of the same namespace, it is emitted
//!   whole (a route with only the selected rules would remove the others on apply)
//!   and the warning says so.
//! - Shared objects (the Gateway, ListenerSets, ReferenceGrants, policies that
//!   target the Gateway) are emitted only when the selection owns them completely:
//!   every Ingress the controller serves (for the Gateway), or every one of the
//!   namespace (ListenerSets, certificate ReferenceGrants), is selected, and the
//!   whole estate was seen (cluster-wide list allowed, or files). Otherwise they
//!   are withheld and a `partial-selection` warning lists the listeners to merge
//!   into the live Gateway; with `--merge-gateway cluster` the live Gateway is
//!   emitted with them merged in ([`merge_gateway`]).

mod labels;

pub use labels::LabelSelector;

use crate::gwapi::GatewayObject;
use crate::input::InputSet;
use crate::options::TranslateOptions;
use crate::report::{Code, Notification, ObjectRef, Report};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Shared objects were withheld (or, with `--merge-gateway cluster`, merged).
pub const PARTIAL_SELECTION: Code = Code("partial-selection");
/// The selection excludes Ingresses that share a host with it.
pub const SHARES_HOSTS: Code = Code("selection-shares-hosts");
/// No Ingress matches the selection.
pub const SELECTION_EMPTY: Code = Code("selection-empty");

const SOURCES_ANNOTATION: &str = crate::emit::standard::SOURCES_ANNOTATION;

/// The `-n`/`-l`/`--host` filters, for messages and for `-f` input.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    /// Empty: every namespace.
    pub namespaces: Vec<String>,
    pub selector: Option<LabelSelector>,
    /// Lower-case host names; empty: every host.
    pub hosts: Vec<String>,
}

impl Filters {
    /// True when something is filtered out.
    pub fn is_partial(&self) -> bool {
        !self.namespaces.is_empty() || self.selector.is_some() || !self.hosts.is_empty()
    }

    pub fn matches(
        &self,
        namespace: &str,
        labels: &BTreeMap<String, String>,
        hosts: &BTreeSet<String>,
    ) -> bool {
        (self.namespaces.is_empty() || self.namespaces.iter().any(|n| n == namespace))
            && self.selector.as_ref().is_none_or(|s| s.matches(labels))
            && (self.hosts.is_empty() || self.hosts.iter().any(|h| hosts.contains(h)))
    }

    /// `-n a -l app=web --host x`, as typed.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        for n in &self.namespaces {
            parts.push(format!("-n {n}"));
        }
        if let Some(s) = &self.selector {
            parts.push(format!("-l {s}"));
        }
        for h in &self.hosts {
            parts.push(format!("--host {h}"));
        }
        parts.join(" ")
    }
}

/// Hosts of an Ingress as ingress-nginx groups them: each rule's host, `""` for
/// the catch-all server (a rule without host, or a default backend alone).
pub fn ingress_hosts(ingress: &k8s_openapi::api::networking::v1::Ingress) -> BTreeSet<String> {
    let mut hosts = BTreeSet::new();
    if let Some(spec) = &ingress.spec {
        for rule in spec.rules.iter().flatten() {
            hosts.insert(rule.host.clone().unwrap_or_default().to_ascii_lowercase());
        }
        if spec.default_backend.is_some() && hosts.is_empty() {
            hosts.insert(String::new());
        }
    }
    hosts
}

/// The same from the raw JSON of an Ingress (cluster reader).
pub fn json_hosts(ingress: &Value) -> BTreeSet<String> {
    let mut hosts = BTreeSet::new();
    let rules = ingress
        .pointer("/spec/rules")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for rule in &rules {
        hosts.insert(
            rule.get("host")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_ascii_lowercase(),
        );
    }
    if rules.is_empty() && ingress.pointer("/spec/defaultBackend").is_some() {
        hosts.insert(String::new());
    }
    hosts
}

fn host_label(h: &str) -> &str {
    if h.is_empty() { "(catch-all)" } else { h }
}

fn key(namespace: &str, name: &str) -> String {
    format!("{namespace}/{name}")
}

/// What [`narrow`] decided: which Ingresses are selected and which shared
/// objects the selection owns. Applied to the output by [`Plan::apply`].
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// `namespace/name` of the selected Ingresses.
    selected: BTreeSet<String>,
    /// Hosts of the selected Ingresses.
    hosts: BTreeSet<String>,
    /// The selection owns the Gateway(s): all served Ingresses are selected.
    owns_gateways: bool,
    /// Namespaces whose served Ingresses are all selected.
    owned_namespaces: BTreeSet<String>,
    /// `--routes-only`: never emit shared objects.
    routes_only: bool,
    /// How the selection was made, for messages (`-n team-a`).
    described: String,
    /// Why ownership is unknown (the estate was not seen whole).
    incomplete: Option<String>,
}

/// How [`narrow`] is called.
pub struct NarrowInput<'a> {
    /// `namespace/name` of the Ingresses the user selected.
    pub selected: BTreeSet<String>,
    /// Every Ingress of the estate was read (files, or a cluster-wide list).
    /// `None`: ownership of shared objects cannot be decided, with the reason.
    pub incomplete: Option<String>,
    pub routes_only: bool,
    pub described: &'a str,
}

/// Keeps in `input` the selected Ingresses and those sharing a host with them
/// (served by the same controller); says what the selection excludes.
pub fn narrow(
    input: &mut InputSet,
    how: NarrowInput<'_>,
    options: &TranslateOptions,
    report: &mut Report,
) -> Plan {
    let mut scratch = Report::default();
    let served: BTreeSet<String> =
        crate::passes::class_selection::select(input, options, &mut scratch)
            .into_iter()
            .map(|(i, _)| key(i.namespace(), i.name()))
            .collect();
    let hosts_of: BTreeMap<String, BTreeSet<String>> = input
        .ingresses
        .iter()
        .map(|i| (key(i.namespace(), i.name()), ingress_hosts(&i.ingress)))
        .collect();
    let selected: BTreeSet<String> = how
        .selected
        .into_iter()
        .filter(|k| hosts_of.contains_key(k))
        .collect();
    let hosts: BTreeSet<String> = selected
        .iter()
        .filter(|k| served.contains(*k))
        .filter_map(|k| hosts_of.get(k))
        .flat_map(|hs| hs.iter().cloned())
        .collect();
    // Excluded Ingresses of the same controller on a selected host: context.
    let mut sharing: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for k in served.iter().filter(|k| !selected.contains(*k)) {
        let Some(own) = hosts_of.get(k) else { continue };
        let common: BTreeSet<String> = own.intersection(&hosts).cloned().collect();
        if !common.is_empty() {
            sharing.insert(k.clone(), common);
        }
    }
    if selected.is_empty() {
        report.push(
            Notification::warning(
                SELECTION_EMPTY,
                format!(
                    "no Ingress matches the selection ({}) among the {} read: nothing was translated",
                    how.described,
                    input.ingresses.len()
                ),
            )
            .suggest("check the namespace (-n), label selector (-l) and --host values; -A reads every namespace"),
        );
    }
    if !sharing.is_empty() {
        let list: Vec<String> = sharing
            .iter()
            .map(|(k, hs)| {
                let hs: Vec<&str> = hs.iter().map(|h| host_label(h)).collect();
                format!("{k} ({})", hs.join(", "))
            })
            .collect();
        report.push(
            Notification::warning(
                SHARES_HOSTS,
                format!(
                    "the selection ({}) excludes {} Ingress(es) that share hosts with it: {}; ingress-nginx merges them into the same server, so they were translated as context (regex mode, certificate choice, path order) but their routes are not emitted",
                    how.described,
                    sharing.len(),
                    list.join(", ")
                ),
            )
            .suggest("migrate the Ingresses of a host together (add them to the selection, or use --host), or make sure their routes are applied from another run"),
        );
    }
    let complete = how.incomplete.is_none();
    let owns_gateways = complete && served.iter().all(|k| selected.contains(k));
    let owned_namespaces = selected
        .iter()
        .filter_map(|k| k.split_once('/').map(|(ns, _)| ns.to_string()))
        .filter(|ns| {
            complete
                && served
                    .iter()
                    .filter(|k| k.split_once('/').map(|(n, _)| n) == Some(ns.as_str()))
                    .all(|k| selected.contains(k))
        })
        .collect();
    input.ingresses.retain(|i| {
        let k = key(i.namespace(), i.name());
        selected.contains(&k) || sharing.contains_key(&k)
    });
    Plan {
        selected,
        hosts,
        owns_gateways,
        owned_namespaces,
        routes_only: how.routes_only,
        described: how.described.to_string(),
        incomplete: how.incomplete,
    }
}

/// Why an object was not emitted.
struct Withheld {
    object: String,
    listeners: Vec<String>,
}

impl Plan {
    /// Only `--routes-only`, no selection: every Ingress is selected.
    pub fn routes_only(input: &InputSet) -> Plan {
        Plan {
            selected: input
                .ingresses
                .iter()
                .map(|i| key(i.namespace(), i.name()))
                .collect(),
            hosts: input
                .ingresses
                .iter()
                .flat_map(|i| ingress_hosts(&i.ingress))
                .collect(),
            owns_gateways: true,
            owned_namespaces: BTreeSet::new(),
            routes_only: true,
            described: "--routes-only".into(),
            incomplete: None,
        }
    }

    /// `--routes-only` on top of a selection.
    pub fn with_routes_only(mut self, on: bool) -> Self {
        self.routes_only |= on;
        self
    }

    /// True when shared objects are withheld from the output.
    pub fn withholds_shared(&self) -> bool {
        self.routes_only || !self.owns_gateways
    }

    /// Keeps the objects of the selection and the shared objects it owns; drops
    /// notifications about Ingresses outside it; adds what must be merged. A
    /// `live` Gateway (from `--merge-gateway cluster`) replaces a withheld one,
    /// with the selection's listeners merged in.
    pub fn apply(
        &self,
        objects: &mut Vec<GatewayObject>,
        notes: &mut Vec<Notification>,
        live: &[Value],
    ) {
        let mut kept = Vec::new();
        let mut withheld: Vec<Withheld> = Vec::new();
        let mut carried: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut merged = Vec::new();
        let mut route_namespaces = BTreeSet::new();
        let mut pending_other = Vec::new();
        for object in objects.drain(..) {
            let Ok(json) = serde_json::to_value(&object) else {
                kept.push(object);
                continue;
            };
            let kind = json["kind"].as_str().unwrap_or_default().to_string();
            let namespace = json
                .pointer("/metadata/namespace")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            let name = json
                .pointer("/metadata/name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            let sources: BTreeSet<String> = json
                .pointer("/metadata/annotations")
                .and_then(|a| a.get(SOURCES_ANNOTATION))
                .and_then(Value::as_str)
                .map(|s| s.split(',').map(str::to_string).collect())
                .unwrap_or_default();
            let targets_gateway = json
                .pointer("/spec/targetRefs")
                .and_then(Value::as_array)
                .is_some_and(|t| t.iter().any(|r| r["kind"] == "Gateway"));
            let ident = format!("{kind} {namespace}/{name}");
            let from_selection = sources.iter().any(|s| self.selected.contains(s));
            match kind.as_str() {
                "HTTPRoute" | "GRPCRoute" | "TLSRoute" => {
                    if from_selection {
                        let others: BTreeSet<String> = sources
                            .iter()
                            .filter(|s| !self.selected.contains(*s))
                            .cloned()
                            .collect();
                        if !others.is_empty() {
                            carried.insert(ident, others);
                        }
                        route_namespaces.insert(namespace);
                        kept.push(object);
                    }
                }
                "Gateway" => {
                    if self.owns_gateways && !self.routes_only {
                        kept.push(object);
                        continue;
                    }
                    let listeners = self.selected_listeners(&json);
                    match live.iter().find(|g| {
                        g.pointer("/metadata/name").and_then(Value::as_str) == Some(name.as_str())
                            && g.pointer("/metadata/namespace").and_then(Value::as_str)
                                == Some(namespace.as_str())
                    }) {
                        Some(g) if !self.routes_only => {
                            merged.push(format!(
                                "{ident} (listeners {})",
                                listeners
                                    .iter()
                                    .filter_map(|l| l["name"].as_str())
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ));
                            kept.push(GatewayObject::Other(merge_gateway(g, &listeners)));
                        }
                        _ => withheld.push(Withheld {
                            object: ident,
                            listeners: listeners
                                .iter()
                                .filter_map(|l| l["name"].as_str().map(str::to_string))
                                .collect(),
                        }),
                    }
                }
                "ListenerSet" | "ReferenceGrant" => {
                    let only_certificates = kind == "ListenerSet"
                        || json
                            .pointer("/spec/from")
                            .and_then(Value::as_array)
                            .is_some_and(|f| f.iter().all(|r| r["kind"] == "Gateway"));
                    let owned = !self.routes_only
                        && (self.owns_gateways
                            || (only_certificates && self.owned_namespaces.contains(&namespace)));
                    if owned {
                        kept.push(object);
                    } else if self.touches_selection(&json, &namespace) {
                        withheld.push(Withheld {
                            object: ident,
                            listeners: Vec::new(),
                        });
                    }
                }
                _ if targets_gateway => {
                    if self.owns_gateways && !self.routes_only {
                        kept.push(object);
                    } else {
                        withheld.push(Withheld {
                            object: ident,
                            listeners: Vec::new(),
                        });
                    }
                }
                // Policies attached to routes or Services carry their sources.
                _ if !sources.is_empty() => {
                    if from_selection {
                        kept.push(object);
                    }
                }
                // Filters referenced by routes: kept beside the routes kept.
                _ => pending_other.push((namespace, object)),
            }
        }
        for (namespace, object) in pending_other {
            if route_namespaces.contains(&namespace) {
                kept.push(object);
            }
        }
        *objects = kept;
        self.retain_notes(notes);
        for (route, others) in carried {
            notes.push(
                Notification::warning(
                    SHARES_HOSTS,
                    format!(
                        "{route} also carries the rules of {}, outside the selection ({}): one route per namespace and host holds all of them, so it is emitted whole",
                        others.iter().cloned().collect::<Vec<_>>().join(", "),
                        self.described
                    ),
                )
                .suggest("select every Ingress of that host in the namespace (or use --host) so the run covers what it emits"),
            );
        }
        if !withheld.is_empty() {
            notes.push(self.withheld_note(&withheld));
        }
        if !merged.is_empty() {
            notes.push(
                Notification::warning(
                    PARTIAL_SELECTION,
                    format!(
                        "merged the selection's listeners into the live {}: the other listeners are kept as read from the cluster",
                        merged.join("; ")
                    ),
                )
                .suggest("review the merged Gateway before applying: it was read a moment ago and may have changed since"),
            );
        }
    }

    /// Is this Ingress in the selection (not only context)?
    pub fn is_selected(&self, namespace: &str, name: &str) -> bool {
        self.selected.contains(&key(namespace, name))
    }

    /// Drops the notifications about Ingresses outside the selection (they were
    /// translated as context only) and the generic `no-ingress` (the selection
    /// says so more precisely).
    pub fn retain_notes(&self, notes: &mut Vec<Notification>) {
        notes.retain(|n| {
            n.code != crate::pipeline::NO_INGRESS
                && n.object.as_ref().is_none_or(|o| {
                    o.kind != "Ingress"
                        || self.is_selected(o.namespace.as_deref().unwrap_or_default(), &o.name)
                })
        });
    }

    /// Does this shared object concern the selection (its namespace, or a
    /// certificate of a selected namespace)?
    fn touches_selection(&self, _json: &Value, namespace: &str) -> bool {
        self.selected
            .iter()
            .any(|k| k.split_once('/').map(|(n, _)| n) == Some(namespace))
    }

    /// The listeners for the selection's hosts, plus those without hostname
    /// (the shared HTTP/HTTPS listeners every route needs).
    fn selected_listeners(&self, gateway: &Value) -> Vec<Value> {
        gateway
            .pointer("/spec/listeners")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter(|l| match l.get("hostname").and_then(Value::as_str) {
                None => true,
                Some(h) => self.hosts.contains(&h.to_ascii_lowercase()),
            })
            .cloned()
            .collect()
    }

    fn withheld_note(&self, withheld: &[Withheld]) -> Notification {
        let list: Vec<String> = withheld
            .iter()
            .map(|w| {
                if w.listeners.is_empty() {
                    w.object.clone()
                } else {
                    format!(
                        "{} (merge its listeners {})",
                        w.object,
                        w.listeners.join(", ")
                    )
                }
            })
            .collect();
        let why = if self.routes_only {
            "--routes-only".to_string()
        } else if let Some(reason) = &self.incomplete {
            format!(
                "the selection ({}) cannot be shown to own them: {reason}",
                self.described
            )
        } else {
            format!(
                "the selection ({}) does not own them: they also serve Ingresses outside it, and applying them as generated would remove what those need (listeners, certificate grants)",
                self.described
            )
        };
        let severity_note = Notification::warning(
            PARTIAL_SELECTION,
            format!(
                "shared objects not emitted ({why}): {}; only the selection's routes and their policies are in the output",
                list.join("; ")
            ),
        )
        .suggest("merge the listed listeners into the live Gateway (kubectl edit, or --merge-gateway cluster to emit the live Gateway with them merged), or run without the selection (-A) to emit complete shared objects");
        if self.routes_only && self.incomplete.is_none() && self.owns_gateways {
            Notification {
                severity: crate::report::Severity::Info,
                ..severity_note
            }
        } else {
            severity_note
        }
    }
}

/// The live Gateway with `listeners` merged in: a listener of the same name is
/// replaced, others are added; every other listener is kept. Server-set
/// metadata and status are dropped so the result applies cleanly.
pub fn merge_gateway(live: &Value, listeners: &[Value]) -> Value {
    let mut out = live.clone();
    if let Some(meta) = out.get_mut("metadata").and_then(Value::as_object_mut) {
        for field in [
            "resourceVersion",
            "uid",
            "generation",
            "creationTimestamp",
            "managedFields",
            "selfLink",
        ] {
            meta.remove(field);
        }
        if let Some(Value::Object(annotations)) = meta.get_mut("annotations") {
            annotations.remove("kubectl.kubernetes.io/last-applied-configuration");
        }
    }
    if let Some(map) = out.as_object_mut() {
        map.remove("status");
    }
    let mut merged: Vec<Value> = out
        .pointer("/spec/listeners")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for l in listeners {
        match merged.iter_mut().find(|m| m["name"] == l["name"]) {
            Some(slot) => *slot = l.clone(),
            None => merged.push(l.clone()),
        }
    }
    if let Some(spec) = out.get_mut("spec").and_then(Value::as_object_mut) {
        spec.insert("listeners".into(), Value::Array(merged));
    }
    out
}

/// The selected Ingresses of `input` under `filters` (for `-f` input).
pub fn select_in(input: &InputSet, filters: &Filters) -> BTreeSet<String> {
    input
        .ingresses
        .iter()
        .filter(|i| {
            let labels = i.ingress.metadata.labels.clone().unwrap_or_default();
            filters.matches(i.namespace(), &labels, &ingress_hosts(&i.ingress))
        })
        .map(|i| key(i.namespace(), i.name()))
        .collect()
}

/// For notifications that name an Ingress.
pub fn ingress_ref(k: &str) -> ObjectRef {
    let (ns, name) = k.split_once('/').unwrap_or(("", k));
    ObjectRef::new("Ingress", Some(ns), name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_replaces_by_name_and_keeps_the_rest() {
        let live = json!({
            "apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway",
            "metadata": {"name": "nginx", "namespace": "gw", "resourceVersion": "7", "uid": "u"},
            "spec": {"listeners": [
                {"name": "http", "port": 80, "protocol": "HTTP"},
                {"name": "https-b.example.com", "hostname": "b.example.com", "port": 443, "protocol": "HTTPS"},
                {"name": "https-a.example.com", "hostname": "a.example.com", "port": 443, "protocol": "HTTPS", "tls": {"old": true}}
            ]},
            "status": {"conditions": []}
        });
        let ours = [
            json!({"name": "https-a.example.com", "hostname": "a.example.com", "port": 443, "protocol": "HTTPS"}),
            json!({"name": "https-c.example.com", "hostname": "c.example.com", "port": 443, "protocol": "HTTPS"}),
        ];
        let m = merge_gateway(&live, &ours);
        let names: Vec<&str> = m["spec"]["listeners"]
            .as_array()
            .expect("listeners")
            .iter()
            .filter_map(|l| l["name"].as_str())
            .collect();
        assert_eq!(
            names,
            [
                "http",
                "https-b.example.com",
                "https-a.example.com",
                "https-c.example.com"
            ]
        );
        assert!(m["spec"]["listeners"][2].get("tls").is_none());
        assert!(m.get("status").is_none());
        assert!(m["metadata"].get("resourceVersion").is_none());
    }

    #[test]
    fn hosts_include_the_catch_all() {
        let v = json!({"spec": {"rules": [{"host": "A.example.com"}, {"http": {}}]}});
        let hs: Vec<String> = json_hosts(&v).into_iter().collect();
        assert_eq!(hs, ["", "a.example.com"]);
        let d = json!({"spec": {"defaultBackend": {"service": {"name": "x"}}}});
        assert_eq!(json_hosts(&d).len(), 1);
    }

    #[test]
    fn filters_combine() {
        let f = Filters {
            namespaces: vec!["a".into()],
            selector: Some(LabelSelector::parse("app=web").expect("valid")),
            hosts: vec![],
        };
        let labels: BTreeMap<String, String> = [("app".to_string(), "web".to_string())].into();
        assert!(f.matches("a", &labels, &BTreeSet::new()));
        assert!(!f.matches("b", &labels, &BTreeSet::new()));
        assert!(!f.matches("a", &BTreeMap::new(), &BTreeSet::new()));
        assert_eq!(f.describe(), "-n a -l app=web");
    }
}
