//! Validation of user-edited manifests (`ing2gw validate`, and the `--against`
//! folder of `diff` and the `--gateway-api` files of `verify`): every Gateway API
//! and Envoy Gateway object is judged by [`super::validate_value`] — the function
//! that judges ing2gw's own output and that the agreement test compares with
//! Kubernetes' validator — and each violation becomes an error at the offending
//! field's file:line:column ([`super::locate`]).
//!
//! Besides one object at a time, what `kubectl apply` of the whole input would
//! trip over and a single-object schema cannot see: the same object (group,
//! kind, namespace, name) given twice, where the later copy silently replaces the
//! earlier one. Objects of other kinds are counted and named as not validated
//! (info), never skipped silently.

use super::{Kind, Violation, locate, validate_value};
use crate::gwapi::GatewayObject;
use crate::input::{DUPLICATE_OBJECT, Origin};
use crate::report::{Code, Notification, ObjectRef, Report};
use crate::target::gateway_api::GatewayApiProfile;
use rayon::prelude::*;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

/// A manifest breaks a rule of the targeted CRDs: `kubectl apply` would reject it.
pub const MANIFEST_INVALID: Code = Code("manifest-invalid");
/// Objects of kinds ing2gw has no rules for (one info per kind).
pub const NOT_VALIDATED: Code = Code("not-validated");

/// The kinds whose schema and CEL rules are checked, by API group.
const GATEWAY_API_KINDS: &[&str] = &[
    "Gateway",
    "HTTPRoute",
    "GRPCRoute",
    "TLSRoute",
    "ListenerSet",
    "XListenerSet",
    "ReferenceGrant",
    "BackendTLSPolicy",
];
const ENVOY_GATEWAY_KINDS: &[&str] = &[
    "ClientTrafficPolicy",
    "BackendTrafficPolicy",
    "SecurityPolicy",
    "HTTPRouteFilter",
    "Backend",
];

/// True when ing2gw has the rules of `kind` in the API group of `api_version`.
pub fn has_rules(api_version: &str, kind: &str) -> bool {
    let group = api_version.split_once('/').map_or("", |(g, _)| g);
    match group {
        crate::gwapi::GROUP | crate::target::gateway_api::X_GROUP => {
            GATEWAY_API_KINDS.contains(&kind)
        }
        super::ENVOY_GATEWAY_GROUP => ENVOY_GATEWAY_KINDS.contains(&kind),
        _ => false,
    }
}

/// What checking a set of documents found.
#[derive(Debug, Default)]
pub struct Checked {
    /// Objects whose rules were checked.
    pub validated: usize,
    /// Objects of other kinds.
    pub not_validated: usize,
    /// Violations and duplicates (errors), not-validated kinds (info).
    pub notes: Vec<Notification>,
}

impl Checked {
    /// Errors among the notes: violations and duplicate objects.
    pub fn errors(&self) -> usize {
        self.notes
            .iter()
            .filter(|n| n.severity == crate::report::Severity::Error)
            .count()
    }
}

/// The API server's words for a violation type (`kubectl apply` prints them).
fn kind_text(kind: Kind) -> &'static str {
    match kind {
        Kind::Invalid => "Invalid value",
        Kind::NotSupported => "Unsupported value",
        Kind::Required => "Required value",
        Kind::TooMany => "Too many",
        Kind::TooLong => "Too long",
        Kind::Duplicate => "Duplicate value",
    }
}

/// Validates `docs` (each object with where it was read) against `profile`.
/// `report_unvalidated`: whether other kinds get their info notification
/// (`validate` does; `diff`/`verify` name only what is broken).
pub fn check_documents(
    docs: &[(Value, Origin)],
    profile: &GatewayApiProfile,
    report_unvalidated: bool,
) -> Checked {
    check_documents_judged(docs, profile, report_unvalidated, &|_| false)
}

/// [`check_documents`], where `known_valid(i)` says the `i`th document is already
/// known to keep its own rules (`diff`: a committed file still holding the
/// printed text of a generated object, which was validated when it was
/// emitted): its rules are not judged again, and its value need hold only
/// what the checks across documents read: its identity (`apiVersion`, `kind`,
/// `metadata.name` and `namespace`), a Gateway's `spec.listeners` and a
/// route's `spec.parentRefs` ([`parent_listeners`]): [`across_documents`].
pub fn check_documents_judged(
    docs: &[(Value, Origin)],
    profile: &GatewayApiProfile,
    report_unvalidated: bool,
    known_valid: &(dyn Fn(usize) -> bool + Sync),
) -> Checked {
    let mut out = Checked::default();
    let mut report = Report::default();
    // (kind, apiVersion) → count and the first object, for one info per kind.
    let mut others: BTreeMap<
        (String, String),
        (usize, ObjectRef, Option<crate::input::SourceSpan>),
    > = BTreeMap::new();
    // Each object's own rules, judged on every core (the order of the
    // notifications is settled below, in document order).
    let judged: Vec<Vec<Violation>> = docs
        .par_iter()
        .enumerate()
        .map(|(i, (value, _))| {
            let s = |p: &str| crate::input::str_at(value, p).unwrap_or("");
            if !known_valid(i) && has_rules(s("/apiVersion"), s("/kind")) {
                validate_value(value, profile)
            } else {
                Vec::new()
            }
        })
        .collect();
    // Identity → first copy, for duplicates.
    let mut seen: HashMap<(&str, &str, &str, &str), &Origin> = HashMap::new();
    for ((value, origin), violations) in docs.iter().zip(judged) {
        let s = |p: &str| crate::input::str_at(value, p).unwrap_or("");
        let (api_version, kind) = (s("/apiVersion"), s("/kind"));
        let (ns, name) = (s("/metadata/namespace"), s("/metadata/name"));
        let object = || ObjectRef::new(kind, (!ns.is_empty()).then_some(ns), name);
        if !has_rules(api_version, kind) {
            let object = object();
            out.not_validated += 1;
            // The smallest object of the kind is named: the same whatever the input order.
            let entry = others
                .entry((kind.to_string(), api_version.to_string()))
                .or_insert_with(|| (0, object.clone(), origin.doc_span()));
            entry.0 += 1;
            if object < entry.1 {
                entry.1 = object;
                entry.2 = origin.doc_span();
            }
            continue;
        }
        out.validated += 1;
        let group = api_version.split_once('/').map_or("", |(g, _)| g);
        let identity = (group, kind, ns, name);
        if let Some(first) = seen.get(&identity) {
            let where_first = first
                .doc_span()
                .map(|s| format!("{}:{}:{}", s.file, s.line, s.column))
                .unwrap_or_else(|| "the cluster".to_string());
            report.push(
                Notification::error(
                    DUPLICATE_OBJECT,
                    format!(
                        "given twice (first at {where_first}): kubectl apply keeps only the last copy"
                    ),
                )
                .object(&object())
                .span(origin.doc_span())
                .suggest("remove one copy, or rename one of the objects"),
            );
        } else if !name.is_empty() {
            seen.insert(identity, origin);
        }
        if !violations.is_empty() {
            let object = object();
            let paths: Vec<&str> = violations.iter().map(|v| v.field.as_str()).collect();
            let spans = locate::field_spans(origin, &paths);
            for (v, span) in violations.iter().zip(spans) {
                let span = span.or_else(|| origin.doc_span());
                report.push(violation_note(v, &object, span, value, profile));
            }
        }
    }
    parent_listeners(docs, &mut report);
    if report_unvalidated {
        for ((kind, api_version), (count, first, span)) in others {
            let what = if kind.is_empty() {
                "object(s) without a kind".to_string()
            } else {
                format!("{kind} ({api_version}) object(s)")
            };
            report.push(
                Notification::info(
                    NOT_VALIDATED,
                    format!(
                        "{count} {what} not validated: ing2gw knows the rules of Gateway API and Envoy Gateway kinds only (e.g. {first})"
                    ),
                )
                .span(span),
            );
        }
    }
    out.notes = report.finish();
    out
}

/// What identifies `object`, as a value: its `apiVersion`, `kind`,
/// `metadata.name` and `metadata.namespace` (what [`crate::diff::ObjectKey::of`]
/// reads).
pub fn identity(object: &GatewayObject) -> Value {
    let (kind, namespace, name) = object.identity();
    let mut metadata = serde_json::Map::new();
    metadata.insert("name".into(), Value::String(name));
    if !namespace.is_empty() {
        metadata.insert("namespace".into(), Value::String(namespace));
    }
    serde_json::json!({
        "apiVersion": object.api_version(),
        "kind": kind,
        "metadata": metadata,
    })
}

/// What the checks across documents read of `object` ([`parent_listeners`]
/// and the identities), as its printed text would parse: the document a file
/// holding that text stands for in [`check_documents_judged`] (`diff`). Its
/// identity; a Gateway whole (routes are checked against its listeners; an
/// estate has few); a route's `spec.parentRefs` (checked against an edited
/// Gateway's listeners); the rest is never built. A new check across
/// documents must read only what this keeps, or keep more here.
pub fn across_documents(object: &GatewayObject) -> Value {
    let parent_refs = match object {
        GatewayObject::Gateway(_) | GatewayObject::Other(_) => {
            return serde_json::to_value(object).unwrap_or_else(|_| identity(object));
        }
        GatewayObject::HttpRoute(r) => &r.spec.parent_refs,
        GatewayObject::GrpcRoute(r) => &r.spec.parent_refs,
        GatewayObject::TlsRoute(r) => &r.spec.parent_refs,
        GatewayObject::ListenerSet(_)
        | GatewayObject::ReferenceGrant(_)
        | GatewayObject::BackendTlsPolicy(_) => return identity(object),
    };
    let mut value = identity(object);
    if let (Some(map), Ok(refs)) = (value.as_object_mut(), serde_json::to_value(parent_refs)) {
        map.insert("spec".into(), serde_json::json!({ "parentRefs": refs }));
    }
    value
}

/// A route's parentRef to a Gateway of the input names a listener (`sectionName`)
/// or `port` that Gateway does not have: `kubectl apply` accepts the route, but the
/// controller will not attach it to that parent (`Accepted: False`,
/// `NoMatchingParent`) and its traffic is not served there. A warning: the
/// Gateway may be edited in the cluster, outside these files.
pub const PARENT_LISTENER_MISSING: Code = Code("parent-listener-missing");

fn parent_listeners(docs: &[(Value, Origin)], report: &mut Report) {
    let s = |v: &Value, p: &str| crate::input::str_at(v, p).unwrap_or("").to_string();
    let gateway_api = |v: &Value| {
        s(v, "/apiVersion")
            .split_once('/')
            .is_some_and(|(g, _)| g == crate::gwapi::GROUP)
    };
    // (namespace, name) → listener names and ports.
    let mut gateways: HashMap<(String, String), (Vec<String>, Vec<u64>)> = HashMap::new();
    for (v, _) in docs {
        if gateway_api(v) && s(v, "/kind") == "Gateway" {
            let listeners = v
                .pointer("/spec/listeners")
                .and_then(Value::as_array)
                .map(Vec::as_slice)
                .unwrap_or_default();
            gateways.insert(
                (s(v, "/metadata/namespace"), s(v, "/metadata/name")),
                (
                    listeners.iter().map(|l| s(l, "/name")).collect(),
                    listeners
                        .iter()
                        .filter_map(|l| l.get("port").and_then(Value::as_u64))
                        .collect(),
                ),
            );
        }
    }
    if gateways.is_empty() {
        return;
    }
    for (v, origin) in docs {
        let kind = s(v, "/kind");
        if !gateway_api(v) || !matches!(kind.as_str(), "HTTPRoute" | "GRPCRoute" | "TLSRoute") {
            continue;
        }
        let route_ns = s(v, "/metadata/namespace");
        let route = ObjectRef::new(
            &kind,
            (!route_ns.is_empty()).then_some(route_ns.as_str()),
            &s(v, "/metadata/name"),
        );
        let refs = v.pointer("/spec/parentRefs").and_then(Value::as_array);
        for (i, r) in refs.into_iter().flatten().enumerate() {
            let group = r.get("group").and_then(Value::as_str);
            let kind = r.get("kind").and_then(Value::as_str);
            if group.is_some_and(|g| g != crate::gwapi::GROUP)
                || kind.is_some_and(|k| k != "Gateway")
            {
                continue;
            }
            let ns = r
                .get("namespace")
                .and_then(Value::as_str)
                .map_or(route_ns.clone(), str::to_string);
            let name = s(r, "/name");
            let Some((names, ports)) = gateways.get(&(ns.clone(), name.clone())) else {
                continue;
            };
            let gateway = if ns.is_empty() {
                name
            } else {
                format!("{ns}/{name}")
            };
            let mut missing = |field: &str, what: String| {
                let path = format!("spec.parentRefs[{i}].{field}");
                report.push(
                    Notification::warning(
                        PARENT_LISTENER_MISSING,
                        format!(
                            "Gateway {gateway} (in the input) has no listener with {what}: the controller will not attach the route to it (Accepted: False, NoMatchingParent)"
                        ),
                    )
                    .object(&route)
                    .field(path.clone())
                    .span(locate::field_span(origin, &path).or_else(|| origin.doc_span()))
                    .suggest("name a listener of that Gateway, or add the listener"),
                );
            };
            if let Some(section) = r.get("sectionName").and_then(Value::as_str)
                && !names.iter().any(|n| n == section)
            {
                missing("sectionName", format!("name `{section}`"));
            }
            if let Some(port) = r.get("port").and_then(Value::as_u64)
                && !ports.contains(&port)
            {
                missing("port", format!("port {port}"));
            }
        }
    }
}

fn violation_note(
    v: &Violation,
    object: &ObjectRef,
    span: Option<crate::input::SourceSpan>,
    value: &Value,
    profile: &GatewayApiProfile,
) -> Notification {
    let group = value
        .get("apiVersion")
        .and_then(Value::as_str)
        .unwrap_or("");
    let crds = if group.starts_with("gateway.envoyproxy.io/") {
        "Envoy Gateway (v1.9 API)".to_string()
    } else {
        profile.describe()
    };
    // `Required value`, `Duplicate value: name "http"`: already in the API
    // server's words.
    let text = kind_text(v.kind);
    let message = if v.message.starts_with(text) {
        v.message.clone()
    } else {
        format!("{text}: {}", v.message)
    };
    Notification::error(
        MANIFEST_INVALID,
        format!("{message} ({crds}; kubectl apply would reject the object)"),
    )
    .object(object)
    .field(v.field.clone())
    .span(span)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::LineIndex;
    use serde_json::json;
    use std::sync::Arc;

    fn origin(text: &str) -> Origin {
        Origin::File {
            file: "f.yaml".into(),
            text: Arc::from(text),
            lines: Arc::new(LineIndex::new(text)),
            doc_offset: 0,
            doc_len: text.len(),
        }
    }

    #[test]
    fn a_violation_points_at_its_field() {
        let text = "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  hostnames:\n  - www.*.example.com\n";
        let value: Value = serde_saphyr::from_str(text).unwrap();
        let checked = check_documents(
            &[(value, origin(text))],
            &GatewayApiProfile::new(
                crate::target::gateway_api::GatewayApiVersion::V1_4,
                crate::options::Channel::Standard,
            ),
            true,
        );
        assert_eq!(checked.validated, 1);
        let n = &checked.notes[0];
        assert_eq!(n.code, MANIFEST_INVALID);
        assert_eq!(n.field.as_deref(), Some("spec.hostnames[0]"));
        let span = n.span.as_ref().unwrap();
        assert_eq!((span.line, span.column), (8, 5));
    }

    #[test]
    fn a_parent_ref_to_a_missing_listener_is_a_warning() {
        let gateway = json!({"apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway",
            "metadata": {"name": "g", "namespace": "gw"},
            "spec": {"gatewayClassName": "eg", "listeners": [{"name": "http", "port": 80, "protocol": "HTTP"}]}});
        let route = |section: &str, port: u64| {
            json!({"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
            "metadata": {"name": format!("r-{section}-{port}"), "namespace": "app"},
            "spec": {"parentRefs": [{"name": "g", "namespace": "gw", "sectionName": section, "port": port},
                                    {"name": "other", "namespace": "gw", "sectionName": "x"},
                                    {"kind": "ListenerSet", "name": "g", "namespace": "gw", "sectionName": "x"}]}})
        };
        let docs = [
            (gateway, Origin::Cluster),
            (route("http", 80), Origin::Cluster),
            (route("https", 443), Origin::Cluster),
        ];
        let checked = check_documents(
            &docs,
            &GatewayApiProfile::new(
                crate::target::gateway_api::GatewayApiVersion::V1_6,
                crate::options::Channel::Standard,
            ),
            false,
        );
        let warned: Vec<_> = checked
            .notes
            .iter()
            .filter(|n| n.code == PARENT_LISTENER_MISSING)
            .map(|n| {
                (
                    n.object.as_ref().unwrap().name.clone(),
                    n.field.clone().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            warned,
            [
                (
                    "r-https-443".to_string(),
                    "spec.parentRefs[0].port".to_string()
                ),
                (
                    "r-https-443".to_string(),
                    "spec.parentRefs[0].sectionName".to_string()
                ),
            ]
        );
        assert_eq!(checked.errors(), 0);
    }

    #[test]
    fn duplicates_and_other_kinds_are_named() {
        let route = json!({"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
            "metadata": {"name": "a", "namespace": "x"}, "spec": {}});
        let cm = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}});
        let checked = check_documents(
            &[
                (route.clone(), Origin::Cluster),
                (route, Origin::Cluster),
                (cm, Origin::Cluster),
            ],
            &GatewayApiProfile::new(
                crate::target::gateway_api::GatewayApiVersion::V1_4,
                crate::options::Channel::Standard,
            ),
            true,
        );
        let codes: Vec<_> = checked.notes.iter().map(|n| n.code).collect();
        assert!(codes.contains(&DUPLICATE_OBJECT), "{codes:?}");
        assert!(codes.contains(&NOT_VALIDATED), "{codes:?}");
        assert_eq!((checked.validated, checked.not_validated), (2, 1));
        assert_eq!(checked.errors(), 1);
    }
}
