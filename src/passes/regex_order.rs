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
//! ## What we warn
//! Every remaining pair of overlapping matches with different outcomes, with a
//! concrete request path, where ingress-nginx sends it, and where else a Gateway
//! may send it.

use super::{Pass, PassContext, locations};
use crate::ir::*;
use crate::paths::regex::{
    LiteralSet, RegexOptions, literal_of_pattern, literal_set, sample_paths,
};
use crate::paths::sample::full_match_regex;
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
            exclude_literals(host, opts, report);
            nginx_order(host);
            warn_overlaps(host, report);
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
fn nginx_set(r: &Rule, opts: RegexOptions) -> Option<LiteralSet> {
    match r.matches.first().and_then(|m| m.path.as_ref())? {
        // The emitted pattern (it may be the `P/` rendering of a Prefix with an Exact twin).
        PathMatch::Regex(p) => literal_of_pattern(p, opts)
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

/// Makes later literal locations exclude what earlier literal locations take.
fn exclude_literals(host: &mut VirtualHost, opts: RegexOptions, report: &mut Report) {
    let order = locations::location_order(&host.rules);
    // Computed before any exclusion (an excluded pattern is no longer literal).
    let sets: BTreeMap<usize, LiteralSet> = order
        .iter()
        .filter_map(|&i| nginx_set(&host.rules[i], opts).map(|s| (i, s)))
        .collect();
    // PCRE caseless on bytes folds ASCII only; ASCII folding also keeps byte offsets.
    let fold = |s: &str| {
        if opts.case_insensitive {
            s.to_ascii_lowercase()
        } else {
            s.to_string()
        }
    };
    let mut drop: Vec<usize> = Vec::new();
    for (pos, &j) in order.iter().enumerate() {
        // Only a plain literal pattern `(?i)L.*` can be rewritten.
        let Some(lj) = (match host.rules[j].matches.first().and_then(|m| m.path.as_ref()) {
            Some(PathMatch::Regex(p)) => literal_of_pattern(p, opts),
            _ => None,
        }) else {
            continue;
        };
        let mut excluded: Vec<(String, bool)> = Vec::new();
        for &i in &order[..pos] {
            if drop.contains(&i) || outcome(&host.rules[i]) == outcome(&host.rules[j]) {
                continue;
            }
            let Some(si) = sets.get(&i) else { continue };
            let (fi, fj) = (fold(&si.literal), fold(&lj));
            let shadowed = if !opts.prefix {
                fi == fj && !si.segment
            } else if si.segment {
                fj.strip_prefix(&fi).is_some_and(|r| r.starts_with('/'))
            } else {
                fj.starts_with(&fi)
            };
            if shadowed {
                report.push(
                    Notification::warning(
                        REGEX_SHADOWED,
                        format!(
                            "path `{}` on host {} is never reached in ingress-nginx: the earlier location `{}` matches every request it matches; the rule was dropped",
                            host.rules[j].source_path.path, host.id.host, host.rules[i].source_path.path
                        ),
                    )
                    .object(&object_of(host, &host.rules[j]))
                    .span(host.rules[j].from.span.clone()),
                );
                drop.push(j);
                break;
            }
            if opts.prefix && fi.starts_with(&fj) {
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
        let mut rules: Vec<Rule> = taken
            .iter_mut()
            .filter(|r| r.as_ref().is_some_and(|r| r.from.path.is_none()))
            .filter_map(Option::take)
            .collect();
        rules.extend(
            order
                .iter()
                .filter_map(|&i| taken.get_mut(i).and_then(Option::take)),
        );
        rules.extend(taken.into_iter().flatten());
        rules
    });
}

/// A path match, evaluated as Gateway API does.
enum Matcher {
    Exact(String),
    Prefix(String),
    Regex(regex::Regex, String),
}

impl Matcher {
    fn of(m: &PathMatch) -> Option<Matcher> {
        Some(match m {
            PathMatch::Exact(v) => Matcher::Exact(v.clone()),
            PathMatch::Prefix(v) => Matcher::Prefix(v.trim_end_matches('/').to_string()),
            PathMatch::Regex(p) => Matcher::Regex(full_match_regex(p)?, p.clone()),
        })
    }
    fn is_match(&self, path: &str) -> bool {
        match self {
            Matcher::Exact(v) => path == v,
            Matcher::Prefix(v) => {
                v.is_empty()
                    || path == v
                    || path
                        .strip_prefix(v.as_str())
                        .is_some_and(|r| r.starts_with('/'))
            }
            Matcher::Regex(re, _) => re.is_match(path),
        }
    }
    /// Requests this match accepts.
    fn samples(&self) -> Vec<String> {
        match self {
            Matcher::Exact(v) => vec![v.clone()],
            Matcher::Prefix(v) if v.is_empty() => vec!["/".into(), "/x".into()],
            Matcher::Prefix(v) => vec![v.clone(), format!("{v}/x")],
            Matcher::Regex(_, p) => sample_paths(p),
        }
    }
    fn is_regex(&self) -> bool {
        matches!(self, Matcher::Regex(..))
    }
}

/// Warns about every pair of overlapping matches with different outcomes.
fn warn_overlaps(host: &VirtualHost, report: &mut Report) {
    let order = locations::location_order(&host.rules);
    let matchers: Vec<(usize, Matcher, Vec<String>)> = order
        .iter()
        .filter_map(|&i| {
            let m = Matcher::of(host.rules[i].matches.first()?.path.as_ref()?)?;
            let samples = m.samples();
            Some((i, m, samples))
        })
        .collect();
    // Rules with equal outcomes share a class: comparing classes keeps the pair
    // loop cheap on hosts with thousands of paths to one backend.
    let mut outcomes = Vec::new();
    let class: Vec<usize> = matchers
        .iter()
        .map(|(i, _, _)| {
            let o = outcome(&host.rules[*i]);
            match outcomes.iter().position(|x| *x == o) {
                Some(c) => c,
                None => {
                    outcomes.push(o);
                    outcomes.len() - 1
                }
            }
        })
        .collect();
    for (pos, ((j, mj, sj), cj)) in matchers.iter().zip(&class).enumerate() {
        for ((i, mi, si), ci) in matchers[..pos].iter().zip(&class) {
            let (ri, rj) = (&host.rules[*i], &host.rules[*j]);
            // Exact/Prefix among themselves have a defined precedence in Gateway API.
            if (!mi.is_regex() && !mj.is_regex()) || ci == cj {
                continue;
            }
            let witness = sj
                .iter()
                .chain(si)
                .find(|s| mi.is_match(s) && mj.is_match(s));
            let Some(w) = witness else { continue };
            report.push(
                Notification::warning(
                    REGEX_OVERLAP,
                    format!(
                        "host {}: `{w}` matches both `{}` and `{}`; ingress-nginx tries `{}` first and sends it to {}; the rules are emitted in that order, but Gateway API does not rank regular expressions, so an implementation may send it to {}",
                        host.id.host,
                        ri.source_path.path,
                        rj.source_path.path,
                        ri.source_path.path,
                        describe(ri),
                        describe(rj)
                    ),
                )
                .object(&object_of(host, rj))
                .span(rj.from.span.clone())
                .suggest(format!("test `{w}` after migrating; tighten one of the patterns so they no longer overlap")),
            );
        }
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
