//! use-regex and host-wide regex mode.
//!
//! ## What ingress-nginx does
//! A host is in regex mode when any of its locations has `use-regex: "true"` or a
//! `rewrite-target` that differs from its path (the owner Ingress counts through
//! the implicit `/`). Then **every** path of **every** Ingress on the host becomes
//! `location ~* "^P"`: a case-insensitive PCRE anchored only at the start. Exact
//! loses exactness, Prefix loses the segment boundary (`/api` matches `/apiary`),
//! literal paths become regexes (`/v1.0` matches `/v1x0`). Locations are tried in
//! order (longest path text first, ties reverse-lexicographic), first match wins.
//!
//! ## What Gateway API offers
//! `RegularExpression` path matches, implemented by Envoy-based gateways as RE2
//! full matches, case-sensitive unless `(?i)`; no precedence among regexes.
//!
//! ## What we emit
//! For each path, an RE2 pattern that full-matches exactly what `(?i)^P` matches
//! (`(?i)/users/(\d+).*`), built by `crate::paths::regex` from the parsed pattern.
//! Where an earlier nginx location takes part of a later one's requests (different
//! outcome), literal patterns are rewritten so the later one excludes them; a later
//! location entirely shadowed is dropped.
//!
//! ## What we warn
//! Per affected Ingress, which Ingress switched the host to regex mode; patterns
//! RE2 cannot express (error, with the construct and its position); overlaps that
//! cannot be made exact, with a request that would be routed differently;
//! with `--quirks` dropping a behaviour, every path whose behaviour changes.

use super::quirks::Quirk;
use super::{Pass, PassContext, locations};
use crate::ir::*;
use crate::paths::regex::{RegexOptions, translate_path_regex};
use crate::report::{Code, Notification, ObjectRef, Report};

pub const REGEX_MODE: Code = Code("regex-mode");
pub const REGEX_UNSUPPORTED: Code = Code("regex-unsupported");
pub const REGEX_OVERLAP: Code = Code("regex-overlap");
pub const REGEX_SHADOWED: Code = Code("regex-shadowed");
pub const QUIRK_DROPPED: Code = Code("quirk-dropped");

pub struct RegexMode;

/// True when this Ingress location forces regex mode (use-regex, or a rewrite-target ≠ path).
pub fn forces_regex(cx: &PassContext, obj: &ObjectRef, path: &str) -> Option<String> {
    let ing = cx.ingresses.iter().find(|i| &i.obj == obj)?;
    if cx.annotation_bool(ing, "use-regex", false) {
        return Some(cx.full_key("use-regex"));
    }
    match cx.annotation(ing, "rewrite-target") {
        Some(t) if !t.is_empty() && t != path => Some(cx.full_key("rewrite-target")),
        _ => None,
    }
}

impl Pass for RegexMode {
    fn name(&self) -> &'static str {
        "regex-mode"
    }
    fn annotations(&self) -> &'static [&'static str] {
        &["use-regex"]
    }
    fn run(&self, cx: &PassContext, ir: &mut Ir, report: &mut Report) {
        let q = &cx.options.quirks;
        let opts = RegexOptions {
            case_insensitive: q.keeps(Quirk::RegexCaseInsensitive),
            prefix: q.keeps(Quirk::RegexPrefix),
        };
        for host in ir.hosts.values_mut() {
            // Which Ingress switched the host (rules in ingress-nginx order, then the implicit `/`).
            let cause = host
                .rules
                .iter()
                .filter(|r| r.from.path.is_some())
                .find_map(|r| {
                    let obj = r.from.object.as_ref()?;
                    forces_regex(cx, obj, &r.source_path.path).map(|a| (obj.clone(), a))
                })
                .or_else(|| forces_regex(cx, &host.owner, "/").map(|a| (host.owner.clone(), a)));
            let Some((cause, annotation)) = cause else {
                continue;
            };
            host.regex_mode = Some(crate::ir::RegexMode {
                cause: cause.clone(),
                annotation: annotation.clone(),
            });
            let host_wide = q.keeps(Quirk::HostWideRegex);
            let exact_paths: std::collections::BTreeSet<String> = host
                .rules
                .iter()
                .filter(|r| r.from.path.is_some() && r.source_path.path_type.is_exact())
                .map(|r| r.source_path.path.clone())
                .collect();
            let mut affected: std::collections::BTreeMap<ObjectRef, Vec<String>> =
                Default::default();
            for rule in host.rules.iter_mut().filter(|r| r.from.path.is_some()) {
                let Some(obj) = rule.from.object.clone() else {
                    continue;
                };
                let own = forces_regex(cx, &obj, &rule.source_path.path).is_some()
                    || cx
                        .ingresses
                        .iter()
                        .any(|i| i.obj == obj && cx.annotation_bool(i, "use-regex", false));
                if !own && !host_wide {
                    report.push(
                        Notification::warning(
                            QUIRK_DROPPED,
                            format!(
                                "path `{}` on host {}: ingress-nginx treats it as the case-insensitive prefix regex `^{}` because {cause} switched the host to regex mode; without the host-wide-regex quirk it keeps its own {} semantics (e.g. `{}` is routed differently)",
                                rule.source_path.path,
                                host.id.host,
                                rule.source_path.path,
                                if rule.source_path.path_type.is_exact() { "Exact" } else { "Prefix" },
                                example_difference(&rule.source_path.path)
                            ),
                        )
                        .object(&obj)
                        .span(rule.from.span.clone()),
                    );
                    continue;
                }
                if !own {
                    affected
                        .entry(obj.clone())
                        .or_default()
                        .push(rule.source_path.path.clone());
                }
                // Prefix P with an Exact twin: only `P/` is rendered.
                let p = &rule.source_path.path;
                let source = if !rule.source_path.path_type.is_exact()
                    && !own
                    && exact_paths.contains(p)
                    && !p.ends_with('/')
                {
                    format!("{p}/")
                } else {
                    p.clone()
                };
                match translate_path_regex(&source, opts) {
                    Ok(re) => {
                        let m = match (&re.literal, opts.case_insensitive, opts.prefix) {
                            (Some(lit), false, false)
                                if super::ingress_rules::is_valid_gateway_path(lit) =>
                            {
                                PathMatch::Exact(lit.clone())
                            }
                            _ => PathMatch::Regex(re.pattern.clone()),
                        };
                        rule.matches = vec![Match {
                            path: Some(m),
                            ..rule.matches.first().cloned().unwrap_or_default()
                        }];
                    }
                    Err(e) => {
                        report.push(
                            Notification::error(
                                REGEX_UNSUPPORTED,
                                format!(
                                    "path `{source}` uses {} at byte {}, which RE2-based Gateway API implementations cannot express ({}); the rule keeps its previous match and does not behave like ingress-nginx",
                                    e.construct, e.offset, e.message
                                ),
                            )
                            .object(&obj)
                            .span(rule.from.span.clone())
                            .suggest("rewrite the pattern without that construct (RE2 syntax), or use an implementation-specific route"),
                        );
                    }
                }
            }
            for (obj, paths) in affected {
                report.push(
                    Notification::warning(
                        REGEX_MODE,
                        format!(
                            "host {} is in regex mode because {cause} sets {annotation}: this Ingress's paths {} are case-insensitive prefix regexes in ingress-nginx (Exact loses exactness, Prefix matches past the segment boundary) and were translated that way",
                            host.id.host,
                            paths.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", ")
                        ),
                    )
                    .object(&obj)
                    .suggest("this is what runs today; once migrated, tighten the matches (or use --quirks none to emit exact, case-sensitive matches)"),
                );
            }
            resolve_overlaps(host, opts, report);
        }
    }
}

/// A request that behaves differently between regex mode and the path's own type.
fn example_difference(p: &str) -> String {
    let trimmed = p.trim_end_matches('/');
    format!("{}x", if trimmed.is_empty() { "/" } else { trimmed }).to_uppercase()
}

/// Makes first-match order explicit where Gateway API gives regexes no precedence.
fn resolve_overlaps(host: &mut VirtualHost, opts: RegexOptions, report: &mut Report) {
    let order = locations::location_order(&host.rules);
    let literal_of = |r: &Rule| -> Option<String> {
        match r.matches.first().and_then(|m| m.path.as_ref()) {
            Some(PathMatch::Regex(_)) => {
                translate_path_regex(&r.source_path.path, opts)
                    .ok()?
                    .literal
            }
            _ => None,
        }
    };
    let outcome = |r: &Rule| (format!("{:?}", r.action), format!("{:?}", r.filters));
    let mut drop = Vec::new();
    for (pos, &j) in order.iter().enumerate() {
        let Some(lj) = literal_of(&host.rules[j]) else {
            continue;
        };
        let mut excluded: Vec<String> = Vec::new();
        for &i in &order[..pos] {
            if drop.contains(&i) || outcome(&host.rules[i]) == outcome(&host.rules[j]) {
                continue;
            }
            let Some(li) = literal_of(&host.rules[i]) else {
                continue;
            };
            let fold = |s: &str| {
                if opts.case_insensitive {
                    s.to_lowercase()
                } else {
                    s.to_string()
                }
            };
            let (fi, fj) = (fold(&li), fold(&lj));
            if opts.prefix && fj.starts_with(&fi) || fi == fj {
                report.push(
                    Notification::warning(
                        REGEX_SHADOWED,
                        format!(
                            "path `{}` on host {} is never reached in ingress-nginx: the earlier location `{}` matches every request it matches; the rule was dropped",
                            host.rules[j].source_path.path, host.id.host, host.rules[i].source_path.path
                        ),
                    )
                    .object(host.rules[j].from.object.as_ref().unwrap_or(&host.owner))
                    .span(host.rules[j].from.span.clone()),
                );
                drop.push(j);
                break;
            }
            if opts.prefix && fi.starts_with(&fj) {
                excluded.push(li[lj.len()..].to_string());
            }
        }
        if !excluded.is_empty() && !drop.contains(&j) {
            let lit = regex_syntax::escape(&lj);
            let flags = if opts.case_insensitive { "(?i)" } else { "" };
            let pattern = format!("{flags}{lit}{}", not_starting_with(&excluded));
            report.push(
                Notification::info(
                    REGEX_OVERLAP,
                    format!(
                        "host {}: `{}` also matches requests that ingress-nginx sends to the earlier (longer) locations {}; its pattern excludes them so the outcome does not depend on regex precedence",
                        host.id.host,
                        host.rules[j].source_path.path,
                        excluded.iter().map(|s| format!("`{lj}{s}`")).collect::<Vec<_>>().join(", ")
                    ),
                )
                .object(host.rules[j].from.object.as_ref().unwrap_or(&host.owner)),
            );
            if let Some(m) = host.rules[j].matches.first_mut() {
                m.path = Some(PathMatch::Regex(pattern));
            }
        }
    }
    drop.sort_unstable();
    for j in drop.into_iter().rev() {
        host.rules.remove(j);
    }
}

/// An RE2 fragment matching any rest of the path (possibly empty) that does not start
/// with one of `suffixes` (each non-empty). Built from a trie so it stays exact.
pub fn not_starting_with(suffixes: &[String]) -> String {
    #[derive(Default)]
    struct Node {
        end: bool,
        kids: std::collections::BTreeMap<char, Node>,
    }
    let mut root = Node::default();
    for s in suffixes {
        let mut n = &mut root;
        for c in s.chars() {
            n = n.kids.entry(c).or_default();
        }
        n.end = true;
    }
    fn class_char(c: char) -> String {
        format!("\\x{{{:x}}}", c as u32)
    }
    fn render(n: &Node) -> String {
        // The empty rest is allowed; any other first char is allowed unless a child continues.
        let mut alts = vec![String::new()];
        let firsts: String = n.kids.keys().map(|&c| class_char(c)).collect();
        alts.push(format!("[^{firsts}].*"));
        for (c, kid) in &n.kids {
            if !kid.end {
                alts.push(format!(
                    "{}{}",
                    regex_syntax::escape(&c.to_string()),
                    render(kid)
                ));
            }
        }
        format!("(?:{})", alts.join("|"))
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
            not_starting_with(&["/v1".into(), "ary".into()])
        ));
        for ok in ["/api", "/api/", "/api/v2", "/apix", "/api/v", "/API/v2"] {
            assert!(re.is_match(ok), "{ok} should match");
        }
        for no in ["/api/v1", "/api/v1/x", "/apiary", "/API/V1", "/APIARY/x"] {
            assert!(!re.is_match(no), "{no} should not match");
        }
    }
}
