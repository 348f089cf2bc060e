//! `verify --gateway-api` on manifests the user may have edited: which objects
//! differ in spec from ing2gw's own translation of the same Ingresses.
//!
//! The translation's notifications describe that translation. They explain a
//! divergence of the given manifests only when those are, object for object and
//! spec for spec, what ing2gw would emit (metadata such as labels or
//! `ing2gw.io/sources` may differ: it changes no request). Any difference, and
//! the divergences are the user's to explain; the report names the edited
//! objects and marks divergences decided by an edited HTTPRoute.

use super::compare::VerifyReport;
use crate::gwapi::GatewayObject;
use serde::Serialize;
use std::collections::BTreeMap;

/// How a given object differs from ing2gw's translation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Change {
    /// Same identity, another spec.
    Changed,
    /// Not in ing2gw's translation.
    Added,
    /// In ing2gw's translation, not among the given manifests.
    Removed,
}

/// One object of the given manifests that is not ing2gw's.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Edit {
    pub kind: String,
    pub namespace: String,
    pub name: String,
    pub change: Change,
}

impl std::fmt::Display for Edit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let change = match self.change {
            Change::Changed => "changed",
            Change::Added => "added",
            Change::Removed => "removed",
        };
        write!(
            f,
            "{} {}/{} ({change})",
            self.kind, self.namespace, self.name
        )
    }
}

/// What decides requests: the spec (the whole object for kinds without one).
fn spec(o: &GatewayObject) -> serde_json::Value {
    let v = serde_json::to_value(o).unwrap_or_default();
    match v.get("spec") {
        Some(s) => s.clone(),
        None => v,
    }
}

/// The objects of `given` that are not, in spec, those of `own`; sorted.
pub fn edits(own: &[GatewayObject], given: &[GatewayObject]) -> Vec<Edit> {
    let index =
        |objects: &[GatewayObject]| -> BTreeMap<(String, String, String), serde_json::Value> {
            objects.iter().map(|o| (o.identity(), spec(o))).collect()
        };
    let own = index(own);
    let given = index(given);
    let edit = |(kind, namespace, name): &(String, String, String), change| Edit {
        kind: kind.clone(),
        namespace: namespace.clone(),
        name: name.clone(),
        change,
    };
    let mut out: Vec<Edit> = Vec::new();
    for (id, s) in &given {
        match own.get(id) {
            Some(o) if o == s => {}
            Some(_) => out.push(edit(id, Change::Changed)),
            None => out.push(edit(id, Change::Added)),
        }
    }
    for id in own.keys().filter(|id| !given.contains_key(*id)) {
        out.push(edit(id, Change::Removed));
    }
    out.sort();
    out
}

/// Marks the results decided by an edited or added HTTPRoute.
pub fn mark(report: &mut VerifyReport, edits: &[Edit]) {
    for r in &mut report.results {
        r.edited_route = r.route.as_ref().is_some_and(|rr| {
            edits.iter().any(|e| {
                e.kind == "HTTPRoute"
                    && e.change != Change::Removed
                    && e.namespace == rr.namespace
                    && e.name == rr.route
            })
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gwapi::decode_gateway_objects;
    use crate::input::SourceFile;
    use crate::report::Report;
    use std::sync::Arc;

    fn objects(text: &str) -> Vec<GatewayObject> {
        let file = SourceFile {
            name: "t.yaml".into(),
            text: Arc::from(text),
        };
        decode_gateway_objects(&[file], &mut Report::default()).objects
    }

    const ROUTE: &str = "apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r, namespace: default, labels: {a: b}}
spec:
  hostnames: [a.example.com]
  rules: [{backendRefs: [{name: web, port: 80}]}]
";

    #[test]
    fn metadata_is_not_an_edit_but_spec_added_and_removed_are() {
        let own = objects(ROUTE);
        let relabelled = objects(&ROUTE.replace("labels: {a: b}", "labels: {c: d}"));
        assert_eq!(edits(&own, &relabelled), vec![]);
        let changed = objects(&ROUTE.replace("port: 80", "port: 81"));
        let e = edits(&own, &changed);
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].to_string(), "HTTPRoute default/r (changed)");
        let renamed = objects(&ROUTE.replace("name: r,", "name: s,"));
        let e: Vec<String> = edits(&own, &renamed)
            .iter()
            .map(|e| e.to_string())
            .collect();
        assert_eq!(
            e,
            [
                "HTTPRoute default/r (removed)",
                "HTTPRoute default/s (added)"
            ]
        );
    }
}
