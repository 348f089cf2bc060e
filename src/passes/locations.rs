//! How ingress-nginx turns a host's paths into nginx locations (shared by passes).
//!
//! Locations are sorted by the length of the path as written (longest first), ties
//! in reverse byte order, equal paths in insertion order (`getBackendServers`).
//! Prefix `P` then expands in place to `"P/"` plus an exact copy `= "P"` unless its
//! own Ingress uses regex/rewrite or an Exact `P` exists (`updateServerLocations`).

use crate::ir::Rule;

/// Indices of `rules` in nginx location order (only rules that came from an Ingress path).
pub fn location_order(rules: &[Rule]) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..rules.len())
        .filter(|&i| rules[i].from.path.is_some())
        .collect();
    idx.sort_by(|&a, &b| compare_paths(&rules[a].source_path.path, &rules[b].source_path.path));
    idx
}

/// ingress-nginx's location order of two paths as written: longer first, equal
/// length in reverse byte order; equal paths compare equal (a stable sort keeps
/// insertion order).
pub fn compare_paths(a: &str, b: &str) -> std::cmp::Ordering {
    b.len()
        .cmp(&a.len())
        .then_with(|| b.as_bytes().cmp(a.as_bytes()))
}

/// One location before `updateServerLocations`: its path, whether it is Exact, and
/// whether its own Ingress uses regex or a rewrite (which suppresses the expansion).
#[derive(Debug, Clone, Copy)]
pub struct PathLocation<'a> {
    pub path: &'a str,
    pub exact: bool,
    pub own_regex: bool,
}

/// The nginx location names one path expands to, `(name, exact)`, given whether an
/// Exact location with the same path exists on the host (`updateServerLocations`).
pub fn expand(loc: PathLocation, exact_twin: bool) -> Vec<(String, bool)> {
    let p = loc.path;
    if p == "/" || loc.exact || loc.own_regex {
        return vec![(p.to_string(), loc.exact)];
    }
    let with_slash = if p.ends_with('/') {
        p.to_string()
    } else {
        format!("{p}/")
    };
    if exact_twin {
        vec![(with_slash, false)]
    } else {
        vec![(with_slash, false), (p.to_string(), true)]
    }
}

/// The nginx location names of a plain-mode host: `(name, exact)`.
pub fn plain_location_names(rules: &[Rule]) -> Vec<(String, bool)> {
    let exact: std::collections::BTreeSet<&str> = rules
        .iter()
        .filter(|r| r.from.path.is_some() && r.source_path.path_type.is_exact())
        .map(|r| r.source_path.path.as_str())
        .collect();
    let mut names = Vec::new();
    for r in rules.iter().filter(|r| r.from.path.is_some()) {
        let p = &r.source_path.path;
        if r.source_path.path_type.is_exact() || p == "/" {
            names.push((p.clone(), r.source_path.path_type.is_exact()));
            continue;
        }
        let with_slash = if p.ends_with('/') {
            p.clone()
        } else {
            format!("{p}/")
        };
        names.push((with_slash, false));
        if !exact.contains(p.as_str()) {
            names.push((p.clone(), true));
        }
    }
    names
}
