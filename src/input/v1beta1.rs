//! Conversion of `extensions/v1beta1` and `networking.k8s.io/v1beta1` Ingresses to v1.
//!
//! v1beta1 backends are `{serviceName, servicePort}` (port as number or name) and the
//! default backend is `spec.backend`; `pathType` may be absent (ingress-nginx then
//! treats it as Prefix, which the passes do for any missing pathType).

use serde_json::{Map, Value, json};

/// Rewrites a v1beta1 Ingress JSON value into the v1 shape, in place.
pub fn convert(value: &mut Value) {
    if let Some(v) = value.get_mut("apiVersion") {
        *v = Value::String("networking.k8s.io/v1".into());
    }
    let Some(spec) = value.get_mut("spec").and_then(Value::as_object_mut) else {
        return;
    };
    if let Some(backend) = spec.remove("backend") {
        spec.insert("defaultBackend".into(), convert_backend(backend));
    }
    if let Some(rules) = spec.get_mut("rules").and_then(Value::as_array_mut) {
        for rule in rules {
            let paths = rule
                .get_mut("http")
                .and_then(|h| h.get_mut("paths"))
                .and_then(Value::as_array_mut);
            for path in paths.into_iter().flatten() {
                if let Some(p) = path.as_object_mut()
                    && let Some(b) = p.remove("backend")
                {
                    p.insert("backend".into(), convert_backend(b));
                }
            }
        }
    }
}

fn convert_backend(backend: Value) -> Value {
    let Value::Object(mut m) = backend else {
        return backend;
    };
    let name = m.remove("serviceName");
    let port = m.remove("servicePort");
    let mut out = Map::new();
    if let Some(resource) = m.remove("resource") {
        out.insert("resource".into(), resource);
    }
    if name.is_some() || port.is_some() {
        let port = match port {
            Some(Value::Number(n)) => json!({ "number": n }),
            Some(Value::String(s)) => match s.parse::<i32>() {
                Ok(n) => json!({ "number": n }),
                Err(_) => json!({ "name": s }),
            },
            _ => json!({}),
        };
        out.insert(
            "service".into(),
            json!({ "name": name.unwrap_or(Value::String(String::new())), "port": port }),
        );
    }
    Value::Object(out)
}
