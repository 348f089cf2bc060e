//! First-match order of regex locations.
//!
//! ## What ingress-nginx does
//! In a regex-mode host the locations are tried in order (longest path text
//! first, ties reverse byte order, equal paths in Ingress order) and the first
//! `~* "^P"` that matches wins. `/api` (4 chars) comes after `/apiv2` (6), so
//! `/apiv2/x` goes to `/apiv2` although `/api` matches it too.
//!
//! ## What Gateway API offers
//! No precedence among `RegularExpression` matches (implementation-specific),
//! and none between a regex and a `PathPrefix`.
//!
//! ## What we emit
//! Where a later location with a literal pattern (`(?i)L.*`) overlaps earlier
//! literal locations with a different outcome (backend, rewrite, redirect), its
//! pattern excludes their requests exactly (`(?i)/api(?:|[^v].*|v(?:|[^2].*))`),
//! so the result no longer depends on precedence. A later location entirely
//! shadowed by an earlier one is dropped (nginx never reaches it). The host's rules
//! are emitted in nginx location order, which is Gateway API's tie-break (first
//! matching rule) for matches its precedence rules do not rank.
//!
//! Envoy Gateway and Istio rank `RegularExpression` matches by the length of
//! the pattern, longer first (Istio after every PathPrefix, Envoy Gateway before):
//! a regex that nginx tries before an overlapping one is padded with `(?:)`
//! (which matches only the empty string) until it is the longer one, so both
//! implementations keep nginx's order.
//!
//! ## What we warn
//! Every remaining pair of overlapping matches with different outcomes — decided
//! on the automata (`paths::overlap`: the product of the two lazy DFAs, bounded,
//! "may overlap" past the bound), not on samples — with a request path both
//! match, both paths and Ingresses, where ingress-nginx sends it, where else a
//! Gateway may send it and which implementations do.

use super::regex_memo::RegexMemo;
use super::{Pass, PassContext, locations};
use crate::ir::*;
use crate::paths::overlap::{Overlap, PathAutomaton};
use crate::paths::prefix::RequiredPrefix;
use crate::paths::regex::{LiteralSet, RegexOptions, literal_set};
use crate::report::{Code, Notification, Report};
use std::collections::BTreeMap;

pub const REGEX_OVERLAP: Code = Code("regex-overlap");
pub const REGEX_SHADOWED: Code = Code("regex-shadowed");

pub struct RegexOrder;

impl Pass for RegexOrder {
    fn name(&self) -> &'static str {
        "regex-order"
    }
    fn run(&self, cx: &PassContext, ir: &mut Ir, report: &mut Report) {
        let q = &cx.options.quirks;
        let opts = RegexOptions {
            case_insensitive: q.keeps(super::quirks::Quirk::RegexCaseInsensitive),
            prefix: q.keeps(super::quirks::Quirk::RegexPrefix),
        };
        for host in ir.hosts.values_mut().filter(|h| h.regex_mode.is_some()) {
            exclude_literals(host, opts, &cx.regex, report);
            nginx_order(host);
            let pairs = overlapping_pairs(host, &cx.regex, report);
            let unpadded = pad_for_length_ranking(host, &pairs, report);
            warn_overlaps(host, &pairs, &unpadded, report);
        }
    }
}

/// What a rule does with a request (two rules with equal outcomes may overlap freely).
fn outcome(r: &Rule) -> (&Action, Vec<&Filter>, Option<HttpsRedirect>) {
    (
        &r.action,
        r.filters.iter().map(|f| &f.filter).collect(),
        r.https_redirect,
    )
}

/// Human description of an outcome.
fn describe(r: &Rule) -> String {
    let base = match &r.action {
        Action::Forward(b) if b.is_empty() => "an error response (no backend)".to_string(),
        Action::Forward(b) => b
            .iter()
            .map(|b| format!("service {}/{}:{}", b.namespace, b.service, b.port))
            .collect::<Vec<_>>()
            .join(" + "),
        Action::Redirect(r) => format!("a {} redirect", r.status),
    };
    let rewritten = r
        .filters
        .iter()
        .any(|f| matches!(f.filter, Filter::UrlRewrite { .. }));
    if rewritten {
        format!("{base} (rewritten)")
    } else {
        base
    }
}

fn object_of(host: &VirtualHost, r: &Rule) -> crate::report::ObjectRef {
    r.from.object.clone().unwrap_or_else(|| host.owner.clone())
}

/// What nginx sends to rule `r` of a regex-mode host, when it is "starts with a literal".
fn nginx_set(r: &Rule, opts: RegexOptions, memo: &RegexMemo) -> Option<LiteralSet> {
    match r.matches.first().and_then(|m| m.path.as_ref())? {
        // The emitted pattern (it may be the `P/` rendering of a Prefix with an Exact twin).
        PathMatch::Regex(p) => memo
            .literal_of_pattern(p, opts)
            .map(|literal| LiteralSet {
                literal,
                segment: false,
            })
            .or_else(|| literal_set(&r.source_path.path)),
        // A prefix rewrite (`/static(/|$)(.*)` → PathPrefix `/static`).
        PathMatch::Prefix(_) => literal_set(&r.source_path.path),
        PathMatch::Exact(_) => None,
    }
}

/// The covering match of a rule kept fail-closed for a path Gateway API cannot express.
fn unexpressible_cover(r: &Rule) -> Option<&str> {
    r.filters.iter().find_map(|f| match &f.filter {
        Filter::AccessControl(AccessRequirement::UnexpressiblePath { cover, .. }) => {
            Some(cover.as_str())
        }
        _ => None,
    })
}

/// Makes later literal locations exclude what earlier literal locations take.
fn exclude_literals(
    host: &mut VirtualHost,
    opts: RegexOptions,
    memo: &RegexMemo,
    report: &mut Report,
) {
    let order = locations::location_order(&host.rules);
    // Computed before any exclusion (an excluded pattern is no longer literal).
    let sets: BTreeMap<usize, LiteralSet> = order
        .iter()
        .filter_map(|&i| nginx_set(&host.rules[i], opts, memo).map(|s| (i, s)))
        .collect();
    // PCRE caseless on bytes folds ASCII only; ASCII folding also keeps byte offsets.
    let fold = |s: &str| {
        if opts.case_insensitive {
            s.to_ascii_lowercase()
        } else {
            s.to_string()
        }
    };
    // Earlier locations by folded literal: only a literal that is a prefix of
    // `lj` (shadowing) or extends it (excluded) matters, so each location looks
    // up its few relatives instead of comparing with every earlier one.
    let folded: BTreeMap<usize, String> =
        sets.iter().map(|(&i, s)| (i, fold(&s.literal))).collect();
    let mut earlier: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    let mut drop: Vec<usize> = Vec::new();
    for (pos, &j) in order.iter().enumerate() {
        if let Some(&prev) = pos.checked_sub(1).and_then(|p| order.get(p))
            && let Some(key) = folded.get(&prev)
        {
            earlier.entry(key.as_str()).or_default().push(pos - 1);
        }
        // Only a plain literal pattern `(?i)L.*` can be rewritten.
        let Some(lj) = (match host.rules[j].matches.first().and_then(|m| m.path.as_ref()) {
            Some(PathMatch::Regex(p)) => memo.literal_of_pattern(p, opts),
            _ => None,
        }) else {
            continue;
        };
        let fj = fold(&lj);
        let mut related: Vec<usize> = (0..=fj.len())
            .filter(|&k| fj.is_char_boundary(k))
            .filter_map(|k| earlier.get(&fj[..k]))
            .chain(
                earlier
                    .range(fj.as_str()..)
                    .take_while(|(key, _)| key.starts_with(fj.as_str()))
                    .map(|(_, v)| v),
            )
            .flatten()
            .copied()
            .collect();
        related.sort_unstable();
        related.dedup();
        let mut excluded: Vec<(String, bool)> = Vec::new();
        for i in related.into_iter().filter_map(|p| order.get(p).copied()) {
            if drop.contains(&i) || outcome(&host.rules[i]) == outcome(&host.rules[j]) {
                continue;
            }
            let (Some(si), Some(fi)) = (sets.get(&i), folded.get(&i).map(String::as_str)) else {
                continue;
            };
            let shadowed = if !opts.prefix {
                fi == fj && !si.segment
            } else if si.segment {
                fj.strip_prefix(fi).is_some_and(|r| r.starts_with('/'))
            } else {
                fj.starts_with(fi)
            };
            if shadowed {
                let message = match unexpressible_cover(&host.rules[i]) {
                    // The earlier rule's match is wider than its location.
                    Some(cover) => format!(
                        "path `{}` on host {} is inside the fail-closed match `{cover}` of the earlier location `{}`, which Gateway API cannot express; the rule was dropped, so its requests answer 500 (in ingress-nginx the earlier location takes those it matches)",
                        host.rules[j].source_path.path,
                        host.id.host,
                        host.rules[i].source_path.path
                    ),
                    None => format!(
                        "path `{}` on host {} is never reached in ingress-nginx: the earlier location `{}` matches every request it matches; the rule was dropped",
                        host.rules[j].source_path.path,
                        host.id.host,
                        host.rules[i].source_path.path
                    ),
                };
                report.push(
                    Notification::warning(REGEX_SHADOWED, message)
                        .object(&object_of(host, &host.rules[j]))
                        .span(host.rules[j].from.span.clone()),
                );
                drop.push(j);
                break;
            }
            if opts.prefix && fi.starts_with(fj.as_str()) {
                excluded.push((si.literal[lj.len()..].to_string(), si.segment));
            }
        }
        if excluded.is_empty() || drop.contains(&j) {
            continue;
        }
        let flags = if opts.case_insensitive { "(?i)" } else { "" };
        let pattern = format!(
            "{flags}{}{}",
            regex_syntax::escape(&lj),
            not_starting_with(&excluded)
        );
        let names: Vec<String> = excluded
            .iter()
            .map(|(s, seg)| {
                if *seg {
                    format!("`{lj}{s}`, `{lj}{s}/…`")
                } else {
                    format!("`{lj}{s}…`")
                }
            })
            .collect();
        report.push(
            Notification::info(
                REGEX_OVERLAP,
                format!(
                    "host {}: `{}` also matches requests that ingress-nginx sends to earlier (longer) locations ({}); its pattern excludes them so the outcome does not depend on regex precedence",
                    host.id.host,
                    host.rules[j].source_path.path,
                    names.join(", ")
                ),
            )
            .object(&object_of(host, &host.rules[j])),
        );
        if let Some(m) = host.rules[j].matches.first_mut() {
            m.path = Some(PathMatch::Regex(pattern));
        }
    }
    drop.sort_unstable();
    for j in drop.into_iter().rev() {
        host.rules.remove(j);
    }
}

/// Puts the host's path rules in nginx location order (other rules first, as they
/// were). Gateway API breaks ties between matches its criteria do not rank (two
/// regexes) by the first matching rule of a route, so this order is what a
/// conformant implementation falls back to; for Exact/Prefix it changes nothing.
fn nginx_order(host: &mut VirtualHost) {
    let order = locations::location_order(&host.rules);
    host.rules.rebuild(|current| {
        let mut taken: Vec<Option<Rule>> = current.into_iter().map(Some).collect();
        // Sized once: grown by `extend` it kept up to twice the host's rules
        // for the rest of the run (issue 13 memory).
        let mut rules: Vec<Rule> = Vec::with_capacity(taken.len());
        rules.extend(
            taken
                .iter_mut()
                .filter(|r| r.as_ref().is_some_and(|r| r.from.path.is_none()))
                .filter_map(Option::take),
        );
        rules.extend(
            order
                .iter()
                .filter_map(|&i| taken.get_mut(i).and_then(Option::take)),
        );
        rules.extend(taken.into_iter().flatten());
        rules
    });
}

/// The longest path value Gateway API accepts (HTTPPathMatch `value`).
const MAX_PATH_VALUE: usize = 1024;
/// A regex that matches the empty string only: appended to make a pattern longer
/// without changing what it matches.
const PAD: &str = "(?:)";
/// Rules of a host compared pairwise; beyond, pairs are not examined.
const MAX_COMPARED: usize = 128;

/// How implementations rank a path match against a regular expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Exact,
    Prefix,
    Regex,
}

/// A rule's path match as an RE2 full-match pattern (Gateway API semantics).
fn as_pattern(m: &PathMatch) -> (Kind, String) {
    match m {
        PathMatch::Exact(v) => (Kind::Exact, regex_syntax::escape(v)),
        PathMatch::Prefix(v) => {
            let p = v.trim_end_matches('/');
            (Kind::Prefix, format!("{}(?:/.*)?", regex_syntax::escape(p)))
        }
        PathMatch::Regex(p) => (Kind::Regex, p.clone()),
    }
}

/// A rule of a host in the pairwise overlap check; its automaton is built on
/// first use (most pairs are told apart by their literal starts).
struct Compared {
    rule: usize,
    kind: Kind,
    pattern: String,
    prefix: RequiredPrefix,
    /// `None`: not built yet; `Some(None)`: the pattern is not accepted.
    automaton: Option<Option<PathAutomaton>>,
}

impl Compared {
    fn automaton(&mut self) -> Option<&mut PathAutomaton> {
        let pattern = &self.pattern;
        self.automaton
            .get_or_insert_with(|| PathAutomaton::new(pattern).ok())
            .as_mut()
    }
}

/// Two rules of a host that a request can both match, with different outcomes;
/// `first` is the one ingress-nginx picks.
struct Pair {
    first: usize,
    second: usize,
    first_kind: Kind,
    second_kind: Kind,
    /// A request path both match; `None`: the check gave up (they may overlap).
    witness: Option<String>,
}

/// Every pair of overlapping path matches with different outcomes, at least one a
/// regex (Exact and PathPrefix among themselves have a defined precedence), decided
/// on the automata (`paths::overlap`), in nginx order.
fn overlapping_pairs(host: &VirtualHost, memo: &RegexMemo, report: &mut Report) -> Vec<Pair> {
    let order = locations::location_order(&host.rules);
    if order.len() > MAX_COMPARED {
        report.push(
            Notification::warning(
                REGEX_OVERLAP,
                format!(
                    "host {} has {} path rules: overlapping regular expressions were looked for among the first {MAX_COMPARED} in nginx order only; the others may overlap without a warning",
                    host.id.host,
                    order.len()
                ),
            )
            .object(&host.owner)
            .suggest("split the host's paths over fewer regex locations, or test its regex paths on your implementation (`ing2gw verify --implementation …`)"),
        );
    }
    let mut compiled: Vec<Compared> = order
        .iter()
        .filter_map(|&i| {
            let (kind, pattern) = as_pattern(host.rules[i].matches.first()?.path.as_ref()?);
            Some(Compared {
                rule: i,
                kind,
                prefix: memo.anchored(&pattern),
                pattern,
                automaton: None,
            })
        })
        .take(MAX_COMPARED)
        .collect();
    let mut pairs = Vec::new();
    for pos in 1..compiled.len() {
        let (done, rest) = compiled.split_at_mut(pos);
        let Some(cj) = rest.first_mut() else {
            continue;
        };
        let (j, kj) = (cj.rule, cj.kind);
        for ci in done.iter_mut() {
            let (i, ki) = (ci.rule, ci.kind);
            let (ri, rj) = (&host.rules[i], &host.rules[j]);
            if (ki != Kind::Regex && kj != Kind::Regex) || outcome(ri) == outcome(rj) {
                continue;
            }
            // Different literal starts: no request matches both, and the
            // automata (the costly part on hosts with many rules) are not built.
            if ci.prefix.disjoint(&cj.prefix) {
                continue;
            }
            let witness = match (ci.automaton(), cj.automaton()) {
                (Some(a), Some(b)) => match a.overlap(b) {
                    Overlap::Disjoint => continue,
                    Overlap::Witness(w) => Some(w),
                    Overlap::Unknown(_) => None,
                },
                _ => None,
            };
            // nginx: `=` first, then regexes in location order.
            let (first, second, first_kind, second_kind) = if kj == Kind::Exact {
                (j, i, kj, ki)
            } else {
                (i, j, ki, kj)
            };
            pairs.push(Pair {
                first,
                second,
                first_kind,
                second_kind,
                witness,
            });
        }
    }
    pairs
}

/// Envoy Gateway and Istio try longer regular expressions first. Makes every
/// regex that ingress-nginx tries before an overlapping one longer than it, by
/// appending [`PAD`]s, so both follow nginx's order; returns the rules it could
/// not pad (the value would exceed the API's limit).
fn pad_for_length_ranking(
    host: &mut VirtualHost,
    pairs: &[Pair],
    report: &mut Report,
) -> Vec<usize> {
    let order = locations::location_order(&host.rules);
    let mut failed = Vec::new();
    let mut padded: Vec<(usize, Vec<usize>)> = Vec::new();
    for &i in order.iter().rev() {
        let later: Vec<usize> = pairs
            .iter()
            .filter(|p| p.first == i && p.first_kind == Kind::Regex && p.second_kind == Kind::Regex)
            .map(|p| p.second)
            .collect();
        let need = later
            .iter()
            .filter_map(|&j| regex_of(&host.rules[j]).map(str::len))
            .max();
        let (Some(need), Some(current)) = (need, regex_of(&host.rules[i]).map(String::from)) else {
            continue;
        };
        if current.len() > need {
            continue;
        }
        let pads = (need - current.len()) / PAD.len() + 1;
        let longer = format!("{current}{}", PAD.repeat(pads));
        if longer.len() > MAX_PATH_VALUE {
            failed.push(i);
            continue;
        }
        if let Some(PathMatch::Regex(p)) = host.rules[i]
            .matches
            .first_mut()
            .and_then(|m| m.path.as_mut())
        {
            *p = longer;
        }
        padded.push((i, later));
    }
    for (i, later) in padded.into_iter().rev() {
        let others: Vec<String> = later
            .iter()
            .map(|&j| format!("`{}`", host.rules[j].source_path.path))
            .collect();
        report.push(
            Notification::info(
                REGEX_OVERLAP,
                format!(
                    "host {}: `{}` is padded with `{PAD}` (which matches nothing more) to be longer than the overlapping {} that ingress-nginx tries after it: Envoy Gateway and Istio try longer regular expressions first",
                    host.id.host,
                    host.rules[i].source_path.path,
                    others.join(", ")
                ),
            )
            .object(&object_of(host, &host.rules[i]))
            .span(host.rules[i].from.span.clone()),
        );
    }
    failed
}

fn regex_of(r: &Rule) -> Option<&str> {
    match r.matches.first()?.path.as_ref()? {
        PathMatch::Regex(p) => Some(p),
        _ => None,
    }
}

/// Which implementations may route the overlap of `p` differently from nginx.
fn who_differs(p: &Pair, unpadded: bool) -> &'static str {
    match (p.first_kind, p.second_kind) {
        (Kind::Exact, _) => {
            "Envoy Gateway and Istio rank Exact first, like nginx; other implementations may not"
        }
        (Kind::Regex, Kind::Regex) if unpadded => {
            "Envoy Gateway and Istio try the longer pattern first, which is the other one"
        }
        (Kind::Regex, Kind::Regex) => {
            "Envoy Gateway and Istio follow nginx's order (they try the longer pattern first, and the one nginx tries first is longer, padded where needed); other implementations may not"
        }
        (Kind::Regex, _) => {
            "Istio ranks PathPrefix before regular expressions and sends it to the other rule; Envoy Gateway follows nginx"
        }
        (_, _) => {
            "Envoy Gateway ranks regular expressions before PathPrefix and sends it to the other rule; Istio follows nginx"
        }
    }
}

/// Warns about every pair of overlapping matches with different outcomes.
fn warn_overlaps(host: &VirtualHost, pairs: &[Pair], unpadded: &[usize], report: &mut Report) {
    for p in pairs {
        let (ri, rj) = (&host.rules[p.first], &host.rules[p.second]);
        let (oi, oj) = (object_of(host, ri), object_of(host, rj));
        let request = match &p.witness {
            Some(w) => format!("`{w}` matches"),
            None => "requests may match (the check gave up)".to_string(),
        };
        let test = p.witness.as_deref().unwrap_or("requests matching both");
        report.push(
            Notification::warning(
                REGEX_OVERLAP,
                format!(
                    "host {}: {request} both `{}` ({}) and `{}` ({}); ingress-nginx sends it to {} through `{}`; Gateway API leaves the precedence of regular expressions to the implementation, so it may go to {}: {}",
                    host.id.host,
                    ri.source_path.path,
                    oi,
                    rj.source_path.path,
                    oj,
                    describe(ri),
                    ri.source_path.path,
                    describe(rj),
                    who_differs(p, unpadded.contains(&p.first)),
                ),
            )
            .object(&oj)
            .span(rj.from.span.clone())
            .suggest(format!("test `{test}` on your implementation (`ing2gw verify --implementation envoy-gateway` or `istio` models theirs); tighten one of the patterns so they no longer overlap")),
        );
    }
}

/// An RE2 fragment matching any rest of the path (possibly empty) that does not
/// start with one of `suffixes`. A suffix marked `segment` excludes only itself and
/// itself followed by `/…` (what `L(/|$)…` matches). Built from a trie so it stays exact.
pub fn not_starting_with(suffixes: &[(String, bool)]) -> String {
    #[derive(Default)]
    struct Node {
        /// Everything from here on is excluded.
        all: bool,
        /// The end and `/…` from here on are excluded.
        segment: bool,
        kids: BTreeMap<char, Node>,
    }
    let mut root = Node::default();
    for (s, segment) in suffixes {
        let mut n = &mut root;
        for c in s.chars() {
            n = n.kids.entry(c).or_default();
        }
        if *segment {
            n.segment = true;
        } else {
            n.all = true;
        }
    }
    fn class_char(c: char) -> String {
        if c.is_ascii_alphanumeric() {
            c.to_string()
        } else {
            format!("\\x{{{:x}}}", c as u32)
        }
    }
    fn render(n: &Node) -> String {
        let mut alts = Vec::new();
        if !n.segment {
            alts.push(String::new());
        }
        let mut firsts: std::collections::BTreeSet<char> = n.kids.keys().copied().collect();
        if n.segment {
            firsts.insert('/');
        }
        let class: String = firsts.iter().map(|&c| class_char(c)).collect();
        alts.push(format!("[^{class}].*"));
        for (c, kid) in &n.kids {
            let excluded = kid.all || (n.segment && *c == '/');
            if !excluded {
                alts.push(format!(
                    "{}{}",
                    regex_syntax::escape(&c.to_string()),
                    render(kid)
                ));
            }
        }
        format!("(?:{})", alts.join("|"))
    }
    if root.all {
        // Everything excluded: match nothing (an empty class).
        return "[^\\x00-\\x{10ffff}]".into();
    }
    render(&root)
}

#[cfg(test)]
mod tests {
    use super::not_starting_with;

    fn full(p: &str) -> regex::Regex {
        regex::Regex::new(&format!("^(?:{p})$")).unwrap()
    }

    #[test]
    fn excludes_longer_literals_exactly() {
        let re = full(&format!(
            "(?i)/api{}",
            not_starting_with(&[("/v1".into(), false), ("ary".into(), false)])
        ));
        for ok in ["/api", "/api/", "/api/v2", "/apix", "/api/v", "/API/v2"] {
            assert!(re.is_match(ok), "{ok} should match");
        }
        for no in ["/api/v1", "/api/v1/x", "/apiary", "/API/V1", "/APIARY/x"] {
            assert!(!re.is_match(no), "{no} should not match");
        }
    }

    #[test]
    fn excludes_segment_prefixes_exactly() {
        let re = full(&format!(
            "(?i)/{}",
            not_starting_with(&[("static".into(), true), ("api".into(), false)])
        ));
        for ok in ["/", "/x", "/staticx", "/STATICX/y", "/stati", "/ap"] {
            assert!(re.is_match(ok), "{ok} should match");
        }
        for no in [
            "/static",
            "/static/",
            "/STATIC/x",
            "/api",
            "/apix",
            "/API/v1",
        ] {
            assert!(!re.is_match(no), "{no} should not match");
        }
    }
}
