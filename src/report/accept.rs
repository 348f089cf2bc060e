//! Accepted notifications: a reviewed baseline of known findings, like a lint
//! baseline, so `--fail-on warning` can gate CI without silencing a whole class.
//!
//! An accept entry names a notification code and optionally one object:
//! `CODE`, `CODE:namespace/name` (an Ingress) or `CODE:Kind/namespace/name`
//! (`Kind/name` is not accepted: ambiguous with `namespace/name`; cluster-scoped
//! objects are written `Kind//name`). Kind is compared case-insensitively.
//! Entries come from `--accept` (repeatable) and from the accept file
//! (`.ing2gw-accept.yaml` in the current directory, or `--accept-file PATH`):
//!
//! ```yaml
//! version: 1
//! accept:
//!   - code: catch-all-healthz
//!     reason: our load balancer checks /healthz on a named host
//!   - code: ssl-redirect-trailing-slash
//!     object: shop/web
//!     reason: clients follow the extra 301
//! ```
//!
//! Accepted notifications are not hidden: they stay in `--report` with
//! `"accepted": true` and the reason, and the summary counts them per code; they
//! only stop counting for `--fail-on`. An entry that matches nothing is reported
//! (`accept-unused`, a warning), so a baseline does not rot.

use super::{Code, Notification, ObjectRef, Severity};
use serde::Deserialize;
use std::fmt;
use std::path::Path;

/// An entry that matched no notification.
pub const ACCEPT_UNUSED: Code = Code("accept-unused");
/// The accept file name looked up in the current directory.
pub const DEFAULT_ACCEPT_FILE: &str = ".ing2gw-accept.yaml";
/// The accept-file format version this build reads.
pub const ACCEPT_FILE_VERSION: u32 = 1;

/// Which objects an entry covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectPattern {
    /// Lowercased kind.
    kind: String,
    namespace: Option<String>,
    name: String,
}

impl ObjectPattern {
    /// `namespace/name` (an Ingress), `Kind/namespace/name` or `Kind//name`.
    pub fn parse(s: &str) -> Result<Self, String> {
        let parts: Vec<&str> = s.split('/').collect();
        let (kind, namespace, name) = match parts.as_slice() {
            [ns, name] => ("Ingress", Some(*ns), *name),
            [kind, "", name] => (*kind, None, *name),
            [kind, ns, name] => (*kind, Some(*ns), *name),
            _ => {
                return Err(format!(
                    "object `{s}`: expected namespace/name (an Ingress), Kind/namespace/name or Kind//name"
                ));
            }
        };
        if kind.is_empty() || name.is_empty() || namespace.is_some_and(str::is_empty) {
            return Err(format!("object `{s}`: empty kind, namespace or name"));
        }
        Ok(ObjectPattern {
            kind: kind.to_ascii_lowercase(),
            namespace: namespace.map(str::to_string),
            name: name.to_string(),
        })
    }

    fn matches(&self, o: &ObjectRef) -> bool {
        o.kind.eq_ignore_ascii_case(&self.kind)
            && o.namespace == self.namespace
            && o.name == self.name
    }
}

impl fmt::Display for ObjectPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.namespace {
            Some(ns) => write!(f, "{}/{ns}/{}", self.kind, self.name),
            None => write!(f, "{}//{}", self.kind, self.name),
        }
    }
}

/// One accept entry and where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcceptRule {
    pub code: String,
    pub object: Option<ObjectPattern>,
    pub reason: Option<String>,
    /// `--accept` or `FILE entry N`, for the unused-entry notification.
    pub origin: String,
}

impl AcceptRule {
    /// `CODE` or `CODE:OBJECT` as given to `--accept`.
    pub fn parse_flag(s: &str) -> Result<Self, String> {
        let (code, object) = match s.split_once(':') {
            Some((code, object)) => (code, Some(ObjectPattern::parse(object)?)),
            None => (s, None),
        };
        let code = valid_code(code)?;
        Ok(AcceptRule {
            code,
            object,
            reason: None,
            origin: format!("--accept {s}"),
        })
    }

    fn matches(&self, n: &Notification) -> bool {
        n.code.0 == self.code
            && match (&self.object, &n.object) {
                (None, _) => true,
                (Some(p), Some(o)) => p.matches(o),
                (Some(_), None) => false,
            }
    }
}

fn valid_code(code: &str) -> Result<String, String> {
    let ok = !code.is_empty()
        && code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok {
        Ok(code.to_string())
    } else {
        Err(format!(
            "`{code}` is not a notification code (lowercase letters, digits and '-', e.g. catch-all-healthz)"
        ))
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AcceptFile {
    version: u32,
    #[serde(default)]
    accept: Vec<AcceptEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AcceptEntry {
    code: String,
    #[serde(default)]
    object: Option<String>,
    #[serde(default)]
    reason: Option<String>,
}

/// Parses an accept file's text; `name` is its path, used in messages.
pub fn parse_accept_file(name: &str, text: &str) -> Result<Vec<AcceptRule>, String> {
    let file: AcceptFile = serde_saphyr::from_str(text)
        .map_err(|e| format!("{name}: not a valid accept file: {e}"))?;
    if file.version != ACCEPT_FILE_VERSION {
        return Err(format!(
            "{name}: accept file version {} is not supported (this ing2gw reads version {ACCEPT_FILE_VERSION})",
            file.version
        ));
    }
    file.accept
        .into_iter()
        .enumerate()
        .map(|(i, e)| {
            let origin = format!("{name} entry {}", i + 1);
            let code = valid_code(&e.code).map_err(|m| format!("{origin}: {m}"))?;
            let object = e
                .object
                .as_deref()
                .map(ObjectPattern::parse)
                .transpose()
                .map_err(|m| format!("{origin}: {m}"))?;
            Ok(AcceptRule {
                code,
                object,
                reason: e.reason.filter(|r| !r.trim().is_empty()),
                origin,
            })
        })
        .collect()
}

/// Reads the accept file: `explicit` must exist; without it the default file is
/// read from `dir` when present.
pub fn load_accept_file(explicit: Option<&Path>, dir: &Path) -> Result<Vec<AcceptRule>, String> {
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        None => {
            let p = dir.join(DEFAULT_ACCEPT_FILE);
            if !p.is_file() {
                return Ok(Vec::new());
            }
            p
        }
    };
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read accept file {}: {e}", path.display()))?;
    parse_accept_file(&path.display().to_string(), &text)
}

/// Marks the notifications the rules accept (errors included: an accepted error is
/// a reviewed decision) and returns one `accept-unused` warning per rule that
/// matched nothing. `accept-unused` itself cannot be accepted.
pub fn apply(notes: &mut [Notification], rules: &[AcceptRule]) -> Vec<Notification> {
    let mut used = vec![false; rules.len()];
    for n in notes.iter_mut().filter(|n| n.code != ACCEPT_UNUSED) {
        let Some((i, rule)) = rules.iter().enumerate().find(|(_, r)| r.matches(n)) else {
            continue;
        };
        n.accepted = true;
        n.accepted_reason = rule.reason.clone();
        if let Some(u) = used.get_mut(i) {
            *u = true;
        }
        // Later rules for the same notification count as used too.
        for (j, r) in rules.iter().enumerate().skip(i + 1) {
            if r.matches(n)
                && let Some(u) = used.get_mut(j)
            {
                *u = true;
            }
        }
    }
    rules
        .iter()
        .zip(used)
        .filter(|(_, used)| !used)
        .map(|(r, _)| {
            let what = match &r.object {
                Some(o) => format!("`{}` on {o}", r.code),
                None => format!("`{}`", r.code),
            };
            Notification::new(
                Severity::Warning,
                ACCEPT_UNUSED,
                format!(
                    "{}: accepts {what}, but no such notification was raised",
                    r.origin
                ),
            )
            .suggest("remove the entry (the finding is gone) or fix its code/object")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(code: &'static str, object: Option<ObjectRef>) -> Notification {
        let mut n = Notification::warning(Code(code), "m");
        n.object = object;
        n
    }

    #[test]
    fn objects_parse_as_documented() {
        let ing = ObjectRef::new("Ingress", Some("shop"), "web");
        assert!(ObjectPattern::parse("shop/web").expect("ok").matches(&ing));
        assert!(
            ObjectPattern::parse("ingress/shop/web")
                .expect("ok")
                .matches(&ing)
        );
        let gw = ObjectRef::new("GatewayClass", None, "nginx");
        assert!(
            ObjectPattern::parse("GatewayClass//nginx")
                .expect("ok")
                .matches(&gw)
        );
        for bad in ["web", "a/b/c/d", "/web", "Ingress//", "shop/"] {
            assert!(ObjectPattern::parse(bad).is_err(), "{bad}");
        }
        assert!(AcceptRule::parse_flag("Bad Code").is_err());
    }

    #[test]
    fn accepted_notes_are_marked_and_unused_rules_reported() {
        let ing = ObjectRef::new("Ingress", Some("shop"), "web");
        let mut notes = vec![
            note("catch-all-healthz", None),
            note("ssl-redirect-trailing-slash", Some(ing.clone())),
            note(
                "ssl-redirect-trailing-slash",
                Some(ObjectRef::new("Ingress", Some("a"), "b")),
            ),
        ];
        let mut rules = parse_accept_file(
            "f.yaml",
            "version: 1\naccept:\n  - code: catch-all-healthz\n    reason: lb checks named hosts\n  - {code: ssl-redirect-trailing-slash, object: shop/web}\n  - {code: no-such-code}\n",
        )
        .expect("parses");
        rules.push(AcceptRule::parse_flag("catch-all-healthz").expect("flag"));
        let unused = apply(&mut notes, &rules);
        assert!(notes[0].accepted);
        assert_eq!(
            notes[0].accepted_reason.as_deref(),
            Some("lb checks named hosts")
        );
        assert!(notes[1].accepted);
        assert!(!notes[2].accepted, "another object is not accepted");
        assert_eq!(unused.len(), 1, "{unused:?}");
        assert!(unused[0].message.contains("f.yaml entry 3"));
    }

    #[test]
    fn bad_files_are_errors() {
        assert!(parse_accept_file("f", "version: 2\naccept: []\n").is_err());
        assert!(parse_accept_file("f", "version: 1\naccept: [{code: x, objekt: a/b}]\n").is_err());
        assert!(parse_accept_file("f", "accept: []\n").is_err());
    }
}
