//! What the controller does with the annotations today: rejected Ingresses, dropped
//! annotation groups and denied locations.
//!
//! ## What ingress-nginx does (reference §1.0)
//! Every Ingress goes through the annotation parsers of the running controller:
//! * an annotation whose risk level is above ConfigMap `annotations-risk-level`
//!   (default High since v1.12.0, Critical before) makes the controller ignore the
//!   **whole Ingress** ("contains risky annotation"); snippets are Critical, so since
//!   v1.12 an Ingress with a snippet serves nothing unless the risk level is raised;
//! * a value containing a word of `annotation-value-word-blocklist` does the same;
//! * with annotation validation on (default since v1.12.0), a value failing its
//!   validator either rejects the whole Ingress (redirects, auth-url, server-alias,
//!   ssl-passthrough, limit-rps …), drops its annotation group silently (external
//!   auth: the paths are served **without** auth), or falls back to the default;
//! * some errors deny the Ingress's locations (`return 503`): invalid allow/deny
//!   lists, missing or cross-namespace Secrets, an auth-url that does not parse, an
//!   invalid auth-method. For client-certificate errors the whole host answers 403;
//! * with `allow-snippet-annotations: false` (default since v1.9.0) snippets are
//!   blanked (the webhook refuses them).
//!
//! On an *update*, a rejected Ingress leaves its previous version in effect; we can
//! only see the current object.
//!
//! ## What Gateway API offers
//! Nothing to translate: this is about which input is live today.
//!
//! ## What we emit
//! [`screen`] runs right after class selection: rejected Ingresses are removed from
//! the set the passes see (like the controller, they own no host and no `/`), so
//! they produce no routes. [`Verdicts`] is handed to the passes: denied Ingresses
//! have every rule closed by [`CloseDenied`] (last pass: the rules answer 500,
//! never open), and dropped groups tell a family pass that the setting is not
//! enforced today.
//!
//! ## What we warn
//! An error per rejected Ingress naming the annotation and why; an error per denied
//! Ingress; a warning when external auth is not enforced today (fail-open); info
//! when an invalid value falls back to the default.

use super::unhandled_annotations::abbreviate;
use super::{ControllerConfig, Pass, PassContext};
use crate::catalog::{self, Family, OnInvalid, Risk};
use crate::input::{InputIngress, InputSet};
use crate::ir::{Action, HostId, HostKey, Ir};
use crate::options::TranslateOptions;
use crate::report::{Code, Notification, ObjectRef, Report};
use std::collections::{BTreeMap, BTreeSet};

pub const INGRESS_REJECTED: Code = Code("ingress-rejected-by-controller");
pub const LOCATIONS_DENIED: Code = Code("locations-denied-by-controller");
pub const AUTH_NOT_ENFORCED: Code = Code("auth-not-enforced-today");
pub const GROUP_DROPPED: Code = Code("annotation-group-dropped");
pub const INVALID_VALUE: Code = Code("annotation-invalid-value");
pub const SNIPPET_BLANKED: Code = Code("snippet-disabled-by-controller");
pub const CONTROLLER_VERSION: Code = Code("controller-version");

/// A controller version `vMAJOR.MINOR.PATCH`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version(pub u32, pub u32, pub u32);

impl Version {
    pub const LATEST: Version = Version(1, 15, 1);

    pub fn parse(s: &str) -> Option<Version> {
        let s = s.trim().trim_start_matches(['v', 'V']);
        let mut it = s.split('.').map(|p| p.parse::<u32>());
        let major = it.next()?.ok()?;
        let minor = it.next().unwrap_or(Ok(0)).ok()?;
        let patch = it.next().unwrap_or(Ok(0)).ok()?;
        it.next().is_none().then_some(Version(major, minor, patch))
    }
}

/// The controller settings that decide what is rejected, for a version and ConfigMap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ControllerModel {
    pub version: Version,
    /// `--enable-annotation-validation` default of that version.
    pub validation: bool,
    /// ConfigMap `annotations-risk-level`.
    pub risk_level: Risk,
    /// ConfigMap `allow-snippet-annotations`.
    pub allow_snippets: bool,
    /// ConfigMap `allow-cross-namespace-resources`.
    pub cross_namespace: bool,
    /// ConfigMap `annotation-value-word-blocklist`.
    pub blocklist: Vec<String>,
}

impl ControllerModel {
    pub fn new(version: Version, config: &ControllerConfig) -> Self {
        let v1_12 = version >= Version(1, 12, 0);
        let default_risk = if v1_12 { Risk::High } else { Risk::Critical };
        ControllerModel {
            version,
            validation: v1_12,
            risk_level: config
                .get("annotations-risk-level")
                .and_then(Risk::parse)
                .unwrap_or(default_risk),
            allow_snippets: config.bool("allow-snippet-annotations", version < Version(1, 9, 0)),
            cross_namespace: config.bool("allow-cross-namespace-resources", !v1_12),
            blocklist: config
                .get("annotation-value-word-blocklist")
                .unwrap_or("")
                .split(',')
                .map(str::trim)
                .filter(|w| !w.is_empty())
                .map(String::from)
                .collect(),
        }
    }
}

/// Why the controller denies an Ingress's locations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Denial {
    /// The annotation (full key) that causes it.
    pub annotation: String,
    pub reason: String,
    /// Client-certificate errors: the whole host answers 403, not only these paths.
    pub whole_host: bool,
}

/// The controller's verdicts on the selected Ingresses, for the passes.
#[derive(Debug, Clone, Default)]
pub struct Verdicts {
    /// Ignored by the controller: removed from the passes' input.
    pub rejected: BTreeSet<ObjectRef>,
    /// Every location answers 503 (or the host 403) today.
    pub denied: BTreeMap<ObjectRef, Denial>,
    /// Annotation families the controller drops for an Ingress (not in effect today).
    pub dropped: BTreeSet<(ObjectRef, Family)>,
}

impl Verdicts {
    pub fn is_denied(&self, ing: &ObjectRef) -> bool {
        self.denied.contains_key(ing)
    }
    /// True when ingress-nginx ignores `family` on `ing` today (invalid value, or
    /// snippets disabled): a pass must not present it as current behaviour.
    pub fn is_dropped(&self, ing: &ObjectRef, family: Family) -> bool {
        self.dropped.contains(&(ing.clone(), family))
    }
}

/// The model of `--controller-version` and the ConfigMap, with a warning for an
/// unparsable version.
pub fn model(
    options: &TranslateOptions,
    config: &ControllerConfig,
    report: &mut Report,
) -> ControllerModel {
    let version = Version::parse(&options.controller_version).unwrap_or_else(|| {
        report.push(
            Notification::warning(CONTROLLER_VERSION, format!("--controller-version `{}` is not a version like v1.15.1; the behaviour of v1.15.1 is modelled", options.controller_version))
        );
        Version::LATEST
    });
    ControllerModel::new(version, config)
}

/// Screens the selected Ingresses; returns the verdicts. The caller drops the
/// rejected ones before the passes run.
pub fn screen(
    ingresses: &[&InputIngress],
    input: &InputSet,
    options: &TranslateOptions,
    model: &ControllerModel,
    report: &mut Report,
) -> Verdicts {
    let mut v = Verdicts::default();
    for ing in ingresses {
        screen_one(ing, input, options, model, &mut v, report);
    }
    v
}

fn version_str(m: &ControllerModel) -> String {
    let Version(a, b, c) = m.version;
    format!("v{a}.{b}.{c}")
}

fn screen_one(
    ing: &InputIngress,
    input: &InputSet,
    options: &TranslateOptions,
    model: &ControllerModel,
    v: &mut Verdicts,
    report: &mut Report,
) {
    let prefix = options.annotation_prefix.as_str();
    let ours: Vec<(&String, &str, &String)> = ing
        .annotations()
        .iter()
        .filter_map(|(k, val)| k.strip_prefix(prefix).map(|short| (k, short, val)))
        .collect();
    let ver = version_str(model);
    let reject = |report: &mut Report, v: &mut Verdicts, key: &str, why: String, fix: &str| {
        v.rejected.insert(ing.obj.clone());
        report.push(
            Notification::error(
                INGRESS_REJECTED,
                format!("ingress-nginx {ver} ignores this whole Ingress: {why}; no routes are generated for it"),
            )
            .object(&ing.obj)
            .field(key.to_string())
            .span(ing.span_of(key))
            .suggest(format!("{fix}. Today this Ingress serves nothing (after an update, its previous version stays in effect)")),
        );
    };

    // Blocklisted words: checked on every prefixed value.
    for (key, _, val) in &ours {
        if let Some(word) = model.blocklist.iter().find(|w| val.contains(w.as_str())) {
            reject(
                report,
                v,
                key,
                format!(
                    "the value of `{key}` contains `{word}` from annotation-value-word-blocklist"
                ),
                "remove the word from the value, or from the ConfigMap blocklist",
            );
            return;
        }
    }
    // Risk level: not gated by annotation validation.
    for (key, short, _) in &ours {
        if let Some(info) = catalog::lookup(short)
            && info.risk > model.risk_level
        {
            let fix = if short.ends_with("-snippet") {
                "if your controller runs with `annotations-risk-level: Critical` and `allow-snippet-annotations: \"true\"`, pass its ConfigMap with --nginx-configmap; otherwise remove the snippet"
            } else {
                "raise `annotations-risk-level` in the controller ConfigMap (and pass it with --nginx-configmap), or remove the annotation"
            };
            reject(
                report,
                v,
                key,
                format!(
                    "annotation `{key}` has risk level {}, above annotations-risk-level {}",
                    info.risk.as_str(),
                    model.risk_level.as_str()
                ),
                fix,
            );
            return;
        }
    }
    // Value validation.
    let mut denial: Option<Denial> = None;
    for (key, short, val) in &ours {
        let Some(info) = catalog::lookup(short) else {
            continue;
        };
        if info.syntax.accepts(val) {
            continue;
        }
        match info.on_invalid {
            OnInvalid::DenyLocation => {
                denial.get_or_insert(Denial {
                    annotation: key.to_string(),
                    reason: format!("`{key}: {}` is not valid ({})", abbreviate(val), info.syntax.describe()),
                    whole_host: info.family == Family::ClientCert,
                });
            }
            _ if !model.validation => {}
            OnInvalid::RejectIngress => {
                reject(report, v, key, format!("`{key}: {}` fails the controller's validation ({})", abbreviate(val), info.syntax.describe()), "fix the value");
                return;
            }
            OnInvalid::DropGroup => drop_group(ing, key, info.family, val, info.syntax.describe(), v, report),
            OnInvalid::Default => report.push(
                Notification::info(INVALID_VALUE, format!("ingress-nginx ignores the invalid value `{}` of `{key}` ({}) and uses its default{}", abbreviate(val), info.syntax.describe(), default_text(info.default)))
                    .object(&ing.obj)
                    .field(key.to_string())
                    .span(ing.span_of(key))
                    .suggest("the translation follows the default too; fix or remove the annotation"),
            ),
        }
    }
    // A temporal-redirect to a non-http scheme drops the whole redirect group.
    if let Some(target) = ing.annotation(&format!("{prefix}temporal-redirect"))
        && !target.is_empty()
        && !target.starts_with("http")
    {
        let key = format!("{prefix}temporal-redirect");
        drop_group(
            ing,
            &key,
            Family::Redirect,
            target,
            "an http or https URL".into(),
            v,
            report,
        );
    }
    // canary-* without `canary: true`: the parser fails ("configured but not
    // enabled"), the canary group is dropped and the Ingress is a normal one.
    let canary_on = ing
        .annotation(&format!("{prefix}canary"))
        .and_then(super::parse_go_bool)
        .unwrap_or(false);
    if !canary_on && let Some((key, _, _)) = ours.iter().find(|(_, s, _)| s.starts_with("canary-"))
    {
        v.dropped.insert((ing.obj.clone(), Family::Canary));
        report.push(
            Notification::warning(GROUP_DROPPED, format!("ingress-nginx ignores the canary annotations of this Ingress today: `{key}` is set but `{prefix}canary` is not true, so it is served as a normal (primary) Ingress"))
                .object(&ing.obj)
                .field(key.to_string())
                .span(ing.span_of(key))
                .suggest("set `canary: \"true\"` if this Ingress is meant as a canary; it is translated as a normal Ingress"),
        );
    }
    if denial.is_none() {
        denial = reference_denial(ing, input, prefix, model);
    }
    if let Some(d) = denial {
        let scope = if d.whole_host {
            "every host of this Ingress answers 403"
        } else {
            "every path of this Ingress answers 503"
        };
        report.push(
            Notification::error(LOCATIONS_DENIED, format!("ingress-nginx {ver} denies this Ingress today: {}; {scope}. Its generated rules stay closed (they answer 500) until this is fixed", d.reason))
                .object(&ing.obj)
                .field(d.annotation.clone())
                .span(ing.span_of(&d.annotation))
                .suggest("fix the annotation or the referenced object, then translate again; the closed rules keep today's behaviour (no access)"),
        );
        v.denied.insert(ing.obj.clone(), d);
    }
    // Snippets that survive the risk check are still blanked without allow-snippet-annotations.
    if !model.allow_snippets
        && let Some((key, _, _)) = ours
            .iter()
            .find(|(_, s, v)| s.ends_with("-snippet") && !v.is_empty())
    {
        v.dropped.insert((ing.obj.clone(), Family::Snippets));
        report.push(
            Notification::warning(SNIPPET_BLANKED, format!("ingress-nginx {ver} ignores the snippets of this Ingress (allow-snippet-annotations is false): `{key}` has no effect today"))
                .object(&ing.obj)
                .field(key.to_string())
                .span(ing.span_of(key))
                .suggest("nothing of the snippet is live today; translate it only if you mean to turn it on"),
        );
    }
}

fn drop_group(
    ing: &InputIngress,
    key: &str,
    family: Family,
    val: &str,
    syntax: String,
    v: &mut Verdicts,
    report: &mut Report,
) {
    v.dropped.insert((ing.obj.clone(), family));
    let n = if family == Family::ExternalAuth {
        Notification::warning(AUTH_NOT_ENFORCED, format!("external auth is NOT enforced today: ingress-nginx drops the whole external-auth configuration because `{key}: {}` is invalid ({syntax}), so these paths are served without authentication", abbreviate(val)))
            .suggest("fix the value; the translation keeps the intended auth (enforced, or closed where it cannot be expressed), which is stricter than today's open paths")
    } else {
        Notification::warning(GROUP_DROPPED, format!("ingress-nginx ignores the {} annotations of this Ingress today: `{key}: {}` is invalid ({syntax})", family.as_str(), abbreviate(val)))
            .suggest("fix the value; until then the setting is not live in ingress-nginx")
    };
    report.push(
        n.object(&ing.obj)
            .field(key.to_string())
            .span(ing.span_of(key)),
    );
}

/// Denials from references: cross-namespace objects, missing Secrets, an auth-url
/// that passes the character check but is not an absolute URL.
fn reference_denial(
    ing: &InputIngress,
    input: &InputSet,
    prefix: &str,
    model: &ControllerModel,
) -> Option<Denial> {
    const REFS: &[(&str, bool)] = &[
        ("auth-secret", true),
        ("auth-tls-secret", true),
        ("proxy-ssl-secret", true),
        ("auth-proxy-set-headers", false),
        ("fastcgi-params-configmap", false),
    ];
    let ns = ing.namespace();
    for (short, is_secret) in REFS {
        let key = format!("{prefix}{short}");
        let Some(val) = ing
            .annotation(&key)
            .map(str::trim)
            .filter(|v| !v.is_empty())
        else {
            continue;
        };
        let (ref_ns, name) = val.split_once('/').unwrap_or((ns, val));
        let whole_host = *short == "auth-tls-secret";
        if ref_ns != ns && !model.cross_namespace {
            return Some(Denial {
                annotation: key,
                reason: format!(
                    "`{val}` is in another namespace and allow-cross-namespace-resources is false"
                ),
                whole_host,
            });
        }
        // Only when the input carries Secrets (a cluster read) can absence be judged.
        let secrets_known = !input.secrets.is_empty();
        if *is_secret
            && secrets_known
            && !input
                .secrets
                .iter()
                .any(|s| s.obj.namespace.as_deref() == Some(ref_ns) && s.obj.name == name)
        {
            return Some(Denial {
                annotation: key,
                reason: format!("Secret `{ref_ns}/{name}` does not exist"),
                whole_host,
            });
        }
    }
    let key = format!("{prefix}auth-url");
    if let Some(url) = ing
        .annotation(&key)
        .map(str::trim)
        .filter(|u| !u.is_empty())
    {
        let host = url
            .split_once("://")
            .map(|(scheme, rest)| (scheme, rest.split(['/', '?']).next().unwrap_or("")));
        if !matches!(host, Some((s, h)) if !s.is_empty() && !h.is_empty()) {
            return Some(Denial {
                annotation: key,
                reason: format!("auth-url `{url}` is not an absolute URL with a host"),
                whole_host: false,
            });
        }
    }
    None
}

fn default_text(d: &str) -> String {
    if d.is_empty() {
        String::new()
    } else {
        format!(" `{d}`")
    }
}

/// Closes every rule of a denied Ingress (last pass): ingress-nginx answers 503 on
/// them today, so the translation must not open them.
pub struct CloseDenied;

impl Pass for CloseDenied {
    fn name(&self) -> &'static str {
        "close-denied"
    }
    fn run(&self, cx: &PassContext, ir: &mut Ir, _report: &mut Report) {
        for (obj, denial) in &cx.verdicts.denied {
            close_ingress(ir, obj, denial.whole_host);
        }
    }
}

/// Makes every rule of `obj` answer 500 (no backends, no filters), and its hosts'
/// implicit `/` (which carries the owner's location annotations, reference §2.3)
/// fall to the Gateway's 404. With `whole_host`, every rule of those hosts.
pub fn close_ingress(ir: &mut Ir, obj: &ObjectRef, whole_host: bool) {
    let mine: Vec<HostId> = ir
        .hosts
        .of_object(obj)
        .filter(|h| &h.owner == obj || h.rules.iter().any(|r| r.from.object.as_ref() == Some(obj)))
        .map(|h| h.id.clone())
        .collect();
    if !whole_host {
        // Only the Ingress's own hosts change: found through the index.
        for id in &mine {
            let Some(host) = ir.hosts.get_mut(id) else {
                continue;
            };
            for rule in host.rules.iter_mut() {
                if rule.from.object.as_ref() == Some(obj) {
                    rule.action = Action::Forward(Vec::new());
                    rule.filters.clear();
                }
            }
            if &host.owner == obj {
                host.implicit_root.backend = None;
            }
        }
        return;
    }
    // Same hostname on every Gateway.
    let hosts: BTreeSet<HostKey> = mine.into_iter().map(|id| id.host).collect();
    for host in ir.hosts.values_mut() {
        let close_all = whole_host && hosts.contains(&host.id.host);
        for rule in host.rules.iter_mut() {
            if close_all || rule.from.object.as_ref() == Some(obj) {
                rule.action = Action::Forward(Vec::new());
                rule.filters.clear();
            }
        }
        if close_all || &host.owner == obj {
            host.implicit_root.backend = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_parse_and_compare() {
        assert_eq!(Version::parse("v1.15.1"), Some(Version(1, 15, 1)));
        assert_eq!(Version::parse("1.9"), Some(Version(1, 9, 0)));
        assert!(Version::parse("latest").is_none());
        assert!(Version(1, 11, 9) < Version(1, 12, 0));
    }

    #[test]
    fn defaults_follow_the_version() {
        let cm = ControllerConfig::default();
        let new = ControllerModel::new(Version(1, 15, 1), &cm);
        assert_eq!(new.risk_level, Risk::High);
        assert!(new.validation && !new.allow_snippets && !new.cross_namespace);
        let old = ControllerModel::new(Version(1, 8, 0), &cm);
        assert_eq!(old.risk_level, Risk::Critical);
        assert!(!old.validation && old.allow_snippets && old.cross_namespace);
        let mut data = BTreeMap::new();
        data.insert("annotations-risk-level".to_string(), "critical".to_string());
        data.insert(
            "annotation-value-word-blocklist".to_string(),
            "load_module, lua_ ".to_string(),
        );
        let cm = ControllerConfig {
            data,
            ..Default::default()
        };
        let m = ControllerModel::new(Version(1, 15, 1), &cm);
        assert_eq!(m.risk_level, Risk::Critical);
        assert_eq!(m.blocklist, vec!["load_module", "lua_"]);
    }
}
