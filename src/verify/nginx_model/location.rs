//! nginx location selection (`ngx_http_core_find_config_phase`) over a server's
//! locations in configuration order, including the trailing-slash auto-redirect
//! (reference §2.6, §2.9).

use super::{Location, LocationKind, Modifier};
use std::collections::HashMap;

/// The regex locations of a server grouped by the lower-cased literal their
/// matches start with, so a URI is tried only against the regexes that may
/// match it (a regex-mode host with thousands of locations made every probe
/// walk all of them). Candidates are still evaluated in configuration order,
/// so the first match is the one nginx picks.
#[derive(Debug, Clone, Default)]
pub(crate) struct RegexIndex {
    /// Key → indices (ascending) of the regex locations with that key.
    by_key: HashMap<String, Vec<usize>>,
    /// All regex locations in order: the candidates for a non-ASCII URI, where
    /// the keys (ASCII only) say nothing.
    all: Vec<usize>,
    /// Distinct key lengths, ascending: the URI prefixes worth looking up.
    lengths: Vec<usize>,
}

impl RegexIndex {
    pub(crate) fn new(locs: &[Location]) -> Self {
        let mut index = RegexIndex::default();
        for (i, l) in locs.iter().enumerate() {
            if l.modifier != Modifier::Regex {
                continue;
            }
            let Some(re) = &l.regex else { continue };
            index.all.push(i);
            index.by_key.entry(re.index_key()).or_default().push(i);
        }
        let mut lengths: Vec<usize> = index.by_key.keys().map(String::len).collect();
        lengths.sort_unstable();
        lengths.dedup();
        index.lengths = lengths;
        index
    }

    /// Indices of the regex locations that may match `uri`, ascending.
    fn candidates(&self, uri: &str) -> Vec<usize> {
        if !uri.is_ascii() {
            return self.all.clone();
        }
        let lower = uri.to_ascii_lowercase();
        let mut found: Vec<usize> = Vec::new();
        for &len in &self.lengths {
            let Some(head) = lower.get(..len) else { break };
            if let Some(ids) = self.by_key.get(head) {
                found.extend_from_slice(ids);
            }
        }
        found.sort_unstable();
        found
    }
}

/// Result of location selection for a normalised URI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selected {
    /// The location at this index handles the request.
    Location(usize),
    /// `auto_redirect`: 301 to the location (index) named `uri + "/"`.
    AutoRedirect(usize),
    /// No location matched (nginx would serve its static root).
    None,
    /// A regex on the way could not be evaluated.
    NotModelled(String),
}

/// Whether nginx sets `auto_redirect` for the location: its name ends with `/`
/// and it has a `*_pass` (every Ingress location has one).
fn auto_redirect(l: &Location) -> bool {
    l.kind == LocationKind::Ingress && l.name.ends_with('/')
}

/// Selects the location for `uri` among `locs` (in configuration order).
pub(crate) fn select(locs: &[Location], regexes: &RegexIndex, uri: &str) -> Selected {
    let static_locs = || {
        locs.iter()
            .enumerate()
            .filter(|(_, l)| l.modifier != Modifier::Regex)
    };
    // An exact-length hit: `= uri` wins outright; a prefix named `uri` is the
    // longest prefix (regexes still get their turn).
    if let Some((i, _)) =
        static_locs().find(|(_, l)| l.modifier == Modifier::Exact && l.name == uri)
    {
        return Selected::Location(i);
    }
    let exact_len_prefix = static_locs().any(|(_, l)| l.name == uri);
    if !exact_len_prefix {
        let with_slash = format!("{uri}/");
        if let Some((i, _)) = static_locs().find(|(_, l)| l.name == with_slash && auto_redirect(l))
        {
            return Selected::AutoRedirect(i);
        }
    }
    let longest = static_locs()
        .filter(|(_, l)| l.modifier == Modifier::Prefix && uri.starts_with(l.name.as_str()))
        .max_by_key(|(_, l)| l.name.len())
        .map(|(i, _)| i);
    for i in regexes.candidates(uri) {
        let Some(re) = locs.get(i).and_then(|l| l.regex.as_ref()) else {
            continue;
        };
        match re.is_match(uri) {
            Ok(true) => return Selected::Location(i),
            Ok(false) => {}
            Err(e) => return Selected::NotModelled(e),
        }
    }
    match longest {
        Some(i) => Selected::Location(i),
        None => Selected::None,
    }
}
