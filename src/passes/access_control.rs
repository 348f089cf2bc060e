//! Client IP allow/deny lists, `satisfy`, rate and bandwidth limits.
//!
//! ## What ingress-nginx does
//! `allowlist-source-range` (alias `whitelist-source-range`; the new name wins
//! when both are set) renders `allow <cidr>; … deny all;` in every location of
//! the Ingress (and the implicit `/` of hosts it owns): other clients get 403. The
//! annotation **replaces** the ConfigMap `whitelist-source-range`, which applies
//! to every Ingress without the annotation. `denylist-source-range` (ConfigMap
//! `denylist-source-range`) renders `deny <cidr>;` before the allow list. An
//! invalid list does not fall back: the location is denied and answers 503.
//! `satisfy any` lets a client in when *either* the IP lists *or* the
//! authentication (basic/digest/external) accept it; the default is `all`.
//! `limit-rps` / `limit-rpm` (burst = rate × `limit-burst-multiplier`, default 5,
//! `nodelay`) and `limit-connections` limit per client IP and per controller
//! replica; excess requests get 503; `limit-allowlist` (alias `limit-whitelist`)
//! exempts client ranges. `limit-rate` / `limit-rate-after` throttle the response
//! bandwidth (KB/s after KB). `global-rate-limit` (with `-window`, `-key`,
//! `-ignored-cidrs`; v0.44 to v1.11) counts requests per key in memcached across
//! replicas (429 when exceeded); v1.12.0 removed it, so newer controllers ignore
//! the keys.
//!
//! ## What Gateway API offers
//! Nothing in the standard channel: no client-IP matching, no rate limits. Envoy
//! Gateway (SecurityPolicy `authorization`, BackendTrafficPolicy `rateLimit`),
//! kgateway (TrafficPolicy), Istio (AuthorizationPolicy) have their own resources.
//!
//! ## What we emit
//! The requirement is attached to each rule of the Ingress as an access-control
//! marker; the emitter cannot enforce it and emits those rules **fail-closed**
//! (HTTP 500, `docs/security.md`) unless `--allow-insecure-translation`. An
//! invalid list (503 today) is always fail-closed. A global rate limit on a
//! controller version that still has it is a rate limit like the others. Under `satisfy any`, an IP list
//! is dropped safely when an enforced ExternalAuth filter protects the rule (auth
//! alone is narrower than "IP or auth").
//!
//! ## What we warn
//! The emitter raises an error per Ingress and requirement. This pass adds
//! invalid numbers, ConfigMap defaults that apply to Ingresses without the
//! annotation, `satisfy` without authentication, limit-allowlist / burst details
//! that are lost, the bandwidth limits (not enforced, not access control), and
//! global-rate-limit keys that the modelled controller version ignores.

use super::{Pass, PassContext};
use crate::input::InputIngress;
use crate::ir::*;
use crate::report::{Code, Notification, Report};
use std::net::IpAddr;

pub const SOURCE_RANGE_DEFAULT: Code = Code("source-range-configmap-default");
pub const INVALID_LIMIT: Code = Code("rate-limit-invalid");
pub const BANDWIDTH_LIMIT: Code = Code("bandwidth-limit-dropped");
pub const SATISFY_WITHOUT_AUTH: Code = Code("satisfy-without-auth");
pub const GLOBAL_RATE_LIMIT: Code = Code("global-rate-limit");

pub struct AccessControl;

const KEYS: &[&str] = &[
    "allowlist-source-range",
    "whitelist-source-range",
    "denylist-source-range",
    "satisfy",
    "limit-rps",
    "limit-rpm",
    "limit-connections",
    "limit-burst-multiplier",
    "limit-allowlist",
    "limit-whitelist",
    "limit-rate",
    "limit-rate-after",
    "global-rate-limit",
    "global-rate-limit-window",
    "global-rate-limit-key",
    "global-rate-limit-ignored-cidrs",
];

/// The controller version that removed the global rate limit (memcached).
const GLOBAL_RATE_LIMIT_REMOVED: super::controller_validation::Version =
    super::controller_validation::Version(1, 12, 0);

/// Parses a comma-separated IP/CIDR list as ingress-nginx's `ParseCIDRs` does
/// (items trimmed, empty items ignored); `Err` names the first invalid item.
pub fn parse_cidrs(value: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for item in value.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let valid = match item.split_once('/') {
            Some((ip, bits)) => match (ip.parse::<IpAddr>(), bits.parse::<u8>()) {
                (Ok(IpAddr::V4(_)), Ok(b)) => b <= 32 && !bits.starts_with('+'),
                (Ok(IpAddr::V6(_)), Ok(b)) => b <= 128 && !bits.starts_with('+'),
                _ => false,
            },
            None => item.parse::<IpAddr>().is_ok(),
        };
        if !valid {
            return Err(item.to_string());
        }
        out.push(item.to_string());
    }
    Ok(out)
}

/// `satisfy any` on this Ingress (Opt{any,all}; anything else falls back to `all`).
pub fn satisfy_any(cx: &PassContext, ing: &InputIngress) -> bool {
    cx.annotation(ing, "satisfy").map(str::trim) == Some("any")
}

/// Go `strconv.Atoi` for the limit annotations: `Ok(None)` when absent or empty.
fn int_annotation(cx: &PassContext, ing: &InputIngress, key: &str) -> Result<Option<i64>, String> {
    match cx.annotation(ing, key).map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => v
            .strip_prefix('+')
            .unwrap_or(v)
            .parse::<i64>()
            .map(Some)
            .map_err(|_| v.to_string()),
    }
}

/// Where a list came from: an annotation (full key) or the ConfigMap key.
struct ListSource {
    value: String,
    annotation: Option<&'static str>,
    cm_key: &'static str,
}

fn list_source(
    cx: &PassContext,
    ing: &InputIngress,
    keys: &[&'static str],
    cm_key: &'static str,
) -> Option<ListSource> {
    for &k in keys {
        if let Some(v) = cx.annotation(ing, k)
            && !v.trim().is_empty()
        {
            return Some(ListSource {
                value: v.to_string(),
                annotation: Some(k),
                cm_key,
            });
        }
    }
    cx.config
        .get(cm_key)
        .filter(|v| !v.trim().is_empty())
        .map(|v| ListSource {
            value: v.to_string(),
            annotation: None,
            cm_key,
        })
}

impl Pass for AccessControl {
    fn name(&self) -> &'static str {
        "access-control"
    }
    fn annotations(&self) -> &'static [&'static str] {
        KEYS
    }
    fn run(&self, cx: &PassContext, ir: &mut Ir, report: &mut Report) {
        for (_, ing) in cx.primaries() {
            let mut filters = Vec::new();
            let any = satisfy_any(cx, ing);
            let from = |source: &ListSource| -> Provenance {
                match source.annotation {
                    Some(k) => Provenance::object(&ing.obj)
                        .with_annotation(&cx.full_key(k), cx.annotation_span(ing, k)),
                    None => Provenance::object(&ing.obj)
                        .with_annotation(&format!("ConfigMap {}", source.cm_key), None),
                }
            };
            let lists = [
                (
                    list_source(
                        cx,
                        ing,
                        &["allowlist-source-range", "whitelist-source-range"],
                        "whitelist-source-range",
                    ),
                    true,
                ),
                (
                    list_source(cx, ing, &["denylist-source-range"], "denylist-source-range"),
                    false,
                ),
            ];
            for (source, allow) in lists {
                let Some(source) = source else { continue };
                let prov = from(&source);
                if source.annotation.is_none() {
                    report.push(
                        Notification::info(SOURCE_RANGE_DEFAULT, format!("ConfigMap `{}: {}` applies to this Ingress (it has no annotation of its own)", source.cm_key, source.value.trim()))
                            .object(&ing.obj),
                    );
                }
                let requirement = match parse_cidrs(&source.value) {
                    Ok(cidrs) if allow => AccessRequirement::SourceAllowList {
                        cidrs,
                        satisfy_any: any,
                    },
                    Ok(cidrs) => AccessRequirement::SourceDenyList {
                        cidrs,
                        satisfy_any: any,
                    },
                    Err(bad) => AccessRequirement::DeniedToday {
                        status: 503,
                        reason: format!("`{bad}` is not an IP address or CIDR"),
                    },
                };
                filters.push(RuleFilter {
                    filter: Filter::AccessControl(requirement),
                    from: prov,
                });
            }
            if any && !has_auth(cx, ing) {
                report.push(
                    Notification::info(SATISFY_WITHOUT_AUTH, "`satisfy: any` has no effect without an authentication annotation (auth-type or auth-url)")
                        .object(&ing.obj)
                        .field(cx.full_key("satisfy"))
                        .span(cx.annotation_span(ing, "satisfy")),
                );
            }
            if let Some(f) = rate_limit(cx, ing, report) {
                filters.push(f);
            }
            if let Some(f) = global_rate_limit(cx, ing, report) {
                filters.push(f);
            }
            for key in ["limit-rate", "limit-rate-after"] {
                if let Some(v) = cx.annotation(ing, key)
                    && !v.trim().is_empty()
                    && v.trim() != "0"
                {
                    report.push(
                        Notification::warning(BANDWIDTH_LIMIT, format!("`{key}: {v}` throttles response bandwidth per connection; Gateway API has no equivalent, so responses are not throttled (not access control: the routes stay open)"))
                            .object(&ing.obj)
                            .field(cx.full_key(key))
                            .span(cx.annotation_span(ing, key))
                            .suggest("use your implementation's policy if bandwidth limits matter"),
                    );
                }
            }
            if filters.is_empty() {
                continue;
            }
            for at in ir.rules_of(&ing.obj) {
                let Some(rule) = ir.rule_mut(&at) else {
                    continue;
                };
                rule.filters.extend(filters.iter().cloned());
            }
        }
    }
}

/// True when the Ingress configures basic/digest or external authentication.
fn has_auth(cx: &PassContext, ing: &InputIngress) -> bool {
    ["auth-type", "auth-url"]
        .iter()
        .any(|k| cx.annotation(ing, k).is_some_and(|v| !v.trim().is_empty()))
        || cx
            .config
            .get("global-auth-url")
            .is_some_and(|v| !v.trim().is_empty())
}

/// `global-rate-limit*` (v0.44 to v1.11: a limit per window and key, counted in
/// memcached across replicas; 429 when exceeded). Removed in v1.12.0, whose
/// controller ignores the keys.
fn global_rate_limit(
    cx: &PassContext,
    ing: &InputIngress,
    report: &mut Report,
) -> Option<RuleFilter> {
    use super::annotated::{note, value};
    use crate::report::Severity;
    let keys = [
        "global-rate-limit",
        "global-rate-limit-window",
        "global-rate-limit-key",
        "global-rate-limit-ignored-cidrs",
    ];
    let set: Vec<&str> = keys
        .into_iter()
        .filter(|k| value(cx, ing, k).is_some())
        .collect();
    let first = set.first().copied()?;
    let version = super::controller_validation::Version::parse(&cx.options.controller_version)
        .unwrap_or(super::controller_validation::Version::LATEST);
    if version >= GLOBAL_RATE_LIMIT_REMOVED {
        for key in &set {
            report.push(note(cx, ing, key, Severity::Warning, GLOBAL_RATE_LIMIT, format!("`{key}` is ignored by ingress-nginx {}: the global rate limit was removed in v1.12.0, so these paths are not limited today; nothing is emitted", cx.options.controller_version)).suggest("if an older controller still serves this Ingress, pass its --controller-version: the limit is then enforced fail-closed"));
        }
        return None;
    }
    let limit = match value(cx, ing, "global-rate-limit").map(|v| v.trim().parse::<u64>()) {
        Some(Ok(n)) if n > 0 => Some(n),
        Some(Ok(_)) | None => {
            report.push(note(cx, ing, first, Severity::Info, GLOBAL_RATE_LIMIT, "the global rate limit needs a positive `global-rate-limit`; without one ingress-nginx applies none, nothing to translate"));
            return None;
        }
        // An unreadable limit may be no limit for the parser, but guessing
        // wrong would open a limited path: keep it closed.
        Some(Err(_)) => None,
    };
    let window = value(cx, ing, "global-rate-limit-window")
        .unwrap_or("")
        .trim()
        .to_string();
    let key = value(cx, ing, "global-rate-limit-key")
        .unwrap_or("$remote_addr")
        .trim()
        .to_string();
    for k in set.iter().filter(|k| **k != "global-rate-limit") {
        report.push(note(cx, ing, k, Severity::Info, GLOBAL_RATE_LIMIT, format!("`{k}` is part of the global rate limit of this Ingress (enforced fail-closed, see the error on global-rate-limit)")));
    }
    Some(RuleFilter {
        filter: Filter::AccessControl(AccessRequirement::GlobalRateLimit { limit, window, key }),
        from: Provenance::object(&ing.obj).with_annotation(
            &cx.full_key("global-rate-limit"),
            cx.annotation_span(ing, "global-rate-limit"),
        ),
    })
}

fn rate_limit(cx: &PassContext, ing: &InputIngress, report: &mut Report) -> Option<RuleFilter> {
    let validation = super::auth::annotation_validation(cx);
    let mut rejected: Option<(String, String)> = None;
    let mut get = |key: &str, default: i64| -> i64 {
        match int_annotation(cx, ing, key) {
            Ok(v) => v.unwrap_or(default),
            // limit-burst-multiplier falls back to its default; the others propagate.
            Err(bad) if validation && key != "limit-burst-multiplier" => {
                rejected.get_or_insert((key.to_string(), bad));
                default
            }
            Err(bad) => {
                report.push(
                    Notification::warning(INVALID_LIMIT, format!("`{key}: {bad}` is not an integer; ingress-nginx {} does not validate annotations and ignores the value; treated as unset", cx.options.controller_version))
                        .object(&ing.obj)
                        .field(cx.full_key(key))
                        .span(cx.annotation_span(ing, key)),
                );
                default
            }
        }
    };
    // Saturate, never wrap: a wrapped limit of 2^32 would read as 0 (unset) and
    // the rate limit would vanish.
    let mut get =
        |key: &str, default: i64| u32::try_from(get(key, default).max(0)).unwrap_or(u32::MAX);
    let rps = get("limit-rps", 0);
    let rpm = get("limit-rpm", 0);
    let connections = get("limit-connections", 0);
    let burst_multiplier = get("limit-burst-multiplier", 5);
    if validation
        && rejected.is_none()
        && let Some(source) = list_source(cx, ing, &["limit-allowlist", "limit-whitelist"], "")
        && let (Some(key), Err(bad)) = (source.annotation, parse_cidrs(&source.value))
    {
        rejected = Some((key.to_string(), bad));
    }
    if let Some((key, bad)) = rejected {
        return Some(RuleFilter {
            filter: Filter::AccessControl(AccessRequirement::IgnoredToday {
                reason: format!("`{key}: {bad}` is invalid and annotation validation rejects it"),
            }),
            from: Provenance::object(&ing.obj)
                .with_annotation(&cx.full_key(&key), cx.annotation_span(ing, &key)),
        });
    }
    if rps == 0 && rpm == 0 && connections == 0 {
        return None;
    }
    let key = ["limit-rps", "limit-rpm", "limit-connections"]
        .into_iter()
        .find(|k| cx.annotation(ing, k).is_some())
        .unwrap_or("limit-rps");
    let exempt = list_source(cx, ing, &["limit-allowlist", "limit-whitelist"], "")
        .filter(|s| s.annotation.is_some())
        .map(|s| parse_cidrs(&s.value).unwrap_or_default())
        .unwrap_or_default();
    Some(RuleFilter {
        filter: Filter::AccessControl(AccessRequirement::RateLimit {
            rps,
            rpm,
            connections,
            burst_multiplier,
            exempt,
        }),
        from: Provenance::object(&ing.obj)
            .with_annotation(&cx.full_key(key), cx.annotation_span(ing, key)),
    })
}

#[cfg(test)]
mod tests {
    use super::parse_cidrs;

    #[test]
    fn cidr_lists_parse_like_ingress_nginx() {
        assert_eq!(
            parse_cidrs("10.0.0.0/8, 192.168.1.1 ,2001:db8::/32").unwrap(),
            vec!["10.0.0.0/8", "192.168.1.1", "2001:db8::/32"]
        );
        assert_eq!(parse_cidrs("10.0.0.0/8,,").unwrap(), vec!["10.0.0.0/8"]);
        assert_eq!(parse_cidrs("10.0.0.0/33").unwrap_err(), "10.0.0.0/33");
        assert_eq!(parse_cidrs("10.0.0/8").unwrap_err(), "10.0.0/8");
        assert_eq!(parse_cidrs("example.com").unwrap_err(), "example.com");
        assert_eq!(parse_cidrs("::1/129").unwrap_err(), "::1/129");
    }
}
