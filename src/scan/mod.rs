//! `ing2gw scan`: a migration readiness report for every Ingress the tool can see.
//!
//! Per namespace and Ingress: the ingress-nginx annotations used and how ing2gw
//! handles each (from [`crate::catalog`]; `unknown` when the catalog has no entry),
//! the risky constructs, and how many notifications the translation raised. Across
//! Ingresses: hosts shared by several namespaces (one tenant's annotations can
//! change another's routing there), hosts in regex mode, canaries whose Service is
//! shared. Summary counts only the Ingresses this ingress-nginx serves (class
//! selection as in the controller); the others are listed, marked not served.
//! An Ingress that does not decode (an `invalid-object` error: nothing of it is
//! translated) is listed too, marked invalid, and counted as blocked.

mod analysis;
pub mod render;

use crate::catalog::{self, Support};
use crate::input::InputSet;
use crate::options::TranslateOptions;
use crate::report::{Notification, ObjectRef, Severity};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// How ing2gw handles one annotation (the catalog's level, or `unknown`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SupportLevel {
    Translated,
    Approximated,
    ImplementationSpecific,
    Unsupported,
    /// Not in the catalog: a typo, a newer controller's annotation, or a gap.
    Unknown,
}

impl SupportLevel {
    pub const ALL: [SupportLevel; 5] = [
        SupportLevel::Translated,
        SupportLevel::Approximated,
        SupportLevel::ImplementationSpecific,
        SupportLevel::Unsupported,
        SupportLevel::Unknown,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SupportLevel::Translated => "translated",
            SupportLevel::Approximated => "approximated",
            SupportLevel::ImplementationSpecific => "implementation-specific",
            SupportLevel::Unsupported => "unsupported",
            SupportLevel::Unknown => "unknown",
        }
    }

    /// Levels that stop a migration as is.
    pub fn is_blocker(self) -> bool {
        matches!(self, SupportLevel::Unsupported | SupportLevel::Unknown)
    }
}

impl From<Support> for SupportLevel {
    fn from(s: Support) -> Self {
        match s {
            Support::Translated => SupportLevel::Translated,
            Support::Approximated => SupportLevel::Approximated,
            Support::ImplementationSpecific => SupportLevel::ImplementationSpecific,
            Support::Unsupported => SupportLevel::Unsupported,
        }
    }
}

/// Risky constructs a reviewer must look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RiskKind {
    /// Raw nginx configuration (`*-snippet`).
    Snippet,
    /// Authentication (`auth-*`, `enable-global-auth`, `satisfy`).
    Auth,
    /// Source IP allow/deny lists.
    Allowlist,
    /// The host is in regex mode: every path on it is a case-insensitive regex.
    RegexHost,
    /// A canary attached to a Service that other hosts/paths (or a primary) use.
    CanarySharedService,
    /// Flagged risky by the catalog for another reason.
    Other,
}

impl RiskKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RiskKind::Snippet => "snippet",
            RiskKind::Auth => "auth",
            RiskKind::Allowlist => "allowlist",
            RiskKind::RegexHost => "regex-host",
            RiskKind::CanarySharedService => "canary-shared-service",
            RiskKind::Other => "other",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnnotationUse {
    /// Key without the annotation prefix.
    pub name: String,
    pub support: SupportLevel,
    /// The catalog's one-line note, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// With `--implementation` other than standard: what that target does with it
    /// (`None` for an annotation outside the catalog).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on_target: Option<TargetAnswer>,
}

/// What the chosen implementation does with one annotation (from
/// [`crate::emit::coverage::for_target`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TargetAnswer {
    pub level: crate::emit::coverage::CoverageLevel,
    #[serde(skip_serializing_if = "str::is_empty")]
    pub kind: String,
    #[serde(skip_serializing_if = "str::is_empty")]
    pub field: String,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Risk {
    pub kind: RiskKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub annotation: Option<String>,
    pub detail: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct SeverityCounts {
    pub error: usize,
    pub warning: usize,
    pub info: usize,
}

impl SeverityCounts {
    fn add(&mut self, severity: Severity) {
        match severity {
            Severity::Error => self.error += 1,
            Severity::Warning => self.warning += 1,
            Severity::Info => self.info += 1,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IngressScan {
    pub name: String,
    /// The class ingress-nginx serves it under, else the class it asks for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    /// Served by this ingress-nginx (class selection as in the controller).
    pub served: bool,
    pub canary: bool,
    /// Rule hosts, sorted; `_` is the catch-all server (rules without host).
    pub hosts: Vec<String>,
    pub annotations: Vec<AnnotationUse>,
    pub risks: Vec<Risk>,
    /// Notifications of the translation about this Ingress.
    pub notifications: SeverityCounts,
    /// Why the Ingress does not decode (the `invalid-object` error): it is
    /// skipped by the translation, so its migration is blocked until fixed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invalid: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NamespaceScan {
    pub namespace: String,
    pub ingresses: Vec<IngressScan>,
}

/// A host with served Ingresses in more than one namespace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SharedHost {
    pub host: String,
    pub namespaces: Vec<String>,
    /// `namespace/name`, sorted.
    pub ingresses: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Blocker {
    pub annotation: String,
    pub support: SupportLevel,
    /// Served Ingresses using it.
    pub ingresses: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub namespaces: usize,
    /// Every Ingress seen, the invalid ones included.
    pub ingresses: usize,
    pub served_ingresses: usize,
    /// Ingresses that do not decode: skipped by the translation, blocked.
    #[serde(skip_serializing_if = "is_zero")]
    pub invalid_ingresses: usize,
    /// Annotation uses (Ingress × annotation) of served Ingresses per level; every level present.
    pub annotations_by_support: BTreeMap<SupportLevel, usize>,
    /// Risks of served Ingresses per kind.
    pub risks: BTreeMap<RiskKind, usize>,
    pub shared_hosts: usize,
    /// Unsupported or unknown annotations, most used first (at most 10).
    pub top_blockers: Vec<Blocker>,
    /// With `--implementation` other than standard: the target's name and the
    /// annotation uses of served Ingresses per level on it (every level present).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub implementation: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub annotations_on_target: Option<BTreeMap<crate::emit::coverage::CoverageLevel, usize>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotificationSummary {
    #[serde(flatten)]
    pub counts: SeverityCounts,
    /// Count per notification code, sorted by code.
    pub by_code: BTreeMap<String, usize>,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScanReport {
    /// `files` or `cluster context <name>`.
    pub source: String,
    pub summary: Summary,
    pub namespaces: Vec<NamespaceScan>,
    pub shared_hosts: Vec<SharedHost>,
    pub notifications: NotificationSummary,
}

const TOP_BLOCKERS: usize = 10;

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// The Ingresses the input names but could not decode (their `invalid-object`
/// errors), one entry per object, with the first message.
fn invalid_ingresses<'n>(
    input: &InputSet,
    notifications: &'n [Notification],
) -> BTreeMap<&'n ObjectRef, (String, SeverityCounts)> {
    let mut out: BTreeMap<&ObjectRef, (String, SeverityCounts)> = BTreeMap::new();
    for n in notifications {
        let Some(obj) = &n.object else { continue };
        if n.code != crate::input::INVALID_OBJECT
            || obj.kind != "Ingress"
            || input.ingresses.iter().any(|i| &i.obj == obj)
        {
            continue;
        }
        out.entry(obj).or_insert_with(|| {
            let at = n.field.as_deref().map(|f| format!(" (at {f})"));
            (
                format!("{}{}", n.message, at.unwrap_or_default()),
                SeverityCounts::default(),
            )
        });
    }
    for n in notifications {
        if let Some(entry) = n.object.as_ref().and_then(|o| out.get_mut(o)) {
            entry.1.add(n.severity);
        }
    }
    out
}

/// Builds the report from decoded input and the notifications of its translation.
pub fn scan(
    input: &InputSet,
    options: &TranslateOptions,
    notifications: &[Notification],
    source: &str,
) -> ScanReport {
    let facts = analysis::Facts::new(input, options);
    let mut by_namespace: BTreeMap<String, Vec<IngressScan>> = BTreeMap::new();
    let mut uses: BTreeMap<(String, SupportLevel), usize> = BTreeMap::new();
    let mut by_support: BTreeMap<SupportLevel, usize> =
        SupportLevel::ALL.iter().map(|l| (*l, 0)).collect();
    let mut risk_counts: BTreeMap<RiskKind, usize> = BTreeMap::new();
    let mut served_count = 0;
    let target_rows = (!options.target.implementation.is_standard())
        .then(|| crate::emit::coverage::for_target(&options.target));
    let mut on_target: Option<BTreeMap<crate::emit::coverage::CoverageLevel, usize>> =
        target_rows.as_ref().map(|_| {
            crate::emit::coverage::CoverageLevel::ALL
                .iter()
                .map(|l| (*l, 0))
                .collect()
        });
    // Counts per object in one pass over the notifications (a filter per Ingress
    // was quadratic).
    let mut counts_of: HashMap<&ObjectRef, SeverityCounts> = HashMap::new();
    for n in notifications {
        if let Some(obj) = &n.object {
            counts_of.entry(obj).or_default().add(n.severity);
        }
    }
    for (index, ing) in input.ingresses.iter().enumerate() {
        let served = facts.served(index);
        let annotations = annotation_uses(
            ing.annotations(),
            &options.annotation_prefix,
            target_rows.as_deref(),
        );
        let risks = facts.risks(index, &annotations);
        let counts = counts_of.get(&ing.obj).cloned().unwrap_or_default();
        if served {
            served_count += 1;
            for a in &annotations {
                *by_support.entry(a.support).or_default() += 1;
                if let (Some(counts), Some(t)) = (on_target.as_mut(), &a.on_target) {
                    *counts.entry(t.level).or_default() += 1;
                }
                if a.support.is_blocker() {
                    *uses.entry((a.name.clone(), a.support)).or_default() += 1;
                }
            }
            for r in &risks {
                *risk_counts.entry(r.kind).or_default() += 1;
            }
        }
        by_namespace
            .entry(ing.namespace().to_string())
            .or_default()
            .push(IngressScan {
                name: ing.name().to_string(),
                class: facts.class(index),
                served,
                canary: facts.is_canary(index),
                hosts: facts.hosts(index),
                annotations,
                risks,
                notifications: counts,
                invalid: None,
            });
    }
    let invalid = invalid_ingresses(input, notifications);
    for (obj, (message, counts)) in &invalid {
        by_namespace
            .entry(obj.namespace.clone().unwrap_or_else(|| "default".into()))
            .or_default()
            .push(IngressScan {
                name: obj.name.clone(),
                class: None,
                served: false,
                canary: false,
                hosts: Vec::new(),
                annotations: Vec::new(),
                risks: Vec::new(),
                notifications: *counts,
                invalid: Some(message.clone()),
            });
    }
    let namespaces: Vec<NamespaceScan> = by_namespace
        .into_iter()
        .map(|(namespace, mut ingresses)| {
            ingresses.sort_by(|a, b| a.name.cmp(&b.name));
            NamespaceScan {
                namespace,
                ingresses,
            }
        })
        .collect();
    let mut blockers: Vec<Blocker> = uses
        .into_iter()
        .map(|((annotation, support), ingresses)| Blocker {
            annotation,
            support,
            ingresses,
        })
        .collect();
    blockers.sort_by(|a, b| {
        b.ingresses
            .cmp(&a.ingresses)
            .then(a.support.cmp(&b.support))
            .then(a.annotation.cmp(&b.annotation))
    });
    blockers.truncate(TOP_BLOCKERS);
    let shared_hosts = facts.shared_hosts();
    let mut note_counts = SeverityCounts::default();
    let mut by_code: BTreeMap<String, usize> = BTreeMap::new();
    for n in notifications {
        note_counts.add(n.severity);
        *by_code.entry(n.code.0.to_string()).or_default() += 1;
    }
    ScanReport {
        source: source.to_string(),
        summary: Summary {
            namespaces: namespaces.len(),
            ingresses: input.ingresses.len() + invalid.len(),
            served_ingresses: served_count,
            invalid_ingresses: invalid.len(),
            annotations_by_support: by_support,
            risks: risk_counts,
            shared_hosts: shared_hosts.len(),
            top_blockers: blockers,
            implementation: target_rows
                .as_ref()
                .map(|_| options.target.implementation.name().to_string()),
            annotations_on_target: on_target,
        },
        namespaces,
        shared_hosts,
        notifications: NotificationSummary {
            counts: note_counts,
            by_code,
        },
    }
}

/// The prefixed annotations of an Ingress, sorted, with their catalog level.
fn annotation_uses(
    annotations: &BTreeMap<String, String>,
    prefix: &str,
    target: Option<&[crate::emit::coverage::CoverageRow]>,
) -> Vec<AnnotationUse> {
    annotations
        .keys()
        .filter_map(|key| key.strip_prefix(prefix))
        .map(|name| {
            let info = catalog::lookup(name);
            AnnotationUse {
                name: name.to_string(),
                support: info.map_or(SupportLevel::Unknown, |i| i.support.into()),
                note: info.map(|i| i.note.to_string()).filter(|n| !n.is_empty()),
                on_target: target
                    .and_then(|rows| crate::emit::coverage::answer(rows, name))
                    .map(|r| TargetAnswer {
                        level: r.entry.level,
                        kind: r.entry.kind.to_string(),
                        field: r.entry.field.to_string(),
                    }),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::SourceFile;
    use crate::pipeline;
    use std::sync::Arc;

    fn report(yaml: &str) -> ScanReport {
        let loaded = pipeline::load(&[SourceFile {
            name: "t.yaml".into(),
            text: Arc::from(yaml),
        }]);
        let options = TranslateOptions::default();
        let t = pipeline::translate(&loaded.input, &options, loaded.report);
        scan(&loaded.input, &options, &t.notifications, "files")
    }

    fn ingress(
        ns: &str,
        name: &str,
        annotations: &str,
        host: &str,
        path: &str,
        svc: &str,
    ) -> String {
        format!(
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: {name}\n  namespace: {ns}\n  annotations: {{{annotations}}}\nspec:\n  ingressClassName: nginx\n  rules:\n  - host: {host}\n    http:\n      paths:\n      - {{path: \"{path}\", pathType: Prefix, backend: {{service: {{name: {svc}, port: {{number: 80}}}}}}}}\n---\n"
        )
    }

    fn risks(r: &ScanReport, ns: &str, name: &str) -> Vec<(RiskKind, String)> {
        r.namespaces
            .iter()
            .filter(|n| n.namespace == ns)
            .flat_map(|n| n.ingresses.iter())
            .filter(|i| i.name == name)
            .flat_map(|i| i.risks.iter().map(|r| (r.kind, r.detail.clone())))
            .collect()
    }

    const P: &str = "nginx.ingress.kubernetes.io/";

    #[test]
    fn rewrite_target_equal_to_the_path_does_not_switch_the_host() {
        let yaml = ingress("a", "same", &format!("{P}rewrite-target: /"), "h", "/", "s")
            + &ingress(
                "a",
                "other",
                &format!("{P}rewrite-target: /x"),
                "g",
                "/",
                "s",
            );
        let r = report(&yaml);
        assert!(risks(&r, "a", "same").is_empty());
        assert_eq!(risks(&r, "a", "other")[0].0, RiskKind::RegexHost);
    }

    #[test]
    fn invalid_use_regex_value_does_not_switch() {
        // Go's ParseBool rejects "yes"; ingress-nginx falls back to false.
        let r = report(&ingress(
            "a",
            "i",
            &format!("{P}use-regex: \"yes\""),
            "h",
            "/",
            "s",
        ));
        assert!(risks(&r, "a", "i").is_empty());
    }

    #[test]
    fn canary_whose_own_service_is_a_primary_is_flagged() {
        let yaml = ingress("a", "main", "", "h", "/", "v1")
            + &ingress("a", "other", "", "g", "/", "v2")
            + &ingress(
                "a",
                "canary",
                &format!("{P}canary: \"true\""),
                "h",
                "/",
                "v2",
            );
        let r = report(&yaml);
        let found = risks(&r, "a", "canary");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, RiskKind::CanarySharedService);
        assert!(found[0].1.contains("a/v2:80"), "{}", found[0].1);
        assert!(found[0].1.contains("a/other"), "{}", found[0].1);
    }

    #[test]
    fn canary_on_an_unshared_service_is_not_flagged() {
        let yaml = ingress("a", "main", "", "h", "/", "v1")
            + &ingress(
                "a",
                "canary",
                &format!("{P}canary: \"true\""),
                "h",
                "/",
                "v2",
            );
        assert!(risks(&report(&yaml), "a", "canary").is_empty());
    }

    #[test]
    fn unserved_ingresses_are_listed_but_not_counted() {
        let yaml = ingress(
            "a",
            "mine",
            &format!("{P}auth-url: http://x"),
            "h",
            "/",
            "s",
        ) + &ingress(
            "b",
            "theirs",
            &format!("{P}auth-url: http://x"),
            "h",
            "/",
            "s",
        )
        .replace("ingressClassName: nginx", "ingressClassName: traefik");
        let r = report(&yaml);
        assert_eq!(r.summary.ingresses, 2);
        assert_eq!(r.summary.served_ingresses, 1);
        assert_eq!(r.summary.risks.get(&RiskKind::Auth), Some(&1));
        // Only served Ingresses share hosts.
        assert!(r.shared_hosts.is_empty());
        let theirs = &r.namespaces[1].ingresses[0];
        assert!(!theirs.served);
        assert_eq!(theirs.class.as_deref(), Some("traefik"));
    }

    #[test]
    fn hosts_shared_across_namespaces_are_listed() {
        let yaml =
            ingress("a", "one", "", "h", "/", "s") + &ingress("b", "two", "", "h", "/b", "s");
        let r = report(&yaml);
        assert_eq!(r.shared_hosts.len(), 1);
        assert_eq!(r.shared_hosts[0].namespaces, ["a", "b"]);
        assert_eq!(r.shared_hosts[0].ingresses, ["a/one", "b/two"]);
    }

    /// ingress-nginx lowercases host names (and print merges them so): the
    /// shared-hosts table must not split `Shop.Example.com` from `shop.example.com`.
    #[test]
    fn shared_hosts_ignore_host_case() {
        let yaml = ingress("a", "one", "", "Shop.Example.com", "/", "s")
            + &ingress("b", "two", "", "shop.example.com", "/b", "s");
        let r = report(&yaml);
        assert_eq!(r.shared_hosts.len(), 1, "{:?}", r.shared_hosts);
        assert_eq!(r.shared_hosts[0].host, "shop.example.com");
        assert_eq!(r.shared_hosts[0].namespaces, ["a", "b"]);
    }

    #[test]
    fn unknown_annotations_are_blockers_and_other_prefixes_are_ignored() {
        let r = report(&ingress(
            "a",
            "i",
            &format!("{P}no-such-annotation: \"x\", example.com/other: \"y\""),
            "h",
            "/",
            "s",
        ));
        let ing = &r.namespaces[0].ingresses[0];
        assert_eq!(ing.annotations.len(), 1);
        assert_eq!(ing.annotations[0].support, SupportLevel::Unknown);
        assert_eq!(r.summary.top_blockers[0].annotation, "no-such-annotation");
        assert_eq!(
            r.summary.annotations_by_support.get(&SupportLevel::Unknown),
            Some(&1)
        );
    }
}
