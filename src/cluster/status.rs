//! `ing2gw status`: after the output is applied, are the generated objects
//! accepted and programmed by the implementation?
//!
//! Reads the Gateway API objects (and Envoy Gateway's, when its CRDs are served)
//! in the selected namespaces, keeps those ing2gw generated (the
//! `gateway.networking.k8s.io/generator` annotation starts with `ing2gw`), and
//! judges each from its `status` as the Gateway API spec defines it:
//!
//! | kind | ready when |
//! |---|---|
//! | Gateway, ListenerSet | `Accepted` and `Programmed` True; every listener `Accepted`, `Programmed`, `ResolvedRefs` True and not `Conflicted` |
//! | HTTPRoute, GRPCRoute, TLSRoute | a `status.parents` entry per `spec.parentRefs`, each `Accepted` and `ResolvedRefs` True |
//! | BackendTLSPolicy, Envoy Gateway policies | every `status.ancestors` entry `Accepted` True and not `Conflicted`; at least one |
//! | Envoy Gateway Backend | `Accepted` True |
//! | ReferenceGrant, HTTPRouteFilter | present (they have no status) |
//!
//! A condition whose `observedGeneration` is older than the object's
//! `metadata.generation` describes an older spec: not ready yet.

use super::collected::{Collected, Scope};
use super::error::ClusterError;
use super::reader::{Outcome, describe};
use super::resources::{
    GATEWAY_KINDS, REFERENCE_GRANT, REFERENCE_GRANT_FALLBACK_VERSION, ResourceType,
};
use super::{ClusterObject, ClusterOptions, ClusterWarning};
use serde::Serialize;
use serde_json::Value;

const EG_GROUP: &str = "gateway.envoyproxy.io";

const fn envoy_gateway(kind: &'static str, plural: &'static str) -> ResourceType {
    ResourceType {
        group: EG_GROUP,
        version: "v1alpha1",
        kind,
        plural,
    }
}

/// The Envoy Gateway kinds ing2gw emits; read only when the cluster serves them.
const ENVOY_GATEWAY_KINDS: [ResourceType; 5] = [
    envoy_gateway("ClientTrafficPolicy", "clienttrafficpolicies"),
    envoy_gateway("BackendTrafficPolicy", "backendtrafficpolicies"),
    envoy_gateway("SecurityPolicy", "securitypolicies"),
    envoy_gateway("HTTPRouteFilter", "httproutefilters"),
    envoy_gateway("Backend", "backends"),
];

/// What was read: the generated objects and what could not be read.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusRead {
    pub objects: Vec<ClusterObject>,
    pub warnings: Vec<ClusterWarning>,
    /// An RBAC denial: some kinds could not be checked (exit 2).
    pub incomplete: bool,
    pub context: String,
}

/// Reads the generated objects of the namespaces `opts` selects.
pub async fn read_generated(opts: &ClusterOptions) -> Result<StatusRead, ClusterError> {
    super::check_options(opts)?;
    let reader = super::open(opts).await?;
    let scope = Scope::new(
        opts.all_namespaces,
        &opts.namespaces,
        reader.default_namespace(),
    );
    let mut out = Collected::default();
    let mut incomplete = false;
    for kind in GATEWAY_KINDS.iter().chain(ENVOY_GATEWAY_KINDS.iter()) {
        let mut resource = *kind;
        'namespaces: for namespace in scope.targets() {
            loop {
                reader.step(format!("listing {}", describe(&resource, namespace)));
                match reader.list(&resource, namespace, None).await? {
                    Outcome::Found(items) => out.add_all(items.into_iter().filter(generated)),
                    Outcome::Unavailable(code, message) => {
                        incomplete = true;
                        out.warn(
                            namespace,
                            &resource,
                            format!("could not list {} (HTTP {code}): {message}", resource.kind),
                        );
                    }
                    Outcome::Forbidden(message) => {
                        incomplete = true;
                        out.warn(
                            namespace,
                            &resource,
                            format!("not allowed to list {}: {message}", resource.kind),
                        );
                    }
                    Outcome::NotFound(_) if resource == REFERENCE_GRANT => {
                        resource = resource.at_version(REFERENCE_GRANT_FALLBACK_VERSION);
                        continue;
                    }
                    // An uninstalled CRD holds no generated object; only a
                    // missing Gateway CRD is worth saying.
                    Outcome::NotFound(_) => {
                        if resource.kind == "Gateway" {
                            out.warn(
                                None,
                                &resource,
                                "the cluster does not serve Gateway API Gateways (CRDs not installed?)".into(),
                            );
                        }
                        break 'namespaces;
                    }
                }
                break;
            }
        }
    }
    let snapshot = out.into_snapshot(&reader);
    Ok(StatusRead {
        objects: snapshot.objects,
        warnings: snapshot.warnings,
        incomplete,
        context: snapshot.context,
    })
}

/// [`read_generated`] for synchronous callers.
pub fn blocking_read_generated(opts: &ClusterOptions) -> Result<StatusRead, ClusterError> {
    super::block_on(read_generated(opts))
}

/// Whether ing2gw generated `o` (its generator annotation).
fn generated(o: &ClusterObject) -> bool {
    o.value
        .pointer("/metadata/annotations")
        .and_then(|a| a.get(crate::gwapi::GENERATOR_ANNOTATION))
        .and_then(Value::as_str)
        .is_some_and(|v| v.starts_with("ing2gw"))
}

/// One condition as reported, with where it applies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConditionLine {
    /// `""` for the object, `listener NAME`, `parent NS/NAME[/SECTION]`, `ancestor …`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub scope: String,
    #[serde(rename = "type")]
    pub type_: String,
    pub status: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub reason: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub message: String,
}

/// The verdict on one generated object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ObjectStatus {
    pub kind: String,
    pub namespace: String,
    pub name: String,
    pub ready: bool,
    /// Why it is not ready (empty when ready).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<String>,
    /// Gateway `status.addresses` values.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<String>,
    pub conditions: Vec<ConditionLine>,
}

/// Judges every object (already filtered to ing2gw's), in input order.
pub fn assess(objects: &[ClusterObject]) -> Vec<ObjectStatus> {
    objects.iter().map(assess_one).collect()
}

fn assess_one(o: &ClusterObject) -> ObjectStatus {
    let mut s = ObjectStatus {
        kind: o.kind.clone(),
        namespace: o.namespace.clone().unwrap_or_default(),
        name: o.name.clone(),
        ready: true,
        problems: Vec::new(),
        addresses: Vec::new(),
        conditions: Vec::new(),
    };
    let generation = o
        .value
        .pointer("/metadata/generation")
        .and_then(Value::as_i64);
    let status = o.value.get("status").cloned().unwrap_or(Value::Null);
    let check = |s: &mut ObjectStatus, scope: String, conds: &Value, required: &[&str]| {
        let list = conds.as_array().cloned().unwrap_or_default();
        for c in &list {
            let line = ConditionLine {
                scope: scope.clone(),
                type_: str_of(c, "type"),
                status: str_of(c, "status"),
                reason: str_of(c, "reason"),
                message: str_of(c, "message"),
            };
            let observed = c.get("observedGeneration").and_then(Value::as_i64);
            if let (Some(g), Some(seen)) = (generation, observed)
                && seen < g
            {
                s.problems.push(format!(
                    "{}{} describes generation {seen}, the object is at {g}",
                    at(&scope),
                    line.type_
                ));
            }
            if line.type_ == "Conflicted" && line.status == "True" {
                s.problems
                    .push(format!("{}Conflicted: {}", at(&scope), reason_of(&line)));
            }
            s.conditions.push(line);
        }
        for req in required {
            match list.iter().find(|c| str_of(c, "type") == *req) {
                Some(c) if str_of(c, "status") == "True" => {}
                Some(c) => s.problems.push(format!(
                    "{}{req} is {}: {}",
                    at(&scope),
                    str_of(c, "status"),
                    reason_of(&ConditionLine {
                        scope: String::new(),
                        type_: String::new(),
                        status: String::new(),
                        reason: str_of(c, "reason"),
                        message: str_of(c, "message"),
                    })
                )),
                None => s
                    .problems
                    .push(format!("{}{req} not reported yet", at(&scope))),
            }
        }
    };
    match o.kind.as_str() {
        "Gateway" | "ListenerSet" => {
            check(
                &mut s,
                String::new(),
                status.get("conditions").unwrap_or(&Value::Null),
                &["Accepted", "Programmed"],
            );
            let reported = status
                .get("listeners")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            for l in &reported {
                check(
                    &mut s,
                    format!("listener {}", str_of(l, "name")),
                    l.get("conditions").unwrap_or(&Value::Null),
                    &["Accepted", "Programmed", "ResolvedRefs"],
                );
            }
            let declared = o
                .value
                .pointer("/spec/listeners")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            for l in declared {
                let name = str_of(&l, "name");
                if !reported.iter().any(|r| str_of(r, "name") == name) {
                    s.problems
                        .push(format!("listener {name}: no status reported yet"));
                }
            }
            s.addresses = status
                .get("addresses")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|a| str_of(a, "value"))
                .filter(|v| !v.is_empty())
                .collect();
            if o.kind == "Gateway" && s.addresses.is_empty() {
                s.problems.push("no address assigned yet".into());
            }
        }
        "HTTPRoute" | "GRPCRoute" | "TLSRoute" => {
            let parents = status
                .get("parents")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            let refs = o
                .value
                .pointer("/spec/parentRefs")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            for r in &refs {
                let key = parent_key(r, &s.namespace);
                match parents.iter().find(|p| {
                    p.get("parentRef")
                        .is_some_and(|pr| parent_key(pr, &s.namespace) == key)
                }) {
                    Some(p) => check(
                        &mut s,
                        format!("parent {key}"),
                        p.get("conditions").unwrap_or(&Value::Null),
                        &["Accepted", "ResolvedRefs"],
                    ),
                    None => s
                        .problems
                        .push(format!("parent {key}: no status reported yet")),
                }
            }
        }
        "ReferenceGrant" | "HTTPRouteFilter" => {}
        "Backend" => check(
            &mut s,
            String::new(),
            status.get("conditions").unwrap_or(&Value::Null),
            &["Accepted"],
        ),
        // BackendTLSPolicy and Envoy Gateway policies: policy attachment status.
        _ => {
            let ancestors = status
                .get("ancestors")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            if ancestors.is_empty() {
                s.problems.push("no ancestor status reported yet".into());
            }
            for a in &ancestors {
                let key = a
                    .get("ancestorRef")
                    .map(|r| parent_key(r, &s.namespace))
                    .unwrap_or_default();
                check(
                    &mut s,
                    format!("ancestor {key}"),
                    a.get("conditions").unwrap_or(&Value::Null),
                    &["Accepted"],
                );
            }
        }
    }
    s.ready = s.problems.is_empty();
    s
}

fn at(scope: &str) -> String {
    if scope.is_empty() {
        String::new()
    } else {
        format!("{scope}: ")
    }
}

fn reason_of(c: &ConditionLine) -> String {
    match (c.reason.is_empty(), c.message.is_empty()) {
        (false, false) => format!("{} ({})", c.reason, c.message),
        (false, true) => c.reason.clone(),
        (true, false) => c.message.clone(),
        (true, true) => "no reason given".into(),
    }
}

fn str_of(v: &Value, key: &str) -> String {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// `NAMESPACE/NAME[/SECTION]` of a parent or ancestor reference.
fn parent_key(r: &Value, default_ns: &str) -> String {
    let ns = r
        .get("namespace")
        .and_then(Value::as_str)
        .unwrap_or(default_ns);
    let mut key = format!("{ns}/{}", str_of(r, "name"));
    if let Some(section) = r.get("sectionName").and_then(Value::as_str) {
        key.push('/');
        key.push_str(section);
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(kind: &str, value: Value) -> ClusterObject {
        ClusterObject {
            api_version: "gateway.networking.k8s.io/v1".into(),
            kind: kind.into(),
            namespace: Some("ns".into()),
            name: "x".into(),
            value,
        }
    }

    fn cond(t: &str, s: &str) -> Value {
        json!({"type": t, "status": s, "reason": "R", "message": "m"})
    }

    #[test]
    fn a_programmed_gateway_with_an_address_is_ready() {
        let g = obj(
            "Gateway",
            json!({"spec": {"listeners": [{"name": "http"}]}, "status": {
                "addresses": [{"value": "203.0.113.7"}],
                "conditions": [cond("Accepted", "True"), cond("Programmed", "True")],
                "listeners": [{"name": "http", "conditions": [cond("Accepted", "True"), cond("Programmed", "True"), cond("ResolvedRefs", "True")]}]
            }}),
        );
        let s = assess_one(&g);
        assert!(s.ready, "{:?}", s.problems);
        assert_eq!(s.addresses, ["203.0.113.7"]);
    }

    #[test]
    fn unresolved_listener_refs_and_missing_listeners_are_not_ready() {
        let g = obj(
            "Gateway",
            json!({"spec": {"listeners": [{"name": "https"}, {"name": "http"}]}, "status": {
                "addresses": [{"value": "203.0.113.7"}],
                "conditions": [cond("Accepted", "True"), cond("Programmed", "True")],
                "listeners": [{"name": "https", "conditions": [cond("Accepted", "True"), cond("Programmed", "False"), cond("ResolvedRefs", "False")]}]
            }}),
        );
        let s = assess_one(&g);
        assert!(!s.ready);
        assert!(
            s.problems
                .iter()
                .any(|p| p.contains("listener https: ResolvedRefs is False")),
            "{:?}",
            s.problems
        );
        assert!(
            s.problems
                .iter()
                .any(|p| p.contains("listener http: no status")),
            "{:?}",
            s.problems
        );
    }

    #[test]
    fn routes_need_every_parent_accepted_and_current() {
        let r = obj(
            "HTTPRoute",
            json!({"metadata": {"generation": 3}, "spec": {"parentRefs": [{"name": "gw", "namespace": "gs", "sectionName": "http"}]}, "status": {"parents": [
                {"parentRef": {"name": "gw", "namespace": "gs", "sectionName": "http"}, "conditions": [
                    {"type": "Accepted", "status": "True", "observedGeneration": 2}, cond("ResolvedRefs", "True")]}
            ]}}),
        );
        let s = assess_one(&r);
        assert!(!s.ready);
        assert!(s.problems[0].contains("generation 2"), "{:?}", s.problems);
        let none = obj(
            "HTTPRoute",
            json!({"spec": {"parentRefs": [{"name": "gw"}]}}),
        );
        assert!(assess_one(&none).problems[0].contains("parent ns/gw: no status"));
    }

    #[test]
    fn conflicted_policies_are_not_ready() {
        let p = obj(
            "BackendTrafficPolicy",
            json!({"status": {"ancestors": [{"ancestorRef": {"name": "gw"}, "conditions": [cond("Accepted", "True"), cond("Conflicted", "True")]}]}}),
        );
        let s = assess_one(&p);
        assert!(!s.ready);
        assert!(s.problems[0].contains("Conflicted"), "{:?}", s.problems);
        assert!(!assess_one(&obj("SecurityPolicy", json!({}))).ready);
        assert!(assess_one(&obj("ReferenceGrant", json!({}))).ready);
    }
}
