//! Validation of the Gateway API objects ing2gw emits, against the rules the API
//! server enforces for the targeted version: the OpenAPI schema constraints
//! (patterns, enums, min/max, maxItems, required) and the CEL rules
//! (`x-kubernetes-validations`) that can fire on our output.
//!
//! Why: `kubectl apply` rejects a whole manifest when one object breaks one rule,
//! often in the middle of a migration window. An object that fails here is never
//! printed: [`check_emitted`] withholds it and reports `output-invalid` (an error,
//! exit 1) naming the rule, the field and the source Ingress — each such case is a
//! bug in a pass, to be fixed there.
//!
//! The checks work on the object's JSON (`serde_json::Value`), not on the typed
//! `gwapi` structs, so the same code judges implementation-specific objects kept as
//! JSON and, later, user-edited manifests (`ing2gw validate`). Field paths use the
//! API server's notation (`spec.rules[0].matches[1].path`), and each violation sits
//! on the field where the API server reports it (a CEL rule on the object that
//! carries the rule, a schema constraint on the field itself): the agreement test
//! (`tests/k8s_validate_agreement.rs`) compares both against Kubernetes' own
//! validator (`tools/k8svalidate/`).
//!
//! Hand-written checks rather than a CEL interpreter: see docs/architecture.md
//! ("Output validation").

mod common;
mod envoy_gateway;
mod gateway;
mod httproute;
mod locate;
pub mod manifests;
mod meta;
mod path;
mod policies;
mod routes;

pub use path::FieldPath;

use crate::gwapi::GatewayObject;
use crate::options::TranslateOptions;
use crate::report::{Code, Notification, ObjectRef, Report};
use crate::target::gateway_api::GatewayApiProfile;
use serde_json::Value;

/// API group of Envoy Gateway's kinds.
const ENVOY_GATEWAY_GROUP: &str = "gateway.envoyproxy.io";

/// An emitted object breaks a rule of the targeted Gateway API CRDs: it is withheld.
pub const OUTPUT_INVALID: Code = Code("output-invalid");

/// Which check failed, in the API server's vocabulary (the `type` of its field errors).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub enum Kind {
    /// A value breaks a pattern, a bound, or a CEL rule.
    Invalid,
    /// A value outside an enum.
    NotSupported,
    /// A required field is missing.
    Required,
    /// A list longer than its maxItems.
    TooMany,
    /// A string longer than its maxLength.
    TooLong,
    /// A duplicate in a list-set / map-list.
    Duplicate,
}

/// One broken rule.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Violation {
    /// Where the API server reports it (`spec.rules[0]`).
    pub field: String,
    pub kind: Kind,
    /// The rule, in the CRD's words where it has a message.
    pub message: String,
}

impl Violation {
    pub fn new(field: &FieldPath, kind: Kind, message: impl Into<String>) -> Self {
        Violation {
            field: field.to_string(),
            kind,
            message: message.into(),
        }
    }
}

/// Collects violations while walking an object.
#[derive(Debug, Default)]
pub struct Findings(pub Vec<Violation>);

impl Findings {
    pub fn push(&mut self, field: &FieldPath, kind: Kind, message: impl Into<String>) {
        self.0.push(Violation::new(field, kind, message));
    }
}

/// Validates one object (as JSON) against `profile`. Kinds we have no rules for
/// (implementation-specific resources) only get their metadata checked.
pub fn validate_value(obj: &Value, profile: &GatewayApiProfile) -> Vec<Violation> {
    let mut out = Findings::default();
    let root = FieldPath::root();
    meta::check(obj, &root, &mut out);
    let kind = obj.get("kind").and_then(Value::as_str).unwrap_or("");
    let spec = obj.get("spec");
    let spec_path = root.key("spec");
    let api_version = obj.get("apiVersion").and_then(Value::as_str).unwrap_or("");
    let group = api_version.split_once('/').map_or("", |(g, _)| g);
    let gateway_api = group == crate::gwapi::GROUP || group == crate::target::gateway_api::X_GROUP;
    match (gateway_api, kind, spec) {
        (true, "HTTPRoute", Some(spec)) => httproute::check(spec, &spec_path, profile, &mut out),
        (true, "Gateway", Some(spec)) => gateway::check(spec, &spec_path, profile, &mut out),
        (true, "GRPCRoute", Some(spec)) => routes::check_grpc(spec, &spec_path, profile, &mut out),
        (true, "TLSRoute", Some(spec)) => {
            routes::check_tls(spec, &spec_path, profile, api_version, &mut out)
        }
        (true, "ReferenceGrant", Some(spec)) => {
            policies::check_reference_grant(spec, &spec_path, &mut out)
        }
        (true, "BackendTLSPolicy", Some(spec)) => {
            policies::check_backend_tls_policy(spec, &spec_path, &mut out)
        }
        (true, "ListenerSet" | "XListenerSet", Some(spec)) => {
            policies::check_listener_set(spec, &spec_path, &mut out)
        }
        (
            true,
            "HTTPRoute" | "Gateway" | "GRPCRoute" | "TLSRoute" | "ReferenceGrant"
            | "BackendTLSPolicy" | "ListenerSet" | "XListenerSet",
            None,
        ) => out.push(&spec_path, Kind::Required, "Required value"),
        (false, _, Some(spec)) if group == ENVOY_GATEWAY_GROUP => {
            envoy_gateway::check(kind, spec, &spec_path, &mut out)
        }
        _ => {}
    }
    let mut v = out.0;
    v.sort();
    v.dedup();
    v
}

/// Validates one emitted object.
pub fn validate_object(obj: &GatewayObject, profile: &GatewayApiProfile) -> Vec<Violation> {
    match serde_json::to_value(obj) {
        Ok(v) => validate_value(&v, profile),
        Err(e) => vec![Violation {
            field: String::new(),
            kind: Kind::Invalid,
            message: format!("cannot serialise the object: {e}"),
        }],
    }
}

/// The pipeline hook, after emission: every object that breaks a rule is removed
/// from `objects` and reported as `output-invalid` (one notification per broken
/// rule, on the source Ingress when the object names one).
pub fn check_emitted(
    objects: &mut Vec<GatewayObject>,
    options: &TranslateOptions,
    report: &mut Report,
) {
    use rayon::prelude::*;
    let profile = options.gateway_api();
    // Each object is checked on its own (a JSON tree per object: a tenth of
    // print's time), so both cores share the work; the verdicts come back in
    // object order, and the notifications are made in that order below.
    let verdicts: Vec<Vec<Violation>> = objects
        .par_iter()
        .map(|obj| validate_object(obj, &profile))
        .collect();
    let mut verdicts = verdicts.into_iter();
    objects.retain(|obj| {
        let violations = verdicts.next().unwrap_or_default();
        if violations.is_empty() {
            return true;
        }
        let (kind, ns, name) = obj.identity();
        let sources = sources_of(obj);
        for v in &violations {
            let target = if ns.is_empty() {
                format!("{kind} {name}")
            } else {
                format!("{kind} {ns}/{name}")
            };
            let mut n = Notification::error(
                OUTPUT_INVALID,
                format!(
                    "internal error: the generated {target} breaks a rule of the {} CRDs at {}: {}; the object is withheld from the output (kubectl apply would reject it)",
                    crds_of(obj, &profile),
                    if v.field.is_empty() { "<root>" } else { &v.field },
                    v.message
                ),
            )
            .field(v.field.clone())
            .suggest("this is a bug in ing2gw: please report it with the source Ingress; translate the withheld part by hand meanwhile");
            n = match sources.first() {
                Some((sns, sname)) => n.object(&ObjectRef::new("Ingress", Some(sns), sname)),
                None => n.object(&ObjectRef::new(&kind, (!ns.is_empty()).then_some(ns.as_str()), &name)),
            };
            report.push(n);
        }
        false
    });
}

/// Whose CRDs judge `obj`: Envoy Gateway's for its kinds, else the profile's.
fn crds_of(obj: &GatewayObject, profile: &GatewayApiProfile) -> String {
    let value = serde_json::to_value(obj).unwrap_or(Value::Null);
    match value["apiVersion"].as_str() {
        Some(a) if a.starts_with("gateway.envoyproxy.io/") => {
            "Envoy Gateway (v1.9 API)".to_string()
        }
        _ => profile.describe(),
    }
}

/// The source Ingresses named by the `ing2gw.io/sources` annotation (`ns/name,...`).
fn sources_of(obj: &GatewayObject) -> Vec<(String, String)> {
    let value = serde_json::to_value(obj).unwrap_or(Value::Null);
    value
        .pointer("/metadata/annotations/ing2gw.io~1sources")
        .and_then(Value::as_str)
        .map(|s| {
            s.split(',')
                .filter_map(|one| one.trim().split_once('/'))
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_invalid_object_is_withheld_and_named_on_its_source_ingress() {
        let bad = json!({
            "apiVersion": "gateway.networking.k8s.io/v1",
            "kind": "HTTPRoute",
            "metadata": {"name": "web", "namespace": "shop", "annotations": {"ing2gw.io/sources": "shop/web-ingress"}},
            "spec": {"hostnames": ["www.*.example.com"], "rules": [{"backendRefs": [{"name": "s", "port": 80}]}]}
        });
        let good = json!({
            "apiVersion": "gateway.networking.k8s.io/v1",
            "kind": "HTTPRoute",
            "metadata": {"name": "ok", "namespace": "shop"},
            "spec": {"rules": [{"backendRefs": [{"name": "s", "port": 80}]}]}
        });
        let mut objects = vec![GatewayObject::Other(bad), GatewayObject::Other(good)];
        let mut report = Report::default();
        check_emitted(&mut objects, &TranslateOptions::default(), &mut report);
        assert_eq!(
            objects.len(),
            1,
            "the invalid route is withheld, the valid one kept"
        );
        let notes = report.finish();
        assert_eq!(notes.len(), 1);
        let n = &notes[0];
        assert_eq!(n.code, OUTPUT_INVALID);
        assert_eq!(n.severity, crate::report::Severity::Error);
        assert_eq!(n.field.as_deref(), Some("spec.hostnames[0]"));
        assert_eq!(
            n.object,
            Some(ObjectRef::new("Ingress", Some("shop"), "web-ingress"))
        );
        assert!(n.message.contains("withheld"), "{}", n.message);
    }
}
