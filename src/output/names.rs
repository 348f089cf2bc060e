//! Path components of `--output-dir`, built only from validated Kubernetes names.
//!
//! The file of an object is `<namespace>/<kind>-<name>.yaml`. Namespace and name come
//! from the input (a pull request can set `metadata.namespace: ../../x`), so every
//! component is checked before it becomes part of a path: a namespace must be a
//! DNS-1123 label, a name a DNS-1123 subdomain, the kind ASCII letters only. Those
//! alphabets contain no `/`, no NUL and no leading `.`, so the relative path can
//! neither climb out of the folder nor be absolute; [`ObjectPath::under`] checks that
//! again lexically after joining (defence in depth). Since a kind has no `-`, the
//! file name `<kind>-<name>` is injective: two identities never share a file.

use crate::emit::names::short_hash;
use std::fmt;
use std::path::{Component, Path, PathBuf};

/// Folder for cluster-scoped objects (no namespace); `_` is not valid in a
/// namespace, so it cannot clash with one.
pub const CLUSTER_SCOPED_DIR: &str = "_cluster";

/// Longest DNS-1123 label (namespaces).
const LABEL_MAX: usize = 63;
/// Longest DNS-1123 subdomain (object names).
const SUBDOMAIN_MAX: usize = 253;
/// Longest kind we write; real kinds are far shorter.
const KIND_MAX: usize = 63;
/// Longest file name most file systems accept (NAME_MAX).
pub const FILE_NAME_MAX: usize = 255;

/// A DNS-1123 label: lowercase letters, digits and `-`, starting and ending with a
/// letter or digit, at most 63 characters (namespace names).
pub fn is_dns1123_label(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= LABEL_MAX
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// A DNS-1123 subdomain: dot-separated labels (each non-empty, lowercase letters,
/// digits and `-`, no `-` at either end), at most 253 characters (object names).
pub fn is_dns1123_subdomain(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= SUBDOMAIN_MAX
        && s.split('.').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !part.starts_with('-')
                && !part.ends_with('-')
        })
}

/// `<kind>-<name>.yaml`, shortened to [`FILE_NAME_MAX`] bytes with a hash of the
/// full name when needed: a valid 253-character name would otherwise make a file
/// name the file system refuses. The shortened stem is still a valid subdomain, so
/// [`ObjectPath::parse`] reads it back to the same path.
fn file_name(kind: &str, name: &str) -> String {
    let full = format!("{kind}-{name}.yaml");
    if full.len() <= FILE_NAME_MAX {
        return full;
    }
    let hash = short_hash(name);
    let keep = FILE_NAME_MAX.saturating_sub(kind.len() + hash.len() + ".yaml".len() + 2);
    // Names are ASCII (validated), so any byte index is a char boundary.
    let head = name.get(..keep.min(name.len())).unwrap_or_default();
    let head = head.trim_end_matches(['-', '.']);
    format!("{kind}-{head}-{hash}.yaml")
}

/// Which part of an object's identity cannot be used in a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InvalidComponent {
    Kind(String),
    Namespace(String),
    Name(String),
}

impl fmt::Display for InvalidComponent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Debug formatting escapes newlines, NUL and terminal escapes: the value
        // came from the input and is shown, never interpreted.
        match self {
            InvalidComponent::Kind(k) => write!(f, "kind {k:?} is not ASCII letters"),
            InvalidComponent::Namespace(n) => write!(
                f,
                "namespace {n:?} is not a DNS-1123 label (lowercase letters, digits, '-', at most 63)"
            ),
            InvalidComponent::Name(n) => write!(
                f,
                "name {n:?} is not a DNS-1123 subdomain (lowercase letters, digits, '-', '.', at most 253)"
            ),
        }
    }
}

/// The relative path of one object's file, made of validated components only.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectPath {
    dir: String,
    file: String,
}

impl ObjectPath {
    /// `<namespace or _cluster>/<kind lowercased>-<name>.yaml`, or which component is invalid.
    pub fn new(kind: &str, namespace: &str, name: &str) -> Result<Self, InvalidComponent> {
        let kind_ok = !kind.is_empty()
            && kind.len() <= KIND_MAX
            && kind.bytes().all(|b| b.is_ascii_alphabetic());
        if !kind_ok {
            return Err(InvalidComponent::Kind(kind.to_string()));
        }
        let dir = if namespace.is_empty() {
            CLUSTER_SCOPED_DIR.to_string()
        } else if is_dns1123_label(namespace) {
            namespace.to_string()
        } else {
            return Err(InvalidComponent::Namespace(namespace.to_string()));
        };
        if !is_dns1123_subdomain(name) {
            return Err(InvalidComponent::Name(name.to_string()));
        }
        Ok(ObjectPath {
            dir,
            file: file_name(&kind.to_ascii_lowercase(), name),
        })
    }

    /// Parses a path as written in the manifest of an earlier run (`ns/kind-name.yaml`);
    /// `None` for anything this writer would not have produced, so a tampered
    /// manifest cannot name a file elsewhere.
    pub fn parse(rel: &str) -> Option<Self> {
        let (dir, file) = rel.split_once('/')?;
        let stem = file.strip_suffix(".yaml")?;
        let (kind, name) = stem.split_once('-')?;
        let namespace = if dir == CLUSTER_SCOPED_DIR { "" } else { dir };
        let parsed = ObjectPath::new(kind, namespace, name).ok()?;
        // Only the lowercase spelling is ours.
        (parsed.file == file).then_some(parsed)
    }

    /// The folder under the output directory.
    pub fn dir(&self) -> &str {
        &self.dir
    }

    /// The file name inside [`ObjectPath::dir`].
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The absolute (or caller-relative) path under `root`; `None` if the joined
    /// path is not lexically inside `root` (cannot happen for validated
    /// components, checked anyway).
    pub fn under(&self, root: &Path) -> Option<PathBuf> {
        let rel = Path::new(&self.dir).join(&self.file);
        let normal = rel.components().all(|c| matches!(c, Component::Normal(_)));
        if !normal || rel.components().count() != 2 {
            return None;
        }
        let joined = root.join(&rel);
        joined.starts_with(root).then_some(joined)
    }
}

impl fmt::Display for ObjectPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.dir, self.file)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_subdomains() {
        assert!(is_dns1123_label("team-a"));
        assert!(is_dns1123_label("a"));
        assert!(!is_dns1123_label(""));
        assert!(!is_dns1123_label(".."));
        assert!(!is_dns1123_label("a.b"));
        assert!(!is_dns1123_label("-a"));
        assert!(!is_dns1123_label("Team"));
        assert!(!is_dns1123_label(&"a".repeat(64)));
        assert!(is_dns1123_subdomain("shop.example.com"));
        assert!(!is_dns1123_subdomain("a..b"));
        assert!(!is_dns1123_subdomain(".a"));
        assert!(!is_dns1123_subdomain("a/b"));
        assert!(!is_dns1123_subdomain("a\nb"));
        assert!(!is_dns1123_subdomain(&"a".repeat(254)));
    }

    #[test]
    fn traversal_is_rejected() {
        for ns in ["..", "../../x", "/etc", "a/b", ".", "x\0y", "ns\n- evil"] {
            assert_eq!(
                ObjectPath::new("HTTPRoute", ns, "web"),
                Err(InvalidComponent::Namespace(ns.to_string())),
                "{ns:?}"
            );
        }
        for name in ["..", "../x", "/abs", "a/b", ".hidden", ""] {
            assert!(
                ObjectPath::new("HTTPRoute", "web", name).is_err(),
                "{name:?}"
            );
        }
        for kind in ["", "HTTP/Route", "..", "Http-Route"] {
            assert!(ObjectPath::new(kind, "web", "a").is_err(), "{kind:?}");
        }
    }

    #[test]
    fn valid_identities_map_to_one_file() {
        let p = ObjectPath::new("HTTPRoute", "web", "shop.example.com").expect("valid");
        assert_eq!(p.to_string(), "web/httproute-shop.example.com.yaml");
        let root = Path::new("/out");
        assert_eq!(
            p.under(root),
            Some(PathBuf::from("/out/web/httproute-shop.example.com.yaml"))
        );
        let c = ObjectPath::new("GatewayClass", "", "nginx").expect("valid");
        assert_eq!(c.to_string(), "_cluster/gatewayclass-nginx.yaml");
        assert_eq!(ObjectPath::parse(&p.to_string()), Some(p));
        assert_eq!(ObjectPath::parse(&c.to_string()), Some(c));
    }

    #[test]
    fn long_names_get_a_short_unique_file_name() {
        let a = format!("{}.example.com", "a".repeat(241));
        let b = format!("{}.example.org", "a".repeat(241));
        assert!(is_dns1123_subdomain(&a) && a.len() == 253);
        let pa = ObjectPath::new("HTTPRoute", "web", &a).expect("valid");
        let pb = ObjectPath::new("HTTPRoute", "web", &b).expect("valid");
        assert!(pa.file().len() <= FILE_NAME_MAX, "{}", pa.file().len());
        assert_ne!(pa, pb);
        assert_eq!(ObjectPath::parse(&pa.to_string()), Some(pa));
    }

    #[test]
    fn manifest_entries_outside_the_shape_are_refused() {
        for rel in [
            "../x/httproute-a.yaml",
            "web/../httproute-a.yaml",
            "/etc/passwd",
            "web/httproute-a.yml",
            "web/HTTPRoute-a.yaml",
            "kustomization.yaml",
            "web/sub/httproute-a.yaml",
            "web/httproute-.yaml",
        ] {
            assert_eq!(ObjectPath::parse(rel), None, "{rel}");
        }
    }
}
