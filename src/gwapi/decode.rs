//! Reading Gateway API manifests back (for `ing2gw verify --gateway-api`), so
//! users can verify generated output after editing it by hand.

use super::GatewayObject;
use crate::input::{INVALID_OBJECT, Origin, SKIPPED_KINDS, SourceFile, for_each_document};
use crate::report::{Notification, ObjectRef, Report};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::collections::BTreeMap;

/// Gateway API objects decoded from files, with what went wrong.
#[derive(Debug, Default)]
pub struct DecodedGatewayApi {
    pub objects: Vec<GatewayObject>,
    /// Documents that are not valid YAML/JSON or do not decode.
    pub errors: usize,
    /// `kind (apiVersion)` → count of documents of other kinds (ignored).
    pub skipped: BTreeMap<String, usize>,
    /// File name → byte ranges never to be shown (Secrets).
    pub withheld: BTreeMap<String, Vec<std::ops::Range<usize>>>,
}

/// Decodes every Gateway API object (any served version of the
/// `gateway.networking.k8s.io` group; `List`s are unpacked) of `files`.
pub fn decode_gateway_objects(files: &[SourceFile], report: &mut Report) -> DecodedGatewayApi {
    let mut out = DecodedGatewayApi::default();
    for file in files {
        let read = for_each_document(file, report, |value, origin, _, report| {
            decode_value(value, origin, &mut out, report)
        });
        out.errors += read.errors;
        out.withheld.insert(file.name.clone(), read.withheld);
    }
    note_skipped(&out, report);
    out
}

/// [`decode_gateway_objects`] of documents already parsed (and validated) by the
/// caller, in their order: `verify --gateway-api` parses its files once. The
/// documents' own read errors and withheld ranges are the caller's; `errors`
/// counts only the objects that do not decode.
pub fn decode_documents(
    docs: impl IntoIterator<Item = (Value, Origin)>,
    report: &mut Report,
) -> DecodedGatewayApi {
    let mut out = DecodedGatewayApi::default();
    for (value, origin) in docs {
        decode_value(value, &origin, &mut out, report);
    }
    note_skipped(&out, report);
    out
}

/// One info for the documents of other kinds.
fn note_skipped(out: &DecodedGatewayApi, report: &mut Report) {
    if !out.skipped.is_empty() {
        let list: Vec<String> = out
            .skipped
            .iter()
            .map(|(k, n)| format!("{n} {k}"))
            .collect();
        report.push(Notification::info(
            SKIPPED_KINDS,
            format!(
                "skipped objects that are not Gateway API routes or gateways: {}",
                list.join(", ")
            ),
        ));
    }
}

fn decode_value(
    mut value: Value,
    origin: &Origin,
    out: &mut DecodedGatewayApi,
    report: &mut Report,
) {
    if value.is_null() {
        return;
    }
    let s = |v: &Value, p: &str| v.pointer(p).and_then(Value::as_str).map(str::to_string);
    let kind = s(&value, "/kind").unwrap_or_default();
    let api_version = s(&value, "/apiVersion").unwrap_or_default();
    let group = api_version.split_once('/').map_or("", |(g, _)| g);
    // Envoy Gateway's policies are kept (as JSON) for `verify --implementation
    // envoy-gateway`, which applies them.
    if group != super::GROUP && group != "gateway.envoyproxy.io" {
        *out.skipped
            .entry(format!("{kind} ({api_version})"))
            .or_default() += 1;
        return;
    }
    // Namespaced kinds default to `default`, like kubectl apply.
    if let Some(meta) = value.get_mut("metadata").and_then(Value::as_object_mut)
        && !meta.contains_key("namespace")
    {
        meta.insert("namespace".into(), Value::String("default".into()));
    }
    let ns = s(&value, "/metadata/namespace").unwrap_or_default();
    let name = s(&value, "/metadata/name").unwrap_or_default();
    let decoded = match kind.as_str() {
        "Gateway" => typed(value).map(GatewayObject::Gateway),
        "ListenerSet" | "XListenerSet" => typed(value).map(GatewayObject::ListenerSet),
        "HTTPRoute" => typed(value).map(GatewayObject::HttpRoute),
        "GRPCRoute" => typed(value).map(GatewayObject::GrpcRoute),
        "TLSRoute" => typed(value).map(GatewayObject::TlsRoute),
        "ReferenceGrant" => typed(value).map(GatewayObject::ReferenceGrant),
        "BackendTLSPolicy" => typed(value).map(GatewayObject::BackendTlsPolicy),
        _ => Ok(GatewayObject::Other(value)),
    };
    match decoded {
        Ok(o) => out.objects.push(o),
        Err(e) => {
            out.errors += 1;
            report.push(
                Notification::error(INVALID_OBJECT, format!("{kind} does not decode: {e}"))
                    .object(&ObjectRef::new(&kind, Some(&ns), &name))
                    .span(origin.doc_span())
                    .suggest("fix the field named above; this object was skipped"),
            );
        }
    }
}

fn typed<T: DeserializeOwned>(value: Value) -> Result<T, serde_json::Error> {
    serde_json::from_value(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn file(text: &str) -> SourceFile {
        SourceFile {
            name: "gw.yaml".into(),
            text: Arc::from(text),
        }
    }

    #[test]
    fn decodes_routes_and_gateways_and_skips_others() {
        let text = "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: r}\nspec:\n  parentRefs: [{name: gw}]\n  rules:\n  - matches: [{path: {type: Exact, value: /a}}]\n    backendRefs: [{name: svc, port: 80}]\n---\napiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: gw, namespace: infra}\nspec:\n  gatewayClassName: x\n  listeners: [{name: http, port: 80, protocol: HTTP}]\n---\napiVersion: v1\nkind: Service\nmetadata: {name: svc}\n";
        let mut report = Report::default();
        let d = decode_gateway_objects(&[file(text)], &mut report);
        assert_eq!(d.errors, 0);
        assert_eq!(d.objects.len(), 2);
        let GatewayObject::HttpRoute(r) = &d.objects[0] else {
            panic!("route expected")
        };
        assert_eq!(r.metadata.namespace.as_deref(), Some("default"));
        assert_eq!(r.spec.rules[0].backend_refs[0].port, Some(80));
        assert_eq!(d.skipped.get("Service (v1)"), Some(&1));
    }

    #[test]
    fn bad_route_is_an_error_with_a_position() {
        let text = "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: r}\nspec:\n  rules: 3\n";
        let mut report = Report::default();
        let d = decode_gateway_objects(&[file(text)], &mut report);
        assert_eq!(d.errors, 1);
        let notes = report.finish();
        assert_eq!(notes[0].code, INVALID_OBJECT);
        assert_eq!(notes[0].span.as_ref().map(|s| s.line), Some(1));
    }
}
