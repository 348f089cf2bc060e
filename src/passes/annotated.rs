//! Small helpers shared by the annotation passes: notifications that point at an
//! annotation, and value parsing the way ingress-nginx's parsers do it.

use super::PassContext;
use crate::input::InputIngress;
use crate::ir::{Action, HostId, Ir, Provenance, ProvenanceData, Rule, RuleAt, Sourced};
use crate::report::{Code, Notification, Severity};
use std::collections::BTreeMap;

/// A notification about annotation `key` (without prefix) of `ing`, with its span.
pub fn note(
    cx: &PassContext,
    ing: &InputIngress,
    key: &str,
    severity: Severity,
    code: Code,
    message: impl Into<String>,
) -> Notification {
    Notification::new(severity, code, message)
        .object(&ing.obj)
        .field(cx.full_key(key))
        .span(cx.annotation_span(ing, key))
}

/// A non-empty annotation value (ingress-nginx treats empty values as unset).
pub fn value<'b>(cx: &PassContext, ing: &'b InputIngress, key: &str) -> Option<&'b str> {
    cx.annotation(ing, key).filter(|v| !v.trim().is_empty())
}

/// Go `strconv.Atoi` of an annotation: `Some(Err(raw))` when set but not an integer.
pub fn int(cx: &PassContext, ing: &InputIngress, key: &str) -> Option<Result<i64, String>> {
    value(cx, ing, key).map(|v| v.parse::<i64>().map_err(|_| v.to_string()))
}

/// True when `v` matches ingress-nginx's `URLIsValidRegex` validator.
pub fn is_valid_url_value(v: &str) -> bool {
    v.bytes()
        .all(|c| c.is_ascii_alphanumeric() || b"-._~/:,?&=".contains(&c))
}

/// True when `v` matches `BasicCharsRegex` (`^[/\-\.\_\~a-zA-Z0-9\/:]*$`).
pub fn is_basic_chars(v: &str) -> bool {
    v.bytes()
        .all(|c| c.is_ascii_alphanumeric() || b"/-._~:".contains(&c))
}

/// Rules generated from the Ingress's own paths or its spec.defaultBackend (the
/// locations its location annotations apply to), excluding rules other passes
/// synthesised from an annotation (app-root, trailing-slash redirects, …).
///
/// Found through the IR's index by Ingress; edit each with [`Ir::rule_mut`].
pub fn location_rules(ir: &Ir, ing: &InputIngress) -> Vec<RuleAt> {
    let mut at = ir.rules_of(&ing.obj);
    at.retain(|a| {
        ir.hosts
            .get(&a.host)
            .and_then(|h| h.rules.get(a.index))
            .is_some_and(|r| r.from.annotation.is_none())
    });
    at
}

/// For each host, the first of `ingresses` (in the order given) that has a rule
/// in it: the Ingress whose host-wide annotation ingress-nginx applies. Hosts
/// in id order; found through the index, so only the hosts of `ingresses` are visited.
pub fn first_with_rules<'i>(
    ir: &Ir,
    ingresses: impl IntoIterator<Item = &'i InputIngress>,
) -> BTreeMap<HostId, &'i InputIngress> {
    let mut first = BTreeMap::new();
    for ing in ingresses {
        for host in ir.hosts.of_object(&ing.obj) {
            if !first.contains_key(&host.id)
                && host
                    .rules
                    .iter()
                    .any(|r| r.from.object.as_ref() == Some(&ing.obj))
            {
                first.insert(host.id.clone(), ing);
            }
        }
    }
    first
}

/// A Gateway API duration for `secs` seconds (each unit at most 5 digits).
pub fn duration(secs: u64) -> String {
    if secs < 100_000 {
        return format!("{secs}s");
    }
    let (h, rest) = (secs / 3600, secs % 3600);
    let (m, s) = (rest / 60, rest % 60);
    let mut out = format!("{h}h");
    if m > 0 {
        out.push_str(&format!("{m}m"));
    }
    if s > 0 {
        out.push_str(&format!("{s}s"));
    }
    out
}

/// Whether the modelled controller validates annotation values (default since v1.12).
pub fn validation_enabled(cx: &PassContext) -> bool {
    use super::controller_validation::Version;
    Version::parse(&cx.options.controller_version).unwrap_or(Version::LATEST) >= Version(1, 12, 0)
}

/// True when the controller-validation screen already reported that `value` of
/// `key` is invalid and replaced by its default (so a pass need not repeat it).
pub fn invalid_reported(cx: &PassContext, key: &str, value: &str) -> bool {
    use crate::catalog::{OnInvalid, lookup};
    validation_enabled(cx)
        && lookup(key)
            .is_some_and(|i| matches!(i.on_invalid, OnInvalid::Default) && !i.syntax.accepts(value))
}

/// ConfigMap `allow-cross-namespace-resources` (default false since v1.12).
pub fn cross_namespace_allowed(cx: &PassContext) -> bool {
    use super::controller_validation::Version;
    let v = Version::parse(&cx.options.controller_version).unwrap_or(Version::LATEST);
    cx.config
        .bool("allow-cross-namespace-resources", v < Version(1, 12, 0))
}

/// nginx's `ngx_parse_size`: digits with an optional `k`/`K`, `m`/`M` or `g`/`G`
/// suffix, in bytes (None for anything nginx refuses, e.g. `10MB`, `1.5m`, `-1`,
/// and for surrounding spaces, which ingress-nginx's size validator refuses).
pub fn size_bytes(v: &str) -> Option<u64> {
    let (digits, unit) = match v.as_bytes().last()? {
        b'k' | b'K' => (&v[..v.len() - 1], 1u64 << 10),
        b'm' | b'M' => (&v[..v.len() - 1], 1 << 20),
        b'g' | b'G' => (&v[..v.len() - 1], 1 << 30),
        _ => (v, 1),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse::<u64>().ok()?.checked_mul(unit)
}

/// A setting's value and where ingress-nginx took it from: the Ingress's
/// annotation, or else the ConfigMap key of the same name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting<T> {
    pub value: T,
    /// The key (without prefix).
    pub key: String,
    /// True: the annotation; false: the ConfigMap key.
    pub annotation: bool,
}

impl<T: Clone> Setting<T> {
    /// The fact for one rule: an annotation's provenance is the rule's (object,
    /// rule and path index) with the annotation key and span; a ConfigMap key's
    /// is the ConfigMap's.
    pub fn at(&self, cx: &PassContext, ing: &InputIngress, rule: &Provenance) -> Sourced<T> {
        Sourced::new(self.value.clone(), self.provenance(cx, ing, rule))
    }
    pub fn provenance(
        &self,
        cx: &PassContext,
        ing: &InputIngress,
        rule: &Provenance,
    ) -> Provenance {
        if self.annotation {
            Provenance::from(ProvenanceData {
                annotation: Some(cx.full_key(&self.key)),
                span: cx.annotation_span(ing, &self.key),
                ..ProvenanceData::clone(rule)
            })
        } else {
            cx.config.provenance(&self.key)
        }
    }
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Setting<U> {
        Setting {
            value: f(self.value),
            key: self.key,
            annotation: self.annotation,
        }
    }
}

/// The value of `key` as ingress-nginx resolves it for `ing`: a valid annotation,
/// else (unset or invalid) a valid ConfigMap key of the same name, else None (the
/// controller default, which is not recorded as a fact).
pub fn setting<T>(
    cx: &PassContext,
    ing: &InputIngress,
    key: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> Option<Setting<T>> {
    // Annotations are parsed as written (Go's parsers do not trim; the
    // translation passes read them the same way), ConfigMap values trimmed like
    // `ControllerConfig::int`.
    if let Some(v) = value(cx, ing, key).and_then(&parse) {
        return Some(Setting {
            value: v,
            key: key.to_string(),
            annotation: true,
        });
    }
    cx.config
        .value(key)
        .and_then(|v| parse(v.trim()))
        .map(|v| Setting {
            value: v,
            key: key.to_string(),
            annotation: false,
        })
}

/// Calls `f` on every location rule of `ing` that proxies (not on redirects):
/// where its location-scoped facts go.
pub fn for_proxy_rules(ir: &mut Ir, ing: &InputIngress, mut f: impl FnMut(&mut Rule)) {
    for at in location_rules(ir, ing) {
        if let Some(rule) = ir.rule_mut(&at)
            && !matches!(rule.action, Action::Redirect(_))
        {
            f(rule);
        }
    }
}

/// Splits a comma-separated list, trimming items and dropping empty ones.
pub fn list(v: &str) -> Vec<String> {
    v.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_fit_gateway_api_format() {
        assert_eq!(duration(60), "60s");
        assert_eq!(duration(99_999), "99999s");
        assert_eq!(duration(100_000), "27h46m40s");
        assert_eq!(duration(360_000), "100h");
    }

    #[test]
    fn url_validator() {
        assert!(is_valid_url_value("https://example.com/a?b=c&d=e"));
        assert!(!is_valid_url_value("https://example.com$request_uri"));
        assert!(!is_valid_url_value("https://example.com/%20"));
        assert!(!is_valid_url_value("https://example.com/#x"));
    }

    #[test]
    fn nginx_sizes() {
        assert_eq!(size_bytes("0"), Some(0));
        assert_eq!(size_bytes("512"), Some(512));
        assert_eq!(size_bytes("8k"), Some(8 * 1024));
        assert_eq!(size_bytes("10M"), Some(10 * 1024 * 1024));
        assert_eq!(size_bytes("1g"), Some(1 << 30));
        assert_eq!(size_bytes("10MB"), None);
        assert_eq!(size_bytes("1.5m"), None);
        assert_eq!(size_bytes("m"), None);
        assert_eq!(size_bytes("-1"), None);
        assert_eq!(size_bytes(" 8k"), None);
        assert_eq!(size_bytes("99999999999999999999g"), None);
    }

    #[test]
    fn lists() {
        assert_eq!(list(" GET, PUT ,,POST"), vec!["GET", "PUT", "POST"]);
    }
}
