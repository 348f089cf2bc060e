//! The matches of a set of routes indexed by path, so a probe evaluates only
//! the matches its path can satisfy.
//!
//! A regex-mode host with thousands of paths becomes hundreds of routes with
//! thousands of rules; walking all of them for every probe made verify
//! quadratic in the paths of one host. The index gives, for a path, a superset
//! of the matches whose path condition holds — every other match answers "no
//! match" — in the order the walk visits them (route, rule, match), so
//! [`super::rules::select`] sees the same matches in the same order and its
//! precedence and tie-breakers (every implementation's) are unchanged.

use super::rules::{CompiledRoute, PathMatch};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

/// Where a match sits: (route position in the set, rule, match in the rule).
pub(super) type Slot = (usize, usize, usize);

/// Below this many matches a walk is as cheap as the index (and the common
/// host of a few paths does not build one).
const INDEX_FROM: usize = 64;

/// The matches of one route set by the paths they accept.
#[derive(Debug, Default)]
pub(super) struct MatchIndex {
    /// Every match in walk order; the lists below hold positions in it.
    slots: Vec<Slot>,
    /// Matches every path may reach: a PathPrefix of `/`, and invalid path
    /// matches (which answer "not understood" whatever the path).
    always: Vec<usize>,
    /// Exact paths.
    exact: HashMap<String, Vec<usize>>,
    /// PathPrefix values without their trailing `/`.
    prefix: HashMap<String, Vec<usize>>,
    /// Distinct key lengths of `prefix`, ascending.
    prefix_lengths: Vec<usize>,
    /// Regexes by the lower-cased literal their matches start with
    /// (`RequiredPrefix::caseless_literal`, sound for ASCII paths).
    regex: HashMap<String, Vec<usize>>,
    /// Distinct key lengths of `regex`, ascending.
    regex_lengths: Vec<usize>,
    /// Every regex: the candidates for a non-ASCII path.
    regex_all: Vec<usize>,
}

impl MatchIndex {
    /// `None` when the set is small enough to walk.
    pub(super) fn build(routes: &[&CompiledRoute]) -> Option<MatchIndex> {
        let total: usize = routes
            .iter()
            .flat_map(|r| &r.rules)
            .map(|rule| rule.matches.len())
            .sum();
        if total < INDEX_FROM {
            return None;
        }
        let mut index = MatchIndex::default();
        for (route_index, route) in routes.iter().enumerate() {
            for (rule_pos, rule) in route.rules.iter().enumerate() {
                for (match_index, m) in rule.matches.iter().enumerate() {
                    let at = index.slots.len();
                    index.slots.push((route_index, rule_pos, match_index));
                    match &m.path {
                        PathMatch::Exact(v) => index.exact.entry(v.clone()).or_default().push(at),
                        PathMatch::Prefix(v) => {
                            let key = v.trim_end_matches('/');
                            if key.is_empty() {
                                index.always.push(at);
                            } else {
                                index.prefix.entry(key.to_string()).or_default().push(at);
                            }
                        }
                        PathMatch::Regex(_) => {
                            index.regex_all.push(at);
                            let key = m.path_prefix().caseless_literal();
                            index.regex.entry(key).or_default().push(at);
                        }
                        PathMatch::Invalid(_) => index.always.push(at),
                    }
                }
            }
        }
        index.prefix_lengths = lengths(&index.prefix);
        index.regex_lengths = lengths(&index.regex);
        Some(index)
    }

    /// The matches `path` may satisfy, in walk order.
    pub(super) fn candidates(&self, path: &str) -> Vec<Slot> {
        let mut found: Vec<usize> = self.always.clone();
        if let Some(ids) = self.exact.get(path) {
            found.extend_from_slice(ids);
        }
        let bytes = path.as_bytes();
        for &len in &self.prefix_lengths {
            if len > bytes.len() {
                break;
            }
            // `prefix_matches`: the path is the prefix, or continues with `/`
            // (so `len` is a character boundary).
            if (len == bytes.len() || bytes[len] == b'/')
                && let Some(ids) = self.prefix.get(&path[..len])
            {
                found.extend_from_slice(ids);
            }
        }
        if path.is_ascii() {
            let lower = path.to_ascii_lowercase();
            for &len in &self.regex_lengths {
                let Some(head) = lower.get(..len) else { break };
                if let Some(ids) = self.regex.get(head) {
                    found.extend_from_slice(ids);
                }
            }
        } else {
            found.extend_from_slice(&self.regex_all);
        }
        found.sort_unstable();
        found.dedup();
        found.into_iter().map(|i| self.slots[i]).collect()
    }
}

fn lengths(map: &HashMap<String, Vec<usize>>) -> Vec<usize> {
    let mut out: Vec<usize> = map.keys().map(String::len).collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Indexes by route set (the positions of its routes in the model), built on
/// first use: the probes of a host share one. Shared by the probe threads.
#[derive(Debug, Default)]
pub(super) struct MatchIndexes(RwLock<HashMap<Vec<usize>, Option<Arc<MatchIndex>>>>);

impl Clone for MatchIndexes {
    /// A clone starts empty (a cache, rebuilt on use).
    fn clone(&self) -> Self {
        MatchIndexes::default()
    }
}

impl MatchIndexes {
    /// The index of `routes` (`None`: walk them).
    pub(super) fn get(&self, routes: &[&CompiledRoute]) -> Option<Arc<MatchIndex>> {
        let key: Vec<usize> = routes.iter().map(|r| r.position).collect();
        if let Some(found) = self.0.read().ok().and_then(|m| m.get(&key).cloned()) {
            return found;
        }
        let built = MatchIndex::build(routes).map(Arc::new);
        if let Ok(mut m) = self.0.write() {
            m.entry(key).or_insert_with(|| built.clone());
        }
        built
    }
}
