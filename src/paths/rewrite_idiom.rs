//! Which `rewrite-target` capture idioms standard Gateway API can express.
//!
//! nginx renders `rewrite "(?i)P" <target> break;`: the **whole** URI becomes the
//! target, with `$1`…`$9` taken from `P`'s groups (query kept). Gateway API has
//! `ReplaceFullPath` (a fixed path) and `ReplacePrefixMatch` on a `PathPrefix`
//! match (swap the matched prefix, segment-aware). Some capture idioms are exactly
//! a prefix swap; [`classify_rewrite`] recognises them from the parsed pattern.

use super::regex::parse_pcre;
use regex_syntax::ast::{self, Ast};

/// How a `rewrite-target` on a path translates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RewriteTranslation {
    /// No captures: every matching request is sent to exactly this path.
    FullPath(String),
    /// `PathPrefix prefix` + `ReplacePrefixMatch replacement`. `caveat` names the
    /// one request shape where the two differ, when there is one.
    PrefixStrip {
        prefix: String,
        replacement: String,
        caveat: Option<String>,
    },
    /// The target rebuilds exactly the URI the path matched (`/(x.*)` → `/$1`,
    /// `/()(.*)` → `/$2`): nothing to rewrite.
    Identity,
    /// Not expressible in standard Gateway API.
    Unsupported { reason: String },
}

/// A piece of a rewrite target.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    /// `$1`…`$9`.
    Group(u32),
}

/// Splits a target into text and `$N`; an nginx variable (`$name`, `${…}`) is an error.
fn parse_target(target: &str) -> Result<Vec<Piece>, String> {
    let mut out: Vec<Piece> = Vec::new();
    let mut chars = target.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' {
            match chars.peek().copied() {
                Some(d) if d.is_ascii_digit() => {
                    chars.next();
                    out.push(Piece::Group(d.to_digit(10).unwrap_or(0)));
                    continue;
                }
                Some(_) => return Err("the target uses an nginx variable".into()),
                None => {}
            }
        }
        match out.last_mut() {
            Some(Piece::Text(t)) => t.push(c),
            _ => out.push(Piece::Text(c.to_string())),
        }
    }
    Ok(out)
}

/// `target` as an RE2 substitution (Envoy's `replaceRegexMatch` syntax): `$N`
/// becomes `\N`, a group the pattern does not have becomes nothing (nginx
/// substitutes an empty string), a backslash in the text is doubled. None for a
/// target nginx would not rewrite with captures alone: nginx variables, `$0`
/// (nginx refuses the configuration) or a trailing `$`.
pub fn re2_substitution(target: &str, capture_groups: usize) -> Option<String> {
    if target.ends_with('$') {
        return None;
    }
    let mut out = String::new();
    for piece in parse_target(target).ok()? {
        match piece {
            Piece::Group(0) => return None,
            Piece::Group(n) if n as usize <= capture_groups => {
                out.push('\\');
                out.push_str(&n.to_string());
            }
            Piece::Group(_) => {}
            Piece::Text(t) => out.push_str(&t.replace('\\', "\\\\")),
        }
    }
    Some(out)
}

fn is_capture(a: &Ast) -> Option<&Ast> {
    match a {
        Ast::Group(g) if !matches!(g.kind, ast::GroupKind::NonCapturing(_)) => Some(&g.ast),
        _ => None,
    }
}

/// `(.*)`
pub(crate) fn is_rest_group(a: &Ast) -> bool {
    matches!(is_capture(a), Some(Ast::Repetition(r))
        if r.greedy && r.op.kind == ast::RepetitionKind::ZeroOrMore && matches!(*r.ast, Ast::Dot(_)))
}

/// `(/|$)` or `($|/)`
pub(crate) fn is_slash_or_end_group(a: &Ast) -> bool {
    let Some(Ast::Alternation(alt)) = is_capture(a) else {
        return false;
    };
    let slash = |a: &Ast| matches!(a, Ast::Literal(l) if l.c == '/');
    let end = |a: &Ast| matches!(a, Ast::Assertion(x) if matches!(x.kind, ast::AssertionKind::EndLine | ast::AssertionKind::EndText));
    matches!(alt.asts.as_slice(), [a, b] if (slash(a) && end(b)) || (end(a) && slash(b)))
}

/// Classifies `rewrite-target: target` on the (regex) path `path`.
///
/// Recognised exactly: `P(/|$)(.*)` with `/$2` (strip) or `/new$1$2` (swap), and
/// `P/(.*)` with `/$1` or `/new/$1`; `P(/|$)(.*)` with `/new/$2` and `P/(.*)` are
/// prefix rewrites that differ on one request shape, named in `caveat`. A target
/// that gives back the matched URI unchanged is [`RewriteTranslation::Identity`].
pub fn classify_rewrite(path: &str, target: &str, case_insensitive: bool) -> RewriteTranslation {
    if is_identity(path, target, case_insensitive) {
        return RewriteTranslation::Identity;
    }
    classify_idiom(path, target, case_insensitive)
}

/// One element of a rewrite's output: a literal character or a capture group.
#[derive(Debug, PartialEq, Eq)]
enum Token {
    Char(char),
    Group(u32),
}

/// True when `rewrite "(?i)path" target` replaces every URI the location
/// matched by itself. The location is `^path`, so the rewrite's (unanchored,
/// leftmost) match starts at the URI's first byte; it is the identity when the
/// pattern is a sequence of literals and capture groups that the target repeats
/// in order (groups that only match the empty string may be left out) and the
/// last group ends with a greedy `.*` or the pattern with `$`, so the match
/// reaches the end of the URI. Literal letters outside groups are rewritten to
/// the pattern's case, so with case-insensitive matching they are not kept.
fn is_identity(path: &str, target: &str, case_insensitive: bool) -> bool {
    let Ok(pieces) = parse_target(target) else {
        return false;
    };
    let Ok(ast) = parse_pcre(path) else {
        return false;
    };
    let items: Vec<&Ast> = match &ast {
        Ast::Concat(c) => c.asts.iter().collect(),
        other => vec![other],
    };
    let start = items
        .iter()
        .take_while(|a| matches!(a, Ast::Assertion(x) if matches!(x.kind, ast::AssertionKind::StartLine | ast::AssertionKind::StartText)))
        .count();
    let mut body = items.get(start..).unwrap_or_default();
    let anchored_end = matches!(body.last(), Some(Ast::Assertion(x)) if matches!(x.kind, ast::AssertionKind::EndLine | ast::AssertionKind::EndText));
    if anchored_end {
        body = body.get(..body.len() - 1).unwrap_or_default();
    }
    let mut empty_groups = Vec::new();
    let mut expected = Vec::new();
    for item in body {
        match item {
            Ast::Literal(l) if !(case_insensitive && l.c.is_alphabetic()) => {
                expected.push(Token::Char(l.c))
            }
            Ast::Group(g) => {
                let index = match &g.kind {
                    ast::GroupKind::CaptureIndex(i) => *i,
                    ast::GroupKind::CaptureName { name, .. } => name.index,
                    ast::GroupKind::NonCapturing(_) => return false,
                };
                if matches!(*g.ast, Ast::Empty(_)) {
                    empty_groups.push(index);
                } else {
                    expected.push(Token::Group(index));
                }
            }
            _ => return false,
        }
    }
    let reaches_end =
        anchored_end || matches!(body.last(), Some(Ast::Group(g)) if ends_with_rest(&g.ast));
    if !reaches_end {
        return false;
    }
    let mut actual = Vec::new();
    for p in pieces {
        match p {
            Piece::Text(t) => actual.extend(t.chars().map(Token::Char)),
            Piece::Group(n) if empty_groups.contains(&n) => {}
            Piece::Group(n) => actual.push(Token::Group(n)),
        }
    }
    !expected.is_empty() && expected == actual
}

/// The pattern ends with a greedy `.*`, so it matches up to the end of the URI.
fn ends_with_rest(a: &Ast) -> bool {
    let last = match a {
        Ast::Concat(c) => c.asts.last(),
        other => Some(other),
    };
    matches!(last, Some(Ast::Repetition(r))
        if r.greedy && r.op.kind == ast::RepetitionKind::ZeroOrMore && matches!(*r.ast, Ast::Dot(_)))
}

fn classify_idiom(path: &str, target: &str, case_insensitive: bool) -> RewriteTranslation {
    let unsupported = |reason: String| RewriteTranslation::Unsupported { reason };
    let pieces = match parse_target(target) {
        Ok(p) => p,
        Err(e) => return unsupported(e),
    };
    if !pieces.iter().any(|p| matches!(p, Piece::Group(_))) {
        return RewriteTranslation::FullPath(target.to_string());
    }
    let ast = match parse_pcre(path) {
        Ok(a) => a,
        Err(e) => return unsupported(format!("the path is not translatable: {e}")),
    };
    // nginx substitutes an empty string for a group the path does not have.
    let groups = super::regex::count_groups(&ast);
    let pieces: Vec<Piece> = pieces
        .into_iter()
        .filter(|p| !matches!(p, Piece::Group(n) if *n != 0 && *n as usize > groups))
        .collect();
    if !pieces.iter().any(|p| matches!(p, Piece::Group(_))) {
        let full: String = pieces
            .iter()
            .map(|p| match p {
                Piece::Text(t) => t.as_str(),
                Piece::Group(_) => "",
            })
            .collect();
        return RewriteTranslation::FullPath(if full.is_empty() { "/".into() } else { full });
    }
    let items: Vec<&Ast> = match &ast {
        Ast::Concat(c) => c.asts.iter().collect(),
        other => vec![other],
    };
    let start = items
        .iter()
        .take_while(|a| matches!(a, Ast::Assertion(x) if matches!(x.kind, ast::AssertionKind::StartLine | ast::AssertionKind::StartText)))
        .count();
    let lits = items[start..]
        .iter()
        .take_while(|a| matches!(a, Ast::Literal(_)))
        .count();
    let prefix: String = items[start..start + lits]
        .iter()
        .filter_map(|a| match a {
            Ast::Literal(l) => Some(l.c),
            _ => None,
        })
        .collect();
    let rest = &items[start + lits..];
    let generic = || {
        unsupported(format!(
            "the target uses the path's captures in a way that is not a prefix rewrite{}",
            if case_insensitive {
                ", and nginx matched the path case-insensitively"
            } else {
                ""
            }
        ))
    };
    if !prefix.starts_with('/') || !crate::passes::ingress_rules::is_valid_gateway_path(&prefix) {
        return generic();
    }
    match (rest, pieces.as_slice()) {
        // P(/|$)(.*) → /$2 : strip.
        ([g1, g2], [Piece::Text(r), Piece::Group(2)])
            if is_slash_or_end_group(g1) && is_rest_group(g2) && prefix != "/" =>
        {
            if r == "/" {
                RewriteTranslation::PrefixStrip {
                    prefix,
                    replacement: "/".into(),
                    caveat: None,
                }
            } else if r.starts_with('/') && r.ends_with('/') {
                let replacement = r.trim_end_matches('/').to_string();
                RewriteTranslation::PrefixStrip {
                    caveat: Some(format!(
                        "nginx sends `{prefix}` itself to `{r}`, ReplacePrefixMatch sends it to `{replacement}`"
                    )),
                    prefix,
                    replacement,
                }
            } else {
                generic()
            }
        }
        // P(/|$)(.*) → /new$1$2 : swap.
        ([g1, g2], [Piece::Text(r), Piece::Group(1), Piece::Group(2)])
            if is_slash_or_end_group(g1)
                && is_rest_group(g2)
                && prefix != "/"
                && r.starts_with('/')
                && !r.ends_with('/')
                && crate::passes::ingress_rules::is_valid_gateway_path(r) =>
        {
            RewriteTranslation::PrefixStrip {
                prefix,
                replacement: r.clone(),
                caveat: None,
            }
        }
        // P/(.*) → R/$1 (R ends with `/`).
        ([g1], [Piece::Text(r), Piece::Group(1)])
            if is_rest_group(g1)
                && prefix.ends_with('/')
                && r.starts_with('/')
                && r.ends_with('/') =>
        {
            let trimmed = prefix.trim_end_matches('/');
            let replacement = match r.trim_end_matches('/') {
                "" => "/".to_string(),
                t => t.to_string(),
            };
            if trimmed.is_empty() {
                // `/(.*)` → `/$1`: the path is kept as it is.
                return RewriteTranslation::PrefixStrip {
                    prefix: "/".into(),
                    replacement,
                    caveat: None,
                };
            }
            RewriteTranslation::PrefixStrip {
                caveat: Some(format!(
                    "`{trimmed}` (no trailing slash) does not match this path in ingress-nginx but matches PathPrefix `{trimmed}` and is sent to `{replacement}`"
                )),
                prefix: trimmed.to_string(),
                replacement,
            }
        }
        _ => generic(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use RewriteTranslation as R;

    fn strip(prefix: &str, replacement: &str, caveat: bool) -> impl Fn(&R) -> bool {
        let (p, r) = (prefix.to_string(), replacement.to_string());
        move |t| matches!(t, R::PrefixStrip { prefix, replacement, caveat: c } if *prefix == p && *replacement == r && c.is_some() == caveat)
    }

    #[test]
    fn recognises_corpus_idioms() {
        assert_eq!(classify_rewrite("/foo", "/", true), R::FullPath("/".into()));
        assert_eq!(
            classify_rewrite("/IP", "/uuid", true),
            R::FullPath("/uuid".into())
        );
        assert!(strip("/something", "/", false)(&classify_rewrite(
            "/something(/|$)(.*)",
            "/$2",
            true
        )));
        assert!(strip("/hubble", "/", false)(&classify_rewrite(
            "^/hubble($|/)(.*)",
            "/$2",
            true
        )));
        assert!(strip("/api", "/v2", false)(&classify_rewrite(
            "/api(/|$)(.*)",
            "/v2$1$2",
            true
        )));
        assert!(strip("/api", "/v2", true)(&classify_rewrite(
            "/api(/|$)(.*)",
            "/v2/$2",
            true
        )));
        assert!(strip("/vault", "/", true)(&classify_rewrite(
            "/vault/(.*)",
            "/$1",
            true
        )));
        assert!(strip("/grafana", "/g", true)(&classify_rewrite(
            "/grafana/(.*)",
            "/g/$1",
            true
        )));
        assert_eq!(classify_rewrite("/(.*)", "/$1", true), R::Identity);
    }

    #[test]
    fn recognises_identity_rewrites() {
        for (path, target, ci) in [
            ("/(x.*)", "/$1", true),
            ("/()(.*)", "/$2", true),
            ("/()(.*)", "/$1$2", true),
            ("^/(api/.*)", "/$1", true),
            ("/(x[a-z]+)$", "/$1", true),
            ("/(.+)/(.*)", "/$1/$2", false),
            ("/api/(.*)", "/api/$1", false),
        ] {
            assert_eq!(
                classify_rewrite(path, target, ci),
                R::Identity,
                "{path} → {target}"
            );
        }
        // Letters outside a group are rewritten to the pattern's case.
        assert_ne!(classify_rewrite("/api/(.*)", "/api/$1", true), R::Identity);
    }

    #[test]
    fn rejects_what_a_prefix_rewrite_cannot_do() {
        for (path, target) in [
            ("/api(.*)", "/$1"),
            ("/resource/(.*)/connect", "/$1/connect"),
            ("/x", "/$0"),
            ("/foo(/|$)(.*)", "/$1"),
            ("/api/v1/?(.*)", "/$1"),
            ("/?(.*)", "/$1"),
            ("/x/(.*)", "/$host/$1"),
            ("/a(?=b)(.*)", "/$1"),
            ("/(x.*)", "/$1/"),
            ("/(x.*)", "$1"),
            ("/(x.*)/y", "/$1/y"),
            ("/(x[a-z])", "/$1"),
            ("/()(.*)", "/$1"),
            ("/(?:x)(.*)", "/x$1"),
        ] {
            assert!(
                matches!(classify_rewrite(path, target, true), R::Unsupported { .. }),
                "{path} → {target}"
            );
        }
        assert!(
            matches!(classify_rewrite("/x", "/$host", true), R::Unsupported { reason } if reason.contains("variable"))
        );
    }
}
