//! HTTPRouteFilter: regex path rewrites.
//!
//! What ingress-nginx does: with `use-regex`/`rewrite-target`, the location's
//! regex (case-insensitive, `~*`) is matched against the path and the whole
//! path is replaced by `rewrite-target` with its `$1`… capture groups.
//!
//! What Gateway API offers: `URLRewrite` with `ReplaceFullPath` or
//! `ReplacePrefixMatch` only, so capture groups and case-insensitive matches are
//! approximated by the standard emitter. Envoy Gateway's HTTPRouteFilter has
//! `urlRewrite.path.type: ReplaceRegexMatch {pattern, substitution}` (Envoy's
//! `regex_rewrite`, RE2, `\1` groups), referenced from the rule through an
//! `ExtensionRef` filter.
//!
//! What we emit: for a rule with `RulePolicy.regex_rewrite`, one HTTPRouteFilter
//! per route rule whose pattern is anchored to the whole path (Envoy replaces
//! every match, nginx the whole path), and the rule's standard path rewrite is
//! replaced by the `ExtensionRef` (a hostname rewrite stays in the standard
//! filter). An info notification names the filter — a warning when the rule's
//! own match stays case-sensitive (`PathPrefix`/`Exact` with letters) while
//! nginx's `~*` location matched any case: the filter rewrites exactly what
//! reaches it, but `/HUBBLE/x` no longer reaches it (Gateway 404).

use super::targeting::{PolicyTarget, Sources, object};
use crate::emit::access::Located;
use crate::emit::standard::EmittedRule;
use crate::gwapi::envoy_gateway::*;
use crate::gwapi::{self, GatewayObject};
use crate::report::{Code, Notification, Report};

pub const EG_REGEX_REWRITE: Code = Code("envoy-gateway-regex-rewrite");

/// RE2 pattern that must match the whole path.
fn anchored(pattern: &str) -> String {
    if pattern.starts_with('^') && pattern.ends_with('$') {
        pattern.to_string()
    } else {
        format!("^(?:{pattern})$")
    }
}

/// Emits the filter and points the route rule at it (`routes`: the objects
/// printed so far, holding the rule's HTTPRoute).
pub fn emit(
    e: &EmittedRule,
    routes: &mut [GatewayObject],
    report: &mut Report,
    out: &mut Vec<GatewayObject>,
) {
    if e.kind != "HTTPRoute" {
        return;
    }
    let Some(rw) = e
        .rule
        .policy
        .as_deref()
        .and_then(|p| p.regex_rewrite.as_ref())
    else {
        return;
    };
    let target = PolicyTarget::rule(e);
    let name = target.policy_name();
    let Some(rule) = routes.iter_mut().find_map(|o| match o {
        GatewayObject::HttpRoute(r)
            if r.metadata.name == e.route
                && r.metadata.namespace.as_deref() == Some(e.namespace.as_str()) =>
        {
            r.spec
                .rules
                .iter_mut()
                .find(|r| r.name.as_deref() == Some(e.section.as_str()))
        }
        _ => None,
    }) else {
        return;
    };
    let case_sensitive = case_sensitive_paths(&rw.value.pattern, rule);
    let mut filters = Vec::with_capacity(rule.filters.len() + 1);
    for mut f in std::mem::take(&mut rule.filters) {
        if let Some(u) = &mut f.url_rewrite {
            u.path = None;
            if u.hostname.is_none() {
                continue;
            }
        }
        filters.push(f);
    }
    filters.push(gwapi::HttpRouteFilter {
        filter_type: "ExtensionRef".into(),
        extension_ref: Some(Box::new(gwapi::LocalObjectReference {
            group: EG_GROUP.into(),
            kind: "HTTPRouteFilter".into(),
            name: name.clone(),
        })),
        ..Default::default()
    });
    rule.filters = filters;
    let pattern = anchored(&rw.value.pattern);
    let mut sources = Sources::default();
    sources.add(&rw.from);
    let spec = HttpRouteFilterSpec {
        url_rewrite: EgUrlRewrite {
            path: EgPathModifier {
                kind: "ReplaceRegexMatch".into(),
                replace_regex_match: ReplaceRegexMatch {
                    pattern: pattern.clone(),
                    substitution: rw.value.substitution.clone(),
                },
            },
        },
    };
    let what = format!(
        "{}: rewrite `{pattern}` → `{}` is exact with HTTPRouteFilter {}/{name} (urlRewrite.path ReplaceRegexMatch), referenced from the rule by an ExtensionRef filter",
        target.describe(),
        rw.value.substitution,
        target.namespace
    );
    let n = if case_sensitive.is_empty() {
        Notification::info(EG_REGEX_REWRITE, what)
    } else {
        let upper: Vec<String> = case_sensitive
            .iter()
            .map(|p| format!("`{}`", p.to_uppercase()))
            .collect();
        let quoted: Vec<String> = case_sensitive.iter().map(|p| format!("`{p}`")).collect();
        Notification::warning(
            EG_REGEX_REWRITE,
            format!(
                "{what}; but the rule's path match {} is case-sensitive while nginx matched `{}` case-insensitively ({} reached this backend in ingress-nginx, the Gateway answers 404)",
                quoted.join(", "),
                rw.value.pattern.trim_start_matches("(?i)"),
                upper.join(", ")
            ),
        )
        .suggest("keep it if clients never send those paths in another case; otherwise add a RegularExpression match `(?i)…` for the other spellings")
    };
    report.push(n.located(&rw.from));
    if let Some(o) = object(
        "HTTPRouteFilter",
        name,
        &target.namespace,
        &sources,
        spec,
        report,
    ) {
        out.push(o);
    }
}

/// The rule's `PathPrefix`/`Exact` match values that hold letters, when the
/// regex rewrite's pattern is case-insensitive (`(?i)`, nginx's `~*`): those
/// matches miss requests nginx sent to this backend in another case.
fn case_sensitive_paths(pattern: &str, rule: &gwapi::HttpRouteRule) -> Vec<String> {
    if !pattern.trim_start_matches('^').starts_with("(?i)") {
        return Vec::new();
    }
    let mut out: Vec<String> = rule
        .matches
        .iter()
        .filter_map(|m| m.path.as_ref())
        .filter(|p| p.match_type.as_deref() != Some("RegularExpression"))
        .filter_map(|p| p.value.clone())
        .filter(|v| v.chars().any(|c| c.is_ascii_alphabetic()))
        .collect();
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_case_sensitive_matches_with_letters_under_a_case_insensitive_pattern() {
        let path = |t: &str, v: &str| gwapi::HttpRouteMatch {
            path: Some(gwapi::HttpPathMatch {
                match_type: Some(t.into()),
                value: Some(v.into()),
            }),
            ..Default::default()
        };
        let rule = gwapi::HttpRouteRule {
            matches: vec![
                path("PathPrefix", "/hubble"),
                path("Exact", "/123"),
                path("RegularExpression", "(?i)/ui"),
            ],
            ..Default::default()
        };
        assert_eq!(
            case_sensitive_paths("(?i)/hubble(/|$)(.*)", &rule),
            vec!["/hubble".to_string()]
        );
        assert!(case_sensitive_paths("/hubble(/|$)(.*)", &rule).is_empty());
    }

    #[test]
    fn patterns_are_anchored_to_the_whole_path() {
        assert_eq!(anchored("/foo(/|$)(.*)"), "^(?:/foo(/|$)(.*))$");
        assert_eq!(anchored("^/a/(.*)$"), "^/a/(.*)$");
    }
}
