//! proxy-connect-timeout, proxy-read-timeout, proxy-send-timeout and
//! proxy-next-upstream, -tries, -timeout.
//!
//! ## What ingress-nginx does
//! Per location, integers in seconds (invalid values fall back to the ConfigMap
//! key of the same name, then to 5 / 60 / 60). They are nginx's
//! `proxy_connect_timeout` (establishing the connection), `proxy_send_timeout` and
//! `proxy_read_timeout`: each bounds the wait between two successive write or read
//! operations, not the whole request, so a response that keeps streaming is never
//! cut. `proxy-next-upstream` (default `error timeout`) lists when a request is
//! retried on the next endpoint, at most `proxy-next-upstream-tries` times in all
//! (default 3, 0 = unlimited) within `proxy-next-upstream-timeout` seconds (0 = no
//! limit); non-idempotent requests only with `non_idempotent`; `off` disables it.
//!
//! ## What Gateway API offers
//! `timeouts.request` (whole request, standard) and `timeouts.backendRequest` (one
//! backend attempt); `retry` (codes, attempts, backoff) only in the experimental
//! channel.
//!
//! ## What we emit
//! When a timeout is set (annotation or ConfigMap), `timeouts.request` = connect +
//! max(read, send): how long nginx waits for a backend that accepts the request and
//! then stays silent. With `--channel experimental`, `retry` with the HTTP codes
//! of proxy-next-upstream and attempts = tries − 1.
//!
//! ## What we record (traffic-policy facts)
//! On every proxying location rule (`RulePolicy`): `connect_timeout_ms`,
//! `read_timeout_ms`, `send_timeout_ms`, each when its annotation or ConfigMap key
//! is set and valid (an invalid annotation falls back to the ConfigMap key, as in
//! ingress-nginx; the built-in defaults are not recorded), and `next_upstream`
//! (conditions as written, tries, time budget) when any `proxy-next-upstream*`
//! annotation or ConfigMap key is set, the unset parts at their resolved values.
//!
//! ## What we warn
//! The semantic difference (a deadline versus inactivity timeouts: long downloads,
//! streams and WebSockets may be cut), invalid values, retries that need the
//! experimental channel or an implementation policy, and the retry conditions
//! Gateway API cannot name (connection errors, timeouts, non-idempotent methods).

use super::annotated::{self, note};
use super::{Pass, PassContext};
use crate::input::InputIngress;
use crate::ir::*;
use crate::options::Channel;
use crate::report::{Code, Notification, Report, Severity};

pub const TIMEOUTS: Code = Code("timeouts");
pub const TIMEOUT_INVALID: Code = Code("timeout-invalid");
pub const RETRY: Code = Code("retry");

const TIMEOUT_KEYS: [(&str, i64); 3] = [
    ("proxy-connect-timeout", 5),
    ("proxy-send-timeout", 60),
    ("proxy-read-timeout", 60),
];
const RETRY_KEYS: [&str; 3] = [
    "proxy-next-upstream",
    "proxy-next-upstream-tries",
    "proxy-next-upstream-timeout",
];

/// The retry conditions of `proxy-next-upstream`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NextUpstream {
    pub off: bool,
    pub codes: Vec<u16>,
    /// `error`, `timeout`, `invalid_header`: conditions without a status code.
    pub conditions: Vec<String>,
    pub non_idempotent: bool,
}

impl NextUpstream {
    /// ingress-nginx's default, `error timeout`.
    fn controller_default() -> Self {
        NextUpstream {
            off: false,
            codes: Vec::new(),
            conditions: vec!["error".into(), "timeout".into()],
            non_idempotent: false,
        }
    }
}

/// Parses a `proxy-next-upstream` value (None when it fails validation).
pub fn parse_next_upstream(v: &str) -> Option<NextUpstream> {
    let mut n = NextUpstream {
        off: false,
        codes: Vec::new(),
        conditions: Vec::new(),
        non_idempotent: false,
    };
    let words: Vec<&str> = v.split_whitespace().collect();
    if words.is_empty() {
        return None;
    }
    for w in words {
        match w {
            "off" => n.off = true,
            "non_idempotent" => n.non_idempotent = true,
            "error" | "timeout" | "invalid_header" => n.conditions.push(w.to_string()),
            "http_500" | "http_502" | "http_503" | "http_504" | "http_403" | "http_404"
            | "http_429" => n.codes.push(w[5..].parse().ok()?),
            _ => return None,
        }
    }
    n.codes.sort_unstable();
    Some(n)
}

pub struct TimeoutsPass;

impl Pass for TimeoutsPass {
    fn name(&self) -> &'static str {
        "timeouts"
    }
    fn annotations(&self) -> &'static [&'static str] {
        &[
            "proxy-connect-timeout",
            "proxy-send-timeout",
            "proxy-read-timeout",
            "proxy-next-upstream",
            "proxy-next-upstream-tries",
            "proxy-next-upstream-timeout",
        ]
    }
    fn run(&self, cx: &PassContext, ir: &mut Ir, report: &mut Report) {
        for (_, ing) in cx.primaries() {
            record_timeouts(cx, ing, ir);
            record_next_upstream(cx, ing, ir);
            timeouts(cx, ing, ir, report);
            retries(cx, ing, ir, report);
        }
    }
}

/// A timeout in seconds as ingress-nginx reads it (Go `Atoi`, not negative), in ms.
fn seconds_ms(v: &str) -> Option<u64> {
    v.parse::<u64>().ok().map(|s| s.saturating_mul(1000))
}

/// The per-operation timeout facts of every proxying location rule of `ing`.
fn record_timeouts(cx: &PassContext, ing: &InputIngress, ir: &mut Ir) {
    let [connect, send, read] =
        TIMEOUT_KEYS.map(|(key, _)| annotated::setting(cx, ing, key, seconds_ms));
    if connect.is_none() && send.is_none() && read.is_none() {
        return;
    }
    annotated::for_proxy_rules(ir, ing, |rule| {
        let from = rule.from.clone();
        let p = rule.policy_mut();
        p.connect_timeout_ms = connect.as_ref().map(|s| s.at(cx, ing, &from));
        p.send_timeout_ms = send.as_ref().map(|s| s.at(cx, ing, &from));
        p.read_timeout_ms = read.as_ref().map(|s| s.at(cx, ing, &from));
    });
}

/// The retry fact (`proxy-next-upstream`, `-tries`, `-timeout`) of every proxying
/// location rule of `ing`, when one of the three is set.
fn record_next_upstream(cx: &PassContext, ing: &InputIngress, ir: &mut Ir) {
    let words = |v: &str| {
        parse_next_upstream(v).map(|_| {
            let mut w: Vec<String> = Vec::new();
            for x in v.split_whitespace() {
                if !w.iter().any(|y| y == x) {
                    w.push(x.to_string());
                }
            }
            w
        })
    };
    let conditions = annotated::setting(cx, ing, "proxy-next-upstream", words);
    let tries = annotated::setting(cx, ing, "proxy-next-upstream-tries", |v| {
        v.parse::<u32>().ok()
    });
    let budget = annotated::setting(cx, ing, "proxy-next-upstream-timeout", seconds_ms);
    // The provenance: the first key set, annotations before ConfigMap keys.
    let first = [
        conditions.as_ref().map(|s| (s.key.clone(), s.annotation)),
        tries.as_ref().map(|s| (s.key.clone(), s.annotation)),
        budget.as_ref().map(|s| (s.key.clone(), s.annotation)),
    ]
    .into_iter()
    .flatten()
    .min_by_key(|(_, annotation)| !annotation);
    let Some((key, annotation)) = first else {
        return;
    };
    let fact = crate::ir::NextUpstream {
        conditions: conditions
            .map(|s| s.value)
            .unwrap_or_else(|| vec!["error".into(), "timeout".into()]),
        tries: tries.map(|s| s.value).unwrap_or(3),
        timeout_ms: budget.map(|s| s.value).unwrap_or(0),
    };
    let setting = annotated::Setting {
        value: fact,
        key,
        annotation,
    };
    annotated::for_proxy_rules(ir, ing, |rule| {
        let at = setting.at(cx, ing, &rule.from);
        rule.policy_mut().next_upstream = Some(at);
    });
}

/// An integer setting: annotation, else ConfigMap, else default; and whether it was set.
fn int_setting(
    cx: &PassContext,
    ing: &InputIngress,
    key: &str,
    default: i64,
    report: &mut Report,
) -> (i64, bool) {
    let cm = cx.config.int(key, default);
    let cm_set = cx.config.get(key).is_some();
    match annotated::int(cx, ing, key) {
        Some(Ok(v)) => (v, true),
        Some(Err(raw)) => {
            if !annotated::invalid_reported(cx, key, &raw) {
                report.push(note(
                    cx,
                    ing,
                    key,
                    Severity::Warning,
                    TIMEOUT_INVALID,
                    format!(
                        "`{raw}` is not an integer: ingress-nginx uses {cm} (ConfigMap or default)"
                    ),
                ));
            }
            (cm, cm_set)
        }
        None => (cm, cm_set),
    }
}

/// The longest request timeout Gateway API can express as whole hours (`99999h`).
const MAX_REQUEST_SECS: i64 = 99_999 * 3600;

fn timeouts(cx: &PassContext, ing: &InputIngress, ir: &mut Ir, report: &mut Report) {
    let mut values = [0i64; 3];
    let mut any_set = false;
    for (i, (key, default)) in TIMEOUT_KEYS.iter().enumerate() {
        let (v, set) = int_setting(cx, ing, key, *default, report);
        values[i] = v.max(0);
        any_set |= set;
    }
    if !any_set {
        return;
    }
    let [connect, send, read] = values;
    // Values up to i64::MAX parse (Go's Atoi): the sum must not overflow, and a
    // Gateway API duration has at most 5 digits per unit.
    let total = connect.saturating_add(read.max(send));
    if total == 0 {
        return;
    }
    let capped = total > MAX_REQUEST_SECS;
    let request = annotated::duration(total.min(MAX_REQUEST_SECS) as u64);
    let mut count = 0;
    for at in annotated::location_rules(ir, ing) {
        let Some(rule) = ir.rule_mut(&at) else {
            continue;
        };
        if matches!(rule.action, Action::Redirect(_)) {
            continue;
        }
        rule.timeouts = Some(Timeouts {
            request: Some(request.clone()),
            backend_request: rule
                .timeouts
                .as_ref()
                .and_then(|t| t.backend_request.clone()),
        });
        count += 1;
    }
    if count == 0 {
        return;
    }
    let key = TIMEOUT_KEYS
        .iter()
        .map(|(k, _)| *k)
        .find(|k| cx.annotation(ing, k).is_some())
        .unwrap_or("proxy-read-timeout");
    let cap = if capped {
        " (their sum is capped at 99999h, the longest Gateway API duration)"
    } else {
        ""
    };
    let n = Notification::warning(TIMEOUTS, format!("timeouts connect {connect}s, send {send}s, read {read}s → timeouts.request {request}{cap} on {count} rule(s): nginx's read/send timeouts limit the silence between two reads or writes, Gateway API's request timeout is a deadline for the whole request, so responses that stream longer than {request} (downloads, server-sent events, WebSockets) are cut where nginx kept them"))
        .object(&ing.obj)
        .suggest("for per-operation timeouts use your implementation's policy: Envoy Gateway BackendTrafficPolicy spec.timeout{tcp.connectTimeout, http.requestTimeout}, kgateway BackendConfigPolicy spec.connectTimeout, NGINX Gateway Fabric ProxySettingsPolicy spec.timeout{connect, read, send}");
    let n = if cx.annotation(ing, key).is_some() {
        n.field(cx.full_key(key)).span(cx.annotation_span(ing, key))
    } else {
        n.field(format!("ConfigMap {key}"))
    };
    report.push(n);
}

fn retries(cx: &PassContext, ing: &InputIngress, ir: &mut Ir, report: &mut Report) {
    let set: Vec<&str> = RETRY_KEYS
        .iter()
        .copied()
        .filter(|k| annotated::value(cx, ing, k).is_some())
        .collect();
    let Some(&first) = set.first() else {
        return;
    };
    let cm_next = cx
        .config
        .get("proxy-next-upstream")
        .unwrap_or("error timeout");
    let next = match annotated::value(cx, ing, "proxy-next-upstream") {
        Some(v) => parse_next_upstream(v).unwrap_or_else(|| {
            if !annotated::invalid_reported(cx, "proxy-next-upstream", v) {
                report.push(note(
                cx,
                ing,
                "proxy-next-upstream",
                Severity::Warning,
                TIMEOUT_INVALID,
                format!(
                    "`{v}` is not a valid proxy-next-upstream value: ingress-nginx uses `{cm_next}`"
                ),
            ));
            }
            parse_next_upstream(cm_next).unwrap_or_else(NextUpstream::controller_default)
        }),
        None => parse_next_upstream(cm_next).unwrap_or_else(NextUpstream::controller_default),
    };
    let (tries, _) = int_setting(cx, ing, "proxy-next-upstream-tries", 3, report);
    let (budget, _) = int_setting(cx, ing, "proxy-next-upstream-timeout", 0, report);
    if next.off {
        report.push(note(cx, ing, first, Severity::Info, RETRY, "proxy-next-upstream off: ingress-nginx never retries; no retry is emitted (implementations retry only when configured)"));
        return;
    }
    let mut lost = Vec::new();
    if !next.conditions.is_empty() {
        lost.push(format!(
            "retries on {} (no status code) are up to the implementation",
            next.conditions.join("/")
        ));
    }
    lost.push(if next.non_idempotent {
        "nginx also retries non-idempotent requests (non_idempotent)".to_string()
    } else {
        "nginx never retries POST, LOCK or PATCH; Gateway API retry does not distinguish methods"
            .to_string()
    });
    if budget > 0 {
        lost.push(format!("proxy-next-upstream-timeout {budget}s (time budget for all tries) has no Gateway API field"));
    }
    let attempts = (tries > 0).then(|| u32::try_from(tries - 1).unwrap_or(u32::MAX));
    let summary = format!(
        "proxy-next-upstream `{}` with {} tries",
        annotated::value(cx, ing, "proxy-next-upstream").unwrap_or(cm_next),
        if tries == 0 {
            "unlimited".to_string()
        } else {
            tries.to_string()
        }
    );
    if cx.options.channel != Channel::Experimental {
        report.push(
            note(cx, ing, first, Severity::Warning, RETRY, format!("{summary}: HTTPRoute retry is experimental in Gateway API v1.5, so no retry is emitted for the standard channel"))
                .suggest("use --channel experimental, or your implementation's policy: Envoy Gateway BackendTrafficPolicy spec.retry{numRetries, retryOn{triggers, httpStatusCodes}}, kgateway TrafficPolicy spec.retry{attempts, retryOn, statusCodes}"),
        );
        return;
    }
    let retry = Retry {
        codes: next.codes.clone(),
        attempts: attempts.filter(|a| *a > 0),
    };
    let mut count = 0;
    for at in annotated::location_rules(ir, ing) {
        let Some(rule) = ir.rule_mut(&at) else {
            continue;
        };
        if matches!(rule.action, Action::Redirect(_)) {
            continue;
        }
        rule.retry = Some(retry.clone());
        count += 1;
    }
    if count > 0 {
        report.push(note(
            cx,
            ing,
            first,
            Severity::Warning,
            RETRY,
            format!(
                "{summary} → retry codes {:?}, attempts {} on {count} rule(s); {}",
                retry.codes,
                retry
                    .attempts
                    .map(|a| a.to_string())
                    .unwrap_or_else(|| "implementation default".into()),
                lost.join("; ")
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passes::test_support::{configmap, ingress, ir_of, policy};

    #[test]
    fn timeout_facts_from_annotations_and_configmap() {
        let yaml = configmap(&[
            ("proxy-read-timeout", "300"),
            ("proxy-next-upstream-tries", "5"),
        ]) + &ingress(
            "t",
            "t.example",
            "/",
            "t",
            &[
                ("proxy-connect-timeout", "3"),
                ("proxy-send-timeout", "10s"),
            ],
        ) + &ingress("plain", "p.example", "/", "p", &[]);
        let ir = ir_of(&yaml);
        let t = policy(&ir, "t.example", "/").expect("facts");
        let connect = t.connect_timeout_ms.as_ref().expect("connect");
        assert_eq!(connect.value, 3000);
        assert_eq!(
            connect.from.annotation.as_deref(),
            Some("nginx.ingress.kubernetes.io/proxy-connect-timeout")
        );
        assert_eq!((connect.from.rule, connect.from.path), (Some(0), Some(0)));
        // `10s` is not an integer: ingress-nginx uses the ConfigMap (unset) → no fact.
        assert!(t.send_timeout_ms.is_none());
        let read = t.read_timeout_ms.as_ref().expect("read from the ConfigMap");
        assert_eq!(read.value, 300_000);
        assert_eq!(read.from.annotation.as_deref(), Some("proxy-read-timeout"));
        assert_eq!(
            read.from.object.as_ref().map(|o| o.name.as_str()),
            Some("ingress-nginx-controller")
        );
        // ConfigMap defaults reach every location without an annotation.
        let p = policy(&ir, "p.example", "/").expect("ConfigMap facts");
        assert_eq!(p.read_timeout_ms.as_ref().map(|s| s.value), Some(300_000));
        assert!(p.connect_timeout_ms.is_none());
        let n = p.next_upstream.as_ref().expect("next upstream");
        assert_eq!(
            n.value,
            crate::ir::NextUpstream {
                conditions: vec!["error".into(), "timeout".into()],
                tries: 5,
                timeout_ms: 0
            }
        );
        assert_eq!(
            n.from.annotation.as_deref(),
            Some("proxy-next-upstream-tries")
        );
    }

    #[test]
    fn next_upstream_fact_as_written() {
        let yaml = ingress(
            "r",
            "r.example",
            "/",
            "r",
            &[
                ("proxy-next-upstream", "error http_502 non_idempotent error"),
                ("proxy-next-upstream-timeout", "15"),
            ],
        ) + &ingress(
            "noretry",
            "o.example",
            "/",
            "o",
            &[("proxy-next-upstream", "off")],
        ) + &ingress(
            "bad",
            "b.example",
            "/",
            "b",
            &[("proxy-next-upstream", "sometimes")],
        ) + &ingress("none", "n.example", "/", "n", &[]);
        let ir = ir_of(&yaml);
        let r = policy(&ir, "r.example", "/")
            .unwrap()
            .next_upstream
            .as_ref()
            .unwrap();
        assert_eq!(
            r.value,
            crate::ir::NextUpstream {
                conditions: vec!["error".into(), "http_502".into(), "non_idempotent".into()],
                tries: 3,
                timeout_ms: 15_000
            }
        );
        assert_eq!(
            r.from.annotation.as_deref(),
            Some("nginx.ingress.kubernetes.io/proxy-next-upstream")
        );
        let o = policy(&ir, "o.example", "/")
            .unwrap()
            .next_upstream
            .as_ref()
            .unwrap();
        assert_eq!(o.value.conditions, vec!["off"]);
        assert!(policy(&ir, "b.example", "/").is_none_or(|p| p.next_upstream.is_none()));
        assert!(policy(&ir, "n.example", "/").is_none_or(|p| p.is_empty()));
    }

    #[test]
    fn controller_default_is_the_parsed_default() {
        assert_eq!(
            parse_next_upstream("error timeout"),
            Some(NextUpstream::controller_default())
        );
    }

    #[test]
    fn next_upstream_parsing() {
        let n = parse_next_upstream("error timeout http_502 http_503").unwrap();
        assert_eq!(n.codes, vec![502, 503]);
        assert_eq!(n.conditions, vec!["error", "timeout"]);
        assert!(!n.non_idempotent);
        assert!(parse_next_upstream("off").unwrap().off);
        assert!(parse_next_upstream("http_418").is_none());
        assert!(parse_next_upstream("").is_none());
    }
}
