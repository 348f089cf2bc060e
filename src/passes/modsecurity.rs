//! ModSecurity: `enable-modsecurity`, `enable-owasp-core-rules`,
//! `modsecurity-snippet`, `modsecurity-transaction-id`, and the ConfigMap keys
//! `enable-modsecurity` / `enable-owasp-modsecurity-crs`.
//!
//! ## What ingress-nginx does
//! ConfigMap `enable-modsecurity: "true"` renders `modsecurity on;` and the
//! controller's `modsecurity.conf` in the `http` block, so the web application
//! firewall inspects every location of every server; with
//! `enable-owasp-modsecurity-crs` the OWASP Core Rule Set is loaded there too. An
//! Ingress annotation `enable-modsecurity: "false"` cannot turn the http-level
//! setting off (the location template only ever adds `modsecurity on`). Without
//! the ConfigMap key, the annotation `enable-modsecurity: "true"` turns it on for
//! the Ingress's locations; `enable-owasp-core-rules` (default: the ConfigMap
//! key) adds the CRS, `modsecurity-snippet` (Critical, blanked when snippets are
//! disallowed) replaces it with its own rules. Without `enable-modsecurity` the
//! other keys render nothing. Quirk: the stock `modsecurity.conf` says
//! `SecRuleEngine DetectionOnly`, so unless the rules or the snippet switch the
//! engine on, the firewall only logs.
//!
//! ## What Gateway API offers
//! Nothing: WAFs are implementation resources (NGINX Gateway Fabric WAFPolicy,
//! Envoy Gateway EnvoyExtensionPolicy with Coraza, a WAF in front of the Gateway).
//!
//! ## What we emit
//! A firewall restricts which requests reach the backend, so it is access
//! control: every rule it covers carries an [`AccessRequirement::ModSecurity`]
//! and is emitted fail-closed (HTTP 500) unless `--allow-insecure-translation`
//! (`emit/access.rs`). Whether the engine blocks or only detects is in rule files
//! we cannot see, so we never assume it is harmless.
//!
//! ## What we warn
//! The emitter's error per Ingress; info when a key has no effect (ModSecurity
//! off, annotation `false` under the ConfigMap switch) and for the transaction id.

use super::annotated::{self, note};
use super::{Pass, PassContext, parse_go_bool};
use crate::catalog::Family;
use crate::input::InputIngress;
use crate::ir::*;
use crate::report::{Code, Notification, ObjectRef, Report, Severity};
use std::collections::HashMap;

pub const MODSECURITY_INERT: Code = Code("modsecurity-no-effect");
pub const MODSECURITY_DETAIL: Code = Code("modsecurity-detail");
pub const MODSECURITY_GLOBAL: Code = Code("modsecurity-configmap");

pub struct ModSecurity;

const KEYS: &[&str] = &[
    "enable-modsecurity",
    "enable-owasp-core-rules",
    "modsecurity-snippet",
    "modsecurity-transaction-id",
];

/// The controller-wide switch and its rule set (ConfigMap).
fn configmap_waf(cx: &PassContext) -> Option<WafRules> {
    cx.config.bool("enable-modsecurity", false).then(|| {
        if cx.config.bool("enable-owasp-modsecurity-crs", false) {
            WafRules::OwaspCrs
        } else {
            WafRules::Default
        }
    })
}

fn configmap_from(obj: Option<&ObjectRef>) -> Provenance {
    Provenance::from(ProvenanceData {
        object: obj.cloned(),
        ..Default::default()
    })
    .with_annotation("ConfigMap enable-modsecurity", None)
}

/// Whether ModSecurity runs on the locations of `ing`, with which rules and why.
fn ingress_waf(
    cx: &PassContext,
    ing: &InputIngress,
    global: Option<WafRules>,
    report: &mut Report,
) -> Option<(WafRules, Provenance)> {
    let flag =
        |key: &str| annotated::value(cx, ing, key).map(|v| (v.trim(), parse_go_bool(v.trim())));
    let enable = flag("enable-modsecurity");
    let owasp = flag("enable-owasp-core-rules");
    let snippet = annotated::value(cx, ing, "modsecurity-snippet")
        .filter(|_| !cx.verdicts.is_dropped(&ing.obj, Family::Snippets));
    let info = |key: &str, msg: String| note(cx, ing, key, Severity::Info, MODSECURITY_INERT, msg);
    let detail =
        |key: &str, msg: String| note(cx, ing, key, Severity::Info, MODSECURITY_DETAIL, msg);
    let annotation_on = matches!(enable, Some((_, Some(true))));
    if global.is_some()
        && let Some((v, Some(false))) = enable
    {
        report.push(info("enable-modsecurity", format!("enable-modsecurity: `{v}` does not turn ModSecurity off: the ConfigMap `enable-modsecurity: true` switches it on for every location")));
    }
    if !annotation_on && global.is_none() {
        if let Some((v, _)) = enable {
            report.push(info("enable-modsecurity", format!("enable-modsecurity: `{v}` leaves ModSecurity off (the default); nothing to translate")));
        }
        for (key, set) in [
            (
                "enable-owasp-core-rules",
                matches!(owasp, Some((_, Some(true)))),
            ),
            ("modsecurity-snippet", snippet.is_some()),
            (
                "modsecurity-transaction-id",
                annotated::value(cx, ing, "modsecurity-transaction-id").is_some(),
            ),
        ] {
            if set {
                report.push(info(key, format!("{key} has no effect: ModSecurity is not enabled for this Ingress (neither the annotation nor the ConfigMap enable-modsecurity is true)")));
            }
        }
        return None;
    }
    let owasp_on = match owasp {
        Some((_, Some(b))) => b,
        _ => global == Some(WafRules::OwaspCrs),
    } || global == Some(WafRules::OwaspCrs);
    let rules = if snippet.is_some() {
        WafRules::Snippet
    } else if owasp_on {
        WafRules::OwaspCrs
    } else {
        WafRules::Default
    };
    if let Some(id) = annotated::value(cx, ing, "modsecurity-transaction-id") {
        report.push(detail("modsecurity-transaction-id", format!("modsecurity-transaction-id `{}` names ModSecurity transactions; no WAF is emitted, so nothing uses it", id.trim())));
    }
    let chosen = AccessRequirement::ModSecurity { rules }.describe();
    for (key, set) in [
        ("enable-owasp-core-rules", owasp.is_some()),
        ("modsecurity-snippet", snippet.is_some()),
    ] {
        if set {
            report.push(detail(key, format!("{key} is part of the firewall configuration: {chosen}; its rules are not translated (the rules it protects are emitted fail-closed)")));
        }
    }
    let from = if annotation_on {
        Provenance::object(&ing.obj).with_annotation(
            &cx.full_key("enable-modsecurity"),
            cx.annotation_span(ing, "enable-modsecurity"),
        )
    } else {
        configmap_from(Some(&ing.obj))
    };
    Some((rules, from))
}

impl Pass for ModSecurity {
    fn name(&self) -> &'static str {
        "modsecurity"
    }
    fn annotations(&self) -> &'static [&'static str] {
        KEYS
    }
    fn run(&self, cx: &PassContext, ir: &mut Ir, report: &mut Report) {
        let global = configmap_waf(cx);
        // Canaries are served through their primary's location: only primaries count.
        let mut per_ingress: HashMap<ObjectRef, Option<(WafRules, Provenance)>> = HashMap::new();
        for (_, ing) in cx.primaries() {
            per_ingress.insert(ing.obj.clone(), ingress_waf(cx, ing, global, report));
        }
        if let Some(rules) = global {
            report.push(Notification::warning(MODSECURITY_GLOBAL, format!("ConfigMap enable-modsecurity: true runs the {} on every location of every host; Gateway API has no firewall, so every forwarding rule is emitted fail-closed (even if its rules only detect: the stock modsecurity.conf says SecRuleEngine DetectionOnly)", AccessRequirement::ModSecurity { rules }.describe()))
                .field("ConfigMap enable-modsecurity")
                .suggest("enforce a WAF with your implementation (NGINX Gateway Fabric WAFPolicy, Envoy Gateway EnvoyExtensionPolicy with Coraza) or in front of the Gateway, then translate with --allow-insecure-translation"));
        }
        for rule in ir.hosts.values_mut().flat_map(|h| h.rules.iter_mut()) {
            let own = rule
                .from
                .object
                .as_ref()
                .and_then(|o| per_ingress.get(o).cloned().flatten());
            let waf =
                own.or_else(|| global.map(|g| (g, configmap_from(rule.from.object.as_ref()))));
            if let Some((rules, from)) = waf {
                rule.filters.push(RuleFilter {
                    filter: Filter::AccessControl(AccessRequirement::ModSecurity { rules }),
                    from,
                });
            }
        }
    }
}
