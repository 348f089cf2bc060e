//! `scan --fail-on LEVEL [--baseline FILE]`: the CI gate of the scan.
//!
//! A problem is one reason of one Ingress, identified by namespace, name and
//! code (`access-fail-closed`, `unsupported-annotation`, `risk:snippet`, …). The
//! gate fails on every served Ingress whose verdict is at or above the level,
//! because of a reason at or above it; with a baseline (the JSON of an earlier
//! `scan -o json`), only on the reasons the baseline does not already list for
//! that Ingress: what was accepted once does not fail every later build, a new
//! problem does. Messages are not compared (they name values that may change).

use super::{ScanReport, Verdict};
use serde_json::Value;
use std::collections::BTreeSet;

/// The problems an earlier scan listed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Baseline {
    problems: BTreeSet<(String, String, String)>,
}

impl Baseline {
    /// Reads the JSON of `scan -o json`; the error is a message for the user.
    pub fn parse(text: &str, origin: &str) -> Result<Self, String> {
        let value: Value = serde_json::from_str(text)
            .map_err(|e| format!("{origin}: not the JSON of `ing2gw scan -o json`: {e}"))?;
        let namespaces = value
            .get("namespaces")
            .and_then(Value::as_array)
            .ok_or_else(|| {
                format!("{origin}: not the JSON of `ing2gw scan -o json` (no `namespaces` list)")
            })?;
        let mut problems = BTreeSet::new();
        for ns in namespaces {
            let namespace = ns["namespace"].as_str().unwrap_or_default();
            for ing in ns["ingresses"].as_array().into_iter().flatten() {
                let name = ing["name"].as_str().unwrap_or_default();
                for reason in ing["reasons"].as_array().into_iter().flatten() {
                    if let Some(code) = reason["code"].as_str() {
                        problems.insert((
                            namespace.to_string(),
                            name.to_string(),
                            code.to_string(),
                        ));
                    }
                }
            }
        }
        Ok(Baseline { problems })
    }

    fn knows(&self, namespace: &str, name: &str, code: &str) -> bool {
        self.problems
            .contains(&(namespace.to_string(), name.to_string(), code.to_string()))
    }
}

/// One Ingress that fails the gate, with the codes that make it fail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub namespace: String,
    pub name: String,
    pub verdict: Verdict,
    pub codes: Vec<String>,
}

/// The served Ingresses that fail `--fail-on level`, minus the baseline's problems.
pub fn failures(report: &ScanReport, level: Verdict, baseline: Option<&Baseline>) -> Vec<Failure> {
    let mut out = Vec::new();
    for ns in &report.namespaces {
        for ing in &ns.ingresses {
            if ing.verdict < level || ing.verdict == Verdict::NotServed {
                continue;
            }
            let codes: BTreeSet<String> = ing
                .reasons
                .iter()
                .filter(|r| r.level >= level)
                .filter(|r| baseline.is_none_or(|b| !b.knows(&ns.namespace, &ing.name, &r.code)))
                .map(|r| r.code.clone())
                .collect();
            if !codes.is_empty() {
                out.push(Failure {
                    namespace: ns.namespace.clone(),
                    name: ing.name.clone(),
                    verdict: ing.verdict,
                    codes: codes.into_iter().collect(),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_that_is_not_a_scan_is_an_error() {
        assert!(Baseline::parse("[]", "b.json").is_err());
        assert!(Baseline::parse("{", "b.json").is_err());
        let b = Baseline::parse(
            r#"{"namespaces": [{"namespace": "a", "ingresses": [{"name": "i", "reasons": [{"code": "cors"}]}]}]}"#,
            "b.json",
        )
        .expect("baseline");
        assert!(b.knows("a", "i", "cors"));
        assert!(!b.knows("a", "i", "access-fail-closed"));
    }
}
