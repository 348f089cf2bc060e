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
//! A Prefix path of another Ingress that has an Exact twin is rendered as `P/`
//! only, as nginx does. An Exact `/` is not emitted: its `~* "^/"` comes after the
//! host's own `/` location (same text, created first with the server), which
//! takes every request. First-match order is made explicit afterwards by
//! `regex_order` (once rewrites are known).
//!
//! ## What we warn
//! Per affected Ingress, which Ingress switched the host to regex mode; patterns
//! RE2 cannot express (error, with the construct and its position: the rule is
//! kept fail-closed with a caseless literal-prefix match that covers every
//! request nginx could send to it, [`cover_pattern`], so those requests never
//! reach another, possibly unprotected, rule); with
//! `--quirks` dropping a behaviour, every path whose behaviour changes, with a
//! request that shows the difference.

use super::quirks::Quirk;
use super::regex_memo::RegexMemo;
use super::{Pass, PassContext};
use crate::input::SourceSpan;
use crate::ir::*;
use crate::paths::regex::{RegexOptions, cover_pattern, sample_paths};
use crate::report::{Code, Notification, ObjectRef, Report};
use std::collections::{BTreeMap, BTreeSet, HashMap};

pub const REGEX_MODE: Code = Code("regex-mode");
pub const REGEX_UNSUPPORTED: Code = Code("regex-unsupported");
pub const REGEX_FLOATING: Code = Code("regex-unanchored-branch");
pub const QUIRK_DROPPED: Code = Code("quirk-dropped");

pub struct RegexMode;

/// True when this Ingress location forces regex mode (use-regex, or a rewrite-target ≠ path).
pub fn forces_regex(cx: &PassContext, obj: &ObjectRef, path: &str) -> Option<String> {
    let ing = cx.ingress(obj)?;
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
        let host_wide = q.keeps(Quirk::HostWideRegex);
        // Escaped-literal notes of ingress_rules that regex mode makes stale,
        // removed in one sweep at the end (a sweep per path was quadratic).
        let mut stale: HashMap<(ObjectRef, Option<SourceSpan>), Vec<String>> = HashMap::new();
        // Only notes older than this pass are stale: the ones it adds stay.
        let before = report.iter().count();
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
            let exact_paths: BTreeSet<String> = host
                .rules
                .iter()
                .filter(|r| r.from.path.is_some() && r.source_path.path_type.is_exact())
                .map(|r| r.source_path.path.clone())
                .collect();
            let mut affected: BTreeMap<ObjectRef, Vec<String>> = BTreeMap::new();
            let mut shadowed_root: Vec<usize> = Vec::new();
            for (index, rule) in host.rules.iter_mut().enumerate() {
                if rule.from.path.is_none() {
                    continue;
                }
                let Some(obj) = rule.from.object.clone() else {
                    continue;
                };
                let p = rule.source_path.path.clone();
                let own_regex = uses_regex(cx, &obj);
                // The path's own Ingress puts it in regex form (use-regex or a rewrite of this path).
                let own = own_regex || forces_regex(cx, &obj, &p).is_some();
                if !own && !host_wide {
                    report.push(
                        Notification::warning(
                            QUIRK_DROPPED,
                            format!(
                                "path `{p}` on host {}: ingress-nginx treats it as the case-insensitive prefix regex `^{p}` because {cause} switched the host to regex mode; without the host-wide-regex quirk it keeps its own {} semantics (e.g. `{}` is routed differently)",
                                host.id.host,
                                if rule.source_path.path_type.is_exact() { "Exact" } else { "Prefix" },
                                example_difference(&p)
                            ),
                        )
                        .object(&obj)
                        .span(rule.from.span.clone()),
                    );
                    continue;
                }
                // `~* "^/"` of an Exact `/` sorts behind the root location (same
                // text, created first with the server), which takes all its requests.
                if p == "/" && rule.source_path.path_type.is_exact() {
                    shadowed_root.push(index);
                    report.push(
                        Notification::warning(
                            super::regex_order::REGEX_SHADOWED,
                            format!(
                                "Exact path `/` on host {} is never reached in ingress-nginx: in regex mode it becomes `location ~* \"^/\"`, which comes after the host's own `/` location (created with the server: a Prefix `/` path, the owner's spec.defaultBackend or the default backend, 404) and that location matches every request first; the rule was dropped",
                                host.id.host
                            ),
                        )
                        .object(&obj)
                        .span(rule.from.span.clone())
                        .suggest("remove the Exact `/` path, or give the host a Prefix `/` path that serves it"),
                    );
                    continue;
                }
                // Surprising unless the path was written as a regex for use-regex.
                if !own_regex || rule.source_path.path_type.is_exact() {
                    affected.entry(obj.clone()).or_default().push(p.clone());
                }
                // Prefix P of another Ingress with an Exact twin: only `P/` is rendered (§2.6).
                let source = if !rule.source_path.path_type.is_exact()
                    && !own
                    && exact_paths.contains(&p)
                    && !p.ends_with('/')
                {
                    format!("{p}/")
                } else {
                    p.clone()
                };
                // The escaped-literal fallback of ingress_rules no longer applies,
                // nor its encoding of the path as literal text.
                stale
                    .entry((obj.clone(), rule.from.span.clone()))
                    .or_default()
                    .push(format!("path `{p}` "));
                match cx.regex.translate(&source, opts) {
                    Ok(re) => {
                        // `%` is no regex syntax: only encoded literals print it.
                        if re.pattern.contains('%') {
                            report.push(
                                Notification::warning(
                                    super::ingress_rules::PATH_ENCODED,
                                    format!(
                                        "path `{source}` on host {} has literal characters a request carries percent-encoded: ingress-nginx matches the decoded path, Gateway API implementations the path as sent, so they are matched encoded (`{}`{}); a client that sends them raw or encodes other bytes reaches the rule only if the implementation normalises percent-encoding, and a class or `.` that should match one such character matches one character of its encoding",
                                        host.id.host,
                                        re.pattern,
                                        if opts.case_insensitive { "; hex digits in either case" } else { "" }
                                    ),
                                )
                                .object(&obj)
                                .span(rule.from.span.clone())
                                .suggest("test these requests on your implementation; prefer paths of plain URL characters"),
                            );
                        }
                        if re.floating_branches {
                            report.push(
                                Notification::warning(
                                    REGEX_FLOATING,
                                    format!(
                                        "path `{source}` on host {} has a top-level `|`: ingress-nginx pastes `^` in front of the whole text, so only the first branch is anchored and the others match anywhere in the path (emitted as `{}`)",
                                        host.id.host, re.pattern
                                    ),
                                )
                                .object(&obj)
                                .span(rule.from.span.clone())
                                .suggest("this is what runs today; wrap the branches in a group, `^(/a|/b)`, if they were all meant to start the path"),
                            );
                        }
                        let m = match (&re.literal, opts.case_insensitive, opts.prefix) {
                            // Regex quirks dropped and really a literal: what the path type says.
                            (Some(lit), false, false)
                                if super::ingress_rules::is_valid_gateway_path(lit) =>
                            {
                                if rule.source_path.path_type == SourcePathType::Prefix {
                                    PathMatch::Prefix(lit.clone())
                                } else {
                                    PathMatch::Exact(lit.clone())
                                }
                            }
                            _ => PathMatch::Regex(re.pattern.clone()),
                        };
                        if let Some(request) = quirk_difference(&cx.regex, &source, &re.pattern) {
                            report.push(
                                Notification::warning(
                                    QUIRK_DROPPED,
                                    format!(
                                        "path `{source}` on host {}: `{request}` matches in ingress-nginx (case-insensitive prefix regex) but not the emitted `{}` because --quirks drops {}",
                                        host.id.host,
                                        re.pattern,
                                        dropped_names(opts)
                                    ),
                                )
                                .object(&obj)
                                .span(rule.from.span.clone()),
                            );
                        }
                        rule.matches = vec![Match {
                            path: Some(m),
                            ..rule.matches.first().cloned().unwrap_or_default()
                        }];
                    }
                    Err(e) => {
                        let cover = cover_pattern(&source);
                        report.push(
                            Notification::error(
                                REGEX_UNSUPPORTED,
                                format!(
                                    "path `{source}` on host {} uses {} at byte {}, which RE2-based Gateway API implementations cannot express ({}); the rule is emitted fail-closed with the match `{cover}`, which covers every request the location could match in ingress-nginx: they answer 500 instead of reaching another rule",
                                    host.id.host, e.construct, e.offset, e.message
                                ),
                            )
                            .object(&obj)
                            .span(rule.from.span.clone())
                            .suggest("rewrite the pattern without that construct (RE2 syntax), or use an implementation-specific route"),
                        );
                        rule.matches = vec![Match {
                            path: Some(PathMatch::Regex(cover.clone())),
                            ..rule.matches.first().cloned().unwrap_or_default()
                        }];
                        rule.filters.push(RuleFilter {
                            filter: Filter::AccessControl(AccessRequirement::UnexpressiblePath {
                                path: source,
                                cover,
                            }),
                            from: rule.from.clone(),
                        });
                    }
                }
            }
            let mut unsupported = shadowed_root;
            unsupported.sort_unstable();
            for index in unsupported.into_iter().rev() {
                host.rules.remove(index);
            }
            for (obj, paths) in affected {
                let by = if obj == cause {
                    format!("of its own {annotation}")
                } else {
                    format!("{cause} sets {annotation}")
                };
                report.push(
                    Notification::warning(
                        REGEX_MODE,
                        format!(
                            "host {} is in regex mode because {by}: this Ingress's paths {} are case-insensitive prefix regexes in ingress-nginx (Exact loses exactness, Prefix matches past the segment boundary, `.` matches any character) and were translated that way",
                            host.id.host,
                            paths.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", ")
                        ),
                    )
                    .object(&obj)
                    .suggest("this is what runs today; once migrated, tighten the matches (or use --quirks none to emit exact, case-sensitive matches)"),
                );
            }
        }
        if !stale.is_empty() {
            // `retain` visits the notes once, in order: `seen` is each one's position.
            let mut seen = 0;
            report.retain(|n| {
                seen += 1;
                if seen > before {
                    return true;
                }
                if n.code != super::ingress_rules::PATH_AS_REGEX
                    && n.code != super::ingress_rules::PATH_ENCODED
                {
                    return true;
                }
                let Some(obj) = &n.object else {
                    return true;
                };
                !stale
                    .get(&(obj.clone(), n.span.clone()))
                    .is_some_and(|paths| paths.iter().any(|p| n.message.contains(p.as_str())))
            });
        }
    }
}

/// True when `obj` has `use-regex: "true"` (its paths are meant as regexes).
fn uses_regex(cx: &PassContext, obj: &ObjectRef) -> bool {
    cx.ingress(obj)
        .is_some_and(|i| cx.annotation_bool(i, "use-regex", false))
}

/// A request that behaves differently between regex mode and the path's own type.
fn example_difference(p: &str) -> String {
    let trimmed = p.trim_end_matches('/');
    format!("{}x", if trimmed.is_empty() { "/" } else { trimmed }).to_uppercase()
}

/// With a regex quirk dropped: a request nginx's `~* "^P"` matches that `emitted` does not.
/// The translation with every quirk kept comes from `memo`: when no quirk is
/// dropped it is the one just made, and the answer is `None` without a parse.
fn quirk_difference(memo: &RegexMemo, source: &str, emitted: &str) -> Option<String> {
    let nginx = memo.translate(source, RegexOptions::default()).ok()?;
    if nginx.pattern == emitted {
        return None;
    }
    let re = crate::paths::sample::full_match_regex(emitted)?;
    let samples = sample_paths(&nginx.pattern);
    let candidates = samples.iter().flat_map(|s| {
        [
            s.clone(),
            s.to_ascii_uppercase(),
            format!("{s}x"),
            format!("{s}/x"),
        ]
    });
    candidates
        .filter(|c| crate::paths::sample::full_match(&nginx.pattern, c))
        .find(|c| !re.is_match(c))
}

fn dropped_names(opts: RegexOptions) -> String {
    let mut names = Vec::new();
    if !opts.case_insensitive {
        names.push(Quirk::RegexCaseInsensitive.name());
    }
    if !opts.prefix {
        names.push(Quirk::RegexPrefix.name());
    }
    names.join(" and ")
}
