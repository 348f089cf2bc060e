//! Coverage as data: what a target does with each ingress-nginx annotation or
//! ConfigMap key. `ing2gw annotations --implementation`, `scan` and
//! `docs/implementations/` are generated from these answers, never written by hand.

use serde::Serialize;

/// How a target handles one annotation or ConfigMap key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CoverageLevel {
    /// The behaviour is reproduced exactly by `kind`/`field`.
    Translated,
    /// Reproduced in part (`note` says what differs).
    Approximated,
    /// The target cannot express it (`note` says what happens instead).
    NotExpressible,
}

/// One row: the annotation (without prefix) or `configmap:<key>`, and the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CoverageEntry {
    pub key: &'static str,
    pub level: CoverageLevel,
    /// The emitted kind, e.g. `SecurityPolicy` (empty when not expressible).
    pub kind: &'static str,
    /// The field path inside it, e.g. `spec.authorization.rules[].principal.clientCIDRs`.
    pub field: &'static str,
    pub note: &'static str,
}

impl CoverageLevel {
    pub const ALL: [CoverageLevel; 3] = [
        CoverageLevel::Translated,
        CoverageLevel::Approximated,
        CoverageLevel::NotExpressible,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            CoverageLevel::Translated => "translated",
            CoverageLevel::Approximated => "approximated",
            CoverageLevel::NotExpressible => "not-expressible",
        }
    }
}

/// Where a merged row's answer comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
    /// The target's emitter answered for this key ([`super::Emitter::coverage`]).
    Emitter,
    /// The catalog's support level of the standard translation (every target
    /// starts from the standard output).
    Catalog,
}

/// One row of a target's coverage: the answer and where it comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CoverageRow {
    #[serde(flatten)]
    pub entry: CoverageEntry,
    pub origin: Origin,
}

/// The standard answer for a catalog annotation: its support level.
pub fn standard_entry(a: &'static crate::catalog::AnnotationInfo) -> CoverageEntry {
    use crate::catalog::Support;
    let level = match a.support {
        Support::Translated => CoverageLevel::Translated,
        Support::Approximated => CoverageLevel::Approximated,
        Support::ImplementationSpecific | Support::Unsupported => CoverageLevel::NotExpressible,
    };
    CoverageEntry {
        key: a.name,
        level,
        kind: "",
        field: "",
        note: a.note,
    }
}

/// Every catalog annotation (aliases included, catalog order) with the target's
/// answer: the emitter's row for its key (or its canonical name) when it has
/// one, else the standard answer; then the emitter's rows for keys outside the
/// catalog (`configmap:<key>`), sorted by key.
pub fn merged(emitter_rows: &[CoverageEntry]) -> Vec<CoverageRow> {
    let mut out = Vec::new();
    for a in crate::catalog::ANNOTATIONS {
        let own = emitter_rows
            .iter()
            .find(|e| e.key == a.name)
            .or_else(|| emitter_rows.iter().find(|e| e.key == a.canonical()));
        out.push(match own {
            Some(e) => CoverageRow {
                entry: CoverageEntry { key: a.name, ..*e },
                origin: Origin::Emitter,
            },
            None => CoverageRow {
                entry: standard_entry(a),
                origin: Origin::Catalog,
            },
        });
    }
    let mut extra: Vec<CoverageRow> = emitter_rows
        .iter()
        .filter(|e| crate::catalog::lookup(e.key).is_none())
        .map(|e| CoverageRow {
            entry: *e,
            origin: Origin::Emitter,
        })
        .collect();
    extra.sort_by_key(|r| r.entry.key);
    extra.dedup_by_key(|r| r.entry.key);
    out.extend(extra);
    out
}

/// [`merged`] for the emitter of `target`.
pub fn for_target(target: &crate::target::Target) -> Vec<CoverageRow> {
    merged(&super::emitter_for(target).coverage())
}

/// The answer for one annotation (without prefix) on `rows`.
pub fn answer<'a>(rows: &'a [CoverageRow], key: &str) -> Option<&'a CoverageRow> {
    rows.iter().find(|r| r.entry.key == key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emitter_rows_override_the_catalog_and_extras_follow() {
        let rows = merged(&[
            CoverageEntry {
                key: "whitelist-source-range",
                level: CoverageLevel::Translated,
                kind: "TestPolicy",
                field: "spec.allow",
                note: "test row",
            },
            CoverageEntry {
                key: "configmap:use-forwarded-headers",
                level: CoverageLevel::Approximated,
                kind: "TestPolicy",
                field: "spec.clientIP",
                note: "test row",
            },
        ]);
        assert_eq!(rows.len(), crate::catalog::ANNOTATIONS.len() + 1);
        let alias = answer(&rows, "whitelist-source-range").unwrap();
        assert_eq!(
            (alias.origin, alias.entry.kind),
            (Origin::Emitter, "TestPolicy")
        );
        // The canonical name gets the catalog answer: the row named only the alias.
        let canonical = answer(&rows, "allowlist-source-range").unwrap();
        assert_eq!(canonical.origin, Origin::Catalog);
        assert_eq!(canonical.entry.level, CoverageLevel::NotExpressible);
        assert_eq!(
            rows.last().unwrap().entry.key,
            "configmap:use-forwarded-headers"
        );
        let rewrite = answer(&rows, "rewrite-target").unwrap();
        assert_eq!(rewrite.origin, Origin::Catalog);
    }
}
