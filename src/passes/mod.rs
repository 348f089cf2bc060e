//! Provider passes: one module per ingress-nginx behaviour or annotation family.
//!
//! Each pass reads the selected Ingresses (in ingress-nginx order) and writes into
//! the [`Ir`], adding notifications. A pass declares which annotations it accounts
//! for; the last pass names every annotation no pass claimed, so nothing in the
//! input disappears silently. Adding a pass = one file + one line in [`registry`].

pub mod access_control;
pub mod affinity;
pub mod annotated;
pub mod app_root;
pub mod auth;
pub mod backend_protocol;
pub mod canary;
pub mod catch_all_server;
pub mod cert_manager;
pub mod class_selection;
pub mod config;
pub mod configmap_keys;
pub mod controller_validation;
pub mod cors;
pub mod external_dns;
pub mod gateway_facts;
pub mod global_blocks;
pub mod headers;
pub mod hostnames;
pub mod hsts;
pub mod implicit_root_access;
pub mod ingress_order;
pub mod ingress_rules;
pub mod location_facts;
pub mod locations;
pub mod mirror;
pub mod misc;
pub mod modsecurity;
pub mod nginx_vars;
pub mod passthrough;
pub mod quirks;
pub mod redirects;
pub mod regex_memo;
pub mod regex_mode;
pub mod regex_order;
pub mod rewrite;
pub mod snippets;
pub mod ssl_redirect;
#[cfg(test)]
pub(crate) mod test_support;
pub mod timeouts;
pub mod tls;
pub mod trailing_slash;
pub mod unexpressible_paths;
pub mod unhandled_annotations;
pub mod upstream_facts;
pub mod url_normalization;

use crate::input::{InputIngress, InputSet, SourceSpan};
use crate::ir::{GatewayId, HostId, HostKey, Ir};
use crate::options::TranslateOptions;
use crate::report::{ObjectRef, Report};
pub use config::ControllerConfig;
use std::collections::HashMap;

/// The namespaces of the input's Ingresses (selected or not): the namespaces
/// the input shows to exist.
pub fn namespaces_of(input: &InputSet) -> std::collections::HashSet<String> {
    input
        .ingresses
        .iter()
        .map(|i| i.namespace().to_string())
        .collect()
}

/// Everything a pass may read.
pub struct PassContext<'a> {
    pub options: &'a TranslateOptions,
    pub input: &'a InputSet,
    /// Selected Ingresses in ingress-nginx order (oldest first; ties namespace/name descending).
    pub ingresses: Vec<&'a InputIngress>,
    /// The selected ingress class of each Ingress (same order as `ingresses`).
    pub classes: Vec<String>,
    pub config: ControllerConfig,
    /// Position of each selected Ingress in `ingresses`, for lookups by object.
    index: HashMap<&'a ObjectRef, usize>,
    /// What the controller does with these Ingresses today (denied locations,
    /// dropped annotation groups); rejected Ingresses are already filtered out.
    pub verdicts: controller_validation::Verdicts,
    /// Regex facts per distinct pattern, shared by the regex passes.
    pub regex: regex_memo::RegexMemo,
    /// Namespaces of every Ingress of the input ([`namespaces_of`]), computed
    /// on first use or given once for every shard of a sharded run
    /// (`crate::shard`).
    namespaces: std::sync::OnceLock<std::sync::Arc<std::collections::HashSet<String>>>,
    /// The input's Services by (namespace, name), built on first use: passes
    /// look a Service up per backend, and a scan of every Service each time
    /// grew with Ingresses × Services on cluster dumps.
    services:
        std::sync::OnceLock<HashMap<(&'a str, &'a str), &'a k8s_openapi::api::core::v1::Service>>,
}

impl<'a> PassContext<'a> {
    /// A context for `ingresses` (already in ingress-nginx order) and their classes.
    pub fn new(
        options: &'a TranslateOptions,
        input: &'a InputSet,
        ingresses: Vec<&'a InputIngress>,
        classes: Vec<String>,
        config: ControllerConfig,
        verdicts: controller_validation::Verdicts,
    ) -> Self {
        let index = ingresses
            .iter()
            .enumerate()
            .map(|(i, ing)| (&ing.obj, i))
            .collect();
        PassContext {
            options,
            input,
            ingresses,
            classes,
            config,
            index,
            verdicts,
            regex: Default::default(),
            namespaces: std::sync::OnceLock::new(),
            services: std::sync::OnceLock::new(),
        }
    }
    /// The context of one shard of a run, with the run's [`namespaces_of`]
    /// computed once.
    pub fn with_run_namespaces(
        mut self,
        namespaces: std::sync::Arc<std::collections::HashSet<String>>,
    ) -> Self {
        self.namespaces = std::sync::OnceLock::from(namespaces);
        self
    }
    /// The input's Service `namespace/name` (the first of that identity, as
    /// [`InputSet::service`]), in constant time.
    pub fn service(
        &self,
        namespace: &str,
        name: &str,
    ) -> Option<&'a k8s_openapi::api::core::v1::Service> {
        let input: &'a InputSet = self.input;
        self.services
            .get_or_init(|| {
                let mut by_name = HashMap::with_capacity(input.services.len());
                for s in &input.services {
                    if let Some(ns) = s.obj.namespace.as_deref() {
                        by_name
                            .entry((ns, s.obj.name.as_str()))
                            .or_insert(&s.service);
                    }
                }
                by_name
            })
            .get(&(namespace, name))
            .copied()
    }
    /// Whether some Ingress of the input lives in `namespace` (the namespace
    /// exists).
    pub fn has_ingress_namespace(&self, namespace: &str) -> bool {
        self.namespaces
            .get_or_init(|| std::sync::Arc::new(namespaces_of(self.input)))
            .contains(namespace)
    }
    /// Position of `obj` in the sorted Ingress order (constant time).
    pub fn position(&self, obj: &ObjectRef) -> Option<usize> {
        self.index.get(obj).copied()
    }
    /// The selected Ingress `obj` refers to (constant time: passes look Ingresses
    /// up per rule, and a linear search made large inputs quadratic).
    pub fn ingress(&self, obj: &ObjectRef) -> Option<&'a InputIngress> {
        self.index.get(obj).map(|&i| self.ingresses[i])
    }
    /// The value of annotation `key` (without prefix) on `ing`.
    pub fn annotation<'b>(&self, ing: &'b InputIngress, key: &str) -> Option<&'b str> {
        // Compared in place: passes look annotations up per Ingress and per key,
        // and building the full key string each time was a visible share of
        // `print` on large estates. An Ingress has few annotations.
        let prefix = self.options.annotation_prefix.as_str();
        ing.annotations()
            .iter()
            .find(|(full, _)| {
                full.len() == prefix.len() + key.len()
                    && full.starts_with(prefix)
                    && full.ends_with(key)
            })
            .map(|(_, value)| value.as_str())
    }
    /// The full annotation key, with the configured prefix.
    pub fn full_key(&self, key: &str) -> String {
        format!("{}{}", self.options.annotation_prefix, key)
    }
    /// Span of the annotation `key` (without prefix) in the source file.
    pub fn annotation_span(&self, ing: &InputIngress, key: &str) -> Option<SourceSpan> {
        ing.span_of(&self.full_key(key))
    }
    /// A boolean annotation as ingress-nginx parses it (Go `strconv.ParseBool`);
    /// an invalid value falls back to `default`.
    pub fn annotation_bool(&self, ing: &InputIngress, key: &str, default: bool) -> bool {
        self.annotation(ing, key)
            .and_then(parse_go_bool)
            .unwrap_or(default)
    }
    /// True for canary Ingresses (they create no routes of their own).
    pub fn is_canary(&self, ing: &InputIngress) -> bool {
        self.annotation_bool(ing, "canary", false)
    }
    /// The selected Ingresses that are not canaries, with their position in
    /// `ingresses`. A canary creates no locations of its own: the passes that
    /// translate locations skip it, and the canary pass names what ingress-nginx
    /// ignores on one.
    pub fn primaries(&self) -> impl Iterator<Item = (usize, &'a InputIngress)> + '_ {
        self.ingresses
            .iter()
            .enumerate()
            .filter(|(_, ing)| !self.is_canary(ing))
            .map(|(i, ing)| (i, *ing))
    }
    /// The virtual host of each rule of the `index`-th Ingress, in rule order.
    pub fn rule_hosts(&self, index: usize) -> Vec<HostId> {
        let gateway = self.gateway_for(index);
        self.ingresses[index]
            .rules()
            .iter()
            .map(|r| HostId {
                gateway: gateway.clone(),
                host: HostKey::of_rule(r.host.as_deref()),
            })
            .collect()
    }
    /// The Gateway that serves `ing`.
    pub fn gateway_for(&self, index: usize) -> GatewayId {
        let class = &self.classes[index];
        let name = self
            .options
            .gateway_name
            .clone()
            .unwrap_or_else(|| class.clone());
        let namespace = if self.options.gateway_per_namespace {
            self.ingresses[index].namespace().to_string()
        } else {
            self.options.gateway_namespace.clone()
        };
        GatewayId { namespace, name }
    }
}

/// Go's `strconv.ParseBool`.
pub fn parse_go_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// A translation pass.
pub trait Pass {
    /// Short name, used in docs and debugging.
    fn name(&self) -> &'static str;
    /// Annotation keys (without prefix) this pass accounts for.
    fn annotations(&self) -> &'static [&'static str] {
        &[]
    }
    fn run(&self, cx: &PassContext, ir: &mut Ir, report: &mut Report);
}

/// The passes, in the order they run. Core structure first, annotations next,
/// host-wide behaviours after, the unhandled-annotation check last.
pub fn registry() -> Vec<Box<dyn Pass>> {
    vec![
        Box::new(ingress_rules::IngressRules),
        Box::new(tls::Tls),
        Box::new(ssl_redirect::SslRedirect),
        Box::new(regex_mode::RegexMode),
        Box::new(rewrite::Rewrite),
        Box::new(regex_order::RegexOrder),
        Box::new(app_root::AppRoot),
        // Annotation families (passesA).
        Box::new(canary::CanaryPass),
        Box::new(redirects::Redirects),
        Box::new(cors::CorsPass),
        Box::new(timeouts::TimeoutsPass),
        Box::new(headers::HeadersPass),
        Box::new(mirror::MirrorPass),
        Box::new(affinity::Affinity),
        Box::new(misc::Misc),
        Box::new(passthrough::Passthrough),
        Box::new(backend_protocol::BackendProtocol),
        Box::new(trailing_slash::TrailingSlash),
        Box::new(url_normalization::UrlNormalization),
        Box::new(gateway_facts::GatewayFacts),
        Box::new(catch_all_server::CatchAllServer),
        Box::new(access_control::AccessControl),
        Box::new(auth::Auth),
        Box::new(snippets::Snippets),
        // Other controllers' annotations (after TLS: they read the listeners).
        Box::new(cert_manager::CertManager),
        Box::new(external_dns::ExternalDns),
        // After every pass that creates rules: they apply to all of them.
        Box::new(modsecurity::ModSecurity),
        Box::new(global_blocks::GlobalBlocks),
        Box::new(hsts::Hsts),
        // Last: nothing may reopen the rules of an Ingress the controller denies.
        Box::new(controller_validation::CloseDenied),
        // After every access-control pass: names what a fail-closed path protected.
        Box::new(unexpressible_paths::UnexpressiblePaths),
        // After every access-control pass: what the host's implicit `/` checks.
        Box::new(implicit_root_access::ImplicitRootAccess),
        Box::new(configmap_keys::ConfigMapKeys),
    ]
}

/// Runs every pass of `passes`, then the unhandled-annotation check.
pub fn run_passes(cx: &PassContext, passes: &[Box<dyn Pass>], ir: &mut Ir, report: &mut Report) {
    for pass in passes {
        pass.run(cx, ir, report);
    }
    let claimed: Vec<&'static str> = passes
        .iter()
        .flat_map(|p| p.annotations().iter().copied())
        .collect();
    unhandled_annotations::report_unhandled(cx, &claimed, ir, report);
}

#[cfg(test)]
mod context_tests {
    use super::*;
    use crate::input::{InputService, Origin};
    use k8s_openapi::api::core::v1::{Service, ServiceSpec};

    fn service(ns: Option<&str>, name: &str, cluster_ip: &str) -> InputService {
        InputService {
            service: Service {
                spec: Some(ServiceSpec {
                    cluster_ip: Some(cluster_ip.into()),
                    ..Default::default()
                }),
                ..Default::default()
            },
            origin: Origin::Cluster,
            obj: ObjectRef::new("Service", ns, name),
        }
    }

    #[test]
    fn services_are_looked_up_as_the_input_finds_them() {
        let input = InputSet {
            services: vec![
                service(Some("a"), "web", "1"),
                service(Some("a"), "web", "2"),
                service(None, "bare", "3"),
                service(Some("b"), "web", "4"),
            ],
            ..Default::default()
        };
        let options = TranslateOptions::default();
        let cx = PassContext::new(
            &options,
            &input,
            Vec::new(),
            Vec::new(),
            ControllerConfig::default(),
            Default::default(),
        );
        let ip = |s: Option<&Service>| s.and_then(|s| s.spec.as_ref()?.cluster_ip.clone());
        for (ns, name) in [("a", "web"), ("b", "web"), ("", "bare"), ("a", "none")] {
            assert_eq!(
                ip(cx.service(ns, name)),
                ip(input.service(ns, name)),
                "{ns}/{name}"
            );
        }
        assert_eq!(ip(cx.service("a", "web")).as_deref(), Some("1"));
    }
}
