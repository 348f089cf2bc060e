//! Shared targeting, naming and provenance for the Envoy Gateway policies.
//!
//! Envoy Gateway merges nothing between two policies of one kind on one target:
//! the oldest wins and the other is reported as conflicted. So each family builds
//! exactly one object per target (a route rule via `sectionName`, or a Gateway),
//! with every fact of that target merged into it. Names are derived from the
//! target and carry a hash of its full identity, so two targets never share a
//! policy name. Every object says where its facts came from: the source Ingress
//! objects (`ing2gw.io/sources`, as on routes) and the annotations or ConfigMap
//! keys (`ing2gw.io/source-annotations`).

use crate::emit::names::{derived, short_hash};
use crate::emit::standard::{EmittedRule, SOURCES_ANNOTATION};
use crate::gwapi::envoy_gateway::{EG_API_VERSION, EgObject, PolicyTargetRef};
use crate::gwapi::{self, GENERATOR_ANNOTATION, GatewayObject};
use crate::ir::{GatewayId, Provenance};
use crate::report::{Code, Notification, Report};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Annotation listing the ingress-nginx annotations / ConfigMap keys a policy translates.
pub const SOURCE_ANNOTATIONS: &str = "ing2gw.io/source-annotations";

pub const EG_OBJECT_INVALID: Code = Code("envoy-gateway-object-invalid");

/// What a policy attaches to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyTarget {
    pub namespace: String,
    pub target: PolicyTargetRef,
}

impl PolicyTarget {
    /// One rule of an HTTPRoute / GRPCRoute, by its name.
    pub fn rule(e: &EmittedRule) -> Self {
        PolicyTarget {
            namespace: e.namespace.clone(),
            target: PolicyTargetRef {
                group: gwapi::GROUP.into(),
                kind: e.kind.into(),
                name: e.route.clone(),
                section_name: Some(e.section.clone()),
            },
        }
    }

    /// A whole Gateway.
    pub fn gateway(id: &GatewayId) -> Self {
        PolicyTarget {
            namespace: id.namespace.clone(),
            target: PolicyTargetRef {
                group: gwapi::GROUP.into(),
                kind: "Gateway".into(),
                name: id.name.clone(),
                section_name: None,
            },
        }
    }

    /// A deterministic policy name: readable stem plus a hash of the whole target.
    pub fn policy_name(&self) -> String {
        let t = &self.target;
        let stem = match &t.section_name {
            Some(s) => derived(&t.name, s),
            None => t.name.clone(),
        };
        let identity = format!(
            "{}/{}/{}/{}",
            t.kind,
            self.namespace,
            t.name,
            t.section_name.as_deref().unwrap_or("")
        );
        derived(&stem, &short_hash(&identity))
    }

    /// How notifications name the target.
    pub fn describe(&self) -> String {
        let t = &self.target;
        let part = if matches!(t.kind.as_str(), "Gateway" | "ListenerSet") {
            "listener"
        } else {
            "rule"
        };
        match &t.section_name {
            Some(s) => format!("{} {}/{} {part} `{s}`", t.kind, self.namespace, t.name),
            None => format!("{} {}/{}", t.kind, self.namespace, t.name),
        }
    }
}

/// Where the facts of one policy came from.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    objects: BTreeSet<String>,
    annotations: BTreeSet<String>,
}

impl Sources {
    pub fn add(&mut self, from: &Provenance) {
        if let Some(o) = &from.object {
            self.objects.insert(format!(
                "{}/{}",
                o.namespace.as_deref().unwrap_or(""),
                o.name
            ));
        }
        if let Some(a) = &from.annotation {
            self.annotations.insert(a.clone());
        }
    }

    fn meta(&self, name: String, namespace: &str) -> gwapi::ObjectMeta {
        let mut annotations = gwapi::Annotations::default();
        annotations.insert(GENERATOR_ANNOTATION.to_string(), gwapi::generator_value());
        let join = |s: &BTreeSet<String>| s.iter().cloned().collect::<Vec<_>>().join(",");
        if !self.objects.is_empty() {
            annotations.insert(SOURCES_ANNOTATION.to_string(), join(&self.objects));
        }
        if !self.annotations.is_empty() {
            annotations.insert(SOURCE_ANNOTATIONS.to_string(), join(&self.annotations));
        }
        gwapi::ObjectMeta {
            name,
            namespace: Some(namespace.to_string()),
            labels: BTreeMap::new(),
            annotations,
        }
    }
}

/// An Envoy Gateway object as a [`GatewayObject`]. Serialising these plain
/// structs cannot fail; should it ever, the loss is an error notification, not
/// a panic.
pub fn object<S: Serialize>(
    kind: &str,
    name: String,
    namespace: &str,
    sources: &Sources,
    spec: S,
    report: &mut Report,
) -> Option<GatewayObject> {
    let o = EgObject {
        api_version: EG_API_VERSION.into(),
        kind: kind.into(),
        metadata: sources.meta(name.clone(), namespace),
        spec,
    };
    match serde_json::to_value(&o) {
        Ok(v) => Some(GatewayObject::Other(v)),
        Err(e) => {
            report.push(Notification::error(
                EG_OBJECT_INVALID,
                format!("{kind} {namespace}/{name} could not be built ({e}); it is not emitted"),
            ));
            None
        }
    }
}

/// A Gateway API duration for a number of milliseconds (`5s`, `1500ms`, `2m`).
pub fn duration(ms: u64) -> String {
    if ms == 0 {
        return "0s".into();
    }
    if ms.is_multiple_of(3_600_000) {
        format!("{}h", ms / 3_600_000)
    } else if ms.is_multiple_of(60_000) {
        format!("{}m", ms / 60_000)
    } else if ms.is_multiple_of(1000) {
        format!("{}s", ms / 1000)
    } else {
        format!("{ms}ms")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn emitted(kind: &'static str, route: &str, section: &str) -> EmittedRule {
        EmittedRule {
            kind,
            gateway: GatewayId {
                namespace: "default".into(),
                name: "nginx".into(),
            },
            hostname: None,
            namespace: "default".into(),
            route: route.into(),
            section: section.into(),
            rule: crate::ir::Rule::new(
                "default",
                section,
                crate::ir::PathMatch::Prefix("/".into()),
                crate::ir::SourcePath::new("/", crate::ir::SourcePathType::Prefix),
                crate::ir::Action::Forward(Vec::new()),
                Provenance::default(),
            ),
        }
    }

    #[test]
    fn policy_names_are_deterministic_and_apart() {
        let a = PolicyTarget::rule(&emitted("HTTPRoute", "a.com", "grpc-r"));
        let b = PolicyTarget::rule(&emitted("GRPCRoute", "a.com-grpc", "r"));
        assert_eq!(a.policy_name(), a.clone().policy_name());
        assert_ne!(a.policy_name(), b.policy_name());
        assert!(a.policy_name().starts_with("a.com-grpc-r-"));
        assert_eq!(a.target.section_name.as_deref(), Some("grpc-r"));
    }

    #[test]
    fn durations_use_the_largest_exact_unit() {
        assert_eq!(duration(5000), "5s");
        assert_eq!(duration(1500), "1500ms");
        assert_eq!(duration(120_000), "2m");
        assert_eq!(duration(7_200_000), "2h");
    }
}
