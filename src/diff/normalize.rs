//! The canonical form two manifests are compared in.
//!
//! Live objects carry fields the API server sets (status, `managedFields`,
//! `resourceVersion`, `uid`, `generation`, `creationTimestamp`, `selfLink`, the
//! `kubectl.kubernetes.io/last-applied-configuration` annotation) and fields the
//! Gateway API CRD schemas default (`parentRefs[].kind: Gateway`,
//! `backendRefs[].weight: 1`, a rule without `matches` matching `PathPrefix /`, …).
//! A generated manifest has neither. Both sides are therefore stripped of the first
//! and filled with the second, so only differences a user can act on remain. Key
//! order never matters: the result is rebuilt with sorted keys.

use serde_json::{Map, Value, json};

/// Metadata fields the API server owns.
const SERVER_METADATA: &[&str] = &[
    "managedFields",
    "resourceVersion",
    "uid",
    "generation",
    "creationTimestamp",
    "selfLink",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
];

pub const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

const GATEWAY_GROUP: &str = "gateway.networking.k8s.io";

/// Strip server-set fields, apply the CRD defaults, sort keys.
pub fn canonical(mut value: Value) -> Value {
    if let Some(map) = value.as_object_mut() {
        map.remove("status");
        if let Some(meta) = map.get_mut("metadata").and_then(Value::as_object_mut) {
            for field in SERVER_METADATA {
                meta.remove(*field);
            }
            if let Some(annotations) = meta.get_mut("annotations").and_then(Value::as_object_mut) {
                annotations.remove(LAST_APPLIED);
            }
            for key in ["annotations", "labels"] {
                if meta
                    .get(key)
                    .is_some_and(|v| v.is_null() || v.as_object().is_some_and(Map::is_empty))
                {
                    meta.remove(key);
                }
            }
        }
        let is_gateway_api = map
            .get("apiVersion")
            .and_then(Value::as_str)
            .is_some_and(|v| v.starts_with(GATEWAY_GROUP));
        let kind = map
            .get("kind")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        if is_gateway_api && let Some(spec) = map.get_mut("spec") {
            apply_defaults(&kind, spec);
        }
    }
    sorted(value)
}

/// `value` with every map's keys in sorted order. serde_json's `Map` is a
/// `BTreeMap` in this build (no `preserve_order`), so its maps already are: the
/// walk only checks, and rebuilds a map only if a dependency ever turns on
/// `preserve_order` (rebuilding every map of every object was a tenth of
/// `diff`'s time on the shapes of issue 13).
fn sorted(mut value: Value) -> Value {
    sort_in_place(&mut value);
    value
}

fn sort_in_place(value: &mut Value) {
    match value {
        Value::Object(map) => {
            let in_order = map.keys().zip(map.keys().skip(1)).all(|(a, b)| a <= b);
            if !in_order {
                let mut entries: Vec<(String, Value)> = std::mem::take(map).into_iter().collect();
                entries.sort_by(|a, b| a.0.cmp(&b.0));
                *map = entries.into_iter().collect();
            }
            map.values_mut().for_each(sort_in_place);
        }
        Value::Array(items) => items.iter_mut().for_each(sort_in_place),
        _ => {}
    }
}

fn set_default(map: &mut Map<String, Value>, key: &str, value: Value) {
    if map.get(key).is_none_or(Value::is_null) {
        map.insert(key.to_string(), value);
    }
}

fn objects_at<'a>(
    value: &'a mut Value,
    key: &str,
) -> impl Iterator<Item = &'a mut Map<String, Value>> {
    value
        .get_mut(key)
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object_mut)
}

/// The defaults of the Gateway API v1.5 CRD schemas for the fields ing2gw emits.
fn apply_defaults(kind: &str, spec: &mut Value) {
    for parent in objects_at(spec, "parentRefs") {
        set_default(parent, "group", json!(GATEWAY_GROUP));
        set_default(parent, "kind", json!("Gateway"));
    }
    match kind {
        "Gateway" | "ListenerSet" => {
            for listener in objects_at(spec, "listeners") {
                let routes = listener.entry("allowedRoutes").or_insert_with(|| json!({}));
                if let Some(routes) = routes.as_object_mut() {
                    let namespaces = routes.entry("namespaces").or_insert_with(|| json!({}));
                    if let Some(namespaces) = namespaces.as_object_mut() {
                        set_default(namespaces, "from", json!("Same"));
                    }
                }
                if let Some(tls) = listener.get_mut("tls").and_then(Value::as_object_mut) {
                    set_default(tls, "mode", json!("Terminate"));
                    if let Some(Value::Array(refs)) = tls.get_mut("certificateRefs") {
                        for r in refs.iter_mut().filter_map(Value::as_object_mut) {
                            set_default(r, "group", json!(""));
                            set_default(r, "kind", json!("Secret"));
                        }
                    }
                }
            }
        }
        "HTTPRoute" | "GRPCRoute" | "TLSRoute" => {
            let http = kind == "HTTPRoute";
            for rule in objects_at(spec, "rules") {
                let mut rule_value = Value::Object(std::mem::take(rule));
                for backend in objects_at(&mut rule_value, "backendRefs") {
                    set_default(backend, "group", json!(""));
                    set_default(backend, "kind", json!("Service"));
                    set_default(backend, "weight", json!(1));
                }
                if http {
                    http_rule_defaults(&mut rule_value);
                }
                if let Value::Object(map) = rule_value {
                    *rule = map;
                }
            }
        }
        _ => {}
    }
}

fn http_rule_defaults(rule: &mut Value) {
    if let Some(map) = rule.as_object_mut() {
        set_default(
            map,
            "matches",
            json!([{"path": {"type": "PathPrefix", "value": "/"}}]),
        );
    }
    for m in objects_at(rule, "matches") {
        let path = m
            .entry("path")
            .or_insert_with(|| json!({"type": "PathPrefix", "value": "/"}));
        if let Some(path) = path.as_object_mut() {
            set_default(path, "type", json!("PathPrefix"));
            set_default(path, "value", json!("/"));
        }
        for key in ["headers", "queryParams"] {
            if let Some(Value::Array(items)) = m.get_mut(key) {
                for item in items.iter_mut().filter_map(Value::as_object_mut) {
                    set_default(item, "type", json!("Exact"));
                }
            }
        }
    }
    for filter in objects_at(rule, "filters") {
        if let Some(redirect) = filter
            .get_mut("requestRedirect")
            .and_then(Value::as_object_mut)
        {
            set_default(redirect, "statusCode", json!(302));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_fields_and_last_applied_are_dropped() {
        let live = json!({
            "apiVersion": "gateway.networking.k8s.io/v1",
            "kind": "HTTPRoute",
            "metadata": {
                "name": "web", "namespace": "a", "uid": "1", "resourceVersion": "7",
                "generation": 2, "creationTimestamp": "2024-01-01T00:00:00Z",
                "managedFields": [], "selfLink": "/x",
                "annotations": {LAST_APPLIED: "{}"}
            },
            "spec": {"parentRefs": [{"name": "gw"}]},
            "status": {"parents": []}
        });
        let generated = json!({
            "kind": "HTTPRoute",
            "apiVersion": "gateway.networking.k8s.io/v1",
            "metadata": {"namespace": "a", "name": "web"},
            "spec": {"parentRefs": [{"name": "gw", "kind": "Gateway", "group": GATEWAY_GROUP}]}
        });
        assert_eq!(canonical(live), canonical(generated));
    }

    #[test]
    fn crd_defaults_make_explicit_and_implicit_equal() {
        let implicit = json!({
            "apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
            "metadata": {"name": "r"},
            "spec": {"rules": [{"backendRefs": [{"name": "svc", "port": 80}]}]}
        });
        let explicit = json!({
            "apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
            "metadata": {"name": "r"},
            "spec": {"rules": [{
                "matches": [{"path": {"type": "PathPrefix", "value": "/"}}],
                "backendRefs": [{"group": "", "kind": "Service", "name": "svc", "port": 80, "weight": 1}]
            }]}
        });
        assert_eq!(canonical(implicit), canonical(explicit));
    }

    #[test]
    fn real_differences_remain() {
        let a = json!({"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
            "metadata": {"name": "r"}, "spec": {"hostnames": ["a.example"]}});
        let b = json!({"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
            "metadata": {"name": "r"}, "spec": {"hostnames": ["b.example"]}});
        assert_ne!(canonical(a), canonical(b));
    }

    #[test]
    fn keys_are_sorted() {
        let v = canonical(json!({"b": 1, "a": {"d": 1, "c": 2}}));
        assert_eq!(v.to_string(), r#"{"a":{"c":2,"d":1},"b":1}"#);
    }
}
