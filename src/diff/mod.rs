//! `ing2gw diff`: the generated Gateway API objects against a previous output
//! (files) or the live cluster, object by object, in a canonical form
//! ([`normalize::canonical`]) restricted to what ing2gw owns ([`rules`]),
//! rendered as unified diffs of their YAML.

pub mod normalize;
pub mod rules;

use owo_colors::OwoColorize;
use serde_json::Value;
use similar::TextDiff;
use std::collections::BTreeMap;
use std::fmt::{self, Write};

/// Identity of a compared object. The API version is not part of it: the same
/// object read at another version is a change, not two objects.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ObjectKey {
    pub group: String,
    pub kind: String,
    pub namespace: String,
    pub name: String,
}

impl ObjectKey {
    /// `None` when the value has no `kind` or `metadata.name`.
    pub fn of(value: &Value) -> Option<Self> {
        let s = |p: &str| crate::input::str_at(value, p);
        let api_version = s("/apiVersion").unwrap_or_default();
        Some(ObjectKey {
            group: api_version
                .rsplit_once('/')
                .map(|(g, _)| g.to_string())
                .unwrap_or_default(),
            kind: s("/kind").filter(|k| !k.is_empty())?.to_string(),
            namespace: s("/metadata/namespace").unwrap_or_default().to_string(),
            name: s("/metadata/name").filter(|n| !n.is_empty())?.to_string(),
        })
    }
}

impl fmt::Display for ObjectKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.namespace.is_empty() {
            write!(f, "{} {}", self.kind, self.name)
        } else {
            write!(f, "{} {}/{}", self.kind, self.namespace, self.name)
        }
    }
}

/// One object of one side, with where it came from (file path or `cluster`).
#[derive(Debug, Clone)]
pub struct Manifest {
    pub key: ObjectKey,
    pub body: Body,
    pub origin: String,
}

/// What a [`Manifest`] holds of its object.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    /// The object as read or generated.
    Value(Value),
    /// Exactly the generated object of this index, as `print --output-dir`
    /// writes it: a committed file still holding that text, or the generated
    /// object such a file matched. Two sides printed from the same object are
    /// unchanged without building either value; otherwise the value is built
    /// from the object when the comparison needs it ([`compare_printed`]).
    Printed(usize),
}

impl Manifest {
    pub fn new(value: Value, origin: impl Into<String>) -> Option<Self> {
        Some(Manifest {
            key: ObjectKey::of(&value)?,
            body: Body::Value(value),
            origin: origin.into(),
        })
    }

    /// The object's value, when it was built ([`Body::Value`]).
    pub fn value(&self) -> Option<&Value> {
        match &self.body {
            Body::Value(v) => Some(v),
            Body::Printed(_) => None,
        }
    }
}

/// What happened to one object.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    Unchanged,
    /// Both sides have it and they differ: the unified diff (uncoloured).
    Changed(String),
    /// Only the generated side has it (would be created).
    Added(String),
    /// Only the compared side has it (no longer generated).
    Removed(String),
    /// Only the generated side has it, and the compared side could not be read
    /// for its kind and namespace (RBAC, CRD not served): why.
    Unknown(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: ObjectKey,
    pub change: Change,
}

/// The comparison of all objects, sorted by key.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DiffReport {
    pub entries: Vec<Entry>,
    /// The label of the compared side in headers (`cluster` or the path).
    pub against: String,
    /// Objects of the compared side ing2gw does not manage: not compared.
    pub not_managed: Vec<ObjectKey>,
}

impl DiffReport {
    pub fn has_differences(&self) -> bool {
        self.entries
            .iter()
            .any(|e| !matches!(e.change, Change::Unchanged))
    }

    fn count(&self, f: impl Fn(&Change) -> bool) -> usize {
        self.entries.iter().filter(|e| f(&e.change)).count()
    }

    /// One line: how many objects changed, appeared, disappeared, stayed.
    pub fn summary(&self) -> String {
        let mut line = format!(
            "ing2gw diff: {} changed, {} only generated (would be created), {} only in {} (no longer generated), {} unchanged",
            self.count(|c| matches!(c, Change::Changed(_))),
            self.count(|c| matches!(c, Change::Added(_))),
            self.count(|c| matches!(c, Change::Removed(_))),
            self.against,
            self.count(|c| matches!(c, Change::Unchanged)),
        );
        let unknown = self.count(|c| matches!(c, Change::Unknown(_)));
        if unknown > 0 {
            let _ = write!(line, ", {unknown} unknown (could not be read)");
        }
        if !self.not_managed.is_empty() {
            let _ = write!(
                line,
                ", {} not managed by ing2gw (not compared)",
                self.not_managed.len()
            );
        }
        line
    }

    /// Turns the objects only generated whose kind and namespace could not be
    /// read into [`Change::Unknown`] (`why` says why, `None`: it was read).
    pub fn mark_unknown(&mut self, why: impl Fn(&ObjectKey) -> Option<String>) {
        for entry in &mut self.entries {
            if matches!(entry.change, Change::Added(_))
                && let Some(reason) = why(&entry.key)
            {
                entry.change = Change::Unknown(reason);
            }
        }
    }

    /// Every difference as unified diffs, coloured when `color`.
    pub fn render(&self, color: bool) -> String {
        let mut out = String::new();
        for entry in &self.entries {
            let text = match &entry.change {
                Change::Unchanged => continue,
                Change::Changed(t) | Change::Added(t) | Change::Removed(t) => t,
                Change::Unknown(why) => {
                    let header = format!("# {}: unknown: {why}", entry.key);
                    let _ = writeln!(
                        out,
                        "{}",
                        if color {
                            header.yellow().to_string()
                        } else {
                            header
                        }
                    );
                    continue;
                }
            };
            let what = match entry.change {
                Change::Added(_) => "only generated",
                Change::Removed(_) => "only in the compared objects",
                _ => "changed",
            };
            let header = format!("# {}: {what}", entry.key);
            let _ = writeln!(
                out,
                "{}",
                if color {
                    header.bold().to_string()
                } else {
                    header
                }
            );
            for line in text.lines() {
                let _ = writeln!(out, "{}", paint(line, color));
            }
        }
        out
    }
}

fn paint(line: &str, color: bool) -> String {
    if !color {
        return line.to_string();
    }
    if line.starts_with("+++") || line.starts_with("---") {
        line.bold().to_string()
    } else if line.starts_with('+') {
        line.green().to_string()
    } else if line.starts_with('-') {
        line.red().to_string()
    } else if line.starts_with("@@") {
        line.cyan().to_string()
    } else {
        line.to_string()
    }
}

/// How the two sides are compared.
#[derive(Debug, Clone, Default)]
pub struct CompareOptions {
    pub rules: rules::IgnoreRules,
    /// Against the cluster: labels and annotations of the compared side that the
    /// generated object does not have (and are not ing2gw's own) are not compared.
    pub owned_metadata_only: bool,
}

/// Compares the generated objects with `against` (labelled `against_label`).
/// Duplicate keys on one side: the last one wins (as with `kubectl apply`).
///
/// The objects are paired by key first; each pair is then canonicalised and
/// compared on its own, in parallel (thousands of objects in an estate's
/// output), and the entries come back in key order whatever the threads did.
pub fn compare(
    generated: Vec<Manifest>,
    against: Vec<Manifest>,
    against_label: &str,
    options: &CompareOptions,
) -> DiffReport {
    compare_printed(generated, against, against_label, options, &|_| None)
}

/// [`compare`] of sides that may hold [`Body::Printed`] objects: `printed`
/// builds the value of the generated object of an index when a pair needs it
/// (a side printed from one object paired with anything but that object).
pub fn compare_printed(
    generated: Vec<Manifest>,
    against: Vec<Manifest>,
    against_label: &str,
    options: &CompareOptions,
    printed: &(dyn Fn(usize) -> Option<Value> + Sync),
) -> DiffReport {
    use rayon::prelude::*;
    let index = |items: Vec<Manifest>| -> BTreeMap<ObjectKey, Manifest> {
        items.into_iter().map(|m| (m.key.clone(), m)).collect()
    };
    let mut new = index(generated);
    let old = index(against);
    let mut pairs = Vec::with_capacity(old.len() + new.len());
    for (key, before) in old {
        let after = new.remove(&key);
        pairs.push((key, Some(before), after));
    }
    pairs.extend(new.into_iter().map(|(key, after)| (key, None, Some(after))));
    let mut entries: Vec<Entry> = pairs
        .into_par_iter()
        .map(|(key, before, after)| {
            let change = change_of(&key, before, after, against_label, options, printed);
            Entry { key, change }
        })
        .collect();
    entries.sort_by(|a, b| a.key.cmp(&b.key));
    DiffReport {
        entries,
        against: against_label.to_string(),
        not_managed: Vec::new(),
    }
}

/// What happened to the object `key`, `before` on the compared side and `after`
/// generated (at least one of them is there).
fn change_of(
    key: &ObjectKey,
    before: Option<Manifest>,
    after: Option<Manifest>,
    against_label: &str,
    options: &CompareOptions,
    printed: &(dyn Fn(usize) -> Option<Value> + Sync),
) -> Change {
    if printed_from_one_object(before.as_ref(), after.as_ref()) {
        return Change::Unchanged;
    }
    let value = |body: Body| match body {
        Body::Value(v) => v,
        Body::Printed(i) => printed(i).unwrap_or(Value::Null),
    };
    let view = |value: Value| {
        let mut v = normalize::canonical(value);
        options.rules.apply(&mut v);
        v
    };
    let Some(before) = before else {
        let after_text = after
            .map(|a| yaml(&view(value(a.body))))
            .unwrap_or_default();
        return Change::Added(unified("", &after_text, against_label, "generated", key));
    };
    let before_read = value(before.body);
    let after = after.map(|a| value(a.body));
    // Both sides the same tree as read (the committed file of an object that
    // did not change): their canonical forms are the same tree too, since the
    // form depends only on the tree. Nothing to canonicalise or print.
    if let Some(after) = &after
        && same_text(&before_read, after)
    {
        return Change::Unchanged;
    }
    let mut before_value = view(before_read);
    let Some(after) = after else {
        return Change::Removed(unified(
            &yaml(&before_value),
            "",
            &before.origin,
            "generated",
            key,
        ));
    };
    let after_value = view(after);
    if options.owned_metadata_only {
        rules::keep_owned_metadata(&mut before_value, &after_value);
    }
    // The common case (nothing changed since the last commit) needs no YAML:
    // identical values print identically.
    if same_text(&before_value, &after_value) {
        return Change::Unchanged;
    }
    let before_text = yaml(&before_value);
    let after_text = yaml(&after_value);
    if before_text == after_text {
        Change::Unchanged
    } else {
        Change::Changed(unified(
            &before_text,
            &after_text,
            &before.origin,
            "generated",
            key,
        ))
    }
}

/// Whether both sides are printed from the same generated object (the
/// committed file of an object that did not change holds its printed text):
/// then they are unchanged, with nothing to build or compare.
fn printed_from_one_object(before: Option<&Manifest>, after: Option<&Manifest>) -> bool {
    matches!(
        (before.map(|m| &m.body), after.map(|m| &m.body)),
        (Some(Body::Printed(i)), Some(Body::Printed(j))) if i == j
    )
}

/// Whether `a` and `b` are the same tree, in the same key order, with numbers
/// of the same representation: then their YAML texts are equal. `false` says
/// nothing (`1` and `1.0`, or `0.0` and `-0.0`, are left to the texts).
fn same_text(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Null, Value::Null) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Number(x), Value::Number(y)) => {
            if let (Some(x), Some(y)) = (x.as_u64(), y.as_u64()) {
                x == y
            } else if let (Some(x), Some(y)) = (x.as_i64(), y.as_i64()) {
                x == y
            } else if x.is_f64() && y.is_f64() {
                x.as_f64().map(f64::to_bits) == y.as_f64().map(f64::to_bits)
            } else {
                false
            }
        }
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_text(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((kx, vx), (ky, vy))| kx == ky && same_text(vx, vy))
        }
        _ => false,
    }
}

fn yaml(value: &Value) -> String {
    serde_saphyr::to_string(value)
        .unwrap_or_else(|_| serde_json::to_string_pretty(value).unwrap_or_default() + "\n")
}

fn unified(before: &str, after: &str, from: &str, to: &str, key: &ObjectKey) -> String {
    let object = key.to_string().replace(' ', "/");
    TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(3)
        .header(&format!("{from}: {object}"), &format!("{to}: {object}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn route(name: &str, host: &str) -> Manifest {
        Manifest::new(
            json!({"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
                "metadata": {"name": name, "namespace": "a"}, "spec": {"hostnames": [host]}}),
            "x.yaml",
        )
        .expect("named object")
    }

    #[test]
    fn classifies_changes() {
        let report = compare(
            vec![
                route("same", "a"),
                route("changed", "new"),
                route("added", "a"),
            ],
            vec![
                route("same", "a"),
                route("changed", "old"),
                route("removed", "a"),
            ],
            "x.yaml",
            &CompareOptions::default(),
        );
        let kinds: Vec<(&str, &str)> = report
            .entries
            .iter()
            .map(|e| {
                (
                    e.key.name.as_str(),
                    match e.change {
                        Change::Unchanged => "unchanged",
                        Change::Changed(_) => "changed",
                        Change::Added(_) => "added",
                        Change::Removed(_) => "removed",
                        Change::Unknown(_) => "unknown",
                    },
                )
            })
            .collect();
        assert_eq!(
            kinds,
            [
                ("added", "added"),
                ("changed", "changed"),
                ("removed", "removed"),
                ("same", "unchanged")
            ]
        );
        assert!(report.has_differences());
        let text = report.render(false);
        assert!(text.contains("-  - old\n+  - new\n"), "{text}");
        assert!(!text.contains('\u{1b}'));
        assert!(report.render(true).contains('\u{1b}'));
    }

    #[test]
    fn equal_sides_have_no_differences() {
        let report = compare(
            vec![route("r", "a")],
            vec![route("r", "a")],
            "cluster",
            &CompareOptions::default(),
        );
        assert!(!report.has_differences());
        assert_eq!(report.render(false), "");
    }

    #[test]
    fn printed_sides_are_built_only_when_a_pair_needs_them() {
        let printed = |i: usize| -> Manifest {
            let mut m = route("web", "shop.example.com");
            m.body = Body::Printed(i);
            m
        };
        let built = std::sync::Mutex::new(Vec::new());
        let value_of = |i: usize| {
            built.lock().expect("lock").push(i);
            let host = if i == 2 {
                "new.example.com"
            } else {
                "shop.example.com"
            };
            route("web", host).value().cloned()
        };
        let options = CompareOptions::default();
        let compare = |generated, against| {
            compare_printed(vec![generated], vec![against], "dir", &options, &value_of)
        };
        // The file holds the printed text of the very object: nothing built.
        let same = compare(printed(0), printed(0));
        assert_eq!(same.entries[0].change, Change::Unchanged);
        assert!(built.lock().expect("lock").is_empty());
        // Printed from two objects of the same value: built, and unchanged.
        let twins = compare(printed(1), printed(0));
        assert_eq!(twins.entries[0].change, Change::Unchanged);
        // A printed object against an edited file, and an added one: built.
        let edited = compare(printed(2), route("web", "shop.example.com"));
        assert!(matches!(&edited.entries[0].change, Change::Changed(d)
            if d.lines().any(|l| l.starts_with('+') && l.contains("new.example.com"))));
        let mut built_now = std::mem::take(&mut *built.lock().expect("lock"));
        built_now.sort();
        assert_eq!(built_now, [0, 1, 2]);
        let added = compare_printed(vec![printed(2)], vec![], "dir", &options, &value_of);
        assert!(
            matches!(&added.entries[0].change, Change::Added(d) if d.contains("new.example.com"))
        );
    }

    #[test]
    fn nameless_values_are_not_manifests() {
        assert!(Manifest::new(json!({"kind": "HTTPRoute", "metadata": {}}), "x").is_none());
    }

    #[test]
    fn same_text_implies_the_same_yaml_and_leaves_doubt_to_the_texts() {
        let values = [
            json!({"a": 1, "b": [true, null, "x"], "c": {"d": 1.5}}),
            json!({"a": 1, "b": [true, null, "x"], "c": {"d": 1.5}}),
            json!({"a": 1.0, "b": [true, null, "x"], "c": {"d": 1.5}}),
            json!({"a": -1, "b": [true, null, "x"], "c": {"d": 1.5}}),
            json!({"a": 1, "b": [true, null, "y"], "c": {"d": 1.5}}),
            json!({"a": 1, "b": [true, null], "c": {"d": 1.5}}),
            json!({"a": 1, "b": [true, null, "x"], "c": {"e": 1.5}}),
            json!({"a": 0.0}),
            json!({"a": -0.0}),
            json!({"a": "1"}),
        ];
        for a in &values {
            for b in &values {
                if same_text(a, b) {
                    assert_eq!(yaml(a), yaml(b));
                }
            }
        }
        assert!(same_text(&values[0], &values[1]));
        assert!(!same_text(&values[0], &values[2]));
        assert!(!same_text(&values[0], &values[4]));
        assert!(!same_text(&values[7], &values[8]));
        // 0.0 and -0.0 are equal values with different texts: a change.
        let zero = |v: Value| {
            Manifest::new(
                json!({"kind": "HTTPRoute", "metadata": {"name": "r"}, "spec": {"w": v}}),
                "x",
            )
            .unwrap()
        };
        let report = compare(
            vec![zero(json!(0.0))],
            vec![zero(json!(-0.0))],
            "cluster",
            &CompareOptions::default(),
        );
        assert!(report.has_differences());
    }
}
