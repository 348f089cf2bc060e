//! The literal text every match of a pattern starts with: a cheap pre-filter
//! in front of regex evaluation.
//!
//! Hosts with thousands of regex locations made every request (verify's probes)
//! and every pair of rules (the regex-order overlap check) run a regex engine
//! against thousands of patterns, nearly all of which start with a different
//! literal (`/team-17/…` versus `/team-42/…`). The literals one of which starts
//! every match (`regex-syntax`'s prefix extractor, case variants included) rule
//! those out with a byte comparison, and give exactly the answer the engine
//! would: a pattern whose matches must start with `/a` cannot match `/b…`.
//!
//! Only sound answers are given: when the prefixes are not finite (`.*x`), the
//! pattern does not parse here (look-around, back-references), or, for a search
//! anywhere in the string, the pattern is not anchored at its start, every text
//! "may match".

use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::{Hir, HirKind, Look};

/// The literals one of which starts every match, or `None`: no constraint known.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RequiredPrefix(Option<Vec<Vec<u8>>>);

impl RequiredPrefix {
    /// No constraint: every text may match.
    pub fn any() -> Self {
        RequiredPrefix(None)
    }

    /// For a match that starts at the beginning of the text (anchored search or
    /// full match): the prefixes of `pattern` (`regex` syntax).
    pub fn anchored(pattern: &str) -> Self {
        match regex_syntax::Parser::new().parse(pattern) {
            Ok(hir) => Self::of_hir(&hir),
            Err(_) => Self::any(),
        }
    }

    /// For a search anywhere in the text (`is_match`): the prefixes of `pattern`
    /// when it can only match at the start (it begins with `^`), else no
    /// constraint.
    pub fn searched(pattern: &str) -> Self {
        let Ok(hir) = regex_syntax::Parser::new().parse(pattern) else {
            return Self::any();
        };
        if starts_at_text_start(&hir) {
            Self::of_hir(&hir)
        } else {
            Self::any()
        }
    }

    fn of_hir(hir: &Hir) -> Self {
        let seq = Extractor::new().kind(ExtractKind::Prefix).extract(hir);
        RequiredPrefix(
            seq.literals()
                .map(|lits| lits.iter().map(|l| l.as_bytes().to_vec()).collect()),
        )
    }

    /// Whether a match can start `text` (`false` only when none can).
    pub fn may_match(&self, text: &[u8]) -> bool {
        match &self.0 {
            None => true,
            Some(lits) => lits.iter().any(|l| text.starts_with(l)),
        }
    }

    /// Whether no text can start with a prefix of both (each literal of one is
    /// neither a prefix of nor extended by any literal of the other).
    pub fn disjoint(&self, other: &RequiredPrefix) -> bool {
        match (&self.0, &other.0) {
            (Some(a), Some(b)) => a
                .iter()
                .all(|x| b.iter().all(|y| !x.starts_with(y) && !y.starts_with(x))),
            _ => false,
        }
    }
}

/// Whether every match of `hir` starts at the start of the text (`^` first).
fn starts_at_text_start(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Look(Look::Start) => true,
        HirKind::Concat(parts) => parts.first().is_some_and(starts_at_text_start),
        HirKind::Capture(c) => starts_at_text_start(&c.sub),
        HirKind::Alternation(alts) => alts.iter().all(starts_at_text_start),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchored_patterns_rule_out_other_literals() {
        let p = RequiredPrefix::anchored("/team-17/(.*)");
        assert!(p.may_match(b"/team-17/x"));
        assert!(!p.may_match(b"/team-18/x"));
        assert!(!p.may_match(b"/team-1"));
    }

    #[test]
    fn case_insensitive_patterns_keep_every_case() {
        let p = RequiredPrefix::searched("(?i)^/Api/v[0-9]+");
        assert!(p.may_match(b"/API/v1"));
        assert!(p.may_match(b"/api/v2"));
        assert!(!p.may_match(b"/apx/v1"));
        // The engine agrees.
        let re = regex::Regex::new("(?i)^/Api/v[0-9]+").unwrap();
        assert!(re.is_match("/API/v1") && !re.is_match("/apx/v1"));
    }

    #[test]
    fn unanchored_or_unbounded_patterns_constrain_nothing() {
        assert!(RequiredPrefix::searched("/api").may_match(b"/x/api"));
        assert!(RequiredPrefix::searched("^/a|/b").may_match(b"/x/b"));
        assert!(RequiredPrefix::anchored(".*/x").may_match(b"/anything/x"));
        assert!(RequiredPrefix::anchored("(?<=a)b").may_match(b"zzz"));
    }

    #[test]
    fn disjoint_only_when_no_literal_extends_another() {
        let a = RequiredPrefix::anchored("/s0/p1(?:/.*)?");
        let b = RequiredPrefix::anchored("(?i)/s0/p10/.*");
        let c = RequiredPrefix::anchored("/s1/.*");
        assert!(!a.disjoint(&b), "/s0/p1 is a prefix of /s0/p10");
        assert!(a.disjoint(&c) && c.disjoint(&b));
        assert!(!a.disjoint(&RequiredPrefix::any()));
        // The automata agree.
        assert_eq!(
            crate::paths::overlap::overlap("/s0/p1(?:/.*)?", "/s1/.*"),
            crate::paths::overlap::Overlap::Disjoint
        );
    }
}
