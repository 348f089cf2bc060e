//! `metadata`: what the API server checks on every custom resource's ObjectMeta
//! that our output can break — the name is a DNS subdomain (RFC 1123, ≤ 253
//! characters, lowercase), the namespace a DNS label.

use super::common::{NAMESPACE, PRECISE_HOSTNAME, matches};
use super::{FieldPath, Findings, Kind};
use serde_json::Value;

pub fn check(obj: &Value, root: &FieldPath, out: &mut Findings) {
    let meta = root.key("metadata");
    let name = obj
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("");
    let name_path = meta.key("name");
    if name.is_empty() {
        out.push(
            &name_path,
            Kind::Required,
            "name or generateName is required",
        );
    } else {
        if name.len() > 253 {
            out.push(
                &name_path,
                Kind::Invalid,
                "must be no more than 253 characters",
            );
        }
        if !matches(PRECISE_HOSTNAME, name) {
            out.push(&name_path, Kind::Invalid, "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'");
        }
    }
    if let Some(ns) = obj.pointer("/metadata/namespace").and_then(Value::as_str)
        && !ns.is_empty()
        && (ns.len() > 63 || !matches(NAMESPACE, ns))
    {
        out.push(
            &meta.key("namespace"),
            Kind::Invalid,
            "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-'",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_are_dns_subdomains() {
        let mut out = Findings::default();
        check(
            &json!({"metadata": {"name": "Bad_Name", "namespace": "ok"}}),
            &FieldPath::root(),
            &mut out,
        );
        check(
            &json!({"metadata": {"name": "a.b-c", "namespace": "Bad"}}),
            &FieldPath::root(),
            &mut out,
        );
        check(
            &json!({"metadata": {"name": "x".repeat(254)}}),
            &FieldPath::root(),
            &mut out,
        );
        let fields: Vec<_> = out.0.iter().map(|v| v.field.as_str()).collect();
        assert_eq!(
            fields,
            ["metadata.name", "metadata.namespace", "metadata.name"]
        );
    }
}
