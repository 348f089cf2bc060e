//! Every key of the controller ConfigMap is accounted for.
//!
//! ## What ingress-nginx does
//! The controller decodes its ConfigMap into its configuration struct: each known
//! key changes the generated nginx.conf (a server/location directive, the default
//! of an annotation, a log format, the worker count…). Keys it does not know —
//! typos, keys removed by earlier releases — are ignored without a word, so a
//! misspelt `use-forwarded-header` silently does nothing.
//!
//! ## What Gateway API offers
//! Nothing for controller-wide settings: a Gateway has listeners and routes;
//! client, TLS, compression and upstream tuning live in each implementation's
//! policies (Envoy Gateway ClientTrafficPolicy/BackendTrafficPolicy/EnvoyProxy…).
//!
//! ## What we emit
//! Nothing: this pass only reports. The catalog (`crate::catalog::configmap`)
//! says for each key what ing2gw does with it; keys other passes translate or
//! use as an annotation default are reported by those passes and skipped here.
//!
//! ## What we warn
//! In key order (the ConfigMap's data is a sorted map):
//! - one `configmap-not-expressible` warning per *gateway fact* or *not
//!   expressible* key whose value differs from ingress-nginx's default (the
//!   value, the behaviour the Gateway will not have, the fix for the run's
//!   `--implementation`);
//! - one `configmap-unknown-key` warning per unknown key (with the closest known
//!   key for typos) and per removed key (a key removed after the run's
//!   `--controller-version` is still applied there: `configmap-not-expressible`);
//! - one `configmap-no-data-plane-effect` info listing the logging, metrics and
//!   process keys, and the keys whose value is empty or the default (nothing the
//!   ConfigMap asked for is lost).
//!
//! Each notification names the ConfigMap and the key (field `ConfigMap <key>`),
//! with the place of the key's value in the file when read from one; values are
//! cut to one line of 80 characters and key material is never repeated. With
//! `--implementation`, a key the target's emitter lists as translated in its
//! coverage (`configmap:<key>`) is left to that emitter's report, and an
//! approximated one gets the emitter's note instead of the generic warning.

use super::{Pass, PassContext, parse_go_bool};
use crate::catalog::configmap::{ConfigMapKey, Handling, closest_key, lookup_key};
use crate::emit::coverage::CoverageLevel;
use crate::input::SourceSpan;
use crate::ir::Ir;
use crate::report::{Code, Notification, Report};
use crate::target::Implementation;

pub const CONFIGMAP_NOT_EXPRESSIBLE: Code = Code("configmap-not-expressible");
pub const CONFIGMAP_UNKNOWN_KEY: Code = Code("configmap-unknown-key");
pub const CONFIGMAP_NO_DATA_PLANE_EFFECT: Code = Code("configmap-no-data-plane-effect");

pub struct ConfigMapKeys;

impl Pass for ConfigMapKeys {
    fn name(&self) -> &'static str {
        "configmap-keys"
    }
    fn run(&self, cx: &PassContext, _ir: &mut Ir, report: &mut Report) {
        report.extend(notifications(cx));
    }
}

/// What the pass reports about `cx.config` (empty without a ConfigMap).
pub fn notifications(cx: &PassContext) -> Vec<Notification> {
    let Some(object) = cx.config.object.as_ref() else {
        return Vec::new();
    };
    let input_cm = object
        .namespace
        .as_deref()
        .and_then(|ns| cx.input.config_map(ns, &object.name));
    let span = |key: &str, value: &str| -> Option<SourceSpan> {
        input_cm.and_then(|c| c.origin.find_field(key, Some(value)))
    };
    let implementation = cx.options.target.implementation;
    // What the run's emitter says it does with `configmap:<key>`.
    let coverage = crate::emit::emitter_for(&cx.options.target).coverage();
    let covered = |key: &str| {
        coverage
            .iter()
            .find(|c| c.key.strip_prefix("configmap:") == Some(key))
            .copied()
    };
    let mut out = Vec::new();
    let mut quiet: Vec<String> = Vec::new();
    for (key, value) in &cx.config.data {
        let note = |n: Notification| {
            n.object(object)
                .field(format!("ConfigMap {key}"))
                .span(span(key, value))
        };
        let Some(entry) = lookup_key(key) else {
            let hint = closest_key(key)
                .map(|k| format!("; did you mean `{k}`?"))
                .unwrap_or_default();
            out.push(note(
                Notification::warning(
                    CONFIGMAP_UNKNOWN_KEY,
                    format!("`{key}` is not a key ingress-nginx v1.15 reads: the controller ignores it, and so does the translation{hint}"),
                )
                .suggest("fix the key's spelling if it was meant to configure something, else remove it"),
            ));
            continue;
        };
        match entry.handling {
            Handling::Translated | Handling::AnnotationDefault => {}
            Handling::NoDataPlaneEffect => quiet.push(key.clone()),
            // An older --controller-version still applies it: lost, not ignored.
            Handling::Removed if still_read(cx, key) => out.push(note(
                Notification::warning(
                    CONFIGMAP_NOT_EXPRESSIBLE,
                    format!(
                        "`{key}: {}`: ingress-nginx {} still reads it ({}), and the translation drops it",
                        shown(key, value),
                        cx.options.controller_version,
                        entry.does.split(';').next().unwrap_or(entry.does)
                    ),
                )
                .suggest(entry.fix),
            )),
            Handling::Removed => out.push(note(
                Notification::warning(
                    CONFIGMAP_UNKNOWN_KEY,
                    format!(
                        "`{key}`: {}; nothing is translated",
                        entry.does
                    ),
                )
                .suggest(format!("remove the key; {}", entry.fix)),
            )),
            Handling::GatewayFact | Handling::NotExpressible if value.trim().is_empty() => {
                quiet.push(format!("{key} (empty)"))
            }
            Handling::GatewayFact | Handling::NotExpressible if is_default(entry, value) => {
                quiet.push(format!("{key} (the default)"))
            }
            Handling::GatewayFact | Handling::NotExpressible => match covered(key) {
                // The emitter reproduces it and reports what it emitted.
                Some(c) if c.level == CoverageLevel::Translated => {}
                Some(c) if c.level == CoverageLevel::Approximated => out.push(note(
                    Notification::warning(
                        CONFIGMAP_NOT_EXPRESSIBLE,
                        format!(
                            "`{key}: {}` ({}): approximated by {} {} for {}: {}",
                            shown(key, value),
                            entry.does,
                            c.kind,
                            c.field,
                            implementation.name(),
                            c.note
                        ),
                    )
                    .suggest("check the emitted policy against the behaviour you rely on"),
                )),
                _ => out.push(note(not_expressible(entry, value, implementation))),
            },
        }
    }
    if !quiet.is_empty() {
        out.push(
            Notification::info(
                CONFIGMAP_NO_DATA_PLANE_EFFECT,
                format!(
                    "keys without an effect on routing: {} (logging, metrics, nginx process tuning, or values that leave ingress-nginx's default behaviour); nothing is translated",
                    quiet.join(", ")
                ),
            )
            .object(object)
            .suggest("configure logs, tracing and proxy sizing on the Gateway implementation (see docs/configmap.md for each key)"),
        );
    }
    out
}

/// Whether the run's `--controller-version` predates the removal of `key`.
fn still_read(cx: &PassContext, key: &str) -> bool {
    use super::controller_validation::Version;
    let version = Version::parse(&cx.options.controller_version).unwrap_or(Version::LATEST);
    crate::catalog::configmap::removed_in(key).is_some_and(|(a, b, c)| version < Version(a, b, c))
}

/// Keys whose value is key material: never repeated in a notification.
const SECRET_KEYS: &[&str] = &["ssl-session-ticket-key"];

/// The value as shown in a message: trimmed, first line, at most 80 characters
/// (snippets are long), and never the value of a [`SECRET_KEYS`] key.
fn shown(key: &str, value: &str) -> String {
    if SECRET_KEYS.contains(&key) {
        return "(value not shown: key material)".into();
    }
    let v = value.trim();
    let first = v.lines().next().unwrap_or("");
    let mut out: String = first.chars().take(80).collect();
    if out.len() < v.len() {
        out.push('…');
    }
    out
}

/// True when `value` is the key's documented default (a boolean in any of Go's
/// spellings): ingress-nginx behaves as without the key, so nothing is lost
/// that the ConfigMap asked for.
fn is_default(entry: &ConfigMapKey, value: &str) -> bool {
    let v = value.trim();
    v == entry.default
        || matches!(entry.default, "true" | "false")
            && parse_go_bool(v).map(|b| b.to_string()).as_deref() == Some(entry.default)
}

/// The warning for a key the standard output cannot carry.
fn not_expressible(
    entry: &ConfigMapKey,
    value: &str,
    implementation: Implementation,
) -> Notification {
    let key = entry.key;
    let scope = match entry.scope {
        crate::catalog::configmap::KeyScope::DefaultOf(a) => {
            format!("default of the `{a}` annotation, on every Ingress without one")
        }
        _ => "controller-wide".into(),
    };
    let recorded = if entry.handling == Handling::GatewayFact {
        " (recorded as a Gateway traffic-policy fact for implementation emitters)"
    } else {
        ""
    };
    let message = format!(
        "`{key}: {}` (ingress-nginx, {scope}: {}): standard Gateway API has no field for it{recorded}, so the Gateway will not do it",
        shown(key, value),
        entry.does
    );
    let suggestion = match implementation {
        Implementation::EnvoyGateway => entry.fix.to_string(),
        Implementation::Standard => format!("with an implementation policy: {}", entry.fix),
        other => format!(
            "{} (for {}: its own equivalent setting, if any)",
            entry.fix,
            other.name()
        ),
    };
    Notification::warning(CONFIGMAP_NOT_EXPRESSIBLE, message).suggest(suggestion)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::TranslateOptions;
    use crate::passes::test_support::{configmap, ingress};

    fn notes(yaml: &str, options: TranslateOptions) -> Vec<Notification> {
        let mut options = options;
        options.nginx_configmap = Some(("ingress-nginx".into(), "ingress-nginx-controller".into()));
        let loaded = crate::pipeline::load(&[crate::input::SourceFile {
            name: "test.yaml".into(),
            text: std::sync::Arc::from(yaml),
        }]);
        crate::pipeline::translate(&loaded.input, &options, loaded.report)
            .notifications
            .into_iter()
            .filter(|n| {
                [
                    CONFIGMAP_NOT_EXPRESSIBLE,
                    CONFIGMAP_UNKNOWN_KEY,
                    CONFIGMAP_NO_DATA_PLANE_EFFECT,
                ]
                .contains(&n.code)
            })
            .collect()
    }

    fn of(data: &[(&str, &str)]) -> Vec<Notification> {
        let yaml = configmap(data) + &ingress("app", "a.example", "/", "app", &[]);
        notes(&yaml, TranslateOptions::default())
    }

    #[test]
    fn one_warning_per_lost_key_in_key_order() {
        let n = of(&[
            ("use-gzip", "true"),
            ("proxy-body-size", "8m"),
            ("enable-underscores-in-headers", "true"),
        ]);
        let got: Vec<_> = n
            .iter()
            .map(|n| (n.code.0, n.field.clone().unwrap_or_default()))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "configmap-not-expressible",
                    "ConfigMap enable-underscores-in-headers".into()
                ),
                (
                    "configmap-not-expressible",
                    "ConfigMap proxy-body-size".into()
                ),
                ("configmap-not-expressible", "ConfigMap use-gzip".into()),
            ]
        );
        assert!(
            n[1].message.contains("`proxy-body-size: 8m`"),
            "{}",
            n[1].message
        );
        assert!(
            n[1].message
                .contains("default of the `proxy-body-size` annotation")
        );
        assert!(n[2].message.contains("Gateway traffic-policy fact"));
        let cm = n[0].object.as_ref().expect("the ConfigMap");
        assert_eq!(
            (cm.kind.as_str(), cm.name.as_str()),
            ("ConfigMap", "ingress-nginx-controller")
        );
        let span = n[0].span.as_ref().expect("span of the key");
        assert_eq!(&*span.file, "test.yaml");
    }

    #[test]
    fn translated_and_annotation_default_keys_stay_silent_here() {
        let n = of(&[
            ("ssl-redirect", "false"),
            ("proxy-read-timeout", "120"),
            ("hsts", "false"),
        ]);
        assert!(n.is_empty(), "{n:?}");
    }

    #[test]
    fn no_data_plane_keys_are_listed_once() {
        let n = of(&[
            ("worker-processes", "4"),
            ("log-format-upstream", "$remote_addr"),
            ("use-gzip", ""),
            ("use-proxy-protocol", "False"),
            ("ssl-protocols", "TLSv1.2 TLSv1.3"),
        ]);
        assert_eq!(n.len(), 1, "{n:?}");
        assert_eq!(n[0].code, CONFIGMAP_NO_DATA_PLANE_EFFECT);
        assert!(
            n[0].message
                .contains("log-format-upstream, ssl-protocols (the default), use-gzip (empty), use-proxy-protocol (the default), worker-processes"),
            "{}",
            n[0].message
        );
    }

    #[test]
    fn unknown_and_removed_keys_warn() {
        let n = of(&[
            ("use-forwarded-header", "true"),
            ("enable-opentracing", "true"),
        ]);
        assert_eq!(n.len(), 2);
        assert!(n.iter().all(|n| n.code == CONFIGMAP_UNKNOWN_KEY));
        assert!(
            n[0].message.contains("removed in v1.10"),
            "{}",
            n[0].message
        );
        assert!(
            n[1].message
                .contains("did you mean `use-forwarded-headers`")
        );
        assert!(n[1].message.contains("ignores it"));
    }

    #[test]
    fn removed_keys_are_lost_on_older_controllers() {
        let yaml = configmap(&[("global-rate-limit-memcached-host", "memcached")])
            + &ingress("app", "a.example", "/", "app", &[]);
        let old = TranslateOptions {
            controller_version: "v1.11.3".into(),
            ..Default::default()
        };
        let n = notes(&yaml, old);
        assert_eq!(n.len(), 1, "{n:?}");
        assert_eq!(n[0].code, CONFIGMAP_NOT_EXPRESSIBLE);
        assert!(
            n[0].message.contains("v1.11.3 still reads it"),
            "{}",
            n[0].message
        );
        let n = notes(&yaml, TranslateOptions::default());
        assert_eq!(n[0].code, CONFIGMAP_UNKNOWN_KEY);
    }

    #[test]
    fn suggestion_follows_the_target() {
        let yaml =
            configmap(&[("use-gzip", "true")]) + &ingress("app", "a.example", "/", "app", &[]);
        let standard = notes(&yaml, TranslateOptions::default());
        let s = standard[0].suggestion.clone().unwrap_or_default();
        assert!(s.starts_with("with an implementation policy"), "{s}");
        // Envoy Gateway's emitter approximates the key (its `configmap:use-gzip`
        // coverage row): the note names what it emits and what differs.
        let mut eg = TranslateOptions::default();
        eg.target.implementation = Implementation::EnvoyGateway;
        let eg = notes(&yaml, eg);
        let e = format!("{:?}", eg);
        assert!(e.contains("spec.compressor"), "{e}");
        assert!(!e.contains("with an implementation policy"), "{e}");
    }

    #[test]
    fn long_and_secret_values_are_not_repeated() {
        let n = of(&[
            ("http-snippet", "map $x $y {\n  default 1;\n}"),
            ("ssl-session-ticket-key", "c2VjcmV0LWtleS1tYXRlcmlhbA=="),
        ]);
        assert_eq!(n.len(), 2, "{n:?}");
        assert!(
            n[0].message.contains("`http-snippet: map $x $y {…`"),
            "{}",
            n[0].message
        );
        assert!(!n[1].message.contains("c2VjcmV0"), "{}", n[1].message);
        assert!(n[1].message.contains("value not shown"));
    }

    #[test]
    fn without_configmap_nothing() {
        let yaml = ingress("app", "a.example", "/", "app", &[]);
        assert!(notes(&yaml, TranslateOptions::default()).is_empty());
    }
}
