//! Hostnames of `spec.rules[].host` and `spec.tls[].hosts`.
//!
//! ## What ingress-nginx does
//! Nothing of its own: the Kubernetes API server validates an Ingress before any
//! controller sees it (`ValidateIngressSpec`). A host must not be an IP address
//! (`ParseIPSloppy`, so `010.0.0.1` counts) and must be a lower-case DNS-1123
//! subdomain of at most 253 characters (`[a-z0-9]([-a-z0-9]*[a-z0-9])?` labels
//! joined by dots), or `*.` followed by one — a wildcard only as the whole leftmost
//! label. TLS hosts get the same check except the IP test. So upper case, a trailing dot, `:8080`,
//! spaces, `*` alone or not leftmost and unrendered Helm placeholders
//! (`{{ .Values.host }}`) are all rejected with the whole Ingress: it never exists
//! in the cluster and serves nothing. Neither check limits a *label* to 63
//! characters; such a host is accepted (and served by nginx under its
//! `server_name`), but no DNS name can have it.
//!
//! ## What Gateway API offers
//! `Hostname`: the same pattern (`^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`,
//! ≤ 253), IP addresses not allowed. An invalid hostname rejects the whole route or
//! Gateway at apply time.
//!
//! ## What we emit
//! An Ingress the API server would reject is removed before the passes, as the
//! controller never sees it: no route, listener or host ownership comes from it.
//! Nothing is corrected (the input that would be applied is not the one read).
//!
//! ## What we warn
//! An error per invalid host (with the reason and the host's file:line), naming
//! every host and path of the Ingress that is therefore not translated; a warning
//! for labels longer than 63 characters.

use super::ingress_rules::{rule_paths, written_path};
use crate::input::InputIngress;
use crate::report::{Code, Notification, ObjectRef, Report};
use std::collections::BTreeSet;

pub const INVALID_HOST: Code = Code("invalid-host");
pub const LONG_HOST_LABEL: Code = Code("host-label-too-long");

/// Why the API server rejects `host` as a rule host (or Gateway API as a
/// hostname), or `None` when it accepts it.
pub fn invalid_reason(host: &str) -> Option<String> {
    if is_ip_sloppy(host) || host.parse::<std::net::Ipv6Addr>().is_ok() {
        return Some("an IP address, not a DNS name".into());
    }
    invalid_name_reason(host)
}

/// The DNS-name part of the check, which is all the API server applies to
/// `spec.tls[].hosts` (an IPv4 address passes there).
fn invalid_name_reason(host: &str) -> Option<String> {
    if host.contains("{{") || host.contains("}}") {
        return Some("an unrendered template placeholder".into());
    }
    if host.len() > 253 {
        return Some(format!("{} characters long (at most 253)", host.len()));
    }
    if let Some(c) = host
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || *c == ':' || *c == '/')
    {
        return Some(match c {
            ':' => "`:` (a port is not part of a host)".into(),
            '/' => "`/` (a path is not part of a host)".into(),
            _ => format!("the character {c:?}"),
        });
    }
    if host.chars().any(|c| c.is_ascii_uppercase()) {
        return Some("upper case (hosts must be lower case)".into());
    }
    if let Some(c) = host.chars().find(|c| !c.is_ascii()) {
        return Some(format!(
            "the non-ASCII character {c:?} (use the punycode `xn--` form)"
        ));
    }
    let name = match host.strip_prefix("*.") {
        Some(rest) => rest,
        None if host == "*" => {
            return Some("`*` alone (a wildcard needs a domain: `*.example.com`)".into());
        }
        None => host,
    };
    if name.contains('*') {
        return Some("a wildcard that is not the whole leftmost label (`*.example.com`)".into());
    }
    if name.ends_with('.') {
        return Some("a trailing dot".into());
    }
    for label in name.split('.') {
        if label.is_empty() {
            return Some("an empty label (`..` or a leading dot)".into());
        }
        if let Some(c) = label
            .chars()
            .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
        {
            return Some(format!("the character {c:?}"));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Some(format!("the label `{label}` starting or ending with `-`"));
        }
    }
    None
}

/// Go's `netutils.ParseIPSloppy` for IPv4: four decimal parts ≤ 255, leading
/// zeros allowed.
fn is_ip_sloppy(host: &str) -> bool {
    let parts: Vec<&str> = host.split('.').collect();
    parts.len() == 4
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.len() <= 3
                && p.bytes().all(|b| b.is_ascii_digit())
                && p.parse::<u16>().is_ok_and(|v| v <= 255)
        })
}

/// The hosts of an Ingress with the field each is written in and whether it is
/// a rule host (TLS hosts are not checked for IP addresses).
fn hosts(ing: &InputIngress) -> Vec<(String, &str, bool)> {
    let mut out = Vec::new();
    for (i, r) in ing.rules().iter().enumerate() {
        if let Some(h) = r.host.as_deref().filter(|h| !h.is_empty()) {
            out.push((format!("spec.rules[{i}].host"), h, true));
        }
    }
    let tls = ing
        .ingress
        .spec
        .as_ref()
        .and_then(|s| s.tls.as_deref())
        .unwrap_or_default();
    for (i, t) in tls.iter().enumerate() {
        for (j, h) in t.hosts.iter().flatten().enumerate() {
            out.push((format!("spec.tls[{i}].hosts[{j}]"), h.as_str(), false));
        }
    }
    out
}

/// What is not translated when `ing` is removed: its hosts and paths.
fn lost(ing: &InputIngress) -> String {
    let mut items = Vec::new();
    for r in ing.rules() {
        let host = r.host.as_deref().filter(|h| !h.is_empty()).unwrap_or("*");
        let paths: Vec<String> = rule_paths(r).iter().map(written_path).collect();
        if paths.is_empty() {
            items.push(format!("host {host}"));
        } else {
            items.push(format!("{host} {}", paths.join(" ")));
        }
    }
    if ing
        .ingress
        .spec
        .as_ref()
        .is_some_and(|s| s.default_backend.is_some())
    {
        items.push("its defaultBackend".into());
    }
    if items.is_empty() {
        "nothing (it has no rules)".into()
    } else {
        items.join(", ")
    }
}

/// Reports the hosts of `ingresses` and returns those the API server would reject.
pub fn screen(ingresses: &[&InputIngress], report: &mut Report) -> BTreeSet<ObjectRef> {
    let mut rejected = BTreeSet::new();
    for ing in ingresses {
        for (field, host, rule_host) in hosts(ing) {
            // Located only for a notification: nearly every host is valid, and a
            // lookup per host was a visible share of large runs (issue 13).
            let span = || ing.span_of_exact(host).or_else(|| ing.doc_span());
            let why = if rule_host {
                invalid_reason(host)
            } else {
                invalid_name_reason(host)
            };
            if let Some(why) = why {
                let helm = why.contains("template");
                report.push(
                    Notification::error(
                        INVALID_HOST,
                        format!("{field} `{host}` is not a valid hostname ({why}): the Kubernetes API server rejects this Ingress, so ingress-nginx never serves it and no routes are generated for it; not translated: {}", lost(ing)),
                    )
                    .object(&ing.obj)
                    .field(field)
                    .span(span())
                    .suggest(if helm {
                        "render the chart first (`helm template …`) and translate its output"
                    } else {
                        "write the host as a lower-case DNS name (`*.` allowed only as the whole first label, no port, no trailing dot); an IP address cannot be a host: leave the host empty to match every name"
                    }),
                );
                rejected.insert(ing.obj.clone());
            } else if let Some(label) = host.split('.').find(|l| l.len() > 63) {
                report.push(
                    Notification::warning(
                        LONG_HOST_LABEL,
                        format!("{field} `{host}` has the label `{label}` of {} characters: Kubernetes and Gateway API accept it, but DNS allows at most 63, so clients can only reach it with an explicit Host header", label.len()),
                    )
                    .object(&ing.obj)
                    .field(field)
                    .span(span()),
                );
            }
        }
    }
    rejected
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_server_host_validation() {
        for ok in [
            "example.com",
            "*.example.com",
            "a-b.c0.example",
            "xn--bcher-kva.example",
            "localhost",
            "1.2.3.4.5",
        ] {
            assert_eq!(invalid_reason(ok), None, "{ok}");
        }
        for bad in [
            "1.2.3.4",
            "010.0.0.1",
            "::1",
            "example.com.",
            "foo.*.example.com",
            "*",
            "*example.com",
            "*.*.example.com",
            "my host.example.com",
            "example.com:8080",
            "Example.com",
            "{{ .Values.host }}",
            "bücher.example",
            "-a.example.com",
            "a..example.com",
            ".example.com",
            "a_b.example.com",
        ] {
            assert!(invalid_reason(bad).is_some(), "{bad}");
        }
        // The API server checks TLS hosts as names only: an IPv4 address passes.
        assert_eq!(invalid_name_reason("192.0.2.1"), None);
        assert!(invalid_name_reason("192.0.2.1:443").is_some());
        let long_label = format!("{}.example.com", "a".repeat(64));
        assert_eq!(invalid_reason(&long_label), None);
        assert!(invalid_reason(&"a.".repeat(127)).is_some());
    }
}
