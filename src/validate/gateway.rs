//! Gateway: listeners (1–64, names, hostnames, ports, protocols) and the CEL rules
//! on `spec.listeners` — TLS only for HTTPS/TLS, HTTPS TLS mode Terminate, TLS mode
//! set for TLS, no hostname for TCP/UDP, unique names, unique port/protocol/hostname.

use super::common::{
    HOSTNAME, PRECISE_HOSTNAME, Str, check_int, list, opt_str, req_str, unique_names,
};
use super::{FieldPath, Findings, Kind};
use crate::target::gateway_api::GatewayApiProfile;
use serde_json::Value;

/// `ProtocolType`: a core name or a domain-prefixed one.
pub const PROTOCOL: &str = r"^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$|[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/[A-Za-z0-9]+$";

pub fn check(spec: &Value, path: &FieldPath, _profile: &GatewayApiProfile, out: &mut Findings) {
    req_str(spec, "gatewayClassName", path, &Str::new(1, 253, None), out);
    listeners(spec, path, out);
}

/// `spec.listeners` of a Gateway or a ListenerSet (the same schema and CEL rules).
pub fn listeners(spec: &Value, path: &FieldPath, out: &mut Findings) {
    let lp = path.key("listeners");
    if spec.get("listeners").is_none() {
        out.push(&lp, Kind::Required, "Required value");
        return;
    }
    let listeners = list(spec, "listeners", path, 64, out);
    if listeners.is_empty() && spec.get("listeners").is_some_and(Value::is_array) {
        out.push(&lp, Kind::Invalid, "should have at least 1 items");
    }
    unique_names(listeners, &lp, out);
    let s = |l: &Value, k: &str| l.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    for (i, l) in listeners.iter().enumerate() {
        let p = lp.index(i);
        req_str(
            l,
            "name",
            &p,
            &Str::new(1, 253, Some(PRECISE_HOSTNAME)),
            out,
        );
        opt_str(l, "hostname", &p, &Str::new(1, 253, Some(HOSTNAME)), out);
        match l.get("port") {
            Some(v) => check_int(v, &p.key("port"), 1, 65535, out),
            None => out.push(&p.key("port"), Kind::Required, "Required value"),
        }
        match l.get("protocol") {
            Some(v) => super::common::check_str(
                v,
                &p.key("protocol"),
                &Str::new(1, 255, Some(PROTOCOL)),
                out,
            ),
            None => out.push(&p.key("protocol"), Kind::Required, "Required value"),
        }
    }
    // The CEL rules on `spec.listeners` read each listener's name, port and
    // protocol: a missing one makes their evaluation fail ("no such key"), which the
    // API server reports on the list.
    if listeners.iter().any(|l| {
        ["name", "port", "protocol"]
            .iter()
            .any(|k| l.get(*k).is_none())
    }) {
        out.push(
            &lp,
            Kind::Invalid,
            "no such key (evaluating the listener rules)",
        );
        return;
    }
    let mut fail = |m: &str| out.push(&lp, Kind::Invalid, m);
    if listeners.iter().any(|l| {
        matches!(s(l, "protocol").as_str(), "HTTP" | "TCP" | "UDP") && l.get("tls").is_some()
    }) {
        fail("tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']");
    }
    if listeners.iter().any(|l| {
        s(l, "protocol") == "HTTPS"
            && l.get("tls").is_some_and(|t| {
                !matches!(
                    t.get("mode").and_then(Value::as_str).unwrap_or("Terminate"),
                    "" | "Terminate"
                )
            })
    }) {
        fail("tls mode must be Terminate for protocol HTTPS");
    }
    if listeners.iter().any(|l| {
        s(l, "protocol") == "TLS"
            // `tls.mode` defaults to Terminate when `tls` is present.
            && l.get("tls").is_none_or(|t| {
                t.get("mode")
                    .and_then(Value::as_str)
                    .unwrap_or("Terminate")
                    .is_empty()
            })
    }) {
        fail("tls mode must be set for protocol TLS");
    }
    if listeners
        .iter()
        .any(|l| matches!(s(l, "protocol").as_str(), "TCP" | "UDP") && !s(l, "hostname").is_empty())
    {
        fail("hostname must not be specified for protocols ['TCP', 'UDP']");
    }
    let names: Vec<String> = listeners.iter().map(|l| s(l, "name")).collect();
    if names
        .iter()
        .any(|n| names.iter().filter(|m| *m == n).count() != 1)
    {
        fail("Listener name must be unique within the Gateway");
    }
    let combo = |l: &Value| {
        (
            l.get("port").and_then(Value::as_i64),
            s(l, "protocol"),
            l.get("hostname")
                .and_then(Value::as_str)
                .map(str::to_string),
        )
    };
    let combos: Vec<_> = listeners.iter().map(combo).collect();
    if combos
        .iter()
        .any(|c| combos.iter().filter(|d| *d == c).count() != 1)
    {
        fail("Combination of port, protocol and hostname must be unique for each listener");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::Channel;
    use crate::target::gateway_api::GatewayApiVersion;
    use serde_json::json;

    fn fields(spec: Value) -> Vec<String> {
        let mut out = Findings::default();
        let profile = GatewayApiProfile::new(GatewayApiVersion::V1_5, Channel::Standard);
        check(&spec, &FieldPath::root().key("spec"), &profile, &mut out);
        out.0.into_iter().map(|v| v.field).collect()
    }

    #[test]
    fn duplicate_listener_names() {
        let l = json!({"name": "http", "port": 80, "protocol": "HTTP"});
        let l2 = json!({"name": "http", "port": 81, "protocol": "HTTP"});
        assert_eq!(
            fields(json!({"gatewayClassName": "c", "listeners": [l, l2]})),
            ["spec.listeners[1]", "spec.listeners"]
        );
    }

    #[test]
    fn tls_and_protocol_rules() {
        let l = json!({"name": "a", "port": 80, "protocol": "HTTP", "tls": {"certificateRefs": [{"name": "c"}]}});
        assert_eq!(
            fields(json!({"gatewayClassName": "c", "listeners": [l]})),
            ["spec.listeners"]
        );
        let l = json!({"name": "a", "port": 0, "protocol": "HTTP", "hostname": "a."});
        assert_eq!(
            fields(json!({"gatewayClassName": "c", "listeners": [l]})),
            ["spec.listeners[0].hostname", "spec.listeners[0].port"]
        );
        assert_eq!(
            fields(json!({"gatewayClassName": "c", "listeners": []})),
            ["spec.listeners"]
        );
    }
}
