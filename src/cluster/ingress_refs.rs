//! Which Services an Ingress points at, so the reader fetches exactly those
//! (translation needs their named ports and `appProtocol`).
//!
//! ingress-nginx resolves every backend Service in the Ingress's own namespace:
//! `spec.defaultBackend.service`, each `spec.rules[].http.paths[].backend.service`,
//! and the `nginx.ingress.kubernetes.io/default-backend` annotation (a Service name
//! in the same namespace, used when the path's Service has no endpoints and as the
//! target of `custom-http-errors`). `backend.resource` references are not Services.

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::networking::v1::{Ingress, IngressBackend};
use serde::Deserialize;

use super::ClusterObject;

pub(crate) const DEFAULT_BACKEND_ANNOTATION: &str = "nginx.ingress.kubernetes.io/default-backend";

/// Service names referenced per namespace, across all given Ingresses.
#[derive(Debug, Default)]
pub(crate) struct ServiceRefs {
    pub by_namespace: BTreeMap<String, BTreeSet<String>>,
}

impl ServiceRefs {
    /// Collects references; an Ingress that does not parse as networking.k8s.io/v1
    /// is returned by name so the caller can warn (its Services are then not read).
    pub fn collect<'a>(
        ingresses: impl IntoIterator<Item = &'a ClusterObject>,
    ) -> (Self, Vec<String>) {
        let mut refs = Self::default();
        let mut unparsable = Vec::new();
        for object in ingresses {
            let Some(namespace) = object.namespace.as_deref() else {
                continue;
            };
            match Ingress::deserialize(&object.value) {
                Ok(ingress) => {
                    let names = refs.by_namespace.entry(namespace.to_string()).or_default();
                    names.extend(service_names(&ingress));
                    if names.is_empty() {
                        refs.by_namespace.remove(namespace);
                    }
                }
                Err(e) => unparsable.push(format!("{namespace}/{}: {e}", object.name)),
            }
        }
        (refs, unparsable)
    }
}

fn service_names(ingress: &Ingress) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut add = |backend: &IngressBackend| {
        if let Some(service) = &backend.service
            && !service.name.is_empty()
        {
            names.insert(service.name.clone());
        }
    };
    if let Some(spec) = &ingress.spec {
        if let Some(backend) = &spec.default_backend {
            add(backend);
        }
        for rule in spec.rules.iter().flatten() {
            for path in rule.http.iter().flat_map(|http| &http.paths) {
                add(&path.backend);
            }
        }
    }
    let annotated = ingress
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(DEFAULT_BACKEND_ANNOTATION))
        .map(|v| v.trim())
        .filter(|v| !v.is_empty() && !v.contains('/'));
    if let Some(name) = annotated {
        names.insert(name.to_string());
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn object(value: serde_json::Value) -> ClusterObject {
        ClusterObject {
            api_version: "networking.k8s.io/v1".into(),
            kind: "Ingress".into(),
            namespace: value["metadata"]["namespace"].as_str().map(str::to_string),
            name: value["metadata"]["name"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
            value,
        }
    }

    #[test]
    fn collects_rule_default_and_annotation_backends() {
        let ing = object(json!({
            "metadata": {"name": "web", "namespace": "a",
                "annotations": {"nginx.ingress.kubernetes.io/default-backend": "errors"}},
            "spec": {
                "defaultBackend": {"service": {"name": "fallback", "port": {"number": 80}}},
                "rules": [
                    {"host": "x", "http": {"paths": [
                        {"path": "/", "pathType": "Prefix", "backend": {"service": {"name": "web", "port": {"name": "http"}}}},
                        {"path": "/r", "pathType": "Prefix", "backend": {"resource": {"kind": "Bucket", "name": "b"}}}
                    ]}},
                    {"host": "y"}
                ]
            }
        }));
        let other = object(json!({
            "metadata": {"name": "api", "namespace": "b"},
            "spec": {"rules": [{"http": {"paths": [
                {"path": "/", "pathType": "Prefix", "backend": {"service": {"name": "api", "port": {"number": 8080}}}}
            ]}}]}
        }));
        let (refs, bad) = ServiceRefs::collect([&ing, &other]);
        assert!(bad.is_empty());
        let a: Vec<_> = refs.by_namespace["a"].iter().map(String::as_str).collect();
        assert_eq!(a, ["errors", "fallback", "web"]);
        let b: Vec<_> = refs.by_namespace["b"].iter().map(String::as_str).collect();
        assert_eq!(b, ["api"]);
    }

    #[test]
    fn ingress_without_services_adds_no_namespace() {
        let ing = object(json!({"metadata": {"name": "x", "namespace": "c"}, "spec": {}}));
        let (refs, _) = ServiceRefs::collect([&ing]);
        assert!(refs.by_namespace.is_empty());
    }

    #[test]
    fn malformed_ingress_is_reported() {
        let ing =
            object(json!({"metadata": {"name": "x", "namespace": "c"}, "spec": {"rules": "nope"}}));
        let (_, bad) = ServiceRefs::collect([&ing]);
        assert_eq!(bad.len(), 1);
        assert!(bad[0].starts_with("c/x"));
    }
}
