//! ReferenceGrant, BackendTLSPolicy and ListenerSet (XListenerSet in 1.4):
//! required lists and their bounds, the reference fields' patterns, and the CEL
//! rules ing2gw's output can break (BackendTLSPolicy: CA refs xor well-known CAs,
//! targetRefs to the same target; ListenerSet: the Gateway's listener rules).

use super::common::{GROUP, KIND, NAMESPACE, PRECISE_HOSTNAME, Str, list, opt_str, req_str};
use super::{FieldPath, Findings, Kind};
use serde_json::Value;

/// A required list of 1..=`max` items.
fn required_list<'a>(
    obj: &'a Value,
    key: &str,
    path: &FieldPath,
    max: usize,
    out: &mut Findings,
) -> &'a [Value] {
    if obj.get(key).is_none() {
        out.push(&path.key(key), Kind::Required, "Required value");
        return &[];
    }
    let items = list(obj, key, path, max, out);
    if items.is_empty() && obj.get(key).is_some_and(Value::is_array) {
        out.push(
            &path.key(key),
            Kind::Invalid,
            "should have at least 1 items",
        );
    }
    items
}

fn group_kind(r: &Value, path: &FieldPath, out: &mut Findings) {
    req_str(r, "group", path, &Str::new(0, 253, Some(GROUP)), out);
    req_str(r, "kind", path, &Str::new(1, 63, Some(KIND)), out);
}

/// ReferenceGrant `spec`: `from` (group, kind, namespace) and `to` (group, kind,
/// optional name), each 1–16 items.
pub fn check_reference_grant(spec: &Value, path: &FieldPath, out: &mut Findings) {
    let from = required_list(spec, "from", path, 16, out);
    for (i, f) in from.iter().enumerate() {
        let p = path.key("from").index(i);
        group_kind(f, &p, out);
        req_str(f, "namespace", &p, &Str::new(1, 63, Some(NAMESPACE)), out);
    }
    let to = required_list(spec, "to", path, 16, out);
    for (i, t) in to.iter().enumerate() {
        let p = path.key("to").index(i);
        group_kind(t, &p, out);
        opt_str(t, "name", &p, &Str::new(1, 253, None), out);
    }
}

/// `wellKnownCACertificates`: `System` or a domain-prefixed name.
pub(super) const WELL_KNOWN_CA: &str = r"^(System|([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]))$";

/// BackendTLSPolicy `spec`.
pub fn check_backend_tls_policy(spec: &Value, path: &FieldPath, out: &mut Findings) {
    let refs = required_list(spec, "targetRefs", path, 16, out);
    let tp = path.key("targetRefs");
    for (i, r) in refs.iter().enumerate() {
        let p = tp.index(i);
        group_kind(r, &p, out);
        req_str(r, "name", &p, &Str::new(1, 253, None), out);
        opt_str(
            r,
            "sectionName",
            &p,
            &Str::new(1, 253, Some(PRECISE_HOSTNAME)),
            out,
        );
    }
    // The two CEL rules on references to the same target (group, kind, name): a
    // reference without one of them makes their evaluation fail ("no such key"),
    // which the API server reports on the list.
    if !refs.iter().all(|r| {
        ["group", "kind", "name"]
            .iter()
            .all(|k| r.get(*k).is_some())
    }) {
        out.push(
            &tp,
            Kind::Invalid,
            "no such key (evaluating the targetRefs rules)",
        );
    } else {
        let s = |r: &Value, k: &str| r.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        let key = |r: &Value| (s(r, "group"), s(r, "kind"), s(r, "name"));
        let (mut mixed, mut duplicate) = (false, false);
        for a in refs {
            let same: Vec<&Value> = refs.iter().filter(|b| key(a) == key(b)).collect();
            if same
                .iter()
                .any(|b| s(a, "sectionName").is_empty() != s(b, "sectionName").is_empty())
            {
                mixed = true;
            }
            if same
                .iter()
                .filter(|b| s(a, "sectionName") == s(b, "sectionName"))
                .count()
                != 1
            {
                duplicate = true;
            }
        }
        if mixed {
            out.push(&tp, Kind::Invalid, "sectionName must be specified when targetRefs includes 2 or more references to the same target");
        }
        if duplicate {
            out.push(&tp, Kind::Invalid, "sectionName must be unique when targetRefs includes 2 or more references to the same target");
        }
    }
    let vp = path.key("validation");
    let Some(v) = spec.get("validation") else {
        out.push(&vp, Kind::Required, "Required value");
        return;
    };
    req_str(
        v,
        "hostname",
        &vp,
        &Str::new(1, 253, Some(PRECISE_HOSTNAME)),
        out,
    );
    let cas = list(v, "caCertificateRefs", &vp, 8, out);
    for (i, r) in cas.iter().enumerate() {
        let p = vp.key("caCertificateRefs").index(i);
        group_kind(r, &p, out);
        req_str(r, "name", &p, &Str::new(1, 253, None), out);
    }
    opt_str(
        v,
        "wellKnownCACertificates",
        &vp,
        &Str::new(1, 253, Some(WELL_KNOWN_CA)),
        out,
    );
    let has_cas = !cas.is_empty();
    let has_known = v
        .get("wellKnownCACertificates")
        .and_then(Value::as_str)
        .is_some_and(|s| !s.is_empty());
    if has_cas && has_known {
        out.push(
            &vp,
            Kind::Invalid,
            "must not contain both CACertificateRefs and WellKnownCACertificates",
        );
    }
    if !has_cas && !has_known {
        out.push(
            &vp,
            Kind::Invalid,
            "must specify either CACertificateRefs or WellKnownCACertificates",
        );
    }
}

/// ListenerSet / XListenerSet `spec`: a parentRef (a Gateway) and 1–64
/// listeners under the Gateway's listener rules.
pub fn check_listener_set(spec: &Value, path: &FieldPath, out: &mut Findings) {
    let pp = path.key("parentRef");
    match spec.get("parentRef") {
        None => out.push(&pp, Kind::Required, "Required value"),
        Some(r) => {
            opt_str(r, "group", &pp, &Str::new(0, 253, Some(GROUP)), out);
            opt_str(r, "kind", &pp, &Str::new(1, 63, Some(KIND)), out);
            req_str(r, "name", &pp, &Str::new(1, 253, None), out);
            opt_str(r, "namespace", &pp, &Str::new(1, 63, Some(NAMESPACE)), out);
        }
    }
    super::gateway::listeners(spec, path, out);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fields(f: fn(&Value, &FieldPath, &mut Findings), spec: Value) -> Vec<String> {
        let mut out = Findings::default();
        f(&spec, &FieldPath::root().key("spec"), &mut out);
        out.0.into_iter().map(|v| v.field).collect()
    }

    #[test]
    fn reference_grant_lists_are_required_and_bounded() {
        assert_eq!(
            fields(check_reference_grant, json!({"from": []})),
            ["spec.from", "spec.to"]
        );
        let ok = json!({"from": [{"group": "gateway.networking.k8s.io", "kind": "HTTPRoute", "namespace": "a"}], "to": [{"group": "", "kind": "Service"}]});
        assert!(fields(check_reference_grant, ok).is_empty());
        let bad = json!({"from": [{"group": "", "kind": "HTTPRoute", "namespace": "Bad"}], "to": [{"group": "", "kind": "1x"}]});
        assert_eq!(
            fields(check_reference_grant, bad),
            ["spec.from[0].namespace", "spec.to[0].kind"]
        );
    }

    #[test]
    fn backend_tls_policy_needs_exactly_one_ca_source() {
        let t = json!([{"group": "", "kind": "Service", "name": "s"}]);
        let both = json!({"targetRefs": t, "validation": {"hostname": "a.b", "wellKnownCACertificates": "System", "caCertificateRefs": [{"group": "", "kind": "ConfigMap", "name": "c"}]}});
        assert_eq!(fields(check_backend_tls_policy, both), ["spec.validation"]);
        let none = json!({"targetRefs": t, "validation": {"hostname": "a.b"}});
        assert_eq!(fields(check_backend_tls_policy, none), ["spec.validation"]);
        let dup = json!({"targetRefs": [t[0].clone(), t[0].clone()], "validation": {"hostname": "a.b", "wellKnownCACertificates": "System"}});
        assert_eq!(fields(check_backend_tls_policy, dup), ["spec.targetRefs"]);
    }

    #[test]
    fn listener_set_needs_a_parent() {
        let l = json!([{"name": "a", "port": 443, "protocol": "HTTPS", "tls": {"mode": "Passthrough"}}]);
        assert_eq!(
            fields(check_listener_set, json!({"listeners": l})),
            ["spec.parentRef", "spec.listeners"]
        );
    }
}
