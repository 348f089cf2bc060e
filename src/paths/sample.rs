//! Concrete request paths for a regex, to show users where two matches overlap.
//!
//! Gateway API gives `RegularExpression` matches no precedence, while nginx tries
//! regex locations in order. To name a request that the two route differently we
//! need strings a pattern accepts: [`sample_paths`] walks the pattern's HIR and
//! builds a few short ones (first/second choice of each class, minimum and
//! minimum+1 of each repetition, every branch of alternations), keeping those the
//! pattern really full-matches (assertions are not modelled while generating).

use regex_syntax::hir::{Class, Hir, HirKind};

/// At most this many samples per pattern (and per intermediate product).
const MAX_SAMPLES: usize = 32;

/// Characters tried first when a class must be represented (readable paths).
const PREFERRED: &str = "abcdefghijklmnopqrstuvwxyz0123456789/-._~ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/// Compiles an RE2-syntax pattern with full-match semantics.
pub fn full_match_regex(pattern: &str) -> Option<regex::Regex> {
    regex::Regex::new(&format!("^(?:{pattern})$")).ok()
}

/// True when the RE2 `pattern` full-matches `path` (false for an invalid pattern).
pub fn full_match(pattern: &str, path: &str) -> bool {
    full_match_regex(pattern).is_some_and(|re| re.is_match(path))
}

/// Short request paths that the RE2 full-match `pattern` accepts, in a stable order.
pub fn sample_paths(pattern: &str) -> Vec<String> {
    let Ok(hir) = regex_syntax::Parser::new().parse(pattern) else {
        return Vec::new();
    };
    let Some(re) = full_match_regex(pattern) else {
        return Vec::new();
    };
    let mut out: Vec<String> = Vec::new();
    for s in generate(&hir) {
        if re.is_match(&s) && !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

fn class_samples(c: &Class) -> Vec<String> {
    let contains = |ch: char| match c {
        Class::Unicode(u) => u.ranges().iter().any(|r| r.start() <= ch && ch <= r.end()),
        Class::Bytes(b) => b
            .ranges()
            .iter()
            .any(|r| (r.start() as char) <= ch && ch <= (r.end() as char)),
    };
    let mut picks: Vec<String> = PREFERRED
        .chars()
        .filter(|&ch| contains(ch))
        .take(2)
        .map(String::from)
        .collect();
    if picks.is_empty() {
        let first = match c {
            Class::Unicode(u) => u.ranges().first().map(|r| r.start()),
            Class::Bytes(b) => b.ranges().first().map(|r| r.start() as char),
        };
        picks.extend(first.map(String::from));
    }
    picks
}

/// Concatenations of `a` and `b`, at most [`MAX_SAMPLES`]: every choice of `a`
/// with the first of `b` comes first, so earlier choices stay represented.
fn product(a: Vec<String>, b: Vec<String>) -> Vec<String> {
    let Some(first) = b.first() else {
        return Vec::new();
    };
    let mut out: Vec<String> = a.iter().map(|x| format!("{x}{first}")).collect();
    for x in &a {
        for y in &b[1..] {
            out.push(format!("{x}{y}"));
        }
    }
    let mut seen = Vec::new();
    for s in out {
        if !seen.contains(&s) {
            seen.push(s);
        }
        if seen.len() == MAX_SAMPLES {
            break;
        }
    }
    seen
}

fn generate(h: &Hir) -> Vec<String> {
    match h.kind() {
        HirKind::Empty | HirKind::Look(_) => vec![String::new()],
        HirKind::Literal(l) => vec![String::from_utf8_lossy(&l.0).into_owned()],
        HirKind::Class(c) => class_samples(c),
        HirKind::Capture(c) => generate(&c.sub),
        HirKind::Repetition(r) => {
            let sub = generate(&r.sub);
            if sub.is_empty() {
                return if r.min == 0 {
                    vec![String::new()]
                } else {
                    Vec::new()
                };
            }
            let min = r.min.min(8) as usize;
            let mut out = vec![sub[0].repeat(min)];
            if r.max.is_none_or(|m| m > r.min) {
                for s in &sub {
                    out.push(format!("{}{s}", sub[0].repeat(min)));
                }
            }
            out
        }
        HirKind::Concat(parts) => parts
            .iter()
            .map(generate)
            .fold(vec![String::new()], product),
        HirKind::Alternation(alts) => {
            let mut out = Vec::new();
            for a in alts {
                out.extend(generate(a));
            }
            out.truncate(MAX_SAMPLES);
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_are_matched_and_readable() {
        let s = sample_paths("(?i)/Header.*");
        assert_eq!(s.first().map(String::as_str), Some("/header"));
        assert!(s.iter().all(|p| full_match("(?i)/Header.*", p)));
        let s = sample_paths("(?i)/users/([0-9]+).*");
        assert!(s.contains(&"/users/0".to_string()), "{s:?}");
        let s = sample_paths("(?i)(?:/a|.*/b.*)");
        assert!(
            s.contains(&"/a".to_string()) && s.contains(&"/b".to_string()),
            "{s:?}"
        );
        assert!(sample_paths("(").is_empty());
    }
}
