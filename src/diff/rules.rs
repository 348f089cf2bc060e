//! What `diff` ignores: the fields ing2gw does not own.
//!
//! ing2gw owns the `spec` of what it generates, the object's identity, and the
//! labels and annotations it writes. Everything else on a live object belongs to
//! someone else and is never drift:
//!
//! - metadata other than `name`, `namespace`, `labels`, `annotations`
//!   (`finalizers`, `ownerReferences`, `managedFields`, `resourceVersion`, `uid`,
//!   `generation`, `creationTimestamp`, `generateName`, `deletion*`, …) and
//!   `status`;
//! - labels and annotations of GitOps and deployment tools ([`BUILTIN_KEYS`]):
//!   Argo CD (`argocd.argoproj.io/*`, the `app.kubernetes.io/instance` tracking
//!   label), Flux (`kustomize.toolkit.fluxcd.io/*`, `helm.toolkit.fluxcd.io/*`),
//!   Helm (`meta.helm.sh/*`, `helm.sh/chart`, `app.kubernetes.io/managed-by`),
//!   kubectl (`kubectl.kubernetes.io/*`, e.g. last-applied-configuration);
//! - against the cluster, any other label or annotation the generated object does
//!   not have, unless it is ing2gw's own (`ing2gw.io/*`, the generator
//!   annotation): another controller or a person added it and applying the
//!   output leaves it alone.
//!
//! The user adds rules with `--ignore-annotation PREFIX` (label and annotation
//! keys) and `--ignore-field PATH` (a dotted path from the object's root, `*` for
//! any key or list item, `[key]` for a key with dots: `spec.infrastructure`,
//! `metadata.labels[team.example.com/owner]`, `spec.rules.*.filters`).

use crate::gwapi::GENERATOR_ANNOTATION;
use serde_json::{Map, Value};

/// Label and annotation keys never compared; a trailing `/` makes a prefix.
pub const BUILTIN_KEYS: &[&str] = &[
    "argocd.argoproj.io/",
    "app.kubernetes.io/instance",
    "kustomize.toolkit.fluxcd.io/",
    "helm.toolkit.fluxcd.io/",
    "meta.helm.sh/",
    "helm.sh/chart",
    "app.kubernetes.io/managed-by",
    "kubectl.kubernetes.io/",
];

/// The metadata fields ing2gw owns; every other one is dropped.
const OWNED_METADATA: &[&str] = &["name", "namespace", "labels", "annotations"];

/// Label and annotation prefix of ing2gw's own keys.
const OWN_PREFIX: &str = "ing2gw.io/";

/// One `--ignore-field` path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldPath(Vec<String>);

impl FieldPath {
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut segments = Vec::new();
        let mut current = String::new();
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            match c {
                '.' => segments.push(std::mem::take(&mut current)),
                '[' => {
                    if !current.is_empty() {
                        segments.push(std::mem::take(&mut current));
                    }
                    let key: String = chars.by_ref().take_while(|c| *c != ']').collect();
                    segments.push(key);
                    // `a[b].c`: the dot after `]` is a separator already taken.
                    let rest = chars.as_str();
                    if let Some(after) = rest.strip_prefix('.') {
                        chars = after.chars();
                    }
                }
                _ => current.push(c),
            }
        }
        if !current.is_empty() {
            segments.push(current);
        }
        if segments.is_empty() || segments.iter().any(String::is_empty) {
            return Err(format!(
                "--ignore-field {text:?}: expected a dotted path such as spec.infrastructure or metadata.labels[example.com/team]"
            ));
        }
        Ok(FieldPath(segments))
    }

    fn remove(&self, value: &mut Value) {
        remove_at(value, &self.0);
    }
}

fn remove_at(value: &mut Value, path: &[String]) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    match value {
        Value::Object(map) => {
            if rest.is_empty() {
                if first == "*" {
                    map.clear();
                } else {
                    map.remove(first);
                }
            } else if first == "*" {
                map.values_mut().for_each(|v| remove_at(v, rest));
            } else if let Some(v) = map.get_mut(first) {
                remove_at(v, rest);
            }
        }
        Value::Array(items) => {
            let index = first.parse::<usize>().ok();
            if first == "*" || index.is_some() {
                for (i, item) in items.iter_mut().enumerate() {
                    if first == "*" || Some(i) == index {
                        if rest.is_empty() {
                            *item = Value::Null;
                        } else {
                            remove_at(item, rest);
                        }
                    }
                }
                if rest.is_empty() {
                    items.retain(|v| !v.is_null());
                }
            }
        }
        _ => {}
    }
}

/// A label or annotation key rule.
#[derive(Debug, Clone, PartialEq, Eq)]
enum KeyRule {
    Exact(String),
    Prefix(String),
}

/// The ignore rules of one run: built in plus the user's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IgnoreRules {
    keys: Vec<KeyRule>,
    fields: Vec<FieldPath>,
}

impl Default for IgnoreRules {
    fn default() -> Self {
        IgnoreRules {
            keys: BUILTIN_KEYS
                .iter()
                .map(|k| {
                    if k.ends_with('/') {
                        KeyRule::Prefix(k.to_string())
                    } else {
                        KeyRule::Exact(k.to_string())
                    }
                })
                .collect(),
            fields: Vec::new(),
        }
    }
}

impl IgnoreRules {
    /// Built-in rules plus `--ignore-annotation` prefixes and `--ignore-field` paths.
    pub fn with_user(prefixes: &[String], fields: &[String]) -> Result<Self, String> {
        let mut rules = IgnoreRules::default();
        for p in prefixes {
            if p.is_empty() {
                return Err("--ignore-annotation needs a non-empty key prefix".into());
            }
            // A user prefix is always a prefix (`team.example.com/` or `team`).
            rules.keys.push(KeyRule::Prefix(p.clone()));
        }
        for f in fields {
            rules.fields.push(FieldPath::parse(f)?);
        }
        Ok(rules)
    }

    fn ignores_key(&self, key: &str) -> bool {
        self.keys.iter().any(|rule| match rule {
            KeyRule::Prefix(prefix) => key.starts_with(prefix.as_str()),
            KeyRule::Exact(exact) => key == exact,
        })
    }

    /// Drops what ing2gw does not own from a canonical object (both sides).
    pub fn apply(&self, value: &mut Value) {
        if let Some(map) = value.as_object_mut() {
            map.remove("status");
            if let Some(meta) = map.get_mut("metadata").and_then(Value::as_object_mut) {
                meta.retain(|k, _| OWNED_METADATA.contains(&k.as_str()));
                for key in ["labels", "annotations"] {
                    if let Some(m) = meta.get_mut(key).and_then(Value::as_object_mut) {
                        m.retain(|k, _| !self.ignores_key(k));
                    }
                }
                drop_empty(meta);
            }
        }
        for field in &self.fields {
            field.remove(value);
        }
        if let Some(meta) = value.get_mut("metadata").and_then(Value::as_object_mut) {
            drop_empty(meta);
        }
    }
}

fn drop_empty(meta: &mut Map<String, Value>) {
    for key in ["labels", "annotations"] {
        if meta
            .get(key)
            .is_some_and(|v| v.is_null() || v.as_object().is_some_and(Map::is_empty))
        {
            meta.remove(key);
        }
    }
}

/// Against the cluster: drops from the live object the labels and annotations
/// the generated object does not have and that are not ing2gw's own.
pub fn keep_owned_metadata(live: &mut Value, generated: &Value) {
    for key in ["labels", "annotations"] {
        let ours = generated
            .pointer(&format!("/metadata/{key}"))
            .and_then(Value::as_object);
        if let Some(theirs) = live
            .pointer_mut(&format!("/metadata/{key}"))
            .and_then(Value::as_object_mut)
        {
            theirs.retain(|k, _| {
                ours.is_some_and(|o| o.contains_key(k))
                    || k.starts_with(OWN_PREFIX)
                    || k == GENERATOR_ANNOTATION
            });
        }
    }
    if let Some(meta) = live.get_mut("metadata").and_then(Value::as_object_mut) {
        drop_empty(meta);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn gitops_metadata_is_not_owned() {
        let mut live = json!({
            "kind": "HTTPRoute",
            "metadata": {
                "name": "r", "namespace": "a",
                "finalizers": ["x"], "ownerReferences": [{"name": "app"}],
                "labels": {"app.kubernetes.io/instance": "shop", "kustomize.toolkit.fluxcd.io/name": "apps"},
                "annotations": {"argocd.argoproj.io/tracking-id": "shop:x", "helm.toolkit.fluxcd.io/name": "h"}
            },
            "spec": {"hostnames": ["a"]},
            "status": {}
        });
        IgnoreRules::default().apply(&mut live);
        assert_eq!(
            live,
            json!({"kind": "HTTPRoute", "metadata": {"name": "r", "namespace": "a"}, "spec": {"hostnames": ["a"]}})
        );
    }

    #[test]
    fn user_rules_remove_fields_and_keys() {
        let rules = IgnoreRules::with_user(
            &["team.example.com/".into()],
            &[
                "spec.rules.*.timeouts".into(),
                "metadata.labels[x.io/y]".into(),
            ],
        )
        .expect("rules");
        let mut v = json!({
            "metadata": {"name": "r", "labels": {"x.io/y": "1", "keep": "1", "team.example.com/owner": "a"}},
            "spec": {"rules": [{"timeouts": {"request": "5s"}, "matches": []}]}
        });
        rules.apply(&mut v);
        assert_eq!(
            v,
            json!({"metadata": {"name": "r", "labels": {"keep": "1"}}, "spec": {"rules": [{"matches": []}]}})
        );
        assert!(IgnoreRules::with_user(&[], &["a..b".into()]).is_err());
        assert!(IgnoreRules::with_user(&["".into()], &[]).is_err());
    }

    #[test]
    fn only_generated_or_own_keys_are_compared_against_the_cluster() {
        let generated = json!({"metadata": {"annotations": {"ing2gw.io/sources": "a/b"}}});
        let mut live = json!({"metadata": {"name": "r", "annotations": {
            "ing2gw.io/sources": "a/c", "ing2gw.io/old": "1", "other.io/x": "1"}}});
        keep_owned_metadata(&mut live, &generated);
        assert_eq!(
            live,
            json!({"metadata": {"name": "r", "annotations": {"ing2gw.io/sources": "a/c", "ing2gw.io/old": "1"}}})
        );
    }
}
