//! Compiled HTTPRoute rules and the spec's match precedence.

use super::match_index::{MatchIndex, Slot};
use super::path::query_pairs;
use super::precedence::{self, Implementation, MatchFacts, PathKind};
use crate::gwapi::{HttpRoute, HttpRouteMatch, HttpRouteRule, ParentReference};
use crate::paths::prefix::RequiredPrefix;
use crate::verify::matcher::Matcher;
use crate::verify::request::Probe;
use std::cmp::Reverse;

#[derive(Debug, Clone)]
pub struct CompiledRoute {
    /// Position in the model's (sorted) routes: identifies a route set.
    pub position: usize,
    pub namespace: String,
    pub name: String,
    pub hostnames: Vec<String>,
    pub parent_refs: Vec<ParentReference>,
    pub rules: Vec<CompiledRule>,
}

#[derive(Debug, Clone)]
pub struct CompiledRule {
    pub index: usize,
    pub rule: HttpRouteRule,
    pub matches: Vec<CompiledMatch>,
    /// Indices of backendRefs that are not resolved (another namespace without
    /// a ReferenceGrant): requests sent to them answer 500.
    pub refused: Vec<usize>,
    /// Indices of RequestMirror filters whose Service is in another namespace
    /// without a ReferenceGrant: the Gateway does not mirror there.
    pub refused_mirrors: Vec<usize>,
}

impl CompiledRule {
    /// Whether a filter rewrites the path or redirects (a redirect's `Location`
    /// carries the request path unless replaced).
    pub fn modifies_path(&self) -> bool {
        self.rule.filters.iter().any(|f| {
            f.url_rewrite.as_ref().is_some_and(|r| r.path.is_some())
                || f.request_redirect.is_some()
                || f.extension_ref.is_some()
        })
    }

    /// The rule's `name`, or `rules[i]` when it has none.
    pub fn display_name(&self) -> String {
        self.rule
            .name
            .clone()
            .unwrap_or_else(|| format!("rules[{}]", self.index))
    }
}

#[derive(Debug, Clone)]
pub enum PathMatch {
    Exact(String),
    Prefix(String),
    Regex(Matcher),
    /// A regex the model cannot compile, or an unknown match type.
    Invalid(String),
}

#[derive(Debug, Clone)]
enum ValueMatch {
    Exact(String),
    Regex(Matcher),
    Invalid(String),
}

#[derive(Debug, Clone)]
pub struct CompiledMatch {
    pub path: PathMatch,
    /// What every path the regex matches starts with: a host with thousands of
    /// regex rules runs the engine only on the few that can match.
    path_prefix: RequiredPrefix,
    /// The path value as written (implementations rank regexes by its length).
    value: String,
    method: Option<String>,
    headers: Vec<(String, ValueMatch)>,
    query: Vec<(String, ValueMatch)>,
}

impl CompiledRoute {
    pub fn new(r: &HttpRoute) -> Self {
        CompiledRoute {
            position: 0,
            namespace: r
                .metadata
                .namespace
                .clone()
                .unwrap_or_else(|| "default".into()),
            name: r.metadata.name.clone(),
            hostnames: r.spec.hostnames.clone(),
            parent_refs: r.spec.parent_refs.clone(),
            rules: r
                .spec
                .rules
                .iter()
                .enumerate()
                .map(|(index, rule)| CompiledRule {
                    index,
                    refused: Vec::new(),
                    refused_mirrors: Vec::new(),
                    rule: rule.clone(),
                    matches: if rule.matches.is_empty() {
                        vec![compile(&HttpRouteMatch::default())]
                    } else {
                        rule.matches.iter().map(compile).collect()
                    },
                })
                .collect(),
        }
    }
}

/// Full-match regex (Gateway API implementations match the whole path); only
/// ever asked whether it matches, so a [`Matcher`].
fn full_regex(v: &str) -> Result<Matcher, String> {
    full_regex_parsed(v).map(|(m, _)| m)
}

/// [`full_regex`] and what every path it accepts starts with, read off the
/// same parse (off the text of a plain pattern, which is not parsed).
fn full_regex_parsed(v: &str) -> Result<(Matcher, RequiredPrefix), String> {
    let full = format!("^(?:{v})$");
    let not_understood = |e: regex::Error| format!("regex `{v}` is not understood: {e}");
    if let Some(prefix) = RequiredPrefix::of_plain(v, false) {
        return Ok((Matcher::new(&full).map_err(not_understood)?, prefix));
    }
    let (m, hir) = Matcher::parsed(&full).map_err(not_understood)?;
    // The parse of `^(?:v)$` has `v`'s fixed start (the anchors are zero-width).
    let prefix = hir.map_or_else(
        || RequiredPrefix::anchored(v),
        |h| RequiredPrefix::of_hir(&h),
    );
    Ok((m, prefix))
}

fn compile(m: &HttpRouteMatch) -> CompiledMatch {
    let (ty, value) = match &m.path {
        Some(p) => (
            p.match_type.as_deref().unwrap_or("PathPrefix"),
            p.value.as_deref().unwrap_or("/"),
        ),
        None => ("PathPrefix", "/"),
    };
    let mut regex_prefix = RequiredPrefix::any();
    let path = match ty {
        "Exact" => PathMatch::Exact(value.to_string()),
        "PathPrefix" => PathMatch::Prefix(value.to_string()),
        "RegularExpression" => match full_regex_parsed(value) {
            Ok((r, prefix)) => {
                regex_prefix = prefix;
                PathMatch::Regex(r)
            }
            Err(e) => PathMatch::Invalid(e),
        },
        other => PathMatch::Invalid(format!("path match type `{other}` is unknown")),
    };
    let value_match = |ty: Option<&str>, v: &str| match ty.unwrap_or("Exact") {
        "Exact" => ValueMatch::Exact(v.to_string()),
        "RegularExpression" => match full_regex(v) {
            Ok(r) => ValueMatch::Regex(r),
            Err(e) => ValueMatch::Invalid(e),
        },
        other => ValueMatch::Invalid(format!("match type `{other}` is unknown")),
    };
    // Only the first entry of an equivalent (case-insensitive) header name counts.
    let mut headers: Vec<(String, ValueMatch)> = Vec::new();
    for h in &m.headers {
        let name = h.name.to_ascii_lowercase();
        if !headers.iter().any(|(n, _)| *n == name) {
            headers.push((name, value_match(h.match_type.as_deref(), &h.value)));
        }
    }
    let mut query: Vec<(String, ValueMatch)> = Vec::new();
    for q in &m.query_params {
        if !query.iter().any(|(n, _)| *n == q.name) {
            query.push((
                q.name.clone(),
                value_match(q.match_type.as_deref(), &q.value),
            ));
        }
    }
    CompiledMatch {
        path,
        path_prefix: regex_prefix,
        value: value.to_string(),
        method: m.method.clone(),
        headers,
        query,
    }
}

/// PathPrefix semantics: element-wise, a trailing `/` of the prefix ignored.
pub fn prefix_matches(prefix: &str, path: &str) -> bool {
    let p = prefix.trim_end_matches('/');
    p.is_empty()
        || path == p
        || path
            .strip_prefix(p)
            .is_some_and(|rest| rest.starts_with('/'))
}

enum Eval {
    Yes,
    No,
    Unknown(String),
}

impl ValueMatch {
    fn eval(&self, v: Option<&str>) -> Eval {
        match (self, v) {
            (ValueMatch::Invalid(e), _) => Eval::Unknown(e.clone()),
            (_, None) => Eval::No,
            (ValueMatch::Exact(x), Some(v)) if x == v => Eval::Yes,
            (ValueMatch::Regex(r), Some(v)) if r.is_match(v) => Eval::Yes,
            _ => Eval::No,
        }
    }
}

impl CompiledMatch {
    /// What every path a regex match accepts starts with (no constraint for
    /// the other path types).
    pub(super) fn path_prefix(&self) -> &RequiredPrefix {
        &self.path_prefix
    }

    fn eval(&self, probe: &Probe, path: &str, query: Option<&str>) -> Eval {
        let path_ok = match &self.path {
            PathMatch::Exact(v) => v == path,
            PathMatch::Prefix(v) => prefix_matches(v, path),
            PathMatch::Regex(r) => self.path_prefix.may_match(path) && r.is_match(path),
            PathMatch::Invalid(e) => return Eval::Unknown(e.clone()),
        };
        if !path_ok || self.method.as_deref().is_some_and(|m| m != probe.method) {
            return Eval::No;
        }
        let mut unknown = None;
        for (name, vm) in &self.headers {
            let value = if name == "host" {
                Some(probe.host.as_str())
            } else {
                probe.headers.get(name).map(String::as_str)
            };
            match vm.eval(value) {
                Eval::Yes => {}
                Eval::No => return Eval::No,
                Eval::Unknown(e) => unknown = Some(e),
            }
        }
        let pairs = query.map(query_pairs).unwrap_or_default();
        for (name, vm) in &self.query {
            let value = pairs.iter().find(|(n, _)| n == name).map(|(_, v)| *v);
            match vm.eval(value) {
                Eval::Yes => {}
                Eval::No => return Eval::No,
                Eval::Unknown(e) => unknown = Some(e),
            }
        }
        match unknown {
            Some(e) => Eval::Unknown(e),
            None => Eval::Yes,
        }
    }

    /// Sort key of the spec's precedence (smaller wins) among non-regex matches.
    fn precedence(&self) -> (bool, Reverse<usize>, bool, Reverse<usize>, Reverse<usize>) {
        let (exact, len) = match &self.path {
            PathMatch::Exact(v) => (true, v.len()),
            PathMatch::Prefix(v) => (false, v.len()),
            _ => (false, 0),
        };
        (
            !exact,
            Reverse(len),
            self.method.is_none(),
            Reverse(self.headers.len()),
            Reverse(self.query.len()),
        )
    }
}

impl CompiledMatch {
    /// What implementations rank this match by (`None`: not a known path type).
    fn facts(
        &self,
        route: &CompiledRoute,
        rule: usize,
        matched: usize,
        route_index: usize,
    ) -> Option<MatchFacts> {
        let kind = match &self.path {
            PathMatch::Exact(_) => PathKind::Exact,
            PathMatch::Prefix(_) => PathKind::Prefix,
            PathMatch::Regex(_) => PathKind::Regex,
            PathMatch::Invalid(_) => return None,
        };
        let exact = |v: &[(String, ValueMatch)]| {
            v.iter()
                .filter(|(_, m)| matches!(m, ValueMatch::Exact(_)))
                .count()
        };
        Some(MatchFacts {
            kind,
            value: self.value.clone(),
            method: self.method.is_some(),
            headers: self.headers.len(),
            exact_headers: exact(&self.headers),
            query: self.query.len(),
            exact_query: exact(&self.query),
            namespace: route.namespace.clone(),
            route: route.name.clone(),
            rule,
            matched,
            route_index,
        })
    }
}

/// A rule chosen for a request, with the match that selected it.
#[derive(Debug, Clone, Copy)]
pub struct Matched<'a> {
    pub route: &'a CompiledRoute,
    pub rule: &'a CompiledRule,
    pub matched: &'a CompiledMatch,
    route_index: usize,
    /// Index of the match in its rule.
    match_index: usize,
}

impl Matched<'_> {
    pub fn id(&self) -> (String, String, String) {
        (
            self.route.namespace.clone(),
            self.route.name.clone(),
            self.rule.display_name(),
        )
    }
    fn key(&self) -> (usize, usize) {
        (self.route_index, self.rule.index)
    }
}

/// Which rule(s) a request selects.
pub enum Selection<'a> {
    NoMatch,
    Rule(Matched<'a>),
    /// The best non-regex match (if any) and regex matches: which one wins is
    /// implementation-specific.
    Contenders(Vec<Matched<'a>>),
    Unknown(String),
}

impl Selection<'_> {
    /// A comparable summary of the decision (which rules), for the
    /// raw-versus-normalised check.
    pub fn decision(&self) -> Vec<(usize, usize)> {
        match self {
            Selection::NoMatch => vec![],
            Selection::Rule(m) => vec![m.key()],
            Selection::Contenders(all) => all.iter().map(Matched::key).collect(),
            Selection::Unknown(_) => vec![(usize::MAX, usize::MAX)],
        }
    }
}

/// Applies the precedence of `imp` to every match of `routes` (sorted by the
/// route tie-breakers) for the request. `index`, when given, is the index of
/// exactly these routes: only the matches it names for the path are evaluated
/// (the others cannot match it), in the same order.
pub fn select<'a>(
    routes: &[&'a CompiledRoute],
    index: Option<&MatchIndex>,
    probe: &Probe,
    path: &str,
    query: Option<&str>,
    imp: Implementation,
) -> Selection<'a> {
    let mut plain: Vec<Matched<'a>> = Vec::new();
    let mut regex: Vec<Matched<'a>> = Vec::new();
    let mut consider = |(route_index, rule_pos, match_index): Slot| -> Result<(), String> {
        let route: &'a CompiledRoute = routes[route_index];
        let rule = &route.rules[rule_pos];
        let m = &rule.matches[match_index];
        let matched = Matched {
            route,
            rule,
            matched: m,
            route_index,
            match_index,
        };
        match m.eval(probe, path, query) {
            Eval::Yes if matches!(m.path, PathMatch::Regex(_)) => regex.push(matched),
            Eval::Yes => plain.push(matched),
            Eval::No => {}
            Eval::Unknown(e) => return Err(e),
        }
        Ok(())
    };
    let walked = match index {
        Some(index) => index
            .candidates(path)
            .into_iter()
            .try_for_each(&mut consider),
        None => routes
            .iter()
            .enumerate()
            .try_for_each(|(route_index, route)| {
                route
                    .rules
                    .iter()
                    .enumerate()
                    .try_for_each(|(rule_pos, rule)| {
                        (0..rule.matches.len()).try_for_each(|match_index| {
                            consider((route_index, rule_pos, match_index))
                        })
                    })
            }),
    };
    if let Err(e) = walked {
        return Selection::Unknown(e);
    }
    if imp != Implementation::Standard {
        // One documented order over every match, regexes included.
        return plain
            .into_iter()
            .chain(regex)
            .min_by_key(|m| {
                m.matched
                    .facts(m.route, m.rule.index, m.match_index, m.route_index)
                    .and_then(|f| precedence::sort_key(imp, &f))
            })
            .map_or(Selection::NoMatch, Selection::Rule);
    }
    // Regex matches with the same pattern tie on the path, so the spec's later
    // criteria decide between them (method, then the most header and query
    // matches) on every implementation: a `canary-by-header` rule on a
    // regex-mode host wins over the plain rule of the same path.
    let regex = tie_broken(regex);
    plain.sort_by_key(|m| (m.matched.precedence(), m.route_index, m.rule.index));
    let best = plain.first().copied();
    if regex.is_empty() {
        return best.map_or(Selection::NoMatch, Selection::Rule);
    }
    let mut contenders: Vec<Matched<'a>> = best.into_iter().collect();
    for m in regex {
        if !contenders.iter().any(|c| c.key() == m.key()) {
            contenders.push(m);
        }
    }
    if contenders.len() == 1 {
        return Selection::Rule(contenders[0]);
    }
    Selection::Contenders(contenders)
}

/// Drops each regex match that another match of the same pattern outranks on
/// the spec's criteria after the path; the order of the rest is kept.
fn tie_broken(regex: Vec<Matched<'_>>) -> Vec<Matched<'_>> {
    let pattern = |m: &Matched<'_>| match &m.matched.path {
        PathMatch::Regex(r) => Some(r.as_str().to_owned()),
        _ => None,
    };
    let keys: Vec<_> = regex
        .iter()
        .map(|m| (pattern(m), m.matched.precedence()))
        .collect();
    regex
        .into_iter()
        .enumerate()
        .filter(|(i, _)| {
            let (p, k) = &keys[*i];
            !keys.iter().any(|(q, l)| p.is_some() && q == p && l < k)
        })
        .map(|(_, m)| m)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_prefix_is_element_wise_and_ignores_a_trailing_slash() {
        assert!(prefix_matches("/abc", "/abc"));
        assert!(prefix_matches("/abc", "/abc/"));
        assert!(prefix_matches("/abc", "/abc/def"));
        assert!(!prefix_matches("/abc", "/abcd"));
        assert!(prefix_matches("/abc/", "/abc"));
        assert!(prefix_matches("/", "/anything"));
        assert!(!prefix_matches("/abc", "/ABC"));
    }
}
