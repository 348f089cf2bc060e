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
    idx.sort_by(|&a, &b| {
        let (pa, pb) = (&rules[a].source_path.path, &rules[b].source_path.path);
        pb.len()
            .cmp(&pa.len())
            .then_with(|| pb.as_bytes().cmp(pa.as_bytes()))
    });
    idx
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
