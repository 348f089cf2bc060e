//! The same object given twice.
//!
//! Overlays and copied folders often hold one Ingress (same kind, namespace and
//! name) in two files. The cluster keeps one object per identity: `kubectl apply`
//! applies the files in order (folders in lexical order, documents in file order),
//! so the **last** copy is what ingress-nginx would serve. Translating both would
//! merge two versions of one object that never coexist, and keeping the first
//! would translate a version the cluster does not have.
//!
//! We apply kubectl's rule — the last copy in input order wins — and report each
//! earlier copy as an error naming both locations, because which copy is meant is
//! a decision for the user (and the output depends on the order of `-f`).
//! Applies to every kind the translation reads: Ingresses, Services,
//! IngressClasses and ConfigMaps (Secrets are only counted by name and type).

use super::{InputSet, Origin, SourceSpan};
use crate::report::{Code, Notification, ObjectRef, Report};
use std::collections::HashMap;

pub const DUPLICATE_OBJECT: Code = Code("duplicate-object");

/// Keeps the last copy of each object identity in `set`, reporting every earlier
/// copy with both locations.
pub fn keep_last_applied(set: &mut InputSet, report: &mut Report) {
    dedupe(&mut set.ingresses, |i| (&i.obj, &i.origin), report);
    dedupe(&mut set.services, |s| (&s.obj, &s.origin), report);
    dedupe(&mut set.ingress_classes, |c| (&c.obj, &c.origin), report);
    dedupe(&mut set.config_maps, |c| (&c.obj, &c.origin), report);
}

fn dedupe<T>(
    items: &mut Vec<T>,
    identity: impl Fn(&T) -> (&ObjectRef, &Origin),
    report: &mut Report,
) {
    // Index of the last copy of each identity: one pass, no pairwise comparison.
    let mut last: HashMap<&ObjectRef, usize> = HashMap::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        last.insert(identity(item).0, i);
    }
    if last.len() == items.len() {
        return;
    }
    let mut notes = Vec::new();
    let keep: Vec<bool> = items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let (obj, origin) = identity(item);
            let winner = last.get(obj).copied().unwrap_or(i);
            if winner != i {
                let kept = items.get(winner).and_then(|w| identity(w).1.doc_span());
                notes.push(duplicate(obj, origin.doc_span(), kept));
            }
            winner == i
        })
        .collect();
    for n in notes {
        report.push(n);
    }
    let mut flags = keep.into_iter();
    items.retain(|_| flags.next().unwrap_or(true));
}

fn duplicate(
    obj: &ObjectRef,
    dropped: Option<SourceSpan>,
    kept: Option<SourceSpan>,
) -> Notification {
    let at = |s: &Option<SourceSpan>| {
        s.as_ref().map_or_else(
            || "the cluster".to_string(),
            |s| format!("{}:{}", s.file, s.line),
        )
    };
    Notification::error(
        DUPLICATE_OBJECT,
        format!(
            "{obj} is given twice: the copy at {} is replaced by the later copy at {}, as `kubectl apply` would keep the last one; only that one is translated",
            at(&dropped),
            at(&kept)
        ),
    )
    .object(obj)
    .span(dropped)
    .suggest("keep one copy of the object in the input (overlays: render them with kustomize first and pass the result)")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{SourceFile, decode_documents};
    use std::sync::Arc;

    fn ingress(name: &str, service: &str) -> String {
        format!(
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {{name: {name}, namespace: default}}\nspec:\n  rules:\n  - host: a.example.com\n    http:\n      paths:\n      - {{path: /, pathType: Prefix, backend: {{service: {{name: {service}, port: {{number: 80}}}}}}}}\n"
        )
    }

    fn load(files: &[(&str, String)]) -> (InputSet, Report) {
        let mut set = InputSet::default();
        let mut report = Report::default();
        for (name, text) in files {
            let f = SourceFile {
                name: name.to_string(),
                text: Arc::from(text.as_str()),
            };
            decode_documents(&f, &mut set, &mut report);
        }
        keep_last_applied(&mut set, &mut report);
        (set, report)
    }

    fn backend(i: &crate::input::InputIngress) -> String {
        let rules = i.ingress.spec.as_ref().and_then(|s| s.rules.clone());
        rules
            .and_then(|r| r.into_iter().next())
            .and_then(|r| r.http)
            .and_then(|h| h.paths.into_iter().next())
            .and_then(|p| p.backend.service)
            .map(|s| s.name)
            .unwrap_or_default()
    }

    #[test]
    fn the_last_copy_wins_and_both_places_are_named() {
        let (set, report) = load(&[
            ("base/app.yaml", ingress("app", "old")),
            ("overlay/app.yaml", ingress("app", "new")),
        ]);
        assert_eq!(set.ingresses.len(), 1);
        assert_eq!(backend(&set.ingresses[0]), "new");
        let notes = report.finish();
        let dup: Vec<_> = notes
            .iter()
            .filter(|n| n.code == DUPLICATE_OBJECT)
            .collect();
        assert_eq!(dup.len(), 1, "{notes:?}");
        assert!(
            dup[0].message.contains("base/app.yaml:1"),
            "{}",
            dup[0].message
        );
        assert!(
            dup[0].message.contains("overlay/app.yaml:1"),
            "{}",
            dup[0].message
        );
        assert_eq!(
            dup[0].span.as_ref().map(|s| &*s.file),
            Some("base/app.yaml")
        );
    }

    #[test]
    fn distinct_objects_are_untouched() {
        let (set, report) = load(&[(
            "a.yaml",
            format!("{}---\n{}", ingress("one", "a"), ingress("two", "b")),
        )]);
        assert_eq!(set.ingresses.len(), 2);
        assert!(report.finish().iter().all(|n| n.code != DUPLICATE_OBJECT));
    }

    #[test]
    fn three_copies_keep_the_last_and_name_two() {
        let (set, report) = load(&[(
            "a.yaml",
            format!(
                "{}---\n{}---\n{}",
                ingress("app", "v1"),
                ingress("app", "v2"),
                ingress("app", "v3")
            ),
        )]);
        assert_eq!(set.ingresses.len(), 1);
        assert_eq!(backend(&set.ingresses[0]), "v3");
        let count = report
            .finish()
            .iter()
            .filter(|n| n.code == DUPLICATE_OBJECT)
            .count();
        assert_eq!(count, 2);
    }
}
