//! Locating the ingress-nginx controller ConfigMap from the controller workload.
//!
//! The controller reads its global configuration from the ConfigMap named by its
//! `--configmap=NAMESPACE/NAME` flag (pflag also accepts `--configmap NAMESPACE/NAME`).
//! The Helm chart writes it as `--configmap=$(POD_NAMESPACE)/<release>-controller`,
//! relying on Kubernetes' `$(VAR)` expansion of container args from the container's
//! env, where `POD_NAMESPACE` comes from the downward API (`metadata.namespace`).
//! So the flag is only usable after that expansion, done here for literal `value`s
//! and for `fieldRef: metadata.namespace`.
//!
//! The controller's `--annotations-prefix` (default `nginx.ingress.kubernetes.io`)
//! is read the same way: with a custom prefix the controller ignores every
//! annotation under the default one and enforces those under its own, so a
//! translation with the wrong prefix would drop allow-lists and auth silently.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Container, PodTemplateSpec};
use serde::Deserialize;

use super::ClusterObject;

/// Where the official manifests install the controller.
pub(crate) const CONTROLLER_NAMESPACE: &str = "ingress-nginx";

const CONFIGMAP_FLAG: &str = "--configmap";
const PREFIX_FLAG: &str = "--annotations-prefix";

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct ConfigMapRef {
    pub namespace: String,
    pub name: String,
}

impl ConfigMapRef {
    /// Parses `NAMESPACE/NAME` as ingress-nginx does (both parts required).
    pub fn parse(text: &str) -> Option<Self> {
        let (namespace, name) = text.split_once('/')?;
        let valid = |s: &str| !s.is_empty() && !s.contains(['/', '$', '(', ')']);
        (valid(namespace) && valid(name)).then(|| Self {
            namespace: namespace.to_string(),
            name: name.to_string(),
        })
    }
}

/// What the controller workloads say about the ConfigMap.
#[derive(Debug, Default)]
pub(crate) struct Discovery {
    pub configmaps: Vec<ConfigMapRef>,
    /// `--annotations-prefix` values (without a trailing `/`), sorted and unique.
    pub annotation_prefixes: Vec<String>,
    /// Flags that could not be used, e.g. an unexpandable `$(VAR)`.
    pub problems: Vec<String>,
}

/// Label values of `app.kubernetes.io/name` that common installs put on the
/// controller workload: the official Helm chart and static manifests
/// (`ingress-nginx`), RKE2's bundled chart (`rke2-ingress-nginx`) and Bitnami's
/// chart (`nginx-ingress-controller`).
pub(crate) const CONTROLLER_NAMES: [&str; 3] = [
    "ingress-nginx",
    "rke2-ingress-nginx",
    "nginx-ingress-controller",
];

/// The label selector listing every common install at once.
pub(crate) fn controllers_selector() -> String {
    format!("app.kubernetes.io/name in ({})", CONTROLLER_NAMES.join(","))
}

/// Namespaces tried when the workloads cannot be listed cluster-wide: the
/// official manifests' and RKE2's (`kube-system`).
pub(crate) const CONTROLLER_NAMESPACES: [&str; 2] = [CONTROLLER_NAMESPACE, "kube-system"];

/// One ingress-nginx controller workload and the flags that decide what it
/// serves and how (absent flag = the controller's default).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ControllerInfo {
    pub namespace: String,
    pub name: String,
    /// `Deployment` or `DaemonSet`.
    pub kind: String,
    /// `--ingress-class` (default `nginx`).
    pub ingress_class: Option<String>,
    /// `--controller-class` (default `k8s.io/ingress-nginx`).
    pub controller_class: Option<String>,
    pub watch_ingress_without_class: bool,
    pub ingress_class_by_name: bool,
    /// `--annotations-prefix`, without the trailing `/`.
    pub annotations_prefix: Option<String>,
    pub configmap: Option<(String, String)>,
    pub default_ssl_certificate: Option<(String, String)>,
    /// `v1.11.3`, from the image tag.
    pub version: Option<String>,
    /// The image as written.
    pub image: Option<String>,
}

impl ControllerInfo {
    pub fn ingress_class(&self) -> &str {
        self.ingress_class.as_deref().unwrap_or("nginx")
    }
    pub fn label(&self) -> String {
        format!("{} {}/{}", self.kind, self.namespace, self.name)
    }
}

/// Reads the controller flags of each workload; unusable flags are problems.
pub(crate) fn controllers<'a>(
    workloads: impl IntoIterator<Item = &'a ClusterObject>,
) -> (Vec<ControllerInfo>, Vec<String>) {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for workload in workloads {
        let namespace = workload.namespace.as_deref().unwrap_or_default();
        let template = workload.value.get("spec").and_then(|s| s.get("template"));
        let Some(Ok(template)) = template.map(PodTemplateSpec::deserialize) else {
            continue;
        };
        let containers = template.spec.map(|s| s.containers).unwrap_or_default();
        // The controller container is the one running with controller flags
        // (or the only one).
        let Some(container) = containers
            .iter()
            .find(|c| {
                c.command
                    .iter()
                    .flatten()
                    .chain(c.args.iter().flatten())
                    .any(|w| w.contains("nginx-ingress-controller") || w.starts_with("--"))
            })
            .or(containers.first())
        else {
            continue;
        };
        let label = format!("{} {namespace}/{}", workload.kind, workload.name);
        let value = |flag: &str| {
            flag_values(container, flag)
                .last()
                .map(|raw| expand_env(raw, container, namespace))
        };
        let ns_name = |flag: &str, problems: &mut Vec<String>| {
            let v = value(flag)?;
            let parsed = ConfigMapRef::parse(&v);
            if parsed.is_none() {
                problems.push(format!("{label}: cannot use {flag}={v}"));
            }
            parsed.map(|r| (r.namespace, r.name))
        };
        let configmap = ns_name(CONFIGMAP_FLAG, &mut problems);
        let default_ssl_certificate = ns_name("--default-ssl-certificate", &mut problems);
        let image = container.image.clone();
        out.push(ControllerInfo {
            namespace: namespace.to_string(),
            name: workload.name.clone(),
            kind: workload.kind.clone(),
            ingress_class: value("--ingress-class").filter(|v| !v.is_empty()),
            controller_class: value("--controller-class").filter(|v| !v.is_empty()),
            watch_ingress_without_class: bool_flag(container, "--watch-ingress-without-class"),
            ingress_class_by_name: bool_flag(container, "--ingress-class-by-name"),
            annotations_prefix: value(PREFIX_FLAG)
                .map(|p| p.trim().trim_end_matches('/').to_string())
                .filter(|p| !p.is_empty() && !p.contains(['$', '(', ')', ' '])),
            configmap,
            default_ssl_certificate,
            version: image.as_deref().and_then(image_version),
            image,
        });
    }
    out.sort();
    out.dedup();
    (out, problems)
}

/// A boolean pflag: `--flag`, `--flag=true` (pflag also takes `1`, `t`, `T`, `TRUE`, `True`).
fn bool_flag(container: &Container, flag: &str) -> bool {
    container
        .command
        .iter()
        .flatten()
        .chain(container.args.iter().flatten())
        .any(|w| match w.strip_prefix(flag) {
            Some("") => true,
            Some(v) => matches!(
                v.strip_prefix('='),
                Some("true" | "1" | "t" | "T" | "TRUE" | "True")
            ),
            None => false,
        })
}

/// The controller version in an image tag: `controller:v1.11.3@sha256:…`,
/// Bitnami's `1.11.3-debian-12-r0`, RKE2's `nginx-1.10.4-hardened3` → `v1.11.3`.
pub(crate) fn image_version(image: &str) -> Option<String> {
    let without_digest = image.split('@').next().unwrap_or(image);
    let last = without_digest.rsplit('/').next().unwrap_or(without_digest);
    let tag = last.split_once(':')?.1;
    let bytes = tag.as_bytes();
    for start in 0..bytes.len() {
        if !bytes[start].is_ascii_digit() || (start > 0 && bytes[start - 1].is_ascii_digit()) {
            continue;
        }
        let rest = &tag[start..];
        let end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let candidate = rest[..end].trim_end_matches('.');
        let parts: Vec<&str> = candidate.split('.').collect();
        if parts.len() >= 2 && parts.iter().all(|p| !p.is_empty()) {
            return Some(format!("v{}", parts[..parts.len().min(3)].join(".")));
        }
    }
    None
}

/// Scan Deployments/DaemonSets (already filtered by label) for `--configmap`.
pub(crate) fn discover<'a>(workloads: impl IntoIterator<Item = &'a ClusterObject>) -> Discovery {
    let mut found = Discovery::default();
    for workload in workloads {
        let namespace = workload.namespace.as_deref().unwrap_or_default();
        let label = format!("{} {namespace}/{}", workload.kind, workload.name);
        let template = workload
            .value
            .get("spec")
            .and_then(|spec| spec.get("template"));
        let Some(template) = template else { continue };
        let template = match PodTemplateSpec::deserialize(template) {
            Ok(t) => t,
            Err(e) => {
                found
                    .problems
                    .push(format!("{label}: unreadable pod template: {e}"));
                continue;
            }
        };
        let containers = template.spec.map(|s| s.containers).unwrap_or_default();
        for container in &containers {
            for raw in flag_values(container, PREFIX_FLAG) {
                let expanded = expand_env(&raw, container, namespace);
                let prefix = expanded.trim().trim_end_matches('/');
                if prefix.is_empty() || prefix.contains(['$', '(', ')', ' ']) {
                    found.problems.push(format!(
                        "{label}: cannot use {PREFIX_FLAG}={raw} (expanded to \"{expanded}\")"
                    ));
                } else {
                    found.annotation_prefixes.push(prefix.to_string());
                }
            }
            for raw in flag_values(container, CONFIGMAP_FLAG) {
                let expanded = expand_env(&raw, container, namespace);
                match ConfigMapRef::parse(&expanded) {
                    Some(r) => found.configmaps.push(r),
                    None => found.problems.push(format!(
                        "{label}: cannot use {CONFIGMAP_FLAG}={raw} (expanded to \"{expanded}\")"
                    )),
                }
            }
        }
    }
    found.configmaps.sort();
    found.configmaps.dedup();
    found.annotation_prefixes.sort();
    found.annotation_prefixes.dedup();
    found
}

/// The values of `flag` (`--flag=value` or `--flag value`) in the container's
/// command and args.
fn flag_values(container: &Container, flag: &str) -> Vec<String> {
    let words: Vec<&String> = container
        .command
        .iter()
        .flatten()
        .chain(container.args.iter().flatten())
        .collect();
    let mut values = Vec::new();
    for (i, word) in words.iter().enumerate() {
        if let Some(value) = word.strip_prefix(flag) {
            if let Some(value) = value.strip_prefix('=') {
                values.push(value.to_string());
            } else if value.is_empty()
                && let Some(next) = words.get(i + 1)
            {
                values.push((*next).clone());
            }
        }
    }
    values
}

/// Kubernetes' `$(VAR)` expansion for container args: `$$` escapes, unknown
/// variables are left verbatim.
fn expand_env(text: &str, container: &Container, pod_namespace: &str) -> String {
    let env: BTreeMap<&str, String> = container
        .env
        .iter()
        .flatten()
        .filter_map(|var| {
            let value = match (&var.value, &var.value_from) {
                (Some(v), _) => Some(v.clone()),
                (None, Some(from)) => from
                    .field_ref
                    .as_ref()
                    .filter(|f| f.field_path == "metadata.namespace")
                    .map(|_| pod_namespace.to_string()),
                (None, None) => Some(String::new()),
            };
            value.map(|v| (var.name.as_str(), v))
        })
        .collect();
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find('$') {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + 1..];
        if let Some(tail) = after.strip_prefix('$') {
            out.push('$');
            rest = tail;
        } else if let Some(inner) = after.strip_prefix('(')
            && let Some(end) = inner.find(')')
            && let Some(value) = env.get(&inner[..end])
        {
            out.push_str(value);
            rest = &inner[end + 1..];
        } else {
            out.push('$');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn deployment(namespace: &str, container: serde_json::Value) -> ClusterObject {
        ClusterObject {
            api_version: "apps/v1".into(),
            kind: "Deployment".into(),
            namespace: Some(namespace.into()),
            name: "ingress-nginx-controller".into(),
            value: json!({
                "metadata": {"name": "ingress-nginx-controller", "namespace": namespace},
                "spec": {"template": {"spec": {"containers": [container]}}}
            }),
        }
    }

    #[test]
    fn helm_style_pod_namespace_is_expanded() {
        let d = deployment(
            "edge",
            json!({
                "name": "controller",
                "args": ["/nginx-ingress-controller", "--configmap=$(POD_NAMESPACE)/edge-controller"],
                "env": [{"name": "POD_NAMESPACE", "valueFrom": {"fieldRef": {"fieldPath": "metadata.namespace"}}}]
            }),
        );
        let found = discover([&d]);
        assert_eq!(
            found.configmaps,
            [ConfigMapRef {
                namespace: "edge".into(),
                name: "edge-controller".into()
            }]
        );
        assert!(found.problems.is_empty());
    }

    #[test]
    fn space_separated_flag_and_command_are_scanned() {
        let d = deployment(
            "x",
            json!({"name": "c", "command": ["/nginx-ingress-controller", "--configmap", "ops/nginx"]}),
        );
        assert_eq!(discover([&d]).configmaps[0].name, "nginx");
    }

    #[test]
    fn annotations_prefix_is_discovered() {
        let d = deployment(
            "x",
            json!({"name": "c", "args": ["--annotations-prefix=custom.example.com/", "--configmap=x/y"]}),
        );
        let e = deployment(
            "y",
            json!({"name": "c", "args": ["--annotations-prefix", "custom.example.com"]}),
        );
        let found = discover([&d, &e]);
        assert_eq!(found.annotation_prefixes, ["custom.example.com"]);
        assert_eq!(found.configmaps.len(), 1);
        let none = deployment("z", json!({"name": "c", "args": ["--configmap=x/y"]}));
        assert!(discover([&none]).annotation_prefixes.is_empty());
    }

    #[test]
    fn unexpandable_variable_is_a_problem() {
        let d = deployment(
            "x",
            json!({"name": "c", "args": ["--configmap=$(MISSING)/nginx"]}),
        );
        let found = discover([&d]);
        assert!(found.configmaps.is_empty());
        assert_eq!(found.problems.len(), 1);
    }

    #[test]
    fn expansion_follows_kubernetes_rules() {
        let c: Container = serde_json::from_value(json!({
            "name": "c", "env": [{"name": "A", "value": "1"}]
        }))
        .expect("container");
        assert_eq!(expand_env("$(A)/$$(A)/$(B)/$", &c, "ns"), "1/$(A)/$(B)/$");
    }

    #[test]
    fn controller_flags_and_image_version() {
        let d = deployment(
            "edge",
            json!({
                "name": "controller",
                "image": "registry.k8s.io/ingress-nginx/controller:v1.11.3@sha256:abc",
                "args": ["/nginx-ingress-controller", "--ingress-class=internal",
                         "--controller-class", "k8s.io/internal", "--watch-ingress-without-class=true",
                         "--default-ssl-certificate=edge/wildcard", "--configmap=edge/cm",
                         "--ingress-class-by-name"]
            }),
        );
        let (found, problems) = controllers([&d]);
        assert!(problems.is_empty(), "{problems:?}");
        let c = &found[0];
        assert_eq!(c.ingress_class(), "internal");
        assert_eq!(c.controller_class.as_deref(), Some("k8s.io/internal"));
        assert!(c.watch_ingress_without_class && c.ingress_class_by_name);
        assert_eq!(c.configmap, Some(("edge".into(), "cm".into())));
        assert_eq!(
            c.default_ssl_certificate,
            Some(("edge".into(), "wildcard".into()))
        );
        assert_eq!(c.version.as_deref(), Some("v1.11.3"));
        assert_eq!(
            image_version("bitnami/nginx-ingress-controller:1.11.3-debian-12-r0").as_deref(),
            Some("v1.11.3")
        );
        assert_eq!(
            image_version("rancher/nginx-ingress-controller:nginx-1.10.4-hardened3").as_deref(),
            Some("v1.10.4")
        );
        assert_eq!(image_version("localhost:5000/controller"), None);
        assert_eq!(image_version("controller:latest"), None);
    }

    #[test]
    fn configmap_ref_needs_both_parts() {
        assert!(ConfigMapRef::parse("ns/name").is_some());
        assert!(ConfigMapRef::parse("name").is_none());
        assert!(ConfigMapRef::parse("/name").is_none());
        assert!(ConfigMapRef::parse("a/b/c").is_none());
    }
}
