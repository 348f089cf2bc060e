//! nginx location selection (`ngx_http_core_find_config_phase`) over a server's
//! locations in configuration order, including the trailing-slash auto-redirect
//! (reference §2.6, §2.9).

use super::{Location, LocationKind, Modifier};
use std::collections::HashMap;

/// A server's locations by name, so selecting one for a URI looks up the few
/// it can be instead of walking all of them (a regex-mode host with thousands
/// of locations made every probe walk all of them, several times).
///
/// The regex locations are grouped by the lower-cased literal their matches
/// start with; candidates are still evaluated in configuration order, so the
/// first match is the one nginx picks. The exact and prefix locations are
/// grouped by name: the URI's own prefixes are the only names that can match.
#[derive(Debug, Clone, Default)]
pub(crate) struct LocationIndex {
    /// Key → indices (ascending) of the regex locations with that key.
    by_key: HashMap<String, Vec<usize>>,
    /// All regex locations in order: the candidates for a non-ASCII URI, where
    /// the keys (ASCII only) say nothing.
    all: Vec<usize>,
    /// Distinct key lengths, ascending: the URI prefixes worth looking up.
    lengths: Vec<usize>,
    /// Name → indices (ascending) of the non-regex locations with that name.
    by_name: HashMap<String, Vec<usize>>,
    /// Distinct lengths of the prefix locations' names, ascending.
    prefix_lengths: Vec<usize>,
}

impl LocationIndex {
    pub(crate) fn new(locs: &[Location]) -> Self {
        let mut index = LocationIndex::default();
        let mut prefix_lengths = Vec::new();
        for (i, l) in locs.iter().enumerate() {
            if l.modifier != Modifier::Regex {
                index.by_name.entry(l.name.clone()).or_default().push(i);
                if l.modifier == Modifier::Prefix {
                    prefix_lengths.push(l.name.len());
                }
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
        prefix_lengths.sort_unstable();
        prefix_lengths.dedup();
        index.prefix_lengths = prefix_lengths;
        index
    }

    /// Indices (ascending) of the non-regex locations named `name`.
    fn named(&self, name: &str) -> &[usize] {
        self.by_name
            .get(name)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// The longest prefix location `uri` starts with; among locations of the
    /// same name, the last (what a `max_by_key` over all of them picks).
    fn longest_prefix(&self, locs: &[Location], uri: &str) -> Option<usize> {
        self.prefix_lengths
            .iter()
            .rev()
            .filter_map(|&len| uri.get(..len))
            .find_map(|head| {
                (self.named(head).iter().rev()).find(|&&i| locs[i].modifier == Modifier::Prefix)
            })
            .copied()
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
pub(crate) fn select(locs: &[Location], index: &LocationIndex, uri: &str) -> Selected {
    // An exact-length hit: `= uri` wins outright; a prefix named `uri` is the
    // longest prefix (regexes still get their turn).
    let same_name = index.named(uri);
    if let Some(&i) = same_name
        .iter()
        .find(|&&i| locs[i].modifier == Modifier::Exact)
    {
        return Selected::Location(i);
    }
    if same_name.is_empty() {
        let with_slash = format!("{uri}/");
        if let Some(&i) = (index.named(&with_slash).iter()).find(|&&i| auto_redirect(&locs[i])) {
            return Selected::AutoRedirect(i);
        }
    }
    let longest = index.longest_prefix(locs, uri);
    for i in index.candidates(uri) {
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

#[cfg(test)]
mod tests {
    use super::super::{Pcre, Upstream};
    use super::*;

    fn loc(modifier: Modifier, name: &str) -> Location {
        Location {
            modifier,
            name: name.to_string(),
            path: name.to_string(),
            exact: modifier == Modifier::Exact,
            ingress: None,
            upstream: Upstream::Default,
            kind: LocationKind::Ingress,
            implicit: false,
            no_rewrite_redirect: false,
            regex: (modifier == Modifier::Regex).then(|| Pcre::new(&format!("^{name}"), true)),
            rewrite: None,
        }
    }

    /// The selection as a walk over every location (before the index).
    fn walk(locs: &[Location], uri: &str) -> Selected {
        let statics = || (locs.iter().enumerate()).filter(|(_, l)| l.modifier != Modifier::Regex);
        if let Some((i, _)) =
            statics().find(|(_, l)| l.modifier == Modifier::Exact && l.name == uri)
        {
            return Selected::Location(i);
        }
        if !statics().any(|(_, l)| l.name == uri) {
            let with_slash = format!("{uri}/");
            if let Some((i, _)) = statics().find(|(_, l)| l.name == with_slash && auto_redirect(l))
            {
                return Selected::AutoRedirect(i);
            }
        }
        let longest = statics()
            .filter(|(_, l)| l.modifier == Modifier::Prefix && uri.starts_with(l.name.as_str()))
            .max_by_key(|(_, l)| l.name.len())
            .map(|(i, _)| i);
        for (i, l) in locs.iter().enumerate() {
            if let Some(re) = &l.regex {
                match re.is_match(uri) {
                    Ok(true) => return Selected::Location(i),
                    Ok(false) => {}
                    Err(e) => return Selected::NotModelled(e),
                }
            }
        }
        longest.map_or(Selected::None, Selected::Location)
    }

    #[test]
    fn indexed_selection_is_the_walk() {
        use Modifier::*;
        let locs = vec![
            loc(Prefix, "/"),
            loc(Prefix, "/api/"),
            loc(Exact, "/api"),
            loc(Prefix, "/api/"),
            loc(Prefix, "/api/v1"),
            loc(Exact, "/exact"),
            loc(Prefix, "/exact"),
            loc(Prefix, "/dir/"),
            loc(Prefix, "/é/"),
            loc(Regex, "/img/[0-9]+"),
            loc(Regex, "/IMG/x"),
            loc(Regex, ".*\\.php"),
            loc(Prefix, "/api/v1/users"),
            loc(Exact, "/api/v1/users"),
        ];
        let index = LocationIndex::new(&locs);
        let uris = [
            "/",
            "",
            "/api",
            "/api/",
            "/api/v1",
            "/api/v1/",
            "/api/v1/users",
            "/api/v1/usersx",
            "/api/v2",
            "/exact",
            "/exact/",
            "/dir",
            "/dir/",
            "/dir/x",
            "/é",
            "/é/",
            "/é/x",
            "/img/12",
            "/Img/12",
            "/img/x",
            "/IMG/X",
            "/a.php",
            "/other",
        ];
        for uri in uris {
            assert_eq!(select(&locs, &index, uri), walk(&locs, uri), "{uri}");
        }
        // Duplicate prefix names: the last one, as before.
        assert_eq!(select(&locs, &index, "/api/x"), Selected::Location(3));
        assert_eq!(select(&locs, &index, "/dir"), Selected::AutoRedirect(7));
    }
}
