//! Names every annotation no pass accounted for: nothing disappears silently.
//!
//! ## What ingress-nginx does
//! It reads the annotations of its catalog under the configured prefix
//! (`--annotations-prefix`) and ignores every other key, including misspelt ones
//! and, with a custom prefix, keys with the default prefix (its admission webhook
//! refuses those).
//!
//! ## What we emit
//! Nothing: this check only reports.
//!
//! ## What we warn
//! For each catalog annotation no registered pass claims: a specific warning built
//! from the catalog (what it did in ingress-nginx, the Gateway API feature or the
//! implementation resource to use instead). When that annotation guards access
//! (auth, allow/deny lists, client certificates), the Ingress's rules are closed
//! as well unless `--allow-insecure-translation`: a route must never be more open
//! than its Ingress. Unknown keys under the prefix get "ingress-nginx ignores it"
//! with the closest known name. Annotations of other tools (cert-manager,
//! external-dns, …) are listed once per Ingress so the user can carry them over.

use super::PassContext;
use super::controller_validation::close_ingress;
use crate::catalog::{self, AnnotationInfo, Support};
use crate::input::InputIngress;
use crate::ir::Ir;
use crate::report::{Code, Notification, Report};

pub const UNHANDLED_ANNOTATION: Code = Code("unhandled-annotation");
pub const UNKNOWN_ANNOTATION: Code = Code("unknown-annotation");
pub const WRONG_PREFIX: Code = Code("annotation-wrong-prefix");
pub const FOREIGN_ANNOTATIONS: Code = Code("foreign-annotations");
pub const ACCESS_CONTROL_CLOSED: Code = Code("access-control-not-translated");

const DEFAULT_PREFIX: &str = "nginx.ingress.kubernetes.io/";

/// Annotations that carry no configuration to translate.
const IGNORED: &[&str] = &[
    "kubernetes.io/ingress.class",
    "kubectl.kubernetes.io/last-applied-configuration",
];

/// Annotations that restrict who may reach a path: untranslated, the route would be
/// more open than the Ingress.
const GUARDS_ACCESS: &[&str] = &[
    "allowlist-source-range",
    "auth-tls-match-cn",
    "auth-tls-secret",
    "auth-type",
    "auth-url",
    "denylist-source-range",
    "whitelist-source-range",
];

pub fn report_unhandled(cx: &PassContext, claimed: &[&str], ir: &mut Ir, report: &mut Report) {
    let prefix = cx.options.annotation_prefix.as_str();
    for ing in &cx.ingresses {
        let mut foreign = Vec::new();
        let mut guard: Option<&str> = None;
        for (key, value) in ing.annotations() {
            if let Some(short) = key.strip_prefix(prefix) {
                if claimed.contains(&short) {
                    continue;
                }
                match catalog::lookup(short) {
                    Some(info) => {
                        let guards = GUARDS_ACCESS.contains(&short) && !value.trim().is_empty();
                        if guards && guard.is_none() {
                            guard = Some(key);
                        }
                        report.push(unhandled(ing, key, value, info, guards));
                    }
                    None => report.push(unknown(ing, key, value)),
                }
            } else if prefix != DEFAULT_PREFIX && key.starts_with(DEFAULT_PREFIX) {
                report.push(
                    Notification::warning(WRONG_PREFIX, format!("`{key}` is ignored: the controller runs with --annotations-prefix {} (its admission webhook refuses this key)", prefix.trim_end_matches('/')))
                        .object(&ing.obj)
                        .field(key.clone())
                        .span(ing.span_of(key))
                        .suggest("nothing to translate; remove the key, or check --annotations-prefix"),
                );
            } else if !IGNORED.contains(&key.as_str())
                && !super::cert_manager::owns(key)
                && !super::external_dns::owns(key)
            {
                foreign.push(key.clone());
            }
        }
        // A denied Ingress is closed already, with its own error.
        if let Some(key) = guard.filter(|_| !cx.verdicts.is_denied(&ing.obj)) {
            close_for_access(cx, ing, key, ir, report);
        }
        if !foreign.is_empty() {
            report.push(foreign_notice(ing, &foreign));
        }
    }
}

/// A specific notification from the catalog entry.
fn unhandled(
    ing: &InputIngress,
    key: &str,
    value: &str,
    info: &AnnotationInfo,
    guards: bool,
) -> Notification {
    let what = match info.support {
        Support::Unsupported => "has no Gateway API equivalent",
        Support::ImplementationSpecific => "needs an implementation-specific resource",
        // Unreachable with the full registry (tests/catalog_passes.rs checks that a
        // pass claims every such key); only a reduced pass list gets here.
        Support::Translated | Support::Approximated => "is not handled by the passes that ran",
    };
    let suggestion = match info.support {
        Support::Unsupported => format!("instead: {}", info.note),
        Support::ImplementationSpecific => format!("use your implementation: {}", info.note),
        Support::Translated | Support::Approximated => {
            format!("Gateway API: {}", info.note)
        }
    };
    let message = format!(
        "`{key}: {}` {what}; in ingress-nginx: {}",
        abbreviate(value),
        info.nginx
    );
    let n = if guards {
        Notification::error(UNHANDLED_ANNOTATION, message)
    } else {
        Notification::warning(UNHANDLED_ANNOTATION, message)
    };
    n.object(&ing.obj)
        .field(key.to_string())
        .span(ing.span_of(key))
        .suggest(suggestion)
}

fn close_for_access(
    cx: &PassContext,
    ing: &InputIngress,
    key: &str,
    ir: &mut Ir,
    report: &mut Report,
) {
    if cx.options.allow_insecure_translation {
        report.push(
            Notification::error(ACCESS_CONTROL_CLOSED, format!("`{key}` restricts access in ingress-nginx but is not translated; the routes of this Ingress are emitted OPEN because of --allow-insecure-translation"))
                .object(&ing.obj)
                .field(key.to_string())
                .span(ing.span_of(key))
                .suggest("add the access control with your implementation's policy before sending traffic"),
        );
        return;
    }
    close_ingress(ir, &ing.obj, false);
    report.push(
        Notification::error(ACCESS_CONTROL_CLOSED, format!("`{key}` restricts access in ingress-nginx but is not translated; the rules of this Ingress are emitted closed (they answer 500)"))
            .object(&ing.obj)
            .field(key.to_string())
            .span(ing.span_of(key))
            .suggest("add the access control with your implementation's policy, then re-run with --allow-insecure-translation to emit the open routes"),
    );
}

fn unknown(ing: &InputIngress, key: &str, value: &str) -> Notification {
    let short = key.rsplit('/').next().unwrap_or(key);
    let closest = catalog::ANNOTATIONS
        .iter()
        .map(|a| (edit_distance(short, a.name), a.name))
        .min()
        .filter(|(d, _)| *d <= 3);
    let suggestion = match closest {
        Some((_, name)) => {
            format!("did you mean `{name}`? Fix the key if the setting is meant to apply")
        }
        None => "remove it, or check `ing2gw annotations` for the supported keys".to_string(),
    };
    Notification::warning(
        UNKNOWN_ANNOTATION,
        format!(
            "unknown annotation `{key}: {}`: ingress-nginx ignores it",
            abbreviate(value)
        ),
    )
    .object(&ing.obj)
    .field(key.to_string())
    .span(ing.span_of(key))
    .suggest(suggestion)
}

fn foreign_notice(ing: &InputIngress, foreign: &[String]) -> Notification {
    let cert_manager = foreign.iter().any(|k| k.starts_with("cert-manager.io/"));
    Notification::info(
        FOREIGN_ANNOTATIONS,
        format!(
            "annotations of other tools are not carried over: {}",
            foreign.join(", ")
        ),
    )
    .object(&ing.obj)
    .span(ing.span_of(&foreign[0]))
    .suggest(if cert_manager {
        "cert-manager supports Gateway API: put the cert-manager.io annotations on the generated Gateway"
    } else {
        "add them to the generated objects if the tools that read them support Gateway API"
    })
}

/// Levenshtein distance (short keys only).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// First line of a value, cut at 60 characters, for messages.
pub(crate) fn abbreviate(v: &str) -> String {
    let one_line = v.lines().next().unwrap_or("").trim();
    if one_line.chars().count() > 60 || v.lines().count() > 1 {
        format!("{}…", one_line.chars().take(60).collect::<String>())
    } else {
        one_line.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_finds_typos() {
        assert_eq!(edit_distance("rewrite-taget", "rewrite-target"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    #[test]
    fn access_guards_are_catalog_entries() {
        for k in GUARDS_ACCESS {
            assert!(catalog::lookup(k).is_some_and(|a| a.risky), "{k}");
        }
    }
}
