//! Schema building blocks shared by the Gateway API kinds: string constraints
//! (minLength/maxLength/pattern), integer bounds, list bounds, and the reference
//! types (`ParentReference`, `BackendObjectReference`) with their CEL rules.

use super::{FieldPath, Findings, Kind};
use regex::Regex;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// `Hostname`: an optional leading `*.` then DNS labels (lowercase, no trailing dot).
pub const HOSTNAME: &str =
    r"^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
/// `PreciseHostname` (redirect/rewrite hostnames) and `SectionName`.
pub const PRECISE_HOSTNAME: &str =
    r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
/// `Group`: empty or a DNS subdomain.
pub const GROUP: &str = r"^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
/// `Kind`.
pub const KIND: &str = r"^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$";
/// `Namespace`: a DNS label.
pub const NAMESPACE: &str = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
/// `HTTPHeaderName` (RFC 7230 token).
pub const HEADER_NAME: &str = r"^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$";
/// `Duration` (GEP-2257).
pub const DURATION: &str = r"^([0-9]{1,5}(h|m|s|ms)){1,4}$";

/// Every pattern above, compiled once. A pattern that failed to compile (none
/// does) is absent, and [`matches`] then answers false: the check fails closed.
static COMPILED: LazyLock<BTreeMap<&'static str, Regex>> = LazyLock::new(|| {
    [
        HOSTNAME,
        PRECISE_HOSTNAME,
        GROUP,
        KIND,
        NAMESPACE,
        HEADER_NAME,
        DURATION,
        super::gateway::PROTOCOL,
        super::envoy_gateway::FQDN,
        super::policies::WELL_KNOWN_CA,
    ]
    .into_iter()
    .filter_map(|p| Regex::new(p).ok().map(|re| (p, re)))
    .collect()
});

/// True when `s` matches `pattern` (one of the constants above).
pub fn matches(pattern: &'static str, s: &str) -> bool {
    COMPILED.get(pattern).is_some_and(|re| re.is_match(s))
}

/// String constraints, in the order the API server checks them.
pub struct Str {
    pub min: usize,
    pub max: usize,
    pub pattern: Option<&'static str>,
}

impl Str {
    pub const fn new(min: usize, max: usize, pattern: Option<&'static str>) -> Self {
        Str { min, max, pattern }
    }
}

/// Checks an optional string field `key` of `obj`.
pub fn opt_str(obj: &Value, key: &str, path: &FieldPath, c: &Str, out: &mut Findings) {
    if let Some(v) = obj.get(key) {
        check_str(v, &path.key(key), c, out);
    }
}

/// Checks a required string field `key` of `obj`.
pub fn req_str(obj: &Value, key: &str, path: &FieldPath, c: &Str, out: &mut Findings) {
    match obj.get(key) {
        Some(v) => check_str(v, &path.key(key), c, out),
        None => out.push(&path.key(key), Kind::Required, "Required value"),
    }
}

pub fn check_str(v: &Value, path: &FieldPath, c: &Str, out: &mut Findings) {
    let Some(s) = v.as_str() else {
        out.push(path, Kind::Invalid, "must be a string");
        return;
    };
    let n = s.chars().count();
    if n < c.min {
        out.push(
            path,
            Kind::Invalid,
            format!("should be at least {} chars long", c.min),
        );
    }
    if n > c.max {
        out.push(
            path,
            Kind::TooLong,
            format!("may not be more than {} bytes", c.max),
        );
    }
    if let Some(p) = c.pattern
        && !matches(p, s)
    {
        out.push(path, Kind::Invalid, format!("should match '{p}'"));
    }
}

/// Checks an optional enum string field.
pub fn opt_enum(obj: &Value, key: &str, path: &FieldPath, allowed: &[&str], out: &mut Findings) {
    if let Some(v) = obj.get(key) {
        let p = path.key(key);
        match v.as_str() {
            Some(s) if allowed.contains(&s) => {}
            _ => out.push(
                &p,
                Kind::NotSupported,
                format!("supported values: {}", allowed.join(", ")),
            ),
        }
    }
}

/// Checks an optional integer field against `[min, max]`.
pub fn opt_int(obj: &Value, key: &str, path: &FieldPath, min: i64, max: i64, out: &mut Findings) {
    if let Some(v) = obj.get(key) {
        check_int(v, &path.key(key), min, max, out);
    }
}

pub fn check_int(v: &Value, path: &FieldPath, min: i64, max: i64, out: &mut Findings) {
    match v.as_i64() {
        Some(n) if n < min => out.push(
            path,
            Kind::Invalid,
            format!("should be greater than or equal to {min}"),
        ),
        Some(n) if n > max => out.push(
            path,
            Kind::Invalid,
            format!("should be less than or equal to {max}"),
        ),
        Some(_) => {}
        None => out.push(path, Kind::Invalid, "must be an integer"),
    }
}

/// The items of an optional list field, after its maxItems check.
pub fn list<'a>(
    obj: &'a Value,
    key: &str,
    path: &FieldPath,
    max: usize,
    out: &mut Findings,
) -> &'a [Value] {
    let Some(v) = obj.get(key) else {
        return &[];
    };
    let Some(items) = v.as_array() else {
        out.push(&path.key(key), Kind::Invalid, "must be an array");
        return &[];
    };
    if items.len() > max {
        out.push(
            &path.key(key),
            Kind::TooMany,
            format!("must have at most {max} items"),
        );
    }
    items
}

/// `x-kubernetes-list-type: map` keyed by `name`: a repeated key is a Duplicate on
/// the later item.
pub fn unique_names(items: &[Value], path: &FieldPath, out: &mut Findings) {
    let mut seen = std::collections::BTreeSet::new();
    for (i, item) in items.iter().enumerate() {
        if let Some(name) = item.get("name").and_then(Value::as_str)
            && !seen.insert(name)
        {
            out.push(
                &path.index(i),
                Kind::Duplicate,
                format!("Duplicate value: name {name:?}"),
            );
        }
    }
}

/// Port numbers: 1..=65535.
pub fn port(obj: &Value, key: &str, path: &FieldPath, out: &mut Findings) {
    opt_int(obj, key, path, 1, 65535, out);
}

/// `ParentReference` schema constraints.
pub fn parent_ref(r: &Value, path: &FieldPath, out: &mut Findings) {
    opt_str(r, "group", path, &Str::new(0, 253, Some(GROUP)), out);
    opt_str(r, "kind", path, &Str::new(1, 63, Some(KIND)), out);
    req_str(r, "name", path, &Str::new(1, 253, None), out);
    opt_str(r, "namespace", path, &Str::new(1, 63, Some(NAMESPACE)), out);
    opt_str(
        r,
        "sectionName",
        path,
        &Str::new(1, 253, Some(PRECISE_HOSTNAME)),
        out,
    );
    port(r, "port", path, out);
}

/// `spec.parentRefs` (maxItems 32) and its two CEL rules on references to the same
/// parent: either all or none name a sectionName (and a port), and no two are equal.
pub fn parent_refs(spec: &Value, path: &FieldPath, out: &mut Findings) {
    let refs = list(spec, "parentRefs", path, 32, out);
    let p = path.key("parentRefs");
    for (i, r) in refs.iter().enumerate() {
        parent_ref(r, &p.index(i), out);
    }
    // The two CEL rules read every reference's `name`: one without it makes their
    // evaluation fail ("no such key"), which the API server reports on the list.
    if refs.iter().any(|r| r.get("name").is_none()) {
        out.push(
            &p,
            Kind::Invalid,
            "no such key: name (evaluating the parentRefs rules)",
        );
        return;
    }
    let s = |r: &Value, k: &str, d: &str| r.get(k).and_then(Value::as_str).unwrap_or(d).to_string();
    let key = |r: &Value| {
        (
            s(r, "group", "gateway.networking.k8s.io"),
            s(r, "kind", "Gateway"),
            s(r, "name", ""),
            s(r, "namespace", ""),
        )
    };
    let section = |r: &Value| s(r, "sectionName", "");
    let portn = |r: &Value| r.get("port").and_then(Value::as_i64).unwrap_or(0);
    let mut mixed = false;
    let mut duplicate = false;
    for a in refs {
        let mut same = 0;
        for b in refs {
            if key(a) != key(b) {
                continue;
            }
            if section(a).is_empty() != section(b).is_empty() || (portn(a) == 0) != (portn(b) == 0)
            {
                mixed = true;
            }
            if section(a) == section(b) && portn(a) == portn(b) {
                same += 1;
            }
        }
        if same != 1 {
            duplicate = true;
        }
    }
    if mixed {
        out.push(&p, Kind::Invalid, "sectionName or port must be specified when parentRefs includes 2 or more references to the same parent");
    }
    if duplicate {
        out.push(&p, Kind::Invalid, "sectionName or port must be unique when parentRefs includes 2 or more references to the same parent");
    }
}

/// `BackendObjectReference` schema constraints plus its CEL rule
/// "Must have port for Service reference" (reported on the reference).
pub fn backend_ref(r: &Value, path: &FieldPath, out: &mut Findings) {
    opt_str(r, "group", path, &Str::new(0, 253, Some(GROUP)), out);
    opt_str(r, "kind", path, &Str::new(1, 63, Some(KIND)), out);
    req_str(r, "name", path, &Str::new(1, 253, None), out);
    opt_str(r, "namespace", path, &Str::new(1, 63, Some(NAMESPACE)), out);
    port(r, "port", path, out);
    let group = r.get("group").and_then(Value::as_str).unwrap_or("");
    let kind = r.get("kind").and_then(Value::as_str).unwrap_or("Service");
    if group.is_empty() && kind == "Service" && r.get("port").is_none() {
        out.push(path, Kind::Invalid, "Must have port for Service reference");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(f: impl Fn(&mut Findings)) -> Vec<String> {
        let mut out = Findings::default();
        f(&mut out);
        out.0.into_iter().map(|v| v.field).collect()
    }

    #[test]
    fn hostname_pattern_rejects_what_the_crd_rejects() {
        for bad in [
            "www.*.example.com",
            "example.com.",
            "Example.com",
            "{{ .Values.host }}",
            "*",
        ] {
            assert!(!matches(HOSTNAME, bad), "{bad}");
        }
        for good in ["example.com", "*.example.com", "a-1.b", "10.0.0.1"] {
            assert!(matches(HOSTNAME, good), "{good}");
        }
    }

    #[test]
    fn string_bounds_and_ports() {
        let p = FieldPath::root();
        let got = run(|o| {
            opt_str(&json!({"n": ""}), "n", &p, &Str::new(1, 3, None), o);
            opt_str(
                &json!({"n": "abcd"}),
                "n",
                &p.key("x"),
                &Str::new(1, 3, None),
                o,
            );
            port(&json!({"port": 0}), "port", &p.key("y"), o);
            port(&json!({"port": 65536}), "port", &p.key("z"), o);
            port(&json!({"port": 80}), "port", &p.key("ok"), o);
        });
        assert_eq!(got, ["n", "x.n", "y.port", "z.port"]);
    }

    #[test]
    fn parent_refs_to_the_same_parent_must_differ() {
        let p = FieldPath::root().key("spec");
        let dup = json!({"parentRefs": [{"name": "gw", "sectionName": "a"}, {"name": "gw", "sectionName": "a"}]});
        assert_eq!(run(|o| parent_refs(&dup, &p, o)), ["spec.parentRefs"]);
        let mixed = json!({"parentRefs": [{"name": "gw", "sectionName": "a"}, {"name": "gw"}]});
        assert_eq!(run(|o| parent_refs(&mixed, &p, o)), ["spec.parentRefs"]);
        let fine = json!({"parentRefs": [{"name": "gw", "sectionName": "a"}, {"name": "gw", "sectionName": "b"}, {"name": "other"}]});
        assert!(run(|o| parent_refs(&fine, &p, o)).is_empty());
    }

    #[test]
    fn service_backend_needs_a_port() {
        let p = FieldPath::root().key("b");
        assert_eq!(run(|o| backend_ref(&json!({"name": "svc"}), &p, o)), ["b"]);
        assert!(
            run(|o| backend_ref(
                &json!({"name": "x", "group": "g.io", "kind": "Backend"}),
                &p,
                o
            ))
            .is_empty()
        );
        assert_eq!(
            run(|o| backend_ref(&json!({"port": 80}), &p, o)),
            ["b.name"]
        );
    }
}
