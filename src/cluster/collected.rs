//! Accumulates objects and warnings during a read, deduplicated and sorted so the
//! snapshot does not depend on request order or on repeated `-n` flags.

use std::collections::{BTreeMap, BTreeSet};

use super::error::ClusterError;
use super::reader::Reader;
use super::resources::ResourceType;
use super::{ClusterObject, ClusterSnapshot, ClusterWarning};

/// Which namespaces to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Scope {
    /// One cluster-wide list per resource type.
    AllNamespaces,
    /// One list per namespace, sorted and unique.
    Namespaces(Vec<String>),
}

impl Scope {
    /// `-A` wins; else the `-n` values; else the context's namespace.
    pub fn new(all: bool, namespaces: &[String], default_namespace: &str) -> Self {
        if all {
            return Scope::AllNamespaces;
        }
        let unique: BTreeSet<&str> = namespaces
            .iter()
            .map(|n| n.trim())
            .filter(|n| !n.is_empty())
            .collect();
        if unique.is_empty() {
            Scope::Namespaces(vec![default_namespace.to_string()])
        } else {
            Scope::Namespaces(unique.into_iter().map(str::to_string).collect())
        }
    }

    /// The namespaces to send requests for; `None` is the cluster-wide endpoint.
    pub fn targets(&self) -> Vec<Option<&str>> {
        match self {
            Scope::AllNamespaces => vec![None],
            Scope::Namespaces(list) => list.iter().map(|n| Some(n.as_str())).collect(),
        }
    }
}

/// Namespace names are DNS-1123 labels; checked before they are put in URL paths.
pub(crate) fn check_namespace(option: &'static str, name: &str) -> Result<(), ClusterError> {
    if crate::output::names::is_dns1123_label(name) {
        Ok(())
    } else {
        Err(ClusterError::InvalidOption {
            option,
            value: name.to_string(),
            expected: "namespace name (lowercase letters, digits and '-')",
        })
    }
}

/// Object names such as ConfigMaps are DNS-1123 subdomains.
pub(crate) fn check_object_name(option: &'static str, name: &str) -> Result<(), ClusterError> {
    if crate::output::names::is_dns1123_subdomain(name) {
        Ok(())
    } else {
        Err(ClusterError::InvalidOption {
            option,
            value: name.to_string(),
            expected: "object name (lowercase letters, digits, '-' and '.')",
        })
    }
}

type ObjectKey = (String, Option<String>, String);

#[derive(Default)]
pub(crate) struct Collected {
    objects: BTreeMap<ObjectKey, ClusterObject>,
    warnings: BTreeSet<ClusterWarning>,
    annotation_prefixes: BTreeSet<String>,
    pub selection: Option<super::SnapshotSelection>,
    controllers: BTreeSet<super::ControllerInfo>,
}

impl Collected {
    pub fn add(&mut self, object: ClusterObject) {
        let key = (
            object.kind.clone(),
            object.namespace.clone(),
            object.name.clone(),
        );
        self.objects.insert(key, object);
    }

    pub fn add_all(&mut self, objects: impl IntoIterator<Item = ClusterObject>) {
        for object in objects {
            self.add(object);
        }
    }

    pub fn warn(&mut self, namespace: Option<&str>, resource: &ResourceType, message: String) {
        self.warn_named(namespace, resource.display_name(), message);
    }

    pub fn warn_named(&mut self, namespace: Option<&str>, resource: String, message: String) {
        self.warnings.insert(ClusterWarning {
            namespace: namespace.map(str::to_string),
            resource,
            message,
        });
    }

    pub fn add_controllers(&mut self, found: impl IntoIterator<Item = super::ControllerInfo>) {
        self.controllers.extend(found);
    }

    pub fn add_annotation_prefixes(&mut self, prefixes: impl IntoIterator<Item = String>) {
        self.annotation_prefixes.extend(prefixes);
    }

    /// Removes and returns the objects of `kind` for which `pick` is true.
    pub fn take_where(
        &mut self,
        kind: &str,
        mut pick: impl FnMut(&ClusterObject) -> bool,
    ) -> Vec<ClusterObject> {
        let keys: Vec<ObjectKey> = self
            .objects
            .iter()
            .filter(|(k, o)| k.0 == kind && pick(o))
            .map(|(k, _)| k.clone())
            .collect();
        keys.iter().filter_map(|k| self.objects.remove(k)).collect()
    }

    pub fn objects_of_kind<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a ClusterObject> {
        self.objects.values().filter(move |o| o.kind == kind)
    }

    pub fn into_snapshot(self, reader: &Reader) -> ClusterSnapshot {
        ClusterSnapshot {
            objects: self.objects.into_values().collect(),
            warnings: self.warnings.into_iter().collect(),
            context: reader.context().to_string(),
            annotation_prefixes: self.annotation_prefixes.into_iter().collect(),
            selection: self.selection,
            controllers: self.controllers.into_iter().collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_prefers_all_then_flags_then_context() {
        assert_eq!(Scope::new(true, &["a".into()], "ctx"), Scope::AllNamespaces);
        assert_eq!(
            Scope::new(false, &["b".into(), "a".into(), "b".into()], "ctx"),
            Scope::Namespaces(vec!["a".into(), "b".into()])
        );
        assert_eq!(
            Scope::new(false, &[], "ctx"),
            Scope::Namespaces(vec!["ctx".into()])
        );
        assert_eq!(Scope::AllNamespaces.targets(), vec![None]);
    }

    #[test]
    fn names_are_checked_before_use_in_paths() {
        assert!(check_namespace("-n", "team-a").is_ok());
        assert!(check_namespace("-n", "Team").is_err());
        assert!(check_namespace("-n", "a/b").is_err());
        assert!(check_namespace("-n", "-a").is_err());
        assert!(check_object_name("--nginx-configmap", "ingress-nginx.controller").is_ok());
        assert!(check_object_name("--nginx-configmap", "a/b").is_err());
        assert!(check_object_name("--nginx-configmap", "a..b").is_err());
        let err = check_namespace("-n", "Bad Name").expect_err("invalid");
        assert_eq!(
            err.to_string(),
            "invalid -n: \"Bad Name\" is not a valid Kubernetes namespace name (lowercase letters, digits and '-')"
        );
    }
}
